/* db: SQLite storage for the kiosk (see db.h).
 *
 * Migrations are a list of SQL scripts; the database's user_version says how
 * many have run. A submission inserts the request and its "received" event in
 * one IMMEDIATE transaction, so the sequence it takes cannot race another
 * writer (the sync command shares the file).
 *
 * Sync state lives in the meta table, one row a key (see meta_keys), so
 * that the kiosk's screens, the background sync and `motcua-sync` read the
 * same numbers through SQLite rather than through shared memory. Events
 * from the server carry the server's id, unique, so applying the same reply
 * twice inserts nothing the second time.
 *
 * A receipt code is never written in clear: the row keeps its keyed hash
 * (seal_code_hash under the request's id) for lookups and the code sealed
 * to the server for the push; the clear code lives only in the db_request
 * that db_submit hands to the receipt. */
#include "status.h"
#include "db.h"
#include "dbcode.h"
#include "dbfile.h"
#include "dbmeta.h"
#include "rating.h"
#include "dbschema.h"
#include "migrate.h"
#include "sqlx.h"
#include "token.h"
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct db {
	sqlite3 *sql;
	char path[600];
	uint32_t store_id;       /* PRAGMA application_id: this store's number, drawn once */
	dbfile_identity file;    /* what was opened at path (dbfile.h) */
	dbcode_keys codes;       /* the server key receipt codes are hashed under and sealed to */
};


/* SQLite's words, except where a person can act on plainer ones: a full
 * disk surfaces as SQLITE_FULL, or as an I/O error whose system error is
 * ENOSPC (a write of the WAL), and both read "disk I/O error" otherwise. */
static const char *plain_error(sqlite3 *sql)
{
	int code = sqlite3_errcode(sql) & 0xff;
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && sqlite3_system_errno(sql) == ENOSPC))
		return "the disk is full (free some space on it; nothing was lost)";
	return sqlite3_errmsg(sql);
}

static int fail(db *d, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, d && d->sql ? plain_error(d->sql) : "out of memory");
	return -1;
}

/* The first line of PRAGMA quick_check: "ok", or the first damage found. */
static int quick_check(db *d, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *result;
	int rc;
	if (sqlite3_prepare_v2(d->sql, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) return fail(d, err, errlen, path);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fail(d, err, errlen, path);
	}
	result = (const char *)sqlite3_column_text(st, 0);
	if (!result || strcmp(result, "ok") != 0) {
		snprintf(err, errlen, "%s is damaged (%.200s): restore it from a copy, or move it aside to start empty",
			path, result ? result : "no answer");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* The database file's first bytes as they are on the disk, read through
 * SQLite's own descriptor (dbfile.h says why not another). */
static int read_file_header(void *ctx, unsigned char out[DBFILE_HEADER])
{
	db *d = ctx;
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(d->sql, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
		return -1;
	return f->pMethods->xRead(f, out, DBFILE_HEADER, 0) == SQLITE_OK ? 0 : -1;
}

/* The store's identity number in its header (application_id), drawn once
 * by whichever program opens the store first, in a write transaction so
 * that the kiosk and motcua-sync agree; then checkpointed, so the file on
 * the disk carries it and another database put in its place does not. */
static long long read_store_id(db *d)
{
	sqlite3_stmt *st;
	long long id = 0;
	if (sqlite3_prepare_v2(d->sql, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int take_store_id(db *d, char *err, size_t errlen)
{
	long long id = read_store_id(d);
	char sql[64];
	/* Read first: a store that has its number opens without a write, on a
	 * full disk or for a reader without write access, as before. */
	if (id != 0) { d->store_id = (uint32_t)id; return 0; }
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return fail(d, err, errlen, d->path);
	id = read_store_id(d);
	while (id == 0) {
		int32_t drawn;
		sqlite3_randomness(sizeof drawn, &drawn);
		id = drawn;
		snprintf(sql, sizeof sql, "PRAGMA application_id = %lld", id);
		if (id && sqlite3_exec(d->sql, sql, NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
			return fail(d, err, errlen, d->path);
		}
	}
	if (sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, d->path);
		sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	d->store_id = (uint32_t)id;
	sqlite3_wal_checkpoint_v2(d->sql, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
}

int db_open(db **out, const char *dir, const seal_server_key *server, char *err, size_t errlen)
{
	char path[600];
	db *d = sqlite3_malloc(sizeof *d);
	*out = NULL;
	if (!d) return fail(NULL, err, errlen, "opening the database");
	memset(d, 0, sizeof *d);
	dbcode_init(&d->codes, server);
	snprintf(path, sizeof path, "%s/request.db", dir);
	if (sqlite3_open_v2(path, &d->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	sqlite3_busy_timeout(d->sql, 5000);
	/* quick_check reads every page: a corrupt file is refused here, at start,
	 * rather than half-way through a citizen's submission. */
	if (sqlite3_exec(d->sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL) != SQLITE_OK ||
	    dbcode_register(d->sql, &d->codes) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	if (quick_check(d, path, err, errlen) != 0) goto fail;
	/* Foreign keys only after the migrations: step 5 rebuilds the request
	 * table that events refer to (SQLite's own recipe for a table change). */
	if (migrate_schema(d->sql, dbschema_migrations, DBSCHEMA_N, "motcua", err, errlen) < 0) goto fail;
	if (dbcode_scrub(d->sql) != 0) {
		fail(d, err, errlen, "clearing the old receipt codes from the file");
		goto fail;
	}
	if (sqlite3_exec(d->sql, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, path);
		goto fail;
	}
	snprintf(d->path, sizeof d->path, "%s", path);
	if (take_store_id(d, err, errlen) != 0 || dbfile_record(&d->file, path, d->store_id, read_file_header, d, err, errlen) != 0) goto fail;
	*out = d;
	return 0;
fail:
	db_close(d);
	return -1;
}

sqlite3 *db_connection(db *d)
{
	return d ? d->sql : NULL;
}

/* A store whose file changed under it lets go so that what is at the path
 * opens clean: its WAL is checkpointed into its own file (wherever that
 * file now is) and emptied, or, when that file was overwritten in place by
 * another database (or garbage), set aside beside it (path-wal.lost-TIME)
 * rather than applied to a file it does not belong to. A file only shorter
 * than it was is closed as usual: the WAL's pages go back into it. */
void db_close(db *d)
{
	char wal[700], aside[760], shm[700];
	int rewritten;
	if (!d) return;
	rewritten = d->file.changed == DBFILE_FOREIGN;
	if (d->file.changed == DBFILE_MOVED || d->file.changed == DBFILE_WAL_GONE)
		sqlite3_wal_checkpoint_v2(d->sql, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rewritten && d->sql) sqlite3_db_config(d->sql, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_close(d->sql);
	if (rewritten) {
		snprintf(wal, sizeof wal, "%s-wal", d->path);
		snprintf(aside, sizeof aside, "%s-wal.lost-%lld", d->path, (long long)time(NULL));
		snprintf(shm, sizeof shm, "%s-shm", d->path);
		if (rename(wal, aside) == 0) unlink(shm);
	}
	sqlite3_free(d);
}

/* The deadline in force is the latest one an office event set (in the
 * server's order), else the receipt's: the request row keeps the receipt's,
 * which is what was sent upstream and must not change under it. */
/* The latest server event that set a date or took it away ('': none in
 * force), else the receipt's; in the server's order, so events applied
 * out of order or twice end the same. */
#define DUE_SQL "coalesce((SELECT e.deadline FROM event e WHERE e.request_id = request.id" \
	" AND (e.deadline != '' OR e.undated) ORDER BY e.server_id DESC LIMIT 1), deadline)"
/* Requests after a seq, unread (dense seqs: max + 1, none deleted; a count(*) read each row per batch). */
#define WAITING_SQL "SELECT max(coalesce((SELECT max(seq) FROM request), 0) - ?, 0)"
#define REQUEST_COLS "seq, id, '', category, procedure, received_at, deadline, status, updated_at, " DUE_SQL

/* 0, or -1 when a stored text is longer than its field. */
static int read_request(sqlite3_stmt *st, db_request *r)
{
	int bad = 0;
	r->seq = sqlite3_column_int64(st, 0);
	bad |= sqlx_copy_col(st, 1, r->id, sizeof r->id);
	bad |= sqlx_copy_col(st, 2, r->token, sizeof r->token);
	bad |= sqlx_copy_col(st, 3, r->category, sizeof r->category);
	bad |= sqlx_copy_col(st, 4, r->procedure, sizeof r->procedure);
	r->received_at = sqlite3_column_int64(st, 5);
	bad |= sqlx_copy_col(st, 6, r->deadline, sizeof r->deadline);
	bad |= sqlx_copy_col(st, 7, r->status, sizeof r->status);
	r->updated_at = sqlite3_column_int64(st, 8);
	bad |= sqlx_copy_col(st, 9, r->due, sizeof r->due);
	return bad ? -1 : 0;
}

/* Inserts the request row with a new code, stored as its hash and sealed.
 * Two requests of one kiosk with one code (60 random bits: astronomically
 * rare) would be refused as a conflict by the server; the hashes, salted by
 * the id, cannot be kept unique by an index. */
static int insert_request(db *d, const db_submission *s, long long seq, db_request *r)
{
	static const char sql[] =
		"INSERT INTO request(seq, id, code_hash, code_sealed, category, procedure, received_at, deadline,"
		" updated_at, sealed) VALUES(?,?,?,?,?,?,?,?,?,?)";
	unsigned char hash[SEAL_CODE_HASH_BYTES], box[SEAL_CODE_SEALED_BYTES];
	sqlite3_stmt *st;
	int rc;
	memset(r, 0, sizeof *r);
	r->seq = seq;
	snprintf(r->id, sizeof r->id, "%s-%d-%06lld", s->commune_code, s->kiosk_number, seq);
	if (token_new(r->token) != 0) return SQLITE_ERROR;
	if (dbcode_make(&d->codes, r->id, r->token, hash, box) != 0) return SQLITE_ERROR;
	snprintf(r->category, sizeof r->category, "%s", s->category);
	snprintf(r->procedure, sizeof r->procedure, "%s", s->procedure ? s->procedure : "");
	r->received_at = (long long)s->received_at;
	r->updated_at = r->received_at;
	snprintf(r->deadline, sizeof r->deadline, "%s", s->deadline);
	snprintf(r->due, sizeof r->due, "%s", s->deadline);
	snprintf(r->status, sizeof r->status, "received");
	if ((rc = sqlite3_prepare_v2(d->sql, sql, -1, &st, NULL)) != SQLITE_OK) return rc;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, box, sizeof box, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->procedure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->received_at);
	sqlite3_bind_text(st, 8, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, r->updated_at);
	sqlite3_bind_blob(st, 10, s->sealed, (int)s->sealed_len, SQLITE_STATIC);
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
	int rc;

	if (!d) {
		snprintf(err, errlen, "the database is not open");
		return -1;
	}
	if (!d->codes.keyed) {
		snprintf(err, errlen, "cannot store a request: no server key configured to keep its receipt code");
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
	rc = insert_request(d, s, seq, out);
	if (rc != SQLITE_OK || insert_first_event(d, out) != SQLITE_OK) {
		fail(d, err, errlen, "storing the request");
		goto rollback;
	}
	/* A receipt is shown only for a request in the file at the path. */
	if (dbfile_verify(&d->file, d->path, d->store_id, read_file_header, d, err, errlen) != 0) goto rollback;
	if (sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "committing the request");
		goto rollback;
	}
	/* Into the database file itself as well as its WAL, so a WAL deleted
	 * by mistake takes no receipt with it; a reader holding an older
	 * snapshot may leave the rest for the next time. Then once more: the
	 * file that took it is still the one at the path. */
	sqlite3_wal_checkpoint_v2(d->sql, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (dbfile_verify(&d->file, d->path, d->store_id, read_file_header, d, err, errlen) != 0) {
		memset(out, 0, sizeof *out);
		return -1;
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
	char id[40];
	int rc = d ? dbcode_find(d->sql, &d->codes, token, id, sizeof id) : -1;
	if (rc != 1) return rc;
	if (sqlite3_prepare_v2(d->sql, "SELECT " REQUEST_COLS " FROM request WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_request(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	/* What the citizen typed, for the screen: the store has no copy. */
	if (rc == SQLITE_ROW) snprintf(out->token, sizeof out->token, "%s", token);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_events(db *d, const char *request_id, db_event *out, int max)
{
	sqlite3_stmt *st;
	int n = 0, rc;
	if (!d || sqlite3_prepare_v2(d->sql,
			/* The kiosk's own event has no server id and comes first; the
			 * server's follow in its order, whatever the kiosk's clock said. */
			"SELECT at, status, note, deadline, undated FROM (SELECT at, status, note, deadline, undated, server_id, id FROM event"
			" WHERE request_id = ? ORDER BY server_id IS NULL, server_id DESC, at DESC, id DESC LIMIT ?)"
			" ORDER BY server_id IS NOT NULL, server_id, at, id",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		out[n].at = sqlite3_column_int64(st, 0);
		out[n].undated = sqlite3_column_int(st, 4) != 0;
		/* A note longer than the protocol's is cut, not refused: the
		 * screen shows as much of it as fits anyway. */
		const char *note = (const char *)sqlite3_column_text(st, 2);
		snprintf(out[n].note, sizeof out[n].note, "%s", note ? note : "");
		if (sqlx_copy_col(st, 1, out[n].status, sizeof out[n].status) != 0 ||
		    sqlx_copy_col(st, 3, out[n].deadline, sizeof out[n].deadline) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
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

int db_check_file(db *d, char *err, size_t errlen)
{
	return dbfile_verify(&d->file, d->path, d->store_id, read_file_header, d, err, errlen);
}

void db_inject_readonly(db *d)
{
	/* SQLite itself then refuses the next write (SQLITE_READONLY), the
	 * same path as a card remounted read-only after an I/O error. */
	if (d) sqlite3_exec(d->sql, "PRAGMA query_only = 1", NULL, NULL, NULL);
}

/* ---- sync ---- */

/* The meta keys sync keeps; numbers are stored as decimal text. */
#define META_ACKED "sync.acked"
#define META_CURSOR "sync.cursor"
#define META_ENVELOPE "sync.envelope_n"
#define META_LAST_SUCCESS "sync.last_success"
#define META_LAST_EVENTS "sync.last_events"
#define META_LAST_ATTEMPT "sync.last_attempt"
#define META_LAST_ERROR "sync.last_error"
#define META_CLOCK_OFFSET "sync.clock_offset"
#define META_STATS_YEAR "stats.year"
#define META_STATS_RESOLVED "stats.resolved"
#define META_STATS_ON_TIME "stats.on_time"
#define META_CLOCK_BEHIND "clock.behind"
#define META_CLOCK_BEHIND_AT "clock.behind_at"
#define META_COUNTER_ACKED "sync.counter_acked"   /* dbcounter.c reads it too */

void db_free_requests(proto_request *r, int count)
{
	int i;
	if (!r) return;
	for (i = 0; i < count; i++) free(r[i].sealed);
	free(r);
}

int db_outbox(db *d, long long after, int max, proto_request **out, int *count, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	proto_request *list = NULL;
	long long acked, n;
	int rc, i = 0;
	*out = NULL;
	*count = 0;
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	/* One read transaction, so the count and the rows agree while the
	 * kiosk keeps filing. */
	if (sqlite3_exec(d->sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "reading the outbox");
	if (dbmeta_get_int(d->sql, META_ACKED, 0, &acked) != 0) {
		fail(d, err, errlen, "reading the outbox");
		goto fail;
	}
	if (after > acked) acked = after;
	if (dbmeta_query_int(d->sql, WAITING_SQL, acked, &n) != 0) {
		fail(d, err, errlen, "reading the outbox");
		goto fail;
	}
	if (max > 0 && n > max) n = max;
	if (n > 0 && !(list = calloc((size_t)n, sizeof *list))) {
		snprintf(err, errlen, "reading the outbox: out of memory");
		goto fail;
	}
	if (sqlite3_prepare_v2(d->sql, "SELECT seq, id, code_sealed, category, procedure, received_at, deadline, sealed"
			" FROM request WHERE seq > ? ORDER BY seq LIMIT ?", -1, &st, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "reading the outbox");
		goto fail;
	}
	sqlite3_bind_int64(st, 1, acked);
	sqlite3_bind_int64(st, 2, n);
	while (i < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		proto_request *r = &list[i];
		const void *blob = sqlite3_column_blob(st, 7);
		int len = sqlite3_column_bytes(st, 7);
		r->seq = sqlite3_column_int64(st, 0);
		r->received_at = sqlite3_column_int64(st, 5);
		if (sqlite3_column_bytes(st, 2) != SEAL_CODE_SEALED_BYTES) {
			snprintf(err, errlen, "reading the outbox: request %lld has no sealed receipt code", r->seq);
			goto fail;
		}
		memcpy(r->token_sealed, sqlite3_column_blob(st, 2), SEAL_CODE_SEALED_BYTES);
		r->has_token_sealed = 1;
		if (sqlx_copy_col(st, 1, r->id, sizeof r->id) != 0 ||
		    sqlx_copy_col(st, 3, r->category, sizeof r->category) != 0 ||
		    sqlx_copy_col(st, 4, r->procedure, sizeof r->procedure) != 0 ||
		    sqlx_copy_col(st, 6, r->deadline, sizeof r->deadline) != 0) {
			snprintf(err, errlen, "reading the outbox: request %lld has a field longer than the protocol allows", r->seq);
			goto fail;
		}
		if (len <= 0 || !(r->sealed = malloc((size_t)len))) {
			snprintf(err, errlen, "reading the outbox: request %s has no sealed record or memory ran out", r->id);
			goto fail;
		}
		memcpy(r->sealed, blob, (size_t)len);
		r->sealed_len = (size_t)len;
		i++;
	}
	if (i < n) {
		fail(d, err, errlen, "reading the outbox");
		goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL);
	*out = list;
	*count = i;
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
	db_free_requests(list, (int)n);   /* calloc'd: unfilled entries hold NULL */
	return -1;
}

int db_next_envelope(db *d, long long *n, char *err, size_t errlen)
{
	long long last;
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "taking an envelope number");
	if (dbmeta_get_int(d->sql, META_ENVELOPE, 0, &last) != 0 || dbmeta_set_int(d->sql, META_ENVELOPE, last + 1) != 0 ||
	    sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "taking an envelope number");
		sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	*n = last + 1;
	return 0;
}

/* Inserts one server event unless it is already here or its request is
 * unknown. 1 inserted, 0 skipped, -1 error. */
static int insert_server_event(db *d, const proto_event *e)
{
	sqlite3_stmt *st;
	long long known;
	int rc;
	if (sqlite3_prepare_v2(d->sql, "SELECT count(*) FROM request WHERE id = ?", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, e->request, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	known = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (known < 0) return -1;
	if (known == 0) return 0;
	if (sqlite3_prepare_v2(d->sql, "INSERT OR IGNORE INTO event(server_id, request_id, at, status, note, deadline,"
			" undated) VALUES(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_text(st, 2, e->request, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e->at);
	sqlite3_bind_text(st, 4, e->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, e->undated != 0);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) return -1;
	return sqlite3_changes(d->sql) > 0;
}

/* A request's status is its latest server event's, in the server's order. */
static int refresh_status(db *d, const char *request_id)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(d->sql, "UPDATE request SET (status, updated_at) = (SELECT status, at FROM event"
			" WHERE request_id = ?1 AND server_id IS NOT NULL ORDER BY server_id DESC LIMIT 1)"
			" WHERE id = ?1 AND EXISTS (SELECT 1 FROM event WHERE request_id = ?1 AND server_id IS NOT NULL)",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Each reply carries the commune's upcoming conferences in full: the list
 * replaces the kiosk's, so a cancelled conference disappears. */
static int replace_conferences(db *d, const proto_reply *r)
{
	sqlite3_stmt *st;
	int i, rc = SQLITE_DONE;
	if (sqlite3_exec(d->sql, "DELETE FROM conference", NULL, NULL, NULL) != SQLITE_OK) return -1;
	if (r->nconferences <= 0) return 0;
	if (sqlite3_prepare_v2(d->sql, "INSERT OR REPLACE INTO conference(id, at, place, leaders, topic)"
			" VALUES(?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < r->nconferences && rc == SQLITE_DONE; i++) {
		const proto_conference *c = &r->conferences[i];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, c->at);
		sqlite3_bind_text(st, 3, c->place, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->leaders, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->topic, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int store_stats(db *d, const proto_stats *s)
{
	return dbmeta_set_int(d->sql, META_STATS_YEAR, s->year) != 0 || dbmeta_set_int(d->sql, META_STATS_RESOLVED, s->resolved) != 0 ||
		dbmeta_set_int(d->sql, META_STATS_ON_TIME, s->on_time) != 0 ? -1 : 0;
}

int db_apply_reply(db *d, const proto_reply *r, long long sent, long long received,
	db_applied *out, char *err, size_t errlen)
{
	db_applied a;
	long long cursor, max_seq, last_reply;
	int i, rc;
	memset(&a, 0, sizeof a);
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "applying the server's answer");
	if (dbmeta_get_int(d->sql, META_ACKED, 0, &a.acked_before) != 0 || dbmeta_get_int(d->sql, META_CURSOR, 0, &cursor) != 0 ||
	    dbmeta_get_int(d->sql, META_LAST_SUCCESS, 0, &last_reply) != 0 ||
	    dbmeta_query_int(d->sql, "SELECT coalesce(max(seq), 0) FROM request", 0, &max_seq) != 0)
		goto fail;
	/* An answer carried on a stick can be older than one already applied
	 * (a stick found in a drawer, a replay). Its acknowledgements and events
	 * apply as any other's, never lowering a mark; what it replaces whole
	 * (conferences, figures, the last sync, and the files sync.c takes) would
	 * take the kiosk back, so it is left alone. A live answer (sent > 0)
	 * answers the envelope just sent and is never stale. */
	a.stale = sent <= 0 && r->server_time < last_reply;
	/* Never lower; and never above what this kiosk holds, so that a server
	 * that knows more (a kiosk reinstalled under the same id) cannot make
	 * new requests look already sent: they go up and meet a conflict. */
	a.acked = r->acked > a.acked_before ? r->acked : a.acked_before;
	if (a.acked > max_seq) a.acked = max_seq > a.acked_before ? max_seq : a.acked_before;
	a.cursor = r->cursor > cursor ? r->cursor : cursor;
	for (i = 0; i < r->nevents; i++) {
		rc = insert_server_event(d, &r->events[i]);
		if (rc < 0) goto fail;
		if (rc == 0) { a.skipped++; continue; }
		a.inserted++;
		if (refresh_status(d, r->events[i].request) != 0) goto fail;
	}
	if (dbmeta_set_int(d->sql, META_ACKED, a.acked) != 0 || dbmeta_set_int(d->sql, META_CURSOR, a.cursor) != 0)
		goto fail;
	/* The counter's events the server has applied: never lowered. */
	if (r->counter_acked > 0) {
		long long before;
		if (dbmeta_get_int(d->sql, META_COUNTER_ACKED, 0, &before) != 0 ||
		    (r->counter_acked > before && dbmeta_set_int(d->sql, META_COUNTER_ACKED, r->counter_acked) != 0))
			goto fail;
	}
	if (r->ratings_acked > 0 && rating_mark_pushed(d, r->ratings_acked, received) != 0) goto fail;
	if (!a.stale && (dbmeta_set_int(d->sql, META_LAST_SUCCESS, r->server_time) != 0 ||
	    dbmeta_set_int(d->sql, META_LAST_ATTEMPT, received) != 0 || dbmeta_set(d->sql, META_LAST_ERROR, "") != 0))
		goto fail;
	if (!a.stale && a.inserted && dbmeta_set_int(d->sql, META_LAST_EVENTS, r->server_time) != 0) goto fail;
	if (!a.stale && (replace_conferences(d, r) != 0 || (r->stats.known && store_stats(d, &r->stats) != 0)))
		goto fail;
	/* The exchange's midpoint stands for the moment the server stamped. */
	if (sent > 0 && dbmeta_set_int(d->sql, META_CLOCK_OFFSET, r->server_time - (sent + received) / 2) != 0) goto fail;
	if (sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
	if (out) *out = a;
	return 0;
fail:
	fail(d, err, errlen, "applying the server's answer");
	sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int db_sync_failed(db *d, long long at, const char *reason, char *err, size_t errlen)
{
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "recording a failed sync");
	if (dbmeta_set_int(d->sql, META_LAST_ATTEMPT, at) != 0 || dbmeta_set(d->sql, META_LAST_ERROR, reason[0] ? reason : "failed") != 0 ||
	    sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "recording a failed sync");
		sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int db_read_sync_state(db *d, db_sync_state *out, char *err, size_t errlen)
{
	int rc;
	memset(out, 0, sizeof *out);
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, err, errlen, "reading the sync state");
	rc = dbmeta_get_int(d->sql, META_ACKED, 0, &out->acked);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_CURSOR, 0, &out->cursor);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_ENVELOPE, 0, &out->envelope_n);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_LAST_SUCCESS, 0, &out->last_success);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_LAST_EVENTS, 0, &out->last_events);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_LAST_ATTEMPT, 0, &out->last_attempt);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_CLOCK_BEHIND, 0, &out->clock_behind);
	if (rc == 0) rc = dbmeta_get_int(d->sql, META_CLOCK_BEHIND_AT, 0, &out->clock_behind_at);
	if (rc == 0) rc = dbmeta_query_int(d->sql, WAITING_SQL, out->acked, &out->pending);
	if (rc == 0) {
		char offset[32];
		int found = dbmeta_get(d->sql, META_CLOCK_OFFSET, offset, sizeof offset);
		rc = found < 0 || dbmeta_get(d->sql, META_LAST_ERROR, out->last_error, sizeof out->last_error) < 0;
		out->clock_known = found == 1;
		out->clock_offset = found == 1 ? strtoll(offset, NULL, 10) : 0;
	}
	sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL);
	if (rc != 0) return fail(d, err, errlen, "reading the sync state");
	return 0;
}

/* ---- the clock ---- */

int db_last_received(db *d, long long *out, char *err, size_t errlen)
{
	*out = 0;
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (dbmeta_query_int(d->sql, "SELECT coalesce(max(received_at), 0) FROM request", 0, out) != 0)
		return fail(d, err, errlen, "reading the last receipt's time");
	return 0;
}

int db_clock_behind(db *d, long long behind, long long at, char *err, size_t errlen)
{
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    dbmeta_set_int(d->sql, META_CLOCK_BEHIND, behind) != 0 || dbmeta_set_int(d->sql, META_CLOCK_BEHIND_AT, at) != 0 ||
	    sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(d, err, errlen, "recording the clock");
		sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* ---- counts for staff ---- */

int db_count_by_status(db *d, const char *today, db_counts *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc, i;
	memset(out, 0, sizeof *out);
	if (!d) { snprintf(err, errlen, "the database is not open"); return -1; }
	if (sqlite3_exec(d->sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return fail(d, err, errlen, "counting requests");
	if (sqlite3_prepare_v2(d->sql, "SELECT status, count(*) FROM request GROUP BY status", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		long long n = sqlite3_column_int64(st, 1);
		out->total += n;
		for (i = 0; status_names[i] && i < 16; i++)
			if (status && strcmp(status, status_names[i]) == 0) out->by_status[i] = n;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) goto fail;
	if (sqlite3_prepare_v2(d->sql, "SELECT count(*) FROM (SELECT status, " DUE_SQL " AS due FROM request)"
			" WHERE status NOT IN " STATUS_FINAL_SQL " AND due <> '' AND due < ?", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) goto fail;
	out->overdue = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_exec(d->sql, "COMMIT", NULL, NULL, NULL);
	return 0;
fail:
	fail(d, err, errlen, "counting requests");
	sqlite3_finalize(st);
	sqlite3_exec(d->sql, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* ---- conferences and figures ---- */

int db_next_conference(db *d, long long from, proto_conference *out)
{
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	if (!d || sqlite3_prepare_v2(d->sql, "SELECT id, at, place, leaders, topic FROM conference WHERE at >= ?"
			" ORDER BY at, id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->at = sqlite3_column_int64(st, 1);
		if (sqlx_copy_col(st, 2, out->place, sizeof out->place) != 0 ||
		    sqlx_copy_col(st, 3, out->leaders, sizeof out->leaders) != 0 ||
		    sqlx_copy_col(st, 4, out->topic, sizeof out->topic) != 0)
			rc = SQLITE_TOOBIG;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_read_stats(db *d, proto_stats *out)
{
	long long year;
	int found;
	char text[32];
	memset(out, 0, sizeof *out);
	if (!d) return -1;
	found = dbmeta_get(d->sql, META_STATS_YEAR, text, sizeof text);
	if (found <= 0) return found;
	year = strtoll(text, NULL, 10);
	if (dbmeta_get_int(d->sql, META_STATS_RESOLVED, -1, &out->resolved) != 0 ||
	    dbmeta_get_int(d->sql, META_STATS_ON_TIME, -1, &out->on_time) != 0)
		return -1;
	out->year = (int)year;
	out->known = 1;
	return 0;
}
