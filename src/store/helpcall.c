/* helpcall: the kiosk's calls for staff in its store (see helpcall.h). */
#include "helpcall.h"
#include "dbmeta.h"

#include <sqlite3.h>
#include <stdio.h>

static int fail(sqlite3 *sql, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sql ? sqlite3_errmsg(sql) : "no store");
	return -1;
}

int helpcall_request(db *d, long long now, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st = NULL;
	int rc, open = 0;
	if (!sql) return fail(sql, err, errlen, "call for staff");
	/* The check and the insert in one write transaction: two taps racing
	 * (or the kiosk and a second kiosk on one store) record one call. */
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(sql, err, errlen, "call for staff: starting");
	if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM help_call WHERE answered_at = 0 AND at > ?", -1, &st, NULL)
			!= SQLITE_OK) goto error;
	sqlite3_bind_int64(st, 1, now - HELPCALL_REPEAT_S);
	if (sqlite3_step(st) != SQLITE_ROW) goto error;
	open = sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	st = NULL;
	if (!open) {
		if (sqlite3_prepare_v2(sql, "INSERT INTO help_call(at) VALUES(?)", -1, &st, NULL) != SQLITE_OK) goto error;
		sqlite3_bind_int64(st, 1, now);
		if (sqlite3_step(st) != SQLITE_DONE) goto error;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto error;
	return open ? HELPCALL_OPEN : HELPCALL_STORED;
error:
	rc = fail(sql, err, errlen, "call for staff");
	sqlite3_finalize(st);
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int helpcall_open(db *d, helpcall *out, int max, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int n = 0, rc;
	if (!sql) return fail(sql, err, errlen, "calls for staff");
	if (sqlite3_prepare_v2(sql, "SELECT id, at FROM help_call WHERE answered_at = 0 ORDER BY at, id LIMIT ?",
			-1, &st, NULL) != SQLITE_OK) return fail(sql, err, errlen, "calls for staff");
	sqlite3_bind_int(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		out[n].id = sqlite3_column_int64(st, 0);
		out[n].at = sqlite3_column_int64(st, 1);
		n++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) n = fail(sql, err, errlen, "calls for staff");
	sqlite3_finalize(st);
	return n;
}

int helpcall_answer(db *d, long long id, int counter, long long now, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int rc;
	if (!sql) return fail(sql, err, errlen, "answering a call");
	if (sqlite3_prepare_v2(sql, "UPDATE help_call SET answered_at = ?, counter = ? WHERE id = ? AND answered_at = 0",
			-1, &st, NULL) != SQLITE_OK) return fail(sql, err, errlen, "answering a call");
	sqlite3_bind_int64(st, 1, now > 0 ? now : 1);
	sqlite3_bind_int(st, 2, counter);
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) return fail(sql, err, errlen, "answering a call");
	return sqlite3_changes(sql) > 0;
}
