/* Tests of the server's sync logic and store: pushes built with env_sign and
 * proto_encode_push go through srv_sync_push on a fresh data folder, as
 * POST /api/v1/sync and `import` send them, and each refusal of
 * docs/protocol.md is checked to change nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "envelope.h"
#include "fixture.h"
#include "proto.h"
#include "seal.h"
#include "srv_db.h"
#include "srv_keys.h"
#include "srv_bundle.h"
#include "srv_show.h"
#include "srv_sync.h"
#include "vntime.h"
#include "catalog.h"
#include "srv_work.h"
#include "srv_counter.h"
#include <sqlite3.h>
#include "token.h"

#define KIOSK "27280-1"
#define NOW 1763780400LL         /* 2025-11-22 10:00 in Vietnam, 03:00 UTC */

typedef struct {
	char dir[64];
	srv_keys keys;
	srv_sync_ctx ctx;
	srv_db *db;
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES];   /* the kiosk's */
	long long n;                 /* the kiosk's envelope counter */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[300];
	if (!f || sodium_init() < 0) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "srv");
	if (srv_keys_create(f->dir, &f->keys, err, sizeof err) != 0 ||
	    srv_db_open(&f->db, fx_srv_where(f->dir), 1, err, sizeof err) != 0)
		return -1;
	f->ctx.keys = &f->keys;
	f->ctx.data_dir = f->dir;
	crypto_sign_keypair(f->pk, f->sk);
	if (srv_db_kiosk_add(f->db, KIOSK, f->pk, NOW - 86400, err, sizeof err) != 0) return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	srv_db_close(f->db);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

/* Request seq of kiosk, sealed to the server, in the shape a kiosk pushes. */
static void make_request(const fixture *f, const char *kiosk, long long seq, proto_request *r)
{
	static const char identity[] = "{\"full_name\":\"Nguyễn Văn An\",\"phone\":\"0912345678\"}";
	seal_server_key pub;
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s-%06lld", kiosk, seq);
	r->seq = seq;
	assert_int_equal(token_new(r->token), 0);
	snprintf(r->category, sizeof r->category, "petition");
	r->received_at = NOW - 3600 + seq;
	snprintf(r->deadline, sizeof r->deadline, "2025-12-05");
	srv_keys_public(&f->keys, &pub);
	r->sealed_len = sizeof identity - 1 + SEAL_OVERHEAD;
	r->sealed = malloc(r->sealed_len);
	assert_non_null(r->sealed);
	assert_int_equal(seal_box(&pub, identity, sizeof identity - 1, r->sealed), 0);
	/* As a kiosk sends it: the code sealed to the server (version 2). */
	assert_int_equal(seal_box(&pub, r->token, TOKEN_LEN, r->token_sealed), 0);
	r->has_token_sealed = 1;
}

/* A push of requests from..to (none when from > to). */
static proto_push *make_push(const fixture *f, long long from, long long to, long long cursor)
{
	proto_push *p = calloc(1, sizeof *p);
	long long s;
	assert_non_null(p);
	snprintf(p->kiosk, sizeof p->kiosk, KIOSK);
	p->clock = NOW - 30;         /* the kiosk's clock is 30 s slow */
	p->from = from;
	p->to = to;
	p->cursor = cursor;
	if (from <= to) {
		p->requests = calloc((size_t)(to - from + 1), sizeof *p->requests);
		assert_non_null(p->requests);
		for (s = from; s <= to; s++) make_request(f, KIOSK, s, &p->requests[p->nrequests++]);
	}
	return p;
}

static void free_push(proto_push *p)
{
	proto_free_push(p);
	free(p);
}

/* The envelope a kiosk sends for p, with the next n. Malloc'd. */
static char *seal_push(fixture *f, proto_push *p, const char *signer, const unsigned char *sk)
{
	char *payload, *env;
	p->n = ++f->n;
	payload = proto_encode_push(p);
	assert_non_null(payload);
	env = env_sign(signer, payload, strlen(payload), sk);
	assert_non_null(env);
	free(payload);
	return env;
}

/* Sends an envelope; on 200 checks the server's signature and decodes the
 * reply into *reply (freed by the caller). */
static int send_env(fixture *f, const char *env, srv_sync_result *res, proto_reply *reply)
{
	envelope e;
	char err[300];
	int rc = srv_sync_push(&f->ctx, f->db, env, strlen(env), NOW, res);
	memset(reply, 0, sizeof *reply);
	if (rc == 0) {
		assert_int_equal(res->status, 200);
		assert_int_equal(env_parse(res->reply, res->reply_len, &e, err, sizeof err), 0);
		assert_string_equal(e.signer, "server");
		assert_int_equal(env_verify(&e, f->keys.sign_pk), 0);
		assert_int_equal(proto_decode_reply(e.payload, e.payload_len, reply, err, sizeof err), 0);
		env_free(&e);
	}
	return res->status;
}

/* Pushes p as KIOSK, expects status, returns the reply. */
static int push(fixture *f, proto_push *p, srv_sync_result *res, proto_reply *reply)
{
	char *env = seal_push(f, p, KIOSK, f->sk);
	int status = send_env(f, env, res, reply);
	free(env);
	return status;
}

static void expect_refusal(fixture *f, const char *env, int status, const char *error)
{
	srv_sync_result res;
	proto_reply reply;
	assert_int_equal(send_env(f, env, &res, &reply), status);
	assert_string_equal(res.error, error);
	assert_null(res.reply);
	srv_sync_result_free(&res);
}

static long long kiosk_last_n(fixture *f)
{
	srv_db_kiosk k;
	assert_int_equal(srv_db_kiosk_get(f->db, KIOSK, &k), 1);
	return k.last_n;
}

static void test_store_and_ack(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 3, 0);
	srv_sync_result res;
	proto_reply reply;
	srv_db_kiosk k;
	srv_db_request r;
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, 3);
	assert_string_equal(reply.kiosk, KIOSK);
	assert_int_equal(reply.n, 1);
	assert_int_equal(reply.server_time, NOW);
	assert_int_equal(reply.acked, 3);
	assert_int_equal(reply.nconflicts, 0);
	assert_int_equal(reply.nevents, 3);
	assert_string_equal(reply.events[0].status, "synced");
	assert_string_equal(reply.events[2].request, "27280-1-000003");
	assert_int_equal(reply.cursor, reply.events[2].id);
	assert_false(reply.more);
	assert_null(reply.catalog);
	assert_null(reply.holidays);
	assert_int_equal(srv_db_count(f->db), 3);
	assert_int_equal(srv_db_kiosk_get(f->db, KIOSK, &k), 1);
	assert_int_equal(k.last_n, 1);
	assert_int_equal(k.acked, 3);
	assert_int_equal(k.last_seen, NOW);
	assert_int_equal(k.clock_offset, 30);
	/* Stored as sent, sealed bytes included. */
	assert_int_equal(srv_db_request_find(f->db, p->requests[1].id, &r), 1);
	assert_string_equal(r.token, p->requests[1].token);
	assert_string_equal(r.status, "synced");
	assert_int_equal(r.received_at, p->requests[1].received_at);
	assert_int_equal(r.received_server_at, NOW);
	assert_int_equal(r.sealed_len, p->requests[1].sealed_len);
	assert_memory_equal(r.sealed, p->requests[1].sealed, r.sealed_len);
	srv_db_request_free(&r);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* The same requests in a new envelope (an answer was lost): acknowledged
	 * again, nothing doubled, no events after the cursor. */
	p->cursor = 3;
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, 0);
	assert_int_equal(reply.acked, 3);
	assert_int_equal(reply.nconflicts, 0);
	assert_int_equal(reply.nevents, 0);
	assert_int_equal(reply.cursor, 3);
	assert_int_equal(srv_db_count(f->db), 3);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* Nothing to send: from > to and an empty list. */
	free_push(p);
	p = make_push(f, 4, 3, 3);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.acked, 3);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
}

static void test_replay(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 2, 0);
	char *env = seal_push(f, p, KIOSK, f->sk), *old;
	srv_sync_result res;
	proto_reply reply;
	assert_int_equal(send_env(f, env, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(send_env(f, env, &res, &reply), 409);
	assert_string_equal(res.error, "replay");
	assert_string_equal(res.message, "envelope 1 from 27280-1 was already received (last 1)");
	srv_sync_result_free(&res);
	/* An older n after a newer one is a replay too. */
	old = env;
	f->n = 5;
	env = seal_push(f, p, KIOSK, f->sk);
	assert_int_equal(send_env(f, env, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(send_env(f, old, &res, &reply), 409);
	assert_non_null(strstr(res.message, "(last 6)"));
	srv_sync_result_free(&res);
	assert_int_equal(kiosk_last_n(f), 6);
	assert_int_equal(srv_db_count(f->db), 2);
	free(old);
	free(env);
	free_push(p);
}

static void test_refusals(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 2, 0);
	unsigned char other_pk[ENV_PK_BYTES], other_sk[ENV_SK_BYTES];
	char *env, *payload, *at;
	srv_sync_result res;
	char err[300];
	crypto_sign_keypair(other_pk, other_sk);

	/* Too large, refused before it is read. */
	assert_int_equal(srv_sync_push(&f->ctx, f->db, "{}", (size_t)ENV_MAX_BYTES + 1, NOW, &res), -1);
	assert_int_equal(res.status, 413);
	assert_string_equal(res.error, "too_large");

	expect_refusal(f, "{not json", 400, "bad_envelope");
	expect_refusal(f, "{\"motcua\":1,\"signer\":\"27280-1\",\"payload\":\"{}\"}", 400, "bad_envelope");

	env = seal_push(f, p, "27280-7", f->sk);
	expect_refusal(f, env, 403, "unknown_kiosk");
	free(env);

	env = seal_push(f, p, KIOSK, other_sk);
	expect_refusal(f, env, 401, "bad_signature");
	free(env);

	/* One byte of the payload altered after signing: the clock. */
	env = seal_push(f, p, KIOSK, f->sk);
	at = strstr(env, "\\\"clock\\\":");
	assert_non_null(at);
	at += strlen("\\\"clock\\\":");
	*at = *at == '1' ? '2' : '1';
	expect_refusal(f, env, 401, "bad_signature");
	free(env);

	/* Signed, but the payload is wrong: a string where n is a number. */
	payload = proto_encode_push(p);
	at = strstr(payload, "\"n\":");
	assert_non_null(at);
	memcpy(at, "\"n\":\"", 5);
	env = env_sign(KIOSK, payload, strlen(payload), f->sk);
	free(payload);
	expect_refusal(f, env, 400, "bad_payload");
	free(env);

	/* Signed, but not JSON inside. */
	env = env_sign(KIOSK, "[1,", 3, f->sk);
	expect_refusal(f, env, 400, "bad_payload");
	free(env);

	/* A request id of another kiosk, and a payload naming another kiosk. */
	snprintf(p->requests[1].id, sizeof p->requests[1].id, "27280-2-000002");
	env = seal_push(f, p, KIOSK, f->sk);
	expect_refusal(f, env, 400, "bad_payload");
	free(env);
	snprintf(p->requests[1].id, sizeof p->requests[1].id, KIOSK "-000002");
	snprintf(p->kiosk, sizeof p->kiosk, "27280-2");
	snprintf(p->requests[0].id, sizeof p->requests[0].id, "27280-2-000001");
	snprintf(p->requests[1].id, sizeof p->requests[1].id, "27280-2-000002");
	env = seal_push(f, p, KIOSK, f->sk);
	assert_int_equal(srv_sync_push(&f->ctx, f->db, env, strlen(env), NOW, &res), -1);
	assert_string_equal(res.error, "bad_payload");
	assert_non_null(strstr(res.message, "names kiosk 27280-2"));
	free(env);

	/* None of it changed anything. */
	assert_int_equal(kiosk_last_n(f), 0);
	assert_int_equal(srv_db_count(f->db), 0);

	/* Revoked: refused even with a good signature. */
	assert_int_equal(srv_db_kiosk_revoke(f->db, KIOSK, err, sizeof err), 0);
	snprintf(p->kiosk, sizeof p->kiosk, KIOSK);
	snprintf(p->requests[0].id, sizeof p->requests[0].id, KIOSK "-000001");
	snprintf(p->requests[1].id, sizeof p->requests[1].id, KIOSK "-000002");
	env = seal_push(f, p, KIOSK, f->sk);
	expect_refusal(f, env, 403, "revoked_kiosk");
	free(env);
	assert_int_equal(srv_db_count(f->db), 0);
	assert_int_equal(srv_db_kiosk_revoke(f->db, KIOSK, err, sizeof err), -1);
	assert_non_null(strstr(err, "already revoked"));
	assert_int_equal(srv_db_kiosk_revoke(f->db, "27280-9", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown kiosk"));
	assert_int_equal(srv_db_kiosk_add(f->db, KIOSK, other_pk, NOW, err, sizeof err), -1);
	assert_non_null(strstr(err, "already registered"));
	free_push(p);
}

static void test_conflicts(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 3, 0);
	srv_sync_result res;
	proto_reply reply;
	srv_db_kiosk k;
	char token1[16];
	unsigned char sealed1[SEAL_CODE_SEALED_BYTES];
	proto_push *first = p;
	proto_request *same;
	assert_int_equal(push(f, p, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	snprintf(token1, sizeof token1, "%s", p->requests[0].token);
	memcpy(sealed1, p->requests[0].token_sealed, sizeof sealed1);

	/* Seq 2 again with other content, 3 as stored, 4 and 5 new, 6 with
	 * seq 1's token. */
	p = make_push(f, 2, 6, 3);
	same = &p->requests[1];
	free(same->sealed);
	*same = first->requests[2];
	assert_non_null(same->sealed = malloc(same->sealed_len));
	memcpy(same->sealed, first->requests[2].sealed, same->sealed_len);
	free_push(first);
	snprintf(p->requests[4].token, sizeof p->requests[4].token, "%s", token1);
	memcpy(p->requests[4].token_sealed, sealed1, sizeof sealed1);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, 2);
	assert_int_equal(reply.nconflicts, 2);
	assert_string_equal(reply.conflicts[0], "27280-1-000002");
	assert_string_equal(reply.conflicts[1], "27280-1-000006");
	/* Stored up to 5, but the kiosk must keep seq 2: the mark stops at 1. */
	assert_int_equal(reply.acked, 1);
	assert_int_equal(srv_db_kiosk_get(f->db, KIOSK, &k), 1);
	assert_int_equal(k.acked, 5);
	assert_int_equal(reply.nevents, 2);
	assert_int_equal(srv_db_count(f->db), 5);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* A kiosk set up again from nothing resends 2 and 3 with other
	 * content: both conflict, and the mark stays below them. */
	free_push(p);
	p = make_push(f, 2, 3, 5);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nconflicts, 2);
	assert_int_equal(reply.acked, 1);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
}

static void test_event_paging(void **state)
{
	fixture *f = *state;
	const int total = PROTO_EVENTS + 100;
	proto_push *p = make_push(f, 1, total, 0);
	f->ctx.max_requests = PROTO_BUNDLE;     /* a USB bundle's worth in one push */
	srv_sync_result res;
	proto_reply reply;
	long long cursor;
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, total);
	assert_int_equal(reply.acked, total);
	assert_int_equal(reply.nevents, PROTO_EVENTS);
	assert_true(reply.more);
	assert_int_equal(reply.cursor, reply.events[PROTO_EVENTS - 1].id);
	assert_true(reply.events[0].id < reply.events[1].id);
	cursor = reply.cursor;
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);

	p = make_push(f, total + 1, total, cursor);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nevents, 100);
	assert_false(reply.more);
	assert_int_equal(reply.events[0].id, cursor + 1);
	assert_string_equal(reply.events[99].request, "27280-1-001100");
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
}

static void test_update_and_lookup(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 2, 0);
	static page_request page;
	srv_sync_result res;
	proto_reply reply;
	srv_db_request r;
	char err[300], grouped[TOKEN_GROUPED_LEN + 1], typed[32], unknown[TOKEN_LEN + 1];
	long long event_id, cursor;
	size_t i;
	assert_int_equal(push(f, p, &res, &reply), 200);
	cursor = reply.cursor;
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	assert_int_equal(srv_work_update(f->db, NULL, NULL, p->requests[1].id, "accepted", "Hồ sơ đã được thụ lý.", NOW + 60,
		&event_id, err, sizeof err), 0);
	assert_int_equal(event_id, cursor + 1);
	assert_int_equal(srv_work_update(f->db, NULL, NULL, "27280-1-000009", "accepted", "", NOW, &event_id, err, sizeof err), -1);
	assert_non_null(strstr(err, "no request 27280-1-000009"));

	/* The kiosk hears of it at its next push. */
	free_push(p);
	p = make_push(f, 3, 2, cursor);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nevents, 1);
	assert_string_equal(reply.events[0].request, "27280-1-000002");
	assert_string_equal(reply.events[0].status, "accepted");
	assert_string_equal(reply.events[0].note, "Hồ sơ đã được thụ lý.");
	assert_int_equal(reply.events[0].at, NOW + 60);
	assert_int_equal(reply.cursor, event_id);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* Found by its receipt code as a person types it. */
	assert_int_equal(srv_db_request_find(f->db, "27280-1-000002", &r), 1);
	token_group(r.token, grouped);
	for (i = 0; grouped[i]; i++) typed[i] = (char)(grouped[i] >= 'A' && grouped[i] <= 'Z' ? grouped[i] + 32 : grouped[i]);
	typed[i] = '\0';
	srv_db_request_free(&r);
	assert_int_equal(srv_db_request_find(f->db, typed, &r), 1);
	assert_string_equal(r.id, "27280-1-000002");
	assert_string_equal(r.status, "accepted");
	srv_db_request_free(&r);
	assert_int_equal(srv_db_request_find(f->db, "0000000000000", &r), 0);

	/* The phone page's facts: events oldest first; overdue after the
	 * deadline (Vietnam's date) unless the request is closed. */
	assert_int_equal(token_new(unknown), 0);
	assert_int_equal(fx_page_lookup(f->db, unknown, NOW, &page), 0);
	assert_false(page.known);
	assert_int_equal(srv_db_request_find(f->db, "27280-1-000002", &r), 1);
	assert_int_equal(fx_page_lookup(f->db, r.token, NOW, &page), 1);
	assert_true(page.known);
	assert_string_equal(page.status, "accepted");
	assert_int_equal(page.nevents, 2);
	assert_string_equal(page.events[0].status, "synced");
	assert_string_equal(page.events[1].note, "Hồ sơ đã được thụ lý.");
	assert_false(page.overdue);
	/* 2025-12-05 23:59 in Vietnam is 16:59 UTC: still on time; a minute
	 * later it is the 6th there, and overdue. */
	assert_int_equal(fx_page_lookup(f->db, r.token, 1764953940LL, &page), 1);
	assert_false(page.overdue);
	assert_int_equal(fx_page_lookup(f->db, r.token, 1764954000LL, &page), 1);
	assert_true(page.overdue);
	assert_int_equal(srv_work_update(f->db, NULL, NULL, r.id, "resolved", "", NOW + 120, &event_id, err, sizeof err), 0);
	assert_int_equal(fx_page_lookup(f->db, r.token, 1764954000LL, &page), 1);
	assert_false(page.overdue);
	assert_int_equal(page.updated_at, NOW + 120);
	srv_db_request_free(&r);
	/* The same struct for an unknown token keeps nothing of the last one. */
	assert_int_equal(fx_page_lookup(f->db, "0000000000000", NOW, &page), 0);
	assert_false(page.known);
	assert_int_equal(page.nevents, 0);
	assert_string_equal(page.category, "");
	assert_string_equal(page.status, "");
	free_push(p);
}

static void test_files_for_kiosks(void **state)
{
	fixture *f = *state;
	static const char holidays[] = "{\"version\":\"2026.2\",\"days_off\":[],\"working_days\":[]}";
	proto_push *p = make_push(f, 1, 0, 0);
	srv_sync_result res;
	proto_reply reply;
	char path[128];
	FILE *out;
	snprintf(path, sizeof path, "%s/holidays.json", f->dir);
	assert_non_null(out = fopen(path, "w"));
	fputs(holidays, out);
	fclose(out);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_null(reply.catalog);
	assert_non_null(reply.holidays);
	assert_string_equal(reply.holidays, holidays);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	/* Once the kiosk holds it, it is not sent again. */
	proto_sha256_hex(holidays, strlen(holidays), p->holidays_sha256);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_null(reply.holidays);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
}

static void test_meta_and_reopen(void **state)
{
	fixture *f = *state;
	srv_db *again;
	srv_keys loaded;
	char value[64], err[300];
	assert_int_equal(srv_db_meta_get(f->db, "public_url", value, sizeof value), 0);
	assert_int_equal(srv_db_meta_set(f->db, "public_url", "https://motcua.example.vn", err, sizeof err), 0);
	assert_int_equal(srv_db_open(&again, fx_srv_where(f->dir), 0, err, sizeof err), 0);
	assert_int_equal(srv_db_meta_get(again, "public_url", value, sizeof value), 1);
	assert_string_equal(value, "https://motcua.example.vn");
	srv_db_close(again);
	assert_int_equal(srv_db_open(&again, "/nonexistent", 0, err, sizeof err), -1);
	assert_null(again);
	assert_non_null(strstr(err, "motcua-server init"));
	assert_int_equal(srv_keys_load(f->dir, &loaded, err, sizeof err), 0);
	assert_memory_equal(&loaded, &f->keys, sizeof loaded);
	assert_int_equal(srv_keys_create(f->dir, &loaded, err, sizeof err), -1);
	assert_non_null(strstr(err, "already set up"));
}

/* Through the whole sync path: an official's acceptance reaches the kiosk
 * with the deadline it sets, and the reply carries the commune's upcoming
 * dialogue conferences, signed like everything else. */
static void test_work_in_reply(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 1, 0);
	srv_sync_result res;
	proto_reply reply;
	work_conference conf;
	work_step accept = { WORK_ACCEPT, "Hồ sơ đã được thụ lý.", NULL, WORK_NORMAL, NULL, "officer1", NULL };
	catalog *cat = malloc(sizeof *cat);
	cal *calendar = cal_load("assets/holidays.json", NULL, 0);
	char err[300];
	long long cursor;
	assert_non_null(cat);
	assert_non_null(calendar);
	assert_int_equal(catalog_load("assets/catalog.json", cat, err, sizeof err), 0);
	snprintf(p->requests[0].category, sizeof p->requests[0].category, "complaint");
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nconferences, 0);
	assert_string_equal(reply.events[0].deadline, "");
	cursor = reply.cursor;
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* A complaint is accepted on its signed letter, which the counter marks received. */
	{
		proto_counter letter;
		memset(&letter, 0, sizeof letter);
		snprintf(letter.request, sizeof letter.request, "%s", p->requests[0].id);
		snprintf(letter.kind, sizeof letter.kind, "letter");
		assert_int_equal(srv_counter_apply(f->db, cat, calendar, p->kiosk, &letter, NOW, NOW, err, sizeof err), 0);
	}
	assert_int_equal(srv_work_act(f->db, cat, calendar, p->requests[0].id, &accept, NOW, err, sizeof err), 0);
	memset(&conf, 0, sizeof conf);
	snprintf(conf.commune, sizeof conf.commune, "27280");
	conf.at = NOW + 7 * 86400;
	snprintf(conf.place, sizeof conf.place, "Hội trường UBND xã");
	snprintf(conf.topic, sizeof conf.topic, "Nước sạch");
	assert_int_equal(srv_work_conference_save(f->db, &conf, "officer1", NOW, err, sizeof err), 0);
	conf.id = 0;
	conf.at = NOW - 3600;        /* already started: not sent */
	assert_int_equal(srv_work_conference_save(f->db, &conf, "officer1", NOW, err, sizeof err), 0);
	snprintf(conf.commune, sizeof conf.commune, "27281");
	conf.id = 0;
	conf.at = NOW + 86400;       /* another commune's: not sent */
	assert_int_equal(srv_work_conference_save(f->db, &conf, "officer1", NOW, err, sizeof err), 0);

	free_push(p);
	p = make_push(f, 2, 1, cursor);
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nevents, 2);
	assert_string_equal(reply.events[1].status, "accepted");
	/* Accepted Saturday 22 November 2025: 30 days, to Monday 22 December. */
	assert_string_equal(reply.events[1].deadline, "2025-12-22");
	assert_int_equal(reply.nconferences, 1);
	assert_int_equal(reply.conferences[0].at, NOW + 7 * 86400);
	assert_string_equal(reply.conferences[0].topic, "Nước sạch");
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
	cal_free(calendar);
	free(cat);
}

/* A store made before the officials' work: the new columns are filled in
 * from what it holds when it is opened. */
static void test_migration_backfill(void **state)
{
	static const char v1[] =
		"CREATE TABLE kiosk(id TEXT PRIMARY KEY, key BLOB NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,"
		" added_at INTEGER NOT NULL, last_seen INTEGER NOT NULL DEFAULT 0, last_n INTEGER NOT NULL DEFAULT 0,"
		" acked INTEGER NOT NULL DEFAULT 0, clock_offset INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE request(id TEXT PRIMARY KEY, kiosk TEXT NOT NULL REFERENCES kiosk(id), seq INTEGER NOT NULL,"
		" token TEXT NOT NULL UNIQUE, category TEXT NOT NULL, procedure TEXT NOT NULL,"
		" received_at INTEGER NOT NULL, received_server_at INTEGER NOT NULL, deadline TEXT NOT NULL,"
		" status TEXT NOT NULL, updated_at INTEGER NOT NULL, sealed BLOB NOT NULL, UNIQUE(kiosk, seq));"
		"CREATE TABLE event(id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL REFERENCES request(id),"
		" kiosk TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
		"CREATE INDEX event_kiosk ON event(kiosk, id);"
		"CREATE INDEX event_request ON event(request_id, id);"
		"CREATE TABLE conflict(request_id TEXT NOT NULL, kiosk TEXT NOT NULL, reason TEXT NOT NULL,"
		" other_id TEXT NOT NULL DEFAULT '', first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,"
		" count INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(request_id, reason));"
		"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		"INSERT INTO kiosk(id, key, added_at) VALUES('27280-1', x'00', 1);"
		"INSERT INTO request VALUES('27280-1-000001', '27280-1', 1, 'AAAAAAAAAAAAA', 'petition', '', 1, 1,"
		" '2025-11-24', 'resolved', 1763780400, x'00');"   /* closed 22 November: on time */
		"INSERT INTO request VALUES('27280-1-000002', '27280-1', 2, 'BBBBBBBBBBBBB', 'petition', '', 1, 1,"
		" '2025-11-20', 'accepted', 1763780400, x'00');"
		"INSERT INTO event(request_id, kiosk, at, status) VALUES('27280-1-000002', '27280-1', 1763000000, 'accepted');"
		"PRAGMA user_version = 1;";
	fixture *f = *state;
	sqlite3 *old;
	work_item it;
	char dir[64], path[128], err[300];
	srv_db *d;
	(void)f;
	fx_tempdir(dir, sizeof dir, "mig");
	snprintf(path, sizeof path, "%s/server.db", dir);
	assert_int_equal(sqlite3_open(path, &old), SQLITE_OK);
	assert_int_equal(sqlite3_exec(old, v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(old);
	assert_int_equal(srv_db_open(&d, dir, 0, err, sizeof err), 0);
	assert_int_equal(srv_work_get(d, "27280-1-000001", NOW, &it), 1);
	assert_string_equal(it.commune, "27280");
	assert_string_equal(it.due, "2025-11-24");
	assert_int_equal(it.closed_at, 1763780400);
	assert_int_equal(srv_work_get(d, "27280-1-000002", NOW, &it), 1);
	assert_int_equal(it.accepted_at, 1763000000);
	assert_int_equal(it.closed_at, 0);
	assert_int_equal(it.overdue, 1);
	srv_db_close(d);
	assert_int_equal(sqlite3_open(path, &old), SQLITE_OK);
	{
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(old, "SELECT on_time FROM request ORDER BY id", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
		sqlite3_finalize(st);
	}
	sqlite3_close(old);
	assert_int_equal(fx_rmtree(dir), 0);
}

/* ---- trust: what the server holds true of a push ---- */

#define YEARS10 (3652LL * 86400)

static int count_flag(const srv_db_flag *fl, void *arg)
{
	(void)fl;
	(*(int *)arg)++;
	return 0;
}

static void stored(fixture *f, const char *id, srv_db_request *r)
{
	assert_int_equal(srv_db_request_find(f->db, id, r), 1);
	srv_db_request_free(r);
}

/* A kiosk clock ten years ahead: the receipt is dated by the server's
 * clock through the offset learnt at this push, the deadline recomputed
 * from the catalog, both flagged; a receipt after the push was sent, or
 * before the kiosk was registered, takes the server's time; a deadline
 * before its receipt is recomputed. */
static void test_clock_trust(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 4, 0);
	srv_sync_result res;
	proto_reply reply;
	srv_db_request r;
	catalog *cat = malloc(sizeof *cat);
	char err[300], day[11];
	int n = 0;
	assert_non_null(cat);
	assert_int_equal(catalog_load("assets/catalog.json", cat, err, sizeof err), 0);
	f->ctx.cat = cat;
	p->clock = NOW + YEARS10;
	p->requests[0].received_at = NOW + YEARS10 - 3600;          /* 2035: ten years ahead */
	snprintf(p->requests[0].deadline, sizeof p->requests[0].deadline, "2035-12-05");
	p->requests[1].received_at = NOW + 2 * YEARS10;             /* after the push was sent */
	p->requests[2].received_at = NOW + YEARS10 - 30 * 86400;    /* before the kiosk was registered */
	p->requests[3].received_at = NOW + YEARS10 - 60;
	snprintf(p->requests[3].deadline, sizeof p->requests[3].deadline, "2025-01-01");  /* before its receipt */
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, 4);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	stored(f, "27280-1-000001", &r);
	assert_int_equal(r.received_at, NOW - 3600);
	assert_int_equal(r.kiosk_received_at, NOW + YEARS10 - 3600);
	assert_true(r.trust & SRV_DB_TRUST_CLOCK);
	assert_true(r.trust & SRV_DB_TRUST_DEADLINE);
	assert_string_equal(r.deadline, "2035-12-05");              /* the kiosk's, kept */
	assert_true(strcmp(r.due, "2025-11-22") > 0 && strcmp(r.due, "2026-01-01") < 0);
	assert_non_null(strstr(r.trust_note, "kiosk clock"));
	{
		work_item it;
		assert_int_equal(srv_work_get(f->db, "27280-1-000001", NOW, &it), 1);
		assert_true(it.trust & SRV_DB_TRUST_CLOCK);
		assert_non_null(strstr(it.trust_note, "kiosk clock"));
	}
	stored(f, "27280-1-000002", &r);
	assert_int_equal(r.received_at, NOW);
	assert_int_equal(r.trust & SRV_DB_TRUST_RECEIVED, SRV_DB_TRUST_RECEIVED);
	assert_non_null(strstr(r.trust_note, "after the push was sent"));
	stored(f, "27280-1-000003", &r);
	assert_int_equal(r.received_at, NOW);
	assert_non_null(strstr(r.trust_note, "before the kiosk was registered"));
	stored(f, "27280-1-000004", &r);
	cal_date_format(vntime_date(r.received_at), day);
	assert_true(strcmp(r.due, day) >= 0);
	assert_true(r.trust & SRV_DB_TRUST_DEADLINE);

	/* The phone page's facts are the server's dates. */
	{
		srv_db_facts facts;
		assert_int_equal(srv_db_lookup(f->db, p->requests[0].token, &facts), 1);
		assert_int_equal(facts.received_at, NOW - 3600);
		assert_true(strcmp(facts.due, "2026-01-01") < 0);
	}
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_DATES, "", 0, 100, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 4);
	n = 0;
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_DATES, "27281", 0, 100, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);

	/* The same requests sent again are the same requests, not conflicts. */
	p->clock = NOW;
	p->cursor = 0;
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(reply.nconflicts, 0);
	assert_int_equal(reply.acked, 4);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);

	/* A clock within the tolerance is taken as it is. */
	free_push(p);
	p = make_push(f, 5, 5, 0);
	assert_int_equal(push(f, p, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	stored(f, "27280-1-000005", &r);
	assert_int_equal(r.received_at, NOW - 3600 + 5);
	assert_int_equal(r.trust, 0);
	free_push(p);
	free(cat);
	f->ctx.cat = NULL;
}

/* Unknown categories and procedures, and pushes over the protocol's
 * limit, are refused whole, naming the request. */
static void test_catalog_and_limits(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 3, 0);
	srv_sync_result res;
	proto_reply reply;
	catalog *cat = malloc(sizeof *cat);
	char err[300];
	assert_non_null(cat);
	assert_int_equal(catalog_load("assets/catalog.json", cat, err, sizeof err), 0);
	f->ctx.cat = cat;
	snprintf(p->requests[1].category, sizeof p->requests[1].category, "lottery");
	assert_int_equal(push(f, p, &res, &reply), 400);
	assert_string_equal(res.error, "bad_payload");
	assert_non_null(strstr(res.message, "request 27280-1-000002"));
	assert_non_null(strstr(res.message, "lottery"));
	srv_sync_result_free(&res);
	snprintf(p->requests[1].category, sizeof p->requests[1].category, "procedure");
	snprintf(p->requests[1].procedure, sizeof p->requests[1].procedure, "moon_landing");
	assert_int_equal(push(f, p, &res, &reply), 400);
	assert_non_null(strstr(res.message, "moon_landing"));
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_count(f->db), 0);
	free_push(p);

	p = make_push(f, 1, PROTO_BATCH + 1, 0);
	assert_int_equal(push(f, p, &res, &reply), 400);
	assert_non_null(strstr(res.message, "at most 500"));
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_count(f->db), 0);
	/* A USB bundle may hold more. */
	f->ctx.max_requests = PROTO_BUNDLE;
	assert_int_equal(push(f, p, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	free_push(p);
	free(cat);
	f->ctx.cat = NULL;
}

static int first_audit(const work_audit *a, void *arg)
{
	*(work_audit *)arg = *a;
	return 1;
}

/* Another commune's registered kiosk claims a victim's receipt code first:
 * the victim's request is still stored, both are held off the phone page
 * and listed for staff, until a supervisor releases the code to its
 * genuine claimant. */
static void test_code_claimed_twice(void **state)
{
	fixture *f = *state;
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES];
	proto_push *victim = make_push(f, 1, 1, 0), *thief = make_push(f, 1, 1, 0);
	srv_sync_result res;
	proto_reply reply;
	srv_db_facts facts;
	char err[300], *env;
	int n = 0;
	crypto_sign_keypair(pk, sk);
	assert_int_equal(srv_db_kiosk_add(f->db, "27281-1", pk, NOW - 86400, err, sizeof err), 0);
	snprintf(thief->kiosk, sizeof thief->kiosk, "27281-1");
	free(thief->requests[0].sealed);
	make_request(f, "27281-1", 1, &thief->requests[0]);
	memcpy(thief->requests[0].token, victim->requests[0].token, sizeof thief->requests[0].token);
	memcpy(thief->requests[0].token_sealed, victim->requests[0].token_sealed, SEAL_CODE_SEALED_BYTES);
	snprintf(thief->requests[0].category, sizeof thief->requests[0].category, "complaint");
	env = seal_push(f, thief, "27281-1", sk);
	assert_int_equal(send_env(f, env, &res, &reply), 200);
	free(env);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_lookup(f->db, victim->requests[0].token, &facts), 1);   /* alone so far */

	assert_int_equal(push(f, victim, &res, &reply), 200);
	assert_int_equal(res.stored, 1);
	assert_int_equal(reply.nconflicts, 0);
	assert_int_equal(reply.acked, 1);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_count(f->db), 2);
	assert_int_equal(srv_db_lookup(f->db, victim->requests[0].token, &facts), SRV_DB_HELD);
	assert_string_equal(facts.category, "");
	assert_int_equal(facts.nevents, 0);
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_HELD, NULL, 0, 10, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_DATES, NULL, 0, 10, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);

	/* A supervisor releases the code to the victim's request, for a reason:
	 * the phone page shows it, the thief's stays flagged, the choice is
	 * audited. Officers, a missing reason and a code not held are refused. */
	assert_int_equal(srv_work_release_code(f->db, victim->requests[0].id, "lan.officer", "officer",
		"the receipt is in the citizen's hand", NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "supervisor"));
	assert_int_equal(srv_work_release_code(f->db, victim->requests[0].id, "minh", "supervisor", "", NOW, err, sizeof err), 1);
	assert_int_equal(srv_work_release_code(f->db, "27280-1-000099", "minh", "supervisor", "x", NOW, err, sizeof err), 1);
	assert_int_equal(srv_db_lookup(f->db, victim->requests[0].token, &facts), SRV_DB_HELD);
	assert_int_equal(srv_work_release_code(f->db, victim->requests[0].id, "minh", "supervisor",
		"biên nhận giấy của công dân khớp với ki-ốt 27280-1", NOW + 5, err, sizeof err), 0);
	assert_int_equal(srv_db_lookup(f->db, victim->requests[0].token, &facts), 1);
	assert_string_equal(facts.category, "petition");
	n = 0;
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_HELD, NULL, 0, 10, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(srv_db_flagged(f->db, SRV_DB_TRUST_NOT_CHOSEN, NULL, 0, 10, count_flag, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	{
		srv_db_request chosen, other;
		assert_int_equal(srv_db_request_find(f->db, victim->requests[0].id, &chosen), 1);
		assert_int_equal(srv_db_request_find(f->db, thief->requests[0].id, &other), 1);
		assert_int_equal(chosen.trust & (SRV_DB_TRUST_HELD | SRV_DB_TRUST_CHOSEN), SRV_DB_TRUST_CHOSEN);
		assert_int_equal(other.trust & (SRV_DB_TRUST_HELD | SRV_DB_TRUST_NOT_CHOSEN), SRV_DB_TRUST_NOT_CHOSEN);
		srv_db_request_free(&chosen);
		srv_db_request_free(&other);
	}
	{
		work_audit a;
		memset(&a, 0, sizeof a);
		assert_int_equal(srv_work_audit_list(f->db, victim->requests[0].id, 1, first_audit, &a, err, sizeof err), 0);
		assert_string_equal(a.action, "release_code");
		assert_string_equal(a.actor, "minh");
		assert_int_equal(a.at, NOW + 5);
		assert_non_null(strstr(a.detail, "biên nhận giấy"));
		assert_non_null(strstr(a.detail, thief->requests[0].id));
	}
	/* Released: nothing more to release, and the phone page stays on it. */
	assert_int_equal(srv_work_release_code(f->db, thief->requests[0].id, "minh", "supervisor", "đổi ý", NOW + 9,
		err, sizeof err), 1);
	assert_int_equal(srv_db_lookup(f->db, victim->requests[0].token, &facts), 1);
	assert_string_equal(facts.category, "petition");
	free_push(victim);
	free_push(thief);
}

/* Bundles taken out of order are not replays; one seen twice is. */
static void test_out_of_order(void **state)
{
	fixture *f = *state;
	proto_push *a = make_push(f, 1, 2, 0), *b = make_push(f, 3, 4, 0);
	srv_sync_result res;
	proto_reply reply;
	char *first = seal_push(f, a, KIOSK, f->sk), *second = seal_push(f, b, KIOSK, f->sk);
	srv_db_kiosk k;
	assert_int_equal(send_env(f, second, &res, &reply), 200);
	assert_int_equal(reply.acked, 0);          /* 1 and 2 not there yet */
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(send_env(f, first, &res, &reply), 200);
	assert_int_equal(reply.acked, 4);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_kiosk_get(f->db, KIOSK, &k), 1);
	assert_int_equal(k.last_n, 2);
	assert_int_equal(send_env(f, first, &res, &reply), 409);
	assert_string_equal(res.error, "replay");
	srv_sync_result_free(&res);
	assert_int_equal(send_env(f, second, &res, &reply), 409);
	srv_sync_result_free(&res);
	/* Far below the window: a replay, seen or not. */
	f->n = SRV_DB_ENVELOPE_WINDOW + 10;
	free(first);
	first = seal_push(f, a, KIOSK, f->sk);
	assert_int_equal(send_env(f, first, &res, &reply), 200);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	f->n = 5;
	free(second);
	second = seal_push(f, b, KIOSK, f->sk);
	assert_int_equal(send_env(f, second, &res, &reply), 409);
	srv_sync_result_free(&res);
	free(first);
	free(second);
	free_push(a);
	free_push(b);
}

/* `show` escapes what it prints. */
static void test_show_escapes(void **state)
{
	char out[64];
	(void)state;
	srv_show_escape("a\x1b[2Jb\rc\\d", out, sizeof out);
	assert_string_equal(out, "a\\x1b[2Jb\\x0dc\\\\d");
	srv_show_escape("Nguyễn\xc2\x9b" "x\xff", out, sizeof out);
	assert_string_equal(out, "Nguyễn\\xc2\\x9bx\\xff");
	srv_show_escape("abcdefgh", out, 5);
	assert_string_equal(out, "abcd");
}

/* A USB answer to 1,100 new requests is two files, both read by a kiosk's
 * import, together carrying every event. */
static void test_usb_answer_files(void **state)
{
	fixture *f = *state;
	const int total = PROTO_EVENTS + 100;
	proto_push *p = make_push(f, 1, total, 0);
	srv_sync_result res;
	proto_reply second;
	envelope e;
	char out[128], path[140], err[300], *text;
	size_t len;
	FILE *in;
	f->ctx.max_requests = PROTO_BUNDLE;
	f->ctx.offline = 1;
	p->n = ++f->n;
	text = proto_encode_push(p);
	{
		char *env = env_sign(KIOSK, text, strlen(text), f->sk);
		free(text);
		assert_int_equal(srv_sync_push(&f->ctx, f->db, env, strlen(env), NOW, &res), 0);
		free(env);
	}
	snprintf(out, sizeof out, "%s/answer.json", f->dir);
	assert_int_equal(srv_bundle_write_answer(f->db, &f->keys, out, res.reply, res.reply_len), 2);
	snprintf(path, sizeof path, "%s/answer-2.json", f->dir);
	assert_non_null(in = fopen(path, "rb"));
	assert_non_null(text = malloc(ENV_MAX_BYTES));
	len = fread(text, 1, ENV_MAX_BYTES, in);
	fclose(in);
	assert_int_equal(env_parse(text, len, &e, err, sizeof err), 0);
	assert_int_equal(env_verify(&e, f->keys.sign_pk), 0);
	assert_int_equal(proto_decode_reply(e.payload, e.payload_len, &second, err, sizeof err), 0);
	env_free(&e);
	free(text);
	assert_int_equal(second.n, p->n);
	assert_int_equal(second.nevents, 100);
	assert_int_equal(second.more, 0);
	assert_int_equal(second.acked, total);
	assert_int_equal(second.events[99].id, second.cursor);
	proto_free_reply(&second);
	srv_sync_result_free(&res);
	unlink(out);
	unlink(path);
	free_push(p);
}


/* Receipt codes come sealed (version 2) and are opened on arrival: the
 * phone page finds each by its code. A box sealed to another key, or one
 * holding something that is not a code, names its request and stores
 * nothing; a version 1 push (codes in clear, from a kiosk not yet
 * upgraded) is still taken. */
static void test_codes_sealed(void **state)
{
	fixture *f = *state;
	proto_push *p = make_push(f, 1, 2, 0), *old;
	srv_sync_result res;
	proto_reply reply;
	srv_db_facts facts;
	seal_server_key other;
	unsigned char other_sk[SEAL_KEY_BYTES];
	char *env;
	/* sealed to a key that is not this server's */
	crypto_box_keypair(other.box_pk, other_sk);
	assert_int_equal(seal_box(&other, p->requests[1].token, TOKEN_LEN, p->requests[1].token_sealed), 0);
	env = seal_push(f, p, KIOSK, f->sk);
	assert_int_equal(send_env(f, env, &res, &reply), 400);
	assert_string_equal(res.error, "bad_payload");
	assert_non_null(strstr(res.message, "27280-1-000002"));
	assert_non_null(strstr(res.message, "not sealed to this server"));
	srv_sync_result_free(&res);
	free(env);
	assert_int_equal(srv_db_count(f->db), 0);
	/* sealed to this server, but not a code */
	{
		seal_server_key pub;
		srv_keys_public(&f->keys, &pub);
		assert_int_equal(seal_box(&pub, "not-a-code!!!", TOKEN_LEN, p->requests[1].token_sealed), 0);
		env = seal_push(f, p, KIOSK, f->sk);
		assert_int_equal(send_env(f, env, &res, &reply), 400);
		assert_non_null(strstr(res.message, "not a canonical code"));
		srv_sync_result_free(&res);
		free(env);
		assert_int_equal(seal_box(&pub, p->requests[1].token, TOKEN_LEN, p->requests[1].token_sealed), 0);
	}
	assert_int_equal(push(f, p, &res, &reply), 200);
	assert_int_equal(res.stored, 2);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_lookup(f->db, p->requests[0].token, &facts), 1);
	assert_int_equal(srv_db_lookup(f->db, p->requests[1].token, &facts), 1);
	/* version 1: the next requests with their codes in clear */
	old = make_push(f, 3, 3, 0);
	old->v = 1;
	old->requests[0].has_token_sealed = 0;
	memset(old->requests[0].token_sealed, 0, SEAL_CODE_SEALED_BYTES);
	assert_int_equal(push(f, old, &res, &reply), 200);
	assert_int_equal(res.stored, 1);
	assert_int_equal(reply.acked, 3);
	proto_free_reply(&reply);
	srv_sync_result_free(&res);
	assert_int_equal(srv_db_lookup(f->db, old->requests[0].token, &facts), 1);
	free_push(old);
	free_push(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_and_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_codes_sealed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_for_kiosks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_in_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_backfill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_trust, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catalog_and_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_claimed_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usb_answer_files, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
