/* srv_code_sqlite: the SQLite backend of releasing a held receipt code
 * (srv_work_release_code, srv_work.h): a supervisor picks which claimant
 * of a code the citizen's page shows, the others keep a flag of their own,
 * all in one IMMEDIATE transaction with its audit row. Its PostgreSQL twin
 * is in srv_work_lists_pg.c. */
#include "srv_sqlite.h"
#include "utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static int text_ok(const char *s, size_t max)
{
	return s && s[0] && strlen(s) < max && utf8_valid(s, strlen(s));
}

static sqlite3_stmt *bound(srv_db *d, srv_sqlite_q q, const srv_sqlite_param *p, size_t np)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, q);
	return st && srv_sqlite_bind(st, p, np) == 0 ? st : NULL;
}

static int run(srv_db *d, srv_sqlite_q q, const srv_sqlite_param *p, size_t np)
{
	sqlite3_stmt *st = bound(d, q, p, np);
	return st && srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

static int audit(srv_db *d, long long now, const char *actor, const char *action, const char *request_id,
	const char *detail)
{
	srv_sqlite_param p[] = { SQ_I(":at", now), SQ_T(":actor", actor), SQ_T(":action", action),
		SQ_T(":request", request_id), SQ_T(":detail", detail) };
	return run(d, SQ_AUDIT_ADD, p, SQ_NPARAMS(p));
}

int srv_work_release_code(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_release_code(d, request_id, actor, role, reason, now, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":id", request_id) };
	sqlite3_stmt *st;
	char token[16], others[400], note[160], detail[512];
	int rc, trust;
	/* Which request is the citizen's is a decision with consequences (the
	 * other claimant's citizen loses the code's page): a supervisor's, with
	 * the reason kept. */
	if (!role || strcmp(role, "supervisor") != 0)
		return say(err, errlen, "only a supervisor may release a held receipt code");
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	/* The audit row's detail holds the reason and the others' ids. */
	if (!text_ok(reason, 300)) return say(err, errlen, "give the reason for choosing this claimant (under 300 bytes): it is recorded");
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "releasing the receipt code");
	if (!(st = bound(d, SQ_CODE_CLAIM, p, SQ_NPARAMS(p)))) goto db_error;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		trust = sqlite3_column_int(st, 1);
		if (sqlx_copy_col(st, 0, token, sizeof token) != 0) rc = SQLITE_TOOBIG;
		snprintf(others, sizeof others, "%s", sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	if (rc != SQLITE_ROW) goto db_error;
	if (!(trust & SRV_DB_TRUST_HELD) || !others[0]) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "the receipt code of request %s is not held: there is nothing to release", request_id);
	}
	snprintf(note, sizeof note, "receipt code released to request %.39s by %.60s", request_id, actor);
	{
		srv_sqlite_param q[] = { SQ_I(":held", SRV_DB_TRUST_HELD), SQ_I(":chosen", SRV_DB_TRUST_CHOSEN),
			SQ_I(":not_chosen", SRV_DB_TRUST_NOT_CHOSEN), SQ_T(":note", note), SQ_T(":token", token),
			SQ_T(":id", request_id) };
		if (run(d, SQ_CODE_RELEASE_OTHERS, q, SQ_NPARAMS(q)) != 0) goto db_error;
		snprintf(note, sizeof note, "receipt code held, then released to this request by %.60s", actor);
		if (run(d, SQ_CODE_RELEASE_CHOSEN, q, SQ_NPARAMS(q)) != 0) goto db_error;
	}
	snprintf(detail, sizeof detail, "%s (set aside: %.150s)", reason, others);
	if (audit(d, now, actor, "release_code", request_id, detail) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto db_error;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "releasing the receipt code");
	srv_sqlite_rollback(d);
	return -1;
}
