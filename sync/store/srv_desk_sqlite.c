/* srv_desk_sqlite: the SQLite backend of an official's desk: the search
 * keys of requests (srv_be_find_pending, srv_be_find_store), assigning a
 * request to an officer (srv_be_assign) and the canned replies
 * (srv_be_reply_save, srv_work_replies, srv_work_reply_get), and the
 * inbox read row by row (srv_work_cursor_*), and the text-message queue;
 * srv_desk_pg.c is its PostgreSQL twin. The rules are
 * srv_work.c's and srv_find.c's; statements are the table in srv_sqlite.c. */
#include "srv_sqlite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- search keys ---- */

static int find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen);

typedef struct {
	char id[40];
	unsigned char *sealed;
	size_t len;
} pending;

int srv_be_find_pending(srv_db *d, int limit,
	int (*each)(const char *id, const unsigned char *sealed, size_t len, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_find_pending(d, limit, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_I(":limit", limit) };
	pending *rows = calloc((size_t)limit, sizeof *rows);
	sqlite3_stmt *st;
	int n = 0, i, rc = SQLITE_DONE, result = 0;
	if (!rows) {
		snprintf(err, errlen, "finding requests to index: out of memory");
		return -1;
	}
	if (!(st = bound(d, SQ_FIND_PENDING, p, SQ_NPARAMS(p)))) {
		free(rows);
		return srv_sqlite_fail(d, err, errlen, "finding requests to index");
	}
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		if (sqlx_copy_col(st, 0, rows[n].id, sizeof rows[n].id) != 0) continue;
		if (!(rows[n].sealed = malloc(len ? len : 1))) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (len) memcpy(rows[n].sealed, sqlite3_column_blob(st, 1), len);
		rows[n++].len = len;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) result = srv_sqlite_fail(d, err, errlen, "finding requests to index");
	for (i = 0; i < n; i++) {
		if (result == 0 && each(rows[i].id, rows[i].sealed, rows[i].len, arg) != 0) result = -1;
		free(rows[i].sealed);
	}
	free(rows);
	return result;
}

/* The keys are made again from the sealed forms whenever they are lost:
 * a power cut that takes their last commit leaves find_state 0, and the
 * next start makes them. So their commit does not wait for the disk
 * (synchronous=NORMAL in WAL mode: no fsync of its own), and a push that
 * brought the requests costs no second fsync. */
static void sync_mode(srv_db *d, int full)
{
	sqlite3_exec(d->sql, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
}

int srv_be_find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_find_store(d, rows, n, err, errlen));
	int rc;
	sync_mode(d, 0);
	rc = find_store(d, rows, n, err, errlen);
	sync_mode(d, 1);
	return rc;
}

static int find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen)
{
	int r, i;
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "indexing requests");
	for (r = 0; r < n; r++) {
		srv_sqlite_param id[] = { SQ_T(":id", rows[r].id), SQ_I(":state", rows[r].opened ? 1 : 2),
			SQ_I(":sms", rows[r].sms_ok ? 1 : 0) };
		if (run(d, SQ_FIND_CLEAR, id, SQ_NPARAMS(id)) != 0) goto fail;
		for (i = 0; i < rows[r].n; i++) {
			srv_sqlite_param p[] = { SQ_T(":hash", rows[r].hashes[i]), SQ_T(":id", rows[r].id) };
			if (run(d, SQ_FIND_ADD, p, SQ_NPARAMS(p)) != 0) goto fail;
		}
		if (run(d, SQ_FIND_DONE, id, SQ_NPARAMS(id)) != 0) goto fail;
	}
	if (srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE) goto fail;
	return 0;
fail:
	srv_sqlite_fail(d, err, errlen, "indexing requests");
	srv_sqlite_rollback(d);
	return -1;
}

/* ---- the inbox, row by row (srv_work.h) ---- */

struct work_cursor {
	srv_db *d;
	work_filter f;
	work_find find;
	char commune[8], category[32], status[16], officer[64], assignee[64];
	srv_sqlite_inbox_params ip;
	sqlite3_stmt *st;
	struct srv_pg_cursor *pg;    /* the rows on PostgreSQL (srv_desk_pg.c), NULL on SQLite */
};

work_cursor *srv_sqlite_cursor_of_pg(struct srv_pg_cursor *pg, srv_db *d)
{
	work_cursor *c = calloc(1, sizeof *c);
	if (c) {
		c->d = d;
		c->pg = pg;
	}
	return c;
}

static const char *keep(char *to, size_t len, const char *from)
{
	snprintf(to, len, "%s", from ? from : "");
	return to;
}

work_cursor *srv_work_cursor_open(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_cursor_open(d, f, now, err, errlen));
	work_cursor *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "reading the inbox: out of memory");
		return NULL;
	}
	c->d = d;
	c->f = *f;
	c->f.commune = keep(c->commune, sizeof c->commune, f->commune);
	c->f.category = keep(c->category, sizeof c->category, f->category);
	c->f.status = keep(c->status, sizeof c->status, f->status);
	c->f.officer = keep(c->officer, sizeof c->officer, f->officer);
	c->f.assignee = keep(c->assignee, sizeof c->assignee, f->assignee);
	if (f->find) {
		c->find = *f->find;
		c->f.find = &c->find;
	}
	c->f.offset = 0;
	c->f.limit = -1;             /* every row: LIMIT -1 has none */
	if (srv_sqlite_run(d, SQ_BEGIN) != SQLITE_DONE) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		free(c);
		return NULL;
	}
	if (!(c->st = srv_sqlite_inbox_list(d, &c->f, now, &c->ip, err, errlen))) {
		srv_sqlite_rollback(d);
		free(c);
		return NULL;
	}
	return c;
}

int srv_work_cursor_next(work_cursor *c, work_item *out)
{
#ifdef WITH_PG
	if (c->pg) return srv_pg_cursor_next(c->pg, out);
#endif
	int rc = sqlite3_step(c->st);
	if (rc == SQLITE_ROW) return srv_sqlite_read_item(c->st, out) == 0 ? 1 : -1;
	return rc == SQLITE_DONE ? 0 : -1;
}

void srv_work_cursor_close(work_cursor *c)
{
	if (!c) return;
#ifdef WITH_PG
	if (c->pg) {
		srv_pg_cursor_close(c->pg);
		free(c);
		return;
	}
#endif
	sqlite3_reset(c->st);
	srv_sqlite_run(c->d, SQ_COMMIT);
	free(c);
}

/* ---- assigning ---- */

int srv_be_assign(srv_db *d, const char *request_id, const char *officer, long long now, const char *actor,
	const char *detail, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_assign(d, request_id, officer, now, actor, detail, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":id", request_id), SQ_T(":officer", officer) };
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "assigning the request");
	if (run(d, SQ_ASSIGN, p, SQ_NPARAMS(p)) != 0) goto fail;
	if (sqlite3_changes(d->sql) != 1) {
		srv_sqlite_rollback(d);
		snprintf(err, errlen, "request %s is closed or unknown: it cannot be assigned", request_id);
		return 1;
	}
	if (audit(d, now, actor, "assign", request_id, detail) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE)
		goto fail;
	return 0;
fail:
	srv_sqlite_fail(d, err, errlen, "assigning the request");
	srv_sqlite_rollback(d);
	return -1;
}

/* ---- canned replies ---- */

static int read_reply(sqlite3_stmt *st, work_reply *r)
{
	int bad;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	bad = sqlx_copy_col(st, 1, r->category, sizeof r->category);
	bad |= sqlx_copy_col(st, 2, r->action, sizeof r->action);
	bad |= sqlx_copy_col(st, 3, r->title, sizeof r->title);
	bad |= sqlx_copy_col(st, 4, r->text, sizeof r->text);
	r->updated_at = sqlite3_column_int64(st, 5);
	bad |= sqlx_copy_col(st, 6, r->updated_by, sizeof r->updated_by);
	return bad ? -1 : 0;
}

int srv_be_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_reply_save(d, r, actor, now, err, errlen));
	srv_sqlite_param p[] = { SQ_I(":id", r->id), SQ_T(":category", r->category), SQ_T(":action", r->action),
		SQ_T(":title", r->title), SQ_T(":text", r->text), SQ_I(":now", now), SQ_T(":actor", actor) };
	int remove = !r->title[0] && !r->text[0];
	char detail[256];
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "saving the reply");
	if (run(d, r->id == 0 ? SQ_REPLY_INSERT : remove ? SQ_REPLY_DELETE : SQ_REPLY_UPDATE, p, SQ_NPARAMS(p)) != 0)
		goto fail;
	if (r->id != 0 && sqlite3_changes(d->sql) != 1) {
		srv_sqlite_rollback(d);
		snprintf(err, errlen, "no canned reply %lld", r->id);
		return 1;
	}
	if (r->id == 0) r->id = sqlite3_last_insert_rowid(d->sql);
	snprintf(detail, sizeof detail, "%s reply %lld: %s/%s", remove ? "removed" : "saved", r->id, r->category,
		r->action);
	if (audit(d, now, actor, "reply", "", detail) != 0 || srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE) goto fail;
	return 0;
fail:
	srv_sqlite_fail(d, err, errlen, "saving the reply");
	srv_sqlite_rollback(d);
	return -1;
}

int srv_work_replies(srv_db *d, const char *category, int (*each)(const work_reply *r, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_replies(d, category, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":category", category) };
	sqlite3_stmt *st = bound(d, SQ_REPLIES, p, SQ_NPARAMS(p));
	work_reply r;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "reading the replies");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_reply(st, &r) != 0) continue;
		if (each(&r, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "reading the replies");
}

int srv_work_reply_get(srv_db *d, long long id, work_reply *out)
{
	SRV_PG_ROUTE(d, srv_pg_work_reply_get(d, id, out));
	srv_sqlite_param p[] = { SQ_I(":id", id) };
	sqlite3_stmt *st = bound(d, SQ_REPLY_GET, p, SQ_NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_reply(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- text messages ---- */

static int read_sms(sqlite3_stmt *st, work_sms *m)
{
	int bad;
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	bad = sqlx_copy_col(st, 1, m->request_id, sizeof m->request_id);
	bad |= sqlx_copy_col(st, 2, m->kind, sizeof m->kind);
	bad |= sqlx_copy_col(st, 3, m->date, sizeof m->date);
	bad |= sqlx_copy_col(st, 4, m->state, sizeof m->state);
	m->tries = sqlite3_column_int(st, 5);
	m->next_at = sqlite3_column_int64(st, 6);
	m->created_at = sqlite3_column_int64(st, 7);
	m->sent_at = sqlite3_column_int64(st, 8);
	bad |= sqlx_copy_col(st, 9, m->via, sizeof m->via);
	if (sqlx_copy_col(st, 10, m->last_error, sizeof m->last_error) != 0) m->last_error[0] = '\0';
	return bad ? -1 : 0;
}

static int sms_rows(srv_db *d, srv_sqlite_q q, const srv_sqlite_param *p, size_t np,
	int (*each)(const work_sms *m, void *arg), void *arg, char *err, size_t errlen)
{
	sqlite3_stmt *st = bound(d, q, p, np);
	work_sms m;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "reading the messages");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_sms(st, &m) != 0) continue;
		if (each(&m, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "reading the messages");
}

int srv_work_sms_due(srv_db *d, long long now, int limit, int (*each)(const work_sms *m, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_sms_due(d, now, limit, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_I(":now", now), SQ_I(":limit", limit > 0 ? limit : 20) };
	return sms_rows(d, SQ_SMS_DUE, p, SQ_NPARAMS(p), each, arg, err, errlen);
}

int srv_work_sms_list(srv_db *d, const char *request_id, int limit, int (*each)(const work_sms *m, void *arg),
	void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_sms_list(d, request_id, limit, each, arg, err, errlen));
	srv_sqlite_param p[] = { SQ_T(":request", request_id), SQ_I(":limit", limit > 0 ? limit : 100) };
	return sms_rows(d, SQ_SMS_LIST, p, SQ_NPARAMS(p), each, arg, err, errlen);
}

int srv_work_sms_result(srv_db *d, long long id, const char *state, long long next_at, long long now,
	const char *via, const char *error, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_sms_result(d, id, state, next_at, now, via, error, err, errlen));
	srv_sqlite_param p[] = { SQ_I(":id", id), SQ_T(":state", state), SQ_I(":next", next_at),
		SQ_I(":sent", strcmp(state, "sent") == 0 ? now : 0), SQ_T(":via", via), SQ_T(":error", error) };
	return run(d, SQ_SMS_RESULT, p, SQ_NPARAMS(p)) == 0 ? 0 : srv_sqlite_fail(d, err, errlen, "recording a message");
}
