/* Tests of the counter's steps: in the kiosk's store (dbcounter), where a
 * slip's code is accepted with the provincial dossier number, asked for
 * missing papers or marked as a signed letter received, with every refusal
 * (unknown code, wrong dossier number, accepted or withdrawn already, a
 * number held by another request, two counters at once) changing nothing;
 * in the push, where only what the server can apply travels; and on the
 * server (srv_counter), where the clock then counts from the counter.
 * "Now" is Monday 23 November 2026, 10:00 in Vietnam; Tuesday 24 is Culture
 * Day. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "catalog.h"
#include "db.h"
#include "dbcounter.h"
#include "proto.h"
#include "srv_counter.h"
#include "srv_db.h"
#include "srv_sync.h"
#include "srv_work.h"
#include "token.h"

#define NOW 1795402800LL          /* 2026-11-23 10:00 UTC+7, a Monday */
#define DAY 86400LL
#define DOSSIER "000.00.01.H26-261123-0001"

typedef struct {
	char dir[64];
	db *store;
	db_request req[4];           /* procedure, procedure, complaint, procedure */
} fixture;

static void submit(fixture *f, const char *category, const char *procedure, const char *deadline, db_request *out)
{
	static const unsigned char sealed[64] = { 9 };
	db_submission s = { "27280", 1, category, procedure, (time_t)NOW, deadline, sealed, sizeof sealed };
	char err[300];
	if (db_submit(f->store, &s, out, err, sizeof err) != 0) fail_msg("%s", err);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[300];
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "counter");
	if (db_open(&f->store, f->dir, fx_server_key(NULL), err, sizeof err) != 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	submit(f, "procedure", "marital_status", "2026-11-27", &f->req[0]);
	submit(f, "procedure", "marriage_registration", "2026-11-23", &f->req[1]);
	submit(f, "complaint", "", "2026-12-03", &f->req[2]);
	submit(f, "procedure", "certified_copy", "2026-11-23", &f->req[3]);
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

static int record(fixture *f, const char *code, const char *kind, const char *dossier, int verify,
	const char *text, const char *due, char *err, size_t errlen)
{
	dbcounter_step s = { code, kind, NOW, dossier, verify, text, due };
	err[0] = '\0';
	return dbcounter_record(f->store, &s, NULL, NULL, err, errlen);
}

#define assert_refused(call, words) do { \
	char err_[400]; int rc_ = (call); \
	if (rc_ != 1 || !strstr(err_, (words))) fail_msg("got %d \"%s\", expected a refusal saying \"%s\"", rc_, err_, (words)); \
	} while (0)
#define ERR err_, sizeof err_

static void test_accept(void **state)
{
	fixture *f = *state;
	dbcounter_step s = { f->req[0].token, "accepted", NOW, " 000.00.01.h26-261123-0001 ", 0, NULL, "2026-11-27" };
	db_request r;
	db_event ev[4];
	dbcounter_state cs;
	char err[400];
	/* The code as a person types it: lower case, with a space. */
	char typed[20];
	snprintf(typed, sizeof typed, "%.6s %s", f->req[0].token, f->req[0].token + 6);
	typed[0] = (char)(typed[0] >= 'A' && typed[0] <= 'Z' ? typed[0] + 32 : typed[0]);
	s.code = typed;
	assert_int_equal(dbcounter_record(f->store, &s, &r, NULL, err, sizeof err), 0);
	assert_string_equal(r.id, f->req[0].id);
	assert_string_equal(r.status, "accepted");
	assert_string_equal(r.due, "2026-11-27");
	assert_int_equal(db_events(f->store, r.id, ev, 4), 2);
	assert_string_equal(ev[1].status, "accepted");
	assert_string_equal(ev[1].deadline, "2026-11-27");
	assert_int_equal(dbcounter_state_of(f->store, r.id, &cs, err, sizeof err), 0);
	assert_int_equal(cs.accepted, 1);
	assert_string_equal(cs.dossier, DOSSIER);       /* kept in capitals, trimmed */
	assert_int_equal(cs.accepted_at, NOW);
	/* Again: told when and with which number; nothing changes. */
	assert_refused(record(f, f->req[0].token, "accepted", "000.00.01.H26-261123-0009", 0, NULL, "2026-11-30", ERR),
		"accepted at the counter already, on 2026-11-23, with dossier number " DOSSIER);
	assert_refused(record(f, f->req[0].token, "supplement", NULL, 0, "Bản sao giấy khai sinh", "2026-12-08", ERR),
		"accepted at the counter already");
	assert_int_equal(db_events(f->store, r.id, ev, 4), 2);
	/* The same number for another request: refused, naming the holder. */
	assert_refused(record(f, f->req[1].token, "accepted", DOSSIER, 0, NULL, "2026-11-23", ERR),
		"dossier number " DOSSIER " is recorded already for another request");
	assert_int_equal(dbcounter_pending(f->store), 1);
}

static void test_bad_input(void **state)
{
	fixture *f = *state;
	db_request r;
	db_event ev[4];
	assert_refused(record(f, f->req[1].token, "accepted", "HS-2026-0012", 0, NULL, "2026-11-23", ERR),
		"\"HS-2026-0012\" is not a dossier number: expected the form 000.00.01.H26-260930-0012");
	assert_refused(record(f, f->req[1].token, "accepted", "", 0, NULL, "2026-11-23", ERR),
		"the dossier number (mã số hồ sơ) is missing");
	assert_refused(record(f, "ABCDEFGHJKMNP", "accepted", DOSSIER, 0, NULL, "2026-11-23", ERR),
		"is not a receipt code");
	assert_refused(record(f, "0000000000000", "accepted", DOSSIER, 0, NULL, "2026-11-23", ERR),
		"no request with code 0000000000000 was filed at this kiosk");
	assert_refused(record(f, f->req[1].token, "signed", NULL, 0, NULL, "2026-11-23", ERR), "unknown counter step");
	assert_refused(record(f, f->req[1].token, "supplement", NULL, 0, "  ", "2026-12-08", ERR),
		"the list of missing papers is required");
	assert_refused(record(f, f->req[1].token, "letter", DOSSIER, 0, NULL, "2026-12-03", ERR),
		"only an acceptance has a dossier number");
	assert_refused(record(f, f->req[1].token, "accepted", DOSSIER, 0, NULL, "soon", ERR), "not YYYY-MM-DD");
	/* None of it left a trace. */
	assert_int_equal(db_find_token(f->store, f->req[1].token, &r), 1);
	assert_string_equal(r.status, "received");
	assert_int_equal(db_events(f->store, r.id, ev, 4), 1);
	assert_int_equal(dbcounter_pending(f->store), 0);
}

static void test_supplement_letter_withdrawn(void **state)
{
	fixture *f = *state;
	proto_reply reply;
	proto_event e;
	db_request r;
	char err[400];
	/* Missing papers asked once; then the complete dossier accepted. */
	assert_int_equal(record(f, f->req[1].token, "supplement", NULL, 0, "Giấy xác nhận tình trạng hôn nhân", "2026-12-08",
		err, sizeof err), 0);
	assert_int_equal(db_find_token(f->store, f->req[1].token, &r), 1);
	assert_string_equal(r.status, "supplement");
	assert_refused(record(f, f->req[1].token, "supplement", NULL, 0, "Thêm", "2026-12-08", ERR),
		"the law allows asking once");
	assert_int_equal(record(f, f->req[1].token, "accepted", DOSSIER, 1, NULL, "2026-12-01", err, sizeof err), 0);
	/* A procedure has no letter; a complaint has no dossier to accept. */
	/* The complaint's signed letter, once. */
	assert_int_equal(record(f, f->req[2].token, "letter", NULL, 0, NULL, "2026-12-03", err, sizeof err), 0);
	assert_int_equal(db_find_token(f->store, f->req[2].token, &r), 1);
	assert_string_equal(r.status, "received");
	assert_string_equal(r.due, "2026-12-03");
	assert_refused(record(f, f->req[2].token, "letter", NULL, 0, NULL, "2026-12-03", ERR),
		"the signed letter was marked received already, on 2026-11-23");
	/* Withdrawn upstream: the counter is told, nothing changes. */
	memset(&reply, 0, sizeof reply);
	memset(&e, 0, sizeof e);
	snprintf(reply.kiosk, sizeof reply.kiosk, "27280-1");
	reply.n = 1;
	reply.server_time = NOW;
	e.id = 1;
	snprintf(e.request, sizeof e.request, "%s", f->req[3].id);
	e.at = NOW;
	snprintf(e.status, sizeof e.status, "withdrawn");
	reply.events = &e;
	reply.nevents = 1;
	reply.cursor = 1;
	reply.counter_acked = -1;
	assert_int_equal(db_apply_reply(f->store, &reply, 0, 0, NULL, err, sizeof err), 0);
	assert_refused(record(f, f->req[3].token, "accepted", "000.00.01.H26-261123-0003", 0, NULL, "2026-11-23", ERR),
		"this request is withdrawn already: nothing was changed");
	assert_int_equal(dbcounter_pending(f->store), 3);
}

/* The push carries the steps in order, only as far as the requests it
 * carries or the server holds; the server's mark clears them. */
static void test_outbox(void **state)
{
	fixture *f = *state;
	proto_counter *c;
	proto_reply reply;
	char err[400];
	int n;
	assert_int_equal(record(f, f->req[3].token, "accepted", "000.00.01.H26-261123-0004", 0, NULL, "2026-11-23",
		err, sizeof err), 0);
	assert_int_equal(record(f, f->req[0].token, "accepted", DOSSIER, 0, NULL, "2026-11-27", err, sizeof err), 0);
	/* Request 4's step comes first: a push carrying requests 1..3 stops before it. */
	assert_int_equal(dbcounter_outbox(f->store, 3, 0, &c, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_null(c);
	assert_int_equal(dbcounter_outbox(f->store, 4, 0, &c, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].id, 1);
	assert_string_equal(c[0].request, f->req[3].id);
	assert_string_equal(c[1].dossier, DOSSIER);
	assert_string_equal(c[1].kind, "accepted");
	free(c);
	assert_int_equal(dbcounter_outbox(f->store, 4, 1, &c, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	free(c);
	/* The server applied the first. */
	memset(&reply, 0, sizeof reply);
	snprintf(reply.kiosk, sizeof reply.kiosk, "27280-1");
	reply.n = 1;
	reply.server_time = NOW;
	reply.counter_acked = 1;
	assert_int_equal(db_apply_reply(f->store, &reply, 0, 0, NULL, err, sizeof err), 0);
	assert_int_equal(dbcounter_pending(f->store), 1);
	assert_int_equal(dbcounter_outbox(f->store, 4, 0, &c, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].id, 2);
	free(c);
	/* A mark never goes down. */
	reply.counter_acked = 0;
	assert_int_equal(db_apply_reply(f->store, &reply, 0, 0, NULL, err, sizeof err), 0);
	assert_int_equal(dbcounter_pending(f->store), 1);
}

/* Two counters scan the same slip at the same moment: one wins, the other
 * is told what the first did. */
typedef struct {
	const char *dir, *code, *dossier;
	pthread_barrier_t *go;
	int rc;
	char err[400];
	dbcounter_refusal why;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	dbcounter_step s = { r->code, "accepted", NOW, r->dossier, 0, NULL, "2026-11-27" };
	db *d;
	if (db_open(&d, r->dir, fx_server_key(NULL), r->err, sizeof r->err) != 0) { r->rc = -9; return NULL; }
	pthread_barrier_wait(r->go);
	r->rc = dbcounter_record(d, &s, NULL, &r->why, r->err, sizeof r->err);
	db_close(d);
	return NULL;
}

static void test_two_counters(void **state)
{
	fixture *f = *state;
	pthread_barrier_t go;
	pthread_t t[2];
	racer r[2] = {
		{ f->dir, f->req[0].token, "000.00.01.H26-261123-0101", &go, 0, "", { 0, "", "" } },
		{ f->dir, f->req[0].token, "000.00.01.H26-261123-0102", &go, 0, "", { 0, "", "" } },
	};
	dbcounter_state cs;
	char err[400];
	int i, won;
	for (int round = 0; round < 5; round++) {
		pthread_barrier_init(&go, NULL, 2);
		for (i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
		for (i = 0; i < 2; i++) pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		if (round == 0) {
			assert_true((r[0].rc == 0 && r[1].rc == 1) || (r[0].rc == 1 && r[1].rc == 0));
			won = r[0].rc == 0 ? 0 : 1;
			if (!strstr(r[1 - won].err, "accepted at the counter already"))
				fail_msg("the second counter was told \"%s\"", r[1 - won].err);
			/* And the page can say it in the officer's language. */
			assert_int_equal(r[1 - won].why.why, DBCOUNTER_ACCEPTED);
			assert_string_equal(r[1 - won].why.detail, r[won].dossier);
			assert_int_equal(dbcounter_state_of(f->store, f->req[0].id, &cs, err, sizeof err), 0);
			assert_string_equal(cs.dossier, r[won].dossier);
		} else {
			/* Later rounds: both refused, the first number kept. */
			assert_int_equal(r[0].rc, 1);
			assert_int_equal(r[1].rc, 1);
		}
	}
	assert_int_equal(dbcounter_pending(f->store), 1);
}

/* The push's JSON: the steps and the server's mark, strict on the way in. */
static void test_proto(void **state)
{
	proto_push p, back;
	proto_counter c[2];
	char err[300], *text;
	(void)state;
	memset(&p, 0, sizeof p);
	memset(c, 0, sizeof c);
	snprintf(p.kiosk, sizeof p.kiosk, "27280-1");
	p.n = 3;
	p.clock = NOW;
	p.from = 1;
	p.to = 0;
	c[0].id = 4;
	snprintf(c[0].request, sizeof c[0].request, "27280-1-000002");
	snprintf(c[0].kind, sizeof c[0].kind, "accepted");
	c[0].at = NOW;
	snprintf(c[0].dossier, sizeof c[0].dossier, DOSSIER);
	c[0].verify = 1;
	c[1] = c[0];
	c[1].id = 5;
	snprintf(c[1].kind, sizeof c[1].kind, "supplement");
	c[1].dossier[0] = '\0';
	c[1].verify = 0;
	snprintf(c[1].text, sizeof c[1].text, "Bản sao giấy khai sinh");
	p.counter = c;
	p.ncounter = 2;
	text = proto_encode_push(&p);
	assert_non_null(text);
	assert_int_equal(proto_decode_push(text, strlen(text), &back, err, sizeof err), 0);
	assert_int_equal(back.ncounter, 2);
	assert_string_equal(back.counter[0].dossier, DOSSIER);
	assert_int_equal(back.counter[0].verify, 1);
	assert_string_equal(back.counter[1].text, "Bản sao giấy khai sinh");
	proto_free_push(&back);
	free(text);
	/* Each fault named. */
	static const struct { const char *from, *to, *says; } bad[] = {
		{ "\"id\":5", "\"id\":4", "counter[1].id: out of range" },
		{ "27280-1-000002\",\"kind\":\"supplement", "27281-1-000002\",\"kind\":\"supplement",
			"counter[1].request: not a request id of this kiosk" },
		{ DOSSIER, "000.00.01.H26-261123-01", "counter[0].dossier: not a dossier number like" },
		{ "\"kind\":\"supplement\"", "\"kind\":\"signed\"", "counter[1].kind: not accepted, supplement or letter" },
		{ "Bản sao giấy khai sinh", "", "counter[1].text: a supplement lists what is missing" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *t = proto_encode_push(&p), *at, edited[4096];
		assert_non_null(t);
		at = strstr(t, bad[i].from);
		if (!at) fail_msg("case %zu: \"%s\" not in %s", i, bad[i].from, t);
		snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - t), t, bad[i].to, at + strlen(bad[i].from));
		if (proto_decode_push(edited, strlen(edited), &back, err, sizeof err) != -1 || !strstr(err, bad[i].says))
			fail_msg("case %zu: got \"%s\"", i, err);
		proto_free_push(&back);
		free(t);
	}
}

/* ---- on the server ---- */

typedef struct {
	char dir[64];
	srv_db *db;
	catalog cat;
	cal *calendar;
	long long seq;
} server;

static int server_setup(void **state)
{
	server *s = calloc(1, sizeof *s);
	unsigned char key[ENV_PK_BYTES] = { 1 };
	char err[300];
	if (!s) return -1;
	fx_tempdir(s->dir, sizeof s->dir, "counter-srv");
	if (!(s->db = fx_srv_open(s->dir)) || srv_db_kiosk_add(s->db, "27280-1", key, NOW - 100 * DAY, err, sizeof err) != 0 ||
	    catalog_load("assets/catalog.json", &s->cat, err, sizeof err) != 0 ||
	    !(s->calendar = cal_load("assets/holidays.json", err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	*state = s;
	return 0;
}

static int server_teardown(void **state)
{
	server *s = *state;
	srv_db_close(s->db);
	cal_free(s->calendar);
	if (fx_rmtree(s->dir) != 0) return -1;
	free(s);
	return 0;
}

static void push_request(server *s, const char *category, const char *procedure, const char *deadline, char id[40])
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
	snprintf(p.kiosk, sizeof p.kiosk, "27280-1");
	p.n = ++s->seq;
	p.clock = NOW - 5 * DAY;
	r.seq = p.from = p.to = s->seq;
	snprintf(r.id, sizeof r.id, "27280-1-%06lld", r.seq);
	assert_int_equal(token_new(r.token), 0);
	snprintf(r.category, sizeof r.category, "%s", category);
	snprintf(r.procedure, sizeof r.procedure, "%s", procedure);
	r.received_at = NOW - 5 * DAY;
	snprintf(r.deadline, sizeof r.deadline, "%s", deadline);
	r.sealed = sealed;
	r.sealed_len = sizeof sealed;
	p.requests = &r;
	p.nrequests = 1;
	p.cursor = 1LL << 40;
	assert_int_equal(srv_sync_store(s->db, NULL, &p, NULL, NOW - 5 * DAY, &reply, &res, err, sizeof err), 0);
	srv_db_push_result_free(&res);
	proto_free_reply(&reply);
	memcpy(id, r.id, 40);
}

static proto_counter step(const char *id, const char *kind, const char *dossier, int verify, const char *text)
{
	proto_counter c;
	memset(&c, 0, sizeof c);
	snprintf(c.request, sizeof c.request, "%s", id);
	snprintf(c.kind, sizeof c.kind, "%s", kind);
	snprintf(c.dossier, sizeof c.dossier, "%s", dossier);
	c.verify = verify;
	snprintf(c.text, sizeof c.text, "%s", text);
	return c;
}

static void test_server_counts_from_counter(void **state)
{
	server *s = *state;
	char proc[40], marriage[40], complaint[40], err[300];
	proto_counter c;
	work_item it;
	/* Filed at the kiosk on Wednesday 18 November; the kiosk's slip
	 * reckoned from then. */
	push_request(s, "procedure", "marital_status", "2026-11-23", proc);
	push_request(s, "procedure", "marriage_registration", "2026-11-18", marriage);
	push_request(s, "complaint", "", "2026-11-27", complaint);
	/* Accepted at the counter Monday 23, 10:00: three working days from
	 * then, Culture Day skipped, not from the kiosk. */
	c = step(proc, "accepted", DOSSIER, 0, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW + 3600, err, sizeof err), 0);
	assert_int_equal(srv_work_get(s->db, proc, NOW + 3600, &it), 1);
	assert_string_equal(it.status, "accepted");
	assert_string_equal(it.due, "2026-11-27");
	assert_int_equal(it.accepted_at, NOW);
	/* Again (a push sent twice): refused, nothing changed. */
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW + 60, NOW + 3600, err, sizeof err), 1);
	assert_non_null(strstr(err, "accepted already"));
	/* Marriage with verification: five working days, Tuesday 1 December. */
	c = step(marriage, "accepted", "000.00.01.H26-261123-0002", 1, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 0);
	assert_int_equal(srv_work_get(s->db, marriage, NOW, &it), 1);
	assert_string_equal(it.due, "2026-12-01");
	/* A complaint's signed letter Monday 23: seven working days to accept,
	 * Thursday 3 December; no dossier to accept for it. */
	c = step(complaint, "accepted", "000.00.01.H26-261123-0003", 0, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "no dossier for the counter to accept"));
	c = step(complaint, "letter", "", 0, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 0);
	assert_int_equal(srv_work_get(s->db, complaint, NOW, &it), 1);
	assert_string_equal(it.due, "2026-12-03");
	assert_int_equal(it.accepted_at, 0);
	/* The officials' acceptance then counts the time to resolve. */
	{
		work_step w = { WORK_ACCEPT, "Đã thụ lý.", NULL, WORK_NORMAL, NULL, "officer1", NULL };
		assert_int_equal(srv_work_act(s->db, &s->cat, s->calendar, complaint, &w, NOW + DAY, err, sizeof err), 0);
		assert_int_equal(srv_work_get(s->db, complaint, NOW + DAY, &it), 1);
		assert_string_equal(it.due, "2026-12-24");   /* 30 days from Tuesday 24 November */
	}
}

static void test_server_supplement(void **state)
{
	server *s = *state;
	char proc[40], err[300];
	proto_counter c;
	work_item it;
	push_request(s, "procedure", "marital_status", "2026-11-23", proc);
	c = step(proc, "supplement", "", 0, "Bản sao giấy khai sinh");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 0);
	assert_int_equal(srv_work_get(s->db, proc, NOW, &it), 1);
	assert_string_equal(it.status, "supplement");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "asked for already"));
	/* Complete on Wednesday 25: from zero, Monday 30 November. */
	c = step(proc, "accepted", DOSSIER, 0, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW + 2 * DAY, NOW + 2 * DAY,
		err, sizeof err), 0);
	assert_int_equal(srv_work_get(s->db, proc, NOW + 2 * DAY, &it), 1);
	assert_string_equal(it.due, "2026-11-30");
	/* An unknown request: refused. */
	c = step("27280-1-000099", "accepted", DOSSIER, 0, "");
	assert_int_equal(srv_counter_apply(s->db, &s->cat, s->calendar, "27280-1", &c, NOW, NOW, err, sizeof err), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supplement_letter_withdrawn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_counters, setup, teardown),
		cmocka_unit_test(test_proto),
		cmocka_unit_test_setup_teardown(test_server_counts_from_counter, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_supplement, server_setup, server_teardown),
	};
	return cmocka_run_group_tests_name("counter", tests, NULL, NULL);
}
