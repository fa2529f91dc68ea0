/* Tests of the legal clock's steps as officials take them on the server's
 * store (srv_work.h, srv_counter.h): a complaint or denunciation accepted
 * only on its signed letter, the time to resolve a complaint suspended and
 * resumed, the denouncer told of the acceptance once, the limits the
 * request page shows (srv_work_clock), and a dialogue question due on its
 * conference's day. Dates cross weekends, Culture Day (24 November), New
 * Year and the end of the year (assets/holidays.json). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "proto.h"
#include "srv_counter.h"
#include "srv_db.h"
#include "srv_sync.h"
#include "srv_work.h"
#include "token.h"

#define NOW 1795402800LL          /* 2026-11-23 10:00 UTC+7, a Monday */
#define DAY 86400LL
#define KIOSK "27280-1"

typedef struct {
	char dir[64];
	srv_db *db;
	catalog cat;
	cal *calendar;
	long long seq, n;
	fx_disk *disk;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	unsigned char key[ENV_PK_BYTES] = { 1 };
	char err[300];
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "steps");
	if (!(f->db = fx_srv_open(f->dir)) || !(f->disk = fx_disk_open(f->dir)) ||
	    srv_db_kiosk_add(f->db, KIOSK, key, NOW - 100 * DAY, err, sizeof err) != 0 ||
	    catalog_load("assets/catalog.json", &f->cat, err, sizeof err) != 0 ||
	    !(f->calendar = cal_load("assets/holidays.json", err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fx_disk_close(f->disk);
	srv_db_close(f->db);
	cal_free(f->calendar);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

/* One request pushed by the kiosk, its id in id. */
static void file_request(fixture *f, const char *category, long long received_at, const char *deadline, char id[40])
{
	static unsigned char sealed[64] = { 7, 7, 7 };
	proto_push p;
	proto_request r;
	proto_reply reply;
	srv_db_push_result res;
	char err[300];
	memset(&p, 0, sizeof p);
	memset(&r, 0, sizeof r);
	memset(&reply, 0, sizeof reply);
	snprintf(p.kiosk, sizeof p.kiosk, "%s", KIOSK);
	p.n = ++f->n;
	p.clock = received_at;
	r.seq = p.from = p.to = ++f->seq;
	snprintf(r.id, sizeof r.id, "%s-%06lld", KIOSK, r.seq);
	assert_int_equal(token_new(r.token), 0);
	snprintf(r.category, sizeof r.category, "%s", category);
	r.received_at = received_at;
	snprintf(r.deadline, sizeof r.deadline, "%s", deadline);
	r.sealed = sealed;
	r.sealed_len = sizeof sealed;
	p.requests = &r;
	p.nrequests = 1;
	p.cursor = 1LL << 40;
	assert_int_equal(srv_sync_store(f->db, NULL, &p, NULL, received_at, &reply, &res, err, sizeof err), 0);
	assert_int_equal(res.stored, 1);
	srv_db_push_result_free(&res);
	proto_free_reply(&reply);
	memcpy(id, r.id, 40);
}

/* The counter marks the signed letter received at at. */
static void letter(fixture *f, const char *id, long long at)
{
	proto_counter c;
	char err[300];
	memset(&c, 0, sizeof c);
	snprintf(c.request, sizeof c.request, "%s", id);
	snprintf(c.kind, sizeof c.kind, "letter");
	assert_int_equal(srv_counter_apply(f->db, &f->cat, f->calendar, KIOSK, &c, at, at, err, sizeof err), 0);
}

static int act(fixture *f, const char *id, work_action a, work_complexity x, long long now, char *err, size_t errlen)
{
	work_step step = { a, "Ghi chú cho người nộp.", NULL, x, NULL, "officer1", NULL };
	return srv_work_act(f->db, &f->cat, f->calendar, id, &step, now, err, errlen);
}

static work_item get(fixture *f, const char *id, long long now)
{
	work_item it;
	assert_int_equal(srv_work_get(f->db, id, now, &it), 1);
	return it;
}

static long long count(fixture *f, const char *sql, const char *id)
{
	return fx_disk_scalar(f->disk, sql, id);
}

static void test_complaint_needs_letter(void **state)
{
	fixture *f = *state;
	char id[40], err[300];
	unsigned allowed;
	file_request(f, "complaint", NOW - DAY, "2026-12-02", id);
	/* No signed letter yet: refused with what is missing, nothing written. */
	assert_int_equal(act(f, id, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "signed letter has not been received"));
	assert_int_equal(count(f, "SELECT count(*) FROM event WHERE request_id = ?", id), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE request_id = ?", id), 0);
	assert_int_equal(get(f, id, NOW).accepted_at, 0);
	assert_int_equal(srv_work_allowed(f->db, &f->cat, f->calendar, id, NOW, &allowed), 0);
	assert_false(allowed & (1u << WORK_ACCEPT));
	/* The letter on Monday 23 November: accepted the next day. */
	letter(f, id, NOW);
	assert_int_equal(srv_work_allowed(f->db, &f->cat, f->calendar, id, NOW, &allowed), 0);
	assert_true(allowed & (1u << WORK_ACCEPT));
	assert_int_equal(act(f, id, WORK_ACCEPT, WORK_NORMAL, NOW + DAY, err, sizeof err), 0);
	/* 30 days from Tuesday 24 November: Thursday 24 December. */
	assert_string_equal(get(f, id, NOW + DAY).due, "2026-12-24");
	/* A petition needs no letter. */
	file_request(f, "petition", NOW - DAY, "2026-12-07", id);
	assert_int_equal(act(f, id, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 0);
}

static void test_suspend_resume(void **state)
{
	fixture *f = *state;
	char id[40], other[40], err[300];
	unsigned allowed;
	work_clock k;
	file_request(f, "complaint", NOW - DAY, "2026-12-02", id);
	/* Not before acceptance: only the time to resolve is suspended. */
	letter(f, id, NOW);
	assert_int_equal(act(f, id, WORK_SUSPEND, WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "accept the request first"));
	assert_int_equal(act(f, id, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW).due, "2026-12-23");
	assert_int_equal(act(f, id, WORK_RESUME, WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "not suspended"));
	/* Suspended on Monday 14 December with 9 days left. */
	assert_int_equal(act(f, id, WORK_SUSPEND, WORK_NORMAL, NOW + 21 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW + 21 * DAY).due, "2026-12-23");
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW + 21 * DAY, &k), 1);
	assert_int_equal(k.suspended_at, NOW + 21 * DAY);
	/* Meanwhile nothing else moves the clock; suspending again is refused. */
	assert_int_equal(act(f, id, WORK_SUSPEND, WORK_NORMAL, NOW + 22 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "suspended"));
	assert_int_equal(act(f, id, WORK_SUPPLEMENT, WORK_NORMAL, NOW + 22 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "resume it first"));
	assert_int_equal(srv_work_allowed(f->db, &f->cat, f->calendar, id, NOW + 22 * DAY, &allowed), 0);
	assert_true(allowed & (1u << WORK_RESUME));
	assert_false(allowed & (1u << WORK_SUSPEND));
	/* Resumed Wednesday 23 December: 9 days give Friday 1 January 2027,
	 * New Year's Day, so Monday 4 January. */
	assert_int_equal(act(f, id, WORK_RESUME, WORK_NORMAL, NOW + 30 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW + 30 * DAY).due, "2027-01-04");
	assert_string_equal(fx_disk_scalar(f->disk, "SELECT CAST(deadline = '2027-01-04' AS INTEGER) FROM event"
		" WHERE request_id = ? ORDER BY id DESC LIMIT 1", id) ? "moved" : "not moved", "moved");
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE request_id = ? AND action IN ('suspend', 'resume')",
		id), 2);
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW + 30 * DAY, &k), 1);
	assert_int_equal(k.suspended_at, 0);
	/* A second one, counted from the deadline now in force: suspended
	 * Friday 25 December with 10 days left, resumed after the weekend on
	 * Monday 28 December: Thursday 7 January. */
	assert_int_equal(act(f, id, WORK_SUSPEND, WORK_NORMAL, NOW + 32 * DAY, err, sizeof err), 0);
	assert_int_equal(act(f, id, WORK_RESUME, WORK_NORMAL, NOW + 35 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW + 35 * DAY).due, "2027-01-07");
	/* A denunciation's clock and a petition's cannot be suspended. */
	file_request(f, "petition", NOW - DAY, "2026-12-07", other);
	assert_int_equal(act(f, other, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, other, WORK_SUSPEND, WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "cannot be suspended"));
	file_request(f, "denunciation", NOW - DAY, "2026-12-02", other);
	letter(f, other, NOW);
	assert_int_equal(act(f, other, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, other, WORK_SUSPEND, WORK_NORMAL, NOW, err, sizeof err), 1);
}

static void test_denunciation_steps(void **state)
{
	fixture *f = *state;
	char id[40], late[40], err[300];
	work_clock k;
	file_request(f, "denunciation", NOW - 3 * DAY, "2026-11-30", id);
	/* Before the letter nothing runs. */
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW, &k), 1);
	assert_true(k.starts_letter);
	assert_int_equal(k.letter_at, 0);
	assert_string_equal(k.accept_by, "");
	assert_string_equal(k.forward_by, "");
	/* The letter on Monday 23 November; Tuesday 24 is Culture Day. */
	letter(f, id, NOW);
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW, &k), 1);
	assert_int_equal(k.letter_at, NOW);
	assert_string_equal(k.accept_by, "2026-12-03");          /* 7 working days */
	assert_string_equal(k.accept_several_by, "2026-12-08");  /* 10 */
	assert_string_equal(k.forward_by, "2026-12-01");         /* 5 */
	assert_string_equal(k.notify_by, "");
	assert_int_equal(k.extensions_left, 0);
	assert_false(k.suspendable);
	/* The notice before the decision is refused. */
	assert_int_equal(act(f, id, WORK_NOTIFY, WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "acceptance first"));
	/* Decided Friday 27 November, especially complex: told by Friday 4
	 * December; resolved in 30 days, Sunday 27 December, so Monday 28. */
	assert_int_equal(act(f, id, WORK_ACCEPT, WORK_VERY_COMPLEX, NOW + 4 * DAY, err, sizeof err), 0);
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW + 4 * DAY, &k), 1);
	assert_string_equal(k.decided_on, "2026-11-27");
	assert_string_equal(k.notify_by, "2026-12-04");
	assert_string_equal(k.accept_by, "");
	assert_int_equal(k.notified_at, 0);
	assert_int_equal(k.extensions_left, 2);
	assert_string_equal(get(f, id, NOW + 4 * DAY).due, "2026-12-28");
	assert_int_equal(act(f, id, WORK_NOTIFY, WORK_NORMAL, NOW + 5 * DAY, err, sizeof err), 0);
	assert_int_equal(act(f, id, WORK_NOTIFY, WORK_NORMAL, NOW + 6 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "told of the acceptance decision already"));
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW + 6 * DAY, &k), 1);
	assert_int_equal(k.notified_at, NOW + 5 * DAY);
	/* Two extensions of 30 days, across the year end; a third refused. */
	assert_int_equal(act(f, id, WORK_EXTEND, WORK_VERY_COMPLEX, NOW + 20 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW + 20 * DAY).due, "2027-01-27");
	assert_int_equal(act(f, id, WORK_EXTEND, WORK_VERY_COMPLEX, NOW + 50 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, id, NOW + 50 * DAY).due, "2027-02-26");
	assert_int_equal(act(f, id, WORK_EXTEND, WORK_VERY_COMPLEX, NOW + 80 * DAY, err, sizeof err), 1);
	assert_string_equal(get(f, id, NOW + 80 * DAY).due, "2027-02-26");
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, id, NOW + 80 * DAY, &k), 1);
	assert_int_equal(k.extensions_left, 0);

	/* At the year end: the letter Monday 28 December, forwarding by
	 * Tuesday 5 January 2027 (New Year's Day skipped); decided Wednesday 30
	 * December, the denouncer told by Thursday 7 January. */
	file_request(f, "denunciation", NOW + 34 * DAY, "2027-01-07", late);
	letter(f, late, NOW + 35 * DAY);
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, late, NOW + 35 * DAY, &k), 1);
	assert_string_equal(k.forward_by, "2027-01-05");
	assert_int_equal(act(f, late, WORK_ACCEPT, WORK_NORMAL, NOW + 37 * DAY, err, sizeof err), 0);
	assert_int_equal(srv_work_clock(f->db, &f->cat, f->calendar, late, NOW + 37 * DAY, &k), 1);
	assert_string_equal(k.notify_by, "2027-01-07");
	/* A complaint has no such notice. */
	file_request(f, "complaint", NOW, "2026-12-02", late);
	letter(f, late, NOW);
	assert_int_equal(act(f, late, WORK_ACCEPT, WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, late, WORK_NOTIFY, WORK_NORMAL, NOW, err, sizeof err), 1);
}

static void test_dialogue_conference(void **state)
{
	fixture *f = *state;
	char a[40], b[40], err[300];
	work_conference c;
	file_request(f, "dialogue", NOW - DAY, "2026-12-22", a);
	/* None announced: the kiosk's date stays until one is. */
	assert_string_equal(get(f, a, NOW).due, "2026-12-22");
	/* Friday 11 December 2026 at 06:00 in Vietnam (Thursday 23:00 UTC):
	 * due that Friday, the commune's day. */
	memset(&c, 0, sizeof c);
	snprintf(c.commune, sizeof c.commune, "27280");
	c.at = 1796943600LL;
	snprintf(c.place, sizeof c.place, "Hội trường UBND xã");
	snprintf(c.leaders, sizeof c.leaders, "Chủ tịch UBND xã");
	snprintf(c.topic, sizeof c.topic, "Đối thoại định kỳ");
	assert_int_equal(srv_work_conference_save(f->db, &c, "supervisor1", NOW, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).due, "2026-12-11");
	assert_int_equal(get(f, a, NOW).conference_id, c.id);
	/* A question filed after it is announced is due on it too. */
	file_request(f, "dialogue", NOW + DAY, "2026-12-24", b);
	assert_string_equal(get(f, b, NOW + DAY).due, "2026-12-11");
	/* Moved a week on: its questions follow it. */
	c.at += 7 * DAY;
	assert_int_equal(srv_work_conference_save(f->db, &c, "supervisor1", NOW + DAY, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW + DAY).due, "2026-12-18");
	assert_string_equal(get(f, b, NOW + DAY).due, "2026-12-18");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complaint_needs_letter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denunciation_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dialogue_conference, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
