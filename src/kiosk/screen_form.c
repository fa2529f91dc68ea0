/* screen_form: filing a request (see screen.h): the form with its on-screen
 * keyboard, the review of what will be filed, and the receipt. */
#include "screen.h"
#include "token.h"
#include "utf8.h"
#include "viet.h"
#include <stdio.h>
#include <string.h>

/* ---- the on-screen keyboard ---- */

/* What a key shows: a letter in the case it will type, the input method,
 * or the name of what it does. */
static const char *key_label(ui *u, const kb_key *k)
{
	switch (k->action) {
	case KB_CHAR:
		if (k->ch >= 'a' && k->ch <= 'z' && ui_shift_active(u)) return screen_str(u, "%c", k->ch - 'a' + 'A');
		break;
	case KB_TONE: return T(u, (i18n_id)(T_KEY_TONE_NONE + (k->ch - '0')));
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
	case KB_IME: case KB_GAP: break;
	case KB_SPACE: return T(u, T_KEY_SPACE);
	case KB_SHIFT: return T(u, T_KEY_SHIFT);
	case KB_BACKSPACE: return T(u, T_KEY_DELETE);
	case KB_ENTER: return u->screen == SCREEN_LOOKUP ? T(u, T_LOOKUP_SUBMIT) : T(u, T_KEY_NEXT);
	case KB_LAYER: break;
	}
	return k->label;
}

static void emit_key(void *user, const kb_key *k, int x, int y, int w, int h)
{
	ui *u = user;
	char id[48];
	unsigned flags = WF_CENTER;
	int letter = k->action == KB_CHAR || k->action == KB_VIET;
	if (k->action == KB_SHIFT && ui_shift_active(u)) flags |= WF_SELECTED;
	/* the two methods are one switch: the one in use is lit */
	if (k->action == KB_IME && (k->ch == 'v') == (u->input.method == IME_VNI)) flags |= WF_SELECTED;
	if (k->action == KB_ENTER) flags |= WF_PRIMARY;
	if (!letter) flags |= WF_MUTED;
	widget_fmt(&u->wl, "key id", id, sizeof id, "kb.%s", k->name);
	ADD(u, .id = id, .text = key_label(u, k), .at = RECT(x, y, w, h), .kind = W_KEY,
		.font = letter ? FONT_LARGE : FONT_SMALL, .flags = flags);
}

void screen_keyboard(ui *u, kb_mode mode, int rows, int y)
{
	int gap = S(u, SIZE_GAP), w = u->width - 2 * gap, x = gap;
	int h = u->height - y - gap, top;
	if (h > rows * S(u, SIZE_KEY_H)) h = rows * S(u, SIZE_KEY_H);
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
	while (pos > 0 && (src[pos - 1] == ' ' || src[pos - 1] == ',' || src[pos - 1] == '.')) pos--;
	snprintf(out, outlen, "%.*s…", (int)pos, src);
}

/* The next conference over the dialogue form: when, where, who, what. Long
 * entries are shortened, the topic first, until the box holds it all. */
static void conference_box(ui *u, const proto_conference *c, widget_rect at)
{
	const char *when = screen_format_time(u, c->at);
	widget *wd = ADD(u, .id = "form.conference", .at = at, .kind = W_LABEL, .font = FONT_SMALL,
		.flags = WF_WRAP | WF_WARN);
	int keep;
	for (keep = PROTO_TEXT_MAX; keep >= 8; keep = keep * 3 / 4) {
		int topic = keep, leaders = keep * 2 < PROTO_TEXT_MAX ? keep * 2 : PROTO_TEXT_MAX;
		char place[PROTO_TEXT_MAX + 4], who[PROTO_TEXT_MAX + 4], what[PROTO_TEXT_MAX + 4];
		shorten(c->place, place, sizeof place, (size_t)leaders);
		shorten(c->leaders, who, sizeof who, (size_t)leaders);
		shorten(c->topic, what, sizeof what, (size_t)topic);
		wd->text = screen_tf(u, T_CONFERENCE, when, place, who, what);
		if (screen_text_fits(u, wd)) return;
	}
}

/* The tabs of the fields the category shows, in one row at y. */
static void field_tabs(ui *u, int y)
{
	int gap = S(u, SIZE_GAP), i, n = 0, k = 0, tw;
	for (i = 0; i < CATALOG_FIELDS; i++) n += ui_field_visible(u, i);
	tw = (u->width - (n + 1) * gap) / n;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		char id[48];
		unsigned flags = WF_CENTER;
		widget *w;
		if (!ui_field_visible(u, i)) continue;
		widget_fmt(&u->wl, "field id", id, sizeof id, "form.field.%s", u->cat->fields[i].name);
		if (i == u->focus) flags |= WF_SELECTED;
		if (u->errors[i] != VALID_OK) flags |= WF_ERROR;
		else if (u->fields[i][0]) flags |= WF_DONE;
		w = ADD(u, .id = id, .text = u->cat->fields[i].short_label[u->language],
			.at = RECT(gap + k * (tw + gap), y, tw, S(u, SIZE_TAB_H)), .kind = W_TAB, .font = FONT_SMALL, .flags = flags);
		w->value = u->fields[i];
		k++;
	}
}

/* Fields still in error: the form's "please correct" goes once they are
 * corrected (typing in a field clears its error). */
static int fields_in_error(const ui *u)
{
	int i, n = 0;
	for (i = 0; i < CATALOG_FIELDS; i++) n += ui_field_visible(u, i) && u->errors[i] != VALID_OK;
	return n;
}

/* Right of the field's label: its error, the form's, or the count of a
 * long text. */
static void field_status(ui *u, const catalog_field *f, widget_rect at)
{
	if (u->errors[u->focus] != VALID_OK)
		ADD(u, .id = "form.error", .text = error_text(u, u->focus, u->errors[u->focus]), .at = at,
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_ERROR);
	else if (u->form_error && fields_in_error(u))
		ADD(u, .id = "form.error", .text = T(u, T_FORM_FIX), .at = at, .kind = W_LABEL, .font = FONT_SMALL,
			.flags = WF_ERROR);
	else if (f->kind == FIELD_MULTILINE)
		ADD(u, .id = "form.count", .text = screen_str(u, "%zu / %d", utf8_length(u->fields[u->focus]), f->max_chars),
			.at = at, .kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
}

void screen_form(ui *u)
{
	int pad = S(u, SIZE_PAD), gap = S(u, SIZE_GAP), y, full = u->width - 2 * pad;
	kb_mode mode = ui_current_keyboard(u);
	int multiline = u->cat->fields[u->focus].kind == FIELD_MULTILINE;
	/* The notice is about the citizen's identity: it stands over the
	 * identity fields, where it matters, and leaves the keys their size. */
	proto_conference conf;
	int early = u->focus < catalog_field_index("subject");
	int conference = early && strcmp(u->category->id, "dialogue") == 0 && screen_next_conference(u, &conf);
	int notice = (u->category->notice[u->language][0] != '\0' && early) || conference || u->scan_msg >= 0;
	int input_h = S(u, multiline ? SIZE_INPUT_MULTILINE_H : notice ? SIZE_INPUT_UNDER_NOTICE_H : SIZE_INPUT_H);
	int label_h = S(u, SIZE_FIELD_LABEL_H);
	const catalog_field *f = &u->cat->fields[u->focus];
	const char *label, *held;
	widget *in;

	screen_title_bar(u, u->procedure ? u->procedure->name[u->language] : screen_category_name(u, u->category),
		1, "form.next", T(u, T_NEXT));
	y = S(u, SIZE_BAR_H) + gap;
	field_tabs(u, y);
	y += S(u, SIZE_TAB_H) + gap;
	if (u->scan_msg >= 0) {
		/* what the scan did stands where the notice stood, as large */
		ADD(u, .id = "form.scan", .text = T(u, (i18n_id)u->scan_msg), .at = RECT(pad, y, full, S(u, SIZE_NOTICE_H)),
			.kind = W_LABEL, .font = FONT_SMALL,
			.flags = WF_WRAP | WF_WARN | (u->scan_msg == T_SCAN_NOT_CCCD ? WF_ERROR : 0));
		y += S(u, SIZE_NOTICE_ROOM);
	} else if (conference) {
		conference_box(u, &conf, RECT(pad, y, full, S(u, SIZE_NOTICE_H)));
		y += S(u, SIZE_NOTICE_ROOM);
	} else if (notice) {
		ADD(u, .id = "form.notice", .text = u->category->notice[u->language], .at = RECT(pad, y, full, S(u, SIZE_NOTICE_H)),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_WRAP | WF_WARN);
		y += S(u, SIZE_NOTICE_ROOM);
	}
	label = catalog_field_label(u->cat, u->category, u->focus, u->language);
	{
		/* a catalog label may say it already: "Notes (optional)" */
		const char *need = T(u, u->category->need[u->focus] == FIELD_REQUIRED ? T_REQUIRED : T_OPTIONAL);
		char said[80];
		snprintf(said, sizeof said, "(%s)", need);
		if (!strstr(label, said)) label = screen_str(u, "%s %s", label, said);
	}
	ADD(u, .id = "form.label", .text = label, .at = RECT(pad, y, u->width / 2, label_h), .kind = W_LABEL, .font = FONT_BODY);
	field_status(u, f, RECT(u->width / 2, y, u->width / 2 - pad, label_h));
	y += S(u, SIZE_FIELD_LABEL_ROOM);
	held = ui_scan_shown(u, u->focus);
	in = ADD(u, .id = "form.input", .text = held ? screen_str(u, "%s%s", u->fields[u->focus], held) : u->fields[u->focus],
		.at = RECT(pad, y, full, input_h),
		.kind = W_INPUT, .font = FONT_BODY,
		.flags = WF_TAIL | WF_CURSOR | (multiline ? WF_WRAP : 0) | (u->errors[u->focus] ? WF_ERROR : 0));
	in->value = u->fields[u->focus];
	/* How the Vietnamese keys work, in the empty field, for those who
	 * know no input method. */
	if ((mode == KB_TEXT || f->kind == FIELD_DATE) && !u->fields[u->focus][0] && !held)
		ADD(u, .id = "form.hint", .text = T(u, f->kind == FIELD_DATE ? T_FORM_DATE_HINT
			: u->input.method == IME_VNI ? T_FORM_KB_HINT_VNI : T_FORM_KB_HINT),
			.at = RECT(pad + S(u, SIZE_HINT_INSET), y, full - 2 * S(u, SIZE_HINT_INSET), input_h),
			.kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
	y += input_h + S(u, SIZE_INPUT_ROOM);
	screen_keyboard(u, mode, kb_rows(mode, u->kb_layer, ui_vni_digits(u)), y);
}

/* ---- review ---- */

/* A label in the left column and its value beside it, lines high. */
/* ---- review: everything that will be filed, a page at a time ---- */

typedef struct {
	int page, pages;           /* the page shown, and how many there are so far */
	int y, top, bottom;        /* where the next row goes; the page's room */
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

/* One labelled value, wrapped whole; a value taller than a page goes on
 * over the next ones, cut after a word, never mid-letter. Only the rows on
 * the page shown become widgets. */
static void review_row(ui *u, review_flow *f, const char *id, const char *label, const char *value, unsigned value_flags,
	widget_font font)
{
	int pad = S(u, SIZE_PAD), lw = label ? S(u, SIZE_REVIEW_LABEL_W) : 0, row = S(u, font == FONT_SMALL ? SIZE_SMALL_LINE_H : SIZE_LINE_H);
	int vw = u->width - lw - 2 * pad, most = (f->bottom - f->top) / row, part = 0;
	const char *rest = value;
	while (1) {
		int room = (f->bottom - f->y) / row, need = rows_needed(u, rest, vw, font, row, most), lneed = 0;
		char vid[64], lid[64];
		const char *text = rest;
		size_t cut = strlen(rest);
		if (label) lneed = rows_needed(u, label, lw - pad, FONT_BODY, S(u, SIZE_LINE_H), most);
		if (lneed > need) need = lneed;
		if (need > room && (f->y > f->top || room < 1)) {   /* a new page, unless this one is still empty */
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
		f->y += need * row;
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
	int pw = S(u, SIZE_PAGE_BUTTON_W);
	const char *cat = screen_category_name(u, u->category);
	review_flow f;
	size_t mark;
	screen_title_bar(u, T(u, T_REVIEW_TITLE), 1, NULL, NULL);
	/* Laid out twice: once to count the pages, then the page shown. */
	for (i = 0; i < 2; i++) {
		int k;
		f.page = i ? u->review_page : -1;
		f.pages = 1;
		f.top = f.y = S(u, SIZE_BAR_H) + pad;
		f.bottom = u->height - bh - 2 * pad - (review_sms_offered(u) ? bh + pad : 0);
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
	int lines;
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
	wd = ADD(u, .id = id, .text = text, .at = RECT(x, y, w, S(u, SIZE_SMALL_LINE_H)),
		.kind = W_LABEL, .font = FONT_SMALL, .flags = flags);
	for (lines = 2; !screen_text_fits(u, wd) && lines <= 5; lines++) wd->h = S(u, SIZE_PRINT_LINE_H * lines);
	return y + wd->h + S(u, SIZE_GAP);
}

static const i18n_id receipt_print_words[3] = { T_PRINT_BUSY, T_PRINT_DONE, T_PRINT_FAILED };

void screen_receipt(ui *u)
{
	int pad = S(u, SIZE_PAD), top = S(u, SIZE_BAR_H) + pad, qr = u->height - top - pad;
	int x, y, row = S(u, SIZE_LINE_H), bh = S(u, SIZE_BUTTON_H), tw, dw = S(u, SIZE_DONE_W);
	char grouped[TOKEN_GROUPED_LEN + 1];
	const catalog_category *c = catalog_category_by_id(u->cat, u->receipt.category);
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, u->receipt.procedure);
	const char *next = screen_tf(u, T_RECEIPT_NEXT, screen_office_level(u));
	if (qr > u->width / 2) qr = u->width / 2;
	screen_title_bar(u, T(u, T_RECEIPT_TITLE), 0, NULL, NULL);
	ADD(u, .id = "receipt.qr", .text = u->receipt_url, .at = RECT(pad, top, qr, qr), .kind = W_QR, .font = FONT_SMALL);
	x = 2 * pad + qr;
	tw = u->width - x - pad;
	y = top;
	token_group(u->receipt.token, grouped);
	ADD(u, .id = "receipt.code.label", .text = T(u, T_RECEIPT_CODE), .at = RECT(x, y, tw, S(u, SIZE_RECEIPT_LABEL_H)),
		.kind = W_LABEL, .font = FONT_BODY, .flags = WF_MUTED);
	y += S(u, SIZE_RECEIPT_LABEL_H);
	ADD(u, .id = "receipt.code", .text = screen_str(u, "%s", grouped), .at = RECT(x, y, tw, S(u, SIZE_RECEIPT_CODE_H)),
		.kind = W_LABEL, .font = FONT_CODE);
	y += S(u, SIZE_RECEIPT_CODE_ROOM);
	/* A procedure's own name says what was filed better than its category. */
	ADD(u, .id = "receipt.category", .text = p ? p->name[u->language] : c ? screen_category_name(u, c) : "",
		.at = RECT(x, y, tw, row), .kind = W_LABEL, .font = FONT_BODY);
	y += row;
	ADD(u, .id = "receipt.time",
		.text = screen_str(u, "%s: %s", T(u, T_RECEIPT_TIME), screen_format_time(u, u->receipt.received_at)),
		.at = RECT(x, y, tw, row), .kind = W_LABEL, .font = FONT_BODY);
	y += row;
	ADD(u, .id = "receipt.deadline",
		.text = screen_str(u, "%s: %s", T(u, screen_plan_label(u)), screen_format_date(u, u->receipt.deadline)),
		.at = RECT(x, y, tw, row), .kind = W_LABEL, .font = FONT_BODY);
	y += row;
	ADD(u, .id = "receipt.id", .text = screen_str(u, "%s: %s", T(u, T_RECEIPT_ID), u->receipt.id),
		.at = RECT(x, y, tw, row), .kind = W_LABEL, .font = FONT_SMALL, .flags = WF_MUTED);
	y += row;
	y = screen_print_line(u, "receipt.print", receipt_print_words, x, y, tw);
	/* A printed receipt, or the printing line's advice, replaces "take a photo". */
	ADD(u, .id = "receipt.next", .text = u->print_queued ? next : screen_str(u, "%s %s", next, T(u, T_RECEIPT_PHOTO)),
		.at = RECT(x, y, tw, u->height - y - bh - 2 * pad), .kind = W_LABEL, .font = FONT_SMALL, .flags = WF_WRAP);
	ADD(u, .id = "receipt.done", .text = T(u, T_DONE), .at = RECT(u->width - dw - pad, u->height - bh - pad, dw, bh),
		.kind = W_BUTTON, .font = FONT_LARGE, .flags = WF_PRIMARY | WF_CENTER);
}
