/* screen_home: the screens before the form (see screen.h): home, the
 * categories, the procedure list, and the cannot-accept screen a visit
 * ends on when nothing can be stored; and two pieces the lists and guides
 * share, a label as tall as its lines and a row of page buttons. */
#include "screen.h"
#include <stdio.h>
#include <string.h>

/* The height of text wrapped in w, as a label: measured, so it follows
 * the visit's text size. */
static int text_h(ui *u, widget_font font, const char *text, int w)
{
	widget l = { .text = text, .w = w, .kind = W_LABEL, .font = font, .flags = WF_CENTER | WF_WRAP };
	screen_fit_h(u, &l, u->height);
	return l.h;
}

int screen_label(ui *u, const char *id, const char *text, widget_font font, unsigned flags, int x, int y, int w)
{
	int h = text_h(u, font, text, w);
	ADD(u, .id = id, .text = text, .at = RECT(x, y, w, h), .kind = W_LABEL, .font = font, .flags = flags | WF_WRAP);
	return h;
}

/* The row of page buttons at the bottom of a list: prefix.page_prev, the
 * page number (prefix.page) and prefix.page_next, each button as wide as
 * its words. */
void screen_pages(ui *u, const char *prefix, int page, int pages)
{
	int pad = S(u, SIZE_PAD), h = S(u, SIZE_TARGET), y = u->height - h - pad;
	int pw = screen_button_w(u, FONT_BODY, T(u, T_PAGE_PREV), S(u, SIZE_PAGE_BUTTON_W));
	int nw = screen_button_w(u, FONT_BODY, T(u, T_PAGE_NEXT), S(u, SIZE_PAGE_BUTTON_W));
	char id[48];
	widget *w;
	widget_fmt(&u->wl, "page id", id, sizeof id, "%s.page_prev", prefix);
	w = ADD(u, .id = id, .text = T(u, T_PAGE_PREV), .at = RECT(pad, y, pw, h), .kind = W_BUTTON, .font = FONT_BODY,
		.flags = WF_CENTER);
	w->enabled = page > 0;
	widget_fmt(&u->wl, "page id", id, sizeof id, "%s.page", prefix);
	ADD(u, .id = id, .text = screen_str(u, "%d / %d", page + 1, pages), .at = RECT(2 * pad + pw, y, u->width - pw - nw - 4 * pad, h),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER | WF_MUTED);
	widget_fmt(&u->wl, "page id", id, sizeof id, "%s.page_next", prefix);
	w = ADD(u, .id = id, .text = T(u, T_PAGE_NEXT), .at = RECT(u->width - nw - pad, y, nw, h), .kind = W_BUTTON,
		.font = FONT_BODY, .flags = WF_CENTER);
	w->enabled = page + 1 < pages;
}

/* ---- home ---- */

/* The commune's on-time rate this year, as the server last sent it: NULL
 * when it sent none, or the figures are suppressed (too few to show). */
static const char *rate_text(ui *u)
{
	proto_stats st;
	if (!u->store || db_read_stats(u->store, &st) != 0 || !st.known || st.resolved <= 0 || st.on_time < 0)
		return NULL;
	/* Rounded down: 99.6% is not "100%" when one was late. */
	return screen_tf(u, T_HOME_RATE, st.year, st.on_time * 100 / st.resolved);
}

/* A big button with its hint inside, under its words: the renderer draws
 * the words of a button taller than 150 design pixels in its upper half,
 * so the hint takes the lower half. The height the two need, w wide (and
 * over 150, so that the words go up). */
static int big_need(ui *u, const char *text, const char *hint, int w)
{
	int b = text_h(u, FONT_LARGE, text, w - S(u, WIDGET_BUTTON_INSET));
	int l = text_h(u, FONT_SMALL, hint, w - 2 * S(u, SIZE_GAP) - S(u, WIDGET_BUTTON_INSET));
	int half;
	/* the renderer keeps half its inset above and below a button's words */
	b += S(u, WIDGET_BUTTON_INSET);
	l += S(u, SIZE_GAP);
	half = b > l ? b : l;
	return 2 * half > S(u, SIZE_HOME_BIG_MIN_H) ? 2 * half : S(u, SIZE_HOME_BIG_MIN_H);
}

static void big_button(ui *u, const char *id, const char *text, const char *hint_id, const char *hint,
	int x, int y, int w, int h, unsigned primary)
{
	int gap = S(u, SIZE_GAP), inset = S(u, WIDGET_BUTTON_INSET) / 2 + gap;
	ADD(u, .id = id, .text = text, .at = RECT(x, y, w, h), .kind = W_BUTTON, .font = FONT_LARGE,
		.flags = primary | WF_CENTER);
	ADD(u, .id = hint_id, .text = hint, .at = RECT(x + inset, y + h / 2, w - 2 * inset, h / 2 - gap),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = primary | WF_CENTER | WF_WRAP);
}

void screen_home(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), bar = S(u, SIZE_BAR_H), top = bar + pad, bh, bw, i, n = 0;
	int full = u->width - 2 * pad, lang_w = S(u, SIZE_HOME_LANG_W), bottom = u->height - gap;
	int row_h = S(u, SIZE_HOME_TICKET_H), rate_h = 0, help_h = 0, rw, x, space = pad;
	const char *title = screen_str(u, "%s · %s", T(u, T_APP_TITLE), u->cfg->commune_name);
	const char *rate = rate_text(u), *ids[4], *texts[4];
	ADD(u, .id = "bar", .at = RECT(0, 0, u->width, bar), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_BAR);
	lang_w = screen_button_w(u, FONT_BODY, T(u, T_LANG_OTHER), lang_w);
	ADD(u, .id = "home.lang", .text = T(u, T_LANG_OTHER),
		.at = RECT(u->width - screen_aid_room(u) - lang_w - gap, gap, lang_w, S(u, SIZE_BAR_H - 2 * SIZE_GAP)),
		.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_BAR | WF_CENTER);
	{
		/* The commune's name is what matters when both do not fit. */
		widget *t = ADD(u, .id = "home.title", .text = title,
			.at = RECT(pad, 0, u->width - screen_aid_room(u) - lang_w - 2 * gap - pad, bar),
			.kind = W_LABEL, .font = FONT_TITLE, .flags = WF_BAR);
		if (t && !screen_text_fits(u, t)) t->text = u->cfg->commune_name;
		if (t && !screen_text_fits(u, t)) t->flags |= WF_WRAP | WF_CENTER;
	}
	/* The row of smaller buttons: queue numbers, the office's guidance, the
	 * rating (it needs the store), and the text size, as tall as the
	 * longest words need. */
	if (u->cat->nqueue_fields > 0) { ids[n] = "home.ticket"; texts[n++] = T(u, T_HOME_TICKET); }
	if (u->cat->nprocedures > 0) { ids[n] = "home.guide"; texts[n++] = T(u, T_HOME_GUIDE); }
	if (u->store) { ids[n] = "home.rating"; texts[n++] = T(u, T_HOME_RATING); }
	ids[n] = "home.larger"; texts[n++] = T(u, u->larger ? T_HOME_SMALLER : T_HOME_LARGER);
	rw = (u->width - (n + 1) * pad) / n;
	for (i = 0; i < n; i++) {
		int h = text_h(u, FONT_BODY, texts[i], rw - S(u, WIDGET_BUTTON_INSET)) + S(u, WIDGET_BUTTON_INSET);
		if (h > row_h) row_h = h;
	}
	/* The rate, never cut: a second line when it needs one. */
	if (rate) rate_h = text_h(u, FONT_LARGE, rate, full);
	/* What to do, when the big buttons keep the room their words need. */
	help_h = text_h(u, FONT_BODY, T(u, T_HOME_HELP), full);
	bw = (u->width - 3 * pad) / 2;
	{
		int need = big_need(u, T(u, T_HOME_FILE), T(u, T_HOME_FILE_HINT), bw);
		int need2 = big_need(u, T(u, T_HOME_LOOKUP), T(u, T_HOME_LOOKUP_HINT), bw);
		if (need2 > need) need = need2;
		bh = bottom - top - pad - row_h - (rate ? rate_h + gap : 0);
		if (bh - help_h - gap < need) help_h = 0;
		else bh -= help_h + gap;
		/* short of room (larger text on a small screen): closer together */
		if (bh < need) { bh += 2 * (pad - gap); space = gap; top = bar + gap; }
	}
	big_button(u, "home.file", T(u, T_HOME_FILE), "home.file.hint", T(u, T_HOME_FILE_HINT), pad, top, bw, bh, WF_PRIMARY);
	big_button(u, "home.lookup", T(u, T_HOME_LOOKUP), "home.lookup.hint", T(u, T_HOME_LOOKUP_HINT),
		2 * pad + bw, top, bw, bh, 0);
	top += bh + space;
	for (i = 0, x = pad; i < n; i++, x += rw + pad) {
		int larger = strcmp(ids[i], "home.larger") == 0;
		ADD(u, .id = ids[i], .text = texts[i], .at = RECT(x, top, rw, row_h), .kind = W_BUTTON, .font = FONT_BODY,
			.flags = WF_CENTER | WF_WRAP | (larger && u->larger ? WF_SELECTED : 0));
	}
	top += row_h + gap;
	if (rate) {
		ADD(u, .id = "home.rate", .text = rate, .at = RECT(pad, top, full, rate_h),
			.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER | WF_WRAP);
		top += rate_h + gap;
	}
	/* Home speaks to citizens only: the sync line and the kiosk's number
	 * are the staff menu's. */
	if (help_h)
		ADD(u, .id = "home.help", .text = T(u, T_HOME_HELP), .at = RECT(pad, top, full, help_h),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER | WF_WRAP);
}

/* ---- categories ---- */

static const char *category_hint(ui *u, const catalog_category *c)
{
	proto_conference conf;
	if (strcmp(c->id, "dialogue") == 0 && screen_next_conference(u, &conf))
		return screen_tf(u, T_CONFERENCE_SHORT, screen_format_time(u, conf.at));
	return c->hint[u->language];
}

/* The height the tallest card needs in w: its name at the top and its
 * hint under it. */
static int category_need(ui *u, int w)
{
	int inset = S(u, WIDGET_BUTTON_INSET) / 2, i, worst = 0;
	for (i = 0; i < u->cat->ncategories; i++) {
		const catalog_category *c = &u->cat->categories[i];
		int name = text_h(u, FONT_LARGE, screen_category_name(u, c), w - 2 * inset);
		int need = inset + S(u, SIZE_GAP) / 2 + name + text_h(u, FONT_SMALL, category_hint(u, c), w - 2 * inset);
		/* the renderer measures the words of a button over 150 high in its upper half */
		if (need > (int)(150 * u->scale) && need < 2 * name) need = 2 * name;
		if (need > worst) worst = need;
	}
	return worst;
}

/* The six choices as cards, the name at the top and what it is for under
 * it: three a row when their words fit, else two, and when even two a row
 * do not fit (larger text on a small screen), pages of them. */
void screen_category(ui *u)
{
	int pad = S(u, SIZE_PAD), inset = S(u, WIDGET_BUTTON_INSET) / 2, top = S(u, SIZE_BAR_H) + pad;
	int n = u->cat->ncategories, cols = 3, rows = (n + 2) / 3, cw, ch, i, per, pages, first;
	int room = u->height - top - pad;
	screen_title_bar(u, T(u, T_CATEGORY_TITLE), 1, NULL, NULL);
	cw = (u->width - 4 * pad) / 3;
	if (category_need(u, cw) * rows + (rows - 1) * pad > room) {
		cols = 2;
		rows = (n + 1) / 2;
		cw = (u->width - 3 * pad) / 2;
	}
	ch = (room - (rows - 1) * pad) / rows;
	per = n;
	if (category_need(u, cw) > ch) {
		ch = category_need(u, cw);
		rows = (room - S(u, SIZE_TARGET) - pad + pad) / (ch + pad);
		if (rows < 1) rows = 1;
		per = rows * cols;
	}
	pages = (n + per - 1) / per;
	if (u->category_page >= pages) u->category_page = pages - 1;
	if (u->category_page < 0) u->category_page = 0;
	first = u->category_page * per;
	for (i = first; i < n && i < first + per; i++) {
		const catalog_category *c = &u->cat->categories[i];
		int k = i - first, x = pad + (k % cols) * (cw + pad), y = top + (k / cols) * (ch + pad);
		int nh = text_h(u, FONT_LARGE, screen_category_name(u, c), cw - 2 * inset);
		char id[48];
		widget_fmt(&u->wl, "category id", id, sizeof id, "category.%s", c->id);
		ADD(u, .id = id, .text = screen_category_name(u, c), .at = RECT(x, y, cw, ch),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_WRAP | (u->category == c ? WF_SELECTED : 0));
		widget_fmt(&u->wl, "category id", id, sizeof id, "category.%s.hint", c->id);
		ADD(u, .id = id, .text = category_hint(u, c), .at = RECT(x + inset, y + inset + nh, cw - 2 * inset, ch - inset - S(u, SIZE_GAP) / 2 - nh),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_WRAP | WF_MUTED);
	}
	if (pages > 1) screen_pages(u, "category", u->category_page, pages);
}

/* ---- the procedure list ---- */

static const char *procedure_time(ui *u, const catalog_procedure *p)
{
	return p->working_days < 0 ? screen_tf(u, T_CALENDAR_DAYS, p->calendar_days)
		: p->working_days == 0 ? T(u, T_SAME_DAY) : screen_tf(u, T_WORKING_DAYS, p->working_days);
}

/* The height procedure i's button needs in w: its name, and the time it
 * takes on a line under it (with_time). */
static int procedure_h(ui *u, int i, int w, int with_time)
{
	int inset = S(u, WIDGET_BUTTON_INSET);
	int h = inset / 2 + text_h(u, FONT_BODY, u->cat->procedures[i].name[u->language], w - inset)
		+ (with_time ? screen_lines_h(u, FONT_SMALL, 1) + S(u, SIZE_GAP) / 2 : inset / 2);
	return h > S(u, SIZE_PROCEDURE_H) ? h : S(u, SIZE_PROCEDURE_H);
}

/* A row of two, as tall as the taller of its pair. */
static int procedure_row_h(ui *u, int i, int with_time)
{
	int w = (u->width - 3 * S(u, SIZE_PAD)) / 2, h = procedure_h(u, i, w, with_time);
	if (i + 1 < u->cat->nprocedures && procedure_h(u, i + 1, w, with_time) > h) h = procedure_h(u, i + 1, w, with_time);
	return h;
}

int screen_procedure_pages(ui *u, int with_time, int *first)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, n = u->cat->nprocedures, i, y, pages = 1, room;
	for (i = 0, y = top; i < n; i += 2) y += procedure_row_h(u, i, with_time) + pad;
	/* all on one page, or pages with their buttons under them */
	room = y - pad <= u->height - pad ? u->height - pad : u->height - S(u, SIZE_TARGET) - 2 * pad;
	if (first) first[0] = 0;
	for (i = 0, y = top; i < n; i += 2) {
		int h = procedure_row_h(u, i, with_time);
		if (y + h > room && y > top) {
			if (first) first[pages] = i;
			pages++;
			y = top;
		}
		y += h + pad;
	}
	if (first) first[pages] = n;
	return pages;
}

/* A page of the list (procedure.ID, guide.proc.ID), two a row, each as
 * tall as its name needs, with page buttons when there are pages. */
void screen_procedure_list(ui *u, const char *prefix, int page, int with_time)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, cw = (u->width - 3 * pad) / 2, i, y;
	int first[CATALOG_MAX_PROCEDURES + 1], pages = screen_procedure_pages(u, with_time, first);
	int inset = S(u, WIDGET_BUTTON_INSET) / 2, th = screen_lines_h(u, FONT_SMALL, 1);
	if (page >= pages) page = pages - 1;
	for (i = first[page], y = top; i < first[page + 1]; i++) {
		const catalog_procedure *p = &u->cat->procedures[i];
		int x = pad + ((i - first[page]) % 2) * (cw + pad), rh = procedure_row_h(u, i - (i - first[page]) % 2, with_time);
		char id[64];
		widget_fmt(&u->wl, "procedure id", id, sizeof id, "%s.%s", prefix, p->id);
		ADD(u, .id = id, .text = p->name[u->language], .at = RECT(x, y, cw, rh), .kind = W_BUTTON, .font = FONT_BODY,
			.flags = WF_WRAP | (with_time && u->procedure == p ? WF_SELECTED : 0));
		if (with_time) {
			widget_fmt(&u->wl, "procedure id", id, sizeof id, "%s.%s.time", prefix, p->id);
			ADD(u, .id = id, .text = procedure_time(u, p), .at = RECT(x + inset, y + rh - th - S(u, SIZE_GAP) / 2, cw - 2 * inset, th),
				.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
		}
		if ((i - first[page]) % 2 == 1 || i + 1 == first[page + 1]) y += rh + pad;
	}
	if (pages > 1) screen_pages(u, prefix, page, pages);
}

void screen_procedure(ui *u)
{
	screen_title_bar(u, T(u, T_PROCEDURE_TITLE), 1, NULL, NULL);
	screen_procedure_list(u, "procedure", u->procedure_page, 1);
}

/* ---- the cannot-accept screen ---- */

void screen_error(ui *u)
{
	int pad = S(u, SIZE_PAD), bh = S(u, SIZE_BUTTON_H), bw = S(u, SIZE_ERROR_BUTTON_W), bar = S(u, SIZE_BAR_H);
	screen_title_bar(u, T(u, T_ERROR_TITLE), 0, NULL, NULL);
	ADD(u, .id = "error.message", .text = T(u, T_ERROR_MESSAGE),
		.at = RECT(2 * pad, bar + 2 * pad, u->width - 4 * pad, u->height - bar - bh - 5 * pad),
		.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP | WF_CENTER | WF_ERROR);
	if (u->category)
		ADD(u, .id = "error.retry", .text = T(u, T_ERROR_RETRY), .at = RECT(pad, u->height - bh - pad, bw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "error.home", .text = T(u, T_HOME), .at = RECT(u->width - bw - pad, u->height - bh - pad, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
