/* token: the receipt's lookup token, the only key a citizen holds to check
 * on a request from the kiosk or a phone.
 *
 * A token is 12 random Crockford base32 symbols (60 bits, enough that
 * guessing a live token is hopeless) and one check symbol, Crockford's value
 * mod 37, which catches every single mistyped symbol and every swap of two
 * neighbouring symbols before a lookup is even tried. New tokens are drawn so
 * that the check is always a letter or digit; codes issued earlier may end in
 * * ~ $ = or U and still work. The canonical form is
 * 13 uppercase characters; people see it grouped as ABCD-EFGH-JKMNP. The QR
 * code on the receipt holds "<public base URL>/r/<token>", so a USB scanner
 * may type the whole URL: token_parse accepts that as well as whatever a
 * person types by hand. */
#ifndef MOTCUA_TOKEN_H
#define MOTCUA_TOKEN_H

#define TOKEN_LEN 13
#define TOKEN_GROUPED_LEN 15

enum { TOKEN_OK = 0, TOKEN_MALFORMED = -1, TOKEN_BADCHECK = -2 };

/* Draws a new token from getrandom(2) into out (canonical form, NUL
 * terminated). Returns 0, or -1 if the kernel gave no randomness (errno set);
 * out is then the empty string. */
int token_new(char out[TOKEN_LEN + 1]);

/* Reads a token as typed or scanned: surrounding whitespace, lower case,
 * hyphens or spaces between groups, Crockford's aliases (I, L -> 1; O -> 0)
 * and a whole URL ".../r/<token>" (the part after the last "/r/", up to a
 * '?', '#' or trailing '/'; percent-escapes there are decoded). On success
 * writes the canonical form to out and returns TOKEN_OK. Twelve symbols are
 * also read, as an old code whose check is one of * ~ $ = U typed without
 * it (keyboards without symbol keys): then the check is added back; twelve
 * symbols of any other code are TOKEN_MALFORMED. Otherwise out is the
 * empty string and the result is TOKEN_MALFORMED (wrong length, a character
 * outside the alphabet) or TOKEN_BADCHECK (the check symbol does not match,
 * i.e. almost surely a typing mistake). */
int token_parse(const char *input, char out[TOKEN_LEN + 1]);

/* Writes the canonical token as "ABCD-EFGH-JKMNP". A token that is not
 * TOKEN_LEN characters long gives the empty string. */
void token_group(const char *token, char out[TOKEN_GROUPED_LEN + 1]);

#endif
