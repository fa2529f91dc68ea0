/* ui: screens, layout and actions of the kiosk (see ui.h).
 *
 * Layout is in "design pixels" of an 800x480 screen, multiplied by the
 * scale of the real screen, so every touch target keeps its share of the
 * screen (56 design pixels, 9 mm on a 7-inch panel) from 800x480 up to
 * 1920x1080. Screens are rows of a table: a builder and where Back leads.
 * Actions are a table of widget ids and prefixes. */
#include "status.h"
#include "ui.h"
#include "i18n.h"
#include "kb.h"
#include "legal.h"
#include "log.h"
#include "token.h"
#include "utf8.h"
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD 12          /* design pixels between things */
#define BAR 60          /* title bar height */
#define TARGET 56       /* smallest touch target */

static int S(const ui *u, int design) { return (int)(design * u->scale + 0.5f); }

static const char *const screen_names[] = {
	"home", "category", "procedure", "form", "review", "receipt", "lookup", "status", "error", "pin", "staff"
};

const char *ui_screen_name(ui_screen s) { return screen_names[s]; }

static const char *T(const ui *u, i18n_id id) { return i18n(u->language, id); }

/* ---- the arena: texts of the current widget list ---- */

/* Texts from the table may hold one %d or %s; they are trusted, compiled-in
 * strings, which is why a non-literal format is acceptable here alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static const char *vstr(ui *u, const char *fmt, va_list ap)
{
	char *p = u->arena + u->arena_used;
	size_t room = UI_ARENA - u->arena_used;
	int n = vsnprintf(p, room, fmt, ap);
	if (n < 0) { p[0] = '\0'; n = 0; }
	if ((size_t)n >= room) n = (int)room - 1;
	u->arena_used += (size_t)n + 1;
	return p;
}
#pragma GCC diagnostic pop

static const char *str(ui *u, const char *fmt, ...)
{
	va_list ap;
	const char *p;
	va_start(ap, fmt);
	p = vstr(u, fmt, ap);
	va_end(ap);
	return p;
}

/* A table text with its argument filled in. */
static const char *tf(ui *u, i18n_id id, ...)
{
	va_list ap;
	const char *p;
	va_start(ap, id);
	p = vstr(u, T(u, id), ap);
	va_end(ap);
	return p;
}

static ui_widget *add(ui *u, const char *id, const char *text, int x, int y, int w, int h,
	ui_kind kind, ui_font font, unsigned flags)
{
	ui_widget *wd;
	if (u->nwidgets >= UI_MAX_WIDGETS) return &u->widgets[UI_MAX_WIDGETS - 1];
	wd = &u->widgets[u->nwidgets++];
	memset(wd, 0, sizeof *wd);
	snprintf(wd->id, sizeof wd->id, "%s", id);
	wd->text = text ? text : "";
	wd->x = x; wd->y = y; wd->w = w; wd->h = h;
	wd->kind = kind;
	wd->font = font;
	wd->flags = flags;
	wd->enabled = 1;
	return wd;
}

static const char *office_level(ui *u)
{
	return u->cfg->office_level[0] ? u->cfg->office_level : T(u, T_OFFICE_LEVEL);
}

/* 1 if w's text fits its box: measured by the renderer when there is one,
 * else estimated (a glyph about 9, a line about 22 design pixels) so that
 * layouts still come out sensible without fonts. */
static int text_fits(ui *u, const ui_widget *w)
{
	int per_line, lines;
	size_t chars;
	if (u->text_fits) return u->text_fits(u->text_fits_ctx, w);
	per_line = w->w / S(u, 9);
	if (per_line < 1) per_line = 1;
	chars = utf8_length(w->text);
	lines = (int)((chars + (size_t)per_line - 1) / (size_t)per_line);
	if (lines < 1) lines = 1;
	if (!(w->flags & UI_WRAP)) return lines == 1 && w->h >= S(u, 22);
	return lines * S(u, 22) <= w->h;
}

/* ---- pieces shared by screens ---- */

static void title_bar(ui *u, const char *title, int with_back, const char *right_id, const char *right_text)
{
	int h = S(u, BAR), pad = S(u, 6), bw = S(u, 130), lw = S(u, 120);
	int left = with_back ? bw + 2 * pad : 2 * pad;
	int right = u->width - lw - 2 * pad;
	add(u, "bar", "", 0, 0, u->width, h, W_PANEL, FONT_BODY, UI_BAR);
	if (with_back) add(u, "back", T(u, T_BACK), pad, pad, bw, h - 2 * pad, W_BUTTON, FONT_BODY, UI_BAR | UI_CENTER);
	if (right_id) {
		int rw = S(u, 150);
		add(u, right_id, right_text, u->width - rw - pad, pad, rw, h - 2 * pad, W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_BAR | UI_CENTER);
		right = u->width - rw - lw - 3 * pad;
	}
	add(u, "lang", T(u, T_LANG_OTHER), right, pad, lw, h - 2 * pad, W_BUTTON, FONT_SMALL, UI_BAR | UI_CENTER);
	add(u, "title", title, left, 0, right - left - pad, h, W_LABEL, FONT_TITLE, UI_BAR | UI_CENTER);
}

static const char *category_name(ui *u, const catalog_category *c) { return c->name[u->language]; }

static const char *format_date(ui *u, const char *iso)
{
	int y, m, d;
	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return str(u, "%s", iso);
	return str(u, "%02d/%02d/%04d", d, m, y);
}

static const char *format_time(ui *u, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return str(u, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
}

static const char *duration_text(ui *u, const catalog_procedure *p)
{
	if (p->working_days < 0) return tf(u, T_CALENDAR_DAYS, p->calendar_days);
	if (p->working_days == 0) return T(u, T_SAME_DAY);
	return tf(u, T_WORKING_DAYS, p->working_days);
}

/* ---- home ---- */

/* One honest line about sync: when it last worked (the server's clock),
 * whether the last try failed since, how many requests wait. What does not
 * fit goes, least important first. */
static void sync_line(ui *u, int x, int y, int w, int h)
{
	db_sync_state st;
	char err[128];
	const char *last, *failed = NULL, *pending = NULL, *choices[4];
	ui_widget *wd;
	int i, n = 0;
	if (!u->store || db_read_sync_state(u->store, &st, err, sizeof err) != 0) return;
	last = st.last_success ? tf(u, T_SYNC_LAST, format_time(u, st.last_success)) : T(u, T_SYNC_NEVER);
	if (st.last_error[0]) failed = tf(u, T_SYNC_FAILED, office_level(u));
	if (st.pending > 0) pending = tf(u, T_SYNC_PENDING, st.pending);
	/* From the whole line to the least that must be said. */
	if (failed && pending) choices[n++] = str(u, "%s · %s · %s", last, failed, pending);
	else if (failed || pending) choices[n++] = str(u, "%s · %s", last, failed ? failed : pending);
	if (failed && pending) choices[n++] = str(u, "%s · %s", last, failed);
	if (failed) choices[n++] = str(u, "%s · %s", last, T(u, T_SYNC_FAILED_SHORT));
	else choices[n++] = last;
	wd = add(u, "home.sync", choices[0], x, y, w, h, W_LABEL, FONT_SMALL, UI_MUTED | UI_CENTER);
	for (i = 1; i < n && !text_fits(u, wd); i++) wd->text = choices[i];
}

/* The commune's on-time rate this year, as the server last sent it: NULL
 * when it sent none, or the figures are suppressed (too few to show). */
static const char *rate_text(ui *u)
{
	proto_stats st;
	if (!u->store || db_read_stats(u->store, &st) != 0 || !st.known || st.resolved <= 0 || st.on_time < 0)
		return NULL;
	/* Rounded down: 99.6% is not "100%" when one was late. */
	return tf(u, T_HOME_RATE, st.year, st.on_time * 100 / st.resolved);
}

static void build_home(ui *u)
{
	int pad = S(u, PAD), top = S(u, BAR) + pad, bh, bw;
	const char *title = str(u, "%s · %s", T(u, T_APP_TITLE), u->cfg->commune_name);
	const char *rate = rate_text(u);
	add(u, "bar", "", 0, 0, u->width, S(u, BAR), W_PANEL, FONT_BODY, UI_BAR);
	add(u, "home.title", title, pad, 0, u->width - S(u, 160) - 2 * pad, S(u, BAR), W_LABEL, FONT_TITLE, UI_BAR);
	add(u, "home.lang", T(u, T_LANG_OTHER), u->width - S(u, 150) - S(u, 6), S(u, 6), S(u, 150), S(u, BAR - 12),
		W_BUTTON, FONT_BODY, UI_BAR | UI_CENTER);
	bw = (u->width - 3 * pad) / 2;
	bh = u->height - top - S(u, 116) - pad - (rate ? S(u, 40) : 0);
	if (rate)
		add(u, "home.rate", rate, pad, top + bh + S(u, 3), u->width - 2 * pad, S(u, 36),
			W_LABEL, FONT_LARGE, UI_CENTER);
	add(u, "home.file", T(u, T_HOME_FILE), pad, top, bw, bh, W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
	add(u, "home.file.hint", T(u, T_HOME_FILE_HINT), pad + pad, top + bh - S(u, 80), bw - 2 * pad, S(u, 70),
		W_LABEL, FONT_SMALL, UI_PRIMARY | UI_CENTER | UI_WRAP);
	add(u, "home.lookup", T(u, T_HOME_LOOKUP), 2 * pad + bw, top, bw, bh, W_BUTTON, FONT_LARGE, UI_CENTER);
	add(u, "home.lookup.hint", T(u, T_HOME_LOOKUP_HINT), 3 * pad + bw, top + bh - S(u, 80), bw - 2 * pad, S(u, 70),
		W_LABEL, FONT_SMALL, UI_CENTER | UI_WRAP);
	add(u, "home.help", T(u, T_HOME_HELP), pad, u->height - S(u, 116), u->width - 2 * pad, S(u, 50),
		W_LABEL, FONT_BODY, UI_CENTER | UI_WRAP);
	sync_line(u, pad, u->height - S(u, 62), u->width - 2 * pad, S(u, 26));
	add(u, "home.kiosk", str(u, "%s · %s-%d", u->cfg->commune_name, u->cfg->commune_code, u->cfg->kiosk_number),
		pad, u->height - S(u, 36), u->width - 2 * pad, S(u, 30), W_LABEL, FONT_SMALL, UI_MUTED | UI_CENTER);
}

/* ---- category ---- */

/* The next dialogue conference announced for the commune (kiosk clock). */
static int next_conference(ui *u, proto_conference *out)
{
	return u->store && db_next_conference(u->store, (long long)time(NULL), out) == 1;
}

static void build_category(ui *u)
{
	int pad = S(u, PAD), top = S(u, BAR) + pad, cols = 3, rows, i;
	proto_conference conf;
	int n = u->cat->ncategories;
	title_bar(u, T(u, T_CATEGORY_TITLE), 1, NULL, NULL);
	rows = (n + cols - 1) / cols;
	int cw = (u->width - (cols + 1) * pad) / cols;
	int ch = (u->height - top - pad - (rows - 1) * pad) / rows;
	for (i = 0; i < n; i++) {
		const catalog_category *c = &u->cat->categories[i];
		int x = pad + (i % cols) * (cw + pad), y = top + (i / cols) * (ch + pad);
		char id[48];
		snprintf(id, sizeof id, "category.%s", c->id);
		add(u, id, category_name(u, c), x, y, cw, ch, W_BUTTON, FONT_LARGE,
			UI_CENTER | (u->category == c ? UI_SELECTED : 0));
		snprintf(id, sizeof id, "category.%s.hint", c->id);
		add(u, id, strcmp(c->id, "dialogue") == 0 && next_conference(u, &conf)
			? tf(u, T_CONFERENCE_SHORT, format_time(u, conf.at)) : c->hint[u->language],
			x + pad, y + ch - S(u, 64), cw - 2 * pad, S(u, 56), W_LABEL, FONT_SMALL, UI_CENTER | UI_WRAP | UI_MUTED);
	}
}

/* ---- procedure list ---- */

static int procedures_per_page(ui *u)
{
	int rows = (u->height - S(u, BAR) - S(u, PAD) - S(u, TARGET + 2 * PAD)) / (S(u, 64) + S(u, PAD));
	return (rows < 1 ? 1 : rows) * 2;
}

static void build_procedure(ui *u)
{
	int pad = S(u, PAD), top = S(u, BAR) + pad, per = procedures_per_page(u), i;
	int first = u->procedure_page * per, cw = (u->width - 3 * pad) / 2, rh = S(u, 64);
	int pages = (u->cat->nprocedures + per - 1) / per;
	title_bar(u, T(u, T_PROCEDURE_TITLE), 1, NULL, NULL);
	for (i = first; i < u->cat->nprocedures && i < first + per; i++) {
		const catalog_procedure *p = &u->cat->procedures[i];
		int k = i - first, x = pad + (k % 2) * (cw + pad), y = top + (k / 2) * (rh + pad);
		char id[64];
		snprintf(id, sizeof id, "procedure.%s", p->id);
		add(u, id, p->name[u->language], x, y, cw, rh, W_BUTTON, FONT_BODY,
			u->procedure == p ? UI_SELECTED : 0);
		snprintf(id, sizeof id, "procedure.%s.time", p->id);
		add(u, id, duration_text(u, p), x + cw - S(u, 150), y + rh - S(u, 24), S(u, 144), S(u, 22),
			W_LABEL, FONT_SMALL, UI_MUTED);
	}
	if (pages > 1) {
		int y = u->height - S(u, TARGET) - pad, bw = S(u, 200);
		ui_widget *w = add(u, "procedure.page_prev", T(u, T_PAGE_PREV), pad, y, bw, S(u, TARGET), W_BUTTON, FONT_BODY, 0);
		w->enabled = u->procedure_page > 0;
		add(u, "procedure.page", str(u, "%d / %d", u->procedure_page + 1, pages), pad + bw, y,
			u->width - 2 * bw - 2 * pad, S(u, TARGET), W_LABEL, FONT_BODY, UI_CENTER | UI_MUTED);
		w = add(u, "procedure.page_next", T(u, T_PAGE_NEXT), u->width - bw - pad, y, bw, S(u, TARGET), W_BUTTON, FONT_BODY, 0);
		w->enabled = u->procedure_page + 1 < pages;
	}
}

/* ---- the form ---- */

static int field_visible(const ui *u, int i)
{
	if (!u->category || u->category->need[i] == FIELD_HIDDEN) return 0;
	return 1;
}

static kb_mode field_keyboard(const ui *u, int i)
{
	field_kind k = u->cat->fields[i].kind;
	return k == FIELD_PHONE || k == FIELD_CITIZEN_ID ? KB_DIGITS : KB_TEXT;
}

static kb_mode current_keyboard(const ui *u)
{
	if (u->screen == SCREEN_LOOKUP) return KB_CODE;
	return field_keyboard(u, u->focus);
}

static int vni_digits(const ui *u) { return u->input.method == IME_VNI; }

int ui_keyboard(const ui *u)
{
	if (u->screen == SCREEN_LOOKUP || u->screen == SCREEN_FORM) return (int)current_keyboard(u);
	return -1;
}

/* Capitals where a person expects them: the start of a field, of each word
 * of a name or address, and of a sentence. */
static int auto_shift(const ui *u)
{
	const char *s = u->fields[u->focus];
	size_t n = strlen(s);
	const char *name = u->cat->fields[u->focus].name;
	if (n == 0) return 1;
	if ((strcmp(name, "full_name") == 0) && s[n - 1] == ' ') return 1;
	if (n >= 2 && s[n - 1] == ' ' && (s[n - 2] == '.' || s[n - 2] == '?' || s[n - 2] == '!')) return 1;
	if (s[n - 1] == '\n') return 1;
	return 0;
}

int ui_shift_active(const ui *u)
{
	if (u->screen != SCREEN_FORM || field_keyboard(u, u->focus) != KB_TEXT) return 0;
	return u->shift > 0 || (u->shift == 0 && auto_shift(u));
}

typedef struct { ui *u; } key_ctx;

static void emit_key(void *user, const kb_key *k, int x, int y, int w, int h)
{
	ui *u = ((key_ctx *)user)->u;
	char id[48];
	const char *label = k->label;
	unsigned flags = UI_CENTER;
	snprintf(id, sizeof id, "kb.%s", k->name);
	if (k->action == KB_CHAR && k->ch >= 'a' && k->ch <= 'z' && ui_shift_active(u))
		label = str(u, "%c", k->ch - 'a' + 'A');
	if (k->action == KB_IME) label = u->input.method == IME_VNI ? "VNI" : "Telex";
	if (k->action == KB_SPACE) label = T(u, T_KEY_SPACE);
	if (k->action == KB_SHIFT) label = T(u, T_KEY_SHIFT);
	if (k->action == KB_BACKSPACE) label = T(u, T_KEY_DELETE);
	if (k->action == KB_ENTER) label = u->screen == SCREEN_LOOKUP ? T(u, T_LOOKUP_SUBMIT) : T(u, T_KEY_NEXT);
	if (k->action == KB_SHIFT && ui_shift_active(u)) flags |= UI_SELECTED;
	if (k->action == KB_ENTER) flags |= UI_PRIMARY;
	if (k->action != KB_CHAR) flags |= UI_MUTED;
	add(u, id, label, x, y, w, h, W_KEY, k->action == KB_CHAR ? FONT_LARGE : FONT_SMALL, flags);
}

static void keyboard(ui *u, kb_mode mode, int y, int h)
{
	key_ctx ctx = { u };
	int pad = S(u, 6), w = u->width - 2 * pad, x = pad;
	if (mode == KB_DIGITS) {           /* a phone-sized pad, centred */
		w = S(u, 420);
		x = (u->width - w) / 2;
	}
	add(u, "kb", "", 0, y - pad, u->width, h + 2 * pad, W_PANEL, FONT_BODY, UI_MUTED);
	kb_layout(mode, u->kb_layer, vni_digits(u), x, y, w, h, pad, emit_key, &ctx);
}

static const char *error_text(ui *u, int field, valid_code e)
{
	switch (e) {
	case VALID_OK: return "";
	case VALID_REQUIRED: return T(u, T_ERR_REQUIRED);
	case VALID_TOO_LONG: return tf(u, T_ERR_TOO_LONG, u->cat->fields[field].max_chars);
	case VALID_PHONE: return T(u, T_ERR_PHONE);
	case VALID_CITIZEN_ID: return T(u, T_ERR_CITIZEN_ID);
	case VALID_CONTROL: case VALID_BAD_UTF8: return T(u, T_ERR_CONTROL);
	}
	return "";
}

/* src cut to at most max characters, with "…" when it was cut. */
static void shorten(const char *src, char *out, size_t outlen, size_t max)
{
	size_t pos = 0, len = strlen(src), chars = 0;
	while (pos < len && chars < max) { utf8_decode(src, len, &pos); chars++; }
	if (pos >= len) { snprintf(out, outlen, "%s", src); return; }
	while (pos > 0 && (src[pos - 1] == ' ' || src[pos - 1] == ',' || src[pos - 1] == '.')) pos--;
	snprintf(out, outlen, "%.*s…", (int)pos, src);
}

/* The next conference over the dialogue form: when, where, who, what. Long
 * entries are shortened, the topic first, until the box holds it all. */
static void conference_box(ui *u, const proto_conference *c, int x, int y, int w, int h)
{
	const char *when = format_time(u, c->at);
	ui_widget *wd = add(u, "form.conference", "", x, y, w, h, W_LABEL, FONT_SMALL, UI_WRAP | UI_WARN);
	int keep;
	for (keep = PROTO_TEXT_MAX; keep >= 8; keep = keep * 3 / 4) {
		int topic = keep, leaders = keep * 2 < PROTO_TEXT_MAX ? keep * 2 : PROTO_TEXT_MAX;
		char place[PROTO_TEXT_MAX + 4], who[PROTO_TEXT_MAX + 4], what[PROTO_TEXT_MAX + 4];
		shorten(c->place, place, sizeof place, (size_t)leaders);
		shorten(c->leaders, who, sizeof who, (size_t)leaders);
		shorten(c->topic, what, sizeof what, (size_t)topic);
		wd->text = tf(u, T_CONFERENCE, when, place, who, what);
		if (text_fits(u, wd)) return;
	}
}

static const char *form_title(ui *u)
{
	if (u->procedure) return u->procedure->name[u->language];
	return category_name(u, u->category);
}

static void build_form(ui *u)
{
	int pad = S(u, PAD), i, n = 0, k = 0, y;
	int rows = kb_rows(current_keyboard(u), u->kb_layer, vni_digits(u));
	int kb_h;
	int multiline = u->cat->fields[u->focus].kind == FIELD_MULTILINE;
	/* The notice is about the citizen's identity: it stands over the
	 * identity fields, where it matters, and leaves the keys their size. */
	proto_conference conf;
	int early = u->focus < catalog_field_index("subject");
	int conference = early && strcmp(u->category->id, "dialogue") == 0 && next_conference(u, &conf);
	int notice = (u->category->notice[u->language][0] != '\0' && early) || conference;
	int input_h = S(u, multiline ? 84 : notice ? 48 : 56);
	const catalog_field *f = &u->cat->fields[u->focus];

	title_bar(u, form_title(u), 1, "form.next", T(u, T_NEXT));
	y = S(u, BAR) + S(u, 6);
	for (i = 0; i < CATALOG_FIELDS; i++) n += field_visible(u, i);
	int tw = (u->width - (n + 1) * S(u, 6)) / n;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		char id[48];
		unsigned flags = UI_CENTER;
		ui_widget *w;
		if (!field_visible(u, i)) continue;
		snprintf(id, sizeof id, "form.field.%s", u->cat->fields[i].name);
		if (i == u->focus) flags |= UI_SELECTED;
		if (u->errors[i] != VALID_OK) flags |= UI_ERROR;
		else if (u->fields[i][0]) flags |= UI_DONE;
		w = add(u, id, u->cat->fields[i].short_label[u->language], S(u, 6) + k * (tw + S(u, 6)), y,
			tw, S(u, 48), W_TAB, FONT_SMALL, flags);
		w->value = u->fields[i];
		k++;
	}
	y += S(u, 48) + S(u, 6);
	if (conference) {
		conference_box(u, &conf, pad, y, u->width - 2 * pad, S(u, 54));
		y += S(u, 56);
	} else if (notice) {
		add(u, "form.notice", u->category->notice[u->language], pad, y, u->width - 2 * pad, S(u, 54),
			W_LABEL, FONT_SMALL, UI_WRAP | UI_WARN);
		y += S(u, 56);
	}
	const char *label = str(u, "%s (%s)", catalog_field_label(u->cat, u->category, u->focus, u->language),
		T(u, u->category->need[u->focus] == FIELD_REQUIRED ? T_REQUIRED : T_OPTIONAL));
	add(u, "form.label", label, pad, y, u->width / 2, S(u, 26), W_LABEL, FONT_BODY, 0);
	if (u->errors[u->focus] != VALID_OK)
		add(u, "form.error", error_text(u, u->focus, u->errors[u->focus]), u->width / 2, y,
			u->width / 2 - pad, S(u, 26), W_LABEL, FONT_SMALL, UI_ERROR);
	else if (u->form_error)
		add(u, "form.error", T(u, T_FORM_FIX), u->width / 2, y, u->width / 2 - pad, S(u, 26),
			W_LABEL, FONT_SMALL, UI_ERROR);
	else if (f->kind == FIELD_MULTILINE)
		add(u, "form.count", str(u, "%zu / %d", utf8_length(u->fields[u->focus]), f->max_chars),
			u->width / 2, y, u->width / 2 - pad, S(u, 26), W_LABEL, FONT_SMALL, UI_MUTED);
	y += S(u, 28);
	ui_widget *in = add(u, "form.input", u->fields[u->focus], pad, y, u->width - 2 * pad, input_h, W_INPUT, FONT_BODY,
		UI_TAIL | UI_CURSOR | (multiline ? UI_WRAP : 0) | (u->errors[u->focus] ? UI_ERROR : 0));
	in->value = u->fields[u->focus];
	y += input_h + S(u, 16);
	/* Keys as tall as the room allows, within what a thumb needs. */
	kb_h = u->height - y - S(u, 6);
	if (kb_h > rows * S(u, 76)) kb_h = rows * S(u, 76);
	keyboard(u, current_keyboard(u), u->height - kb_h - S(u, 6), kb_h);
}

/* ---- review ---- */

static void build_review(ui *u)
{
	int pad = S(u, PAD), y = S(u, BAR) + pad, i, row = S(u, 30), lw = S(u, 200);
	time_t now = time(NULL);
	cal_date due = catalog_deadline(u->category, u->procedure, u->calendar, now);
	char iso[11];
	title_bar(u, T(u, T_REVIEW_TITLE), 1, NULL, NULL);
	add(u, "review.what.label", T(u, T_REVIEW_WHAT), pad, y, lw, row, W_LABEL, FONT_BODY, UI_MUTED);
	add(u, "review.what", u->procedure ? str(u, "%s: %s", category_name(u, u->category), u->procedure->name[u->language])
		: category_name(u, u->category), pad + lw, y, u->width - lw - 2 * pad, row, W_LABEL, FONT_BODY, 0);
	y += row;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		char id[48];
		int lines = u->cat->fields[i].kind == FIELD_MULTILINE ? 2 : 1;
		if (!field_visible(u, i)) continue;
		snprintf(id, sizeof id, "review.%s.label", u->cat->fields[i].name);
		/* Label and value share the row's top line, one line or two. */
		add(u, id, catalog_field_label(u->cat, u->category, i, u->language), pad, y, lw, row * lines, W_LABEL, FONT_BODY,
			UI_MUTED | (lines > 1 ? UI_WRAP : 0));
		snprintf(id, sizeof id, "review.%s", u->cat->fields[i].name);
		add(u, id, u->fields[i][0] ? u->fields[i] : T(u, T_EMPTY_VALUE), pad + lw, y, u->width - lw - 2 * pad,
			row * lines, W_LABEL, FONT_BODY, (lines > 1 ? UI_WRAP : 0) | (u->fields[i][0] ? 0 : UI_MUTED));
		y += row * lines;
	}
	cal_date_format(due, iso);
	add(u, "review.deadline.label", T(u, legal_has_acceptance(&u->category->clock) ? T_DEADLINE_ACCEPT : T_DEADLINE),
		pad, y, lw, row, W_LABEL, FONT_BODY, UI_MUTED);
	add(u, "review.deadline", format_date(u, iso), pad + lw, y, u->width - lw - 2 * pad, row, W_LABEL, FONT_BODY, 0);
	y += row;
	if (u->category->deadline_note[u->language][0])
		add(u, "review.note", u->category->deadline_note[u->language], pad, y, u->width - 2 * pad, S(u, 44),
			W_LABEL, FONT_SMALL, UI_WRAP | UI_MUTED);
	int bh = S(u, 64);
	add(u, "review.edit", T(u, T_REVIEW_EDIT), pad, u->height - bh - pad, S(u, 200), bh, W_BUTTON, FONT_LARGE, UI_CENTER);
	add(u, "review.submit", T(u, T_REVIEW_SUBMIT), u->width - S(u, 320) - pad, u->height - bh - pad, S(u, 320), bh,
		W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
}

/* ---- receipt ---- */

static const struct { escpos_result result; i18n_id text; } printer_problems[] = {
	{ ESCPOS_NO_PRINTER, T_PRINTER_NO_PRINTER }, { ESCPOS_OFFLINE, T_PRINTER_OFFLINE },
	{ ESCPOS_PAPER_OUT, T_PRINTER_PAPER_OUT }, { ESCPOS_COVER_OPEN, T_PRINTER_COVER_OPEN },
	{ ESCPOS_WRITE_FAILED, T_PRINTER_WRITE_FAILED },
};

static const char *printer_problem(ui *u, escpos_result r)
{
	size_t i;
	for (i = 0; i < sizeof printer_problems / sizeof printer_problems[0]; i++)
		if (printer_problems[i].result == r) return T(u, printer_problems[i].text);
	return T(u, T_PRINTER_WRITE_FAILED);
}

/* What became of the paper receipt, in plain words; a failure says what to
 * do instead. Returns the y below it. */
static int print_line(ui *u, int x, int y, int w)
{
	printout_state st;
	const char *text;
	unsigned flags = UI_WRAP;
	ui_widget *wd;
	int lines;
	memset(&st, 0, sizeof st);
	if (!u->print_queued) return y;
	if (u->print_queued > 0) printout_state_get(u->printer, &st);
	else st.result = ESCPOS_WRITE_FAILED;
	if (u->print_queued > 0 && st.busy) text = T(u, T_PRINT_BUSY);
	else if (st.result == ESCPOS_OK) text = T(u, T_PRINT_DONE);
	else {
		text = tf(u, T_PRINT_FAILED, printer_problem(u, st.result));
		flags |= UI_ERROR;
	}
	wd = add(u, "receipt.print", text, x, y, w, S(u, 22), W_LABEL, FONT_SMALL, flags);
	for (lines = 2; !text_fits(u, wd) && lines <= 5; lines++) wd->h = S(u, 21 * lines);
	return y + wd->h + S(u, 6);
}
static void build_receipt(ui *u)
{
	int pad = S(u, PAD), top = S(u, BAR) + pad, qr = u->height - top - pad;
	int x, y, row = S(u, 30), bh = S(u, 64), tw;
	char grouped[TOKEN_GROUPED_LEN + 1];
	const catalog_category *c = catalog_category_by_id(u->cat, u->receipt.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->receipt.procedure);
	if (qr > u->width / 2) qr = u->width / 2;
	title_bar(u, T(u, T_RECEIPT_TITLE), 0, NULL, NULL);
	add(u, "receipt.qr", u->receipt_url, pad, top, qr, qr, W_QR, FONT_SMALL, 0);
	x = 2 * pad + qr;
	tw = u->width - x - pad;
	y = top;
	token_group(u->receipt.token, grouped);
	add(u, "receipt.code.label", T(u, T_RECEIPT_CODE), x, y, tw, S(u, 26), W_LABEL, FONT_BODY, UI_MUTED);
	y += S(u, 26);
	add(u, "receipt.code", str(u, "%s", grouped), x, y, tw, S(u, 52), W_LABEL, FONT_CODE, 0);
	y += S(u, 56);
	/* A procedure's own name says what was filed better than its category. */
	add(u, "receipt.category", p ? p->name[u->language] : c ? category_name(u, c) : "",
		x, y, tw, row, W_LABEL, FONT_BODY, 0);
	y += row;
	add(u, "receipt.time", str(u, "%s: %s", T(u, T_RECEIPT_TIME), format_time(u, u->receipt.received_at)),
		x, y, tw, row, W_LABEL, FONT_BODY, 0);
	y += row;
	add(u, "receipt.deadline", str(u, "%s: %s", T(u, c && legal_has_acceptance(&c->clock) ? T_DEADLINE_ACCEPT : T_DEADLINE),
		format_date(u, u->receipt.deadline)), x, y, tw, row, W_LABEL, FONT_BODY, 0);
	y += row;
	add(u, "receipt.id", str(u, "%s: %s", T(u, T_RECEIPT_ID), u->receipt.id), x, y, tw, row, W_LABEL, FONT_SMALL, UI_MUTED);
	y += row;
	y = print_line(u, x, y, tw);
	/* A printed receipt, or the printing line's advice, replaces "take a photo". */
	add(u, "receipt.next", u->print_queued ? tf(u, T_RECEIPT_NEXT, office_level(u))
		: str(u, "%s %s", tf(u, T_RECEIPT_NEXT, office_level(u)), T(u, T_RECEIPT_PHOTO)),
		x, y, tw, u->height - y - bh - 2 * pad, W_LABEL, FONT_SMALL, UI_WRAP);
	add(u, "receipt.done", T(u, T_DONE), u->width - S(u, 220) - pad, u->height - bh - pad, S(u, 220), bh,
		W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
}

/* ---- lookup and status ---- */

static void build_lookup(ui *u)
{
	int pad = S(u, PAD), y = S(u, BAR) + pad;
	int rows = kb_rows(KB_CODE, 0, 0), kb_h;
	title_bar(u, T(u, T_LOOKUP_TITLE), 1, "lookup.submit", T(u, T_LOOKUP_SUBMIT));
	add(u, "lookup.hint", T(u, T_LOOKUP_HINT), pad, y, u->width - 2 * pad, S(u, 28), W_LABEL, FONT_BODY, 0);
	y += S(u, 32);
	ui_widget *in = add(u, "lookup.input", u->lookup, pad, y, u->width - 2 * pad, S(u, 60), W_INPUT, FONT_CODE,
		UI_TAIL | UI_CURSOR | (u->lookup_msg >= 0 ? UI_ERROR : 0));
	in->value = u->lookup;
	y += S(u, 64);
	if (u->lookup_msg >= 0)
		add(u, "lookup.msg", T(u, (i18n_id)u->lookup_msg), pad, y, u->width - 2 * pad, S(u, 28),
			W_LABEL, FONT_SMALL, UI_ERROR | UI_WRAP);
	y += S(u, 34);
	kb_h = u->height - y - S(u, 6);
	if (kb_h > rows * S(u, 76)) kb_h = rows * S(u, 76);
	keyboard(u, KB_CODE, u->height - kb_h - S(u, 6), kb_h);
}

static const struct { const char *status; i18n_id text; } status_texts[] = {
	{ "received", T_ST_RECEIVED }, { "synced", T_ST_SYNCED }, { "accepted", T_ST_ACCEPTED },
	{ "in_progress", T_ST_IN_PROGRESS }, { "resolved", T_ST_RESOLVED }, { "rejected", T_ST_REJECTED },
	{ "supplement", T_ST_SUPPLEMENT }, { "withdrawn", T_ST_WITHDRAWN },
};

static const char *status_text(ui *u, const char *status)
{
	size_t i;
	for (i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++)
		if (strcmp(status_texts[i].status, status) == 0)
			return tf(u, status_texts[i].text, office_level(u));
	return str(u, "%s", status);
}

#define EVENT_LINE 28   /* design pixels: one line of a timeline entry and its gap */

/* "time · status", and the office's note on the lines below. */
static void event_text(ui *u, const db_event *e, char *out, size_t outlen, size_t note_len)
{
	size_t arena = u->arena_used;
	const char *head = str(u, "%s · %s", format_time(u, e->at), status_text(u, e->status));
	if (!e->note[0]) snprintf(out, outlen, "%s", head);
	else if (note_len >= strlen(e->note)) snprintf(out, outlen, "%s\n%s", head, e->note);
	else snprintf(out, outlen, "%s\n%.*s…", head, (int)note_len, e->note);
	u->arena_used = arena;   /* the pieces were scratch */
}

/* The longest start of a note, cut between characters and preferably
 * between words, that fits w with "…" after it. */
static size_t note_that_fits(ui *u, const db_event *e, ui_widget *w, char *buf, size_t buflen)
{
	size_t lo = 0, hi = strlen(e->note), mid, cut;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		while (mid > lo && ((unsigned char)e->note[mid] & 0xC0) == 0x80) mid--;
		if (mid == lo) break;
		event_text(u, e, buf, buflen, mid);
		if (text_fits(u, w)) lo = mid;
		else hi = mid - 1;
		while (hi > lo && ((unsigned char)e->note[hi] & 0xC0) == 0x80) hi--;
	}
	cut = lo;
	while (cut > 0 && e->note[cut - 1] != ' ' && e->note[cut - 1] != '\n' && lo - cut < 24) cut--;
	if (cut == 0 || lo - cut >= 24) cut = lo;
	while (cut > 0 && (e->note[cut - 1] == ' ' || e->note[cut - 1] == '\n')) cut--;
	return cut;
}

/* Lays out one event of the timeline at y within room pixels. Returns the
 * height used, or 0 when not even its first line fits. */
static int event_widget(ui *u, int i, const db_event *e, int x, int y, int w, int room)
{
	char buf[PROTO_NOTE_MAX + 256], id[32];
	ui_widget probe;
	int lo, hi;
	memset(&probe, 0, sizeof probe);
	probe.text = buf;
	probe.x = x; probe.y = y; probe.w = w; probe.h = room;
	probe.kind = W_LABEL;
	probe.font = FONT_SMALL;
	probe.flags = UI_WRAP;
	event_text(u, e, buf, sizeof buf, strlen(e->note));
	if (!text_fits(u, &probe)) {
		size_t keep = note_that_fits(u, e, &probe, buf, sizeof buf);
		event_text(u, e, buf, sizeof buf, keep);
		if (!text_fits(u, &probe)) {
			event_text(u, e, buf, sizeof buf, 0);
			buf[strcspn(buf, "\n")] = '\0';
			if (!text_fits(u, &probe)) return 0;
		}
	}
	/* The least height that holds it. */
	lo = 1;
	hi = room;
	while (lo < hi) {
		probe.h = (lo + hi) / 2;
		if (text_fits(u, &probe)) hi = probe.h;
		else lo = probe.h + 1;
	}
	snprintf(id, sizeof id, "status.event.%d", i);
	add(u, id, str(u, "%s", buf), x, y, w, lo, W_LABEL, FONT_SMALL, UI_WRAP);
	return lo;
}

/* The new appointment date the office gave after the request ran late
 * (an event that set a date after the one then in force had passed), or
 * NULL; *set says whether any event set a deadline at all. */
static const char *late_date(ui *u, int *set)
{
	const char *in_force = u->found.deadline;
	int i, was_late = 0;
	*set = 0;
	for (i = 0; i < u->nevents; i++) {
		const db_event *e = &u->events[i];
		char day[11];
		if (!e->deadline[0]) continue;
		cal_date_format(cal_from_time((time_t)e->at), day);
		if (strcmp(day, in_force) > 0) was_late = 1;
		in_force = e->deadline;
		*set = 1;
	}
	return was_late ? in_force : NULL;
}

static void build_status(ui *u)
{
	int pad = S(u, PAD), y = S(u, BAR) + pad, row = S(u, 30), i, bh = S(u, 64), bw = S(u, 220);
	int half = (u->width - 3 * pad) / 2, hw = S(u, 150), tw, used;
	char grouped[TOKEN_GROUPED_LEN + 1], today[11], err[128];
	const catalog_category *c = catalog_category_by_id(u->cat, u->found.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->found.procedure);
	db_sync_state st;
	int overdue, set_by_office;
	const char *due = u->found.due[0] ? u->found.due : u->found.deadline;
	const char *late = late_date(u, &set_by_office);
	cal_date_format(cal_from_time(time(NULL)), today);
	overdue = !status_is_final(u->found.status) && strcmp(today, due) > 0;
	if (!u->store || db_read_sync_state(u->store, &st, err, sizeof err) != 0) memset(&st, 0, sizeof st);
	title_bar(u, T(u, T_STATUS_TITLE), 1, NULL, NULL);
	token_group(u->found.token, grouped);
	add(u, "status.code", str(u, "%s: %s", T(u, T_RECEIPT_CODE), grouped), pad, y, u->width - 2 * pad, row,
		W_LABEL, FONT_BODY, 0);
	y += row;
	add(u, "status.state", status_text(u, u->found.status), pad, y, u->width - 2 * pad, S(u, 44), W_LABEL, FONT_CODE,
		overdue ? UI_ERROR : 0);
	y += S(u, 48);
	if (overdue) {
		add(u, "status.overdue", T(u, T_STATUS_OVERDUE), pad, y, u->width - 2 * pad, row, W_LABEL, FONT_BODY, UI_ERROR);
		y += row;
	} else if (late && !status_is_final(u->found.status)) {
		add(u, "status.late", tf(u, T_STATUS_LATE, format_date(u, late)), pad, y, u->width - 2 * pad, row + S(u, 4),
			W_LABEL, FONT_BODY, UI_WARN);
		y += row + S(u, 6);
	}
	add(u, "status.category", c ? (p ? str(u, "%s: %s", category_name(u, c), p->name[u->language]) : category_name(u, c))
		: u->found.category, pad, y, u->width - 2 * pad, row, W_LABEL, FONT_BODY, 0);
	y += row;
	add(u, "status.received", str(u, "%s: %s", T(u, T_RECEIPT_TIME), format_time(u, u->found.received_at)),
		pad, y, half, row, W_LABEL, FONT_BODY, 0);
	/* Until the office sets one, a complaint's date is when it must be accepted. */
	add(u, "status.deadline", str(u, "%s: %s", T(u, c && legal_has_acceptance(&c->clock) && !set_by_office
		? T_DEADLINE_ACCEPT : T_DEADLINE), format_date(u, due)), 2 * pad + half, y, half, row, W_LABEL, FONT_BODY,
		overdue ? UI_ERROR : 0);
	y += row + S(u, 4);
	add(u, "status.history", T(u, T_STATUS_HISTORY), pad, y, hw, row, W_LABEL, FONT_BODY, UI_MUTED);
	add(u, "status.updated", st.last_events ? tf(u, T_STATUS_UPDATED, office_level(u), format_time(u, st.last_events))
		: tf(u, T_STATUS_NO_UPDATE, office_level(u)), pad + hw, y, u->width - hw - 2 * pad, row,
		W_LABEL, FONT_SMALL, UI_MUTED);
	y += row;
	/* Newest first, in the column beside the Done button; a long note
	 * shows what fits and ends in "…", leaving a line to each of the
	 * (up to three) events before it, so the history stays in sight. */
	tw = u->width - bw - 3 * pad;
	for (i = u->nevents - 1; i >= 0; i--) {
		int room = u->height - pad - y - (i < 3 ? i : 3) * S(u, EVENT_LINE);
		if (room < S(u, EVENT_LINE)) room = u->height - pad - y;
		used = event_widget(u, i, &u->events[i], pad, y, tw, room);
		if (!used) break;
		y += used + S(u, 6);
	}
	add(u, "status.done", T(u, T_DONE), u->width - bw - pad, u->height - bh - pad, bw, bh,
		W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
}

/* ---- the cannot-accept screen ---- */

static void build_error(ui *u)
{
	int pad = S(u, PAD), bh = S(u, 64);
	title_bar(u, T(u, T_ERROR_TITLE), 0, NULL, NULL);
	add(u, "error.message", T(u, T_ERROR_MESSAGE), 2 * pad, S(u, BAR) + 2 * pad, u->width - 4 * pad,
		u->height - S(u, BAR) - bh - 5 * pad, W_LABEL, FONT_LARGE, UI_WRAP | UI_CENTER | UI_ERROR);
	if (u->category)
		add(u, "error.retry", T(u, T_ERROR_RETRY), pad, u->height - bh - pad, S(u, 260), bh, W_BUTTON, FONT_LARGE, UI_CENTER);
	add(u, "error.home", T(u, T_HOME), u->width - S(u, 260) - pad, u->height - bh - pad, S(u, 260), bh,
		W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
}

/* ---- staff PIN and menu ---- */

/* Seconds the pad stays locked, from the wall clock (the lock outlives the
 * process, so SDL's ticks will not do). A clock set back would stretch a
 * lock written before: it never lasts longer than one lock from now. */
static int pin_locked_for(ui *u)
{
	long long now = (long long)time(NULL), most = u->cfg->pin_lock_seconds;
	if (u->pin_lock.locked_until <= now) return 0;
	if (u->pin_lock.locked_until > now + most) {
		u->pin_lock.locked_until = now + most;
		if (u->store) db_pin_lock_write(u->store, &u->pin_lock);
	}
	return (int)(u->pin_lock.locked_until - now);
}

static void build_pin(ui *u)
{
	int pad = S(u, PAD), y = S(u, BAR) + pad, kw = S(u, 110), kh = S(u, 56), gap = S(u, 8), i;
	static const char *const keys[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok" };
	char dots[40] = "";
	int x0 = (u->width - 3 * kw - 2 * gap) / 2, locked = pin_locked_for(u);
	const char *hint = T(u, T_PIN_HINT);
	title_bar(u, T(u, T_PIN_TITLE), 1, NULL, NULL);
	for (i = 0; u->pin[i] && i < 12; i++) strcat(dots, "• ");
	if (locked) hint = tf(u, T_PIN_LOCKED, locked);
	else if (u->pin_msg == T_PIN_WRONG_LEFT) hint = tf(u, T_PIN_WRONG_LEFT, UI_PIN_TRIES - u->pin_lock.failures);
	else if (u->pin_msg >= 0) hint = T(u, (i18n_id)u->pin_msg);
	add(u, "pin.hint", hint, pad, y, u->width - 2 * pad, S(u, 28), W_LABEL, FONT_BODY,
		UI_CENTER | (locked || u->pin_msg >= 0 ? UI_ERROR : 0));
	y += S(u, 30);
	add(u, "pin.display", str(u, "%s", dots), x0, y, 3 * kw + 2 * gap, S(u, 40), W_INPUT, FONT_LARGE, UI_CENTER);
	y += S(u, 48);
	for (i = 0; i < 12; i++) {
		char id[16];
		ui_widget *w;
		snprintf(id, sizeof id, "pin.%s", keys[i]);
		w = add(u, id, i == 9 ? "⌫" : i == 11 ? "OK" : keys[i], x0 + (i % 3) * (kw + gap), y + (i / 3) * (kh + gap),
			kw, kh, W_KEY, FONT_LARGE, UI_CENTER | (i == 11 ? UI_PRIMARY : 0));
		w->enabled = !locked;
	}
}

/* "2 giờ 05 phút" for a number of seconds. */
static const char *span_text(ui *u, long long seconds)
{
	long long a = seconds < 0 ? -seconds : seconds;
	if (a >= 86400) return tf(u, T_STAFF_DAYS, a / 86400, a % 86400 / 3600);
	if (a >= 3600) return tf(u, T_STAFF_HOURS, a / 3600, a % 3600 / 60);
	if (a >= 60) return tf(u, T_STAFF_MINUTES, a / 60, a % 60);
	return tf(u, T_STAFF_SECONDS, a);
}

/* The last sync and the clock, on one line. */
static const char *staff_sync_line(ui *u, const db_sync_state *st)
{
	const char *last = st->last_success ? tf(u, T_SYNC_LAST, format_time(u, st->last_success)) : T(u, T_SYNC_NEVER);
	const char *clock = !st->clock_known ? T(u, T_STAFF_CLOCK_UNKNOWN)
		: st->clock_offset == 0 ? T(u, T_STAFF_CLOCK_OK)
		/* the offset is the server's clock minus the kiosk's */
		: tf(u, st->clock_offset > 0 ? T_STAFF_CLOCK_BEHIND : T_STAFF_CLOCK_AHEAD, span_text(u, st->clock_offset));
	return str(u, "%s · %s", last, clock);
}

/* Requests by status, the ones there are: "Đã thụ lý 2 · Đã có kết quả 5". */
static const char *staff_status_line(ui *u, const db_counts *c)
{
	char line[1024] = "";
	int i;
	for (i = 0; status_names[i] && i < 16; i++) {
		size_t n = strlen(line);
		size_t arena = u->arena_used;
		if (!c->by_status[i]) continue;
		snprintf(line + n, sizeof line - n, "%s%s: %lld", n ? " · " : "", status_text(u, status_names[i]),
			c->by_status[i]);
		u->arena_used = arena;   /* the status text was scratch */
	}
	return str(u, "%s", line);
}

static const struct { const char *result; i18n_id text; } run_failures[] = {
	{ "not_configured", T_SYNC_ERR_NOT_CONFIGURED }, { "no_network", T_SYNC_ERR_NO_NETWORK },
	{ "not_registered", T_SYNC_ERR_NOT_REGISTERED }, { "revoked", T_SYNC_ERR_REVOKED },
	{ "refused", T_SYNC_ERR_REFUSED }, { "bad_answer", T_SYNC_ERR_BAD_ANSWER }, { "clock", T_SYNC_ERR_CLOCK },
	{ "conflict", T_SYNC_ERR_CONFLICT }, { "local", T_SYNC_ERR_LOCAL }, { "stopped", T_SYNC_ERR_STOPPED },
	{ "no_usb", T_SYNC_ERR_NO_USB }, { "no_answer", T_SYNC_ERR_NO_ANSWER },
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* What a finished run did, in a plain sentence; *failed says whether it is
 * a failure. */
static const char *run_result(ui *u, const bgsync_run_state *r, int *failed)
{
	size_t i;
	*failed = r->exit_code != 0;
	if (!*failed) {
		if (strcmp(r->command, "export") == 0)
			return r->files > 1 ? tf(u, T_STAFF_EXPORT_MANY, r->count, r->files, base_name(r->path))
				: tf(u, T_STAFF_EXPORT_OK, r->count, base_name(r->path));
		if (strcmp(r->command, "import") == 0) return tf(u, T_STAFF_IMPORT_OK, r->count, r->sent, r->updates);
		return tf(u, T_STAFF_SYNC_OK, r->sent, r->updates);
	}
	for (i = 0; i < sizeof run_failures / sizeof run_failures[0]; i++)
		if (strcmp(r->result, run_failures[i].result) == 0) return T(u, run_failures[i].text);
	return T(u, T_STAFF_START_FAILED);
}

/* The progress bar and the line under it, or the result with motcua-sync's
 * own words below it when they fit (they name files and commands). */
static void staff_run_area(ui *u, int x, int y, int w, int h)
{
	bgsync_run_state r;
	ui_widget *wd;
	int bar = S(u, 22), failed = 0;
	if (u->staff_start_failed) {
		add(u, "staff.result", T(u, T_STAFF_START_FAILED), x, y, w, S(u, 30), W_LABEL, FONT_BODY, UI_ERROR | UI_WRAP);
		return;
	}
	if (!u->staff_ops.read) return;
	u->staff_ops.read(u->staff_ops.ctx, &r);
	if (r.phase == BGSYNC_IDLE) return;
	if (r.phase == BGSYNC_WAITING || r.phase == BGSYNC_RUNNING) {
		int fill = r.total > 0 ? (int)(w * r.done / r.total) : 0;
		const char *text = r.phase == BGSYNC_WAITING ? T(u, T_STAFF_WAITING)
			: strcmp(r.command, "export") == 0 ? T(u, T_STAFF_WORKING_EXPORT)
			: strcmp(r.command, "import") == 0 ? T(u, T_STAFF_WORKING_IMPORT)
			: r.total > 0 ? tf(u, T_STAFF_SENDING, r.done, r.total) : T(u, T_STAFF_WORKING_NOW);
		add(u, "staff.bar", "", x, y, w, bar, W_PANEL, FONT_BODY, UI_MUTED);
		if (fill > 0) add(u, "staff.bar.fill", "", x, y, fill, bar, W_PANEL, FONT_BODY, UI_BAR);
		wd = add(u, "staff.progress", text, x, y + bar + S(u, 4), w, S(u, 30), W_LABEL, FONT_BODY, 0);
		wd->value = str(u, "%lld/%lld", r.done, r.total);
		return;
	}
	wd = add(u, "staff.result", run_result(u, &r, &failed), x, y, w, S(u, 30), W_LABEL, FONT_BODY,
		UI_WRAP | (failed ? UI_ERROR : 0));
	if (!text_fits(u, wd)) wd->h = S(u, 56);
	if (failed && r.message[0]) {
		int top = wd->y + wd->h + S(u, 2);
		wd = add(u, "staff.detail", str(u, "%s", r.message), x, top, w, y + h - top, W_LABEL, FONT_SMALL, UI_WRAP | UI_MUTED);
		if (wd->h < S(u, 22) || !text_fits(u, wd)) u->nwidgets--;   /* the sentence above says enough */
	}
}

/* HH:MM of a Unix time. */
static const char *clock_time(ui *u, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return str(u, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* The printer, in the bottom row from x on: the test page button and the
 * last outcome (printed, or why not). */
static void staff_printer(ui *u, int x, int y, int h)
{
	int pad = S(u, PAD), bw = S(u, 210), lw = u->width - x - bw - 2 * pad;
	printout_state st;
	const char *state;
	int failed;
	if (!u->printer) {
		add(u, "staff.printer", T(u, T_STAFF_PRINTER_NONE), x, y, u->width - x - pad, h, W_LABEL, FONT_SMALL,
			UI_WRAP | UI_MUTED | UI_CENTER);
		return;
	}
	printout_state_get(u->printer, &st);
	failed = !st.busy && (u->print_queued < 0 || (st.printed_any && st.result != ESCPOS_OK));
	if (st.busy) state = T(u, T_PRINTER_BUSY);
	else if (u->print_queued < 0) state = tf(u, T_PRINTER_FAILED, clock_time(u, (long long)time(NULL)),
		printer_problem(u, ESCPOS_WRITE_FAILED));
	else if (!st.printed_any) state = T(u, T_PRINTER_IDLE);
	else if (st.result == ESCPOS_OK) state = tf(u, T_PRINTER_PRINTED, clock_time(u, st.finished_at));
	else state = tf(u, T_PRINTER_FAILED, clock_time(u, st.finished_at), printer_problem(u, st.result));
	/* The device and the system's words are in the log and the self-check. */
	add(u, "staff.printer", tf(u, T_STAFF_PRINTER, state), x, y, lw, h, W_LABEL, FONT_SMALL,
		UI_WRAP | UI_CENTER | (failed ? UI_ERROR : 0));
	add(u, "staff.print_test", T(u, T_STAFF_PRINT_TEST), u->width - bw - pad, y, bw, h, W_BUTTON, FONT_LARGE, UI_CENTER);
}

static void build_staff(ui *u)
{
	int pad = S(u, PAD), y = S(u, BAR) + pad, bh = S(u, 72), w = u->width - 2 * pad, bw, ew = S(u, 300);
	db_counts counts;
	db_sync_state st;
	char err[256], today[11];
	int running = 0;
	title_bar(u, T(u, T_STAFF_TITLE), 1, NULL, NULL);
	cal_date_format(cal_from_time(time(NULL)), today);
	if (!u->store || db_count_by_status(u->store, today, &counts, err, sizeof err) != 0 ||
	    db_read_sync_state(u->store, &st, err, sizeof err) != 0) {
		add(u, "staff.count", T(u, T_STAFF_NO_DB), pad, y, w, S(u, 30), W_LABEL, FONT_BODY, UI_ERROR);
		memset(&st, 0, sizeof st);
	} else {
		add(u, "staff.count", tf(u, T_STAFF_COUNT, counts.total, st.pending, counts.overdue), pad, y, w, S(u, 30),
			W_LABEL, FONT_BODY, 0);
		y += S(u, 30);
		add(u, "staff.status", staff_status_line(u, &counts), pad, y, w, S(u, 44), W_LABEL, FONT_SMALL, UI_WRAP | UI_MUTED);
		y += S(u, 44);
		add(u, "staff.sync.last", staff_sync_line(u, &st), pad, y, w, S(u, 26), W_LABEL, FONT_SMALL, UI_MUTED);
	}
	y += S(u, 34);
	if (u->staff_ops.start) {
		bgsync_run_state r;
		ui_widget *b;
		u->staff_ops.read(u->staff_ops.ctx, &r);
		running = r.phase == BGSYNC_WAITING || r.phase == BGSYNC_RUNNING;
		bw = (w - 2 * pad) / 3;
		b = add(u, "staff.sync", T(u, T_STAFF_SYNC), pad, y, bw, bh, W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
		b->enabled = !running;
		b = add(u, "staff.export", T(u, T_STAFF_EXPORT), 2 * pad + bw, y, bw, bh, W_BUTTON, FONT_LARGE, UI_CENTER);
		b->enabled = !running;
		b = add(u, "staff.import", T(u, T_STAFF_IMPORT), 3 * pad + 2 * bw, y, bw, bh, W_BUTTON, FONT_LARGE, UI_CENTER);
		b->enabled = !running;
		y += bh + pad;
		staff_run_area(u, pad, y, w, u->height - bh - 2 * pad - y);
	}
	add(u, "staff.exit", T(u, T_STAFF_EXIT), pad, u->height - bh - pad, ew, bh, W_BUTTON, FONT_LARGE, UI_CENTER);
	staff_printer(u, ew + 2 * pad, u->height - bh - pad, bh);
}

/* ---- the idle countdown, over any screen ---- */

static void build_idle(ui *u)
{
	int pad = S(u, PAD), w = u->width * 3 / 4, h = S(u, 220), x = (u->width - w) / 2, y = (u->height - h) / 2;
	uint32_t idle_ms = (uint32_t)u->cfg->idle_timeout * 1000u;
	uint32_t left_ms = UI_IDLE_COUNTDOWN_MS - (u->now - u->last_input - idle_ms);
	int i;
	for (i = 0; i < u->nwidgets; i++) u->widgets[i].enabled = 0;
	add(u, "idle", "", 0, 0, u->width, u->height, W_PANEL, FONT_BODY, UI_MUTED);
	add(u, "idle.box", "", x, y, w, h, W_PANEL, FONT_BODY, 0);
	add(u, "idle.message", tf(u, T_IDLE_MESSAGE, (int)((left_ms + 999) / 1000)), x + pad, y + pad, w - 2 * pad, S(u, 110),
		W_LABEL, FONT_LARGE, UI_WRAP | UI_CENTER);
	add(u, "idle.continue", T(u, T_IDLE_CONTINUE), x + (w - S(u, 320)) / 2, y + h - S(u, 64) - pad, S(u, 320), S(u, 64),
		W_BUTTON, FONT_LARGE, UI_PRIMARY | UI_CENTER);
}

/* ---- screens table ---- */

typedef struct {
	void (*build)(ui *u);
	ui_screen back;        /* where Back leads (form and procedure decide for themselves) */
} screen_def;

static const screen_def screens[] = {
	[SCREEN_HOME] = { build_home, SCREEN_HOME },
	[SCREEN_CATEGORY] = { build_category, SCREEN_HOME },
	[SCREEN_PROCEDURE] = { build_procedure, SCREEN_CATEGORY },
	[SCREEN_FORM] = { build_form, SCREEN_CATEGORY },
	[SCREEN_REVIEW] = { build_review, SCREEN_FORM },
	[SCREEN_RECEIPT] = { build_receipt, SCREEN_HOME },
	[SCREEN_LOOKUP] = { build_lookup, SCREEN_HOME },
	[SCREEN_STATUS] = { build_status, SCREEN_LOOKUP },
	[SCREEN_ERROR] = { build_error, SCREEN_HOME },
	[SCREEN_PIN] = { build_pin, SCREEN_HOME },
	[SCREEN_STAFF] = { build_staff, SCREEN_HOME },
};

void ui_build(ui *u)
{
	if (!u->dirty) return;
	u->nwidgets = 0;
	u->arena_used = 0;
	screens[u->screen].build(u);
	if (u->idle_warning) build_idle(u);
	u->dirty = 0;
}

const ui_widget *ui_find(ui *u, const char *id)
{
	int i;
	ui_build(u);
	for (i = 0; i < u->nwidgets; i++)
		if (strcmp(u->widgets[i].id, id) == 0) return &u->widgets[i];
	return NULL;
}

static int interactive(const ui_widget *w)
{
	return w->kind == W_BUTTON || w->kind == W_TAB || w->kind == W_KEY || w->kind == W_INPUT ||
		strcmp(w->id, "home.title") == 0;
}

const ui_widget *ui_hit(ui *u, int x, int y)
{
	int i;
	ui_build(u);
	/* Last drawn is on top. */
	for (i = u->nwidgets - 1; i >= 0; i--) {
		const ui_widget *w = &u->widgets[i];
		if (x >= w->x && x < w->x + w->w && y >= w->y && y < w->y + w->h && w->enabled && interactive(w))
			return w;
	}
	return NULL;
}

/* ---- state changes ---- */

static void go(ui *u, ui_screen s)
{
	u->screen = s;
	u->dirty = 1;
}

static int first_visible_field(ui *u)
{
	int i;
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (field_visible(u, i)) return i;
	return 0;
}

static void focus_field(ui *u, int i)
{
	u->focus = i;
	u->kb_layer = 0;
	u->shift = 0;
	ime_reset(&u->input);
	u->dirty = 1;
}

static void open_form(ui *u)
{
	u->form_error = 0;
	memset(u->errors, 0, sizeof u->errors);
	focus_field(u, first_visible_field(u));
	go(u, SCREEN_FORM);
}

void ui_reset_visit(ui *u)
{
	sodium_memzero(u->fields, sizeof u->fields);
	memset(u->errors, 0, sizeof u->errors);
	memset(u->lookup, 0, sizeof u->lookup);
	memset(&u->found, 0, sizeof u->found);
	memset(&u->receipt, 0, sizeof u->receipt);
	memset(u->pin, 0, sizeof u->pin);
	u->nevents = 0;
	u->category = NULL;
	u->procedure = NULL;
	u->procedure_page = 0;
	u->form_error = 0;
	u->lookup_msg = -1;
	u->pin_msg = -1;
	u->idle_warning = 0;
	u->language = strcmp(u->cfg->language, "en") == 0 ? LANG_EN : LANG_VI;
	ime_init(&u->input, strcmp(u->cfg->input_method, "vni") == 0 ? IME_VNI : IME_TELEX,
		strcmp(u->cfg->tone_style, "new") == 0 ? IME_TONE_NEW : IME_TONE_OLD);
	go(u, SCREEN_HOME);
}

void ui_init(ui *u, const config *cfg, const catalog *cat, const cal *calendar, db *store,
	const seal_server_key *server_key, uint32_t now)
{
	memset(u, 0, sizeof *u);
	u->cfg = cfg;
	u->cat = cat;
	u->calendar = calendar;
	u->store = store;
	u->server_key = server_key;
	u->now = u->last_input = now;
	ui_resize(u, 800, 480);
	ui_reset_visit(u);
}

void ui_resize(ui *u, int width, int height)
{
	float sx = width / 800.0f, sy = height / 480.0f;
	u->width = width;
	u->height = height;
	u->scale = sx < sy ? sx : sy;
	u->dirty = 1;
}

static valid_code check_field(ui *u, int i)
{
	const catalog_field *f = &u->cat->fields[i];
	int required = u->category->need[i] == FIELD_REQUIRED;
	char norm[16];
	switch (f->kind) {
	case FIELD_PHONE: return valid_phone(u->fields[i], required, norm);
	case FIELD_CITIZEN_ID: return valid_citizen_id(u->fields[i], required, norm);
	case FIELD_MULTILINE: return valid_text(u->fields[i], (size_t)f->max_chars, 1, required);
	case FIELD_TEXT: break;
	}
	return valid_text(u->fields[i], (size_t)f->max_chars, 0, required);
}

static void form_next(ui *u)
{
	int i, first = -1;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		u->errors[i] = field_visible(u, i) ? check_field(u, i) : VALID_OK;
		if (u->errors[i] != VALID_OK && first < 0) first = i;
	}
	if (first >= 0) {
		u->form_error = 1;
		focus_field(u, first);
		return;
	}
	u->form_error = 0;
	go(u, SCREEN_REVIEW);
}

static void next_field(ui *u)
{
	int i;
	for (i = u->focus + 1; i < CATALOG_FIELDS; i++)
		if (field_visible(u, i)) { focus_field(u, i); return; }
	form_next(u);
}

/* The sealed record: every field the category shows, normalised. The JSON
 * text is wiped as soon as it is sealed. */
static int seal_fields(ui *u, unsigned char **out, size_t *outlen)
{
	json_t *o = json_object();
	char *text;
	size_t len;
	int i, rc = -1;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		char norm[16];
		const char *v = u->fields[i];
		if (!field_visible(u, i)) continue;
		if (u->cat->fields[i].kind == FIELD_PHONE && v[0] && valid_phone(v, 0, norm) == VALID_OK) v = norm;
		if (u->cat->fields[i].kind == FIELD_CITIZEN_ID && v[0] && valid_citizen_id(v, 0, norm) == VALID_OK) v = norm;
		json_object_set_new(o, u->cat->fields[i].name, json_string(v));
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text) return -1;
	len = strlen(text);
	*out = malloc(len + SEAL_OVERHEAD);
	if (*out && seal_box(u->server_key, text, len, *out) == 0) {
		*outlen = len + SEAL_OVERHEAD;
		rc = 0;
	}
	sodium_memzero(text, len);
	free(text);
	return rc;
}

/* The paper receipt, only for what is stored: drawn now, while the
 * citizen's name is still in memory (milliseconds), and sent by the
 * printer's own thread, because a slow, empty or missing printer takes
 * seconds to say so; the receipt screen shows the outcome when it comes. */
static void print_receipt(ui *u)
{
	printout_receipt r;
	char what[256], err[200];
	int name = catalog_field_index("full_name");
	u->print_queued = 0;
	if (!u->printer) return;
	if (u->procedure) snprintf(what, sizeof what, "%s – %s", category_name(u, u->category), u->procedure->name[u->language]);
	else snprintf(what, sizeof what, "%s", category_name(u, u->category));
	memset(&r, 0, sizeof r);
	r.language = u->language;
	r.token = u->receipt.token;
	r.request_id = u->receipt.id;
	r.what = what;
	/* The law keeps a denouncer's identity secret: a slip left in the tray
	 * or dropped on the way home must not name them. */
	r.citizen_name = name >= 0 && field_visible(u, name) && strcmp(u->category->id, "denunciation") != 0
		? u->fields[name] : "";
	r.received_at = u->receipt.received_at;
	r.deadline_label = T(u, legal_has_acceptance(&u->category->clock) ? T_DEADLINE_ACCEPT : T_DEADLINE);
	r.deadline = u->receipt.deadline;
	r.url = u->receipt_url;
	u->print_queued = printout_print_receipt(u->printer, &r, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the receipt: %s", err);
}

static void submit(ui *u)
{
	db_submission s;
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	char iso[11], err[256];
	time_t now = time(NULL);

	if (!u->server_key || !u->store || seal_fields(u, &sealed, &sealed_len) != 0) {
		fprintf(stderr, "motcua-kiosk: error: cannot accept a request: %s\n",
			!u->server_key ? "no server key configured" : !u->store ? "the database is not open" : "sealing failed");
		free(sealed);
		go(u, SCREEN_ERROR);
		return;
	}
	cal_date_format(catalog_deadline(u->category, u->procedure, u->calendar, now), iso);
	memset(&s, 0, sizeof s);
	s.commune_code = u->cfg->commune_code;
	s.kiosk_number = u->cfg->kiosk_number;
	s.category = u->category->id;
	s.procedure = u->procedure ? u->procedure->id : NULL;
	s.received_at = now;
	s.deadline = iso;
	s.sealed = sealed;
	s.sealed_len = sealed_len;
	if (db_submit(u->store, &s, &u->receipt, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-kiosk: error: cannot store a request: %s\n", err);
		free(sealed);
		go(u, SCREEN_ERROR);
		return;
	}
	free(sealed);
	fprintf(stderr, "motcua-kiosk: info: stored request %s (%s)\n", u->receipt.id, u->receipt.category);
	snprintf(u->receipt_url, sizeof u->receipt_url, "%s/r/%s", u->cfg->public_url, u->receipt.token);
	print_receipt(u);
	/* Stored and sealed: the clear text has no reason to stay in memory. */
	sodium_memzero(u->fields, sizeof u->fields);
	go(u, SCREEN_RECEIPT);
}

static void lookup_submit(ui *u)
{
	char token[TOKEN_LEN + 1];
	int rc = token_parse(u->lookup, token);
	if (rc == TOKEN_MALFORMED) { u->lookup_msg = T_LOOKUP_MALFORMED; u->dirty = 1; return; }
	if (rc == TOKEN_BADCHECK) { u->lookup_msg = T_LOOKUP_BADCHECK; u->dirty = 1; return; }
	rc = db_find_token(u->store, token, &u->found);
	if (rc != 1) {
		u->lookup_msg = T_LOOKUP_UNKNOWN;
		u->dirty = 1;
		return;
	}
	u->nevents = db_events(u->store, u->found.id, u->events, UI_MAX_EVENTS);
	if (u->nevents < 0) u->nevents = 0;
	u->lookup_msg = -1;
	go(u, SCREEN_STATUS);
}

/* Five wrong PINs in a row lock the pad; the count and the lock are
 * written durably before the answer shows, so pulling the plug after a
 * wrong guess does not buy another one. */
static void pin_ok(ui *u)
{
	if (pin_locked_for(u)) {
		/* the pad is disabled; a physical keyboard's Return lands here */
	} else if (!u->cfg->staff_pin[0]) {
		u->pin_msg = T_PIN_NONE;
	} else if (config_check_pin(u->cfg, u->pin)) {
		u->pin_msg = -1;
		u->pin_lock.failures = 0;
		u->pin_lock.locked_until = 0;
		if (u->store) db_pin_lock_write(u->store, &u->pin_lock);
		u->staff_start_failed = 0;
		go(u, SCREEN_STAFF);
	} else {
		u->pin_msg = T_PIN_WRONG_LEFT;
		if (++u->pin_lock.failures >= UI_PIN_TRIES) {
			u->pin_lock.failures = 0;
			u->pin_lock.locked_until = (long long)time(NULL) + u->cfg->pin_lock_seconds;
			u->pin_msg = -1;
			log_warn("%d wrong staff PINs: the pad is locked for %d s", UI_PIN_TRIES, u->cfg->pin_lock_seconds);
		}
		if (u->store && db_pin_lock_write(u->store, &u->pin_lock) != 0)
			log_error("the staff PIN lock could not be saved");
	}
	sodium_memzero(u->pin, sizeof u->pin);
	u->dirty = 1;
}

static void open_pin(ui *u)
{
	db_pin_lock stored;
	u->pin[0] = '\0';
	u->pin_msg = -1;
	/* The store's lock wins over memory: it is what survives a restart. */
	if (u->store && db_pin_lock_read(u->store, &stored) == 0) u->pin_lock = stored;
	go(u, SCREEN_PIN);
}

/* ---- typing ---- */

static void field_changed(ui *u)
{
	/* A message about a field goes once the person changes it. */
	if (u->screen == SCREEN_FORM) u->errors[u->focus] = VALID_OK;
	if (u->screen == SCREEN_LOOKUP) u->lookup_msg = -1;
	u->dirty = 1;
}

/* One character into the focused field, through the input method where the
 * field takes words. Refused (with the message) past the field's limit. */
static void type_char(ui *u, uint32_t cp)
{
	if (u->screen == SCREEN_LOOKUP) {
		char enc[4];
		size_t n = utf8_encode(cp >= 'a' && cp <= 'z' ? cp - 32 : cp, enc), len = strlen(u->lookup);
		if (cp < 0x20 || n == 0 || len + n >= sizeof u->lookup) return;
		memcpy(u->lookup + len, enc, n);
		u->lookup[len + n] = '\0';
		field_changed(u);
		return;
	}
	if (u->screen == SCREEN_PIN) {
		size_t len = strlen(u->pin);
		if (cp >= '0' && cp <= '9' && len + 1 < sizeof u->pin) { u->pin[len] = (char)cp; u->pin[len + 1] = '\0'; }
		u->dirty = 1;
		return;
	}
	if (u->screen != SCREEN_FORM) return;
	char *f = u->fields[u->focus];
	const catalog_field *fd = &u->cat->fields[u->focus];
	char before[UI_FIELD_BYTES];
	if (fd->kind == FIELD_PHONE || fd->kind == FIELD_CITIZEN_ID) {
		size_t len = strlen(f);
		if (cp < '0' || cp > '9') return;
		if ((int)len >= fd->max_chars) { u->errors[u->focus] = VALID_TOO_LONG; u->dirty = 1; return; }
		f[len] = (char)cp;
		f[len + 1] = '\0';
		field_changed(u);
		return;
	}
	if (cp == '\n' && fd->kind != FIELD_MULTILINE) return;
	memcpy(before, f, strlen(f) + 1);
	if (ime_key(&u->input, f, UI_FIELD_BYTES, cp) != 0 || utf8_length(f) > (size_t)fd->max_chars) {
		memcpy(f, before, strlen(before) + 1);
		u->errors[u->focus] = VALID_TOO_LONG;
		u->dirty = 1;
		sodium_memzero(before, sizeof before);
		return;
	}
	sodium_memzero(before, sizeof before);
	field_changed(u);
}

static void backspace(ui *u)
{
	if (u->screen == SCREEN_LOOKUP) {
		u->lookup[utf8_last_start(u->lookup, strlen(u->lookup))] = '\0';
		field_changed(u);
	} else if (u->screen == SCREEN_PIN) {
		size_t n = strlen(u->pin);
		if (n) u->pin[n - 1] = '\0';
		u->dirty = 1;
	} else if (u->screen == SCREEN_FORM) {
		ime_backspace(&u->input, u->fields[u->focus]);
		field_changed(u);
	}
}

static void enter(ui *u)
{
	if (u->screen == SCREEN_FORM) {
		if (u->cat->fields[u->focus].kind == FIELD_MULTILINE) type_char(u, '\n');
		else next_field(u);
	} else if (u->screen == SCREEN_LOOKUP) lookup_submit(u);
	else if (u->screen == SCREEN_PIN) pin_ok(u);
}

static void press_key(ui *u, const char *name)
{
	const kb_key *k = kb_key_by_name(current_keyboard(u), u->kb_layer, vni_digits(u), name);
	if (!k) return;
	switch (k->action) {
	case KB_CHAR: {
		char ch = k->ch;
		if (ch >= 'a' && ch <= 'z' && ui_shift_active(u)) ch = (char)(ch - 'a' + 'A');
		type_char(u, (uint32_t)(unsigned char)ch);
		u->shift = 0;
		break;
	}
	case KB_SPACE: type_char(u, ' '); u->shift = 0; break;
	case KB_SHIFT: u->shift = ui_shift_active(u) ? -1 : 1; break;
	case KB_BACKSPACE: backspace(u); break;
	case KB_LAYER: u->kb_layer = !u->kb_layer; break;
	case KB_IME:
		u->input.method = u->input.method == IME_TELEX ? IME_VNI : IME_TELEX;
		ime_reset(&u->input);
		break;
	case KB_ENTER:
		/* The multi-line field's Enter key moves on too: a new line
		 * is rarely what an on-screen user means. */
		if (u->screen == SCREEN_FORM) next_field(u);
		else enter(u);
		break;
	}
	u->dirty = 1;
}

/* ---- actions by widget id ---- */

typedef void (*action_fn)(ui *u, const char *arg);

static void act_back(ui *u, const char *arg)
{
	(void)arg;
	switch (u->screen) {
	case SCREEN_FORM: go(u, u->procedure ? SCREEN_PROCEDURE : SCREEN_CATEGORY); break;
	case SCREEN_REVIEW: focus_field(u, u->focus); go(u, SCREEN_FORM); break;
	case SCREEN_STATUS: go(u, SCREEN_LOOKUP); break;
	case SCREEN_PIN: case SCREEN_STAFF: ui_reset_visit(u); break;
	default: go(u, screens[u->screen].back);
	}
}

static void act_lang(ui *u, const char *arg)
{
	(void)arg;
	u->language = u->language == LANG_VI ? LANG_EN : LANG_VI;
	u->dirty = 1;
}

static void act_home_file(ui *u, const char *arg)
{
	(void)arg;
	/* Say so before the citizen types anything, not after. */
	if (!u->store || !u->server_key) { go(u, SCREEN_ERROR); return; }
	go(u, SCREEN_CATEGORY);
}

static void act_home_lookup(ui *u, const char *arg) { (void)arg; u->lookup_msg = -1; go(u, SCREEN_LOOKUP); }

static void act_category(ui *u, const char *id)
{
	const catalog_category *c = catalog_category_by_id(u->cat, id);
	if (!c) return;
	if (c != u->category) u->procedure = NULL;
	u->category = c;
	if (c->deadline == DEADLINE_PROCEDURE) { go(u, SCREEN_PROCEDURE); return; }
	open_form(u);
}

static void act_procedure(ui *u, const char *id)
{
	const catalog_procedure *p;
	int per = procedures_per_page(u), pages = (u->cat->nprocedures + per - 1) / per;
	if (strcmp(id, "page_prev") == 0) { if (u->procedure_page > 0) u->procedure_page--; u->dirty = 1; return; }
	if (strcmp(id, "page_next") == 0) { if (u->procedure_page + 1 < pages) u->procedure_page++; u->dirty = 1; return; }
	p = catalog_procedure_by_id(u->cat, id);
	if (!p) return;
	u->procedure = p;
	open_form(u);
}

static void act_field(ui *u, const char *name)
{
	int i = catalog_field_index(name);
	if (i >= 0 && field_visible(u, i)) focus_field(u, i);
}

static void act_form_next(ui *u, const char *arg) { (void)arg; form_next(u); }
static void act_review_edit(ui *u, const char *arg) { act_back(u, arg); }
static void act_submit(ui *u, const char *arg) { (void)arg; submit(u); }
static void act_home(ui *u, const char *arg) { (void)arg; ui_reset_visit(u); }
static void act_retry(ui *u, const char *arg) { (void)arg; submit(u); }
static void act_lookup_submit(ui *u, const char *arg) { (void)arg; lookup_submit(u); }
static void act_key(ui *u, const char *name) { press_key(u, name); }
static void act_idle_continue(ui *u, const char *arg) { (void)arg; u->idle_warning = 0; u->dirty = 1; }
static void act_staff_exit(ui *u, const char *arg) { (void)arg; u->quit = 1; }

static void act_staff_run(ui *u, const char *command)
{
	if (!u->staff_ops.start) return;
	u->staff_start_failed = u->staff_ops.start(u->staff_ops.ctx, command) != 0;
}

static void act_print_test(ui *u, const char *arg)
{
	char err[200];
	(void)arg;
	if (!u->printer) return;
	u->print_queued = printout_print_test_page(u->printer, u->language, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the test page: %s", err);
}
static void act_nothing(ui *u, const char *arg) { (void)u; (void)arg; }

static void act_staff_run_now(ui *u, const char *arg) { (void)arg; act_staff_run(u, "now"); }
static void act_staff_run_export(ui *u, const char *arg) { (void)arg; act_staff_run(u, "export"); }
static void act_staff_run_import(ui *u, const char *arg) { (void)arg; act_staff_run(u, "import"); }

static void act_pin(ui *u, const char *key)
{
	if (strcmp(key, "ok") == 0) pin_ok(u);
	else if (strcmp(key, "clear") == 0) backspace(u);
	else if (key[0] >= '0' && key[0] <= '9' && !key[1]) { u->pin_msg = -1; type_char(u, (uint32_t)key[0]); }
}

typedef struct {
	const char *id;          /* exact id, or prefix ending in '.' */
	ui_screen screen;        /* where it applies; SCREEN_HOME..: see any_screen */
	int any_screen;
	action_fn fn;
} action;

static const action actions[] = {
	{ "back", 0, 1, act_back },
	{ "lang", 0, 1, act_lang },
	{ "home.lang", SCREEN_HOME, 0, act_lang },
	{ "home.file", SCREEN_HOME, 0, act_home_file },
	{ "home.lookup", SCREEN_HOME, 0, act_home_lookup },
	{ "home.title", SCREEN_HOME, 0, act_nothing },
	{ "category.", SCREEN_CATEGORY, 0, act_category },
	{ "procedure.", SCREEN_PROCEDURE, 0, act_procedure },
	{ "form.field.", SCREEN_FORM, 0, act_field },
	{ "form.input", SCREEN_FORM, 0, act_nothing },
	{ "form.next", SCREEN_FORM, 0, act_form_next },
	{ "review.edit", SCREEN_REVIEW, 0, act_review_edit },
	{ "review.submit", SCREEN_REVIEW, 0, act_submit },
	{ "receipt.done", SCREEN_RECEIPT, 0, act_home },
	{ "lookup.input", SCREEN_LOOKUP, 0, act_nothing },
	{ "lookup.submit", SCREEN_LOOKUP, 0, act_lookup_submit },
	{ "status.done", SCREEN_STATUS, 0, act_home },
	{ "error.home", SCREEN_ERROR, 0, act_home },
	{ "error.retry", SCREEN_ERROR, 0, act_retry },
	{ "pin.", SCREEN_PIN, 0, act_pin },
	{ "staff.exit", SCREEN_STAFF, 0, act_staff_exit },
	{ "staff.sync", SCREEN_STAFF, 0, act_staff_run_now },
	{ "staff.export", SCREEN_STAFF, 0, act_staff_run_export },
	{ "staff.import", SCREEN_STAFF, 0, act_staff_run_import },
	{ "staff.print_test", SCREEN_STAFF, 0, act_print_test },
	{ "kb.", 0, 1, act_key },
	{ "idle.continue", 0, 1, act_idle_continue },
};

int ui_tap(ui *u, const char *id)
{
	const ui_widget *w = ui_find(u, id);
	size_t i;
	if (!w || !w->enabled) return -1;
	u->last_input = u->now;
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		const action *a = &actions[i];
		size_t n = strlen(a->id);
		int prefix = a->id[n - 1] == '.';
		if (!a->any_screen && a->screen != u->screen) continue;
		if (prefix ? strncmp(id, a->id, n) != 0 : strcmp(id, a->id) != 0) continue;
		a->fn(u, prefix ? id + n : "");
		u->dirty = 1;
		return 0;
	}
	return -1;
}

int ui_press(ui *u, int x, int y, uint32_t now)
{
	const ui_widget *w = ui_hit(u, x, y);
	u->now = now;
	u->last_input = now;
	if (!w) { u->pressed[0] = '\0'; return -1; }
	snprintf(u->pressed, sizeof u->pressed, "%s", w->id);
	u->pressed_at = now;
	return 0;
}

int ui_release(ui *u, int x, int y, uint32_t now)
{
	const ui_widget *w = ui_hit(u, x, y);
	char id[48];
	u->now = now;
	u->last_input = now;
	/* A tap is a press and a release on the same widget: sliding off
	 * cancels, as people expect from phones. */
	if (!w || !u->pressed[0] || strcmp(w->id, u->pressed) != 0) { u->pressed[0] = '\0'; return -1; }
	snprintf(id, sizeof id, "%s", w->id);
	u->pressed[0] = '\0';
	return ui_tap(u, id);
}

void ui_text(ui *u, const char *text, uint32_t now)
{
	size_t pos = 0, len = strlen(text);
	u->now = now;
	u->last_input = now;
	if (u->idle_warning) { u->idle_warning = 0; u->dirty = 1; }
	/* A USB scanner types at home: that is a lookup. */
	if (u->screen == SCREEN_HOME) { u->lookup[0] = '\0'; go(u, SCREEN_LOOKUP); }
	while (pos < len) {
		uint32_t cp = utf8_decode(text, len, &pos);
		if (cp != UTF8_INVALID) type_char(u, cp);
	}
	if (u->screen == SCREEN_FORM) ime_nfc(u->fields[u->focus]);
	u->shift = 0;
}

int ui_key(ui *u, const char *name, uint32_t now)
{
	u->now = now;
	u->last_input = now;
	if (u->idle_warning) { u->idle_warning = 0; u->dirty = 1; }
	if (strcmp(name, "Return") == 0) enter(u);
	else if (strcmp(name, "BackSpace") == 0) backspace(u);
	else if (strcmp(name, "Tab") == 0) { if (u->screen == SCREEN_FORM) next_field(u); }
	else if (strcmp(name, "Escape") == 0) { if (u->screen != SCREEN_HOME && u->screen != SCREEN_RECEIPT && u->screen != SCREEN_ERROR) act_back(u, ""); }
	else return -1;
	u->dirty = 1;
	return 0;
}

int ui_tick(ui *u, uint32_t now)
{
	uint32_t idle_ms = (uint32_t)u->cfg->idle_timeout * 1000u, since;
	int next = -1;
	u->now = now;
	since = now - u->last_input;
	if (u->pressed[0] && strcmp(u->pressed, "home.title") == 0 && u->screen == SCREEN_HOME) {
		if (now - u->pressed_at >= UI_LONG_PRESS_MS) {
			u->pressed[0] = '\0';
			u->last_input = now;
			open_pin(u);
			return 0;
		}
		next = (int)(UI_LONG_PRESS_MS - (now - u->pressed_at));
	}
	if (u->printer) {
		printout_state st;
		printout_state_get(u->printer, &st);
		if (st.generation != u->print_seen) { u->print_seen = st.generation; u->dirty = 1; }
		/* Look again soon while a page is out, to say when it is printed. */
		if (st.busy && (next < 0 || next > 100)) next = 100;
	}
	if (u->screen == SCREEN_HOME) return next;
	if (u->screen == SCREEN_PIN && u->pin_lock.locked_until) {
		/* The pad counts down its lock each second, and opens when it is over. */
		u->dirty = 1;
		if (!pin_locked_for(u)) u->pin_lock.locked_until = 0;
		else if (next < 0 || next > 1000) next = 1000;
	}
	if (since >= idle_ms + UI_IDLE_COUNTDOWN_MS) {
		ui_reset_visit(u);
		return next;
	}
	if (since >= idle_ms) {
		/* Redraw each second for the countdown. */
		u->idle_warning = 1;
		u->dirty = 1;
		int ms = (int)(1000 - (since - idle_ms) % 1000);
		return next < 0 || ms < next ? ms : next;
	}
	int ms = (int)(idle_ms - since);
	return next < 0 || ms < next ? ms : next;
}
