/* srv_db: the district server's SQLite store (see srv_db.h).
 *
 * Every statement lives in one table below and is prepared once per
 * connection, on first use, then reset after each use: a statement left
 * unreset would hold its read snapshot open and starve WAL checkpoints.
 * Migrations are a list of scripts; PRAGMA user_version counts those run. */
#include "srv_db.h"
#include "status.h"
#include "log.h"
#include "migrate.h"
#include "srv_auth.h"
#include "srv_stats.h"
#include "srv_work.h"
#include "token.h"
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VIETNAM_UTC_OFFSET (7 * 3600)   /* no daylight saving time */

static const char *const migrations[] = {
	/* 1: kiosks, requests, events, conflicts, settings. */
	"CREATE TABLE kiosk("
	" id TEXT PRIMARY KEY,"
	" key BLOB NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" added_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL DEFAULT 0,"
	" last_n INTEGER NOT NULL DEFAULT 0,"
	" acked INTEGER NOT NULL DEFAULT 0,"
	" clock_offset INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE request("
	" id TEXT PRIMARY KEY,"
	" kiosk TEXT NOT NULL REFERENCES kiosk(id),"
	" seq INTEGER NOT NULL,"
	" token TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" received_server_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL,"
	" UNIQUE(kiosk, seq));"
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" request_id TEXT NOT NULL REFERENCES request(id),"
	" kiosk TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX event_kiosk ON event(kiosk, id);"
	"CREATE INDEX event_request ON event(request_id, id);"
	/* One row per refused request and reason, counted, so a kiosk that
	 * resends a conflict every night does not grow the table. */
	"CREATE TABLE conflict("
	" request_id TEXT NOT NULL,"
	" kiosk TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" other_id TEXT NOT NULL DEFAULT '',"
	" first_at INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL,"
	" count INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY(request_id, reason));"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* 2: the officials' work: deadlines in force, closing, communes,
	 * conferences, the audit log (srv_work.c). */
	srv_work_schema,
	/* 3: officials' accounts and sessions (srv_auth.c). */
	srv_auth_schema,
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

enum {
	Q_BEGIN, Q_BEGIN_IMMEDIATE, Q_COMMIT, Q_ROLLBACK,
	Q_META_GET, Q_META_SET,
	Q_KIOSK_GET, Q_KIOSK_LIST, Q_KIOSK_ADD, Q_KIOSK_REVOKE, Q_KIOSK_SEEN, Q_KIOSK_ACKED,
	Q_REQUEST_INSERT, Q_REQUEST_STORED, Q_TOKEN_HOLDER, Q_SEQ_STORED,
	Q_EVENT_SYNCED, Q_EVENTS_AFTER, Q_CONFLICT_LOG,
	Q_LOOKUP, Q_LOOKUP_EVENTS,
	Q_REQUEST_BY_ID, Q_REQUEST_BY_TOKEN, Q_REQUEST_EVENTS, Q_EVENT_STAFF, Q_REQUEST_STATUS,
	Q_COUNT, Q_ATTACH_DIALOGUE, Q_LOOKUP_APOLOGY, Q_LAST_EVENT,
	NQUERIES
};

#define KIOSK_COLS "id, key, revoked, added_at, last_seen, last_n, acked, clock_offset"
#define REQUEST_COLS "id, kiosk, seq, token, category, procedure, received_at, received_server_at," \
	" deadline, status, updated_at, sealed"

static const char *const queries[NQUERIES] = {
	[Q_BEGIN] = "BEGIN",
	[Q_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?",
	[Q_META_SET] = "INSERT INTO meta(key, value) VALUES(?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_KIOSK_GET] = "SELECT " KIOSK_COLS ", 0 FROM kiosk WHERE id = ?",
	[Q_KIOSK_LIST] = "SELECT " KIOSK_COLS ", (SELECT count(*) FROM request WHERE request.kiosk = kiosk.id)"
		" FROM kiosk ORDER BY id",
	[Q_KIOSK_ADD] = "INSERT INTO kiosk(id, key, added_at) VALUES(?, ?, ?)",
	[Q_KIOSK_REVOKE] = "UPDATE kiosk SET revoked = 1 WHERE id = ? AND revoked = 0",
	[Q_KIOSK_SEEN] = "UPDATE kiosk SET last_n = ?, last_seen = ?, clock_offset = ? WHERE id = ?",
	[Q_KIOSK_ACKED] = "UPDATE kiosk SET acked = ? WHERE id = ?",
	[Q_REQUEST_INSERT] = "INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
		" received_server_at, deadline, status, updated_at, sealed, commune, due)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,'synced',?10,?11,substr(?2, 1, 5),?9)",
	[Q_REQUEST_STORED] = "SELECT kiosk, seq, token, category, procedure, received_at, deadline, sealed"
		" FROM request WHERE id = ?",
	[Q_TOKEN_HOLDER] = "SELECT id FROM request WHERE token = ?",
	[Q_SEQ_STORED] = "SELECT 1 FROM request WHERE kiosk = ? AND seq = ?",
	[Q_EVENT_SYNCED] = "INSERT INTO event(request_id, kiosk, at, status) VALUES(?, ?, ?, 'synced')",
	[Q_EVENTS_AFTER] = "SELECT id, request_id, at, status, note, deadline FROM event"
		" WHERE kiosk = ? AND id > ? ORDER BY id LIMIT ?",
	[Q_CONFLICT_LOG] = "INSERT INTO conflict(request_id, kiosk, reason, other_id, first_at, last_at)"
		" VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(request_id, reason) DO UPDATE SET"
		" other_id = excluded.other_id, last_at = excluded.last_at, count = count + 1",
	[Q_LOOKUP] = "SELECT id, category, procedure, received_at, due, status, updated_at, appointment,"
		" accepted_at IS NOT NULL, closed_at IS NOT NULL FROM request WHERE token = ?",
	[Q_LOOKUP_EVENTS] = "SELECT at, status, note FROM (SELECT id, at, status, note FROM event"
		" WHERE request_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
	[Q_REQUEST_BY_ID] = "SELECT " REQUEST_COLS " FROM request WHERE id = ?",
	[Q_REQUEST_BY_TOKEN] = "SELECT " REQUEST_COLS " FROM request WHERE token = ?",
	[Q_REQUEST_EVENTS] = "SELECT id, request_id, at, status, note, deadline FROM event WHERE request_id = ? ORDER BY id",
	[Q_EVENT_STAFF] = "INSERT INTO event(request_id, kiosk, at, status, note)"
		" SELECT id, kiosk, ?, ?, ? FROM request WHERE id = ?",
	[Q_REQUEST_STATUS] = "UPDATE request SET status = ?1, updated_at = ?2,"
		" closed_at = CASE WHEN ?1 = 'withdrawn' THEN ?2 END WHERE id = ?3 AND closed_at IS NULL",
	[Q_COUNT] = "SELECT count(*) FROM request",
	[Q_LAST_EVENT] = "SELECT max(id) FROM event WHERE request_id = ?",
	/* A dialogue question is for its commune's next conference after it was filed. */
	[Q_ATTACH_DIALOGUE] = "UPDATE request SET conference_id = (SELECT id FROM conference"
		" WHERE commune = request.commune AND at > request.received_at ORDER BY at, id LIMIT 1)"
		" WHERE id = ? AND category = 'dialogue'",
	/* The latest apology: the note that came with the last new appointment. */
	[Q_LOOKUP_APOLOGY] = "SELECT note FROM event WHERE request_id = ? AND action = 'reschedule'"
		" ORDER BY id DESC LIMIT 1",
};

/* A kiosk's sync sends its requests in batches, one push each; its
 * commune's figures are computed once and reused for a minute instead of
 * costing a scan per push (0.07 s at 1M requests), unless another
 * connection (the console, `update`) has committed since: PRAGMA
 * data_version tells, and this connection's own pushes close nothing. */
#define FIGURES_TTL 60

struct srv_db {
	sqlite3 *sql;
	sqlite3_stmt *st[NQUERIES];
	char figures_commune[6];
	long long figures_at;
	long long figures_version;
	proto_stats figures;
};

static long long data_version(srv_db *d)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(d->sql, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK) return -1;
	if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int fail(srv_db *d, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, d && d->sql ? sqlite3_errmsg(d->sql) : "out of memory");
	return -1;
}

/* The statement for query q, reset and ready for binding; NULL on error
 * (sqlite3_errmsg says why). */
static sqlite3_stmt *query(srv_db *d, int q)
{
	if (!d->st[q]) {
		if (sqlite3_prepare_v3(d->sql, queries[q], -1, SQLITE_PREPARE_PERSISTENT, &d->st[q], NULL) != SQLITE_OK)
			return NULL;
		return d->st[q];
	}
	sqlite3_reset(d->st[q]);
	sqlite3_clear_bindings(d->st[q]);
	return d->st[q];
}

/* Runs a statement that returns no rows; SQLITE_DONE or the error code. The
 * statement is reset either way. */
static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

static int run_query(srv_db *d, int q)
{
	sqlite3_stmt *st = query(d, q);
	return st ? run(st) : SQLITE_ERROR;
}

static void rollback(srv_db *d)
{
	run_query(d, Q_ROLLBACK);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", s ? s : "");
}

int srv_db_open(srv_db **out, const char *dir, int create, char *err, size_t errlen)
{
	char path[600];
	srv_db *d = calloc(1, sizeof *d);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	*out = NULL;
	if (!d) return fail(NULL, err, errlen, "opening the database");
	snprintf(path, sizeof path, "%s/server.db", dir);
	if (sqlite3_open_v2(path, &d->sql, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s%s", path, d->sql ? sqlite3_errmsg(d->sql) : "out of memory",
			create ? "" : " (run `motcua-server init` first)");
		goto fail;
	}
	sqlite3_busy_timeout(d->sql, 5000);
	if (sqlite3_exec(d->sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
			NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	if (migrate_schema(d->sql, migrations, NMIGRATIONS, "motcua-server", err, errlen) < 0) goto fail;
	*out = d;
	return 0;
fail:
	srv_db_close(d);
	return -1;
}

void srv_db_close(srv_db *d)
{
	int i;
	if (!d) return;
	for (i = 0; i < NQUERIES; i++) sqlite3_finalize(d->st[i]);
	sqlite3_close(d->sql);
	free(d);
}

struct sqlite3 *srv_db_sql(srv_db *d)
{
	return d->sql;
}

/* ---- settings ---- */

int srv_db_meta_set(srv_db *d, const char *key, const char *value, char *err, size_t errlen)
{
	sqlite3_stmt *st = query(d, Q_META_SET);
	if (!st) return fail(d, err, errlen, "saving a setting");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return run(st) == SQLITE_DONE ? 0 : fail(d, err, errlen, "saving a setting");
}

int srv_db_meta_get(srv_db *d, const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *st = query(d, Q_META_GET);
	int rc;
	out[0] = '\0';
	if (!st) return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) copy_col(st, 0, out, outlen);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- kiosks ---- */

static void read_kiosk(sqlite3_stmt *st, srv_db_kiosk *k)
{
	const void *key = sqlite3_column_blob(st, 1);
	memset(k, 0, sizeof *k);
	copy_col(st, 0, k->id, sizeof k->id);
	if (key && sqlite3_column_bytes(st, 1) == ENV_PK_BYTES) memcpy(k->key, key, ENV_PK_BYTES);
	k->revoked = sqlite3_column_int(st, 2);
	k->added_at = sqlite3_column_int64(st, 3);
	k->last_seen = sqlite3_column_int64(st, 4);
	k->last_n = sqlite3_column_int64(st, 5);
	k->acked = sqlite3_column_int64(st, 6);
	k->clock_offset = sqlite3_column_int64(st, 7);
	k->requests = sqlite3_column_int64(st, 8);
}

int srv_db_kiosk_add(srv_db *d, const char *id, const unsigned char key[ENV_PK_BYTES], long long now,
	char *err, size_t errlen)
{
	sqlite3_stmt *st = query(d, Q_KIOSK_ADD);
	int rc;
	if (!st) return fail(d, err, errlen, "registering the kiosk");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, key, ENV_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = run(st);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "kiosk %s is already registered (revoke it and register it under a new number"
			" to change its key)", id);
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : fail(d, err, errlen, "registering the kiosk");
}

int srv_db_kiosk_revoke(srv_db *d, const char *id, char *err, size_t errlen)
{
	sqlite3_stmt *st = query(d, Q_KIOSK_REVOKE);
	srv_db_kiosk k;
	int found;
	if (!st) return fail(d, err, errlen, "revoking the kiosk");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE) return fail(d, err, errlen, "revoking the kiosk");
	if (sqlite3_changes(d->sql) == 1) return 0;
	found = srv_db_kiosk_get(d, id, &k);
	if (found < 0) return fail(d, err, errlen, "revoking the kiosk");
	snprintf(err, errlen, found ? "kiosk %s is already revoked" : "unknown kiosk %s (see `kiosk list`)", id);
	return -1;
}

int srv_db_kiosk_get(srv_db *d, const char *id, srv_db_kiosk *out)
{
	sqlite3_stmt *st = query(d, Q_KIOSK_GET);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_kiosk(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_db_kiosk_list(srv_db *d, int (*each)(const srv_db_kiosk *k, void *arg), void *arg,
	char *err, size_t errlen)
{
	sqlite3_stmt *st = query(d, Q_KIOSK_LIST);
	srv_db_kiosk k;
	int rc;
	if (!st) return fail(d, err, errlen, "listing kiosks");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_kiosk(st, &k);
		if (each(&k, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) fail(d, err, errlen, "listing kiosks");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
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

/* A request the insert refused: the same one again, another with its id, or
 * another holding its token (whose id goes to other). */
static store_outcome classify_refused(srv_db *d, const char *kiosk, const proto_request *r, char other[40])
{
	sqlite3_stmt *st = query(d, Q_REQUEST_STORED);
	store_outcome out = STORE_ERROR;
	int rc;
	other[0] = '\0';
	if (!st) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) out = same_content(st, kiosk, r) ? STORED_SAME : CONFLICT_CONTENT;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) return out;
	if (!(st = query(d, Q_TOKEN_HOLDER))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->token, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		copy_col(st, 0, other, 40);
		out = CONFLICT_TOKEN;
	}
	sqlite3_reset(st);
	return out;
}

static store_outcome store_request(srv_db *d, const char *kiosk, const proto_request *r, long long now,
	char other[40])
{
	sqlite3_stmt *st = query(d, Q_REQUEST_INSERT);
	int rc;
	other[0] = '\0';
	if (!st) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->seq);
	sqlite3_bind_text(st, 4, r->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->received_at);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_text(st, 9, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_blob(st, 11, r->sealed, (int)r->sealed_len, SQLITE_STATIC);
	rc = run(st);
	if (rc == SQLITE_CONSTRAINT) return classify_refused(d, kiosk, r, other);
	if (rc != SQLITE_DONE || !(st = query(d, Q_EVENT_SYNCED))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (run(st) != SQLITE_DONE || !(st = query(d, Q_ATTACH_DIALOGUE))) return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	return run(st) == SQLITE_DONE ? STORED_NEW : STORE_ERROR;
}

static int log_conflict(srv_db *d, const char *kiosk, const char *id, const char *other, long long now)
{
	sqlite3_stmt *st = query(d, Q_CONFLICT_LOG);
	if (!st) return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, other[0] ? "token" : "content", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, other, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now);
	return run(st) == SQLITE_DONE ? 0 : -1;
}

/* 1 if the kiosk's request seq is stored, 0 if not, -1 on error. */
static int seq_stored(srv_db *d, const char *kiosk, long long seq)
{
	sqlite3_stmt *st = query(d, Q_SEQ_STORED);
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
	if (!(st = query(d, Q_KIOSK_ACKED))) return -1;
	sqlite3_bind_int64(st, 1, *acked);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	return run(st) == SQLITE_DONE ? 0 : -1;
}

/* Events of the kiosk's requests after cursor, oldest first, at most
 * PROTO_EVENTS; one more is read to know whether more wait. */
static int events_after(srv_db *d, const char *kiosk, long long cursor, proto_reply *reply)
{
	sqlite3_stmt *st = query(d, Q_EVENTS_AFTER);
	int rc, cap = 0;
	reply->cursor = cursor;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cursor);
	sqlite3_bind_int(st, 3, PROTO_EVENTS + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		proto_event *e;
		if (reply->nevents == PROTO_EVENTS) {
			reply->more = 1;
			rc = SQLITE_DONE;
			break;
		}
		if (reply->nevents == cap) {
			int ncap = cap ? cap * 2 : 64;
			proto_event *grown = realloc(reply->events, (size_t)ncap * sizeof *grown);
			if (!grown) break;
			reply->events = grown;
			cap = ncap;
		}
		e = &reply->events[reply->nevents++];
		e->id = sqlite3_column_int64(st, 0);
		copy_col(st, 1, e->request, sizeof e->request);
		e->at = sqlite3_column_int64(st, 2);
		copy_col(st, 3, e->status, sizeof e->status);
		copy_col(st, 4, e->note, sizeof e->note);
		copy_col(st, 5, e->deadline, sizeof e->deadline);
		reply->cursor = e->id;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int add_conference(const work_conference *c, void *arg)
{
	proto_reply *reply = arg;
	proto_conference *out = &reply->conferences[reply->nconferences++];
	out->id = c->id;
	out->at = c->at;
	snprintf(out->place, sizeof out->place, "%s", c->place);
	snprintf(out->leaders, sizeof out->leaders, "%s", c->leaders);
	snprintf(out->topic, sizeof out->topic, "%s", c->topic);
	return reply->nconferences == PROTO_CONFERENCES;
}

/* The dialogue conferences announced for the kiosk's commune that have not
 * started yet, soonest first. */
static int upcoming_conferences(srv_db *d, const char *kiosk, long long now, proto_reply *reply,
	char *err, size_t errlen)
{
	char commune[6];
	snprintf(commune, sizeof commune, "%.5s", kiosk);
	if (!(reply->conferences = calloc(PROTO_CONFERENCES, sizeof *reply->conferences))) {
		snprintf(err, errlen, "storing the push: out of memory");
		return -1;
	}
	return srv_work_conferences(d, commune, now, add_conference, reply, err, errlen);
}

/* The commune's figures for its kiosks' home screens. They are a courtesy:
 * when they cannot be had the reply goes without them. */
static void kiosk_figures(srv_db *d, const char *kiosk, long long now, proto_reply *reply)
{
	char commune[6], why[300];
	long long version = data_version(d);
	snprintf(commune, sizeof commune, "%.5s", kiosk);
	if (strcmp(commune, d->figures_commune) == 0 && now >= d->figures_at && now - d->figures_at < FIGURES_TTL &&
	    version >= 0 && version == d->figures_version) {
		reply->stats = d->figures;
		return;
	}
	if (srv_stats_kiosk(d, commune, now, &reply->stats, why, sizeof why) == 0) {
		memcpy(d->figures_commune, commune, sizeof commune);
		d->figures_at = now;
		d->figures_version = version;
		d->figures = reply->stats;
		return;
	}
	memset(&reply->stats, 0, sizeof reply->stats);
	log_warn("figures for commune %s left out of the reply: %s", commune, why);
}

int srv_db_store_push(srv_db *d, const proto_push *p, long long now, proto_reply *reply,
	srv_db_push_result *res, char *err, size_t errlen)
{
	srv_db_kiosk k;
	sqlite3_stmt *st;
	long long first_conflict = LLONG_MAX, acked;
	int i, found;
	char other[40];
	memset(res, 0, sizeof *res);
	if (p->nrequests > 0 && (!(reply->conflicts = calloc((size_t)p->nrequests, sizeof *reply->conflicts)) ||
	    !(res->conflict_with = calloc((size_t)p->nrequests, sizeof *res->conflict_with)))) {
		snprintf(err, errlen, "storing the push: out of memory");
		return -1;
	}
	if (run_query(d, Q_BEGIN_IMMEDIATE) != SQLITE_DONE) return fail(d, err, errlen, "starting to store the push");
	/* The counter and the revocation are read again under the write lock, so
	 * two copies of one envelope racing in cannot both pass. */
	found = srv_db_kiosk_get(d, p->kiosk, &k);
	if (found < 0) {
		fail(d, err, errlen, "reading the kiosk");
		goto rollback;
	}
	if (!found || k.revoked) {
		res->revoked = 1;
		rollback(d);
		return 0;
	}
	if (p->n <= k.last_n) {
		res->replay = 1;
		res->last_n = k.last_n;
		rollback(d);
		return 0;
	}
	if (!(st = query(d, Q_KIOSK_SEEN))) goto db_error;
	sqlite3_bind_int64(st, 1, p->n);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now - p->clock);
	sqlite3_bind_text(st, 4, p->kiosk, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE) goto db_error;
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		store_outcome o = store_request(d, p->kiosk, r, now, other);
		if (o == STORE_ERROR) goto db_error;
		if (o == STORED_NEW) res->stored++;
		if (o != CONFLICT_CONTENT && o != CONFLICT_TOKEN) continue;
		if (log_conflict(d, p->kiosk, r->id, other, now) != 0) goto db_error;
		memcpy(reply->conflicts[reply->nconflicts], r->id, sizeof r->id);
		memcpy(res->conflict_with[reply->nconflicts], other, sizeof other);
		reply->nconflicts++;
		if (r->seq < first_conflict) first_conflict = r->seq;
	}
	acked = k.acked;
	if (advance_acked(d, p->kiosk, &acked) != 0) goto db_error;
	/* A conflicting request may share its id with a stored one; the kiosk
	 * must still keep it, so the mark it hears stops below. */
	reply->acked = acked < first_conflict ? acked : first_conflict - 1;
	if (events_after(d, p->kiosk, p->cursor, reply) != 0) goto db_error;
	if (upcoming_conferences(d, p->kiosk, now, reply, err, errlen) != 0) goto rollback;
	if (run_query(d, Q_COMMIT) != SQLITE_DONE) goto db_error;
	kiosk_figures(d, p->kiosk, now, reply);
	return 0;
db_error:
	fail(d, err, errlen, "storing the push");
rollback:
	rollback(d);
	free(reply->events);
	free(reply->conferences);
	reply->events = NULL;
	reply->conferences = NULL;
	reply->nevents = reply->nconferences = 0;
	reply->nconflicts = 0;
	return -1;
}

void srv_db_push_result_free(srv_db_push_result *res)
{
	free(res->conflict_with);
	memset(res, 0, sizeof *res);
}

/* ---- lookups ---- */

static void vietnam_date(long long now, char out[11])
{
	time_t t = (time_t)(now + VIETNAM_UTC_OFFSET);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0) out[0] = '\0';
}

static int lookup_events(srv_db *d, const char *request_id, page_request *r)
{
	sqlite3_stmt *st = query(d, Q_LOOKUP_EVENTS);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, PAGE_MAX_EVENTS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->nevents < PAGE_MAX_EVENTS) {
		page_event *e = &r->events[r->nevents++];
		e->at = sqlite3_column_int64(st, 0);
		copy_col(st, 1, e->status, sizeof e->status);
		copy_col(st, 2, e->note, sizeof e->note);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int srv_db_lookup(srv_db *d, const char *token, long long now, page_request *r)
{
	sqlite3_stmt *st;
	char id[40], today[11];
	int rc, result = -1, closed = 0;
	/* r is reused from lookup to lookup: nothing of the last one may show
	 * on the page of a token the server does not know. */
	r->known = 0;
	r->nevents = 0;
	r->overdue = r->accepted = 0;
	r->category[0] = r->procedure[0] = r->deadline[0] = r->status[0] = '\0';
	r->appointment[0] = r->apology[0] = '\0';
	r->received_at = r->updated_at = 0;
	snprintf(r->token, sizeof r->token, "%s", token);
	/* One read transaction: the request row and its events from one snapshot,
	 * even while a staff update commits. */
	if (run_query(d, Q_BEGIN) != SQLITE_DONE) return -1;
	if (!(st = query(d, Q_LOOKUP))) goto done;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, id, sizeof id);
		copy_col(st, 1, r->category, sizeof r->category);
		copy_col(st, 2, r->procedure, sizeof r->procedure);
		r->received_at = sqlite3_column_int64(st, 3);
		copy_col(st, 4, r->deadline, sizeof r->deadline);
		copy_col(st, 5, r->status, sizeof r->status);
		r->updated_at = sqlite3_column_int64(st, 6);
		copy_col(st, 7, r->appointment, sizeof r->appointment);
		r->accepted = sqlite3_column_int(st, 8);
		closed = sqlite3_column_int(st, 9);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) result = 0;
	if (rc != SQLITE_ROW) goto done;
	if (lookup_events(d, id, r) != 0) goto done;
	if (r->appointment[0]) {
		if (!(st = query(d, Q_LOOKUP_APOLOGY))) goto done;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) copy_col(st, 0, r->apology, sizeof r->apology);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto done;
	}
	r->known = 1;
	vietnam_date(now, today);
	/* Late against the deadline in force, or the appointment given since. */
	r->overdue = status_is_overdue(r->status, closed, r->deadline, r->appointment, today);
	result = 1;
done:
	run_query(d, Q_COMMIT);
	return result;
}

static void read_request(sqlite3_stmt *st, srv_db_request *r)
{
	copy_col(st, 0, r->id, sizeof r->id);
	copy_col(st, 1, r->kiosk, sizeof r->kiosk);
	r->seq = sqlite3_column_int64(st, 2);
	copy_col(st, 3, r->token, sizeof r->token);
	copy_col(st, 4, r->category, sizeof r->category);
	copy_col(st, 5, r->procedure, sizeof r->procedure);
	r->received_at = sqlite3_column_int64(st, 6);
	r->received_server_at = sqlite3_column_int64(st, 7);
	copy_col(st, 8, r->deadline, sizeof r->deadline);
	copy_col(st, 9, r->status, sizeof r->status);
	r->updated_at = sqlite3_column_int64(st, 10);
	r->sealed_len = (size_t)sqlite3_column_bytes(st, 11);
	r->sealed = malloc(r->sealed_len ? r->sealed_len : 1);
	if (r->sealed && r->sealed_len) memcpy(r->sealed, sqlite3_column_blob(st, 11), r->sealed_len);
}

static int find_by(srv_db *d, int q, const char *key, srv_db_request *out)
{
	sqlite3_stmt *st = query(d, q);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_request(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW && !out->sealed) return -1;
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out)
{
	char token[TOKEN_LEN + 1];
	int rc;
	memset(out, 0, sizeof *out);
	rc = find_by(d, Q_REQUEST_BY_ID, token_or_id, out);
	if (rc != 0) return rc;
	if (token_parse(token_or_id, token) != TOKEN_OK) return 0;
	return find_by(d, Q_REQUEST_BY_TOKEN, token, out);
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
	sqlite3_stmt *st = query(d, Q_REQUEST_EVENTS);
	proto_event *e = malloc(sizeof *e);
	int rc = SQLITE_ERROR;
	if (st && e) {
		sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			e->id = sqlite3_column_int64(st, 0);
			copy_col(st, 1, e->request, sizeof e->request);
			e->at = sqlite3_column_int64(st, 2);
			copy_col(st, 3, e->status, sizeof e->status);
			copy_col(st, 4, e->note, sizeof e->note);
			copy_col(st, 5, e->deadline, sizeof e->deadline);
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

/* The `update` command's statuses as officials' actions, with the note the
 * citizen gets when the command gives none. Withdrawal and "synced" are not
 * officials' actions: they are recorded as they are. */
static const struct {
	const char *status;
	int action;                  /* -1: recorded as it is */
	const char *note;
} update_steps[] = {
	{ "synced", -1, "" },
	{ "accepted", WORK_ACCEPT, "Hồ sơ đã được thụ lý." },
	{ "in_progress", WORK_PROGRESS, "Hồ sơ đang được giải quyết." },
	{ "supplement", WORK_SUPPLEMENT, "Hồ sơ cần bổ sung giấy tờ; xin liên hệ bộ phận một cửa." },
	{ "resolved", WORK_RESOLVE, "Đã có kết quả giải quyết." },
	{ "rejected", WORK_REJECT, "Hồ sơ không được giải quyết; xin liên hệ bộ phận một cửa để biết lý do." },
	{ "withdrawn", -1, "Hồ sơ đã được rút theo đề nghị của người nộp." },
};

static int update_as_is(srv_db *d, const char *request_id, const char *status, const char *note,
	long long now, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	char detail[64];
	if (run_query(d, Q_BEGIN_IMMEDIATE) != SQLITE_DONE) return fail(d, err, errlen, "starting the update");
	if (!(st = query(d, Q_EVENT_STAFF))) goto db_error;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, request_id, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE) goto db_error;
	if (sqlite3_changes(d->sql) != 1) {
		rollback(d);
		snprintf(err, errlen, "no request %s on this server", request_id);
		return -1;
	}
	if (!(st = query(d, Q_REQUEST_STATUS))) goto db_error;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, request_id, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_DONE) goto db_error;
	if (sqlite3_changes(d->sql) != 1) {
		rollback(d);
		snprintf(err, errlen, "request %s is closed: its status cannot change", request_id);
		return -1;
	}
	snprintf(detail, sizeof detail, "-> %s", status);
	if (srv_work_audit_add(d, now, "cli", "update", request_id, detail, err, errlen) != 0) {
		rollback(d);
		return -1;
	}
	if (run_query(d, Q_COMMIT) != SQLITE_DONE) goto db_error;
	return 0;
db_error:
	fail(d, err, errlen, "updating the request");
	rollback(d);
	return -1;
}

int srv_db_update(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const char *status, const char *note, long long now, long long *event_id, char *err, size_t errlen)
{
	size_t i;
	int rc;
	sqlite3_stmt *st;
	for (i = 0; i < sizeof update_steps / sizeof update_steps[0]; i++)
		if (strcmp(update_steps[i].status, status) == 0) break;
	if (i == sizeof update_steps / sizeof update_steps[0]) {
		snprintf(err, errlen, "%s is not a status officials can set", status);
		return -1;
	}
	if (!note || !note[0]) note = update_steps[i].note;
	if (update_steps[i].action < 0) {
		rc = update_as_is(d, request_id, status, note, now, err, errlen);
	} else {
		work_step step = { (work_action)update_steps[i].action, note, NULL, WORK_NORMAL, NULL, "cli" };
		rc = srv_work_act(d, cat, calendar, request_id, &step, now, err, errlen) == 0 ? 0 : -1;
	}
	if (rc != 0) return -1;
	if (!(st = query(d, Q_LAST_EVENT))) return fail(d, err, errlen, "reading the new event");
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*event_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : fail(d, err, errlen, "reading the new event");
}

long long srv_db_count(srv_db *d)
{
	sqlite3_stmt *st = query(d, Q_COUNT);
	long long n = -1;
	if (!st) return -1;
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}
