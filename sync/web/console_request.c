/* console_request: one request, GET /staff/r/<id>, and what is posted to
 * it: an action (POST .../act) and a look at the identity (POST
 * .../identity) (see console_int.h). Refusals keep what the official
 * typed: a refused action re-renders the request with the same form open,
 * the words srv_work gave and the text still in its fields. The sealed
 * form is opened in memory for one response and wiped. */
#include "console_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "proto.h"
#include "status.h"
#include "token.h"

/* The actions' labels and which fields their forms add to the note. */
enum { F_COMPLEXITY = 1, F_OFFICE = 2, F_DATE = 4, F_BEFORE_DUE = 8, F_DOSSIER = 16 };
static const struct { word label; unsigned fields; } action_forms[WORK_NACTIONS] = {
	[WORK_ACCEPT] = { W_ACTION_ACCEPT, F_COMPLEXITY | F_DOSSIER },
	[WORK_PROGRESS] = { W_ACTION_PROGRESS, 0 },
	[WORK_SUPPLEMENT] = { W_ACTION_SUPPLEMENT, 0 },
	[WORK_FORWARD] = { W_ACTION_FORWARD, F_OFFICE },
	[WORK_RESOLVE] = { W_ACTION_RESOLVE, 0 },
	[WORK_REJECT] = { W_ACTION_REJECT, 0 },
	[WORK_EXTEND] = { W_ACTION_EXTEND, F_COMPLEXITY },
	[WORK_RESCHEDULE] = { W_ACTION_RESCHEDULE, F_DATE | F_BEFORE_DUE },
	[WORK_SUSPEND] = { W_ACTION_SUSPEND, 0 },
	[WORK_RESUME] = { W_ACTION_RESUME, 0 },
	[WORK_NOTIFY] = { W_ACTION_NOTIFY, 0 },
};

/* ---- one request ---- */

typedef struct {
	const char *open_action;     /* the action form to show open, or NULL */
	const char *error;           /* why that action or the identity was refused */
	int keep;                    /* fill the open form with what was posted */
	const char *identity_error;
	const char *assign_error;    /* why the assignment was refused */
	json_t *identity;            /* the opened identity, or NULL */
	int status;
} request_view;

static void fact(exchange *x, word w, const char *value, const char *id)
{
	put(x, "<dt>");
	put(x, W(x, w));
	put(x, "</dt><dd");
	if (id) {
		put(x, " id=\"");
		put(x, id);
		put(x, "\"");
	}
	put(x, ">");
	esc(x, value);
	put(x, "</dd>");
}

/* The kiosk seals the whole form. Its subject and details say what the
 * request is about: every official working it reads them. The other fields
 * say who filed it: shown only through the identity view, which is checked
 * against the role and audited. */
static int is_content_field(const char *name)
{
	return strcmp(name, "subject") == 0 || strcmp(name, "details") == 0;
}

static void content_block(exchange *x, const work_item *it)
{
	srv_db_request r;
	json_t *o = NULL;
	int i, shown = 0;
	char err[300];
	if (srv_db_request_find(x->db, it->id, &r) == 1) {
		o = console_sealed_open(x->c, r.sealed, r.sealed_len);
		srv_db_request_free(&r);
	}
	/* Reading the content is recorded before it is shown: a reading the
	 * log cannot hold is not shown. */
	if (o && srv_work_audit_open(x->db, x->now, it->id, x->session.name, "", err, sizeof err) != 0) {
		log_error("audit: %s", err);
		console_sealed_free(o);
		o = NULL;
	}
	put(x, "<section class=\"panel\" id=\"content\"><h2>");
	put(x, W(x, W_CONTENT));
	put(x, "</h2>");
	if (!o) {
		put(x, "<p class=\"error\">");
		put(x, W(x, W_CONTENT_UNREADABLE));
		put(x, "</p></section>\n");
		return;
	}
	put(x, "<dl class=\"facts content\" id=\"content-fields\">");
	for (i = 0; i < CATALOG_FIELDS && x->c->cat; i++) {
		const char *name = x->c->cat->fields[i].name;
		json_t *value = json_object_get(o, name);
		if (!is_content_field(name) || !json_is_string(value) || !json_string_value(value)[0]) continue;
		put(x, "<dt>");
		esc(x, x->c->cat->fields[i].label[x->lang]);
		put(x, "</dt><dd>");
		esc(x, json_string_value(value));
		put(x, "</dd>");
		shown++;
	}
	if (!shown) put(x, "<dd>—</dd>");
	put(x, "</dl></section>\n");
	x->out->personal = 1;
	console_sealed_free(o);
}

static void identity_block(exchange *x, const work_item *it, const request_view *v)
{
	int denunciation = strcmp(it->category, "denunciation") == 0, i;
	const char *key;
	json_t *val;
	put(x, "<section class=\"panel identity\" id=\"identity\"><h2>");
	put(x, W(x, W_IDENTITY));
	put(x, "</h2>");
	if (v->identity) {
		put(x, "<p class=\"secret\">");
		put(x, W(x, W_IDENTITY_NOTE));
		put(x, "</p><dl class=\"facts\" id=\"identity-fields\">");
		/* The catalog's fields first, in its order, with its labels; then
		 * anything else the kiosk sealed. */
		for (i = 0; i < CATALOG_FIELDS && x->c->cat; i++) {
			const char *name = x->c->cat->fields[i].name;
			json_t *value = json_object_get(v->identity, name);
			if (is_content_field(name)) continue;
			if (!json_is_string(value) || !json_string_value(value)[0]) continue;
			put(x, "<dt>");
			esc(x, x->c->cat->fields[i].label[x->lang]);
			put(x, "</dt><dd>");
			esc(x, json_string_value(value));
			put(x, "</dd>");
		}
		json_object_foreach(v->identity, key, val) {
			if (is_content_field(key) || (x->c->cat && catalog_field_index(key) >= 0)) continue;
			if (!json_is_string(val)) continue;
			put(x, "<dt>");
			esc(x, key);
			put(x, "</dt><dd>");
			esc(x, json_string_value(val));
			put(x, "</dd>");
		}
		put(x, "</dl></section>\n");
		return;
	}
	if (v->identity_error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, v->identity_error);
		put(x, "</p>");
	}
	if (denunciation && !is_supervisor(x)) {
		put(x, "<p class=\"secret\" id=\"identity-secret\">");
		put(x, W(x, W_DENOUNCER_SECRET));
		put(x, "</p></section>\n");
		return;
	}
	if (denunciation) {
		put(x, "<p class=\"secret\">");
		put(x, W(x, W_DENOUNCER_SUPERVISOR));
		put(x, "</p>");
	}
	put(x, "<form class=\"stack\" method=\"post\" action=\"/staff/r/");
	console_put_url(x, it->id);
	put(x, "/identity\">");
	console_csrf_field(x);
	put(x, "<label>");
	put(x, W(x, W_REASON));
	put(x, "<input type=\"text\" name=\"reason\" id=\"reason\" maxlength=\"400\"");
	put(x, denunciation ? " required>" : ">");
	put(x, "</label><button type=\"submit\" id=\"show-identity\">");
	put(x, W(x, W_SHOW_IDENTITY));
	put(x, "</button></form></section>\n");
}

static void action_form(exchange *x, const work_item *it, int a, const request_view *v, int likely,
	const work_reply *picked, const console_reply_list *replies)
{
	const char *name = srv_work_action_name((work_action)a);
	unsigned fields = action_forms[a].fields;
	int chosen = picked && strcmp(picked->action, name) == 0;
	int open = v->open_action ? strcmp(v->open_action, name) == 0 : chosen || (!picked && likely);
	int keep = open && v->keep;
	const char *complexity = keep ? field(x, "complexity") : "";
	put(x, "<details id=\"act-");
	put(x, name);
	put(x, open ? "\" open><summary>" : "\"><summary>");
	put(x, W(x, action_forms[a].label));
	put(x, "</summary>");
	console_replies_links(x, it, replies, name);
	put(x, "<form method=\"post\" action=\"/staff/r/");
	console_put_url(x, it->id);
	put(x, "/act");
	console_list_suffix(x);
	put(x, "\">");
	console_csrf_field(x);
	put(x, "<input type=\"hidden\" name=\"action\" value=\"");
	put(x, name);
	put(x, "\">");
	if (open && v->error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, v->error);
		put(x, "</p>");
	}
	if (fields & F_COMPLEXITY) {
		put(x, "<label>");
		put(x, W(x, W_COMPLEXITY));
		put(x, "<select name=\"complexity\">");
		console_option(x, "0", W(x, W_NORMAL), complexity[0] ? complexity : "0");
		console_option(x, "1", W(x, W_COMPLEX), complexity);
		console_option(x, "2", W(x, W_VERY_COMPLEX), complexity);
		put(x, "</select></label>");
	}
	if (fields & F_DOSSIER) {
		put(x, "<label>");
		put(x, W(x, W_DOSSIER));
		put(x, "<input type=\"text\" name=\"dossier\" maxlength=\"39\" value=\"");
		if (keep) esc(x, field(x, "dossier"));
		put(x, "\"></label>");
	}
	if (fields & F_OFFICE) {
		put(x, "<label>");
		put(x, W(x, W_OFFICE));
		put(x, "<input type=\"text\" name=\"office\" maxlength=\"120\" value=\"");
		if (keep) esc(x, field(x, "office"));
		put(x, "\"></label>");
	}
	if (fields & F_DATE) {
		put(x, "<label>");
		put(x, W(x, W_NEW_DATE));
		put(x, "<input type=\"date\" name=\"new_date\" value=\"");
		if (keep) esc(x, field(x, "new_date"));
		put(x, "\"></label>");
	}
	put(x, "<label>");
	put(x, W(x, W_NOTE));
	put(x, "<textarea name=\"note\" maxlength=\"2000\" required>");
	if (keep) esc(x, field(x, "note"));
	else if (chosen) esc(x, picked->text);
	put(x, "</textarea></label><button type=\"submit\">");
	put(x, W(x, action_forms[a].label));
	put(x, "</button></form></details>\n");
}

/* 1 when the official may see and work it; 0 refused (a 403 page and a
 * "refused" audit row), -1 the database failed (a 503 page). */
static int may_see(exchange *x, const work_item *it)
{
	char err[300];
	int rc = srv_work_may_see(x->db, x->session.name, x->session.role, it->commune);
	if (rc == 1) return 1;
	if (rc < 0) {
		console_message_page(x, 503, W_UNAVAILABLE);
		return -1;
	}
	if (srv_work_audit_refused(x->db, x->now, it->id, x->session.name, "outside the officer's communes", err, sizeof err) != 0)
		log_error("audit: %s", err);
	console_message_page(x, 403, W_OUTSIDE_COMMUNES);
	return 0;
}

/* What the server found of the request's dates and code when it came. */
static void trust_flags(exchange *x, const work_item *it)
{
	if (it->trust & SRV_DB_TRUST_DATES) {
		put(x, "<p class=\"secret\" id=\"trust-dates\">");
		put(x, W(x, W_TRUST_DATES));
		put(x, " ");
		console_put_trust(x, it->trust, it->trust_note);
		put(x, "</p>\n");
	}
	if (it->trust & SRV_DB_TRUST_HELD) {
		put(x, "<p class=\"secret\" id=\"trust-held\">");
		put(x, W(x, W_TRUST_HELD));
		put(x, "</p>\n");
	} else if (it->trust & (SRV_DB_TRUST_CHOSEN | SRV_DB_TRUST_NOT_CHOSEN)) {
		put(x, it->trust & SRV_DB_TRUST_CHOSEN ? "<p class=\"notice\" id=\"code-chosen\">" : "<p class=\"secret\" id=\"code-not-chosen\">");
		put(x, W(x, it->trust & SRV_DB_TRUST_CHOSEN ? W_CODE_CHOSEN : W_CODE_NOT_CHOSEN));
		put(x, "</p>\n");
	}
}

static void render_request(exchange *x, const char *id, const request_view *v)
{
	work_item it;
	communes *cs;
	char grouped[TOKEN_GROUPED_LEN + 1], text[64], err[300];
	int found = srv_work_get(x->db, id, x->now, &it), a;
	if (found <= 0) {
		console_message_page(x, found < 0 ? 503 : 404, found < 0 ? W_UNAVAILABLE : W_NOT_FOUND);
		return;
	}
	if (may_see(x, &it) != 1) return;
	if (!(cs = malloc(sizeof *cs)) || console_load_communes(x, cs) != 0) {
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	x->html.buf->len = 0;
	x->out->status = v->status ? v->status : 200;
	token_group(it.token, grouped);
	console_head(x, grouped);
	console_desk_nav(x, &it);
	put(x, "<h1>");
	put(x, W(x, W_REQUEST));
	put(x, " <span class=\"code\" id=\"receipt\">");
	esc(x, grouped);
	put(x, "</span>");
	if (it.overdue) {
		put(x, "<span class=\"badge\" id=\"overdue\">");
		put(x, W(x, W_OVERDUE));
		put(x, "</span>");
	}
	put(x, "</h1>\n");
	trust_flags(x, &it);
	if (strcmp(arg(x, "done"), "1") == 0 && !v->error) {
		put(x, "<p class=\"notice\" role=\"status\" id=\"done\">");
		put(x, W(x, W_SAVED));
		put(x, "</p>");
	}
	put(x, "<div class=\"grid\"><div>\n<section class=\"panel\"><dl class=\"facts\">");
	fact(x, W_REQUEST_ID, it.id, "request-id");
	if (it.dossier[0]) fact(x, W_DOSSIER, it.dossier, "dossier");
	fact(x, W_CATEGORY, console_category_name(x, it.category), "category");
	if (it.procedure[0]) fact(x, W_PROCEDURE, console_procedure_name(x, it.procedure), "procedure");
	put(x, "<dt>");
	put(x, W(x, W_COMMUNE));
	put(x, "</dt><dd>");
	console_commune_label(x, cs, it.commune);
	put(x, "</dd>");
	console_format_local(it.received_at, text);
	fact(x, W_RECEIVED, text, NULL);
	if (it.accepted_at) {
		console_format_local(it.accepted_at, text);
		fact(x, W_ACCEPTED, text, NULL);
	}
	/* After an apology the new date is the one in force (status.h). */
	fact(x, W_DEADLINE_NOW, console_due_text(x, it.category, strcmp(it.appointment, it.due) > 0 ? it.appointment : it.due,
		text), "deadline");
	fact(x, W_STATUS, console_status_label(x, it.status), "status");
	snprintf(text, sizeof text, "%d", it.extensions);
	fact(x, W_EXTENSIONS, text, "extensions");
	if (it.apologies) {
		snprintf(text, sizeof text, "%d", it.apologies);
		fact(x, W_APOLOGIES, text, NULL);
	}
	if (it.forwarded_to[0]) fact(x, W_FORWARDED, it.forwarded_to, NULL);
	if (it.conference_id) {
		put(x, "<dt>");
		put(x, W(x, W_CONFERENCE));
		html_putf(&x->html, "</dt><dd><a href=\"/staff/conferences/%lld\">#%lld</a></dd>", it.conference_id, it.conference_id);
	}
	put(x, "</dl></section>\n");
	console_clock_block(x, &it);
	content_block(x, &it);
	console_desk_timeline(x, &it);
	identity_block(x, &it, v);
	put(x, "</div><div>\n<section class=\"panel\" id=\"actions\"><h2>");
	put(x, W(x, W_ACTIONS));
	put(x, "</h2>");
	if (it.closed_at || status_is_final(it.status)) {
		put(x, "<p class=\"muted\">");
		put(x, W(x, W_FINAL));
		put(x, "</p>");
	} else {
		/* The day before the deadline is the apology's last (ND 118/2025,
		 * Art. 19(6)): say so while it can still be sent. */
		if (srv_work_late_warning(x->c->calendar, &it, x->now)) {
			put(x, "<p class=\"warn\" id=\"late-warning\">");
			put(x, W(x, W_LATE_WARNING));
			put(x, "</p>");
		}
		/* Only what the rules allow now, the likeliest open. */
		unsigned allowed = 0;
		work_reply picked;
		console_reply_list replies;
		int likely, has_pick = console_replies_pick(x, &it, &picked), later = 0;
		if (srv_work_allowed(x->db, x->c->cat, x->c->calendar, it.id, x->now, &allowed) != 0)
			log_error("console: the actions allowed could not be read");
		likely = console_desk_likely(&it, allowed);
		console_replies_read(x, &it, &replies);
		for (a = 0; a < WORK_NACTIONS; a++)
			if ((allowed & (1u << a)) && (!(action_forms[a].fields & F_BEFORE_DUE) || srv_work_may_reschedule(&it, x->now)))
				action_form(x, &it, a, v, a == likely, has_pick ? &picked : NULL, &replies);
		console_replies_free(&replies);
		for (a = 0; a < WORK_NACTIONS; a++) {
			if (allowed & (1u << a)) continue;
			put(x, later++ ? ", " : "<p class=\"muted\" id=\"not-now\">");
			if (later == 1) {
				put(x, W(x, W_NOT_NOW));
				put(x, " ");
			}
			put(x, W(x, action_forms[a].label));
		}
		if (later) put(x, "</p>");
	}
	put(x, "</section>\n");
	console_desk_assign(x, &it, v->assign_error);
	console_print_links(x, &it);
	console_sms_block(x, &it);
	if (is_supervisor(x)) {
		put(x, "<section class=\"panel\"><h2>");
		put(x, W(x, W_REQUEST_AUDIT));
		put(x, "</h2><table><thead><tr><th>");
		put(x, W(x, W_WHEN));
		put(x, "</th><th>");
		put(x, W(x, W_WHO));
		put(x, "</th><th>");
		put(x, W(x, W_WHAT));
		put(x, "</th><th></th><th>");
		put(x, W(x, W_DETAIL));
		put(x, "</th></tr></thead><tbody>");
		if (srv_work_audit_list(x->db, it.id, 50, console_audit_row, x, err, sizeof err) != 0)
			log_error("console: %s", err);
		put(x, "</tbody></table></section>\n");
	}
	put(x, "</div></div>\n");
	free(cs);
	console_foot(x);
}

/* The rest of a /staff/r/ path up to the next '/': a request id or token. */
static void request_id_of(const char *rest, char *out, size_t outlen)
{
	size_t n = strcspn(rest, "/");
	if (n >= outlen) n = 0;
	memcpy(out, rest, n);
	out[n] = '\0';
}

void console_show_request(exchange *x)
{
	request_view v;
	char id[64];
	request_id_of(x->rest, id, sizeof id);
	memset(&v, 0, sizeof v);
	if (id[0] && strcmp(x->rest + strlen(id), "/print") == 0) {
		work_item it;
		if (srv_work_get(x->db, id, x->now, &it) != 1) {
			console_message_page(x, 404, W_NOT_FOUND);
			return;
		}
		if (may_see(x, &it) == 1) console_print_paper(x, &it);
		return;
	}
	if (!id[0] || x->rest[strlen(id)]) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	render_request(x, id, &v);
}

static void do_action(exchange *x, const char *id)
{
	const char *action = field(x, "action");
	int a = srv_work_action_parse(action), rc;
	work_step step;
	request_view v;
	work_item it;
	char err[600];
	memset(&v, 0, sizeof v);
	if (a < 0) {
		console_message_page(x, 400, W_NOT_FOUND);
		return;
	}
	if (srv_work_get(x->db, id, x->now, &it) != 1) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	if (may_see(x, &it) != 1) return;
	memset(&step, 0, sizeof step);
	step.action = (work_action)a;
	step.note = field(x, "note");
	step.office = field(x, "office");
	{
		long c = strtol(field(x, "complexity"), NULL, 10);   /* atoi would overflow on a long number */
		step.complexity = c >= WORK_NORMAL && c <= WORK_VERY_COMPLEX ? (work_complexity)c : WORK_NORMAL;
	}
	step.new_date = field(x, "new_date");
	step.dossier = field(x, "dossier");
	step.actor = x->session.name;
	rc = srv_work_act(x->db, x->c->cat, x->c->calendar, it.id, &step, x->now, err, sizeof err);
	if (rc == 0) {
		console_desk_done(x, it.id);
		return;
	}
	if (rc < 0) log_error("action: %s", err);
	v.open_action = action;
	v.error = rc < 0 ? W(x, W_UNAVAILABLE) : err;
	v.keep = 1;
	v.status = rc < 0 ? 503 : 422;
	render_request(x, it.id, &v);
}

static void do_identity(exchange *x, const char *id)
{
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	char err[600];
	request_view v;
	work_item it;
	int rc;
	memset(&v, 0, sizeof v);
	if (srv_work_get(x->db, id, x->now, &it) != 1) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	if (may_see(x, &it) != 1) return;
	rc = srv_work_identity(x->db, it.id, x->session.name, x->session.role, field(x, "reason"), x->now,
		&sealed, &sealed_len, err, sizeof err);
	if (rc != 0) {
		if (rc < 0) log_error("identity: %s", err);
		v.identity_error = rc < 0 ? W(x, W_UNAVAILABLE) : err;
		v.status = rc < 0 ? 503 : 403;
		render_request(x, it.id, &v);
		return;
	}
	v.identity = console_sealed_open(x->c, sealed, sealed_len);
	free(sealed);
	if (!v.identity) v.identity_error = W(x, W_IDENTITY_UNREADABLE);
	x->out->personal = 1;
	render_request(x, it.id, &v);
	console_sealed_free(v.identity);
}

static void do_assign(exchange *x, const char *id)
{
	request_view v;
	work_item it;
	char err[600];
	int rc;
	memset(&v, 0, sizeof v);
	if (srv_work_get(x->db, id, x->now, &it) != 1) {
		console_message_page(x, 404, W_NOT_FOUND);
		return;
	}
	if (may_see(x, &it) != 1) return;
	if ((rc = console_do_assign(x, &it, err, sizeof err)) == 0) return;
	v.assign_error = rc < 0 ? W(x, W_UNAVAILABLE) : err;
	v.status = rc < 0 ? 503 : 422;
	render_request(x, it.id, &v);
}

void console_post_request(exchange *x)
{
	char id[64];
	const char *what;
	request_id_of(x->rest, id, sizeof id);
	what = x->rest + strlen(id);
	if (id[0] && strcmp(what, "/act") == 0) do_action(x, id);
	else if (id[0] && strcmp(what, "/identity") == 0) do_identity(x, id);
	else if (id[0] && strcmp(what, "/assign") == 0) do_assign(x, id);
	else console_message_page(x, 404, W_NOT_FOUND);
}

