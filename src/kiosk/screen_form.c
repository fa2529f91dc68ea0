/* screen_form: filing a request (see screen.h): the form with its on-screen
 * keyboard, the review of what will be filed, and the receipt. */
#include "screen.h"
#include "token.h"
#include "utf8.h"
#include "viet.h"
#include <stdio.h>
#include <string.h>

/* ---- the on-screen keyboard ---- */

/* What a key shows: a letter in the case it will type, a tone on an a,
 * the input method, or the name of what it does. */
static const char *key_label(ui *u, const kb_key *k)
{
	switch (k->action) {
	case KB_CHAR:
		if (k->ch >= 'a' && k->ch <= 'z' && ui_shift_active(u)) return screen_str(u, "%c", k->ch - 'a' + 'A');
		break;
	case KB_TONE: if (k->ch == '0') return T(u, T_KEY_TONE_NONE); break;
	case KB_VIET:
		if (ui_shift_active(u)) {
			size_t pos = 0;
			viet_letter l;
			char enc[4];
			if (viet_letter_of(utf8_decode(k->label, strlen(k->label), &pos), &l)) {
				l.upper = 1;
				return screen_str(u, "%.*s", (int)utf8_encode(viet_letter_cp(&l), enc), enc);
			}
		}
		break;
	case KB_IME: case KB_GAP: case KB_SHIFT: break;
	case KB_SPACE: return T(u, T_KEY_SPACE);
	case KB_BACKSPACE: return T(u, T_KEY_DELETE);
	case KB_ENTER: return u->screen == SCREEN_LOOKUP ? T(u, T_LOOKUP_SUBMIT) : T(u, T_KEY_NEXT);
	case KB_LAYER: break;
	}
	return k->label;
}

/* The least size of a touch target on this screen: 9 mm. */
static int target_px(const ui *u)
{
	return u->px_per_mm > 0 ? (int)(u->px_per_mm * 9.0f + 0.999f) : S(u, SIZE_TARGET);
}

int screen_keyboard_h(ui *u, int rows)
{
	return rows * target_px(u) + (rows + 1) * S(u, SIZE_GAP);
}

static void emit_key(void *user, const kb_key *k, int x, int y, int w, int h)
{
	ui *u = user;
	char id[48];
	unsigned flags = WF_CENTER;
	int letter = k->action == KB_CHAR || k->action == KB_VIET || (k->action == KB_TONE && k->ch != '0');
	widget *wd;
	if (k->action == KB_SHIFT && ui_shift_active(u)) flags |= WF_SELECTED;
	/* the two methods are one switch: the one in use is lit */
	if (k->action == KB_IME && (k->ch == 'v') == (u->input.method == IME_VNI)) flags |= WF_SELECTED;
	if (k->action == KB_ENTER) flags |= WF_PRIMARY;
	if (!letter) flags |= WF_MUTED;
	widget_fmt(&u->wl, "key id", id, sizeof id, "kb.%s", k->name);
	wd = ADD(u, .id = id, .text = key_label(u, k), .at = RECT(x, y, w, h), .kind = W_KEY,
		.font = letter ? FONT_LARGE : FONT_SMALL, .flags = flags);
	/* Letters are 4 mm where the key is tall enough (larger text on a
	 * small screen is not), else 3 mm; a space bar too narrow for its
	 * word is a blank bar, as on any keyboard. */
	if (wd && letter && !screen_text_fits(u, wd)) wd->font = FONT_BODY;
	if (wd && k->action == KB_SPACE && !screen_text_fits(u, wd)) wd->text = "";
}

void screen_keyboard(ui *u, kb_mode mode, int rows, int y)
{
	int gap = S(u, SIZE_GAP), w = u->width - 2 * gap, x = gap;
	int h = u->height - y - gap, top, least = screen_keyboard_h(u, rows) - 2 * gap;
	if (h > rows * S(u, SIZE_KEY_H)) h = rows * S(u, SIZE_KEY_H);
	if (h < least) h = least;   /* a finger's size comes first: the screen leaves room for it */
	top = u->height - h - gap;
	if (mode == KB_DIGITS) {           /* a phone-sized pad, centred */
		w = S(u, SIZE_DIGIT_PAD_W);
		x = (u->width - w) / 2;
	}
	ADD(u, .id = "kb", .at = RECT(0, top - gap, u->width, h + 2 * gap), .kind = W_PANEL, .font = FONT_BODY,
		.flags = WF_MUTED);
	kb_layout(mode, u->kb_layer, ui_vni_digits(u), x, top, w, h, gap, emit_key, u);
}

/* ---- the form ---- */

static const char *error_text(ui *u, int field, valid_code e)
{
	switch (e) {
	case VALID_OK: return "";
	case VALID_REQUIRED: return T(u, T_ERR_REQUIRED);
	case VALID_TOO_LONG: return screen_tf(u, T_ERR_TOO_LONG, u->cat->fields[field].max_chars);
	case VALID_PHONE: return T(u, T_ERR_PHONE);
	case VALID_CITIZEN_ID: return T(u, T_ERR_CITIZEN_ID);
	case VALID_DATE: return T(u, T_ERR_DATE);
	case VALID_CONTROL: case VALID_BAD_UTF8: return T(u, T_ERR_CONTROL);
	case VALID_DOSSIER: return "";   /* not a citizen's field: the counter's */
	}
	return "";
}

/* src cut to at most max characters, with "…" when it was cut. */
static void shorten(const char *src, char *out, size_t outlen, size_t max)
{
	size_t pos = 0, len = strlen(src), chars = 0;
	while (pos < len && chars < max) { utf8_decode(src, len, &pos); chars++; }
	if (pos >= len) { snprintf(out, outlen, "%s", src); return; }
	{
		/* after a whole word, when one ends near: "Giải phóng…", not "Giải phó…" */
		size_t word = pos;
		while (word > 0 && src[word - 1] != ' ' && pos - word < 12) word--;
		if (word > 0 && src[word - 1] == ' ') pos = word;
	}
	while (pos > 0 && (src[pos - 1] == ' ' || src[pos - 1] == ',' || src[pos - 1] == '.')) pos--;
	snprintf(out, outlen, "%.*s…", (int)pos, src);
}

/* The conference's text with each entry cut to about keep characters
 * (the place and the leaders to twice that). */
static const char *conference_text(ui *u, const proto_conference *c, int keep)
{
	int leaders = keep * 2 < PROTO_TEXT_MAX ? keep * 2 : PROTO_TEXT_MAX;
	char place[PROTO_TEXT_MAX + 4], who[PROTO_TEXT_MAX + 4], what[PROTO_TEXT_MAX + 4];
	shorten(c->place, place, sizeof place, (size_t)leaders);
	shorten(c->leaders, who, sizeof who, (size_t)leaders);
	shorten(c->topic, what, sizeof what, (size_t)keep);
	return screen_tf(u, T_CONFERENCE, screen_format_time(u, c->at), place, who, what);
}

/* The next conference over the dialogue form: when, where, who, what, in
 * at (its height a wish: up to most). Long entries are shortened, the
 * topic first, until the box holds it all; the box grows to most before
 * an entry is cut under CONFERENCE_KEEP characters, which would leave
 * its words unreadable ("Giải phó…"). */
#define CONFERENCE_KEEP 24
static void conference_box(ui *u, const proto_conference *c, widget_rect at, int most)
{
	widget *wd = ADD(u, .id = "form.conference", .at = at, .kind = W_LABEL, .font = FONT_SMALL,
		.flags = WF_WRAP | WF_WARN);
	int keep;
	if (!wd) return;
	for (keep = PROTO_TEXT_MAX; keep >= CONFERENCE_KEEP; keep = keep * 3 / 4) {
		wd->text = conference_text(u, c, keep);
		if (screen_text_fits(u, wd)) return;
	}
	wd->text = conference_text(u, c, CONFERENCE_KEEP);
	if (screen_fit_h(u, wd, most)) return;
	for (keep = CONFERENCE_KEEP * 3 / 4; keep >= 8; keep = keep * 3 / 4) {
		wd->text = conference_text(u, c, keep);
		if (screen_text_fits(u, wd)) return;
	}
}

/* The tabs of the fields the category shows at y, each as wide as its
 * name, the row's room shared out; when they do not fit one row, two
 * (the first the longer). Returns their height, or only measures when
 * add is 0. */
static int field_tabs(ui *u, int y, int add)
{
	int gap = S(u, SIZE_GAP), i, n = 0, k, row, rows = 1, split, th = S(u, SIZE_TAB_H);
	int want[CATALOG_FIELDS], idx[CATALOG_FIELDS], total = gap;
	if (th < target_px(u)) th = target_px(u);
	if (th < screen_lines_h(u, FONT_SMALL, 1)) th = screen_lines_h(u, FONT_SMALL, 1);
	for (i = 0; i < CATALOG_FIELDS; i++) {
		if (!ui_field_visible(u, i)) continue;
		/* the name and the inset the renderer keeps either side of it */
		want[n] = screen_text_w(u, FONT_SMALL, u->cat->fields[i].short_label[u->language]) + S(u, WIDGET_BUTTON_INSET) + 1;
		if (want[n] < target_px(u)) want[n] = target_px(u);
		total += want[n] + gap;
		idx[n++] = i;
	}
	if (n == 0) return 0;
	split = n;
	if (total > u->width) { rows = 2; split = (n + 1) / 2; }
	if (!add) return rows * th + (rows - 1) * gap;
	for (row = 0; row < rows; row++) {
		int from = row ? split : 0, to = row ? n : split, sum = 0, x = gap, spare;
		for (k = from; k < to; k++) sum += want[k];
		spare = u->width - sum - (to - from + 1) * gap;
		for (k = from; k < to; k++) {
			char id[48];
			unsigned flags = WF_CENTER;
			widget *w;
			/* the room left over shared out evenly, the last tab taking what rounding leaves */
			int tw = want[k] + (k + 1 < to ? spare / (to - from) : u->width - gap - x - want[k]);
			i = idx[k];
			widget_fmt(&u->wl, "field id", id, sizeof id, "form.field.%s", u->cat->fields[i].name);
			if (i == u->focus) flags |= WF_SELECTED;
			if (u->errors[i] != VALID_OK) flags |= WF_ERROR;
			else if (u->fields[i][0]) flags |= WF_DONE;
			w = ADD(u, .id = id, .text = u->cat->fields[i].short_label[u->language],
				.at = RECT(x, y + row * (th + gap), tw, th), .kind = W_TAB, .font = FONT_SMALL, .flags = flags);
			w->value = u->fields[i];
			x += tw + gap;
		}
	}
	return rows * th + (rows - 1) * gap;
}

/* Fields still in error: the form's "please correct" goes once they are
 * corrected (typing in a field clears its error). */
static int fields_in_error(const ui *u)
{
	int i, n = 0;
	for (i = 0; i < CATALOG_FIELDS; i++) n += ui_field_visible(u, i) && u->errors[i] != VALID_OK;
	return n;
}

/* What the form says about the field: its error, the form's, or nothing;
 * the count of a long text is apart (field_count). */
static const char *field_message(ui *u)
{
	if (u->errors[u->focus] != VALID_OK) return error_text(u, u->focus, u->errors[u->focus]);
	if (u->form_error && fields_in_error(u)) return T(u, T_FORM_FIX);
	return NULL;
}

/* A box of text at (x, y), w wide, as tall as its text needs (up to
 * most); returns it, its height set, or NULL when it was not added. */
static widget *text_box(ui *u, const char *id, const char *text, int x, int y, int w, int most,
	widget_font font, unsigned flags)
{
	/* a warning's ground is drawn with an inset round its text */
	int n, inset = flags & WF_WARN ? 2 * S(u, SIZE_GAP) : 0;
	widget *wd = ADD(u, .id = id, .text = text, .at = RECT(x, y, w, most), .kind = W_LABEL, .font = font,
		.flags = flags | WF_WRAP);
	if (!wd) return NULL;
	/* a line at a time: the receipt and the form measure many boxes */
	for (n = 1; (wd->h = screen_lines_h(u, font, n) + inset) < most; n++)
		if (screen_text_fits(u, wd)) return wd;
	wd->h = most;
	return wd;
}

/* Over the identity fields: what a scan did, the next conference, or the
 * category's notice (its short form where brief), at y, as tall as its
 * text (up to most). The conference's entries are shortened to what most
 * leaves them, three lines at most. */
static widget *form_notice(ui *u, const proto_conference *conf, int brief, int y, int most)
{
	int pad = S(u, SIZE_PAD), full = u->width - 2 * pad;
	if (u->scan_msg >= 0)
		return text_box(u, "form.scan", T(u, (i18n_id)u->scan_msg), pad, y, full, most, FONT_SMALL,
			WF_WARN | (u->scan_msg == T_SCAN_NOT_CCCD ? WF_ERROR : 0));
	if (conf) {
		int h = screen_lines_h(u, FONT_SMALL, 3) + 2 * S(u, SIZE_GAP);
		conference_box(u, conf, RECT(pad, y, full, h < most ? h : most), most);
		return widget_find(&u->wl, "form.conference");
	}
	return text_box(u, "form.notice", brief ? u->category->notice_short[u->language] : u->category->notice[u->language],
		pad, y, full, most, FONT_SMALL, WF_WARN);
}

/* The form: the fields' tabs, the notice (or what a scan did), the
 * field's label, the form's message in a box of its own, the input, and
 * the keyboard, whose keys keep 9 mm. Every box is as tall as its text at
 * the visit's size; where they do not all fit over the keyboard, the label
 * moves beside the input, then the tabs give way to the notice (the keys'
 * Next still goes from field to field). */
void screen_form(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), y, full = u->width - 2 * pad;
	kb_mode mode = ui_current_keyboard(u);
	const catalog_field *f = &u->cat->fields[u->focus];
	int multiline = f->kind == FIELD_MULTILINE;
	/* The notice is about the citizen's identity: it stands over the
	 * identity fields, where it matters. */
	proto_conference conf;
	int early = u->focus < catalog_field_index("subject");
	int conference = early && strcmp(u->category->id, "dialogue") == 0 && screen_next_conference(u, &conf);
	int rows = kb_rows(mode, u->kb_layer, ui_vni_digits(u));
	int bottom = u->height - screen_keyboard_h(u, rows), most;
	int line = screen_lines_h(u, FONT_BODY, 1), input_h, label_h = line, beside = 0, tabs, lw = 0;
	const char *label, *held, *msg = field_message(u), *count = NULL;
	widget *notice = NULL, *box = NULL, *in, *lab;
	int n, nh = 0, short_h = 0, brief = 0, bh = 0, lh = label_h + gap, room, conf_h, beside_h = 0;
	size_t mark;

	/* The category's name whole, on a row under the bar's buttons where
	 * larger text leaves it no room beside them: the boxes below give way
	 * for it as for any of theirs. */
	y = screen_title_bar_row(u, u->procedure ? u->procedure->name[u->language] : screen_category_name(u, u->category),
		1, "form.next", T(u, T_NEXT)) + gap;
	most = bottom - y - gap;
	input_h = line + 2 * S(u, SIZE_GAP);
	if (multiline) input_h += line;
	if (input_h < target_px(u)) input_h = target_px(u);
	label = catalog_field_label(u->cat, u->category, u->focus, u->language);
	{
		/* a catalog label may say it already: "Notes (optional)" */
		const char *need = T(u, u->category->need[u->focus] == FIELD_REQUIRED ? T_REQUIRED : T_OPTIONAL);
		char said[80];
		snprintf(said, sizeof said, "(%s)", need);
		if (!strstr(label, said)) label = screen_str(u, "%s %s", label, said);
	}
	if (multiline) count = screen_str(u, "%zu / %d", utf8_length(u->fields[u->focus]), f->max_chars);

	/* The boxes over the input, measured first (added, then taken back). */
	tabs = field_tabs(u, y, 0);
	n = u->wl.n;
	mark = widget_mark(&u->wl);
	room = bottom - y - gap;
	/* the conference takes three lines, more only where its entries would
	 * otherwise be cut under CONFERENCE_KEEP; two lines at least */
	conf_h = room - gap - input_h;   /* the tabs give way before an entry is cut unreadably */
	if (conf_h < screen_lines_h(u, FONT_SMALL, 2) + 2 * gap) conf_h = screen_lines_h(u, FONT_SMALL, 2) + 2 * gap;
	if (u->scan_msg >= 0 || conference || (u->category->notice[u->language][0] != '\0' && early)) {
		notice = form_notice(u, conference ? &conf : NULL, 0, y, conference ? conf_h : most);
		nh = notice ? notice->h + gap : 0;
		/* the category's notice (not a scan's line or a conference) may be short */
		if (nh && u->scan_msg < 0 && !conference && u->category->notice_short[u->language][0] &&
		    (notice = form_notice(u, NULL, 1, y, most)))
			short_h = notice->h + gap;
	}
	if (msg && (box = text_box(u, "form.error", msg, pad, y, full, most, FONT_SMALL, WF_WARN | WF_ERROR)))
		bh = box->h + gap;
	/* the label beside the input: a column as wide as the label, at most
	 * half the width (the input keeps the other half, room for a name);
	 * longer, it wraps, and the row is as tall as its lines */
	lw = screen_text_w(u, FONT_BODY, label) + pad;
	if (lw > u->width / 2) lw = u->width / 2;
	if ((lab = text_box(u, "form.label", label, pad, y, lw, most, FONT_BODY, 0))) beside_h = lab->h;
	u->wl.n = n;
	widget_release(&u->wl, mark);
	/* Too tall: the label beside the input; then the notice in its short
	 * form; then the tabs give way to the notice, unless there is a
	 * message (it points at the tabs in red), when the notice gives way.
	 * What the notice says is the law's: it goes last. */
	if (tabs + gap + nh + lh + bh + input_h > room) {
		beside = 1;
		lh = 0;
		if (beside_h > input_h) input_h = beside_h;
	}
	if (tabs + gap + nh + lh + bh + input_h > room && short_h) { nh = short_h; brief = 1; }
	if (tabs + gap + nh + lh + bh + input_h > room && msg) nh = 0;
	if (tabs + gap + nh + lh + bh + input_h > room) tabs = -gap;
	if (tabs + gap + nh + lh + bh + input_h > room) nh = 0;
	if (tabs >= 0) y += field_tabs(u, y, 1) + gap;
	if (nh && (notice = form_notice(u, conference ? &conf : NULL, brief, y, conference ? conf_h : most)))
		y += notice->h + gap;
	/* the form's message in its own box, over the label and the input */
	if (msg && (box = text_box(u, "form.error", msg, pad, y, full, most, FONT_SMALL, WF_WARN | WF_ERROR)))
		y += box->h + gap;
	lab = ADD(u, .id = "form.label", .text = label, .at = RECT(pad, y, beside ? lw : full, beside ? input_h : label_h),
		.kind = W_LABEL, .font = FONT_BODY, .flags = beside ? WF_WRAP : 0);
	if (count) {
		/* the count of a long text at the label's right end */
		int cw = screen_text_w(u, FONT_SMALL, count) + pad;
		ADD(u, .id = "form.count", .text = count, .at = RECT(u->width - pad - cw, y, cw, label_h),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
		if (lab && !beside) lab->w = full - cw - pad;
		if (beside) y += label_h + gap;
	}
	if (!beside) y += label_h + gap;
	else if (lab) {
		/* one line, level with the input's; else its lines, the row as tall */
		lab->h = label_h;
		if (screen_text_fits(u, lab)) lab->y += (input_h - label_h) / 2;
		else {
			screen_fit_h(u, lab, bottom - y - gap);
			if (lab->h > input_h) input_h = lab->h;
		}
	}
	held = ui_scan_shown(u, u->focus);
	/* a long text takes the room left */
	if (multiline && bottom - gap - y > input_h) input_h = bottom - gap - y;
	in = ADD(u, .id = "form.input", .text = held ? screen_str(u, "%s%s", u->fields[u->focus], held) : u->fields[u->focus],
		.at = RECT(pad + (beside ? lw + pad : 0), y, full - (beside ? lw + pad : 0), input_h),
		.kind = W_INPUT, .font = FONT_BODY,
		.flags = WF_TAIL | WF_CURSOR | (multiline ? WF_WRAP : 0) | (u->errors[u->focus] ? WF_ERROR : 0));
	in->value = u->fields[u->focus];
	/* How the Vietnamese keys work, in the empty field, for those who
	 * know no input method: a line in the field, or more lines where the
	 * field can grow to them; none where there is no room. */
	if ((mode == KB_TEXT || f->kind == FIELD_DATE) && !u->fields[u->focus][0] && !held) {
		int inset = S(u, SIZE_HINT_INSET);
		widget *hint = ADD(u, .id = "form.hint", .text = T(u, f->kind == FIELD_DATE ? T_FORM_DATE_HINT
			: u->input.method == IME_VNI ? T_FORM_KB_HINT_VNI : T_FORM_KB_HINT),
			.at = RECT(in->x + inset, in->y, in->w - 2 * inset, in->h),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
		if (hint && !screen_text_fits(u, hint)) {
			hint->flags |= WF_WRAP;
			if (!screen_fit_h(u, hint, bottom - gap - y)) hint->text = "";   /* no room for it */
			else if (hint->h > in->h) in->h = hint->h;
			hint->h = in->h;
		}
	}
	screen_keyboard(u, mode, rows, bottom);
}

/* ---- review ---- */

/* A label in the left column and its value beside it, lines high. */
/* ---- review: everything that will be filed, a page at a time ---- */

typedef struct {
	int page, pages;           /* the page shown, and how many there are so far */
	int y, top, bottom;        /* where the next row goes; the page's room */
	int label_w;               /* the labels' column */
} review_flow;

/* The rows a text needs at width w (with font), up to most; most + 1 when
 * it needs more. */
static int rows_needed(ui *u, const char *text, int w, widget_font font, int row, int most)
{
	widget probe;
	int n;
	memset(&probe, 0, sizeof probe);
	probe.text = text; probe.w = w; probe.kind = W_LABEL; probe.font = font; probe.flags = WF_WRAP;
	for (n = 1; n <= most; n++) {
		probe.h = n * row;
		if (screen_text_fits(u, &probe)) return n;
	}
	return most + 1;
}

/* The longest start of text, cut after a word, that fits rows rows. */
static size_t prefix_fitting(ui *u, const char *text, int w, widget_font font, int row, int rows)
{
	size_t n = strlen(text), best = 0, i;
	char *buf = (char *)screen_str(u, "%s", text);   /* scratch, in the arena */
	for (i = 1; i <= n; i++) {
		if (i < n && text[i] != ' ' && text[i] != '\n') continue;
		buf[i] = '\0';
		if (rows_needed(u, buf, w, font, row, rows) > rows) { buf[i] = text[i]; break; }
		buf[i] = text[i];
		best = i;
	}
	if (best == 0) {   /* one word longer than the rows: cut between characters */
		for (i = 1; i <= n; i++) {
			if (i < n && ((unsigned char)text[i] & 0xC0) == 0x80) continue;
			char keep = buf[i];
			buf[i] = '\0';
			if (rows_needed(u, buf, w, font, row, rows) > rows) { buf[i] = keep; break; }
			buf[i] = keep;
			best = i;
		}
	}
	return best ? best : 1;
}

/* One labelled value, wrapped whole; a value taller than a page starts
 * in the rows left on this one and goes on over the next ones, cut where
 * the renderer breaks its lines (after a word, never mid-letter), so no
 * page is left half empty before it. A value that fits a page goes whole
 * to the next when this one has not the room. Only the rows on the page
 * shown become widgets. */
static void review_row(ui *u, review_flow *f, const char *id, const char *label, const char *value, unsigned value_flags,
	widget_font font)
{
	/* a row is a line of the font at the visit's size, so larger text
	 * takes more rows rather than being cut */
	int pad = S(u, SIZE_PAD), lw = label ? f->label_w : 0, row = screen_lines_h(u, font, 1);
	int vw = u->width - lw - 2 * pad, most = (f->bottom - f->top) / row, part = 0;
	const char *rest = value;
	while (1) {
		int room = (f->bottom - f->y) / row, need = rows_needed(u, rest, vw, font, row, most), lneed = 0;
		char vid[64], lid[64];
		const char *text = rest;
		size_t cut = strlen(rest);
		if (label) lneed = rows_needed(u, label, lw - pad, FONT_BODY, row, most);
		if (lneed > need) need = lneed;
		/* a new page, unless this one is still empty or a long value can
		 * start here (its label in the rows left) */
		if (need > room && (room < 1 || (f->y > f->top && (need <= most || lneed > room)))) {
			f->pages++;
			f->y = f->top;
			continue;
		}
		if (need > room) {
			cut = prefix_fitting(u, rest, vw, font, row, room);
			text = screen_str(u, "%.*s", (int)cut, rest);
			need = room;
		}
		if (f->pages - 1 == f->page) {
			widget_fmt(&u->wl, "review id", vid, sizeof vid, part ? "%s.%d" : "%s", id, part);
			widget_fmt(&u->wl, "review id", lid, sizeof lid, part ? "%s.%d.label" : "%s.label", id, part);
			if (label)
				ADD(u, .id = lid, .text = label, .at = RECT(pad, f->y, lw - pad, need * row),
					.kind = W_LABEL, .font = FONT_BODY, .flags = WF_MUTED | WF_WRAP);
			ADD(u, .id = vid, .text = text, .at = RECT(pad + lw, f->y, vw, need * row), .kind = W_LABEL, .font = font,
				.flags = WF_WRAP | value_flags);
		}
		f->y += need * row + S(u, SIZE_GAP);
		rest += cut;
		while (*rest == ' ' || *rest == '\n') rest++;
		if (!*rest) return;
		part++;
		f->pages++;
		f->y = f->top;
	}
}

/* Whether the tick "text me about this request" is offered: when the
 * citizen gave a phone (file_plan.sms_consent, off until tapped). */
static int review_sms_offered(ui *u)
{
	int phone = catalog_field_index("phone");
	return phone >= 0 && ui_field_visible(u, phone) && u->fields[phone][0];
}

/* The tick, a row of its own above Edit and Send on the last page, so it
 * is read before sending and is a whole-width target. A denouncer's tick
 * says what a message on their phone could reveal. */
static void review_sms(ui *u, int bh)
{
	int pad = S(u, SIZE_PAD);
	const char *state = T(u, u->plan.sms_consent ? T_REVIEW_SMS_ON : T_REVIEW_SMS_OFF);
	if (strcmp(u->category->id, "denunciation") == 0) state = screen_str(u, "%s %s", state, T(u, T_REVIEW_SMS_DENOUNCE));
	ADD(u, .id = "review.sms", .text = state, .at = RECT(pad, u->height - 2 * bh - 2 * pad, u->width - 2 * pad, bh),
		.kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER | WF_WRAP | (u->plan.sms_consent ? WF_SELECTED : 0));
}

/* The deadline shown is the plan's (file.h): the date that will be stored. */
void screen_review(ui *u)
{
	int pad = S(u, SIZE_PAD), i, bh = S(u, SIZE_BUTTON_H), ew = S(u, SIZE_REVIEW_EDIT_W), sw = S(u, SIZE_REVIEW_SUBMIT_W);
	int pw = S(u, SIZE_PAGE_BUTTON_W), sms = review_sms_offered(u) ? bh + pad : 0, reserve = 0;
	const char *cat = screen_category_name(u, u->category);
	review_flow f;
	size_t mark;
	screen_title_bar(u, T(u, T_REVIEW_TITLE), 1, NULL, NULL);
	/* The labels' column as wide as the longest label, within a design
	 * width and a third of the screen; a longer one wraps. */
	f.label_w = S(u, SIZE_REVIEW_LABEL_W);
	for (i = 0; i < CATALOG_FIELDS; i++) {
		int w = ui_field_visible(u, i) ? screen_text_w(u, FONT_BODY, catalog_field_label(u->cat, u->category, i, u->language)) + 2 * pad : 0;
		if (w > f.label_w) f.label_w = w < u->width / 3 ? w : u->width / 3;
	}
	/* Laid out to count the pages, then again for the page shown. */
	for (i = 0; i < 2; i++) {
		int k;
		f.page = i ? u->review_page : -1;
		f.pages = 1;
		f.top = f.y = S(u, SIZE_BAR_H) + pad;
		f.bottom = u->height - bh - 2 * pad - (reserve ? sms : 0);
		mark = widget_mark(&u->wl);
		review_row(u, &f, "review.what", T(u, T_REVIEW_WHAT),
			u->procedure ? screen_str(u, "%s: %s", cat, u->procedure->name[u->language]) : cat, 0, FONT_BODY);
		for (k = 0; k < CATALOG_FIELDS; k++) {
			char id[48];
			if (!ui_field_visible(u, k)) continue;
			widget_fmt(&u->wl, "review id", id, sizeof id, "review.%s", u->cat->fields[k].name);
			review_row(u, &f, id, catalog_field_label(u->cat, u->category, k, u->language),
				u->fields[k][0] ? u->fields[k] : T(u, T_EMPTY_VALUE), u->fields[k][0] ? 0 : WF_MUTED, FONT_BODY);
		}
		review_row(u, &f, "review.deadline", T(u, screen_plan_label(u)),
			screen_format_date(u, u->plan.deadline), 0, FONT_BODY);
		if (u->category->deadline_note[u->language][0])
			review_row(u, &f, "review.note", NULL, u->category->deadline_note[u->language], WF_MUTED, FONT_SMALL);
		if (!i) {
			widget_release(&u->wl, mark);
			/* The tick needs its row on the last page only, so the pages
			 * before are filled; where the last page's rows leave it
			 * none, every page keeps it (laid out again). */
			if (sms && !reserve && f.y - S(u, SIZE_GAP) > f.bottom - sms) {
				reserve = 1;
				i = -1;
				continue;
			}
			if (u->review_page >= f.pages) u->review_page = f.pages - 1;
		}
	}
	ADD(u, .id = "review.edit", .text = T(u, T_REVIEW_EDIT), .at = RECT(pad, u->height - bh - pad, ew, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_CENTER);
	if (f.pages > 1) {
		widget *prev = ADD(u, .id = "review.page.prev", .text = T(u, T_PAGE_PREV),
			.at = RECT(2 * pad + ew, u->height - bh - pad, pw, bh), .kind = W_BUTTON, .font = FONT_BODY, .flags = WF_CENTER);
		prev->enabled = u->review_page > 0;
	}
	/* Sending comes after the last page: what is sent has all been seen. */
	if (u->review_page + 1 < f.pages)
		ADD(u, .id = "review.page.more", .text = screen_str(u, "%s (%d/%d)", T(u, T_PAGE_NEXT), u->review_page + 1, f.pages),
			.at = RECT(u->width - sw - pad, u->height - bh - pad, sw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	else {
		ADD(u, .id = "review.submit", .text = T(u, T_REVIEW_SUBMIT), .at = RECT(u->width - sw - pad, u->height - bh - pad, sw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
		if (review_sms_offered(u)) review_sms(u, bh);
	}
}

/* ---- receipt ---- */

/* What became of the paper receipt, in plain words; a failure says what to
 * do instead. Returns the y below it. */
int screen_print_line(ui *u, const char *id, const i18n_id words[3], int x, int y, int w)
{
	printout_state st;
	const char *text;
	unsigned flags = WF_WRAP;
	widget *wd;
	memset(&st, 0, sizeof st);
	if (!u->print_queued) return y;
	if (u->print_queued > 0) printout_state_get(u->printer, &st);
	else st.result = ESCPOS_WRITE_FAILED;
	if (u->print_queued > 0 && st.busy) text = T(u, words[0]);
	else if (st.result == ESCPOS_OK)
		/* a receipt whose letter must be signed says so */
		text = T(u, words[1] == T_PRINT_DONE && u->category && u->category->clock.starts == LEGAL_STARTS_LETTER
			? T_PRINT_DONE_LETTER : words[1]);
	else {
		text = screen_tf(u, words[2], screen_printer_problem(u, st.result));
		flags |= WF_ERROR;
	}
	wd = text_box(u, id, text, x, y, w, screen_lines_h(u, FONT_SMALL, 5), FONT_SMALL, flags);
	return wd ? y + wd->h + S(u, SIZE_GAP) : y;
}

static const i18n_id receipt_print_words[3] = { T_PRINT_BUSY, T_PRINT_DONE, T_PRINT_FAILED };

/* The receipt's lines right of a QR q wide, each as tall as its text;
 * then, under them all, the advice beside Done (none while the idle bar
 * counts: it stands there, and says the same). Where that is too tall,
 * done_up puts Done right of the lines and gives the advice the whole
 * width. Returns the y under it all. */
static int receipt_lines(ui *u, int q, int top, const char *grouped, int done_up)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), x = 2 * pad + q, tw = u->width - x - pad, y = top;
	/* Done as wide as its word (two targets at least), the advice beside it the rest */
	int bh = S(u, SIZE_BUTTON_H), dw = screen_button_w(u, FONT_LARGE, T(u, T_DONE), 2 * S(u, SIZE_TARGET));
	int most = u->height, lw = screen_text_w(u, FONT_BODY, T(u, T_RECEIPT_CODE)) + pad;
	int ch = screen_lines_h(u, FONT_CODE, 1), cw = screen_text_w(u, FONT_CODE, grouped) + pad;
	const catalog_category *c = catalog_category_by_id(u->cat, u->receipt.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->receipt.procedure);
	const char *next = screen_tf(u, T_RECEIPT_NEXT, screen_office_level(u));
	widget *w;
	/* the code's label beside the code where both fit the line */
	if (lw + cw <= tw) {
		/* on the code's line, at its foot, so the two read as one line */
		int bl = screen_lines_h(u, FONT_BODY, 1);
		ADD(u, .id = "receipt.code.label", .text = T(u, T_RECEIPT_CODE), .at = RECT(x, y + (ch > bl ? ch - bl : 0), lw, bl),
			.kind = W_LABEL, .font = FONT_BODY, .flags = WF_MUTED);
		ADD(u, .id = "receipt.code", .text = grouped, .at = RECT(x + lw, y, tw - lw, ch), .kind = W_LABEL, .font = FONT_CODE);
	} else {
		w = text_box(u, "receipt.code.label", T(u, T_RECEIPT_CODE), x, y, tw, most, FONT_BODY, WF_MUTED);
		y += w ? w->h : 0;
		ADD(u, .id = "receipt.code", .text = grouped, .at = RECT(x, y, tw, ch), .kind = W_LABEL, .font = FONT_CODE);
	}
	y += ch + gap;
	if (done_up && !u->idle_warning) tw -= dw + pad;   /* Done beside the lines under the code */
	/* A procedure's own name says what was filed better than its category. */
	w = text_box(u, "receipt.category", p ? p->name[u->language] : c ? screen_category_name(u, c) : "", x, y, tw, most,
		FONT_BODY, 0);
	y += (w ? w->h : 0) + gap;
	w = text_box(u, "receipt.time", screen_str(u, "%s: %s", T(u, T_RECEIPT_TIME), screen_format_time(u, u->receipt.received_at)),
		x, y, tw, most, FONT_BODY, 0);
	y += (w ? w->h : 0) + gap;
	w = text_box(u, "receipt.deadline", screen_str(u, "%s: %s", T(u, screen_plan_label(u)), screen_format_date(u, u->receipt.deadline)),
		x, y, tw, most, FONT_BODY, 0);
	y += (w ? w->h : 0) + gap;
	w = text_box(u, "receipt.id", screen_str(u, "%s: %s", T(u, T_RECEIPT_ID), u->receipt.id), x, y, tw, most, FONT_SMALL, WF_MUTED);
	y += (w ? w->h : 0) + gap;
	y = screen_print_line(u, "receipt.print", receipt_print_words, x, y, tw);
	if (u->idle_warning) return y > top + q ? y : top + q + gap;
	if (done_up) {
		int dy = y - gap - bh > top ? y - gap - bh : top;
		ADD(u, .id = "receipt.done", .text = T(u, T_DONE), .at = RECT(u->width - dw - pad, dy, dw, bh),
			.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
		if (y < dy + bh + gap) y = dy + bh + gap;
	}
	if (y < top + q) y = top + q + gap;
	/* A printed receipt, or the printing line's advice, replaces "take a photo". */
	w = text_box(u, "receipt.next", u->print_queued ? next : screen_str(u, "%s %s", next, T(u, T_RECEIPT_PHOTO)),
		pad, y, u->width - 2 * pad - (done_up ? 0 : dw + pad), most, FONT_SMALL, 0);
	if (done_up) return y + (w ? w->h : 0) + pad;
	if (w && w->h < bh) w->h = bh;
	ADD(u, .id = "receipt.done", .text = T(u, T_DONE), .at = RECT(u->width - dw - pad, y + (w ? w->h : bh) - bh, dw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
	return y + (w ? w->h : bh) + pad;
}

/* The QR as large as the room leaves it, down to what a phone still reads
 * at arm's length: the receipt's lines, the advice and Done (or the idle
 * bar) all under the screen's bottom. */
void screen_receipt(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, q = 0, least = S(u, SIZE_RECEIPT_QR_LEAST), up;
	int bottom = u->height - (u->idle_warning ? screen_idle_h(u) : 0);
	char grouped[TOKEN_GROUPED_LEN + 1];
	const char *code;
	screen_title_bar(u, T(u, T_RECEIPT_TITLE), 0, NULL, NULL);
	token_group(u->receipt.token, grouped);
	code = screen_str(u, "%s", grouped);
	for (up = 0; up < 2; up++) {
		q = bottom - top - pad;
		if (q > u->width / 2) q = u->width / 2;
		for (; q > least; q -= 4 * S(u, SIZE_GAP)) {
			int n = u->wl.n, end;
			size_t mark = widget_mark(&u->wl);
			end = receipt_lines(u, q, top, code, up);
			u->wl.n = n;
			widget_release(&u->wl, mark);
			if (end <= bottom) break;
		}
		if (q > least) break;
	}
	if (q < least) q = least;
	if (up > 1) up = 1;
	ADD(u, .id = "receipt.qr", .text = u->receipt_url, .at = RECT(pad, top, q, q), .kind = W_QR, .font = FONT_SMALL);
	receipt_lines(u, q, top, code, up);
}
