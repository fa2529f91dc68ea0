/* console_ratings: the satisfaction ratings for officials, GET
 * /staff/ratings (the public page's table for each commune in the
 * officer's scope, every commune for a supervisor) and GET
 * /staff/ratings.csv (one line per rating this year: day, commune, work
 * field, counter, where it was given, whether it named neither ticket nor
 * request, the five answers). No identity is in either: the store has
 * none (srv_rating.h); the CSV's lines are single ratings, so it is for
 * officials only and is an audit row. */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "log.h"
#include "vntime.h"
#include "srv_rating.h"
#include "srv_stats.h"
#include "srv_work.h"
#include "stats_rating.h"

typedef struct {
	char list[CONSOLE_MAX_COMMUNES][6];
	int n;
	int all;
	exchange *x;
} scope;

static int scope_add(const char *commune, void *arg)
{
	scope *m = arg;
	if (m->n < CONSOLE_MAX_COMMUNES) snprintf(m->list[m->n++], sizeof m->list[0], "%s", commune);
	return 0;
}

static int in_scope(const scope *m, const char *code)
{
	int i;
	if (m->all) return 1;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->list[i], code) == 0) return 1;
	return 0;
}

static scope *load_scope(exchange *x, char *err, size_t errlen)
{
	scope *m = calloc(1, sizeof *m);
	if (!m) return NULL;
	m->all = is_supervisor(x);
	m->x = x;
	if (!m->all && srv_work_scope_list(x->db, x->session.name, scope_add, m, err, errlen) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

void console_page_ratings(exchange *x)
{
	communes *cs = malloc(sizeof *cs);  /* too big for a pool thread's stack */
	scope *m = NULL;
	srv_stats s;
	char err[300];
	int i, shown = 0;
	memset(&s, 0, sizeof s);
	if (!cs || console_load_communes(x, cs) != 0 || !(m = load_scope(x, err, sizeof err)) ||
	    srv_stats_compute(x->db, x->now, &s, err, sizeof err) != 0) {
		if (cs && m) log_error("console: the ratings: %s", err);
		free(m);
		free(cs);
		srv_stats_free(&s);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	console_head(x, W(x, W_STATS_RATINGS_TITLE));
	put(x, "<h1>");
	put(x, W(x, W_STATS_RATINGS_TITLE));
	put(x, "</h1><p><a id=\"ratings-csv\" href=\"/staff/ratings.csv\">CSV</a></p>");
	for (i = 0; i < s.nratings; ) {
		const srv_stats_rating_row *rows;
		int n;
		const char *code = s.ratings[i].commune;
		srv_stats_ratings_of(&s, code, &rows, &n);
		i += n;
		if (!in_scope(m, code)) continue;
		shown++;
		put(x, "<h2>");
		console_commune_label(x, cs, code);
		put(x, "</h2>");
		stats_rating_html(&x->html, &s, code, x->c->cat, x->lang);
	}
	if (!shown) {
		put(x, "<p>");
		put(x, W(x, W_STATS_RATINGS_NONE));
		put(x, "</p>");
	}
	console_foot(x);
	free(m);
	free(cs);
	srv_stats_free(&s);
}

static int csv_line(const srv_rating_row *r, void *arg)
{
	scope *m = arg;
	if (!in_scope(m, r->commune)) return 0;
	html_putf(&m->x->html, "%s,%s,%s,%d,%s,%d,%d,%d,%d,%d,%d\r\n", r->day, r->commune, r->field, r->counter, r->source,
		r->neither, r->faces[0], r->faces[1], r->faces[2], r->faces[3], r->faces[4]);
	return m->x->html.failed;
}

void console_export_ratings(exchange *x)
{
	scope *m;
	char err[300], from[11], today[11];
	cal_date_format(vntime_date(x->now), today);
	snprintf(from, sizeof from, "%.4s-01-01", today);
	if (!(m = load_scope(x, err, sizeof err)) ||
	    srv_work_audit_add(x->db, x->now, x->session.name, "export_ratings", "", from, err, sizeof err) != 0) {
		log_error("console: the ratings' export: %s", m ? err : "out of memory");
		free(m);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	put(x, "day,commune,field,counter,source,neither,reception,time,attitude,result,overall\r\n");
	if (srv_rating_rows(x->db, from, 1, csv_line, m, err, sizeof err) != 0) {
		log_error("console: the ratings' export: %s", err);
		free(m);
		x->html.buf->len = 0;
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	free(m);
	x->out->status = 200;
	x->out->type = "text/csv; charset=utf-8";
	snprintf(x->out->disposition, sizeof x->out->disposition, "attachment; filename=\"danh-gia.csv\"");
}
