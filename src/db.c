/* db: SQLite storage for the kiosk (see db.h).
 *
 * Migrations are a list of SQL scripts; the database's user_version says how
 * many have run. A submission inserts the request and its "received" event in
 * one IMMEDIATE transaction, so the sequence it takes cannot race another
 * writer (the sync command shares the file). */
#include "db.h"
#include "token.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct db {
	sqlite3 *sql;
};

static const char *const migrations[] = {
	/* 1: requests, their events, and small key/value state. */
	"CREATE TABLE request("
	" seq INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" token TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL DEFAULT '',"
	" received_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'received',"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL);"
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY,"
	" request_id TEXT NOT NULL REFERENCES request(id),"
	" at INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX event_request ON event(request_id, at);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

static int fail(db *d, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, d && d->sql ? sqlite3_errmsg(d->sql) : "out of memory");
	return -1;
}

static int migrate(db *d, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int version, i;
	char pragma[64];
	if (sqlite3_prepare_v2(d->sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "reading the schema version");
	sqlite3_step(st);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > NMIGRATIONS) {
		snprintf(err, errlen, "the database is from a newer motcua (schema %d, this one knows %d)",
			version, NMIGRATIONS);
		return -1;
	}
	for (i = version; i < NMIGRATIONS; i++) {
		if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return fail(d, err, errlen, "migrating");
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", i + 1);
		if (sqlite3_exec(d->sql, migrations[i], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(d->sql, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			fail(d, err, errlen, "migrating");
			sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return fail(d, err, errlen, "migrating");
	}
	return 0;
}

int db_open(db **out, const char *dir, char *err, size_t errlen)
{
	char path[600];
	db *d = sqlite3_malloc(sizeof *d);
	*out = NULL;
	if (!d) return fail(NULL, err, errlen, "opening the database");
	d->sql = NULL;
	snprintf(path, sizeof path, "%s/request.db", dir);
	if (sqlite3_open_v2(path, &d->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	sqlite3_busy_timeout(d->sql, 5000);
	/* quick_check reads every page: a corrupt file is refused here, at start,
	 * rather than half-way through a citizen's submission. */
	if (sqlite3_exec(d->sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA foreign_keys=ON; PRAGMA quick_check", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	if (migrate(d, err, errlen) < 0) goto fail;
	*out = d;
	return 0;
fail:
	db_close(d);
	return -1;
}

void db_close(db *d)
{
	if (!d) return;
	sqlite3_close(d->sql);
	sqlite3_free(d);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", s ? s : "");
}

#define REQUEST_COLS "seq, id, token, category, procedure, received_at, deadline, status, updated_at"

static void read_request(sqlite3_stmt *st, db_request *r)
{
	r->seq = sqlite3_column_int64(st, 0);
	copy_col(st, 1, r->id, sizeof r->id);
	copy_col(st, 2, r->token, sizeof r->token);
	copy_col(st, 3, r->category, sizeof r->category);
	copy_col(st, 4, r->procedure, sizeof r->procedure);
	r->received_at = sqlite3_column_int64(st, 5);
	copy_col(st, 6, r->deadline, sizeof r->deadline);
	copy_col(st, 7, r->status, sizeof r->status);
	r->updated_at = sqlite3_column_int64(st, 8);
}

/* Inserts the request row with a new token; SQLITE_CONSTRAINT on the (60-bit,
 * so astronomically rare) token collision is retried by the caller. */
static int insert_request(db *d, const db_submission *s, long long seq, db_request *r)
{
	static const char sql[] =
		"INSERT INTO request(seq, id, token, category, procedure, received_at, deadline, updated_at, sealed)"
		" VALUES(?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st;
	int rc;
	memset(r, 0, sizeof *r);
	r->seq = seq;
	snprintf(r->id, sizeof r->id, "%s-%d-%06lld", s->commune_code, s->kiosk_number, seq);
	if (token_new(r->token) != 0) return SQLITE_ERROR;
	snprintf(r->category, sizeof r->category, "%s", s->category);
	snprintf(r->procedure, sizeof r->procedure, "%s", s->procedure ? s->procedure : "");
	r->received_at = (long long)s->received_at;
	r->updated_at = r->received_at;
	snprintf(r->deadline, sizeof r->deadline, "%s", s->deadline);
	snprintf(r->status, sizeof r->status, "received");
	if ((rc = sqlite3_prepare_v2(d->sql, sql, -1, &st, NULL)) != SQLITE_OK) return rc;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->received_at);
	sqlite3_bind_text(st, 7, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, r->updated_at);
	sqlite3_bind_blob(st, 9, s->sealed, (int)s->sealed_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_first_event(db *d, const db_request *r)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->sql,
		"INSERT INTO event(request_id, at, status) VALUES(?, ?, 'received')", -1, &st, NULL);
	if (rc != SQLITE_OK) return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->received_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int db_submit(db *d, const db_submission *s, db_request *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	long long seq;
	int rc, tries;

	if (!d) {
		snprintf(err, errlen, "the database is not open");
		return -1;
	}
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "starting the submission");
	if (sqlite3_prepare_v2(d->sql, "SELECT coalesce(max(seq), 0) + 1 FROM request", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		fail(d, err, errlen, "numbering the request");
		goto rollback;
	}
	seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	for (tries = 0; tries < 4; tries++) {
		rc = insert_request(d, s, seq, out);
		if (rc != SQLITE_CONSTRAINT) break;
	}
	if (rc != SQLITE_OK || insert_first_event(d, out) != SQLITE_OK) {
		fail(d, err, errlen, "storing the request");
		goto rollback;
	}
	if (sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "committing the request");
		goto rollback;
	}
	return 0;
rollback:
	sqlite3_finalize(st);
	sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
	memset(out, 0, sizeof *out);
	return -1;
}

int db_find_token(db *d, const char *token, db_request *out)
{
	sqlite3_stmt *st;
	int rc;
	if (!d) return -1;
	if (sqlite3_prepare_v2(d->sql, "SELECT " REQUEST_COLS " FROM request WHERE token = ?",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_request(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_events(db *d, const char *request_id, db_event *out, int max)
{
	sqlite3_stmt *st;
	int n = 0, rc;
	if (!d || sqlite3_prepare_v2(d->sql,
			"SELECT at, status, note FROM event WHERE request_id = ? ORDER BY at, id",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		out[n].at = sqlite3_column_int64(st, 0);
		copy_col(st, 1, out[n].status, sizeof out[n].status);
		copy_col(st, 2, out[n].note, sizeof out[n].note);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

long long db_count(db *d)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (!d || sqlite3_prepare_v2(d->sql, "SELECT count(*) FROM request", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

void db_inject_readonly(db *d)
{
	/* SQLite itself then refuses the next write (SQLITE_READONLY), the
	 * same path as a card remounted read-only after an I/O error. */
	if (d) sqlite3_exec(d->sql, "PRAGMA query_only = 1", NULL, NULL, NULL);
}
