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

void screen_title_bar(ui *u, const char *title, int with_back, const char *right_id, const char *right_text)
{
	int h = S(u, SIZE_BAR_H), gap = S(u, SIZE_GAP), aid = screen_aid_room(u);
	/* Each button as wide as its words: at 3 mm text a fixed width cuts
	 * "Tiếng Việt" and "Quay lại"; the title gets what is left. */
	int bw = screen_button_w(u, FONT_BODY, T(u, T_BACK), S(u, SIZE_TARGET));
	int lw = screen_button_w(u, FONT_SMALL, T(u, T_LANG_OTHER), S(u, SIZE_TARGET));
	int left = with_back ? bw + 2 * gap : 2 * gap;
	widget *wd;
	int right = u->width - aid - lw - 2 * gap;
	ADD(u, .id = "bar", .at = RECT(0, 0, u->width, h), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_BAR);
	if (with_back)
		ADD(u, .id = "back", .text = T(u, T_BACK), .at = RECT(gap, gap, bw, h - 2 * gap),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_BAR | WF_CENTER);
	if (right_id) {
		int rw = screen_button_w(u, FONT_LARGE, right_text, S(u, SIZE_BAR_ACTION_W));
		ADD(u, .id = right_id, .text = right_text, .at = RECT(u->width - aid - rw - gap, gap, rw, h - 2 * gap),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_BAR | WF_CENTER);
		right = u->width - aid - rw - lw - 3 * gap;
	}
	ADD(u, .id = "lang", .text = T(u, T_LANG_OTHER), .at = RECT(right, gap, lw, h - 2 * gap),
		.kind = W_BUTTON, .font = FONT_SMALL, .flags = WF_BAR | WF_CENTER);
	wd = ADD(u, .id = "title", .text = title, .at = RECT(left, 0, right - left - gap, h),
		.kind = W_LABEL, .font = FONT_TITLE, .flags = WF_BAR | WF_CENTER);
	/* The bar is shared with Back, the language, an action and the aids:
	 * a long title steps down to the regular face, then takes two lines
	 * where the bar is tall enough, and at last is cut after a word with
	 * "…" (the speaker reads the screen's whole prompt). */
	if (wd && !screen_text_fits(u, wd)) wd->font = FONT_BODY;
	if (wd && !screen_text_fits(u, wd)) wd->flags |= WF_WRAP;
	if (wd && !screen_text_fits(u, wd)) {
		wd->flags &= ~(unsigned)WF_WRAP;
		elide(u, wd, title);
	}
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

/* A bar along the bottom with the seconds left and "I am still here". On
 * the receipt it stands right of the QR, over the advice and Done, and
 * nothing is dimmed: the QR and the code stay whole and scannable while
 * it counts. Elsewhere the screen under it is dimmed. */
static void idle_countdown(ui *u)
{
	int pad = S(u, SIZE_PAD), bw = S(u, SIZE_IDLE_BUTTON_W), bh = S(u, SIZE_BUTTON_H);
	int x = 0, w = u->width, h = S(u, SIZE_IDLE_BAR_H), y, mw, receipt = u->screen == SCREEN_RECEIPT;
	const widget *qr = receipt ? widget_find(&u->wl, "receipt.qr") : NULL;
	uint32_t left_ms = UI_IDLE_COUNTDOWN_MS - (u->now - u->last_input - ui_idle_ms(u));
	int i, stacked;
	widget *box, *msg;
	if (qr) { x = qr->x + qr->w + pad; w = u->width - x; }
	/* too narrow for the message beside the button: the button goes under it */
	stacked = w - bw - 3 * pad < bw;
	if (stacked) {
		h = S(u, SIZE_IDLE_BAR_H + SIZE_BUTTON_H + 2 * SIZE_PAD);
		if (bw > w - 2 * pad) bw = w - 2 * pad;
	}
	y = u->height - h;
	mw = stacked ? w - 2 * pad : w - bw - 3 * pad;
	for (i = 0; i < u->wl.n; i++) u->wl.items[i].enabled = 0;
	if (!receipt)
		ADD(u, .id = "idle", .at = RECT(0, 0, u->width, u->height), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_MUTED);
	box = ADD(u, .id = "idle.box", .at = RECT(x, y, w, h), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_WARN);
	msg = ADD(u, .id = "idle.message", .text = screen_tf(u, receipt ? T_IDLE_RECEIPT : T_IDLE_MESSAGE, (int)((left_ms + 999) / 1000)),
		.at = RECT(x + pad, y + pad, mw, (stacked ? h - bh - 3 * pad : h - 2 * pad)),
		.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP | WF_CENTER);
	/* At 4 mm the message may need another line: the bar grows upwards
	 * (beside the QR, never over it) rather than cut it. */
	for (i = 0; i < 3 && !screen_text_fits(u, msg); i++) {
		int more = S(u, SIZE_IDLE_LINE_H);
		box->y -= more; box->h += more; msg->y -= more; msg->h += more;
	}
	ADD(u, .id = "idle.continue", .text = T(u, T_IDLE_CONTINUE),
		.at = RECT(x + w - bw - pad, y + h - bh - pad, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}

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
	if (u->idle_warning) idle_countdown(u);
}

ui_screen screen_back(ui_screen s) { return screens[s].back; }
