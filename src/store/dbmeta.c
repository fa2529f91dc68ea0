/* dbmeta: the kiosk store's small key/value state and one-number queries
 * (see dbmeta.h). */
#include "dbmeta.h"
#include "sqlx.h"
#include <stdio.h>
#include <stdlib.h>

/* 1 found (value copied), 0 absent, -1 error. */
int dbmeta_get(sqlite3 *sql, const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlx_copy_col(st, 0, out, outlen) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A number from meta, def when absent; -1 on a database error. */
int dbmeta_get_int(sqlite3 *sql, const char *key, long long def, long long *out)
{
	char text[32];
	int rc = dbmeta_get(sql, key, text, sizeof text);
	*out = rc == 1 ? strtoll(text, NULL, 10) : def;
	return rc < 0 ? -1 : 0;
}

int dbmeta_set(sqlite3 *sql, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "INSERT INTO meta(key, value) VALUES(?, ?)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int dbmeta_set_int(sqlite3 *sql, const char *key, long long value)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	return dbmeta_set(sql, key, text);
}

/* One statement that yields a single number. -1 on error. */
int dbmeta_query_int(sqlite3 *sql, const char *query, long long arg, long long *out)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, query, -1, &st, NULL) != SQLITE_OK) return -1;
	if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, arg);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
