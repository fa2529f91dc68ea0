/* office_accept: the acceptance page and its three steps (see office_accept.h).
 *
 * The dates come from the catalog's clock and the working-day calendar
 * (catalog_counter_due), the same rule the server applies when the step
 * reaches it; the calendar is read for each step from the copy the sync
 * brought, else the shipped one, as the kiosk does. */
#include "office_accept.h"
#include "office.h"
#include "office_counter.h"
#include "office_papers.h"
#include "office_words.h"
#include "cal.h"
#include "dbcounter.h"
#include "log.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T(r, w) office_words_text(office_req_lang(r), OW_##w)

int office_accept_cccd_name(const char *qr, char *out, size_t outlen)
{
	const char *f[8];
	size_t len[8], n = 0;
	const char *p = qr, *bar;
	out[0] = '\0';
	if (!qr) return -1;
	while (n < 8) {
		bar = strchr(p, '|');
		f[n] = p;
		len[n] = bar ? (size_t)(bar - p) : strlen(p);
		n++;
		if (!bar) break;
		p = bar + 1;
	}
	/* 7 fields with the old id, 6 without; the id is 12 digits. */
	if ((n != 7 && n != 6) || len[0] != 12 || strspn(f[0], "0123456789") < 12) return -1;
	{
		size_t i = n == 7 ? 2 : 1;
		if (len[i] == 0 || len[i] >= outlen || !utf8_valid(f[i], len[i])) return -1;
		memcpy(out, f[i], len[i]);
		out[len[i]] = '\0';
	}
	return 0;
}

/* The calendar the kiosk counts with; NULL: weekends only. */
static cal *load_calendar(const config *cfg)
{
	char path[600], err[300];
	cal *c;
	config_data_file(cfg, "holidays.json", path, sizeof path);
	if ((c = cal_load(path, err, sizeof err))) return c;
	snprintf(path, sizeof path, "%s/holidays.json", cfg->assets_dir);
	if ((c = cal_load(path, err, sizeof err))) return c;
	log_warn("%s: the acceptance counts weekends only", err);
	return NULL;
}

static void page_start(office_req *r, office_buf *b)
{
	office_http_page_start(b, office_req_lang(r), T(r, ACCEPT_TITLE), 0);
	office_buf_printf(b, "<header>%s · %s · <a href=\"/counter\">%s</a></header><main>", T(r, SITE),
		T(r, ACCEPT_TITLE), T(r, ACCEPT_BACK));
}

static void page_end(office_req *r, office_buf *b, int status)
{
	office_buf_puts(b, "</main>");
	office_http_page_end(b);
	office_req_reply(r, status, "text/html; charset=utf-8");
}

static void scan_form(office_req *r, office_buf *b)
{
	office_buf_printf(b, "<form method=\"get\" action=\"/counter/accept\"><p><label>%s <input name=\"code\" id=\"code\""
		" autofocus autocomplete=\"off\" maxlength=\"200\"></label> <button id=\"find\">%s</button></p></form>",
		T(r, ACCEPT_SCAN), T(r, ACCEPT_FIND));
}

static void message(office_buf *b, const char *css, const char *text)
{
	office_buf_printf(b, "<p class=\"%s\" id=\"msg\">", css);
	office_buf_esc(b, text);
	office_buf_puts(b, "</p>");
}

static void hidden_code(office_buf *b, const char *token)
{
	office_buf_printf(b, "<input type=\"hidden\" name=\"code\" value=\"%s\">", token);
}

/* What the counter may do with the request it found. */
static void request_forms(office_req *r, office_buf *b, const db_request *q, const catalog_category *cat,
	const catalog_procedure *proc, const dbcounter_state *cs)
{
	legal_span verify;
	office_buf_printf(b, "<section id=\"request\"><h2>%s %s</h2><p id=\"what\">", T(r, ACCEPT_CODE), q->token);
	office_buf_esc(b, cat ? cat->name[office_req_lang(r)] : q->category);
	if (proc) { office_buf_puts(b, " · "); office_buf_esc(b, proc->name[office_req_lang(r)]); }
	office_buf_puts(b, "</p>");
	if (cs->accepted) {
		office_buf_printf(b, "<p id=\"state\">%s %s</p></section>", T(r, ACCEPT_DONE_ALREADY), cs->dossier);
		return;
	}
	if (!cat || cat->clock.starts == LEGAL_STARTS_KIOSK) {
		office_buf_printf(b, "<p id=\"state\">%s</p></section>", T(r, ACCEPT_NONE_NEEDED));
		return;
	}
	if (cat->clock.starts == LEGAL_STARTS_LETTER) {
		if (cs->letter) {
			office_buf_printf(b, "<p id=\"state\">%s</p></section>", T(r, ACCEPT_LETTER_ALREADY));
			return;
		}
		office_counter_form(r, b, "/counter/accept/letter", "block");
		hidden_code(b, q->token);
		office_buf_printf(b, "<p>%s</p><button class=\"big\" id=\"letter\">%s</button></form></section>",
			T(r, ACCEPT_LETTER_HINT), T(r, ACCEPT_LETTER));
		return;
	}
	/* One form: the procedure's papers ticked as they are checked; what is
	 * left unticked is the supplement's list (office_papers.h). */
	office_counter_form(r, b, "/counter/accept/accept", "block");
	hidden_code(b, q->token);
	office_papers_boxes(r, b, proc);
	office_buf_printf(b, "<p><label><input type=\"checkbox\" name=\"papers\" value=\"1\" id=\"papers\"> %s</label></p>"
		"<p><label>%s <input name=\"dossier\" id=\"dossier\" autocomplete=\"off\" maxlength=\"40\""
		" placeholder=\"000.00.01.H26-260930-0012\"></label></p>", T(r, ACCEPT_PAPERS), T(r, ACCEPT_DOSSIER));
	if (proc && catalog_procedure_verify_span(proc, &verify) == 0)
		office_buf_printf(b, "<p><label><input type=\"checkbox\" name=\"verify\" value=\"1\" id=\"verify\"> %s</label></p>",
			T(r, ACCEPT_VERIFY));
	office_buf_printf(b, "<p><label>%s <input name=\"cccd\" id=\"cccd\" autocomplete=\"off\" maxlength=\"400\"></label></p>"
		"<button class=\"big\" id=\"accept\">%s</button>", T(r, ACCEPT_CCCD), T(r, ACCEPT_DO));
	if (!cs->supplement)
		office_buf_printf(b, "<p><label>%s<br><textarea name=\"list\" id=\"list\" rows=\"4\" cols=\"60\"></textarea>"
			"</label></p><button class=\"alt\" id=\"supplement\" formaction=\"/counter/accept/supplement\">%s</button>",
			T(r, ACCEPT_MISSING), T(r, ACCEPT_SUPPLEMENT));
	office_buf_puts(b, "</form></section>");
}

/* The request of a typed or scanned code (the QR's URL or the code): 1
 * found, 0 unknown or not a code (msg says which), -1 the store failed. */
static int find(office_req *r, const char *code, db_request *q, dbcounter_state *cs, const char **msg)
{
	office *o = office_req_office(r);
	char canon[TOKEN_LEN + 1], err[256];
	int rc;
	if (!code || token_parse(code, canon) != TOKEN_OK) { *msg = T(r, ACCEPT_NOT_CODE); return 0; }
	db *d = office_db_hold(o);
	rc = db_find_token(d, canon, q);
	if (rc == 1 && dbcounter_state_of(d, q->id, cs, err, sizeof err) != 0) rc = -1;
	office_db_release(o);
	if (rc == 0) *msg = T(r, ACCEPT_UNKNOWN);
	return rc;
}

static void get_accept(office_req *r)
{
	office *o = office_req_office(r);
	const catalog *c = office_catalog(o);
	const char *code = office_req_param(r, "code"), *msg = NULL;
	office_buf *b = office_req_body(r);
	db_request q;
	dbcounter_state cs;
	int rc = 0;
	page_start(r, b);
	scan_form(r, b);
	if (code && code[0]) {
		rc = find(r, code, &q, &cs, &msg);
		if (rc < 0) message(b, "err", T(r, STORE_ERROR));
		else if (rc == 0) message(b, "err", msg);
		else request_forms(r, b, &q, catalog_category_by_id(c, q.category),
			q.procedure[0] ? catalog_procedure_by_id(c, q.procedure) : NULL, &cs);
	}
	page_end(r, b, rc == 0 && code && code[0] ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK);
}

/* What a step's paper says, in language l; the texts live in buf. */
typedef struct {
	office_paper p;
	char when[32], day[16], grouped[TOKEN_GROUPED_LEN + 1], what[400], url[700];
} paper_text;

static void paper_words(office_req *r, lang l, paper_text *t, const char *kind, const db_request *q,
	const catalog_category *cat, const catalog_procedure *proc, const char *dossier, const char *due,
	const char *name, const char *list)
{
	const config *cfg = office_config(office_req_office(r));
	int y, m, d, accepted = strcmp(kind, "accepted") == 0, supplement = strcmp(kind, "supplement") == 0;
	memset(t, 0, sizeof *t);
	vntime_format((long long)time(NULL), "%d/%m/%Y %H:%M", t->when, sizeof t->when);
	if (sscanf(due, "%d-%d-%d", &y, &m, &d) == 3) snprintf(t->day, sizeof t->day, "%02d/%02d/%04d", d, m, y);
	else snprintf(t->day, sizeof t->day, "%.10s", due);
	token_group(q->token, t->grouped);
	snprintf(t->what, sizeof t->what, "%s%s%s", cat ? cat->name[l] : q->category, proc ? " · " : "",
		proc ? proc->name[l] : "");
	if (cfg->public_url[0]) snprintf(t->url, sizeof t->url, "%s/r/%s", cfg->public_url, q->token);
	t->p.commune = cfg->commune_name;
	t->p.office = office_words_text(l, OW_PAPER_OFFICE);
	t->p.title = office_words_text(l, accepted ? OW_PAPER_RECEIPT : supplement ? OW_PAPER_SUPPLEMENT : OW_PAPER_LETTER);
	t->p.code_label = office_words_text(l, OW_ACCEPT_CODE);
	t->p.code = t->grouped;
	t->p.dossier_label = office_words_text(l, OW_ACCEPT_DOSSIER);
	t->p.dossier = dossier;
	t->p.what = t->what;
	t->p.name_label = office_words_text(l, OW_PAPER_NAME);
	t->p.name = name;
	t->p.list = list;
	t->p.at_label = office_words_text(l, OW_PAPER_AT);
	t->p.at = t->when;
	t->p.due_label = office_words_text(l, accepted ? OW_PAPER_DUE : supplement ? OW_PAPER_LAPSE : OW_PAPER_ACCEPT_BY);
	t->p.due = t->day;
	t->p.secret_note = cat && strcmp(cat->id, "denunciation") == 0 ? office_words_text(l, OW_PAPER_SECRET) : NULL;
	t->p.check_label = office_words_text(l, OW_PAPER_CHECK);
	t->p.check_url = t->url;
}

/* The paper the counter gives for a step done: printed on the office's
 * printer when there is one (in Vietnamese: it is an official paper), and
 * shown on the page. The browser may print what is shown, but never a
 * denunciation's paper: the counter's computer prints to whatever shared
 * queue it has. */
static void paper(office_req *r, office_buf *b, const char *kind, const db_request *q, const catalog_category *cat,
	const catalog_procedure *proc, const char *dossier, const char *due, const char *name, const char *list)
{
	office_print *printer = office_printer(office_req_office(r));
	paper_text t;
	char detail[500];
	int printed = -2;
	if (printer) {
		paper_words(r, LANG_VI, &t, kind, q, cat, proc, dossier, due, name, list);
		printed = office_print_paper(printer, &t.p, detail, sizeof detail);
		if (printed == 0) log_info("counter %d: printed the %s paper of %s (%s)", office_req_who(r)->counter, kind, q->id, detail);
		else log_warn("counter %d: the %s paper of %s not printed: %s", office_req_who(r)->counter, kind, q->id, detail);
		sodium_memzero(&t, sizeof t);
	}
	paper_words(r, office_req_lang(r), &t, kind, q, cat, proc, dossier, due, name, list);
	if (printed == 0) office_buf_printf(b, "<p class=\"ok\" id=\"print-msg\">%s</p>", T(r, PAPER_PRINTED));
	else if (printed == 1 || (t.p.secret_note && printed == -2))
		office_buf_printf(b, "<p class=\"err\" id=\"print-msg\">%s</p>", T(r, PAPER_SECRET_SHARED));
	else if (printed == -1) {
		char said[700];
		office_words_format(said, sizeof said, office_req_lang(r), OW_PAPER_NOT_PRINTED, detail);
		office_buf_puts(b, "<p class=\"err\" id=\"print-msg\">");
		office_buf_esc(b, said);
		office_buf_puts(b, "</p>");
	}
	/* Printed from the browser: only the paper goes on it; a denunciation's not at all. */
	office_buf_printf(b, "<style>@media print{header,form,#msg,#print-msg{display:none}.paper{font-size:12pt}%s}</style>",
		t.p.secret_note ? "#paper{display:none}" : "");
	office_buf_puts(b, "<section id=\"paper\" class=\"paper\"><p>");
	office_buf_esc(b, t.p.commune);
	office_buf_printf(b, "</p><h2>%s</h2>", t.p.title);
	office_buf_printf(b, "<p>%s: <b id=\"paper-code\">%s</b></p>", t.p.code_label, t.grouped);
	if (dossier) office_buf_printf(b, "<p>%s: <b id=\"paper-dossier\">%s</b></p>", t.p.dossier_label, dossier);
	office_buf_puts(b, "<p>");
	office_buf_esc(b, t.what);
	office_buf_puts(b, "</p>");
	if (name && name[0]) {
		office_buf_printf(b, "<p>%s: <span id=\"paper-name\">", t.p.name_label);
		office_buf_esc(b, name);
		office_buf_puts(b, "</span></p>");
	}
	if (list) {
		office_buf_puts(b, "<p id=\"paper-list\" style=\"white-space:pre-line\">");
		office_buf_esc(b, list);
		office_buf_puts(b, "</p>");
	}
	office_buf_printf(b, "<p>%s: %s</p><p>%s: <b id=\"paper-due\">%s</b></p>", t.p.at_label, t.when,
		t.p.due_label, t.day);
	if (t.p.secret_note) office_buf_printf(b, "<p id=\"paper-secret\">%s</p>", t.p.secret_note);
	if (t.url[0]) {
		office_buf_printf(b, "<p>%s ", t.p.check_label);
		office_buf_esc(b, t.url);
		office_buf_puts(b, "</p>");
	}
	office_buf_puts(b, "</section>");
	sodium_memzero(&t, sizeof t);
}

/* A refusal in the page's language; the catalog's (English) reason when
 * the page itself sent something malformed. */
static void refusal_text(office_req *r, const dbcounter_refusal *rf, const char *err, char *out, size_t outlen)
{
	lang l = office_req_lang(r);
	char day[16];
	int y, m, d;
	if (sscanf(rf->when, "%d-%d-%d", &y, &m, &d) == 3) snprintf(day, sizeof day, "%02d/%02d/%04d", d, m, y);
	else day[0] = '\0';
	switch (rf->why) {
	case DBCOUNTER_NOT_CODE: snprintf(out, outlen, "%s", T(r, ACCEPT_NOT_CODE)); break;
	case DBCOUNTER_UNKNOWN: snprintf(out, outlen, "%s", T(r, ACCEPT_UNKNOWN)); break;
	case DBCOUNTER_CLOSED: snprintf(out, outlen, "%s", T(r, REFUSED_CLOSED)); break;
	case DBCOUNTER_ACCEPTED: office_words_format(out, outlen, l, OW_REFUSED_ACCEPTED, day, rf->detail); break;
	case DBCOUNTER_LETTER_TWICE: office_words_format(out, outlen, l, OW_REFUSED_LETTER_TWICE, day); break;
	case DBCOUNTER_SUPPLEMENT_TWICE: office_words_format(out, outlen, l, OW_REFUSED_SUPPLEMENT_TWICE, day); break;
	case DBCOUNTER_DOSSIER_MISSING: snprintf(out, outlen, "%s", T(r, REFUSED_DOSSIER_MISSING)); break;
	case DBCOUNTER_DOSSIER_FORM: office_words_format(out, outlen, l, OW_REFUSED_DOSSIER_FORM, rf->detail); break;
	case DBCOUNTER_DOSSIER_TAKEN: office_words_format(out, outlen, l, OW_REFUSED_DOSSIER_TAKEN, rf->detail); break;
	case DBCOUNTER_LIST_MISSING: snprintf(out, outlen, "%s", T(r, REFUSED_LIST_MISSING)); break;
	case DBCOUNTER_AT_ONCE: snprintf(out, outlen, "%s", T(r, REFUSED_AT_ONCE)); break;
	default: snprintf(out, outlen, "%s", err); break;
	}
}

typedef enum { STEP_ACCEPT, STEP_SUPPLEMENT, STEP_LETTER } step_kind;

static void post_step(office_req *r, step_kind k)
{
	static const char *const kinds[] = { "accepted", "supplement", "letter" };
	office *o = office_req_office(r);
	const config *cfg = office_config(o);
	const catalog *c = office_catalog(o);
	const char *code = office_req_param(r, "code"), *msg = NULL, *dossier = office_req_param(r, "dossier");
	const char *list = office_req_param(r, "list"), *cccd = office_req_param(r, "cccd");
	const char *verify_s = office_req_param(r, "verify"), *papers = office_req_param(r, "papers");
	office_buf *b = office_req_body(r);
	const catalog_category *cat;
	const catalog_procedure *proc;
	db_request q, done;
	dbcounter_state cs;
	dbcounter_step s;
	dbcounter_refusal rf;
	char err[400], said[400], due[11], name[128] = "", stored_dossier[PROTO_DOSSIER_MAX] = "";
	char missing[PROTO_NOTE_MAX];
	long long now = (long long)time(NULL);
	vntime vn = vntime_of(now);
	cal_date day;
	cal *calendar;
	int rc, verify = verify_s && strcmp(verify_s, "1") == 0;
	page_start(r, b);
	scan_form(r, b);
	rc = find(r, code, &q, &cs, &msg);
	if (rc <= 0) {
		message(b, "err", rc < 0 ? T(r, STORE_ERROR) : msg);
		page_end(r, b, rc < 0 ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_NOT_FOUND);
		return;
	}
	cat = catalog_category_by_id(c, q.category);
	proc = q.procedure[0] ? catalog_procedure_by_id(c, q.procedure) : NULL;
	if (k == STEP_ACCEPT && !(papers && strcmp(papers, "1") == 0)) {
		message(b, "err", T(r, ACCEPT_PAPERS_FIRST));
		request_forms(r, b, &q, cat, proc, &cs);
		page_end(r, b, MHD_HTTP_BAD_REQUEST);
		return;
	}
	if (k == STEP_ACCEPT && cccd && cccd[0] && office_accept_cccd_name(cccd, name, sizeof name) != 0) {
		message(b, "err", T(r, ACCEPT_CCCD_BAD));
		request_forms(r, b, &q, cat, proc, &cs);
		page_end(r, b, MHD_HTTP_BAD_REQUEST);
		return;
	}
	if (k == STEP_SUPPLEMENT) {
		if (office_papers_missing(r, proc, list, missing, sizeof missing) != 0) missing[0] = '\0';
		list = missing;
	}
	calendar = load_calendar(cfg);
	rc = cat ? catalog_counter_due(cat, proc, calendar, kinds[k], verify, vn.date, vn.hour, &day, err, sizeof err)
		: (snprintf(err, sizeof err, "the catalog has no category %s", q.category), 1);
	cal_free(calendar);
	if (rc == 0) {
		cal_date_format(day, due);
		memset(&s, 0, sizeof s);
		s.code = q.token;
		s.kind = kinds[k];
		s.at = now;
		s.dossier = k == STEP_ACCEPT ? dossier : NULL;
		s.verify = k == STEP_ACCEPT && verify;
		s.text = k == STEP_SUPPLEMENT ? list : NULL;
		s.due = due;
		db *d = office_db_hold(o);
		memset(&rf, 0, sizeof rf);
		rc = dbcounter_record(d, &s, &done, &rf, err, sizeof err);
		if (rc == 0 && k == STEP_ACCEPT) {
			dbcounter_state now_cs;
			if (dbcounter_state_of(d, q.id, &now_cs, err, sizeof err) == 0)
				snprintf(stored_dossier, sizeof stored_dossier, "%s", now_cs.dossier);
		}
		office_db_release(o);
	}
	if (rc != 0) {
		if (rc < 0) log_error("counter %d, %s: %s", office_req_who(r)->counter, q.id, err);
		else log_info("counter %d, %s: %s refused: %s", office_req_who(r)->counter, q.id, kinds[k], err);
		if (rc > 0) refusal_text(r, &rf, err, said, sizeof said);
		message(b, "err", rc < 0 ? T(r, STORE_ERROR) : said);
		if (rc > 0 && find(r, q.token, &q, &cs, &msg) == 1) request_forms(r, b, &q, cat, proc, &cs);
		page_end(r, b, rc < 0 ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_CONFLICT);
		return;
	}
	log_info("counter %d: %s %s", office_req_who(r)->counter, q.id, kinds[k]);
	message(b, "ok", k == STEP_ACCEPT ? T(r, ACCEPT_DONE) : k == STEP_SUPPLEMENT ? T(r, ACCEPT_SUPPLEMENT_DONE)
		: T(r, ACCEPT_LETTER_DONE));
	paper(r, b, kinds[k], &q, cat, proc, k == STEP_ACCEPT ? stored_dossier : NULL, due, name,
		k == STEP_SUPPLEMENT ? list : NULL);
	/* The name read from the citizen's card was for the paper only. */
	sodium_memzero(name, sizeof name);
	page_end(r, b, MHD_HTTP_OK);
}

static void post_accept(office_req *r) { post_step(r, STEP_ACCEPT); }
static void post_supplement(office_req *r) { post_step(r, STEP_SUPPLEMENT); }
static void post_letter(office_req *r) { post_step(r, STEP_LETTER); }

const office_route office_accept_routes[] = {
	{ "GET", "/counter/accept", 1, get_accept },
	{ "POST", "/counter/accept/accept", 1, post_accept },
	{ "POST", "/counter/accept/supplement", 1, post_supplement },
	{ "POST", "/counter/accept/letter", 1, post_letter },
	{ NULL, NULL, 0, NULL },
};
