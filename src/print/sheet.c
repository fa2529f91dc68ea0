/* sheet: drawing a page into a 1-bit picture and sending it to the
 * configured printer (see sheet.h).
 *
 * Sizes are in dots for 58 mm paper and scaled for 80 mm, so both keep the
 * same look: about 3 mm text, a QR code of 30 to 40 mm. */
#include "sheet.h"
#include "fontfile.h"
#include "printcups.h"
#include <SDL_ttf.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOTS_58 384
#define DOTS_80 576
#define MARGIN 6                 /* dots left and right, at 58 mm */
#define MAX_ROWS 6000            /* 75 cm: far past any paper */
#define THRESHOLD 112            /* alpha at which a grey dot prints black */
#define CUPS_WAIT_MS 60000       /* a secret job's wait to be printed, then purged */

static const struct { const char *file; int size; } font_files[SHEET_FONTS] = {
	[SHEET_SMALL] = { "NotoSans-Regular.ttf", 19 },
	[SHEET_BODY] = { "NotoSans-Regular.ttf", 22 },
	[SHEET_BOLD] = { "NotoSans-Bold.ttf", 22 },
	[SHEET_TITLE] = { "NotoSans-Bold.ttf", 24 },
	[SHEET_CODE] = { "NotoSans-Bold.ttf", 32 },
	[SHEET_HUGE] = { "NotoSans-Bold.ttf", 120 },   /* a queue number: 15 mm tall */
};

struct sheet_fonts {
	int dots;
	TTF_Font *font[SHEET_FONTS];
};

int sheet_dots(const config *cfg)
{
	return strcmp(cfg->printer_width, "80") == 0 ? DOTS_80 : DOTS_58;
}

int sheet_configured(const config *cfg)
{
	return strcmp(cfg->printer_kind, "cups") == 0 || cfg->printer_device[0] != '\0';
}

sheet_fonts *sheet_fonts_open(const config *cfg, char *err, size_t errlen)
{
	sheet_fonts *f;
	int i;
	if (!TTF_WasInit() && TTF_Init() != 0) { snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError()); return NULL; }
	f = calloc(1, sizeof *f);
	if (!f) { snprintf(err, errlen, "out of memory"); return NULL; }
	f->dots = sheet_dots(cfg);
	for (i = 0; i < SHEET_FONTS; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", cfg->fonts_dir, font_files[i].file);
		f->font[i] = fontfile_open(path, font_files[i].size * f->dots / DOTS_58, err, errlen);
		if (!f->font[i]) {
			sheet_fonts_free(f);
			return NULL;
		}
		/* Thresholded dots look best from the font's own outlines. */
		TTF_SetFontHinting(f->font[i], TTF_HINTING_NORMAL);
	}
	return f;
}

void sheet_fonts_free(sheet_fonts *f)
{
	int i;
	if (!f) return;
	for (i = 0; i < SHEET_FONTS; i++)
		if (f->font[i]) TTF_CloseFont(f->font[i]);
	free(f);
}

void sheet_start(sheet *s, const sheet_fonts *f)
{
	memset(s, 0, sizeof *s);
	s->fonts = f;
	s->width = f->dots;
}

void sheet_free(sheet *s)
{
	if (s->dot) sodium_memzero(s->dot, (size_t)s->cap * (size_t)s->width);
	free(s->dot);
	s->dot = NULL;
	s->cap = s->height = 0;
}

int sheet_scaled(const sheet *s, int dots58) { return dots58 * s->width / DOTS_58; }
int sheet_margin(const sheet *s) { return sheet_scaled(s, MARGIN); }

int sheet_room(sheet *s, int rows)
{
	int need = s->height + rows;
	if (s->failed) return -1;
	if (need > MAX_ROWS) { s->failed = 1; return -1; }
	if (need > s->cap) {
		int cap = s->cap ? s->cap : 1024;
		unsigned char *p;
		while (cap < need) cap *= 2;
		p = realloc(s->dot, (size_t)cap * (size_t)s->width);
		if (!p) { s->failed = 1; return -1; }
		memset(p + (size_t)s->cap * (size_t)s->width, 0, (size_t)(cap - s->cap) * (size_t)s->width);
		s->dot = p;
		s->cap = cap;
	}
	return 0;
}

void sheet_gap(sheet *s, int rows)
{
	if (sheet_room(s, rows) == 0) s->height += rows;
}

void sheet_fill(sheet *s, int x, int y, int w, int h)
{
	int i, j;
	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			if (i >= 0 && i < s->width && j >= 0 && j < s->cap) s->dot[(size_t)j * (size_t)s->width + (size_t)i] = 1;
}

void sheet_rule(sheet *s, int thick, int space)
{
	if (sheet_room(s, 2 * space + thick) != 0) return;
	sheet_fill(s, 0, s->height + space, s->width, thick);
	s->height += 2 * space + thick;
}

/* ---- text ---- */

static int width_of(TTF_Font *f, const char *text, size_t len)
{
	char buf[1024];
	int w = 0;
	if (len >= sizeof buf) len = sizeof buf - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (TTF_SizeUTF8(f, buf, &w, NULL) != 0) w = 0;
	sodium_memzero(buf, len);
	return w;
}

int sheet_text_width(const sheet *s, sheet_font font, const char *text)
{
	return width_of(s->fonts->font[font], text, strlen(text));
}

int sheet_line_skip(const sheet *s, sheet_font font) { return TTF_FontLineSkip(s->fonts->font[font]); }

/* Renders one line grey (so the font's shapes, diacritics included, are
 * exact) and keeps the dots dark enough to print. */
static void draw_line(sheet *s, TTF_Font *f, const char *text, size_t len, int x)
{
	char buf[1024];
	SDL_Color black = { 0, 0, 0, 0xFF };
	SDL_Surface *surf;
	int row, col;
	if (len == 0) return;
	if (len >= sizeof buf) len = sizeof buf - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	surf = TTF_RenderUTF8_Blended(f, buf, black);
	sodium_memzero(buf, len);
	if (!surf) { s->failed = 1; return; }
	if (SDL_LockSurface(surf) == 0) {
		for (row = 0; row < surf->h; row++) {
			const Uint8 *line = (const Uint8 *)surf->pixels + (size_t)row * (size_t)surf->pitch;
			for (col = 0; col < surf->w; col++) {
				Uint32 px;
				Uint8 r, g, b, a;
				memcpy(&px, line + (size_t)col * surf->format->BytesPerPixel, sizeof px);
				SDL_GetRGBA(px, surf->format, &r, &g, &b, &a);
				if (a >= THRESHOLD) sheet_fill(s, x + col, s->height + row, 1, 1);
			}
		}
		SDL_UnlockSurface(surf);
	}
	/* The picture may hold a citizen's name. */
	if (surf->pixels) memset(surf->pixels, 0, (size_t)surf->h * (size_t)surf->pitch);
	SDL_FreeSurface(surf);
}

void sheet_text_at(sheet *s, sheet_font font, const char *text, int x)
{
	draw_line(s, s->fonts->font[font], text, strlen(text), x);
}

void sheet_paragraph(sheet *s, sheet_font font, const char *text, int center)
{
	TTF_Font *f = s->fonts->font[font];
	int margin = sheet_margin(s), width = s->width - 2 * margin;
	int skip = TTF_FontLineSkip(f), box = TTF_FontHeight(f);
	size_t n = strlen(text), start = 0;
	while (start < n) {
		size_t end = start, i;
		for (i = start; i <= n; i++) {
			if (i < n && text[i] != ' ' && text[i] != '\n') continue;
			if (width_of(f, text + start, i - start) > width) break;
			end = i;
			if (i == n || text[i] == '\n') break;
		}
		if (end == start) {       /* one word wider than the paper */
			size_t j = start;
			while (j < n && text[j] != ' ' && text[j] != '\n') {
				size_t k = j + 1;
				while (k < n && ((unsigned char)text[k] & 0xC0) == 0x80) k++;
				if (j > start && width_of(f, text + start, k - start) > width) break;
				j = k;
			}
			end = j;
		}
		if (sheet_room(s, skip > box ? skip : box) != 0) return;
		{
			int w = width_of(f, text + start, end - start);
			draw_line(s, f, text + start, end - start, center ? (s->width - w) / 2 : margin);
		}
		s->height += skip;
		start = end;
		while (start < n && (text[start] == ' ' || text[start] == '\n')) start++;
	}
}

void sheet_field(sheet *s, sheet_font font, const char *label, const char *value)
{
	char line[1200];
	snprintf(line, sizeof line, "%s: %s", label, value);
	sheet_paragraph(s, font, line, 0);
	sodium_memzero(line, sizeof line);
}

void sheet_qr(sheet *s, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int modules, px, side, x0, x, y;
	if (!q) { s->failed = 1; return; }
	modules = q->width + 8;
	px = (s->width * 2 / 3) / modules;
	if (px > sheet_scaled(s, 6)) px = sheet_scaled(s, 6);
	if (px < 2) px = 2;
	side = px * modules;
	x0 = (s->width - side) / 2;
	if (sheet_room(s, side) == 0) {
		for (y = 0; y < q->width; y++)
			for (x = 0; x < q->width; x++)
				if (q->data[y * q->width + x] & 1)
					sheet_fill(s, x0 + (x + 4) * px, s->height + (y + 4) * px, px, px);
		s->height += side;
	}
	QRcode_free(q);
}

/* ---- to the printer ---- */

int sheet_encode(const sheet *s, const config *cfg, escpos_stream *out, char *err, size_t errlen)
{
	size_t row_bytes = (size_t)(s->width + 7) / 8;
	unsigned char *bits;
	escpos_image img;
	int x, y, rc;
	if (s->failed) { snprintf(err, errlen, "the page could not be drawn (out of memory, too long or a font error)"); return -1; }
	bits = calloc((size_t)s->height ? (size_t)s->height : 1, row_bytes);
	if (!bits) { snprintf(err, errlen, "out of memory"); return -1; }
	for (y = 0; y < s->height; y++)
		for (x = 0; x < s->width; x++)
			if (s->dot[(size_t)y * (size_t)s->width + (size_t)x])
				bits[(size_t)y * row_bytes + (size_t)x / 8] |= (unsigned char)(0x80 >> (x % 8));
	img.width = s->width;
	img.height = s->height;
	img.bits = bits;
	if (strcmp(cfg->printer_kind, "cups") == 0) rc = printcups_raster(&img, out, err, errlen);
	else if ((rc = escpos_page(out, &img)) != 0) snprintf(err, errlen, "out of memory");
	if (rc != 0) {
		if (out->data) sodium_memzero(out->data, out->cap);
		escpos_free(out);
	}
	sodium_memzero(bits, (size_t)s->height * row_bytes);
	free(bits);
	return rc;
}

int sheet_refuse_shared(const config *cfg, int secret, const char *what, char *err, size_t errlen)
{
	if (!secret || strcmp(cfg->printer_kind, "cups") != 0 || strcmp(cfg->printer_private, "yes") == 0) return 0;
	snprintf(err, errlen, "a denunciation's %s is not sent to the shared CUPS queue %s: mark it [printer]"
		" private = yes only when it is this office's alone and keeps no copies", what, cfg->printer_queue);
	return 1;
}

escpos_result sheet_send(const config *cfg, const char *title, int secret, escpos_stream *data,
	char *detail, size_t detaillen)
{
	escpos_result r;
	detail[0] = '\0';
	if (strcmp(cfg->printer_kind, "cups") == 0)
		r = printcups_send(cfg->printer_server, cfg->printer_queue, title, secret, CUPS_WAIT_MS,
			data->data, data->len, detail, detaillen) == 0 ? ESCPOS_OK : ESCPOS_WRITE_FAILED;
	else if (!cfg->printer_device[0]) {
		snprintf(detail, detaillen, "no printer configured");
		r = ESCPOS_NO_PRINTER;
	} else
		r = escpos_send(cfg->printer_device, data->data, data->len, detail, detaillen);
	/* The picture may hold a citizen's name. */
	if (data->data) sodium_memzero(data->data, data->cap);
	escpos_free(data);
	return r;
}

int sheet_check(const config *cfg, char *msg, size_t msglen)
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
		snprintf(msg, msglen, "no printer configured ([printer] device is empty): papers are shown on screen only");
		return 1;
	}
	r = escpos_probe(cfg->printer_device, detail, sizeof detail);
	if (r == ESCPOS_OK) {
		snprintf(msg, msglen, "%s, %s mm paper (%d dots)", detail, cfg->printer_width, sheet_dots(cfg));
		return 0;
	}
	snprintf(msg, msglen, "%s: %s — %s", escpos_result_text(r), detail,
		r == ESCPOS_NO_PRINTER ? "plug the printer in and switch it on, or fix [printer] device"
		: r == ESCPOS_PAPER_OUT ? "load a paper roll"
		: r == ESCPOS_COVER_OPEN ? "close the printer's cover"
		: "switch the printer off and on, and check its cable");
	return -1;
}
