/* srv_trend_sqlite: the trend per month on the SQLite backend (see
 * srv_trend.h): one grouped scan of the answered requests, the month
 * reckoned by the schema's vn_date (vntime.h's Vietnam day). */
#include "srv_trend.h"
#include "srv_sqlite.h"
#include <stdio.h>
#include <string.h>

int srv_trend_rows(srv_db *d, long long since, int (*each)(const srv_trend_row *r, void *arg), void *arg,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_trend_rows(d, since, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_TREND);
	srv_trend_row r;
	int rc = SQLITE_ERROR, stop = 0;
	if (st) {
		sqlite3_bind_int64(st, 1, since);
		while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&r, 0, sizeof r);
			if (sqlx_copy_col(st, 0, r.commune, sizeof r.commune) != 0 ||
			    sqlx_copy_col(st, 1, r.month, sizeof r.month) != 0) { rc = SQLITE_TOOBIG; break; }
			r.resolved = sqlite3_column_int64(st, 2);
			r.on_time = sqlite3_column_int64(st, 3);
			stop = each(&r, arg);
		}
		sqlite3_reset(st);
	}
	if (stop) { snprintf(err, errlen, "reading the trend: out of memory"); return -1; }
	if (rc == SQLITE_DONE) return 0;
	if (rc == SQLITE_TOOBIG) { snprintf(err, errlen, "reading the trend: a value too long"); return -1; }
	return srv_sqlite_fail(d, err, errlen, "reading the trend");
}
