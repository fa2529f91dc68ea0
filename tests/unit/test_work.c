/* Tests of srv_work: the officials' work on a fresh server store. Requests
 * arrive as kiosks push them (srv_db_store_push); each action and each
 * refusal is checked for what it writes (event, request, audit row) and for
 * changing nothing when refused. Deadlines come from the shipped catalog
 * and holiday file. "Now" is Monday 23 November 2026, 10:00 in Vietnam. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "proto.h"
#include "srv_db.h"
#include "srv_auth.h"
#include "srv_work.h"
#include "srv_counter.h"
#include "srv_sync.h"
#include "token.h"

#define NOW 1795402800LL          /* 2026-11-23 10:00 UTC+7, a Monday */
#define DAY 86400LL
#define KIOSK_A "27280-1"
#define KIOSK_B "27281-1"

typedef struct {
	char dir[64];
	srv_db *db;
	catalog cat;
	cal *calendar;
	long long seq[2], n[2];
	fx_disk *disk;               /* the test's own connection on the store */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	unsigned char key[ENV_PK_BYTES] = { 1 };
	char err[300];
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "work");
	if (!(f->db = fx_srv_open(f->dir)) || !(f->disk = fx_disk_open(f->dir)) ||
	    srv_db_kiosk_add(f->db, KIOSK_A, key, NOW - 100 * DAY, err, sizeof err) != 0 ||
	    srv_db_kiosk_add(f->db, KIOSK_B, key, NOW - 100 * DAY, err, sizeof err) != 0 ||
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
	f->disk = NULL;
	srv_db_close(f->db);
	cal_free(f->calendar);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

/* Pushes one request from kiosk b (0: A, 1: B) and returns its id in id;
 * the reply is handed to the caller when reply is not NULL. */
static void file_request(fixture *f, int b, const char *category, const char *procedure, long long received_at,
	const char *deadline, char id[40], proto_reply *reply)
{
	static unsigned char sealed[64] = { 7, 7, 7 };
	proto_push p;
	proto_request r;
	proto_reply own;
	srv_db_push_result res;
	char err[300];
	memset(&p, 0, sizeof p);
	memset(&r, 0, sizeof r);
	snprintf(p.kiosk, sizeof p.kiosk, "%s", b ? KIOSK_B : KIOSK_A);
	p.n = ++f->n[b];
	p.clock = NOW;
	r.seq = p.from = p.to = ++f->seq[b];
	snprintf(r.id, sizeof r.id, "%s-%06lld", p.kiosk, r.seq);
	assert_int_equal(token_new(r.token), 0);
	snprintf(r.category, sizeof r.category, "%s", category);
	snprintf(r.procedure, sizeof r.procedure, "%s", procedure);
	r.received_at = received_at;
	snprintf(r.deadline, sizeof r.deadline, "%s", deadline);
	r.sealed = sealed;
	r.sealed_len = sizeof sealed;
	p.requests = &r;
	p.nrequests = 1;
	p.cursor = 1LL << 40;        /* no events wanted back */
	memset(&own, 0, sizeof own);
	assert_int_equal(srv_sync_store(f->db, NULL, &p, NULL, NOW, reply ? reply : &own, &res, err, sizeof err), 0);
	assert_int_equal(res.stored, 1);
	srv_db_push_result_free(&res);
	if (!reply) proto_free_reply(&own);
	memcpy(id, r.id, 40);
}

/* The counter marks a complaint's or denunciation's signed letter
 * received, at the kiosk's receipt: only then may it be accepted. */
static void signed_letter(fixture *f, int b, const char *id, long long at)
{
	proto_counter c;
	char err[300];
	memset(&c, 0, sizeof c);
	snprintf(c.request, sizeof c.request, "%s", id);
	snprintf(c.kind, sizeof c.kind, "letter");
	assert_int_equal(srv_counter_apply(f->db, &f->cat, f->calendar, b ? KIOSK_B : KIOSK_A, &c, at, at, err, sizeof err), 0);
}

static int act(fixture *f, const char *id, work_action a, const char *note, work_complexity x, long long now,
	char *err, size_t errlen)
{
	work_step step = { a, note, "Phòng Tài nguyên và Môi trường", x, NULL, "officer1", NULL };
	return srv_work_act(f->db, &f->cat, f->calendar, id, &step, now, err, errlen);
}

static work_item get(fixture *f, const char *id, long long now)
{
	work_item it;
	assert_int_equal(srv_work_get(f->db, id, now, &it), 1);
	return it;
}

/* A number from one SQL query, for what the API does not show. */
static long long scalar(fixture *f, const char *sql, const char *arg)
{
	return fx_disk_scalar(f->disk, sql, arg);
}

static long long events_of(fixture *f, const char *id)
{
	return scalar(f, "SELECT count(*) FROM event WHERE request_id = ?", id);
}

static long long audits_of(fixture *f, const char *id)
{
	return scalar(f, "SELECT count(*) FROM audit WHERE request_id = ?", id);
}

/* The latest event's deadline and action, as the kiosk will receive them. */
static void event_row(const char *const *v, const int *lens, int ncols, void *arg)
{
	char **out = arg;
	(void)lens;
	assert_int_equal(ncols, 3);
	snprintf(out[0], 11, "%s", v[0]);
	snprintf(out[1], 16, "%s", v[1]);
	snprintf(out[2], 16, "%s", v[2]);
}

static void last_event(fixture *f, const char *id, char deadline[11], char action[16], char status[16])
{
	char *out[3] = { deadline, action, status };
	assert_int_equal(fx_disk_rows(f->disk, "SELECT deadline, action, status FROM event"
		" WHERE request_id = ? ORDER BY id DESC LIMIT 1", &id, 1, event_row, out), 1);
}

static void test_action_names(void **state)
{
	int a;
	(void)state;
	for (a = 0; a < WORK_NACTIONS; a++)
		assert_int_equal(srv_work_action_parse(srv_work_action_name((work_action)a)), a);
	assert_int_equal(srv_work_action_parse("delete"), -1);
	assert_null(srv_work_action_name(WORK_NACTIONS));
}

static void test_accept_complaint(void **state)
{
	fixture *f = *state;
	char a[40], b[40], c[40], d[40], err[300], deadline[11], action[16], status[16];
	work_commune remote = { "27281", "Xã Vùng Cao", 1 };
	work_item it;
	file_request(f, 0, "complaint", "", NOW - 3 * DAY, "2026-11-30", a, NULL);
	file_request(f, 0, "complaint", "", NOW - 3 * DAY, "2026-11-30", b, NULL);
	assert_string_equal(get(f, a, NOW).due, "2026-11-30");
	assert_string_equal(get(f, a, NOW).commune, "27280");
	signed_letter(f, 0, a, NOW - 3 * DAY);
	signed_letter(f, 0, b, NOW - 3 * DAY);

	/* Accepted on Monday 23 November: 30 days, or 45 when complex. */
	assert_int_equal(act(f, a, WORK_ACCEPT, "Đơn khiếu nại đã được thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);
	it = get(f, a, NOW);
	assert_string_equal(it.status, "accepted");
	assert_string_equal(it.due, "2026-12-23");
	assert_int_equal(it.accepted_at, NOW);
	last_event(f, a, deadline, action, status);
	assert_string_equal(deadline, "2026-12-23");
	assert_string_equal(action, "accept");
	assert_string_equal(status, "accepted");
	assert_int_equal(act(f, b, WORK_ACCEPT, "Đã thụ lý (vụ việc phức tạp).", WORK_COMPLEX, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, b, NOW).due, "2027-01-07");
	assert_int_equal(get(f, b, NOW).complexity, WORK_COMPLEX);

	/* Accepting twice is refused and writes nothing. */
	assert_int_equal(act(f, a, WORK_ACCEPT, "again", WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "accepted already"));
	assert_int_equal(events_of(f, a), 3);        /* filed, the signed letter, accepted */
	assert_int_equal(audits_of(f, a), 2);

	/* A remote commune: 45 days, 60 when complex. */
	assert_int_equal(srv_work_commune_set(f->db, &remote, err, sizeof err), 0);
	file_request(f, 1, "complaint", "", NOW - DAY, "2026-12-02", c, NULL);
	signed_letter(f, 1, c, NOW - DAY);
	file_request(f, 1, "complaint", "", NOW - DAY, "2026-12-02", d, NULL);
	signed_letter(f, 1, d, NOW - DAY);
	assert_int_equal(act(f, c, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, d, WORK_ACCEPT, "Đã thụ lý.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, c, NOW).due, "2027-01-07");
	assert_string_equal(get(f, d, NOW).due, "2027-01-22");
	/* No longer remote: back to 30 days for the next one accepted. */
	remote.remote = 0;
	assert_int_equal(srv_work_commune_set(f->db, &remote, err, sizeof err), 0);
	file_request(f, 1, "complaint", "", NOW - DAY, "2026-12-02", c, NULL);
	signed_letter(f, 1, c, NOW - DAY);
	assert_int_equal(act(f, c, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, c, NOW).due, "2026-12-23");

	/* Procedures keep the date their receipt promised. */
	file_request(f, 0, "procedure", "marital_status", NOW - DAY, "2026-11-25", a, NULL);
	assert_int_equal(act(f, a, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).due, "2026-11-25");
}

static void test_actions(void **state)
{
	fixture *f = *state;
	char a[40], b[40], err[300], deadline[11], action[16], status[16];
	work_step step = { WORK_FORWARD, "Chuyển đến phòng chuyên môn.", NULL, WORK_NORMAL, NULL, "officer1", NULL };
	work_item it;
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", a, NULL);
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", b, NULL);

	/* Refused before anything is read: no note, no actor, no office. */
	assert_int_equal(act(f, a, WORK_PROGRESS, "", WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "note for the citizen is required"));
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "which office"));
	step.office = "Phòng Nội vụ";
	step.actor = "";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "account name"));
	assert_int_equal(act(f, "27280-1-999999", WORK_PROGRESS, "x", WORK_NORMAL, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "no request 27280-1-999999"));
	assert_int_equal(events_of(f, a), 1);

	step.actor = "officer1";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW, err, sizeof err), 0);
	it = get(f, a, NOW);
	assert_string_equal(it.status, "in_progress");
	assert_string_equal(it.forwarded_to, "Phòng Nội vụ");
	assert_int_equal(act(f, a, WORK_PROGRESS, "Đang xác minh.", WORK_NORMAL, NOW + 60, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).status, "in_progress");

	/* A supplement is asked for once. */
	assert_int_equal(act(f, a, WORK_SUPPLEMENT, "Thiếu bản sao sổ đỏ.", WORK_NORMAL, NOW + 120, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).status, "supplement");
	assert_int_equal(act(f, a, WORK_SUPPLEMENT, "Thiếu thêm giấy khác.", WORK_NORMAL, NOW + 180, err, sizeof err), 1);
	assert_non_null(strstr(err, "once"));

	/* Resolved on time (before 4 December): closed, and nothing more. */
	assert_int_equal(act(f, a, WORK_RESOLVE, "Kiến nghị đã được tiếp thu.", WORK_NORMAL, NOW + 240, err, sizeof err), 0);
	it = get(f, a, NOW);
	assert_string_equal(it.status, "resolved");
	assert_int_equal(it.closed_at, NOW + 240);
	assert_int_equal(scalar(f, "SELECT on_time FROM request WHERE id = ?", a), 1);
	last_event(f, a, deadline, action, status);
	assert_string_equal(action, "resolve");
	assert_string_equal(deadline, "");
	assert_int_equal(act(f, a, WORK_PROGRESS, "x", WORK_NORMAL, NOW + 300, err, sizeof err), 1);
	assert_non_null(strstr(err, "closed"));
	assert_int_equal(act(f, a, WORK_REJECT, "x", WORK_NORMAL, NOW + 300, err, sizeof err), 1);

	/* Rejected after its deadline: closed, not on time. */
	assert_int_equal(act(f, b, WORK_REJECT, "Không thuộc thẩm quyền.", WORK_NORMAL, NOW + 20 * DAY, err, sizeof err), 0);
	assert_string_equal(get(f, b, NOW).status, "rejected");
	assert_int_equal(scalar(f, "SELECT on_time FROM request WHERE id = ?", b), 0);

	/* One event and one audit row per action done; the audit names the
	 * official and the action, never the note. */
	assert_int_equal(events_of(f, a), 5);
	assert_int_equal(audits_of(f, a), 4);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE actor = 'officer1' AND request_id = ?"
		" AND detail LIKE '%Nội vụ%' AND action = 'forward'", a), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE detail LIKE '%sổ đỏ%'", NULL), 0);
}

static void test_extensions(void **state)
{
	fixture *f = *state;
	char a[40], b[40], c[40], err[300], deadline[11], action[16], status[16];
	file_request(f, 0, "denunciation", "", NOW - DAY, "2026-11-27", a, NULL);
	signed_letter(f, 0, a, NOW - DAY);
	file_request(f, 0, "denunciation", "", NOW - DAY, "2026-11-27", b, NULL);
	signed_letter(f, 0, b, NOW - DAY);
	file_request(f, 0, "complaint", "", NOW - DAY, "2026-12-02", c, NULL);
	signed_letter(f, 0, c, NOW - DAY);

	assert_int_equal(act(f, a, WORK_EXTEND, "Gia hạn.", WORK_COMPLEX, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "accept the request first"));
	assert_int_equal(act(f, a, WORK_ACCEPT, "Đã thụ lý tố cáo.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).due, "2026-12-23");
	/* Not complex: refused; complex: once, by 30 days. */
	assert_int_equal(act(f, a, WORK_EXTEND, "Gia hạn.", WORK_NORMAL, NOW + DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "only a complex case"));
	assert_int_equal(act(f, a, WORK_EXTEND, "Gia hạn do vụ việc phức tạp.", WORK_COMPLEX, NOW + DAY, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).due, "2027-01-22");
	assert_int_equal(get(f, a, NOW).extensions, 1);
	last_event(f, a, deadline, action, status);
	assert_string_equal(deadline, "2027-01-22");
	assert_string_equal(action, "extend");
	assert_string_equal(status, "accepted");
	assert_int_equal(act(f, a, WORK_EXTEND, "Gia hạn lần hai.", WORK_COMPLEX, NOW + 2 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "only once"));
	assert_string_equal(get(f, a, NOW).due, "2027-01-22");

	/* Especially complex: twice, then refused. */
	assert_int_equal(act(f, b, WORK_ACCEPT, "Đã thụ lý.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, b, WORK_EXTEND, "Gia hạn lần một.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, b, WORK_EXTEND, "Gia hạn lần hai.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 0);
	assert_string_equal(get(f, b, NOW).due, "2027-02-22");
	assert_int_equal(act(f, b, WORK_EXTEND, "Gia hạn lần ba.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "only twice"));
	assert_int_equal(audits_of(f, b), 4);        /* the letter, the acceptance, two extensions */

	/* Complaints have no extension. */
	assert_int_equal(act(f, c, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, c, WORK_EXTEND, "Gia hạn.", WORK_VERY_COMPLEX, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "no extension"));
}

static void test_reschedule(void **state)
{
	fixture *f = *state;
	static page_request page;
	char a[40], err[300], deadline[11], action[16], status[16];
	work_step step = { WORK_RESCHEDULE, "Xin lỗi ông/bà vì hồ sơ bị chậm.", NULL, WORK_NORMAL, "2026-11-30", "officer1", NULL };
	work_item it;
	/* Due Friday 20 November (ND 118/2025, Art. 19(6)): the apology and
	 * its new date must go out at least one day before, so by Thursday
	 * 19th; on the day itself, or once overdue, it is too late. */
	file_request(f, 0, "petition", "", NOW - 20 * DAY, "2026-11-20", a, NULL);
	it = get(f, a, NOW - 4 * DAY);
	assert_int_equal(it.overdue, 0);
	assert_int_equal(srv_work_may_reschedule(&it, NOW - 4 * DAY), 1);
	assert_int_equal(srv_work_late_warning(f->calendar, &it, NOW - 4 * DAY), 1);
	assert_int_equal(srv_work_late_warning(f->calendar, &it, NOW - 5 * DAY), 0);
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW - 3 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "at least one day before the deadline, by 2026-11-19"));
	assert_int_equal(srv_work_may_reschedule(&it, NOW - 3 * DAY), 0);
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW, err, sizeof err), 1);
	step.new_date = "2026-11-20";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW - 4 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "after the deadline in force (2026-11-20)"));
	step.new_date = "30/11/2026";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW - 4 * DAY, err, sizeof err), 1);
	step.new_date = "2026-11-30";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW - 4 * DAY, err, sizeof err), 0);
	it = get(f, a, NOW);
	assert_int_equal(it.overdue, 0);
	assert_int_equal(it.apologies, 1);
	assert_string_equal(it.due, "2026-11-20");
	assert_string_equal(it.status, "synced");
	last_event(f, a, deadline, action, status);
	assert_string_equal(deadline, "2026-11-30");
	assert_string_equal(action, "reschedule");
	/* The date is reset once only; no warning once the apology went out. */
	assert_int_equal(srv_work_late_warning(f->calendar, &it, NOW - 4 * DAY), 0);
	step.new_date = "2026-12-04";
	assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &step, NOW - 4 * DAY, err, sizeof err), 1);
	assert_non_null(strstr(err, "only once"));
	step.new_date = "2026-11-30";

	/* The phone page: the deadline in force, the apology, the new date. */
	assert_int_equal(fx_page_lookup(f->db, it.token, NOW, &page), 1);
	assert_string_equal(page.deadline, "2026-11-20");
	assert_string_equal(page.appointment, "2026-11-30");
	assert_string_equal(page.apology, "Xin lỗi ông/bà vì hồ sơ bị chậm.");
	assert_false(page.overdue);
	assert_int_equal(fx_page_lookup(f->db, it.token, NOW + 7 * DAY, &page), 1);
	assert_false(page.overdue);
	assert_int_equal(fx_page_lookup(f->db, it.token, NOW + 8 * DAY, &page), 1);
	assert_true(page.overdue);
	assert_int_equal(get(f, a, NOW + 8 * DAY).overdue, 1);

	/* The apology stays on the page when more notes than a page shows
	 * came after it: the lookup reads the latest SRV_DB_FACTS_EVENTS
	 * events, and the apology is found beyond them. */
	{
		work_step note = { WORK_ACCEPT, "Đã thụ lý.", NULL, WORK_NORMAL, NULL, "officer1", NULL };
		int i;
		assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &note, NOW - 4 * DAY, err, sizeof err), 0);
		note.action = WORK_PROGRESS;
		for (i = 0; i < SRV_DB_FACTS_EVENTS + 2; i++) {
			note.note = i % 2 ? "Đang xác minh." : "Đang lấy ý kiến.";
			assert_int_equal(srv_work_act(f->db, &f->cat, f->calendar, a, &note, NOW - 4 * DAY, err, sizeof err), 0);
		}
		assert_int_equal(fx_page_lookup(f->db, it.token, NOW, &page), 1);
		assert_string_equal(page.appointment, "2026-11-30");
		assert_string_equal(page.apology, "Xin lỗi ông/bà vì hồ sơ bị chậm.");
	}
}

static void test_identity(void **state)
{
	fixture *f = *state;
	char a[40], b[40], err[300];
	unsigned char *sealed;
	size_t len;
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", a, NULL);
	file_request(f, 0, "denunciation", "", NOW - DAY, "2026-11-27", b, NULL);
	signed_letter(f, 0, b, NOW - DAY);

	assert_int_equal(srv_work_identity(f->db, a, "officer1", "officer", "", NOW, &sealed, &len, err, sizeof err), 0);
	assert_int_equal(len, 64);
	assert_int_equal(sealed[0], 7);
	free(sealed);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE request_id = ? AND action = 'identity'"
		" AND actor = 'officer1'", a), 1);

	/* A denouncer's identity: never to an officer, to a supervisor only with a reason. */
	assert_int_equal(srv_work_identity(f->db, b, "officer1", "officer", "cần liên hệ", NOW, &sealed, &len,
		err, sizeof err), 1);
	assert_null(sealed);
	assert_non_null(strstr(err, "only a supervisor"));
	assert_int_equal(srv_work_identity(f->db, b, "sup1", "supervisor", "", NOW, &sealed, &len, err, sizeof err), 1);
	assert_non_null(strstr(err, "reason"));
	assert_int_equal(srv_work_identity(f->db, b, "sup1", "guest", "x", NOW, &sealed, &len, err, sizeof err), 1);
	/* Each refused attempt on a denouncer's identity is kept, who and why
	 * (beside the counter's row for the signed letter). */
	assert_int_equal(audits_of(f, b), 3);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE request_id = ? AND action = 'identity_refused'"
		" AND actor = 'officer1' AND detail LIKE '%not a supervisor%'", b), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE request_id = ? AND action = 'identity_refused'"
		" AND actor = 'sup1' AND detail LIKE '%no reason%'", b), 1);
	assert_int_equal(srv_work_identity(f->db, b, "sup1", "supervisor", "Xác minh nội dung tố cáo", NOW, &sealed,
		&len, err, sizeof err), 0);
	assert_int_equal(len, 64);
	free(sealed);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE request_id = ? AND actor = 'sup1'"
		" AND detail LIKE '%Xác minh nội dung tố cáo%'", b), 1);
	assert_int_equal(srv_work_identity(f->db, "27280-1-999999", "sup1", "supervisor", "x", NOW, &sealed, &len,
		err, sizeof err), 1);
}

typedef struct {
	char ids[16][40];
	int n;
} id_list;

static int collect(const work_item *it, void *arg)
{
	id_list *l = arg;
	if (l->n < 16) memcpy(l->ids[l->n++], it->id, 40);
	return 0;
}

static id_list inbox(fixture *f, work_filter *flt, work_counts *counts)
{
	id_list l;
	char err[300];
	memset(&l, 0, sizeof l);
	assert_int_equal(srv_work_inbox(f->db, flt, NOW, collect, &l, counts, err, sizeof err), 0);
	return l;
}

/* The page at offset of a search of common words, walked (a page of 16
 * asked for), is the same as those rows of the list collected whole; the
 * total stops at the cap. Returns the walked page. */
static id_list walked_as_collected(fixture *f, work_filter *flt, int offset)
{
	work_counts n;
	id_list walked, collected;
	int i;
	flt->offset = offset;
	flt->limit = 16;
	walked = inbox(f, flt, &n);
	assert_int_equal(n.total, WORK_FIND_COUNT_CAP + 1);
	flt->limit = -1;
	collected = inbox(f, flt, NULL);
	assert_int_equal(walked.n, 16);
	for (i = 0; i < 16; i++) assert_string_equal(walked.ids[i], collected.ids[i]);
	return walked;
}

static void test_inbox(void **state)
{
	fixture *f = *state;
	char p1[40], p2[40], c1[40], d1[40], b1[40], err[300];
	work_filter flt;
	work_counts n;
	id_list l;
	file_request(f, 0, "petition", "", NOW - 9 * DAY, "2026-11-27", p1, NULL);      /* open */
	file_request(f, 0, "petition", "", NOW - 20 * DAY, "2026-11-18", p2, NULL);     /* overdue */
	file_request(f, 0, "complaint", "", NOW - 2 * DAY, "2026-12-02", c1, NULL);
	signed_letter(f, 0, c1, NOW - 2 * DAY);
	file_request(f, 0, "dialogue", "", NOW - 30 * DAY, "2026-11-20", d1, NULL);     /* resolved below */
	file_request(f, 1, "petition", "", NOW - DAY, "2026-12-04", b1, NULL);          /* other commune */
	assert_int_equal(act(f, d1, WORK_RESOLVE, "Đã trả lời tại hội nghị.", WORK_NORMAL, NOW, err, sizeof err), 0);
	assert_int_equal(act(f, c1, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW, err, sizeof err), 0);

	/* Everything, soonest deadline first; counts. */
	memset(&flt, 0, sizeof flt);
	l = inbox(f, &flt, &n);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.ids[0], p2);
	assert_string_equal(l.ids[1], d1);
	assert_string_equal(l.ids[2], p1);
	assert_string_equal(l.ids[3], b1);
	assert_string_equal(l.ids[4], c1);   /* accepted: due 23 December */
	assert_int_equal(n.total, 5);
	assert_int_equal(n.open, 4);
	assert_int_equal(n.overdue, 1);
	assert_int_equal(n.by_status[1], 3);   /* synced */
	assert_int_equal(n.by_status[2], 1);   /* accepted */
	assert_int_equal(n.by_status[5], 1);   /* resolved */

	flt.commune = "27280";
	assert_int_equal(inbox(f, &flt, &n).n, 4);
	flt.category = "petition";
	l = inbox(f, &flt, &n);
	assert_int_equal(l.n, 2);
	assert_int_equal(n.total, 2);
	flt.overdue_only = 1;
	l = inbox(f, &flt, &n);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], p2);
	memset(&flt, 0, sizeof flt);
	flt.status = "open";
	assert_int_equal(inbox(f, &flt, &n).n, 4);
	assert_int_equal(n.total, 4);
	flt.status = "resolved";
	l = inbox(f, &flt, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], d1);
	/* Pages of the list; the counts are the whole filter's. */
	memset(&flt, 0, sizeof flt);
	flt.offset = 1;
	flt.limit = 2;
	l = inbox(f, &flt, &n);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[0], d1);
	assert_int_equal(n.total, 5);
}

/* The inbox of thousands: counts stop at their cap, and a search of
 * common words, read row by row in the list's order, gives the same pages
 * as the same search collected and sorted (the export's way). The rows
 * are one pushed request copied in SQL, on either backend. */
static void test_inbox_capped(void **state)
{
	fixture *f = *state;
	const char *params[1];
	char p1[40], b1[40];
	work_filter flt;
	work_find fd;
	work_counts n;
	id_list walked, collected;
	int i;
	file_request(f, 0, "petition", "", NOW - 9 * DAY, "2026-11-27", p1, NULL);
	file_request(f, 1, "petition", "", NOW - DAY, "2026-12-04", b1, NULL);
	params[0] = p1;
	fx_disk_rows(f->disk, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5999)"
		" INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
		" deadline, status, updated_at, sealed, commune, due, closed_at)"
		" SELECT r.id || '-' || i, r.kiosk, r.seq + i, 'T' || i, r.category, r.procedure, r.received_at - i * 60,"
		" r.received_server_at, r.deadline, CASE WHEN i % 2 = 0 THEN 'resolved' ELSE r.status END, r.updated_at,"
		" r.sealed, r.commune, r.due, CASE WHEN i % 2 = 0 THEN r.received_at END FROM s, request r WHERE r.id = ?",
		params, 1, NULL, NULL);
	/* "common" in every one of them, "often" in nine in ten, "rare" in three. */
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) SELECT 'common', id FROM request WHERE kiosk = ?",
		(const char *[]){ KIOSK_A }, 1, NULL, NULL);
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) SELECT 'often', id FROM request"
		" WHERE kiosk = ? AND seq % 10 <> 0", (const char *[]){ KIOSK_A }, 1, NULL, NULL);
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) SELECT 'rare', id FROM request"
		" WHERE kiosk = ? AND seq % 2000 = 7", (const char *[]){ KIOSK_A }, 1, NULL, NULL);

	memset(&flt, 0, sizeof flt);
	inbox(f, &flt, &n);
	assert_int_equal(n.cap, WORK_COUNT_CAP);
	assert_int_equal(n.total, WORK_COUNT_CAP + 1);          /* "more than 1000" */
	assert_int_equal(n.open, WORK_COUNT_CAP + 1);
	for (i = 0; i < 16; i++) assert_int_equal(n.by_status[i], 0);   /* not read when capped */
	flt.commune = "27281";                                  /* few: exact, by status too */
	inbox(f, &flt, &n);
	assert_int_equal(n.total, 1);
	assert_int_equal(n.by_status[1], 1);

	/* Common words: walked for a page, collected for a whole list. */
	memset(&flt, 0, sizeof flt);
	memset(&fd, 0, sizeof fd);
	snprintf(fd.words[0], sizeof fd.words[0], "%s", "common");
	snprintf(fd.words[1], sizeof fd.words[1], "%s", "often");
	fd.nwords = 2;
	flt.find = &fd;
	flt.offset = 300;
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	assert_int_equal(walked.n, 16);
	assert_int_equal(n.cap, WORK_FIND_COUNT_CAP);
	assert_int_equal(n.total, WORK_FIND_COUNT_CAP + 1);
	assert_int_equal(n.open, -1);                           /* not read again for a search */
	flt.limit = -1;
	collected = inbox(f, &flt, NULL);
	for (i = 0; i < 16; i++) assert_string_equal(walked.ids[i], collected.ids[i]);
	flt.status = "open";
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	flt.limit = -1;
	collected = inbox(f, &flt, NULL);
	assert_int_equal(walked.n, 16);
	for (i = 0; i < 16; i++) assert_string_equal(walked.ids[i], collected.ids[i]);
	/* One word alone, walked and collected. */
	fd.nwords = 1;
	flt.status = NULL;
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	flt.limit = -1;
	collected = inbox(f, &flt, NULL);
	assert_int_equal(walked.n, 16);
	for (i = 0; i < 16; i++) assert_string_equal(walked.ids[i], collected.ids[i]);
	/* A rare word among them: collected, counted exactly. */
	snprintf(fd.words[2], sizeof fd.words[2], "%s", "rare");
	fd.nwords = 3;
	flt.status = NULL;
	flt.offset = 0;
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	assert_int_equal(n.total, 3);
	assert_int_equal(walked.n, 3);
	assert_int_equal(n.by_status[1] + n.by_status[5], 3);

	/* In one commune the words are read in its range of find_key: walked
	 * and collected give the same pages, the other commune's requests
	 * holding the same words are not counted. */
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) VALUES('common', ?), ('often', ?)",
		(const char *[]){ b1, b1 }, 2, NULL, NULL);
	fd.nwords = 2;
	flt.commune = "27281";
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	assert_int_equal(walked.n, 1);
	assert_string_equal(walked.ids[0], b1);
	assert_int_equal(n.total, 1);
	flt.commune = "27280";
	walked_as_collected(f, &flt, 300);
	/* A third common word, probed after the first two's ranges, and a
	 * page deep in the list. */
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) SELECT 'third', id FROM request"
		" WHERE kiosk = ? AND seq % 10 <> 1", (const char *[]){ KIOSK_A }, 1, NULL, NULL);
	snprintf(fd.words[2], sizeof fd.words[2], "%s", "third");
	fd.nwords = 3;
	walked = walked_as_collected(f, &flt, 2000);
	for (i = 0; i < 16; i++)
		assert_int_equal(fx_disk_scalar(f->disk, "SELECT count(*) FROM find_key WHERE request_id = ?"
			" AND hash IN ('common', 'often', 'third')", walked.ids[i]), 3);
	/* A search's total counts a request found both by an exact hash and
	 * by its words once: "phone" is on the three rare ones and on three
	 * others. */
	fx_disk_rows(f->disk, "INSERT INTO find_key(hash, request_id) SELECT 'phone', id FROM request"
		" WHERE kiosk = ? AND seq % 2000 IN (7, 8)", (const char *[]){ KIOSK_A }, 1, NULL, NULL);
	snprintf(fd.exact[0], sizeof fd.exact[0], "%s", "phone");
	snprintf(fd.words[0], sizeof fd.words[0], "%s", "rare");
	fd.nwords = 1;
	flt.offset = 0;
	flt.limit = 16;
	walked = inbox(f, &flt, &n);
	flt.limit = -1;
	collected = inbox(f, &flt, NULL);
	assert_int_equal(collected.n, 6);
	assert_int_equal(walked.n, 6);
	assert_int_equal(n.total, 6);
	flt.commune = NULL;
	flt.limit = 16;
	inbox(f, &flt, &n);
	assert_int_equal(n.total, 6);
}

static int collect_conference(const work_conference *c, void *arg)
{
	work_conference *out = arg;
	if (!out->id) *out = *c;
	return 0;
}

static void test_conferences(void **state)
{
	fixture *f = *state;
	char q1[40], q2[40], q3[40], q4[40], err[300];
	work_conference c, got;
	work_filter flt;
	proto_reply reply;
	id_list l;
	/* Questions filed before any conference wait for the next one. */
	file_request(f, 0, "dialogue", "", NOW - 5 * DAY, "2026-12-18", q1, NULL);
	file_request(f, 1, "dialogue", "", NOW - 5 * DAY, "2026-12-18", q2, NULL);
	assert_int_equal(get(f, q1, NOW).conference_id, 0);

	memset(&c, 0, sizeof c);
	snprintf(c.commune, sizeof c.commune, "27280");
	c.at = NOW + 10 * DAY;
	snprintf(c.place, sizeof c.place, "Hội trường UBND xã");
	snprintf(c.leaders, sizeof c.leaders, "Chủ tịch UBND xã");
	snprintf(c.topic, sizeof c.topic, "Đường liên thôn");
	assert_int_equal(srv_work_conference_save(f->db, &c, "officer1", NOW, err, sizeof err), 0);
	assert_true(c.id > 0);
	assert_int_equal(get(f, q1, NOW).conference_id, c.id);
	assert_int_equal(get(f, q2, NOW).conference_id, 0);   /* another commune */
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action = 'conference'", NULL), 1);

	/* A question filed after it was announced is attached when pushed;
	 * the kiosk's reply carries the upcoming conference. */
	memset(&reply, 0, sizeof reply);
	file_request(f, 0, "dialogue", "", NOW - DAY, "2026-12-22", q3, &reply);
	assert_int_equal(get(f, q3, NOW).conference_id, c.id);
	assert_int_equal(reply.nconferences, 1);
	assert_int_equal(reply.conferences[0].id, c.id);
	assert_int_equal(reply.conferences[0].at, NOW + 10 * DAY);
	assert_string_equal(reply.conferences[0].topic, "Đường liên thôn");
	proto_free_reply(&reply);
	/* Filed after the conference: not for it. A petition: never. */
	file_request(f, 0, "dialogue", "", NOW + 11 * DAY, "2026-12-31", q4, NULL);
	assert_int_equal(get(f, q4, NOW).conference_id, 0);

	memset(&flt, 0, sizeof flt);
	flt.conference_id = c.id;
	l = inbox(f, &flt, NULL);
	assert_int_equal(l.n, 2);

	memset(&got, 0, sizeof got);
	assert_int_equal(srv_work_conferences(f->db, "27280", NOW, collect_conference, &got, err, sizeof err), 0);
	assert_int_equal(got.id, c.id);
	assert_int_equal(got.questions, 2);
	memset(&got, 0, sizeof got);
	assert_int_equal(srv_work_conferences(f->db, "27280", NOW + 11 * DAY, collect_conference, &got, err, sizeof err), 0);
	assert_int_equal(got.id, 0);
	assert_int_equal(srv_work_conference_get(f->db, c.id, &got), 1);
	assert_string_equal(got.place, "Hội trường UBND xã");

	/* Changed; an unknown one and an incomplete one are refused. */
	snprintf(c.place, sizeof c.place, "Nhà văn hóa thôn 2");
	assert_int_equal(srv_work_conference_save(f->db, &c, "officer1", NOW, err, sizeof err), 0);
	assert_int_equal(srv_work_conference_get(f->db, c.id, &got), 1);
	assert_string_equal(got.place, "Nhà văn hóa thôn 2");
	c.id = 999;
	assert_int_equal(srv_work_conference_save(f->db, &c, "officer1", NOW, err, sizeof err), 1);
	c.id = 0;
	c.topic[0] = '\0';
	assert_int_equal(srv_work_conference_save(f->db, &c, "officer1", NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "topic"));
	assert_int_equal(srv_work_conference_get(f->db, 999, &got), 0);
}

static work_conference conference_at(fixture *f, long long at)
{
	work_conference c;
	char err[300];
	memset(&c, 0, sizeof c);
	snprintf(c.commune, sizeof c.commune, "27280");
	c.at = at;
	snprintf(c.place, sizeof c.place, "Hội trường UBND xã");
	snprintf(c.topic, sizeof c.topic, "Đường liên thôn");
	assert_int_equal(srv_work_conference_save(f->db, &c, "officer1", NOW, err, sizeof err), 0);
	return c;
}

/* The last event of a request as its kiosk pulls it. */
static int last_pulled(const proto_event *e, void *arg)
{
	proto_event *out = arg;
	if (strcmp(e->request, out->request) == 0) *out = *e;
	return 0;
}

static proto_event pulled(fixture *f, const char *id)
{
	proto_event e;
	char err[300];
	memset(&e, 0, sizeof e);
	snprintf(e.request, sizeof e.request, "%s", id);
	assert_int_equal(srv_db_kiosk_events(f->db, KIOSK_A, 0, 1000, last_pulled, &e, err, sizeof err), 0);
	return e;
}

/* A coming conference cancelled: its open questions move to the commune's
 * next standing conference, or are left without a date when none stands,
 * each told once by an event (undated when it has none); answered ones
 * stay. Refusals (no reason, an officer of another commune, unknown,
 * cancelled already, begun) change nothing. A cancelled conference leaves
 * the kiosks' list and dates no question pushed after; one its kiosk dated
 * by it has no date; an answer without a date is on time. */
static void test_conference_cancel(void **state)
{
	fixture *f = *state;
	char q1[40], q2[40], q3[40], q4[40], q5[40], err[300], deadline[11], action[16], status[16];
	const char *other[] = { "27281" };
	work_conference c1, c2, c3, got;
	proto_reply reply;
	proto_event e;
	long long moved, next, events;
	file_request(f, 0, "dialogue", "", NOW - 5 * DAY, "2026-12-18", q1, NULL);
	file_request(f, 0, "dialogue", "", NOW - 4 * DAY, "2026-12-19", q2, NULL);
	file_request(f, 0, "dialogue", "", NOW - 3 * DAY, "2026-12-20", q3, NULL);
	c1 = conference_at(f, NOW + 10 * DAY);           /* 2026-12-03 */
	assert_int_equal(get(f, q2, NOW).conference_id, c1.id);
	assert_int_equal(act(f, q3, WORK_RESOLVE, "Đã trả lời bằng văn bản.", 0, NOW, err, sizeof err), 0);
	c2 = conference_at(f, NOW + 20 * DAY);           /* 2026-12-13 */
	assert_int_equal(get(f, q1, NOW).conference_id, c1.id);

	assert_int_equal(srv_auth_user_add(f->db, "officer1", "officer", "một mật khẩu dài đủ", NOW, err, sizeof err), 0);
	assert_int_equal(srv_work_scope_set(f->db, "officer1", other, 1, "os:root", NOW, err, sizeof err), 0);
	events = scalar(f, "SELECT count(*) FROM event", NULL);
	assert_int_equal(srv_work_conference_cancel(f->db, c1.id, "", "sup1", "supervisor", NOW, &moved, &next, err,
		sizeof err), 1);
	assert_non_null(strstr(err, "reason"));
	assert_int_equal(srv_work_conference_cancel(f->db, c1.id, "Mưa bão", "officer1", "officer", NOW, &moved, &next, err,
		sizeof err), 1);
	assert_non_null(strstr(err, "27280"));
	assert_int_equal(srv_work_conference_cancel(f->db, 999, "Mưa bão", "sup1", "supervisor", NOW, &moved, &next, err,
		sizeof err), 1);
	assert_int_equal(srv_work_conference_get(f->db, c1.id, &got), 1);
	assert_int_equal(got.cancelled_at, 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM event", NULL), events);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action = 'conference_cancel'", NULL), 0);

	/* to the next standing one */
	assert_int_equal(srv_work_conference_cancel(f->db, c1.id, "Mưa bão", "sup1", "supervisor", NOW, &moved, &next, err,
		sizeof err), 0);
	assert_int_equal(moved, 2);
	assert_int_equal(next, c2.id);
	assert_int_equal(get(f, q1, NOW).conference_id, c2.id);
	assert_string_equal(get(f, q2, NOW).due, "2026-12-13");
	last_event(f, q1, deadline, action, status);
	assert_string_equal(deadline, "2026-12-13");
	assert_string_equal(action, "conference");
	assert_string_equal(status, "synced");
	assert_int_equal(get(f, q3, NOW).conference_id, c1.id);  /* answered: stays */
	assert_int_equal(scalar(f, "SELECT count(*) FROM event", NULL), events + 2);
	assert_int_equal(srv_work_conference_get(f->db, c1.id, &got), 1);
	assert_int_equal(got.cancelled_at, NOW);
	assert_string_equal(got.cancelled_by, "sup1");
	assert_string_equal(got.cancel_reason, "Mưa bão");
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action = 'conference_cancel'"
		" AND detail LIKE '%Mưa bão%'", NULL), 1);
	assert_int_equal(srv_work_conference_cancel(f->db, c1.id, "Lần nữa", "sup1", "supervisor", NOW, &moved, &next, err,
		sizeof err), 1);
	assert_non_null(strstr(err, "already cancelled"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM event", NULL), events + 2);
	got.place[0] = 'X';
	assert_int_equal(srv_work_conference_save(f->db, &got, "officer1", NOW, err, sizeof err), 1);

	/* the kiosks' list leaves it out; a question dated by it goes to the next */
	memset(&reply, 0, sizeof reply);
	file_request(f, 0, "dialogue", "", NOW - DAY, "2026-12-03", q4, &reply);
	assert_int_equal(reply.nconferences, 1);
	assert_int_equal(reply.conferences[0].id, c2.id);
	proto_free_reply(&reply);
	assert_int_equal(get(f, q4, NOW).conference_id, c2.id);
	assert_string_equal(get(f, q4, NOW).due, "2026-12-13");

	/* none left standing: no date, told so */
	assert_int_equal(srv_work_conference_cancel(f->db, c2.id, "Lãnh đạo đi công tác", "sup1", "supervisor", NOW + DAY,
		&moved, &next, err, sizeof err), 0);
	assert_int_equal(moved, 3);
	assert_int_equal(next, 0);
	assert_string_equal(get(f, q1, NOW).due, "");
	assert_int_equal(get(f, q1, NOW).conference_id, 0);
	assert_false(get(f, q1, NOW + 60 * DAY).overdue);
	e = pulled(f, q1);
	assert_true(e.undated);
	assert_string_equal(e.deadline, "");
	assert_string_equal(e.note, "Lãnh đạo đi công tác");
	e = pulled(f, q3);
	assert_false(e.undated);
	/* a question its kiosk dated by the cancelled one, pushed after: no date */
	file_request(f, 0, "dialogue", "", NOW, "2026-12-13", q5, NULL);
	assert_string_equal(get(f, q5, NOW).due, "");
	assert_true(pulled(f, q5).undated);
	/* answered without a date: on time */
	assert_int_equal(act(f, q1, WORK_RESOLVE, "Đã trả lời bằng văn bản.", 0, NOW + 40 * DAY, err, sizeof err), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM request WHERE id = ? AND on_time", q1), 1);
	/* a new conference dates them again */
	c3 = conference_at(f, NOW + 30 * DAY);           /* 2026-12-23 */
	assert_int_equal(get(f, q2, NOW).conference_id, c3.id);
	e = pulled(f, q2);
	assert_false(e.undated);
	assert_string_equal(e.deadline, "2026-12-23");
	e = pulled(f, q5);
	assert_string_equal(e.deadline, "2026-12-23");
	/* begun: refused */
	assert_int_equal(srv_work_conference_cancel(f->db, c3.id, "Mưa bão", "sup1", "supervisor", NOW + 30 * DAY, &moved,
		&next, err, sizeof err), 1);
	assert_non_null(strstr(err, "began"));
	assert_int_equal(srv_work_conference_get(f->db, c3.id, &got), 1);
	assert_int_equal(got.cancelled_at, 0);
}

static int count_commune(const work_commune *c, void *arg)
{
	int *n = arg;
	(void)c;
	(*n)++;
	return 0;
}

static void test_communes(void **state)
{
	fixture *f = *state;
	work_commune c = { "27280", "Xã Hòa Bình", 0 }, got;
	char err[300];
	int n = 0;
	/* The kiosks' communes are listed before anyone names them. */
	assert_int_equal(srv_work_communes(f->db, count_commune, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(srv_work_commune_get(f->db, "27280", &got), 0);
	assert_int_equal(srv_work_commune_set(f->db, &c, err, sizeof err), 0);
	assert_int_equal(srv_work_commune_get(f->db, "27280", &got), 1);
	assert_string_equal(got.name, "Xã Hòa Bình");
	assert_int_equal(got.remote, 0);
	snprintf(c.code, sizeof c.code, "12345");
	c.remote = 1;
	assert_int_equal(srv_work_commune_set(f->db, &c, err, sizeof err), 0);
	n = 0;
	assert_int_equal(srv_work_communes(f->db, count_commune, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	snprintf(c.code, sizeof c.code, "1234x");
	assert_int_equal(srv_work_commune_set(f->db, &c, err, sizeof err), 1);
	assert_non_null(strstr(err, "5 digits"));
}

static void test_update_command(void **state)
{
	fixture *f = *state;
	char a[40], b[40], err[300];
	long long event_id;
	file_request(f, 0, "complaint", "", NOW - DAY, "2026-12-02", a, NULL);
	signed_letter(f, 0, a, NOW - DAY);
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", b, NULL);
	/* accepted is an acceptance, with the clock, by "cli", with a standard note. */
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, a, "accepted", "", NOW, &event_id, err, sizeof err), 0);
	assert_string_equal(get(f, a, NOW).due, "2026-12-23");
	assert_int_equal(scalar(f, "SELECT count(*) FROM event WHERE request_id = ? AND action = 'accept'"
		" AND note = 'Hồ sơ đã được thụ lý.'", a), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE actor = 'cli' AND request_id = ?", a), 1);
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, a, "accepted", "", NOW, &event_id, err, sizeof err), -1);
	assert_non_null(strstr(err, "accepted already"));
	/* Withdrawn: recorded as it is, and it closes the request. */
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, b, "withdrawn", "", NOW, &event_id, err, sizeof err), 0);
	assert_int_equal(get(f, b, NOW).closed_at, NOW);
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, b, "in_progress", "x", NOW, &event_id, err, sizeof err), -1);
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, b, "withdrawn", "", NOW, &event_id, err, sizeof err), -1);
	assert_int_equal(srv_work_update(f->db, &f->cat, f->calendar, b, "received", "", NOW, &event_id, err, sizeof err), -1);
}

/* Officers see the communes assigned to them; supervisors see all. */
static void test_officer_scope(void **state)
{
	fixture *f = *state;
	char a[40], b[40], err[300];
	const char *mine[] = { "27280" }, *both[] = { "27280", "27281" }, *bad[] = { "2728" };
	work_filter flt;
	id_list l;
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", a, NULL);
	file_request(f, 1, "petition", "", NOW - DAY, "2026-12-04", b, NULL);
	assert_int_equal(srv_auth_user_add(f->db, "officer1", "officer", "một mật khẩu dài đủ", NOW, err, sizeof err), 0);
	memset(&flt, 0, sizeof flt);
	flt.officer = "officer1";
	assert_int_equal(inbox(f, &flt, NULL).n, 0);         /* none assigned: nothing */
	assert_int_equal(srv_work_scope_set(f->db, "officer1", mine, 1, "os:root", NOW, err, sizeof err), 0);
	l = inbox(f, &flt, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], a);
	assert_int_equal(srv_work_may_see(f->db, "officer1", "officer", "27280"), 1);
	assert_int_equal(srv_work_may_see(f->db, "officer1", "officer", "27281"), 0);
	assert_int_equal(srv_work_may_see(f->db, "sup1", "supervisor", "27281"), 1);
	assert_int_equal(srv_work_scope_set(f->db, "officer1", both, 2, "os:root", NOW, err, sizeof err), 0);
	assert_int_equal(inbox(f, &flt, NULL).n, 2);
	flt.commune = "27281";
	l = inbox(f, &flt, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], b);
	assert_int_equal(srv_work_scope_set(f->db, "officer1", bad, 1, "os:root", NOW, err, sizeof err), 1);
	assert_int_equal(srv_work_scope_set(f->db, "nobody", mine, 1, "os:root", NOW, err, sizeof err), 1);
	assert_int_equal(srv_work_scope_set(f->db, "officer1", NULL, 0, "os:root", NOW, err, sizeof err), 0);
	flt.commune = NULL;
	assert_int_equal(inbox(f, &flt, NULL).n, 0);
	flt.officer = NULL;                                      /* a supervisor's inbox */
	assert_int_equal(inbox(f, &flt, NULL).n, 2);
	assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action = 'scope' AND detail LIKE ?",
		"%officer1%27280 27281%"), 1);
}

typedef struct {
	int n;
	long long ids[64];
	int logins_failed;
} audit_seen;

static int collect_audit(const work_audit *a, void *arg)
{
	audit_seen *s = arg;
	if (s->n < 64) s->ids[s->n++] = a->id;
	if (strcmp(a->action, "login_failed") == 0) s->logins_failed++;
	return 0;
}

static audit_seen audit_page(fixture *f, work_audit_query *q, long long *next)
{
	audit_seen s;
	char err[300];
	memset(&s, 0, sizeof s);
	assert_int_equal(srv_work_audit_page(f->db, q, collect_audit, &s, next, err, sizeof err), 0);
	return s;
}

/* 300 failed logins do not push real rows out of sight: the log pages and
 * filters. */
static void test_audit_paging(void **state)
{
	fixture *f = *state;
	char a[40], err[300];
	work_audit_query q;
	audit_seen s;
	long long next;
	int i, total;
	file_request(f, 0, "petition", "", NOW - DAY, "2026-12-04", a, NULL);
	assert_int_equal(srv_work_audit_open(f->db, NOW, a, "officer1", "", err, sizeof err), 0);
	assert_int_equal(srv_work_audit_refused(f->db, NOW, a, "officer1", "identity of a denunciation", err, sizeof err), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(srv_work_audit_add(f->db, NOW + i, "mallory", "login_failed", "", "from 192.0.2.1",
			err, sizeof err), 0);
	assert_int_equal(act(f, a, WORK_ACCEPT, "Đã thụ lý.", WORK_NORMAL, NOW + 400, err, sizeof err), 0);

	memset(&q, 0, sizeof q);
	s = audit_page(f, &q, &next);
	assert_int_equal(s.n, 50);                                /* the default page */
	assert_true(next > 0);
	q.exclude_action = "login_failed";
	s = audit_page(f, &q, &next);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.logins_failed, 0);
	assert_int_equal(next, 0);
	memset(&q, 0, sizeof q);
	q.request_id = a;
	assert_int_equal(audit_page(f, &q, &next).n, 3);
	q.request_id = NULL;
	q.action = "open";
	assert_int_equal(audit_page(f, &q, &next).n, 1);
	q.action = "refused";
	assert_int_equal(audit_page(f, &q, &next).n, 1);
	q.action = NULL;
	q.actor = "officer1";
	assert_int_equal(audit_page(f, &q, &next).n, 3);              /* open, refused, accept */
	/* Walking every page with the cursor sees each row once. */
	memset(&q, 0, sizeof q);
	q.limit = 64;
	total = 0;
	do {
		s = audit_page(f, &q, &next);
		for (i = 1; i < s.n; i++) assert_true(s.ids[i] < s.ids[i - 1]);
		if (q.before) assert_true(s.ids[0] < q.before);
		total += s.n;
		q.before = next;
	} while (next);
	assert_int_equal(total, 303);
	q.limit = 100000;                                         /* bounded */
	q.before = 0;
	assert_int_equal(srv_work_audit_page(f->db, &q, collect_audit, &s, &next, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_names),
		cmocka_unit_test_setup_teardown(test_accept_complaint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extensions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reschedule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbox_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conferences, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conference_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_communes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_officer_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_paging, setup, teardown),
	};
	return cmocka_run_group_tests_name("work", tests, NULL, NULL);
}
