/* console_checks: what staff must check by hand, GET /staff/checks (see
 * console_int.h): the requests whose dates the kiosk sent could not be
 * true (the server kept its own: both are shown side by side) and the
 * receipt codes two kiosks claimed (held off the phone page: the claimants
 * of each code together). Supervisors see every commune or the one they
 * pick; officers only the communes assigned to them. A code is shown only
 * by its last characters: the page is for staff, but screenshots and logs
 * travel, and a whole code opens the citizen's phone page.
 *
 * A supervisor releases a held code to its genuine claimant from here
 * (POST /staff/checks/release: one of the claimants and a reason); the
 * store keeps the choice and its audit row (srv_work_release_code). The
 * claimants set aside stay on this page, flagged. */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "cal.h"
#include "log.h"
#include "srv_db.h"
#include "vntime.h"

#define CHECKS_ROWS 100          /* rows of each list on one page */
#define CHECKS_CODE_END 4        /* how much of a code is shown */

typedef struct {
	char list[CONSOLE_MAX_COMMUNES][6];
	int n;
} scope;

static int scope_add(const char *commune, void *arg)
{
	scope *s = arg;
	if (s->n < CONSOLE_MAX_COMMUNES) snprintf(s->list[s->n++], sizeof s->list[0], "%s", commune);
	return 0;
}

typedef struct {
	exchange *x;
	int rows;                    /* on this page, over every commune */
	int full;                    /* some commune's list has more after this page */
	int in_commune;
	char last_token[16];         /* the codes list: the code whose row is open */
	int forms;                   /* release forms opened on this page */
	int form_open;               /* the open row has a release form */
} checks_rows;

static void code_end(exchange *x, const char *token)
{
	size_t n = strlen(token);
	put(x, "<span class=\"code\">…");
	esc(x, token + (n > CHECKS_CODE_END ? n - CHECKS_CODE_END : 0));
	put(x, "</span>");
}

static void request_link(exchange *x, const char *id)
{
	put(x, "<a href=\"/staff/r/");
	console_put_url(x, id);
	put(x, "\">");
	esc(x, id);
	put(x, "</a>");
}

static int date_row(const srv_db_flag *f, void *arg)
{
	checks_rows *r = arg;
	exchange *x = r->x;
	char held[20], sent[20], deadline[11], due[11];
	r->rows++;
	r->in_commune++;
	console_format_local(f->received_at, held);
	console_format_local(f->kiosk_received_at, sent);
	console_format_day(f->deadline, deadline);
	console_format_day(f->due, due);
	put(x, "<tr><td class=\"nowrap\">");
	request_link(x, f->id);
	put(x, "</td><td class=\"nowrap\">");
	esc(x, f->kiosk);
	put(x, "</td><td>");
	put(x, held);
	put(x, "</td><td>");
	put(x, sent);
	put(x, "</td><td>");
	put(x, deadline);
	put(x, "</td><td>");
	put(x, due);
	put(x, "</td><td>");
	console_put_trust(x, f->trust, f->note);
	put(x, "</td></tr>\n");
	return 0;
}

/* The end of a code's row: for a supervisor, the reason and the button of
 * the form that releases it to the claimant picked. */
static void close_code_row(checks_rows *r)
{
	exchange *x = r->x;
	if (!r->last_token[0]) return;
	put(x, "</ul>");
	if (r->form_open) {
		html_putf(&x->html, "<label for=\"reason-%d\">", r->forms);
		put(x, W(x, W_CODE_RELEASE_REASON));
		html_putf(&x->html, "</label><textarea name=\"reason\" id=\"reason-%d\" maxlength=\"95\" required></textarea>"
			"<button type=\"submit\" id=\"release-%d\">", r->forms, r->forms);
		put(x, W(x, W_CODE_RELEASE_BUTTON));
		put(x, "</button></form>");
		r->form_open = 0;
	}
	put(x, "</td></tr>\n");
}

static int held_row(const srv_db_flag *f, void *arg)
{
	checks_rows *r = arg;
	exchange *x = r->x;
	char received[20];
	int held = (f->trust & SRV_DB_TRUST_HELD) != 0;
	r->rows++;
	r->in_commune++;
	if (strcmp(r->last_token, f->token) != 0) {
		close_code_row(r);
		snprintf(r->last_token, sizeof r->last_token, "%s", f->token);
		put(x, "<tr><td>");
		code_end(x, f->token);
		put(x, "</td><td>");
		/* A code still held: a supervisor chooses its claimant here. */
		if (held && is_supervisor(x)) {
			r->form_open = 1;
			html_putf(&x->html, "<form class=\"release\" id=\"release-form-%d\" method=\"post\""
				" action=\"/staff/checks/release\">", ++r->forms);
			console_csrf_field(x);
			put(x, "<p class=\"muted\">");
			put(x, W(x, W_CODE_RELEASE));
			put(x, "</p>");
		}
		put(x, "<ul class=\"claimants\">");
	}
	console_format_local(f->received_at, received);
	put(x, "<li>");
	if (r->form_open && held) {
		put(x, "<label><input type=\"radio\" name=\"request\" required value=\"");
		esc(x, f->id);
		put(x, "\"> ");
	}
	request_link(x, f->id);
	put(x, " · ");
	esc(x, f->kiosk);
	put(x, " · ");
	esc(x, console_category_name(x, f->category));
	put(x, " · ");
	put(x, received);
	if (r->form_open && held) put(x, "</label>");
	if (f->trust & SRV_DB_TRUST_NOT_CHOSEN) {
		put(x, "<br><span class=\"not-chosen\">");
		put(x, W(x, W_CODE_NOT_CHOSEN));
		put(x, "</span>");
		console_put_trust(x, 0, f->note);
	}
	put(x, "</li>");
	return 0;
}

/* One list over the communes given (n 0: all), from offset. 0 or -1. */
static int list_flagged(exchange *x, int mask, const scope *picked, int all, int offset, checks_rows *r)
{
	char err[300];
	int i, n = all ? 1 : picked->n;
	for (i = 0; i < n; i++) {
		r->in_commune = 0;
		if (srv_db_flagged(x->db, mask, all ? "" : picked->list[i], offset, CHECKS_ROWS,
			mask == SRV_DB_TRUST_DATES ? date_row : held_row, r, err, sizeof err) != 0) {
			log_error("checks: %s", err);
			return -1;
		}
		if (r->in_commune == CHECKS_ROWS) r->full = 1;
	}
	if (mask != SRV_DB_TRUST_DATES) close_code_row(r);
	return 0;
}

static void head_cell(exchange *x, word w)
{
	put(x, "<th>");
	put(x, W(x, w));
	put(x, "</th>");
}

static void none_row(exchange *x, int cols)
{
	html_putf(&x->html, "<tr><td colspan=\"%d\" class=\"muted\">", cols);
	put(x, W(x, W_NO_FLAGS));
	put(x, "</td></tr>");
}

/* The page; refused (a word, or NULL) says why a release was not done. */
static void checks_page(exchange *x, const char *refused)
{
	scope *mine = calloc(1, sizeof *mine);
	communes *cs = malloc(sizeof *cs);   /* both too big for a pool thread's stack */
	checks_rows dates, held;
	const char *commune = arg(x, "commune");
	long asked = strtol(arg(x, "from"), NULL, 10);
	int offset = asked > 0 && asked <= 1000000 ? (int)asked : 0, all = 0, i, allowed;
	char err[300];
	if (!mine || !cs) {
		free(mine);
		free(cs);
		x->html.failed = 1;
		return;
	}
	if (console_load_communes(x, cs) != 0) goto unavailable;
	/* Which communes: a supervisor's pick or all; an officer's own, or the
	 * one of them picked. */
	if (is_supervisor(x)) {
		if (commune[0]) scope_add(commune, mine);
		else all = 1;
	} else if (commune[0]) {
		if ((allowed = srv_work_may_see(x->db, x->session.name, x->session.role, commune)) < 0) goto unavailable;
		if (!allowed) {
			free(mine);
			free(cs);
			console_message_page(x, 403, W_OUTSIDE_COMMUNES);
			return;
		}
		scope_add(commune, mine);
	} else if (srv_work_scope_list(x->db, x->session.name, scope_add, mine, err, sizeof err) != 0) {
		log_error("checks: %s", err);
		goto unavailable;
	}
	console_head(x, W(x, W_CHECKS));
	put(x, "<h1>");
	put(x, W(x, W_CHECKS));
	put(x, "</h1>\n");
	{
		/* Deadlines in a year the government has not decided rest on
		 * expected dates (cal.h): say so until the file is updated. */
		int year = cal_unconfirmed_year(x->c->calendar, vntime_date(x->now));
		char y[16];
		if (year) {
			snprintf(y, sizeof y, "%d", year);
			put(x, "<p class=\"warn\" role=\"status\" id=\"calendar-unconfirmed\">");
			put(x, W(x, W_CALENDAR_UNCONFIRMED));
			put(x, " <b>");
			put(x, y);
			put(x, "</b></p>\n");
		}
	}
	if (refused) {
		put(x, "<p class=\"secret\" role=\"alert\" id=\"refused\">");
		esc(x, refused);
		put(x, "</p>\n");
	} else if (strcmp(arg(x, "released"), "1") == 0) {
		put(x, "<p class=\"notice\" role=\"status\" id=\"released\">");
		put(x, W(x, W_CODE_RELEASED));
		put(x, "</p>\n");
	}
	if (!all && !mine->n) {
		put(x, "<p class=\"secret\" role=\"status\" id=\"no-communes\">");
		put(x, W(x, W_NO_COMMUNES));
		put(x, "</p>\n");
		goto done;
	}
	put(x, "<form class=\"panel filters\" method=\"get\" action=\"/staff/checks\"><label>");
	put(x, W(x, W_COMMUNE));
	if (is_supervisor(x)) {
		console_commune_select(x, cs, "commune", commune, W_ANY);
	} else {
		/* An officer picks among their own communes only. */
		scope own;
		own.n = 0;
		if (srv_work_scope_list(x->db, x->session.name, scope_add, &own, err, sizeof err) != 0) log_error("checks: %s", err);
		put(x, "<select name=\"commune\" id=\"commune\">");
		console_option(x, "", W(x, W_ANY), commune);
		for (i = 0; i < own.n; i++) {
			put(x, "<option value=\"");
			esc(x, own.list[i]);
			put(x, strcmp(own.list[i], commune) == 0 ? "\" selected>" : "\">");
			console_commune_label(x, cs, own.list[i]);
			put(x, "</option>");
		}
		put(x, "</select>");
	}
	put(x, "</label><button type=\"submit\" id=\"filter\">");
	put(x, W(x, W_FILTER));
	put(x, "</button></form>\n");

	memset(&dates, 0, sizeof dates);
	dates.x = x;
	put(x, "<section class=\"panel\" id=\"dates\"><h2>");
	put(x, W(x, W_DATES_TO_CHECK));
	put(x, "</h2><p class=\"muted\">");
	put(x, W(x, W_DATES_TO_CHECK_NOTE));
	put(x, "</p><table id=\"dates-table\"><thead><tr>");
	head_cell(x, W_REQUEST_ID);
	head_cell(x, W_KIOSK);
	head_cell(x, W_RECEIVED_SERVER);
	head_cell(x, W_RECEIVED_KIOSK);
	head_cell(x, W_DEADLINE_KIOSK);
	head_cell(x, W_DEADLINE_SERVER);
	head_cell(x, W_WHY);
	put(x, "</tr></thead><tbody>\n");
	if (list_flagged(x, SRV_DB_TRUST_DATES, mine, all, offset, &dates) != 0) goto unavailable;
	if (!dates.rows) none_row(x, 7);
	put(x, "</tbody></table></section>\n");

	memset(&held, 0, sizeof held);
	held.x = x;
	put(x, "<section class=\"panel\" id=\"held\"><h2>");
	put(x, W(x, W_CODES_TWICE));
	put(x, "</h2><p class=\"muted\">");
	put(x, W(x, W_CODES_TWICE_NOTE));
	put(x, "</p><table id=\"held-table\"><thead><tr>");
	head_cell(x, W_CODE_END);
	head_cell(x, W_CLAIMANTS);
	put(x, "</tr></thead><tbody>\n");
	/* Held codes, and the claimants a supervisor set aside (still flagged). */
	if (list_flagged(x, SRV_DB_TRUST_HELD | SRV_DB_TRUST_NOT_CHOSEN, mine, all, offset, &held) != 0) goto unavailable;
	if (!held.rows) none_row(x, 2);
	put(x, "</tbody></table></section>\n");

	if (offset > 0 || dates.full || held.full) {
		put(x, "<nav class=\"pager\">");
		if (offset > 0) {
			html_putf(&x->html, "<a href=\"/staff/checks?from=%d&amp;commune=", offset > CHECKS_ROWS ? offset - CHECKS_ROWS : 0);
			console_put_url(x, commune);
			put(x, "\">");
			put(x, W(x, W_PREV));
			put(x, "</a>");
		}
		if (dates.full || held.full) {
			html_putf(&x->html, "<a id=\"next\" href=\"/staff/checks?from=%d&amp;commune=", offset + CHECKS_ROWS);
			console_put_url(x, commune);
			put(x, "\">");
			put(x, W(x, W_NEXT));
			put(x, "</a>");
		}
		put(x, "</nav>\n");
	}
done:
	free(mine);
	free(cs);
	console_foot(x);
	return;
unavailable:
	free(mine);
	free(cs);
	console_message_page(x, 503, W_UNAVAILABLE);
}

void console_page_checks(exchange *x)
{
	checks_page(x, NULL);
}

/* A supervisor's choice (the route allows no one else): the claimant
 * picked and the reason, kept by the store with its audit row; then back
 * to the page, which says so. A refusal shows the page again with why. */
void console_do_release_code(exchange *x)
{
	const char *request = field(x, "request"), *reason = field(x, "reason");
	char err[300];
	int rc;
	if (!request[0] || !reason[0] || strlen(reason) >= 300) {
		x->out->status = 400;
		checks_page(x, W(x, W_CODE_RELEASE_INCOMPLETE));
		return;
	}
	rc = srv_work_release_code(x->db, request, x->session.name, x->session.role, reason, x->now, err, sizeof err);
	if (rc == 0) {
		console_redirect(x, "/staff/checks?released=1");
		return;
	}
	if (rc < 0) {
		log_error("release code: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	x->out->status = 409;
	checks_page(x, W(x, W_CODE_RELEASE_NOT_HELD));
}
