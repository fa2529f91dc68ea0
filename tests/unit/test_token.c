/* Tests for token: the receipt lookup token must catch every mistyped
 * symbol and every swap of two neighbours, read what people and scanners
 * actually send (URLs, groups, lower case, look-alike letters) and never
 * repeat. The test carries its own encoder so the check symbol is verified
 * against an independent computation, not against token.c itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

#define ALPHABET "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"
#define RANDOM_TOKENS 300

/* Deterministic 64-bit generator (splitmix64) so failures reproduce. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Reference encoding straight from Crockford's description. */
static void ref_encode(uint64_t value, char out[TOKEN_LEN + 1])
{
	uint64_t v = value;
	int i;

	for (i = 11; i >= 0; i--) {
		out[i] = ALPHABET[v % 32];
		v /= 32;
	}
	out[12] = ALPHABET[value % 37];
	out[13] = '\0';
}

static void make_token(uint64_t *state, char out[TOKEN_LEN + 1])
{
	ref_encode(next_random(state) >> 4, out);
}

static void test_known_values(void **st)
{
	char tok[TOKEN_LEN + 1], out[TOKEN_LEN + 1];
	(void)st;

	assert_int_equal(token_parse("0000000000000", out), TOKEN_OK);
	assert_string_equal(out, "0000000000000");
	/* 2^60 - 1 = 1152921504606846975, and that mod 37 is 9 -> '9'. */
	assert_int_equal(token_parse("ZZZZZZZZZZZZ9", out), TOKEN_OK);
	assert_string_equal(out, "ZZZZZZZZZZZZ9");
	assert_int_equal(token_parse("ZZZZZZZZZZZZA", out), TOKEN_BADCHECK);
	/* 37 = "15" in base32, check 0; 36 = "14", check 'U'. */
	assert_int_equal(token_parse("0000000000150", out), TOKEN_OK);
	assert_int_equal(token_parse("000000000014U", out), TOKEN_OK);
	assert_string_equal(out, "000000000014U");
	assert_int_equal(token_parse("000000000014u", out), TOKEN_OK);
	assert_string_equal(out, "000000000014U");
	/* Values whose check is each of the five check-only symbols. */
	for (uint64_t v = 32; v <= 36; v++) {
		ref_encode(v + 37 * 123456789ull, tok);
		assert_int_equal(token_parse(tok, out), TOKEN_OK);
		assert_string_equal(out, tok);
		assert_int_equal(tok[12], ALPHABET[v]);
	}
}

static void test_new_tokens(void **st)
{
	char tok[TOKEN_LEN + 1], out[TOKEN_LEN + 1];
	(void)st;

	for (int k = 0; k < 1000; k++) {
		assert_int_equal(token_new(tok), 0);
		assert_int_equal(strlen(tok), TOKEN_LEN);
		for (int i = 0; i < 12; i++)
			assert_non_null(memchr(ALPHABET, tok[i], 32));
		assert_non_null(strchr(ALPHABET, tok[12]));
		assert_int_equal(token_parse(tok, out), TOKEN_OK);
		assert_string_equal(out, tok);
	}
}

/* New codes end in a letter or digit: in 20000 draws, with the old rule,
 * about 2700 would have ended in * ~ $ = or U. The check is still the
 * reference mod-37 value, so codes already issued and new ones follow one
 * rule. */
static void test_new_checks_are_letters_or_digits(void **st)
{
	char tok[TOKEN_LEN + 1], ref[TOKEN_LEN + 1];
	int last_seen[32] = { 0 };
	(void)st;

	for (int k = 0; k < 20000; k++) {
		uint64_t v = 0;
		assert_int_equal(token_new(tok), 0);
		assert_non_null(memchr(ALPHABET, tok[12], 32));
		for (int i = 0; i < 12; i++) v = v * 32 + (uint64_t)(strchr(ALPHABET, tok[i]) - ALPHABET);
		ref_encode(v, ref);
		assert_string_equal(ref, tok);
		last_seen[strchr(ALPHABET, tok[12]) - ALPHABET]++;
	}
	/* Every letter and digit still turns up as a check (about 625 each). */
	for (int c = 0; c < 32; c++) assert_true(last_seen[c] > 400);
}

/* A code issued before the change, ending in a check-only symbol, is read
 * whole (typed, scanned, percent-escaped) and also typed without its last
 * symbol on a keyboard that has no symbol keys; twelve symbols of a code
 * whose check is a letter or digit are refused, so new codes keep their
 * check. */
static void test_old_codes_keep_working(void **st)
{
	char tok[TOKEN_LEN + 1], out[TOKEN_LEN + 1], in[64], grouped[TOKEN_GROUPED_LEN + 1];
	uint64_t state = 7;
	int old = 0, plain = 0;
	(void)st;

	for (uint64_t v = 32; v <= 36; v++) {
		ref_encode(v + 37 * 55555555ull, tok);
		assert_int_equal(token_parse(tok, out), TOKEN_OK);
		assert_string_equal(out, tok);
		snprintf(in, sizeof in, "%.12s", tok);
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);
		token_group(tok, grouped);
		snprintf(in, sizeof in, "%.14s", grouped);
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);
	}
	for (int k = 0; k < 2000; k++) {
		make_token(&state, tok);
		snprintf(in, sizeof in, "%.12s", tok);
		if (strchr("*~$=U", tok[12])) {
			assert_int_equal(token_parse(in, out), TOKEN_OK);
			assert_string_equal(out, tok);
			old++;
		} else {
			assert_int_equal(token_parse(in, out), TOKEN_MALFORMED);
			assert_string_equal(out, "");
			plain++;
		}
	}
	assert_true(old > 150 && plain > 1500);
	for (int k = 0; k < 200; k++) {
		assert_int_equal(token_new(tok), 0);
		snprintf(in, sizeof in, "%.12s", tok);
		assert_int_equal(token_parse(in, out), TOKEN_MALFORMED);
	}
}

static void check_substitutions(const char *tok)
{
	char bad[TOKEN_LEN + 1], out[TOKEN_LEN + 1];

	for (int pos = 0; pos < TOKEN_LEN; pos++) {
		for (int a = 0; a < 37; a++) {
			if (ALPHABET[a] == tok[pos]) continue;
			memcpy(bad, tok, sizeof bad);
			bad[pos] = ALPHABET[a];
			int r = token_parse(bad, out);
			if (pos < 12 && a >= 32)
				assert_int_equal(r, TOKEN_MALFORMED);
			else
				assert_int_equal(r, TOKEN_BADCHECK);
			assert_string_equal(out, "");
		}
	}
}

static void test_every_substitution_caught(void **st)
{
	uint64_t state = 1;
	char tok[TOKEN_LEN + 1];
	(void)st;

	for (int k = 0; k < RANDOM_TOKENS; k++) {
		make_token(&state, tok);
		check_substitutions(tok);
	}
	for (int k = 0; k < 20; k++) {
		assert_int_equal(token_new(tok), 0);
		check_substitutions(tok);
	}
}

static void check_transpositions(const char *tok, int *tested)
{
	char bad[TOKEN_LEN + 1], out[TOKEN_LEN + 1];

	for (int pos = 0; pos + 1 < TOKEN_LEN; pos++) {
		if (tok[pos] == tok[pos + 1]) continue;
		memcpy(bad, tok, sizeof bad);
		bad[pos] = tok[pos + 1];
		bad[pos + 1] = tok[pos];
		assert_int_not_equal(token_parse(bad, out), TOKEN_OK);
		(*tested)++;
	}
}

static void test_every_transposition_caught(void **st)
{
	uint64_t state = 2;
	char tok[TOKEN_LEN + 1];
	int tested = 0;
	(void)st;

	for (int k = 0; k < RANDOM_TOKENS * 10; k++) {
		make_token(&state, tok);
		check_transpositions(tok, &tested);
	}
	/* Swaps with each check-only symbol in the last place. */
	for (uint64_t v = 32; v <= 36; v++) {
		ref_encode(v + 37 * 987654321ull, tok);
		check_transpositions(tok, &tested);
	}
	assert_true(tested > RANDOM_TOKENS * 10 * 10);
}

static void test_forms_people_type(void **st)
{
	char tok[TOKEN_LEN + 1], out[TOKEN_LEN + 1], in[128], grouped[TOKEN_GROUPED_LEN + 1];
	uint64_t state = 3;
	(void)st;

	for (int k = 0; k < 200; k++) {
		make_token(&state, tok);
		token_group(tok, grouped);

		assert_int_equal(token_parse(grouped, out), TOKEN_OK);
		assert_string_equal(out, tok);

		for (size_t i = 0; i < sizeof in && grouped[i]; i++)
			in[i] = (char)(grouped[i] >= 'A' && grouped[i] <= 'Z' ? grouped[i] + 32 : grouped[i]);
		in[TOKEN_GROUPED_LEN] = '\0';
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);

		snprintf(in, sizeof in, " \t%.4s %.4s %.5s\r\n", tok, tok + 4, tok + 8);
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);

		snprintf(in, sizeof in, "https://tracuu.example.gov.vn/motcua/r/%s", tok);
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);

		snprintf(in, sizeof in, "HTTPS://EXAMPLE.VN/R/%s/?utm=qr#top\n", grouped);
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);
	}
}

static void test_aliases_and_urls(void **st)
{
	char out[TOKEN_LEN + 1], tok[TOKEN_LEN + 1], in[128];
	(void)st;

	/* A token full of 0 and 1, to exercise O/o and I/i/L/l. */
	ref_encode(0x0420110000F01ull, tok);
	assert_non_null(strchr(tok, '0'));
	assert_non_null(strchr(tok, '1'));
	for (const char *alias = "OoIiLl"; *alias; alias++) {
		char from = (*alias == 'O' || *alias == 'o') ? '0' : '1';
		strcpy(in, tok);
		for (char *p = in; *p; p++)
			if (*p == from) *p = *alias;
		assert_int_equal(token_parse(in, out), TOKEN_OK);
		assert_string_equal(out, tok);
	}

	/* The last "/r/" counts; '?', '#' and one trailing '/' end the token. */
	snprintf(in, sizeof in, "http://h/r/JUNK/r/%s?x=/r/1", tok);
	assert_int_equal(token_parse(in, out), TOKEN_OK);
	assert_string_equal(out, tok);
	snprintf(in, sizeof in, "/r/%s#/r/x", tok);
	assert_int_equal(token_parse(in, out), TOKEN_OK);
	assert_string_equal(out, tok);
	snprintf(in, sizeof in, "/r/%s//", tok);
	assert_int_equal(token_parse(in, out), TOKEN_MALFORMED);

	/* A check-only symbol percent-escaped by a browser. */
	ref_encode(34 + 37 * 5ull, tok);
	assert_int_equal(tok[12], '$');
	snprintf(in, sizeof in, "https://h/r/%.12s%%24", tok);
	assert_int_equal(token_parse(in, out), TOKEN_OK);
	assert_string_equal(out, tok);
	snprintf(in, sizeof in, "https://h/r/%.12s%%2", tok);
	assert_int_equal(token_parse(in, out), TOKEN_MALFORMED);
	/* Outside a URL, '%' is just a wrong character. */
	snprintf(in, sizeof in, "%.12s%%24", tok);
	assert_int_equal(token_parse(in, out), TOKEN_MALFORMED);
}

static void test_garbage_is_malformed(void **st)
{
	static const char *const garbage[] = {
		"", "   ", "\n", "-", "------------", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMN",
		"0000000000000 0", "00000000000000", "000000000000",
		"0000000000U00", "00000*0000000", "ABCDEFGHJKMN!",
		"ĐĂNG-KÝ-KHAI-SINH", "0000000000\xC3\xA0" "00", "https://h/r/",
		"https://h/r/?x", "https://h/r/#", "https://h/x/0000000000000/r/",
		"0000_0000_00000", "0000.0000.00000", "hello world",
		"0000000000000?x", "0000000000000#", "0000000000000/",
	};
	char out[TOKEN_LEN + 1];
	(void)st;

	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		strcpy(out, "XXXX");
		assert_int_equal(token_parse(garbage[i], out), TOKEN_MALFORMED);
		assert_string_equal(out, "");
	}
	assert_int_equal(token_parse(NULL, out), TOKEN_MALFORMED);
}

static void test_group(void **st)
{
	char out[TOKEN_GROUPED_LEN + 1];
	(void)st;

	token_group("ABCDEFGHJKMNP", out);
	assert_string_equal(out, "ABCD-EFGH-JKMNP");
	assert_int_equal(strlen(out), TOKEN_GROUPED_LEN);
	token_group("ABC", out);
	assert_string_equal(out, "");
	token_group("ABCDEFGHJKMNPQ", out);
	assert_string_equal(out, "");
}

static int compare_tokens(const void *a, const void *b)
{
	return memcmp(a, b, TOKEN_LEN);
}

static void test_distinct_draws(void **st)
{
	enum { DRAWS = 100000 };
	char (*all)[TOKEN_LEN + 1] = malloc(sizeof *all * DRAWS);
	(void)st;

	assert_non_null(all);
	for (int i = 0; i < DRAWS; i++)
		assert_int_equal(token_new(all[i]), 0);
	qsort(all, DRAWS, sizeof *all, compare_tokens);
	for (int i = 1; i < DRAWS; i++)
		assert_true(memcmp(all[i - 1], all[i], TOKEN_LEN) != 0);
	/* The first symbol carries the top 5 random bits: over 100k draws every
	 * one of the 32 values must appear, or the bits are not random. */
	int seen[32] = {0};
	for (int i = 0; i < DRAWS; i++)
		seen[(const char *)memchr(ALPHABET, all[i][0], 32) - ALPHABET]++;
	for (int i = 0; i < 32; i++)
		assert_true(seen[i] > DRAWS / 32 / 2);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_new_tokens),
		cmocka_unit_test(test_new_checks_are_letters_or_digits),
		cmocka_unit_test(test_old_codes_keep_working),
		cmocka_unit_test(test_every_substitution_caught),
		cmocka_unit_test(test_every_transposition_caught),
		cmocka_unit_test(test_forms_people_type),
		cmocka_unit_test(test_aliases_and_urls),
		cmocka_unit_test(test_garbage_is_malformed),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_distinct_draws),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
