/* stats_trend: the parts of the public figures page that make it readable
 * with little data (issue "the figures page with little data"): one place
 * that says what a figure not shown means (the legend), one notice instead
 * of empty tables when a year has nothing yet, the trend per month, and
 * the download of the figures as CSV (/stats/<commune>.csv, /stats/all.csv). */
#ifndef MOTCUA_STATS_TREND_H
#define MOTCUA_STATS_TREND_H

#include <jansson.h>
#include "html.h"
#include "srv_stats.h"

/* 1 when the row has nothing at all this year: no request received,
 * answered or overdue. */
int stats_trend_empty(const srv_stats_row *total);
void stats_trend_put_empty(html_writer *w, int l);

/* The legend of the marks: 0 is none, "hidden" and "none yet" say why. */
void stats_trend_put_legend(html_writer *w, int l);

/* The trend per month of code ("" all communes), a table with a bar. */
void stats_trend_put(html_writer *w, const srv_stats *s, const char *code, int l);
json_t *stats_trend_json(const srv_stats *s, const char *code);

/* The link to the CSV of the page (code NULL: all communes). */
void stats_trend_put_download(html_writer *w, const char *code, int l);

/* The CSV: the year's and the month's rows as the page shows them (rows,
 * then the total), then the trend; "hidden" and "none" stand for the
 * figures not shown. */
void stats_trend_csv(html_writer *w, const srv_stats *s, const char *code, const srv_stats_row *const *rows,
	int nrows, const srv_stats_row *total);

#endif
