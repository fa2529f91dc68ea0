/* office_counter: the counter page and its actions (see office_counter.h). */
#include "office_counter.h"
#include "office_help.h"
#include "office.h"
#include "office_session.h"
#include "office_words.h"
#include "log.h"
#include "queue.h"
#include "vntime.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T(r, w) office_words_text(office_req_lang(r), OW_##w)

void office_counter_form(office_req *r, office_buf *b, const char *action, const char *css_class)
{
	office_buf_printf(b, "<form class=\"%s\" method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
		css_class ? css_class : "inline", action, office_req_who(r)->csrf);
}

/* A field's name in the page's language, or its id. */
static const char *field_name(office_req *r, const char *id, const char **prefix)
{
	const catalog_queue_field *q = catalog_queue_field_by_id(office_catalog(office_req_office(r)), id);
	if (prefix) *prefix = q ? q->prefix : "";
	return q ? q->name[office_req_lang(r)] : id;
}

/* ---- sign-in ---- */

static void sign_in_page(office_req *r, const char *msg)
{
	office_buf *b = office_req_body(r);
	const catalog *c = office_catalog(office_req_office(r));
	int n, top = catalog_counters(c);
	const char *chosen = office_req_param(r, "counter");
	office_http_page_start(b, office_req_lang(r), T(r, SIGN_IN), 0);
	office_buf_printf(b, "<header>%s</header><main><h1>%s</h1>", T(r, SITE), T(r, SIGN_IN));
	if (!office_config(office_req_office(r))->staff_pin[0])
		office_buf_printf(b, "<p class=\"err\">%s</p>", T(r, SIGN_IN_NO_PIN));
	if (msg) office_buf_printf(b, "<p class=\"err\" id=\"msg\">%s</p>", msg);
	office_buf_printf(b, "<form method=\"post\" action=\"/counter/sign-in\"><p><label>%s "
		"<select name=\"counter\" id=\"counter\">", T(r, SIGN_IN_COUNTER));
	for (n = 1; n <= top; n++)
		office_buf_printf(b, "<option value=\"%d\"%s>%d</option>", n,
			chosen && atoi(chosen) == n ? " selected" : "", n);
	office_buf_printf(b, "</select></label></p><p><label>%s <input type=\"password\" name=\"pin\" id=\"pin\""
		" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"12\"></label></p>"
		"<p><button type=\"submit\" id=\"sign-in\">%s</button></p></form>", T(r, SIGN_IN_PIN), T(r, SIGN_IN));
	office_buf_printf(b, "<p><a href=\"?lang=%s\">%s</a></p></main>",
		office_req_lang(r) == LANG_EN ? "vi" : "en", T(r, OTHER_LANG));
	office_http_page_end(b);
	office_req_reply(r, MHD_HTTP_OK, "text/html; charset=utf-8");
}

static void get_sign_in(office_req *r)
{
	if (office_req_who(r)->counter) { office_req_redirect(r, "/counter"); return; }
	sign_in_page(r, NULL);
}

static void post_sign_in(office_req *r)
{
	office *o = office_req_office(r);
	const char *pin = office_req_param(r, "pin"), *cs = office_req_param(r, "counter");
	int counter = cs ? atoi(cs) : 0;
	char cookie[65], header[160], msg[160];
	long long wait = 0;
	office_signin res;
	db *d;
	if (counter < 1 || counter > catalog_counters(office_catalog(o))) {
		sign_in_page(r, T(r, SIGN_IN_WRONG));
		return;
	}
	d = office_db_hold(o);
	res = office_session_sign_in(office_config(o), d, pin ? pin : "", counter, cookie, &wait);
	office_db_release(o);
	switch (res) {
	case OFFICE_SIGNIN_OK:
		log_info("counter %d signed in from %s", counter, office_req_peer(r));
		snprintf(header, sizeof header, OFFICE_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", cookie);
		office_req_cookie(r, header);
		office_req_redirect(r, "/counter");
		break;
	case OFFICE_SIGNIN_LOCKED:
		log_warn("counter sign-in from %s: the PIN pad is locked for %lld s", office_req_peer(r), wait);
		office_words_format(msg, sizeof msg, office_req_lang(r), OW_SIGN_IN_LOCKED, wait);
		sign_in_page(r, msg);
		office_req_reply(r, MHD_HTTP_TOO_MANY_REQUESTS, "text/html; charset=utf-8");
		break;
	case OFFICE_SIGNIN_WRONG:
		log_warn("counter sign-in from %s: wrong PIN", office_req_peer(r));
		sign_in_page(r, T(r, SIGN_IN_WRONG));
		office_req_reply(r, MHD_HTTP_FORBIDDEN, "text/html; charset=utf-8");
		break;
	default:
		sign_in_page(r, T(r, STORE_ERROR));
		office_req_reply(r, MHD_HTTP_SERVICE_UNAVAILABLE, "text/html; charset=utf-8");
	}
}

/* ---- the page's sections ---- */

static void section_current(office_req *r, office_buf *b)
{
	office *o = office_req_office(r);
	int counter = office_req_who(r)->counter, rc, n, top = catalog_counters(office_catalog(o));
	queue_ticket t;
	char day[11], label[16], at[8], line[128];
	const char *prefix, *name;
	office_today(day);
	rc = queue_current(office_db_hold(o), day, counter, &t);
	office_db_release(o);
	office_buf_printf(b, "<section id=\"current\"><h2>%s</h2>", T(r, COUNTER_NOW));
	if (rc < 0) office_buf_printf(b, "<p class=\"err\">%s</p>", T(r, STORE_ERROR));
	else if (rc == 0) office_buf_printf(b, "<p id=\"now\">%s</p>", T(r, COUNTER_IDLE));
	else {
		name = field_name(r, t.field, &prefix);
		queue_label(prefix, t.number, label, sizeof label);
		vntime_format(t.called_at, "%H:%M", at, sizeof at);
		office_buf_printf(b, "<p class=\"now\" id=\"now\">%s</p><p>", label);
		office_buf_esc(b, name);
		if (t.priority) office_buf_printf(b, " · <b>%s</b>", T(r, COUNTER_PRIORITY));
		office_buf_puts(b, " · ");
		office_words_format(line, sizeof line, office_req_lang(r), OW_COUNTER_CALLED_AT, at, t.calls);
		office_buf_esc(b, line);
		office_buf_puts(b, "</p>");
	}
	office_counter_form(r, b, "/counter/call", "inline");
	office_buf_printf(b, "<button class=\"big\" id=\"call\">%s</button></form>", T(r, CALL_NEXT));
	if (rc == 1) {
		office_counter_form(r, b, "/counter/recall", "inline");
		office_buf_printf(b, "<button class=\"alt\" id=\"recall\">%s</button></form>", T(r, RECALL));
		office_counter_form(r, b, "/counter/skip", "inline");
		office_buf_printf(b, "<button class=\"alt\" id=\"skip\">%s</button></form>", T(r, SKIP));
		office_counter_form(r, b, "/counter/close", "inline");
		office_buf_printf(b, "<button class=\"alt\" id=\"close\">%s</button></form>", T(r, CLOSE));
		office_counter_form(r, b, "/counter/transfer", "inline");
		office_buf_printf(b, "<select name=\"to\" id=\"to\">");
		for (n = 1; n <= top; n++)
			if (n != counter) office_buf_printf(b, "<option value=\"%d\">%d</option>", n, n);
		office_buf_printf(b, "</select><button class=\"alt\" id=\"transfer\">%s</button></form>", T(r, TRANSFER));
	}
	office_buf_puts(b, "</section>");
}

static void section_queue(office_req *r, office_buf *b)
{
	office *o = office_req_office(r);
	const catalog *c = office_catalog(o);
	int counter = office_req_who(r)->counter, i, j, any = 0;
	char day[11];
	db *d;
	office_today(day);
	office_buf_printf(b, "<section id=\"queue\"><h2>%s</h2><table><tr><th>%s</th><th>%s</th></tr>",
		T(r, COUNTER_FIELDS), T(r, FIELD), T(r, WAITING));
	d = office_db_hold(o);
	for (i = 0; i < c->nqueue_fields; i++)
		for (j = 0; j < c->queue_fields[i].ncounters; j++) {
			if (c->queue_fields[i].counters[j] != counter) continue;
			office_buf_printf(b, "<tr><td>%s · ", c->queue_fields[i].prefix);
			office_buf_esc(b, c->queue_fields[i].name[office_req_lang(r)]);
			office_buf_printf(b, "</td><td class=\"waiting\" data-field=\"%s\">%d</td></tr>", c->queue_fields[i].id,
				queue_waiting(d, day, c->queue_fields[i].id));
			any = 1;
			break;
		}
	office_db_release(o);
	office_buf_puts(b, "</table>");
	if (!any) office_buf_printf(b, "<p class=\"err\">%s</p>", T(r, COUNTER_NONE));
	office_buf_puts(b, "</section>");
}

static void minutes(office_req *r, office_buf *b, long long seconds)
{
	char text[64];
	office_words_format(text, sizeof text, office_req_lang(r), OW_MINUTES, (seconds + 30) / 60);
	office_buf_esc(b, text);
}

static void section_times(office_req *r, office_buf *b)
{
	office *o = office_req_office(r);
	queue_stat st[CATALOG_MAX_QUEUE_FIELDS * 4];
	int counter = office_req_who(r)->counter, n, i;
	char day[11];
	office_today(day);
	n = queue_stats(office_db_hold(o), day, st, (int)(sizeof st / sizeof st[0]));
	office_db_release(o);
	office_buf_printf(b, "<section id=\"times\"><h2>%s</h2><table><tr><th>%s</th><th>%s</th><th>%s</th>"
		"<th>%s</th><th>%s</th><th>%s</th></tr>", T(r, TODAY), T(r, FIELD), T(r, COL_SERVED), T(r, COL_SKIPPED),
		T(r, COL_WAIT), T(r, COL_WAIT_MAX), T(r, COL_SERVICE));
	for (i = 0; i < n; i++) {
		int seen = st[i].served + st[i].skipped;
		if (st[i].counter != counter || !seen) continue;
		office_buf_puts(b, "<tr><td>");
		office_buf_esc(b, field_name(r, st[i].field, NULL));
		office_buf_printf(b, "</td><td>%d</td><td>%d</td><td>", st[i].served, st[i].skipped);
		minutes(r, b, st[i].wait_total / seen);
		office_buf_puts(b, "</td><td>");
		minutes(r, b, st[i].wait_max);
		office_buf_puts(b, "</td><td>");
		if (st[i].served) minutes(r, b, st[i].service_total / st[i].served);
		office_buf_puts(b, "</td></tr>");
	}
	office_buf_puts(b, "</table></section>");
}

/* The way to the acceptance page (office_accept.c): scan a slip there. */
static void section_accept(office_req *r, office_buf *b)
{
	office_buf_printf(b, "<section id=\"accept\"><p><a class=\"big\" id=\"accept-link\" href=\"/counter/accept\">%s</a></p>"
		"</section>", T(r, ACCEPT_OPEN));
}

/* The counter page, top to bottom: add a section here. */
static const office_counter_section sections[] = {
	office_help_section,
	section_current,
	section_accept,
	section_queue,
	section_times,
};

static void get_counter(office_req *r)
{
	office_buf *b = office_req_body(r);
	char title[64];
	size_t i;
	office_words_format(title, sizeof title, office_req_lang(r), OW_COUNTER, office_req_who(r)->counter);
	office_http_page_start(b, office_req_lang(r), title, 15);
	office_buf_printf(b, "<header>%s · <span id=\"counter-title\">%s</span></header><main>", T(r, SITE), title);
	{
		const char *msg = office_req_param(r, "msg");
		if (msg && strcmp(msg, "nobody") == 0) office_buf_printf(b, "<p class=\"err\" id=\"msg\">%s</p>", T(r, NOBODY));
		if (msg && strcmp(msg, "error") == 0) office_buf_printf(b, "<p class=\"err\" id=\"msg\">%s</p>", T(r, STORE_ERROR));
	}
	for (i = 0; i < sizeof sections / sizeof sections[0]; i++) sections[i](r, b);
	office_counter_form(r, b, "/counter/sign-out", "inline");
	office_buf_printf(b, "<button class=\"alt\" id=\"sign-out\">%s</button></form> <a href=\"?lang=%s\">%s</a></main>",
		T(r, SIGN_OUT), office_req_lang(r) == LANG_EN ? "vi" : "en", T(r, OTHER_LANG));
	office_http_page_end(b);
	office_req_reply(r, MHD_HTTP_OK, "text/html; charset=utf-8");
}

/* ---- actions ---- */

typedef enum { ACT_CALL, ACT_RECALL, ACT_SKIP, ACT_CLOSE, ACT_TRANSFER } action;

static void act(office_req *r, action a)
{
	office *o = office_req_office(r);
	int counter = office_req_who(r)->counter, rc;
	char day[11], err[256], fields[512];
	long long now = (long long)time(NULL);
	queue_ticket t;
	queue_call call;
	const char *to = office_req_param(r, "to");
	db *d;
	office_today(day);
	catalog_counter_fields(office_catalog(o), counter, fields, sizeof fields);
	d = office_db_hold(o);
	switch (a) {
	case ACT_CALL: rc = queue_call_next(d, day, counter, fields, now, &t, &call, err, sizeof err); break;
	case ACT_RECALL: rc = queue_recall(d, day, counter, now, &call, err, sizeof err); break;
	case ACT_SKIP: rc = queue_skip(d, day, counter, now, err, sizeof err); break;
	case ACT_CLOSE: rc = queue_close(d, day, counter, now, err, sizeof err); break;
	default: rc = queue_transfer(d, day, counter, to ? atoi(to) : 0, now, err, sizeof err); break;
	}
	office_db_release(o);
	if (rc < 0) {
		log_error("counter %d: %s", counter, err);
		office_req_redirect(r, "/counter?msg=error");
		return;
	}
	if (rc > 0) office_changed(o);
	office_req_redirect(r, rc == 0 && a == ACT_CALL ? "/counter?msg=nobody" : "/counter");
}

static void post_call(office_req *r) { act(r, ACT_CALL); }
static void post_recall(office_req *r) { act(r, ACT_RECALL); }
static void post_skip(office_req *r) { act(r, ACT_SKIP); }
static void post_close(office_req *r) { act(r, ACT_CLOSE); }
static void post_transfer(office_req *r) { act(r, ACT_TRANSFER); }

static void post_sign_out(office_req *r)
{
	office_session_end(office_req_session(r));
	office_req_cookie(r, OFFICE_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	office_req_redirect(r, "/counter/sign-in");
}

const office_route office_counter_routes[] = {
	{ "GET", "/counter/sign-in", 0, get_sign_in },
	{ "POST", "/counter/sign-in", 0, post_sign_in },
	{ "POST", "/counter/sign-out", 1, post_sign_out },
	{ "GET", "/counter", 1, get_counter },
	{ "POST", "/counter/call", 1, post_call },
	{ "POST", "/counter/recall", 1, post_recall },
	{ "POST", "/counter/skip", 1, post_skip },
	{ "POST", "/counter/close", 1, post_close },
	{ "POST", "/counter/transfer", 1, post_transfer },
	{ NULL, NULL, 0, NULL },
};
