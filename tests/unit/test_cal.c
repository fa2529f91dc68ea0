/* Tests for cal: the working-day arithmetic behind every deadline on a
 * receipt. Date arithmetic is checked day by day over eight centuries
 * against a plain month-length walk; working days against small calendars
 * written here and against the shipped assets/holidays.json (so a broken
 * data file fails the build); loading against each kind of bad file, with
 * the message required to say where the fault is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "cal.h"

#define HOLIDAYS_FILE "assets/holidays.json"


static void assert_date(cal_date got, int y, int m, int d)
{
	char g[11], w[11];
	cal_date_format(got, g);
	cal_date_format(fx_date(y, m, d), w);
	assert_string_equal(g, w);
}

/* A calendar with one holiday block and one make-up Saturday:
 * 2030-01-01 (Tue) off; Fri 2030-02-01 .. Wed 2030-02-06 off;
 * Sat 2030-02-09 works. */
static const char small_json[] =
	"{\"version\": \"t1\", \"source\": \"test\","
	" \"days_off\": ["
	"  {\"date\": \"2030-01-01\", \"name\": \"New Year\"},"
	"  {\"date\": \"2030-02-01\", \"name\": \"Tet\"},"
	"  {\"date\": \"2030-02-04\", \"name\": \"Tet\"},"
	"  {\"date\": \"2030-02-05\", \"name\": \"Tet\"},"
	"  {\"date\": \"2030-02-06\", \"name\": \"Tet\"}],"
	" \"working_days\": ["
	"  {\"date\": \"2030-02-09\", \"name\": \"make-up\"}],"
	" \"future_member\": 1}";

static void test_weekday(void **st)
{
	(void)st;
	assert_int_equal(cal_weekday(fx_date(1970, 1, 1)), 4);
	assert_int_equal(cal_weekday(fx_date(2000, 2, 29)), 2);
	assert_int_equal(cal_weekday(fx_date(2024, 2, 29)), 4);
	assert_int_equal(cal_weekday(fx_date(2026, 11, 22)), 0);
	assert_int_equal(cal_weekday(fx_date(1900, 3, 1)), 4);
	assert_int_equal(cal_weekday(fx_date(2100, 2, 28)), 0);
	assert_int_equal(cal_weekday(fx_date(1600, 1, 1)), 6);
}

static int month_len(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

static void test_add_days_walk(void **st)
{
	cal_date d = fx_date(1600, 1, 1), next;
	int wd = cal_weekday(d), days = 0;
	(void)st;

	/* Every day from 1600 to 2400: +1 is the next day, -1 undoes it, and
	 * the weekday advances by one. */
	while (d.year <= 2400) {
		next = d;
		if (++next.day > month_len(next.year, next.month)) {
			next.day = 1;
			if (++next.month > 12) { next.month = 1; next.year++; }
		}
		assert_int_equal(cal_compare(cal_add_days(d, 1), next), 0);
		assert_int_equal(cal_compare(cal_add_days(next, -1), d), 0);
		wd = (wd + 1) % 7;
		assert_int_equal(cal_weekday(next), wd);
		d = next;
		days++;
	}
	assert_int_equal(days, 801 * 365 + 195);
	/* The Gregorian calendar repeats every 146097 days. */
	assert_date(cal_add_days(fx_date(2026, 2, 17), 146097), 2426, 2, 17);
	assert_date(cal_add_days(fx_date(2026, 2, 17), -146097), 1626, 2, 17);
}

static void test_add_days_edges(void **st)
{
	(void)st;
	assert_date(cal_add_days(fx_date(2026, 12, 31), 1), 2027, 1, 1);
	assert_date(cal_add_days(fx_date(2027, 1, 1), -1), 2026, 12, 31);
	assert_date(cal_add_days(fx_date(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(cal_add_days(fx_date(2023, 2, 28), 1), 2023, 3, 1);
	assert_date(cal_add_days(fx_date(2100, 2, 28), 1), 2100, 3, 1);
	assert_date(cal_add_days(fx_date(2000, 2, 28), 1), 2000, 2, 29);
	assert_date(cal_add_days(fx_date(2024, 1, 1), 366), 2025, 1, 1);
	assert_date(cal_add_days(fx_date(2025, 1, 1), 365), 2026, 1, 1);
	assert_date(cal_add_days(fx_date(2026, 3, 15), 0), 2026, 3, 15);
	assert_date(cal_add_days(fx_date(2026, 3, 15), 30), 2026, 4, 14);
	assert_date(cal_add_days(fx_date(2026, 3, 15), -45), 2026, 1, 29);
}

static void test_date_parse(void **st)
{
	static const char *const bad[] = {
		"", "2026-02-30", "2023-02-29", "2100-02-29", "2026-04-31",
		"2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "2026-01-1",
		"2026-01-01 ", " 2026-01-01", "2026/01/01", "+026-01-01",
		"0000-01-01", "20260101", "2026-01-01T00:00", "2026-O1-01",
		"2026-01-32", "99999-01-01",
	};
	cal_date d = fx_date(1, 2, 3);
	(void)st;

	assert_int_equal(cal_date_parse("2026-02-17", &d), 0);
	assert_date(d, 2026, 2, 17);
	assert_int_equal(cal_date_parse("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(cal_date_parse("2000-02-29", &d), 0);
	assert_int_equal(cal_date_parse("0001-01-01", &d), 0);
	assert_int_equal(cal_date_parse("9999-12-31", &d), 0);
	assert_date(d, 9999, 12, 31);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(cal_date_parse(bad[i], &d), -1);
		assert_date(d, 9999, 12, 31);
	}
	assert_int_equal(cal_date_parse(NULL, &d), -1);
}

static void test_format_and_compare(void **st)
{
	char buf[11];
	cal_date d;
	(void)st;

	cal_date_format(fx_date(2026, 2, 7), buf);
	assert_string_equal(buf, "2026-02-07");
	cal_date_format(fx_date(987, 12, 31), buf);
	assert_string_equal(buf, "0987-12-31");
	cal_date_format(fx_date(10000, 1, 1), buf);
	assert_string_equal(buf, "0000-00-00");
	cal_date_format(fx_date(-5, 1, 1), buf);
	assert_string_equal(buf, "0000-00-00");
	assert_int_equal(cal_date_parse("2027-09-03", &d), 0);
	cal_date_format(d, buf);
	assert_string_equal(buf, "2027-09-03");

	assert_true(cal_compare(fx_date(2026, 1, 1), fx_date(2026, 1, 2)) < 0);
	assert_true(cal_compare(fx_date(2026, 2, 1), fx_date(2026, 1, 31)) > 0);
	assert_true(cal_compare(fx_date(2025, 12, 31), fx_date(2026, 1, 1)) < 0);
	assert_int_equal(cal_compare(fx_date(2026, 5, 5), fx_date(2026, 5, 5)), 0);
}

static void test_from_time(void **st)
{
	(void)st;
	/* 2025-12-31 17:00 UTC is midnight of New Year in Vietnam (UTC+7, no
	 * daylight saving); the POSIX rule needs no zone files. */
	assert_int_equal(setenv("TZ", "ICT-7", 1), 0);
	tzset();
	assert_date(cal_from_time(1767200400 - 1), 2025, 12, 31);
	assert_date(cal_from_time(1767200400), 2026, 1, 1);
	assert_int_equal(setenv("TZ", "UTC0", 1), 0);
	tzset();
	assert_date(cal_from_time(1767200400), 2025, 12, 31);
	assert_date(cal_from_time(0), 1970, 1, 1);
}

static void test_weekends_only(void **st)
{
	cal *c = cal_new();
	(void)st;

	assert_non_null(c);
	assert_string_equal(cal_version(c), "");
	assert_true(cal_is_working_day(c, fx_date(2026, 11, 20)));   /* Friday */
	assert_false(cal_is_working_day(c, fx_date(2026, 11, 21))); /* Saturday */
	assert_false(cal_is_working_day(c, fx_date(2026, 11, 22))); /* Sunday */
	assert_true(cal_is_working_day(c, fx_date(2026, 11, 23)));   /* Monday */
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 20), 1), 2026, 11, 23);
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 21), 0), 2026, 11, 23);
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 20), 0), 2026, 11, 20);
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 18), 10), 2026, 12, 2);
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 23), -1), 2026, 11, 20);
	/* A NULL calendar is the same as an empty one. */
	assert_false(cal_is_working_day(NULL, fx_date(2026, 11, 21)));
	assert_date(cal_add_working_days(NULL, fx_date(2026, 11, 20), 1), 2026, 11, 23);
	cal_free(c);
	cal_free(NULL);
}

static void test_small_calendar(void **st)
{
	char err[256] = "";
	cal *c = cal_load_string(small_json, err, sizeof err);
	(void)st;

	assert_non_null(c);
	assert_string_equal(err, "");
	assert_string_equal(cal_version(c), "t1");
	assert_false(cal_is_working_day(c, fx_date(2030, 1, 1)));
	assert_true(cal_is_working_day(c, fx_date(2030, 1, 2)));
	/* Year end: the first working day of 2030 is Wed 2 January. */
	assert_date(cal_add_working_days(c, fx_date(2029, 12, 31), 1), 2030, 1, 2);
	assert_date(cal_add_working_days(c, fx_date(2029, 12, 28), 1), 2029, 12, 31);
	assert_date(cal_add_working_days(c, fx_date(2029, 12, 28), 2), 2030, 1, 2);
	/* The block: Thu 31 Jan, then nothing until Thu 7 Feb; Sat 9 Feb works. */
	assert_date(cal_add_working_days(c, fx_date(2030, 1, 31), 1), 2030, 2, 7);
	assert_date(cal_add_working_days(c, fx_date(2030, 2, 1), 0), 2030, 2, 7);
	assert_date(cal_add_working_days(c, fx_date(2030, 2, 7), 2), 2030, 2, 9);
	assert_date(cal_add_working_days(c, fx_date(2030, 2, 7), 3), 2030, 2, 11);
	assert_true(cal_is_working_day(c, fx_date(2030, 2, 9)));
	assert_false(cal_is_working_day(c, fx_date(2030, 2, 10)));
	assert_date(cal_add_working_days(c, fx_date(2030, 2, 7), -1), 2030, 1, 31);
	assert_date(cal_add_working_days(c, fx_date(2030, 2, 11), -1), 2030, 2, 9);
	cal_free(c);
}

static cal *load_shipped(void)
{
	char err[512] = "";
	cal *c = cal_load(HOLIDAYS_FILE, err, sizeof err);

	if (!c) fail_msg("%s", err);
	return c;
}

static void test_shipped_file(void **st)
{
	cal *c = load_shipped();
	int working = 0;
	cal_date d;
	(void)st;

	assert_true(strlen(cal_version(c)) > 0);
	/* Tết Bính Ngọ: off Sat 14 .. Sun 22 February 2026. */
	assert_true(cal_is_working_day(c, fx_date(2026, 2, 13)));
	for (d = fx_date(2026, 2, 14); cal_compare(d, fx_date(2026, 2, 22)) <= 0; d = cal_add_days(d, 1))
		assert_false(cal_is_working_day(c, d));
	assert_true(cal_is_working_day(c, fx_date(2026, 2, 23)));
	assert_date(cal_add_working_days(c, fx_date(2026, 2, 13), 1), 2026, 2, 23);
	assert_date(cal_add_working_days(c, fx_date(2026, 2, 23), -1), 2026, 2, 13);
	assert_date(cal_add_working_days(c, fx_date(2026, 2, 17), 0), 2026, 2, 23);

	/* New Year 2026: Thu 1 and Fri 2 off, Sat 10 January made up. */
	assert_date(cal_add_working_days(c, fx_date(2025, 12, 31), 1), 2026, 1, 5);
	assert_false(cal_is_working_day(c, fx_date(2026, 1, 2)));
	assert_true(cal_is_working_day(c, fx_date(2026, 1, 10)));
	assert_date(cal_add_working_days(c, fx_date(2026, 1, 9), 1), 2026, 1, 10);
	assert_date(cal_add_working_days(c, fx_date(2026, 1, 9), 2), 2026, 1, 12);

	/* n = 0 on a holiday; Hùng Kings' day 2026 falls on a Sunday and is
	 * made up on Monday 27 April, then 30/4 and 1/5. */
	assert_date(cal_add_working_days(c, fx_date(2026, 4, 30), 0), 2026, 5, 4);
	assert_date(cal_add_working_days(c, fx_date(2026, 4, 24), 3), 2026, 5, 4);
	assert_false(cal_is_working_day(c, fx_date(2026, 4, 27)));

	/* Year end: 2027-01-01 is a Friday holiday. */
	assert_date(cal_add_working_days(c, fx_date(2026, 12, 31), 1), 2027, 1, 4);
	assert_date(cal_add_working_days(c, fx_date(2027, 1, 1), 0), 2027, 1, 4);

	/* 2025's make-up Saturdays. */
	assert_true(cal_is_working_day(c, fx_date(2025, 2, 8)));
	assert_true(cal_is_working_day(c, fx_date(2025, 4, 26)));
	assert_false(cal_is_working_day(c, fx_date(2025, 5, 2)));

	/* The National Day block 2026: off Saturday 29 August to Wednesday 2
	 * September (notice 9441/TB-BNV); Culture Day, Tuesday 24 November
	 * 2026 and Wednesday 24 November 2027 (Nghị quyết 28/2026/QH16). */
	for (d = fx_date(2026, 8, 29); cal_compare(d, fx_date(2026, 9, 2)) <= 0; d = cal_add_days(d, 1))
		assert_false(cal_is_working_day(c, d));
	assert_true(cal_is_working_day(c, fx_date(2026, 9, 3)));
	assert_false(cal_is_working_day(c, fx_date(2026, 11, 24)));
	assert_false(cal_is_working_day(c, fx_date(2027, 11, 24)));
	assert_date(cal_add_working_days(c, fx_date(2026, 11, 23), 1), 2026, 11, 25);

	/* 2025 and 2026 are decided; 2027 is not, and its Tết and the day
	 * joined to National Day are marked expected, the fixed days not. */
	assert_true(cal_year_confirmed(c, 2025));
	assert_true(cal_year_confirmed(c, 2026));
	assert_false(cal_year_confirmed(c, 2027));
	assert_false(cal_year_confirmed(NULL, 2026));
	assert_true(cal_is_tentative(c, fx_date(2027, 2, 8)));
	assert_true(cal_is_tentative(c, fx_date(2027, 9, 3)));
	assert_false(cal_is_tentative(c, fx_date(2027, 1, 1)));
	assert_false(cal_is_tentative(c, fx_date(2027, 9, 2)));
	assert_false(cal_is_tentative(c, fx_date(2026, 2, 17)));
	/* Officials are warned from 1 October 2026 that 2027 is not decided;
	 * all through 2027 while it is not; never for 2026 before October. */
	assert_int_equal(cal_unconfirmed_year(c, fx_date(2026, 9, 30)), 0);
	assert_int_equal(cal_unconfirmed_year(c, fx_date(2026, 10, 1)), 2027);
	assert_int_equal(cal_unconfirmed_year(c, fx_date(2026, 12, 2)), 2027);
	assert_int_equal(cal_unconfirmed_year(c, fx_date(2027, 3, 1)), 2027);
	assert_int_equal(cal_unconfirmed_year(NULL, fx_date(2026, 3, 1)), 2026);

	/* 2026: 261 weekdays, 14 of them off, one Saturday made up. */
	for (d = fx_date(2026, 1, 1); d.year == 2026; d = cal_add_days(d, 1))
		working += cal_is_working_day(c, d);
	assert_int_equal(working, 248);
	cal_free(c);
}

/* The shipped file against the Labour Code 2019 (codified text, Điều
 * 20.2.LQ.111-112): the dated holidays of Art. 112(1) (1 January, 30 April,
 * 1 May, 2 September; Hùng Kings' day, 10th of the 3rd lunar month, given
 * here by its solar date) and, from 2026, 24 November are days off in every
 * year the file covers; one on a Saturday or Sunday gives the next working
 * day off (Art. 111(3)). Tết and the day joined to 2 September are the Prime
 * Minister's to set each year (Art. 112(3)), so they are not derived here. */
static void test_labour_code_days(void **st)
{
	static const struct { int year, hung_month, hung_day; } years[] = {
		{ 2025, 4, 7 }, { 2026, 4, 26 }, { 2027, 4, 16 },
	};
	cal *c = load_shipped();
	size_t i, j;
	(void)st;
	for (i = 0; i < sizeof years / sizeof years[0]; i++) {
		int y = years[i].year;
		const cal_date fixed[] = {
			fx_date(y, 1, 1), fx_date(y, years[i].hung_month, years[i].hung_day), fx_date(y, 4, 30),
			fx_date(y, 5, 1), fx_date(y, 9, 2), fx_date(y, 11, 24),
		};
		size_t n = sizeof fixed / sizeof fixed[0] - (y < 2026);
		for (j = 0; j < n; j++) {
			cal_date d = fixed[j], next;
			char when[11];
			cal_date_format(d, when);
			if (cal_is_working_day(c, d)) fail_msg("%s is a holiday of Art. 112(1) but a working day", when);
			if (cal_weekday(d) != 0 && cal_weekday(d) != 6) continue;
			/* The next weekday that is not itself one of these days. */
			next = cal_add_days(d, 1);
			for (;;) {
				size_t k;
				int taken = cal_weekday(next) == 0 || cal_weekday(next) == 6;
				for (k = 0; k < n; k++) taken |= cal_compare(next, fixed[k]) == 0;
				if (!taken) break;
				next = cal_add_days(next, 1);
			}
			if (cal_is_working_day(c, next)) fail_msg("%s falls on a weekend; its day in lieu is a working day", when);
		}
	}
	cal_free(c);
}

/* Each bad input, and what its message must mention. */
typedef struct {
	const char *json;
	const char *mentions[3];
} bad_case;

#define ENTRY(d) "{\"date\": \"" d "\", \"name\": \"x\"}"
#define GOOD_HEAD "{\"version\": \"v\", "

static const bad_case bad_cases[] = {
	{ "{", { "calendar data:1:", NULL } },
	{ "{\"version\": \"v\",}", { "calendar data:1:", NULL } },
	{ "[]", { "top level", NULL } },
	{ "{\"days_off\": [], \"working_days\": []}", { "\"version\"", NULL } },
	{ "{\"version\": 3, \"days_off\": [], \"working_days\": []}", { "\"version\"", NULL } },
	{ GOOD_HEAD "\"source\": 1, \"days_off\": [], \"working_days\": []}", { "\"source\"", NULL } },
	{ GOOD_HEAD "\"working_days\": []}", { "\"days_off\"", "missing", NULL } },
	{ GOOD_HEAD "\"days_off\": []}", { "\"working_days\"", "missing", NULL } },
	{ GOOD_HEAD "\"days_off\": {}, \"working_days\": []}", { "\"days_off\"", "list", NULL } },
	{ GOOD_HEAD "\"days_off\": [" ENTRY("2026-01-01") ", \"2026-01-02\"], \"working_days\": []}",
	  { "days_off[1]", "object", NULL } },
	{ GOOD_HEAD "\"days_off\": [{\"date\": 20260101, \"name\": \"x\"}], \"working_days\": []}",
	  { "days_off[0]", "\"date\"", NULL } },
	{ GOOD_HEAD "\"days_off\": [{\"name\": \"x\"}], \"working_days\": []}",
	  { "days_off[0]", "\"date\" is missing", NULL } },
	{ GOOD_HEAD "\"days_off\": [" ENTRY("2026-01-01") "," ENTRY("2026-01-02") ","
	  ENTRY("2026-02-30") "], \"working_days\": []}",
	  { "days_off[2]", "2026-02-30", NULL } },
	{ GOOD_HEAD "\"days_off\": [], \"working_days\": [" ENTRY("2026-1-10") "]}",
	  { "working_days[0]", "2026-1-10", NULL } },
	{ GOOD_HEAD "\"days_off\": [{\"date\": \"2026-01-01\"}], \"working_days\": []}",
	  { "days_off[0]", "\"name\"", NULL } },
	{ GOOD_HEAD "\"days_off\": [{\"date\": \"2026-01-01\", \"name\": 7}], \"working_days\": []}",
	  { "days_off[0]", "\"name\"", NULL } },
	{ GOOD_HEAD "\"days_off\": [" ENTRY("2026-05-01") "," ENTRY("2026-01-01") "],"
	  " \"working_days\": [" ENTRY("2026-01-10") "," ENTRY("2026-01-01") "]}",
	  { "2026-01-01", "days_off[1]", "working_days[1]" } },
	{ "{\"version\": \"v\", \"version\": \"w\", \"days_off\": [], \"working_days\": []}",
	  { "calendar data:1:", "duplicate", NULL } },
	{ GOOD_HEAD "\"days_off\": [{\"date\": \"2027-02-08\", \"name\": \"x\", \"confirmed\": \"no\"}],"
	  " \"working_days\": []}", { "days_off[0]", "2027-02-08", "\"confirmed\" must be true or false" } },
	{ GOOD_HEAD "\"confirmed_years\": [2027], \"days_off\": [" ENTRY("2027-01-01") ","
	  "{\"date\": \"2027-02-08\", \"name\": \"x\", \"confirmed\": false}], \"working_days\": []}",
	  { "days_off[1]", "2027-02-08", "2027 is in confirmed_years" } },
	{ GOOD_HEAD "\"confirmed_years\": [\"2027\"], \"days_off\": [], \"working_days\": []}",
	  { "confirmed_years[0]", "must be a year", NULL } },
	{ GOOD_HEAD "\"confirmed_years\": 2027, \"days_off\": [], \"working_days\": []}",
	  { "\"confirmed_years\" must be a list", NULL } },
};

static void test_load_errors(void **st)
{
	char err[512];
	(void)st;

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		strcpy(err, "");
		cal *c = cal_load_string(bad_cases[i].json, err, sizeof err);
		if (c) fail_msg("case %zu loaded: %s", i, bad_cases[i].json);
		assert_true(strncmp(err, "calendar data", 13) == 0);
		for (int k = 0; k < 3 && bad_cases[i].mentions[k]; k++)
			if (!strstr(err, bad_cases[i].mentions[k]))
				fail_msg("case %zu: \"%s\" does not mention \"%s\"", i, err,
					bad_cases[i].mentions[k]);
	}
	/* No message buffer, or a tiny one: still refused, nothing overrun. */
	assert_null(cal_load_string("[]", NULL, 0));
	memset(err, 'x', sizeof err);
	assert_null(cal_load_string("[]", err, 8));
	assert_int_equal(strlen(err), 7);
	assert_null(cal_load_string(NULL, err, sizeof err));
}

static void test_load_file_errors(void **st)
{
	char path[] = "/tmp/test_cal_XXXXXX", err[512];
	static const char bad[] = "{\n  \"version\": \"v\",\n  \"days_off\": [\n"
		"    {\"date\": \"2026-02-30\", \"name\": \"x\"}\n  ],\n  \"working_days\": []\n}\n";
	static const char broken[] = "{\n  \"version\": \"v\",\n  \"days_off\": [\n    oops\n";
	int fd;
	(void)st;

	assert_null(cal_load("/nonexistent/holidays.json", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/holidays.json"));
	assert_non_null(strstr(err, "cannot open"));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
	assert_null(cal_load(path, err, sizeof err));
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, "days_off[0]"));
	assert_non_null(strstr(err, "2026-02-30"));

	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, broken, sizeof broken - 1, 0), (ssize_t)(sizeof broken - 1));
	assert_null(cal_load(path, err, sizeof err));
	assert_true(strncmp(err, path, strlen(path)) == 0);
	/* The fault is on line 4. */
	assert_non_null(strstr(err, ":4:"));
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_days_walk),
		cmocka_unit_test(test_add_days_edges),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_format_and_compare),
		cmocka_unit_test(test_from_time),
		cmocka_unit_test(test_weekends_only),
		cmocka_unit_test(test_small_calendar),
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_labour_code_days),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
