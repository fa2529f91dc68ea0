/* console_replies: canned replies (see console_int.h). Supervisors write
 * them at /staff/replies, one per category and action with a title; on a
 * request's page each action's form lists those of the request's category
 * as links that reopen the page with the form filled, to be adjusted and
 * sent: no script, the page itself is the picker. */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"

/* ---- on a request's page ---- */

static int reply_keep(const work_reply *r, void *arg)
{
	console_reply_list *l = arg;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		console_reply_link *v = realloc(l->v, (size_t)cap * sizeof *v);
		if (!v) return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].id = r->id;
	snprintf(l->v[l->n].action, sizeof l->v[l->n].action, "%s", r->action);
	snprintf(l->v[l->n].title, sizeof l->v[l->n].title, "%s", r->title);
	l->n++;
	return 0;
}

void console_replies_read(exchange *x, const work_item *it, console_reply_list *out)
{
	char err[300];
	memset(out, 0, sizeof *out);
	if (srv_work_replies(x->db, it->category, reply_keep, out, err, sizeof err) != 0) {
		log_error("replies: %s", err);
		out->n = 0;
	}
}

void console_replies_free(console_reply_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

void console_replies_links(exchange *x, const work_item *it, const console_reply_list *l, const char *action)
{
	int i, n = 0;
	for (i = 0; i < l->n; i++) {
		const console_reply_link *r = &l->v[i];
		if (strcmp(r->action, action) != 0) continue;
		if (n++ == 0) {
			put(x, "<p class=\"replies\">");
			put(x, W(x, W_REPLIES_USE));
		}
		put(x, " <a class=\"reply\" href=\"/staff/r/");
		console_put_url(x, it->id);
		{
			size_t before = x->html.buf->len;
			console_list_suffix(x);
			html_putf(&x->html, "%sreply=%lld#act-", x->html.buf->len > before ? "&amp;" : "?", r->id);
		}
		put(x, action);
		put(x, "\" id=\"reply-");
		html_putf(&x->html, "%lld\">", r->id);
		esc(x, r->title);
		put(x, "</a>");
	}
	if (n) put(x, "</p>");
}

int console_replies_pick(exchange *x, const work_item *it, work_reply *out)
{
	long long id = strtoll(arg(x, "reply"), NULL, 10);
	if (id <= 0 || srv_work_reply_get(x->db, id, out) != 1) return 0;
	return strcmp(out->category, it->category) == 0 && srv_work_action_parse(out->action) >= 0;
}

/* ---- the supervisors' page ---- */

static const word action_words[WORK_NACTIONS] = {
	[WORK_ACCEPT] = W_ACTION_ACCEPT, [WORK_PROGRESS] = W_ACTION_PROGRESS, [WORK_SUPPLEMENT] = W_ACTION_SUPPLEMENT,
	[WORK_FORWARD] = W_ACTION_FORWARD, [WORK_RESOLVE] = W_ACTION_RESOLVE, [WORK_REJECT] = W_ACTION_REJECT,
	[WORK_EXTEND] = W_ACTION_EXTEND, [WORK_RESCHEDULE] = W_ACTION_RESCHEDULE,
	[WORK_SUSPEND] = W_ACTION_SUSPEND, [WORK_RESUME] = W_ACTION_RESUME, [WORK_NOTIFY] = W_ACTION_NOTIFY,
};

static void reply_form(exchange *x, const work_reply *r, const char *error)
{
	int i;
	put(x, "<form class=\"panel stack\" method=\"post\" action=\"/staff/replies\" id=\"reply-form-");
	html_putf(&x->html, "%lld\">", r->id);
	console_csrf_field(x);
	html_putf(&x->html, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", r->id);
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	put(x, "<div class=\"filters\"><label>");
	put(x, W(x, W_CATEGORY));
	put(x, "<select name=\"category\">");
	for (i = 0; x->c->cat && i < x->c->cat->ncategories; i++)
		console_option(x, x->c->cat->categories[i].id, x->c->cat->categories[i].name[x->lang], r->category);
	put(x, "</select></label><label>");
	put(x, W(x, W_ACTIONS));
	put(x, "<select name=\"action\">");
	for (i = 0; i < WORK_NACTIONS; i++)
		console_option(x, srv_work_action_name((work_action)i), W(x, action_words[i]), r->action);
	put(x, "</select></label><label>");
	put(x, W(x, W_REPLY_TITLE));
	put(x, "<input type=\"text\" name=\"title\" maxlength=\"120\" value=\"");
	esc(x, r->title);
	put(x, "\"></label></div><label>");
	put(x, W(x, W_NOTE));
	put(x, "<textarea name=\"text\" maxlength=\"2000\">");
	esc(x, r->text);
	put(x, "</textarea></label><p><button type=\"submit\">");
	put(x, W(x, W_SAVE));
	put(x, "</button>");
	if (r->id) {
		put(x, " <button type=\"submit\" name=\"remove\" value=\"1\" class=\"secondary\">");
		put(x, W(x, W_REMOVE));
		put(x, "</button>");
	}
	put(x, "</p></form>\n");
}

typedef struct {
	exchange *x;
	long long failed_id;
	const char *error;
	const work_reply *posted;
	int n;
} reply_list;

static int reply_row(const work_reply *r, void *arg)
{
	reply_list *l = arg;
	l->n++;
	if (l->posted && r->id == l->failed_id) reply_form(l->x, l->posted, l->error);
	else reply_form(l->x, r, NULL);
	return 0;
}

static void replies_page(exchange *x, const work_reply *posted, const char *error)
{
	reply_list l = { x, posted ? posted->id : -1, error, posted, 0 };
	work_reply blank;
	char err[300];
	x->html.buf->len = 0;
	console_head(x, W(x, W_REPLIES));
	put(x, "<h1>");
	put(x, W(x, W_REPLIES));
	put(x, "</h1>\n<p class=\"muted\">");
	put(x, W(x, W_REPLIES_NOTE));
	put(x, "</p>\n");
	if (strcmp(arg(x, "done"), "1") == 0 && !error) {
		put(x, "<p class=\"notice\" role=\"status\" id=\"done\">");
		put(x, W(x, W_REPLY_SAVED));
		put(x, "</p>");
	}
	put(x, "<h2>");
	put(x, W(x, W_REPLY_NEW));
	put(x, "</h2>\n");
	memset(&blank, 0, sizeof blank);
	if (posted && posted->id == 0) reply_form(x, posted, error);
	else reply_form(x, &blank, NULL);
	put(x, "<h2>");
	put(x, W(x, W_REPLIES));
	put(x, "</h2>\n");
	if (srv_work_replies(x->db, "", reply_row, &l, err, sizeof err) != 0) {
		log_error("replies: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (!l.n) {
		put(x, "<p class=\"muted\" id=\"no-replies\">");
		put(x, W(x, W_NONE));
		put(x, "</p>");
	}
	console_foot(x);
}

void console_page_replies(exchange *x)
{
	replies_page(x, NULL, NULL);
}

void console_do_reply_save(exchange *x)
{
	work_reply r;
	char err[300];
	int rc;
	memset(&r, 0, sizeof r);
	r.id = strtoll(field(x, "id"), NULL, 10);
	if (r.id < 0) r.id = 0;
	if (strcmp(field(x, "remove"), "1") != 0) {
		snprintf(r.category, sizeof r.category, "%s", field(x, "category"));
		snprintf(r.action, sizeof r.action, "%s", field(x, "action"));
		snprintf(r.title, sizeof r.title, "%s", field(x, "title"));
		snprintf(r.text, sizeof r.text, "%s", field(x, "text"));
	}
	rc = srv_work_reply_save(x->db, &r, x->session.name, x->now, err, sizeof err);
	if (rc == 0) {
		console_redirect(x, "/staff/replies?done=1");
		return;
	}
	if (rc < 0) log_error("replies: %s", err);
	x->out->status = rc < 0 ? 503 : 422;
	/* What was typed stays in its form, with the reason. */
	snprintf(r.category, sizeof r.category, "%s", field(x, "category"));
	snprintf(r.action, sizeof r.action, "%s", field(x, "action"));
	snprintf(r.title, sizeof r.title, "%s", field(x, "title"));
	snprintf(r.text, sizeof r.text, "%s", field(x, "text"));
	replies_page(x, &r, rc < 0 ? W(x, W_UNAVAILABLE) : err);
}
