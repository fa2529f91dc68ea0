/* srv_db_sqlite: the SQLite backend of srv_db.h: settings, kiosks,
 * storing a push, the phone page's facts, requests and their events.
 *
 * Statements come from the backend's table (srv_sqlite.c), prepared once
 * per connection. A push is one IMMEDIATE transaction; a lookup reads its
 * request and events in one read transaction, so it never sees half of a
 * staff update. A stored text longer than its field is an error, never a
 * shortened value. */
#include "srv_sqlite.h"
#include "srv_rating.h"
#include "log.h"
#include "token.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- settings ---- */

int srv_db_meta_set(srv_db *d, const char *key, const char *value, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_meta_set(d, key, value, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_META_SET);
	if (!st) return srv_sqlite_fail(d, err, errlen, "saving a setting");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "saving a setting");
}

int srv_db_meta_get(srv_db *d, const char *key, char *out, size_t outlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_meta_get(d, key, out, outlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_META_GET);
	int rc;
	out[0] = '\0';
	if (!st) return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlx_copy_col(st, 0, out, outlen) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- kiosks ---- */

/* 0, or -1 when the stored id is longer than a kiosk id. */
static int read_kiosk(sqlite3_stmt *st, srv_db_kiosk *k)
{
	const void *key = sqlite3_column_blob(st, 1);
	memset(k, 0, sizeof *k);
	if (sqlx_copy_col(st, 0, k->id, sizeof k->id) != 0) return -1;
	if (key && sqlite3_column_bytes(st, 1) == ENV_PK_BYTES) memcpy(k->key, key, ENV_PK_BYTES);
	k->revoked = sqlite3_column_int(st, 2);
	k->added_at = sqlite3_column_int64(st, 3);
	k->last_seen = sqlite3_column_int64(st, 4);
	k->last_n = sqlite3_column_int64(st, 5);
	k->acked = sqlite3_column_int64(st, 6);
	k->clock_offset = sqlite3_column_int64(st, 7);
	k->requests = sqlite3_column_int64(st, 8);
	return 0;
}

int srv_db_kiosk_add(srv_db *d, const char *id, const unsigned char key[ENV_PK_BYTES], long long now,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_kiosk_add(d, id, key, now, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_KIOSK_ADD);
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "registering the kiosk");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, key, ENV_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = srv_sqlite_step_done(st);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "kiosk %s is already registered (revoke it and register it under a new number"
			" to change its key)", id);
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "registering the kiosk");
}

int srv_db_kiosk_revoke(srv_db *d, const char *id, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_kiosk_revoke(d, id, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_KIOSK_REVOKE);
	srv_db_kiosk k;
	int found;
	if (!st) return srv_sqlite_fail(d, err, errlen, "revoking the kiosk");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (srv_sqlite_step_done(st) != SQLITE_DONE) return srv_sqlite_fail(d, err, errlen, "revoking the kiosk");
	if (sqlite3_changes(d->sql) == 1) return 0;
	found = srv_db_kiosk_get(d, id, &k);
	if (found < 0) return srv_sqlite_fail(d, err, errlen, "revoking the kiosk");
	snprintf(err, errlen, found ? "kiosk %s is already revoked" : "unknown kiosk %s (see `kiosk list`)", id);
	return -1;
}

int srv_db_kiosk_get(srv_db *d, const char *id, srv_db_kiosk *out)
{
	SRV_PG_ROUTE(d, srv_pg_db_kiosk_get(d, id, out));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_KIOSK_GET);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_kiosk(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_db_kiosk_list(srv_db *d, int (*each)(const srv_db_kiosk *k, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_kiosk_list(d, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_KIOSK_LIST);
	srv_db_kiosk k;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "listing kiosks");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_kiosk(st, &k) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		if (each(&k, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) srv_sqlite_fail(d, err, errlen, "listing kiosks");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- events ---- */

static int read_event(sqlite3_stmt *st, proto_event *e)
{
	int bad;
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 2);
	bad = sqlx_copy_col(st, 1, e->request, sizeof e->request);
	bad |= sqlx_copy_col(st, 3, e->status, sizeof e->status);
	bad |= sqlx_copy_col(st, 4, e->note, sizeof e->note);
	bad |= sqlx_copy_col(st, 5, e->deadline, sizeof e->deadline);
	e->undated = sqlite3_column_int(st, 6) != 0;
	return bad ? -1 : 0;
}

/* ---- storing a push ---- */

typedef enum { STORED_NEW, STORED_SAME, CONFLICT_CONTENT, CONFLICT_TOKEN, STORE_ERROR } store_outcome;

/* 1 if the stored request of r's id has exactly r's content. */
static int same_content(sqlite3_stmt *st, const char *kiosk, const proto_request *r)
{
	const char *text[] = { kiosk, r->token, r->category, r->procedure, r->deadline };
	static const int text_col[] = { 0, 2, 3, 4, 6 };
	size_t i;
	for (i = 0; i < sizeof text / sizeof text[0]; i++) {
		const char *s = (const char *)sqlite3_column_text(st, text_col[i]);
		if (!s || strcmp(s, text[i]) != 0) return 0;
	}
	return sqlite3_column_int64(st, 1) == r->seq && sqlite3_column_int64(st, 5) == r->received_at &&
		(size_t)sqlite3_column_bytes(st, 7) == r->sealed_len &&
		memcmp(sqlite3_column_blob(st, 7), r->sealed, r->sealed_len) == 0;
}

/* A request the insert refused: the same one again or another with its id. */
static store_outcome classify_refused(srv_db *d, const char *kiosk, const proto_request *r, char other[40])
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_REQUEST_STORED);
	store_outcome out = STORE_ERROR;
	int rc;
	other[0] = '\0';
	if (!st) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) out = same_content(st, kiosk, r) ? STORED_SAME : CONFLICT_CONTENT;
	sqlite3_reset(st);
	/* No request of that id: its seq is another id's, which the decoder
	 * does not let through; a store error then. */
	return out;
}

/* Who else holds r's token: CONFLICT_TOKEN when a request of the same
 * kiosk (other id) does, 1 with other set when only another kiosk's do,
 * 0 when none, STORE_ERROR. */
static int token_claimants(srv_db *d, const char *kiosk, const proto_request *r, char other[40])
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_TOKEN_HOLDER);
	int rc, found = 0;
	if (!st) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->token, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *holder = (const char *)sqlite3_column_text(st, 1);
		if (!id || !holder || strcmp(id, r->id) == 0) continue;
		if (sqlx_copy_col(st, 0, other, 40) != 0) { rc = SQLITE_TOOBIG; break; }
		if (strcmp(holder, kiosk) == 0) { found = CONFLICT_TOKEN; break; }
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) return STORE_ERROR;
	return found;
}

static store_outcome store_request(srv_db *d, const char *kiosk, const proto_request *r, const srv_db_trust *t,
	long long now, char other[40])
{
	sqlite3_stmt *st;
	char note[160];
	int rc, claimed, flags = t ? t->flags : 0;
	other[0] = '\0';
	/* A code another kiosk's request holds: which is the citizen's cannot be
	 * told here, so both are kept and held off the phone page for staff. */
	claimed = token_claimants(d, kiosk, r, other);
	if (claimed == STORE_ERROR || claimed == CONFLICT_TOKEN) return (store_outcome)claimed;
	if (claimed) flags |= SRV_DB_TRUST_HELD;
	if (claimed)
		snprintf(note, sizeof note, "receipt code claimed by another kiosk's request too (%.39s)", other);
	else
		snprintf(note, sizeof note, "%s", t ? t->note : "");
	if (!(st = srv_sqlite_stmt(d, SQ_REQUEST_INSERT))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->seq);
	sqlite3_bind_text(st, 4, r->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, t ? t->received_at : r->received_at);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_text(st, 9, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_blob(st, 11, r->sealed, (int)r->sealed_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, t && t->due[0] ? t->due : r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, r->received_at);
	sqlite3_bind_int(st, 14, flags);
	sqlite3_bind_text(st, 15, note, -1, SQLITE_TRANSIENT);
	rc = srv_sqlite_step_done(st);
	if (rc == SQLITE_CONSTRAINT) return classify_refused(d, kiosk, r, other);
	if (rc != SQLITE_DONE) return STORE_ERROR;
	if (claimed) {
		if (!(st = srv_sqlite_stmt(d, SQ_TOKEN_HOLD))) return STORE_ERROR;
		snprintf(note, sizeof note, "receipt code claimed by another kiosk's request too (%.39s)", r->id);
		sqlite3_bind_text(st, 1, r->token, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, SRV_DB_TRUST_HELD);
		sqlite3_bind_text(st, 3, note, -1, SQLITE_TRANSIENT);
		if (srv_sqlite_step_done(st) != SQLITE_DONE) return STORE_ERROR;
		log_warn("receipt code of request %s (kiosk %s) is claimed by request %s too: both held for staff",
			r->id, kiosk, other);
		other[0] = '\0';
	}
	if (!(st = srv_sqlite_stmt(d, SQ_EVENT_SYNCED))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (srv_sqlite_step_done(st) != SQLITE_DONE || !(st = srv_sqlite_stmt(d, SQ_ATTACH_DIALOGUE))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	if (srv_sqlite_step_done(st) != SQLITE_DONE || !(st = srv_sqlite_stmt(d, SQ_DIALOGUE_EVENT))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? STORED_NEW : STORE_ERROR;
}

static int log_conflict(srv_db *d, const char *kiosk, const char *id, const char *other, long long now)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_CONFLICT_LOG);
	if (!st) return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, other[0] ? "token" : "content", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, other, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

/* 1 if the kiosk's request seq is stored, 0 if not, -1 on error. */
static int seq_stored(srv_db *d, const char *kiosk, long long seq)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_SEQ_STORED);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Moves the kiosk's acknowledged mark past every seq now stored after it.
 * Each seq is probed once in the kiosk's life, plus one miss per push. */
static int advance_acked(srv_db *d, const char *kiosk, long long *acked)
{
	long long from = *acked;
	sqlite3_stmt *st;
	int rc;
	while ((rc = seq_stored(d, kiosk, *acked + 1)) == 1) (*acked)++;
	if (rc < 0) return -1;
	if (*acked == from) return 0;
	if (!(st = srv_sqlite_stmt(d, SQ_KIOSK_ACKED))) return -1;
	sqlite3_bind_int64(st, 1, *acked);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

/* 1 if envelope n of kiosk counts as seen (at or below the floor, or
 * remembered), 0 if not, -1 on error. */
static int envelope_seen(srv_db *d, const char *kiosk, long long n, long long last_n)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_KIOSK_FLOOR);
	long long floor = last_n - SRV_DB_ENVELOPE_WINDOW;
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > floor) floor = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) return -1;
	if (n <= floor) return 1;
	if (!(st = srv_sqlite_stmt(d, SQ_ENVELOPE_SEEN))) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Remembers n as seen, and forgets the numbers that fell below the window
 * under last (the kiosk's last after this push): all of those count as seen. */
static int remember_envelope(srv_db *d, const char *kiosk, long long n, long long last)
{
	long long floor = last - SRV_DB_ENVELOPE_WINDOW;
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_ENVELOPE_ADD);
	if (!st) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	if (srv_sqlite_step_done(st) != SQLITE_DONE) return -1;
	if (floor <= 0) return 0;
	if (!(st = srv_sqlite_stmt(d, SQ_ENVELOPE_PRUNE))) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, floor);
	if (srv_sqlite_step_done(st) != SQLITE_DONE || !(st = srv_sqlite_stmt(d, SQ_KIOSK_SET_FLOOR))) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, floor);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

/* The office's queue figures a push carries, each replacing the row of
 * its day, field and counter. */
static int store_queue(srv_db *d, const proto_push *p, long long now)
{
	int i;
	for (i = 0; i < p->nqueue; i++) {
		const proto_queue_day *q = &p->queue[i];
		sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_QUEUE_PUT);
		if (!st) return -1;
		sqlite3_bind_text(st, 1, p->kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, q->day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, q->field, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, q->counter);
		sqlite3_bind_int64(st, 5, q->served);
		sqlite3_bind_int64(st, 6, q->skipped);
		sqlite3_bind_int64(st, 7, q->wait_total);
		sqlite3_bind_int64(st, 8, q->wait_max);
		sqlite3_bind_int64(st, 9, q->service_total);
		sqlite3_bind_int64(st, 10, now);
		if (srv_sqlite_step_done(st) != SQLITE_DONE) return -1;
	}
	return 0;
}

int srv_db_store_push(srv_db *d, const proto_push *p, const srv_db_trust *trust, long long now,
	srv_db_push_result *res, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_store_push(d, p, trust, now, res, err, errlen));
	srv_db_kiosk k;
	sqlite3_stmt *st;
	int i, found, seen;
	char other[40];
	memset(res, 0, sizeof *res);
	if (p->nrequests > 0 && !(res->conflicts = calloc((size_t)p->nrequests, sizeof *res->conflicts))) {
		snprintf(err, errlen, "storing the push: out of memory");
		return -1;
	}
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE) {
		srv_sqlite_fail(d, err, errlen, "starting to store the push");
		srv_db_push_result_free(res);
		return -1;
	}
	/* The counter and the revocation are read again under the write lock, so
	 * two copies of one envelope racing in cannot both pass. */
	found = srv_db_kiosk_get(d, p->kiosk, &k);
	if (found < 0) goto db_error;
	if (found && !k.revoked && p->n <= k.last_n) {
		seen = envelope_seen(d, p->kiosk, p->n, k.last_n);
		if (seen < 0) goto db_error;
		res->late = !seen;
	}
	if (!found || k.revoked || (p->n <= k.last_n && !res->late)) {
		res->revoked = !found || k.revoked;
		res->replay = !res->revoked;
		res->last_n = res->replay ? k.last_n : 0;
		srv_sqlite_rollback(d);
		return 0;
	}
	if (remember_envelope(d, p->kiosk, p->n, res->late ? k.last_n : p->n) != 0) goto db_error;
	/* A late envelope is older news: the kiosk's counter, contact and clock
	 * offset stay those of its last. */
	if (!res->late) {
		if (!(st = srv_sqlite_stmt(d, SQ_KIOSK_SEEN))) goto db_error;
		sqlite3_bind_int64(st, 1, p->n);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, now - p->clock);
		sqlite3_bind_text(st, 4, p->kiosk, -1, SQLITE_STATIC);
		if (srv_sqlite_step_done(st) != SQLITE_DONE) goto db_error;
	}
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		store_outcome o = store_request(d, p->kiosk, r, trust ? &trust[i] : NULL, now, other);
		srv_db_conflict *c;
		if (o == STORE_ERROR) goto db_error;
		if (o == STORED_NEW) res->stored++;
		if (o != CONFLICT_CONTENT && o != CONFLICT_TOKEN) continue;
		if (log_conflict(d, p->kiosk, r->id, other, now) != 0) goto db_error;
		c = &res->conflicts[res->nconflicts++];
		memcpy(c->id, r->id, sizeof c->id);
		memcpy(c->other, other, sizeof c->other);
		c->seq = r->seq;
	}
	/* A late envelope's figures are older than those already held. */
	if (!res->late && store_queue(d, p, now) != 0) goto db_error;
	if (srv_rating_put_push(d, p, now, &res->ratings) != 0) goto db_error;
	res->acked = k.acked;
	if (advance_acked(d, p->kiosk, &res->acked) != 0) goto db_error;
	if (srv_sqlite_run(d, SQ_COMMIT) != SQLITE_DONE) goto db_error;
	return 0;
db_error:
	srv_sqlite_fail(d, err, errlen, "storing the push");
	srv_sqlite_rollback(d);
	srv_db_push_result_free(res);
	return -1;
}

/* Events of the kiosk's requests after cursor, oldest first, at most limit. */
int srv_db_kiosk_events(srv_db *d, const char *kiosk, long long cursor, int limit,
	int (*each)(const proto_event *e, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_kiosk_events(d, kiosk, cursor, limit, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_EVENTS_AFTER);
	proto_event *e = malloc(sizeof *e);
	int rc = SQLITE_NOMEM;
	if (st && e) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, cursor);
		sqlite3_bind_int(st, 3, limit);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (read_event(st, e) != 0) {
				rc = SQLITE_TOOBIG;
				break;
			}
			if (each(e, arg) != 0) {
				rc = SQLITE_DONE;
				break;
			}
		}
		sqlite3_reset(st);
	}
	free(e);
	if (rc == SQLITE_DONE) return 0;
	if (rc == SQLITE_TOOBIG) snprintf(err, errlen, "reading the events: a stored event is longer than the protocol allows");
	else srv_sqlite_fail(d, err, errlen, "reading the events");
	return -1;
}

void srv_db_push_result_free(srv_db_push_result *res)
{
	free(res->conflicts);
	memset(res, 0, sizeof *res);
}

/* ---- lookups ---- */

static int lookup_events(srv_db *d, const char *request_id, srv_db_facts *r)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_LOOKUP_EVENTS);
	int rc, i, j;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, SRV_DB_FACTS_EVENTS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->nevents < SRV_DB_FACTS_EVENTS) {
		srv_db_note *e = &r->events[r->nevents++];
		e->at = sqlite3_column_int64(st, 0);
		if (sqlx_copy_col(st, 1, e->status, sizeof e->status) != 0 ||
		    sqlx_copy_col(st, 2, e->note, sizeof e->note) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
	}
	sqlite3_reset(st);
	/* Newest first as read; the page's order is oldest first. */
	for (i = 0, j = r->nevents - 1; i < j; i++, j--) {
		srv_db_note t = r->events[i];
		r->events[i] = r->events[j];
		r->events[j] = t;
	}
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* The request a code shows, of those holding it: one staff did not set
 * aside first, then the smaller id. True when the statement's row shows
 * before the one read so far (best_id; "" before the first). */
static int lookup_before(sqlite3_stmt *st, int best_set_aside, const char *best_id)
{
	int set_aside = (sqlite3_column_int(st, 10) & SRV_DB_TRUST_NOT_CHOSEN) != 0;
	const char *id = (const char *)sqlite3_column_text(st, 0);
	if (!best_id[0]) return 1;
	if (set_aside != best_set_aside) return set_aside < best_set_aside;
	return id && strcmp(id, best_id) < 0;
}

static int read_facts(sqlite3_stmt *st, char id[40], srv_db_facts *r)
{
	int bad = sqlx_copy_col(st, 0, id, 40);
	bad |= sqlx_copy_col(st, 1, r->category, sizeof r->category);
	bad |= sqlx_copy_col(st, 2, r->procedure, sizeof r->procedure);
	r->received_at = sqlite3_column_int64(st, 3);
	bad |= sqlx_copy_col(st, 4, r->due, sizeof r->due);
	bad |= sqlx_copy_col(st, 5, r->status, sizeof r->status);
	r->updated_at = sqlite3_column_int64(st, 6);
	bad |= sqlx_copy_col(st, 7, r->appointment, sizeof r->appointment);
	r->accepted = sqlite3_column_int(st, 8);
	r->closed = sqlite3_column_int(st, 9);
	return bad ? -1 : 0;
}

int srv_db_lookup(srv_db *d, const char *token, srv_db_facts *r)
{
	SRV_PG_ROUTE(d, srv_pg_db_lookup(d, token, r));
	sqlite3_stmt *st;
	char id[40];
	int rc, held = 0, set_aside = 0, result = -1;
	/* r may be reused from lookup to lookup: nothing of the last one stays. */
	r->nevents = 0;
	r->accepted = r->closed = 0;
	r->category[0] = r->procedure[0] = r->due[0] = r->status[0] = '\0';
	r->appointment[0] = r->apology[0] = '\0';
	r->received_at = r->updated_at = 0;
	if (strlen(token) >= sizeof r->token) return 0;
	memcpy(r->token, token, strlen(token) + 1);
	/* One read transaction: the request row and its events from one snapshot,
	 * even while a staff update commits. */
	if (srv_sqlite_run(d, SQ_BEGIN) != SQLITE_DONE) return -1;
	if (!(st = srv_sqlite_stmt(d, SQ_LOOKUP))) goto done;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	id[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!lookup_before(st, set_aside, id)) continue;
		if (read_facts(st, id, r) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		set_aside = (sqlite3_column_int(st, 10) & SRV_DB_TRUST_NOT_CHOSEN) != 0;
		held = (sqlite3_column_int(st, 10) & SRV_DB_TRUST_HELD) != 0;
	}
	sqlite3_reset(st);
	/* A code two kiosks claim shows neither request: the page says it is
	 * held for staff to check, and nothing of either is read. */
	if (rc == SQLITE_DONE && !id[0]) result = 0;
	if (rc != SQLITE_DONE) held = 0;
	else if (id[0] && !held) rc = SQLITE_ROW;
	if (held) {
		memset(r, 0, sizeof *r);
		memcpy(r->token, token, strlen(token) + 1);
		result = SRV_DB_HELD;
		goto done;
	}
	if (rc != SQLITE_ROW) goto done;
	if (lookup_events(d, id, r) != 0) goto done;
	if (r->appointment[0]) {
		if (!(st = srv_sqlite_stmt(d, SQ_LOOKUP_APOLOGY))) goto done;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlx_copy_col(st, 0, r->apology, sizeof r->apology) != 0) rc = SQLITE_TOOBIG;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto done;
	}
	result = 1;
done:
	srv_sqlite_run(d, SQ_COMMIT);
	return result;
}

static int read_request(sqlite3_stmt *st, srv_db_request *r)
{
	int bad = sqlx_copy_col(st, 0, r->id, sizeof r->id);
	bad |= sqlx_copy_col(st, 1, r->kiosk, sizeof r->kiosk);
	r->seq = sqlite3_column_int64(st, 2);
	bad |= sqlx_copy_col(st, 3, r->token, sizeof r->token);
	bad |= sqlx_copy_col(st, 4, r->category, sizeof r->category);
	bad |= sqlx_copy_col(st, 5, r->procedure, sizeof r->procedure);
	r->received_at = sqlite3_column_int64(st, 6);
	r->received_server_at = sqlite3_column_int64(st, 7);
	bad |= sqlx_copy_col(st, 8, r->deadline, sizeof r->deadline);
	bad |= sqlx_copy_col(st, 9, r->status, sizeof r->status);
	r->updated_at = sqlite3_column_int64(st, 10);
	r->sealed_len = (size_t)sqlite3_column_bytes(st, 11);
	r->sealed = malloc(r->sealed_len ? r->sealed_len : 1);
	if (r->sealed && r->sealed_len) memcpy(r->sealed, sqlite3_column_blob(st, 11), r->sealed_len);
	r->kiosk_received_at = sqlite3_column_int64(st, 12);
	bad |= sqlx_copy_col(st, 13, r->due, sizeof r->due);
	r->trust = sqlite3_column_int(st, 14);
	bad |= sqlx_copy_col(st, 15, r->trust_note, sizeof r->trust_note);
	return bad || !r->sealed ? -1 : 0;
}

static int find_by(srv_db *d, srv_sqlite_q q, const char *key, srv_db_request *out)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, q);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_request(st, out) != 0) {
		srv_db_request_free(out);
		rc = SQLITE_TOOBIG;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out)
{
	SRV_PG_ROUTE(d, srv_pg_db_request_find(d, token_or_id, out));
	char token[TOKEN_LEN + 1];
	int rc;
	memset(out, 0, sizeof *out);
	rc = find_by(d, SQ_REQUEST_BY_ID, token_or_id, out);
	if (rc != 0) return rc;
	if (token_parse(token_or_id, token) != TOKEN_OK) return 0;
	return find_by(d, SQ_REQUEST_BY_TOKEN, token, out);
}

/* One indexed read a request: in this process, no round trip to save. */
int srv_db_sealed_each(srv_db *d, const char *const *ids, int n,
	int (*each)(int i, const unsigned char *sealed, size_t len, void *arg), void *arg)
{
	SRV_PG_ROUTE(d, srv_pg_db_sealed_each(d, ids, n, each, arg));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_SEALED_BY_ID);
	int i, rc = SQLITE_DONE, stop = 0;
	if (!st || n > SRV_DB_SEALED_MAX) return -1;
	for (i = 0; i < n && !stop && rc == SQLITE_DONE; i++) {
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			stop = each(i, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), arg);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(st);
	}
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void srv_db_request_free(srv_db_request *r)
{
	free(r->sealed);
	r->sealed = NULL;
	r->sealed_len = 0;
}

int srv_db_request_events(srv_db *d, const char *request_id,
	int (*each)(const proto_event *e, void *arg), void *arg)
{
	SRV_PG_ROUTE(d, srv_pg_db_request_events(d, request_id, each, arg));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_REQUEST_EVENTS);
	proto_event *e = malloc(sizeof *e);
	int rc = SQLITE_ERROR;
	if (st && e) {
		sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (read_event(st, e) != 0) {
				rc = SQLITE_TOOBIG;
				break;
			}
			if (each(e, arg) != 0) {
				rc = SQLITE_DONE;
				break;
			}
		}
		sqlite3_reset(st);
	}
	free(e);
	return rc == SQLITE_DONE ? 0 : -1;
}

long long srv_db_count(srv_db *d)
{
	SRV_PG_ROUTE(d, srv_pg_db_count(d));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_COUNT);
	long long n = -1;
	if (!st) return -1;
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* ---- flagged requests ---- */

int srv_db_flagged(srv_db *d, int mask, const char *commune, int offset, int limit,
	int (*each)(const srv_db_flag *f, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_db_flagged(d, mask, commune, offset, limit, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_FLAGGED);
	srv_db_flag f;
	int rc, bad;
	if (!st) return srv_sqlite_fail(d, err, errlen, "listing flagged requests");
	sqlite3_bind_int(st, 1, mask);
	sqlite3_bind_text(st, 2, commune ? commune : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit < 1 ? 1 : limit > 500 ? 500 : limit);
	sqlite3_bind_int(st, 4, offset < 0 ? 0 : offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&f, 0, sizeof f);
		bad = sqlx_copy_col(st, 0, f.id, sizeof f.id);
		bad |= sqlx_copy_col(st, 1, f.kiosk, sizeof f.kiosk);
		bad |= sqlx_copy_col(st, 2, f.token, sizeof f.token);
		bad |= sqlx_copy_col(st, 3, f.category, sizeof f.category);
		f.received_at = sqlite3_column_int64(st, 4);
		f.kiosk_received_at = sqlite3_column_int64(st, 5);
		f.received_server_at = sqlite3_column_int64(st, 6);
		bad |= sqlx_copy_col(st, 7, f.deadline, sizeof f.deadline);
		bad |= sqlx_copy_col(st, 8, f.due, sizeof f.due);
		f.trust = sqlite3_column_int(st, 9);
		bad |= sqlx_copy_col(st, 10, f.note, sizeof f.note);
		if (bad) { rc = SQLITE_TOOBIG; break; }
		if (each(&f, arg) != 0) { rc = SQLITE_DONE; break; }
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "listing flagged requests");
}
