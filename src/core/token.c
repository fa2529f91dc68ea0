/* token: making, reading and showing receipt lookup tokens (see token.h).
 *
 * The encoding is Douglas Crockford's base32 with its mod-37 check symbol.
 * It was chosen for people copying a code from paper: no I, L, O or U among
 * the data symbols, and the three look-alikes are read as the digits people
 * meant. 37 is prime and larger than the alphabet, so changing any one
 * symbol, or swapping two different neighbours, always changes the value
 * mod 37 and the check symbol no longer matches.
 *
 * Codes issued before 2026-12 end in one of the check-only symbols * ~ $ = U
 * about once in seven (5 of the 37 remainders), which people found hard to
 * write down or read out. New codes keep the same check, so no code is valid
 * under two rules and every mistake is still caught, but are drawn only among
 * the values whose remainder mod 37 is a data symbol (0..31): the check is
 * then always a letter or digit. Old codes keep working as they are, and one
 * whose check is a symbol may also be typed without it (see token_parse). */
#include "token.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#define TOKEN_DATA_SYMBOLS 12
#define TOKEN_BITS_PER_SYMBOL 5
#define TOKEN_CHECK_MOD 37

/* Symbol values 0..31 encode data; 32..36 exist only as check symbols. */
static const char token_alphabet[TOKEN_CHECK_MOD + 1] =
	"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

/* ASCII -> symbol value + 1 (0: not a symbol). Lower case and Crockford's
 * aliases are folded here, so the parser has no special cases. */
static const unsigned char token_value_of[128] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16, ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20,
	['M'] = 21, ['N'] = 22, ['P'] = 23, ['Q'] = 24, ['R'] = 25,
	['S'] = 26, ['T'] = 27, ['V'] = 28, ['W'] = 29, ['X'] = 30,
	['Y'] = 31, ['Z'] = 32,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['g'] = 17, ['h'] = 18, ['j'] = 19, ['k'] = 20,
	['m'] = 21, ['n'] = 22, ['p'] = 23, ['q'] = 24, ['r'] = 25,
	['s'] = 26, ['t'] = 27, ['v'] = 28, ['w'] = 29, ['x'] = 30,
	['y'] = 31, ['z'] = 32,
	['O'] = 1, ['o'] = 1, ['I'] = 2, ['i'] = 2, ['L'] = 2, ['l'] = 2,
	['*'] = 33, ['~'] = 34, ['$'] = 35, ['='] = 36, ['U'] = 37, ['u'] = 37,
};

/* What may stand between groups, or around the whole token. */
static const unsigned char token_is_space[128] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1,
};
static const unsigned char token_is_separator[128] = {
	['-'] = 1, [' '] = 1, ['\t'] = 1,
};

static const signed char token_hex_value[128] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int token_ascii_in(const unsigned char table[128], unsigned char c)
{
	return c < 128 && table[c];
}

static void token_encode(uint64_t value, char out[TOKEN_LEN + 1])
{
	int i;

	for (i = TOKEN_DATA_SYMBOLS - 1; i >= 0; i--) {
		out[i] = token_alphabet[value & 31u];
		value >>= TOKEN_BITS_PER_SYMBOL;
	}
}

static void token_finish(uint64_t value, char out[TOKEN_LEN + 1])
{
	token_encode(value, out);
	out[TOKEN_DATA_SYMBOLS] = token_alphabet[value % TOKEN_CHECK_MOD];
	out[TOKEN_LEN] = '\0';
}

int token_new(char out[TOKEN_LEN + 1])
{
	unsigned char buf[8];
	size_t got = 0;
	uint64_t value = 0;
	size_t i;

	out[0] = '\0';
	/* Redraw while the check would be a symbol: 5 draws in 37 are thrown
	 * away, which costs log2(37/32) = 0.21 of the 60 bits, and the values
	 * kept stay uniform among themselves. */
	do {
		got = 0;
		while (got < sizeof buf) {
			ssize_t n = getrandom(buf + got, sizeof buf - got, 0);
			if (n < 0) {
				if (errno == EINTR) continue;
				return -1;
			}
			got += (size_t)n;
		}
		value = 0;
		for (i = 0; i < sizeof buf; i++) value = (value << 8) | buf[i];
		/* Keep exactly the 60 bits that 12 symbols carry. */
		value >>= 64 - TOKEN_DATA_SYMBOLS * TOKEN_BITS_PER_SYMBOL;
	} while (value % TOKEN_CHECK_MOD >= 32);
	token_finish(value, out);
	return 0;
}

/* Narrows [*s, *e) to the token part of a ".../r/<token>" URL. Case is
 * folded because a scanner with Caps Lock on types "/R/". Returns 1 if the
 * text was a URL (so percent-escapes apply), 0 if it is left as it was. */
static int token_url_part(const char **s, const char **e)
{
	const char *p, *mark = NULL, *end;

	/* The query and fragment go first: they may hold "/r/" themselves. */
	for (end = *s; end < *e && *end != '?' && *end != '#'; end++)
		;
	for (p = *s; p + 3 <= end; p++)
		if (p[0] == '/' && (p[1] == 'r' || p[1] == 'R') && p[2] == '/')
			mark = p + 3;
	if (!mark) return 0;
	if (end > mark && end[-1] == '/') end--;
	*s = mark;
	*e = end;
	return 1;
}

/* Next byte of the token text, decoding "%XX" in URLs (a phone browser or
 * a link shortener may escape '$', '*' or '='). Returns -1 at a bad escape. */
static int token_next_byte(const char **p, const char *e, int url)
{
	const unsigned char *u = (const unsigned char *)*p;

	if (url && u[0] == '%') {
		if (e - *p < 3 || u[1] >= 128 || u[2] >= 128 ||
		    !token_hex_value[u[1]] || !token_hex_value[u[2]])
			return -1;
		*p += 3;
		return (token_hex_value[u[1]] - 1) * 16 + (token_hex_value[u[2]] - 1);
	}
	*p += 1;
	return u[0];
}

int token_parse(const char *input, char out[TOKEN_LEN + 1])
{
	unsigned char sym[TOKEN_LEN];
	const char *s, *e, *p;
	size_t n = 0, i;
	uint64_t value = 0;
	int url;

	out[0] = '\0';
	if (!input) return TOKEN_MALFORMED;
	s = input;
	e = s + strlen(s);
	while (s < e && token_ascii_in(token_is_space, (unsigned char)*s)) s++;
	while (e > s && token_ascii_in(token_is_space, (unsigned char)e[-1])) e--;
	url = token_url_part(&s, &e);

	for (p = s; p < e;) {
		int c = token_next_byte(&p, e, url);
		if (c < 0 || c >= 128) return TOKEN_MALFORMED;
		if (token_is_separator[c]) continue;
		if (!token_value_of[c] || n == TOKEN_LEN) return TOKEN_MALFORMED;
		sym[n++] = (unsigned char)(token_value_of[c] - 1);
	}
	if (n != TOKEN_LEN && n != TOKEN_DATA_SYMBOLS) return TOKEN_MALFORMED;

	for (i = 0; i < TOKEN_DATA_SYMBOLS; i++) {
		if (sym[i] >= 32) return TOKEN_MALFORMED;
		value = (value << TOKEN_BITS_PER_SYMBOL) | sym[i];
	}
	/* Twelve symbols: an old code typed on a keyboard without symbol keys.
	 * Only a value whose check is a symbol is completed; any other code
	 * has a letter or digit as check and must be typed whole. */
	if (n == TOKEN_DATA_SYMBOLS) {
		if (value % TOKEN_CHECK_MOD < 32) return TOKEN_MALFORMED;
		token_finish(value, out);
		return TOKEN_OK;
	}
	if (value % TOKEN_CHECK_MOD != sym[TOKEN_DATA_SYMBOLS])
		return TOKEN_BADCHECK;
	token_finish(value, out);
	return TOKEN_OK;
}

void token_group(const char *token, char out[TOKEN_GROUPED_LEN + 1])
{
	/* Where each canonical symbol goes: 4 + 4 + 5, hyphens between. */
	static const unsigned char at[TOKEN_LEN] = {
		0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14,
	};
	size_t i;

	out[0] = '\0';
	if (!token || strlen(token) != TOKEN_LEN) return;
	out[4] = out[9] = '-';
	for (i = 0; i < TOKEN_LEN; i++) out[at[i]] = token[i];
	out[TOKEN_GROUPED_LEN] = '\0';
}
