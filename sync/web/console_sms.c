/* console_sms: the text messages' delivery log (see console_int.h): on a
 * request's page the messages it called for, and GET /staff/sms every
 * message, newest first (supervisors). What each said is not kept beyond
 * its kind and date, and no phone number is ever shown: the log says what
 * went out, when, how and how many tries it took. */
#include "console_int.h"

#include <stdio.h>

#include "log.h"

static word kind_word(const char *kind)
{
	if (strcmp(kind, "supplement") == 0) return W_SMS_KIND_SUPPLEMENT;
	if (strcmp(kind, "apology") == 0) return W_SMS_KIND_APOLOGY;
	return W_SMS_KIND_RESULT;
}

static word state_word(const char *state)
{
	if (strcmp(state, "sent") == 0) return W_SMS_SENT;
	if (strcmp(state, "failed") == 0) return W_SMS_FAILED;
	return W_SMS_QUEUED;
}

typedef struct {
	exchange *x;
	int with_request;
	int n;
} sms_rows;

static int sms_row(const work_sms *m, void *arg)
{
	sms_rows *r = arg;
	exchange *x = r->x;
	char at[20], day[11];
	r->n++;
	html_putf(&x->html, "<tr class=\"sms-%s\"><td>", strcmp(m->state, "sent") == 0 ? "sent"
		: strcmp(m->state, "failed") == 0 ? "failed" : "queued");
	console_format_local(m->created_at, at);
	put(x, at);
	put(x, "</td>");
	if (r->with_request) {
		put(x, "<td><a href=\"/staff/r/");
		console_put_url(x, m->request_id);
		put(x, "\">");
		esc(x, m->request_id);
		put(x, "</a></td>");
	}
	put(x, "<td>");
	put(x, W(x, kind_word(m->kind)));
	if (m->date[0]) {
		console_format_day(m->date, day);
		put(x, " · ");
		put(x, day);
	}
	put(x, "</td><td>");
	put(x, W(x, state_word(m->state)));
	put(x, "</td><td>");
	html_putf(&x->html, "%d", m->tries);
	put(x, "</td><td>");
	if (m->sent_at) {
		console_format_local(m->sent_at, at);
		put(x, at);
		put(x, " · ");
		esc(x, m->via);
	} else if (strcmp(m->state, "queued") == 0 && m->tries) {
		console_format_local(m->next_at, at);
		put(x, W(x, W_SMS_NEXT_TRY));
		put(x, " ");
		put(x, at);
	}
	put(x, "</td><td>");
	esc(x, m->last_error);
	put(x, "</td></tr>\n");
	return 0;
}

static void table_head(exchange *x, int with_request)
{
	put(x, "<table class=\"sms\"><thead><tr><th>");
	put(x, W(x, W_WHEN));
	if (with_request) {
		put(x, "</th><th>");
		put(x, W(x, W_REQUEST_ID));
	}
	put(x, "</th><th>");
	put(x, W(x, W_WHAT));
	put(x, "</th><th>");
	put(x, W(x, W_STATUS));
	put(x, "</th><th>");
	put(x, W(x, W_SMS_TRIES));
	put(x, "</th><th>");
	put(x, W(x, W_SMS_SENT_AT));
	put(x, "</th><th>");
	put(x, W(x, W_DETAIL));
	put(x, "</th></tr></thead><tbody>\n");
}

void console_sms_block(exchange *x, const work_item *it)
{
	sms_rows r = { x, 0, 0 };
	size_t start = x->html.buf->len;
	char err[300];
	put(x, "<section class=\"panel\" id=\"sms\"><h2>");
	put(x, W(x, W_SMS_LOG));
	put(x, "</h2>");
	table_head(x, 0);
	if (srv_work_sms_list(x->db, it->id, 50, sms_row, &r, err, sizeof err) != 0) log_error("messages: %s", err);
	/* Nothing sent or queued: no panel, rather than an empty table. */
	if (!r.n) {
		x->html.buf->len = start;
		return;
	}
	put(x, "</tbody></table></section>\n");
}

void console_page_sms(exchange *x)
{
	sms_rows r = { x, 1, 0 };
	char err[300];
	console_head(x, W(x, W_SMS_LOG));
	put(x, "<h1>");
	put(x, W(x, W_SMS_LOG));
	put(x, "</h1>\n<p class=\"muted\">");
	put(x, W(x, W_SMS_NOTE));
	put(x, "</p>\n");
	table_head(x, 1);
	if (srv_work_sms_list(x->db, "", 200, sms_row, &r, err, sizeof err) != 0) {
		log_error("messages: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (!r.n) {
		put(x, "<tr><td colspan=\"7\" class=\"muted\" id=\"no-sms\">");
		put(x, W(x, W_NONE));
		put(x, "</td></tr>");
	}
	put(x, "</tbody></table>\n");
	console_foot(x);
}
