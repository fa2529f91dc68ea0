/* console_audit: the audit log, GET /staff/audit, for supervisors (see
 * console_int.h), and the rows the request page's own log shares. The log
 * is read a page at a time, newest first, filtered by action, official,
 * request and without the failed logins, so that a flood of wrong
 * passwords never pushes the real rows out of reach; "older" carries the
 * cursor the store gives and the filters. */
#include "console_int.h"

#include <stdlib.h>

#include "log.h"

#define AUDIT_ROWS 100

int console_audit_row(const work_audit *a, void *arg)
{
	exchange *x = arg;
	char at[20];
	console_format_local(a->at, at);
	put(x, "<tr><td>");
	put(x, at);
	put(x, "</td><td>");
	esc(x, a->actor);
	put(x, "</td><td>");
	esc(x, a->action);
	put(x, "</td><td>");
	if (a->request_id[0]) {
		put(x, "<a href=\"/staff/r/");
		console_put_url(x, a->request_id);
		put(x, "\">");
		esc(x, a->request_id);
		put(x, "</a>");
	}
	put(x, "</td><td>");
	esc(x, a->detail);
	put(x, "</td></tr>\n");
	return 0;
}


/* ---- the audit log ---- */

typedef struct {
	exchange *x;
	int rows;
} audit_rows;

static int audit_page_row(const work_audit *a, void *arg)
{
	audit_rows *r = arg;
	r->rows++;
	return console_audit_row(a, r->x);
}

/* The audit page's own address with its filters and a cursor (0: none). */
static void audit_link(exchange *x, long long before)
{
	static const char *const keys[] = { "action", "actor", "request", "nofail" };
	size_t i;
	int first = 1;
	put(x, "/staff/audit");
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!*arg(x, keys[i])) continue;
		put(x, first ? "?" : "&amp;");
		first = 0;
		put(x, keys[i]);
		put(x, "=");
		console_put_url(x, arg(x, keys[i]));
	}
	if (before > 0) html_putf(&x->html, "%sbefore=%lld", first ? "?" : "&amp;", before);
}

static void text_filter(exchange *x, word label, const char *name, size_t max)
{
	put(x, "<label>");
	put(x, W(x, label));
	html_putf(&x->html, "<input type=\"text\" name=\"%s\" id=\"f-%s\" maxlength=\"%zu\" value=\"", name, name, max);
	esc(x, arg(x, name));
	put(x, "\"></label>");
}

void console_page_audit(exchange *x)
{
	work_audit_query q;
	audit_rows rows;
	long long next = 0;
	char err[300];
	int nofail = strcmp(arg(x, "nofail"), "1") == 0;
	memset(&q, 0, sizeof q);
	q.action = arg(x, "action");
	q.actor = arg(x, "actor");
	q.request_id = arg(x, "request");
	q.exclude_action = nofail ? "login_failed" : "";
	q.before = strtoll(arg(x, "before"), NULL, 10);
	q.limit = AUDIT_ROWS;
	rows.x = x;
	rows.rows = 0;
	console_head(x, W(x, W_AUDIT));
	put(x, "<h1>");
	put(x, W(x, W_AUDIT));
	put(x, "</h1>\n<form class=\"panel filters\" method=\"get\" action=\"/staff/audit\">");
	text_filter(x, W_WHAT, "action", 31);
	text_filter(x, W_OFFICIAL, "actor", 63);
	text_filter(x, W_REQUEST_ID_FILTER, "request", 39);
	put(x, "<label class=\"check\"><input type=\"checkbox\" name=\"nofail\" id=\"nofail\" value=\"1\"");
	put(x, nofail ? " checked>" : ">");
	put(x, W(x, W_EXCLUDE_FAILED));
	put(x, "</label><button type=\"submit\" id=\"filter\">");
	put(x, W(x, W_FILTER));
	put(x, "</button></form>\n<table id=\"audit\"><thead><tr><th>");
	put(x, W(x, W_WHEN));
	put(x, "</th><th>");
	put(x, W(x, W_WHO));
	put(x, "</th><th>");
	put(x, W(x, W_WHAT));
	put(x, "</th><th>");
	put(x, W(x, W_REQUEST));
	put(x, "</th><th>");
	put(x, W(x, W_DETAIL));
	put(x, "</th></tr></thead><tbody>\n");
	if (srv_work_audit_page(x->db, &q, audit_page_row, &rows, &next, err, sizeof err) != 0) {
		log_error("audit: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (rows.rows == 0) {
		put(x, "<tr><td colspan=\"5\" class=\"muted\">");
		put(x, W(x, W_NO_AUDIT));
		put(x, "</td></tr>");
	}
	put(x, "</tbody></table>\n");
	if (q.before > 0 || next > 0) {
		put(x, "<nav class=\"pager\">");
		if (q.before > 0) {
			put(x, "<a id=\"newest\" href=\"");
			audit_link(x, 0);
			put(x, "\">");
			put(x, W(x, W_NEWEST));
			put(x, "</a>");
		}
		if (next > 0) {
			put(x, "<a id=\"older\" href=\"");
			audit_link(x, next);
			put(x, "\">");
			put(x, W(x, W_OLDER));
			put(x, "</a>");
		}
		put(x, "</nav>\n");
	}
	console_foot(x);
}
