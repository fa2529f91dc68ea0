/* printout: the kiosk's papers (the receipt, the letter to sign, a queue
 * ticket, a procedure's checklist, the test page) and the worker that sends
 * them (see printout.h). The drawing and the printer are the shared
 * src/print/sheet.h, which the office's counters use too. */
#include "printout.h"
#include "i18n.h"
#include "log.h"
#include "sheet.h"
#include "token.h"
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE 4

typedef struct {
	escpos_stream stream;        /* ESC/POS, or PWG raster for CUPS (printcups.h) */
	printout_kind kind;
	int secret;                  /* a denunciation's letter: purged from CUPS once printed */
} job;

struct printout {
	const config *cfg;
	sheet_fonts *fonts;

	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* under lock */
	job queue[QUEUE];
	int head, count, stop;
	unsigned submitted, finished;
	printout_kind last_kind;
	escpos_result last_result;
	long long last_at;
	char last_detail[300];
};

int printout_dots(const config *cfg) { return sheet_dots(cfg); }

/* Texts from the translation files hold one %s or %d: i18n_load refused
 * any whose conversions are not the ones passed here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void textf(char *out, size_t outlen, lang l, i18n_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	vsnprintf(out, outlen, i18n(l, id), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

static void local_time(long long t, char *out, size_t outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	snprintf(out, outlen, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday, tm.tm_mon + 1,
		tm.tm_year + 1900);
}

/* The office: the commune's name, and the one-stop-shop section under it. */
static void letterhead(printout *p, sheet *c, lang l)
{
	sheet_gap(c, sheet_scaled(c, 8));
	sheet_paragraph(c, SHEET_TITLE, p->cfg->commune_name, 1);
	sheet_paragraph(c, SHEET_SMALL, i18n(l, T_PAPER_OFFICE), 1);
	sheet_rule(c, 2, sheet_scaled(c, 8));
}

/* ---- the worker ---- */

/* For the log: which page, never what is on it. */
static const char *const kind_names[] = {
	[PRINTOUT_RECEIPT] = "receipt", [PRINTOUT_TEST_PAGE] = "test page", [PRINTOUT_LETTER] = "letter",
	[PRINTOUT_TICKET] = "queue ticket", [PRINTOUT_GUIDE] = "checklist",
};

static void *worker(void *arg)
{
	printout *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		job j;
		escpos_result r;
		char detail[300];
		while (!p->stop && p->count == 0) pthread_cond_wait(&p->wake, &p->lock);
		if (p->stop) break;
		j = p->queue[p->head];
		p->head = (p->head + 1) % QUEUE;
		p->count--;
		pthread_mutex_unlock(&p->lock);

		r = sheet_send(p->cfg, kind_names[j.kind], j.secret, &j.stream, detail, sizeof detail);
		if (r == ESCPOS_OK) log_info("printed the %s (%s)", kind_names[j.kind], detail);
		else log_warn("could not print the %s: %s (%s)", kind_names[j.kind],
			escpos_result_text(r), detail);

		pthread_mutex_lock(&p->lock);
		p->finished++;
		p->last_kind = j.kind;
		p->last_result = r;
		p->last_at = (long long)time(NULL);
		snprintf(p->last_detail, sizeof p->last_detail, "%s", detail);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Encodes the page for the printer and queues it. */
static int queue_page(printout *p, sheet *c, printout_kind kind, int secret, char *err, size_t errlen)
{
	job j;
	memset(&j, 0, sizeof j);
	j.kind = kind;
	j.secret = secret;
	if (sheet_encode(c, p->cfg, &j.stream, err, errlen) != 0) return -1;
	pthread_mutex_lock(&p->lock);
	if (p->count == QUEUE) {
		pthread_mutex_unlock(&p->lock);
		snprintf(err, errlen, "the printer has not taken the last %d pages yet", QUEUE);
		sodium_memzero(j.stream.data, j.stream.cap);
		escpos_free(&j.stream);
		return -1;
	}
	p->queue[(p->head + p->count) % QUEUE] = j;
	p->count++;
	p->submitted++;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* The papers to bring as boxes to tick, and the fee. */
static void papers(sheet *c, lang l, const char *const *list, int n, const char *fee)
{
	char line[300];
	int i;
	if (n <= 0 && !(fee && fee[0])) return;
	sheet_gap(c, sheet_scaled(c, 6));
	if (n > 0) sheet_paragraph(c, SHEET_BOLD, i18n(l, T_GUIDE_PAPERS), 0);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "[  ] %s", list[i]);
		sheet_paragraph(c, SHEET_BODY, line, 0);
	}
	if (fee && fee[0]) sheet_field(c, SHEET_BODY, i18n(l, T_GUIDE_FEE), fee);
}

int printout_print_receipt(printout *p, const printout_receipt *r, char *err, size_t errlen)
{
	sheet c;
	char grouped[TOKEN_GROUPED_LEN + 1], when[64], due[16], how[600];
	int y, m, d, rc;
	lang l = r->language;
	if (sheet_refuse_shared(p->cfg, r->secret, "slip", err, errlen)) return -1;
	sheet_start(&c, p->fonts);
	token_group(r->token, grouped);
	letterhead(p, &c, l);
	sheet_paragraph(&c, SHEET_TITLE, i18n(l, T_PAPER_HEADING), 1);
	sheet_gap(&c, sheet_scaled(&c, 10));
	sheet_paragraph(&c, SHEET_SMALL, i18n(l, T_RECEIPT_CODE), 1);
	sheet_paragraph(&c, SHEET_CODE, grouped, 1);
	sheet_paragraph(&c, SHEET_SMALL, r->request_id, 1);
	sheet_gap(&c, sheet_scaled(&c, 10));
	sheet_field(&c, SHEET_BODY, i18n(l, T_PAPER_WHAT), r->what);
	if (r->citizen_name && r->citizen_name[0]) sheet_field(&c, SHEET_BODY, i18n(l, T_PAPER_NAME), r->citizen_name);
	local_time(r->received_at, when, sizeof when);
	sheet_field(&c, SHEET_BODY, i18n(l, T_RECEIPT_TIME), when);
	if (sscanf(r->deadline, "%d-%d-%d", &y, &m, &d) == 3) snprintf(due, sizeof due, "%02d/%02d/%04d", d, m, y);
	else snprintf(due, sizeof due, "%.15s", r->deadline);
	sheet_field(&c, SHEET_BOLD, r->deadline_label, due);
	papers(&c, l, r->papers, r->npapers, r->fee);
	sheet_gap(&c, sheet_scaled(&c, 8));
	sheet_qr(&c, r->url);
	sheet_gap(&c, sheet_scaled(&c, 4));
	textf(how, sizeof how, l, T_PAPER_HOW, p->cfg->public_url);
	sheet_paragraph(&c, SHEET_SMALL, how, 1);
	sheet_gap(&c, sheet_scaled(&c, 16));
	rc = queue_page(p, &c, PRINTOUT_RECEIPT, r->secret, err, errlen);
	sheet_free(&c);
	return rc;
}

int printout_print_guide(printout *p, const printout_guide *g, char *err, size_t errlen)
{
	sheet c;
	char line[300];
	int rc;
	lang l = g->language;
	sheet_start(&c, p->fonts);
	letterhead(p, &c, l);
	sheet_paragraph(&c, SHEET_TITLE, i18n(l, T_PAPER_GUIDE), 1);
	sheet_paragraph(&c, SHEET_BOLD, g->name, 1);
	sheet_gap(&c, sheet_scaled(&c, 8));
	sheet_field(&c, SHEET_BODY, i18n(l, T_GUIDE_TIME), g->time);
	if (g->where && g->where[0]) sheet_field(&c, SHEET_BODY, i18n(l, T_GUIDE_WHERE), g->where);
	papers(&c, l, g->papers, g->npapers, g->fee);
	if (g->url && g->url[0]) {
		sheet_gap(&c, sheet_scaled(&c, 8));
		sheet_qr(&c, g->url);
		textf(line, sizeof line, l, T_GUIDE_PORTAL, g->portal_code);
		sheet_paragraph(&c, SHEET_SMALL, line, 1);
	}
	sheet_gap(&c, sheet_scaled(&c, 16));
	rc = queue_page(p, &c, PRINTOUT_GUIDE, 0, err, errlen);
	sheet_free(&c);
	return rc;
}

int printout_print_ticket(printout *p, const printout_ticket *t, char *err, size_t errlen)
{
	sheet c;
	char when[64], line[300];
	int rc;
	lang l = t->language;
	sheet_start(&c, p->fonts);
	letterhead(p, &c, l);
	sheet_paragraph(&c, SHEET_TITLE, i18n(l, T_PAPER_TICKET), 1);
	sheet_paragraph(&c, SHEET_HUGE, t->label, 1);
	snprintf(line, sizeof line, "%s%s%s", t->field, t->priority ? " · " : "", t->priority ? i18n(l, T_TICKET_PRIORITY) : "");
	sheet_paragraph(&c, SHEET_BOLD, line, 1);
	sheet_gap(&c, sheet_scaled(&c, 8));
	if (t->ahead > 0) {
		textf(line, sizeof line, l, T_TICKET_AHEAD, t->ahead);
		sheet_paragraph(&c, SHEET_BODY, line, 1);
		textf(line, sizeof line, l, T_TICKET_WAIT, t->wait_minutes);
		sheet_paragraph(&c, SHEET_BODY, line, 1);
	} else sheet_paragraph(&c, SHEET_BODY, i18n(l, T_TICKET_NEXT), 1);
	local_time(t->taken_at, when, sizeof when);
	textf(line, sizeof line, l, T_PAPER_TICKET_TIME, when);
	sheet_paragraph(&c, SHEET_SMALL, line, 1);
	sheet_paragraph(&c, SHEET_SMALL, i18n(l, T_TICKET_WATCH), 1);
	sheet_gap(&c, sheet_scaled(&c, 16));
	rc = queue_page(p, &c, PRINTOUT_TICKET, 0, err, errlen);
	sheet_free(&c);
	return rc;
}

int printout_print_letter(printout *p, const printout_letter *l, char *err, size_t errlen)
{
	sheet c;
	char grouped[TOKEN_GROUPED_LEN + 1], when[64], line[300];
	int i, rc, box, margin;
	lang lg = l->language;
	if (sheet_refuse_shared(p->cfg, l->denunciation, "letter", err, errlen)) return -1;
	sheet_start(&c, p->fonts);
	margin = sheet_margin(&c);
	token_group(l->token, grouped);
	letterhead(p, &c, lg);
	sheet_paragraph(&c, SHEET_TITLE, i18n(lg, l->denunciation ? T_LETTER_DENUNCIATION : T_LETTER_COMPLAINT), 1);
	sheet_gap(&c, sheet_scaled(&c, 8));
	snprintf(line, sizeof line, "%s: %s", i18n(lg, T_LETTER_TO), p->cfg->commune_name);
	sheet_paragraph(&c, SHEET_BODY, line, 0);
	sheet_gap(&c, sheet_scaled(&c, 6));
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (l->values[i] && l->values[i][0] && l->labels[i]) sheet_field(&c, SHEET_BODY, l->labels[i], l->values[i]);
	sheet_gap(&c, sheet_scaled(&c, 6));
	sheet_field(&c, SHEET_SMALL, i18n(lg, T_RECEIPT_CODE), grouped);
	local_time(l->written_at, when, sizeof when);
	sheet_field(&c, SHEET_SMALL, i18n(lg, T_RECEIPT_TIME), when);
	if (l->denunciation) {
		sheet_gap(&c, sheet_scaled(&c, 6));
		sheet_paragraph(&c, SHEET_SMALL, i18n(lg, T_LETTER_SECRET), 0);
	}
	sheet_gap(&c, sheet_scaled(&c, 6));
	sheet_paragraph(&c, SHEET_SMALL, i18n(lg, T_LETTER_HAND_IN), 0);
	sheet_gap(&c, sheet_scaled(&c, 8));
	sheet_paragraph(&c, SHEET_BODY, i18n(lg, T_LETTER_SIGN), 1);
	/* The box to sign or press a finger in: about 25 mm tall. */
	box = sheet_scaled(&c, 200);
	if (sheet_room(&c, box + 4) == 0) {
		sheet_fill(&c, margin, c.height, c.width - 2 * margin, 3);
		sheet_fill(&c, margin, c.height + box, c.width - 2 * margin, 3);
		sheet_fill(&c, margin, c.height, 3, box + 3);
		sheet_fill(&c, c.width - margin - 3, c.height, 3, box + 3);
		c.height += box + 4;
	}
	sheet_gap(&c, sheet_scaled(&c, 16));
	rc = queue_page(p, &c, PRINTOUT_LETTER, l->denunciation, err, errlen);
	sheet_free(&c);
	sodium_memzero(line, sizeof line);
	return rc;
}

/* A millimetre ruler across the paper: a tick each mm, longer each 5 and
 * 10 mm, numbered each 10, so the installer sees the printable width. */
static void ruler(sheet *c)
{
	int mm, per_mm = 8, top, len, skip = sheet_line_skip(c, SHEET_SMALL);
	if (sheet_room(c, 30 + skip) != 0) return;
	top = c->height;
	sheet_fill(c, 0, top, c->width, 2);
	for (mm = 0; mm * per_mm < c->width; mm++) {
		len = mm % 10 == 0 ? 24 : mm % 5 == 0 ? 16 : 8;
		sheet_fill(c, mm * per_mm, top, 2, len);
	}
	sheet_fill(c, c->width - 2, top, 2, 24);
	c->height += 26;
	for (mm = 10; (mm + 2) * per_mm < c->width; mm += 10) {
		char n[16];
		snprintf(n, sizeof n, "%d", mm);
		sheet_text_at(c, SHEET_SMALL, n, mm * per_mm - sheet_text_width(c, SHEET_SMALL, n) / 2);
	}
	c->height += skip;
}

int printout_print_test_page(printout *p, lang l, char *err, size_t errlen)
{
	sheet c;
	char line[300], when[64];
	int rc;
	sheet_start(&c, p->fonts);
	letterhead(p, &c, l);
	sheet_paragraph(&c, SHEET_TITLE, i18n(l, T_PAPER_TEST), 1);
	textf(line, sizeof line, l, T_PAPER_WIDTH, p->cfg->printer_width, c.width);
	sheet_paragraph(&c, SHEET_BODY, line, 1);
	sheet_paragraph(&c, SHEET_SMALL, p->cfg->printer_device, 1);
	sheet_gap(&c, sheet_scaled(&c, 8));
	ruler(&c);
	sheet_gap(&c, sheet_scaled(&c, 8));
	sheet_paragraph(&c, SHEET_CODE, "Ắ Ễ Ở Ự đ", 1);
	sheet_paragraph(&c, SHEET_BODY, "ă â ê ô ơ ư · Nguyễn Thị Hương", 1);
	sheet_paragraph(&c, SHEET_SMALL, "Ắ Ễ Ở Ự đ · Đường liên thôn bị hỏng", 1);
	sheet_gap(&c, sheet_scaled(&c, 8));
	sheet_qr(&c, p->cfg->public_url);
	sheet_paragraph(&c, SHEET_SMALL, p->cfg->public_url, 1);
	local_time((long long)time(NULL), when, sizeof when);
	textf(line, sizeof line, l, T_PAPER_PRINTED, when);
	sheet_paragraph(&c, SHEET_BODY, line, 1);
	sheet_gap(&c, sheet_scaled(&c, 16));
	rc = queue_page(p, &c, PRINTOUT_TEST_PAGE, 0, err, errlen);
	sheet_free(&c);
	return rc;
}

void printout_state_get(printout *p, printout_state *st)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_lock(&p->lock);
	st->busy = p->submitted != p->finished;
	st->printed_any = p->finished > 0;
	st->kind = p->last_kind;
	st->result = p->last_result;
	st->finished_at = p->last_at;
	snprintf(st->detail, sizeof st->detail, "%s", p->last_detail);
	st->generation = p->submitted * 2654435761u + p->finished;
	pthread_mutex_unlock(&p->lock);
}

/* ---- life ---- */

printout *printout_new(const config *cfg, char *err, size_t errlen)
{
	printout *p;
	if (!sheet_configured(cfg)) { snprintf(err, errlen, "no printer configured"); return NULL; }
	p = calloc(1, sizeof *p);
	if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
	p->cfg = cfg;
	p->fonts = sheet_fonts_open(cfg, err, errlen);
	if (!p->fonts) {
		printout_free(p);
		return NULL;
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0 || pthread_cond_init(&p->wake, NULL) != 0 ||
	    pthread_create(&p->thread, NULL, worker, p) != 0) {
		snprintf(err, errlen, "cannot start the printer's thread");
		printout_free(p);
		return NULL;
	}
	p->started = 1;
	return p;
}

void printout_free(printout *p)
{
	int i;
	if (!p) return;
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = 1;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
		for (i = 0; i < p->count; i++) {
			job *j = &p->queue[(p->head + i) % QUEUE];
			sodium_memzero(j->stream.data, j->stream.cap);
			escpos_free(&j->stream);
		}
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->wake);
	}
	sheet_fonts_free(p->fonts);
	free(p);
}

int printout_check(const config *cfg, char *msg, size_t msglen) { return sheet_check(cfg, msg, msglen); }
