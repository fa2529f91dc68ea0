/* srv_trend: the figures' trend per month: requests answered (resolved or
 * rejected) in each Vietnam calendar month since a time, and how many of
 * them by their deadline, per commune (srv_trend_sqlite.c and its
 * PostgreSQL twin srv_trend_pg.c). Counts only, no identity. */
#ifndef MOTCUA_SRV_TREND_H
#define MOTCUA_SRV_TREND_H

#include <stddef.h>
#include "srv_db.h"

typedef struct {
	char commune[6];
	char month[8];               /* YYYY-MM */
	long long resolved, on_time;
} srv_trend_row;

/* Every row from the time since (Unix seconds) on, by commune then month,
 * each to each (non-zero stops: out of memory). 0, or -1 with err. */
int srv_trend_rows(srv_db *d, long long since, int (*each)(const srv_trend_row *r, void *arg), void *arg,
	char *err, size_t errlen);

#endif
