/* srv_copy_pg: `motcua-server store copy`: a SQLite store moved into an
 * empty PostgreSQL one, every row as it is, every id kept (events, audit
 * rows, conferences), so kiosks' cursors and the console's links stay
 * valid.
 *
 * Both stores are opened as the server opens them (so both are migrated
 * to the same version, whose tables and columns agree: test_pg checks it).
 * The columns of each table are PostgreSQL's, in its order, read from the
 * SQLite file under one read transaction (one snapshot) and written with
 * COPY in one PostgreSQL transaction: all of it or nothing. Blobs go as
 * bytea, SQLite's 0/1 flags as booleans. The identity counters are moved
 * past the largest id copied, the rows are counted on both sides, and the
 * tables vacuumed and analyzed. */
#include "srv_pg_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In an order the foreign keys accept. */
static const char *const tables[] = {
	"kiosk", "request", "event", "conflict", "meta", "commune", "conference", "audit",
	"staff_user", "staff_session", "staff_login_failure", "envelope_seen", "officer_commune",
	"queue_day", "find_key", "canned_reply", "sms_outbox", "rating",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* The tables whose ids PostgreSQL hands out. */
static const char *const identities[] = { "event", "conference", "audit", "canned_reply", "sms_outbox", "rating" };

typedef struct {
	char *buf;
	size_t len, cap;
} line;

static int put(line *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;
		char *b = realloc(l->buf, cap);
		if (!b) return -1;
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	return 0;
}

/* A value in COPY's text format: tabs, newlines and backslashes escaped. */
static int put_text(line *l, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char esc[2] = { '\\', 0 };
		switch (s[i]) {
		case '\\': esc[1] = '\\'; break;
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			if (put(l, s + i, 1) != 0) return -1;
			continue;
		}
		if (put(l, esc, 2) != 0) return -1;
	}
	return 0;
}

/* bytea as \\x and hex digits (the backslash itself escaped for COPY). */
static int put_bytes(line *l, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	if (put(l, "\\\\x", 3) != 0) return -1;
	for (i = 0; i < n; i++) {
		char two[2] = { hex[p[i] >> 4], hex[p[i] & 15] };
		if (put(l, two, 2) != 0) return -1;
	}
	return 0;
}

/* PostgreSQL's columns of table, "a, b, c", and their types' first letters
 * (t text, b bytea, o boolean, n number). */
static int columns_of(srv_db *d, const char *table, char *cols, size_t colslen, char *kinds, size_t kindslen)
{
	pg_args a = { 0 };
	PGresult *r;
	size_t n = 0;
	int i;
	pa_t(&a, table);
	r = srv_pg_q(d, SP_COPY_COLUMNS, "SELECT column_name, data_type FROM information_schema.columns"
		" WHERE table_schema = current_schema() AND table_name = $1::text ORDER BY ordinal_position", &a);
	if (!r) return -1;
	cols[0] = '\0';
	for (i = 0; i < PQntuples(r) && (size_t)i + 1 < kindslen; i++) {
		const char *type = PQgetvalue(r, i, 1);
		n += (size_t)snprintf(cols + n, n < colslen ? colslen - n : 0, "%s%s", i ? ", " : "", PQgetvalue(r, i, 0));
		kinds[i] = strcmp(type, "bytea") == 0 ? 'b' : strcmp(type, "boolean") == 0 ? 'o' :
			strcmp(type, "text") == 0 ? 't' : 'n';
	}
	kinds[i] = '\0';
	PQclear(r);
	return n < colslen && i > 0 ? 0 : -1;
}

/* Copies one table: rows copied, or -1 with err. */
static long long copy_table(srv_db *from, srv_db *to, const char *table, char *err, size_t errlen)
{
	char cols[1024], kinds[64], sql[1200];
	sqlite3_stmt *st = NULL;
	PGresult *r;
	line l = { 0 };
	long long rows = 0;
	int rc, k;
	if (columns_of(to, table, cols, sizeof cols, kinds, sizeof kinds) != 0) {
		srv_pg_fail(to, err, errlen, table);
		return -1;
	}
	snprintf(sql, sizeof sql, "SELECT %s FROM %s", cols, table);
	if (sqlite3_prepare_v2(from->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: reading the SQLite store: %s", table, sqlite3_errmsg(from->sql));
		return -1;
	}
	snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", table, cols);
	r = PQexec(to->pg->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		snprintf(err, errlen, "%s: %s", table, PQerrorMessage(to->pg->conn));
		PQclear(r);
		sqlite3_finalize(st);
		return -1;
	}
	PQclear(r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		l.len = 0;
		for (k = 0; kinds[k]; k++) {
			int bad = k && put(&l, "\t", 1) != 0;
			if (sqlite3_column_type(st, k) == SQLITE_NULL) bad |= put(&l, "\\N", 2);
			else if (kinds[k] == 'b')
				bad |= put_bytes(&l, sqlite3_column_blob(st, k), (size_t)sqlite3_column_bytes(st, k));
			else if (kinds[k] == 'o') bad |= put(&l, sqlite3_column_int64(st, k) ? "t" : "f", 1);
			else bad |= put_text(&l, (const char *)sqlite3_column_text(st, k), (size_t)sqlite3_column_bytes(st, k));
			if (bad) goto nomem;
		}
		if (put(&l, "\n", 1) != 0) goto nomem;
		if (PQputCopyData(to->pg->conn, l.buf, (int)l.len) != 1) break;
		rows++;
	}
	sqlite3_finalize(st);
	free(l.buf);
	if (rc != SQLITE_DONE) {
		PQputCopyEnd(to->pg->conn, "the SQLite store could not be read");
		snprintf(err, errlen, "%s: reading the SQLite store: %s", table, sqlite3_errmsg(from->sql));
		while ((r = PQgetResult(to->pg->conn))) PQclear(r);
		return -1;
	}
	if (PQputCopyEnd(to->pg->conn, NULL) != 1) rows = -1;
	while ((r = PQgetResult(to->pg->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) rows = -1;
		if (rows < 0) snprintf(err, errlen, "%s: %s", table, PQresultErrorMessage(r));
		PQclear(r);
	}
	return rows;
nomem:
	sqlite3_finalize(st);
	free(l.buf);
	PQputCopyEnd(to->pg->conn, "out of memory");
	while ((r = PQgetResult(to->pg->conn))) PQclear(r);
	snprintf(err, errlen, "%s: out of memory", table);
	return -1;
}

static long long count_pg(srv_db *d, const char *table)
{
	char sql[80];
	PGresult *r;
	long long n = -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	r = PQexec(d->pg->conn, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK) n = srv_pg_ll(r, 0, 0);
	PQclear(r);
	return n;
}

static long long count_sqlite(srv_db *d, const char *table)
{
	char sql[80];
	sqlite3_stmt *st;
	long long n = -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(d->sql, sql, -1, &st, NULL) != SQLITE_OK) return -1;
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int srv_pg_copy_from(srv_db *from, srv_db *to, int (*told)(const char *table, long long rows, void *arg), void *arg,
	char *err, size_t errlen)
{
	char sql[200];
	size_t i;
	long long rows[NTABLES];
	for (i = 0; i < NTABLES; i++) {
		long long n = count_pg(to, tables[i]);
		if (n != 0) {
			snprintf(err, errlen, n < 0 ? "reading the PostgreSQL store's %s" :
				"the PostgreSQL store is not empty (its %s table has rows): copy into a new database", tables[i]);
			return -1;
		}
	}
	if (sqlite3_exec(from->sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK || srv_pg_exec(to, "BEGIN") != 0) {
		snprintf(err, errlen, "starting the copy: %s", to->pg->msg[0] ? to->pg->msg : sqlite3_errmsg(from->sql));
		goto fail;
	}
	for (i = 0; i < NTABLES; i++)
		if ((rows[i] = copy_table(from, to, tables[i], err, errlen)) < 0) goto fail;
	/* The next ids PostgreSQL hands out follow the last copied. */
	for (i = 0; i < sizeof identities / sizeof identities[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), max(id)) FROM %s"
			" HAVING max(id) IS NOT NULL", identities[i], identities[i]);
		if (srv_pg_exec(to, sql) != 0) {
			srv_pg_fail(to, err, errlen, identities[i]);
			goto fail;
		}
	}
	for (i = 0; i < NTABLES; i++)
		if (count_pg(to, tables[i]) != rows[i] || count_sqlite(from, tables[i]) != rows[i]) {
			snprintf(err, errlen, "%s: the rows copied do not match the rows counted", tables[i]);
			goto fail;
		}
	if (srv_pg_exec(to, "COMMIT") != 0) {
		srv_pg_fail(to, err, errlen, "finishing the copy");
		goto fail;
	}
	sqlite3_exec(from->sql, "COMMIT", NULL, NULL, NULL);
	/* The planner's statistics of the new rows now, not at autovacuum's
	 * next round: the first lookups must not plan on an empty table's.
	 * VACUUM too: until the visibility map is set, an index-only read
	 * visits the table for every entry (one commune's open requests took
	 * 31 ms instead of 2 at a million), and autovacuum's first pass over
	 * the fresh rows would land on the first hours of service. */
	if (srv_pg_exec(to, "VACUUM ANALYZE") != 0) {
		srv_pg_fail(to, err, errlen, "analyzing the copied tables (the copy itself is done)");
		return -1;
	}
	for (i = 0; i < NTABLES; i++)
		if (told) told(tables[i], rows[i], arg);
	return 0;
fail:
	srv_pg_rollback(to);
	sqlite3_exec(from->sql, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
