/* console_desk: what makes an official's day short (see console_int.h):
 * the list's state (search, filters, view, order) read from the query and
 * carried on every link, so "back" and "next request" return to the same
 * list; the assignment of a request to an officer; the timeline with the
 * assignments in it; which action is most likely next; and the canned
 * replies (GET and POST /staff/replies, supervisors). */
#include "console_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "srv_find.h"
#include "status.h"
#include "utf8.h"

/* ---- the list's state ---- */

/* The query's keys that say which list an official is in. */
static const char *const list_keys[] = { "q", "commune", "category", "status", "overdue", "view", "sort", "within" };
#define NLIST_KEYS (sizeof list_keys / sizeof list_keys[0])

/* A query value as it may go back into a link or a field: valid UTF-8,
 * at most CONSOLE_QUERY_MAX bytes (cut at a character), else "". */
static const char *list_value(exchange *x, const char *key, char *buf, size_t buflen)
{
	const char *v = arg(x, key);
	size_t n = strlen(v);
	if (n > CONSOLE_QUERY_MAX) n = utf8_last_start(v, CONSOLE_QUERY_MAX + 1);
	if (n >= buflen) n = buflen - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (!utf8_valid(buf, n)) buf[0] = '\0';
	return buf;
}

const char *console_list_query(exchange *x, char out[CONSOLE_QUERY_MAX + 1])
{
	return list_value(x, "q", out, CONSOLE_QUERY_MAX + 1);
}

/* The list's state as a URL query ("q=...&view=mine"), percent-encoded;
 * "" when it would not fit in cap. */
static void list_query(exchange *x, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[CONSOLE_QUERY_MAX + 1];
	size_t i, n = 0;
	const char *v;
	out[0] = '\0';
	for (i = 0; i < NLIST_KEYS; i++) {
		if (!(v = list_value(x, list_keys[i], buf, sizeof buf))[0]) continue;
		if (n + strlen(list_keys[i]) + 2 + 3 * strlen(v) >= cap) {
			out[0] = '\0';
			return;
		}
		n += (size_t)sprintf(out + n, "%s%s=", n ? "&" : "", list_keys[i]);
		for (; *v; v++) {
			unsigned char ch = (unsigned char)*v;
			if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			    ch == '-' || ch == '_' || ch == '.' || ch == '~') {
				out[n++] = (char)ch;
			} else {
				out[n++] = '%';
				out[n++] = hex[ch >> 4];
				out[n++] = hex[ch & 15];
			}
		}
		out[n] = '\0';
	}
}

void console_list_args(exchange *x)
{
	char q[NLIST_KEYS * (3 * CONSOLE_QUERY_MAX + 16)];
	list_query(x, q, sizeof q);
	esc(x, q);
}

void console_list_suffix(exchange *x)
{
	char q[NLIST_KEYS * (3 * CONSOLE_QUERY_MAX + 16)];
	list_query(x, q, sizeof q);
	if (!q[0] && !arg(x, "i")[0]) return;
	put(x, "?");
	esc(x, q);
	if (arg(x, "i")[0]) html_putf(&x->html, "%si=%d", q[0] ? "&amp;" : "", console_list_index(x));
}

int console_list_index(exchange *x)
{
	long i = strtol(arg(x, "i"), NULL, 10);
	return i >= 0 && i < 50000000 ? (int)i : 0;
}

static int count_one(const work_item *it, void *arg)
{
	(void)it;
	++*(int *)arg;
	return 1;
}

const char *console_list_view(exchange *x)
{
	const char *v = arg(x, "view");
	work_filter f;
	char err[300];
	int mine = 0;
	if (strcmp(v, "all") == 0 || strcmp(v, "unassigned") == 0 || strcmp(v, "mine") == 0) return v;
	if (x->view) return x->view;
	/* An officer's own requests come first, when there are any. */
	x->view = "all";
	if (!is_supervisor(x)) {
		memset(&f, 0, sizeof f);
		f.status = "open";
		f.assignee = x->session.name;
		f.officer = x->session.name;
		f.limit = 1;
		if (srv_work_inbox(x->db, &f, x->now, count_one, &mine, NULL, err, sizeof err) != 0) log_error("inbox: %s", err);
		if (mine) x->view = "mine";
	}
	return x->view;
}

int console_list_filter(exchange *x, work_filter *f, work_find *find)
{
	const char *view = console_list_view(x), *status = arg(x, "status");
	unsigned char key[SRV_FIND_KEY_BYTES];
	char q[CONSOLE_QUERY_MAX + 1];
	long within = strtol(arg(x, "within"), NULL, 10);
	memset(f, 0, sizeof *f);
	f->commune = arg(x, "commune");
	f->category = arg(x, "category");
	f->status = status;
	f->overdue_only = strcmp(arg(x, "overdue"), "1") == 0;
	f->officer = is_supervisor(x) ? "" : x->session.name;
	f->assignee = strcmp(view, "mine") == 0 ? x->session.name : "";
	f->unassigned = strcmp(view, "unassigned") == 0;
	f->due_within = within > 0 && within <= 365 ? (int)within : 0;
	f->sort = srv_work_sort_parse(arg(x, "sort"));
	/* What was typed, whatever it is: a search that finds nothing is a
	 * page that says so. */
	if (x->c->keys && console_list_query(x, q)[0]) {
		srv_find_key(x->c->keys, key);
		if (srv_find_terms(key, arg(x, "q"), find) == 0) f->find = find;
		sodium_memzero(key, sizeof key);
		if (!f->find) {
			/* Nothing to look for (punctuation only): an empty list, not all. */
			memset(find, 0, sizeof *find);
			snprintf(find->dossier, sizeof find->dossier, "%s", "\x01");
			f->find = find;
		}
	}
	return f->find != NULL;
}

/* ---- back and next ---- */

typedef struct {
	work_item items[2];
	int n;
} two_items;

static int keep_two(const work_item *it, void *arg)
{
	two_items *t = arg;
	if (t->n < 2) t->items[t->n++] = *it;
	return t->n == 2;
}

void console_desk_nav(exchange *x, const work_item *it)
{
	work_filter f;
	work_find find;
	two_items t;
	char err[300];
	int i = console_list_index(x), has_index = arg(x, "i")[0] != '\0', next = -1;
	put(x, "<nav class=\"pager\" id=\"list-nav\"><a id=\"back\" href=\"/staff/inbox?");
	console_list_args(x);
	if (has_index) html_putf(&x->html, "&amp;page=%d", i / CONSOLE_INBOX_PAGE + 1);
	put(x, "\">");
	put(x, W(x, W_BACK_INBOX));
	put(x, "</a>");
	if (has_index) {
		/* The request at its place in the list, and the one after; when
		 * an action took it out of the list, the one now at its place. */
		console_list_filter(x, &f, &find);
		f.offset = i;
		f.limit = 2;
		memset(&t, 0, sizeof t);
		if (srv_work_inbox(x->db, &f, x->now, keep_two, &t, NULL, err, sizeof err) != 0) log_error("next: %s", err);
		else if (t.n >= 1 && strcmp(t.items[0].id, it->id) != 0) next = 0;
		else if (t.n == 2) next = 1;
	}
	if (next >= 0) {
		put(x, "<a id=\"next-request\" href=\"/staff/r/");
		console_put_url(x, t.items[next].id);
		put(x, "?");
		console_list_args(x);
		html_putf(&x->html, "&amp;i=%d\">", i + next);
		put(x, W(x, W_NEXT_REQUEST));
		put(x, "</a>");
	}
	put(x, "</nav>\n");
}

/* ---- assignment ---- */

typedef struct {
	exchange *x;
	const work_item *it;
} officer_list;

static int officer_option(const srv_auth_user *u, void *arg)
{
	officer_list *o = arg;
	if (u->disabled || strcmp(u->role, "officer") != 0) return 0;
	if (srv_work_may_see(o->x->db, u->name, "officer", o->it->commune) != 1) return 0;
	console_option(o->x, u->name, u->name, o->it->assignee);
	return 0;
}

void console_desk_assign(exchange *x, const work_item *it, const char *error)
{
	officer_list o = { x, it };
	char err[300];
	put(x, "<section class=\"panel\" id=\"assignment\"><h2>");
	put(x, W(x, W_ASSIGNEE));
	put(x, "</h2><p id=\"assignee\">");
	if (it->assignee[0]) esc(x, it->assignee);
	else {
		put(x, "<span class=\"muted\">");
		put(x, W(x, W_NOBODY));
		put(x, "</span>");
	}
	put(x, "</p>");
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	if (is_supervisor(x) && !it->closed_at && !status_is_final(it->status)) {
		put(x, "<form class=\"inline\" method=\"post\" action=\"/staff/r/");
		console_put_url(x, it->id);
		put(x, "/assign");
		console_list_suffix(x);
		put(x, "\">");
		console_csrf_field(x);
		put(x, "<label>");
		put(x, W(x, W_ASSIGN_TO));
		put(x, "<select name=\"officer\" id=\"officer\">");
		console_option(x, "", W(x, W_NOBODY), it->assignee);
		if (srv_auth_users(x->db, officer_option, &o, err, sizeof err) != 0) log_error("assign: %s", err);
		put(x, "</select></label><button type=\"submit\" id=\"assign\">");
		put(x, W(x, W_ASSIGN));
		put(x, "</button></form>");
	}
	put(x, "</section>\n");
}

/* The request's page again, in the list it was opened from, with done=1. */
void console_desk_done(exchange *x, const char *id)
{
	char q[900], location[1024];
	list_query(x, q, sizeof q);
	if (arg(x, "i")[0])
		snprintf(location, sizeof location, "/staff/r/%s?done=1&i=%d%s%s", id, console_list_index(x), q[0] ? "&" : "", q);
	else
		snprintf(location, sizeof location, "/staff/r/%s?done=1%s%s", id, q[0] ? "&" : "", q);
	console_redirect(x, location);
}

int console_do_assign(exchange *x, const work_item *it, char *err, size_t errlen)
{
	int rc;
	if (!is_supervisor(x)) {
		snprintf(err, errlen, "%s", W(x, W_FORBIDDEN));
		return 1;
	}
	rc = srv_work_assign(x->db, it->id, field(x, "officer"), x->session.name, x->now, err, errlen);
	if (rc < 0) log_error("assign: %s", err);
	if (rc == 0) console_desk_done(x, it->id);
	return rc;
}

/* ---- the timeline, with the assignments ---- */

typedef struct {
	long long at;
	int assign;                  /* an audit row: who it went to */
	char status[16];
	char deadline[11];
	char *note;                  /* the event's note, or the assignment's words; malloc'd */
} moment;

typedef struct {
	moment *m;
	size_t n, cap;
	int failed;
} moments;

static moment *add_moment(moments *ms)
{
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 16;
		moment *m = realloc(ms->m, cap * sizeof *m);
		if (!m) {
			ms->failed = 1;
			return NULL;
		}
		ms->m = m;
		ms->cap = cap;
	}
	memset(&ms->m[ms->n], 0, sizeof ms->m[0]);
	return &ms->m[ms->n++];
}

static int event_moment(const proto_event *e, void *arg)
{
	moment *m = add_moment(arg);
	if (!m) return 0;
	m->at = e->at;
	snprintf(m->status, sizeof m->status, "%s", e->status);
	snprintf(m->deadline, sizeof m->deadline, "%s", e->deadline);
	m->note = strdup(e->note);
	return 0;
}

static int assign_moment(const work_audit *a, void *arg)
{
	moment *m = add_moment(arg);
	if (!m) return 0;
	m->at = a->at;
	m->assign = 1;
	m->note = strdup(a->detail);
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const moment *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

void console_desk_timeline(exchange *x, const work_item *it)
{
	moments ms = { NULL, 0, 0, 0 };
	work_audit_query q;
	long long next;
	char at[20], day[11], err[300];
	size_t i;
	memset(&q, 0, sizeof q);
	q.request_id = it->id;
	q.action = "assign";
	q.limit = WORK_AUDIT_PAGE_MAX;
	if (srv_db_request_events(x->db, it->id, event_moment, &ms) != 0)
		log_error("console: the events of a request could not be read");
	if (srv_work_audit_page(x->db, &q, assign_moment, &ms, &next, err, sizeof err) != 0) log_error("console: %s", err);
	/* qsort is not stable: events and assignments of the same second keep
	 * no order between them, which is all a second can say. */
	if (ms.n) qsort(ms.m, ms.n, sizeof ms.m[0], by_time);
	put(x, "<section class=\"panel\"><h2>");
	put(x, W(x, W_TIMELINE));
	put(x, "</h2><ol class=\"timeline\" id=\"timeline\">\n");
	for (i = 0; i < ms.n; i++) {
		moment *m = &ms.m[i];
		console_format_local(m->at, at);
		put(x, m->assign ? "<li class=\"assign\"><time>" : "<li><time>");
		put(x, at);
		put(x, "</time><b>");
		if (m->assign) put(x, W(x, W_ASSIGNED));
		else esc(x, console_status_label(x, m->status));
		put(x, "</b>");
		if (m->deadline[0]) {
			console_format_day(m->deadline, day);
			put(x, " · ");
			put(x, W(x, W_DEADLINE));
			put(x, " ");
			put(x, day);
		}
		if (m->assign && m->note) {
			/* The audit's "from -> to", said as who it went to. */
			const char *to = strstr(m->note, "-> ");
			to = to ? to + 3 : "";
			put(x, "<p>");
			put(x, W(x, W_ASSIGN_TO));
			put(x, " ");
			if (strcmp(to, "-") == 0 || !to[0]) put(x, W(x, W_NOBODY));
			else esc(x, to);
			put(x, "</p>");
		} else if (m->note && m->note[0]) {
			put(x, "<p>");
			esc(x, m->note);
			put(x, "</p>");
		}
		put(x, "</li>\n");
		free(m->note);
	}
	free(ms.m);
	put(x, "</ol></section>\n");
}

/* ---- the most likely action ---- */

int console_desk_likely(const work_item *it, unsigned allowed)
{
	static const struct { const char *status; work_action a; } next[] = {
		{ "received", WORK_ACCEPT }, { "synced", WORK_ACCEPT }, { "accepted", WORK_RESOLVE },
		{ "in_progress", WORK_RESOLVE }, { "supplement", WORK_PROGRESS },
	};
	size_t i;
	/* Late first: the law wants the apology before anything else. */
	if (it->overdue && (allowed & (1u << WORK_RESCHEDULE))) return WORK_RESCHEDULE;
	for (i = 0; i < sizeof next / sizeof next[0]; i++) {
		if (strcmp(next[i].status, it->status) != 0) continue;
		if (allowed & (1u << next[i].a)) return (int)next[i].a;
		/* Categories without an acceptance go straight to the work. */
		if (next[i].a == WORK_ACCEPT && (allowed & (1u << WORK_PROGRESS))) return WORK_PROGRESS;
	}
	return -1;
}
