/* stats_page: the public figures on the web, GET /stats and /stats/<code>,
 * and their JSON twins /api/v1/stats and /api/v1/stats/<code>.
 *
 * /stats shows every commune (one row each, linking to its own page) and
 * their total; /stats/<code> shows one commune by category. Both give this
 * month and this year, the time of computation, a bar chart of the on-time
 * rate and a footnote for the hidden cells (srv_stats.h says which). Like
 * the phone page: Vietnamese by default, ?lang=en for English, no
 * JavaScript, inline CSS, no personal data, under PAGE_SIZE_MAX bytes (the
 * communes' list is split into pages of STATS_PAGE_ROWS, ?p=2 ...).
 *
 * The figures are computed at most once a minute per cache: the server
 * keeps one cache per thread, next to that thread's database connection. */
#ifndef MOTCUA_STATS_PAGE_H
#define MOTCUA_STATS_PAGE_H

#include "catalog.h"
#include "page.h"
#include "srv_db.h"
#include "srv_stats.h"

#define STATS_PAGE_CACHE_S 60        /* seconds a computed snapshot is shown */
/* Communes on one page of /stats: 36 of the longest names fit in 30 KB
 * with every figure hidden and said so in words (stats_trend.h). */
#define STATS_PAGE_ROWS 36

typedef struct {
	srv_stats figures;
	int have;
	long long at;                /* when figures were computed */
} stats_page_cache;

/* The figures as of now, from the cache when they are less than
 * STATS_PAGE_CACHE_S old, else computed again. NULL with err when the
 * database fails. The pointer lives until the next call. */
const srv_stats *stats_page_figures(stats_page_cache *c, srv_db *d, long long now, char *err, size_t errlen);
void stats_page_cache_free(stats_page_cache *c);

typedef struct {
	const char *rest;            /* the path after /stats or /api/v1/stats: "" or "/<code>" */
	int json;
	const char *language;        /* ?lang: "en" for English, anything else Vietnamese */
	const char *page;            /* ?p: the page of the communes' list, NULL for the first */
	const char *type;            /* set by stats_page_render: the answer's Content-Type */
} stats_page_query;

/* Renders the answer to q from s into out (out->len set to 0 first): the
 * HTTP status is returned, 200 or 404 (a malformed or unknown commune code,
 * a page past the end), with a page or JSON body either way; -1 when out of
 * memory. cat (may be NULL) names the categories. A rest ending in ".csv"
 * ("/27280.csv", "/all.csv" for every commune) is the figures as CSV
 * (stats_trend.h). */
int stats_page_render(const srv_stats *s, const catalog *cat, stats_page_query *q, page_buf *out);

#endif
