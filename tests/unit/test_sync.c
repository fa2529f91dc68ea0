/* Tests of the kiosk's side of sync: the outbox, the envelope counter,
 * applying replies (twice, out of order, with unknown requests), the clock
 * offset, USB bundles (export readable only as sealed, import refusing
 * truncated, altered and foreign files), and sync_now against a small fake
 * server on libmicrohttpd: batches, "more", not registered, a foreign
 * signature, conflicts, a far-off clock, no network and a prompt stop. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "fixture.h"
#include "bgsync.h"
#include "config.h"
#include "db.h"
#include "envelope.h"
#include "proto.h"
#include "seal.h"
#include "token.h"
#include "sync.h"

#define KIOSK "27280-3"
#define NAME "Nguyễn Văn An"
#define PHONE "0912345678"

/* ---- a temporary kiosk: data folder, configuration, server keys ---- */

typedef struct {
	char dir[64];
	config cfg;
	db *store;
	unsigned char srv_sign_pk[32], srv_sign_sk[64];
	seal_server_key srv;
	unsigned char box_sk[32];
	char codes[16][16];      /* the first requests' receipt codes, as their receipts showed them */
} kiosk;

static int kiosk_setup(void **state)
{
	kiosk *k = calloc(1, sizeof *k);
	char err[256];
	if (!k) return -1;
	fx_tempdir(k->dir, sizeof k->dir, "sync");
	config_defaults(&k->cfg);
	snprintf(k->cfg.commune_code, sizeof k->cfg.commune_code, "27280");
	k->cfg.kiosk_number = 3;
	snprintf(k->cfg.data_dir, sizeof k->cfg.data_dir, "%s", k->dir);
	crypto_sign_keypair(k->srv_sign_pk, k->srv_sign_sk);
	memcpy(k->srv.sign_pk, k->srv_sign_pk, 32);
	crypto_box_keypair(k->srv.box_pk, k->box_sk);
	seal_format_server_key(&k->srv, k->cfg.server_key, sizeof k->cfg.server_key);
	if (db_open(&k->store, k->dir, &k->srv, err, sizeof err) != 0) return -1;
	*state = k;
	return 0;
}

static int kiosk_teardown(void **state)
{
	kiosk *k = *state;
	db_close(k->store);
	if (fx_rmtree(k->dir) != 0) return -1;
	free(k);
	return 0;
}

/* Files n requests with a sealed identity; returns the last one's id. */
static void file_requests(kiosk *k, int n)
{
	static const char identity[] = "{\"full_name\":\"" NAME "\",\"phone\":\"" PHONE "\"}";
	unsigned char sealed[sizeof identity - 1 + SEAL_OVERHEAD];
	db_submission s = { "27280", 3, "petition", NULL, 1763600000, "2026-12-04", sealed, sizeof sealed };
	db_request r;
	char err[256];
	int i;
	for (i = 0; i < n; i++) {
		assert_int_equal(seal_box(&k->srv, identity, sizeof identity - 1, sealed), 0);
		assert_int_equal(db_submit(k->store, &s, &r, err, sizeof err), 0);
		if (r.seq <= 16) memcpy(k->codes[r.seq - 1], r.token, sizeof r.token);
	}
}

static void request_id(long long seq, char out[40])
{
	snprintf(out, 40, KIOSK "-%06lld", seq);
}

static proto_event event(long long id, long long seq, long long at, const char *status, const char *note)
{
	proto_event e;
	memset(&e, 0, sizeof e);
	e.id = id;
	request_id(seq, e.request);
	e.at = at;
	snprintf(e.status, sizeof e.status, "%s", status);
	snprintf(e.note, sizeof e.note, "%s", note);
	return e;
}

static proto_reply reply_of(long long n, long long acked, proto_event *events, int nevents, long long cursor)
{
	proto_reply r;
	memset(&r, 0, sizeof r);
	snprintf(r.kiosk, sizeof r.kiosk, KIOSK);
	r.n = n;
	r.server_time = 1763780401;
	r.acked = acked;
	r.events = events;
	r.nevents = nevents;
	r.cursor = cursor;
	return r;
}

static db_sync_state state_of(kiosk *k)
{
	db_sync_state st;
	char err[256];
	assert_int_equal(db_read_sync_state(k->store, &st, err, sizeof err), 0);
	return st;
}

/* Every event of every request, as one text, to compare whole states. */
static void dump_events(kiosk *k, char *out, size_t outlen)
{
	db_event ev[16];
	char id[40];
	long long seq;
	size_t used = 0;
	out[0] = '\0';
	for (seq = 1; seq <= db_count(k->store); seq++) {
		int n, i;
		request_id(seq, id);
		n = db_events(k->store, id, ev, 16);
		assert_true(n >= 0);
		for (i = 0; i < n; i++)
			used += (size_t)snprintf(out + used, outlen - used, "%s %lld %s %s|", id, ev[i].at, ev[i].status, ev[i].note);
	}
}

static const char *status_of(kiosk *k, long long seq)
{
	static char status[16];
	char id[40];
	db_event ev[16];
	int n;
	request_id(seq, id);
	n = db_events(k->store, id, ev, 16);
	assert_true(n >= 1);
	snprintf(status, sizeof status, "%s", ev[n - 1].status);
	return status;
}

/* ---- the store ---- */

static void test_outbox_order_and_limits(void **state)
{
	kiosk *k = *state;
	proto_request *r;
	proto_reply rep;
	char err[256];
	int n, i;
	file_requests(k, 5);
	assert_int_equal(db_outbox(k->store, 0, 3, &r, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		char id[40];
		request_id(i + 1, id);
		assert_int_equal(r[i].seq, i + 1);
		assert_string_equal(r[i].id, id);
		/* No code in clear: sealed to the server, it opens to the receipt's. */
		char code[TOKEN_LEN + 1] = "";
		assert_string_equal(r[i].token, "");
		assert_true(r[i].has_token_sealed);
		assert_int_equal(seal_open(k->srv.box_pk, k->box_sk, r[i].token_sealed, SEAL_CODE_SEALED_BYTES, code), 0);
		assert_string_equal(code, k->codes[i]);
		assert_string_equal(r[i].category, "petition");
		assert_string_equal(r[i].deadline, "2026-12-04");
		assert_true(r[i].sealed_len > SEAL_OVERHEAD);
	}
	db_free_requests(r, n);
	assert_int_equal(db_outbox(k->store, 0, 0, &r, &n, err, sizeof err), 0);
	assert_int_equal(n, 5);
	db_free_requests(r, n);
	rep = reply_of(1, 3, NULL, 0, 0);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763780400, NULL, err, sizeof err), 0);
	assert_int_equal(db_outbox(k->store, 0, 500, &r, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[1].seq, 5);
	db_free_requests(r, n);
	assert_int_equal(state_of(k).pending, 2);
	rep = reply_of(2, 5, NULL, 0, 0);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763780400, NULL, err, sizeof err), 0);
	assert_int_equal(db_outbox(k->store, 0, 500, &r, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_null(r);
}

static void test_counter_durable_and_increasing(void **state)
{
	kiosk *k = *state;
	long long a, b, c;
	char err[256];
	assert_int_equal(db_next_envelope(k->store, &a, err, sizeof err), 0);
	assert_int_equal(db_next_envelope(k->store, &b, err, sizeof err), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	/* Another connection sees it committed, and a reopened store goes on. */
	db_close(k->store);
	assert_int_equal(db_open(&k->store, k->dir, &k->srv, err, sizeof err), 0);
	assert_int_equal(db_next_envelope(k->store, &c, err, sizeof err), 0);
	assert_int_equal(c, 3);
	assert_int_equal(state_of(k).envelope_n, 3);
	db_inject_readonly(k->store);
	assert_int_equal(db_next_envelope(k->store, &c, err, sizeof err), -1);
}

static void test_apply_twice_is_idempotent(void **state)
{
	kiosk *k = *state;
	proto_event ev[3];
	proto_reply rep;
	db_applied a;
	db_sync_state s1, s2;
	char d1[4096], d2[4096], err[256];
	file_requests(k, 3);
	ev[0] = event(16, 1, 1763780401, "synced", "");
	ev[1] = event(17, 2, 1763780401, "synced", "");
	ev[2] = event(18, 1, 1763790000, "accepted", "Hồ sơ đã được thụ lý.");
	rep = reply_of(1, 3, ev, 3, 18);
	assert_int_equal(db_apply_reply(k->store, &rep, 1763780400, 1763780402, &a, err, sizeof err), 0);
	assert_int_equal(a.inserted, 3);
	assert_int_equal(a.acked, 3);
	s1 = state_of(k);
	dump_events(k, d1, sizeof d1);
	assert_int_equal(db_apply_reply(k->store, &rep, 1763780400, 1763780402, &a, err, sizeof err), 0);
	assert_int_equal(a.inserted, 0);
	assert_int_equal(a.skipped, 3);
	s2 = state_of(k);
	dump_events(k, d2, sizeof d2);
	assert_string_equal(d1, d2);
	assert_memory_equal(&s1, &s2, sizeof s1);
	/* The same server id again, with other content: still the first. */
	ev[0] = event(18, 1, 1763799999, "rejected", "changed");
	rep = reply_of(2, 3, ev, 1, 18);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763780402, &a, err, sizeof err), 0);
	assert_int_equal(a.inserted, 0);
	assert_string_equal(status_of(k, 1), "accepted");
}

static void test_marks_never_lower(void **state)
{
	kiosk *k = *state;
	proto_reply rep;
	char err[256];
	file_requests(k, 4);
	rep = reply_of(1, 3, NULL, 0, 40);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1, NULL, err, sizeof err), 0);
	rep = reply_of(2, 1, NULL, 0, 5);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 2, NULL, err, sizeof err), 0);
	assert_int_equal(state_of(k).acked, 3);
	assert_int_equal(state_of(k).cursor, 40);
	assert_int_equal(state_of(k).pending, 1);
	/* Nor above what the kiosk holds: the next request must still go up. */
	rep = reply_of(3, 99, NULL, 0, 40);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 3, NULL, err, sizeof err), 0);
	assert_int_equal(state_of(k).acked, 4);
	file_requests(k, 1);
	assert_int_equal(state_of(k).pending, 1);
}

static void test_events_unknown_and_statuses(void **state)
{
	kiosk *k = *state;
	proto_event ev[4];
	proto_reply rep;
	db_applied a;
	db_event got[16];
	char err[256], id[40];
	int n;
	file_requests(k, 2);
	ev[0] = event(5, 1, 1763780000, "synced", "");
	ev[1] = event(6, 9, 1763780000, "synced", "");          /* not this kiosk's request */
	ev[2] = event(7, 1, 1763700000, "in_progress", "Đang xác minh.");  /* earlier clock, later id */
	ev[3] = event(8, 2, 1763780000, "synced", "");
	rep = reply_of(1, 2, ev, 4, 8);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763780400, &a, err, sizeof err), 0);
	assert_int_equal(a.inserted, 3);
	assert_int_equal(a.skipped, 1);
	request_id(1, id);
	n = db_events(k->store, id, got, 16);
	assert_int_equal(n, 3);
	/* The kiosk's "received" first, then the server's in the server's order. */
	assert_string_equal(got[0].status, "received");
	assert_string_equal(got[1].status, "synced");
	assert_string_equal(got[2].status, "in_progress");
	assert_string_equal(got[2].note, "Đang xác minh.");
	assert_string_equal(status_of(k, 1), "in_progress");
	assert_string_equal(status_of(k, 2), "synced");
	assert_int_equal(state_of(k).last_events, 1763780401);
	/* Only the newest events when there are more than asked for. */
	n = db_events(k->store, id, got, 2);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].status, "synced");
	assert_string_equal(got[1].status, "in_progress");
}

static void test_status_of_request_row(void **state)
{
	kiosk *k = *state;
	proto_event ev[2];
	proto_reply rep;
	proto_request *out;
	db_request r;
	char err[256];
	int n;
	file_requests(k, 1);
	assert_int_equal(db_outbox(k->store, 0, 1, &out, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	ev[0] = event(1, 1, 1763780000, "accepted", "");
	ev[1] = event(2, 1, 1763790000, "resolved", "Đã có kết quả, mời ông/bà đến nhận.");
	rep = reply_of(1, 1, ev, 2, 2);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763780400, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(k->store, k->codes[0], &r), 1);
	assert_string_equal(r.status, "resolved");
	assert_int_equal(r.updated_at, 1763790000);
	db_free_requests(out, n);
}

/* A dialogue question's date, event by event: set by a conference, taken
 * away by its cancellation (undated), set again by the next. The date in
 * force follows the server's order whatever order the events come in,
 * and a replayed one changes nothing; with none in force the request is
 * never overdue, though its receipt's date has passed. */
static void test_undated_events(void **state)
{
	kiosk *k = *state;
	proto_event announce, cancel, next;
	proto_reply rep;
	db_request r;
	db_counts c;
	db_event got[8];
	char err[256], id[40];
	int n;
	file_requests(k, 1);
	announce = event(10, 1, 1763780000, "synced", "Hội trường UBND xã");
	snprintf(announce.deadline, sizeof announce.deadline, "2026-12-20");
	cancel = event(11, 1, 1763790000, "synced", "Hoãn vì mưa bão");
	cancel.undated = 1;
	next = event(12, 1, 1763800000, "synced", "Nhà văn hóa thôn");
	snprintf(next.deadline, sizeof next.deadline, "2026-12-28");
	/* the cancellation first (the announcement's reply came later) */
	rep = reply_of(1, 1, &cancel, 1, 11);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763790400, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(k->store, k->codes[0], &r), 1);
	assert_string_equal(r.due, "");
	assert_string_equal(r.deadline, "2026-12-04");
	assert_int_equal(db_count_by_status(k->store, "2026-12-10", &c, err, sizeof err), 0);
	assert_int_equal(c.overdue, 0);
	rep = reply_of(2, 1, &announce, 1, 10);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763790500, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(k->store, k->codes[0], &r), 1);
	assert_string_equal(r.due, "");
	/* replayed: nothing changes */
	rep = reply_of(3, 1, &cancel, 1, 11);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763790600, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(k->store, k->codes[0], &r), 1);
	assert_string_equal(r.due, "");
	request_id(1, id);
	n = db_events(k->store, id, got, 8);
	assert_int_equal(n, 3);
	assert_false(got[1].undated);
	assert_true(got[2].undated);
	assert_string_equal(got[2].note, "Hoãn vì mưa bão");
	/* the next conference dates it again */
	rep = reply_of(4, 1, &next, 1, 12);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 1763800400, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(k->store, k->codes[0], &r), 1);
	assert_string_equal(r.due, "2026-12-28");
	assert_int_equal(db_count_by_status(k->store, "2026-12-29", &c, err, sizeof err), 0);
	assert_int_equal(c.overdue, 1);
}

static void test_clock_offset(void **state)
{
	kiosk *k = *state;
	proto_reply rep = reply_of(1, 0, NULL, 0, 0);
	char err[256];
	assert_int_equal(state_of(k).clock_known, 0);
	rep.server_time = 2005;
	assert_int_equal(db_apply_reply(k->store, &rep, 1000, 1010, NULL, err, sizeof err), 0);
	assert_int_equal(state_of(k).clock_known, 1);
	assert_int_equal(state_of(k).clock_offset, 1000);
	/* A reply from a USB stick measures nothing. */
	rep.server_time = 999999;
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 5000, NULL, err, sizeof err), 0);
	assert_int_equal(state_of(k).clock_offset, 1000);
	assert_int_equal(state_of(k).last_success, 999999);
}

static void test_failure_recorded_alone(void **state)
{
	kiosk *k = *state;
	proto_reply rep = reply_of(1, 0, NULL, 0, 7);
	db_sync_state before, after;
	char err[256];
	file_requests(k, 2);
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 100, NULL, err, sizeof err), 0);
	before = state_of(k);
	assert_string_equal(before.last_error, "");
	assert_int_equal(db_sync_failed(k->store, 200, "No network: could not reach the server.", err, sizeof err), 0);
	after = state_of(k);
	assert_string_equal(after.last_error, "No network: could not reach the server.");
	assert_int_equal(after.last_attempt, 200);
	assert_int_equal(after.last_success, before.last_success);
	assert_int_equal(after.cursor, 7);
	assert_int_equal(after.pending, 2);
	/* A success clears it. */
	assert_int_equal(db_apply_reply(k->store, &rep, 0, 300, NULL, err, sizeof err), 0);
	assert_string_equal(state_of(k).last_error, "");
}

/* ---- USB bundles ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_export(void **state)
{
	kiosk *k = *state;
	sync_report rep;
	unsigned char pk[32], sk[64];
	char err[256], want[200];
	envelope e;
	proto_push p;
	size_t len;
	char *text;
	file_requests(k, 3);
	assert_int_equal(sync_export(&k->cfg, k->store, k->dir, &rep), SYNC_OK);
	snprintf(want, sizeof want, "%s/motcua-" KIOSK "-000001.json", k->dir);
	assert_string_equal(rep.path, want);
	text = slurp(rep.path, &len);
	/* Signed by the kiosk's key, and naming no one. */
	assert_int_equal(env_kiosk_key(k->dir, pk, sk, err, sizeof err), 0);
	assert_int_equal(env_parse(text, len, &e, err, sizeof err), 0);
	assert_string_equal(e.signer, KIOSK);
	assert_int_equal(env_verify(&e, pk), 0);
	assert_int_equal(proto_decode_push(e.payload, e.payload_len, &p, err, sizeof err), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.nrequests, 3);
	assert_int_equal(p.from, 1);
	assert_int_equal(p.to, 3);
	assert_null(strstr(text, "Nguy"));
	assert_null(strstr(text, "Văn"));
	assert_null(strstr(text, PHONE));
	assert_null(strstr(e.payload, PHONE));
	proto_free_push(&p);
	env_free(&e);
	free(text);
	/* No batch limit on a stick. */
	file_requests(k, 600);
	assert_int_equal(sync_export(&k->cfg, k->store, k->dir, &rep), SYNC_OK);
	text = slurp(rep.path, &len);
	assert_int_equal(env_parse(text, len, &e, err, sizeof err), 0);
	assert_int_equal(proto_decode_push(e.payload, e.payload_len, &p, err, sizeof err), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.nrequests, 603);
	proto_free_push(&p);
	env_free(&e);
	free(text);
	assert_int_equal(sync_export(&k->cfg, k->store, "/nonexistent/stick", &rep), SYNC_LOCAL);
	assert_non_null(strstr(rep.message, "/nonexistent/stick"));
}

/* A reply envelope signed with sk. */
static char *signed_reply(const proto_reply *r, const unsigned char *sk)
{
	char *payload = proto_encode_reply(r), *env;
	assert_non_null(payload);
	env = env_sign("server", payload, strlen(payload), sk);
	free(payload);
	return env;
}

static void test_import(void **state)
{
	kiosk *k = *state;
	sync_report rep;
	proto_event ev[2];
	proto_reply r;
	db_sync_state before, after;
	unsigned char other_pk[32], other_sk[64];
	char path[200], d1[4096], d2[4096];
	char *good, *bad;
	size_t len;
	file_requests(k, 2);
	assert_int_equal(sync_export(&k->cfg, k->store, k->dir, &rep), SYNC_OK);
	ev[0] = event(1, 1, 1763780000, "synced", "");
	ev[1] = event(2, 2, 1763780000, "accepted", "Đã thụ lý.");
	r = reply_of(1, 2, ev, 2, 2);
	good = signed_reply(&r, k->srv_sign_sk);
	len = strlen(good);
	snprintf(path, sizeof path, "%s/answer.json", k->dir);
	before = state_of(k);
	dump_events(k, d1, sizeof d1);

	/* Truncated. */
	spit(path, good, len / 2);
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_BAD_ANSWER);
	assert_non_null(strstr(rep.message, "nothing was changed"));
	/* Altered: the acknowledged mark raised in the payload. */
	bad = strdup(good);
	assert_non_null(strstr(bad, "acked\\\":2"));
	strstr(bad, "acked\\\":2")[8] = '9';
	spit(path, bad, len);
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_BAD_ANSWER);
	assert_non_null(strstr(rep.message, "not signed by the server key"));
	free(bad);
	/* Signed by another server. */
	crypto_sign_keypair(other_pk, other_sk);
	bad = signed_reply(&r, other_sk);
	spit(path, bad, strlen(bad));
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_BAD_ANSWER);
	free(bad);
	/* Another kiosk's answer. */
	snprintf(r.kiosk, sizeof r.kiosk, "27280-4");
	bad = signed_reply(&r, k->srv_sign_sk);
	spit(path, bad, strlen(bad));
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_BAD_ANSWER);
	free(bad);
	snprintf(r.kiosk, sizeof r.kiosk, KIOSK);
	/* An answer to an envelope never made. */
	r.n = 7;
	bad = signed_reply(&r, k->srv_sign_sk);
	spit(path, bad, strlen(bad));
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_BAD_ANSWER);
	free(bad);
	/* A missing file. */
	assert_int_equal(sync_import(&k->cfg, k->store, "/nonexistent/answer.json", &rep), SYNC_LOCAL);

	after = state_of(k);
	dump_events(k, d2, sizeof d2);
	assert_memory_equal(&before, &after, sizeof before);
	assert_string_equal(d1, d2);

	/* The real one. */
	spit(path, good, len);
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_OK);
	assert_int_equal(rep.sent, 2);
	assert_int_equal(rep.updates, 2);
	assert_int_equal(state_of(k).pending, 0);
	assert_string_equal(status_of(k, 2), "accepted");
	assert_int_equal(state_of(k).clock_known, 0);
	free(good);
}

static void test_files_from_reply(void **state)
{
	kiosk *k = *state;
	sync_report rep;
	proto_reply r;
	char path[200], *good, *text;
	size_t len;
	snprintf(k->cfg.assets_dir, sizeof k->cfg.assets_dir, "assets");
	assert_int_equal(sync_export(&k->cfg, k->store, k->dir, &rep), SYNC_OK);
	r = reply_of(1, 0, NULL, 0, 0);
	r.holidays = "{\"version\":\"2027-1\",\"source\":\"test\",\"days_off\":[{\"date\":\"2027-01-01\","
		"\"name\":\"Tết Dương lịch\"}],\"working_days\":[]}";
	r.catalog = "{ not a catalog";
	good = signed_reply(&r, k->srv_sign_sk);
	snprintf(path, sizeof path, "%s/answer.json", k->dir);
	spit(path, good, strlen(good));
	free(good);
	assert_int_equal(sync_import(&k->cfg, k->store, path, &rep), SYNC_OK);
	assert_non_null(strstr(rep.notes, "catalog that does not load"));
	assert_non_null(strstr(rep.notes, "newer holiday calendar was received"));
	/* The new calendar is in data_dir and is the one in use; the broken
	 * catalog was not written and the installed one stays in use. */
	config_data_file(&k->cfg, "holidays.json", path, sizeof path);
	assert_non_null(strstr(path, k->dir));
	text = slurp(path, &len);
	assert_non_null(strstr(text, "2027-1"));
	free(text);
	config_data_file(&k->cfg, "catalog.json", path, sizeof path);
	assert_string_equal(path, "assets/catalog.json");

	/* A newer answer, then an older one from a stick: the older one neither
	 * brings back its calendar and conferences nor moves the last sync
	 * backwards. */
	{
		proto_conference conf, next;
		char older_path[200], newer_path[200], *older, *newer;
		memset(&conf, 0, sizeof conf);
		conf.id = 9;
		conf.at = 1790000000;
		snprintf(conf.place, sizeof conf.place, "Hội trường xã");
		r.catalog = NULL;
		r.holidays = "{\"version\":\"2026-1\",\"source\":\"old\",\"days_off\":[],\"working_days\":[]}";
		r.conferences = &conf;
		r.nconferences = 1;
		r.server_time = 1763780401 - 86400;
		older = signed_reply(&r, k->srv_sign_sk);
		r.holidays = NULL;
		r.conferences = NULL;
		r.nconferences = 0;
		r.server_time = 1763780401 + 3600;
		newer = signed_reply(&r, k->srv_sign_sk);
		snprintf(older_path, sizeof older_path, "%s/older.json", k->dir);
		snprintf(newer_path, sizeof newer_path, "%s/newer.json", k->dir);
		spit(older_path, older, strlen(older));
		spit(newer_path, newer, strlen(newer));
		free(older);
		free(newer);
		assert_int_equal(sync_import(&k->cfg, k->store, newer_path, &rep), SYNC_OK);
		assert_int_equal(state_of(k).last_success, 1763780401 + 3600);
		assert_int_equal(sync_import(&k->cfg, k->store, older_path, &rep), SYNC_OK);
		assert_non_null(strstr(rep.notes, "older than one the kiosk already has"));
		assert_int_equal(state_of(k).last_success, 1763780401 + 3600);
		assert_int_equal(db_next_conference(k->store, 0, &next), 0);
		config_data_file(&k->cfg, "holidays.json", path, sizeof path);
		text = slurp(path, &len);
		assert_non_null(strstr(text, "2027-1"));
		assert_null(strstr(text, "\"old\""));
		free(text);
	}
}

/* ---- sync_now against a fake server ---- */

/* FAKE_FILES_DURING: while answering the first push that carries no
 * request, a citizen files one at the kiosk (another connection, as the
 * kiosk app is another process than motcua-sync). */
typedef enum { FAKE_OK, FAKE_UNKNOWN, FAKE_FOREIGN, FAKE_CONFLICT, FAKE_SLOW, FAKE_REPLAY, FAKE_FILES_DURING } fake_mode;

typedef struct {
	fake_mode mode;
	unsigned char sk[64];
	long long skew;           /* server clock minus real time */
	int per_reply;            /* events per reply, to exercise "more" */
	proto_event events[2000];
	int nevents;
	long long acked;
	int pushes;
	int max_batch;            /* largest number of requests in one push */
	long long last_n;
	int bad_n;                /* a push whose n did not rise */
	kiosk *k;                 /* FAKE_FILES_DURING: whose store to file in */
	int filed;
} fake;

typedef struct {
	char *data;
	size_t len;
} upload;

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;
	MHD_add_response_header(r, "Content-Type", "application/json");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static char *answer(fake *f, const proto_push *p)
{
	proto_reply r;
	unsigned char other_pk[32], other_sk[64];
	char (*conflicts)[40] = NULL;
	int i, first = -1, count = 0;
	char *text;
	f->pushes++;
	if (p->nrequests > f->max_batch) f->max_batch = p->nrequests;
	if (p->n <= f->last_n) f->bad_n = 1;
	f->last_n = p->n;
	if (f->mode == FAKE_FILES_DURING && p->nrequests == 0 && !f->filed) {
		static const char identity[] = "{\"full_name\":\"" NAME "\"}";
		unsigned char sealed[sizeof identity - 1 + SEAL_OVERHEAD];
		db_submission s = { "27280", 3, "petition", NULL, 1763600000, "2026-12-04", sealed, sizeof sealed };
		db_request req;
		db *other;
		char err[256];
		if (db_open(&other, f->k->dir, &f->k->srv, err, sizeof err) == 0) {
			if (seal_box(&f->k->srv, identity, sizeof identity - 1, sealed) == 0 &&
				db_submit(other, &s, &req, err, sizeof err) == 0) f->filed = 1;
			db_close(other);
		}
	}
	for (i = 0; i < p->nrequests; i++) {
		if (p->requests[i].seq <= f->acked) continue;
		if (f->mode == FAKE_CONFLICT && p->requests[i].seq == 2) break;
		f->acked = p->requests[i].seq;
		f->events[f->nevents] = event(f->nevents + 1, p->requests[i].seq, time(NULL) + f->skew, "synced", "");
		f->nevents++;
	}
	r = reply_of(p->n, f->acked, NULL, 0, p->cursor);
	r.server_time = time(NULL) + f->skew;
	for (i = 0; i < f->nevents; i++)
		if (f->events[i].id > p->cursor) { first = i; break; }
	if (first >= 0) {
		count = f->nevents - first;
		if (count > f->per_reply) { count = f->per_reply; r.more = 1; }
		r.events = &f->events[first];
		r.nevents = count;
		r.cursor = f->events[first + count - 1].id;
	}
	if (f->mode == FAKE_CONFLICT) {
		conflicts = calloc(1, sizeof *conflicts);
		request_id(2, conflicts[0]);
		r.conflicts = conflicts;
		r.nconflicts = 1;
	}
	if (f->mode == FAKE_FOREIGN) {
		crypto_sign_keypair(other_pk, other_sk);
		text = signed_reply(&r, other_sk);
	} else {
		text = signed_reply(&r, f->sk);
	}
	free(conflicts);
	return text;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *data, size_t *size, void **con_cls)
{
	fake *f = cls;
	upload *u = *con_cls;
	envelope e;
	proto_push p;
	char err[256];
	char *text;
	(void)url; (void)method; (void)version;
	if (!u) {
		*con_cls = calloc(1, sizeof *u);
		return *con_cls ? MHD_YES : MHD_NO;
	}
	if (*size) {
		u->data = realloc(u->data, u->len + *size + 1);
		memcpy(u->data + u->len, data, *size);
		u->len += *size;
		u->data[u->len] = '\0';
		*size = 0;
		return MHD_YES;
	}
	if (f->mode == FAKE_SLOW) sleep(3);
	if (f->mode == FAKE_UNKNOWN)
		return respond(c, 403, strdup("{\"error\":\"unknown_kiosk\",\"message\":\"no kiosk 27280-3\"}"));
	if (f->mode == FAKE_REPLAY)
		return respond(c, 409, strdup("{\"error\":\"replay\",\"message\":\"envelope 1 from 27280-3 was already received (last 57)\"}"));
	if (!u->data || env_parse(u->data, u->len, &e, err, sizeof err) != 0)
		return respond(c, 400, strdup("{\"error\":\"bad_envelope\",\"message\":\"?\"}"));
	if (proto_decode_push(e.payload, e.payload_len, &p, err, sizeof err) != 0) {
		proto_free_push(&p);
		env_free(&e);
		return respond(c, 400, strdup("{\"error\":\"bad_payload\",\"message\":\"?\"}"));
	}
	text = answer(f, &p);
	proto_free_push(&p);
	env_free(&e);
	return respond(c, 200, text);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	upload *u = *con_cls;
	(void)cls; (void)c; (void)toe;
	if (u) { free(u->data); free(u); }
	*con_cls = NULL;
}

static struct MHD_Daemon *fake_start(kiosk *k, fake *f, fake_mode mode)
{
	struct MHD_Daemon *d;
	memset(f, 0, sizeof *f);
	f->mode = mode;
	f->per_reply = 1000;
	f->k = k;
	memcpy(f->sk, k->srv_sign_sk, sizeof f->sk);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, f,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	assert_non_null(d);
	snprintf(k->cfg.server_url, sizeof k->cfg.server_url, "http://127.0.0.1:%u",
		(unsigned)MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
	return d;
}

typedef struct {
	long long done, total;
	int calls;
} seen_progress;

static void on_progress(void *ctx, long long done, long long total)
{
	seen_progress *s = ctx;
	s->done = done;
	s->total = total;
	s->calls++;
}

static void test_now_batches_and_more(void **state)
{
	kiosk *k = *state;
	fake f;
	seen_progress seen = { 0, 0, 0 };
	sync_options o = { on_progress, &seen, NULL };
	sync_report rep;
	struct MHD_Daemon *d = fake_start(k, &f, FAKE_OK);
	file_requests(k, PROTO_BATCH + 20);
	f.per_reply = 200;
	assert_int_equal(sync_now(&k->cfg, k->store, &o, &rep), SYNC_OK);
	assert_int_equal(f.max_batch, PROTO_BATCH);
	assert_int_equal(f.bad_n, 0);
	assert_int_equal(rep.sent, PROTO_BATCH + 20);
	assert_int_equal(rep.updates, PROTO_BATCH + 20);
	assert_true(f.pushes >= 3);          /* two batches, then events left waiting */
	assert_int_equal(rep.pending, 0);
	assert_int_equal(seen.done, PROTO_BATCH + 20);
	assert_int_equal(seen.total, PROTO_BATCH + 20);
	assert_int_equal(state_of(k).cursor, PROTO_BATCH + 20);
	assert_int_equal(state_of(k).clock_known, 1);
	assert_true(llabs(state_of(k).clock_offset) <= 2);
	assert_string_equal(status_of(k, 7), "synced");
	assert_non_null(strstr(rep.message, "caught up"));
	/* Nothing waiting: one empty push, to pull. */
	f.pushes = 0;
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_OK);
	assert_int_equal(f.pushes, 1);
	assert_int_equal(rep.sent, 0);
	MHD_stop_daemon(d);
}

/* A request filed while a caught-up sync is in flight is sent by the same
 * run, not taken for a server that acknowledges nothing. */
static void test_now_filed_during_sync(void **state)
{
	kiosk *k = *state;
	fake f;
	sync_report rep;
	struct MHD_Daemon *d = fake_start(k, &f, FAKE_FILES_DURING);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_OK);
	assert_int_equal(f.filed, 1);
	assert_int_equal(rep.sent, 1);
	assert_int_equal(rep.pending, 0);
	assert_int_equal(f.pushes, 2);
	assert_int_equal(f.acked, 1);
	MHD_stop_daemon(d);
}

static void test_now_failures(void **state)
{
	kiosk *k = *state;
	fake f;
	sync_report rep;
	struct MHD_Daemon *d;
	db_sync_state before;
	char line[ENV_KEY_LINE_MAX], err[256], want[200];
	file_requests(k, 3);

	d = fake_start(k, &f, FAKE_UNKNOWN);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_NOT_REGISTERED);
	assert_int_equal(sync_key_line(&k->cfg, line, err, sizeof err), 0);
	snprintf(want, sizeof want, "motcua-server kiosk add --data DIR --kiosk " KIOSK " --key %s ", line);
	assert_non_null(strstr(rep.message, want));
	assert_string_equal(state_of(k).last_error, rep.message);
	assert_int_equal(sync_exit_code(rep.result), 4);
	MHD_stop_daemon(d);

	d = fake_start(k, &f, FAKE_REPLAY);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_REFUSED);
	assert_non_null(strstr(rep.message, "409"));
	assert_non_null(strstr(rep.message, "already received"));
	MHD_stop_daemon(d);

	d = fake_start(k, &f, FAKE_FOREIGN);
	before = state_of(k);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_BAD_ANSWER);
	assert_int_equal(state_of(k).pending, 3);
	assert_int_equal(state_of(k).acked, before.acked);
	MHD_stop_daemon(d);

	d = fake_start(k, &f, FAKE_CONFLICT);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_CONFLICT);
	assert_non_null(strstr(rep.message, KIOSK "-000002"));
	assert_int_equal(state_of(k).acked, 1);
	assert_int_equal(state_of(k).pending, 2);
	MHD_stop_daemon(d);

	d = fake_start(k, &f, FAKE_OK);
	f.skew = 2 * 3600 + 300;
	setenv("MOTCUA_CLOCK_SYNCED", "no", 1);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_CLOCK);
	assert_non_null(strstr(rep.message, "2 h 0"));
	assert_non_null(strstr(rep.message, "behind the server's"));
	assert_non_null(strstr(rep.message, "set the kiosk's clock"));
	assert_int_equal(state_of(k).pending, 0);
	assert_string_equal(state_of(k).last_error, "");
	/* A server a day behind a kiosk kept by network time: the server's
	 * clock is the one to fix, not the kiosk's. */
	f.skew = -86400;
	setenv("MOTCUA_CLOCK_SYNCED", "yes", 1);
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_CLOCK);
	assert_non_null(strstr(rep.message, "the server's clock is 1 day 0 h behind this kiosk's"));
	assert_null(strstr(rep.message, "set the kiosk's clock"));
	unsetenv("MOTCUA_CLOCK_SYNCED");
	MHD_stop_daemon(d);

	/* Nobody listening. */
	snprintf(k->cfg.server_url, sizeof k->cfg.server_url, "http://127.0.0.1:1");
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_NO_NETWORK);
	assert_non_null(strstr(rep.message, "http://127.0.0.1:1/api/v1/sync"));
	assert_string_equal(state_of(k).last_error, rep.message);
	assert_int_equal(state_of(k).last_success != 0, 1);

	k->cfg.server_url[0] = '\0';
	assert_int_equal(sync_now(&k->cfg, k->store, NULL, &rep), SYNC_NOT_CONFIGURED);
	assert_non_null(strstr(rep.message, "[server] url"));
}

typedef struct {
	atomic_int *stop;
	int after_ms;
} stopper;

static void *stop_later(void *arg)
{
	stopper *s = arg;
	usleep((useconds_t)s->after_ms * 1000);
	atomic_store(s->stop, 1);
	return NULL;
}

static void test_now_stops_promptly(void **state)
{
	kiosk *k = *state;
	fake f;
	sync_report rep;
	atomic_int stop;
	stopper s = { &stop, 300 };
	sync_options o = { NULL, NULL, &stop };
	pthread_t t;
	struct timespec a, b;
	struct MHD_Daemon *d = fake_start(k, &f, FAKE_SLOW);
	atomic_init(&stop, 0);
	file_requests(k, 1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(pthread_create(&t, NULL, stop_later, &s), 0);
	assert_int_equal(sync_now(&k->cfg, k->store, &o, &rep), SYNC_STOPPED);
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 2000);
	assert_string_equal(state_of(k).last_error, "");   /* being stopped is not a failure */
	MHD_stop_daemon(d);
}

typedef struct {
	pthread_mutex_t lock;
	int calls;
	int last;
} notified;

static void on_notify(void *ctx, int exit_code)
{
	notified *n = ctx;
	pthread_mutex_lock(&n->lock);
	n->calls++;
	n->last = exit_code;
	pthread_mutex_unlock(&n->lock);
}

static int calls_of(notified *n, int want)
{
	int i, calls = 0;
	for (i = 0; i < 400 && calls < want; i++) {
		usleep(25000);
		pthread_mutex_lock(&n->lock);
		calls = n->calls;
		pthread_mutex_unlock(&n->lock);
	}
	return calls;
}

/* A stand-in for motcua-sync: records its arguments, exits with a code, or
 * hangs until killed. */
static void write_stand_in(const char *path, const char *log, const char *body)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"$@\" >> %s\n%s\n", log, body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void test_background(void **state)
{
	kiosk *k = *state;
	notified n = { PTHREAD_MUTEX_INITIALIZER, 0, -5 };
	char err[1200], program[600], log[600], line[600] = "";
	struct timespec a, b;
	bgsync *w;
	FILE *f;
	snprintf(program, sizeof program, "%s/program-sync", k->dir);
	snprintf(log, sizeof log, "%s/program-sync.log", k->dir);
	k->cfg.sync_interval = 0;
	assert_null(bgsync_start(&k->cfg, program, "kiosk.ini", on_notify, &n, err, sizeof err));
	assert_non_null(strstr(err, "sync_interval = 0"));
	k->cfg.sync_interval = 300;
	k->cfg.server_url[0] = '\0';
	assert_null(bgsync_start(&k->cfg, program, "kiosk.ini", on_notify, &n, err, sizeof err));
	assert_non_null(strstr(err, "[server] url"));
	snprintf(k->cfg.server_url, sizeof k->cfg.server_url, "http://127.0.0.1:1");
	assert_null(bgsync_start(&k->cfg, program, "kiosk.ini", on_notify, &n, err, sizeof err));
	assert_non_null(strstr(err, "program-sync"));   /* no such program yet */

	/* Caught up at once, then asleep for 300 s: stopping does not wait. */
	write_stand_in(program, log, "exit 0");
	w = bgsync_start(&k->cfg, program, "/etc/motcua/kiosk.ini", on_notify, &n, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(calls_of(&n, 1), 1);
	assert_int_equal(n.last, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	bgsync_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 2);
	f = fopen(log, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_string_equal(line, "--config /etc/motcua/kiosk.ini now\n");

	/* A failing sync is retried after a backoff of 1 to 6 s, and reported. */
	n.calls = 0;
	write_stand_in(program, log, "exit 3");
	w = bgsync_start(&k->cfg, program, "kiosk.ini", on_notify, &n, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(calls_of(&n, 2), 2);
	assert_int_equal(n.last, 3);
	bgsync_stop(w);

	/* A sync under way is stopped with the kiosk, promptly. */
	n.calls = 0;
	write_stand_in(program, log, "exec sleep 60");
	w = bgsync_start(&k->cfg, program, "kiosk.ini", on_notify, &n, err, sizeof err);
	assert_non_null(w);
	usleep(200000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	bgsync_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 2);
	assert_int_equal(n.calls, 0);   /* being stopped is not an outcome */
}

static void test_backoff(void **state)
{
	int i;
	(void)state;
	for (i = 0; i < 1000; i++) {
		unsigned r = randombytes_random();
		assert_true(bgsync_backoff_ms(1, r) >= 1000 && bgsync_backoff_ms(1, r) <= 6000);
		assert_true(bgsync_backoff_ms(3, r) <= 21000);
		assert_true(bgsync_backoff_ms(40, r) <= 601000);
	}
	assert_int_equal(bgsync_backoff_ms(40, 599999), 600999);
	assert_int_equal(bgsync_backoff_ms(2, 0), 1000);
}

static void test_describe_offset(void **state)
{
	char out[96];
	(void)state;
	sync_describe_offset(7500, out, sizeof out);
	assert_string_equal(out, "2 h 05 min behind the server's");
	sync_describe_offset(-42, out, sizeof out);
	assert_string_equal(out, "42 s ahead of the server's");
	sync_describe_offset(2 * 86400 + 3600, out, sizeof out);
	assert_string_equal(out, "2 days 1 h behind the server's");
}

#define T(f) cmocka_unit_test_setup_teardown(f, kiosk_setup, kiosk_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_outbox_order_and_limits),
		T(test_counter_durable_and_increasing),
		T(test_apply_twice_is_idempotent),
		T(test_marks_never_lower),
		T(test_events_unknown_and_statuses),
		T(test_status_of_request_row),
		T(test_undated_events),
		T(test_clock_offset),
		T(test_failure_recorded_alone),
		T(test_export),
		T(test_import),
		T(test_files_from_reply),
		T(test_now_batches_and_more),
		T(test_now_filed_during_sync),
		T(test_now_failures),
		T(test_now_stops_promptly),
		T(test_background),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_describe_offset),
	};
	if (sodium_init() < 0 || sync_global_init() != 0) return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
