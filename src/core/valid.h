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
	VALID_DOSSIER,    /* not a provincial dossier number (VALID_DOSSIER_FORM) */
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
/* The provincial system's dossier number (mã số hồ sơ) that the counter
 * records when it accepts a dossier: the receiving unit's code as the
 * provinces' one-stop systems write it (four groups of 3, 2, 2 and 3
 * characters, the last the province's code, a letter and two digits), the
 * date received as YYMMDD and a sequence number of 4 to 6 digits, e.g.
 * 000.00.01.H26-260930-0012. Spaces around it are ignored and letters
 * taken in either case; normalized (if not NULL) then holds it in capitals,
 * else "". The date must be a real one. */
#define VALID_DOSSIER_FORM "000.00.01.H26-260930-0012 (unit code, date received YYMMDD, sequence)"
#define VALID_DOSSIER_MAX 32
valid_code valid_dossier(const char *s, char normalized[VALID_DOSSIER_MAX]);

#endif
