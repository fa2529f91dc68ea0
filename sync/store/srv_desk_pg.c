/* srv_desk_pg: the PostgreSQL backend of an official's desk, twin of
 * srv_desk_sqlite.c: the search keys of requests, assigning a request, the
 * canned replies, the inbox row by row and the text-message queue
 * (the office's queue figures are srv_auth_pg.c's). The rules are srv_work.c's and srv_find.c's;
 * each statement is written here with its parameters' types. */
#include "srv_pg_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- search keys ---- */

int srv_pg_be_find_pending(srv_db *d, int limit,
	int (*each)(const char *id, const unsigned char *sealed, size_t len, void *arg), void *arg,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	int i, result = 0;
	pa_i(&a, limit);
	/* Read first, then handed out one by one: each may write. */
	if (!(r = srv_pg_q(d, SP_FIND_PENDING, "SELECT id, sealed FROM request WHERE find_state = 0 ORDER BY id"
			" LIMIT $1::bigint", &a)))
		return srv_pg_fail(d, err, errlen, "finding requests to index");
	for (i = 0; i < PQntuples(r) && result == 0; i++) {
		char id[40];
		size_t len = 0;
		unsigned char *sealed;
		if (srv_pg_copy(r, i, 0, id, sizeof id) != 0) continue;
		if (!(sealed = srv_pg_bytes(r, i, 1, &len))) {
			snprintf(err, errlen, "finding requests to index: out of memory");
			result = -1;
			break;
		}
		if (each(id, sealed, len, arg) != 0) result = -1;
		free(sealed);
	}
	PQclear(r);
	return result;
}

int srv_pg_be_find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen)
{
	int k, i;
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "indexing requests");
	for (k = 0; k < n; k++) {
		pg_args a = { 0 };
		pa_t(&a, rows[k].id);
		if (srv_pg_cmd(d, SP_FIND_CLEAR, "DELETE FROM find_key WHERE request_id = $1::text", &a) < 0) goto fail;
		/* A request's keys in one statement: the hashes as an array. */
		if (rows[k].n > 0) {
			size_t cap = (size_t)rows[k].n * (WORK_FIND_HASH + 1) + 3, used = 1;
			char *list = malloc(cap);
			long long rc;
			if (!list) goto fail;
			list[0] = '{';
			for (i = 0; i < rows[k].n; i++)
				used += (size_t)snprintf(list + used, cap - used, "%s%s", i ? "," : "", rows[k].hashes[i]);
			snprintf(list + used, cap - used, "}");
			memset(&a, 0, sizeof a);
			pa_t(&a, rows[k].id);
			pa_t(&a, list);
			rc = srv_pg_cmd(d, SP_FIND_ADD, "INSERT INTO find_key(hash, request_id)"
				" SELECT DISTINCT h, $1::text FROM unnest($2::text[]) AS h ON CONFLICT DO NOTHING", &a);
			free(list);
			if (rc < 0) goto fail;
		}
		memset(&a, 0, sizeof a);
		pa_t(&a, rows[k].id);
		pa_i(&a, rows[k].opened ? 1 : 2);
		pa_i(&a, rows[k].sms_ok ? 1 : 0);
		if (srv_pg_cmd(d, SP_FIND_DONE, "UPDATE request SET find_state = $2::integer, sms_ok = $3::integer <> 0"
				" WHERE id = $1::text", &a) < 0)
			goto fail;
	}
	if (srv_pg_exec(d, "COMMIT") != 0) goto fail;
	return 0;
fail:
	srv_pg_fail(d, err, errlen, "indexing requests");
	srv_pg_rollback(d);
	return -1;
}

/* ---- the inbox, row by row ---- */

/* The rows come one by one (libpq's single-row mode, srv_pg_inbox_stream)
 * inside a read snapshot held until the cursor is closed, so an export of
 * any length holds one row at a time; the connection serves nothing else
 * meanwhile. */
struct srv_pg_cursor {
	srv_db *d;
	PGresult *r;                 /* the row last read */
	int done;                    /* the end, or a failure, was read */
};

work_cursor *srv_pg_work_cursor_open(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen)
{
	struct srv_pg_cursor *c = calloc(1, sizeof *c);
	work_filter all = *f;
	work_cursor *w;
	if (!c) {
		snprintf(err, errlen, "reading the inbox: out of memory");
		return NULL;
	}
	all.offset = 0;
	all.limit = -1;
	if (srv_pg_exec(d, SRV_PG_BEGIN_SNAPSHOT) != 0) {
		srv_pg_fail(d, err, errlen, "reading the inbox");
		free(c);
		return NULL;
	}
	c->d = d;
	if (srv_pg_inbox_stream(d, &all, now, err, errlen) != 0) {
		srv_pg_rollback(d);
		free(c);
		return NULL;
	}
	if (!(w = srv_sqlite_cursor_of_pg(c, d))) {
		srv_pg_cursor_close(c);
		snprintf(err, errlen, "reading the inbox: out of memory");
		return NULL;
	}
	return w;
}

int srv_pg_cursor_next(struct srv_pg_cursor *c, work_item *out)
{
	PGconn *conn = c->d->pg->conn;
	PGresult *r;
	if (c->done) return 0;
	PQclear(c->r);
	c->r = NULL;
	r = PQgetResult(conn);
	if (r && PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
		c->r = r;
		return srv_pg_read_item(r, 0, out) == 0 ? 1 : -1;
	}
	c->done = 1;
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	PQclear(r);
	return -1;
}

void srv_pg_cursor_close(struct srv_pg_cursor *c)
{
	PGconn *conn;
	PGresult *r;
	if (!c) return;
	conn = c->d->pg->conn;
	PQclear(c->r);
	/* Closed before the end (the official left): the query is cancelled
	 * and what was still coming is read and dropped, so the connection is
	 * ready for the next operation. */
	if (!c->done) {
		PGcancel *cancel = PQgetCancel(conn);
		char why[256];
		if (cancel) {
			PQcancel(cancel, why, sizeof why);
			PQfreeCancel(cancel);
		}
	}
	while ((r = PQgetResult(conn))) PQclear(r);
	srv_pg_exec(c->d, "COMMIT");
	free(c);
}

/* ---- assigning ---- */

int srv_pg_be_assign(srv_db *d, const char *request_id, const char *officer, long long now, const char *actor,
	const char *detail, char *err, size_t errlen)
{
	pg_args a = { 0 };
	long long changed;
	pa_t(&a, request_id);
	pa_t(&a, officer);
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "assigning the request");
	changed = srv_pg_cmd(d, SP_ASSIGN, "UPDATE request SET assignee = $2::text WHERE id = $1::text"
		" AND closed_at IS NULL", &a);
	if (changed < 0) goto fail;
	if (changed != 1) {
		srv_pg_rollback(d);
		snprintf(err, errlen, "request %s is closed or unknown: it cannot be assigned", request_id);
		return 1;
	}
	if (srv_pg_write_audit(d, now, actor, "assign", request_id, detail) != 0 || srv_pg_exec(d, "COMMIT") != 0)
		goto fail;
	return 0;
fail:
	srv_pg_fail(d, err, errlen, "assigning the request");
	srv_pg_rollback(d);
	return -1;
}

/* ---- canned replies ---- */

#define REPLY_COLS "id, category, action, title, text, updated_at, updated_by"

static int read_reply(const PGresult *r, int row, work_reply *out)
{
	memset(out, 0, sizeof *out);
	out->id = srv_pg_ll(r, row, 0);
	out->updated_at = srv_pg_ll(r, row, 5);
	return srv_pg_copy(r, row, 1, out->category, sizeof out->category) |
		srv_pg_copy(r, row, 2, out->action, sizeof out->action) | srv_pg_copy(r, row, 3, out->title, sizeof out->title) |
		srv_pg_copy(r, row, 4, out->text, sizeof out->text) |
		srv_pg_copy(r, row, 6, out->updated_by, sizeof out->updated_by) ? -1 : 0;
}

int srv_pg_be_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen)
{
	int remove = !r->title[0] && !r->text[0];
	char detail[256];
	pg_args a = { 0 };
	PGresult *res;
	long long changed;
	pa_i(&a, r->id);
	pa_t(&a, r->category);
	pa_t(&a, r->action);
	pa_t(&a, r->title);
	pa_t(&a, r->text);
	pa_i(&a, now);
	pa_t(&a, actor);
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "saving the reply");
	if (r->id == 0) {
		if (!(res = srv_pg_q(d, SP_REPLY_INSERT, "INSERT INTO canned_reply(category, action, title, text, updated_at,"
				" updated_by) SELECT $2::text, $3::text, $4::text, $5::text, $6::bigint, $7::text"
				" WHERE $1::bigint = 0 RETURNING id", &a)))
			goto fail;
		r->id = PQntuples(res) == 1 ? srv_pg_ll(res, 0, 0) : 0;
		PQclear(res);
	} else {
		changed = remove ? srv_pg_cmd(d, SP_REPLY_DELETE, "DELETE FROM canned_reply WHERE id = $1::bigint"
				" AND $2::text IS NOT NULL AND $3::text IS NOT NULL AND $4::text IS NOT NULL"
				" AND $5::text IS NOT NULL AND $6::bigint IS NOT NULL AND $7::text IS NOT NULL", &a)
			: srv_pg_cmd(d, SP_REPLY_UPDATE, "UPDATE canned_reply SET category = $2::text, action = $3::text,"
				" title = $4::text, text = $5::text, updated_at = $6::bigint, updated_by = $7::text"
				" WHERE id = $1::bigint", &a);
		if (changed < 0) goto fail;
		if (changed != 1) {
			srv_pg_rollback(d);
			snprintf(err, errlen, "no canned reply %lld", r->id);
			return 1;
		}
	}
	snprintf(detail, sizeof detail, "%s reply %lld: %s/%s", remove ? "removed" : "saved", r->id, r->category,
		r->action);
	if (srv_pg_write_audit(d, now, actor, "reply", "", detail) != 0 || srv_pg_exec(d, "COMMIT") != 0) goto fail;
	return 0;
fail:
	srv_pg_fail(d, err, errlen, "saving the reply");
	srv_pg_rollback(d);
	return -1;
}

int srv_pg_work_replies(srv_db *d, const char *category, int (*each)(const work_reply *r, void *arg), void *arg,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	work_reply w;
	int i;
	pa_t(&a, category);
	if (!(r = srv_pg_q(d, SP_REPLIES, "SELECT " REPLY_COLS " FROM canned_reply WHERE ($1::text = '' OR category = $1)"
			" ORDER BY category, action, title, id", &a)))
		return srv_pg_fail(d, err, errlen, "reading the replies");
	for (i = 0; i < PQntuples(r); i++) {
		if (read_reply(r, i, &w) != 0) continue;
		if (each(&w, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_work_reply_get(srv_db *d, long long id, work_reply *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_i(&a, id);
	if (!(r = srv_pg_q(d, SP_REPLY_GET, "SELECT " REPLY_COLS " FROM canned_reply WHERE id = $1::bigint", &a)))
		return -1;
	rc = PQntuples(r) == 0 ? 0 : read_reply(r, 0, out) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}

/* ---- text messages ---- */

#define SMS_COLS "id, request_id, kind, date, state, tries, next_at, created_at, sent_at, via, last_error"

static int sms_rows(srv_db *d, PGresult *r, int (*each)(const work_sms *m, void *arg), void *arg,
	char *err, size_t errlen)
{
	work_sms m;
	int i;
	if (!r) return srv_pg_fail(d, err, errlen, "reading the messages");
	for (i = 0; i < PQntuples(r); i++) {
		memset(&m, 0, sizeof m);
		m.id = srv_pg_ll(r, i, 0);
		m.tries = (int)srv_pg_ll(r, i, 5);
		m.next_at = srv_pg_ll(r, i, 6);
		m.created_at = srv_pg_ll(r, i, 7);
		m.sent_at = srv_pg_ll(r, i, 8);
		if (srv_pg_copy(r, i, 1, m.request_id, sizeof m.request_id) | srv_pg_copy(r, i, 2, m.kind, sizeof m.kind) |
		    srv_pg_copy(r, i, 3, m.date, sizeof m.date) | srv_pg_copy(r, i, 4, m.state, sizeof m.state) |
		    srv_pg_copy(r, i, 9, m.via, sizeof m.via))
			continue;
		if (srv_pg_copy(r, i, 10, m.last_error, sizeof m.last_error) != 0) m.last_error[0] = '\0';
		if (each(&m, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_work_sms_due(srv_db *d, long long now, int limit, int (*each)(const work_sms *m, void *arg), void *arg,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_i(&a, now);
	pa_i(&a, limit > 0 ? limit : 20);
	return sms_rows(d, srv_pg_q(d, SP_SMS_DUE, "SELECT " SMS_COLS " FROM sms_outbox WHERE state = 'queued'"
		" AND next_at <= $1::bigint ORDER BY next_at, id LIMIT $2::bigint", &a), each, arg, err, errlen);
}

int srv_pg_work_sms_list(srv_db *d, const char *request_id, int limit, int (*each)(const work_sms *m, void *arg),
	void *arg, char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_t(&a, request_id);
	pa_i(&a, limit > 0 ? limit : 100);
	return sms_rows(d, srv_pg_q(d, SP_SMS_LIST, "SELECT " SMS_COLS " FROM sms_outbox WHERE ($1::text = ''"
		" OR request_id = $1) ORDER BY id DESC LIMIT $2::bigint", &a), each, arg, err, errlen);
}

int srv_pg_work_sms_result(srv_db *d, long long id, const char *state, long long next_at, long long now,
	const char *via, const char *error, char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_i(&a, id);
	pa_t(&a, state);
	pa_i(&a, next_at);
	pa_i(&a, strcmp(state, "sent") == 0 ? now : 0);
	pa_t(&a, via);
	pa_t(&a, error);
	return srv_pg_cmd(d, SP_SMS_RESULT, "UPDATE sms_outbox SET state = $2::text, tries = tries + 1,"
		" next_at = $3::bigint, sent_at = $4::bigint, via = $5::text, last_error = $6::text WHERE id = $1::bigint",
		&a) < 0 ? srv_pg_fail(d, err, errlen, "recording a message") : 0;
}
