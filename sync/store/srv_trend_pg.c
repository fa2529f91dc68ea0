/* srv_trend_pg: the trend per month on the PostgreSQL backend, the twin of
 * srv_trend_sqlite.c: the month is the Vietnam one, UTC+7 all year as
 * vntime.h reckons it (the schema's step 2 does the same). */
#include "srv_pg_int.h"
#include "srv_trend.h"
#include "status.h"
#include "vntime.h"
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

int srv_pg_trend_rows(srv_db *d, long long since, int (*each)(const srv_trend_row *r, void *arg), void *arg,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *q;
	srv_trend_row r;
	int i, stop = 0, bad = 0;
	pa_i(&a, since);
	if (!(q = srv_pg_q(d, SP_TREND, "SELECT commune, to_char(to_timestamp(closed_at + " STR(VNTIME_OFFSET) ")"
			" AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*), sum(coalesce(on_time::int, 0)) FROM request"
			" WHERE closed_at >= $1::bigint AND status IN " STATUS_ANSWERED_SQL " GROUP BY commune, month"
			" ORDER BY commune, month", &a)))
		return srv_pg_fail(d, err, errlen, "reading the trend");
	for (i = 0; i < PQntuples(q) && !stop && !bad; i++) {
		memset(&r, 0, sizeof r);
		bad = srv_pg_copy(q, i, 0, r.commune, sizeof r.commune) | srv_pg_copy(q, i, 1, r.month, sizeof r.month);
		if (bad) break;
		r.resolved = srv_pg_ll(q, i, 2);
		r.on_time = srv_pg_ll(q, i, 3);
		stop = each(&r, arg);
	}
	PQclear(q);
	if (bad) { snprintf(err, errlen, "reading the trend: a value too long"); return -1; }
	if (stop) { snprintf(err, errlen, "reading the trend: out of memory"); return -1; }
	return 0;
}
