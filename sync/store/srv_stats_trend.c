/* srv_stats_trend: the public figures' trend per month (see srv_stats.h):
 * the store's counts per commune and month (srv_trend_rows) laid out as a
 * full series of SRV_STATS_TREND_MONTHS months per commune, with the sum
 * of all communes first, then the small counts hidden. */
#include "srv_stats.h"
#include "srv_trend.h"
#include "vntime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	srv_stats *s;
	char months[SRV_STATS_TREND_MONTHS][8];
} trend_build;

static int month_index(const trend_build *b, const char *month)
{
	int i;
	for (i = 0; i < SRV_STATS_TREND_MONTHS; i++)
		if (strcmp(b->months[i], month) == 0) return i;
	return -1;
}

/* A new series of zeros for commune at the end of s->trend: its first row. */
static srv_stats_month_row *new_series(trend_build *b, const char *commune)
{
	srv_stats *s = b->s;
	srv_stats_month_row *grown = realloc(s->trend, (size_t)(s->ntrend + SRV_STATS_TREND_MONTHS) * sizeof *grown);
	int i;
	if (!grown) return NULL;
	s->trend = grown;
	for (i = 0; i < SRV_STATS_TREND_MONTHS; i++) {
		srv_stats_month_row *r = &s->trend[s->ntrend + i];
		memset(r, 0, sizeof *r);
		snprintf(r->commune, sizeof r->commune, "%s", commune);
		memcpy(r->month, b->months[i], sizeof r->month);
	}
	s->ntrend += SRV_STATS_TREND_MONTHS;
	return &s->trend[s->ntrend - SRV_STATS_TREND_MONTHS];
}

static int trend_each(const srv_trend_row *r, void *arg)
{
	trend_build *b = arg;
	srv_stats *s = b->s;
	int k = month_index(b, r->month);
	srv_stats_month_row *series;
	if (k < 0) return 0;
	series = s->ntrend > SRV_STATS_TREND_MONTHS && strcmp(s->trend[s->ntrend - 1].commune, r->commune) == 0
		? &s->trend[s->ntrend - SRV_STATS_TREND_MONTHS] : new_series(b, r->commune);
	if (!series) return 1;
	series[k].resolved += r->resolved;
	series[k].on_time += r->on_time;
	s->trend[k].resolved += r->resolved;      /* all communes' series comes first */
	s->trend[k].on_time += r->on_time;
	return 0;
}

/* One column of a series: counts under the threshold hidden, and when one
 * alone is, the smallest other non-zero one too. */
static void hide_column(srv_stats_month_row *series, int on_time)
{
	int i, hidden = 0, smallest = -1;
	for (i = 0; i < SRV_STATS_TREND_MONTHS; i++) {
		long long *v = on_time ? &series[i].on_time : &series[i].resolved;
		if (*v > 0 && *v < SRV_STATS_MIN) { *v = SRV_STATS_HIDDEN; hidden++; }
	}
	if (hidden != 1) return;
	for (i = 0; i < SRV_STATS_TREND_MONTHS; i++) {
		long long v = on_time ? series[i].on_time : series[i].resolved;
		long long best = smallest < 0 ? 0 : on_time ? series[smallest].on_time : series[smallest].resolved;
		if (v > 0 && (smallest < 0 || v < best)) smallest = i;
	}
	if (smallest >= 0) {
		if (on_time) series[smallest].on_time = SRV_STATS_HIDDEN;
		else series[smallest].resolved = SRV_STATS_HIDDEN;
	}
}

int srv_stats_compute_trend(srv_db *d, long long now, srv_stats *s, char *err, size_t errlen)
{
	trend_build b;
	vntime t = vntime_of(now);
	int y = t.date.year, m = t.date.month, i, k;
	memset(&b, 0, sizeof b);
	b.s = s;
	for (i = SRV_STATS_TREND_MONTHS - 1; i >= 0; i--) {
		snprintf(b.months[i], sizeof b.months[i], "%04d-%02d", y, m);
		if (--m == 0) { m = 12; y--; }
	}
	if (m == 12) { m = 1; y++; } else m++;
	if (!new_series(&b, "")) { snprintf(err, errlen, "computing the trend: out of memory"); return -1; }
	if (srv_trend_rows(d, vntime_from_civil(y, m, 1, 0, 0, 0), trend_each, &b, err, errlen) != 0) return -1;
	for (i = 0; i < s->ntrend; i += SRV_STATS_TREND_MONTHS) {
		hide_column(&s->trend[i], 0);
		hide_column(&s->trend[i], 1);
		for (k = 0; k < SRV_STATS_TREND_MONTHS; k++) {
			srv_stats_month_row *r = &s->trend[i + k];
			r->rate = r->resolved == 0 ? SRV_STATS_NONE : r->resolved == SRV_STATS_HIDDEN || r->on_time == SRV_STATS_HIDDEN
				? SRV_STATS_HIDDEN : (double)r->on_time / (double)r->resolved;
		}
	}
	return 0;
}

int srv_stats_trend_of(const srv_stats *s, const char *code, const srv_stats_month_row **rows)
{
	int i;
	*rows = NULL;
	for (i = 0; i < s->ntrend; i += SRV_STATS_TREND_MONTHS)
		if (strcmp(s->trend[i].commune, code) == 0) {
			*rows = &s->trend[i];
			return SRV_STATS_TREND_MONTHS;
		}
	return 0;
}
