/* Tests of signed envelopes, kiosk keys and the push/reply messages: round
 * trips, every kind of tampering, and a table of malformed payloads, each
 * refused with the offending field named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sodium.h>
#include "fixture.h"
#include "status.h"
#include "envelope.h"
#include "proto.h"
#include "token.h"

static void make_request(proto_request *r, const char *kiosk, long long seq, unsigned char *sealed)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s-%06lld", kiosk, seq);
	r->seq = seq;
	assert_int_equal(token_new(r->token), 0);
	assert_int_equal(seal_box(fx_server_key(NULL), r->token, TOKEN_LEN, r->token_sealed), 0);
	r->has_token_sealed = 1;
	snprintf(r->category, sizeof r->category, "procedure");
	snprintf(r->procedure, sizeof r->procedure, "birth-registration");
	r->received_at = 1763780000 + seq;
	snprintf(r->deadline, sizeof r->deadline, "2026-11-24");
	memset(sealed, (int)seq, 80);
	r->sealed = sealed;
	r->sealed_len = 80;
}

/* A push of version v (0: the current one, codes sealed; 1: codes in
 * clear); the codes into codes when not NULL. */
static char *sample_push_v(int nrequests, int v, char (*codes)[TOKEN_LEN + 1])
{
	static unsigned char sealed[4][80];
	proto_request reqs[4];
	proto_push p;
	int i;
	memset(&p, 0, sizeof p);
	p.v = v;
	snprintf(p.kiosk, sizeof p.kiosk, "27280-1");
	p.n = 42;
	p.clock = 1763780400;
	p.from = 7;
	p.to = 7 + nrequests - 1;
	for (i = 0; i < nrequests; i++) make_request(&reqs[i], "27280-1", 7 + i, sealed[i]);
	p.requests = reqs;
	p.nrequests = nrequests;
	p.cursor = 15;
	for (i = 0; codes && i < nrequests; i++) memcpy(codes[i], reqs[i].token, TOKEN_LEN + 1);
	return proto_encode_push(&p);
}

static char *sample_push(int nrequests)
{
	return sample_push_v(nrequests, 0, NULL);
}

static void test_envelope(void **state)
{
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES], pk2[ENV_PK_BYTES], sk2[ENV_SK_BYTES];
	const char *payload = "{\"type\":\"push\",\"note\":\"Hồ sơ\"}";
	char err[256], *text, *bad;
	envelope e;
	(void)state;
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	text = env_sign("27280-1", payload, strlen(payload), sk);
	assert_non_null(text);
	assert_int_equal(env_parse(text, strlen(text), &e, err, sizeof err), 0);
	assert_string_equal(e.signer, "27280-1");
	assert_string_equal(e.payload, payload);
	assert_int_equal(env_verify(&e, pk), 0);
	assert_int_equal(env_verify(&e, pk2), -1);
	/* the signer is signed too: renaming it breaks the signature */
	snprintf(e.signer, sizeof e.signer, "27280-2");
	assert_int_equal(env_verify(&e, pk), -1);
	env_free(&e);

	/* any changed byte of the payload */
	bad = strdup(text);
	*strstr(bad, "push") = 'q';
	assert_int_equal(env_parse(bad, strlen(bad), &e, err, sizeof err), 0);
	assert_int_equal(env_verify(&e, pk), -1);
	env_free(&e);
	free(bad);

	/* truncated at every length: refused or, never, verified */
	for (size_t cut = 0; cut < strlen(text); cut++) {
		if (env_parse(text, cut, &e, err, sizeof err) == 0) {
			assert_int_equal(env_verify(&e, pk), -1);
			env_free(&e);
		} else {
			assert_true(strlen(err) > 0);
		}
	}
	free(text);

	static const char *const malformed[] = {
		"", "{", "[]", "null", "{\"motcua\":2,\"signer\":\"x\",\"payload\":\"{}\",\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"\",\"payload\":\"{}\",\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"27280-1\",\"payload\":{},\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"27280-1\",\"payload\":\"{}\",\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"27280-1\",\"payload\":\"{}\",\"sig\":17}",
		"{\"motcua\":1,\"signer\":\"27280-1\",\"signer\":\"27280-2\",\"payload\":\"{}\",\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"27280-1\",\"payload\":\"a\\u0000b\",\"sig\":\"AA\"}",
		"{\"motcua\":1,\"signer\":\"\xff\xfe\",\"payload\":\"{}\",\"sig\":\"AA\"}",
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		err[0] = '\0';
		assert_int_equal(env_parse(malformed[i], strlen(malformed[i]), &e, err, sizeof err), -1);
		assert_true(strlen(err) > 0);
		assert_null(e.payload);
	}
}

static void test_kiosk_key(void **state)
{
	char dir[64], path[600], line[ENV_KEY_LINE_MAX], err[256];
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES], pk2[ENV_PK_BYTES], sk2[ENV_SK_BYTES], back[ENV_PK_BYTES];
	struct stat st;
	(void)state;
	fx_tempdir(dir, sizeof dir, "proto");
	assert_int_equal(env_kiosk_key(dir, pk, sk, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/kiosk.key", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(env_kiosk_key(dir, pk2, sk2, err, sizeof err), 0);
	assert_memory_equal(pk, pk2, sizeof pk);
	env_format_kiosk_key(pk, line, sizeof line);
	assert_int_equal(strncmp(line, "mk1.", 4), 0);
	assert_int_equal(env_parse_kiosk_key(line, back, err, sizeof err), 0);
	assert_memory_equal(pk, back, sizeof pk);
	assert_int_equal(env_parse_kiosk_key("mc1.abc", back, err, sizeof err), -1);
	assert_non_null(strstr(err, "mk1."));
	line[10] = '\0';
	assert_int_equal(env_parse_kiosk_key(line, back, err, sizeof err), -1);
	assert_non_null(strstr(err, "damaged"));
	/* a damaged key file is reported, not silently replaced */
	FILE *f = fopen(path, "wb");
	fputs("short", f);
	fclose(f);
	assert_int_equal(env_kiosk_key(dir, pk2, sk2, err, sizeof err), -1);
	assert_non_null(strstr(err, "damaged"));
	assert_int_equal(fx_rmtree(dir), 0);

	assert_true(env_is_kiosk_id("27280-1"));
	assert_true(env_is_kiosk_id("00001-999"));
	static const char *const bad_ids[] = { "", "27280", "27280-", "27280-0", "27280-1000", "2728-1",
		"27280-01", "a7280-1", "27280-1a", "27280_1", "server" };
	for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) assert_false(env_is_kiosk_id(bad_ids[i]));
}

static void test_push_round_trip(void **state)
{
	char *text = sample_push(3), err[256];
	proto_push p;
	(void)state;
	assert_non_null(text);
	assert_int_equal(proto_decode_push(text, strlen(text), &p, err, sizeof err), 0);
	assert_string_equal(p.kiosk, "27280-1");
	assert_int_equal(p.n, 42);
	assert_int_equal(p.from, 7);
	assert_int_equal(p.to, 9);
	assert_int_equal(p.nrequests, 3);
	assert_string_equal(p.requests[2].id, "27280-1-000009");
	assert_int_equal(p.requests[2].sealed_len, 80);
	assert_int_equal(p.requests[2].sealed[79], 9);
	assert_string_equal(p.requests[0].deadline, "2026-11-24");
	assert_int_equal(p.cursor, 15);
	proto_free_push(&p);
	free(text);

	/* Version 2 carries each code sealed to the server, and no code in
	 * clear: the sealed box opens to it. */
	unsigned char box_sk[SEAL_KEY_BYTES];
	char codes[4][TOKEN_LEN + 1], opened[TOKEN_LEN + 1] = "";
	const seal_server_key *key = fx_server_key(box_sk);
	text = sample_push_v(2, 0, codes);
	assert_non_null(strstr(text, "\"v\":2"));
	assert_null(strstr(text, "\"token\""));
	assert_null(strstr(text, codes[0]));
	assert_null(strstr(text, codes[1]));
	assert_int_equal(proto_decode_push(text, strlen(text), &p, err, sizeof err), 0);
	assert_int_equal(p.v, 2);
	assert_true(p.requests[1].has_token_sealed);
	assert_string_equal(p.requests[1].token, "");
	assert_int_equal(seal_open(key->box_pk, box_sk, p.requests[1].token_sealed, SEAL_CODE_SEALED_BYTES, opened), 0);
	assert_memory_equal(opened, codes[1], TOKEN_LEN);
	proto_free_push(&p);
	free(text);

	/* Version 1, as kiosks not yet upgraded send it: the code in clear. */
	text = sample_push_v(2, 1, codes);
	assert_non_null(strstr(text, "\"v\":1"));
	assert_null(strstr(text, "token_sealed"));
	assert_int_equal(proto_decode_push(text, strlen(text), &p, err, sizeof err), 0);
	assert_int_equal(p.v, 1);
	assert_false(p.requests[0].has_token_sealed);
	assert_string_equal(p.requests[0].token, codes[0]);
	proto_free_push(&p);
	free(text);

	/* nothing to send */
	proto_push empty;
	memset(&empty, 0, sizeof empty);
	snprintf(empty.kiosk, sizeof empty.kiosk, "27280-1");
	empty.n = 1;
	empty.from = 1;
	empty.to = 0;
	text = proto_encode_push(&empty);
	assert_int_equal(proto_decode_push(text, strlen(text), &p, err, sizeof err), 0);
	assert_int_equal(p.nrequests, 0);
	proto_free_push(&p);
	free(text);
}

/* The office's queue rows: round trip, absent from older kiosks, and a bad
 * row refused by its path. */
static void test_push_queue(void **state)
{
	proto_push p, back;
	proto_queue_day rows[2] = {
		{ "2026-12-01", "hotich", 1, 12, 1, 3600, 900, 2400 },
		{ "2026-12-02", "datdai", 3, 0, 2, 50, 40, 0 },
	};
	char *text, err[256], *at, buf[4096];
	(void)state;
	memset(&p, 0, sizeof p);
	snprintf(p.kiosk, sizeof p.kiosk, "27280-1");
	p.n = 3;
	p.from = 1;
	p.to = 0;
	p.queue = rows;
	p.nqueue = 2;
	assert_non_null(text = proto_encode_push(&p));
	assert_int_equal(proto_decode_push(text, strlen(text), &back, err, sizeof err), 0);
	assert_int_equal(back.nqueue, 2);
	assert_string_equal(back.queue[0].field, "hotich");
	assert_int_equal(back.queue[0].served, 12);
	assert_int_equal(back.queue[0].wait_max, 900);
	assert_string_equal(back.queue[1].day, "2026-12-02");
	assert_int_equal(back.queue[1].counter, 3);
	proto_free_push(&back);
	at = strstr(text, "\"counter\":3");
	assert_non_null(at);
	snprintf(buf, sizeof buf, "%.*s\"counter\":0%s", (int)(at - text), text, at + strlen("\"counter\":3"));
	assert_int_equal(proto_decode_push(buf, strlen(buf), &back, err, sizeof err), -1);
	assert_non_null(strstr(err, "queue[1].counter"));
	proto_free_push(&back);
	at = strstr(text, "\"day\":\"2026-12-01\"");
	snprintf(buf, sizeof buf, "%.*s\"day\":\"2026-13-01\"%s", (int)(at - text), text, at + strlen("\"day\":\"2026-12-01\""));
	assert_int_equal(proto_decode_push(buf, strlen(buf), &back, err, sizeof err), -1);
	assert_non_null(strstr(err, "queue[0].day"));
	proto_free_push(&back);
	free(text);
	/* an older kiosk sends none */
	p.nqueue = 0;
	p.queue = NULL;
	assert_non_null(text = proto_encode_push(&p));
	assert_null(strstr(text, "queue"));
	assert_int_equal(proto_decode_push(text, strlen(text), &back, err, sizeof err), 0);
	assert_int_equal(back.nqueue, 0);
	proto_free_push(&back);
	free(text);
}

/* Each case replaces the first occurrence of a fragment of a good push and
 * names the field the error must mention. */
static void test_push_refused(void **state)
{
	static const struct { const char *from, *to, *field; } cases[] = {
		{ "\"type\":\"push\"", "\"type\":\"reply\"", "push message" },
		{ "\"v\":2", "\"v\":3", "version" },
		{ "\"v\":2", "\"v\":0", "version" },
		{ "\"token_sealed\":\"", "\"token_sealed\":\"!!", "requests[0].token_sealed" },
		{ "\"token_sealed\":\"", "\"token_sealed\":\"AAAA", "requests[0].token_sealed" },
		{ "\"token_sealed\":", "\"token\":\"7K3M9QX2C4PDU\",\"token_sealed\":", "requests[0].token" },
		{ "\"token_sealed\":", "\"token_sealed_not\":", "requests[0].token_sealed" },
		{ "\"kiosk\":\"27280-1\"", "\"kiosk\":\"27280-x\"", "kiosk" },
		{ "\"n\":42", "\"n\":0", "n" },
		{ "\"n\":42", "\"n\":\"42\"", "n" },
		{ "\"clock\":1763780400", "\"clock\":-5", "clock" },
		{ "\"from\":7", "\"from\":6", "seq" },
		{ "\"to\":9", "\"to\":10", "to" },
		{ "\"id\":\"27280-1-000007\"", "\"id\":\"27281-1-000007\"", "requests[0].id" },
		{ "\"id\":\"27280-1-000007\"", "\"id\":\"27280-1-7\"", "requests[0].id" },
		{ "\"seq\":8", "\"seq\":7", "requests[1]" },
		{ "\"category\":\"procedure\"", "\"category\":\"Thủ tục\"", "requests[0].category" },
		{ "\"category\":\"procedure\"", "\"category\":[]", "requests[0].category" },
		{ "\"deadline\":\"2026-11-24\"", "\"deadline\":\"2026-02-30\"", "requests[0].deadline" },
		{ "\"received_at\":", "\"received_at\":1.5,\"x\":", "requests[0].received_at" },
		{ "\"sealed\":\"", "\"sealed\":\"!!", "requests[0].sealed" },
		{ "\"catalog_sha256\":\"\"", "\"catalog_sha256\":\"abc\"", "catalog_sha256" },
		{ "\"requests\":[", "\"requests\":{\"a\":[", "payload" },
		{ "\"cursor\":15", "\"cursor\":15,\"cursor\":16", "payload" },
		{ "\"procedure\":\"birth-registration\"", "\"procedure\":\"\xc3\x28\"", "payload" },
	};
	char *good = sample_push(3), err[256], buf[8192];
	proto_push p;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *at = strstr(good, cases[i].from);
		assert_non_null(at);
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - good), good, cases[i].to, at + strlen(cases[i].from));
		err[0] = '\0';
		if (proto_decode_push(buf, strlen(buf), &p, err, sizeof err) != -1 || !strstr(err, cases[i].field))
			fail_msg("case %zu (%s): got \"%s\"", i, cases[i].to, err);
		proto_free_push(&p);
	}
	free(good);
	/* version 1: the token must be canonical and carry a good check symbol */
	good = sample_push_v(3, 1, NULL);
	char *tok = strstr(good, "\"token\":\"") + 9;
	tok[12] = tok[12] == '0' ? '1' : '0';
	assert_int_equal(proto_decode_push(good, strlen(good), &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "requests[0].token"));
	proto_free_push(&p);
	free(good);
}

/* A reply's text with one piece replaced, each refused naming its field. */
typedef struct { const char *from, *to, *field; } edit;

static void refused(const char *text, const edit *cases, size_t n)
{
	proto_reply back;
	char err[256], buf[8192];
	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(text, cases[i].from);
		assert_non_null(at);
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - text), text, cases[i].to, at + strlen(cases[i].from));
		err[0] = '\0';
		if (proto_decode_reply(buf, strlen(buf), &back, err, sizeof err) != -1 || !strstr(err, cases[i].field))
			fail_msg("case %zu (%s): got \"%s\"", i, cases[i].to, err);
		proto_free_reply(&back);
	}
}

static void test_reply(void **state)
{
	proto_event events[2];
	char conflicts[1][40] = { "27280-1-000004" };
	proto_reply r, back;
	char *text, err[256];
	(void)state;
	memset(&r, 0, sizeof r);
	memset(events, 0, sizeof events);
	snprintf(r.kiosk, sizeof r.kiosk, "27280-1");
	r.n = 42;
	r.server_time = 1763780401;
	r.acked = 3;
	r.conflicts = conflicts;
	r.nconflicts = 1;
	events[0].id = 16;
	snprintf(events[0].request, sizeof events[0].request, "27280-1-000007");
	snprintf(events[0].status, sizeof events[0].status, "synced");
	events[1].id = 17;
	snprintf(events[1].request, sizeof events[1].request, "27280-1-000003");
	snprintf(events[1].status, sizeof events[1].status, "accepted");
	snprintf(events[1].note, sizeof events[1].note, "Hồ sơ đã được thụ lý.");
	r.events = events;
	r.nevents = 2;
	r.cursor = 17;
	r.holidays = "{\"years\":{}}";
	text = proto_encode_reply(&r);
	assert_non_null(text);
	assert_int_equal(proto_decode_reply(text, strlen(text), &back, err, sizeof err), 0);
	assert_int_equal(back.acked, 3);
	assert_int_equal(back.nevents, 2);
	assert_string_equal(back.events[1].note, "Hồ sơ đã được thụ lý.");
	assert_string_equal(back.conflicts[0], "27280-1-000004");
	assert_null(back.catalog);
	assert_string_equal(back.holidays, "{\"years\":{}}");
	assert_false(back.more);
	proto_free_reply(&back);

	/* events out of order, a foreign request, an unknown status, a cursor behind */
	static const edit cases[] = {
		{ "\"id\":17", "\"id\":16", "events[1].id" },
		{ "\"request\":\"27280-1-000003\"", "\"request\":\"27280-2-000003\"", "events[1].request" },
		{ "\"status\":\"accepted\"", "\"status\":\"done\"", "events[1].status" },
		{ "\"cursor\":17", "\"cursor\":16", "cursor" },
		{ "\"more\":false", "\"more\":0", "more" },
		{ "\"27280-1-000004\"", "\"x\"", "conflicts" },
	};
	refused(text, cases, sizeof cases / sizeof cases[0]);
	free(text);
	assert_true((status_parse("in_progress") >= 0));
	assert_false((status_parse("overdue") >= 0));
}

/* Members added for the officials' work: an event's new deadline, the
 * upcoming conferences and the commune's figures. A reply from a server
 * that does not send them still decodes; a malformed one is named by path. */
static void test_reply_work_members(void **state)
{
	proto_event event;
	proto_conference conf[2];
	proto_reply r, back;
	char *text, err[256];
	(void)state;
	memset(&r, 0, sizeof r);
	memset(&event, 0, sizeof event);
	memset(conf, 0, sizeof conf);
	snprintf(r.kiosk, sizeof r.kiosk, "27280-1");
	r.n = 7;
	r.server_time = 1795402800;
	event.id = 5;
	snprintf(event.request, sizeof event.request, "27280-1-000002");
	snprintf(event.status, sizeof event.status, "accepted");
	snprintf(event.note, sizeof event.note, "Đã thụ lý.");
	snprintf(event.deadline, sizeof event.deadline, "2026-12-23");
	r.events = &event;
	r.nevents = 1;
	r.cursor = 5;
	conf[0].id = 3;
	conf[0].at = 1796266800;
	snprintf(conf[0].place, sizeof conf[0].place, "Hội trường UBND xã");
	snprintf(conf[0].leaders, sizeof conf[0].leaders, "Chủ tịch, Phó Chủ tịch UBND xã");
	snprintf(conf[0].topic, sizeof conf[0].topic, "Đường liên thôn");
	conf[1].id = 4;
	conf[1].at = 1797266800;
	r.conferences = conf;
	r.nconferences = 2;
	r.stats.known = 1;
	r.stats.year = 2026;
	r.stats.resolved = 40;
	r.stats.on_time = -1;
	text = proto_encode_reply(&r);
	assert_non_null(text);
	assert_int_equal(proto_decode_reply(text, strlen(text), &back, err, sizeof err), 0);
	assert_string_equal(back.events[0].deadline, "2026-12-23");
	assert_int_equal(back.nconferences, 2);
	assert_int_equal(back.conferences[0].id, 3);
	assert_int_equal(back.conferences[0].at, 1796266800);
	assert_string_equal(back.conferences[0].leaders, "Chủ tịch, Phó Chủ tịch UBND xã");
	assert_string_equal(back.conferences[1].topic, "");
	assert_true(back.stats.known);
	assert_int_equal(back.stats.year, 2026);
	assert_int_equal(back.stats.resolved, 40);
	assert_int_equal(back.stats.on_time, -1);
	proto_free_reply(&back);

	/* Without them (an older server): no deadline, no conferences, no figures. */
	{
		static const char old[] = "{\"type\":\"reply\",\"v\":1,\"kiosk\":\"27280-1\",\"n\":7,"
			"\"server_time\":1795402800,\"acked\":0,\"conflicts\":[],\"events\":[{\"id\":5,"
			"\"request\":\"27280-1-000002\",\"at\":1,\"status\":\"accepted\",\"note\":\"\"}],"
			"\"cursor\":5,\"more\":false,\"catalog\":null,\"holidays\":null}";
		assert_int_equal(proto_decode_reply(old, strlen(old), &back, err, sizeof err), 0);
		assert_string_equal(back.events[0].deadline, "");
		assert_int_equal(back.nconferences, 0);
		assert_null(back.conferences);
		assert_false(back.stats.known);
		proto_free_reply(&back);
	}
	/* An empty deadline and null figures are fine too. */
	event.deadline[0] = '\0';
	r.stats.known = 0;
	r.nconferences = 0;
	free(text);
	text = proto_encode_reply(&r);
	assert_non_null(strstr(text, "\"stats\":null"));
	assert_int_equal(proto_decode_reply(text, strlen(text), &back, err, sizeof err), 0);
	assert_false(back.stats.known);
	proto_free_reply(&back);
	free(text);

	/* Malformed new members, named by their path. */
	r.stats.known = 1;
	r.nconferences = 2;
	snprintf(event.deadline, sizeof event.deadline, "2026-12-23");
	text = proto_encode_reply(&r);
	static const edit cases[] = {
		{ "\"deadline\":\"2026-12-23\"", "\"deadline\":\"23/12/2026\"", "events[0].deadline" },
		{ "\"deadline\":\"2026-12-23\"", "\"deadline\":20261223", "events[0].deadline" },
		{ "\"id\":4", "\"id\":0", "conferences[1].id" },
		{ "\"id\":4", "\"id\":\"4\"", "conferences[1].id" },
		{ "\"topic\":\"Đường liên thôn\"", "\"topic\":null", "conferences[0].topic" },
		{ "\"conferences\":[", "\"conferences\":7,\"c2\":[", "conferences" },
		{ "\"year\":2026", "\"year\":26", "stats.year" },
		{ "\"resolved\":40", "\"resolved\":-5", "stats.resolved" },
		{ "\"on_time\":-1", "\"on_time\":41", "stats.on_time" },
		{ "\"stats\":{", "\"stats\":\"none\",\"s2\":{", "stats" },
	};
	refused(text, cases, sizeof cases / sizeof cases[0]);
	free(text);
}

/* An event that takes the date away (its conference cancelled, none other
 * announced) carries "undated": true, and only then; a reply without it
 * (an older server) decodes as dated, and an undated event that names a
 * date, or an "undated" that is not true/false, is refused by path. */
static void test_reply_undated(void **state)
{
	proto_event ev[2];
	proto_reply r, back;
	char *text, err[256];
	(void)state;
	memset(&r, 0, sizeof r);
	memset(ev, 0, sizeof ev);
	snprintf(r.kiosk, sizeof r.kiosk, "27280-1");
	r.n = 3;
	r.server_time = 1795402800;
	ev[0].id = 8;
	snprintf(ev[0].request, sizeof ev[0].request, "27280-1-000004");
	snprintf(ev[0].status, sizeof ev[0].status, "synced");
	snprintf(ev[0].deadline, sizeof ev[0].deadline, "2026-12-20");
	ev[1] = ev[0];
	ev[1].id = 9;
	ev[1].deadline[0] = '\0';
	ev[1].undated = 1;
	snprintf(ev[1].note, sizeof ev[1].note, "Hoãn vì mưa bão");
	r.events = ev;
	r.nevents = 2;
	r.cursor = 9;
	text = proto_encode_reply(&r);
	assert_non_null(text);
	/* the dated event says nothing of it; the undated one says true */
	assert_non_null(strstr(text, "\"undated\":true"));
	assert_true(strstr(text, "\"undated\"") > strstr(text, "\"id\":9"));
	assert_null(strstr(text, "\"undated\":false"));
	assert_int_equal(proto_decode_reply(text, strlen(text), &back, err, sizeof err), 0);
	assert_int_equal(back.nevents, 2);
	assert_false(back.events[0].undated);
	assert_true(back.events[1].undated);
	assert_string_equal(back.events[1].deadline, "");
	assert_string_equal(back.events[1].note, "Hoãn vì mưa bão");
	proto_free_reply(&back);
	{
		static const edit cases[] = {
			{ "\"deadline\":\"\",\"undated\":true", "\"deadline\":\"2026-12-21\",\"undated\":true", "events[1].deadline" },
			{ "\"undated\":true", "\"undated\":1", "events[1].undated" },
		};
		refused(text, cases, sizeof cases / sizeof cases[0]);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_kiosk_key),
		cmocka_unit_test(test_push_round_trip),
		cmocka_unit_test(test_push_refused),
		cmocka_unit_test(test_push_queue),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_reply_work_members),
		cmocka_unit_test(test_reply_undated),
	};
	if (sodium_init() < 0) return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
