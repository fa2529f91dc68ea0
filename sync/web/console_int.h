/* console_int: what the console's files share (console.h is the public
 * entry; this header is for sync/web/console*.c only).
 *
 * The console is split by route group: console.c routes a request and
 * checks its session and form; console_frame.c has the frame of every
 * page (head, foot, messages, redirects, the style sheet, dates, names and
 * the communes' pickers); console_login.c the login, logout and language;
 * console_inbox.c the inbox; console_request.c one request with its
 * content, identity and actions; console_conf.c the dialogue conferences;
 * console_audit.c the audit log; console_checks.c the requests whose
 * dates or code staff must check by hand; console_desk.c the list's state
 * carried on links, back and next, assignment and the timeline;
 * console_replies.c the canned replies. A page function takes the exchange, one
 * request and its answer, and writes into its html writer. Words are the
 * translation files' (words.h), through W(). */
#ifndef MOTCUA_CONSOLE_INT_H
#define MOTCUA_CONSOLE_INT_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>
#include "console.h"
#include "html.h"
#include "srv_work.h"
#include "words.h"

#define CONSOLE_MAX_COMMUNES 256
#define CONSOLE_TEXT_HTML "text/html; charset=utf-8"

/* ---- one exchange ---- */

typedef struct {
	const console_ctx *c;
	srv_db *db;
	const console_request *rq;
	console_response *out;
	html_writer html;            /* the page; failed: out of memory while writing */
	long long now;
	int lang;                    /* LANG_VI or LANG_EN */
	int has_session;
	srv_auth_session session;
	const char *rest;            /* the path after a prefix route */
	const char *view;            /* the inbox's view once decided (console_list_view) */
} exchange;

/* A word in the exchange's language. */
#define W(x, w) words_text((lang)(x)->lang, (w))

/* Short names: a page is hundreds of these calls. */
static inline void put_n(exchange *x, const char *s, size_t n)
{
	html_put_n(&x->html, s, n);
}

static inline void put(exchange *x, const char *s)
{
	html_put(&x->html, s);
}

/* Text from data or a form. */
static inline void esc(exchange *x, const char *s)
{
	html_escape(&x->html, s);
}

/* A query argument or a form field, "" when absent. */
static inline const char *arg(exchange *x, const char *name)
{
	const char *v = x->rq->query ? x->rq->query(x->rq->query_cls, name) : NULL;
	return v ? v : "";
}

static inline const char *field(exchange *x, const char *name)
{
	const char *v = x->rq->form ? console_form_get(x->rq->form, name) : NULL;
	return v ? v : "";
}

static inline int is_supervisor(const exchange *x)
{
	return x->has_session && strcmp(x->session.role, "supervisor") == 0;
}

/* ---- the frame (console_frame.c) ---- */

/* A value inside a URL's query, percent-encoded. */
void console_put_url(exchange *x, const char *s);

/* A Unix time as "dd/mm/yyyy HH:MM" in Vietnam time ("–" for none), a
 * "YYYY-MM-DD" as "dd/mm/yyyy" ("–" for anything else), and a date and
 * "HH:MM" typed in Vietnam time as Unix seconds (-1 when malformed). */
void console_format_local(long long t, char out[20]);
void console_format_day(const char *iso, char out[11]);
/* A deadline as lists and pages show it (buf, or the words for a dialogue
 * question that has none: its conference cancelled, none other announced). */
const char *console_due_text(const exchange *x, const char *category, const char *iso, char buf[11]);
/* What the server changed of a request's dates (SRV_DB_TRUST_* flags), in
 * the page's words, then the store's note as the detail, in the language
 * the server wrote it in. */
void console_put_trust(exchange *x, int trust, const char *note);
long long console_parse_local(const char *date, const char *hm);

/* What officials call a status, a category and a procedure (the id when
 * there is no name). */
const char *console_status_label(const exchange *x, const char *status);
const char *console_category_name(const exchange *x, const char *id);
const char *console_procedure_name(const exchange *x, const char *id);

void console_set_cookie(exchange *x, const char *name, const char *value, const char *extra);
/* 303 to location, the page replaced by a link to it. */
void console_redirect(exchange *x, const char *location);
/* 1 when the login may return to next: our own pages only. */
int console_safe_next(const char *next);

void console_head(exchange *x, const char *title);
void console_foot(exchange *x);
void console_csrf_field(exchange *x);
/* A whole page saying w, with status. */
void console_message_page(exchange *x, int status, word w);
void console_page_style(exchange *x);
void console_option(exchange *x, const char *value, const char *label, const char *selected);
/* Writes an audit line; a failure is logged, not shown. */
void console_audit(exchange *x, const char *actor, const char *action, const char *request_id, const char *detail);

typedef struct {
	work_commune list[CONSOLE_MAX_COMMUNES];
	int n;
} communes;

/* 0, or -1 (logged) when the database fails. */
int console_load_communes(exchange *x, communes *all);
/* "27280 · Xã An Bình" */
void console_commune_label(exchange *x, const communes *all, const char *code);
/* A <select> of the communes, with an "any" option first unless any is W_COUNT. */
void console_commune_select(exchange *x, const communes *all, const char *name, const char *selected, word any);

/* ---- sealed forms (console_sealed.c) ---- */

/* A request's sealed form opened in memory, its clear text wiped: the
 * form's JSON object, or NULL when it does not open. Free it with
 * console_sealed_free, which wipes every text in it first. */
json_t *console_sealed_open(const console_ctx *c, const unsigned char *sealed, size_t len);
void console_sealed_free(json_t *o);

/* ---- the pages, by route group ---- */

void console_page_queue(exchange *x);            /* console_queue.c */
void console_page_ratings(exchange *x);          /* console_ratings.c */
void console_export_ratings(exchange *x);
void console_page_login(exchange *x);            /* console_login.c */
void console_do_login(exchange *x);
void console_do_logout(exchange *x);
void console_do_lang(exchange *x);
void console_go_inbox(exchange *x);
void console_page_inbox(exchange *x);            /* console_inbox.c */
void console_show_request(exchange *x);          /* console_request.c */
void console_post_request(exchange *x);
void console_page_conferences(exchange *x);      /* console_conf.c */
void console_page_conference(exchange *x);
void console_do_conference_save(exchange *x);
void console_do_conference_cancel(exchange *x);
void console_page_audit(exchange *x);            /* console_audit.c */
void console_page_checks(exchange *x);           /* console_checks.c */
void console_page_replies(exchange *x);          /* console_replies.c */
void console_do_reply_save(exchange *x);
void console_page_export(exchange *x);           /* console_export.c */
void console_do_export(exchange *x);
/* The papers a request has to print, as links; one paper (the query's
 * paper); the papers' print style sheet. */
void console_print_links(exchange *x, const work_item *it);   /* console_print.c */
void console_print_paper(exchange *x, const work_item *it);
extern const char console_print_css[];
/* The messages a request called for (nothing when none); the whole log. */
void console_sms_block(exchange *x, const work_item *it);      /* console_sms.c */
void console_page_sms(exchange *x);
/* The inbox's download links (and a supervisor's export with identities). */
void console_export_links(exchange *x);

/* ---- an official's desk (console_desk.c, console_replies.c) ---- */

#define CONSOLE_INBOX_PAGE 50
#define CONSOLE_QUERY_MAX 200        /* bytes of a query value carried on links */

/* The list an official is in, from the query (q, commune, category,
 * status, overdue, view, sort, within): f (and find, when a search is
 * typed) set for srv_work_inbox. 1 when it is a search. */
int console_list_filter(exchange *x, work_filter *f, work_find *find);
/* "mine", "unassigned" or "all": as asked; else, for an officer with open
 * requests assigned to them, mine, and all for everyone else. */
const char *console_list_view(exchange *x);
/* What was typed in the search box, cut to CONSOLE_QUERY_MAX bytes, "" when
 * not valid UTF-8. */
const char *console_list_query(exchange *x, char out[CONSOLE_QUERY_MAX + 1]);
/* The list's state for a link: "k=v&amp;..." (console_list_args), or
 * "?k=v&amp;...&amp;i=N" with the position, nothing when there is none
 * (console_list_suffix). */
void console_list_args(exchange *x);
void console_list_suffix(exchange *x);
/* The request's position in its list (the query's i), 0 when not given. */
int console_list_index(exchange *x);
/* Back to the list and to the next request in it. */
void console_desk_nav(exchange *x, const work_item *it);
/* The request's officer, and the supervisor's form to change it. */
void console_desk_assign(exchange *x, const work_item *it, const char *error);
/* POST .../assign: 0 redirected, 1 refused (err), -1 failed. */
int console_do_assign(exchange *x, const work_item *it, char *err, size_t errlen);
/* The request's page again in its list, with done=1 (a 303). */
void console_desk_done(exchange *x, const char *id);
/* The events and the assignments, oldest first. */
void console_desk_timeline(exchange *x, const work_item *it);
/* The legal clock's steps: the signed letter, the limits to accept, to
 * tell the filer and to forward, a suspension, the extensions left
 * (console_clock.c); nothing for a request whose clock has none. */
void console_clock_block(exchange *x, const work_item *it);
/* The action most likely next among those allowed, -1 none. */
int console_desk_likely(const work_item *it, unsigned allowed);
/* The canned replies of the request's category, read once for the page
 * (each action's form lists its own: one query, not one per form); none
 * when the database failed (logged). Freed with console_replies_free. */
typedef struct {
	long long id;
	char action[16];
	char title[WORK_REPLY_TITLE];
} console_reply_link;
typedef struct {
	console_reply_link *v;
	int n, cap;
} console_reply_list;
void console_replies_read(exchange *x, const work_item *it, console_reply_list *out);
void console_replies_free(console_reply_list *l);
/* Those of an action, as links that fill its form; the one the query's
 * reply names (1, in out). */
void console_replies_links(exchange *x, const work_item *it, const console_reply_list *l, const char *action);
int console_replies_pick(exchange *x, const work_item *it, work_reply *out);
void console_do_release_code(exchange *x);
/* One row of an audit table, for srv_work_audit_list; arg is the exchange. */
int console_audit_row(const work_audit *a, void *arg);

#endif
