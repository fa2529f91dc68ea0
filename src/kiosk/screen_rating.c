/* screen_rating: the satisfaction rating's screens (see screen.h): with
 * a number or without, the number or code typed, one criterion a screen
 * with three large answers in words, the optional comment, and thanks or
 * why it was not taken. */
#include "screen.h"
#include <stdio.h>
#include <string.h>

static const i18n_id questions[RATING_N_CRITERIA] = {
	T_RATING_Q_RECEPTION, T_RATING_Q_TIME, T_RATING_Q_ATTITUDE, T_RATING_Q_RESULT, T_RATING_Q_OVERALL
};
static const i18n_id faces[3] = { T_RATING_FACE_1, T_RATING_FACE_2, T_RATING_FACE_3 };

/* A refusal (rating_msg) at y, full width: the height it took. */
static int message(ui *u, int y)
{
	int pad = S(u, SIZE_PAD);
	if (u->rating_msg < 0) return 0;
	return screen_label(u, "rating.msg", T(u, (i18n_id)u->rating_msg), FONT_SMALL, WF_ERROR | WF_CENTER, pad, y,
		u->width - 2 * pad) + pad;
}

/* A button's height, at most h: the renderer carries the words of a
 * button over 150 design pixels high in its upper half, so when the
 * words (of a or b) need more than half of h the button is made no
 * taller than that, and they get it all. */
static int words_fit(ui *u, int w, int h, const char *a, const char *b)
{
	widget la = { .text = a, .w = w - S(u, WIDGET_BUTTON_INSET), .kind = W_LABEL, .font = FONT_LARGE, .flags = WF_WRAP };
	widget lb = la;
	int need;
	lb.text = b;
	screen_fit_h(u, &la, u->height);
	screen_fit_h(u, &lb, u->height);
	need = (la.h > lb.h ? la.h : lb.h) + S(u, WIDGET_BUTTON_INSET);
	if (h > (int)(150 * u->scale) && 2 * need > h) return need > (int)(150 * u->scale) ? h : (int)(150 * u->scale);
	return h;
}

void screen_rating_how(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, bw, bh;
	screen_title_bar(u, T(u, T_RATING_TITLE), 1, NULL, NULL);
	top += screen_label(u, "rating.how", T(u, T_RATING_HOW), FONT_LARGE, WF_CENTER, pad, top, u->width - 2 * pad) + pad;
	top += message(u, top);
	bw = (u->width - 3 * pad) / 2;
	bh = u->height - top - pad;
	if (bh > S(u, SIZE_RATING_FACE_H)) bh = S(u, SIZE_RATING_FACE_H);
	bh = words_fit(u, bw, bh, T(u, T_RATING_WITH), T(u, T_RATING_WITHOUT));
	ADD(u, .id = "rating.with", .text = T(u, T_RATING_WITH), .at = RECT(pad, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	ADD(u, .id = "rating.without", .text = T(u, T_RATING_WITHOUT), .at = RECT(2 * pad + bw, top, bw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
}

void screen_rating_entry(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), y = S(u, SIZE_BAR_H) + pad, full = u->width - 2 * pad;
	/* the input as tall as its line, and a finger's 9 mm */
	int ih = screen_lines_h(u, FONT_CODE, 1) + 2 * (u->scale < 1.5f ? 1 : 2), finger = (int)(9.0f * u->px_per_mm + 0.999f);
	widget *in;
	screen_title_bar(u, T(u, T_RATING_TITLE), 1, "rating.next", T(u, T_RATING_NEXT));
	/* A refusal takes the hint's place, closer to the bar, so the keys
	 * keep their room. */
	if (u->rating_msg >= 0)
		y += screen_label(u, "rating.msg", T(u, (i18n_id)u->rating_msg), FONT_SMALL, WF_ERROR, pad, y - pad + gap, full)
			- pad + gap;
	else
		y += screen_label(u, "rating.entry_hint", T(u, T_RATING_ENTRY_HINT), FONT_BODY, 0, pad, y, full) + gap;
	if (ih < finger) ih = finger;
	in = ADD(u, .id = "rating.entry", .text = u->rating_entry, .at = RECT(pad, y, full, ih),
		.kind = W_INPUT, .font = FONT_CODE, .flags = WF_TAIL | WF_CURSOR | (u->rating_msg >= 0 ? WF_ERROR : 0));
	in->value = u->rating_entry;
	y += ih + (u->rating_msg >= 0 ? 0 : gap);
	screen_keyboard(u, KB_CODE, kb_rows(KB_CODE, 0, 0), y);
}

void screen_rating_ask(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad;
	int step = u->rating_step, bw = (u->width - 4 * pad) / 3, bh, i;
	screen_title_bar(u, T(u, T_RATING_TITLE), 1, NULL, NULL);
	top += screen_label(u, "rating.step", screen_tf(u, T_RATING_STEP, step + 1, RATING_N_CRITERIA), FONT_SMALL,
		WF_CENTER | WF_MUTED, pad, top, u->width - 2 * pad);
	top += screen_label(u, "rating.question", T(u, questions[step]), FONT_LARGE, WF_CENTER, pad, top, u->width - 2 * pad) + pad;
	bh = u->height - top - pad;
	if (bh > S(u, SIZE_RATING_FACE_H)) bh = S(u, SIZE_RATING_FACE_H);
	/* Best on the left, as the paper forms print them. */
	for (i = 0; i < 3; i++) {
		int face = RATING_FACE_MAX - i;
		char id[24];
		widget_fmt(&u->wl, "rating face id", id, sizeof id, "rating.face.%d", face);
		ADD(u, .id = id, .text = T(u, faces[face - 1]), .at = RECT(pad + i * (bw + pad), top, bw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE,
			.flags = WF_CENTER | (face == 3 ? WF_PRIMARY : face == 1 ? WF_WARN : 0)
				| (u->rating.faces[step] == face ? WF_SELECTED : 0));
	}
}

void screen_rating_comment(ui *u)
{
	int pad = S(u, SIZE_PAD), y = S(u, SIZE_BAR_H) + pad, full = u->width - 2 * pad, h = S(u, SIZE_RATING_COMMENT_H);
	widget *in;
	screen_title_bar(u, T(u, T_RATING_TITLE), 1, "rating.send", T(u, T_RATING_SEND));
	y += screen_label(u, "rating.comment_hint", T(u, T_RATING_COMMENT), FONT_BODY, 0, pad, y, full) + S(u, SIZE_GAP);
	/* two lines of what was typed, inside the input's inset; with larger
	 * text the keys need that room, and the input shows the last line */
	if (u->text_scale <= 1.0f && h < screen_lines_h(u, FONT_BODY, 2) + S(u, WIDGET_BUTTON_INSET))
		h = screen_lines_h(u, FONT_BODY, 2) + S(u, WIDGET_BUTTON_INSET);
	in = ADD(u, .id = "rating.comment", .text = u->rating.comment, .at = RECT(pad, y, full, h),
		.kind = W_INPUT, .font = FONT_BODY, .flags = WF_TAIL | WF_CURSOR | WF_WRAP);
	in->value = u->rating.comment;
	y += h + pad;
	screen_keyboard(u, KB_TEXT, kb_rows(KB_TEXT, u->kb_layer, ui_vni_digits(u)), y);
}

void screen_rating_done(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, bh = S(u, SIZE_BUTTON_H);
	int dw = screen_button_w(u, FONT_LARGE, T(u, T_DONE), S(u, SIZE_DONE_W));
	int ok = u->rating_result == RATING_STORED;
	i18n_id text = ok ? T_RATING_THANKS : u->rating_result == RATING_DUPLICATE ? T_RATING_DUPLICATE
		: u->rating_result == RATING_LIMITED ? T_RATING_LIMITED : u->rating_result == RATING_UNKNOWN ? T_RATING_UNKNOWN
		: T_RATING_ERROR;
	screen_title_bar(u, T(u, T_RATING_TITLE), 0, NULL, NULL);
	ADD(u, .id = "rating.result", .text = T(u, text), .at = RECT(pad, top, u->width - 2 * pad, u->height - top - bh - 2 * pad),
		.kind = W_LABEL, .font = FONT_LARGE, .flags = WF_CENTER | WF_WRAP | (ok ? 0 : WF_ERROR));
	ADD(u, .id = "rating.done", .text = T(u, T_DONE), .at = RECT(u->width - dw - pad, u->height - bh - pad, dw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
