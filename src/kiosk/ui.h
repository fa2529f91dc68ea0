/* ui: the kiosk's screens as state and a widget list, without pixels.
 *
 * Each screen is a function that lays out widgets (id, text, rectangle, kind)
 * for the current state and size; the renderer draws that list, the control
 * interface dumps it, and taps are resolved against it. So the whole flow of
 * a citizen's visit can be driven and checked without drawing anything.
 * Time comes in as milliseconds from the caller, so tests can move the idle
 * clock. Nothing a citizen typed is written anywhere but the sealed record. */
#ifndef MOTCUA_UI_H
#define MOTCUA_UI_H

#include <stdint.h>
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "ime.h"
#include "seal.h"
#include "valid.h"
#include "kb.h"
#include "bgsync.h"
#include "printout.h"

typedef enum {
	SCREEN_HOME, SCREEN_CATEGORY, SCREEN_PROCEDURE, SCREEN_FORM, SCREEN_REVIEW,
	SCREEN_RECEIPT, SCREEN_LOOKUP, SCREEN_STATUS, SCREEN_ERROR, SCREEN_PIN, SCREEN_STAFF
} ui_screen;

typedef enum { W_PANEL, W_LABEL, W_BUTTON, W_TAB, W_INPUT, W_KEY, W_QR } ui_kind;
typedef enum { FONT_SMALL, FONT_BODY, FONT_LARGE, FONT_TITLE, FONT_CODE, FONT_COUNT } ui_font;

enum {
	UI_PRIMARY = 1 << 0,  /* the main action of a screen */
	UI_SELECTED = 1 << 1, /* focused field, active key */
	UI_ERROR = 1 << 2,
	UI_MUTED = 1 << 3,
	UI_CENTER = 1 << 4,
	UI_WRAP = 1 << 5,
	UI_TAIL = 1 << 6,     /* show the end of text that does not fit (inputs) */
	UI_DONE = 1 << 7,     /* a filled-in field tab */
	UI_BAR = 1 << 8,      /* on the title bar */
	UI_CURSOR = 1 << 9,
	UI_WARN = 1 << 10,
};

typedef struct {
	char id[48];
	const char *text;     /* what it shows; owned by the ui, valid until the next build */
	const char *value;    /* for fields: the typed value; else NULL */
	int x, y, w, h;
	ui_kind kind;
	ui_font font;
	unsigned flags;
	int enabled;
} ui_widget;

/* The staff menu's sync, export and import run motcua-sync elsewhere (the
 * kiosk app's bgsync_run); the ui starts them and reads their state through
 * these, so it never touches processes or the network itself. */
typedef struct {
	/* command: "now", "export" or "import". 0 started, -1 could not. */
	int (*start)(void *ctx, const char *command);
	void (*read)(void *ctx, bgsync_run_state *out);
	void *ctx;
} ui_staff_ops;

#define UI_PIN_TRIES 5          /* wrong PINs in a row that lock the pad */

#define UI_MAX_WIDGETS 160
#define UI_ARENA 65536
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
	int (*text_fits)(void *ctx, const ui_widget *w);
	void *text_fits_ctx;

	lang language;
	ui_screen screen;
	int width, height;
	float scale;

	/* the citizen's visit */
	const catalog_category *category;
	const catalog_procedure *procedure;
	int procedure_page;
	char fields[CATALOG_FIELDS][UI_FIELD_BYTES];
	valid_code errors[CATALOG_FIELDS];
	int focus;                 /* field index being typed into */
	int form_error;            /* "please correct" banner */
	db_request receipt;
	char receipt_url[300];

	/* keyboard */
	ime input;
	int kb_layer;              /* 0 letters, 1 digits and symbols */
	int shift;

	/* status lookup */
	char lookup[80];
	int lookup_msg;            /* i18n id of a message, or -1 */
	db_request found;
	db_event events[UI_MAX_EVENTS];
	int nevents;

	/* staff PIN, and its lock (kept in the store, so a restart keeps it) */
	char pin[16];
	int pin_msg;
	db_pin_lock pin_lock;

	/* staff menu */
	ui_staff_ops staff_ops;    /* all NULL: the menu has no sync buttons */
	int staff_start_failed;

	/* time */
	uint32_t now;
	uint32_t last_input;
	int idle_warning;
	char pressed[48];          /* widget under a finger, for long presses */
	uint32_t pressed_at;

	/* built widgets */
	ui_widget widgets[UI_MAX_WIDGETS];
	int nwidgets;
	char arena[UI_ARENA];
	size_t arena_used;
	int dirty;                 /* the widget list must be rebuilt and redrawn */
	/* the paper receipt: 1 queued for the printer, -1 refused, 0 none */
	int print_queued;
	unsigned print_seen;       /* the printer state last shown */
	int quit;
} ui;

#define UI_IDLE_COUNTDOWN_MS 15000
#define UI_LONG_PRESS_MS 2000

/* Sets up the ui at home. All pointers are borrowed and must outlive it. */
void ui_init(ui *u, const config *cfg, const catalog *cat, const cal *calendar, db *store,
	const seal_server_key *server_key, uint32_t now);
void ui_resize(ui *u, int width, int height);

/* Rebuilds the widget list if the state changed. */
void ui_build(ui *u);

const ui_widget *ui_find(ui *u, const char *id);
const ui_widget *ui_hit(ui *u, int x, int y);

/* Input. Each returns 0, or -1 when it did nothing (unknown id, disabled). */
int ui_tap(ui *u, const char *id);
int ui_press(ui *u, int x, int y, uint32_t now);
int ui_release(ui *u, int x, int y, uint32_t now);
void ui_text(ui *u, const char *utf8, uint32_t now);   /* a physical keyboard or scanner */
int ui_key(ui *u, const char *name, uint32_t now);     /* Return, BackSpace, Escape, Tab */

/* Advances timers (idle countdown, long press). Returns ms until the next
 * timer is due, or -1 when there is none (the caller may sleep). */
int ui_tick(ui *u, uint32_t now);

/* Forgets everything the citizen typed (wiping memory) and goes home. */
void ui_reset_visit(ui *u);

const char *ui_screen_name(ui_screen s);

/* The keyboard on screen, or -1 when there is none. */
int ui_keyboard(const ui *u);

/* 1 if the next letter typed on the on-screen keyboard is a capital. */
int ui_shift_active(const ui *u);

#endif
