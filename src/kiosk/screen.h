/* screen: the builders of the kiosk's screens, and what they share.
 *
 * Internal to the screens (screen*.c) and ui.c. Each builder lays out the
 * widget list for one screen from the ui's state; none changes the state.
 * Layout is in design pixels of an 800x480 screen, multiplied by the scale
 * of the real one (S), so every touch target keeps its share of the screen
 * (56 design pixels, 9 mm on a 7-inch panel) from 800x480 up to 1920x1080.
 * Every size is named in the one table below. The screens are grouped by
 * purpose: screen_home.c (home, categories, procedures, the cannot-accept
 * screen), screen_form.c (form, keyboard, review, receipt), screen_lookup.c
 * (lookup and status), screen_staff.c (PIN pad and staff menu),
 * screen_ticket.c (queue numbers), screen_rating.c (the satisfaction
 * rating), screen_guide.c (procedure guidance); screen.c holds the
 * shared pieces, the table of screens and the idle countdown. */
#ifndef MOTCUA_SCREEN_H
#define MOTCUA_SCREEN_H

#include <stdarg.h>
#include "i18n.h"
#include "ui.h"

/* Design sizes, in pixels of the 800x480 design. */
enum {
	/* everywhere */
	SIZE_PAD = 12,            /* between things */
	SIZE_GAP = 6,             /* between tabs, keys, and inside the title bar */
	SIZE_BAR_H = 60,          /* the title bar */
	SIZE_TARGET = 56,         /* the smallest touch target */
	SIZE_BUTTON_H = 64,       /* a screen's main buttons, at the bottom */
	SIZE_LINE_H = 30,         /* a line of body text */
	SIZE_SMALL_LINE_H = 22,   /* a line of small text */
	SIZE_GLYPH_W = 9,         /* a character, to estimate without fonts */
	SIZE_KEY_H = 76,          /* the tallest key a keyboard row gets */
	/* the title bar */
	SIZE_BACK_W = 130,
	SIZE_LANG_W = 120,
	SIZE_BAR_ACTION_W = 150,  /* the way forward on the bar (Next, Look up) */
	/* home */
	SIZE_HOME_LANG_W = 150,
	SIZE_HOME_BIG_MIN_H = 152,    /* a big button: over 150, its words in the upper half, the hint under */
	/* categories and procedures */
	SIZE_PROCEDURE_H = 64,           /* a procedure's row, at least */
	SIZE_PAGE_BUTTON_W = 200,
	/* the form */
	SIZE_TAB_H = 48,
	SIZE_HINT_INSET = 22,         /* the empty field's hint, right of its cursor */
	SIZE_DIGIT_PAD_W = 420,       /* a phone-sized keypad */
	/* review */
	SIZE_REVIEW_LABEL_W = 200,
	SIZE_REVIEW_EDIT_W = 200,
	SIZE_REVIEW_SUBMIT_W = 320,
	/* receipt */
	SIZE_RECEIPT_QR_LEAST = 150,  /* the smallest QR a phone reads at arm's length */
	SIZE_PRINT_LINE_H = 21,       /* each further line of the printing line */
	SIZE_DONE_W = 220,
	/* lookup and status */
	SIZE_LOOKUP_HINT_H = 28,
	SIZE_LOOKUP_HINT_ROOM = 32,
	SIZE_LOOKUP_INPUT_H = 60,
	SIZE_LOOKUP_INPUT_ROOM = 64,
	SIZE_LOOKUP_MSG_H = 28,
	SIZE_LOOKUP_MSG_ROOM = 34,
	SIZE_STATE_H = 44,            /* the status in big letters, at least */
	SIZE_WARN_INSET = 6,          /* a warning's ground around its text (render.c) */
	SIZE_STATUS_BUTTON_W = 160,   /* Done and the details, at least */
	/* procedure guidance */
	SIZE_GUIDE_QR_MIN = 150,      /* the portal's code, big enough for a phone to read */
	/* the cannot-accept screen */
	SIZE_ERROR_BUTTON_W = 260,
	/* PIN pad */
	SIZE_PIN_KEY_W = 110,
	SIZE_PIN_KEY_GAP = 8,
	SIZE_PIN_DISPLAY_H = 40,      /* at least */
	/* staff menu */
	SIZE_STAFF_BUTTON_H = 72,
	SIZE_STAFF_EXIT_W = 300,
	SIZE_STAFF_PRINT_W = 210,
	SIZE_STAFF_DETAIL_GAP = 2,
	SIZE_PROGRESS_H = 22,
	SIZE_PROGRESS_GAP = 4,
	/* queue numbers */
	SIZE_HOME_TICKET_H = 64,      /* home's row of smaller buttons, under the two big ones */
	SIZE_TICKET_FIELD_H = 88,
	/* the satisfaction rating */
	SIZE_RATING_COMMENT_H = 76,
	SIZE_RATING_FACE_H = 220,     /* an answer: big, not the whole screen */
	/* the aids at the bar's right end (screen_aid.c) */
	SIZE_AID_SPEAK_W = 64,
	SIZE_AID_CALL_W = 96,
};

/* A design size in pixels of this screen. */
static inline int S(const ui *u, int design) { return (int)(design * u->scale + 0.5f); }

/* A text of the table in the visit's language. */
static inline const char *T(const ui *u, i18n_id id) { return i18n(u->language, id); }

/* Adds a widget from designated initialisers: ADD(u, .id = "x", .at = ...). */
#define ADD(u, ...) widget_add(&(u)->wl, &(widget_spec){ __VA_ARGS__ })

/* A rectangle, for .at. */
#define RECT(x, y, w, h) ((widget_rect){ (x), (y), (w), (h) })

/* Text in the widget arena, valid until the next build. */
const char *screen_str(ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A table text with its argument filled in. */
const char *screen_tf(ui *u, i18n_id id, ...);

/* 1 if w's text fits its box: measured by the renderer when there is one,
 * else estimated. */
int screen_text_fits(ui *u, const widget *w);

/* Boxes sized to their text, so that the 3 mm text of every font (and the
 * visit's larger text) never outgrows a box drawn for a smaller one: the
 * width of text on one line in font; the height of n lines of it; the
 * width a button needs for its words (its insets added), at least min_w;
 * and screen_fit_h, the least height up to max_h at which w's text fits
 * (w->h is set to it): 1, or 0 when even max_h is not enough (w->h is
 * max_h). Measured by the renderer when there is one, else estimated. */
int screen_text_w(ui *u, widget_font font, const char *text);
int screen_lines_h(ui *u, widget_font font, int n);
int screen_button_w(ui *u, widget_font font, const char *text, int min_w);
int screen_fit_h(ui *u, widget *w, int max_h);

/* The title bar: an optional Back, the title, the language button and an
 * optional action on the right (right_id NULL: none). */
void screen_title_bar(ui *u, const char *title, int with_back, const char *right_id, const char *right_text);
/* The same, for a screen that lays itself out under the y it returns: a
 * title the bar cannot hold whole takes a row of the bar under its
 * buttons rather than be cut. */
int screen_title_bar_row(ui *u, const char *title, int with_back, const char *right_id, const char *right_text);

const char *screen_office_level(ui *u);
const char *screen_category_name(ui *u, const catalog_category *c);
const char *screen_format_date(ui *u, const char *iso);     /* DD/MM/YYYY */
const char *screen_format_time(ui *u, long long t);         /* HH:MM DD/MM/YYYY */
const char *screen_status_text(ui *u, const char *status);
const char *screen_printer_problem(ui *u, escpos_result r);
/* 1 and *out: the next dialogue conference announced for the commune. */
int screen_next_conference(ui *u, proto_conference *out);
/* A label saying which deadline a category's date is. */
i18n_id screen_deadline_label(const catalog_category *c);
/* After the plan is made: a dialogue question is due on the day of the
 * next conference the kiosk knows of (pulled from the server), and its
 * label says so (screen_plan_label, for review, receipt and slip). */
void screen_plan_dialogue(ui *u);
i18n_id screen_plan_label(ui *u);

/* The on-screen keyboard for mode (rows high) in the room under y, keys
 * as tall as the room allows, within what a thumb needs. */
void screen_keyboard(ui *u, kb_mode mode, int rows, int y);
/* The least room that keyboard takes at the screen's bottom: keys of 9 mm. */
int screen_keyboard_h(ui *u, int rows);

/* A label of text wrapped in w at (x, y), as tall as its lines: that
 * height (screen_home.c). */
int screen_label(ui *u, const char *id, const char *text, widget_font font, unsigned flags, int x, int y, int w);

/* The page buttons under a list (screen_home.c): prefix.page_prev,
 * prefix.page (the number) and prefix.page_next. */
void screen_pages(ui *u, const char *prefix, int page, int pages);

/* The procedure list's pages (the guidance's list has no times:
 * with_time 0), at this size and text size: their number, and in first
 * (CATALOG_MAX_PROCEDURES + 1, or NULL) where each page starts. The list's
 * page, with its page buttons (prefix.page_prev, prefix.page_next). */
int screen_procedure_pages(ui *u, int with_time, int *first);
void screen_procedure_list(ui *u, const char *prefix, int page, int with_time);

/* The aids on every screen's bar (screen_aid.c): the speaker and the call
 * for staff at its right end, drawn by screen_aid after the screen, in the
 * room screen_aid_room says the bar must leave them. screen_prompt is the text the speaker reads. */
int screen_aid_room(ui *u);
void screen_aid(ui *u);
i18n_id screen_prompt(ui_screen s);

/* The height of the idle countdown's bar along the bottom: the receipt
 * leaves it that room while it counts. */
int screen_idle_h(ui *u);

/* Builds the current screen, with the idle countdown over it when due. */
void screen_build(ui *u);

/* Where Back leads from s (form and procedure decide for themselves). */
ui_screen screen_back(ui_screen s);

void screen_home(ui *u);
void screen_category(ui *u);
void screen_procedure(ui *u);
void screen_error(ui *u);
void screen_form(ui *u);
void screen_review(ui *u);
void screen_receipt(ui *u);
void screen_lookup(ui *u);
void screen_status(ui *u);
void screen_pin(ui *u);
void screen_staff(ui *u);
void screen_ticket(ui *u);
void screen_ticket_kind(ui *u);
void screen_ticket_done(ui *u);
void screen_rating_how(ui *u);
void screen_rating_entry(ui *u);
void screen_rating_ask(ui *u);
void screen_rating_comment(ui *u);
void screen_rating_done(ui *u);
void screen_guide_list(ui *u);
void screen_guide(ui *u);

/* What became of the last page sent to the printer, as widget id, at
 * (x, y) and w wide, in words (busy, done, failed with the problem's %s):
 * the y below it (screen_form.c). */
int screen_print_line(ui *u, const char *id, const i18n_id words[3], int x, int y, int w);

#endif
