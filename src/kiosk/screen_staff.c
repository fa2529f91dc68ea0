/* screen_staff: the staff's screens (see screen.h): the PIN pad behind a
 * long press on the title, and the menu with the counts, sync, export,
 * import, the printer's test page and the way out. */
#include "screen.h"
#include "status.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- PIN pad ---- */

void screen_pin(ui *u)
{
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, gap = S(u, SIZE_PIN_KEY_GAP), i;
	static const char *const keys[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok" };
	char dots[12 * 4 + 1] = "";   /* twelve "• " */
	int locked = ui_pin_locked_for(u), kw, kh, dh, x0;
	const char *hint = T(u, T_PIN_HINT);
	widget *t;
	screen_title_bar(u, T(u, T_PIN_TITLE), 1, NULL, NULL);
	for (i = 0; u->pin[i] && i < 12; i++) {
		size_t n = strlen(dots);
		widget_fmt(&u->wl, "PIN dots", dots + n, sizeof dots - n, "• ");
	}
	if (locked) hint = screen_tf(u, T_PIN_LOCKED, locked);
	else if (u->pin_msg == T_PIN_WRONG_LEFT) hint = screen_tf(u, T_PIN_WRONG_LEFT, UI_PIN_TRIES - u->pin_lock.failures);
	else if (u->pin_msg >= 0) hint = T(u, (i18n_id)u->pin_msg);
	/* Keys as wide as "Delete" needs and as tall as the room allows, within
	 * a thumb's reach (SIZE_TARGET to SIZE_BUTTON_H). */
	kw = screen_button_w(u, FONT_LARGE, T(u, T_KEY_DELETE), S(u, SIZE_PIN_KEY_W));
	x0 = (u->width - 3 * kw - 2 * gap) / 2;
	t = ADD(u, .id = "pin.hint", .text = hint, .at = RECT(pad, y, u->width - 2 * pad, 1),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_WRAP | WF_CENTER | (locked || u->pin_msg >= 0 ? WF_ERROR : 0));
	screen_fit_h(u, t, screen_lines_h(u, FONT_BODY, 2));
	y += t->h + S(u, SIZE_GAP);
	dh = screen_lines_h(u, FONT_LARGE, 1) + S(u, SIZE_GAP);
	if (dh < S(u, SIZE_PIN_DISPLAY_H)) dh = S(u, SIZE_PIN_DISPLAY_H);
	ADD(u, .id = "pin.display", .text = screen_str(u, "%s", dots), .at = RECT(x0, y, 3 * kw + 2 * gap, dh),
		.kind = W_INPUT, .font = FONT_LARGE, .flags = WF_CENTER);
	y += dh + gap;
	kh = (u->height - pad - y - 3 * gap) / 4;
	if (kh > S(u, SIZE_BUTTON_H)) kh = S(u, SIZE_BUTTON_H);
	if (kh < S(u, SIZE_TARGET)) kh = S(u, SIZE_TARGET);
	for (i = 0; i < 12; i++) {
		char id[16];
		widget *w;
		widget_fmt(&u->wl, "PIN key id", id, sizeof id, "pin.%s", keys[i]);
		/* the bundled font has no ⌫: the key says what it does */
		w = ADD(u, .id = id, .text = i == 9 ? T(u, T_KEY_DELETE) : i == 11 ? "OK" : keys[i],
			.at = RECT(x0 + (i % 3) * (kw + gap), y + (i / 3) * (kh + gap), kw, kh),
			.kind = W_KEY, .font = FONT_LARGE, .flags = WF_CENTER | (i == 11 ? WF_PRIMARY : 0));
		w->enabled = !locked;
	}
}

/* ---- the menu's lines ---- */

/* "2 giờ 05 phút" for a number of seconds. */
static const char *span_text(ui *u, long long seconds)
{
	long long a = seconds < 0 ? -seconds : seconds;
	if (a >= 86400) return screen_tf(u, T_STAFF_DAYS, a / 86400, a % 86400 / 3600);
	if (a >= 3600) return screen_tf(u, T_STAFF_HOURS, a / 3600, a % 3600 / 60);
	if (a >= 60) return screen_tf(u, T_STAFF_MINUTES, a / 60, a % 60);
	return screen_tf(u, T_STAFF_SECONDS, a);
}

/* One honest line about sync (it was home's; citizens need not read it): when it last worked (the server's clock),
 * whether the last try failed since, how many requests wait. What does not
 * fit goes, least important first. */
static int staff_sync_state(ui *u, int x, int y, int w, int lines)
{
	db_sync_state st;
	char err[128];
	const char *last, *failed = NULL, *pending = NULL, *choices[5];
	widget *wd;
	int i, n = 0;
	if (!u->store || db_read_sync_state(u->store, &st, err, sizeof err) != 0) return y;
	last = st.last_success ? screen_tf(u, T_SYNC_LAST, screen_format_time(u, st.last_success)) : T(u, T_SYNC_NEVER);
	if (st.last_error[0]) failed = screen_tf(u, T_SYNC_FAILED, screen_office_level(u));
	if (st.pending > 0) pending = screen_tf(u, T_SYNC_PENDING, st.pending);
	if (!failed && !pending) return y;   /* the line above already says it all */
	/* From the whole line to the least that must be said. */
	if (failed && pending) choices[n++] = screen_str(u, "%s · %s · %s", last, failed, pending);
	else if (failed || pending) choices[n++] = screen_str(u, "%s · %s", last, failed ? failed : pending);
	if (failed && pending) choices[n++] = screen_str(u, "%s · %s", last, failed);
	if (failed) choices[n++] = screen_str(u, "%s · %s", last, T(u, T_SYNC_FAILED_SHORT));
	else choices[n++] = screen_str(u, "%s · %s", last, pending);
	/* the least, as a sentence of its own: the line above says when it last worked */
	if (failed) {
		char *alone = (char *)screen_str(u, "%s", T(u, T_SYNC_FAILED_SHORT));
		if (alone[0] >= 'a' && alone[0] <= 'z') alone[0] = (char)(alone[0] - 'a' + 'A');
		choices[n++] = alone;
	} else choices[n++] = pending;
	wd = ADD(u, .id = "staff.sync.state", .text = choices[0], .at = RECT(x, y, w, screen_lines_h(u, FONT_SMALL, lines)),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED | WF_WRAP);
	for (i = 1; i < n && !screen_text_fits(u, wd); i++) wd->text = choices[i];
	screen_fit_h(u, wd, wd->h);
	return y + wd->h + S(u, SIZE_STAFF_DETAIL_GAP);
}

/* The last sync and the clock, on one line; a clock that went back (the
 * receipts are dated by the kiosk's running clock, kclock.h) comes first.
 * brief: the last sync alone when the clock is not off (right, or not yet
 * measured). */
static const char *staff_sync_line(ui *u, const db_sync_state *st, int brief)
{
	const char *last = st->last_success ? screen_tf(u, T_SYNC_LAST, screen_format_time(u, st->last_success))
		: T(u, T_SYNC_NEVER);
	long long behind = u->clock.behind;   /* live: the stored one is for the self-check */
	if (brief && behind <= 0 && (!st->clock_known || st->clock_offset == 0)) return last;
	const char *clock = behind > 0 ? screen_tf(u, T_STAFF_CLOCK_BACK, span_text(u, behind))
		: !st->clock_known ? T(u, T_STAFF_CLOCK_UNKNOWN)
		: st->clock_offset == 0 ? T(u, T_STAFF_CLOCK_OK)
		/* the offset is the server's clock minus the kiosk's */
		: screen_tf(u, st->clock_offset > 0 ? T_STAFF_CLOCK_BEHIND : T_STAFF_CLOCK_AHEAD, span_text(u, st->clock_offset));
	return screen_str(u, "%s · %s", last, clock);
}

/* Requests by status, the ones there are: "Đang giải quyết: 2 · Đã có kết quả: 5". */
static const char *staff_status_line(ui *u, const db_counts *c)
{
	char line[1024] = "";
	int i;
	for (i = 0; status_names[i] && i < 16; i++) {
		size_t n = strlen(line);
		size_t mark = widget_mark(&u->wl);
		if (!c->by_status[i]) continue;
		widget_fmt(&u->wl, "staff status line", line + n, sizeof line - n, "%s%s: %lld", n ? " · " : "",
			screen_status_text(u, status_names[i]), c->by_status[i]);
		widget_release(&u->wl, mark);   /* the status text was scratch */
	}
	return screen_str(u, "%s", line);
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
			return r->files > 1 ? screen_tf(u, T_STAFF_EXPORT_MANY, r->count, r->files, base_name(r->path))
				: screen_tf(u, T_STAFF_EXPORT_OK, r->count, base_name(r->path));
		if (strcmp(r->command, "import") == 0) return screen_tf(u, T_STAFF_IMPORT_OK, r->count, r->sent, r->updates);
		return screen_tf(u, T_STAFF_SYNC_OK, r->sent, r->updates);
	}
	for (i = 0; i < sizeof run_failures / sizeof run_failures[0]; i++)
		if (strcmp(r->result, run_failures[i].result) == 0) return T(u, run_failures[i].text);
	return T(u, T_STAFF_START_FAILED);
}

/* The progress bar and the line under it, or the result with motcua-sync's
 * own words below it when they fit (they name files and commands): the
 * height they take. */
static int staff_run_area(ui *u, int x, int y, int w, int h)
{
	bgsync_run_state r;
	widget *wd;
	int bar = S(u, SIZE_PROGRESS_H), line = screen_lines_h(u, FONT_BODY, 1), failed = 0;
	int most = h < screen_lines_h(u, FONT_BODY, 3) ? h : screen_lines_h(u, FONT_BODY, 3);
	if (u->staff_start_failed) {
		wd = ADD(u, .id = "staff.result", .text = T(u, T_STAFF_START_FAILED), .at = RECT(x, y, w, line),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_ERROR | WF_WRAP);
		screen_fit_h(u, wd, most);
		return wd->h;
	}
	if (!u->staff_ops.read) return 0;
	u->staff_ops.read(u->staff_ops.ctx, &r);
	if (r.phase == BGSYNC_IDLE) return 0;
	if (r.phase == BGSYNC_WAITING || r.phase == BGSYNC_RUNNING) {
		int fill = r.total > 0 ? (int)(w * r.done / r.total) : 0;
		const char *text = r.phase == BGSYNC_WAITING ? T(u, T_STAFF_WAITING)
			: strcmp(r.command, "export") == 0 ? T(u, T_STAFF_WORKING_EXPORT)
			: strcmp(r.command, "import") == 0 ? T(u, T_STAFF_WORKING_IMPORT)
			: r.total > 0 ? screen_tf(u, T_STAFF_SENDING, r.done, r.total) : T(u, T_STAFF_WORKING_NOW);
		ADD(u, .id = "staff.bar", .at = RECT(x, y, w, bar), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_MUTED);
		if (fill > 0)
			ADD(u, .id = "staff.bar.fill", .at = RECT(x, y, fill, bar), .kind = W_PANEL, .font = FONT_BODY, .flags = WF_BAR);
		wd = ADD(u, .id = "staff.progress", .text = text, .at = RECT(x, y + bar + S(u, SIZE_PROGRESS_GAP), w, line),
			.kind = W_LABEL, .font = FONT_BODY);
		wd->value = screen_str(u, "%lld/%lld", r.done, r.total);
		return wd->y + wd->h - y;
	}
	wd = ADD(u, .id = "staff.result", .text = run_result(u, &r, &failed), .at = RECT(x, y, w, line),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_WRAP | (failed ? WF_ERROR : 0));
	screen_fit_h(u, wd, most);
	if (failed && r.message[0]) {
		int top = wd->y + wd->h + S(u, SIZE_STAFF_DETAIL_GAP);
		wd = ADD(u, .id = "staff.detail", .text = screen_str(u, "%s", r.message), .at = RECT(x, top, w, y + h - top),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_WRAP | WF_MUTED);
		/* the sentence above says enough */
		if (wd->h < screen_lines_h(u, FONT_SMALL, 1) || !screen_fit_h(u, wd, wd->h)) widget_drop_last(&u->wl);
	}
	return u->wl.items[u->wl.n - 1].y + u->wl.items[u->wl.n - 1].h - y;
}

/* HH:MM of a Unix time. */
static const char *clock_time(ui *u, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return screen_str(u, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* The printer: the test page button in the bottom row (*row_h high) and
 * the last outcome (printed, or why not) beside it from x on, the row
 * grown to two lines of it if need be, or on the whole width above the row
 * when it needs more. Laid out from y 0 (the caller moves them down): the
 * height used. */
static int staff_printer(ui *u, int x, int *row_h)
{
	int pad = S(u, SIZE_PAD), bw = screen_button_w(u, FONT_LARGE, T(u, T_STAFF_PRINT_TEST), S(u, SIZE_STAFF_PRINT_W));
	int above = 0;
	printout_state st;
	const char *state, *text = T(u, T_STAFF_PRINTER_NONE);
	unsigned flags = WF_MUTED;
	widget *label;
	if (u->printer) {
		printout_state_get(u->printer, &st);
		if (st.busy) state = T(u, T_PRINTER_BUSY);
		else if (u->print_queued < 0) state = screen_tf(u, T_PRINTER_FAILED, clock_time(u, (long long)time(NULL)),
			screen_printer_problem(u, ESCPOS_WRITE_FAILED));
		else if (!st.printed_any) state = T(u, T_PRINTER_IDLE);
		else if (st.result == ESCPOS_OK) state = screen_tf(u, T_PRINTER_PRINTED, clock_time(u, st.finished_at));
		else state = screen_tf(u, T_PRINTER_FAILED, clock_time(u, st.finished_at), screen_printer_problem(u, st.result));
		/* The device and the system's words are in the log and the self-check. */
		text = screen_tf(u, T_STAFF_PRINTER, state);
		flags = !st.busy && (u->print_queued < 0 || (st.printed_any && st.result != ESCPOS_OK)) ? WF_ERROR : 0;
	}
	label = ADD(u, .id = "staff.printer", .text = text,
		.at = RECT(x, 0, u->width - x - pad - (u->printer ? bw + pad : 0), *row_h), .kind = W_LABEL, .font = FONT_SMALL,
		.flags = WF_WRAP | WF_CENTER | flags);
	if (!screen_text_fits(u, label) && screen_lines_h(u, FONT_SMALL, 2) > *row_h) {
		label->h = screen_lines_h(u, FONT_SMALL, 2);
		if (screen_text_fits(u, label)) *row_h = label->h;
		else label->h = *row_h;
	}
	if (!screen_text_fits(u, label)) {
		label->x = pad;
		label->w = u->width - 2 * pad;
		screen_fit_h(u, label, screen_lines_h(u, FONT_SMALL, 3));
		above = label->h + S(u, SIZE_GAP);
	}
	if (u->printer)
		ADD(u, .id = "staff.print_test", .text = T(u, T_STAFF_PRINT_TEST), .at = RECT(u->width - bw - pad, above, bw, *row_h),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	return above + *row_h;
}

/* Sync, export and import, three buttons in a row, off while one runs. */
static void staff_run_buttons(ui *u, int y, int w, int bh)
{
	static const struct { const char *id; i18n_id text; unsigned flags; } buttons[] = {
		{ "staff.sync", T_STAFF_SYNC, WF_PRIMARY }, { "staff.export", T_STAFF_EXPORT, 0 },
		{ "staff.import", T_STAFF_IMPORT, 0 },
	};
	int pad = S(u, SIZE_PAD), bw = (w - 2 * pad) / 3, running, small = 0;
	bgsync_run_state r;
	size_t i;
	u->staff_ops.read(u->staff_ops.ctx, &r);
	running = r.phase == BGSYNC_WAITING || r.phase == BGSYNC_RUNNING;
	for (i = 0; i < sizeof buttons / sizeof buttons[0]; i++) {
		widget *b = ADD(u, .id = buttons[i].id, .text = T(u, buttons[i].text),
			.at = RECT((int)(i + 1) * pad + (int)i * bw, y, bw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = buttons[i].flags | WF_CENTER);
		b->enabled = !running;
		if (!screen_text_fits(u, b)) small = 1;
	}
	/* Larger text: staff read the three in the body's size, not cut. */
	for (i = 0; small && i < sizeof buttons / sizeof buttons[0]; i++) u->wl.items[u->wl.n - 1 - i].font = FONT_BODY;
}

/* A wrapped label from y, as tall as its text up to two lines: the y
 * below it. */
static int staff_line(ui *u, const char *id, const char *text, int y, widget_font font, unsigned flags)
{
	int pad = S(u, SIZE_PAD);
	widget *w = ADD(u, .id = id, .text = text, .at = RECT(pad, y, u->width - 2 * pad, 1), .kind = W_LABEL, .font = font,
		.flags = flags | WF_WRAP);
	screen_fit_h(u, w, screen_lines_h(u, font, 2));
	return y + w->h + S(u, SIZE_STAFF_DETAIL_GAP);
}

/* The height the run's progress or result needs under the buttons, at
 * least a line: laid out once to be measured, then taken back. */
static int staff_run_need(ui *u)
{
	int pad = S(u, SIZE_PAD), n = u->wl.n, need;
	size_t mark = widget_mark(&u->wl);
	need = staff_run_area(u, pad, 0, u->width - 2 * pad, u->height);
	u->wl.n = n;
	widget_release(&u->wl, mark);
	return need > screen_lines_h(u, FONT_BODY, 1) ? need : screen_lines_h(u, FONT_BODY, 1);
}

/* The counts and the sync lines from y, the least needed giving way first
 * as give grows (1: the sync state in one line; 2: without it, as the
 * run's result under the buttons is newer news; 3: the last sync without
 * a clock that is not off; 4: without the counts by status): the y below
 * them. */
static int staff_lines(ui *u, int y, int give)
{
	int pad = S(u, SIZE_PAD);
	db_counts counts;
	db_sync_state st;
	char err[256], today[11];
	cal_date_format(cal_from_time(time(NULL)), today);
	if (!u->store || db_count_by_status(u->store, today, &counts, err, sizeof err) != 0 ||
	    db_read_sync_state(u->store, &st, err, sizeof err) != 0)
		return staff_line(u, "staff.count", T(u, T_STAFF_NO_DB), y, FONT_BODY, WF_ERROR);
	y = staff_line(u, "staff.count", screen_tf(u, T_STAFF_COUNT, counts.total, st.pending, counts.overdue), y,
		FONT_BODY, 0);
	if (give < 4) y = staff_line(u, "staff.status", staff_status_line(u, &counts), y, FONT_SMALL, WF_MUTED);
	ui_receipt_time(u);       /* is the clock behind now? */
	y = staff_line(u, "staff.sync.last", staff_sync_line(u, &st, give >= 3), y, FONT_SMALL, u->clock.behind ? WF_ERROR : WF_MUTED);
	return give < 2 ? staff_sync_state(u, pad, y, u->width - 2 * pad, give ? 1 : 2) : y;
}

void screen_staff(ui *u)
{
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, bh = S(u, SIZE_STAFF_BUTTON_H), w = u->width - 2 * pad;
	int ew = screen_button_w(u, FONT_LARGE, T(u, T_STAFF_EXIT), S(u, SIZE_STAFF_EXIT_W));
	int row_h = bh, rh, printer, printer_end, i, give, n, gap = S(u, SIZE_GAP), need = 0, top = y;
	/* which kiosk this is: for staff, not for the citizens' home */
	screen_title_bar(u, screen_str(u, "%s · %s-%d", T(u, T_STAFF_TITLE), u->cfg->commune_code, u->cfg->kiosk_number),
		1, NULL, NULL);
	/* The bottom first: the printer's outcome may need a line above it. */
	printer = u->wl.n;
	rh = staff_printer(u, ew + 2 * pad, &row_h);
	printer_end = u->wl.n;
	/* Larger text: the lines give way until the buttons, never under a
	 * target, leave the run's progress or result its room under them. */
	if (u->staff_ops.start) need = staff_run_need(u);
	for (give = 0;; give++) {
		size_t mark = widget_mark(&u->wl);
		n = u->wl.n;
		y = staff_lines(u, top, give) + pad;
		if (!u->staff_ops.start || give == 4 || u->height - rh - 2 * pad - y - gap - need >= S(u, SIZE_TARGET)) break;
		u->wl.n = n;
		widget_release(&u->wl, mark);
	}
	if (u->staff_ops.start) {
		/* In larger text the buttons give up a little height (never below
		 * a target) for the run's result under them. */
		int room = u->height - rh - 2 * pad - y - gap - need;
		if (room < bh) bh = room > S(u, SIZE_TARGET) ? room : S(u, SIZE_TARGET);
		staff_run_buttons(u, y, w, bh);
		y += bh + gap;
		staff_run_area(u, pad, y, w, u->height - rh - 2 * pad - y);
	}
	ADD(u, .id = "staff.exit", .text = T(u, T_STAFF_EXIT), .at = RECT(pad, u->height - row_h - pad, ew, row_h),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	for (i = printer; i < printer_end; i++) u->wl.items[i].y += u->height - rh - pad;
}
