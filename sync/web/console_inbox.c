/* console_inbox: the inbox, GET /staff/inbox (see console_int.h): the
 * filters (commune, category, status, overdue), the counts the same query
 * gives, one row a request with its deadline first, and the pages. */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "status.h"
#include "token.h"

#define INBOX_PAGE 50

/* ---- the inbox ---- */

typedef struct {
	exchange *x;
	const communes *all;
	int rows;
} inbox_rows;

static int inbox_row(const work_item *it, void *arg)
{
	inbox_rows *r = arg;
	exchange *x = r->x;
	char day[11], received[20], grouped[TOKEN_GROUPED_LEN + 1];
	r->rows++;
	console_format_day(it->due, day);
	console_format_local(it->received_at, received);
	token_group(it->token, grouped);
	put(x, it->overdue ? "<tr class=\"overdue\"><td>" : "<tr><td>");
	put(x, day);
	if (it->overdue) {
		put(x, "<span class=\"badge\">");
		put(x, W(x, W_OVERDUE));
		put(x, "</span>");
	}
	put(x, "</td><td><a class=\"code\" href=\"/staff/r/");
	console_put_url(x, it->id);
	put(x, "\">");
	esc(x, grouped);
	put(x, "</a></td><td>");
	esc(x, console_category_name(x, it->category));
	put(x, "</td><td>");
	esc(x, it->procedure[0] ? console_procedure_name(x, it->procedure) : "–");
	put(x, "</td><td>");
	console_commune_label(x, r->all, it->commune);
	put(x, "</td><td>");
	esc(x, console_status_label(x, it->status));
	put(x, "</td><td>");
	put(x, received);
	put(x, "</td></tr>\n");
	return 0;
}

static void inbox_link(exchange *x, int page)
{
	static const char *const keys[] = { "commune", "category", "status", "overdue" };
	size_t i;
	put(x, "/staff/inbox?page=");
	html_putf(&x->html, "%d", page);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!*arg(x, keys[i])) continue;
		put(x, "&amp;");
		put(x, keys[i]);
		put(x, "=");
		console_put_url(x, arg(x, keys[i]));
	}
}

static int count_commune(const char *commune, void *arg)
{
	(void)commune;
	++*(int *)arg;
	return 0;
}

/* An officer works the communes assigned to them; one with none is told
 * so, rather than shown an inbox that only looks empty. 1 none, 0 some,
 * -1 the database failed. */
static int officer_without_communes(exchange *x)
{
	char err[300];
	int n = 0;
	if (is_supervisor(x)) return 0;
	if (srv_work_scope_list(x->db, x->session.name, count_commune, &n, err, sizeof err) != 0) {
		log_error("inbox: %s", err);
		return -1;
	}
	return n == 0;
}

void console_page_inbox(exchange *x)
{
	communes *cs = malloc(sizeof *cs);   /* too big for a pool thread's stack */
	work_filter f;
	work_counts counts;
	inbox_rows rows;
	char err[300];
	const char *status = arg(x, "status");
	long asked = strtol(arg(x, "page"), NULL, 10);   /* clamped: (page - 1) * INBOX_PAGE must fit */
	int page = asked >= 1 && asked <= 1000000 ? (int)asked : 1, pages, i;
	if (!cs) {
		x->html.failed = 1;
		return;
	}
	memset(&f, 0, sizeof f);
	f.commune = arg(x, "commune");
	f.category = arg(x, "category");
	f.status = status;
	f.overdue_only = strcmp(arg(x, "overdue"), "1") == 0;
	f.offset = (page - 1) * INBOX_PAGE;
	f.limit = INBOX_PAGE;
	f.officer = is_supervisor(x) ? "" : x->session.name;
	memset(&counts, 0, sizeof counts);
	if (console_load_communes(x, cs) != 0) {
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	switch (officer_without_communes(x)) {
	case 0:
		break;
	case 1:
		free(cs);
		console_head(x, W(x, W_INBOX));
		put(x, "<h1>");
		put(x, W(x, W_INBOX));
		put(x, "</h1>\n<p class=\"secret\" role=\"status\" id=\"no-communes\">");
		put(x, W(x, W_NO_COMMUNES));
		put(x, "</p>\n");
		console_foot(x);
		return;
	default:
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	console_head(x, W(x, W_INBOX));
	put(x, "<h1>");
	put(x, W(x, W_INBOX));
	put(x, "</h1>\n<form class=\"panel filters\" method=\"get\" action=\"/staff/inbox\"><label>");
	put(x, W(x, W_COMMUNE));
	console_commune_select(x, cs, "commune", f.commune, W_ANY);
	put(x, "</label><label>");
	put(x, W(x, W_CATEGORY));
	put(x, "<select name=\"category\" id=\"category\">");
	console_option(x, "", W(x, W_ANY), f.category);
	for (i = 0; x->c->cat && i < x->c->cat->ncategories; i++)
		console_option(x, x->c->cat->categories[i].id, x->c->cat->categories[i].name[x->lang], f.category);
	put(x, "</select></label><label>");
	put(x, W(x, W_STATUS));
	put(x, "<select name=\"status\" id=\"status\">");
	console_option(x, "", W(x, W_ANY), status);
	console_option(x, "open", W(x, W_OPEN), status);
	for (i = 0; status_names[i]; i++)
		console_option(x, status_names[i], console_status_label(x, status_names[i]), status);
	put(x, "</select></label><label class=\"check\"><input type=\"checkbox\" name=\"overdue\" id=\"overdue\" value=\"1\"");
	put(x, f.overdue_only ? " checked>" : ">");
	put(x, W(x, W_OVERDUE_ONLY));
	put(x, "</label><button type=\"submit\" id=\"filter\">");
	put(x, W(x, W_FILTER));
	put(x, "</button></form>\n");

	/* The rows are written to a second part of the buffer first, so the
	 * counts the same query gives can come above them. */
	{
		size_t counts_at = x->html.buf->len;
		size_t rows_len;
		char *rows_text;
		rows.x = x;
		rows.all = cs;
		rows.rows = 0;
		put(x, "<table id=\"inbox\"><thead><tr><th>");
		put(x, W(x, W_DEADLINE));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIPT));
		put(x, "</th><th>");
		put(x, W(x, W_CATEGORY));
		put(x, "</th><th>");
		put(x, W(x, W_PROCEDURE));
		put(x, "</th><th>");
		put(x, W(x, W_COMMUNE));
		put(x, "</th><th>");
		put(x, W(x, W_STATUS));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIVED));
		put(x, "</th></tr></thead><tbody>\n");
		if (srv_work_inbox(x->db, &f, x->now, inbox_row, &rows, &counts, err, sizeof err) != 0) {
			log_error("inbox: %s", err);
			free(cs);
			console_message_page(x, 503, W_UNAVAILABLE);
			return;
		}
		if (rows.rows == 0) {
			put(x, "<tr><td colspan=\"7\" class=\"muted\">");
			put(x, W(x, W_NONE));
			put(x, "</td></tr>");
		}
		put(x, "</tbody></table>\n");
		if (x->html.failed) {
			free(cs);
			return;
		}
		rows_len = x->html.buf->len - counts_at;
		if (!(rows_text = malloc(rows_len + 1))) {
			free(cs);
			x->html.failed = 1;
			return;
		}
		memcpy(rows_text, x->html.buf->data + counts_at, rows_len);
		x->html.buf->len = counts_at;
		put(x, "<ul class=\"counts\" id=\"counts\"><li>");
		put(x, W(x, W_TOTAL));
		html_putf(&x->html, "<b id=\"count-total\">%lld</b></li><li>", counts.total);
		put(x, W(x, W_OPEN_COUNT));
		html_putf(&x->html, "<b id=\"count-open\">%lld</b></li><li class=\"over\">", counts.open);
		put(x, W(x, W_OVERDUE));
		html_putf(&x->html, "<b id=\"count-overdue\">%lld</b></li>", counts.overdue);
		for (i = 0; status_names[i] && i < 16; i++) {
			if (!counts.by_status[i]) continue;
			html_putf(&x->html, "<li>%s<b id=\"count-%s\">%lld</b></li>", console_status_label(x, status_names[i]), status_names[i],
				counts.by_status[i]);
		}
		put(x, "</ul>\n");
		put_n(x, rows_text, rows_len);
		free(rows_text);
	}
	pages = (int)((counts.total + INBOX_PAGE - 1) / INBOX_PAGE);
	if (pages > 1) {
		put(x, "<nav class=\"pager\">");
		if (page > 1) {
			put(x, "<a href=\"");
			inbox_link(x, page - 1);
			put(x, "\">");
			put(x, W(x, W_PREV));
			put(x, "</a>");
		}
		html_putf(&x->html, "<span>%s %d / %d</span>", W(x, W_PAGE), page, pages);
		if (page < pages) {
			put(x, "<a href=\"");
			inbox_link(x, page + 1);
			put(x, "\" id=\"next\">");
			put(x, W(x, W_NEXT));
			put(x, "</a>");
		}
		put(x, "</nav>\n");
	}
	free(cs);
	console_foot(x);
}

