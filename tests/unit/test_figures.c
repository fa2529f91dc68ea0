/* Tests of the figures shared by every process and thread on one store
 * (srv_figures.h), on the backend of the run (SQLite, or PostgreSQL with
 * MOTCUA_TEST_PG): two handles on one store stand for two processes. What
 * one computes the other takes while it is fresh, even after the rows
 * changed (so it did not compute them); once stale, one handle claims and
 * computes them again and the other, its claim refused, shows the last
 * ones; the claim is given up after its lease; a copy that does not read
 * back (another layout, damaged) is computed again, never trusted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "srv_db.h"
#include "srv_figures.h"
#include "srv_stats.h"

#define NOW fx_vn_time(2026, 11, 22, 10, 0)
#define TTL 60

typedef struct {
	char dir[64];
	srv_db *a, *b;               /* two processes' connections */
	fx_disk *disk;
	int seq;
} fixture;

/* n resolved petitions of commune 27280, received this month. */
static void add(fixture *f, int n)
{
	static const char text[] = "INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
		" received_server_at, deadline, status, updated_at, sealed, commune, due, closed_at, on_time)"
		" VALUES(?1, '27280-1', ?2, ?3, 'petition', '', ?4, ?4, '2026-12-31', 'resolved', ?4, 'x', '27280',"
		" '2026-12-31', ?5, ?6)";
	char id[40], seq[24], token[16], at[24], closed[24];
	const char *p[6] = { id, seq, token, at, closed, "1" };
	int i;
	for (i = 0; i < n; i++) {
		f->seq++;
		snprintf(id, sizeof id, "27280-1-%06d", f->seq);
		snprintf(seq, sizeof seq, "%d", f->seq);
		snprintf(token, sizeof token, "T%012d", f->seq);
		snprintf(at, sizeof at, "%lld", NOW - 86400);
		snprintf(closed, sizeof closed, "%lld", NOW - 3600);
		fx_disk_rows(f->disk, text, p, 6, NULL, NULL);
	}
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "figures");
	f->a = fx_srv_open(f->dir);
	f->b = fx_srv_open(f->dir);
	f->disk = fx_disk_open(f->dir);
	{
		unsigned char key[ENV_PK_BYTES] = { 1 };
		char err[200];
		assert_int_equal(srv_db_kiosk_add(f->a, "27280-1", key, NOW - 86400, err, sizeof err), 0);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fx_disk_close(f->disk);
	srv_db_close(f->a);
	srv_db_close(f->b);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

/* The year's received count in the grand total, after srv_figures_get. */
static long long received(srv_db *d, long long now, int *shared)
{
	srv_stats s;
	char err[300];
	long long n;
	if (srv_figures_get(d, now, TTL, &s, shared, err, sizeof err) != 0) fail_msg("%s", err);
	n = s.total.period[SRV_STATS_YEAR].received;
	srv_stats_free(&s);
	return n;
}

static void test_computed_once(void **state)
{
	fixture *f = *state;
	int shared = -1;
	add(f, 5);
	assert_int_equal(received(f->a, NOW, &shared), 5);
	assert_int_equal(shared, 0);                 /* nothing to share yet: computed */
	add(f, 4);
	/* The other process takes a's figures: the 4 new rows are not in them,
	 * so it did not scan the store. */
	assert_int_equal(received(f->b, NOW + 10, &shared), 5);
	assert_int_equal(shared, 1);
	assert_int_equal(received(f->a, NOW + TTL - 1, &shared), 5);
	assert_int_equal(shared, 1);
	/* Stale: the first to ask claims and computes; the rows are counted. */
	assert_int_equal(received(f->b, NOW + TTL, &shared), 9);
	assert_int_equal(shared, 0);
	assert_int_equal(received(f->a, NOW + TTL + 1, &shared), 9);
	assert_int_equal(shared, 1);
}

static void test_claim(void **state)
{
	fixture *f = *state;
	int shared = -1;
	add(f, 3);
	assert_int_equal(received(f->a, NOW, &shared), 3);
	add(f, 3);
	/* b holds the claim, as if computing: a, finding the copy stale,
	 * shows the last figures rather than computing them a second time. */
	assert_int_equal(srv_figures_claim(f->b, NOW + TTL, SRV_FIGURES_LEASE), 1);
	assert_int_equal(srv_figures_claim(f->a, NOW + TTL + 1, SRV_FIGURES_LEASE), 0);
	assert_int_equal(received(f->a, NOW + TTL + 2, &shared), 3);
	assert_int_equal(shared, 1);
	/* b died: after the lease a claims and computes. */
	assert_int_equal(received(f->a, NOW + TTL + SRV_FIGURES_LEASE, &shared), 6);
	assert_int_equal(shared, 0);
	/* A claim from the future (a clock set back) does not hold. */
	assert_int_equal(srv_figures_claim(f->b, NOW + 100000, SRV_FIGURES_LEASE), 1);
	assert_int_equal(srv_figures_claim(f->a, NOW + 200, SRV_FIGURES_LEASE), 1);
}

static void test_copy_not_trusted(void **state)
{
	fixture *f = *state;
	static const char *bad[] = {
		"not base64 at all!",
		"TUNGMQ==",                      /* "MCF1" alone: a header cut short */
		"",
	};
	long long at;
	char *value = NULL;
	size_t i, n;
	int shared = -1;
	add(f, 4);
	assert_int_equal(received(f->a, NOW, &shared), 4);
	assert_int_equal(srv_figures_load(f->b, &at, &value), 1);
	assert_int_equal(at, NOW);
	n = strlen(value);
	assert_true(n > 100);
	/* One byte changed in the header's sizes, as another layout would
	 * write it: computed here, and the rows added since are counted. */
	add(f, 1);
	value[12] = value[12] == 'A' ? 'B' : 'A';
	assert_int_equal(srv_figures_store(f->a, NOW, value), 0);
	assert_int_equal(received(f->b, NOW + 1, &shared), 5);
	assert_int_equal(shared, 0);
	/* Cut short: the same. */
	value[n / 2] = '\0';
	assert_int_equal(srv_figures_store(f->a, NOW, value), 0);
	assert_int_equal(received(f->b, NOW + 2, &shared), 5);
	assert_int_equal(shared, 0);
	free(value);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(srv_figures_store(f->a, NOW, bad[i]), 0);
		assert_int_equal(received(f->b, NOW + 3, &shared), 5);
		assert_int_equal(shared, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_computed_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_not_trusted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
