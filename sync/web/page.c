/* page: the phone page for a receipt's QR code, and its JSON twin.
 *
 * The HTML is built by appending fixed text and escaped data to the caller's
 * buffer: the server renders it on every lookup, tens of thousands of times
 * a second, so there is no template engine, no JSON tree and no allocation
 * once the buffer has grown to a page's size. Times are formatted by hand
 * from vntime's Vietnam time because the server's time zone is not the
 * citizen's, and because the C library's time functions take a
 * process-wide lock. The words are the translation files' (words.h).
 *
 * The page must work on a cheap phone on 3G: no script, no web font, no
 * image file, one inline style sheet, and never more than PAGE_SIZE_MAX
 * bytes. Notes can be long, so the timeline shows the latest events that fit
 * and says how many older ones it left out. Status is said in words, with
 * colour and a mark only as a help. Every text that comes from data is
 * escaped. A late request says sorry and, once the office has given one,
 * the new appointment date (the practice of form Mẫu 04). */
#include "page.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "rate_form.h"
#include "status.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include "words.h"

#define TAIL_RESERVE 1024          /* the end of a page after its timeline */

/* ---- appending to the caller's buffer ---- */

/* The page's start, so a failed page can be taken back out of the buffer
 * and the timeline can tell how much of PAGE_SIZE_MAX it has used. */
typedef struct {
	html_writer html;
	size_t start;
} writer;

static void put_n(writer *w, const char *s, size_t n)
{
	html_put_n(&w->html, s, n);
}

static void put(writer *w, const char *s)
{
	html_put(&w->html, s);
}

static void put_escaped(writer *w, const char *s, size_t max)
{
	html_escape_n(&w->html, s, max);
}

static int finish(writer *w)
{
	if (!w->html.failed) return 0;
	w->html.buf->len = w->start;
	if (w->html.buf->data) w->html.buf->data[w->start] = '\0';
	return -1;
}

void page_buf_free(page_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- Vietnam time ---- */

static char *digits(char *p, int value, int width)
{
	int i;
	if (value < 0) value = 0;
	for (i = width - 1; i >= 0; i--, value /= 10) p[i] = (char)('0' + value % 10);
	return p + width;
}

/* "dd/mm/yyyy HH:MM", as people in Vietnam write it. */
static void format_local(long long t, char out[17])
{
	vntime v = vntime_of(t);
	char *p = out;
	p = digits(p, v.date.day, 2); *p++ = '/';
	p = digits(p, v.date.month, 2); *p++ = '/';
	p = digits(p, v.date.year, 4); *p++ = ' ';
	p = digits(p, v.hour, 2); *p++ = ':';
	p = digits(p, v.minute, 2);
	*p = '\0';
}

/* "YYYY-MM-DDTHH:MM:SS+07:00" (VNTIME_ISO_OFFSET) */
static void format_iso(long long t, char out[26])
{
	vntime v = vntime_of(t);
	char *p = out;
	p = digits(p, v.date.year, 4); *p++ = '-';
	p = digits(p, v.date.month, 2); *p++ = '-';
	p = digits(p, v.date.day, 2); *p++ = 'T';
	p = digits(p, v.hour, 2); *p++ = ':';
	p = digits(p, v.minute, 2); *p++ = ':';
	p = digits(p, v.second, 2);
	memcpy(p, VNTIME_ISO_OFFSET, sizeof VNTIME_ISO_OFFSET);
}

/* "YYYY-MM-DD" to "dd/mm/yyyy"; anything else to "" (the caller shows a
 * dash rather than a malformed date). */
static void format_day(const char *iso, char out[11])
{
	cal_date d;
	char *p = out;
	char copy[11];
	memcpy(copy, iso, 10);
	copy[10] = '\0';
	if (cal_date_parse(copy, &d) != 0) {
		out[0] = '\0';
		return;
	}
	p = digits(p, d.day, 2); *p++ = '/';
	p = digits(p, d.month, 2); *p++ = '/';
	p = digits(p, d.year, 4);
	*p = '\0';
}

/* ---- what the page says ---- */

typedef enum { TONE_NEUTRAL, TONE_BLUE, TONE_AMBER, TONE_GREEN, TONE_RED, TONE_GREY } tone;

/* CSS class of each tone, and the mark drawn inside a circle: dots while it
 * waits, clock hands while it is worked on, "!" when something is needed,
 * a tick, a cross, a dash. */
static const struct { const char *css; const char *mark; } tones[] = {
	[TONE_NEUTRAL] = { "n", "M7 12h.01M12 12h.01M17 12h.01" },
	[TONE_BLUE] = { "b", "M12 6.5V12l3.5 2" },
	[TONE_AMBER] = { "a", "M12 7v6M12 16.8v.2" },
	[TONE_GREEN] = { "g", "M7 12.5l3.2 3.2L17 9" },
	[TONE_RED] = { "r", "M8.5 8.5l7 7M15.5 8.5l-7 7" },
	[TONE_GREY] = { "w", "M7.5 12h9" },
};

/* Each status's tone; what it is called is in the translation files
 * (words_status), with %s where the office's name goes. */
static const tone status_tones[STATUS_COUNT] = {
	[STATUS_RECEIVED] = TONE_NEUTRAL,
	[STATUS_SYNCED] = TONE_NEUTRAL,
	[STATUS_ACCEPTED] = TONE_BLUE,
	[STATUS_IN_PROGRESS] = TONE_BLUE,
	[STATUS_SUPPLEMENT] = TONE_AMBER,
	[STATUS_RESOLVED] = TONE_GREEN,
	[STATUS_REJECTED] = TONE_RED,
	[STATUS_WITHDRAWN] = TONE_GREY,
};

/* The page's language codes, [0] Vietnamese and [1] English: its own, the
 * other one's, and the query that links to the other. */
static const struct { const char *html_lang, *other_lang, *other_query; } langs[2] = {
	{ "vi", "en", "?lang=en" },
	{ "en", "vi", "" },
};

#define T(l, w) words_text((lang)(l), (w))

static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#f3f4f6;color:#1b1b1b;font:17px/1.5 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Noto Sans\",\"Helvetica Neue\",Arial,sans-serif;"
	"-webkit-text-size-adjust:100%;overflow-wrap:anywhere}"
	"header{background:#0b3d91;color:#fff}"
	".bar{display:flex;align-items:center;justify-content:space-between;gap:8px;"
	"max-width:640px;min-height:60px;margin:0 auto;padding:6px 12px 6px 16px}"
	".bar b{font-size:1rem;line-height:1.3}"
	".bar a{flex:none;color:#fff;font-weight:600;text-decoration:none;min-height:48px;"
	"padding:11px 14px;border:2px solid #fff;border-radius:10px;line-height:22px}"
	"main{max-width:640px;margin:0 auto;padding:16px}"
	"h1{font-size:1.5rem;line-height:1.25;margin:4px 0 8px}"
	"h2{font-size:1.2rem;margin:24px 0 10px}"
	".code{margin:0}"
	".k{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;white-space:nowrap}"
	".code .k{font-size:1.2rem;letter-spacing:.04em}"
	".en{margin-top:24px;border-top:1px solid #c8ccd2}.en h2{margin-top:16px}"
	".st{display:flex;gap:12px;align-items:flex-start;margin:16px 0;padding:14px;"
	"border-radius:12px;border-left:8px solid}"
	".st svg{flex:none;margin-top:2px}"
	".st strong{display:block;font-size:1.4rem;line-height:1.3}"
	".st span,.st small{display:block;margin-top:4px}"
	".st small{font-size:.9rem;color:#333}"
	".n{border-color:#5b6b80}.st.n{background:#e9eef5;color:#1e2a3b}"
	".b{border-color:#1d4ed8}.st.b{background:#e3ecfc;color:#0b3478}"
	".a{border-color:#b45309}.st.a{background:#fff1d0;color:#5c3300}"
	".g{border-color:#15803d}.st.g{background:#dff3e6;color:#0c4a28}"
	".r{border-color:#b91c1c}.st.r{background:#fde6e6;color:#7f1414}"
	".w{border-color:#6b7280}.st.w{background:#ececec;color:#333}"
	".ov{margin:16px 0;padding:14px;border:2px solid #b91c1c;border-radius:12px;"
	"background:#fff;color:#7f1414}"
	".ov strong{font-size:1.15rem}.ov p{margin:4px 0 0}"
	"dl{margin:0;padding:4px 16px;background:#fff;border-radius:12px}"
	"dt{margin-top:10px;color:#4b5563;font-size:.9rem}"
	"dd{margin:0 0 10px;font-weight:600}"
	".cap{display:inline-block}.cap::first-letter{text-transform:uppercase}"
	".late{color:#b91c1c}"
	"ol{list-style:none;margin:0;padding:0}"
	"li{margin:0 0 10px;padding:10px 14px;background:#fff;border-radius:10px;border-left:6px solid}"
	"time{display:block;color:#4b5563;font-size:.9rem}"
	"li p{margin:4px 0 0;white-space:pre-line}"
	".om{color:#4b5563;font-style:italic}"
	".rate{margin:16px 0;padding:12px 16px;background:#fff;border-radius:12px}.rate h2{margin:0 0 6px}"
	"fieldset{border:0;margin:10px 0 0;padding:0}legend{font-weight:600;padding:0}"
	".rate label{display:block;margin:6px 0;padding:10px 12px;border:1px solid #9ca3af;border-radius:10px}"
	".rate input{width:1.3em;height:1.3em;vertical-align:middle}"
	".rate button{margin-top:12px;padding:12px 28px;font-size:1.1rem;border-radius:10px;border:0;"
	"background:#1d4ed8;color:#fff}.rated{font-weight:600}"
	".info p{margin:0 0 10px}"
	"footer{max-width:640px;margin:0 auto;padding:8px 16px 32px;color:#4b5563;font-size:.85rem}";

static tone tone_of(const char *id)
{
	int s = status_parse(id);
	return s < 0 ? TONE_NEUTRAL : status_tones[s];
}

/* The catalog's entries, looked up with ids cut to their fields' size. */
static const catalog_category *find_category(const page_context *ctx, const page_request *r)
{
	char id[sizeof r->category + 1];
	if (!ctx->cat) return NULL;
	memcpy(id, r->category, sizeof r->category);
	id[sizeof r->category] = '\0';
	return catalog_category_by_id(ctx->cat, id);
}

static const catalog_procedure *find_procedure(const page_context *ctx, const page_request *r)
{
	char id[sizeof r->procedure + 1];
	if (!ctx->cat || !r->procedure[0]) return NULL;
	memcpy(id, r->procedure, sizeof r->procedure);
	id[sizeof r->procedure] = '\0';
	return catalog_procedure_by_id(ctx->cat, id);
}

static const char *office_name(const page_context *ctx, int l)
{
	const char *name = l ? ctx->office_level_en : ctx->office_level;
	return name && name[0] ? name : T(l, W_PAGE_OFFICE_DEFAULT);
}

static void put_status(writer *w, const page_context *ctx, const char *id, size_t max, int l)
{
	char name[17];
	const char *text, *office = office_name(ctx, l);
	size_t n = strnlen(id, max < sizeof name - 1 ? max : sizeof name - 1);
	memcpy(name, id, n);
	name[n] = '\0';
	if (!(text = words_status((lang)l, name))) {
		put_escaped(w, id, max);
		return;
	}
	html_fill(&w->html, text, &office, 1, 1);
}

static void put_mark(writer *w, tone t)
{
	put(w, "<svg width=\"36\" height=\"36\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" "
		"stroke-width=\"2.2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\">"
		"<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"");
	put(w, tones[t].mark);
	put(w, "\"/></svg>");
}

static void put_head(writer *w, const char *html_lang, const char *title)
{
	put(w, "<!doctype html><html lang=\"");
	put(w, html_lang);
	put(w, "\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		"<meta name=\"robots\" content=\"noindex,nofollow\">"
		"<meta name=\"referrer\" content=\"no-referrer\">"
		"<meta name=\"color-scheme\" content=\"light\"><title>");
	put(w, title);
	put(w, "</title><style>");
	put_n(w, style, sizeof style - 1);
	put(w, "</style></head><body>");
}

/* Header with the link to the same page in the other language. The link is
 * relative to /r/<token>, so it works behind any prefix a proxy adds. */
static void put_header(writer *w, const page_request *r, int l)
{
	put(w, "<header><div class=\"bar\"><b>");
	put(w, T(l, W_PAGE_SITE));
	put(w, "</b><a href=\"");
	put_escaped(w, r->token, sizeof r->token);
	put(w, langs[l].other_query);
	put(w, "\" lang=\"");
	put(w, langs[l].other_lang);
	put(w, "\" hreflang=\"");
	put(w, langs[l].other_lang);
	put(w, "\">");
	put(w, T(l, W_PAGE_OTHER_NAME));
	put(w, "</a></div></header><main>");
}

static void put_code(writer *w, const page_request *r, int l)
{
	char grouped[TOKEN_GROUPED_LEN + 1], token[TOKEN_LEN + 1];
	memcpy(token, r->token, TOKEN_LEN);
	token[TOKEN_LEN] = '\0';
	token_group(token, grouped);
	put(w, "<p class=\"code\">");
	put(w, T(l, W_PAGE_CODE));
	put(w, ": <b class=\"k\">");
	put_escaped(w, grouped[0] ? grouped : token, sizeof grouped);
	put(w, "</b></p>");
}

static void put_footer(writer *w, int l)
{
	put(w, "</main><footer>");
	put(w, T(l, W_PAGE_FOOTER));
	put(w, "</footer></body></html>");
}

static void put_term(writer *w, const char *term)
{
	put(w, "<dt>");
	put(w, term);
	put(w, "</dt><dd>");
}

static void put_unknown(writer *w, const page_request *r, int l)
{
	put(w, "<h1>");
	put(w, T(l, W_PAGE_UNKNOWN_TITLE));
	put(w, "</h1>");
	put_code(w, r, l);
	put(w, "<div class=\"st n info\">");
	put_mark(w, TONE_NEUTRAL);
	put(w, "<div><p>");
	put(w, T(l, W_PAGE_UNKNOWN_TEXT));
	put(w, "</p><p>");
	put(w, T(l, W_PAGE_UNKNOWN_MORE));
	put(w, "</p></div></div>");
}

static void put_event(writer *w, const page_context *ctx, const page_event *e, int l)
{
	char status[sizeof e->status + 1];
	char when[17];
	memcpy(status, e->status, sizeof e->status);
	status[sizeof e->status] = '\0';
	format_local(e->at, when);
	put(w, "<li class=\"");
	put(w, tones[tone_of(status)].css);
	put(w, "\"><time>");
	put(w, when);
	put(w, "</time><b>");
	put_status(w, ctx, e->status, sizeof e->status, l);
	put(w, "</b>");
	if (e->note[0]) {
		put(w, "<p>");
		put_escaped(w, e->note, sizeof e->note);
		put(w, "</p>");
	}
	put(w, "</li>");
}

/* Newest first, as many as fit in the page's budget; then how many were
 * left out. */
static void put_timeline(writer *w, const page_context *ctx, const page_request *r, int l)
{
	int shown = 0, i, nevents = r->nevents < 0 ? 0 : r->nevents > PAGE_MAX_EVENTS ? PAGE_MAX_EVENTS : r->nevents;
	char count[12];
	const char *counted = count;
	put(w, "<h2>");
	put(w, T(l, W_PAGE_HISTORY));
	put(w, "</h2><ol>");
	for (i = nevents - 1; i >= 0; i--) {
		size_t before = w->html.buf->len;
		put_event(w, ctx, &r->events[i], l);
		if (w->html.failed) return;
		if (w->html.buf->len - w->start + TAIL_RESERVE > PAGE_SIZE_MAX) {
			w->html.buf->len = before;
			w->html.buf->data[before] = '\0';
			break;
		}
		shown++;
	}
	put(w, "</ol>");
	if (shown == nevents) return;
	*digits(count, nevents - shown, nevents - shown >= 10 ? 2 : 1) = '\0';
	put(w, "<p class=\"om\">");
	html_fill(&w->html, T(l, W_PAGE_OMITTED), &counted, 1, 0);
	put(w, "</p>");
}

/* A late request: the apology (the office's own words when it gave a new
 * date, else the standard one) and the new appointment date. */
static void put_delay(writer *w, const page_request *r, int l, const char *appointment)
{
	put(w, "<div class=\"ov\" role=\"alert\"><strong>");
	put(w, T(l, r->overdue ? W_PAGE_OVERDUE_TITLE : W_PAGE_LATE_TITLE));
	put(w, "</strong><p>");
	if (appointment[0] && r->apology[0]) put_escaped(w, r->apology, sizeof r->apology);
	else put(w, T(l, W_PAGE_OVERDUE_TEXT));
	put(w, "</p>");
	if (appointment[0]) {
		put(w, "<p>");
		put(w, T(l, W_PAGE_APPOINTMENT));
		put(w, ": <b>");
		put(w, appointment);
		put(w, "</b></p>");
	}
	put(w, "</div>");
}

static void put_known(writer *w, const page_context *ctx, const page_request *r, int l)
{
	const catalog_category *cat = find_category(ctx, r);
	const catalog_procedure *proc = find_procedure(ctx, r);
	char status[sizeof r->status + 1];
	const char *hint;
	char when[17], due[11], appointment[11];
	tone t;

	memcpy(status, r->status, sizeof r->status);
	status[sizeof r->status] = '\0';
	t = tone_of(status);
	hint = words_status_hint((lang)l, status);
	put(w, "<h1>");
	put(w, T(l, W_PAGE_TITLE));
	put(w, "</h1>");
	put_code(w, r, l);

	put(w, "<div class=\"st ");
	put(w, tones[t].css);
	put(w, "\">");
	put_mark(w, t);
	put(w, "<div><strong>");
	put_status(w, ctx, r->status, sizeof r->status, l);
	put(w, "</strong>");
	if (hint) {
		put(w, "<span>");
		put(w, hint);
		put(w, "</span>");
	}
	format_local(r->updated_at > 0 ? r->updated_at : r->received_at, when);
	put(w, "<small>");
	put(w, T(l, W_PAGE_UPDATED));
	put(w, " ");
	put(w, when);
	put(w, "</small></div></div>");

	format_day(r->deadline, due);
	format_day(r->appointment, appointment);
	if (r->overdue || appointment[0]) put_delay(w, r, l, appointment);

	put(w, "<dl>");
	put_term(w, T(l, W_PAGE_CATEGORY));
	if (cat) put(w, cat->name[l]);
	else put_escaped(w, r->category, sizeof r->category);
	put(w, "</dd>");
	if (r->procedure[0]) {
		put_term(w, T(l, W_PAGE_PROCEDURE));
		if (proc) put(w, proc->name[l]);
		else put_escaped(w, r->procedure, sizeof r->procedure);
		put(w, "</dd>");
	}
	format_local(r->received_at, when);
	put_term(w, T(l, W_PAGE_RECEIVED));
	put(w, when);
	put(w, "</dd>");
	/* Before acceptance a complaint's or denunciation's date is the limit to
	 * accept it; from then on it is the limit to resolve it. */
	put_term(w, T(l, cat && legal_has_acceptance(&cat->clock) && !r->accepted ? W_PAGE_DUE_ACCEPT : W_PAGE_DUE));
	if (r->overdue) put(w, "<span class=\"late\">");
	/* a dialogue question whose conference was cancelled, none other announced */
	if (!due[0] && strncmp(r->category, "dialogue", sizeof r->category) == 0) put(w, T(l, W_PAGE_NO_CONFERENCE));
	else put(w, due[0] ? due : "—");
	if (r->overdue) {
		put(w, " (");
		put(w, T(l, W_PAGE_LATE));
		put(w, ")</span>");
	}
	put(w, "</dd>");
	if (appointment[0]) {
		put_term(w, T(l, W_PAGE_APPOINTMENT));
		put(w, appointment);
		put(w, "</dd>");
	}
	put_term(w, T(l, W_PAGE_OFFICE));
	/* The office level is written to sit inside sentences ("cơ quan cấp
	 * trên"); standing alone as a value it starts with a capital. */
	put(w, "<span class=cap>");
	put_escaped(w, office_name(ctx, l), (size_t)-1);
	put(w, "</span></dd></dl>");

	rate_form_put(&w->html, (rate_state)r->rating, r->token, l);
	put_timeline(w, ctx, r, l);
}

void page_view(page_request *out, const char *token, const srv_db_facts *f, long long now)
{
	char today[11];
	int i;
	out->known = f != NULL;
	snprintf(out->token, sizeof out->token, "%s", token);
	out->overdue = out->accepted = 0;
	out->category[0] = out->procedure[0] = out->deadline[0] = out->status[0] = '\0';
	out->appointment[0] = out->apology[0] = '\0';
	out->received_at = out->updated_at = 0;
	out->nevents = 0;
	out->rating = RATE_HIDDEN;
	if (!f) return;
	memcpy(out->category, f->category, sizeof out->category);
	memcpy(out->procedure, f->procedure, sizeof out->procedure);
	memcpy(out->deadline, f->due, sizeof out->deadline);
	memcpy(out->status, f->status, sizeof out->status);
	memcpy(out->appointment, f->appointment, sizeof out->appointment);
	memcpy(out->apology, f->apology, sizeof out->apology);
	out->received_at = f->received_at;
	out->updated_at = f->updated_at;
	out->accepted = f->accepted;
	for (i = 0; i < f->nevents && i < PAGE_MAX_EVENTS; i++) {
		out->events[i].at = f->events[i].at;
		memcpy(out->events[i].status, f->events[i].status, sizeof out->events[i].status);
		memcpy(out->events[i].note, f->events[i].note, sizeof out->events[i].note);
	}
	out->nevents = i;
	cal_date_format(vntime_date(now), today);
	/* Late against the deadline in force, or the appointment given since. */
	out->overdue = status_is_overdue(f->status, f->closed, f->due, f->appointment, today);
}

int page_html(const page_context *ctx, const page_request *r, const char *language, page_buf *out)
{
	writer w = { { out, 0 }, out->len };
	int l = language && strcmp(language, "en") == 0;
	put_head(&w, langs[l].html_lang, T(l, r->known ? W_PAGE_TITLE : W_PAGE_UNKNOWN_TITLE));
	put_header(&w, r, l);
	if (r->known) put_known(&w, ctx, r, l);
	else put_unknown(&w, r, l);
	put_footer(&w, l);
	return finish(&w);
}

/* Both languages on one page: the code is not known, so neither is the
 * citizen's language. */
int page_not_found(page_buf *out)
{
	static const char *const example = "<b class=\"k\">ABCD-EFGH-JKMNP</b>";
	writer w = { { out, 0 }, out->len };
	char title[256];
	snprintf(title, sizeof title, "%s · %s", T(LANG_VI, W_PAGE_NOT_FOUND_SHORT), T(LANG_EN, W_PAGE_NOT_FOUND_SHORT));
	put_head(&w, "vi", title);
	put(&w, "<header><div class=\"bar\"><b>");
	put(&w, T(LANG_VI, W_PAGE_SITE));
	put(&w, "</b></div></header><main><h1>");
	put(&w, T(LANG_VI, W_PAGE_NOT_FOUND_HEADING));
	put(&w, "</h1><div class=\"info\"><p>");
	html_fill(&w.html, T(LANG_VI, W_PAGE_NOT_FOUND_TEXT), &example, 1, 0);
	put(&w, "</p></div><div class=\"en\" lang=\"en\"><h2>");
	put(&w, T(LANG_EN, W_PAGE_NOT_FOUND_HEADING));
	put(&w, "</h2><div class=\"info\"><p>");
	html_fill(&w.html, T(LANG_EN, W_PAGE_NOT_FOUND_TEXT), &example, 1, 0);
	put(&w, "</p></div></div></main></body></html>");
	return finish(&w);
}

/* ---- JSON ---- */

/* A string member, or null for text that is not UTF-8 (the server checks
 * what it stores, so that is a damaged record, not a reason to fail). */
static json_t *text_or_null(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	return utf8_valid(s, n) ? json_stringn(s, n) : json_null();
}

static json_t *time_or_null(long long t)
{
	char iso[26];
	if (t <= 0) return json_null();
	format_iso(t, iso);
	return json_string(iso);
}

static json_t *named(const char *id, size_t max, const char *name)
{
	return json_pack("{s:o,s:o}", "id", text_or_null(id, max), "name", name ? json_string(name) : json_null());
}

static json_t *known_json(const page_context *ctx, const page_request *r)
{
	const catalog_category *cat = find_category(ctx, r);
	const catalog_procedure *proc = find_procedure(ctx, r);
	json_t *events = json_array();
	cal_date d;
	char day[11], appointment[11];
	int i, nevents = r->nevents < 0 ? 0 : r->nevents > PAGE_MAX_EVENTS ? PAGE_MAX_EVENTS : r->nevents;

	if (!events) return NULL;
	for (i = 0; i < nevents; i++) {
		const page_event *e = &r->events[i];
		if (json_array_append_new(events, json_pack("{s:o,s:o,s:o}", "at", time_or_null(e->at),
			"status", text_or_null(e->status, sizeof e->status),
			"note", text_or_null(e->note, sizeof e->note))) != 0) {
			json_decref(events);
			return NULL;
		}
	}
	memcpy(day, r->deadline, 10);
	day[10] = '\0';
	memcpy(appointment, r->appointment, 10);
	appointment[10] = '\0';
	return json_pack("{s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o}",
		"token", text_or_null(r->token, sizeof r->token),
		"known", 1,
		"category", named(r->category, sizeof r->category, cat ? cat->name[LANG_VI] : NULL),
		"procedure", r->procedure[0] ? named(r->procedure, sizeof r->procedure, proc ? proc->name[LANG_VI] : NULL)
			: json_null(),
		"received_at", time_or_null(r->received_at),
		"deadline", cal_date_parse(day, &d) == 0 ? json_string(day) : json_null(),
		"status", text_or_null(r->status, sizeof r->status),
		"overdue", r->overdue != 0,
		"updated_at", time_or_null(r->updated_at),
		"events", events,
		"appointment", cal_date_parse(appointment, &d) == 0 ? json_string(appointment) : json_null(),
		"apology", r->appointment[0] && r->apology[0] ? text_or_null(r->apology, sizeof r->apology) : json_null());
}

static json_t *unknown_json(const page_request *r)
{
	return json_pack("{s:o,s:b,s:n,s:n,s:n,s:n,s:n,s:b,s:n,s:[],s:n,s:n}",
		"token", text_or_null(r->token, sizeof r->token), "known", 0,
		"category", "procedure", "received_at", "deadline", "status", "overdue", 0, "updated_at",
		"events", "appointment", "apology");
}

int page_json(const page_context *ctx, const page_request *r, page_buf *out)
{
	writer w = { { out, 0 }, out->len };
	json_t *root = r->known ? known_json(ctx, r) : unknown_json(r);
	size_t size = 0, room;
	if (!root) return -1;
	/* Dump straight into the buffer; only when it is too small, grow it
	 * and dump again. */
	if (html_reserve(&w.html, 4096) == 0) {
		room = out->cap - out->len - 1;
		size = json_dumpb(root, out->data + out->len, room, JSON_COMPACT);
		if (size > room && html_reserve(&w.html, size) == 0)
			size = json_dumpb(root, out->data + out->len, size, JSON_COMPACT);
	}
	if (size == 0 || w.html.failed) {
		json_decref(root);
		w.html.failed = 1;
		return finish(&w);
	}
	out->len += size;
	out->data[out->len] = '\0';
	json_decref(root);
	return 0;
}
