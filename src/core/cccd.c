/* cccd: the CCCD's QR text read into fields (see cccd.h). Strict about the
 * numbers and dates, which must be what a card holds; lenient about the
 * texts, which a scanner in keyboard mode may have typed without their
 * marks. */
#include "cccd.h"
#include "cal.h"
#include "utf8.h"
#include "valid.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ID_DIGITS 12
#define OLD_ID_DIGITS 9
#define MAX_FIELDS 8

/* A field of the code, as a span of the text. */
typedef struct { const char *s; size_t n; } span;

static int all_digits(span f, size_t want)
{
	size_t i;

	if (f.n != want) return 0;
	for (i = 0; i < f.n; i++)
		if (f.s[i] < '0' || f.s[i] > '9') return 0;
	return 1;
}

/* DDMMYYYY naming a real date, written DD/MM/YYYY. */
static int date_field(span f, char out[11])
{
	char iso[11];
	cal_date d;

	if (!all_digits(f, 8)) return -1;
	snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", f.s + 4, f.s + 2, f.s);
	if (cal_date_parse(iso, &d) != 0) return -1;
	snprintf(out, 11, "%.2s/%.2s/%.4s", f.s, f.s + 2, f.s + 4);
	return 0;
}

/* A text field: valid UTF-8, no control characters, trimmed, 1..max
 * characters, no digits when letters_only. */
static int text_field(span f, size_t max, int letters_only, char *out, size_t outlen, int *marks)
{
	size_t pos = 0, chars = 0;

	while (f.n > 0 && f.s[0] == ' ') { f.s++; f.n--; }
	while (f.n > 0 && f.s[f.n - 1] == ' ') f.n--;
	if (f.n == 0 || f.n >= outlen || !utf8_valid(f.s, f.n)) return -1;
	while (pos < f.n) {
		uint32_t cp = utf8_decode(f.s, f.n, &pos);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return -1;
		if (letters_only && cp >= '0' && cp <= '9') return -1;
		if (cp >= 0x80) *marks = 1;
		chars++;
	}
	if (chars > max) return -1;
	memcpy(out, f.s, f.n);
	out[f.n] = '\0';
	return 0;
}

static int fail(cccd_card *out, char *err, size_t errlen, const char *what)
{
	sodium_memzero(out, sizeof *out);
	snprintf(err, errlen, "not a CCCD code: %s", what);
	return -1;
}

int cccd_parse(const char *text, cccd_card *out, char *err, size_t errlen)
{
	span f[MAX_FIELDS];
	size_t len, n = 0, start = 0, i;
	int k = 0, name_marks = 0, sex_marks = 0;

	memset(out, 0, sizeof *out);
	if (!text) return fail(out, err, errlen, "nothing was read");
	len = strlen(text);
	/* a scanner may end the line with CR or LF */
	while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == '\n')) len--;
	if (len == 0) return fail(out, err, errlen, "nothing was read");
	if (len > CCCD_TEXT_MAX) return fail(out, err, errlen, "longer than a card's code");
	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '|') continue;
		if (n == MAX_FIELDS) return fail(out, err, errlen, "too many fields");
		f[n].s = text + start;
		f[n].n = i - start;
		n++;
		start = i + 1;
	}
	/* A trailing '|' some cards add is no field. */
	if (n > 1 && f[n - 1].n == 0) n--;
	if (n != 6 && n != 7) return fail(out, err, errlen, "a card's code has 6 or 7 fields separated by |");
	if (all_digits(f[0], ID_DIGITS)) memcpy(out->id, f[0].s, ID_DIGITS);
	if (!out->id[0] || valid_citizen_id(out->id, 1, NULL) != VALID_OK)
		return fail(out, err, errlen, "field 1 is not a 12-digit ID number");
	k = 1;
	if (n == 7) {
		if (f[1].n != 0 && !all_digits(f[1], OLD_ID_DIGITS))
			return fail(out, err, errlen, "field 2 is not a 9-digit old ID number");
		memcpy(out->old_id, f[1].s, f[1].n);
		k = 2;
	}
	if (text_field(f[k], CCCD_NAME_MAX, 1, out->name, sizeof out->name, &name_marks) != 0)
		return fail(out, err, errlen, "the name field is empty, too long or holds digits");
	if (date_field(f[k + 1], out->birth) != 0)
		return fail(out, err, errlen, "the date of birth is not a date DDMMYYYY");
	if (text_field(f[k + 2], 4, 1, out->sex, sizeof out->sex, &sex_marks) != 0)
		return fail(out, err, errlen, "the sex field is empty or wrong");
	if (text_field(f[k + 3], CCCD_ADDRESS_MAX, 0, out->address, sizeof out->address, &out->marks) != 0)
		return fail(out, err, errlen, "the address field is empty or too long");
	if (date_field(f[k + 4], out->issued) != 0)
		return fail(out, err, errlen, "the issue date is not a date DDMMYYYY");
	out->marks = out->marks || name_marks;
	return 0;
}

int cccd_may_start(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < ID_DIGITS; i++)
		if (text[i] < '0' || text[i] > '9') return 0;
	return len <= ID_DIGITS || text[ID_DIGITS] == '|';
}

int cccd_is_scan(const char *text, size_t len)
{
	return len > ID_DIGITS && cccd_may_start(text, len);
}
