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
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, full = u->width - 2 * pad;
	widget *in;
	screen_title_bar(u, T(u, T_LOOKUP_TITLE), 1, "lookup.submit", T(u, T_LOOKUP_SUBMIT));
	ADD(u, .id = "lookup.hint", .text = T(u, T_LOOKUP_HINT), .at = RECT(pad, y, full, S(u, SIZE_LOOKUP_HINT_H)),
		.kind = W_LABEL, .font = FONT_BODY);
	y += S(u, SIZE_LOOKUP_HINT_ROOM);
	in = ADD(u, .id = "lookup.input", .text = u->lookup, .at = RECT(pad, y, full, S(u, SIZE_LOOKUP_INPUT_H)),
		.kind = W_INPUT, .font = FONT_CODE, .flags = WF_TAIL | WF_CURSOR | (u->lookup_msg >= 0 ? WF_ERROR : 0));
	in->value = u->lookup;
	y += S(u, SIZE_LOOKUP_INPUT_ROOM);
	if (u->lookup_msg >= 0)
		ADD(u, .id = "lookup.msg", .text = T(u, (i18n_id)u->lookup_msg), .at = RECT(pad, y, full, S(u, SIZE_LOOKUP_MSG_H)),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_ERROR | WF_WRAP);
	y += S(u, SIZE_LOOKUP_MSG_ROOM);
	screen_keyboard(u, KB_CODE, kb_rows(KB_CODE, 0, 0), y);
}

/* ---- the timeline ---- */

/* "time · status", and the office's note on the lines below. */
static void event_text(ui *u, const db_event *e, char *out, size_t outlen, size_t note_len)
{
	size_t mark = widget_mark(&u->wl);
	const char *head = screen_str(u, "%s · %s", screen_format_time(u, e->at), screen_status_text(u, e->status));
	if (!e->note[0]) widget_fmt(&u->wl, "event text", out, outlen, "%s", head);
	else if (note_len >= strlen(e->note)) widget_fmt(&u->wl, "event text", out, outlen, "%s\n%s", head, e->note);
	else widget_fmt(&u->wl, "event text", out, outlen, "%s\n%.*s…", head, (int)note_len, e->note);
	widget_release(&u->wl, mark);   /* the pieces were scratch */
}

/* The longest start of a note, cut between characters and preferably
 * between words, that fits w with "…" after it. */
static size_t note_that_fits(ui *u, const db_event *e, widget *w, char *buf, size_t buflen)
{
	size_t lo = 0, hi = strlen(e->note), mid, cut;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		while (mid > lo && ((unsigned char)e->note[mid] & 0xC0) == 0x80) mid--;
		if (mid == lo) break;
		event_text(u, e, buf, buflen, mid);
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

/* Lays out one event of the timeline at y within room pixels. Returns the
 * height used, or 0 when not even its first line fits; *cut is set when
 * its note had to be shortened. */
static int event_widget(ui *u, int i, const db_event *e, int x, int y, int w, int room, widget_font font, int *cut)
{
	char buf[PROTO_NOTE_MAX + 256], id[32];
	widget probe;
	int lo, hi;
	memset(&probe, 0, sizeof probe);
	probe.text = buf;
	probe.x = x; probe.y = y; probe.w = w; probe.h = room;
	probe.kind = W_LABEL;
	probe.font = font;
	probe.flags = WF_WRAP;
	event_text(u, e, buf, sizeof buf, strlen(e->note));
	if (!screen_text_fits(u, &probe)) {
		size_t keep = note_that_fits(u, e, &probe, buf, sizeof buf);
		*cut = 1;
		event_text(u, e, buf, sizeof buf, keep);
		if (!screen_text_fits(u, &probe)) {
			event_text(u, e, buf, sizeof buf, 0);
			buf[strcspn(buf, "\n")] = '\0';
			if (!screen_text_fits(u, &probe)) return 0;
		}
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
		if (!e->deadline[0]) continue;
		cal_date_format(cal_from_time((time_t)e->at), day);
		if (strcmp(day, in_force) > 0) was_late = 1;
		in_force = e->deadline;
		*set = 1;
	}
	return was_late ? in_force : NULL;
}

/* Newest first, in the column beside the Done button; a long note shows
 * what fits and ends in "…", leaving a line to each of the (up to three)
 * events before it, so the history stays in sight. The newest is the
 * office's answer to the citizen: in large type. */
/* The timeline, newest first, in the room left: 1 when a note was cut or
 * an event left out (the whole history is then a tap away). */
static int timeline(ui *u, int y, int w)
{
	int pad = S(u, SIZE_PAD), line = S(u, SIZE_EVENT_LINE), i, used, cut = 0;
	for (i = u->nevents - 1; i >= 0; i--) {
		int room = u->height - pad - y - (i < 3 ? i : 3) * line;
		if (room < line) room = u->height - pad - y;
		used = event_widget(u, i, &u->events[i], pad, y, w, room, i == u->nevents - 1 ? FONT_LARGE : FONT_SMALL, &cut);
		if (!used) return 1;
		y += used + S(u, SIZE_GAP);
	}
	return cut;
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

/* The whole history, newest first, every note uncut in large type, a page
 * at a time: what the office wrote is what the citizen came to read. */
static void screen_history(ui *u)
{
	int pad = S(u, SIZE_PAD), bh = S(u, SIZE_BUTTON_H), bw = S(u, SIZE_DONE_W), top = S(u, SIZE_BAR_H) + pad;
	char all[UI_MAX_EVENTS * (PROTO_NOTE_MAX + 256)], one[PROTO_NOTE_MAX + 256];
	size_t len = 0, start = 0, n;
	int i, page = 0;
	widget probe;
	for (i = u->nevents - 1; i >= 0 && len + sizeof one + 2 < sizeof all; i--) {
		event_text(u, &u->events[i], one, sizeof one, strlen(u->events[i].note));
		len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", len ? "\n\n" : "", one);
	}
	memset(&probe, 0, sizeof probe);
	probe.x = pad; probe.y = top; probe.w = u->width - 2 * pad; probe.h = u->height - top - bh - 2 * pad;
	probe.kind = W_LABEL; probe.font = FONT_LARGE; probe.flags = WF_WRAP;
	screen_title_bar(u, T(u, T_STATUS_ALL_TITLE), 0, NULL, NULL);
	while (start < len) {
		n = page_that_fits(u, &probe, all + start, len - start);
		if (++page == u->history_page)
			ADD(u, .id = "status.history.text", .text = screen_str(u, "%.*s", (int)n, all + start),
				.at = RECT(probe.x, probe.y, probe.w, probe.h), .kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP);
		start += n;
		while (start < len && (all[start] == ' ' || all[start] == '\n')) start++;
	}
	if (u->history_page > page) u->history_page = page;   /* a page past the end: the last */
	ADD(u, .id = "status.history.close", .text = T(u, T_BACK), .at = RECT(pad, u->height - bh - pad, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	if (u->history_page > 1)
		ADD(u, .id = "status.history.prev", .text = T(u, T_PAGE_PREV),
			.at = RECT(2 * pad + bw, u->height - bh - pad, bw, bh), .kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER);
	if (u->history_page < page)
		ADD(u, .id = "status.history.more", .text = screen_str(u, "%s (%d/%d)", T(u, T_PAGE_NEXT), u->history_page, page),
			.at = RECT(u->width - bw - pad, u->height - bh - pad, bw, bh), .kind = W_BUTTON, .font = FONT_LARGE,
			.flags = WF_PRIMARY | WF_CENTER);
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

/* The status in big letters behind its icon, and what to do under it:
 * the y below them. */
static int status_head(ui *u, int y, int overdue)
{
	int pad = S(u, SIZE_PAD), h = S(u, SIZE_STATE_H), full = u->width - 2 * pad, advice_h = S(u, SIZE_ADVICE_H);
	size_t i, n = sizeof status_looks / sizeof status_looks[0];
	for (i = 0; i < n && strcmp(status_looks[i].status, u->found.status) != 0; i++) {}
	if (i < n)
		ADD(u, .id = status_looks[i].icon, .at = RECT(pad, y, h, h), .kind = W_PANEL, .font = FONT_BODY,
			.flags = status_looks[i].flags);
	ADD(u, .id = "status.state", .text = screen_status_text(u, u->found.status),
		.at = RECT(pad + h + pad, y, full - h - pad, h), .kind = W_LABEL, .font = FONT_CODE,
		.flags = overdue ? WF_ERROR : i < n ? status_looks[i].flags & ~WF_WARN : 0);
	y += S(u, SIZE_STATE_ROOM);
	if (i < n) {
		widget *t = ADD(u, .id = "status.advice", .text = T(u, status_looks[i].advice), .at = RECT(pad, y, full, advice_h / 2),
			.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP | (status_looks[i].flags & WF_WARN));
		if (!screen_text_fits(u, t)) t->h = advice_h;
		y += t->h + S(u, SIZE_GAP);
	}
	return y;
}

void screen_status(ui *u)
{
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, row = S(u, SIZE_LINE_H), bh = S(u, SIZE_BUTTON_H);
	int bw = S(u, SIZE_DONE_W), half = (u->width - 3 * pad) / 2, hw = S(u, SIZE_HISTORY_W), full = u->width - 2 * pad;
	char grouped[TOKEN_GROUPED_LEN + 1], today[11], err[128];
	const catalog_category *c = catalog_category_by_id(u->cat, u->found.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->found.procedure);
	db_sync_state st;
	int overdue, set_by_office;
	if (u->history_page > 0) {
		screen_history(u);
		return;
	}
	const char *due = u->found.due[0] ? u->found.due : u->found.deadline, *what;
	const char *late = late_date(u, &set_by_office);
	cal_date_format(cal_from_time(time(NULL)), today);
	overdue = !status_is_final(u->found.status) && strcmp(today, due) > 0;
	if (!u->store || db_read_sync_state(u->store, &st, err, sizeof err) != 0) memset(&st, 0, sizeof st);
	screen_title_bar(u, T(u, T_STATUS_TITLE), 1, NULL, NULL);
	token_group(u->found.token, grouped);
	ADD(u, .id = "status.code", .text = screen_str(u, "%s: %s", T(u, T_RECEIPT_CODE), grouped),
		.at = RECT(pad, y, full, row), .kind = W_LABEL, .font = FONT_BODY);
	y += row;
	y = status_head(u, y, overdue);
	if (overdue) {
		ADD(u, .id = "status.overdue", .text = T(u, T_STATUS_OVERDUE), .at = RECT(pad, y, full, row),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_ERROR);
		y += row;
	} else if (late && !status_is_final(u->found.status)) {
		ADD(u, .id = "status.late", .text = screen_tf(u, T_STATUS_LATE, screen_format_date(u, late)),
			.at = RECT(pad, y, full, row + S(u, SIZE_LATE_EXTRA)), .kind = W_LABEL, .font = FONT_BODY, .flags = WF_WARN);
		y += row + S(u, SIZE_LATE_ROOM_EXTRA);
	}
	what = !c ? u->found.category : p ? screen_str(u, "%s: %s", screen_category_name(u, c), p->name[u->language])
		: screen_category_name(u, c);
	ADD(u, .id = "status.category", .text = what, .at = RECT(pad, y, full, row), .kind = W_LABEL, .font = FONT_BODY);
	y += row;
	ADD(u, .id = "status.received",
		.text = screen_str(u, "%s: %s", T(u, T_RECEIPT_TIME), screen_format_time(u, u->found.received_at)),
		.at = RECT(pad, y, half, row), .kind = W_LABEL, .font = FONT_BODY);
	/* Until the office sets one, a complaint's date is when it must be accepted. */
	ADD(u, .id = "status.deadline",
		.text = screen_str(u, "%s: %s", T(u, set_by_office ? T_DEADLINE : screen_deadline_label(c)),
			screen_format_date(u, due)),
		.at = RECT(2 * pad + half, y, half, row), .kind = W_LABEL, .font = FONT_BODY, .flags = overdue ? WF_ERROR : 0);
	y += row + S(u, SIZE_HISTORY_GAP);
	ADD(u, .id = "status.history", .text = T(u, T_STATUS_HISTORY), .at = RECT(pad, y, hw, row),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_MUTED);
	ADD(u, .id = "status.updated",
		.text = st.last_events ? screen_tf(u, T_STATUS_UPDATED, screen_office_level(u), screen_format_time(u, st.last_events))
			: screen_tf(u, T_STATUS_NO_UPDATE, screen_office_level(u)),
		.at = RECT(pad + hw, y, u->width - hw - 2 * pad, row), .kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
	y += row;
	if (timeline(u, y, u->width - bw - 3 * pad))
		ADD(u, .id = "status.history.open", .text = T(u, T_STATUS_READ_ALL),
			.at = RECT(u->width - bw - pad, u->height - 2 * bh - 2 * pad, bw, bh), .kind = W_BUTTON, .font = FONT_LARGE,
			.flags = WF_CENTER);
	ADD(u, .id = "status.done", .text = T(u, T_DONE), .at = RECT(u->width - bw - pad, u->height - bh - pad, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
