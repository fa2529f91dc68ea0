/* console_inbox: the inbox, GET /staff/inbox (see console_int.h): the
 * filters (commune, category, status, overdue), the counts the same query
 * gives, one row a request with its deadline first, and the pages. */
#include "console_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "status.h"
#include "token.h"

#define INBOX_PAGE CONSOLE_INBOX_PAGE

/* ---- the inbox ---- */

/* What a row says a request is about: a procedure's name, else the
 * subject the citizen wrote (or their details), opened from the sealed
 * form, to its first line and at most SUBJECT_SHOWN bytes. A denunciation's is read only on
 * its own page, whose opening is audited: the list names whom it accuses
 * to every official of the commune, some of whom it may accuse. */
#define SUBJECT_SHOWN 120

typedef struct {
	exchange *x;
	const communes *all;
	int rows;
	int offset;                  /* the first row's place in the list */
	int one_commune;             /* filtered to one: no commune column */
	work_item *items;            /* the page's requests, held until their subjects are read */
	int n, cap, failed;
	char (*subjects)[SUBJECT_SHOWN + 4];
} inbox_rows;

static int inbox_item(const work_item *it, void *arg)
{
	inbox_rows *r = arg;
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : INBOX_PAGE;
		work_item *items = realloc(r->items, (size_t)cap * sizeof *items);
		if (!items) {
			r->failed = 1;
			return 1;
		}
		r->items = items;
		r->cap = cap;
	}
	r->items[r->n++] = *it;
	return 0;
}

/* The first line of s, cut to SUBJECT_SHOWN bytes between two characters,
 * with "…" when cut. */
static void subject_copy(char out[SUBJECT_SHOWN + 4], const char *s)
{
	size_t n = strcspn(s, "\r\n"), cut = n > SUBJECT_SHOWN ? SUBJECT_SHOWN : n;
	while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
	memcpy(out, s, cut);
	strcpy(out + cut, cut < n ? "\xE2\x80\xA6" : "");
}

/* One read's ids: at[i] is the page's row of ids[i]. */
typedef struct {
	inbox_rows *r;
	const int *at;
} subject_read;

static int subject_each(int i, const unsigned char *sealed, size_t len, void *arg)
{
	subject_read *sr = arg;
	json_t *o = console_sealed_open(sr->r->x->c, sealed, len);
	const char *subject = json_string_value(json_object_get(o, "subject"));
	/* A form without a subject (optional in some categories) is told by
	 * the first line of its details. */
	if (!subject || !subject[0]) subject = json_string_value(json_object_get(o, "details"));
	if (subject) subject_copy(sr->r->subjects[sr->at[i]], subject);
	console_sealed_free(o);
	return 0;
}

static int shows_subject(const work_item *it)
{
	return !it->procedure[0] && strcmp(it->category, "denunciation") != 0;
}

/* The subjects of the page's requests that show one, SRV_DB_SEALED_MAX
 * at a read; "" where a form does not open or has none. */
static void read_subjects(inbox_rows *r)
{
	const char *ids[SRV_DB_SEALED_MAX];
	int at[SRV_DB_SEALED_MAX], i = 0, n;
	subject_read sr = { r, at };
	if (!(r->subjects = calloc((size_t)(r->n ? r->n : 1), sizeof *r->subjects))) {
		r->failed = 1;
		return;
	}
	while (i < r->n) {
		for (n = 0; i < r->n && n < SRV_DB_SEALED_MAX; i++)
			if (shows_subject(&r->items[i])) {
				at[n] = i;
				ids[n++] = r->items[i].id;
			}
		if (n && srv_db_sealed_each(r->x->db, ids, n, subject_each, &sr) != 0)
			log_error("inbox: the subjects could not be read");
	}
}

static void inbox_row(inbox_rows *r, const work_item *it, const char *subject)
{
	exchange *x = r->x;
	char day[11], received[20], grouped[TOKEN_GROUPED_LEN + 1];
	r->rows++;

	console_format_local(it->received_at, received);
	token_group(it->token, grouped);
	put(x, it->overdue ? "<tr class=\"overdue\"><td>" : "<tr><td>");
	put(x, console_due_text(x, it->category, it->due, day));
	if (it->overdue) {
		put(x, "<span class=\"badge\">");
		put(x, W(x, W_OVERDUE));
		put(x, "</span>");
	}
	put(x, "</td><td><a class=\"code\" href=\"/staff/r/");
	console_put_url(x, it->id);
	put(x, "?");
	console_list_args(x);
	html_putf(&x->html, "%si=%d\">", x->html.buf->data[x->html.buf->len - 1] == '?' ? "" : "&amp;",
		r->offset + r->rows - 1);
	esc(x, grouped);
	put(x, "</a>");
	if (it->dossier[0]) {
		put(x, "<br><small class=\"muted\">");
		esc(x, it->dossier);
		put(x, "</small>");
	}
	put(x, "</td><td>");
	esc(x, console_category_name(x, it->category));
	put(x, "</td><td class=\"subject\">");
	if (it->procedure[0]) {
		esc(x, console_procedure_name(x, it->procedure));
	} else if (strcmp(it->category, "denunciation") == 0) {
		put(x, "<span class=\"muted\">");
		put(x, W(x, W_CONTENT_ON_PAGE));
		put(x, "</span>");
	} else if (subject[0]) {
		esc(x, subject);
	} else {
		put(x, "<span class=\"muted\">–</span>");
	}
	if (!r->one_commune) {
		put(x, "</td><td>");
		console_commune_label(x, r->all, it->commune);
	}
	put(x, "</td><td>");
	if (it->assignee[0]) esc(x, it->assignee);
	else put(x, "<span class=\"muted\">–</span>");
	put(x, "</td><td>");
	esc(x, console_status_label(x, it->status));
	put(x, "</td><td>");
	put(x, received);
	put(x, "</td></tr>\n");
}

static void inbox_link(exchange *x, int page)
{
	put(x, "/staff/inbox?page=");
	html_putf(&x->html, "%d&amp;", page);
	console_list_args(x);
}

/* The views an official switches between, as links keeping the rest. */
static void view_tabs(exchange *x, const char *view)
{
	static const struct { const char *name; word w; } views[] = {
		{ "mine", W_VIEW_MINE }, { "unassigned", W_VIEW_UNASSIGNED }, { "all", W_VIEW_ALL },
	};
	size_t i;
	put(x, "<nav class=\"tabs\" id=\"views\">");
	for (i = 0; i < sizeof views / sizeof views[0]; i++) {
		int on = strcmp(view, views[i].name) == 0;
		put(x, "<a id=\"view-");
		put(x, views[i].name);
		put(x, on ? "\" class=\"on\" aria-current=\"page\" href=\"/staff/inbox?view=" : "\" href=\"/staff/inbox?view=");
		put(x, views[i].name);
		put(x, "\">");
		put(x, W(x, views[i].w));
		put(x, "</a>");
	}
	put(x, "</nav>\n");
}

/* A code or a request id typed in the search box opens that request. */
static int open_typed(exchange *x, const char *q)
{
	work_item it;
	char location[200];
	if (!q[0] || strlen(q) > 64 || srv_work_get(x->db, q, x->now, &it) != 1) return 0;
	if (srv_work_may_see(x->db, x->session.name, x->session.role, it.commune) != 1) return 0;
	snprintf(location, sizeof location, "/staff/r/%s", it.id);
	console_redirect(x, location);
	return 1;
}

static int count_commune(const char *commune, void *arg)
{
	(void)commune;
	++*(int *)arg;
	return 0;
}

/* An officer works the communes assigned to them; one with none is told
 * so, rather than shown an inbox that only looks empty. 1 none, 0 some,
 * -1 the database failed. */
static int officer_without_communes(exchange *x, int *count)
{
	char err[300];
	int n = 0;
	if (is_supervisor(x)) return 0;
	if (srv_work_scope_list(x->db, x->session.name, count_commune, &n, err, sizeof err) != 0) {
		log_error("inbox: %s", err);
		return -1;
	}
	*count = n;
	return n == 0;
}

/* A count in bold; past the cap "1000+": the store counts no further
 * (work_counts). */
static void count(exchange *x, const char *id, long long n, long long cap)
{
	if (cap && n > cap) html_putf(&x->html, "<b id=\"%s\" title=\"&gt; %lld\">%lld+</b>", id, cap, cap);
	else html_putf(&x->html, "<b id=\"%s\">%lld</b>", id, n);
}

void console_page_inbox(exchange *x)
{
	communes *cs = malloc(sizeof *cs);   /* too big for a pool thread's stack */
	work_filter f;
	work_find find;
	work_counts counts;
	inbox_rows rows;
	char err[300], q[CONSOLE_QUERY_MAX + 1], within[8];
	const char *status = arg(x, "status"), *view = console_list_view(x);
	int scope = 0;                       /* an officer's communes */
	long asked = strtol(arg(x, "page"), NULL, 10);   /* clamped: (page - 1) * INBOX_PAGE must fit */
	int page = asked >= 1 && asked <= 1000000 ? (int)asked : 1, pages, more, i;
	if (!cs) {
		x->html.failed = 1;
		return;
	}
	console_list_filter(x, &f, &find);
	f.offset = (page - 1) * INBOX_PAGE;
	f.limit = INBOX_PAGE;
	console_list_query(x, q);
	if (open_typed(x, q)) {
		free(cs);
		return;
	}
	memset(&counts, 0, sizeof counts);
	if (console_load_communes(x, cs) != 0) {
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	switch (officer_without_communes(x, &scope)) {
	case 0:
		break;
	case 1:
		free(cs);
		console_head(x, W(x, W_INBOX));
		put(x, "<h1>");
		put(x, W(x, W_INBOX));
		put(x, "</h1>\n<p class=\"secret\" role=\"status\" id=\"no-communes\">");
		put(x, W(x, W_NO_COMMUNES));
		put(x, "</p>\n");
		console_foot(x);
		return;
	default:
		free(cs);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	console_head(x, W(x, W_INBOX));
	put(x, "<h1>");
	put(x, W(x, W_INBOX));
	put(x, "</h1>\n");
	view_tabs(x, view);
	put(x, "<form class=\"panel filters\" method=\"get\" action=\"/staff/inbox\" role=\"search\">");
	put(x, "<input type=\"hidden\" name=\"view\" value=\"");
	put(x, view);
	put(x, "\"><label class=\"wide\">");
	put(x, W(x, W_SEARCH));
	put(x, "<input type=\"search\" name=\"q\" id=\"q\" maxlength=\"200\" placeholder=\"");
	put(x, W(x, W_SEARCH_HINT));
	put(x, "\" value=\"");
	esc(x, q);
	put(x, "\"></label><label>");
	put(x, W(x, W_COMMUNE));
	console_commune_select(x, cs, "commune", f.commune, W_ANY);
	put(x, "</label><label>");
	put(x, W(x, W_CATEGORY));
	put(x, "<select name=\"category\" id=\"category\">");
	console_option(x, "", W(x, W_ANY), f.category);
	for (i = 0; x->c->cat && i < x->c->cat->ncategories; i++)
		console_option(x, x->c->cat->categories[i].id, x->c->cat->categories[i].name[x->lang], f.category);
	put(x, "</select></label><label>");
	put(x, W(x, W_STATUS));
	put(x, "<select name=\"status\" id=\"status\">");
	console_option(x, "", W(x, W_ANY), status);
	console_option(x, "open", W(x, W_OPEN), status);
	for (i = 0; status_names[i]; i++)
		console_option(x, status_names[i], console_status_label(x, status_names[i]), status);
	put(x, "</select></label><label class=\"check\"><input type=\"checkbox\" name=\"overdue\" id=\"overdue\" value=\"1\"");
	put(x, f.overdue_only ? " checked>" : ">");
	put(x, W(x, W_OVERDUE_ONLY));
	put(x, "</label><label>");
	put(x, W(x, W_DUE_WITHIN));
	snprintf(within, sizeof within, "%d", f.due_within);
	put(x, "<input type=\"number\" name=\"within\" id=\"within\" min=\"1\" max=\"365\" value=\"");
	if (f.due_within) put(x, within);
	put(x, "\"></label><label>");
	put(x, W(x, W_SORT));
	put(x, "<select name=\"sort\" id=\"sort\">");
	console_option(x, "deadline", W(x, W_SORT_DEADLINE), srv_work_sort_name(f.sort));
	console_option(x, "received", W(x, W_SORT_RECEIVED), srv_work_sort_name(f.sort));
	console_option(x, "status", W(x, W_SORT_STATUS), srv_work_sort_name(f.sort));
	put(x, "</select></label><button type=\"submit\" id=\"filter\">");
	put(x, W(x, W_FILTER));
	put(x, "</button></form>\n");

	/* The rows are written to a second part of the buffer first, so the
	 * counts the same query gives can come above them. */
	{
		size_t counts_at = x->html.buf->len;
		size_t rows_len;
		char *rows_text;
		rows.x = x;
		rows.all = cs;
		rows.rows = 0;
		rows.offset = f.offset;
		/* One commune in sight: its name on every row says nothing. */
		rows.one_commune = f.commune[0] != '\0' || cs->n == 1 || scope == 1;
		rows.items = NULL;
		rows.subjects = NULL;
		rows.n = rows.cap = rows.failed = 0;
		put(x, "<table id=\"inbox\"><thead><tr><th>");
		put(x, W(x, W_DEADLINE));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIPT));
		put(x, "</th><th>");
		put(x, W(x, W_CATEGORY));
		put(x, "</th><th>");
		put(x, W(x, W_CONTENT));
		if (!rows.one_commune) {
			put(x, "</th><th>");
			put(x, W(x, W_COMMUNE));
		}
		put(x, "</th><th>");
		put(x, W(x, W_ASSIGNEE));
		put(x, "</th><th>");
		put(x, W(x, W_STATUS));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIVED));
		put(x, "</th></tr></thead><tbody>\n");
		if (srv_work_inbox(x->db, &f, x->now, inbox_item, &rows, &counts, err, sizeof err) != 0 || rows.failed) {
			if (!rows.failed) log_error("inbox: %s", err);
			free(rows.items);
			free(cs);
			console_message_page(x, 503, W_UNAVAILABLE);
			return;
		}
		read_subjects(&rows);
		for (i = 0; i < rows.n && !rows.failed; i++) inbox_row(&rows, &rows.items[i], rows.subjects[i]);
		if (rows.subjects) {
			sodium_memzero(rows.subjects, (size_t)(rows.n ? rows.n : 1) * sizeof *rows.subjects);
			free(rows.subjects);
		}
		free(rows.items);
		if (rows.failed) {
			free(cs);
			console_message_page(x, 503, W_UNAVAILABLE);
			return;
		}
		if (rows.rows == 0) {
			put(x, "<tr><td colspan=\"8\" class=\"muted\" id=\"no-rows\">");
			put(x, W(x, f.find ? W_SEARCH_NONE : W_NONE));
			put(x, "</td></tr>");
		}
		put(x, "</tbody></table>\n");
		if (x->html.failed) {
			free(cs);
			return;
		}
		rows_len = x->html.buf->len - counts_at;
		if (!(rows_text = malloc(rows_len + 1))) {
			free(cs);
			x->html.failed = 1;
			return;
		}
		memcpy(rows_text, x->html.buf->data + counts_at, rows_len);
		x->html.buf->len = counts_at;
		put(x, "<ul class=\"counts\" id=\"counts\"><li>");
		put(x, W(x, W_TOTAL));
		count(x, "count-total", counts.total, counts.cap);
		put(x, "</li>");
		if (counts.open >= 0) {
			put(x, "<li>");
			put(x, W(x, W_OPEN_COUNT));
			count(x, "count-open", counts.open, counts.cap);
			put(x, "</li><li class=\"over\">");
			put(x, W(x, W_OVERDUE));
			count(x, "count-overdue", counts.overdue, counts.cap);
			put(x, "</li>");
		}
		for (i = 0; status_names[i] && i < 16; i++) {
			if (!counts.by_status[i]) continue;
			html_putf(&x->html, "<li>%s<b id=\"count-%s\">%lld</b></li>", console_status_label(x, status_names[i]), status_names[i],
				counts.by_status[i]);
		}
		put(x, "</ul>\n");
		console_export_links(x);
		put_n(x, rows_text, rows_len);
		free(rows_text);
	}
	/* Past the counts' cap the last page is not known: the pager goes on
	 * while pages are full. */
	more = counts.cap && counts.total > counts.cap;
	pages = (int)((counts.total + INBOX_PAGE - 1) / INBOX_PAGE);
	if (more && rows.rows == INBOX_PAGE) pages = page + 1;
	else if (more) pages = page;
	if (pages > 1) {
		put(x, "<nav class=\"pager\">");
		if (page > 1) {
			put(x, "<a href=\"");
			inbox_link(x, page - 1);
			put(x, "\">");
			put(x, W(x, W_PREV));
			put(x, "</a>");
		}
		if (more) html_putf(&x->html, "<span>%s %d</span>", W(x, W_PAGE), page);
		else html_putf(&x->html, "<span>%s %d / %d</span>", W(x, W_PAGE), page, pages);
		if (page < pages) {
			put(x, "<a href=\"");
			inbox_link(x, page + 1);
			put(x, "\" id=\"next\">");
			put(x, W(x, W_NEXT));
			put(x, "</a>");
		}
		put(x, "</nav>\n");
	}
	free(cs);
	console_foot(x);
}

