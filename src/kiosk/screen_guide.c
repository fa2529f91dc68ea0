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
	screen_title_bar(u, T(u, T_GUIDE_TITLE), 1, NULL, NULL);
	screen_procedure_list(u, "guide.proc", u->guide_page, 0);
}

static const i18n_id print_words[3] = { T_GUIDE_PRINT_BUSY, T_GUIDE_PRINT_DONE, T_GUIDE_PRINT_FAILED };

/* The guide's parts, in order: the time, the fee, the place, the papers'
 * heading and each paper. */
enum { GUIDE_PARTS = 4 + CATALOG_MAX_PAPERS };
typedef struct { char id[32]; const char *text; widget_font font; int h, page; } guide_part;

static int guide_parts(ui *u, const catalog_procedure *p, guide_part *parts)
{
	int n = 0, i;
	parts[n++] = (guide_part){ "guide.time", screen_str(u, "%s: %s", T(u, T_GUIDE_TIME), duration(u, p)), FONT_SMALL, 0, 0 };
	if (p->fee[u->language][0])
		parts[n++] = (guide_part){ "guide.fee", screen_str(u, "%s: %s", T(u, T_GUIDE_FEE), p->fee[u->language]), FONT_SMALL, 0, 0 };
	if (p->where[u->language][0])
		parts[n++] = (guide_part){ "guide.where", screen_str(u, "%s: %s", T(u, T_GUIDE_WHERE), p->where[u->language]),
			FONT_SMALL, 0, 0 };
	parts[n++] = (guide_part){ "guide.papers", T(u, T_GUIDE_PAPERS), FONT_BODY, 0, 0 };
	for (i = 0; i < p->npapers && n < GUIDE_PARTS; i++, n++) {
		parts[n] = (guide_part){ "", screen_str(u, "• %s", p->papers[i][u->language]), FONT_SMALL, 0, 0 };
		widget_fmt(&u->wl, "guide paper id", parts[n].id, sizeof parts[n].id, "guide.paper.%d", i);
	}
	return n;
}

/* The parts one under the other, each as tall as its lines, left of the
 * portal's QR code and its words; what does not fit goes on the next
 * page (larger text on a small screen), and the way on (Done, or on to
 * the form) comes on the last, after every paper has been seen. */
void screen_guide(ui *u)
{
	const catalog_procedure *p = u->guide;
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), top = S(u, SIZE_BAR_H) + pad, bh = S(u, SIZE_BUTTON_H);
	int qr = 0, col = u->width / 4, x = pad, w, y, i, n, pages = 1, bottom, right;
	guide_part parts[GUIDE_PARTS];
	char url[256];
	if (!p) return;
	screen_title_bar(u, p->name[u->language], 1, NULL, NULL);
	catalog_portal_url(p, url, sizeof url);
	bottom = u->height - bh - 2 * pad;
	if (url[0]) {
		const char *portal = screen_tf(u, T_GUIDE_PORTAL, p->portal_code);
		widget l = { .text = portal, .w = col, .kind = W_LABEL, .font = FONT_SMALL, .flags = WF_CENTER | WF_WRAP };
		/* a code big enough to scan: a wider column when its words are tall */
		screen_fit_h(u, &l, bottom - top);
		if (bottom - top - l.h - gap < S(u, SIZE_GUIDE_QR_MIN)) col = u->width / 3;
		qr = bottom - top - screen_label(u, "guide.portal", portal, FONT_SMALL, WF_CENTER | WF_MUTED,
			u->width - pad - col, top, col) - gap;
		if (qr > col) qr = col;
		ADD(u, .id = "guide.qr", .text = screen_str(u, "%s", url), .at = RECT(u->width - pad - col + (col - qr) / 2, top, qr, qr),
			.kind = W_QR, .font = FONT_SMALL);
		u->wl.items[u->wl.n - 2].y = top + qr + gap;     /* the words under the code */
	}
	w = u->width - 2 * pad - (qr ? col + pad : 0);
	n = guide_parts(u, p, parts);
	for (i = 0, y = top; i < n; i++) {
		widget l = { .text = parts[i].text, .w = w, .kind = W_LABEL, .font = parts[i].font, .flags = WF_WRAP };
		int before = strcmp(parts[i].id, "guide.papers") == 0 ? gap : 0;
		screen_fit_h(u, &l, bottom - top);
		parts[i].h = l.h;
		if (y + before + l.h > bottom && y > top) { pages++; y = top; before = 0; }
		parts[i].page = pages - 1;
		y += before + l.h;
		parts[i].h += before;    /* the gap above the papers, on its page */
	}
	if (u->guide_part_page >= pages) u->guide_part_page = pages - 1;
	for (i = 0, y = top; i < n; i++) {
		int before;
		if (parts[i].page != u->guide_part_page) continue;
		before = y > top && strcmp(parts[i].id, "guide.papers") == 0 ? gap : 0;
		y += before;
		y += screen_label(u, parts[i].id, parts[i].text, parts[i].font, 0, x, y, w);
	}
	/* the row at the bottom: print, what the printer did, the pages, and
	 * the way on (Done, or on to the form), on every page */
	y = u->height - bh - pad;
	right = u->width - pad;
	{
		i18n_id on = u->guide_filing ? T_GUIDE_CONTINUE : T_DONE;
		int ow = screen_button_w(u, FONT_LARGE, T(u, on), S(u, u->guide_filing ? SIZE_REVIEW_SUBMIT_W : SIZE_DONE_W));
		ADD(u, .id = u->guide_filing ? "guide.continue" : "guide.done", .text = T(u, on), .at = RECT(right - ow, y, ow, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
		right -= ow + pad;
	}
	if (u->guide_part_page + 1 < pages) {
		const char *more = screen_str(u, "%s (%d/%d)", T(u, T_PAGE_NEXT), u->guide_part_page + 1, pages);
		int mw = screen_button_w(u, FONT_BODY, more, S(u, SIZE_TARGET));
		int prev_w = u->guide_part_page > 0 ? screen_button_w(u, FONT_BODY, T(u, T_PAGE_PREV), S(u, SIZE_TARGET)) + pad : 0;
		if (right - pad - mw - prev_w < 0) {     /* no room for the count: the words alone */
			more = T(u, T_PAGE_NEXT);
			mw = screen_button_w(u, FONT_BODY, more, S(u, SIZE_TARGET));
		}
		ADD(u, .id = "guide.page.more", .text = more, .at = RECT(right - mw, y, mw, bh), .kind = W_BUTTON, .font = FONT_BODY,
			.flags = WF_CENTER);
		right -= mw + pad;
	}
	if (u->guide_part_page > 0) {
		int pw = screen_button_w(u, FONT_BODY, T(u, T_PAGE_PREV), S(u, SIZE_TARGET));
		ADD(u, .id = "guide.page.prev", .text = T(u, T_PAGE_PREV), .at = RECT(right - pw, y, pw, bh),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER);
		right -= pw + pad;
	}
	if (u->printer) {
		int pw = screen_button_w(u, FONT_BODY, T(u, T_GUIDE_PRINT), S(u, SIZE_ERROR_BUTTON_W));
		ADD(u, .id = "guide.print", .text = T(u, T_GUIDE_PRINT), .at = RECT(pad, y, pw, bh),
			.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER | WF_WRAP);
		screen_print_line(u, "guide.print_state", print_words, 2 * pad + pw, y, right - 2 * pad - pw);
	}
}
