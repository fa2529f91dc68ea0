/* valid: checks on what a citizen types into the kiosk's form.
 *
 * Each rule is one function returning a code; the UI turns codes into
 * messages in the citizen's language, so no text lives here. The rules keep
 * out what would be trouble further on: malformed UTF-8, control characters
 * and invisible bidirectional or zero-width marks (which can make a name on
 * an official's screen read differently from what was typed), overlong
 * texts, and phone numbers or citizen ID numbers that cannot be right. */
#ifndef MOTCUA_VALID_H
#define MOTCUA_VALID_H

#include <stddef.h>

typedef enum {
	VALID_OK,
	VALID_REQUIRED,   /* empty (or only spaces) but required */
	VALID_TOO_LONG,   /* more code points than allowed */
	VALID_CONTROL,    /* a control, format or bidi character */
	VALID_BAD_UTF8,   /* not well-formed UTF-8 */
	VALID_PHONE,      /* not a Vietnamese phone number */
	VALID_CITIZEN_ID, /* not 12 digits */
	VALID_DATE,       /* not a date DD/MM/YYYY */
} valid_code;

/* Free text. Checked in this order: well-formed UTF-8; no control
 * characters (C0, DEL, C1, U+200B..U+200F, U+2028..U+202E, U+2060..U+2064,
 * U+2066..U+206F, U+061C, U+FEFF; a newline is allowed only if multiline, a
 * tab never); not blank after trimming spaces (Unicode spaces and, in
 * multiline text, newlines) when required; at most max_chars code points.
 * NULL counts as the empty string. */
valid_code valid_text(const char *s, size_t max_chars, int multiline, int required);

/* A Vietnamese phone number: 10 digits starting with 0, or the same with
 * the country code, "+84" or "84", in place of the 0 (a 0 kept after the
 * country code is accepted too). Spaces, dots and hyphens are ignored. On
 * VALID_OK, normalized (if not NULL) holds the 10 digits "0..." or, for an
 * empty optional field, ""; otherwise it is "". */
valid_code valid_phone(const char *s, int required, char normalized[11]);

/* A citizen ID (căn cước) number: exactly 12 digits; spaces are ignored.
 * normalized (if not NULL) receives the digits, or "" as for valid_phone. */
valid_code valid_citizen_id(const char *s, int required, char normalized[13]);

/* A date of birth as the citizen ID card writes it: DD/MM/YYYY (or the
 * card's QR form DDMMYYYY), a real date in the years 1900..2100; spaces
 * are ignored. normalized (if not NULL) receives "DD/MM/YYYY", or "" as
 * for valid_phone. */
valid_code valid_date(const char *s, int required, char normalized[11]);

#endif
