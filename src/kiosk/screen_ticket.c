/* screen_ticket: the queue-number screens (see screen.h): the fields of
 * work, one decision (priority or not), and the number taken, very large,
 * with its field, the time, how many wait before it and a fair estimate. */
#include "screen.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "vntime.h"

void screen_ticket(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, cols = 2, i, rows;
	int n = u->cat->nqueue_fields, ph = S(u, SIZE_TICKET_PROMPT_H), cw, ch;
	char day[11];
	screen_title_bar(u, T(u, T_TICKET_TITLE), 1, NULL, NULL);
	ADD(u, .id = "ticket.prompt", .text = T(u, T_TICKET_CHOOSE), .at = RECT(pad, top, u->width - 2 * pad, ph),
		.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER);
	top += ph + pad;
	if (n > 6) cols = 3;
	rows = (n + cols - 1) / cols;
	if (rows < 1) rows = 1;
	cw = (u->width - (cols + 1) * pad) / cols;
	ch = (u->height - top - pad - (rows - 1) * pad) / rows;
	if (ch > S(u, SIZE_TICKET_FIELD_H) * 2) ch = S(u, SIZE_TICKET_FIELD_H) * 2;
	cal_date_format(vntime_date((long long)time(NULL)), day);     /* the day numbers count in (queue.h) */
	for (i = 0; i < n; i++) {
		const catalog_queue_field *f = &u->cat->queue_fields[i];
		int x = pad + (i % cols) * (cw + pad), y = top + (i / cols) * (ch + pad);
		int waiting = u->store ? queue_waiting(u->store, day, f->id) : -1;
		char id[48];
		widget_fmt(&u->wl, "ticket field id", id, sizeof id, "ticket.field.%s", f->id);
		ADD(u, .id = id, .text = screen_str(u, "%s · %s", f->prefix, f->name[u->language]), .at = RECT(x, y, cw, ch),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER | WF_WRAP);
		if (waiting >= 0) {
			widget_fmt(&u->wl, "ticket field id", id, sizeof id, "ticket.field.%s.waiting", f->id);
			ADD(u, .id = id, .text = screen_tf(u, T_TICKET_WAITING, waiting),
				.at = RECT(x + pad, y + ch - S(u, SIZE_SMALL_LINE_H) - S(u, SIZE_GAP), cw - 2 * pad, S(u, SIZE_SMALL_LINE_H)),
				.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_CENTER | WF_MUTED);
		}
	}
}

void screen_ticket_kind(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, ph = S(u, SIZE_TICKET_PROMPT_H), bw, bh;
	const char *field = u->ticket_field ? u->ticket_field->name[u->language] : "";
	screen_title_bar(u, screen_str(u, "%s · %s", T(u, T_TICKET_TITLE), field), 1, NULL, NULL);
	ADD(u, .id = "ticket.kind.prompt", .text = T(u, T_TICKET_KIND), .at = RECT(pad, top, u->width - 2 * pad, ph),
		.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER);
	top += ph + pad;
	bw = (u->width - 3 * pad) / 2;
	bh = u->height - top - pad;
	ADD(u, .id = "ticket.normal", .text = T(u, T_TICKET_NORMAL), .at = RECT(pad, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "ticket.priority", .text = T(u, T_TICKET_PRIORITY), .at = RECT(2 * pad + bw, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER | WF_PRIMARY);
	ADD(u, .id = "ticket.priority.hint", .text = T(u, T_TICKET_PRIORITY_HINT),
		.at = RECT(3 * pad + bw, top + bh - S(u, SIZE_HOME_HINT_UP), bw - 2 * pad, S(u, SIZE_HOME_HINT_H)),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_PRIMARY | WF_CENTER | WF_WRAP);
}

/* A ticket that did not print is still taken: the screen says so. */
static const i18n_id print_words[3] = { T_TICKET_PRINT_BUSY, T_TICKET_PRINT_DONE, T_TICKET_PRINT_FAILED };

void screen_ticket_done(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, row = S(u, SIZE_LINE_H), bh = S(u, SIZE_BUTTON_H);
	int dw = S(u, SIZE_DONE_W), w = u->width - 2 * pad, nh = S(u, SIZE_TICKET_NUMBER_H), y;
	char label[16];
	screen_title_bar(u, T(u, T_TICKET_TITLE), 0, NULL, NULL);
	ADD(u, .id = "ticket.done", .text = T(u, T_DONE), .at = RECT(u->width - dw - pad, u->height - bh - pad, dw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	if (u->ticket_ok < 0 || !u->ticket_field) {
		ADD(u, .id = "ticket.error", .text = T(u, T_TICKET_ERROR), .at = RECT(pad, top, w, u->height - top - bh - 2 * pad),
			.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER | WF_WRAP | WF_ERROR);
		return;
	}
	queue_label(u->ticket_field->prefix, u->ticket.number, label, sizeof label);
	y = top;
	ADD(u, .id = "ticket.your", .text = T(u, T_TICKET_YOUR), .at = RECT(pad, y, w, row),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER | WF_MUTED);
	y += row;
	ADD(u, .id = "ticket.number", .text = screen_str(u, "%s", label), .at = RECT(pad, y, w, nh),
		.kind = W_LABEL, .font = FONT_HUGE, .flags = WF_CENTER);
	y += nh;
	ADD(u, .id = "ticket.field", .text = screen_str(u, "%s%s%s", u->ticket_field->name[u->language],
			u->ticket.priority ? " · " : "", u->ticket.priority ? T(u, T_TICKET_PRIORITY) : ""),
		.at = RECT(pad, y, w, S(u, SIZE_LINE_H + 8)), .kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER);
	y += S(u, SIZE_LINE_H + 8) + S(u, SIZE_GAP);
	ADD(u, .id = "ticket.ahead", .text = u->ticket_ahead > 0 ? screen_tf(u, T_TICKET_AHEAD, u->ticket_ahead)
			: T(u, T_TICKET_NEXT), .at = RECT(pad, y, w, row), .kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER);
	y += row;
	if (u->ticket_ahead > 0) {
		ADD(u, .id = "ticket.wait", .text = screen_tf(u, T_TICKET_WAIT, u->ticket_wait_min),
			.at = RECT(pad, y, w, row), .kind = W_LABEL, .font = FONT_BODY, .flags = WF_CENTER);
		y += row;
	}
	ADD(u, .id = "ticket.time", .text = screen_str(u, "%s · %s", screen_format_time(u, u->ticket.taken_at),
			T(u, T_TICKET_WATCH)), .at = RECT(pad, y, w, row),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED | WF_CENTER);
	y += row;
	screen_print_line(u, "ticket.print", print_words, pad, y, w - dw - pad);
}
