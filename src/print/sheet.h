/* sheet: a printed page as the kiosk and the office's counters both make
 * it, and the printer it goes to.
 *
 * Receipt printers have no Vietnamese code page, so a page is drawn as a
 * 1-bit picture as wide as the paper's printable line (58 mm: 384 dots,
 * 80 mm: 576 dots) with the project's own font, then sent as configured
 * ([printer] in the configuration): ESC/POS to the receipt printer
 * (escpos.h) or PWG raster on A4 to a CUPS queue (printcups.h). Text is
 * rendered grey with SDL_ttf (no window: only its fonts and surfaces) and
 * thresholded, so diacritics stay whole; a QR code has whole dots per
 * module and its quiet zone.
 *
 * The words are the caller's (the kiosk's i18n, the office's words): this
 * module only lays out lines. A sheet may hold a citizen's name, so it is
 * wiped when freed, and so is every stream made from it.
 *
 * A denunciation's papers are secret (Law on Denunciation 2018, Art. 47;
 * docs/papers.md): sheet_refuse_shared refuses them for a CUPS queue the
 * configuration does not mark private, and sheet_send purges them from
 * the scheduler once printed. Fonts (SDL_ttf objects) must not be used by
 * two threads at once: a caller with threads holds its own lock. */
#ifndef MOTCUA_SHEET_H
#define MOTCUA_SHEET_H

#include <stddef.h>
#include "config.h"
#include "escpos.h"

typedef enum { SHEET_SMALL, SHEET_BODY, SHEET_BOLD, SHEET_TITLE, SHEET_CODE, SHEET_HUGE, SHEET_FONTS } sheet_font;

typedef struct sheet_fonts sheet_fonts;

/* A page being drawn, grown downwards as lines are added. Start it with
 * sheet_start; free it with sheet_free. */
typedef struct {
	const sheet_fonts *fonts;
	int width, height, cap;  /* height: rows drawn so far */
	unsigned char *dot;      /* one byte a dot, 1 = black */
	int failed;              /* out of memory, too long, or a font error */
} sheet;

/* The paper's width in dots for a configuration. */
int sheet_dots(const config *cfg);

/* Whether cfg names a printer at all ([printer] kind = cups, or a device). */
int sheet_configured(const config *cfg);

/* Opens the fonts from cfg's fonts_dir at cfg's paper width. NULL with why. */
sheet_fonts *sheet_fonts_open(const config *cfg, char *err, size_t errlen);
void sheet_fonts_free(sheet_fonts *f);

void sheet_start(sheet *s, const sheet_fonts *f);
void sheet_free(sheet *s);

/* Sizes are in dots for 58 mm paper: this scales them to the sheet's. */
int sheet_scaled(const sheet *s, int dots58);
/* The left and right margin, in dots. */
int sheet_margin(const sheet *s);

/* Room for rows more below what is drawn: 0, or -1 (the sheet has failed). */
int sheet_room(sheet *s, int rows);
void sheet_gap(sheet *s, int rows);
/* Blackens a rectangle (within the room made). */
void sheet_fill(sheet *s, int x, int y, int w, int h);
/* A full-width line of the given thickness, with space above and below. */
void sheet_rule(sheet *s, int thick, int space);
/* Text wrapped at spaces to the margins (a word wider than that is cut
 * between characters), left-aligned or centred; "\n" starts a new line. */
void sheet_paragraph(sheet *s, sheet_font font, const char *text, int center);
/* "label: value" as one wrapped paragraph. */
void sheet_field(sheet *s, sheet_font font, const char *label, const char *value);
/* The QR code of text, centred. */
void sheet_qr(sheet *s, const char *text);
/* One line of text at x on the current row, without moving down. */
void sheet_text_at(sheet *s, sheet_font font, const char *text, int x);
int sheet_text_width(const sheet *s, sheet_font font, const char *text);
int sheet_line_skip(const sheet *s, sheet_font font);

/* The sheet as the bytes for cfg's printer: ESC/POS for a receipt printer,
 * PWG raster for CUPS. 0, or -1 with why in err. */
int sheet_encode(const sheet *s, const config *cfg, escpos_stream *out, char *err, size_t errlen);

/* 1 when a secret page (a denunciation's) may not go to cfg's printer: a
 * CUPS queue not marked private = yes (err says so, naming what); else 0. */
int sheet_refuse_shared(const config *cfg, int secret, const char *what, char *err, size_t errlen);

/* Sends an encoded page to cfg's printer, waiting for it (seconds when the
 * printer is slow or gone: not on a screen's thread). title names a CUPS
 * job (a secret one is named "motcua" and purged once printed). The stream
 * is wiped after. ESCPOS_OK, or what went wrong; detail names the device or
 * queue and job for the log, never what was printed. */
escpos_result sheet_send(const config *cfg, const char *title, int secret, escpos_stream *data,
	char *detail, size_t detaillen);

/* For a self-check: 1 when no printer is configured (msg says so), 0 when
 * it is there and reports no problem, -1 when it is missing or reports one
 * (msg says what and what to do). */
int sheet_check(const config *cfg, char *msg, size_t msglen);

#endif
