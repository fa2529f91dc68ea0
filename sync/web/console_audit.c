/* console_audit: the audit log, GET /staff/audit, for supervisors (see
 * console_int.h), and the rows the request page's own log shares. */
#include "console_int.h"

#include "log.h"

#define AUDIT_ROWS 300

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

void console_page_audit(exchange *x)
{
	char err[300];
	console_head(x, W(x, W_AUDIT));
	put(x, "<h1>");
	put(x, W(x, W_AUDIT));
	put(x, "</h1><table id=\"audit\"><thead><tr><th>");
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
	if (srv_work_audit_list(x->db, "", AUDIT_ROWS, console_audit_row, x, err, sizeof err) != 0) {
		log_error("audit: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	put(x, "</tbody></table>\n");
	console_foot(x);
}

