/* srv_work_sqlite: the SQLite backend of the officials' work (srv_work.h,
 * and srv_be_act, srv_be_record_status of srv_backend.h).
 *
 * Statements are the backend's table (srv_sqlite.c), values bound by name.
 * The inbox is srv_inbox_sqlite.c's. Each operation is one transaction:
 * IMMEDIATE when it writes, a read transaction when it reads. */
#include "srv_sqlite.h"
#include "status.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OVERDUE_SQL STATUS_OVERDUE_SQL(":today")

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

/* The statement q with the parameters it names bound; NULL on error. */
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

static void vn_today(long long now, char out[11])
{
	cal_date_format(vntime_date(now), out);
}

/* ---- one request ---- */

static int read_item(sqlite3_stmt *st, work_item *it)
{
	int bad;
	memset(it, 0, sizeof *it);
	bad = sqlx_copy_col(st, 0, it->id, sizeof it->id);
	bad |= sqlx_copy_col(st, 1, it->token, sizeof it->token);
	bad |= sqlx_copy_col(st, 2, it->commune, sizeof it->commune);
	bad |= sqlx_copy_col(st, 3, it->category, sizeof it->category);
	bad |= sqlx_copy_col(st, 4, it->procedure, sizeof it->procedure);
	it->received_at = sqlite3_column_int64(st, 5);
	it->accepted_at = sqlite3_column_int64(st, 6);
	it->closed_at = sqlite3_column_int64(st, 7);
	bad |= sqlx_copy_col(st, 8, it->due, sizeof it->due);
	bad |= sqlx_copy_col(st, 9, it->status, sizeof it->status);
	it->updated_at = sqlite3_column_int64(st, 10);
	it->overdue = sqlite3_column_int(st, 11);
	it->complexity = sqlite3_column_int(st, 12);
	it->extensions = sqlite3_column_int(st, 13);
	it->apologies = sqlite3_column_int(st, 14);
	bad |= sqlx_copy_col(st, 15, it->forwarded_to, sizeof it->forwarded_to);
	it->conference_id = sqlite3_column_int64(st, 16);
	it->trust = sqlite3_column_int(st, 17);
	bad |= sqlx_copy_col(st, 18, it->trust_note, sizeof it->trust_note);
	bad |= sqlx_copy_col(st, 19, it->assignee, sizeof it->assignee);
	bad |= sqlx_copy_col(st, 20, it->dossier, sizeof it->dossier);
	bad |= sqlx_copy_col(st, 21, it->appointment, sizeof it->appointment);
	return bad ? -1 : 0;
}

static int get_by(srv_db *d, srv_sqlite_q q, const char *key, const char *today, work_item *out)
{
	srv_sqlite_param p[] = { SQ_T(":key", key), SQ_T(":today", today) };
	sqlite3_stmt *st = bound(d, q, p, SQ_NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_item(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_work_get(srv_db *d, const char *id_or_token, long long now, work_item *out)
{
	SRV_PG_ROUTE(d, srv_pg_work_get(d, id_or_token, now, out));
	char token[TOKEN_LEN + 1], today[11];
	int rc;
	vn_today(now, today);
	rc = get_by(d, SQ_ITEM_BY_ID, id_or_token, today, out);
	if (rc != 0) return rc;
	if (token_parse(id_or_token, token) != TOKEN_OK) return 0;
	return get_by(d, SQ_ITEM_BY_TOKEN, token, today, out);
}

int srv_sqlite_read_item(sqlite3_stmt *st, work_item *it)
{
	return read_item(st, it);
}

/* ---- acting on a request ---- */

int srv_be_state_get(srv_db *d, const char *request_id, const char *today, srv_be_state *s)
{
	SRV_PG_ROUTE(d, srv_pg_be_state_get(d, request_id, today, s));
	srv_sqlite_param p[] = { SQ_T(":key", request_id) };
	sqlite3_stmt *st;
	int rc = get_by(d, SQ_ITEM_BY_ID, request_id, today, &s->it);
	if (rc != 1) return rc;
	if (!(st = bound(d, SQ_STATE, p, SQ_NPARAMS(p)))) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlx_copy_col(st, 0, s->kiosk, sizeof s->kiosk) != 0 ||
		    sqlx_copy_col(st, 1, s->appointment, sizeof s->appointment) != 0)
			rc = SQLITE_TOOBIG;
		s->remote = sqlite3_column_int(st, 2);
		s->supplements = sqlite3_column_int(st, 3);
		s->letter_at = sqlite3_column_int64(st, 4);
		s->notified_at = sqlite3_column_int64(st, 5);
		s->suspended_at = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : -1;
}

static int write_audit(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail)
{
	srv_sqlite_param p[] = { SQ_I(":at", now), SQ_T(":actor", actor), SQ_T(":action", action),
		SQ_T(":request", request_id), SQ_T(":detail", detail) };
	return run(d, SQ_AUDIT_ADD, p, SQ_NPARAMS(p));
}

static int write_action(srv_db *d, const srv_be_state *s, const srv_be_change *c, long long now,
	const char *today, const char *actor, const char *action, const char *note)
{
	const work_item *it = &s->it;
	srv_sqlite_param p[] = {
		SQ_T(":id", it->id), SQ_T(":kiosk", s->kiosk), SQ_I(":now", now), SQ_T(":status", c->status),
		SQ_T(":note", note), SQ_T(":deadline", c->deadline), SQ_T(":action", action), SQ_T(":due", it->due),
		SQ_I(":accepted", it->accepted_at), SQ_I(":closed", it->closed_at), SQ_T(":today", today),
		SQ_I(":complexity", it->complexity), SQ_I(":extensions", it->extensions),
		SQ_I(":apologies", it->apologies), SQ_T(":appointment", s->appointment),
		SQ_T(":office", it->forwarded_to), SQ_T(":dossier", it->dossier),
	};
	if (run(d, SQ_EVENT_ACTION, p, SQ_NPARAMS(p)) != 0 || run(d, SQ_REQUEST_ACTION, p, SQ_NPARAMS(p)) != 0)
		return -1;
	if (c->sms[0]) {
		/* In the same transaction: a message the law calls for is never
		 * lost between the action and its sending. */
		srv_sqlite_param q[] = { SQ_T(":id", it->id), SQ_T(":sms", c->sms), SQ_T(":smsdate", c->sms_date),
			SQ_I(":now", now) };
		if (run(d, SQ_SMS_ENQUEUE, q, SQ_NPARAMS(q)) != 0) return -1;
	}
	return write_audit(d, now, actor, action, it->id, c->detail);
}

int srv_be_act(srv_db *d, const char *request_id, long long now, const char *today, const char *actor,
	const char *action, const char *note, srv_be_decide decide, void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_act(d, request_id, now, today, actor, action, note, decide, arg, err, errlen));
	srv_be_state s;
	srv_be_change c;
	int rc;
	memset(&s, 0, sizeof s);
	memset(&c, 0, sizeof c);
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "starting the action");
	rc = srv_be_state_get(d, request_id, today, &s);
	if (rc < 0) {
		srv_sqlite_fail(d, err, errlen, "reading the request");
		srv_sqlite_rollback(d);
		return -1;
	}
	if (rc == 0) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	if (decide(&s, arg, &c, err, errlen) != 0) {
		srv_sqlite_rollback(d);
		return 1;
	}
	if (write_action(d, &s, &c, now, today, actor, action, note) != 0 ||
	    srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE) {
		srv_sqlite_fail(d, err, errlen, "saving the action");
		srv_sqlite_rollback(d);
		return -1;
	}
	return 0;
}

int srv_be_last_event(srv_db *d, const char *request_id, long long *event_id)
{
	SRV_PG_ROUTE(d, srv_pg_be_last_event(d, request_id, event_id));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_LAST_EVENT);
	int rc;
	*event_id = 0;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) *event_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int srv_be_record_status(srv_db *d, const char *request_id, const char *status, const char *note,
	long long now, const char *actor, const char *detail, long long *event_id, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_record_status(d, request_id, status, note, now, actor, detail, event_id, err, errlen));
	sqlite3_stmt *st;
	long long id;
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "starting the update");
	if (!(st = srv_sqlite_stmt(d, SQ_EVENT_STAFF))) goto db_error;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, request_id, -1, SQLITE_STATIC);
	if (srv_sqlite_step_done(st) != SQLITE_DONE) goto db_error;
	if (sqlite3_changes(d->sql) != 1) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	id = sqlite3_last_insert_rowid(d->sql);
	if (!(st = srv_sqlite_stmt(d, SQ_REQUEST_STATUS))) goto db_error;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, request_id, -1, SQLITE_STATIC);
	if (srv_sqlite_step_done(st) != SQLITE_DONE) goto db_error;
	if (sqlite3_changes(d->sql) != 1) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "request %s is closed: its status cannot change", request_id);
	}
	if (write_audit(d, now, actor, "update", request_id, detail) != 0 ||
	    srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto db_error;
	*event_id = id;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "updating the request");
	srv_sqlite_rollback(d);
	return -1;
}

/* ---- identity ---- */

static int text_ok(const char *s, size_t max)
{
	return s && s[0] && strlen(s) < max && utf8_valid(s, strlen(s));
}

int srv_work_identity(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, unsigned char **sealed, size_t *sealed_len, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_identity(d, request_id, actor, role, reason, now, sealed, sealed_len, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":id", request_id) };
	sqlite3_stmt *st;
	int rc, supervisor = role && strcmp(role, "supervisor") == 0, has_reason = text_ok(reason, 512);
	char category[32], detail[600];
	*sealed = NULL;
	*sealed_len = 0;
	if (!supervisor && !(role && strcmp(role, "officer") == 0)) return say(err, errlen, "unknown role");
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "starting to open the identity");
	if (!(st = bound(d, SQ_IDENTITY, p, SQ_NPARAMS(p)))) goto db_error;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) goto db_error;
		srv_sqlite_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	if (sqlx_copy_col(st, 0, category, sizeof category) != 0) {
		sqlite3_reset(st);
		goto db_error;
	}
	/* A denouncer's identity is secret (Law on Denunciation 2018, Art. 9):
	 * a supervisor alone may open it, for a reason that is kept. */
	if (strcmp(category, "denunciation") == 0 && (!supervisor || !has_reason)) {
		sqlite3_reset(st);
		/* The refusal is kept: someone tried to learn a denouncer's name. */
		snprintf(detail, sizeof detail, "denunciation (%s): %s", role, supervisor ? "no reason given"
			: "not a supervisor");
		if (write_audit(d, now, actor, "identity_refused", request_id, detail) != 0 ||
		    srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
			goto db_error;
		return say(err, errlen, supervisor ? "give the reason for opening a denouncer's identity: it is recorded"
			: "a denouncer's identity is secret: only a supervisor may open it, giving a reason");
	}
	*sealed_len = (size_t)sqlite3_column_bytes(st, 1);
	if (!(*sealed = malloc(*sealed_len ? *sealed_len : 1))) {
		sqlite3_reset(st);
		srv_sqlite_rollback(d);
		*sealed_len = 0;
		snprintf(err, errlen, "opening the identity: out of memory");
		return -1;
	}
	if (*sealed_len) memcpy(*sealed, sqlite3_column_blob(st, 1), *sealed_len);
	sqlite3_reset(st);
	snprintf(detail, sizeof detail, "%s (%s)%s%s", category, role, has_reason ? ": " : "", has_reason ? reason : "");
	if (write_audit(d, now, actor, "identity", request_id, detail) != 0 ||
	    srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE) {
		free(*sealed);
		*sealed = NULL;
		*sealed_len = 0;
		goto db_error;
	}
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "opening the identity");
	srv_sqlite_rollback(d);
	return -1;
}

/* ---- audit ---- */

int srv_work_audit_add(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_audit_add(d, now, actor, action, request_id, detail, err, errlen));
	if (write_audit(d, now, actor, action, request_id, detail) != 0)
		return srv_sqlite_fail(d, err, errlen, "writing the audit log");
	return 0;
}

static int read_audit(sqlite3_stmt *st, work_audit *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->at = sqlite3_column_int64(st, 1);
	return sqlx_copy_col(st, 2, a->actor, sizeof a->actor) | sqlx_copy_col(st, 3, a->action, sizeof a->action) |
		sqlx_copy_col(st, 4, a->request_id, sizeof a->request_id) | sqlx_copy_col(st, 5, a->detail, sizeof a->detail);
}

int srv_work_audit_page(srv_db *d, const work_audit_query *q, int (*each)(const work_audit *a, void *arg),
	void *arg, long long *next, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_audit_page(d, q, each, arg, next, err, errlen));
	int limit = q->limit <= 0 ? 50 : q->limit > WORK_AUDIT_PAGE_MAX ? WORK_AUDIT_PAGE_MAX : q->limit, rows = 0;
	srv_sqlite_param p[] = {
		SQ_I(":before", q->before > 0 ? q->before : 0), SQ_T(":action", q->action), SQ_T(":actor", q->actor),
		SQ_T(":request", q->request_id), SQ_T(":exclude", q->exclude_action), SQ_I(":limit", limit),
	};
	sqlite3_stmt *st = bound(d, SQ_AUDIT_PAGE, p, SQ_NPARAMS(p));
	work_audit a;
	int rc;
	*next = 0;
	if (!st) return srv_sqlite_fail(d, err, errlen, "reading the audit log");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_audit(st, &a) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		/* A full page may have more after it: its last row is the cursor. */
		if (++rows == limit) *next = a.id;
		if (each(&a, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "reading the audit log");
}

int srv_work_audit_open(srv_db *d, long long now, const char *request_id, const char *who, const char *why,
	char *err, size_t errlen)
{
	return srv_work_audit_add(d, now, who, "open", request_id, why ? why : "", err, errlen);
}

int srv_work_audit_refused(srv_db *d, long long now, const char *request_id, const char *who, const char *what,
	char *err, size_t errlen)
{
	return srv_work_audit_add(d, now, who, "refused", request_id, what ? what : "", err, errlen);
}

/* ---- officers' communes ---- */

static int is_commune_code(const char *s);

int srv_work_scope_set(srv_db *d, const char *name, const char *const *communes, int n, const char *actor,
	long long now, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_scope_set(d, name, communes, n, actor, now, err, errlen));
	char hash[256], role[16], detail[512];
	int disabled, i, found;
	size_t len = 0;
	for (i = 0; i < n; i++)
		if (!is_commune_code(communes[i]))
			return say(err, errlen, "%.40s: a commune code is 5 digits, e.g. 27280", communes[i]);
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "saving the officer's communes");
	found = srv_be_user_get(d, name, hash, sizeof hash, role, &disabled);
	if (found < 0) goto db_error;
	if (found == 0) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "no account %.64s (see `user list`)", name);
	}
	{
		srv_sqlite_param p[] = { SQ_T(":name", name) };
		if (run(d, SQ_SCOPE_CLEAR, p, SQ_NPARAMS(p)) != 0) goto db_error;
	}
	len = (size_t)snprintf(detail, sizeof detail, "communes of %.64s:", name);
	for (i = 0; i < n; i++) {
		srv_sqlite_param p[] = { SQ_T(":name", name), SQ_T(":commune", communes[i]) };
		if (run(d, SQ_SCOPE_ADD, p, SQ_NPARAMS(p)) != 0) goto db_error;
		if (len + 8 < sizeof detail) len += (size_t)snprintf(detail + len, sizeof detail - len, " %s", communes[i]);
	}
	if (n == 0) snprintf(detail + len, sizeof detail - len, " none");
	if (write_audit(d, now, actor, "scope", "", detail) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto db_error;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "saving the officer's communes");
	srv_sqlite_rollback(d);
	return -1;
}

int srv_work_scope_list(srv_db *d, const char *name, int (*each)(const char *commune, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_scope_list(d, name, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":name", name) };
	sqlite3_stmt *st = bound(d, SQ_SCOPE_LIST, p, SQ_NPARAMS(p));
	char code[8];
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "reading the officer's communes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlx_copy_col(st, 0, code, sizeof code) != 0) { rc = SQLITE_TOOBIG; break; }
		if (each(code, arg) != 0) { rc = SQLITE_DONE; break; }
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "reading the officer's communes");
}

int srv_work_may_see(srv_db *d, const char *name, const char *role, const char *commune)
{
	SRV_PG_ROUTE(d, srv_pg_work_may_see(d, name, role, commune));
	srv_sqlite_param p[] = { SQ_T(":name", name), SQ_T(":commune", commune) };
	sqlite3_stmt *st;
	int rc;
	if (role && strcmp(role, "supervisor") == 0) return 1;
	if (!(st = bound(d, SQ_SCOPE_HAS, p, SQ_NPARAMS(p)))) return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- communes ---- */

static int is_commune_code(const char *s)
{
	int i;
	for (i = 0; i < 5; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return s[5] == '\0';
}

int srv_work_commune_set(srv_db *d, const work_commune *c, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_commune_set(d, c, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":code", c->code), SQ_T(":name", c->name), SQ_I(":remote", c->remote != 0) };
	if (!is_commune_code(c->code)) return say(err, errlen, "a commune code is 5 digits, e.g. 27280");
	if (!utf8_valid(c->name, strnlen(c->name, sizeof c->name)) || strnlen(c->name, sizeof c->name) == sizeof c->name)
		return say(err, errlen, "the commune's name must be UTF-8 text of at most %zu bytes", sizeof c->name - 1);
	return run(d, SQ_COMMUNE_SET, p, SQ_NPARAMS(p)) == 0 ? 0 : srv_sqlite_fail(d, err, errlen, "saving the commune");
}

static int read_commune(sqlite3_stmt *st, work_commune *c)
{
	memset(c, 0, sizeof *c);
	c->remote = sqlite3_column_int(st, 2);
	return sqlx_copy_col(st, 0, c->code, sizeof c->code) | sqlx_copy_col(st, 1, c->name, sizeof c->name);
}

int srv_work_communes(srv_db *d, int (*each)(const work_commune *c, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_communes(d, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_COMMUNES);
	work_commune c;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "listing communes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_commune(st, &c) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		if (each(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "listing communes");
}

int srv_work_commune_get(srv_db *d, const char *code, work_commune *out)
{
	SRV_PG_ROUTE(d, srv_pg_work_commune_get(d, code, out));
	srv_sqlite_param p[] = { SQ_T(":code", code) };
	sqlite3_stmt *st = bound(d, SQ_COMMUNE_GET, p, SQ_NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_commune(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- conferences ---- */

static int read_conference(sqlite3_stmt *st, work_conference *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->at = sqlite3_column_int64(st, 2);
	c->questions = sqlite3_column_int64(st, 6);
	c->cancelled_at = sqlite3_column_int64(st, 7);
	return sqlx_copy_col(st, 1, c->commune, sizeof c->commune) | sqlx_copy_col(st, 3, c->place, sizeof c->place) |
		sqlx_copy_col(st, 4, c->leaders, sizeof c->leaders) | sqlx_copy_col(st, 5, c->topic, sizeof c->topic) |
		sqlx_copy_col(st, 8, c->cancelled_by, sizeof c->cancelled_by) |
		sqlx_copy_col(st, 9, c->cancel_reason, sizeof c->cancel_reason);
}

static int check_conference(const work_conference *c, char *err, size_t errlen)
{
	if (!is_commune_code(c->commune)) return say(err, errlen, "a commune code is 5 digits, e.g. 27280");
	if (c->at <= 0) return say(err, errlen, "give the conference's date and time");
	if (!text_ok(c->place, sizeof c->place)) return say(err, errlen, "give the conference's place");
	if (!text_ok(c->topic, sizeof c->topic)) return say(err, errlen, "give the conference's topic");
	if (c->leaders[0] && !text_ok(c->leaders, sizeof c->leaders))
		return say(err, errlen, "the leaders attending must be UTF-8 text of at most %zu bytes", sizeof c->leaders - 1);
	return 0;
}

int srv_work_conference_save(srv_db *d, work_conference *c, const char *actor, long long now,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_conference_save(d, c, actor, now, err, errlen));
	char detail[64];
	if (check_conference(c, err, errlen) != 0) return 1;
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "saving the conference");
	{
		srv_sqlite_param p[] = { SQ_T(":commune", c->commune), SQ_I(":at", c->at), SQ_T(":place", c->place),
			SQ_T(":leaders", c->leaders), SQ_T(":topic", c->topic), SQ_I(":now", now), SQ_I(":id", c->id) };
		if (run(d, c->id ? SQ_CONFERENCE_UPDATE : SQ_CONFERENCE_INSERT, p, SQ_NPARAMS(p)) != 0) goto db_error;
		if (c->id && sqlite3_changes(d->sql) != 1) {
			srv_sqlite_rollback(d);
			return say(err, errlen, "no conference %lld on this server, or it was cancelled", c->id);
		}
		if (!c->id) c->id = sqlite3_last_insert_rowid(d->sql);
	}
	{
		srv_sqlite_param p[] = { SQ_I(":id", c->id), SQ_T(":commune", c->commune), SQ_I(":at", c->at) };
		if (run(d, SQ_CONFERENCE_ATTACH, p, SQ_NPARAMS(p)) != 0) goto db_error;
	}
	{
		srv_sqlite_param p[] = { SQ_I(":id", c->id), SQ_I(":now", now), SQ_T(":place", c->place) };
		if (run(d, SQ_CONFERENCE_EVENTS, p, SQ_NPARAMS(p)) != 0) goto db_error;
	}
	snprintf(detail, sizeof detail, "conference %lld, commune %s", c->id, c->commune);
	if (write_audit(d, now, actor, "conference", "", detail) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto db_error;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "saving the conference");
	srv_sqlite_rollback(d);
	return -1;
}

int srv_be_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, long long now,
	const char *detail, long long *moved, long long *next, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_conference_cancel(d, id, reason, actor, now, detail, moved, next, err, errlen));
	srv_sqlite_param p[] = { SQ_I(":id", id), SQ_I(":now", now), SQ_T(":actor", actor), SQ_T(":reason", reason) };
	char full[800];
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "cancelling the conference");
	if (run(d, SQ_CONFERENCE_CANCEL, p, SQ_NPARAMS(p)) != 0) goto db_error;
	if (sqlite3_changes(d->sql) != 1) {
		srv_sqlite_rollback(d);
		return say(err, errlen, "conference %lld is unknown, already cancelled or already begun: nothing was changed",
			id);
	}
	if (run(d, SQ_CONFERENCE_CANCEL_EVENTS, p, SQ_NPARAMS(p)) != 0 || run(d, SQ_CONFERENCE_CANCEL_MOVE, p, SQ_NPARAMS(p)) != 0)
		goto db_error;
	*moved = sqlite3_changes(d->sql);
	{
		sqlite3_stmt *st = bound(d, SQ_CONFERENCE_NEXT, p, SQ_NPARAMS(p));
		int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
		*next = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		if (st) sqlite3_reset(st);
		if (rc != SQLITE_ROW) goto db_error;
	}
	srv_work_cancel_detail(full, sizeof full, detail, *moved, *next);
	if (write_audit(d, now, actor, "conference_cancel", "", full) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto db_error;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "cancelling the conference");
	srv_sqlite_rollback(d);
	return -1;
}

int srv_work_conferences(srv_db *d, const char *commune, long long from,
	int (*each)(const work_conference *c, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_conferences(d, commune, from, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":commune", commune), SQ_I(":from", from) };
	sqlite3_stmt *st = bound(d, SQ_CONFERENCES, p, SQ_NPARAMS(p));
	work_conference c;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "listing conferences");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_conference(st, &c) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		if (each(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "listing conferences");
}

int srv_work_conference_get(srv_db *d, long long id, work_conference *out)
{
	SRV_PG_ROUTE(d, srv_pg_work_conference_get(d, id, out));
	srv_sqlite_param p[] = { SQ_I(":id", id) };
	sqlite3_stmt *st = bound(d, SQ_CONFERENCE_GET, p, SQ_NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_conference(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
