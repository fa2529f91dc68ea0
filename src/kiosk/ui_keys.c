/* ui_keys: the keyboard's Vietnamese keys and the citizen ID card's QR
 * code read by a scanner (see ui.h, "The keyboard's Vietnamese keys").
 *
 * A USB scanner in keyboard mode types what it reads and then Return, like
 * a person on a physical keyboard, only faster. The QR code on the back of
 * a chip CCCD starts with its 12-digit number and a '|', so a line that
 * starts with a digit (not right after a letter, where VNI reads digits
 * as marks) is held out of the field and the input method until it is
 * more than that: a person's digits are then typed as they came (and shown
 * meanwhile), a '|' after 12 digits makes it a scan, which its Return
 * reads as a card (cccd.h) or refuses. A line that came faster than a
 * person types is a scanner's whatever its start: at its Return the field
 * is put back as it was and the line as sent is read as a card or
 * refused (a receipt's QR code, a barcode). The card's
 * text never goes through Telex or VNI, is never logged, fills the form's
 * fields, and is wiped from the scan buffer and the card at once. */
#include "ui.h"
#include "i18n.h"
#include "ime.h"
#include "viet.h"
#include "utf8.h"
#include <sodium.h>
#include <stddef.h>
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static int focused_kind(const ui *u) { return (int)u->cat->fields[u->focus].kind; }

/* ---- the Vietnamese keys ---- */

void ui_viet_key(ui *u, const kb_key *k)
{
	char *f = u->fields[u->focus], before[UI_FIELD_BYTES];
	const catalog_field *fd = &u->cat->fields[u->focus];
	int rc;

	if (u->screen != SCREEN_FORM || (fd->kind != FIELD_TEXT && fd->kind != FIELD_MULTILINE)) return;
	memcpy(before, f, strlen(f) + 1);
	if (k->action == KB_TONE) {
		rc = ime_tone(&u->input, f, UI_FIELD_BYTES, k->ch - '0');
	} else {
		size_t pos = 0;
		uint32_t cp = utf8_decode(k->label, strlen(k->label), &pos);
		viet_letter l;
		if (ui_shift_active(u) && viet_letter_of(cp, &l)) {
			l.upper = 1;
			cp = viet_letter_cp(&l);
		}
		rc = ime_letter(&u->input, f, UI_FIELD_BYTES, cp);
		u->shift = 0;
	}
	if (rc < 0 || utf8_length(f) > (size_t)fd->max_chars) {
		memcpy(f, before, strlen(before) + 1);
		u->errors[u->focus] = VALID_TOO_LONG;
	} else if (rc == 0) {
		u->errors[u->focus] = VALID_OK;
	}
	sodium_memzero(before, sizeof before);
	u->dirty = 1;
}

/* ---- the scanner ---- */

/* A scanner types a character every few milliseconds, a person every
 * hundred or more: a line of at least LINE_SCAN_CHARS that came at under
 * LINE_SCAN_MS a character is a scanner's. */
#define LINE_SCAN_CHARS 8
#define LINE_SCAN_MS 25

static void line_end(ui *u)
{
	if (u->line_chars) {
		sodium_memzero(u->line_before, sizeof u->line_before);
		sodium_memzero(u->line_raw, sizeof u->line_raw);
	}
	u->line_chars = 0;
	u->line_raw_len = 0;
}

void ui_scan_wipe(ui *u)
{
	sodium_memzero(u->scan, sizeof u->scan);
	u->scan_len = 0;
	u->scan_msg = -1;
	u->scan_drop = 0;
	sodium_memzero(u->line_before, sizeof u->line_before);
	sodium_memzero(u->line_raw, sizeof u->line_raw);
	u->line_chars = 0;
	u->line_raw_len = 0;
}

void ui_scan_line(ui *u, const char *text, uint32_t now)
{
	size_t n;

	if (u->screen != SCREEN_FORM) return;
	if (!u->line_chars) {
		memcpy(u->line_before, u->fields[u->focus], strlen(u->fields[u->focus]) + 1);
		u->line_first = now;
	}
	u->line_chars += (int)utf8_length(text);
	u->line_last = now;
	/* as sent, for a card typed where it could not be held; past a
	 * card's length it is no card, and only its length is kept */
	n = strlen(text);
	if (u->line_raw_len + n <= CCCD_TEXT_MAX) {
		memcpy(u->line_raw + u->line_raw_len, text, n);
		u->line_raw[u->line_raw_len + n] = '\0';
	}
	u->line_raw_len += n;
}

/* 1 if the line being typed came as fast as only a scanner types. */
static int line_scanned(const ui *u)
{
	return u->line_chars >= LINE_SCAN_CHARS &&
	       u->line_last - u->line_first <= (uint32_t)(u->line_chars - 1) * LINE_SCAN_MS;
}

static void scan_clear(ui *u)
{
	sodium_memzero(u->scan, sizeof u->scan);
	u->scan_len = 0;
	u->dirty = 1;
}

/* 1 where a held line may start: a digit anywhere but after a letter
 * (there it may be a VNI tone, the input method's), or any digit in a
 * field of digits (no input method there to keep waiting). */
static int may_hold(const ui *u, uint32_t cp)
{
	const char *f = u->fields[u->focus];
	size_t n = strlen(f), q;
	viet_letter l;

	if (cp < '0' || cp > '9') return 0;
	if (n == 0) return 1;
	if (focused_kind(u) != FIELD_TEXT && focused_kind(u) != FIELD_MULTILINE) return 1;
	q = utf8_last_start(f, n);
	return !viet_letter_of(utf8_decode(f, n, &q), &l);
}

/* The held text typed as it came, the line going on. */
static void type_held(ui *u)
{
	char held[sizeof u->scan];
	size_t n = u->scan_len, pos = 0;

	if (!n) return;
	/* a scan cut short (a tap in the middle of one) is no person's typing */
	if (cccd_is_scan(u->scan, n)) {
		u->scan_msg = T_SCAN_NOT_CCCD;
		scan_clear(u);
		return;
	}
	memcpy(held, u->scan, n);
	scan_clear(u);
	while (pos < n) ui_type(u, utf8_decode(held, n, &pos));
	sodium_memzero(held, sizeof held);
}

void ui_scan_flush(ui *u)
{
	u->scan_drop = 0;
	type_held(u);
	line_end(u);
}

/* A card scanned where a receipt is looked up: its ID number is taken back
 * out of the code's field and the rest of it (the name, the address) never
 * shows there; the citizen is told where a card is read. */
static int lookup_card(ui *u, uint32_t cp)
{
	char code[16];
	size_t i, n = strlen(u->lookup);

	if (u->scan_drop) return 1;
	if (cp != '|' || n != 12) return 0;
	for (i = 0; i < n; i++) code[i] = u->lookup[i];
	code[n] = '|';
	if (!cccd_is_scan(code, n + 1)) { sodium_memzero(code, sizeof code); return 0; }
	sodium_memzero(code, sizeof code);
	sodium_memzero(u->lookup, sizeof u->lookup);
	u->lookup_msg = T_LOOKUP_CCCD;
	u->scan_drop = 1;
	u->dirty = 1;
	return 1;
}

int ui_scan_char(ui *u, uint32_t cp)
{
	char enc[4];
	size_t k;

	if (u->screen == SCREEN_LOOKUP) return lookup_card(u, cp);
	if (u->screen != SCREEN_FORM) return 0;
	if (u->scan_drop) return 1;
	if (!u->scan_len && !may_hold(u, cp)) return 0;
	k = utf8_encode(cp, enc);
	if (k == 0) return 0;
	if (u->scan_len + k > CCCD_TEXT_MAX) {
		/* longer than any card's code: a scan of something else */
		if (cccd_is_scan(u->scan, u->scan_len)) {
			u->scan_msg = T_SCAN_NOT_CCCD;
			scan_clear(u);
			u->scan_drop = 1;
			return 1;
		}
		type_held(u);
		return 0;
	}
	memcpy(u->scan + u->scan_len, enc, k);
	u->scan_len += k;
	u->scan[u->scan_len] = '\0';
	u->dirty = 1;
	if (!cccd_may_start(u->scan, u->scan_len)) {
		/* a person's digits and what came after them: typed as they came */
		u->scan_len -= k;
		u->scan[u->scan_len] = '\0';
		type_held(u);
		return 0;
	}
	return 1;
}

/* The card's fields into the form's, as far as the category shows them;
 * the form's own checks judge them when the citizen goes on. */
static void fill(ui *u, const cccd_card *c)
{
	static const struct { const char *field; size_t offset; } map[] = {
		{ "full_name", offsetof(cccd_card, name) },
		{ "citizen_id", offsetof(cccd_card, id) },
		{ "birth_date", offsetof(cccd_card, birth) },
		{ "address", offsetof(cccd_card, address) },
	};
	size_t i;

	for (i = 0; i < COUNT(map); i++) {
		int k = catalog_field_index(map[i].field);
		const char *v = (const char *)c + map[i].offset;
		if (k < 0 || !ui_field_visible(u, k) || strlen(v) >= UI_FIELD_BYTES) continue;
		sodium_memzero(u->fields[k], sizeof u->fields[k]);
		memcpy(u->fields[k], v, strlen(v) + 1);
		ime_nfc(u->fields[k]);
		u->errors[k] = VALID_OK;
	}
	ime_reset(&u->input);
}

/* A scanner's line read as a card into the form, or refused. */
static void read_card(ui *u, const char *text)
{
	cccd_card card;
	char err[160];

	/* The reason goes nowhere: it would say what the card holds. */
	if (cccd_parse(text, &card, err, sizeof err) == 0) {
		fill(u, &card);
		u->scan_msg = card.marks ? T_SCAN_FILLED : T_SCAN_NO_MARKS;
		u->form_error = 0;
	} else {
		u->scan_msg = T_SCAN_NOT_CCCD;
	}
	sodium_memzero(&card, sizeof card);
	sodium_memzero(err, sizeof err);
}

int ui_scan_return(ui *u)
{
	if (u->scan_drop) {
		u->scan_drop = 0;
		line_end(u);
		return 1;
	}
	if (u->screen == SCREEN_FORM && line_scanned(u) && !cccd_is_scan(u->scan, u->scan_len)) {
		/* A scanner typed into the field after a letter, where nothing
		 * was held: what it typed is taken back, the field is as it was,
		 * and the line as the scanner sent it is read as a card or
		 * refused (a receipt's address, a barcode). */
		char *f = u->fields[u->focus];
		sodium_memzero(f, UI_FIELD_BYTES);
		memcpy(f, u->line_before, strlen(u->line_before) + 1);
		ime_reset(&u->input);
		u->errors[u->focus] = VALID_OK;
		if (u->line_raw_len <= CCCD_TEXT_MAX) read_card(u, u->line_raw);
		else u->scan_msg = T_SCAN_NOT_CCCD;
		scan_clear(u);
		line_end(u);
		return 1;
	}
	if (!u->scan_len || !cccd_is_scan(u->scan, u->scan_len)) {
		ui_scan_flush(u);
		return 0;
	}
	read_card(u, u->scan);
	scan_clear(u);
	line_end(u);
	return 1;
}

int ui_scan_backspace(ui *u)
{
	if (!u->scan_len || cccd_is_scan(u->scan, u->scan_len)) return 0;
	u->scan_len = utf8_last_start(u->scan, u->scan_len);
	u->scan[u->scan_len] = '\0';
	u->dirty = 1;
	return 1;
}

const char *ui_scan_shown(ui *u, int field)
{
	if (field != u->focus || !u->scan_len || cccd_is_scan(u->scan, u->scan_len)) return NULL;
	return u->scan;
}
