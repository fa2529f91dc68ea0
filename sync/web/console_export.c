/* console_export: the inbox as it is filtered, downloaded (see
 * console_int.h). GET /staff/export?format=csv|xlsx&<the list's state>
 * gives the rows the inbox shows, every page of them, without anyone's
 * identity. A supervisor may add the identities (POST /staff/export with a
 * reason, CSV only): the export is an audit row with the reason and the
 * filter first, and a denouncer's identity is never in it (Law on
 * Denunciation 2018, Art. 9).
 *
 * Neither holds the rows in memory. A CSV is streamed: the server asks for
 * it piece by piece after the handler returned, and the export reads the
 * rows from a store connection of its own in one snapshot
 * (srv_work_cursor_*), opening each sealed form only while its line is
 * written; it never touches the disk. A workbook (libxlsxwriter, which
 * writes a file) is put together row by row in its constant-memory mode in
 * a private temporary folder, its rows read ahead by a thread of their
 * own, sent from the open file and unlinked at once; it never holds an
 * identity. */
#include "console_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "log.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"

/* ---- the columns ---- */

enum { COL_CODE, COL_ID, COL_DOSSIER, COL_CATEGORY, COL_PROCEDURE, COL_COMMUNE, COL_STATUS, COL_RECEIVED,
	COL_ACCEPTED, COL_DEADLINE, COL_OVERDUE, COL_ASSIGNEE, COL_CLOSED, NCOLS };
static const word col_words[NCOLS] = {
	W_RECEIPT, W_REQUEST_ID, W_DOSSIER, W_CATEGORY, W_PROCEDURE, W_COMMUNE, W_STATUS, W_RECEIVED,
	W_ACCEPTED, W_DEADLINE_NOW, W_OVERDUE, W_ASSIGNEE, W_CLOSED,
};
/* The identity's fields, when a supervisor asked for them. */
static const char *const id_fields[] = { "full_name", "phone", "citizen_id", "address", "subject", "details" };
#define NID (sizeof id_fields / sizeof id_fields[0])

/* One row's cells as text, in the exchange's language: pointers into the
 * item, the words and the names, and into r's buffers for what is written
 * out (the code's groups; the times and the deadline unless bare). Bare,
 * the three times and the deadline are left NULL: a workbook writes them
 * as Excel dates from the item. */
typedef struct {
	const char *v[NCOLS];
	char code[TOKEN_GROUPED_LEN + 1], day[11], at[3][20];
} row_text;

static const char *deadline_of(const work_item *it)
{
	return strcmp(it->appointment, it->due) > 0 ? it->appointment : it->due;
}

static void row_cells(const exchange *x, const work_item *it, row_text *r, int bare)
{
	const long long at[3] = { it->received_at, it->accepted_at, it->closed_at };
	static const int at_col[3] = { COL_RECEIVED, COL_ACCEPTED, COL_CLOSED };
	int i;
	token_group(it->token, r->code);
	r->v[COL_CODE] = r->code;
	r->v[COL_ID] = it->id;
	r->v[COL_DOSSIER] = it->dossier;
	r->v[COL_CATEGORY] = console_category_name(x, it->category);
	r->v[COL_PROCEDURE] = it->procedure[0] ? console_procedure_name(x, it->procedure) : "";
	r->v[COL_COMMUNE] = it->commune;
	r->v[COL_STATUS] = console_status_label(x, it->status);
	r->v[COL_OVERDUE] = it->overdue ? W(x, W_YES) : "";
	r->v[COL_ASSIGNEE] = it->assignee;
	for (i = 0; i < 3; i++) {
		r->v[at_col[i]] = NULL;
		if (bare) continue;
		/* A request not yet accepted or closed has an empty cell. */
		r->at[i][0] = '\0';
		if (at[i] || i == 0) console_format_local(at[i], r->at[i]);
		r->v[at_col[i]] = r->at[i];
	}
	r->v[COL_DEADLINE] = bare ? NULL : console_due_text(x, it->category, deadline_of(it), r->day);
}

/* ---- CSV, streamed ---- */

typedef struct {
	exchange x;                  /* only c and lang: the words and names */
	srv_db *db;                  /* the export's own connection, the cursor's alone */
	srv_db *ids;                 /* another, for the sealed forms: on PostgreSQL the
	                                cursor's connection is busy streaming its rows */
	work_cursor *cur;
	int identity;
	char *line;                  /* the line being sent */
	size_t len, pos, cap;
	int header, ended;
	long long rows;
} csv_stream;

static int line_put(csv_stream *s, const char *t, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = (s->len + n + 1) * 2;
		char *l = realloc(s->line, cap);
		if (!l) return -1;
		s->line = l;
		s->cap = cap;
	}
	memcpy(s->line + s->len, t, n);
	s->len += n;
	return 0;
}

/* One cell, quoted as RFC 4180 says; a cell a spreadsheet would read as a
 * formula (= + - @ first) gets an apostrophe in front. */
static int cell(csv_stream *s, const char *v, int first)
{
	int rc = first ? 0 : line_put(s, ",", 1);
	const char *p;
	rc |= line_put(s, "\"", 1);
	if (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') rc |= line_put(s, "'", 1);
	for (p = v; *p && rc == 0; p++) rc |= *p == '"' ? line_put(s, "\"\"", 2) : line_put(s, p, 1);
	return rc | line_put(s, "\"", 1);
}

static int identity_cells(csv_stream *s, const work_item *it)
{
	srv_db_request r;
	json_t *o = NULL;
	size_t i;
	int rc = 0;
	/* A denouncer's identity is secret whoever asks (Law on Denunciation
	 * 2018, Art. 9): the cells say so. */
	if (strcmp(it->category, "denunciation") == 0) {
		for (i = 0; i < NID; i++) rc |= cell(s, i == 0 ? W(&s->x, W_DENOUNCER_SECRET) : "", 0);
		return rc;
	}
	if (srv_db_request_find(s->ids, it->id, &r) == 1) {
		o = console_sealed_open(s->x.c, r.sealed, r.sealed_len);
		srv_db_request_free(&r);
	}
	for (i = 0; i < NID; i++) {
		json_t *v = o ? json_object_get(o, id_fields[i]) : NULL;
		rc |= cell(s, json_is_string(v) ? json_string_value(v) : "", 0);
	}
	console_sealed_free(o);
	return rc;
}

/* The next line into s->line: 1, 0 at the end, -1 on a failure. */
static int next_line(csv_stream *s)
{
	row_text cells;
	work_item it;
	int i, rc = 0;
	if (s->len) sodium_memzero(s->line, s->len);
	s->len = s->pos = 0;
	if (!s->header) {
		s->header = 1;
		rc |= line_put(s, "\xEF\xBB\xBF", 3);     /* a BOM: spreadsheets then read UTF-8 */
		for (i = 0; i < NCOLS; i++) rc |= cell(s, W(&s->x, col_words[i]), i == 0);
		for (i = 0; s->identity && i < (int)NID; i++) {
			int f = catalog_field_index(id_fields[i]);
			rc |= cell(s, f >= 0 && s->x.c->cat ? s->x.c->cat->fields[f].label[s->x.lang] : id_fields[i], 0);
		}
		return rc | line_put(s, "\r\n", 2) ? -1 : 1;
	}
	switch (srv_work_cursor_next(s->cur, &it)) {
	case 0:
		return 0;
	case 1:
		break;
	default:
		return -1;
	}
	row_cells(&s->x, &it, &cells, 0);
	for (i = 0; i < NCOLS; i++) rc |= cell(s, cells.v[i], i == 0);
	if (s->identity) rc |= identity_cells(s, &it);
	s->rows++;
	return rc | line_put(s, "\r\n", 2) ? -1 : 1;
}

static long csv_read(void *cls, char *buf, size_t max)
{
	csv_stream *s = cls;
	size_t out = 0, n;
	while (out < max) {
		if (s->pos == s->len) {
			int rc;
			if (s->ended) break;
			rc = next_line(s);
			if (rc < 0) {
				log_error("export: the rows could not be read");
				return -1;
			}
			if (rc == 0) {
				s->ended = 1;
				break;
			}
		}
		n = s->len - s->pos;
		if (n > max - out) n = max - out;
		memcpy(buf + out, s->line + s->pos, n);
		s->pos += n;
		out += n;
	}
	return (long)out;
}

static void csv_done(void *cls)
{
	csv_stream *s = cls;
	srv_work_cursor_close(s->cur);
	srv_db_close(s->db);
	if (s->ids) srv_db_close(s->ids);
	if (s->line) sodium_memzero(s->line, s->cap);
	free(s->line);
	free(s);
}

static int start_csv(exchange *x, const work_filter *f, int identity)
{
	csv_stream *s = calloc(1, sizeof *s);
	char err[300];
	if (!s) return -1;
	s->x.c = x->c;
	s->x.lang = x->lang;
	s->identity = identity;
	if (!x->c->data_dir || srv_db_open(&s->db, x->c->data_dir, 0, err, sizeof err) != 0 ||
	    (identity && srv_db_open(&s->ids, x->c->data_dir, 0, err, sizeof err) != 0) ||
	    !(s->cur = srv_work_cursor_open(s->db, f, x->now, err, sizeof err))) {
		log_error("export: %s", x->c->data_dir ? err : "no data folder");
		if (s->db) srv_db_close(s->db);
		if (s->ids) srv_db_close(s->ids);
		free(s);
		return -1;
	}
	x->out->type = "text/csv; charset=utf-8";
	snprintf(x->out->disposition, sizeof x->out->disposition, "attachment; filename=\"%s.csv\"",
		identity ? "ho-so-danh-tinh" : "ho-so");
	x->out->read = csv_read;
	x->out->done = csv_done;
	x->out->cls = s;
	x->out->personal = identity;
	return 0;
}

/* ---- a workbook's rows, read ahead ---- */

/* The workbook is a thread's work from the first row to the last, and
 * half of it is zlib's, at the end. Its rows are read by a thread of their
 * own meanwhile: on PostgreSQL the database's process did that already,
 * beside this one; on SQLite the query ran in this thread, and on the
 * loaded machine one thread has a share of a core where two have twice
 * it. Two batches of rows take turns, one filled while the other is
 * written: memory stays two batches' worth. */
#define FEED_ROWS 256

typedef struct {
	work_cursor *cur;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	work_item rows[2][FEED_ROWS];
	int n[2];                    /* rows filled, -1 while being filled */
	int last[2];                 /* the batch after which there are no more */
	int rc;                      /* the cursor's end: 0, or -1 a failure */
	int cb, take, ci;            /* the writer's: its batch, its rows, the next (-1: none yet) */
} feed;

static void *feed_run(void *arg)
{
	feed *f = arg;
	int b = 0, n, rc = 1;
	while (rc == 1) {
		pthread_mutex_lock(&f->lock);
		while (f->n[b] >= 0) pthread_cond_wait(&f->cond, &f->lock);
		pthread_mutex_unlock(&f->lock);
		for (n = 0; n < FEED_ROWS && (rc = srv_work_cursor_next(f->cur, &f->rows[b][n])) == 1; n++) {}
		pthread_mutex_lock(&f->lock);
		f->n[b] = n;
		f->last[b] = rc != 1;
		f->rc = rc;
		pthread_cond_broadcast(&f->cond);
		pthread_mutex_unlock(&f->lock);
		b ^= 1;
	}
	return NULL;
}

static feed *feed_open(work_cursor *cur)
{
	feed *f = calloc(1, sizeof *f);
	if (!f) return NULL;
	f->cur = cur;
	f->n[0] = f->n[1] = -1;
	f->take = f->ci = -1;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	if (pthread_create(&f->thread, NULL, feed_run, f) != 0) {
		pthread_mutex_destroy(&f->lock);
		pthread_cond_destroy(&f->cond);
		free(f);
		return NULL;
	}
	return f;
}

/* The next row into *it: 1; 0 at the end, -1 on a failure. Read to its
 * end before feed_close. */
static int feed_next(feed *f, const work_item **it)
{
	if (f->ci == f->take) {
		pthread_mutex_lock(&f->lock);
		if (f->take >= 0) {
			if (f->last[f->cb]) {
				pthread_mutex_unlock(&f->lock);
				return f->rc;
			}
			f->n[f->cb] = -1;    /* handed back to be filled again */
			f->cb ^= 1;
			pthread_cond_broadcast(&f->cond);
		}
		while (f->n[f->cb] < 0) pthread_cond_wait(&f->cond, &f->lock);
		f->take = f->n[f->cb];
		f->ci = 0;
		pthread_mutex_unlock(&f->lock);
		if (f->take == 0) return f->rc;
	}
	*it = &f->rows[f->cb][f->ci++];
	return 1;
}

static void feed_close(feed *f)
{
	pthread_join(f->thread, NULL);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	free(f);
}

/* ---- a workbook, from a file ---- */

/* Excel's day 0 is 1899-12-30, 25569 days before the Unix epoch. */
#define EXCEL_EPOCH_DAYS 25569

/* A time as Excel's serial number of the Vietnam day and minute: a real
 * date the official can sort and filter on, and a number in the sheet's
 * XML, shorter than the text it shows (the workbook is mostly zlib's
 * time). A time not there (not accepted, not closed) is an empty cell. */
static void xlsx_time(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, long long t, lxw_format *f)
{
	long long local = t + VNTIME_OFFSET;
	if (t <= 0) return;
	local -= local % 60;
	worksheet_write_number(ws, row, col, (double)local / 86400.0 + EXCEL_EPOCH_DAYS, f);
}

/* One request's row: its text cells as they are (no copy), its times and
 * its deadline as dates. */
static void xlsx_row(const exchange *x, lxw_worksheet *ws, lxw_row_t row, const work_item *it, lxw_format *at,
	lxw_format *day)
{
	row_text r;
	cal_date d;
	const char *due = deadline_of(it);
	lxw_col_t i;
	row_cells(x, it, &r, 1);
	for (i = 0; i < NCOLS; i++)
		if (r.v[i] && r.v[i][0]) worksheet_write_string(ws, row, i, r.v[i], NULL);
	xlsx_time(ws, row, COL_RECEIVED, it->received_at, at);
	xlsx_time(ws, row, COL_ACCEPTED, it->accepted_at, at);
	xlsx_time(ws, row, COL_CLOSED, it->closed_at, at);
	if (cal_date_parse(due, &d) == 0)
		worksheet_write_number(ws, row, COL_DEADLINE, (double)(cal_day_number(d) + EXCEL_EPOCH_DAYS), day);
	else
		worksheet_write_string(ws, row, COL_DEADLINE, console_due_text(x, it->category, due, r.day), NULL);
}

static int start_xlsx(exchange *x, const work_filter *f)
{
	const char *tmp = x->c->tmp_dir ? x->c->tmp_dir : getenv("TMPDIR");
	char dir[512], path[600], err[300];
	lxw_workbook_options opt;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *at, *day;
	work_cursor *cur;
	feed *rows;
	const work_item *it = NULL;
	struct stat st;
	int i, rc, fd = -1;
	lxw_row_t row = 0;
	snprintf(dir, sizeof dir, "%s/motcua-export-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		log_error("export: %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/inbox.xlsx", dir);
	memset(&opt, 0, sizeof opt);
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = dir;
	if (!(wb = workbook_new_opt(path, &opt)) || !(ws = workbook_add_worksheet(wb, W(x, W_INBOX)))) {
		if (wb) workbook_close(wb);
		goto fail;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	at = workbook_add_format(wb);
	format_set_num_format(at, "dd/mm/yyyy hh:mm");
	day = workbook_add_format(wb);
	format_set_num_format(day, "dd/mm/yyyy");
	/* Wide enough for a date: a number wider than its column shows "###". */
	worksheet_set_column(ws, COL_RECEIVED, COL_ACCEPTED, 16, NULL);
	worksheet_set_column(ws, COL_DEADLINE, COL_DEADLINE, 11, NULL);
	worksheet_set_column(ws, COL_CLOSED, COL_CLOSED, 16, NULL);
	for (i = 0; i < NCOLS; i++) worksheet_write_string(ws, row, (lxw_col_t)i, W(x, col_words[i]), bold);
	worksheet_freeze_panes(ws, 1, 0);
	if (!(cur = srv_work_cursor_open(x->db, f, x->now, err, sizeof err))) {
		log_error("export: %s", err);
		workbook_close(wb);
		goto fail;
	}
	if (!(rows = feed_open(cur))) {
		log_error("export: the rows' thread could not start");
		srv_work_cursor_close(cur);
		workbook_close(wb);
		goto fail;
	}
	while ((rc = feed_next(rows, &it)) == 1) xlsx_row(x, ws, ++row, it, at, day);
	feed_close(rows);
	srv_work_cursor_close(cur);
	if (workbook_close(wb) != LXW_NO_ERROR || rc != 0) goto fail;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) goto fail;
	unlink(path);
	rmdir(dir);
	x->out->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(x->out->disposition, sizeof x->out->disposition, "attachment; filename=\"ho-so.xlsx\"");
	x->out->body_fd = fd;
	x->out->body_size = (long long)st.st_size;
	return 0;
fail:
	if (fd >= 0) close(fd);
	unlink(path);
	rmdir(dir);
	log_error("export: the workbook could not be written");
	return -1;
}

/* ---- the routes ---- */

/* The filter as the audit log keeps it: the list's query, never a search's
 * words (they may be a phone number). */
static void audit_detail(exchange *x, const char *what, const char *reason, char *out, size_t len)
{
	snprintf(out, len, "%s; commune=%s category=%s status=%s view=%s%s%s%s", what, arg(x, "commune"),
		arg(x, "category"), arg(x, "status"), console_list_view(x), arg(x, "q")[0] ? " (a search)" : "",
		reason ? "; reason: " : "", reason ? reason : "");
}

static void export(exchange *x, int identity, const char *reason)
{
	work_filter f;
	work_find find;
	const char *format = arg(x, "format");
	char detail[700], err[300];
	int xlsx = strcmp(format, "xlsx") == 0, rc;
	console_list_filter(x, &f, &find);
	if (identity && xlsx) {
		console_message_page(x, 400, W_EXPORT_IDENTITY_CSV);
		return;
	}
	audit_detail(x, xlsx ? "xlsx" : "csv", identity ? reason : NULL, detail, sizeof detail);
	/* The export is recorded before a row leaves; one the log cannot hold
	 * does not leave. */
	if (srv_work_audit_add(x->db, x->now, x->session.name, identity ? "export_identity" : "export", "", detail,
		err, sizeof err) != 0) {
		log_error("audit: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	x->html.buf->len = 0;
	rc = xlsx ? start_xlsx(x, &f) : start_csv(x, &f, identity);
	if (rc != 0) console_message_page(x, 503, W_UNAVAILABLE);
}

void console_page_export(exchange *x)
{
	export(x, 0, NULL);
}

void console_do_export(exchange *x)
{
	const char *reason = field(x, "reason");
	if (!is_supervisor(x)) {
		console_message_page(x, 403, W_FORBIDDEN);
		return;
	}
	if (!reason[0] || strlen(reason) > 400 || !utf8_valid(reason, strlen(reason))) {
		console_message_page(x, 422, W_EXPORT_REASON);
		return;
	}
	export(x, 1, reason);
}

void console_export_links(exchange *x)
{
	put(x, "<p class=\"exports\" id=\"exports\">");
	put(x, W(x, W_EXPORT));
	put(x, " <a id=\"export-csv\" href=\"/staff/export?format=csv&amp;");
	console_list_args(x);
	put(x, "\">CSV</a> <a id=\"export-xlsx\" href=\"/staff/export?format=xlsx&amp;");
	console_list_args(x);
	put(x, "\">Excel (.xlsx)</a></p>\n");
	if (!is_supervisor(x)) return;
	put(x, "<details id=\"export-identity\"><summary>");
	put(x, W(x, W_EXPORT_IDENTITY));
	put(x, "</summary><form method=\"post\" action=\"/staff/export?format=csv&amp;");
	console_list_args(x);
	put(x, "\">");
	console_csrf_field(x);
	put(x, "<p class=\"secret\">");
	put(x, W(x, W_EXPORT_IDENTITY_NOTE));
	put(x, "</p><label>");
	put(x, W(x, W_REASON));
	put(x, "<input type=\"text\" name=\"reason\" id=\"export-reason\" maxlength=\"400\" required></label>"
		"<button type=\"submit\" id=\"export-identity-go\">");
	put(x, W(x, W_EXPORT_IDENTITY));
	put(x, "</button></form></details>\n");
}
