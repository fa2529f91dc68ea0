/* Tests of satisfaction ratings in the kiosk's store: a ticket of the day
 * and a receipt code are each rated once (a second is refused, also from a
 * second connection, as the office service would be); an unknown ticket or
 * code is refused without a row; ratings with neither are counted apart
 * and limited per minute; faces out of range and a comment with control
 * characters are refused saying which; ratings survive closing the store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "fixture.h"
#include "db.h"
#include "queue.h"
#include "rating.h"

static db *open_store(const char *dir)
{
	db *d = NULL;
	char err[256];
	if (db_open(&d, dir, fx_server_key(NULL), err, sizeof err) != 0) fail_msg("%s", err);
	return d;
}

static rating_input faces(rating_kind kind, int face)
{
	rating_input in;
	memset(&in, 0, sizeof in);
	in.kind = kind;
	for (int i = 0; i < RATING_N_CRITERIA; i++) in.faces[i] = face;
	return in;
}

static void test_ticket_once(void **state)
{
	char dir[128], err[256];
	long long now = fx_vn_time(2026, 12, 2, 9, 0);
	queue_ticket t;
	int ahead, counts[3];
	db *d, *other;
	rating_input in = faces(RATING_TICKET, 3);
	(void)state;
	fx_tempdir(dir, sizeof dir, "rating-ticket");
	d = open_store(dir);
	assert_int_equal(queue_take(d, "2026-12-02", "hotich", 0, now, &t, &ahead, err, sizeof err), 0);
	snprintf(in.day, sizeof in.day, "2026-12-02");
	snprintf(in.field, sizeof in.field, "hotich");
	in.number = t.number;
	snprintf(in.comment, sizeof in.comment, "Cán bộ tận tình");
	assert_int_equal(rating_give(d, &in, now + 600, err, sizeof err), RATING_STORED);
	assert_int_equal(rating_give(d, &in, now + 700, err, sizeof err), RATING_DUPLICATE);
	other = open_store(dir);
	assert_int_equal(rating_give(other, &in, now + 800, err, sizeof err), RATING_DUPLICATE);
	db_close(other);
	in.number = t.number + 1;
	assert_int_equal(rating_give(d, &in, now + 900, err, sizeof err), RATING_UNKNOWN);
	snprintf(in.day, sizeof in.day, "2026-12-01");
	in.number = t.number;
	assert_int_equal(rating_give(d, &in, now + 900, err, sizeof err), RATING_UNKNOWN);
	db_close(d);
	d = open_store(dir);
	assert_int_equal(rating_counts(d, counts), 0);
	assert_int_equal(counts[RATING_TICKET], 1);
	assert_int_equal(counts[RATING_NONE], 0);
	db_close(d);
	fx_rmtree(dir);
}

static void test_code_once(void **state)
{
	char dir[128], err[256];
	unsigned char sealed[64 + SEAL_OVERHEAD];
	db_submission s = { "27280", 3, "hotich", NULL, 1763600000, "2026-12-04", sealed, sizeof sealed };
	db_request r;
	int counts[3];
	db *d;
	rating_input in = faces(RATING_REQUEST, 1);
	(void)state;
	memset(sealed, 1, sizeof sealed);
	fx_tempdir(dir, sizeof dir, "rating-code");
	d = open_store(dir);
	assert_int_equal(db_submit(d, &s, &r, err, sizeof err), 0);
	snprintf(in.code, sizeof in.code, "%s", "0000000000000");
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), RATING_UNKNOWN);
	snprintf(in.code, sizeof in.code, "%s", r.token);
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), RATING_STORED);
	in.faces[RATING_OVERALL] = 2;
	assert_int_equal(rating_give(d, &in, 1763700100, err, sizeof err), RATING_DUPLICATE);
	assert_int_equal(rating_counts(d, counts), 0);
	assert_int_equal(counts[RATING_REQUEST], 1);
	db_close(d);
	fx_rmtree(dir);
}

static void test_neither_limited(void **state)
{
	char dir[128], err[256];
	long long now = fx_vn_time(2026, 12, 2, 10, 0);
	int counts[3];
	db *d;
	rating_input in = faces(RATING_NONE, 2);
	(void)state;
	fx_tempdir(dir, sizeof dir, "rating-none");
	d = open_store(dir);
	for (int i = 0; i < RATING_NONE_PER_MINUTE; i++)
		assert_int_equal(rating_give(d, &in, now + i, err, sizeof err), RATING_STORED);
	assert_int_equal(rating_give(d, &in, now + 10, err, sizeof err), RATING_LIMITED);
	assert_int_equal(rating_give(d, &in, now + 59, err, sizeof err), RATING_LIMITED);
	/* A minute after the first, one place is free again. */
	assert_int_equal(rating_give(d, &in, now + 60, err, sizeof err), RATING_STORED);
	assert_int_equal(rating_give(d, &in, now + 60, err, sizeof err), RATING_LIMITED);
	assert_int_equal(rating_counts(d, counts), 0);
	assert_int_equal(counts[RATING_NONE], RATING_NONE_PER_MINUTE + 1);
	assert_int_equal(counts[RATING_TICKET] + counts[RATING_REQUEST], 0);
	db_close(d);
	fx_rmtree(dir);
}

static void test_bad_input(void **state)
{
	char dir[128], err[256];
	int counts[3];
	db *d;
	rating_input in = faces(RATING_NONE, 2);
	(void)state;
	fx_tempdir(dir, sizeof dir, "rating-bad");
	d = open_store(dir);
	in.faces[RATING_ATTITUDE] = 4;
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), -1);
	assert_non_null(strstr(err, "attitude"));
	in.faces[RATING_ATTITUDE] = 0;
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), -1);
	in.faces[RATING_ATTITUDE] = 2;
	snprintf(in.comment, sizeof in.comment, "tốt\x01");
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), -1);
	assert_non_null(strstr(err, "control character"));
	snprintf(in.comment, sizeof in.comment, "\xc3\x28");
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), -1);
	in = faces(RATING_TICKET, 2);
	assert_int_equal(rating_give(d, &in, 1763700000, err, sizeof err), -1);
	assert_non_null(strstr(err, "ticket"));
	assert_int_equal(rating_counts(d, counts), 0);
	assert_int_equal(counts[0] + counts[1] + counts[2], 0);
	db_close(d);
	fx_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticket_once),
		cmocka_unit_test(test_code_once),
		cmocka_unit_test(test_neither_limited),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
