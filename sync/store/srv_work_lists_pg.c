/* srv_work_lists_pg: the PostgreSQL backend of the officials' lists
 * (srv_work.h): the audit log, the communes an officer works on, the
 * communes and the dialogue conferences, and a held receipt code released. Writes of two tables are one
 * transaction; the rest are one statement each. */
#include "srv_pg_int.h"
#include "srv_backend.h"
#include "status.h"
#include "utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

static int is_commune_code(const char *s)
{
	int i;
	for (i = 0; i < 5; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return s[5] == '\0';
}

/* ---- audit ---- */

int srv_pg_work_audit_add(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail, char *err, size_t errlen)
{
	if (srv_pg_write_audit(d, now, actor, action, request_id, detail) != 0)
		return srv_pg_fail(d, err, errlen, "writing the audit log");
	return 0;
}

int srv_pg_work_audit_page(srv_db *d, const work_audit_query *q, int (*each)(const work_audit *a, void *arg),
	void *arg, long long *next, char *err, size_t errlen)
{
	int limit = q->limit <= 0 ? 50 : q->limit > WORK_AUDIT_PAGE_MAX ? WORK_AUDIT_PAGE_MAX : q->limit, i;
	pg_args a = { 0 };
	PGresult *r;
	work_audit w;
	*next = 0;
	pa_i(&a, q->before > 0 ? q->before : 0);
	pa_t(&a, q->action);
	pa_t(&a, q->actor);
	pa_t(&a, q->request_id);
	pa_t(&a, q->exclude_action);
	pa_i(&a, limit);
	/* A page of the log, newest first, before the cursor $1 (0: from the
	 * newest); every filter '' when not given. */
	r = srv_pg_q(d, SP_AUDIT_PAGE, "SELECT id, at, actor, action, request_id, detail FROM audit"
		" WHERE ($1::bigint = 0 OR id < $1) AND ($2::text = '' OR action = $2) AND ($3::text = '' OR actor = $3)"
		" AND ($4::text = '' OR request_id = $4) AND ($5::text = '' OR action <> $5)"
		" ORDER BY id DESC LIMIT $6::integer", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "reading the audit log");
	for (i = 0; i < PQntuples(r); i++) {
		memset(&w, 0, sizeof w);
		w.id = srv_pg_ll(r, i, 0);
		w.at = srv_pg_ll(r, i, 1);
		if (srv_pg_copy(r, i, 2, w.actor, sizeof w.actor) | srv_pg_copy(r, i, 3, w.action, sizeof w.action) |
		    srv_pg_copy(r, i, 4, w.request_id, sizeof w.request_id) | srv_pg_copy(r, i, 5, w.detail, sizeof w.detail)) {
			PQclear(r);
			snprintf(err, errlen, "reading the audit log: a stored value is longer than its field");
			return -1;
		}
		/* A full page may have more after it: its last row is the cursor. */
		if (i + 1 == limit) *next = w.id;
		if (each(&w, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

/* ---- a held receipt code released ---- */

int srv_pg_work_release_code(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	char token[16], others[400], note[160], detail[512];
	int trust;
	/* Which request is the citizen's is a supervisor's decision, the
	 * reason kept (srv_work.h). */
	if (!role || strcmp(role, "supervisor") != 0)
		return say(err, errlen, "only a supervisor may release a held receipt code");
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (!text_ok(reason, 300)) return say(err, errlen, "give the reason for choosing this claimant (under 300 bytes): it is recorded");
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "releasing the receipt code");
	pa_t(&a, request_id);
	/* The claimants' rows locked: two supervisors choosing at once, on any
	 * process, decide one after the other. */
	r = srv_pg_q(d, SP_CODE_CLAIM, "SELECT r.token, r.trust, coalesce((SELECT string_agg(o.id, ', ' ORDER BY o.id)"
		" FROM request o WHERE o.token = r.token AND o.id <> r.id), '') FROM request r WHERE r.id = $1::text"
		" FOR UPDATE", &a);
	if (!r) goto db_error;
	if (PQntuples(r) == 0) {
		PQclear(r);
		srv_pg_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	trust = (int)srv_pg_ll(r, 0, 1);
	if (srv_pg_copy(r, 0, 0, token, sizeof token) != 0) {
		PQclear(r);
		goto db_error;
	}
	snprintf(others, sizeof others, "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	if (!(trust & SRV_DB_TRUST_HELD) || !others[0]) {
		srv_pg_rollback(d);
		return say(err, errlen, "the receipt code of request %s is not held: there is nothing to release", request_id);
	}
	snprintf(note, sizeof note, "receipt code released to request %.39s by %.60s", request_id, actor);
	memset(&a, 0, sizeof a);
	pa_i(&a, SRV_DB_TRUST_HELD | SRV_DB_TRUST_CHOSEN);
	pa_i(&a, SRV_DB_TRUST_NOT_CHOSEN);
	pa_t(&a, note);
	pa_t(&a, token);
	pa_t(&a, request_id);
	if (srv_pg_cmd(d, SP_CODE_RELEASE_OTHERS, "UPDATE request SET trust = (trust & ~$1::integer) | $2::integer,"
			" trust_note = $3::text WHERE token = $4::text AND id <> $5::text", &a) < 0)
		goto db_error;
	snprintf(note, sizeof note, "receipt code held, then released to this request by %.60s", actor);
	memset(&a, 0, sizeof a);
	pa_i(&a, SRV_DB_TRUST_HELD | SRV_DB_TRUST_NOT_CHOSEN);
	pa_i(&a, SRV_DB_TRUST_CHOSEN);
	pa_t(&a, note);
	pa_t(&a, request_id);
	if (srv_pg_cmd(d, SP_CODE_RELEASE_CHOSEN, "UPDATE request SET trust = (trust & ~$1::integer) | $2::integer,"
			" trust_note = $3::text WHERE id = $4::text", &a) < 0)
		goto db_error;
	snprintf(detail, sizeof detail, "%s (set aside: %.150s)", reason, others);
	if (srv_pg_write_audit(d, now, actor, "release_code", request_id, detail) != 0 || srv_pg_exec(d, "COMMIT") != 0)
		goto db_error;
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "releasing the receipt code");
	srv_pg_rollback(d);
	return -1;
}

/* ---- officers' communes ---- */

int srv_pg_work_scope_set(srv_db *d, const char *name, const char *const *communes, int n, const char *actor,
	long long now, char *err, size_t errlen)
{
	char hash[256], role[16], detail[512];
	int disabled, i, found;
	size_t len;
	pg_args a = { 0 };
	for (i = 0; i < n; i++)
		if (!is_commune_code(communes[i]))
			return say(err, errlen, "%.40s: a commune code is 5 digits, e.g. 27280", communes[i]);
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "saving the officer's communes");
	found = srv_pg_be_user_get(d, name, hash, sizeof hash, role, &disabled);
	if (found < 0) goto db_error;
	if (found == 0) {
		srv_pg_rollback(d);
		return say(err, errlen, "no account %.64s (see `user list`)", name);
	}
	pa_t(&a, name);
	if (srv_pg_cmd(d, SP_SCOPE_CLEAR, "DELETE FROM officer_commune WHERE name = $1::text", &a) < 0) goto db_error;
	len = (size_t)snprintf(detail, sizeof detail, "communes of %.64s:", name);
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof a);
		pa_t(&a, name);
		pa_t(&a, communes[i]);
		if (srv_pg_cmd(d, SP_SCOPE_ADD, "INSERT INTO officer_commune(name, commune) VALUES($1::text, $2::text)"
				" ON CONFLICT DO NOTHING", &a) < 0)
			goto db_error;
		if (len + 8 < sizeof detail) len += (size_t)snprintf(detail + len, sizeof detail - len, " %s", communes[i]);
	}
	if (n == 0) snprintf(detail + len, sizeof detail - len, " none");
	if (srv_pg_write_audit(d, now, actor, "scope", "", detail) != 0 || srv_pg_exec(d, "COMMIT") != 0) goto db_error;
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "saving the officer's communes");
	srv_pg_rollback(d);
	return -1;
}

int srv_pg_work_scope_list(srv_db *d, const char *name, int (*each)(const char *commune, void *arg), void *arg,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	char code[8];
	int i;
	pa_t(&a, name);
	r = srv_pg_q(d, SP_SCOPE_LIST, "SELECT commune FROM officer_commune WHERE name = $1::text ORDER BY commune", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "reading the officer's communes");
	for (i = 0; i < PQntuples(r); i++) {
		if (srv_pg_copy(r, i, 0, code, sizeof code) != 0) {
			PQclear(r);
			snprintf(err, errlen, "reading the officer's communes: a stored code is too long");
			return -1;
		}
		if (each(code, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_work_may_see(srv_db *d, const char *name, const char *role, const char *commune)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	if (role && strcmp(role, "supervisor") == 0) return 1;
	pa_t(&a, name);
	pa_t(&a, commune);
	r = srv_pg_q(d, SP_SCOPE_HAS, "SELECT 1 FROM officer_commune WHERE name = $1::text AND commune = $2::text", &a);
	if (!r) return -1;
	rc = PQntuples(r) > 0;
	PQclear(r);
	return rc;
}

/* ---- communes ---- */

int srv_pg_work_commune_set(srv_db *d, const work_commune *c, char *err, size_t errlen)
{
	pg_args a = { 0 };
	if (!is_commune_code(c->code)) return say(err, errlen, "a commune code is 5 digits, e.g. 27280");
	if (!utf8_valid(c->name, strnlen(c->name, sizeof c->name)) || strnlen(c->name, sizeof c->name) == sizeof c->name)
		return say(err, errlen, "the commune's name must be UTF-8 text of at most %zu bytes", sizeof c->name - 1);
	pa_t(&a, c->code);
	pa_t(&a, c->name);
	pa_t(&a, c->remote ? "true" : "false");
	if (srv_pg_cmd(d, SP_COMMUNE_SET, "INSERT INTO commune(code, name, remote) VALUES($1::text, $2::text, $3::boolean)"
			" ON CONFLICT(code) DO UPDATE SET name = excluded.name, remote = excluded.remote", &a) < 0)
		return srv_pg_fail(d, err, errlen, "saving the commune");
	return 0;
}

static int read_commune(const PGresult *r, int row, work_commune *c)
{
	memset(c, 0, sizeof *c);
	c->remote = (int)srv_pg_ll(r, row, 2);
	return srv_pg_copy(r, row, 0, c->code, sizeof c->code) | srv_pg_copy(r, row, 1, c->name, sizeof c->name);
}

int srv_pg_work_communes(srv_db *d, int (*each)(const work_commune *c, void *arg), void *arg,
	char *err, size_t errlen)
{
	PGresult *r = srv_pg_q(d, SP_COMMUNES, "SELECT code, name, remote::int FROM commune UNION"
		" SELECT DISTINCT substr(id, 1, 5), '', 0 FROM kiosk WHERE substr(id, 1, 5) NOT IN (SELECT code FROM commune)"
		" ORDER BY 1", NULL);
	work_commune c;
	int i;
	if (!r) return srv_pg_fail(d, err, errlen, "listing communes");
	for (i = 0; i < PQntuples(r); i++) {
		if (read_commune(r, i, &c) != 0) {
			PQclear(r);
			snprintf(err, errlen, "listing communes: a stored value is longer than its field");
			return -1;
		}
		if (each(&c, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_work_commune_get(srv_db *d, const char *code, work_commune *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, code);
	if (!(r = srv_pg_q(d, SP_COMMUNE_GET, "SELECT code, name, remote::int FROM commune WHERE code = $1::text", &a)))
		return -1;
	rc = PQntuples(r) == 0 ? 0 : read_commune(r, 0, out) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}

/* ---- conferences ---- */

#define CONFERENCE_COLS "id, commune, at, place, leaders, topic," \
	" (SELECT count(*) FROM request WHERE conference_id = conference.id), cancelled_at, cancelled_by, cancel_reason"
/* The date a question's kiosk was last told, and its last status
 * (srv_sqlite.c, TOLD_DUE_SQL and LAST_STATUS_SQL). */
#define TOLD_DUE "coalesce((SELECT e.deadline FROM event e WHERE e.request_id = request.id" \
	" AND (e.deadline <> '' OR e.action = 'conference') ORDER BY e.id DESC LIMIT 1), deadline)"
#define LAST_STATUS "coalesce((SELECT e.status FROM event e WHERE e.request_id = request.id" \
	" ORDER BY e.id DESC LIMIT 1), status)"
/* The commune's next standing conference not started at $2 (col of it). */
#define NEXT_STANDING(col) "(SELECT " col " FROM conference c WHERE c.commune = request.commune" \
	" AND c.cancelled_at = 0 AND c.at > $2::bigint ORDER BY c.at, c.id LIMIT 1)"
#define NEXT_STANDING_DAY "coalesce(" NEXT_STANDING(PG_DAY("c.at")) ", '')"

static int read_conference(const PGresult *r, int row, work_conference *c)
{
	memset(c, 0, sizeof *c);
	c->id = srv_pg_ll(r, row, 0);
	c->at = srv_pg_ll(r, row, 2);
	c->questions = srv_pg_ll(r, row, 6);
	c->cancelled_at = srv_pg_ll(r, row, 7);
	return srv_pg_copy(r, row, 1, c->commune, sizeof c->commune) | srv_pg_copy(r, row, 3, c->place, sizeof c->place) |
		srv_pg_copy(r, row, 4, c->leaders, sizeof c->leaders) | srv_pg_copy(r, row, 5, c->topic, sizeof c->topic) |
		srv_pg_copy(r, row, 8, c->cancelled_by, sizeof c->cancelled_by) |
		srv_pg_copy(r, row, 9, c->cancel_reason, sizeof c->cancel_reason);
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

int srv_pg_work_conference_save(srv_db *d, work_conference *c, const char *actor, long long now,
	char *err, size_t errlen)
{
	char detail[64];
	pg_args a = { 0 };
	PGresult *r;
	int rows;
	if (check_conference(c, err, errlen) != 0) return 1;
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "saving the conference");
	pa_t(&a, c->commune);
	pa_i(&a, c->at);
	pa_t(&a, c->place);
	pa_t(&a, c->leaders);
	pa_t(&a, c->topic);
	pa_i(&a, now);
	if (c->id) {
		pa_i(&a, c->id);
		r = srv_pg_q(d, SP_CONFERENCE_UPDATE, "UPDATE conference SET commune = $1::text, at = $2::bigint,"
			" place = $3::text, leaders = $4::text, topic = $5::text, updated_at = $6::bigint WHERE id = $7::bigint"
			" AND cancelled_at = 0 RETURNING id", &a);
	} else {
		r = srv_pg_q(d, SP_CONFERENCE_INSERT, "INSERT INTO conference(commune, at, place, leaders, topic, created_at,"
			" updated_at) VALUES($1::text, $2::bigint, $3::text, $4::text, $5::text, $6::bigint, $6) RETURNING id", &a);
	}
	if (!r) goto db_error;
	rows = PQntuples(r);
	if (rows == 1) c->id = srv_pg_ll(r, 0, 0);
	PQclear(r);
	if (rows != 1) {
		srv_pg_rollback(d);
		return say(err, errlen, "no conference %lld on this server, or it was cancelled", c->id);
	}
	/* Open dialogue questions of the commune filed before it, not yet for
	 * any conference, are for this one. */
	memset(&a, 0, sizeof a);
	pa_i(&a, c->id);
	pa_t(&a, c->commune);
	pa_i(&a, c->at);
	if (srv_pg_cmd(d, SP_CONFERENCE_ATTACH, "UPDATE request SET conference_id = $1::bigint,"
			" due = " PG_DAY("$3::bigint")
			" WHERE commune = $2::text AND category = 'dialogue' AND closed_at IS NULL"
			" AND status NOT IN " STATUS_FINAL_SQL
			" AND ((conference_id IS NULL AND received_at < $3::bigint) OR conference_id = $1::bigint)", &a) < 0)
		goto db_error;
	/* The questions whose date changed are told so by an event the kiosk
	 * pulls (srv_sqlite.c, SQ_CONFERENCE_EVENTS). */
	memset(&a, 0, sizeof a);
	pa_i(&a, c->id);
	pa_i(&a, now);
	pa_t(&a, c->place);
	if (srv_pg_cmd(d, SP_CONFERENCE_EVENTS, "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
			" SELECT id, kiosk, $2::bigint, " LAST_STATUS ", $3::text, due, 'conference' FROM request"
			" WHERE conference_id = $1::bigint AND closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL
			" AND due <> " TOLD_DUE " ORDER BY id", &a) < 0)
		goto db_error;
	snprintf(detail, sizeof detail, "conference %lld, commune %s", c->id, c->commune);
	if (srv_pg_write_audit(d, now, actor, "conference", "", detail) != 0 || srv_pg_exec(d, "COMMIT") != 0)
		goto db_error;
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "saving the conference");
	srv_pg_rollback(d);
	return -1;
}

int srv_pg_be_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, long long now,
	const char *detail, long long *moved, long long *next, char *err, size_t errlen)
{
	char full[800];
	pg_args a = { 0 };
	PGresult *r;
	long long n;
	pa_i(&a, id);
	pa_i(&a, now);
	pa_t(&a, reason);
	pa_t(&a, actor);
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "cancelling the conference");
	/* refused (no row) for one cancelled or started (srv_sqlite.c, SQ_CONFERENCE_CANCEL) */
	n = srv_pg_cmd(d, SP_CONFERENCE_CANCEL, "UPDATE conference SET cancelled_at = $2::bigint, cancelled_by = $4::text,"
		" cancel_reason = $3::text, updated_at = $2::bigint WHERE id = $1::bigint AND cancelled_at = 0"
		" AND at > $2::bigint", &a);
	if (n < 0) goto db_error;
	if (n != 1) {
		srv_pg_rollback(d);
		return say(err, errlen, "conference %lld is unknown, already cancelled or already begun: nothing was changed",
			id);
	}
	a.n = 3;
	if (srv_pg_cmd(d, SP_CONFERENCE_CANCEL_EVENTS, "INSERT INTO event(request_id, kiosk, at, status, note, deadline,"
			" action) SELECT id, kiosk, $2::bigint, " LAST_STATUS ", $3::text, " NEXT_STANDING_DAY ", 'conference'"
			" FROM request WHERE conference_id = $1::bigint AND closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL
			" AND " NEXT_STANDING_DAY " <> " TOLD_DUE " ORDER BY id", &a) < 0)
		goto db_error;
	a.n = 2;
	if ((*moved = srv_pg_cmd(d, SP_CONFERENCE_CANCEL_MOVE, "UPDATE request SET conference_id = " NEXT_STANDING("c.id")
			", due = " NEXT_STANDING_DAY " WHERE conference_id = $1::bigint AND closed_at IS NULL"
			" AND status NOT IN " STATUS_FINAL_SQL, &a)) < 0)
		goto db_error;
	if (!(r = srv_pg_q(d, SP_CONFERENCE_NEXT, "SELECT coalesce((SELECT c.id FROM conference c, conference x"
			" WHERE x.id = $1::bigint AND c.commune = x.commune AND c.cancelled_at = 0 AND c.at > $2::bigint"
			" ORDER BY c.at, c.id LIMIT 1), 0)", &a)))
		goto db_error;
	*next = srv_pg_ll(r, 0, 0);
	PQclear(r);
	srv_work_cancel_detail(full, sizeof full, detail, *moved, *next);
	if (srv_pg_write_audit(d, now, actor, "conference_cancel", "", full) != 0 || srv_pg_exec(d, "COMMIT") != 0)
		goto db_error;
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "cancelling the conference");
	srv_pg_rollback(d);
	return -1;
}

int srv_pg_work_conferences(srv_db *d, const char *commune, long long from,
	int (*each)(const work_conference *c, void *arg), void *arg, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	work_conference c;
	int i;
	pa_t(&a, commune);
	pa_i(&a, from);
	r = srv_pg_q(d, SP_CONFERENCES, "SELECT " CONFERENCE_COLS " FROM conference WHERE ($1::text = '' OR commune = $1)"
		" AND at >= $2::bigint ORDER BY at, id", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "listing conferences");
	for (i = 0; i < PQntuples(r); i++) {
		if (read_conference(r, i, &c) != 0) {
			PQclear(r);
			snprintf(err, errlen, "listing conferences: a stored value is longer than its field");
			return -1;
		}
		if (each(&c, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_work_conference_get(srv_db *d, long long id, work_conference *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_i(&a, id);
	if (!(r = srv_pg_q(d, SP_CONFERENCE_GET, "SELECT " CONFERENCE_COLS " FROM conference WHERE id = $1::bigint", &a)))
		return -1;
	rc = PQntuples(r) == 0 ? 0 : read_conference(r, 0, out) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}
