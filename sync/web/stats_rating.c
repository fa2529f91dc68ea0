/* stats_rating: the ratings' table on a commune's figures page (see
 * stats_rating.h). One row per work field and counter, then the ratings
 * given with neither ticket nor code in a row of their own; a row of fewer
 * than three ratings says so in place ("fewer than 3") rather than leaving
 * a dash, and a counter not known (a request rated by its code) is named
 * as such: no cell is blank. */
#include "stats_rating.h"
#include "words.h"
#include <stdio.h>

#define T(l, w) words_text((lang)(l), (w))

static const char *field_name(const catalog *cat, const char *id, int l)
{
	const catalog_queue_field *f = cat && id[0] ? catalog_queue_field_by_id(cat, id) : NULL;
	const catalog_category *c = !f && cat && id[0] ? catalog_category_by_id(cat, id) : NULL;
	return f ? f->name[l] : c ? c->name[l] : id;
}

void stats_rating_html(html_writer *w, const srv_stats *s, const char *code, const catalog *cat, int l)
{
	static const word cols[] = { W_STATS_QUEUE_FIELD, W_STATS_QUEUE_COUNTER, W_STATS_RATINGS_N, W_RATE_Q_RECEPTION,
		W_RATE_Q_TIME, W_RATE_Q_ATTITUDE, W_RATE_Q_RESULT, W_RATE_Q_OVERALL };
	const srv_stats_rating_row *rows;
	int n, i, k;
	srv_stats_ratings_of(s, code, &rows, &n);
	html_put(w, "<section id=\"ratings\"><h2>");
	html_put(w, T(l, W_STATS_RATINGS_TITLE));
	html_put(w, "</h2>");
	if (!n) {
		html_put(w, "<p class=\"mu\">");
		html_put(w, T(l, W_STATS_RATINGS_NONE));
		html_put(w, "</p></section>");
		return;
	}
	html_put(w, "<div class=\"tw\"><table><thead><tr>");
	for (i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) {
		html_put(w, "<th>");
		html_put(w, T(l, cols[i]));
		html_put(w, "</th>");
	}
	html_put(w, "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		const srv_stats_rating_row *r = &rows[i];
		html_put(w, "<tr><th>");
		if (r->neither) html_put(w, T(l, W_STATS_RATINGS_NEITHER));
		else html_escape(w, field_name(cat, r->field, l));
		html_put(w, "</th><td>");
		if (r->counter > 0) html_putf(w, "%d", r->counter);
		else html_put(w, T(l, W_STATS_RATINGS_ANY_COUNTER));
		html_put(w, "</td>");
		if (r->n == SRV_STATS_HIDDEN) {
			html_putf(w, "<td class=\"mu\" colspan=\"%d\">", 1 + PROTO_RATING_CRITERIA);
			html_put(w, T(l, W_STATS_RATINGS_FEW));
			html_put(w, "</td></tr>");
			continue;
		}
		html_putf(w, "<td>%lld</td>", r->n);
		for (k = 0; k < PROTO_RATING_CRITERIA; k++) html_putf(w, "<td>%d%%</td>", r->satisfied_pct[k]);
		html_put(w, "</tr>");
	}
	html_put(w, "</tbody></table></div><p class=\"mu\">");
	html_put(w, T(l, W_STATS_RATINGS_NOTE));
	html_put(w, "</p></section>");
}

json_t *stats_rating_json(const srv_stats *s, const char *code)
{
	const srv_stats_rating_row *rows;
	json_t *list = json_array();
	int n, i, k;
	srv_stats_ratings_of(s, code, &rows, &n);
	for (i = 0; list && i < n; i++) {
		const srv_stats_rating_row *r = &rows[i];
		json_t *pct = json_array();
		for (k = 0; pct && k < PROTO_RATING_CRITERIA; k++)
			json_array_append_new(pct, r->n == SRV_STATS_HIDDEN ? json_null() : json_integer(r->satisfied_pct[k]));
		json_array_append_new(list, json_pack("{s:s,s:i,s:b,s:o,s:o}", "field", r->field, "counter", r->counter,
			"neither", r->neither, "ratings", r->n == SRV_STATS_HIDDEN ? json_null() : json_integer(r->n),
			"satisfied_pct", pct ? pct : json_null()));
	}
	return list ? list : json_null();
}
