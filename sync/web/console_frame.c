/* console_frame: the frame every console page shares (see console_int.h):
 * the head with its menu and the language switch, the foot, a message
 * page, redirects and cookies, the style sheet, and the dates, names and
 * communes' pickers the pages write. Dates are Vietnam time (vntime). */
#include "console_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "cal.h"
#include "log.h"
#include "vntime.h"

/* A value inside a URL's query, percent-encoded, then HTML-escaped by
 * construction (nothing but unreserved characters and %XX is left). */
void console_put_url(exchange *x, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[4];
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/') {
			put_n(x, s, 1);
		} else {
			enc[0] = '%';
			enc[1] = hex[ch >> 4];
			enc[2] = hex[ch & 15];
			put_n(x, enc, 3);
		}
	}
}

/* ---- dates and names ---- */

void console_format_local(long long t, char out[20])
{
	if (t <= 0 || vntime_format(t, "%d/%m/%Y %H:%M", out, 20) == 0) snprintf(out, 20, "–");
}

/* "YYYY-MM-DD" as "dd/mm/yyyy"; a dash for anything else. */
void console_format_day(const char *iso, char out[11])
{
	cal_date d;
	if (!iso || cal_date_parse(iso, &d) != 0) {
		snprintf(out, 11, "–");
		return;
	}
	snprintf(out, 11, "%02u/%02u/%04u", (unsigned)d.day % 100u, (unsigned)d.month % 100u, (unsigned)d.year % 10000u);
}

const char *console_due_text(const exchange *x, const char *category, const char *iso, char buf[11])
{
	if (!iso[0] && strcmp(category, "dialogue") == 0) return W(x, W_NO_CONFERENCE_YET);
	console_format_day(iso, buf);
	return buf;
}

/* "YYYY-MM-DD" and "HH:MM" in Vietnam time to Unix seconds; -1 if malformed. */
long long console_parse_local(const char *date, const char *hm)
{
	cal_date d;
	int h, m;
	char tail;
	if (cal_date_parse(date, &d) != 0) return -1;
	if (sscanf(hm, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) return -1;
	return vntime_from_civil(d.year, d.month, d.day, h, m, 0);
}

const char *console_status_label(const exchange *x, const char *status)
{
	const char *label = words_status_staff((lang)x->lang, status);
	return label ? label : status;
}

const char *console_category_name(const exchange *x, const char *id)
{
	const catalog_category *cat = x->c->cat ? catalog_category_by_id(x->c->cat, id) : NULL;
	return cat ? cat->name[x->lang] : id;
}

const char *console_procedure_name(const exchange *x, const char *id)
{
	const catalog_procedure *p = x->c->cat && id[0] ? catalog_procedure_by_id(x->c->cat, id) : NULL;
	return p ? p->name[x->lang] : id;
}

/* ---- responses ---- */

void console_set_cookie(exchange *x, const char *name, const char *value, const char *extra)
{
	int i;
	for (i = 0; i < CONSOLE_COOKIES && x->out->cookies[i][0]; i++) {}
	if (i == CONSOLE_COOKIES) return;
	snprintf(x->out->cookies[i], sizeof x->out->cookies[i], "%s=%s; Path=/staff; HttpOnly; SameSite=Strict%s%s",
		name, value, extra, x->c->secure_cookies ? "; Secure" : "");
}

void console_redirect(exchange *x, const char *location)
{
	x->out->status = 303;
	snprintf(x->out->location, sizeof x->out->location, "%s", location);
	x->html.buf->len = 0;
	put(x, "<!doctype html><title>303</title><a href=\"");
	esc(x, location);
	put(x, "\">→</a>\n");
}

/* A path the login may return to: our own pages only, nothing that could
 * leave the site or split a header. */
int console_safe_next(const char *next)
{
	size_t i;
	if (strncmp(next, "/staff", 6) != 0 || strncmp(next, "/staff/login", 12) == 0 ||
	    strncmp(next, "/staff/logout", 13) == 0 || strlen(next) > 900)
		return 0;
	for (i = 0; next[i]; i++)
		if ((unsigned char)next[i] <= 0x20 || next[i] == 0x7f || next[i] == '\\' ||
		    (next[i] == '/' && next[i + 1] == '/'))
			return 0;
	return 1;
}

/* ---- the frame of every page ---- */

void console_head(exchange *x, const char *title)
{
	put(x, "<!doctype html>\n<html lang=\"");
	put(x, x->lang ? "en" : "vi");
	put(x, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>");
	esc(x, title);
	put(x, " · ");
	put(x, W(x, W_TITLE));
	put(x, "</title><link rel=\"stylesheet\" href=\"/staff/style.css\"></head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"/staff/inbox\">");
	put(x, W(x, W_TITLE));
	put(x, "</a>");
	if (x->has_session) {
		put(x, "<nav><a href=\"/staff/inbox\">");
		put(x, W(x, W_INBOX));
		put(x, "</a><a href=\"/staff/conferences\">");
		put(x, W(x, W_CONFERENCES));
		put(x, "</a><a href=\"/staff/checks\" id=\"nav-checks\">");
		put(x, W(x, W_CHECKS));
		put(x, "</a><a href=\"/staff/queue\" id=\"nav-queue\">");
		put(x, W(x, W_QUEUE));
		put(x, "</a><a href=\"/staff/ratings\" id=\"nav-ratings\">");
		put(x, W(x, W_STATS_RATINGS_N));
		put(x, "</a>");
		if (is_supervisor(x)) {
			put(x, "<a href=\"/staff/replies\" id=\"nav-replies\">");
			put(x, W(x, W_REPLIES));
			put(x, "</a><a href=\"/staff/sms\" id=\"nav-sms\">");
			put(x, W(x, W_SMS_LOG));
			put(x, "</a><a href=\"/staff/audit\">");
			put(x, W(x, W_AUDIT));
			put(x, "</a>");
		}
		put(x, "</nav>");
	}
	/* A form, not a link: a GET changes nothing (a prefetch, a crawler or
	 * another site's image cannot switch the language). */
	put(x, "<div class=\"who\"><form method=\"post\" action=\"/staff/lang\"><input type=\"hidden\" name=\"to\" value=\"");
	put(x, x->lang ? "vi" : "en");
	put(x, "\"><input type=\"hidden\" name=\"next\" value=\"");
	esc(x, x->rq->path);
	put(x, "\"><button class=\"link lang\">");
	put(x, W(x, W_OTHER_LANG));
	put(x, "</button></form>");
	if (x->has_session) {
		put(x, "<span>");
		put(x, W(x, W_SIGNED_IN));
		put(x, " <b>");
		esc(x, x->session.name);
		put(x, "</b> (");
		put(x, W(x, is_supervisor(x) ? W_SUPERVISOR : W_OFFICER));
		put(x, ")</span><form method=\"post\" action=\"/staff/logout\"><input type=\"hidden\" name=\"csrf\" value=\"");
		esc(x, x->session.csrf);
		put(x, "\"><button class=\"link\">");
		put(x, W(x, W_LOGOUT));
		put(x, "</button></form>");
	}
	put(x, "</div></header>\n<main>\n");
}

void console_foot(exchange *x)
{
	put(x, "</main>\n</body></html>\n");
}

void console_csrf_field(exchange *x)
{
	put(x, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(x, x->session.csrf);
	put(x, "\">");
}

void console_message_page(exchange *x, int status, word w)
{
	x->html.buf->len = 0;
	x->out->status = status;
	console_head(x, W(x, w));
	put(x, "<p class=\"error\" role=\"alert\">");
	put(x, W(x, w));
	put(x, "</p><p><a href=\"/staff/inbox\">");
	put(x, W(x, W_BACK_INBOX));
	put(x, "</a></p>\n");
	console_foot(x);
}

/* ---- the style sheet ---- */

static const char style_css[] =
	":root{--ink:#1b2430;--muted:#5b6675;--line:#d5dbe3;--bg:#f4f6f9;--brand:#0b4f8a;--red:#b42318;"
	"--redbg:#fdecea;--green:#146c2e;--amber:#8a5a00}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,'Noto Sans','DejaVu Sans',sans-serif;color:var(--ink);background:var(--bg)}\n"
	"a{color:var(--brand)}\n"
	".top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:var(--brand);color:#fff;flex-wrap:wrap}\n"
	".top a{color:#fff;text-decoration:none}\n"
	".brand{font-weight:700;font-size:18px}\n"
	".top nav{display:flex;gap:6px}\n"
	".top nav a{padding:8px 14px;border-radius:6px}\n"
	".top nav a:hover{background:rgba(255,255,255,.15)}\n"
	".who{margin-left:auto;display:flex;gap:16px;align-items:center}\n"
	".who form{margin:0}\n"
	"button.link{background:none;border:1px solid rgba(255,255,255,.6);color:#fff;padding:6px 12px;border-radius:6px;"
	"font:inherit;cursor:pointer;min-height:36px}\n"
	"main{max-width:1500px;margin:0 auto;padding:20px 24px 48px}\n"
	"h1{font-size:24px;margin:4px 0 16px}\nh2{font-size:19px;margin:0 0 12px}\n"
	".panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:18px}\n"
	".filters{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-end}\n"
	".filters label{display:flex;flex-direction:column;font-size:14px;color:var(--muted);gap:4px}\n"
	".filters label.check{flex-direction:row;align-items:center;gap:8px;color:var(--ink);font-size:16px;min-height:42px}\n"
	"form.stack label.check{flex-direction:row;align-items:flex-start;gap:8px;color:var(--ink);font-size:16px}\n"
	"tr.cancelled td{color:var(--muted)}\n"
	"select,input[type=text],input[type=password],input[type=date],input[type=time],input[type=search],"
	"input[type=number],textarea{font:inherit;padding:8px 10px;"
	"border:1px solid #aab4c0;border-radius:6px;background:#fff;min-height:42px}\n"
	"input[type=checkbox]{width:22px;height:22px}\n"
	"textarea{width:100%;min-height:90px;resize:vertical}\n"
	"button,.button{font:inherit;font-weight:600;background:var(--brand);color:#fff;border:0;border-radius:6px;"
	"padding:10px 20px;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}\n"
	".counts{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 16px;padding:0;list-style:none}\n"
	".counts li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}\n"
	".counts b{display:block;font-size:22px}\n"
	".counts .over{border-color:var(--red);color:var(--red)}\n"
	"table{width:100%;border-collapse:collapse;background:#fff}\n"
	"th,td{text-align:left;padding:9px 10px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-size:14px;color:var(--muted);font-weight:600;background:#eef1f5}\n"
	"tr.overdue td{background:var(--redbg)}\n"
	"tr.overdue td:first-child{box-shadow:inset 4px 0 var(--red)}\n"
	".badge{display:inline-block;font-size:13px;font-weight:700;padding:1px 8px;border-radius:10px;background:var(--red);"
	"color:#fff;margin-left:6px}\n"
	".code{font-family:'DejaVu Sans Mono',monospace;font-size:15px}\n"
	".pager{display:flex;gap:18px;align-items:center;margin-top:14px}\n"
	".grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px}\n"
	"@media (max-width:1100px){.grid{grid-template-columns:1fr}}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}\n"
	"dl.facts dt{color:var(--muted)}\ndl.facts dd{margin:0}\ndl.content dd{white-space:pre-wrap}\n"
	"ol.timeline{list-style:none;margin:0;padding:0}\n"
	"ol.timeline li{border-left:3px solid var(--brand);padding:4px 0 10px 14px;margin-left:4px}\n"
	"ol.timeline time{color:var(--muted);font-size:14px;margin-right:8px}\n"
	"ol.timeline p{margin:4px 0 0;white-space:pre-wrap}\n"
	"details{border:1px solid var(--line);border-radius:6px;margin-bottom:8px;background:#fff}\n"
	"summary{padding:10px 14px;cursor:pointer;font-weight:600;min-height:44px}\n"
	"details form{padding:4px 14px 14px;display:flex;flex-direction:column;gap:10px}\n"
	"details label,form.stack label{display:flex;flex-direction:column;gap:4px;font-size:14px;color:var(--muted)}\n"
	"form.stack{display:flex;flex-direction:column;gap:12px;max-width:560px}\n"
	".error{background:var(--redbg);border:1px solid var(--red);color:var(--red);padding:10px 14px;border-radius:6px}\n"
	".notice{background:#e8f5ec;border:1px solid var(--green);color:var(--green);padding:10px 14px;border-radius:6px}\n"
	".secret{background:#fff8e6;border:1px solid var(--amber);padding:10px 14px;border-radius:6px}\n"
	".identity{border:2px solid var(--amber)}\n"
	".login{max-width:420px;margin:60px auto}\n"
	".muted{color:var(--muted)}\n"
	"ul.claimants{margin:0;padding-left:18px}\n"
	"form.release ul.claimants{list-style:none;padding-left:0;margin:6px 0 10px}\n"
	"form.release li{margin:4px 0}form.release textarea{max-width:40em;min-height:60px;display:block;margin:4px 0 8px}\n"
	".not-chosen{color:#8a1c1c}\n"
	"td.nowrap{white-space:nowrap}\n"
	".filters label.wide{flex:1 1 340px}\n"
	".filters input[type=number]{width:110px}\n"
	".tabs{display:flex;gap:4px;margin:0 0 12px;border-bottom:2px solid var(--line)}\n"
	".tabs a{padding:8px 18px;text-decoration:none;border-radius:6px 6px 0 0;font-weight:600;margin-bottom:-2px}\n"
	".tabs a.on{background:#fff;border:2px solid var(--line);border-bottom-color:#fff;color:var(--ink)}\n"
	"#list-nav{justify-content:space-between;margin:0 0 8px}\n"
	"#next-request{font-weight:600}\n"
	"p.replies{margin:8px 14px 0;display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline}\n"
	"a.reply{background:#eef1f5;border:1px solid var(--line);border-radius:14px;padding:2px 12px;text-decoration:none}\n"
	"li.assign{border-left-color:var(--amber)!important}\n"
	"form.inline{display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap}\n"
	"form.inline label{display:flex;flex-direction:column;gap:4px;font-size:14px;color:var(--muted)}\n"
	"button.secondary{background:#fff;color:var(--red);border:1px solid var(--red)}\n";

void console_page_style(exchange *x)
{
	x->out->type = "text/css; charset=utf-8";
	put(x, style_css);
	put(x, console_print_css);
}

void console_audit(exchange *x, const char *actor, const char *action, const char *request_id, const char *detail)
{
	char err[300];
	if (srv_work_audit_add(x->db, x->now, actor, action, request_id, detail, err, sizeof err) != 0)
		log_error("audit: %s", err);
}

/* ---- communes ---- */

static int add_commune(const work_commune *c, void *arg)
{
	communes *all = arg;
	if (all->n < CONSOLE_MAX_COMMUNES) all->list[all->n++] = *c;
	return 0;
}

int console_load_communes(exchange *x, communes *all)
{
	char err[300];
	all->n = 0;
	if (srv_work_communes(x->db, add_commune, all, err, sizeof err) == 0) return 0;
	log_error("console: %s", err);
	return -1;
}

void console_commune_label(exchange *x, const communes *all, const char *code)
{
	int i;
	esc(x, code);
	for (i = 0; i < all->n; i++) {
		if (strcmp(all->list[i].code, code) == 0 && all->list[i].name[0]) {
			put(x, " · ");
			esc(x, all->list[i].name);
			return;
		}
	}
}

void console_commune_select(exchange *x, const communes *all, const char *name, const char *selected, word any)
{
	int i;
	put(x, "<select name=\"");
	put(x, name);
	put(x, "\" id=\"");
	put(x, name);
	put(x, "\">");
	if (any != W_COUNT) {
		put(x, "<option value=\"\">");
		put(x, W(x, any));
		put(x, "</option>");
	}
	for (i = 0; i < all->n; i++) {
		put(x, "<option value=\"");
		esc(x, all->list[i].code);
		put(x, strcmp(all->list[i].code, selected) == 0 ? "\" selected>" : "\">");
		console_commune_label(x, all, all->list[i].code);
		put(x, "</option>");
	}
	put(x, "</select>");
}


void console_option(exchange *x, const char *value, const char *label, const char *selected)
{
	put(x, "<option value=\"");
	esc(x, value);
	put(x, strcmp(value, selected) == 0 ? "\" selected>" : "\">");
	esc(x, label);
	put(x, "</option>");
}

/* The inbox's link to another page with the same filters. */

void console_put_trust(exchange *x, int trust, const char *note)
{
	static const struct { int flag; word w; } reasons[] = {
		{ SRV_DB_TRUST_CLOCK, W_TRUST_CLOCK },
		{ SRV_DB_TRUST_RECEIVED, W_TRUST_RECEIVED },
		{ SRV_DB_TRUST_DEADLINE, W_TRUST_DEADLINE },
	};
	size_t i;
	int n = 0;
	for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		if (!(trust & reasons[i].flag)) continue;
		if (n++) put(x, "; ");
		put(x, W(x, reasons[i].w));
	}
	if (note && note[0]) {
		put(x, " <small class=\"note\" lang=\"en\">(");
		esc(x, note);
		put(x, ")</small>");
	}
}
