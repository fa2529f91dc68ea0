/* srv_stats: each commune's public figures, from the server's store.
 *
 * Received, resolved, resolved on time (and the rate), overdue now and the
 * median days to resolve, by category, for this month and this year
 * (Vietnam time), for every commune and for all of them together. Resolved
 * counts the requests closed as resolved or as rejected: both give the
 * citizen an answer. Nothing personal is counted, and no count can point at
 * one person:
 *
 * - a count of 1 or 2 (under SRV_STATS_MIN) is hidden (-1);
 * - a table's rows add up to its total, so one hidden cell could be worked
 *   out as the total minus the others (or a hidden total as their sum); so
 *   when exactly one of a column's cells, counting the total, is hidden, the
 *   smallest other non-zero cell of the column is hidden too. Tables: the
 *   communes (with the grand total) and each commune's categories (with the
 *   commune's total, the same cell as in the communes' table, so a commune
 *   hidden there cannot be summed up from its own page);
 * - a rate is shown only when both counts it divides are shown, and a median
 *   only when its count of cases is shown (so never from fewer than 3).
 *
 * The figures are computed in one snapshot, from three scans of the store
 * over all communes and categories (received, closed, overdue), then kept by the
 * caller as long as it likes (the web pages keep one for a minute). */
#ifndef MOTCUA_SRV_STATS_H
#define MOTCUA_SRV_STATS_H

#include "proto.h"
#include "srv_db.h"

#define SRV_STATS_MIN 3
#define SRV_STATS_HIDDEN (-1)        /* a count, rate or median not shown */
#define SRV_STATS_NONE (-2)          /* a rate or median of no case at all */

typedef enum { SRV_STATS_MONTH, SRV_STATS_YEAR, SRV_STATS_NPERIODS } srv_stats_period;

typedef struct {
	long long received;          /* filed at a kiosk in the period (kiosk clock) */
	long long resolved;          /* closed as resolved or rejected in the period */
	long long on_time;           /* of those, closed by the deadline in force */
	double rate;                 /* on_time / resolved, 0..1; HIDDEN or NONE */
	double median_days;          /* receipt to closing, in days; HIDDEN or NONE */
} srv_stats_figures;

typedef struct {
	char commune[6];             /* "" in the grand total */
	char category[32];           /* "" in a total */
	char name[128];              /* the commune's name, "" when not known (commune rows) */
	srv_stats_figures period[SRV_STATS_NPERIODS];
	long long overdue;           /* open now and past the deadline in force */
} srv_stats_row;

/* The office's queue at each commune's one-stop shop over the last
 * SRV_STATS_QUEUE_DAYS days, per work field and counter, from what its
 * kiosks sent (no identity): tickets served and not there, the average and
 * longest wait and the average service, in seconds. A row whose served count
 * is under SRV_STATS_MIN shows none of its figures (all HIDDEN): an average
 * of one or two waits is one or two people's. No total is published, so no
 * hidden row can be worked out from the others. */
#define SRV_STATS_QUEUE_DAYS 30
typedef struct {
	char commune[6];
	char field[24];
	int counter;
	long long served, skipped;   /* HIDDEN when served < SRV_STATS_MIN */
	long long wait_avg, wait_max, service_avg;   /* seconds; HIDDEN likewise */
} srv_stats_queue_row;

/* Satisfaction ratings this year (srv_rating.h), per commune, work field
 * and counter, those naming neither ticket nor request in a row of their
 * own (neither set, field "" and counter 0): how many, and the share of
 * each criterion answered satisfied or very satisfied, in percent. A row of
 * fewer than SRV_STATS_MIN ratings shows none of them (all HIDDEN), as the
 * queue's rows; no total is published (srv_stats_rating.c). */
typedef struct {
	char commune[6];
	char field[24];
	int counter;
	int neither;
	long long n;                 /* HIDDEN when under SRV_STATS_MIN */
	int satisfied_pct[PROTO_RATING_CRITERIA];   /* 0..100, HIDDEN likewise */
} srv_stats_rating_row;

/* The trend: requests answered in each of the last SRV_STATS_TREND_MONTHS
 * Vietnam months (this one last), and how many by their deadline, for
 * every commune that has one and for all together (commune ""), every
 * month present, zeros included. A count under SRV_STATS_MIN is HIDDEN;
 * when exactly one month of a series hides a count, the smallest other
 * non-zero one of it is hidden too (the months of this year add up to the
 * year's table); the rate is shown when both counts are, NONE when
 * nothing was answered (srv_stats_trend.c). */
#define SRV_STATS_TREND_MONTHS 12
typedef struct {
	char commune[6];
	char month[8];               /* YYYY-MM */
	long long resolved, on_time;
	double rate;                 /* 0..1, HIDDEN or NONE */
} srv_stats_month_row;

typedef struct {
	long long computed_at;
	int year, month;             /* this month, in Vietnam time */
	char today[11];              /* YYYY-MM-DD, Vietnam time */
	srv_stats_row total;         /* every commune */
	srv_stats_row *communes;     /* each commune's total, in code order; malloc'd */
	int ncommunes;
	srv_stats_row *cells;        /* by commune, then category, in that order; malloc'd */
	int ncells;
	srv_stats_queue_row *queue;  /* by commune, field, counter; malloc'd */
	int nqueue;
	srv_stats_rating_row *ratings; /* by commune, neither last, field, counter; malloc'd */
	int nratings;
	srv_stats_month_row *trend;  /* all communes' first, then by commune; malloc'd */
	int ntrend;
} srv_stats;

/* Computes every figure as of now. 0, or -1 with err (out is then empty,
 * and safe to free). Free with srv_stats_free. */
int srv_stats_compute(srv_db *d, long long now, srv_stats *out, char *err, size_t errlen);
void srv_stats_free(srv_stats *s);

/* A commune's total and its rows by category (pointing into s). 1 found,
 * 0 when the code is neither a known commune nor in any request. */
int srv_stats_commune(const srv_stats *s, const char *code, const srv_stats_row **total,
	const srv_stats_row **rows, int *nrows);

/* A commune's queue rows in s (computed with the rest, pointing into it):
 * 0 when it has none. */
int srv_stats_queue_of(const srv_stats *s, const char *code, const srv_stats_queue_row **rows, int *nrows);

/* A commune's rating rows in s: 0 when it has none. */
int srv_stats_ratings_of(const srv_stats *s, const char *code, const srv_stats_rating_row **rows, int *nrows);
/* Computes s's ratings (srv_stats_compute does): 0, or -1 with err. */
int srv_stats_compute_ratings(srv_db *d, srv_stats *s, char *err, size_t errlen);

/* A commune's trend in s ("" for all): SRV_STATS_TREND_MONTHS rows, or 0
 * when it has none. */
int srv_stats_trend_of(const srv_stats *s, const char *code, const srv_stats_month_row **rows);
/* Computes s's trend as of now (srv_stats_compute does): 0, or -1 with err. */
int srv_stats_compute_trend(srv_db *d, long long now, srv_stats *s, char *err, size_t errlen);

/* The figures a kiosk of this commune shows on its home screen (its on-time
 * rate this year), for the sync reply. 0 or -1. */
int srv_stats_kiosk(srv_db *d, const char *commune, long long now, proto_stats *out,
	char *err, size_t errlen);

/* The same for the sync handler, which answers a kiosk's pushes in batches:
 * the figures of this commune computed on this handle less than a minute
 * ago are given again unless another connection has written since (a
 * push, this handle's own kind of write, changes no figure a kiosk shows). */
int srv_stats_kiosk_cached(srv_db *d, const char *commune, long long now, proto_stats *out,
	char *err, size_t errlen);

#endif
