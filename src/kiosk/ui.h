/* ui: the kiosk's state, and what a tap, a key or the clock does to it.
 *
 * The screens (screen.h) lay out a widget list (widget.h) for the current
 * state and size; the renderer draws that list, the control interface
 * dumps it, and taps are resolved against it here; filing itself is
 * file.h's. So the whole flow of a citizen's visit can be driven and
 * checked without drawing anything. Time comes in as milliseconds from
 * the caller, so tests can move the idle clock. Nothing a citizen typed
 * is written anywhere but the sealed record. */
#ifndef MOTCUA_UI_H
#define MOTCUA_UI_H

#include <stdint.h>
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "dbpin.h"
#include "cccd.h"
#include "ime.h"
#include "seal.h"
#include "valid.h"
#include "kb.h"
#include "bgsync.h"
#include "printout.h"
#include "file.h"
#include "widget.h"
#include "kclock.h"
#include "queue.h"
#include "rating.h"
#include "voice.h"

typedef enum {
	SCREEN_HOME, SCREEN_CATEGORY, SCREEN_PROCEDURE, SCREEN_FORM, SCREEN_REVIEW,
	SCREEN_RECEIPT, SCREEN_LOOKUP, SCREEN_STATUS, SCREEN_ERROR, SCREEN_PIN, SCREEN_STAFF,
	SCREEN_TICKET, SCREEN_TICKET_KIND, SCREEN_TICKET_DONE, SCREEN_GUIDE_LIST, SCREEN_GUIDE,
	SCREEN_RATING_HOW, SCREEN_RATING_ENTRY, SCREEN_RATING_ASK, SCREEN_RATING_COMMENT, SCREEN_RATING_DONE
} ui_screen;

/* The staff menu's sync, export and import run motcua-sync elsewhere (the
 * kiosk app's bgsync_run); the ui starts them and reads their state through
 * these, so it never touches processes or the network itself. */
typedef struct {
	/* command: "now", "export" or "import". 0 started, -1 could not. */
	int (*start)(void *ctx, const char *command);
	void (*read)(void *ctx, bgsync_run_state *out);
	void *ctx;
} ui_staff_ops;

/* Opens the store again after it failed or the file under it changed;
 * the ui then owns what it opened (and closes it when it fails). 0 and
 * *out, or -1 with err. */
typedef struct {
	int (*open)(void *ctx, db **out, char *err, size_t errlen);
	void *ctx;
} ui_store_ops;

#define UI_PIN_TRIES DBPIN_TRIES          /* wrong PINs in a row that lock the pad (db.h) */
#define UI_PIN_LOCK_MAX_S DBPIN_LOCK_MAX_S  /* each lock lasts twice the one before, up to this */
#define UI_STORE_RETRY_MS 5000  /* how often a store that failed is tried again */

#define UI_FIELD_BYTES 16384  /* 4,000 characters of Vietnamese with room to spare */
#define UI_MAX_EVENTS 16

typedef struct ui {
	/* context, borrowed */
	const config *cfg;
	const catalog *cat;
	const cal *calendar;
	db *store;
	const seal_server_key *server_key;  /* NULL: cannot accept requests */
	printout *printer;         /* NULL: no paper receipts */

	/* Measures text for layouts that must fit (a long note on the status
	 * screen): 1 if w's text fits its box. Set by whoever draws the ui;
	 * NULL: a rough estimate stands in. */
	int (*text_fits)(void *ctx, const widget *w);
	/* The same renderer's measure of one line of text in font: its width
	 * in pixels, and *line_px the height of its line box, for layouts that
	 * size a box to its text (screen_text_w, screen_line_px). NULL: an
	 * estimate stands in. Both take text_fits_ctx. */
	int (*text_width)(void *ctx, widget_font font, const char *text, int *line_px);
	void *text_fits_ctx;

	lang language;
	ui_screen screen;
	int width, height;
	float scale;               /* of the 800x480 design, for layout */
	/* The panel's density, from [kiosk] panel_mm (5.2 px per mm at
	 * 800x480 when it is not set), which sizes the fonts by millimetres
	 * of capitals (render.h); text_scale is 1, or more for a visit that
	 * chose "larger text" on home (ui.larger). */
	float px_per_mm;
	float text_scale;
	int larger;

	/* the citizen's visit */
	const catalog_category *category;
	const catalog_procedure *procedure;
	int procedure_page;
	int category_page;       /* the categories' page, when larger text needs two */
	char fields[CATALOG_FIELDS][UI_FIELD_BYTES];
	valid_code errors[CATALOG_FIELDS];
	int focus;                 /* field index being typed into */
	int form_error;            /* "please correct" banner */
	file_plan plan;            /* what review shows and submit files */
	int review_page;           /* review shows everything, a page at a time */
	int history_page;          /* 0: the status; n: page n of the whole history (the office's notes uncut) */
	db_request receipt;
	char receipt_url[300];

	/* keyboard */
	ime input;
	int kb_layer;              /* 0 letters, 1 digits and symbols */
	int shift;

	/* A line from a physical keyboard or a scanner that may be the QR code
	 * of a citizen ID card: held out of the field and the input method
	 * until its Return (ui_keys.c); scan_msg is what the last scan did
	 * (an i18n id, or -1). Wiped after use and with the visit. */
	char scan[CCCD_TEXT_MAX + 8];
	size_t scan_len;
	int scan_msg;
	int scan_drop;             /* a scan too long for a card: the rest of its line goes */
	/* The line a physical keyboard is typing into the focused field: how
	 * many characters, when the first and the last came, and the field as
	 * it was before it. A line that came faster than a person types is a
	 * scanner's, and one that is no card's code is taken back at its
	 * Return. */
	int line_chars;
	uint32_t line_first, line_last;
	char line_before[UI_FIELD_BYTES];
	char line_raw[CCCD_TEXT_MAX + 8];  /* the line as sent, up to a card's length */
	size_t line_raw_len;

	/* status lookup */
	char lookup[80];
	int lookup_msg;            /* i18n id of a message, or -1 */
	db_request found;
	db_event events[UI_MAX_EVENTS];
	int nevents;

	/* a queue number (ui_ticket.c): the field chosen, the ticket taken */
	const catalog_queue_field *ticket_field;
	int ticket_page;           /* the fields' page, when larger text needs two */
	queue_ticket ticket;
	int ticket_ok;             /* 1 taken, -1 the store refused */
	int ticket_ahead;
	int ticket_wait_min;       /* the fair estimate, in minutes */

	/* a satisfaction rating (ui_rating.c): the ticket or code typed, the
	 * answers so far and the comment (u->rating.comment, through the IME),
	 * wiped with the visit */
	char rating_entry[40];
	int rating_msg;            /* i18n id of a message, or -1 */
	rating_input rating;
	int rating_step;           /* the criterion being asked */
	int rating_result;         /* what rating_give answered, -1 an error */

	/* procedure guidance (ui_guide.c): the procedure shown, whether on the
	 * way to its form, the list's page, the guide's page */
	const catalog_procedure *guide;
	int guide_filing;
	int guide_page;
	int guide_part_page;

	/* staff PIN, and its lock (kept in the store, so a restart keeps it) */
	char pin[16];
	int pin_msg;
	dbpin_lock pin_lock;

	/* the store, when it failed: tried again every UI_STORE_RETRY_MS and
	 * on the next "file" tap, while citizens see "cannot accept now" */
	ui_store_ops store_ops;    /* open NULL: the store is borrowed and never reopened */
	uint32_t store_tried;      /* ui time of the last attempt */
	char store_error[300];     /* why it last failed, logged when it changes */

	/* the receipts' clock (kclock.h): none dated before the last stored */
	kclock clock;
	long long clock_floor;
	long long clock_behind_saved;  /* what the store was last told */

	/* staff menu */
	ui_staff_ops staff_ops;    /* all NULL: the menu has no sync buttons */
	int staff_start_failed;

	/* visits ended so far: whoever keeps a visit's text (the render cache,
	 * the stack) wipes it when this changes */
	unsigned visits;

	/* the aids on every screen's bar (ui_aid.c): the voice reading the
	 * prompt, and a call for staff, shown as called for UI_HELP_SHOWN_MS */
	voice *voice;              /* NULL: no speaker button */
	uint32_t help_at;          /* ui time of the last accepted tap, 0: none */
	int help_msg;              /* i18n id of what the call did, while help_at */

	/* time */
	uint32_t now;
	uint32_t last_input;
	int idle_warning;
	char pressed[48];          /* widget under a finger, for long presses */
	uint32_t pressed_at;

	/* built widgets */
	widget_list wl;
	int dirty;                 /* the widget list must be rebuilt and redrawn */
	/* the paper receipt: 1 queued for the printer, -1 refused, 0 none */
	int print_queued;
	unsigned print_seen;       /* the printer state last shown */
	int quit;
} ui;

#define UI_IDLE_COUNTDOWN_MS 15000
#define UI_RECEIPT_MS 120000     /* the receipt stays this long without a tap, or until Done */
#define UI_PX_PER_MM 5.2f        /* a 7-inch 800x480 panel (154x86 mm active area) */
#define UI_LARGER 1.2f           /* what "larger text" multiplies text by */
#define UI_LONG_PRESS_MS 2000

/* Sets up the ui at home. All pointers are borrowed and must outlive it,
 * but the store once the caller sets store_ops.open: the ui then closes it
 * when it fails and opens another (the caller closes u->store at the end). */
void ui_init(ui *u, const config *cfg, const catalog *cat, const cal *calendar, db *store,
	const seal_server_key *server_key, uint32_t now);
void ui_resize(ui *u, int width, int height);

/* Rebuilds the widget list if the state changed. */
void ui_build(ui *u);

const widget *ui_find(ui *u, const char *id);
const widget *ui_hit(ui *u, int x, int y);

/* Input. Each returns 0, or -1 when it did nothing (unknown id, disabled). */
int ui_tap(ui *u, const char *id);
int ui_press(ui *u, int x, int y, uint32_t now);
int ui_release(ui *u, int x, int y, uint32_t now);
void ui_text(ui *u, const char *utf8, uint32_t now);   /* a physical keyboard or scanner */
int ui_key(ui *u, const char *name, uint32_t now);     /* Return, BackSpace, Escape, Tab */

/* Advances timers (idle countdown, long press). Returns ms until the next
 * timer is due, or -1 when there is none (the caller may sleep). */
int ui_tick(ui *u, uint32_t now);

/* Forgets everything the citizen typed (wiping the fields, the widget
 * arena, the input method, the lookup and PIN), counts the visit ended
 * (u->visits) and goes home. */
void ui_reset_visit(ui *u);

const char *ui_screen_name(ui_screen s);

/* The keyboard on screen, or -1 when there is none. */
int ui_keyboard(const ui *u);

/* 1 if the next letter typed on the on-screen keyboard is a capital. */
int ui_shift_active(const ui *u);

/* For the screens (screen.h): what the state says about what they show. */
int ui_field_visible(const ui *u, int i);
kb_mode ui_current_keyboard(const ui *u);
int ui_vni_digits(const ui *u);
/* Seconds the PIN pad stays locked; 0 when it is open. */
int ui_pin_locked_for(ui *u);
/* How long the pad's lock-th lock lasts (1: the first). */
long long ui_pin_lock_length(const ui *u, int lock);
/* The PIN pad (ui_pin.c): opened with the store's lock, and its OK. */
void ui_pin_open(ui *u);
void ui_pin_ok(ui *u);
/* Shows screen s (for ui*.c): what a change of screen flushes. */
void ui_go(ui *u, ui_screen s);

/* The time a receipt filed now is dated at (kclock.h); u->clock.behind
 * says whether the wall clock is behind it. */
long long ui_receipt_time(ui *u);

/* Queue numbers (ui_ticket.c): home's "take a number", the field, the
 * priority choice that takes the ticket, shows it and prints it. */
void ui_ticket_start(ui *u);
void ui_ticket_field(ui *u, const char *field_id);
void ui_ticket_take(ui *u, int priority);
/* The fair wait for a ticket with `ahead` before it in field: the field's
 * median service time at a counter over the last days (5 minutes until
 * there are some), times those ahead, shared among the field's counters;
 * in whole minutes, rounded up. */
int ui_ticket_wait_minutes(db *store, const catalog_queue_field *f, int ahead);

/* The satisfaction rating (ui_rating.c): home's "rate", with the ticket
 * or receipt code or neither, one criterion a screen, an optional comment,
 * then stored (rating.h). ui_rating_tap takes the taps on "rating."
 * widgets (id without the prefix); type, backspace and enter take the keys
 * on its two typing screens and answer 1 when they did. ui_rating_back is
 * Back on a criterion; ui_rating_wipe forgets it all. */
void ui_rating_start(ui *u);
void ui_rating_tap(ui *u, const char *id);

/* The bar's aids (ui_aid.c): "aid.speak" reads the screen's prompt aloud,
 * "aid.call" records a call for staff (helpcall.h) and says so, on the
 * button and aloud. ui_aid_tick puts the button back when its time is up and says
 * how long the loop may sleep for that (-1: no limit). */
void ui_aid_tap(ui *u, const char *id);
int ui_aid_tick(ui *u);
#define UI_HELP_SHOWN_MS 60000u
#define UI_HELP_TAP_MS 5000u     /* taps closer than this are one */
int ui_rating_type(ui *u, uint32_t cp);
int ui_rating_backspace(ui *u);
int ui_rating_enter(ui *u);
void ui_rating_back(ui *u);
void ui_rating_wipe(ui *u);

/* Procedure guidance (ui_guide.c): home's "guide" list, one procedure's
 * papers, fee, time and place (before its form when filing: filing 1),
 * its checklist printed. */
void ui_guide_start(ui *u);
void ui_guide_open(ui *u, const char *procedure_id, int filing);
void ui_guide_page(ui *u, int delta);
void ui_guide_part_page(ui *u, const char *which);   /* "more" or "prev" */
void ui_guide_print(ui *u);
/* Home's "larger text": text for the rest of the visit at UI_LARGER times
 * its size, or back (ui_text.c); the visit's end puts it back. */
void ui_larger_toggle(ui *u);
/* Review's pages: "more" or "prev" (ui_text.c); the screen keeps the page
 * within those there are. */
void ui_review_page(ui *u, const char *which);
/* status.history.open, .close, .more and .prev: the whole history, paged. */
void ui_history_page(ui *u, const char *which);
/* How long the current screen waits without input before the countdown
 * (the receipt: two minutes in all). */
uint32_t ui_idle_ms(const ui *u);

/* Opens the form of the chosen category and procedure (ui.c). */
void ui_open_form(ui *u);

/* The store and the clock, for ui.c (ui_store.c): what the ui keeps from
 * a store just opened (the latest receipt's time, the PIN lock); opening
 * it again when closed and the ui may (0 when open); letting go of one
 * that failed (opened again at the next tick); and telling the store,
 * after a filing, whether the clock was found behind. */
void ui_store_opened(ui *u);
int ui_store_retry(ui *u);
void ui_store_lost(ui *u);
void ui_clock_told(ui *u);

/* The keyboard's Vietnamese keys and the scanner, for ui.c (ui_keys.c). A
 * Vietnamese letter or tone key into the focused field; a character from a
 * physical keyboard or scanner offered to the scan (1: held, the caller
 * types nothing); ui_scan_line notes what a physical keyboard typed
 * and when, before its characters are offered; Return, Backspace or
 * anything else offered to it (1:
 * Return ended a scan, or Backspace took a held character; else the held
 * text was typed as the person typed it, and the caller goes on); and what
 * is held, shown after the field's text (NULL: nothing). ui_type is how ui.c types one
 * character into the focused field. */
void ui_viet_key(ui *u, const kb_key *k);
void ui_scan_line(ui *u, const char *text, uint32_t now);
int ui_scan_char(ui *u, uint32_t cp);
int ui_scan_return(ui *u);
int ui_scan_backspace(ui *u);
void ui_scan_flush(ui *u);
const char *ui_scan_shown(ui *u, int field);
void ui_scan_wipe(ui *u);
void ui_type(ui *u, uint32_t cp);

#endif
