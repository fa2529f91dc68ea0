/* sqlx: shared SQLite helpers (see sqlx.h). */
#include "sqlx.h"
#include <string.h>

int sqlx_copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t len = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (outlen == 0) return -1;
	if (len >= outlen) {
		out[0] = '\0';
		return -1;
	}
	if (len) memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

sqlite3_stmt *sqlx_stmt(sqlite3 *sql, sqlite3_stmt **cache, const char *const *texts, int q)
{
	if (!cache[q]) {
		if (sqlite3_prepare_v3(sql, texts[q], -1, SQLITE_PREPARE_PERSISTENT, &cache[q], NULL) != SQLITE_OK) {
			sqlite3_finalize(cache[q]);
			cache[q] = NULL;
		}
		return cache[q];
	}
	sqlite3_reset(cache[q]);
	sqlite3_clear_bindings(cache[q]);
	return cache[q];
}

int sqlx_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

int sqlx_run_q(sqlite3 *sql, sqlite3_stmt **cache, const char *const *texts, int q)
{
	sqlite3_stmt *st = sqlx_stmt(sql, cache, texts, q);
	return st ? sqlx_run(st) : SQLITE_ERROR;
}

void sqlx_finalize_all(sqlite3_stmt **cache, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		sqlite3_finalize(cache[i]);
		cache[i] = NULL;
	}
}
