/* test_cccd: the CCCD's QR text, in both of its layouts (with and without
 * the old ID field), with the marks a scanner could not type, and every way
 * a text can fail to be a card's code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cccd.h"

static void test_seven_fields(void **state)
{
	cccd_card c;
	char err[160] = "";

	(void)state;
	assert_int_equal(cccd_parse("001203004567|123456789|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông, Xã Phù Lãng, Huyện Quế Võ, Bắc Ninh|12082021",
		&c, err, sizeof err), 0);
	assert_string_equal(c.id, "001203004567");
	assert_string_equal(c.old_id, "123456789");
	assert_string_equal(c.name, "Nguyễn Thị Hoà");
	assert_string_equal(c.birth, "05/09/1987");
	assert_string_equal(c.sex, "Nữ");
	assert_string_equal(c.address, "Thôn Đông, Xã Phù Lãng, Huyện Quế Võ, Bắc Ninh");
	assert_string_equal(c.issued, "12/08/2021");
	assert_int_equal(c.marks, 1);
}

static void test_empty_old_id(void **state)
{
	cccd_card c;
	char err[160] = "";

	(void)state;
	assert_int_equal(cccd_parse("027090001234||Trần Văn Bình|29021988|Nam|Xóm 3, Thôn Bắc|01072022\r\n", &c, err, sizeof err), 0);
	assert_string_equal(c.old_id, "");
	assert_string_equal(c.birth, "29/02/1988");
	assert_string_equal(c.issued, "01/07/2022");
}

static void test_six_fields(void **state)
{
	cccd_card c;
	char err[160] = "";

	(void)state;
	assert_int_equal(cccd_parse("079199012345|Lê Thị Mai|31121999|Nữ|12 Lê Lợi, Phường Bến Nghé|15042021|", &c, err, sizeof err), 0);
	assert_string_equal(c.id, "079199012345");
	assert_string_equal(c.old_id, "");
	assert_string_equal(c.name, "Lê Thị Mai");
	assert_string_equal(c.birth, "31/12/1999");
	assert_string_equal(c.address, "12 Lê Lợi, Phường Bến Nghé");
}

/* A scanner in keyboard mode types no Vietnamese letters: the card is read,
 * and says it has no marks so the citizen is asked to correct them. */
static void test_no_marks(void **state)
{
	cccd_card c;
	char err[160] = "";

	(void)state;
	assert_int_equal(cccd_parse("001203004567|123456789|Nguyen Thi Hoa|05091987|Nu|Thon Dong, Xa Phu Lang|12082021", &c, err, sizeof err), 0);
	assert_int_equal(c.marks, 0);
	assert_string_equal(c.name, "Nguyen Thi Hoa");
}

static void test_not_a_card(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "", "nothing was read" },
		{ "https://motcua.example.vn/r/ABCDEFGHJKMN5", "6 or 7 fields" },
		{ "8934563138165", "6 or 7 fields" },
		{ "001203004567|Nguyễn Thị Hoà|05091987", "6 or 7 fields" },
		{ "00120300456|123456789|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông|12082021", "field 1" },
		{ "00120300456a|123456789|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông|12082021", "field 1" },
		{ "001203004567|12345678|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông|12082021", "field 2" },
		{ "001203004567|123456789||05091987|Nữ|Thôn Đông|12082021", "name" },
		{ "001203004567|123456789|Nguyễn 2 Hoà|05091987|Nữ|Thôn Đông|12082021", "name" },
		{ "001203004567|123456789|Nguyễn Thị Hoà|31021987|Nữ|Thôn Đông|12082021", "date of birth" },
		{ "001203004567|123456789|Nguyễn Thị Hoà|1987-09-05|Nữ|Thôn Đông|12082021", "date of birth" },
		{ "001203004567|123456789|Nguyễn Thị Hoà|05091987||Thôn Đông|12082021", "sex" },
		{ "001203004567|123456789|Nguyễn Thị Hoà|05091987|Nữ| |12082021", "address" },
		{ "001203004567|123456789|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông|2021", "issue date" },
		{ "001203004567|123456789|Nguyễn\x01Hoà|05091987|Nữ|Thôn Đông|12082021", "name" },
		{ "001203004567|123456789|Nguy\xff|05091987|Nữ|Thôn Đông|12082021", "name" },
		{ "1|2|3|4|5|6|7|8|9", "too many fields" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cccd_card c;
		char err[160] = "";
		memset(&c, 'x', sizeof c);
		if (cccd_parse(bad[i].text, &c, err, sizeof err) != -1 || !strstr(err, bad[i].why)) {
			print_error("row %zu: expected an error with \"%s\", got \"%s\"\n", i, bad[i].why, err);
			fail();
		}
		/* what was read is not left behind, and the message never quotes it */
		assert_string_equal(c.id, "");
		assert_string_equal(c.name, "");
		assert_null(strstr(err, "Nguy"));
		assert_null(strstr(err, "0012"));
	}
}

static void test_long_fields(void **state)
{
	char text[2048], name[160];
	cccd_card c;
	char err[160];

	(void)state;
	memset(name, 'a', 101);
	name[101] = '\0';
	snprintf(text, sizeof text, "001203004567|123456789|%s|05091987|Nam|Thôn Đông|12082021", name);
	assert_int_equal(cccd_parse(text, &c, err, sizeof err), -1);
	name[100] = '\0';
	snprintf(text, sizeof text, "001203004567|123456789|%s|05091987|Nam|Thôn Đông|12082021", name);
	assert_int_equal(cccd_parse(text, &c, err, sizeof err), 0);
	memset(text, '1', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	assert_int_equal(cccd_parse(text, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "longer"));
}

/* What a scanner has typed so far: may it still be a card's code? */
static void test_prefixes(void **state)
{
	(void)state;
	assert_int_equal(cccd_may_start("", 0), 1);
	assert_int_equal(cccd_may_start("0", 1), 1);
	assert_int_equal(cccd_may_start("001203004567", 12), 1);
	assert_int_equal(cccd_may_start("001203004567|", 13), 1);
	assert_int_equal(cccd_may_start("001203004567|Ng", 15), 1);
	assert_int_equal(cccd_may_start("12 ", 3), 0);
	assert_int_equal(cccd_may_start("0012030045678", 13), 0);
	assert_int_equal(cccd_may_start("a", 1), 0);
	assert_int_equal(cccd_is_scan("001203004567", 12), 0);
	assert_int_equal(cccd_is_scan("001203004567|", 13), 1);
	assert_int_equal(cccd_is_scan("12|", 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seven_fields),
		cmocka_unit_test(test_empty_old_id),
		cmocka_unit_test(test_six_fields),
		cmocka_unit_test(test_no_marks),
		cmocka_unit_test(test_not_a_card),
		cmocka_unit_test(test_long_fields),
		cmocka_unit_test(test_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
