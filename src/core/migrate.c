/* migrate: schema steps counted by PRAGMA user_version (see migrate.h). */
#include "migrate.h"
#include <stdio.h>

static int user_version(sqlite3 *sql, int *version)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
	rc = sqlite3_step(st);
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int fail(sqlite3 *sql, char *err, size_t errlen)
{
	snprintf(err, errlen, "migrating the database: %s", sqlite3_errmsg(sql));
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int migrate_schema(sqlite3 *sql, const char *const *steps, int nsteps, const char *program,
	char *err, size_t errlen)
{
	char pragma[64];
	int version, i;
	if (user_version(sql, &version) != 0) return fail(sql, err, errlen);
	if (version > nsteps) {
		snprintf(err, errlen, "the database is from a newer %s (schema %d, this one knows %d)",
			program, version, nsteps);
		return -1;
	}
	for (i = version; i < nsteps; i++) {
		if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return fail(sql, err, errlen);
		/* Another process may have run this step while we waited for the lock. */
		if (user_version(sql, &version) != 0) return fail(sql, err, errlen);
		if (version > i) {
			sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
			i = version - 1;
			continue;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", i + 1);
		if (sqlite3_exec(sql, steps[i], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(sql, pragma, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return fail(sql, err, errlen);
	}
	return 0;
}
