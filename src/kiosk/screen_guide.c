/* screen_guide: procedure guidance (see screen.h): the list of procedures
 * and one procedure's papers, fee, time and place, with the QR code to its
 * page on the national portal. */
#include "screen.h"
#include <stdio.h>
#include <string.h>

static const char *duration(ui *u, const catalog_procedure *p)
{
	return p->working_days < 0 ? screen_tf(u, T_CALENDAR_DAYS, p->calendar_days)
		: p->working_days == 0 ? T(u, T_SAME_DAY) : screen_tf(u, T_WORKING_DAYS, p->working_days);
}

void screen_guide_list(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, per = screen_procedures_per_page(u), i;
	int first = u->guide_page * per, cw = (u->width - 3 * pad) / 2, rh = screen_procedure_row_h(u);
	int pages = (u->cat->nprocedures + per - 1) / per;
	screen_title_bar(u, T(u, T_GUIDE_TITLE), 1, NULL, NULL);
	for (i = first; i < u->cat->nprocedures && i < first + per; i++) {
		const catalog_procedure *p = &u->cat->procedures[i];
		int k = i - first, x = pad + (k % 2) * (cw + pad), y = top + (k / 2) * (rh + pad);
		char id[64];
		widget_fmt(&u->wl, "guide id", id, sizeof id, "guide.proc.%s", p->id);
		ADD(u, .id = id, .text = p->name[u->language], .at = RECT(x, y, cw, rh), .kind = W_BUTTON, .font = FONT_BODY,
			.flags = WF_WRAP);
	}
	if (pages > 1) screen_pages(u, "guide.proc", u->guide_page, pages);
}

static const i18n_id print_words[3] = { T_GUIDE_PRINT_BUSY, T_GUIDE_PRINT_DONE, T_GUIDE_PRINT_FAILED };

void screen_guide(ui *u)
{
	const catalog_procedure *p = u->guide;
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, line = screen_lines_h(u, FONT_SMALL, 1), bh = S(u, SIZE_BUTTON_H);
	int qr, x, w, y, i, bw = S(u, SIZE_REVIEW_SUBMIT_W), pw = S(u, SIZE_ERROR_BUTTON_W);
	char url[256], id[32];
	if (!p) return;
	screen_title_bar(u, p->name[u->language], 1, NULL, NULL);
	catalog_portal_url(p, url, sizeof url);
	qr = url[0] ? u->height - top - bh - 3 * pad - 3 * line : 0;
	if (qr > u->width / 4) qr = u->width / 4;
	x = pad;
	w = u->width - 2 * pad - (qr ? qr + pad : 0);
	y = top;
	/* Each part as tall as its lines, one under the other. */
	y += screen_label(u, "guide.time", screen_str(u, "%s: %s", T(u, T_GUIDE_TIME), duration(u, p)), FONT_SMALL, 0, x, y, w);
	if (p->fee[u->language][0])
		y += screen_label(u, "guide.fee", screen_str(u, "%s: %s", T(u, T_GUIDE_FEE), p->fee[u->language]), FONT_SMALL, 0, x, y, w);
	if (p->where[u->language][0])
		y += screen_label(u, "guide.where", screen_str(u, "%s: %s", T(u, T_GUIDE_WHERE), p->where[u->language]), FONT_SMALL, 0,
			x, y, w);
	y += S(u, SIZE_GAP);
	y += screen_label(u, "guide.papers", T(u, T_GUIDE_PAPERS), FONT_BODY, 0, x, y, w);
	for (i = 0; i < p->npapers; i++) {
		widget_fmt(&u->wl, "guide paper id", id, sizeof id, "guide.paper.%d", i);
		y += screen_label(u, id, screen_str(u, "• %s", p->papers[i][u->language]), FONT_SMALL, 0, x, y, w);
	}
	if (qr) {
		ADD(u, .id = "guide.qr", .text = screen_str(u, "%s", url), .at = RECT(u->width - pad - qr, top, qr, qr),
			.kind = W_QR, .font = FONT_SMALL);
		screen_label(u, "guide.portal", screen_tf(u, T_GUIDE_PORTAL, p->portal_code), FONT_SMALL, WF_CENTER | WF_MUTED,
			u->width - pad - qr - pad, top + qr, qr + pad);
	}
	y = u->height - bh - pad;
	bw = screen_button_w(u, FONT_LARGE, T(u, T_GUIDE_CONTINUE), bw);
	if (u->printer) {
		ADD(u, .id = "guide.print", .text = T(u, T_GUIDE_PRINT), .at = RECT(pad, y, pw, bh),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER | WF_WRAP);
		screen_print_line(u, "guide.print_state", print_words, 2 * pad + pw, y, u->width - 4 * pad - pw - bw);
	}
	if (u->guide_filing)
		ADD(u, .id = "guide.continue", .text = T(u, T_GUIDE_CONTINUE), .at = RECT(u->width - bw - pad, y, bw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	else
		ADD(u, .id = "guide.done", .text = T(u, T_DONE), .at = RECT(u->width - S(u, SIZE_DONE_W) - pad, y, S(u, SIZE_DONE_W), bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
