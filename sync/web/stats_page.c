/* stats_page: the public figures as a web page and as JSON (see stats_page.h).
 *
 * The page is written straight into the caller's buffer, as the phone page
 * is: fixed text, escaped data, one inline style sheet, no script. Numbers
 * are written the way each language writes them (Vietnamese: 1.234 and
 * 96,7%); a rate and a median are rounded once, to tenths, and the HTML and
 * the JSON both print that rounded value, so they always agree. The chart is
 * plain HTML: a bar's width is the rate, its text beside it, so it reads
 * without colour and on any browser. Links are relative, so the pages work
 * behind any prefix a proxy adds. The words, and how each language writes
 * numbers and months, are the translation files' (words.h); times are
 * vntime's. */
#include "stats_page.h"
#include "stats_rating.h"
#include "stats_trend.h"
#include "srv_figures.h"
#include "legal.h"
#include "html.h"
#include "vntime.h"
#include "words.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_LEN 5                   /* a commune code: 5 digits */

/* ---- the cache ---- */

const srv_stats *stats_page_figures(stats_page_cache *c, srv_db *d, long long now, char *err, size_t errlen)
{
	if (c->have && now >= c->at && now - c->at < STATS_PAGE_CACHE_S) return &c->figures;
	stats_page_cache_free(c);
	if (srv_figures_get(d, now, STATS_PAGE_CACHE_S, &c->figures, NULL, err, errlen) != 0) return NULL;
	c->have = 1;
	c->at = now;
	return &c->figures;
}

void stats_page_cache_free(stats_page_cache *c)
{
	if (c->have) srv_stats_free(&c->figures);
	c->have = 0;
}

/* ---- appending to the caller's buffer ---- */

/* Short names: a page is hundreds of these calls. */
typedef html_writer writer;

static void put_n(writer *w, const char *s, size_t n)
{
	html_put_n(w, s, n);
}

static void put(writer *w, const char *s)
{
	html_put(w, s);
}

static void put_escaped(writer *w, const char *s)
{
	html_escape(w, s);
}

static void put_int(writer *w, long long value)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", value);
	put(w, text);
}

/* ---- what the pages say ---- */

/* The pages' language codes: their own and the other one's. */
static const struct { const char *html_lang, *other_lang; } langs[2] = {
	{ "vi", "en" },
	{ "en", "vi" },
};

#define T(l, w) words_text((lang)(l), (w))

/* A text with its conversions filled by numbers. */
static void put_numbers(writer *w, const char *text, long long a, long long b)
{
	char one[24], two[24];
	const char *args[2] = { one, two };
	snprintf(one, sizeof one, "%lld", a);
	snprintf(two, sizeof two, "%lld", b);
	html_fill(w, text, args, 2, 0);
}

static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#f3f4f6;color:#1b1b1b;font:16px/1.45 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;-webkit-text-size-adjust:100%}"
	"header{background:#0b3d91;color:#fff}"
	".bar{display:flex;align-items:center;justify-content:space-between;gap:8px;max-width:1000px;"
	"min-height:60px;margin:0 auto;padding:6px 12px 6px 16px}"
	".bar a{flex:none;color:#fff;font-weight:600;text-decoration:none;padding:11px 14px;"
	"border:2px solid #fff;border-radius:10px;line-height:22px}"
	"main,footer{max-width:1000px;margin:0 auto;padding:12px 16px}"
	"h1{font-size:1.45rem;line-height:1.25;margin:8px 0}"
	"h2{font-size:1.15rem;margin:22px 0 8px}h2 small{font-weight:400;color:#4b5563;font-size:.85rem}"
	"p{margin:6px 0}.mu{color:#4b5563;font-size:.9rem}"
	".lg,.em{padding:8px 12px;background:#fff;border-radius:10px}.lg{font-size:.9rem}"
	".tr i{display:inline-block;height:.7em;background:#15803d}.dl a{display:inline-block;padding:8px 0}"
	"a{color:#0b3d91}.back{display:inline-block;padding:10px 0}"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0}"
	".cards div{background:#fff;border-radius:10px;padding:10px 12px}"
	".cards b{display:block;font-size:1.5rem}.cards span{color:#4b5563;font-size:.85rem}"
	".ch{list-style:none;margin:0;padding:10px 12px;background:#fff;border-radius:10px}"
	".ch li{display:grid;grid-template-columns:minmax(90px,32%) 1fr 4.2em;gap:8px;align-items:center;"
	"margin:4px 0}"
	".ch span{line-height:1.2}"
	".ch i{display:block;height:16px;background:#e5e7eb;border-radius:4px}"
	".ch i i{background:#15803d}.ch em{font-style:normal;text-align:right;font-weight:600}"
	".ch .tot{font-weight:700}"
	".t{overflow-x:auto;background:#fff;border-radius:10px}"
	"table{border-collapse:collapse;width:100%;font-size:.92rem}"
	"th,td{padding:7px 8px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}"
	"th:first-child{text-align:left;white-space:normal;min-width:96px}"
	"thead th{font-size:.8rem;color:#374151;vertical-align:bottom;white-space:normal}"
	"tfoot th,tfoot td{font-weight:700;border-top:2px solid #9ca3af}"
	".nav{display:flex;gap:12px;align-items:center;margin:12px 0}"
	"footer ol{margin:0;padding-left:18px;color:#374151;font-size:.85rem}"
	/* A phone: seven columns fit in 390 px when the cells are tight. */
	"@media(max-width:600px){main,footer{padding:10px 8px}table{font-size:.8rem}"
	"th,td{padding:6px 2px}thead th{font-size:.66rem}th:first-child{min-width:64px;padding-left:5px}"
	".ch li{grid-template-columns:36% 1fr 3.8em}}";

/* ---- numbers ---- */

/* 1234567 as "1.234.567" (vi) or "1,234,567" (en). */
static void put_count(writer *w, long long n, int l)
{
	const char *thousands = T(l, W_STATS_THOUSANDS);
	char digits[24];
	int len, i;
	len = snprintf(digits, sizeof digits, "%lld", n < 0 ? 0 : n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) put(w, thousands);
		put_n(w, digits + i, 1);
	}
}

/* A value in tenths as "96,7" or "96.7". */
static void put_tenths(writer *w, long long tenths, int l)
{
	put_count(w, tenths / 10, l);
	put(w, T(l, W_STATS_DECIMAL));
	put_int(w, tenths % 10);
}

/* Rates and medians are rounded once, here, for both the page and JSON. */
static long long rate_tenths(double rate)
{
	return llround(rate * 1000.0);
}

static long long median_tenths(double days)
{
	return llround(days * 10.0);
}

/* What stands for a figure not shown: one word for hidden, one for
 * nothing to compute from, each explained by the legend above the tables
 * (stats_trend.h). Plain words: a list page has hundreds of them and must
 * stay under 30 KB. */
static void put_mark(writer *w, word which, int l)
{
	put(w, T(l, which));
}

/* A count, the hidden mark when hidden. */
static void put_count_shown(writer *w, long long n, int l)
{
	if (n == SRV_STATS_HIDDEN) put_mark(w, W_STATS_MARK_HIDDEN, l);
	else put_count(w, n, l);
}

/* A rate or median in tenths with its unit, "—" when hidden, none when
 * there is nothing to compute from. */
static void put_tenths_shown(writer *w, double value, long long tenths, const char *unit, int l)
{
	if (value == SRV_STATS_HIDDEN) {
		put_mark(w, W_STATS_MARK_HIDDEN, l);
	} else if (value >= 0) {
		put_tenths(w, tenths, l);
		put(w, unit);
	} else {
		put_mark(w, W_STATS_MARK_NONE, l);
	}
}

static void put_cell_count(writer *w, long long n, int l)
{
	put(w, "<td>");
	put_count_shown(w, n, l);
	put(w, "</td>");
}

static void put_cell_tenths(writer *w, double value, long long tenths, const char *unit, int l)
{
	put(w, "<td>");
	put_tenths_shown(w, value, tenths, unit, l);
	put(w, "</td>");
}

/* ---- dates ---- */

/* The period's first day and today, as dd/mm/yyyy. */
static void put_period(writer *w, const srv_stats *s, srv_stats_period p, int l)
{
	char from[16], to[16];
	const char *args[2] = { from, to };
	snprintf(from, sizeof from, "01/%02d/%04d", p == SRV_STATS_MONTH ? s->month : 1, s->year);
	vntime_format(s->computed_at, "%d/%m/%Y", to, sizeof to);
	html_fill(w, T(l, W_STATS_PERIOD), args, 2, 0);
}

/* "Năm 2026", "Tháng 11/2026", "November 2026" */
static void put_period_title(writer *w, const srv_stats *s, srv_stats_period p, int l)
{
	char year[12];
	const char *args[2];
	if (p == SRV_STATS_YEAR) {
		put_numbers(w, T(l, W_STATS_YEAR_TITLE), s->year, 0);
		return;
	}
	snprintf(year, sizeof year, "%d", s->year);
	args[0] = T(l, (word)(W_STATS_MONTH_1 + (s->month + 11) % 12));
	args[1] = year;
	html_fill(w, T(l, W_STATS_MONTH_TITLE), args, 2, 0);
}

/* ---- the page's parts ---- */

typedef struct {
	const srv_stats *s;
	const catalog *cat;
	int l;                       /* 0 Vietnamese, 1 English */
	const char *code;            /* the commune shown, or NULL for all */
	const srv_stats_row *total;
	const srv_stats_row **rows;  /* in the order shown; malloc'd */
	int nrows;
	int page, npages;            /* the communes' list */
	int not_found;
} view;

static void put_row_name(writer *w, const view *v, const srv_stats_row *r, int link)
{
	const catalog_category *c;
	const char *code = r->commune;
	if (!r->commune[0] || (v->code && !r->category[0])) {
		put(w, T(v->l, W_STATS_TOTAL_ROW));
		return;
	}
	if (v->code) {
		c = v->cat ? catalog_category_by_id(v->cat, r->category) : NULL;
		put_escaped(w, c ? c->name[v->l] : r->category);
		return;
	}
	if (link) {
		put(w, "<a href=\"stats/");
		put_escaped(w, r->commune);
		if (v->l) put(w, "?lang=en");
		put(w, "\">");
	}
	if (r->name[0]) {
		put_escaped(w, r->name);
	} else {
		html_fill(w, T(v->l, W_STATS_COMMUNE), &code, 1, 1);
	}
	if (link) put(w, "</a>");
}

/* This page (relative to itself) in language l: "stats?p=2&lang=en",
 * "27280?lang=en"; a page not found links to the list. */
static void put_self_link(writer *w, const view *v, int l)
{
	const char *sep = "?";
	if (v->not_found) {
		put(w, "/stats");
	} else if (v->code) {
		put_escaped(w, v->code);
	} else {
		put(w, "stats");
		if (v->page > 1) {
			put(w, "?p=");
			put_int(w, v->page);
			sep = "&amp;";
		}
	}
	if (l) {
		put(w, sep);
		put(w, "lang=en");
	}
}

static void put_head(writer *w, const view *v)
{
	put(w, "<!doctype html><html lang=\"");
	put(w, langs[v->l].html_lang);
	put(w, "\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		"<meta name=\"referrer\" content=\"no-referrer\">"
		"<meta name=\"color-scheme\" content=\"light\"><title>");
	put(w, T(v->l, W_STATS_SITE));
	put(w, "</title><style>");
	put_n(w, style, sizeof style - 1);
	put(w, "</style></head><body><header><div class=\"bar\"><b>");
	put(w, T(v->l, W_STATS_SITE));
	put(w, "</b><a href=\"");
	put_self_link(w, v, !v->l);
	put(w, "\" lang=\"");
	put(w, langs[v->l].other_lang);
	put(w, "\" hreflang=\"");
	put(w, langs[v->l].other_lang);
	put(w, "\">");
	put(w, T(v->l, W_STATS_OTHER_NAME));
	put(w, "</a></div></header><main>");
}

/* The year's total in four figures at the top. */
static void put_cards(writer *w, const view *v)
{
	const srv_stats_figures *y = &v->total->period[SRV_STATS_YEAR];
	enum { RATE_CARD = -3 };         /* a count no row has: the rate goes here */
	const long long counts[] = { y->received, y->resolved, RATE_CARD, v->total->overdue };
	size_t i;
	put(w, "<div class=\"cards\">");
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		put(w, "<div><b>");
		if (counts[i] == RATE_CARD) put_tenths_shown(w, y->rate, rate_tenths(y->rate), "%", v->l);
		else put_count_shown(w, counts[i], v->l);
		put(w, "</b><span>");
		put(w, T(v->l, (word)(W_STATS_CARD_RECEIVED + i)));
		put(w, "</span></div>");
	}
	put(w, "</div>");
}

static void put_bar(writer *w, const view *v, const srv_stats_row *r, int is_total)
{
	double rate = r->period[SRV_STATS_YEAR].rate;
	long long tenths = rate >= 0 ? rate_tenths(rate) : 0;
	put(w, is_total ? "<li class=\"tot\"><span>" : "<li><span>");
	put_row_name(w, v, r, 0);
	put(w, "</span><i>");
	if (rate >= 0) {
		put(w, "<i style=\"width:");
		put_int(w, tenths / 10);
		put(w, ".");
		put_int(w, tenths % 10);
		put(w, "%\"></i>");
	}
	put(w, "</i><em>");
	put_tenths_shown(w, rate, tenths, "%", v->l);
	put(w, "</em></li>");
}

static void put_chart(writer *w, const view *v)
{
	int i;
	put(w, "<h2>");
	put_numbers(w, T(v->l, W_STATS_CHART_TITLE), v->s->year, 0);
	put(w, "</h2><ul class=\"ch\">");
	put_bar(w, v, v->total, 1);
	for (i = 0; i < v->nrows; i++) put_bar(w, v, v->rows[i], 0);
	put(w, "</ul>");
}

static void put_table_row(writer *w, const view *v, const srv_stats_row *r, srv_stats_period p, int link)
{
	const srv_stats_figures *f = &r->period[p];
	put(w, "<tr><th>");
	put_row_name(w, v, r, link);
	put(w, "</th>");
	put_cell_count(w, f->received, v->l);
	put_cell_count(w, f->resolved, v->l);
	put_cell_count(w, f->on_time, v->l);
	put_cell_tenths(w, f->rate, rate_tenths(f->rate), "%", v->l);
	put_cell_tenths(w, f->median_days, median_tenths(f->median_days), "", v->l);
	if (p == SRV_STATS_YEAR) put_cell_count(w, r->overdue, v->l);
	put(w, "</tr>");
}

/* One period's table; the year's also has the requests overdue now. */
static void put_table(writer *w, const view *v, srv_stats_period p)
{
	int i, ncols = p == SRV_STATS_YEAR ? 6 : 5;
	put(w, "<h2>");
	put_period_title(w, v->s, p, v->l);
	put(w, " <small>");
	put_period(w, v->s, p, v->l);
	put(w, "</small></h2><div class=\"t\"><table><thead><tr><th>");
	put(w, T(v->l, v->code ? W_STATS_CATEGORY_COL : W_STATS_COMMUNE_COL));
	put(w, "</th>");
	for (i = 0; i < ncols; i++) {
		put(w, "<th>");
		put(w, T(v->l, (word)(W_STATS_COL_RECEIVED + i)));
		put(w, "</th>");
	}
	put(w, "</tr></thead><tbody>");
	for (i = 0; i < v->nrows; i++) put_table_row(w, v, v->rows[i], p, 1);
	put(w, "</tbody><tfoot>");
	put_table_row(w, v, v->total, p, 0);
	put(w, "</tfoot></table></div>");
}

static void put_nav(writer *w, const view *v)
{
	const char *lang_arg = v->l ? "&amp;lang=en" : "";
	if (v->npages < 2) return;
	put(w, "<p class=\"nav\">");
	if (v->page > 1) {
		put(w, "<a href=\"stats?p=");
		put_int(w, v->page - 1);
		put(w, lang_arg);
		put(w, "\">");
		put(w, T(v->l, W_STATS_PREV));
		put(w, "</a>");
	}
	put(w, "<span>");
	put_numbers(w, T(v->l, W_STATS_PAGE), v->page, v->npages);
	put(w, "</span>");
	if (v->page < v->npages) {
		put(w, "<a href=\"stats?p=");
		put_int(w, v->page + 1);
		put(w, lang_arg);
		put(w, "\">");
		put(w, T(v->l, W_STATS_NEXT));
		put(w, "</a>");
	}
	put(w, "</p>");
}

static void put_footer(writer *w, const view *v)
{
	int i;
	put(w, "</main><footer><ol>");
	for (i = W_STATS_NOTE_HIDDEN; i <= W_STATS_NOTE_OVERDUE; i++) {
		put(w, "<li>");
		put(w, T(v->l, (word)i));
		put(w, "</li>");
	}
	put(w, "</ol></footer></body></html>");
}

/* Seconds as whole minutes, "—" when hidden. */
static void put_cell_minutes(writer *w, long long seconds, int l)
{
	put(w, "<td>");
	if (seconds == SRV_STATS_HIDDEN) put_mark(w, W_STATS_MARK_HIDDEN, l);
	else {
		put_count(w, (seconds + 30) / 60, l);
		put(w, T(l, W_STATS_QUEUE_MINUTES));
	}
	put(w, "</td>");
}

static const char *queue_field_name(const view *v, const char *id)
{
	const catalog_queue_field *f = v->cat ? catalog_queue_field_by_id(v->cat, id) : NULL;
	return f ? f->name[v->l] : id;
}

/* A commune's queue at its one-stop shop (srv_stats.h). */
static void put_queue(writer *w, const view *v)
{
	const srv_stats_queue_row *rows;
	int n, i;
	static const word cols[] = { W_STATS_QUEUE_FIELD, W_STATS_QUEUE_COUNTER, W_STATS_QUEUE_SERVED, W_STATS_QUEUE_SKIPPED,
		W_STATS_QUEUE_WAIT, W_STATS_QUEUE_WAIT_MAX, W_STATS_QUEUE_SERVICE };
	srv_stats_queue_of(v->s, v->code, &rows, &n);
	put(w, "<section id=\"queue\"><h2>");
	put_numbers(w, T(v->l, W_STATS_QUEUE_TITLE), SRV_STATS_QUEUE_DAYS, 0);
	put(w, "</h2>");
	if (!n) {
		put(w, "<p class=\"mu\">");
		put(w, T(v->l, W_STATS_QUEUE_NONE));
		put(w, "</p></section>");
		return;
	}
	put(w, "<div class=\"tw\"><table><thead><tr>");
	for (i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) {
		put(w, "<th>");
		put(w, T(v->l, cols[i]));
		put(w, "</th>");
	}
	put(w, "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		put(w, "<tr><th>");
		put_escaped(w, queue_field_name(v, rows[i].field));
		put(w, "</th><td>");
		put_int(w, rows[i].counter);
		put(w, "</td>");
		put_cell_count(w, rows[i].served, v->l);
		put_cell_count(w, rows[i].skipped, v->l);
		put_cell_minutes(w, rows[i].wait_avg, v->l);
		put_cell_minutes(w, rows[i].wait_max, v->l);
		put_cell_minutes(w, rows[i].service_avg, v->l);
		put(w, "</tr>");
	}
	put(w, "</tbody></table></div><p class=\"mu\">");
	put(w, T(v->l, W_STATS_QUEUE_NOTE));
	put(w, "</p></section>");
}

static void put_page(writer *w, const view *v)
{
	char when[32];
	const char *at = when;
	put_head(w, v);
	if (v->code) {
		put(w, "<a class=\"back\" href=\"../stats");
		if (v->l) put(w, "?lang=en");
		put(w, "\">");
		put(w, T(v->l, W_STATS_BACK));
		put(w, "</a><h1>");
		put_row_name(w, &(view){ .l = v->l }, v->total, 0);
		put(w, "</h1>");
	} else {
		put(w, "<h1>");
		put(w, T(v->l, W_STATS_TITLE_ALL));
		put(w, "</h1>");
	}
	vntime_format(v->s->computed_at, "%H:%M %d/%m/%Y", when, sizeof when);
	put(w, "<p class=\"mu\">");
	html_fill(w, T(v->l, W_STATS_COMPUTED), &at, 1, 0);
	put(w, "</p>");
	if (stats_trend_empty(v->total)) {
		stats_trend_put_empty(w, v->l);
	} else {
		put_cards(w, v);
		stats_trend_put_legend(w, v->l);
		put_chart(w, v);
		put_table(w, v, SRV_STATS_YEAR);
		put_table(w, v, SRV_STATS_MONTH);
	}
	stats_trend_put(w, v->s, v->code ? v->code : "", v->l);
	stats_trend_put_download(w, v->code, v->l);
	if (v->code) put_queue(w, v);
	if (v->code) stats_rating_html(w, v->s, v->code, v->cat, v->l);
	put_nav(w, v);
	put_footer(w, v);
}

static void put_not_found(writer *w, int l)
{
	view v = { .l = l, .not_found = 1 };
	put_head(w, &v);
	put(w, "<h1>");
	put(w, T(l, W_STATS_NOT_FOUND_TITLE));
	put(w, "</h1><p>");
	put(w, T(l, W_STATS_NOT_FOUND_TEXT));
	put(w, "</p><p><a href=\"/stats");
	if (l) put(w, "?lang=en");
	put(w, "\">");
	put(w, T(l, W_STATS_BACK));
	put(w, "</a></p></main></body></html>");
}

/* ---- JSON ---- */

static json_t *json_count(long long n)
{
	return n == SRV_STATS_HIDDEN ? json_null() : json_integer(n);
}

static json_t *json_tenths(double value, long long tenths, double scale)
{
	return value >= 0 ? json_real((double)tenths / scale) : json_null();
}

static json_t *json_figures(const srv_stats_figures *f)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o}",
		"received", json_count(f->received),
		"resolved", json_count(f->resolved),
		"on_time", json_count(f->on_time),
		"on_time_rate", json_tenths(f->rate, rate_tenths(f->rate), 1000.0),
		"median_days", json_tenths(f->median_days, median_tenths(f->median_days), 10.0));
}

/* {"commune"|"category": {...}, "month", "year", "overdue"}; a total has
 * no name. */
static json_t *json_row(const view *v, const srv_stats_row *r)
{
	json_t *o = json_object();
	const catalog_category *c;
	if (!o) return NULL;
	if (r->commune[0] && v->code && r->category[0]) {
		c = v->cat ? catalog_category_by_id(v->cat, r->category) : NULL;
		json_object_set_new(o, "category", json_pack("{s:s,s:s?}", "id", r->category, "name",
			c ? c->name[0] : NULL));
	} else if (r->commune[0] && !v->code) {
		json_object_set_new(o, "commune", json_pack("{s:s,s:s?}", "code", r->commune, "name",
			r->name[0] ? r->name : NULL));
	}
	if (json_object_set_new(o, "month", json_figures(&r->period[SRV_STATS_MONTH])) != 0 ||
	    json_object_set_new(o, "year", json_figures(&r->period[SRV_STATS_YEAR])) != 0 ||
	    json_object_set_new(o, "overdue", json_count(r->overdue)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The commune's queue rows: null for a hidden figure, seconds otherwise. */
static json_t *json_queue(const view *v)
{
	const srv_stats_queue_row *rows;
	json_t *list = json_array();
	int n, i;
	srv_stats_queue_of(v->s, v->code, &rows, &n);
	for (i = 0; list && i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:i,s:o,s:o,s:o,s:o,s:o}", "field", rows[i].field,
			"counter", rows[i].counter, "served", json_count(rows[i].served), "skipped", json_count(rows[i].skipped),
			"wait_avg_s", json_count(rows[i].wait_avg), "wait_max_s", json_count(rows[i].wait_max),
			"service_avg_s", json_count(rows[i].service_avg)));
	return list ? list : json_null();
}

static int put_json(writer *w, const view *v)
{
	char when[32], month_from[11], year_from[11];
	json_t *root, *rows = json_array();
	char *text;
	int i;
	vntime_format(v->s->computed_at, "%Y-%m-%dT%H:%M:%S" VNTIME_ISO_OFFSET, when, sizeof when);
	snprintf(month_from, sizeof month_from, "%04d-%02d-01", v->s->year, v->s->month);
	snprintf(year_from, sizeof year_from, "%04d-01-01", v->s->year);
	for (i = 0; rows && i < v->nrows; i++) json_array_append_new(rows, json_row(v, v->rows[i]));
	root = json_pack("{s:s,s:{s:{s:s,s:s},s:{s:s,s:s}},s:i,s:s,s:o,s:o}",
		"computed_at", when,
		"periods", "month", "from", month_from, "to", v->s->today, "year", "from", year_from, "to", v->s->today,
		"min_count", SRV_STATS_MIN,
		"hidden", "null: not shown, so that no figure points at one person (see docs/stats.md)",
		"total", json_row(v, v->total),
		v->code ? "categories" : "communes", rows);
	if (root && v->code) json_object_set_new(root, "commune", json_pack("{s:s,s:s?}", "code", v->code,
		"name", v->total->name[0] ? v->total->name : NULL));
	if (root && v->code) json_object_set_new(root, "queue", json_queue(v));
	if (root && v->code) json_object_set_new(root, "ratings", stats_rating_json(v->s, v->code));
	if (root) json_object_set_new(root, "trend", stats_trend_json(v->s, v->code ? v->code : ""));
	/* What each category's deadline counts from, so that a rate is read
	 * against the right start: the counter's acceptance, the signed
	 * letter, or the kiosk's receipt (legal.h, legal_start). */
	if (root && v->cat) {
		json_t *from = json_object();
		for (i = 0; from && i < v->cat->ncategories; i++)
			json_object_set_new(from, v->cat->categories[i].id,
				json_string(legal_start_name(v->cat->categories[i].clock.starts)));
		json_object_set_new(root, "deadline_counted_from", from);
	}
	text = root ? json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(root);
	if (!text) return -1;
	put(w, text);
	free(text);
	return 0;
}

/* ---- routing within the figures ---- */

static int valid_code(const char *s)
{
	int i;
	for (i = 0; i < CODE_LEN; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return s[CODE_LEN] == '\0';
}

/* ?p as a page number from 1; 0 when malformed. */
static int page_number(const char *p)
{
	char *end;
	long n;
	if (!p) return 1;
	n = strtol(p, &end, 10);
	return end != p && !*end && n >= 1 && n <= 1000000 ? (int)n : 0;
}

/* The rows one commune's page shows: every category of the catalog in its
 * order (zero when it has none), then any others the requests name. */
static int commune_rows(view *v, const srv_stats_row *cells, int ncells, srv_stats_row *zeros)
{
	int ncat = v->cat ? v->cat->ncategories : 0, i, j, n = 0;
	if (!(v->rows = calloc((size_t)(ncat + ncells + 1), sizeof *v->rows))) return -1;
	for (i = 0; i < ncat; i++) {
		const srv_stats_row *found = NULL;
		for (j = 0; j < ncells && !found; j++)
			if (strcmp(cells[j].category, v->cat->categories[i].id) == 0) found = &cells[j];
		if (!found) {
			srv_stats_row *z = &zeros[i];
			int p;
			memset(z, 0, sizeof *z);
			snprintf(z->commune, sizeof z->commune, "%s", v->code);
			snprintf(z->category, sizeof z->category, "%s", v->cat->categories[i].id);
			for (p = 0; p < SRV_STATS_NPERIODS; p++)
				z->period[p].rate = z->period[p].median_days = SRV_STATS_NONE;
			found = z;
		}
		v->rows[n++] = found;
	}
	for (j = 0; j < ncells; j++)
		if (!v->cat || !catalog_category_by_id(v->cat, cells[j].category)) v->rows[n++] = &cells[j];
	v->nrows = n;
	return 0;
}

int stats_page_render(const srv_stats *s, const catalog *cat, stats_page_query *q, page_buf *out)
{
	srv_stats_row zeros[CATALOG_MAX_CATEGORIES];
	writer w = { out, 0 };
	view v;
	const srv_stats_row *cells;
	char rest[16];
	size_t n = strlen(q->rest);
	int ncells, status = 200, i, first, csv = !q->json && n > 4 && n < sizeof rest && strcmp(q->rest + n - 4, ".csv") == 0;
	out->len = 0;
	snprintf(rest, sizeof rest, "%.*s", csv ? (int)(n - 4) : (int)sizeof rest - 1, q->rest);
	if (csv && strcmp(rest, "/all") == 0) rest[0] = '\0';
	else if (!csv && n >= sizeof rest) snprintf(rest, sizeof rest, "/?");   /* too long: no commune */
	q->type = q->json || csv ? (csv ? "text/csv; charset=utf-8" : "application/json") : "text/html; charset=utf-8";
	memset(&v, 0, sizeof v);
	v.s = s;
	v.cat = cat;
	v.l = q->language && strcmp(q->language, "en") == 0;
	v.total = &s->total;
	v.page = page_number(q->page);
	if (rest[0]) {
		v.code = rest + 1;
		if (rest[0] != '/' || !valid_code(v.code) || srv_stats_commune(s, v.code, &v.total, &cells, &ncells) != 1)
			status = 404;
		else if (commune_rows(&v, cells, ncells, zeros) != 0)
			return -1;
	} else {
		v.npages = (s->ncommunes + STATS_PAGE_ROWS - 1) / STATS_PAGE_ROWS;
		if (v.npages < 1) v.npages = 1;
		if (q->json || csv) v.page = 1;
		if (v.page < 1 || v.page > v.npages) status = 404;
		else if (!(v.rows = calloc((size_t)s->ncommunes + 1, sizeof *v.rows))) return -1;
		first = q->json || csv ? 0 : (v.page - 1) * STATS_PAGE_ROWS;
		for (i = first; status == 200 && i < s->ncommunes && (q->json || csv || i < first + STATS_PAGE_ROWS); i++)
			v.rows[v.nrows++] = &s->communes[i];
	}
	if (status == 404 && csv) {
		q->type = "text/plain; charset=utf-8";
		put(&w, "no such commune code\n");
	} else if (csv) {
		stats_trend_csv(&w, s, v.code, v.rows, v.nrows, v.total);
	} else if (status == 404) {
		if (q->json) put(&w, "{\"error\":\"not_found\",\"message\":\"no such commune code or page\"}");
		else put_not_found(&w, v.l);
	} else if (q->json) {
		if (put_json(&w, &v) != 0) w.failed = 1;
	} else {
		put_page(&w, &v);
	}
	free(v.rows);
	return w.failed ? -1 : status;
}
