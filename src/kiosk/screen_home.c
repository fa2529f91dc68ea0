/* screen_home: the screens before the form (see screen.h): home, the
 * categories, the procedure list, and the cannot-accept screen a visit
 * ends on when nothing can be stored. */
#include "screen.h"
#include <stdio.h>
#include <string.h>

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

/* The row of smaller buttons under the two big ones (queue numbers, the
 * office's guidance, the satisfaction rating), when there are any;
 * bottom is where the big buttons would end. Returns the height it takes
 * from them. */
static int home_row(ui *u, int bottom)
{
	int pad = S(u, SIZE_PAD), h = S(u, SIZE_HOME_TICKET_H), n = 0, i, w, x = pad;
	const char *ids[3], *texts[3];
	if (u->cat->nqueue_fields > 0) { ids[n] = "home.ticket"; texts[n++] = T(u, T_HOME_TICKET); }
	if (u->cat->nprocedures > 0) { ids[n] = "home.guide"; texts[n++] = T(u, T_HOME_GUIDE); }
	/* Rating needs somewhere to keep it: the store. */
	if (u->store) { ids[n] = "home.rating"; texts[n++] = T(u, T_HOME_RATING); }
	if (!n) return 0;
	w = (u->width - (n + 1) * pad) / n;
	for (i = 0; i < n; i++, x += w + pad)
		ADD(u, .id = ids[i], .text = texts[i], .at = RECT(x, bottom - h, w, h), .kind = W_BUTTON, .font = FONT_BODY,
			.flags = WF_CENTER);
	return h + pad;
}

void screen_home(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), bar = S(u, SIZE_BAR_H), top = bar + pad, bh, bw;
	int full = u->width - 2 * pad, hint_up = S(u, SIZE_HOME_HINT_UP), hint_h = S(u, SIZE_HOME_HINT_H);
	int lang_w = S(u, SIZE_HOME_LANG_W);
	const char *title = screen_str(u, "%s · %s", T(u, T_APP_TITLE), u->cfg->commune_name);
	const char *rate = rate_text(u);
	ADD(u, .id = "bar", .at = RECT(0, 0, u->width, bar), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_BAR);
	ADD(u, .id = "home.title", .text = title,
		.at = RECT(pad, 0, u->width - screen_aid_room(u) - S(u, SIZE_HOME_LANG_ROOM) - 2 * pad, bar),
		.kind = W_LABEL, .font = FONT_TITLE, .flags = WF_BAR);
	ADD(u, .id = "home.lang", .text = T(u, T_LANG_OTHER),
		.at = RECT(u->width - screen_aid_room(u) - lang_w - gap, gap, lang_w, S(u, SIZE_BAR_H - 2 * SIZE_GAP)),
		.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_BAR | WF_CENTER);
	bw = (u->width - 3 * pad) / 2;
	bh = u->height - top - S(u, SIZE_HOME_FOOTER_H) - pad - (rate ? S(u, SIZE_HOME_RATE_ROOM) : 0);
	bh -= home_row(u, top + bh);
	if (rate)
		ADD(u, .id = "home.rate", .text = rate, .at = RECT(pad, top + bh + S(u, SIZE_HOME_RATE_GAP), full, S(u, SIZE_HOME_RATE_H)),
			.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "home.file", .text = T(u, T_HOME_FILE), .at = RECT(pad, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	ADD(u, .id = "home.file.hint", .text = T(u, T_HOME_FILE_HINT),
		.at = RECT(pad + pad, top + bh - hint_up, bw - 2 * pad, hint_h),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_PRIMARY | WF_CENTER | WF_WRAP);
	ADD(u, .id = "home.lookup", .text = T(u, T_HOME_LOOKUP), .at = RECT(2 * pad + bw, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "home.lookup.hint", .text = T(u, T_HOME_LOOKUP_HINT),
		.at = RECT(3 * pad + bw, top + bh - hint_up, bw - 2 * pad, hint_h),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_CENTER | WF_WRAP);
	/* The footer: what to do and the text size. Home speaks to citizens
	 * only: the sync line and the kiosk's number are the staff menu's. */
	{
		int fh = S(u, SIZE_HOME_HELP_ROW_H), lw = S(u, SIZE_HOME_LARGER_W), th = S(u, SIZE_TARGET);
		int fy = u->height - S(u, SIZE_HOME_FOOTER_H);
		ADD(u, .id = "home.help", .text = T(u, T_HOME_HELP), .at = RECT(pad, fy, full - lw - pad, fh),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER | WF_WRAP);
		ADD(u, .id = "home.larger", .text = T(u, u->larger ? T_HOME_SMALLER : T_HOME_LARGER),
			.at = RECT(u->width - pad - lw, fy + (fh - th) / 2, lw, th),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER | (u->larger ? WF_SELECTED : 0));
	}
}

/* ---- categories ---- */

void screen_category(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, cols = 3, rows, i;
	int n = u->cat->ncategories, hint_up = S(u, SIZE_CATEGORY_HINT_UP), hint_h = S(u, SIZE_CATEGORY_HINT_H);
	proto_conference conf;
	screen_title_bar(u, T(u, T_CATEGORY_TITLE), 1, NULL, NULL);
	rows = (n + cols - 1) / cols;
	int cw = (u->width - (cols + 1) * pad) / cols;
	int ch = (u->height - top - pad - (rows - 1) * pad) / rows;
	for (i = 0; i < n; i++) {
		const catalog_category *c = &u->cat->categories[i];
		int x = pad + (i % cols) * (cw + pad), y = top + (i / cols) * (ch + pad);
		char id[48];
		const char *hint = c->hint[u->language];
		if (strcmp(c->id, "dialogue") == 0 && screen_next_conference(u, &conf))
			hint = screen_tf(u, T_CONFERENCE_SHORT, screen_format_time(u, conf.at));
		widget_fmt(&u->wl, "category id", id, sizeof id, "category.%s", c->id);
		ADD(u, .id = id, .text = screen_category_name(u, c), .at = RECT(x, y, cw, ch),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER | (u->category == c ? WF_SELECTED : 0));
		widget_fmt(&u->wl, "category id", id, sizeof id, "category.%s.hint", c->id);
		ADD(u, .id = id, .text = hint, .at = RECT(x + pad, y + ch - hint_up, cw - 2 * pad, hint_h),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_CENTER | WF_WRAP | WF_MUTED);
	}
}

/* ---- the procedure list ---- */

int screen_procedures_per_page(ui *u)
{
	int rows = (u->height - S(u, SIZE_BAR_H) - S(u, SIZE_PAD) - S(u, SIZE_TARGET + 2 * SIZE_PAD)) /
		(S(u, SIZE_PROCEDURE_H) + S(u, SIZE_PAD));
	return (rows < 1 ? 1 : rows) * 2;
}

void screen_procedure(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, per = screen_procedures_per_page(u), i;
	int first = u->procedure_page * per, cw = (u->width - 3 * pad) / 2, rh = S(u, SIZE_PROCEDURE_H);
	int pages = (u->cat->nprocedures + per - 1) / per;
	screen_title_bar(u, T(u, T_PROCEDURE_TITLE), 1, NULL, NULL);
	for (i = first; i < u->cat->nprocedures && i < first + per; i++) {
		const catalog_procedure *p = &u->cat->procedures[i];
		int k = i - first, x = pad + (k % 2) * (cw + pad), y = top + (k / 2) * (rh + pad);
		char id[64];
		widget_fmt(&u->wl, "procedure id", id, sizeof id, "procedure.%s", p->id);
		ADD(u, .id = id, .text = p->name[u->language], .at = RECT(x, y, cw, rh),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = u->procedure == p ? WF_SELECTED : 0);
		widget_fmt(&u->wl, "procedure id", id, sizeof id, "procedure.%s.time", p->id);
		ADD(u, .id = id, .text = p->working_days < 0 ? screen_tf(u, T_CALENDAR_DAYS, p->calendar_days)
			: p->working_days == 0 ? T(u, T_SAME_DAY) : screen_tf(u, T_WORKING_DAYS, p->working_days),
			.at = RECT(x + cw - S(u, SIZE_PROCEDURE_TIME_LEFT), y + rh - S(u, SIZE_PROCEDURE_TIME_UP),
				S(u, SIZE_PROCEDURE_TIME_W), S(u, SIZE_SMALL_LINE_H)),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
	}
	if (pages > 1) {
		int y = u->height - S(u, SIZE_TARGET) - pad, bw = S(u, SIZE_PAGE_BUTTON_W), h = S(u, SIZE_TARGET);
		widget *w = ADD(u, .id = "procedure.page_prev", .text = T(u, T_PAGE_PREV), .at = RECT(pad, y, bw, h),
			.kind = W_BUTTON, .font = FONT_BODY);
		w->enabled = u->procedure_page > 0;
		ADD(u, .id = "procedure.page", .text = screen_str(u, "%d / %d", u->procedure_page + 1, pages),
			.at = RECT(pad + bw, y, u->width - 2 * bw - 2 * pad, h),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER | WF_MUTED);
		w = ADD(u, .id = "procedure.page_next", .text = T(u, T_PAGE_NEXT), .at = RECT(u->width - bw - pad, y, bw, h),
			.kind = W_BUTTON, .font = FONT_BODY);
		w->enabled = u->procedure_page + 1 < pages;
	}
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
