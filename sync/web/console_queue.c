/* console_queue: the office's queue at each commune's one-stop shop, GET
 * /staff/queue (see console_int.h): tickets served and not there, the
 * average and longest wait and the average service over the last 30 days,
 * per work field and counter, as the communes' kiosks sent them. The same
 * figures and the same hiding of small counts as the public page
 * (srv_stats.h): no row points at one person here either. Supervisors see
 * every commune that has figures, officers only their own. */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "srv_stats.h"
#include "srv_work.h"

typedef struct {
	char list[CONSOLE_MAX_COMMUNES][6];
	int n;
} mine;

static int mine_add(const char *commune, void *arg)
{
	mine *m = arg;
	if (m->n < CONSOLE_MAX_COMMUNES) snprintf(m->list[m->n++], sizeof m->list[0], "%s", commune);
	return 0;
}

static int is_mine(const mine *m, const char *code)
{
	int i;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->list[i], code) == 0) return 1;
	return 0;
}

static void minutes(exchange *x, long long seconds)
{
	char n[32];
	put(x, "<td>");
	if (seconds == SRV_STATS_HIDDEN) put(x, "—");
	else {
		snprintf(n, sizeof n, "%lld", (seconds + 30) / 60);
		put(x, n);
		put(x, W(x, W_STATS_QUEUE_MINUTES));
	}
	put(x, "</td>");
}

static void count(exchange *x, long long n)
{
	char s[32];
	put(x, "<td>");
	if (n == SRV_STATS_HIDDEN) put(x, "—");
	else {
		snprintf(s, sizeof s, "%lld", n);
		put(x, s);
	}
	put(x, "</td>");
}

static const char *field_name(exchange *x, const char *id)
{
	const catalog_queue_field *f = x->c->cat ? catalog_queue_field_by_id(x->c->cat, id) : NULL;
	return f ? f->name[x->lang] : id;
}

void console_page_queue(exchange *x)
{
	static const word cols[] = { W_STATS_QUEUE_FIELD, W_STATS_QUEUE_COUNTER, W_STATS_QUEUE_SERVED,
		W_STATS_QUEUE_SKIPPED, W_STATS_QUEUE_WAIT, W_STATS_QUEUE_WAIT_MAX, W_STATS_QUEUE_SERVICE };
	mine *m = calloc(1, sizeof *m);
	communes *cs = malloc(sizeof *cs);  /* too big for a pool thread's stack */
	srv_stats s;
	char err[300], title[128];
	int i, j, shown = 0;
	const char *args[1];
	char days[8];
	memset(&s, 0, sizeof s);
	if (!m || !cs || console_load_communes(x, cs) != 0 ||
	    (!is_supervisor(x) && srv_work_scope_list(x->db, x->session.name, mine_add, m, err, sizeof err) != 0) ||
	    srv_stats_compute(x->db, x->now, &s, err, sizeof err) != 0) {
		if (m && cs) log_error("console: the queue figures: %s", err);
		free(m);
		free(cs);
		srv_stats_free(&s);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	snprintf(days, sizeof days, "%d", SRV_STATS_QUEUE_DAYS);
	args[0] = days;
	title[0] = '\0';
	{
		page_buf tb = { NULL, 0, 0 };
		html_writer tw = { &tb, 0 };
		html_fill(&tw, W(x, W_STATS_QUEUE_TITLE), args, 1, 0);
		if (tb.data) snprintf(title, sizeof title, "%s", tb.data);
		page_buf_free(&tb);
	}
	console_head(x, title);
	put(x, "<h1>");
	esc(x, title);
	put(x, "</h1>");
	for (i = 0; i < s.nqueue; ) {
		const srv_stats_queue_row *rows;
		int n;
		const char *code = s.queue[i].commune;
		srv_stats_queue_of(&s, code, &rows, &n);
		i += n;
		if (!is_supervisor(x) && !is_mine(m, code)) continue;
		shown++;
		put(x, "<section class=\"queue\"><h2>");
		console_commune_label(x, cs, code);
		put(x, "</h2><table><thead><tr>");
		for (j = 0; j < (int)(sizeof cols / sizeof cols[0]); j++) {
			put(x, "<th>");
			put(x, W(x, cols[j]));
			put(x, "</th>");
		}
		put(x, "</tr></thead><tbody>");
		for (j = 0; j < n; j++) {
			char c[16];
			put(x, "<tr><td>");
			esc(x, field_name(x, rows[j].field));
			snprintf(c, sizeof c, "%d", rows[j].counter);
			put(x, "</td><td>");
			put(x, c);
			put(x, "</td>");
			count(x, rows[j].served);
			count(x, rows[j].skipped);
			minutes(x, rows[j].wait_avg);
			minutes(x, rows[j].wait_max);
			minutes(x, rows[j].service_avg);
			put(x, "</tr>");
		}
		put(x, "</tbody></table></section>");
	}
	if (!shown) {
		put(x, "<p>");
		put(x, W(x, W_STATS_QUEUE_NONE));
		put(x, "</p>");
	} else {
		put(x, "<p class=\"muted\">");
		put(x, W(x, W_STATS_QUEUE_NOTE));
		put(x, "</p>");
	}
	console_foot(x);
	free(m);
	free(cs);
	srv_stats_free(&s);
}
