/* valid: field checks for the citizen's form (see valid.h).
 *
 * The character classes are range tables so that adding a code point is a
 * one-line change. Spaces here are Unicode's space separators: an elderly
 * user's phone keyboard or a pasted text can bring no-break or ideographic
 * spaces, and a field holding only those is as empty as one holding
 * nothing. */
#include "valid.h"
#include <stdio.h>
#include "cal.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define VALID_PHONE_DIGITS 10
#define VALID_CITIZEN_ID_DIGITS 12

typedef struct {
	uint32_t lo, hi;
} valid_range;

/* Characters no form field may hold. Beyond C0, DEL and C1: the Arabic
 * letter mark and the zero-width, directional, line/paragraph separator,
 * embedding/override, invisible-operator and isolate controls (with the
 * deprecated shaping controls after them), and the BOM.
 * They are invisible, and the directional ones reorder what is shown. */
static const valid_range valid_controls[] = {
	{ 0x0000, 0x001F },
	{ 0x007F, 0x009F },
	{ 0x061C, 0x061C },
	{ 0x200B, 0x200F },
	{ 0x2028, 0x202E },
	{ 0x2060, 0x2064 },
	{ 0x2066, 0x206F },
	{ 0xFEFF, 0xFEFF },
};

/* Unicode space separators (general category Zs). */
static const valid_range valid_spaces[] = {
	{ 0x0020, 0x0020 },
	{ 0x00A0, 0x00A0 },
	{ 0x1680, 0x1680 },
	{ 0x2000, 0x200A },
	{ 0x202F, 0x202F },
	{ 0x205F, 0x205F },
	{ 0x3000, 0x3000 },
};

/* What people put between digit groups, ignored in numbers. */
static const unsigned char valid_phone_ignored[128] = {
	[' '] = 1, ['.'] = 1, ['-'] = 1,
};
static const unsigned char valid_id_ignored[128] = {
	[' '] = 1,
};

/* The country code that may stand in place of the leading 0. */
static const char valid_country_code[] = "84";

static int valid_in(const valid_range *r, size_t n, uint32_t cp)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi) return 1;
	return 0;
}

valid_code valid_text(const char *s, size_t max_chars, int multiline, int required)
{
	size_t len, pos = 0, chars = 0;
	int blank = 1;

	if (!s) s = "";
	len = strlen(s);
	if (!utf8_valid(s, len)) return VALID_BAD_UTF8;
	while (pos < len) {
		uint32_t cp = utf8_decode(s, len, &pos);
		chars++;
		if (cp == '\n' && multiline) continue;
		if (valid_in(valid_controls, sizeof valid_controls / sizeof valid_controls[0], cp))
			return VALID_CONTROL;
		if (!valid_in(valid_spaces, sizeof valid_spaces / sizeof valid_spaces[0], cp))
			blank = 0;
	}
	if (blank && required) return VALID_REQUIRED;
	if (chars > max_chars) return VALID_TOO_LONG;
	return VALID_OK;
}

/* Collects the ASCII digits of s into digits (room for max + 1), skipping
 * the ignored separators and, if plus is not NULL, one leading '+'.
 * Returns the digit count, or -1 for any other character or too many. */
static int valid_digits(const char *s, const unsigned char ignored[128], int *plus,
	char *digits, size_t max)
{
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 128 && ignored[*p]) continue;
		if (*p == '+' && plus && !*plus && n == 0) {
			*plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || n == max) return -1;
		digits[n++] = (char)*p;
	}
	digits[n] = '\0';
	return (int)n;
}

valid_code valid_phone(const char *s, int required, char normalized[11])
{
	/* Room for "84" + "0" + 9 digits, the longest accepted form. */
	char digits[VALID_PHONE_DIGITS + 3];
	const char *rest = digits;
	size_t cc = sizeof valid_country_code - 1, n;
	int plus = 0, got;

	if (normalized) normalized[0] = '\0';
	got = valid_digits(s ? s : "", valid_phone_ignored, &plus, digits, sizeof digits - 1);
	if (got < 0) return VALID_PHONE;
	if (got == 0 && !plus) return required ? VALID_REQUIRED : VALID_OK;
	n = (size_t)got;

	/* With the country code the 0 is dropped: "+84 912 345 678". The '+'
	 * is often left out; that is unambiguous, as national numbers start
	 * with 0. */
	if (n > cc && strncmp(digits, valid_country_code, cc) == 0) {
		rest = digits + cc;
		n -= cc;
		if (n == VALID_PHONE_DIGITS - 1 && rest[0] != '0') {
			if (normalized) {
				normalized[0] = '0';
				memcpy(normalized + 1, rest, n + 1);
			}
			return VALID_OK;
		}
	} else if (plus) {
		return VALID_PHONE;
	}
	/* The national form; no Vietnamese number starts with "00". */
	if (n != VALID_PHONE_DIGITS || rest[0] != '0' || rest[1] == '0') return VALID_PHONE;
	if (normalized) memcpy(normalized, rest, n + 1);
	return VALID_OK;
}

valid_code valid_date(const char *s, int required, char normalized[11])
{
	char digits[9], iso[11];
	size_t i, n = 0, slashes = 0;
	cal_date d;

	if (normalized) normalized[0] = '\0';
	for (i = 0; s && s[i]; i++) {
		if (s[i] == ' ') continue;
		if (s[i] == '/' && (n == 2 || n == 4) && slashes < 2 && i > 0 && s[i - 1] != '/') { slashes++; continue; }
		if (s[i] < '0' || s[i] > '9' || n == 8) return VALID_DATE;
		digits[n++] = s[i];
	}
	if (n == 0 && slashes == 0) return required ? VALID_REQUIRED : VALID_OK;
	if (n != 8 || slashes == 1) return VALID_DATE;
	snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", digits + 4, digits + 2, digits);
	if (cal_date_parse(iso, &d) != 0 || d.year < 1900 || d.year > 2100) return VALID_DATE;
	if (normalized) snprintf(normalized, 11, "%.2s/%.2s/%.4s", digits, digits + 2, digits + 4);
	return VALID_OK;
}

valid_code valid_citizen_id(const char *s, int required, char normalized[13])
{
	char digits[VALID_CITIZEN_ID_DIGITS + 1];
	int got;

	if (normalized) normalized[0] = '\0';
	got = valid_digits(s ? s : "", valid_id_ignored, NULL, digits, sizeof digits - 1);
	if (got == 0) return required ? VALID_REQUIRED : VALID_OK;
	if (got != VALID_CITIZEN_ID_DIGITS) return VALID_CITIZEN_ID;
	if (normalized) memcpy(normalized, digits, sizeof digits);
	return VALID_OK;
}

/* One character of a dossier number's pattern: '9' a digit, 'X' a digit
 * or capital letter, 'A' a capital letter, else itself. */
static int valid_dossier_char(char pattern, char c)
{
	int digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';
	switch (pattern) {
	case '9': return digit;
	case 'X': return digit || upper;
	case 'A': return upper;
	default: return c == pattern;
	}
}

valid_code valid_dossier(const char *s, char normalized[VALID_DOSSIER_MAX])
{
	static const char head[] = "XXX.XX.XX.A99-999999-9999";
	char buf[VALID_DOSSIER_MAX];
	size_t n = 0, i, len;
	int mm, dd;

	if (normalized) normalized[0] = '\0';
	if (!s) return VALID_REQUIRED;
	while (*s == ' ') s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ') len--;
	if (len == 0) return VALID_REQUIRED;
	if (len >= sizeof buf) return VALID_DOSSIER;
	for (i = 0; i < len; i++) buf[n++] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	buf[n] = '\0';
	/* The fixed part, then two more digits of sequence at most. */
	if (n < sizeof head - 1 || n > sizeof head + 1) return VALID_DOSSIER;
	for (i = 0; i < n; i++)
		if (!valid_dossier_char(i < sizeof head - 1 ? head[i] : '9', buf[i])) return VALID_DOSSIER;
	mm = (buf[16] - '0') * 10 + (buf[17] - '0');
	dd = (buf[18] - '0') * 10 + (buf[19] - '0');
	if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return VALID_DOSSIER;
	{
		/* A real date: 31 only in long months, 29 February only in leap years (20YY). */
		static const int days[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int yy = (buf[14] - '0') * 10 + (buf[15] - '0');
		if (dd > days[mm] || (mm == 2 && dd == 29 && yy % 4 != 0)) return VALID_DOSSIER;
	}
	if (normalized) memcpy(normalized, buf, n + 1);
	return VALID_OK;
}
