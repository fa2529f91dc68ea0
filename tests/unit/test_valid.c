/* Tests for valid: the form's field rules. Texts are checked at the exact
 * length limits with multibyte Vietnamese letters (counted as code points,
 * not bytes), every invisible or directional control is refused while its
 * neighbours pass, and phone and citizen ID numbers are checked in the
 * forms people really write them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "valid.h"

/* s repeated n times, in a malloc'd string. */
static char *repeat(const char *s, size_t n)
{
	size_t len = strlen(s);
	char *r = malloc(len * n + 1);

	assert_non_null(r);
	for (size_t i = 0; i < n; i++) memcpy(r + i * len, s, len);
	r[len * n] = '\0';
	return r;
}

/* "ab" + the code point + "cd". */
static void with_cp(uint32_t cp, char out[16])
{
	size_t n;

	memcpy(out, "ab", 2);
	n = utf8_encode(cp, out + 2);
	assert_true(n > 0);
	memcpy(out + 2 + n, "cd", 3);
}

static void test_text_ok(void **st)
{
	(void)st;
	assert_int_equal(valid_text("Nguyễn Thị Hồng Nhung", 100, 0, 1), VALID_OK);
	assert_int_equal(valid_text("Đường liên thôn bị sạt lở, đề nghị sửa chữa.", 200, 0, 1), VALID_OK);
	assert_int_equal(valid_text("Dòng một\nDòng hai\n", 100, 1, 1), VALID_OK);
	assert_int_equal(valid_text("", 100, 0, 0), VALID_OK);
	assert_int_equal(valid_text(NULL, 100, 0, 0), VALID_OK);
	assert_int_equal(valid_text("   ", 100, 0, 0), VALID_OK);
	assert_int_equal(valid_text("😀 ok", 4, 0, 1), VALID_OK);
}

static void test_text_required(void **st)
{
	static const char *const blank[] = {
		"", " ", "     ", "\xC2\xA0", "\xE3\x80\x80 ", "\xE2\x80\x8A\xE2\x80\xAF",
	};
	(void)st;

	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
		assert_int_equal(valid_text(blank[i], 100, 0, 1), VALID_REQUIRED);
		assert_int_equal(valid_text(blank[i], 100, 1, 1), VALID_REQUIRED);
		assert_int_equal(valid_text(blank[i], 100, 0, 0), VALID_OK);
	}
	assert_int_equal(valid_text(NULL, 100, 0, 1), VALID_REQUIRED);
	assert_int_equal(valid_text("\n \n", 100, 1, 1), VALID_REQUIRED);
	assert_int_equal(valid_text("\n \n", 100, 1, 0), VALID_OK);
	assert_int_equal(valid_text(" a ", 100, 0, 1), VALID_OK);
	assert_int_equal(valid_text(".", 100, 0, 1), VALID_OK);
}

static void test_text_controls(void **st)
{
	/* Every refused code point outside C0: the whole of each range. */
	static const uint32_t refused[][2] = {
		{ 0x7F, 0x9F }, { 0x061C, 0x061C }, { 0x200B, 0x200F },
		{ 0x2028, 0x202E }, { 0x2060, 0x2064 }, { 0x2066, 0x206F },
		{ 0xFEFF, 0xFEFF },
	};
	/* Their neighbours, which are ordinary characters. */
	static const uint32_t allowed[] = {
		0x7E, 0xA0, 0xA1, 0x061B, 0x061D, 0x200A, 0x2010, 0x2027, 0x202F,
		0x205F, 0x2070, 0xFEFE, 0xFF01, 0x1EC5, 0x0111, 0x1F600,
	};
	char buf[16];
	(void)st;

	for (uint32_t c = 0; c < 0x20; c++) {
		char s[6] = { 'a', 'b', (char)c, 'c', 'd', '\0' };
		if (c == 0) continue; /* would end the string */
		assert_int_equal(valid_text(s, 100, 0, 0), VALID_CONTROL);
		assert_int_equal(valid_text(s, 100, 1, 0), c == '\n' ? VALID_OK : VALID_CONTROL);
	}
	for (size_t r = 0; r < sizeof refused / sizeof refused[0]; r++)
		for (uint32_t cp = refused[r][0]; cp <= refused[r][1]; cp++) {
			with_cp(cp, buf);
			assert_int_equal(valid_text(buf, 100, 0, 0), VALID_CONTROL);
			assert_int_equal(valid_text(buf, 100, 1, 1), VALID_CONTROL);
		}
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		with_cp(allowed[i], buf);
		assert_int_equal(valid_text(buf, 100, 0, 1), VALID_OK);
	}
	assert_int_equal(valid_text("tab\there", 100, 1, 0), VALID_CONTROL);
	assert_int_equal(valid_text("line\r\nbreak", 100, 1, 0), VALID_CONTROL);
	/* A right-to-left override inside a name. */
	assert_int_equal(valid_text("Nguy\xE2\x80\xAEn", 100, 0, 1), VALID_CONTROL);
	/* A control in an otherwise blank field is still a control. */
	assert_int_equal(valid_text(" \xE2\x80\x8B ", 100, 0, 1), VALID_CONTROL);
}

static void test_text_bad_utf8(void **st)
{
	static const char *const bad[] = {
		"\xC3", "abc\xC3", "\xC3(", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
		"\xF4\x90\x80\x80", "\xFF", "\x80", "Nguy\xE1\xBBn",
	};
	(void)st;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(valid_text(bad[i], 100, 0, 0), VALID_BAD_UTF8);
		assert_int_equal(valid_text(bad[i], 100, 1, 1), VALID_BAD_UTF8);
	}
	/* Malformed text is reported as such before anything else. */
	assert_int_equal(valid_text("\t\xFF", 100, 0, 0), VALID_BAD_UTF8);
	assert_int_equal(valid_text("\xFF", 0, 0, 1), VALID_BAD_UTF8);
}

static void test_text_length(void **st)
{
	/* Vietnamese letters of 2 and 3 bytes, and a 4-byte character. */
	static const char *const units[] = { "ễ", "Đ", "ư", "a", "😀" };
	(void)st;

	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		char *at = repeat(units[u], 4000), *over = repeat(units[u], 4001);
		assert_int_equal(valid_text(at, 4000, 1, 1), VALID_OK);
		assert_int_equal(valid_text(over, 4000, 1, 1), VALID_TOO_LONG);
		assert_int_equal(valid_text(over, 4001, 0, 1), VALID_OK);
		free(at);
		free(over);
	}
	/* Mixed: "Nguyễn " is 7 code points and 9 bytes. */
	char *mixed = repeat("Nguyễn ", 100);
	assert_int_equal(valid_text(mixed, 700, 0, 1), VALID_OK);
	assert_int_equal(valid_text(mixed, 699, 0, 1), VALID_TOO_LONG);
	free(mixed);
	/* Newlines count. */
	assert_int_equal(valid_text("ab\ncd", 5, 1, 1), VALID_OK);
	assert_int_equal(valid_text("ab\ncd", 4, 1, 1), VALID_TOO_LONG);
	assert_int_equal(valid_text("", 0, 0, 0), VALID_OK);
	assert_int_equal(valid_text("a", 0, 0, 0), VALID_TOO_LONG);
	/* A blank required field is reported as missing, not as too long. */
	char *spaces = repeat(" ", 50);
	assert_int_equal(valid_text(spaces, 10, 0, 1), VALID_REQUIRED);
	assert_int_equal(valid_text(spaces, 10, 0, 0), VALID_TOO_LONG);
	free(spaces);
}

typedef struct {
	const char *in;
	int required;
	valid_code code;
	const char *normalized;
} number_case;

static const number_case phone_cases[] = {
	{ "0912345678", 1, VALID_OK, "0912345678" },
	{ "0912 345 678", 1, VALID_OK, "0912345678" },
	{ "091.234.5678", 1, VALID_OK, "0912345678" },
	{ "0912-345-678", 1, VALID_OK, "0912345678" },
	{ "  0 9 1 2 3 4 5 6 7 8  ", 1, VALID_OK, "0912345678" },
	{ "+84912345678", 1, VALID_OK, "0912345678" },
	{ "+84 912 345 678", 1, VALID_OK, "0912345678" },
	{ "+84-91-234-5678", 0, VALID_OK, "0912345678" },
	{ "84912345678", 1, VALID_OK, "0912345678" },
	{ "84 38 123 4567", 1, VALID_OK, "0381234567" },
	{ "+84 0912 345 678", 1, VALID_OK, "0912345678" },
	{ "0338123456", 1, VALID_OK, "0338123456" },
	{ "0843456789", 1, VALID_OK, "0843456789" },
	{ "", 1, VALID_REQUIRED, "" },
	{ "   ", 1, VALID_REQUIRED, "" },
	{ "", 0, VALID_OK, "" },
	{ " - . ", 0, VALID_OK, "" },
	{ "091234567", 1, VALID_PHONE, "" },
	{ "09123456789", 1, VALID_PHONE, "" },
	{ "1912345678", 1, VALID_PHONE, "" },
	{ "0012345678", 1, VALID_PHONE, "" },
	{ "+0912345678", 1, VALID_PHONE, "" },
	{ "+85912345678", 1, VALID_PHONE, "" },
	{ "+84", 1, VALID_PHONE, "" },
	{ "+", 0, VALID_PHONE, "" },
	{ "+8491234567", 1, VALID_PHONE, "" },
	{ "+849123456789", 1, VALID_PHONE, "" },
	{ "+84 012345678", 1, VALID_PHONE, "" },
	{ "8491234567", 1, VALID_PHONE, "" },
	{ "0912+345678", 1, VALID_PHONE, "" },
	{ "++84912345678", 1, VALID_PHONE, "" },
	{ "(091) 2345678", 1, VALID_PHONE, "" },
	{ "0912345678x", 1, VALID_PHONE, "" },
	{ "O912345678", 1, VALID_PHONE, "" },
	{ "０９１２３４５６７８", 1, VALID_PHONE, "" },
	{ "0912\t345678", 1, VALID_PHONE, "" },
	{ "0912345678901234567890", 1, VALID_PHONE, "" },
};

static const number_case id_cases[] = {
	{ "001203012345", 1, VALID_OK, "001203012345" },
	{ "001 203 012 345", 1, VALID_OK, "001203012345" },
	{ " 079099000001 ", 0, VALID_OK, "079099000001" },
	{ "", 1, VALID_REQUIRED, "" },
	{ "    ", 1, VALID_REQUIRED, "" },
	{ "", 0, VALID_OK, "" },
	{ "00120301234", 1, VALID_CITIZEN_ID, "" },
	{ "0012030123456", 1, VALID_CITIZEN_ID, "" },
	{ "001-203-012-345", 1, VALID_CITIZEN_ID, "" },
	{ "001203O12345", 1, VALID_CITIZEN_ID, "" },
	{ "+001203012345", 1, VALID_CITIZEN_ID, "" },
	{ "001203012345\n", 1, VALID_CITIZEN_ID, "" },
	{ "123456789", 0, VALID_CITIZEN_ID, "" },
};

static void test_phone(void **st)
{
	char norm[11];
	(void)st;

	for (size_t i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		const number_case *c = &phone_cases[i];
		memcpy(norm, "XXXXXXXXXX", 11);
		valid_code got = valid_phone(c->in, c->required, norm);
		if (got != c->code || strcmp(norm, c->normalized) != 0)
			fail_msg("phone \"%s\": code %d, \"%s\"; expected %d, \"%s\"",
				c->in, got, norm, c->code, c->normalized);
	}
	assert_int_equal(valid_phone(NULL, 1, norm), VALID_REQUIRED);
	assert_int_equal(valid_phone(NULL, 0, norm), VALID_OK);
	assert_int_equal(valid_phone("0912345678", 1, NULL), VALID_OK);
	assert_int_equal(valid_phone("12", 1, NULL), VALID_PHONE);
}

static void test_phone_rejects_other_characters(void **st)
{
	char in[16], norm[11];
	(void)st;

	/* Every byte but the digits and the ignored separators breaks it. */
	for (int c = 1; c < 256; c++) {
		if ((c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '-') continue;
		memcpy(in, "0912345678", 11);
		in[4] = (char)c;
		memmove(in + 5, "345678", 7);
		assert_int_equal(valid_phone(in, 1, norm), VALID_PHONE);
		assert_string_equal(norm, "");
	}
}

static void test_citizen_id(void **st)
{
	char norm[13];
	(void)st;

	for (size_t i = 0; i < sizeof id_cases / sizeof id_cases[0]; i++) {
		const number_case *c = &id_cases[i];
		memcpy(norm, "XXXXXXXXXXXX", 13);
		valid_code got = valid_citizen_id(c->in, c->required, norm);
		if (got != c->code || strcmp(norm, c->normalized) != 0)
			fail_msg("citizen id \"%s\": code %d, \"%s\"; expected %d, \"%s\"",
				c->in, got, norm, c->code, c->normalized);
	}
	assert_int_equal(valid_citizen_id(NULL, 1, norm), VALID_REQUIRED);
	assert_int_equal(valid_citizen_id("001203012345", 1, NULL), VALID_OK);
}

/* A date of birth: DD/MM/YYYY or the card's DDMMYYYY, a real date. */
static void test_date(void **st)
{
	static const struct { const char *in; valid_code want; const char *norm; } rows[] = {
		{ "05/09/1987", VALID_OK, "05/09/1987" },
		{ "05091987", VALID_OK, "05/09/1987" },
		{ " 29/02/2000 ", VALID_OK, "29/02/2000" },
		{ "29/02/1900", VALID_DATE, "" },
		{ "31/04/1987", VALID_DATE, "" },
		{ "5/9/1987", VALID_DATE, "" },
		{ "05/091987", VALID_DATE, "" },
		{ "05//091987", VALID_DATE, "" },
		{ "1987-09-05", VALID_DATE, "" },
		{ "05/09/1899", VALID_DATE, "" },
		{ "050919870", VALID_DATE, "" },
		{ "05/09/87", VALID_DATE, "" },
		{ "", VALID_OK, "" },
	};
	size_t i;
	char norm[11];
	(void)st;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		valid_code got = valid_date(rows[i].in, 0, norm);
		if (got != rows[i].want || strcmp(norm, rows[i].norm) != 0)
			print_error("row %zu \"%s\": got %d \"%s\"\n", i, rows[i].in, got, norm);
		assert_int_equal(got, rows[i].want);
		assert_string_equal(norm, rows[i].norm);
	}
	assert_int_equal(valid_date("", 1, NULL), VALID_REQUIRED);
	assert_int_equal(valid_date(NULL, 1, NULL), VALID_REQUIRED);
}

/* The provincial dossier number (mã số hồ sơ) the counter records. */
static void test_dossier(void **st)
{
	static const char *const good[][2] = {
		{ "000.00.01.H26-260930-0012", "000.00.01.H26-260930-0012" },
		{ "  000.a0.01.h26-210212-9090 ", "000.A0.01.H26-210212-9090" },
		{ "000.00.12.H29-261202-123456", "000.00.12.H29-261202-123456" },
		{ "000.00.12.H29-240229-0001", "000.00.12.H29-240229-0001" },
	};
	static const char *const bad[] = {
		"000.00.01.H26-260930-012",      /* sequence too short */
		"000.00.01.H26-260930-1234567",  /* too long */
		"000.00.01.26-260930-0012",      /* no province letter */
		"000.00.01.H26_260930-0012",
		"000.00.01.H26-261330-0012",     /* month 13 */
		"000.00.01.H26-260931-0012",     /* 31 September */
		"000.00.01.H26-250229-0012",     /* 29 February 2025 */
		"000.00.01.H26-260930-00a2",
		"HS-2026-0012",
		"000.00.01.H26-260930-0012\n",
	};
	char out[VALID_DOSSIER_MAX];
	size_t i;
	(void)st;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(valid_dossier(good[i][0], out), VALID_OK);
		assert_string_equal(out, good[i][1]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(out, "x");
		if (valid_dossier(bad[i], out) != VALID_DOSSIER) fail_msg("accepted: %s", bad[i]);
		assert_string_equal(out, "");
	}
	assert_int_equal(valid_dossier("   ", out), VALID_REQUIRED);
	assert_int_equal(valid_dossier(NULL, NULL), VALID_REQUIRED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_ok),
		cmocka_unit_test(test_text_required),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_bad_utf8),
		cmocka_unit_test(test_text_length),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_phone_rejects_other_characters),
		cmocka_unit_test(test_citizen_id),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_dossier),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
