/* screen_ticket: the queue-number screens (see screen.h): the fields of
 * work, one decision (priority or not), and the number taken, very large,
 * with its field, the time, how many wait before it and a fair estimate. */
#include "screen.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "vntime.h"

/* A field's words: its letter and name. */
static const char *field_text(ui *u, const catalog_queue_field *f)
{
	return screen_str(u, "%s · %s", f->prefix, f->name[u->language]);
}

/* How many wait for f (-1: no store to ask). */
static int waiting(ui *u, const catalog_queue_field *f)
{
	char day[11];
	cal_date_format(vntime_date((long long)time(NULL)), day);     /* the day numbers count in (queue.h) */
	return u->store ? queue_waiting(u->store, day, f->id) : -1;
}

/* Whether how many wait goes beside the field's words in a card w wide
 * (one card a row, and the words on one line left of it), else under
 * them. */
static int fits_beside(ui *u, const catalog_queue_field *f, int w, int one_a_row)
{
	int many = waiting(u, f);
	return one_a_row && screen_text_w(u, FONT_LARGE, field_text(u, f)) + S(u, SIZE_GAP) +
		screen_text_w(u, FONT_SMALL, screen_tf(u, T_TICKET_WAITING, many > 0 ? many : 0)) <= w - S(u, WIDGET_BUTTON_INSET);
}

static int words_h(ui *u, const catalog_queue_field *f, int w)
{
	widget l = { .text = field_text(u, f), .w = w, .kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP };
	screen_fit_h(u, &l, u->height);
	return l.h;
}

/* The height f's card needs, w wide. */
static int card_h(ui *u, const catalog_queue_field *f, int w, int one_a_row)
{
	int inset = S(u, WIDGET_BUTTON_INSET) / 2, h = words_h(u, f, w - 2 * inset), need;
	need = fits_beside(u, f, w, one_a_row) ? h + 2 * inset : inset + h + screen_lines_h(u, FONT_SMALL, 1) + S(u, SIZE_GAP) / 2;
	/* the renderer measures the words of a button over 150 high in its upper half */
	if (need > (int)(150 * u->scale) && need < 2 * h) need = 2 * h;
	return need > S(u, SIZE_TARGET) ? need : S(u, SIZE_TARGET);
}

static void card(ui *u, const catalog_queue_field *f, int x, int y, int w, int h, int one_a_row)
{
	int inset = S(u, WIDGET_BUTTON_INSET) / 2, nh = words_h(u, f, w - 2 * inset), many = waiting(u, f);
	int wh = screen_lines_h(u, FONT_SMALL, 1);
	char id[48];
	widget_fmt(&u->wl, "ticket field id", id, sizeof id, "ticket.field.%s", f->id);
	ADD(u, .id = id, .text = field_text(u, f), .at = RECT(x, y, w, h), .kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_WRAP);
	if (many < 0) return;
	widget_fmt(&u->wl, "ticket field id", id, sizeof id, "ticket.field.%s.waiting", f->id);
	if (fits_beside(u, f, w, one_a_row)) {
		const char *text = screen_tf(u, T_TICKET_WAITING, many);
		int tw = screen_text_w(u, FONT_SMALL, text);
		ADD(u, .id = id, .text = text, .at = RECT(x + w - inset - tw, y + inset + (nh - wh) / 2, tw, wh),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
	} else
		ADD(u, .id = id, .text = screen_tf(u, T_TICKET_WAITING, many), .at = RECT(x + inset, y + inset + nh, w - 2 * inset, wh),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
}

/* The fields as cards, the field at the top and how many wait under it,
 * two or three a row; when they do not fit so (larger text on a small
 * screen), one a row, each as tall as it needs, with how many wait beside
 * the words, and pages if need be. */
void screen_ticket(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), top = S(u, SIZE_BAR_H) + pad, cols = 2, i, rows, room, ch, cw;
	int n = u->cat->nqueue_fields, h[CATALOG_MAX_QUEUE_FIELDS], page[CATALOG_MAX_QUEUE_FIELDS], pages = 1, y, sum = 0, space;
	screen_title_bar(u, T(u, T_TICKET_TITLE), 1, NULL, NULL);
	top += screen_label(u, "ticket.prompt", T(u, T_TICKET_CHOOSE), FONT_LARGE, WF_CENTER, pad, top, u->width - 2 * pad) + pad;
	room = u->height - top - pad;
	if (n > 6) cols = 3;
	rows = (n + cols - 1) / cols;
	if (rows < 1) rows = 1;
	cw = (u->width - (cols + 1) * pad) / cols;
	ch = (room - (rows - 1) * pad) / rows;
	if (ch > S(u, SIZE_TICKET_FIELD_H) * 2) ch = S(u, SIZE_TICKET_FIELD_H) * 2;
	for (i = 0; i < n; i++)
		if (card_h(u, &u->cat->queue_fields[i], cw, 0) > ch) break;
	if (i == n) {
		for (i = 0; i < n; i++)
			card(u, &u->cat->queue_fields[i], pad + (i % cols) * (cw + pad), top + (i / cols) * (ch + pad), cw, ch, 0);
		return;
	}
	cw = u->width - 2 * pad;
	for (i = 0; i < n; i++) sum += h[i] = card_h(u, &u->cat->queue_fields[i], cw, 1);
	space = sum + (n - 1) * pad <= room ? pad : gap;
	if (sum + (n - 1) * space > room) room -= S(u, SIZE_TARGET) + pad;     /* the page buttons' room */
	for (i = 0, y = top; i < n; i++) {
		if (y + h[i] > top + room && y > top) { pages++; y = top; }
		page[i] = pages - 1;
		y += h[i] + space;
	}
	if (u->ticket_page >= pages) u->ticket_page = pages - 1;
	for (i = 0, y = top; i < n; i++) {
		if (page[i] != u->ticket_page) continue;
		card(u, &u->cat->queue_fields[i], pad, y, cw, h[i], 1);
		y += h[i] + space;
	}
	if (pages > 1) screen_pages(u, "ticket.field", u->ticket_page, pages);
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
