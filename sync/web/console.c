/* console: the officials' pages under /staff (see console.h).
 *
 * Each page is written straight into the caller's buffer from fixed text and
 * escaped data, as the phone page is; every text that comes from data or
 * from a form goes through esc(). Words are the translation files'
 * (words.h), looked up in the exchange's one language, so a page never
 * mixes the two. Routes are a table: the method, the path (exact or a
 * prefix), what the page needs (no session, a session, a supervisor) and
 * its function, which lives in the file of its route group
 * (console_int.h says which).
 *
 * Refusals keep what the official typed: a refused action re-renders the
 * request with the same form open, the words srv_work gave and the text
 * still in its fields. Successful POSTs answer 303 to a GET page, so a
 * reload never sends a form twice. */
#include "console_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- routes ---- */

typedef enum { NEED_NOTHING, NEED_SESSION, NEED_SUPERVISOR } need;

typedef struct {
	const char *method;
	const char *path;
	int prefix;
	need needs;
	void (*fn)(exchange *x);
} console_route;

static const console_route routes[] = {
	{ "GET", "/staff/style.css", 0, NEED_NOTHING, console_page_style },
	{ "GET", "/staff/login", 0, NEED_NOTHING, console_page_login },
	{ "POST", "/staff/login", 0, NEED_NOTHING, console_do_login },
	{ "POST", "/staff/lang", 0, NEED_NOTHING, console_do_lang },
	{ "POST", "/staff/logout", 0, NEED_SESSION, console_do_logout },
	{ "GET", "/staff", 0, NEED_SESSION, console_go_inbox },
	{ "GET", "/staff/", 0, NEED_SESSION, console_go_inbox },
	{ "GET", "/staff/inbox", 0, NEED_SESSION, console_page_inbox },
	{ "GET", "/staff/r/", 1, NEED_SESSION, console_show_request },
	{ "POST", "/staff/r/", 1, NEED_SESSION, console_post_request },
	{ "GET", "/staff/conferences", 0, NEED_SESSION, console_page_conferences },
	{ "GET", "/staff/conferences/", 1, NEED_SESSION, console_page_conference },
	{ "POST", "/staff/conferences", 0, NEED_SESSION, console_do_conference_save },
	{ "POST", "/staff/conferences/cancel", 0, NEED_SESSION, console_do_conference_cancel },
	{ "GET", "/staff/audit", 0, NEED_SUPERVISOR, console_page_audit },
	{ "GET", "/staff/checks", 0, NEED_SESSION, console_page_checks },
	{ "GET", "/staff/replies", 0, NEED_SUPERVISOR, console_page_replies },
	{ "POST", "/staff/replies", 0, NEED_SUPERVISOR, console_do_reply_save },
	{ "GET", "/staff/export", 0, NEED_SESSION, console_page_export },
	{ "GET", "/staff/sms", 0, NEED_SUPERVISOR, console_page_sms },
	{ "POST", "/staff/export", 0, NEED_SUPERVISOR, console_do_export },
	{ "POST", "/staff/checks/release", 0, NEED_SUPERVISOR, console_do_release_code },
	{ "GET", "/staff/queue", 0, NEED_SESSION, console_page_queue },
	{ "GET", "/staff/ratings", 0, NEED_SESSION, console_page_ratings },
	{ "GET", "/staff/ratings.csv", 0, NEED_SESSION, console_export_ratings },
};

/* An Origin, when the browser sends one, must be this server as the
 * browser reached it. */
static int origin_ok(const console_request *rq)
{
	const char *o = rq->origin, *rest;
	if (!o) return 1;
	if (!rq->host) return 0;
	if (strncmp(o, "http://", 7) == 0) rest = o + 7;
	else if (strncmp(o, "https://", 8) == 0) rest = o + 8;
	else return 0;
	return strcmp(rest, rq->host) == 0;
}

/* Where a request without a live session goes: the login page, then back
 * to the page asked for (a form's page for a POST: what it sent is lost). */
static void to_login(exchange *x)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *why = x->rq->session_cookie && x->rq->session_cookie[0] ? "expired" : "";
	const char *p = x->rq->path;
	char location[1024];
	size_t n = (size_t)snprintf(location, sizeof location, "/staff/login?why=%s&next=", why);
	for (; *p && n + 4 < sizeof location; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-_.~/", ch)) {
			location[n++] = (char)ch;
		} else {
			location[n++] = '%';
			location[n++] = hex[ch >> 4];
			location[n++] = hex[ch & 15];
		}
	}
	location[n] = '\0';
	console_redirect(x, location);
	if (why[0]) console_set_cookie(x, CONSOLE_COOKIE_SESSION, "", "; Max-Age=0");
}

void console_handle(const console_ctx *c, srv_db *db, const console_request *rq, long long now,
	console_response *out, page_buf *body)
{
	exchange x;
	const console_route *r = NULL;
	const char *method = strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
	size_t i;
	int found;
	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	out->body_fd = -1;
	out->status = 200;
	out->type = CONSOLE_TEXT_HTML;
	body->len = 0;
	x.c = c;
	x.db = db;
	x.rq = rq;
	x.out = out;
	x.html.buf = body;
	x.now = now;
	x.lang = rq->lang_cookie && strcmp(rq->lang_cookie, "en") == 0 ? LANG_EN : LANG_VI;
	for (i = 0; i < sizeof routes / sizeof routes[0] && !r; i++) {
		const console_route *t = &routes[i];
		if (strcmp(t->method, method) != 0) continue;
		if (t->prefix ? strncmp(rq->path, t->path, strlen(t->path)) == 0 : strcmp(rq->path, t->path) == 0) r = t;
	}
	if (!r) {
		console_message_page(&x, 404, W_NOT_FOUND);
		goto done;
	}
	x.rest = rq->path + (r->prefix ? strlen(r->path) : strlen(rq->path));
	if (strcmp(method, "POST") == 0) {
		if (!origin_ok(rq) || (rq->form && rq->form->too_large)) {
			console_message_page(&x, 403, W_STALE_FORM);
			goto done;
		}
	}
	if (r->needs != NEED_NOTHING) {
		found = srv_auth_session_get(db, rq->session_cookie, &c->limits, now, &x.session);
		if (found < 0) {
			console_message_page(&x, 503, W_UNAVAILABLE);
			goto done;
		}
		if (found == 0) {
			to_login(&x);
			goto done;
		}
		x.has_session = 1;
		if (strcmp(method, "POST") == 0 && !srv_auth_csrf_ok(&x.session, field(&x, "csrf"))) {
			console_message_page(&x, 403, W_STALE_FORM);
			goto done;
		}
		if (r->needs == NEED_SUPERVISOR && !is_supervisor(&x)) {
			console_message_page(&x, 403, W_FORBIDDEN);
			goto done;
		}
	}
	r->fn(&x);
done:
	if (x.html.failed) {
		static const char oom[] = "out of memory\n";
		out->status = 500;
		out->type = "text/plain; charset=utf-8";
		body->len = 0;
		if (body->data && body->cap > sizeof oom) {
			memcpy(body->data, oom, sizeof oom);
			body->len = sizeof oom - 1;
		}
	}
}

/* ---- forms ---- */

int console_form_add(console_form *f, const char *name, const char *data, uint64_t off, size_t size)
{
	console_field *fl = NULL;
	char *grown;
	int i;
	if (f->too_large) return 0;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0) fl = &f->fields[i];
	if (!fl) {
		if (f->n == CONSOLE_FORM_FIELDS || strlen(name) >= sizeof fl->name) {
			f->too_large = 1;
			return 0;
		}
		fl = &f->fields[f->n++];
		snprintf(fl->name, sizeof fl->name, "%s", name);
	}
	if (off != fl->len || fl->len + size >= CONSOLE_FIELD_MAX || f->total + size > CONSOLE_BODY_MAX) {
		f->too_large = 1;
		return 0;
	}
	if (!(grown = realloc(fl->value, fl->len + size + 1))) return -1;
	fl->value = grown;
	memcpy(fl->value + fl->len, data, size);
	fl->len += size;
	fl->value[fl->len] = '\0';
	f->total += size;
	return 0;
}

const char *console_form_get(const console_form *f, const char *name)
{
	int i;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0) return f->fields[i].value ? f->fields[i].value : "";
	return NULL;
}

void console_form_free(console_form *f)
{
	int i;
	for (i = 0; i < f->n; i++) {
		if (f->fields[i].value) sodium_memzero(f->fields[i].value, f->fields[i].len);
		free(f->fields[i].value);
	}
	memset(f, 0, sizeof *f);
}

