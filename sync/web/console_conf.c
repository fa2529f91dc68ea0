/* console_conf: the dialogue conferences, /staff/conferences (see
 * console_int.h): the list, one conference with the questions filed for
 * it, the form that announces or edits one, and the one that cancels a
 * coming one (a reason and a ticked confirmation; srv_work_conference_cancel
 * moves its questions). Dates and times are typed and shown in Vietnam
 * time (vntime). */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "token.h"
#include "vntime.h"

/* ---- conferences ---- */

static int conference_row(const work_conference *cf, void *arg)
{
	void **pair = arg;
	exchange *x = pair[0];
	const communes *cs = pair[1];
	char at[20];
	console_format_local(cf->at, at);
	html_putf(&x->html, "<tr%s><td><a href=\"/staff/conferences/%lld\">", cf->cancelled_at ? " class=\"cancelled\"" : "",
		cf->id);
	put(x, at);
	put(x, "</a>");
	if (cf->cancelled_at) {
		put(x, " <span class=\"badge\">");
		put(x, W(x, W_CANCELLED));
		put(x, "</span>");
	}
	put(x, "</td><td>");
	console_commune_label(x, cs, cf->commune);
	put(x, "</td><td>");
	esc(x, cf->topic);
	put(x, "</td><td>");
	esc(x, cf->place);
	put(x, "</td><td>");
	esc(x, cf->leaders);
	html_putf(&x->html, "</td><td>%lld</td></tr>\n", cf->questions);
	return 0;
}

void console_page_conferences(exchange *x)
{
	communes *cs = malloc(sizeof *cs);
	const char *commune = arg(x, "commune");
	int past = strcmp(arg(x, "past"), "1") == 0;
	void *pair[2];
	char err[300];
	size_t before;
	if (!cs || console_load_communes(x, cs) != 0) {
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	console_head(x, W(x, W_CONFERENCES));
	put(x, "<h1>");
	put(x, W(x, W_CONFERENCES));
	put(x, "</h1><form class=\"panel filters\" method=\"get\" action=\"/staff/conferences\"><label>");
	put(x, W(x, W_COMMUNE));
	console_commune_select(x, cs, "commune", commune, W_ALL_COMMUNES);
	put(x, "</label><label class=\"check\"><input type=\"checkbox\" name=\"past\" value=\"1\"");
	put(x, past ? " checked>" : ">");
	put(x, W(x, W_PAST_TOO));
	put(x, "</label><button type=\"submit\">");
	put(x, W(x, W_FILTER));
	put(x, "</button><a class=\"button\" id=\"announce\" href=\"/staff/conferences/new\">");
	put(x, W(x, W_ANNOUNCE));
	put(x, "</a></form>\n<table id=\"conferences\"><thead><tr><th>");
	put(x, W(x, W_WHEN));
	put(x, "</th><th>");
	put(x, W(x, W_COMMUNE));
	put(x, "</th><th>");
	put(x, W(x, W_TOPIC));
	put(x, "</th><th>");
	put(x, W(x, W_PLACE));
	put(x, "</th><th>");
	put(x, W(x, W_LEADERS));
	put(x, "</th><th>");
	put(x, W(x, W_QUESTIONS));
	put(x, "</th></tr></thead><tbody>\n");
	pair[0] = x;
	pair[1] = cs;
	before = x->html.buf->len;
	if (srv_work_conferences(x->db, commune, past ? 0 : x->now - 86400, conference_row, pair, err, sizeof err) != 0) {
		log_error("conferences: %s", err);
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (x->html.buf->len == before) {
		put(x, "<tr><td colspan=\"6\" class=\"muted\">");
		put(x, W(x, W_NO_CONFERENCES));
		put(x, "</td></tr>");
	}
	put(x, "</tbody></table>\n");
	free(cs);
	console_foot(x);
}

/* The announce or edit form; cf NULL for a new one, posted non-NULL to
 * keep what was typed after a refusal. */
static void conference_form(exchange *x, const communes *cs, const work_conference *cf, int posted)
{
	char date[11] = "", hm[6] = "";
	if (posted) {
		snprintf(date, sizeof date, "%s", field(x, "date"));
		snprintf(hm, sizeof hm, "%s", field(x, "time"));
	} else if (cf) {
		vntime_format(cf->at, "%Y-%m-%d", date, sizeof date);
		vntime_format(cf->at, "%H:%M", hm, sizeof hm);
	}
	put(x, "<form class=\"stack panel\" method=\"post\" action=\"/staff/conferences\">");
	console_csrf_field(x);
	html_putf(&x->html, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", cf ? cf->id : 0);
	put(x, "<label>");
	put(x, W(x, W_COMMUNE));
	console_commune_select(x, cs, "commune", posted ? field(x, "commune") : cf ? cf->commune : "", W_COUNT);
	put(x, "</label><label>");
	put(x, W(x, W_DATE));
	put(x, "<input type=\"date\" name=\"date\" required value=\"");
	esc(x, date);
	put(x, "\"></label><label>");
	put(x, W(x, W_TIME));
	put(x, "<input type=\"time\" name=\"time\" required value=\"");
	esc(x, hm);
	put(x, "\"></label><label>");
	put(x, W(x, W_PLACE));
	put(x, "<input type=\"text\" name=\"place\" maxlength=\"500\" required value=\"");
	esc(x, posted ? field(x, "place") : cf ? cf->place : "");
	put(x, "\"></label><label>");
	put(x, W(x, W_LEADERS));
	put(x, "<input type=\"text\" name=\"leaders\" maxlength=\"500\" value=\"");
	esc(x, posted ? field(x, "leaders") : cf ? cf->leaders : "");
	put(x, "\"></label><label>");
	put(x, W(x, W_TOPIC));
	put(x, "<textarea name=\"topic\" maxlength=\"500\" required>");
	esc(x, posted ? field(x, "topic") : cf ? cf->topic : "");
	put(x, "</textarea></label><button type=\"submit\" id=\"save-conference\">");
	put(x, W(x, W_SAVE));
	put(x, "</button></form>\n");
}

static int question_row(const work_item *it, void *arg)
{
	exchange *x = arg;
	char grouped[TOKEN_GROUPED_LEN + 1], received[20];
	token_group(it->token, grouped);
	console_format_local(it->received_at, received);
	put(x, "<tr><td><a class=\"code\" href=\"/staff/r/");
	console_put_url(x, it->id);
	put(x, "\">");
	esc(x, grouped);
	put(x, "</a></td><td>");
	put(x, received);
	put(x, "</td><td>");
	esc(x, console_status_label(x, it->status));
	put(x, "</td></tr>\n");
	return 0;
}

/* Which form a refusal came from, whose typed text the page keeps. */
enum { POSTED_NONE, POSTED_EDIT, POSTED_CANCEL };

/* What a cancellation did, from the redirect's query, as a notice. */
static void cancel_notice(exchange *x)
{
	const char *moved = arg(x, "cancelled");
	const char *args[1] = { moved };
	if (!moved[0] || strspn(moved, "0123456789") != strlen(moved)) return;
	put(x, "<p class=\"notice\" role=\"status\" id=\"cancel-done\">");
	html_fill(&x->html, W(x, atoll(arg(x, "next")) > 0 ? W_CANCEL_DONE_NEXT : W_CANCEL_DONE_NONE), args, 1, 0);
	put(x, "</p>");
}

/* A cancelled conference says when, by whom and why; a coming one has the
 * form that cancels it; one begun says it can no longer be. */
static void cancel_block(exchange *x, const work_conference *cf, int posted)
{
	char when[20], count[24];
	const char *args[3];
	if (cf->cancelled_at) {
		console_format_local(cf->cancelled_at, when);
		args[0] = when;
		args[1] = cf->cancelled_by;
		args[2] = cf->cancel_reason;
		put(x, "<p class=\"error\" id=\"cancelled\">");
		html_fill(&x->html, W(x, W_CANCELLED_ON), args, 3, 1);
		put(x, "</p>");
		return;
	}
	if (cf->at <= x->now) {
		put(x, "<p class=\"muted\" id=\"cannot-cancel\">");
		put(x, W(x, W_CANNOT_CANCEL_PAST));
		put(x, "</p>");
		return;
	}
	snprintf(count, sizeof count, "%lld", cf->questions);
	args[0] = count;
	put(x, "<form class=\"stack panel\" method=\"post\" action=\"/staff/conferences/cancel\" id=\"cancel\"><h2>");
	put(x, W(x, W_CANCEL_CONFERENCE));
	put(x, "</h2>");
	console_csrf_field(x);
	html_putf(&x->html, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><label>", cf->id);
	put(x, W(x, W_CANCEL_REASON));
	put(x, "<textarea name=\"reason\" maxlength=\"511\" required>");
	if (posted) esc(x, field(x, "reason"));
	put(x, "</textarea></label><label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" required>");
	html_fill(&x->html, W(x, W_CANCEL_CONFIRM), args, 1, 0);
	put(x, "</label><button type=\"submit\" id=\"cancel-conference\">");
	put(x, W(x, W_CANCEL_CONFERENCE));
	put(x, "</button></form>\n");
}

static void render_conference(exchange *x, long long id, const char *error, int status, int posted)
{
	communes *cs = malloc(sizeof *cs);
	work_conference cf;
	work_filter f;
	char err[300], at[20];
	int found = id ? srv_work_conference_get(x->db, id, &cf) : 0;
	if (!cs || found < 0 || console_load_communes(x, cs) != 0) {
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (id && !found) {
		free(cs);
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	x->html.buf->len = 0;
	x->out->status = status;
	console_head(x, W(x, W_CONFERENCE));
	put(x, "<p><a href=\"/staff/conferences\">← ");
	put(x, W(x, W_CONFERENCES));
	put(x, "</a></p><h1>");
	if (found) {
		console_format_local(cf.at, at);
		put(x, W(x, W_CONFERENCE));
		put(x, " ");
		put(x, at);
		put(x, " · ");
		console_commune_label(x, cs, cf.commune);
	} else {
		put(x, W(x, W_ANNOUNCE));
	}
	put(x, "</h1>");
	if (strcmp(arg(x, "done"), "1") == 0 && !error) {
		put(x, "<p class=\"notice\" role=\"status\">");
		put(x, W(x, W_CONFERENCE_SAVED));
		put(x, "</p>");
	}
	if (!error) cancel_notice(x);
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	put(x, "<div class=\"grid\"><div>");
	/* a cancelled one is kept as it was: nothing more to edit */
	if (!found || !cf.cancelled_at) conference_form(x, cs, found ? &cf : NULL, posted == POSTED_EDIT);
	if (found) cancel_block(x, &cf, posted == POSTED_CANCEL);
	put(x, "</div><div>");
	if (found) {
		put(x, "<section class=\"panel\"><h2>");
		put(x, W(x, W_QUESTIONS));
		put(x, "</h2><table id=\"questions\"><thead><tr><th>");
		put(x, W(x, W_RECEIPT));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIVED));
		put(x, "</th><th>");
		put(x, W(x, W_STATUS));
		put(x, "</th></tr></thead><tbody>\n");
		memset(&f, 0, sizeof f);
		f.conference_id = cf.id;
		f.limit = 500;
		if (srv_work_inbox(x->db, &f, x->now, question_row, x, NULL, err, sizeof err) != 0)
			log_error("conference questions: %s", err);
		put(x, "</tbody></table></section>");
	}
	put(x, "</div></div>\n");
	free(cs);
	console_foot(x);
}

void console_page_conference(exchange *x)
{
	char *end;
	long long id;
	if (strcmp(x->rest, "new") == 0) {
		render_conference(x, 0, NULL, 200, POSTED_NONE);
		return;
	}
	id = strtoll(x->rest, &end, 10);
	if (id <= 0 || *end) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	render_conference(x, id, NULL, 200, POSTED_NONE);
}

void console_do_conference_save(exchange *x)
{
	work_conference cf;
	char err[600], location[64];
	long long at = console_parse_local(field(x, "date"), field(x, "time"));
	int rc;
	memset(&cf, 0, sizeof cf);
	cf.id = atoll(field(x, "id"));
	if (cf.id < 0) cf.id = 0;
	if (at < 0 || strlen(field(x, "commune")) != 5 || !field(x, "place")[0] || !field(x, "topic")[0] ||
	    strlen(field(x, "place")) >= sizeof cf.place || strlen(field(x, "leaders")) >= sizeof cf.leaders ||
	    strlen(field(x, "topic")) >= sizeof cf.topic) {
		render_conference(x, cf.id, W(x, W_BAD_CONFERENCE), 422, POSTED_EDIT);
		return;
	}
	snprintf(cf.commune, sizeof cf.commune, "%s", field(x, "commune"));
	cf.at = at;
	snprintf(cf.place, sizeof cf.place, "%s", field(x, "place"));
	snprintf(cf.leaders, sizeof cf.leaders, "%s", field(x, "leaders"));
	snprintf(cf.topic, sizeof cf.topic, "%s", field(x, "topic"));
	rc = srv_work_conference_save(x->db, &cf, x->session.name, x->now, err, sizeof err);
	if (rc != 0) {
		if (rc < 0) log_error("conference: %s", err);
		render_conference(x, atoll(field(x, "id")), rc < 0 ? W(x, W_UNAVAILABLE) : err, rc < 0 ? 503 : 422, POSTED_EDIT);
		return;
	}
	snprintf(location, sizeof location, "/staff/conferences/%lld?done=1", cf.id);
	console_redirect(x, location);
}


/* POST /staff/conferences/cancel: the reason and the ticked box, then
 * srv_work_conference_cancel's own checks (the official's communes, a
 * coming conference not cancelled yet); a refusal keeps the reason typed. */
void console_do_conference_cancel(exchange *x)
{
	long long id = atoll(field(x, "id")), moved = 0, next = 0;
	char err[600], location[96];
	int rc;
	if (id <= 0) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	if (strcmp(field(x, "confirm"), "1") != 0) {
		render_conference(x, id, W(x, W_CANCEL_UNCONFIRMED), 422, POSTED_CANCEL);
		return;
	}
	rc = srv_work_conference_cancel(x->db, id, field(x, "reason"), x->session.name, x->session.role, x->now,
		&moved, &next, err, sizeof err);
	if (rc != 0) {
		if (rc < 0) log_error("cancelling conference %lld: %s", id, err);
		render_conference(x, id, rc < 0 ? W(x, W_UNAVAILABLE) : err, rc < 0 ? 503 : 422, POSTED_CANCEL);
		return;
	}
	snprintf(location, sizeof location, "/staff/conferences/%lld?cancelled=%lld&next=%lld", id, moved, next);
	console_redirect(x, location);
}
