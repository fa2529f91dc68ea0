/* srv_figures_sqlite: the SQLite backend's part of the shared figures
 * (srv_figures.h): two rows of the meta table, 'figures' ("<time>:<base64>")
 * and 'figures_claim' (the time of the last claim). Each operation is one
 * statement, so each is atomic on its own; the claim's upsert takes the
 * file's write lock, so of two processes claiming at once one changes the
 * row and the other sees it already moved. Statements are prepared on use:
 * they run about once a minute. */
#include "srv_figures.h"
#include "srv_sqlite.h"
#include <stdlib.h>
#include <string.h>

int srv_figures_load(srv_db *d, long long *at, char **value)
{
	SRV_PG_ROUTE(d, srv_pg_figures_load(d, at, value));
	sqlite3_stmt *st = NULL;
	const char *text, *colon;
	int rc, result = -1;
	*value = NULL;
	*at = 0;
	if (sqlite3_prepare_v2(d->sql, "SELECT value FROM meta WHERE key = 'figures'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		result = 0;
	} else if (rc == SQLITE_ROW && (text = (const char *)sqlite3_column_text(st, 0)) && (colon = strchr(text, ':'))) {
		*at = atoll(text);
		if ((*value = strdup(colon + 1))) result = 1;
	} else if (rc == SQLITE_ROW) {
		result = 0;              /* not ours to read: as none */
	}
	sqlite3_finalize(st);
	return result;
}

int srv_figures_claim(srv_db *d, long long now, int lease)
{
	SRV_PG_ROUTE(d, srv_pg_figures_claim(d, now, lease));
	sqlite3_stmt *st = NULL;
	int rc;
	/* A claim from the future (the clock was set back) is as stale as an
	 * old one: it would otherwise hold until the clock caught up. */
	if (sqlite3_prepare_v2(d->sql, "INSERT INTO meta(key, value) VALUES('figures_claim', ?1)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value"
			" WHERE CAST(meta.value AS INTEGER) <= ?2 OR CAST(meta.value AS INTEGER) > ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now - lease);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) return -1;
	return sqlite3_changes(d->sql) == 1 ? 1 : 0;
}

int srv_figures_store(srv_db *d, long long at, const char *value)
{
	SRV_PG_ROUTE(d, srv_pg_figures_store(d, at, value));
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(d->sql, "INSERT INTO meta(key, value) VALUES('figures', ?1 || ':' || ?2)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
