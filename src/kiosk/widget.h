/* widget: the list of widgets a screen lays out, and the arena of their texts.
 *
 * A screen builds a widget list (id, text, rectangle, kind, font, flags); the
 * renderer draws it, the control interface dumps it, taps are resolved
 * against it. A widget is added from a spec with designated initialisers,
 * so a call names what each number is:
 *
 *     widget_add(l, &(widget_spec){ .id = "review.submit", .text = t,
 *         .at = { x, y, w, h }, .kind = W_BUTTON, .font = FONT_LARGE,
 *         .flags = WF_PRIMARY | WF_CENTER });
 *
 * Both the list and the arena are fixed in size. When either is full, or a
 * text does not fit a fixed buffer, nothing is overwritten: the widget goes
 * to a spare slot that is never drawn, the text is cut, and the overflow is
 * counted and logged once, so a test (and the `dump` command) can see it. */
#ifndef MOTCUA_WIDGET_H
#define MOTCUA_WIDGET_H

#include <stdarg.h>
#include <stddef.h>

typedef enum { W_PANEL, W_LABEL, W_BUTTON, W_TAB, W_INPUT, W_KEY, W_QR } widget_kind;
/* What a control's box loses to its insets before its text, in design
 * pixels: the renderer draws and measures text inside it, and a layout
 * that sizes a button to its words adds it (screen_button_w). */
#define WIDGET_BUTTON_INSET 20

typedef enum { FONT_SMALL, FONT_BODY, FONT_LARGE, FONT_TITLE, FONT_CODE, FONT_HUGE, FONT_COUNT } widget_font;

enum {
	WF_PRIMARY = 1 << 0,  /* the main action of a screen */
	WF_SELECTED = 1 << 1, /* focused field, active key */
	WF_ERROR = 1 << 2,
	WF_MUTED = 1 << 3,
	WF_CENTER = 1 << 4,
	WF_WRAP = 1 << 5,
	WF_TAIL = 1 << 6,     /* show the end of text that does not fit (inputs) */
	WF_DONE = 1 << 7,     /* a filled-in field tab */
	WF_BAR = 1 << 8,      /* on the title bar */
	WF_CURSOR = 1 << 9,
	WF_WARN = 1 << 10,
};

typedef struct { int x, y, w, h; } widget_rect;

typedef struct {
	char id[48];
	const char *text;     /* what it shows; owned by the list, valid until the next build */
	const char *value;    /* for fields: the typed value; else NULL */
	int x, y, w, h;
	widget_kind kind;
	widget_font font;
	unsigned flags;
	int enabled;
} widget;

/* What widget_add takes; a text of NULL shows nothing. */
typedef struct {
	const char *id;
	const char *text;
	widget_rect at;
	widget_kind kind;
	widget_font font;
	unsigned flags;
} widget_spec;

#define WIDGET_MAX 160
#define WIDGET_ARENA 65536

typedef struct {
	widget items[WIDGET_MAX];
	int n;
	widget spare;          /* where widgets past the last slot go: never drawn */
	char arena[WIDGET_ARENA];
	size_t used;
	/* overflows since the list was set up: widgets, arena texts, buffers */
	long overflows;
	char first_overflow[96];   /* what overflowed first, for the log and dump */
} widget_list;

/* Empties the list and the arena for the next build; keeps the count of
 * overflows, which is for the life of the list. */
void widget_clear(widget_list *l);

/* Adds a widget (enabled). When the list is full it returns the spare
 * slot, so the caller may still set fields, and records the overflow. */
widget *widget_add(widget_list *l, const widget_spec *s);

/* Removes the last widget added (one that turned out not to be needed). */
void widget_drop_last(widget_list *l);

/* Text kept in the arena until the next clear; cut, and the overflow
 * recorded, when the arena is full. The format must be a trusted string:
 * compiled in, or from the translation table. */
const char *widget_str(widget_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *widget_vstr(widget_list *l, const char *fmt, va_list ap);

/* snprintf into a caller's fixed buffer, recording an overflow (with what,
 * a short name for the log) when the text had to be cut. Returns 0, or -1
 * when it was cut. */
int widget_fmt(widget_list *l, const char *what, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Records an overflow: counted always, logged the first time only. */
void widget_overflow(widget_list *l, const char *what);

/* The arena's fill, to give back texts that were only scratch. */
size_t widget_mark(const widget_list *l);
void widget_release(widget_list *l, size_t mark);

widget *widget_find(widget_list *l, const char *id);

#endif
