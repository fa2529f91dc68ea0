/* cccd: the QR code on the back of a chip citizen ID card (CCCD), read
 * into its fields to fill a form.
 *
 * The code holds fields separated by '|': the 12-digit ID number, the old
 * 9-digit ID (some cards leave it empty, some omit the field), the full
 * name, the date of birth (DDMMYYYY), sex, the permanent address and the
 * issue date (DDMMYYYY). It is not signed: what it says fills a form that
 * the citizen checks and edits, it proves nothing. The address predates
 * the 2025 mergers of communes. Nothing here logs or keeps what it reads:
 * the caller owns the card and wipes it. */
#ifndef MOTCUA_CCCD_H
#define MOTCUA_CCCD_H

#include <stddef.h>

#define CCCD_NAME_MAX 100      /* characters, as the form's name field */
#define CCCD_ADDRESS_MAX 200   /* characters, as the form's address field */
#define CCCD_TEXT_MAX 1024     /* bytes of a whole code that is accepted */

typedef struct {
	char id[13];                   /* 12 digits */
	char old_id[10];               /* 9 digits, or empty */
	char name[CCCD_NAME_MAX * 4 + 1];
	char birth[11];                /* DD/MM/YYYY */
	char sex[16];
	char address[CCCD_ADDRESS_MAX * 4 + 1];
	char issued[11];               /* DD/MM/YYYY */
	int marks;                     /* 1 if name or address has a letter beyond ASCII */
} cccd_card;

/* Reads a CCCD's QR text. 0 and *out; -1 with a message in err saying which
 * field is wrong and why (never quoting the text), *out then zeroed. */
int cccd_parse(const char *text, cccd_card *out, char *err, size_t errlen);

/* 1 if text (a prefix of what a scanner is typing) can still become a
 * CCCD's code: digits up to the 12 of the ID number, then '|' and more. */
int cccd_may_start(const char *text, size_t len);

/* 1 if text has the field separator after 12 digits: a CCCD's code or
 * nothing, no more a person typing. */
int cccd_is_scan(const char *text, size_t len);

#endif
