/* console_print: the official papers of a request, printed on A4 from the
 * browser (GET /staff/r/<id>/print?paper=...; see console_int.h): the
 * request for a supplement, the refusal with its reasons, the apology with
 * the new date, the result notice and, for a denunciation, the notice to
 * the denouncer that it was accepted (docs/papers.md: what each holds, and
 * the rule behind it). Each is one page with a print style sheet (@media
 * print, A4): the national heading, the office's name, the dossier number
 * and the receipt code, the words the official sent the citizen (the
 * action's note), and a place to sign.
 *
 * A paper is addressed to the person who filed: printing one opens the
 * sealed identity for its name and address, which is an audit row with the
 * paper as the reason; a denouncer's is never opened here: the notice to
 * the denouncer leaves the addressee for the official to write by hand,
 * names neither the denouncer nor the denounced, and opens nothing. */
#include "console_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "status.h"
#include "token.h"
#include "vntime.h"

typedef enum { PAPER_SUPPLEMENT, PAPER_REFUSAL, PAPER_APOLOGY, PAPER_RESULT, PAPER_NOTICE, NPAPERS } paper;

static const struct {
	const char *name;
	word title, lead, button;
} papers[NPAPERS] = {
	[PAPER_SUPPLEMENT] = { "supplement", W_PAPER_SUPPLEMENT, W_PAPER_SUPPLEMENT_LEAD, W_PRINT_SUPPLEMENT },
	[PAPER_REFUSAL] = { "refusal", W_PAPER_REFUSAL, W_PAPER_REFUSAL_LEAD, W_PRINT_REFUSAL },
	[PAPER_APOLOGY] = { "apology", W_PAPER_APOLOGY, W_PAPER_APOLOGY_LEAD, W_PRINT_APOLOGY },
	[PAPER_RESULT] = { "result", W_PAPER_RESULT, W_PAPER_RESULT_LEAD, W_PRINT_RESULT },
	[PAPER_NOTICE] = { "notice", W_PAPER_NOTICE, W_PAPER_NOTICE_LEAD, W_PRINT_NOTICE },
};

/* The event a paper reports: the last supplement asked, refusal, apology
 * (an event whose date is the appointment in force), answer, or the
 * denouncer told (the notify event, at the clock's notified_at). */
typedef struct {
	paper p;
	const char *appointment;
	long long notified_at;
	int found;
	proto_event e;
} paper_event;

static int find_event(const proto_event *e, void *arg)
{
	paper_event *pe = arg;
	int hit = 0;
	switch (pe->p) {
	case PAPER_SUPPLEMENT:
		hit = strcmp(e->status, "supplement") == 0;
		break;
	case PAPER_REFUSAL:
		hit = strcmp(e->status, "rejected") == 0;
		break;
	case PAPER_RESULT:
		hit = strcmp(e->status, "resolved") == 0;
		break;
	case PAPER_APOLOGY:
		hit = pe->appointment[0] && strcmp(e->deadline, pe->appointment) == 0;
		break;
	case PAPER_NOTICE:
		hit = pe->notified_at && e->at == pe->notified_at;
		break;
	default:
		break;
	}
	if (hit) {
		pe->e = *e;
		pe->found = 1;
	}
	return 0;
}

/* 1 with the paper's event in out when the request has one to print; for
 * the notice, k gets the request's clock (the decision's date). */
static int paper_source(exchange *x, const work_item *it, paper p, proto_event *out, work_clock *k)
{
	paper_event pe;
	memset(&pe, 0, sizeof pe);
	pe.p = p;
	pe.appointment = it->appointment;
	if (p == PAPER_NOTICE) {
		/* Only a denunciation's filer is told of the acceptance decision
		 * (srv_work_act refuses the step for any other category). */
		if (strcmp(it->category, "denunciation") != 0 ||
		    srv_work_clock(x->db, x->c->cat, x->c->calendar, it->id, x->now, k) != 1 || !k->notified_at)
			return 0;
		pe.notified_at = k->notified_at;
	}
	if (srv_db_request_events(x->db, it->id, find_event, &pe) != 0) return 0;
	if (pe.found) *out = pe.e;
	return pe.found;
}

void console_print_links(exchange *x, const work_item *it)
{
	proto_event e;
	work_clock k;
	int p, n = 0;
	for (p = 0; p < NPAPERS; p++) {
		if (!paper_source(x, it, (paper)p, &e, &k)) continue;
		if (n++ == 0) {
			put(x, "<section class=\"panel\" id=\"papers\"><h2>");
			put(x, W(x, W_PAPERS));
			put(x, "</h2><p>");
		}
		put(x, "<a class=\"button\" target=\"_blank\" id=\"print-");
		put(x, papers[p].name);
		put(x, "\" href=\"/staff/r/");
		console_put_url(x, it->id);
		put(x, "/print?paper=");
		put(x, papers[p].name);
		put(x, "\">");
		put(x, W(x, papers[p].button));
		put(x, "</a> ");
	}
	if (n) put(x, "</p></section>\n");
}

/* The filer's name and address for the paper's heading, opened from the
 * sealed form (the caller audits it); "" each when it cannot be. */
static void addressee(exchange *x, const work_item *it, char name[256], char address[512])
{
	srv_db_request r;
	json_t *o;
	name[0] = address[0] = '\0';
	if (strcmp(it->category, "denunciation") == 0 || srv_db_request_find(x->db, it->id, &r) != 1) return;
	o = console_sealed_open(x->c, r.sealed, r.sealed_len);
	srv_db_request_free(&r);
	if (!o) return;
	snprintf(name, 256, "%s", json_string_value(json_object_get(o, "full_name")) ?
		json_string_value(json_object_get(o, "full_name")) : "");
	snprintf(address, 512, "%s", json_string_value(json_object_get(o, "address")) ?
		json_string_value(json_object_get(o, "address")) : "");
	console_sealed_free(o);
}

/* The papers' part of the console's style sheet (console_page_style):
 * an inline <style> would be refused by the console's CSP. */
const char console_print_css[] =
	"body{background:#e9ecf0}"
	".sheet{background:#fff;width:210mm;min-height:297mm;margin:16px auto;padding:20mm 20mm 20mm 30mm;"
	"font:13pt/1.5 'Times New Roman','Noto Serif','DejaVu Serif',serif;color:#000}"
	".sheet .heads{display:grid;grid-template-columns:1fr 1.3fr;text-align:center;gap:8mm}"
	".sheet .heads{font-size:11.5pt}.sheet .heads b{display:block;text-transform:uppercase;white-space:nowrap}"
	".sheet .motto{text-decoration:underline;font-weight:700}"
	".sheet .date{text-align:right;font-style:italic;margin:6mm 0}"
	".sheet h1{text-align:center;text-transform:uppercase;font-size:15pt;margin:8mm 0 6mm}"
	".sheet .note{white-space:pre-wrap;border-left:0;margin:2mm 0 2mm 6mm}"
	".sheet .sign{display:grid;grid-template-columns:1fr 1fr;text-align:center;margin-top:12mm}"
	".sheet .sign small{display:block;font-style:italic}"
	".sheet .sign .space{height:28mm}"
	".noprint{text-align:center;margin:12px}"
	"@page{size:A4;margin:0}"
	"@media print{body{background:#fff}.top,.noprint{display:none}main{padding:0;max-width:none}"
	".sheet{margin:0;box-shadow:none;width:auto;min-height:0}}\n";

static void line(exchange *x, word label, const char *value)
{
	const char *l = W(x, label);
	size_t n = strlen(l);
	put(x, "<p>");
	put(x, l);
	put(x, n && l[n - 1] == ':' ? " <b>" : ": <b>");
	esc(x, value);
	put(x, "</b></p>");
}

static void render_paper(exchange *x, const work_item *it, paper p, const proto_event *e, const work_clock *k,
	const char *name, const char *address, const work_commune *commune)
{
	char grouped[TOKEN_GROUPED_LEN + 1], day[11], received[20], what[256];
	vntime now = vntime_of(x->now);
	token_group(it->token, grouped);
	x->html.buf->len = 0;
	console_head(x, W(x, papers[p].title));
	put(x, "<p class=\"noprint notice\" id=\"print-hint\">");
	put(x, W(x, W_PRINT_HINT));
	put(x, "</p>\n<article class=\"sheet\" id=\"paper\"><div class=\"heads\"><div><b>");
	put(x, W(x, W_PAPER_COMMITTEE));
	put(x, " ");
	esc(x, commune->name[0] ? commune->name : commune->code);
	put(x, "</b><b>");
	put(x, W(x, W_PAPER_OFFICE));
	put(x, "</b><span>");
	put(x, W(x, W_PAPER_NUMBER));
	put(x, "</span></div><div><b>");
	put(x, W(x, W_PAPER_NATION));
	put(x, "</b><span class=\"motto\">");
	put(x, W(x, W_PAPER_MOTTO));
	put(x, "</span></div></div>\n<p class=\"date\">");
	esc(x, commune->name[0] ? commune->name : commune->code);
	html_putf(&x->html, ", %s %02d %s %02d %s %04d</p>\n", W(x, W_PAPER_DAY), now.date.day, W(x, W_PAPER_MONTH),
		now.date.month, W(x, W_PAPER_YEAR), now.date.year);
	put(x, "<h1>");
	put(x, W(x, papers[p].title));
	put(x, "</h1>\n");
	line(x, W_PAPER_TO, name[0] ? name : "..................................................");
	if (address[0]) line(x, W_PAPER_ADDRESS, address);
	snprintf(what, sizeof what, "%s", it->procedure[0] ? console_procedure_name(x, it->procedure)
		: console_category_name(x, it->category));
	line(x, W_PAPER_ABOUT, what);
	line(x, W_DOSSIER, it->dossier[0] ? it->dossier : "....................");
	line(x, W_RECEIPT, grouped);
	console_format_local(it->received_at, received);
	line(x, W_RECEIVED, received);
	put(x, "<p>");
	put(x, W(x, papers[p].lead));
	put(x, "</p><p class=\"note\" id=\"paper-note\">");
	esc(x, e->note);
	put(x, "</p>");
	switch (p) {
	case PAPER_SUPPLEMENT:
		put(x, "<p>");
		put(x, W(x, W_PAPER_SUPPLEMENT_CLOCK));
		put(x, "</p>");
		break;
	case PAPER_APOLOGY:
		console_format_day(it->due, day);
		line(x, W_PAPER_OLD_DATE, day);
		console_format_day(it->appointment, day);
		line(x, W_PAPER_NEW_DATE, day);
		break;
	case PAPER_REFUSAL:
		put(x, "<p>");
		put(x, W(x, W_PAPER_REFUSAL_RIGHTS));
		put(x, "</p>");
		break;
	case PAPER_NOTICE:
		if (k->decided_on[0]) {
			console_format_day(k->decided_on, day);
			line(x, W_PAPER_NOTICE_DECIDED, day);
		}
		put(x, "<p>");
		put(x, W(x, W_PAPER_NOTICE_TIME));
		put(x, "</p><p id=\"paper-secret\">");
		put(x, W(x, W_PAPER_NOTICE_SECRET));
		put(x, "</p>");
		break;
	default:
		break;
	}
	/* The denouncer does not sign the notice sent to them. */
	put(x, "<div class=\"sign\"><div>");
	if (p != PAPER_NOTICE) {
		put(x, "<b>");
		put(x, W(x, W_PAPER_FILER));
		put(x, "</b><small>");
		put(x, W(x, W_PAPER_SIGN));
		put(x, "</small>");
	}
	put(x, "</div><div><b>");
	put(x, W(x, W_PAPER_OFFICIAL));
	put(x, "</b><small>");
	put(x, W(x, W_PAPER_SIGN));
	put(x, "</small><div class=\"space\"></div><b id=\"paper-official\">");
	esc(x, x->session.name);
	put(x, "</b></div></div></article>\n");
	console_foot(x);
	x->out->personal = 1;
}

void console_print_paper(exchange *x, const work_item *it)
{
	const char *which = arg(x, "paper");
	work_commune commune;
	proto_event e;
	work_clock k;
	char name[256], address[512], err[300], reason[96];
	int p;
	for (p = 0; p < NPAPERS; p++)
		if (strcmp(papers[p].name, which) == 0) break;
	memset(&k, 0, sizeof k);
	if (p == NPAPERS || !paper_source(x, it, (paper)p, &e, &k)) {
		console_message_page(x, 404, W_NO_PAPER);
		return;
	}
	memset(&commune, 0, sizeof commune);
	if (srv_work_commune_get(x->db, it->commune, &commune) != 1) snprintf(commune.code, sizeof commune.code, "%s",
		it->commune);
	/* The name is read for the paper: recorded first, as any reading. The
	 * notice to a denouncer opens nothing, so there is no reading to record. */
	snprintf(reason, sizeof reason, "print %s", papers[p].name);
	if (p != PAPER_NOTICE && srv_work_audit_open(x->db, x->now, it->id, x->session.name, reason, err, sizeof err) != 0) {
		log_error("audit: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	addressee(x, it, name, address);
	render_paper(x, it, (paper)p, &e, &k, name, address, &commune);
	sodium_memzero(name, sizeof name);
	sodium_memzero(address, sizeof address);
}
