/* Tests of the office's queue numbers in the kiosk's store: numbers run per
 * field per day and start again the next day; a priority ticket is called
 * before the ordinary ones of its field, a ticket sent to a counter before
 * anything else there; recall, skip, close and transfer act on the
 * counter's own ticket only; tickets and calls survive closing the store;
 * the day's times count what was served; and two counters calling at the
 * same instant from two connections (as two processes would) never take
 * the same ticket. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fixture.h"
#include "catalog.h"
#include "db.h"
#include "queue.h"

static db *open_store(const char *dir)
{
	db *d = NULL;
	char err[256];
	if (db_open(&d, dir, NULL, err, sizeof err) != 0) fail_msg("%s", err);
	return d;
}

static queue_ticket take(db *d, const char *day, const char *field, int priority, long long now, int *ahead)
{
	queue_ticket t;
	char err[256];
	if (queue_take(d, day, field, priority, now, &t, ahead, err, sizeof err) != 0) fail_msg("%s", err);
	return t;
}

static int call(db *d, const char *day, int counter, const char *fields, long long now, queue_ticket *t)
{
	char err[256];
	queue_call c;
	int rc = queue_call_next(d, day, counter, fields, now, t, &c, err, sizeof err);
	if (rc < 0) fail_msg("%s", err);
	if (rc == 1) {
		assert_int_equal(c.counter, counter);
		assert_int_equal(c.ticket.id, t->id);
	}
	return rc;
}

static void test_numbers_per_field_per_day(void **state)
{
	char dir[128];
	db *d;
	int ahead;
	queue_ticket t;
	(void)state;
	fx_tempdir(dir, sizeof dir, "queue-numbers");
	d = open_store(dir);
	t = take(d, "2026-12-01", "hotich", 0, 1000, &ahead);
	assert_int_equal(t.number, 1);
	assert_int_equal(ahead, 0);
	t = take(d, "2026-12-01", "hotich", 0, 1001, &ahead);
	assert_int_equal(t.number, 2);
	assert_int_equal(ahead, 1);
	t = take(d, "2026-12-01", "datdai", 0, 1002, &ahead);
	assert_int_equal(t.number, 1);                  /* its own field's count */
	assert_int_equal(ahead, 0);
	t = take(d, "2026-12-01", "hotich", 1, 1003, &ahead);
	assert_int_equal(t.number, 3);
	assert_true(t.priority);
	assert_int_equal(ahead, 0);                     /* a priority ticket waits behind priority ones only */
	t = take(d, "2026-12-01", "hotich", 0, 1004, &ahead);
	assert_int_equal(ahead, 3);                     /* 1, 2 and the priority 3 */
	db_close(d);
	/* Closed and opened again, as after a power cut: the count goes on. */
	d = open_store(dir);
	t = take(d, "2026-12-01", "hotich", 0, 1005, NULL);
	assert_int_equal(t.number, 5);
	t = take(d, "2026-12-02", "hotich", 0, 90000, &ahead);
	assert_int_equal(t.number, 1);                  /* a new day starts again */
	assert_int_equal(ahead, 0);
	assert_int_equal(queue_waiting(d, "2026-12-01", "hotich"), 5);
	assert_int_equal(queue_waiting(d, "2026-12-01", NULL), 6);
	db_close(d);
	assert_int_equal(fx_rmtree(dir), 0);
}

static void test_calling_order_and_actions(void **state)
{
	char dir[128], err[256];
	const char *day = "2026-12-01";
	db *d;
	queue_ticket t, cur;
	queue_call calls[8];
	queue_call c;
	(void)state;
	fx_tempdir(dir, sizeof dir, "queue-calls");
	d = open_store(dir);
	take(d, day, "hotich", 0, 100, NULL);            /* A1 */
	take(d, day, "hotich", 0, 110, NULL);            /* A2 */
	take(d, day, "hotich", 1, 120, NULL);            /* A3, priority */
	take(d, day, "datdai", 0, 130, NULL);            /* C1 */
	/* Counter 1 serves hotich: the priority ticket first, then the oldest. */
	assert_int_equal(call(d, day, 1, "hotich", 200, &t), 1);
	assert_int_equal(t.number, 3);
	assert_int_equal(queue_current(d, day, 1, &cur), 1);
	assert_int_equal(cur.id, t.id);
	assert_int_equal(call(d, day, 1, "hotich", 300, &t), 1);
	assert_int_equal(t.number, 1);
	/* Calling the next closed the one before as served, after 100 s. */
	{
		queue_stat st[4];
		int n = queue_stats(d, day, st, 4);
		assert_int_equal(n, 1);
		assert_string_equal(st[0].field, "hotich");
		assert_int_equal(st[0].counter, 1);
		assert_int_equal(st[0].served, 1);
		assert_int_equal(st[0].service_total, 100);
		assert_int_equal(st[0].wait_total, 80);      /* A3 taken at 120, called at 200 */
	}
	/* Recall is a new call of the same ticket. */
	assert_int_equal(queue_recall(d, day, 1, 310, &c, err, sizeof err), 1);
	assert_true(c.recall);
	assert_int_equal(c.ticket.number, 1);
	assert_int_equal(c.ticket.calls, 2);
	/* Counter 3 has nothing to do with counter 1's ticket. */
	assert_int_equal(queue_skip(d, day, 3, 320, err, sizeof err), 0);
	/* Transfer A1 to counter 3, which serves only datdai: there it goes first. */
	assert_int_equal(queue_transfer(d, day, 1, 3, 330, err, sizeof err), 1);
	assert_int_equal(queue_current(d, day, 1, &cur), 0);
	assert_int_equal(queue_transfer(d, day, 1, 1, 330, err, sizeof err), -1);  /* to itself */
	assert_int_equal(call(d, day, 3, "datdai", 340, &t), 1);
	assert_string_equal(t.field, "hotich");
	assert_int_equal(t.number, 1);
	assert_int_equal(t.first_called_at, 200 + 100);  /* its first call stays */
	assert_int_equal(call(d, day, 3, "datdai", 350, &t), 1);
	assert_string_equal(t.field, "datdai");
	/* Skip marks it not there; the counter then serves nothing. */
	assert_int_equal(queue_skip(d, day, 3, 360, err, sizeof err), 1);
	assert_int_equal(queue_current(d, day, 3, &cur), 0);
	assert_int_equal(call(d, day, 1, "hotich", 400, &t), 1);
	assert_int_equal(t.number, 2);
	assert_int_equal(queue_close(d, day, 1, 410, err, sizeof err), 1);
	assert_int_equal(call(d, day, 1, "hotich", 420, &t), 0);   /* nobody left */
	/* The calls, newest first, for the hall display. */
	assert_int_equal(queue_calls(d, day, 0, calls, 8), 6);
	assert_int_equal(calls[0].ticket.number, 2);
	assert_int_equal(calls[0].counter, 1);
	assert_true(queue_last_call(d) == calls[0].id);
	assert_int_equal(queue_calls(d, day, calls[1].id, calls, 8), 1);
	assert_int_equal(queue_calls(d, "2026-12-02", 0, calls, 8), 0);
	db_close(d);
	assert_int_equal(fx_rmtree(dir), 0);
}

/* ---- two counters at once ---- */

#define RACE_TICKETS 60

typedef struct {
	const char *dir;
	int counter;
	long long got[RACE_TICKETS];
	int n;
	pthread_barrier_t *start;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	db *d = NULL;
	char err[256];
	queue_ticket t;
	queue_call c;
	int rc;
	if (db_open(&d, r->dir, NULL, err, sizeof err) != 0) return NULL;
	pthread_barrier_wait(r->start);
	while ((rc = queue_call_next(d, "2026-12-01", r->counter, "hotich", 500, &t, &c, err, sizeof err)) == 1)
	{
		r->got[r->n++] = t.id;
		usleep(5000);                             /* a counter serving, so both call in turn */
	}
	db_close(d);
	return rc == 0 ? r : NULL;
}

static void test_two_counters_never_share_a_ticket(void **state)
{
	char dir[128];
	db *d;
	int i, j;
	pthread_t th[2];
	pthread_barrier_t start;
	racer r[2];
	void *res[2];
	(void)state;
	fx_tempdir(dir, sizeof dir, "queue-race");
	d = open_store(dir);
	for (i = 0; i < RACE_TICKETS; i++) take(d, "2026-12-01", "hotich", i % 7 == 0, 100 + i, NULL);
	db_close(d);
	pthread_barrier_init(&start, NULL, 2);
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].dir = dir;
		r[i].counter = i + 1;
		r[i].start = &start;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 2; i++) pthread_join(th[i], &res[i]);
	pthread_barrier_destroy(&start);
	assert_non_null(res[0]);
	assert_non_null(res[1]);
	assert_int_equal(r[0].n + r[1].n, RACE_TICKETS);
	for (i = 0; i < r[0].n; i++)
		for (j = 0; j < r[1].n; j++)
			if (r[0].got[i] == r[1].got[j]) fail_msg("ticket %lld called at both counters", r[0].got[i]);
	assert_true(r[0].n > 0 && r[1].n > 0);
	assert_int_equal(fx_rmtree(dir), 0);
}

static void test_catalog_fields_and_labels(void **state)
{
	static catalog c;
	char err[256], list[128];
	(void)state;
	if (catalog_load("assets/catalog.json", &c, err, sizeof err) != 0) fail_msg("%s", err);
	assert_true(c.nqueue_fields >= 3);
	assert_non_null(catalog_queue_field_by_id(&c, "hotich"));
	assert_true(catalog_counter_fields(&c, 1, list, sizeof list) >= 1);
	assert_non_null(strstr(list, "hotich"));
	assert_true(catalog_counters(&c) >= 2);
	queue_label("A", 15, list, sizeof list);
	assert_string_equal(list, "A015");
	/* A bad entry names itself. */
	assert_int_equal(catalog_load_string("{\"version\":\"x\",\"fields\":[],\"categories\":[{\"id\":\"petition\"}],"
		"\"procedures\":[],\"queue_fields\":[{\"id\":\"a\",\"prefix\":\"A\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},"
		"\"counters\":[0]}]}", &c, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_per_field_per_day),
		cmocka_unit_test(test_calling_order_and_actions),
		cmocka_unit_test(test_two_counters_never_share_a_ticket),
		cmocka_unit_test(test_catalog_fields_and_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
