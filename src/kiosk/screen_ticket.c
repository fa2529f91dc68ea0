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
	int n = u->cat->nqueue_fields, cw, ch, wh = screen_lines_h(u, FONT_SMALL, 1);
	char day[11];
	screen_title_bar(u, T(u, T_TICKET_TITLE), 1, NULL, NULL);
	top += screen_label(u, "ticket.prompt", T(u, T_TICKET_CHOOSE), FONT_LARGE, WF_CENTER, pad, top, u->width - 2 * pad) + pad;
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
				.at = RECT(x + pad, y + ch - wh - S(u, SIZE_GAP), cw - 2 * pad, wh),
				.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_CENTER | WF_MUTED);
		}
	}
}

void screen_ticket_kind(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, bw, bh;
	const char *field = u->ticket_field ? u->ticket_field->name[u->language] : "";
	screen_title_bar(u, screen_str(u, "%s · %s", T(u, T_TICKET_TITLE), field), 1, NULL, NULL);
	top += screen_label(u, "ticket.kind.prompt", T(u, T_TICKET_KIND), FONT_LARGE, WF_CENTER, pad, top, u->width - 2 * pad) + pad;
	bw = (u->width - 3 * pad) / 2;
	bh = u->height - top - pad;
	ADD(u, .id = "ticket.normal", .text = T(u, T_TICKET_NORMAL), .at = RECT(pad, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	ADD(u, .id = "ticket.priority", .text = T(u, T_TICKET_PRIORITY), .at = RECT(2 * pad + bw, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER | WF_PRIMARY);
	/* under the words, which a button this tall carries in its upper half */
	ADD(u, .id = "ticket.priority.hint", .text = T(u, T_TICKET_PRIORITY_HINT),
		.at = RECT(3 * pad + bw, top + bh / 2, bw - 2 * pad, bh / 2 - S(u, SIZE_GAP)),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_PRIMARY | WF_CENTER | WF_WRAP);
}

/* A ticket that did not print is still taken: the screen says so. */
static const i18n_id print_words[3] = { T_TICKET_PRINT_BUSY, T_TICKET_PRINT_DONE, T_TICKET_PRINT_FAILED };

void screen_ticket_done(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, bh = S(u, SIZE_BUTTON_H);
	int dw = screen_button_w(u, FONT_LARGE, T(u, T_DONE), S(u, SIZE_DONE_W)), w = u->width - 2 * pad, nh, y;
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
	y += screen_label(u, "ticket.your", T(u, T_TICKET_YOUR), FONT_BODY, WF_CENTER | WF_MUTED, pad, y, w);
	nh = screen_lines_h(u, FONT_HUGE, 1);
	ADD(u, .id = "ticket.number", .text = screen_str(u, "%s", label), .at = RECT(pad, y, w, nh),
		.kind = W_LABEL, .font = FONT_HUGE, .flags = WF_CENTER);
	y += nh;
	y += screen_label(u, "ticket.field", screen_str(u, "%s%s%s", u->ticket_field->name[u->language],
			u->ticket.priority ? " · " : "", u->ticket.priority ? T(u, T_TICKET_PRIORITY) : ""),
		FONT_LARGE, WF_CENTER, pad, y, w) + S(u, SIZE_GAP);
	y += screen_label(u, "ticket.ahead", u->ticket_ahead > 0 ? screen_tf(u, T_TICKET_AHEAD, u->ticket_ahead)
		: T(u, T_TICKET_NEXT), FONT_BODY, WF_CENTER, pad, y, w);
	if (u->ticket_ahead > 0)
		y += screen_label(u, "ticket.wait", screen_tf(u, T_TICKET_WAIT, u->ticket_wait_min), FONT_BODY, WF_CENTER, pad, y, w);
	y += screen_label(u, "ticket.time", screen_str(u, "%s · %s", screen_format_time(u, u->ticket.taken_at),
		T(u, T_TICKET_WATCH)), FONT_SMALL, WF_MUTED | WF_CENTER, pad, y, w);
	screen_print_line(u, "ticket.print", print_words, pad, y, w - dw - pad);
}
