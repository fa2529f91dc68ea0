/* Tests of what the kiosk's store keeps for staff mode and what a sync
 * brings besides events: deadlines set by office events (the deadline in
 * force), the dialogue conferences replaced by each reply, the commune's
 * figures, counts by status with the overdue ones, the staff PIN lock and
 * its count of locks, the latest receipt's time and a clock found behind, and
 * the progress lines motcua-sync prints for the staff menu. Replies are made
 * by hand here, as the decoder would hand them over. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fixture.h"
#include "status.h"
#include "bgsync.h"
#include "db.h"
#include "dbpin.h"
#include "proto.h"

typedef struct {
	char dir[64];
	db *store;
	db_request a, b;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	db_submission s;
	unsigned char sealed[48] = { 1, 2, 3 };
	char err[256];
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "staff");
	if (db_open(&f->store, f->dir, fx_server_key(NULL), err, sizeof err) != 0) return -1;
	memset(&s, 0, sizeof s);
	s.commune_code = "27280";
	s.kiosk_number = 3;
	s.category = "complaint";
	s.received_at = fx_vn_time(2026, 1, 1, 9, 0);
	s.deadline = "2026-01-12";
	s.sealed = sealed;
	s.sealed_len = sizeof sealed;
	if (db_submit(f->store, &s, &f->a, err, sizeof err) != 0) return -1;
	s.category = "petition";
	s.deadline = "2026-01-15";
	if (db_submit(f->store, &s, &f->b, err, sizeof err) != 0) return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	db_close(f->store);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

static proto_event event(long long id, const char *request, long long at, const char *status, const char *deadline)
{
	proto_event e;
	memset(&e, 0, sizeof e);
	e.id = id;
	snprintf(e.request, sizeof e.request, "%s", request);
	e.at = at;
	snprintf(e.status, sizeof e.status, "%s", status);
	snprintf(e.note, sizeof e.note, "note %lld", id);
	snprintf(e.deadline, sizeof e.deadline, "%s", deadline);
	return e;
}

static void test_deadline_in_force(void **state)
{
	fixture *f = *state;
	proto_event events[3];
	proto_reply r;
	db_request found;
	db_event ev[8];
	char err[256];
	memset(&r, 0, sizeof r);
	events[0] = event(1, f->a.id, 1767240000, "synced", "");
	events[1] = event(2, f->a.id, 1767500000, "accepted", "2026-02-20");
	events[2] = event(3, f->b.id, 1767500000, "accepted", "");
	r.events = events;
	r.nevents = 3;
	r.cursor = 3;
	r.server_time = 1767500100;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 1767500100, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(f->store, f->a.token, &found), 1);
	assert_string_equal(found.deadline, "2026-01-12");      /* the receipt's, as sent upstream */
	assert_string_equal(found.due, "2026-02-20");           /* the office's, in force */
	assert_string_equal(found.status, "accepted");
	assert_int_equal(db_find_token(f->store, f->b.token, &found), 1);
	assert_string_equal(found.due, "2026-01-15");           /* no event set one */
	assert_int_equal(db_events(f->store, f->a.id, ev, 8), 3);
	assert_string_equal(ev[2].deadline, "2026-02-20");
	assert_string_equal(ev[1].deadline, "");

	/* An apology with a new date, later: it is the one in force. */
	events[0] = event(4, f->a.id, 1772000000, "in_progress", "2026-03-10");
	r.nevents = 1;
	r.cursor = 4;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 1772000000, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(f->store, f->a.token, &found), 1);
	assert_string_equal(found.due, "2026-03-10");
	/* The same reply again changes nothing. */
	assert_int_equal(db_apply_reply(f->store, &r, 0, 1772000000, NULL, err, sizeof err), 0);
	assert_int_equal(db_events(f->store, f->a.id, ev, 8), 4);
}

static void test_conferences_and_figures(void **state)
{
	fixture *f = *state;
	proto_conference confs[2];
	proto_conference next;
	proto_reply r;
	proto_stats st;
	char err[256];
	memset(&r, 0, sizeof r);
	memset(confs, 0, sizeof confs);
	assert_int_equal(db_read_stats(f->store, &st), 0);
	assert_int_equal(st.known, 0);
	assert_int_equal(db_next_conference(f->store, 0, &next), 0);

	confs[0].id = 7;
	confs[0].at = 1780000000;
	snprintf(confs[0].place, sizeof confs[0].place, "Hội trường UBND xã");
	snprintf(confs[0].leaders, sizeof confs[0].leaders, "Chủ tịch UBND xã");
	snprintf(confs[0].topic, sizeof confs[0].topic, "Đất đai");
	confs[1] = confs[0];
	confs[1].id = 8;
	confs[1].at = 1790000000;
	r.conferences = confs;
	r.nconferences = 2;
	r.stats.known = 1;
	r.stats.year = 2026;
	r.stats.resolved = 40;
	r.stats.on_time = 39;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 1, NULL, err, sizeof err), 0);
	assert_int_equal(db_next_conference(f->store, 1770000000, &next), 1);
	assert_int_equal(next.id, 7);
	assert_string_equal(next.place, "Hội trường UBND xã");
	assert_string_equal(next.topic, "Đất đai");
	/* Once the first has begun, the next is the second. */
	assert_int_equal(db_next_conference(f->store, 1780000001, &next), 1);
	assert_int_equal(next.id, 8);
	assert_int_equal(db_next_conference(f->store, 1790000001, &next), 0);
	assert_int_equal(db_read_stats(f->store, &st), 0);
	assert_true(st.known && st.year == 2026 && st.resolved == 40 && st.on_time == 39);

	/* A later reply replaces the list (one was cancelled); one without
	 * figures keeps the last ones; suppressed figures are kept as such. */
	r.nconferences = 1;
	r.conferences = &confs[1];
	r.stats.known = 0;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 2, NULL, err, sizeof err), 0);
	assert_int_equal(db_next_conference(f->store, 0, &next), 1);
	assert_int_equal(next.id, 8);
	assert_int_equal(db_read_stats(f->store, &st), 0);
	assert_int_equal(st.on_time, 39);
	r.nconferences = 0;
	r.conferences = NULL;
	r.stats.known = 1;
	r.stats.resolved = -1;
	r.stats.on_time = -1;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 3, NULL, err, sizeof err), 0);
	assert_int_equal(db_next_conference(f->store, 0, &next), 0);
	assert_int_equal(db_read_stats(f->store, &st), 0);
	assert_true(st.known && st.resolved == -1 && st.on_time == -1);
}

static void test_counts(void **state)
{
	fixture *f = *state;
	proto_event events[2];
	proto_reply r;
	db_counts c;
	char err[256];
	int synced = -1, accepted = -1, i;
	for (i = 0; status_names[i]; i++) {
		if (!strcmp(status_names[i], "synced")) synced = i;
		if (!strcmp(status_names[i], "accepted")) accepted = i;
	}
	assert_int_equal(db_count_by_status(f->store, "2026-01-13", &c, err, sizeof err), 0);
	assert_int_equal(c.total, 2);
	assert_int_equal(c.by_status[0], 2);                    /* received */
	assert_int_equal(c.overdue, 1);                         /* a: due 2026-01-12 */
	memset(&r, 0, sizeof r);
	events[0] = event(1, f->a.id, 1767500000, "accepted", "2026-02-20");
	events[1] = event(2, f->b.id, 1767500000, "synced", "");
	r.events = events;
	r.nevents = 2;
	assert_int_equal(db_apply_reply(f->store, &r, 0, 1, NULL, err, sizeof err), 0);
	assert_int_equal(db_count_by_status(f->store, "2026-01-16", &c, err, sizeof err), 0);
	assert_int_equal(c.by_status[accepted], 1);
	assert_int_equal(c.by_status[synced], 1);
	assert_int_equal(c.overdue, 1);                         /* b: due 2026-01-15; a moved to February */
	assert_int_equal(db_count_by_status(NULL, "2026-01-16", &c, err, sizeof err), -1);
}

static void test_pin_lock(void **state)
{
	fixture *f = *state;
	dbpin_lock l = { 0, 0, 0 };
	db_sync_state st;
	long long last;
	char err[256];
	assert_int_equal(dbpin_lock_read(f->store, &l), 0);
	assert_int_equal(l.failures, 0);
	assert_int_equal(l.locked_until, 0);
	l.failures = 3;
	l.locked_until = 1767500000;
	l.locks = 4;
	assert_int_equal(dbpin_lock_write(f->store, &l), 0);
	/* Another opening of the file (a restart) reads it back. */
	db_close(f->store);
	assert_int_equal(db_open(&f->store, f->dir, fx_server_key(NULL), err, sizeof err), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(dbpin_lock_read(f->store, &l), 0);
	assert_int_equal(l.failures, 3);
	assert_int_equal(l.locked_until, 1767500000);
	assert_int_equal(l.locks, 4);    /* how many locks in a row: the next lasts longer */
	/* The clock: the latest receipt, and a clock found behind, kept for staff. */
	assert_int_equal(db_last_received(f->store, &last, err, sizeof err), 0);
	assert_int_equal(last, fx_vn_time(2026, 1, 1, 9, 0));
	assert_int_equal(db_clock_behind(f->store, 86400, last + 60, err, sizeof err), 0);
	assert_int_equal(db_read_sync_state(f->store, &st, err, sizeof err), 0);
	assert_true(st.clock_behind == 86400 && st.clock_behind_at == last + 60);
	assert_int_equal(db_clock_behind(f->store, 0, last + 120, err, sizeof err), 0);
	assert_int_equal(db_read_sync_state(f->store, &st, err, sizeof err), 0);
	assert_int_equal(st.clock_behind, 0);
	assert_int_equal(dbpin_lock_read(NULL, &l), -1);
	assert_int_equal(l.locked_until, 0);
}

static void test_progress_lines(void **state)
{
	bgsync_run_state st;
	(void)state;
	memset(&st, 0, sizeof st);
	assert_int_equal(bgsync_parse_line("{\"type\":\"waiting\"}\n", &st), 0);
	assert_int_equal(st.phase, BGSYNC_WAITING);
	assert_int_equal(bgsync_parse_line("{\"type\":\"progress\",\"done\":3,\"total\":12}", &st), 0);
	assert_int_equal(st.phase, BGSYNC_RUNNING);
	assert_true(st.done == 3 && st.total == 12);
	assert_int_equal(bgsync_parse_line("{\"type\":\"result\",\"result\":\"no_network\",\"exit\":3,\"sent\":2,"
		"\"updates\":1,\"pending\":10,\"count\":0,\"files\":0,\"path\":\"\",\"clock_known\":true,"
		"\"clock_offset\":-42,\"message\":\"No network\"}", &st), 0);
	assert_string_equal(st.result, "no_network");
	assert_true(st.exit_code == 3 && st.sent == 2 && st.updates == 1 && st.pending == 10);
	assert_true(st.clock_known && st.clock_offset == -42);
	assert_string_equal(st.message, "No network");
	assert_int_equal(bgsync_parse_line("sent 3 of 12", &st), -1);
	assert_int_equal(bgsync_parse_line("{\"type\":\"other\"}", &st), -1);
	assert_int_equal(bgsync_parse_line("", &st), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deadline_in_force, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conferences_and_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_lock, setup, teardown),
		cmocka_unit_test(test_progress_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
