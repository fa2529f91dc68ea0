/* stats_trend: the figures page with little data (see stats_trend.h).
 *
 * A figure is a number, or one of two marks, each always the same words
 * and explained once above the tables: "hidden" (fewer than 3 requests, or
 * one that would give a hidden one away) and "none yet" (nothing answered
 * to compute a rate or median from). 0 is a real zero. A commune whose year
 * has no request at all gets one notice instead of tables of marks. The
 * trend shows the last twelve months' answered requests and on-time rate
 * (from the first month with one), hidden as srv_stats.h says. */
#include "stats_trend.h"
#include "words.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define T(l, w) words_text((lang)(l), (w))

int stats_trend_empty(const srv_stats_row *total)
{
	const srv_stats_figures *y = &total->period[SRV_STATS_YEAR];
	return y->received == 0 && y->resolved == 0 && total->overdue == 0;
}

void stats_trend_put_empty(html_writer *w, int l)
{
	html_put(w, "<div class=\"em\"><strong>");
	html_put(w, T(l, W_STATS_EMPTY_TITLE));
	html_put(w, "</strong><p>");
	html_put(w, T(l, W_STATS_EMPTY_TEXT));
	html_put(w, "</p></div>");
}

void stats_trend_put_legend(html_writer *w, int l)
{
	html_put(w, "<p class=\"lg\">");
	html_put(w, T(l, W_STATS_LEGEND));
	html_put(w, "</p>");
}

static void mark(html_writer *w, word which, int l)
{
	html_put(w, "<span class=\"nd\">");
	html_put(w, T(l, which));
	html_put(w, "</span>");
}

static void count(html_writer *w, long long n, int l)
{
	if (n == SRV_STATS_HIDDEN) mark(w, W_STATS_MARK_HIDDEN, l);
	else html_putf(w, "%lld", n);
}

/* A rate as "83,6%" (vi) or "83.6%" (en). */
static void rate(html_writer *w, double r, int l)
{
	long long tenths = llround(r * 1000.0);
	html_putf(w, "%lld%s%lld%%", tenths / 10, l ? "." : ",", tenths % 10);
}

void stats_trend_put(html_writer *w, const srv_stats *s, const char *code, int l)
{
	const srv_stats_month_row *rows;
	int i, any = 0, first = SRV_STATS_TREND_MONTHS;
	if (!srv_stats_trend_of(s, code, &rows)) rows = NULL;
	/* From the first month with an answer: a new commune's page is not a
	 * column of empty months. */
	for (i = 0; rows && i < SRV_STATS_TREND_MONTHS; i++)
		if (rows[i].resolved != 0 && !any++) first = i;
	html_put(w, "<section id=\"trend\"><h2>");
	html_put(w, T(l, W_STATS_TREND_TITLE));
	html_put(w, "</h2>");
	if (!any) {
		html_put(w, "<p class=\"mu\">");
		html_put(w, T(l, W_STATS_TREND_NONE));
		html_put(w, "</p></section>");
		return;
	}
	html_put(w, "<div class=\"t tr\"><table><thead><tr><th>");
	html_put(w, T(l, W_STATS_TREND_MONTH));
	html_put(w, "</th><th>");
	html_put(w, T(l, W_STATS_COL_RESOLVED));
	html_put(w, "</th><th>");
	html_put(w, T(l, W_STATS_COL_ON_TIME));
	html_put(w, "</th><th>");
	html_put(w, T(l, W_STATS_COL_RATE));
	html_put(w, "</th></tr></thead><tbody>");
	for (i = SRV_STATS_TREND_MONTHS - 1; i >= first; i--) {
		const srv_stats_month_row *r = &rows[i];
		html_putf(w, "<tr><th>%.2s/%.4s</th><td>", r->month + 5, r->month);
		count(w, r->resolved, l);
		html_put(w, "</td><td>");
		count(w, r->on_time, l);
		html_put(w, "</td><td>");
		if (r->rate == SRV_STATS_HIDDEN) mark(w, W_STATS_MARK_HIDDEN, l);
		else if (r->rate < 0) mark(w, W_STATS_MARK_NONE, l);
		else {
			html_putf(w, "<i style=\"width:%dpx\"></i> ", (int)lround(r->rate * 80));
			rate(w, r->rate, l);
		}
		html_put(w, "</td></tr>");
	}
	html_put(w, "</tbody></table></div></section>");
}

static json_t *json_count(long long n)
{
	return n == SRV_STATS_HIDDEN ? json_null() : json_integer(n);
}

json_t *stats_trend_json(const srv_stats *s, const char *code)
{
	const srv_stats_month_row *rows;
	json_t *list = json_array();
	int i;
	if (!list || !srv_stats_trend_of(s, code, &rows)) return list ? list : json_null();
	for (i = 0; i < SRV_STATS_TREND_MONTHS; i++)
		json_array_append_new(list, json_pack("{s:s,s:o,s:o,s:o}", "month", rows[i].month,
			"resolved", json_count(rows[i].resolved), "on_time", json_count(rows[i].on_time),
			"on_time_rate", rows[i].rate >= 0 ? json_real(floor(rows[i].rate * 1000.0 + 0.5) / 1000.0) : json_null()));
	return list;
}

void stats_trend_put_download(html_writer *w, const char *code, int l)
{
	html_put(w, "<p class=\"dl\"><a id=\"download\" download href=\"");
	if (code) {
		html_escape(w, code);
		html_put(w, ".csv\">");
	} else {
		html_put(w, "stats/all.csv\">");
	}
	html_put(w, T(l, W_STATS_DOWNLOAD));
	html_put(w, "</a></p>");
}

static void csv_count(html_writer *w, long long n)
{
	if (n == SRV_STATS_HIDDEN) html_put(w, ",hidden");
	else html_putf(w, ",%lld", n);
}

static void csv_real(html_writer *w, double v, double scale)
{
	if (v == SRV_STATS_HIDDEN) html_put(w, ",hidden");
	else if (v < 0) html_put(w, ",none");
	else html_putf(w, ",%.1f", v * scale);
}

static void csv_row(html_writer *w, const char *table, const srv_stats_row *r, const srv_stats_figures *f)
{
	html_putf(w, "%s,%s,%s,", table, r->commune, r->category);
	csv_count(w, f->received);
	csv_count(w, f->resolved);
	csv_count(w, f->on_time);
	csv_real(w, f->rate, 100.0);
	csv_real(w, f->median_days, 1.0);
	if (strcmp(table, "year") == 0) csv_count(w, r->overdue);
	else html_put(w, ",");
	html_put(w, "\r\n");
}

void stats_trend_csv(html_writer *w, const srv_stats *s, const char *code, const srv_stats_row *const *rows,
	int nrows, const srv_stats_row *total)
{
	static const char *const tables[SRV_STATS_NPERIODS] = { "month", "year" };
	const srv_stats_month_row *trend;
	int p, i;
	html_put(w, "table,commune,category,month,received,resolved,on_time,on_time_rate_pct,median_days,overdue\r\n");
	for (p = SRV_STATS_YEAR; p >= SRV_STATS_MONTH; p--) {
		for (i = 0; i < nrows; i++) csv_row(w, tables[p], rows[i], &rows[i]->period[p]);
		csv_row(w, tables[p], total, &total->period[p]);
	}
	if (srv_stats_trend_of(s, code ? code : "", &trend))
		for (i = 0; i < SRV_STATS_TREND_MONTHS; i++) {
			html_putf(w, "trend,%s,,%s,", code ? code : "", trend[i].month);
			csv_count(w, trend[i].resolved);
			csv_count(w, trend[i].on_time);
			csv_real(w, trend[i].rate, 100.0);
			html_put(w, ",,\r\n");
		}
}
