/* screen_lookup: a citizen checking a request (see screen.h): typing or
 * scanning the receipt code, and the status with the office's timeline. */
#include "screen.h"
#include "status.h"
#include "token.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- lookup ---- */

void screen_lookup(ui *u)
{
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, full = u->width - 2 * pad, gap = S(u, SIZE_GAP);
	int ih = screen_lines_h(u, FONT_CODE, 1) + gap;
	widget *t, *in;
	screen_title_bar(u, T(u, T_LOOKUP_TITLE), 1, "lookup.submit", T(u, T_LOOKUP_SUBMIT));
	/* A message takes the hint's place: one line to read, and the keys
	 * keep their room. */
	if (u->lookup_msg >= 0)
		t = ADD(u, .id = "lookup.msg", .text = T(u, (i18n_id)u->lookup_msg), .at = RECT(pad, y, full, 1),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_ERROR | WF_WRAP);
	else
		t = ADD(u, .id = "lookup.hint", .text = T(u, T_LOOKUP_HINT), .at = RECT(pad, y, full, 1),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_WRAP);
	screen_fit_h(u, t, screen_lines_h(u, FONT_BODY, 2));
	y += t->h + gap;
	if (ih < S(u, SIZE_TARGET)) ih = S(u, SIZE_TARGET);
	in = ADD(u, .id = "lookup.input", .text = u->lookup, .at = RECT(pad, y, full, ih),
		.kind = W_INPUT, .font = FONT_CODE, .flags = WF_TAIL | WF_CURSOR | (u->lookup_msg >= 0 ? WF_ERROR : 0));
	in->value = u->lookup;
	y += ih + gap;
	screen_keyboard(u, KB_CODE, kb_rows(KB_CODE, 0, 0), y);
}

/* ---- the timeline ---- */

/* "time · status", and the office's note on the lines below (head 0:
 * the note alone), its first note_len bytes with "…" when that is less. */
static void event_text(ui *u, const db_event *e, int head, char *out, size_t outlen, size_t note_len)
{
	size_t mark = widget_mark(&u->wl);
	const char *top = head ? screen_str(u, "%s · %s", screen_format_time(u, e->at), screen_status_text(u, e->status)) : "";
	const char *nl = head && e->note[0] ? "\n" : "";
	const char *more = note_len < strlen(e->note) ? "…" : "";
	widget_fmt(&u->wl, "event text", out, outlen, "%s%s%.*s%s", top, nl, (int)note_len, e->note, more);
	widget_release(&u->wl, mark);   /* the pieces were scratch */
}

/* The longest start of a note, cut between characters and preferably
 * between words, that fits w with "…" after it. */
static size_t note_that_fits(ui *u, const db_event *e, int head, widget *w, char *buf, size_t buflen)
{
	size_t lo = 0, hi = strlen(e->note), mid, cut;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		while (mid > lo && ((unsigned char)e->note[mid] & 0xC0) == 0x80) mid--;
		if (mid == lo) break;
		event_text(u, e, head, buf, buflen, mid);
		if (screen_text_fits(u, w)) lo = mid;
		else hi = mid - 1;
		while (hi > lo && ((unsigned char)e->note[hi] & 0xC0) == 0x80) hi--;
	}
	cut = lo;
	while (cut > 0 && e->note[cut - 1] != ' ' && e->note[cut - 1] != '\n' && lo - cut < 24) cut--;
	if (cut == 0 || lo - cut >= 24) cut = lo;
	while (cut > 0 && (e->note[cut - 1] == ' ' || e->note[cut - 1] == '\n')) cut--;
	return cut;
}

/* 1 if the event's text (head or not, its note cut to note_len) fits
 * probe; buf holds it. */
static int event_try(ui *u, const db_event *e, int head, size_t note_len, widget *probe, char *buf, size_t buflen)
{
	event_text(u, e, head, buf, buflen, note_len);
	if (!head) return note_len > 0 && screen_text_fits(u, probe);
	if (note_len == 0) buf[strcspn(buf, "\n")] = '\0';   /* the head alone, no "…" under it */
	return screen_text_fits(u, probe);
}

/* Lays out one event of the timeline at y within room pixels. Returns the
 * height used, or 0 when not even its first line fits; *cut is set when
 * its note had to be shortened. The newest (note_first) is there for its
 * note: where the head would leave the note cut or out, the note shows
 * alone, whole, else cut, before the head shows without it (the status
 * word over it says what the head does; the history has the time). */
static int event_widget(ui *u, int i, const db_event *e, int x, int y, int w, int room, widget_font font,
	int note_first, int *cut)
{
	char buf[PROTO_NOTE_MAX + 256], id[32];
	widget probe;
	int lo, hi, alone;
	size_t len;
	memset(&probe, 0, sizeof probe);
	probe.text = buf;
	probe.x = x; probe.y = y; probe.w = w; probe.h = room;
	probe.kind = W_LABEL;
	probe.font = font;
	probe.flags = WF_WRAP;
	len = strlen(e->note);
	alone = note_first && len > 0;
	if (!event_try(u, e, 1, len, &probe, buf, sizeof buf) && !(alone && event_try(u, e, 0, len, &probe, buf, sizeof buf))) {
		size_t keep = len ? note_that_fits(u, e, 1, &probe, buf, sizeof buf) : 0;
		*cut = 1;
		if (!(keep > 0 && event_try(u, e, 1, keep, &probe, buf, sizeof buf))
		    && !(alone && (keep = note_that_fits(u, e, 0, &probe, buf, sizeof buf)) > 0
		         && event_try(u, e, 0, keep, &probe, buf, sizeof buf))
		    && !event_try(u, e, 1, 0, &probe, buf, sizeof buf))
			return 0;
	}
	/* The least height that holds it. */
	lo = 1;
	hi = room;
	while (lo < hi) {
		probe.h = (lo + hi) / 2;
		if (screen_text_fits(u, &probe)) hi = probe.h;
		else lo = probe.h + 1;
	}
	widget_fmt(&u->wl, "event id", id, sizeof id, "status.event.%d", i);
	ADD(u, .id = id, .text = screen_str(u, "%s", buf), .at = RECT(x, y, w, lo), .kind = W_LABEL, .font = font,
		.flags = WF_WRAP);
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
		if (e->undated) {         /* no date in force: none to be late against */
			in_force = "";
			was_late = 0;
			*set = 1;
			continue;
		}
		if (!e->deadline[0]) continue;
		cal_date_format(cal_from_time((time_t)e->at), day);
		if (in_force[0] && strcmp(day, in_force) > 0) was_late = 1;
		in_force = e->deadline;
		*set = 1;
	}
	return was_late ? in_force : NULL;
}

/* The timeline, newest first, between y and bottom: the newest is the
 * office's answer to the citizen, in large type, and a long note shows
 * what fits and ends in "…"; each of the (up to three) events before it
 * gets a line, as many as leave the newest its first line of note, so the
 * history stays in sight. 1 when a note was cut or an event left out (the
 * whole history is then a tap away). */
static int timeline(ui *u, int y, int bottom, int w)
{
	int gap = S(u, SIZE_GAP), line = screen_lines_h(u, FONT_BODY, 1), two = screen_lines_h(u, FONT_LARGE, 2);
	int older = u->nevents - 1 < 3 ? u->nevents - 1 : 3, i, used, cut = 0, x = S(u, SIZE_PAD);
	if (u->nevents <= 0) return 0;
	while (older > 0 && bottom - y - older * (line + gap) < two) older--;
	used = event_widget(u, u->nevents - 1, &u->events[u->nevents - 1], x, y, w, bottom - y - older * (line + gap),
		FONT_LARGE, 1, &cut);
	if (!used) return 1;
	y += used + gap;
	for (i = u->nevents - 2; i >= u->nevents - 1 - older; i--) {
		if (!event_widget(u, i, &u->events[i], x, y, w, line, FONT_BODY, 0, &cut)) return 1;
		y += line + gap;
	}
	return cut || u->nevents - 1 > older;
}

/* The longest start of text[0..len) that fits probe, cut after a word
 * when one ends in the last 24 bytes, else between characters. */
static size_t page_that_fits(ui *u, widget *probe, char *text, size_t len)
{
	size_t lo = 0, hi = len, mid, cut;
	char keep;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		while (mid > lo && ((unsigned char)text[mid] & 0xC0) == 0x80) mid--;
		if (mid == lo) break;
		keep = text[mid];
		text[mid] = '\0';
		probe->text = text;
		if (screen_text_fits(u, probe)) lo = mid;
		else hi = mid - 1;
		text[mid] = keep;
		while (hi > lo && ((unsigned char)text[hi] & 0xC0) == 0x80) hi--;
	}
	if (lo >= len) return len;
	cut = lo;
	while (cut > 0 && text[cut] != ' ' && text[cut] != '\n' && lo - cut < 24) cut--;
	return cut == 0 || lo - cut >= 24 ? (lo ? lo : 1) : cut;
}

/* A label of font at (x, y), w wide, as tall as the lines its text needs,
 * up to most: the widget. A warning's ground adds its inset. */
static widget *rows(ui *u, const char *id, const char *text, int x, int y, int w, widget_font font, int most,
	unsigned flags)
{
	widget *t = ADD(u, .id = id, .text = text, .at = RECT(x, y, w, 1), .kind = W_LABEL, .font = font,
		.flags = flags | WF_WRAP);
	screen_fit_h(u, t, screen_lines_h(u, font, most) + (flags & WF_WARN ? 2 * S(u, SIZE_WARN_INSET) : 0));
	return t;
}

/* The date in force: the office's own, else the one the law gave at
 * filing; *overdue when it passed and the request is still open. Until
 * the office sets one, a complaint's date is when it must be accepted. */
static const char *deadline_text(ui *u, int *overdue)
{
	const catalog_category *c = catalog_category_by_id(u->cat, u->found.category);
	const char *due = u->found.due[0] ? u->found.due : u->found.deadline;
	char today[11];
	int set_by_office;
	late_date(u, &set_by_office);
	/* a dialogue question whose conference was cancelled, none other
	 * announced: no date (db.h), so never late */
	*overdue = 0;
	if (!u->found.due[0] && strcmp(u->found.category, "dialogue") == 0) return T(u, T_DEADLINE_NO_CONFERENCE);
	cal_date_format(cal_from_time(time(NULL)), today);
	*overdue = !status_is_final(u->found.status) && strcmp(today, due) > 0;
	return screen_str(u, "%s: %s", T(u, set_by_office ? T_DEADLINE : screen_deadline_label(c)), screen_format_date(u, due));
}

/* When the office last sent news down. */
static const char *updated_text(ui *u)
{
	db_sync_state st;
	char err[128];
	if (!u->store || db_read_sync_state(u->store, &st, err, sizeof err) != 0) memset(&st, 0, sizeof st);
	return st.last_events ? screen_tf(u, T_STATUS_UPDATED, screen_office_level(u), screen_format_time(u, st.last_events))
		: screen_tf(u, T_STATUS_NO_UPDATE, screen_office_level(u));
}

/* The request's details under their heading, a row each (the code, what
 * it is, when it was received, its date, the office's last news), from y:
 * the y below them. */
static int details(ui *u, int y)
{
	int pad = S(u, SIZE_PAD), full = u->width - 2 * pad, gap = S(u, SIZE_GAP), overdue;
	char grouped[TOKEN_GROUPED_LEN + 1];
	const catalog_category *c = catalog_category_by_id(u->cat, u->found.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->found.procedure);
	const char *what = !c ? u->found.category : p ? screen_str(u, "%s: %s", screen_category_name(u, c), p->name[u->language])
		: screen_category_name(u, c);
	const char *due = deadline_text(u, &overdue);
	widget *w;
	token_group(u->found.token, grouped);
	w = rows(u, "status.details", T(u, T_STATUS_DETAILS), pad, y, full, FONT_BODY, 1, WF_MUTED);
	w = rows(u, "status.code", screen_str(u, "%s: %s", T(u, T_RECEIPT_CODE), grouped), pad, w->y + w->h + gap, full,
		FONT_BODY, 2, 0);
	w = rows(u, "status.category", what, pad, w->y + w->h + gap, full, FONT_BODY, 3, 0);
	w = rows(u, "status.received", screen_str(u, "%s: %s", T(u, T_RECEIPT_TIME), screen_format_time(u, u->found.received_at)),
		pad, w->y + w->h + gap, full, FONT_BODY, 2, 0);
	w = rows(u, "status.deadline", due, pad, w->y + w->h + gap, full, FONT_BODY, 2, overdue ? WF_ERROR : 0);
	w = rows(u, "status.updated", updated_text(u), pad, w->y + w->h + gap, full, FONT_SMALL, 2, WF_MUTED);
	return w->y + w->h + S(u, SIZE_PAD);
}

/* The whole history, newest first, every note uncut in large type, a page
 * at a time: what the office wrote is what the citizen came to read. The
 * details follow it, under the last page's text when they fit there, else
 * on a page of their own. */
static void screen_history(ui *u)
{
	int pad = S(u, SIZE_PAD), bh = S(u, SIZE_BUTTON_H), top = S(u, SIZE_BAR_H) + pad;
	int bottom = u->height - bh - 2 * pad, n_before, details_h, last_h = 0;
	char all[UI_MAX_EVENTS * (PROTO_NOTE_MAX + 256)], one[PROTO_NOTE_MAX + 256];
	size_t len = 0, start = 0, n;
	int i, page = 0, x;
	widget probe;
	const char *more;
	for (i = u->nevents - 1; i >= 0 && len + sizeof one + 2 < sizeof all; i--) {
		event_text(u, &u->events[i], 1, one, sizeof one, strlen(u->events[i].note));
		len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", len ? "\n\n" : "", one);
	}
	screen_title_bar(u, T(u, T_STATUS_ALL_TITLE), 0, NULL, NULL);
	/* The details' height, laid out once to be measured. */
	n_before = u->wl.n;
	details_h = details(u, top) - top;
	while (u->wl.n > n_before) widget_drop_last(&u->wl);
	memset(&probe, 0, sizeof probe);
	probe.x = pad; probe.y = top; probe.w = u->width - 2 * pad;
	probe.kind = W_LABEL; probe.font = FONT_LARGE; probe.flags = WF_WRAP;
	while (start < len) {
		probe.h = bottom - top;
		n = page_that_fits(u, &probe, all + start, len - start);
		probe.text = screen_str(u, "%.*s", (int)n, all + start);
		screen_fit_h(u, &probe, bottom - top);
		last_h = probe.h;
		if (++page == u->history_page)
			ADD(u, .id = "status.history.text", .text = probe.text, .at = RECT(probe.x, top, probe.w, probe.h),
				.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP);
		start += n;
		while (start < len && (all[start] == ' ' || all[start] == '\n')) start++;
	}
	if (page == 0 || top + last_h + pad + details_h > bottom) {   /* the details on a page of their own */
		page++;
		last_h = -pad;
	}
	if (u->history_page > page) u->history_page = page;   /* a page past the end: the last */
	if (u->history_page == page) details(u, top + last_h + pad);
	x = pad;
	ADD(u, .id = "status.history.close", .text = T(u, T_BACK),
		.at = RECT(x, u->height - bh - pad, screen_button_w(u, FONT_LARGE, T(u, T_BACK), S(u, SIZE_DONE_W)), bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	x += u->wl.items[u->wl.n - 1].w + pad;
	if (u->history_page > 1)
		ADD(u, .id = "status.history.prev", .text = T(u, T_PAGE_PREV),
			.at = RECT(x, u->height - bh - pad, screen_button_w(u, FONT_LARGE, T(u, T_PAGE_PREV), S(u, SIZE_DONE_W)), bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	if (u->history_page < page) {
		int mw;
		more = screen_str(u, "%s (%d/%d)", T(u, T_PAGE_NEXT), u->history_page, page);
		mw = screen_button_w(u, FONT_LARGE, more, S(u, SIZE_DONE_W));
		ADD(u, .id = "status.history.more", .text = more, .at = RECT(u->width - mw - pad, u->height - bh - pad, mw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	}
}

/* ---- status ---- */

/* Each status as the citizen should take it: its colour and icon (render.c
 * draws "icon.<name>"), and one line of what they need to do, as on the
 * phone page. "supplement" is the one where the citizen must act. */
static const struct { const char *status; const char *icon; unsigned flags; i18n_id advice; } status_looks[] = {
	{ "received", "icon.wait", 0, T_ADVICE_RECEIVED }, { "synced", "icon.wait", 0, T_ADVICE_SYNCED },
	{ "accepted", "icon.wait", 0, T_ADVICE_ACCEPTED }, { "in_progress", "icon.wait", 0, T_ADVICE_ACCEPTED },
	{ "supplement", "icon.act", WF_WARN, T_ADVICE_SUPPLEMENT }, { "resolved", "icon.ok", WF_DONE, T_ADVICE_RESOLVED },
	{ "rejected", "icon.no", WF_ERROR, T_ADVICE_REJECTED }, { "withdrawn", "icon.wait", WF_MUTED, T_ADVICE_WITHDRAWN },
};

/* The status in big letters behind its icon, with its date at the right
 * end when there is room (else on the row below), and what to do under
 * them: the y below it all. */
static int status_head(ui *u, int y, int overdue, const char *due)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), full = u->width - 2 * pad;
	int h = screen_lines_h(u, FONT_CODE, 1), dw = screen_text_w(u, FONT_BODY, due), sx, sw;
	size_t i, n = sizeof status_looks / sizeof status_looks[0];
	const char *state = screen_status_text(u, u->found.status);
	unsigned due_flags = overdue ? WF_ERROR : 0;
	widget *t;
	if (h < S(u, SIZE_STATE_H)) h = S(u, SIZE_STATE_H);
	for (i = 0; i < n && strcmp(status_looks[i].status, u->found.status) != 0; i++) {}
	if (i < n)
		ADD(u, .id = status_looks[i].icon, .at = RECT(pad, y, h, h), .kind = W_PANEL, .font = FONT_BODY,
			.flags = status_looks[i].flags);
	sx = pad + h + pad;
	sw = u->width - pad - sx;
	if (screen_text_w(u, FONT_CODE, state) + 2 * pad + dw <= sw) {
		sw -= dw + 2 * pad;
		ADD(u, .id = "status.deadline", .text = due, .at = RECT(u->width - pad - dw, y, dw, h), .kind = W_LABEL,
			.font = FONT_BODY, .flags = due_flags);
		due = NULL;
	}
	t = ADD(u, .id = "status.state", .text = state, .at = RECT(sx, y, sw, h), .kind = W_LABEL, .font = FONT_CODE,
		.flags = overdue ? WF_ERROR : i < n ? status_looks[i].flags & ~WF_WARN : 0);
	if (!screen_text_fits(u, t)) {   /* a long status word in larger text: two lines */
		t->flags |= WF_WRAP;
		screen_fit_h(u, t, screen_lines_h(u, FONT_CODE, 2));
	}
	y = t->y + (t->h > h ? t->h : h) + gap;
	if (due) {
		t = rows(u, "status.deadline", due, pad, y, full, FONT_BODY, 2, due_flags);
		y += t->h + gap;
	}
	if (i < n) {
		t = rows(u, "status.advice", T(u, status_looks[i].advice), pad, y, full, FONT_LARGE, 3,
			status_looks[i].flags & WF_WARN);
		y += t->h + gap;
	}
	return y;
}

/* What the citizen came for, on one screen: the status, its date, what to
 * do, an apology when late, and the office's newest note in large type
 * over the rest of the timeline; the details and every note uncut are on
 * the history's pages. */
void screen_status(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), bh = S(u, SIZE_BUTTON_H), full = u->width - 2 * pad;
	int y = S(u, SIZE_BAR_H) + pad, overdue, set_by_office, done_w, open_w, row_y, row_h, cut, need;
	const char *due, *late;
	widget *upd;
	if (u->history_page > 0) {
		screen_history(u);
		return;
	}
	due = deadline_text(u, &overdue);
	late = late_date(u, &set_by_office);
	screen_title_bar(u, T(u, T_STATUS_TITLE), 1, NULL, NULL);
	y = status_head(u, y, overdue, due);
	if (overdue)
		y += rows(u, "status.overdue", T(u, T_STATUS_OVERDUE), pad, y, full, FONT_BODY, 2, WF_ERROR)->h + gap;
	else if (late && !status_is_final(u->found.status))
		y += rows(u, "status.late", screen_tf(u, T_STATUS_LATE, screen_format_date(u, late)), pad, y, full, FONT_BODY, 3,
			WF_WARN)->h + gap;
	/* The bottom row: when the office last sent news, the way to the
	 * details and the whole history, and Done. */
	done_w = screen_button_w(u, FONT_LARGE, T(u, T_DONE), S(u, SIZE_STATUS_BUTTON_W));
	open_w = screen_button_w(u, FONT_LARGE, T(u, T_STATUS_READ_ALL), S(u, SIZE_STATUS_BUTTON_W));
	if (screen_button_w(u, FONT_LARGE, T(u, T_STATUS_DETAILS), 0) > open_w)
		open_w = screen_button_w(u, FONT_LARGE, T(u, T_STATUS_DETAILS), 0);
	upd = rows(u, "status.updated", updated_text(u), pad, 0, full - done_w - open_w - 2 * pad, FONT_SMALL, 3, WF_MUTED);
	row_h = upd->h > bh ? upd->h : bh;
	/* The office's note comes first: when the news's time, taller than the
	 * buttons, leaves no room for the note's first line, it goes to the
	 * details' page. */
	need = screen_lines_h(u, FONT_LARGE, 2) + (u->nevents > 1 ? screen_lines_h(u, FONT_BODY, 1) + gap : 0);
	if (upd->h > bh && u->height - pad - row_h - gap - y < need) {
		widget_drop_last(&u->wl);
		row_h = bh;
	} else upd->y = u->height - pad - row_h + (row_h - upd->h) / 2;
	row_y = u->height - pad - row_h;
	cut = timeline(u, y, row_y - gap, full);
	ADD(u, .id = "status.history.open", .text = T(u, cut ? T_STATUS_READ_ALL : T_STATUS_DETAILS),
		.at = RECT(u->width - pad - done_w - pad - open_w, row_y + row_h - bh, open_w, bh), .kind = W_BUTTON,
		.font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "status.done", .text = T(u, T_DONE), .at = RECT(u->width - pad - done_w, row_y + row_h - bh, done_w, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
