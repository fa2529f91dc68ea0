/* Tests for status and vntime: the statuses' rules in C and in SQL agree
 * for every status, deadline and appointment (the SQL is run in a real
 * SQLite), and Vietnam time is UTC+7 on either side of midnight, of a year
 * and of 1970, whatever zone the machine runs in. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "status.h"
#include "vntime.h"

static void test_names(void **state)
{
	int i;
	(void)state;
	for (i = 0; status_names[i]; i++) {
		assert_int_equal(status_parse(status_names[i]), i);
		assert_string_equal(status_name((status_id)i), status_names[i]);
	}
	assert_int_equal(i, STATUS_COUNT);
	assert_int_equal(status_parse("overdue"), -1);
	assert_int_equal(status_parse(NULL), -1);
	assert_string_equal(status_name(STATUS_COUNT), "");
	assert_true(status_is_final("withdrawn"));
	assert_false(status_is_answered("withdrawn"));
	assert_true(status_is_answered("rejected"));
	assert_false(status_is_final("supplement"));
}

/* Every status x closed x due x appointment: C and SQL give the same
 * answers for final, answered and overdue. */
static void test_sql_agrees(void **state)
{
	static const char *const days[] = { "", "2026-11-30", "2026-12-01", "2026-12-02" };
	const char *today = "2026-12-01";
	sqlite3 *db;
	sqlite3_stmt *st;
	int s, closed, d, a, checked = 0;
	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT status IN " STATUS_FINAL_SQL ", status IN " STATUS_ANSWERED_SQL ", "
		"coalesce(" STATUS_OVERDUE_SQL("?5") ", 0) FROM (SELECT ?1 AS status, ?2 AS closed_at, ?3 AS due, ?4 AS appointment)",
		-1, &st, NULL), SQLITE_OK);
	for (s = 0; s < STATUS_COUNT; s++)
		for (closed = 0; closed < 2; closed++)
			for (d = 0; d < 4; d++)
				for (a = 0; a < 4; a++) {
					sqlite3_bind_text(st, 1, status_names[s], -1, SQLITE_STATIC);
					if (closed) sqlite3_bind_int64(st, 2, 1795402800LL);
					else sqlite3_bind_null(st, 2);
					sqlite3_bind_text(st, 3, days[d], -1, SQLITE_STATIC);
					sqlite3_bind_text(st, 4, days[a], -1, SQLITE_STATIC);
					sqlite3_bind_text(st, 5, today, -1, SQLITE_STATIC);
					assert_int_equal(sqlite3_step(st), SQLITE_ROW);
					assert_int_equal(sqlite3_column_int(st, 0), status_is_final(status_names[s]));
					assert_int_equal(sqlite3_column_int(st, 1), status_is_answered(status_names[s]));
					assert_int_equal(sqlite3_column_int(st, 2),
						status_is_overdue(status_names[s], closed, days[d], days[a], today));
					sqlite3_reset(st);
					checked++;
				}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(checked, STATUS_COUNT * 2 * 16);
	/* The cases themselves: late by the deadline, saved by an appointment. */
	assert_true(status_is_overdue("accepted", 0, "2026-11-30", "", today));
	assert_false(status_is_overdue("accepted", 0, "2026-11-30", "2026-12-02", today));
	assert_false(status_is_overdue("accepted", 0, "2026-12-01", "", today));
	assert_false(status_is_overdue("accepted", 0, "", "", today));
	assert_false(status_is_overdue("resolved", 0, "2026-11-30", "", today));
	assert_false(status_is_overdue("accepted", 1, "2026-11-30", "", today));
}

static void test_vietnam_time(void **state)
{
	vntime v;
	char out[32];
	(void)state;
	setenv("TZ", "America/New_York", 1);   /* nothing here may read it */
	/* 2025-12-31 17:00 UTC is New Year's midnight in Vietnam. */
	v = vntime_of(1767200400LL);
	assert_int_equal(v.date.year, 2026);
	assert_int_equal(v.date.month, 1);
	assert_int_equal(v.date.day, 1);
	assert_int_equal(v.hour, 0);
	assert_int_equal(v.weekday, 4);       /* a Thursday */
	v = vntime_of(1767200399LL);
	assert_int_equal(v.date.year, 2025);
	assert_int_equal(v.hour, 23);
	assert_int_equal(v.minute, 59);
	assert_int_equal(v.second, 59);
	/* Before 1970: floor, not truncation. */
	v = vntime_of(-VNTIME_OFFSET - 1);
	assert_int_equal(v.date.year, 1969);
	assert_int_equal(v.date.day, 31);
	assert_int_equal(v.hour, 23);
	assert_int_equal(vntime_from_civil(2026, 1, 1, 0, 0, 0), 1767200400LL);
	assert_int_equal(fx_vn_time(2026, 11, 23, 10, 0), 1795402800LL);
	assert_int_equal(vntime_day_start(vntime_date(1795402800LL)), 1795402800LL - 10 * 3600);
	assert_int_equal(vntime_format(1795402800LL, "%d/%m/%Y %H:%M %a", out, sizeof out), 20);
	assert_string_equal(out, "23/11/2026 10:00 Mon");
	assert_int_equal(vntime_format(1795402800LL, "%Y-%m-%d", out, 4), 0);
	assert_string_equal(out, "");
	unsetenv("TZ");
}

static void test_offsets(void **state)
{
	char out[64];
	(void)state;
	vntime_describe_offset(7500, out, sizeof out);
	assert_string_equal(out, "2 h 05 min behind");
	vntime_describe_offset(-3 * 86400 - 4 * 3600, out, sizeof out);
	assert_string_equal(out, "3 days 4 h ahead of");
	vntime_describe_offset(86400 + 7200, out, sizeof out);
	assert_string_equal(out, "1 day 2 h behind");
	vntime_describe_offset(-42, out, sizeof out);
	assert_string_equal(out, "42 s ahead of");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sql_agrees),
		cmocka_unit_test(test_vietnam_time),
		cmocka_unit_test(test_offsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
