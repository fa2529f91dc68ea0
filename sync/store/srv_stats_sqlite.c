/* srv_stats_sqlite: the SQLite backend's scans for the public figures
 * (srv_be_scan of srv_backend.h): three statements of the table, each a
 * range of one covering index, in one read transaction. */
#include "srv_sqlite.h"
#include <stdio.h>
#include <string.h>

static const char *text_col(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

/* Runs one scan, each row to its sink: 0, 1 stopped by the sink, -1. */
static int scan(srv_db *d, srv_sqlite_q q, long long month_start, long long year_start, const char *today,
	const srv_be_sink *sink, void *arg)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, q);
	int rc, stop = 0;
	if (!st) return -1;
	sqlite3_bind_int64(st, 1, month_start);
	sqlite3_bind_int64(st, 2, year_start);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *commune = text_col(st, 0), *category = text_col(st, 1);
		if (q == SQ_STATS_RECEIVED) stop = sink->received(arg, commune, category, sqlite3_column_int(st, 2));
		else if (q == SQ_STATS_OVERDUE) stop = sink->overdue(arg, commune, category);
		else stop = sink->closed(arg, commune, category, sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
			sqlite3_column_int64(st, 4));
	}
	sqlite3_reset(st);
	if (stop) return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int srv_be_scan(srv_db *d, long long month_start, long long year_start, const char *today, int closed_only,
	const srv_be_sink *sink, void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_scan(d, month_start, year_start, today, closed_only, sink, arg, err, errlen));
	static const srv_sqlite_q scans[] = { SQ_STATS_RECEIVED, SQ_STATS_CLOSED, SQ_STATS_OVERDUE };
	size_t i;
	int rc = 0;
	/* One read transaction: the three scans see the same requests. */
	if (srv_sqlite_run(d, SQ_BEGIN) != SQLITE_DONE) return srv_sqlite_fail(d, err, errlen, "computing the figures");
	for (i = 0; i < sizeof scans / sizeof scans[0] && rc == 0; i++)
		if (!closed_only || scans[i] == SQ_STATS_CLOSED)
			rc = scan(d, scans[i], month_start, year_start, today, sink, arg);
	if (rc < 0) srv_sqlite_fail(d, err, errlen, "computing the figures");
	else if (rc > 0) snprintf(err, errlen, "computing the figures: out of memory");
	srv_sqlite_run(d, SQ_COMMIT);
	return rc == 0 ? 0 : -1;
}

int srv_be_queue(srv_db *d, const char *from_day,
	int (*each)(const srv_be_queue_row *r, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_queue(d, from_day, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_QUEUE_FIGURES);
	srv_be_queue_row r;
	int rc = SQLITE_ERROR, stop = 0;
	if (st) {
		sqlite3_bind_text(st, 1, from_day, -1, SQLITE_STATIC);
		while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&r, 0, sizeof r);
			if (sqlx_copy_col(st, 0, r.commune, sizeof r.commune) != 0 ||
			    sqlx_copy_col(st, 1, r.field, sizeof r.field) != 0) { rc = SQLITE_TOOBIG; break; }
			r.counter = sqlite3_column_int(st, 2);
			r.served = sqlite3_column_int64(st, 3);
			r.skipped = sqlite3_column_int64(st, 4);
			r.wait_total = sqlite3_column_int64(st, 5);
			r.wait_max = sqlite3_column_int64(st, 6);
			r.service_total = sqlite3_column_int64(st, 7);
			stop = each(&r, arg);
		}
		sqlite3_reset(st);
	}
	if (stop) { snprintf(err, errlen, "reading the queue figures: out of memory"); return -1; }
	if (rc == SQLITE_DONE) return 0;
	return srv_sqlite_fail(d, err, errlen, "reading the queue figures");
}
