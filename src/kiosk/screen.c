/* screen: pieces the screens share, the table of screens, and the idle
 * countdown drawn over any of them (see screen.h). */
#include "screen.h"
#include "legal.h"
#include "utf8.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *screen_str(ui *u, const char *fmt, ...)
{
	va_list ap;
	const char *p;
	va_start(ap, fmt);
	p = widget_vstr(&u->wl, fmt, ap);
	va_end(ap);
	return p;
}

const char *screen_tf(ui *u, i18n_id id, ...)
{
	va_list ap;
	const char *p;
	va_start(ap, id);
	p = widget_vstr(&u->wl, T(u, id), ap);
	va_end(ap);
	return p;
}

const char *screen_office_level(ui *u)
{
	return u->cfg->office_level[0] ? u->cfg->office_level : T(u, T_OFFICE_LEVEL);
}

/* Without fonts a glyph is about SIZE_GLYPH_W and a line about
 * SIZE_SMALL_LINE_H design pixels, so layouts still come out sensible. */
int screen_text_fits(ui *u, const widget *w)
{
	int per_line, lines;
	size_t chars;
	if (u->text_fits) return u->text_fits(u->text_fits_ctx, w);
	per_line = w->w / S(u, SIZE_GLYPH_W);
	if (per_line < 1) per_line = 1;
	chars = utf8_length(w->text);
	lines = (int)((chars + (size_t)per_line - 1) / (size_t)per_line);
	if (lines < 1) lines = 1;
	if (!(w->flags & WF_WRAP)) return lines == 1 && w->h >= S(u, SIZE_SMALL_LINE_H);
	return lines * S(u, SIZE_SMALL_LINE_H) <= w->h;
}

/* Without fonts: SIZE_GLYPH_W a character and SIZE_LINE_H a line, larger
 * for the larger fonts, so layouts come out sensible. */
static float estimate_scale(const ui *u, widget_font font)
{
	float f = font == FONT_SMALL ? 0.8f : font == FONT_BODY || font == FONT_TITLE ? 1.0f
		: font == FONT_HUGE ? 4.0f : 1.3f;
	return f * u->scale * (u->text_scale > 0 ? u->text_scale : 1.0f);
}

int screen_text_w(ui *u, widget_font font, const char *text)
{
	if (u->text_width) return u->text_width(u->text_fits_ctx, font, text, NULL);
	return (int)((float)utf8_length(text) * SIZE_GLYPH_W * estimate_scale(u, font) + 0.5f);
}

int screen_lines_h(ui *u, widget_font font, int n)
{
	int line = 0;
	if (u->text_width) u->text_width(u->text_fits_ctx, font, "", &line);
	else line = (int)(SIZE_LINE_H * estimate_scale(u, font) + 0.5f);
	return n * line;
}

int screen_button_w(ui *u, widget_font font, const char *text, int min_w)
{
	int w = screen_text_w(u, font, text) + S(u, WIDGET_BUTTON_INSET) + S(u, SIZE_GAP);
	return w > min_w ? w : min_w;
}

int screen_fit_h(ui *u, widget *w, int max_h)
{
	int lo = 1, hi = max_h;
	w->h = max_h;
	if (!screen_text_fits(u, w)) return 0;
	while (lo < hi) {
		w->h = (lo + hi) / 2;
		if (screen_text_fits(u, w)) hi = w->h;
		else lo = w->h + 1;
	}
	w->h = lo;
	return 1;
}

/* The longest start of text, cut between words where one is near, that
 * fits w with "…" after it (w->text is set to it). */
static void elide(ui *u, widget *w, const char *text)
{
	size_t lo = 0, hi = strlen(text), mid, cut;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		while (mid > lo && ((unsigned char)text[mid] & 0xC0) == 0x80) mid--;
		if (mid == lo) break;
		w->text = screen_str(u, "%.*s…", (int)mid, text);
		if (screen_text_fits(u, w)) lo = mid;
		else hi = mid - 1;
		while (hi > lo && ((unsigned char)text[hi] & 0xC0) == 0x80) hi--;
	}
	for (cut = lo; cut > 0 && text[cut - 1] != ' ' && lo - cut < 12; cut--) {}
	if (cut == 0 || lo - cut >= 12) cut = lo;
	while (cut > 0 && text[cut - 1] == ' ') cut--;
	w->text = screen_str(u, "%.*s…", (int)cut, text);
}

/* The title bar (see screen.h); row: a title the bar cannot hold whole
 * may take a row of its own under it. The y under the bar. */
static int title_bar(ui *u, const char *title, int with_back, const char *right_id, const char *right_text, int row)
{
	int h = S(u, SIZE_BAR_H), gap = S(u, SIZE_GAP), aid = screen_aid_room(u);
	/* Each button as wide as its words: at 3 mm text a fixed width cuts
	 * "Tiếng Việt" and "Quay lại"; the title gets what is left. */
	int bw = screen_button_w(u, FONT_BODY, T(u, T_BACK), S(u, SIZE_TARGET));
	int lw = screen_button_w(u, FONT_SMALL, T(u, T_LANG_OTHER), S(u, SIZE_TARGET));
	int left = with_back ? bw + 2 * gap : 2 * gap;
	widget *wd, *bar;
	int right = u->width - aid - lw - 2 * gap;
	bar = ADD(u, .id = "bar", .at = RECT(0, 0, u->width, h), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_BAR);
	if (with_back)
		ADD(u, .id = "back", .text = T(u, T_BACK), .at = RECT(gap, gap, bw, h - 2 * gap),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_BAR | WF_CENTER);
	if (right_id) {
		/* The way forward in the large font, or in the title's where the
		 * visit's larger text makes that taller than the bar. */
		widget_font font = screen_lines_h(u, FONT_LARGE, 1) <= h - 2 * gap ? FONT_LARGE : FONT_TITLE;
		int rw = screen_button_w(u, font, right_text, S(u, SIZE_BAR_ACTION_W));
		ADD(u, .id = right_id, .text = right_text, .at = RECT(u->width - aid - rw - gap, gap, rw, h - 2 * gap),
			.kind = W_BUTTON, .font = font, .flags = WF_PRIMARY | WF_BAR | WF_CENTER);
		right = u->width - aid - rw - lw - 3 * gap;
	}
	ADD(u, .id = "lang", .text = T(u, T_LANG_OTHER), .at = RECT(right, gap, lw, h - 2 * gap),
		.kind = W_BUTTON, .font = FONT_SMALL, .flags = WF_BAR | WF_CENTER);
	wd = ADD(u, .id = "title", .text = title, .at = RECT(left, 0, right - left - gap, h),
		.kind = W_LABEL, .font = FONT_TITLE, .flags = WF_BAR | WF_CENTER);
	/* The bar is shared with Back, the language, an action and the aids:
	 * a long title steps down to the regular face, then takes two lines
	 * where the bar is tall enough; then, where the screen makes room for
	 * it, it takes a row of the bar's own under the buttons, in the title's
	 * face on up to two lines; and at last it is cut after a word with "…"
	 * (the speaker reads the screen's whole prompt). */
	if (!wd) return h;
	if (!screen_text_fits(u, wd)) wd->font = FONT_BODY;
	if (!screen_text_fits(u, wd)) wd->flags |= WF_WRAP;
	if (!screen_text_fits(u, wd) && row && bar) {
		wd->font = FONT_TITLE;
		wd->x = 2 * gap;
		wd->y = h - gap;
		wd->w = u->width - 4 * gap;
		if (screen_fit_h(u, wd, screen_lines_h(u, FONT_TITLE, 2))) {
			bar->h = wd->y + wd->h;   /* the line's own leading is its margin */
			return bar->h;
		}
		wd->x = left; wd->y = 0; wd->w = right - left - gap; wd->h = h;
		wd->font = FONT_BODY;
	}
	if (!screen_text_fits(u, wd)) {
		wd->flags &= ~(unsigned)WF_WRAP;
		elide(u, wd, title);
	}
	return h;
}

void screen_title_bar(ui *u, const char *title, int with_back, const char *right_id, const char *right_text)
{
	title_bar(u, title, with_back, right_id, right_text, 0);
}

int screen_title_bar_row(ui *u, const char *title, int with_back, const char *right_id, const char *right_text)
{
	return title_bar(u, title, with_back, right_id, right_text, 1);
}

const char *screen_category_name(ui *u, const catalog_category *c) { return c->name[u->language]; }

const char *screen_format_date(ui *u, const char *iso)
{
	int y, m, d;
	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return screen_str(u, "%s", iso);
	return screen_str(u, "%02d/%02d/%04d", d, m, y);
}

const char *screen_format_time(ui *u, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return screen_str(u, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday, tm.tm_mon + 1,
		tm.tm_year + 1900);
}

static const struct { const char *status; i18n_id text; } status_texts[] = {
	{ "received", T_ST_RECEIVED }, { "synced", T_ST_SYNCED }, { "accepted", T_ST_ACCEPTED },
	{ "in_progress", T_ST_IN_PROGRESS }, { "resolved", T_ST_RESOLVED }, { "rejected", T_ST_REJECTED },
	{ "supplement", T_ST_SUPPLEMENT }, { "withdrawn", T_ST_WITHDRAWN },
};

const char *screen_status_text(ui *u, const char *status)
{
	size_t i;
	for (i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++)
		if (strcmp(status_texts[i].status, status) == 0)
			return screen_tf(u, status_texts[i].text, screen_office_level(u));
	return screen_str(u, "%s", status);
}

static const struct { escpos_result result; i18n_id text; } printer_problems[] = {
	{ ESCPOS_NO_PRINTER, T_PRINTER_NO_PRINTER }, { ESCPOS_OFFLINE, T_PRINTER_OFFLINE },
	{ ESCPOS_PAPER_OUT, T_PRINTER_PAPER_OUT }, { ESCPOS_COVER_OPEN, T_PRINTER_COVER_OPEN },
	{ ESCPOS_WRITE_FAILED, T_PRINTER_WRITE_FAILED },
};

const char *screen_printer_problem(ui *u, escpos_result r)
{
	size_t i;
	for (i = 0; i < sizeof printer_problems / sizeof printer_problems[0]; i++)
		if (printer_problems[i].result == r) return T(u, printer_problems[i].text);
	return T(u, T_PRINTER_WRITE_FAILED);
}

/* The kiosk's clock: conferences are announced in wall-clock time. */
int screen_next_conference(ui *u, proto_conference *out)
{
	return u->store && db_next_conference(u->store, (long long)time(NULL), out) == 1;
}

void screen_plan_dialogue(ui *u)
{
	proto_conference c;
	if (u->category && strcmp(u->category->id, "dialogue") == 0 && screen_next_conference(u, &c))
		file_plan_conference(&u->plan, c.at);
}

i18n_id screen_plan_label(ui *u)
{
	return u->plan.conference ? T_DEADLINE_CONFERENCE : screen_deadline_label(u->category);
}

/* The slip's date is what the law would give if the clock started today:
 * for a dossier the counter accepts or a letter it receives, that is an
 * expectation, and the label says so. */
i18n_id screen_deadline_label(const catalog_category *c)
{
	if (c && c->clock.starts == LEGAL_STARTS_COUNTER) return T_DEADLINE_COUNTER;
	if (c && c->clock.starts == LEGAL_STARTS_LETTER) return T_DEADLINE_LETTER;
	return c && legal_has_acceptance(&c->clock) ? T_DEADLINE_ACCEPT : T_DEADLINE;
}

/* ---- the idle countdown, over any screen ---- */

/* A bar along the bottom, the whole width, with the seconds left and "I
 * am still here" beside it (under it where the message would be too
 * narrow). Elsewhere the screen under it is dimmed; on the receipt
 * nothing is, and the receipt leaves the bar its room (screen_idle_h):
 * the QR, the code and every line stay whole and scannable while it
 * counts. The message is in the large font where that fits a third of the
 * screen, else in the body's. Measures only when add is 0; returns the
 * bar's height. */
/* w's height set to the fewest lines of its font that hold its text, up
 * to most: 1, or 0 when they do not (a line at a time, as the countdown
 * is drawn every second). */
static int idle_lines(ui *u, widget *w, int most)
{
	int n;
	for (n = 1; (w->h = screen_lines_h(u, w->font, n)) <= most; n++)
		if (screen_text_fits(u, w)) return 1;
	w->h = most;
	return 0;
}

static int idle_bar(ui *u, int add)
{
	int pad = S(u, SIZE_PAD), bh = S(u, SIZE_BUTTON_H), w = u->width, receipt = u->screen == SCREEN_RECEIPT;
	const char *go = T(u, T_IDLE_CONTINUE);
	int bw = screen_button_w(u, FONT_LARGE, go, S(u, SIZE_TARGET)), mw, h, y, stacked, most = u->height / 3;
	uint32_t left_ms = UI_IDLE_COUNTDOWN_MS - (u->now - u->last_input - ui_idle_ms(u));
	widget probe;
	int i;
	memset(&probe, 0, sizeof probe);
	probe.text = screen_tf(u, receipt ? T_IDLE_RECEIPT : T_IDLE_MESSAGE, (int)((left_ms + 999) / 1000));
	probe.kind = W_LABEL; probe.font = FONT_LARGE; probe.flags = WF_WRAP | WF_CENTER;
	if (bw > w - 2 * pad) bw = w - 2 * pad;
	stacked = w - bw - 3 * pad < w / 3;
	mw = stacked ? w - 2 * pad : w - bw - 3 * pad;
	probe.w = mw;
	if (!idle_lines(u, &probe, most) || (stacked ? probe.h + bh + pad : probe.h) + 2 * pad > most) {
		probe.font = FONT_BODY;
		idle_lines(u, &probe, u->height / 2);
	}
	h = (stacked ? probe.h + bh + pad : (probe.h > bh ? probe.h : bh)) + 2 * pad;
	if (!add) return h;
	y = u->height - h;
	for (i = 0; i < u->wl.n; i++) u->wl.items[i].enabled = 0;
	if (!receipt)
		ADD(u, .id = "idle", .at = RECT(0, 0, u->width, u->height), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_MUTED);
	ADD(u, .id = "idle.box", .at = RECT(0, y, w, h), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_WARN);
	ADD(u, .id = "idle.message", .text = probe.text,
		.at = RECT(pad, y + pad, mw, stacked ? probe.h : h - 2 * pad),
		.kind = W_LABEL, .font = probe.font, .flags = WF_WRAP | WF_CENTER);
	ADD(u, .id = "idle.continue", .text = go, .at = RECT(w - bw - pad, y + h - bh - pad, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	return h;
}

int screen_idle_h(ui *u) { return idle_bar(u, 0); }

/* ---- the table of screens ---- */

static const struct {
	void (*build)(ui *u);
	ui_screen back;        /* where Back leads (form and procedure decide for themselves) */
} screens[] = {
	[SCREEN_HOME] = { screen_home, SCREEN_HOME },
	[SCREEN_CATEGORY] = { screen_category, SCREEN_HOME },
	[SCREEN_PROCEDURE] = { screen_procedure, SCREEN_CATEGORY },
	[SCREEN_FORM] = { screen_form, SCREEN_CATEGORY },
	[SCREEN_REVIEW] = { screen_review, SCREEN_FORM },
	[SCREEN_RECEIPT] = { screen_receipt, SCREEN_HOME },
	[SCREEN_LOOKUP] = { screen_lookup, SCREEN_HOME },
	[SCREEN_STATUS] = { screen_status, SCREEN_LOOKUP },
	[SCREEN_ERROR] = { screen_error, SCREEN_HOME },
	[SCREEN_PIN] = { screen_pin, SCREEN_HOME },
	[SCREEN_STAFF] = { screen_staff, SCREEN_HOME },
	[SCREEN_TICKET] = { screen_ticket, SCREEN_HOME },
	[SCREEN_TICKET_KIND] = { screen_ticket_kind, SCREEN_TICKET },
	[SCREEN_TICKET_DONE] = { screen_ticket_done, SCREEN_HOME },
	[SCREEN_GUIDE_LIST] = { screen_guide_list, SCREEN_HOME },
	[SCREEN_GUIDE] = { screen_guide, SCREEN_GUIDE_LIST },
	[SCREEN_RATING_HOW] = { screen_rating_how, SCREEN_HOME },
	[SCREEN_RATING_ENTRY] = { screen_rating_entry, SCREEN_RATING_HOW },
	[SCREEN_RATING_ASK] = { screen_rating_ask, SCREEN_RATING_HOW },
	[SCREEN_RATING_COMMENT] = { screen_rating_comment, SCREEN_RATING_ASK },
	[SCREEN_RATING_DONE] = { screen_rating_done, SCREEN_HOME },
};

void screen_build(ui *u)
{
	widget_clear(&u->wl);
	screens[u->screen].build(u);
	screen_aid(u);
	if (u->idle_warning) idle_bar(u, 1);
}

ui_screen screen_back(ui_screen s) { return screens[s].back; }
