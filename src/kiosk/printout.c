/* printout: drawing the paper receipt and the test page, and the worker
 * that sends them (see printout.h).
 *
 * The page is a canvas one byte a dot, grown downwards as lines are added,
 * then packed into the printer's 1-bit rows. Sizes are in dots for 58 mm
 * paper and scaled for 80 mm, so both keep the same look: about 3 mm text,
 * a QR code of 30 to 40 mm. */
#include "printout.h"
#include "printcups.h"
#include "i18n.h"
#include "log.h"
#include "token.h"
#include <SDL_ttf.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOTS_58 384
#define DOTS_80 576
#define MARGIN 6                 /* dots left and right, at 58 mm */
#define MAX_ROWS 6000            /* 75 cm: far past any receipt */
#define QUEUE 4
#define THRESHOLD 112            /* alpha at which a grey dot prints black */

typedef enum { P_SMALL, P_BODY, P_BOLD, P_TITLE, P_CODE, P_HUGE, P_FONTS } paper_font;

static const struct { const char *file; int size; } paper_fonts[P_FONTS] = {
	[P_SMALL] = { "NotoSans-Regular.ttf", 19 },
	[P_BODY] = { "NotoSans-Regular.ttf", 22 },
	[P_BOLD] = { "NotoSans-Bold.ttf", 22 },
	[P_TITLE] = { "NotoSans-Bold.ttf", 24 },
	[P_CODE] = { "NotoSans-Bold.ttf", 32 },
	[P_HUGE] = { "NotoSans-Bold.ttf", 120 },   /* a queue number: 15 mm tall */
};

typedef struct {
	escpos_stream stream;        /* ESC/POS, or PWG raster for CUPS (printcups.h) */
	printout_kind kind;
	int secret;                  /* a denunciation's letter: purged from CUPS once printed */
} job;

struct printout {
	const config *cfg;
	int dots;
	int cups;                    /* [printer] kind = cups */
	TTF_Font *fonts[P_FONTS];

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

typedef struct {
	int width, height, cap;  /* height: rows drawn so far */
	unsigned char *dot;      /* 1 = black */
	int failed;
} canvas;

int printout_dots(const config *cfg)
{
	return strcmp(cfg->printer_width, "80") == 0 ? DOTS_80 : DOTS_58;
}

/* ---- the canvas ---- */

static int canvas_room(canvas *c, int rows)
{
	int need = c->height + rows;
	if (c->failed) return -1;
	if (need > MAX_ROWS) { c->failed = 1; return -1; }
	if (need > c->cap) {
		int cap = c->cap ? c->cap : 1024;
		unsigned char *p;
		while (cap < need) cap *= 2;
		p = realloc(c->dot, (size_t)cap * (size_t)c->width);
		if (!p) { c->failed = 1; return -1; }
		memset(p + (size_t)c->cap * (size_t)c->width, 0, (size_t)(cap - c->cap) * (size_t)c->width);
		c->dot = p;
		c->cap = cap;
	}
	return 0;
}

static void gap(canvas *c, int rows)
{
	if (canvas_room(c, rows) == 0) c->height += rows;
}

static void fill(canvas *c, int x, int y, int w, int h)
{
	int i, j;
	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			if (i >= 0 && i < c->width && j >= 0 && j < c->cap) c->dot[(size_t)j * (size_t)c->width + (size_t)i] = 1;
}

/* A full-width line of the given thickness, with room around it. */
static void rule(canvas *c, int thick, int space)
{
	if (canvas_room(c, 2 * space + thick) != 0) return;
	fill(c, 0, c->height + space, c->width, thick);
	c->height += 2 * space + thick;
}

/* ---- text ---- */

static int scaled(const printout *p, int dots58) { return dots58 * p->dots / DOTS_58; }

static int text_width(TTF_Font *f, const char *s, size_t len)
{
	char buf[1024];
	int w = 0;
	if (len >= sizeof buf) len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (TTF_SizeUTF8(f, buf, &w, NULL) != 0) return 0;
	return w;
}

/* Renders one line grey (so the font's shapes, diacritics included, are
 * exact) and keeps the dots dark enough to print. */
static void draw_line(canvas *c, TTF_Font *f, const char *s, size_t len, int x)
{
	char buf[1024];
	SDL_Color black = { 0, 0, 0, 0xFF };
	SDL_Surface *surf;
	int row, col;
	if (len >= sizeof buf) len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len == 0) return;
	surf = TTF_RenderUTF8_Blended(f, buf, black);
	if (!surf) { c->failed = 1; return; }
	if (SDL_LockSurface(surf) == 0) {
		for (row = 0; row < surf->h; row++) {
			const Uint8 *line = (const Uint8 *)surf->pixels + (size_t)row * (size_t)surf->pitch;
			for (col = 0; col < surf->w; col++) {
				Uint32 px;
				Uint8 r, g, b, a;
				memcpy(&px, line + (size_t)col * surf->format->BytesPerPixel, sizeof px);
				SDL_GetRGBA(px, surf->format, &r, &g, &b, &a);
				if (a >= THRESHOLD) fill(c, x + col, c->height + row, 1, 1);
			}
		}
		SDL_UnlockSurface(surf);
	}
	SDL_FreeSurface(surf);
}

/* Text wrapped at spaces to the width between the margins (a word wider
 * than that is cut between characters), each line left-aligned or
 * centred, on fixed line boxes. */
static void paragraph(printout *p, canvas *c, paper_font font, const char *s, int center)
{
	TTF_Font *f = p->fonts[font];
	int margin = scaled(p, MARGIN), width = c->width - 2 * margin;
	int skip = TTF_FontLineSkip(f), box = TTF_FontHeight(f);
	size_t n = strlen(s), start = 0;
	while (start < n) {
		size_t end = start, i;
		for (i = start; i <= n; i++) {
			if (i < n && s[i] != ' ' && s[i] != '\n') continue;
			if (text_width(f, s + start, i - start) > width) break;
			end = i;
			if (i == n || s[i] == '\n') break;
		}
		if (end == start) {       /* one word wider than the paper */
			size_t j = start;
			while (j < n && s[j] != ' ') {
				size_t k = j + 1;
				while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
				if (j > start && text_width(f, s + start, k - start) > width) break;
				j = k;
			}
			end = j;
		}
		if (canvas_room(c, skip > box ? skip : box) != 0) return;
		{
			int w = text_width(f, s + start, end - start);
			draw_line(c, f, s + start, end - start, center ? (c->width - w) / 2 : margin);
		}
		c->height += skip;
		start = end;
		while (start < n && (s[start] == ' ' || s[start] == '\n')) start++;
	}
}

/* "Label: value" as one wrapped paragraph. */
static void field(printout *p, canvas *c, paper_font font, const char *label, const char *value)
{
	char line[1200];
	snprintf(line, sizeof line, "%s: %s", label, value);
	paragraph(p, c, font, line, 0);
	sodium_memzero(line, sizeof line);
}

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

/* The QR code centred, whole dots per module, four modules of white all
 * round (the canvas is white). */
static void qr(printout *p, canvas *c, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int modules, px, side, x0, x, y;
	if (!q) { c->failed = 1; return; }
	modules = q->width + 8;
	px = (c->width * 2 / 3) / modules;
	if (px > scaled(p, 6)) px = scaled(p, 6);
	if (px < 2) px = 2;
	side = px * modules;
	x0 = (c->width - side) / 2;
	if (canvas_room(c, side) == 0) {
		for (y = 0; y < q->width; y++)
			for (x = 0; x < q->width; x++)
				if (q->data[y * q->width + x] & 1)
					fill(c, x0 + (x + 4) * px, c->height + (y + 4) * px, px, px);
		c->height += side;
	}
	QRcode_free(q);
}

static void local_time(long long t, char *out, size_t outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	snprintf(out, outlen, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday, tm.tm_mon + 1,
		tm.tm_year + 1900);
}

/* The office: the commune's name, and the one-stop-shop section under it. */
static void letterhead(printout *p, canvas *c, lang l)
{
	gap(c, scaled(p, 8));
	paragraph(p, c, P_TITLE, p->cfg->commune_name, 1);
	paragraph(p, c, P_SMALL, i18n(l, T_PAPER_OFFICE), 1);
	rule(c, 2, scaled(p, 8));
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

		if (p->cups)
			r = printcups_send(p->cfg->printer_server, p->cfg->printer_queue, kind_names[j.kind], j.secret,
				60000, j.stream.data, j.stream.len, detail, sizeof detail) == 0 ? ESCPOS_OK : ESCPOS_WRITE_FAILED;
		else
			r = escpos_send(p->cfg->printer_device, j.stream.data, j.stream.len, detail, sizeof detail);
		/* The picture holds the citizen's name. */
		sodium_memzero(j.stream.data, j.stream.cap);
		escpos_free(&j.stream);
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

/* Packs the canvas into printer rows and queues the page. */
static int queue_page(printout *p, canvas *c, printout_kind kind, int secret, char *err, size_t errlen)
{
	size_t row_bytes = (size_t)(c->width + 7) / 8;
	unsigned char *bits;
	escpos_image img;
	job j;
	int x, y, rc = -1;
	if (c->failed) { snprintf(err, errlen, "the page could not be drawn (out of memory or a font error)"); return -1; }
	bits = calloc((size_t)c->height ? (size_t)c->height : 1, row_bytes);
	if (!bits) { snprintf(err, errlen, "out of memory"); return -1; }
	for (y = 0; y < c->height; y++)
		for (x = 0; x < c->width; x++)
			if (c->dot[(size_t)y * (size_t)c->width + (size_t)x])
				bits[(size_t)y * row_bytes + (size_t)x / 8] |= (unsigned char)(0x80 >> (x % 8));
	img.width = c->width;
	img.height = c->height;
	img.bits = bits;
	memset(&j, 0, sizeof j);
	j.kind = kind;
	j.secret = secret;
	if (p->cups ? printcups_raster(&img, &j.stream) != 0 : escpos_page(&j.stream, &img) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	pthread_mutex_lock(&p->lock);
	if (p->count == QUEUE) {
		pthread_mutex_unlock(&p->lock);
		snprintf(err, errlen, "the printer has not taken the last %d pages yet", QUEUE);
		goto out;
	}
	p->queue[(p->head + p->count) % QUEUE] = j;
	p->count++;
	p->submitted++;
	memset(&j, 0, sizeof j);
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	rc = 0;
out:
	if (j.stream.data) sodium_memzero(j.stream.data, j.stream.cap);
	escpos_free(&j.stream);
	sodium_memzero(bits, (size_t)c->height * row_bytes);
	free(bits);
	return rc;
}

static void canvas_free(canvas *c)
{
	if (c->dot) sodium_memzero(c->dot, (size_t)c->cap * (size_t)c->width);
	free(c->dot);
}

/* The papers to bring as boxes to tick, and the fee. */
static void papers(printout *p, canvas *c, lang l, const char *const *list, int n, const char *fee)
{
	char line[300];
	int i;
	if (n <= 0 && !(fee && fee[0])) return;
	gap(c, scaled(p, 6));
	if (n > 0) paragraph(p, c, P_BOLD, i18n(l, T_GUIDE_PAPERS), 0);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "[  ] %s", list[i]);
		paragraph(p, c, P_BODY, line, 0);
	}
	if (fee && fee[0]) field(p, c, P_BODY, i18n(l, T_GUIDE_FEE), fee);
}

/* A denunciation's slip and letter never wait in a shared queue that
 * keeps copies (Law on Denunciation 2018, Art. 47-48; docs/papers.md): 1
 * refused, with why in err. */
static int refuse_shared(const printout *p, int secret, const char *what, char *err, size_t errlen)
{
	if (!secret || !p->cups || strcmp(p->cfg->printer_private, "yes") == 0) return 0;
	snprintf(err, errlen, "a denunciation's %s is not sent to the shared CUPS queue %s: mark it [printer]"
		" private = yes only when it is this office's alone and keeps no copies", what, p->cfg->printer_queue);
	return 1;
}

int printout_print_receipt(printout *p, const printout_receipt *r, char *err, size_t errlen)
{
	canvas c = { p->dots, 0, 0, NULL, 0 };
	char grouped[TOKEN_GROUPED_LEN + 1], when[64], due[16], how[600];
	int y, m, d, rc;
	lang l = r->language;
	if (refuse_shared(p, r->secret, "slip", err, errlen)) return -1;
	token_group(r->token, grouped);
	letterhead(p, &c, l);
	paragraph(p, &c, P_TITLE, i18n(l, T_PAPER_HEADING), 1);
	gap(&c, scaled(p, 10));
	paragraph(p, &c, P_SMALL, i18n(l, T_RECEIPT_CODE), 1);
	paragraph(p, &c, P_CODE, grouped, 1);
	paragraph(p, &c, P_SMALL, r->request_id, 1);
	gap(&c, scaled(p, 10));
	field(p, &c, P_BODY, i18n(l, T_PAPER_WHAT), r->what);
	if (r->citizen_name && r->citizen_name[0]) field(p, &c, P_BODY, i18n(l, T_PAPER_NAME), r->citizen_name);
	local_time(r->received_at, when, sizeof when);
	field(p, &c, P_BODY, i18n(l, T_RECEIPT_TIME), when);
	if (sscanf(r->deadline, "%d-%d-%d", &y, &m, &d) == 3) snprintf(due, sizeof due, "%02d/%02d/%04d", d, m, y);
	else snprintf(due, sizeof due, "%.15s", r->deadline);
	field(p, &c, P_BOLD, r->deadline_label, due);
	papers(p, &c, l, r->papers, r->npapers, r->fee);
	gap(&c, scaled(p, 8));
	qr(p, &c, r->url);
	gap(&c, scaled(p, 4));
	textf(how, sizeof how, l, T_PAPER_HOW, p->cfg->public_url);
	paragraph(p, &c, P_SMALL, how, 1);
	gap(&c, scaled(p, 16));
	rc = queue_page(p, &c, PRINTOUT_RECEIPT, r->secret, err, errlen);
	canvas_free(&c);
	return rc;
}

int printout_print_guide(printout *p, const printout_guide *g, char *err, size_t errlen)
{
	canvas c = { p->dots, 0, 0, NULL, 0 };
	char line[300];
	int rc;
	lang l = g->language;
	letterhead(p, &c, l);
	paragraph(p, &c, P_TITLE, i18n(l, T_PAPER_GUIDE), 1);
	paragraph(p, &c, P_BOLD, g->name, 1);
	gap(&c, scaled(p, 8));
	field(p, &c, P_BODY, i18n(l, T_GUIDE_TIME), g->time);
	if (g->where && g->where[0]) field(p, &c, P_BODY, i18n(l, T_GUIDE_WHERE), g->where);
	papers(p, &c, l, g->papers, g->npapers, g->fee);
	if (g->url && g->url[0]) {
		gap(&c, scaled(p, 8));
		qr(p, &c, g->url);
		textf(line, sizeof line, l, T_GUIDE_PORTAL, g->portal_code);
		paragraph(p, &c, P_SMALL, line, 1);
	}
	gap(&c, scaled(p, 16));
	rc = queue_page(p, &c, PRINTOUT_GUIDE, 0, err, errlen);
	canvas_free(&c);
	return rc;
}

int printout_print_ticket(printout *p, const printout_ticket *t, char *err, size_t errlen)
{
	canvas c = { p->dots, 0, 0, NULL, 0 };
	char when[64], line[300];
	int rc;
	lang l = t->language;
	letterhead(p, &c, l);
	paragraph(p, &c, P_TITLE, i18n(l, T_PAPER_TICKET), 1);
	paragraph(p, &c, P_HUGE, t->label, 1);
	snprintf(line, sizeof line, "%s%s%s", t->field, t->priority ? " · " : "", t->priority ? i18n(l, T_TICKET_PRIORITY) : "");
	paragraph(p, &c, P_BOLD, line, 1);
	gap(&c, scaled(p, 8));
	if (t->ahead > 0) {
		textf(line, sizeof line, l, T_TICKET_AHEAD, t->ahead);
		paragraph(p, &c, P_BODY, line, 1);
		textf(line, sizeof line, l, T_TICKET_WAIT, t->wait_minutes);
		paragraph(p, &c, P_BODY, line, 1);
	} else paragraph(p, &c, P_BODY, i18n(l, T_TICKET_NEXT), 1);
	local_time(t->taken_at, when, sizeof when);
	textf(line, sizeof line, l, T_PAPER_TICKET_TIME, when);
	paragraph(p, &c, P_SMALL, line, 1);
	paragraph(p, &c, P_SMALL, i18n(l, T_TICKET_WATCH), 1);
	gap(&c, scaled(p, 16));
	rc = queue_page(p, &c, PRINTOUT_TICKET, 0, err, errlen);
	canvas_free(&c);
	return rc;
}

int printout_print_letter(printout *p, const printout_letter *l, char *err, size_t errlen)
{
	canvas c = { p->dots, 0, 0, NULL, 0 };
	char grouped[TOKEN_GROUPED_LEN + 1], when[64], line[300];
	int i, rc, box, margin = scaled(p, MARGIN);
	lang lg = l->language;
	if (refuse_shared(p, l->denunciation, "letter", err, errlen)) return -1;
	token_group(l->token, grouped);
	letterhead(p, &c, lg);
	paragraph(p, &c, P_TITLE, i18n(lg, l->denunciation ? T_LETTER_DENUNCIATION : T_LETTER_COMPLAINT), 1);
	gap(&c, scaled(p, 8));
	snprintf(line, sizeof line, "%s: %s", i18n(lg, T_LETTER_TO), p->cfg->commune_name);
	paragraph(p, &c, P_BODY, line, 0);
	gap(&c, scaled(p, 6));
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (l->values[i] && l->values[i][0] && l->labels[i]) field(p, &c, P_BODY, l->labels[i], l->values[i]);
	gap(&c, scaled(p, 6));
	field(p, &c, P_SMALL, i18n(lg, T_RECEIPT_CODE), grouped);
	local_time(l->written_at, when, sizeof when);
	field(p, &c, P_SMALL, i18n(lg, T_RECEIPT_TIME), when);
	if (l->denunciation) {
		gap(&c, scaled(p, 6));
		paragraph(p, &c, P_SMALL, i18n(lg, T_LETTER_SECRET), 0);
	}
	gap(&c, scaled(p, 6));
	paragraph(p, &c, P_SMALL, i18n(lg, T_LETTER_HAND_IN), 0);
	gap(&c, scaled(p, 8));
	paragraph(p, &c, P_BODY, i18n(lg, T_LETTER_SIGN), 1);
	/* The box to sign or press a finger in: about 25 mm tall. */
	box = scaled(p, 200);
	if (canvas_room(&c, box + 4) == 0) {
		fill(&c, margin, c.height, c.width - 2 * margin, 3);
		fill(&c, margin, c.height + box, c.width - 2 * margin, 3);
		fill(&c, margin, c.height, 3, box + 3);
		fill(&c, c.width - margin - 3, c.height, 3, box + 3);
		c.height += box + 4;
	}
	gap(&c, scaled(p, 16));
	rc = queue_page(p, &c, PRINTOUT_LETTER, l->denunciation, err, errlen);
	canvas_free(&c);
	sodium_memzero(line, sizeof line);
	return rc;
}

/* A millimetre ruler across the paper: a tick each mm, longer each 5 and
 * 10 mm, numbered each 10, so the installer sees the printable width. */
static void ruler(printout *p, canvas *c)
{
	int mm, per_mm = 8, top, len;
	TTF_Font *f = p->fonts[P_SMALL];
	if (canvas_room(c, 30 + TTF_FontLineSkip(f)) != 0) return;
	top = c->height;
	fill(c, 0, top, c->width, 2);
	for (mm = 0; mm * per_mm < c->width; mm++) {
		len = mm % 10 == 0 ? 24 : mm % 5 == 0 ? 16 : 8;
		fill(c, mm * per_mm, top, 2, len);
	}
	fill(c, c->width - 2, top, 2, 24);
	c->height += 26;
	for (mm = 10; (mm + 2) * per_mm < c->width; mm += 10) {
		char n[16];
		snprintf(n, sizeof n, "%d", mm);
		draw_line(c, f, n, strlen(n), mm * per_mm - text_width(f, n, strlen(n)) / 2);
	}
	c->height += TTF_FontLineSkip(f);
}

int printout_print_test_page(printout *p, lang l, char *err, size_t errlen)
{
	canvas c = { p->dots, 0, 0, NULL, 0 };
	char line[300], when[64];
	int rc;
	letterhead(p, &c, l);
	paragraph(p, &c, P_TITLE, i18n(l, T_PAPER_TEST), 1);
	textf(line, sizeof line, l, T_PAPER_WIDTH, p->cfg->printer_width, p->dots);
	paragraph(p, &c, P_BODY, line, 1);
	paragraph(p, &c, P_SMALL, p->cfg->printer_device, 1);
	gap(&c, scaled(p, 8));
	ruler(p, &c);
	gap(&c, scaled(p, 8));
	paragraph(p, &c, P_CODE, "Ắ Ễ Ở Ự đ", 1);
	paragraph(p, &c, P_BODY, "ă â ê ô ơ ư · Nguyễn Thị Hương", 1);
	paragraph(p, &c, P_SMALL, "Ắ Ễ Ở Ự đ · Đường liên thôn bị hỏng", 1);
	gap(&c, scaled(p, 8));
	qr(p, &c, p->cfg->public_url);
	paragraph(p, &c, P_SMALL, p->cfg->public_url, 1);
	local_time((long long)time(NULL), when, sizeof when);
	textf(line, sizeof line, l, T_PAPER_PRINTED, when);
	paragraph(p, &c, P_BODY, line, 1);
	gap(&c, scaled(p, 16));
	rc = queue_page(p, &c, PRINTOUT_TEST_PAGE, 0, err, errlen);
	canvas_free(&c);
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
	int i;
	int cups = strcmp(cfg->printer_kind, "cups") == 0;
	if (!cups && !cfg->printer_device[0]) { snprintf(err, errlen, "no printer configured"); return NULL; }
	if (!TTF_WasInit() && TTF_Init() != 0) { snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError()); return NULL; }
	p = calloc(1, sizeof *p);
	if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
	p->cfg = cfg;
	p->dots = printout_dots(cfg);
	p->cups = cups;
	for (i = 0; i < P_FONTS; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", cfg->fonts_dir, paper_fonts[i].file);
		p->fonts[i] = TTF_OpenFont(path, scaled(p, paper_fonts[i].size));
		if (!p->fonts[i]) {
			snprintf(err, errlen, "%s: %s", path, TTF_GetError());
			printout_free(p);
			return NULL;
		}
		/* Thresholded dots look best from the font's own outlines. */
		TTF_SetFontHinting(p->fonts[i], TTF_HINTING_NORMAL);
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
	for (i = 0; i < P_FONTS; i++)
		if (p->fonts[i]) TTF_CloseFont(p->fonts[i]);
	free(p);
}

int printout_check(const config *cfg, char *msg, size_t msglen)
{
	char detail[300];
	escpos_result r;
	if (strcmp(cfg->printer_kind, "cups") == 0) {
		if (printcups_probe(cfg->printer_server, cfg->printer_queue, detail, sizeof detail) == 0) {
			snprintf(msg, msglen, "%s, A4 through CUPS%s", detail, strcmp(cfg->printer_private, "yes") == 0
				? ", private: denunciations' letters too" : ", shared: not for denunciations' letters");
			return 0;
		}
		snprintf(msg, msglen, "%s — start CUPS, or fix [printer] queue and server", detail);
		return -1;
	}
	if (!cfg->printer_device[0]) {
		snprintf(msg, msglen, "no printer configured ([printer] device is empty): receipts are shown on screen only");
		return 1;
	}
	r = escpos_probe(cfg->printer_device, detail, sizeof detail);
	if (r == ESCPOS_OK) {
		snprintf(msg, msglen, "%s, %s mm paper (%d dots)", detail, cfg->printer_width, printout_dots(cfg));
		return 0;
	}
	snprintf(msg, msglen, "%s: %s — %s", escpos_result_text(r), detail,
		r == ESCPOS_NO_PRINTER ? "plug the printer in and switch it on, or fix [printer] device"
		: r == ESCPOS_PAPER_OUT ? "load a paper roll"
		: r == ESCPOS_COVER_OPEN ? "close the printer's cover"
		: "switch the printer off and on, and check its cable");
	return -1;
}
