/* Tests of the PostgreSQL backend itself, against the throwaway cluster
 * tests/run.py starts (MOTCUA_TEST_PG): the two backends' schemas have the
 * same tables and columns; every upgrade from the version before keeps
 * what the store held; a database newer than the program is refused; the
 * replica's reading connection cannot write and never migrates; two
 * processes' worth of connections migrating one new database at once run
 * each step once; a push of 500 requests is one transaction of a handful
 * of statements; and events of one kiosk written from several connections
 * at once reach a kiosk pulling after its cursor, none stepped over. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "srv_db.h"
#include "srv_pg.h"
#include "srv_work.h"

#define KIOSK "27280-1"
#define NOW 1763780400LL

static PGconn *connect_to(const char *url)
{
	PGconn *c = PQconnectdb(url);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

static void exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

static long long pg_scalar(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long long v;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) fail_msg("%s: %s", sql, PQerrorMessage(c));
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* ---- the schemas agree ---- */

static void add_column(char *list, size_t len, const char *table, const char *column)
{
	size_t n = strlen(list);
	snprintf(list + n, len - n, "%s.%s\n", table, column);
}

static void test_schemas_agree(void **state)
{
	char sdir[64], pdir[64], lite[8192] = "", pg[8192] = "";
	srv_db *a, *b;
	sqlite3 *sql;
	sqlite3_stmt *st;
	PGconn *c;
	PGresult *r;
	int i;
	(void)state;
	fx_tempdir(sdir, sizeof sdir, "pgs");
	fx_tempdir(pdir, sizeof pdir, "pgp");
	/* SQLite's, made in a folder whatever the run's backend is. */
	{
		char err[300];
		assert_int_equal(srv_db_open(&a, sdir, 1, err, sizeof err), 0);
	}
	b = fx_srv_open(pdir);
	sql = fx_srv_file(sdir);
	assert_int_equal(sqlite3_prepare_v2(sql, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
		" WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		add_column(lite, sizeof lite, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(sql);
	c = connect_to(fx_srv_where(pdir));
	r = PQexec(c, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
		" AND table_name <> 'motcua_schema' ORDER BY table_name::text COLLATE \"C\", column_name::text COLLATE \"C\"");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++) add_column(pg, sizeof pg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	assert_true(strlen(lite) > 500);
	assert_non_null(strstr(lite, "request.trust_note\n"));
	assert_string_equal(pg, lite);
	/* Flags are booleans (revoked, on_time, remote, disabled, sms_ok) and texts
	 * compare as bytes, as in SQLite. */
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema ="
		" current_schema() AND data_type = 'boolean'"), 5);
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema ="
		" current_schema() AND data_type = 'text' AND table_name <> 'motcua_schema'"
		" AND coalesce(collation_name, '') <> 'C'"), 0);
	PQfinish(c);
	srv_db_close(a);
	srv_db_close(b);
	fx_rmtree(sdir);
	fx_rmtree(pdir);
}

/* ---- every upgrade ---- */

/* What a version-1 store holds, as the SQLite backfill test has it. */
static const char v1_rows[] =
	"INSERT INTO kiosk(id, key, added_at, last_n) VALUES('27280-1', '\\x00', 1, 7);"
	"INSERT INTO request VALUES('27280-1-000001', '27280-1', 1, 'AAAAAAAAAAAAA', 'petition', '', 1, 1,"
	" '2025-11-24', 'resolved', 1763780400, '\\x00');"
	"INSERT INTO request VALUES('27280-1-000002', '27280-1', 2, 'BBBBBBBBBBBBB', 'petition', '', 1, 1,"
	" '2025-11-20', 'accepted', 1763780400, '\\x00');"
	"INSERT INTO event(request_id, kiosk, at, status) VALUES('27280-1-000002', '27280-1', 1763000000, 'accepted');";

/* A database at version `at`, with v1's rows and (from 3) a failed login,
 * opened by the store: everything kept and filled in. */
static void upgrade_from(int at)
{
	char dir[64], err[300];
	const char *url;
	PGconn *c;
	srv_db *d;
	work_item it;
	srv_db_kiosk k;
	long long count, last;
	int v;
	fx_tempdir(dir, sizeof dir, "pgup");
	url = fx_srv_where(dir);
	c = connect_to(url);
	exec_ok(c, "CREATE TABLE motcua_schema(version integer NOT NULL); INSERT INTO motcua_schema VALUES(0)");
	for (v = 1; v <= at; v++) {
		exec_ok(c, srv_pg_migration_text(v));
		if (v == 1) exec_ok(c, v1_rows);
		if (v == 3) exec_ok(c, "INSERT INTO staff_user(name, role, hash, created_at) VALUES('minh', 'supervisor', 'h', 1);"
			"INSERT INTO staff_login_failure(name, count, last_at) VALUES('minh', 4, 1763780000)");
	}
	{
		char sql[64];
		snprintf(sql, sizeof sql, "UPDATE motcua_schema SET version = %d", at);
		exec_ok(c, sql);
	}
	assert_int_equal(srv_db_open(&d, url, 0, err, sizeof err), 0);
	assert_int_equal(pg_scalar(c, "SELECT version FROM motcua_schema"), srv_pg_migration_count());
	assert_int_equal(srv_db_kiosk_get(d, "27280-1", &k), 1);
	assert_int_equal(k.last_n, 7);
	assert_int_equal(srv_work_get(d, "27280-1-000001", NOW, &it), 1);
	assert_string_equal(it.commune, "27280");
	if (at < 2) {
		/* Step 2 filled in the officials' columns from what was there. */
		assert_string_equal(it.due, "2025-11-24");
		assert_int_equal(it.closed_at, 1763780400);
		assert_int_equal(pg_scalar(c, "SELECT on_time::int FROM request WHERE id = '27280-1-000001'"), 1);
		assert_int_equal(srv_work_get(d, "27280-1-000002", NOW, &it), 1);
		assert_int_equal(it.accepted_at, 1763000000);
		assert_int_equal(it.overdue, 1);
	}
	if (at >= 3 && at < 4) {
		/* Step 4 kept the failures, now of no particular origin. */
		assert_int_equal(srv_be_failures(d, "minh", "", &count, &last), 1);
		assert_int_equal(count, 4);
		assert_int_equal(last, 1763780000);
	}
	/* Step 5: the codes no longer unique, the kiosk's receipt time kept. */
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM request WHERE kiosk_received_at = received_at"), 2);
	exec_ok(c, "INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
		" deadline, status, updated_at, sealed) VALUES('27280-1-000003', '27280-1', 3, 'AAAAAAAAAAAAA', 'petition',"
		" '', 1, 1, '2025-11-24', 'synced', 1, '\\x00')");
	srv_db_close(d);
	PQfinish(c);
	fx_rmtree(dir);
}

static void test_upgrades(void **state)
{
	int at;
	(void)state;
	for (at = 1; at < srv_pg_migration_count(); at++) upgrade_from(at);
}

static void test_newer_refused(void **state)
{
	char dir[64], err[300];
	srv_db *d;
	PGconn *c;
	(void)state;
	fx_tempdir(dir, sizeof dir, "pgnew");
	srv_db_close(fx_srv_open(dir));
	c = connect_to(fx_srv_where(dir));
	exec_ok(c, "UPDATE motcua_schema SET version = version + 1");
	assert_int_equal(srv_db_open(&d, fx_srv_where(dir), 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "newer"));
	/* and nothing was changed by the refusal */
	assert_int_equal(pg_scalar(c, "SELECT version FROM motcua_schema"), srv_pg_migration_count() + 1);
	PQfinish(c);
	fx_rmtree(dir);
}

/* ---- the replica's connection (serve --db-read) ---- */

/* Opened on a writable primary, the reading connection still refuses to
 * write (its session is read-only), reads what the store holds, and never
 * migrates: a database behind this program's schema is refused, untouched. */
static void test_read_only(void **state)
{
	char dir[64], err[300];
	srv_db *d, *r;
	srv_db_facts facts;
	unsigned char key[ENV_PK_BYTES] = { 1 };
	PGconn *c;
	(void)state;
	fx_tempdir(dir, sizeof dir, "pgread");
	d = fx_srv_open(dir);
	assert_int_equal(srv_db_kiosk_add(d, KIOSK, key, NOW, err, sizeof err), 0);
	assert_int_equal(srv_db_open_read(&r, fx_srv_where(dir), err, sizeof err), 0);
	assert_int_equal(srv_db_kiosk_add(r, "27280-2", key, NOW, err, sizeof err), -1);
	assert_non_null(strstr(err, "read-only"));
	assert_int_equal(srv_db_lookup(r, "ABCDEFGHJKMNP", &facts), 0);   /* it reads */
	srv_db_close(r);
	c = connect_to(fx_srv_where(dir));
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM kiosk"), 1);
	exec_ok(c, "UPDATE motcua_schema SET version = version - 1");
	assert_int_equal(srv_db_open_read(&r, fx_srv_where(dir), err, sizeof err), -1);
	assert_non_null(strstr(err, "schema version"));
	assert_int_equal(pg_scalar(c, "SELECT version FROM motcua_schema"), srv_pg_migration_count() - 1);
	assert_int_equal(srv_db_open_read(&r, "/tmp/not-a-url", err, sizeof err), -1);
	assert_null(r);
	PQfinish(c);
	srv_db_close(d);
	fx_rmtree(dir);
}

/* ---- opening at once ---- */

typedef struct {
	const char *url;
	int rc;
	pthread_barrier_t *go;
} opener;

static void *open_one(void *arg)
{
	opener *o = arg;
	char err[300];
	srv_db *d;
	pthread_barrier_wait(o->go);
	o->rc = srv_db_open(&d, o->url, 0, err, sizeof err);
	if (o->rc == 0) srv_db_close(d);
	else fprintf(stderr, "# %s\n", err);
	return NULL;
}

static void test_migrate_at_once(void **state)
{
	char dir[64];
	pthread_t th[6];
	opener o[6];
	pthread_barrier_t go;
	PGconn *c;
	int i;
	(void)state;
	fx_tempdir(dir, sizeof dir, "pgrace");
	pthread_barrier_init(&go, NULL, 6);
	for (i = 0; i < 6; i++) {
		o[i].url = fx_srv_where(dir);
		o[i].go = &go;
		assert_int_equal(pthread_create(&th[i], NULL, open_one, &o[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(o[i].rc, 0);
	}
	pthread_barrier_destroy(&go);
	c = connect_to(fx_srv_where(dir));
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM motcua_schema"), 1);
	assert_int_equal(pg_scalar(c, "SELECT version FROM motcua_schema"), srv_pg_migration_count());
	PQfinish(c);
	fx_rmtree(dir);
}

/* ---- pushes and events ---- */

/* A push of requests from..to of kiosk, envelope n. */
static proto_push *push_of(const char *kiosk, long long n, long long from, long long to)
{
	proto_push *p = calloc(1, sizeof *p);
	long long s;
	assert_non_null(p);
	snprintf(p->kiosk, sizeof p->kiosk, "%s", kiosk);
	p->n = n;
	p->clock = NOW;
	p->from = from;
	p->to = to;
	p->requests = calloc((size_t)(to - from + 1), sizeof *p->requests);
	assert_non_null(p->requests);
	for (s = from; s <= to; s++) {
		proto_request *r = &p->requests[p->nrequests++];
		snprintf(r->id, sizeof r->id, "%s-%06lld", kiosk, s);
		r->seq = s;
		snprintf(r->token, sizeof r->token, "%c%012lld", 'A' + (int)(kiosk[6] - '0'), s);
		snprintf(r->category, sizeof r->category, "%s", s % 7 == 0 ? "dialogue" : "petition");
		r->received_at = NOW - 3600 + s;
		snprintf(r->deadline, sizeof r->deadline, "2025-12-20");
		r->sealed_len = 48;
		r->sealed = malloc(r->sealed_len);
		assert_non_null(r->sealed);
		memset(r->sealed, (int)(s & 0xff), r->sealed_len);
	}
	return p;
}

static void free_push(proto_push *p)
{
	proto_free_push(p);
	free(p);
}

#define STATEMENTS_RUN "SELECT coalesce(sum(calls), 0) FROM public.pg_stat_statements" \
	" WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"

static void test_push_set_based(void **state)
{
	char dir[64], err[300];
	unsigned char key[ENV_PK_BYTES] = { 7 };
	srv_db *d;
	srv_db_push_result res;
	proto_push *p = push_of(KIOSK, 1, 1, 500), *again;
	PGconn *c;
	long long before, calls;
	(void)state;
	fx_tempdir(dir, sizeof dir, "pgpush");
	d = fx_srv_open(dir);
	c = connect_to(fx_srv_where(dir));
	assert_int_equal(srv_db_kiosk_add(d, KIOSK, key, NOW, err, sizeof err), 0);
	/* The statements the database ran, counted by pg_stat_statements
	 * (loaded by the test cluster), before and after the push. */
	exec_ok(c, "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
	before = pg_scalar(c, STATEMENTS_RUN);
	assert_int_equal(srv_db_store_push(d, p, NULL, NOW, &res, err, sizeof err), 0);
	assert_int_equal(res.stored, 500);
	assert_int_equal(res.acked, 500);
	assert_int_equal(res.nconflicts, 0);
	srv_db_push_result_free(&res);
	calls = pg_scalar(c, STATEMENTS_RUN) - before - 1;
	fprintf(stderr, "# a push of 500 requests: %lld statements\n", calls);
	/* a handful, BEGIN and COMMIT included, whatever the push's size */
	assert_true(calls > 0 && calls <= 16);
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM request"), 500);
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM event WHERE status = 'synced'"), 500);
	/* events in the push's order */
	assert_int_equal(pg_scalar(c, "SELECT count(*) FROM event e JOIN request r ON r.id = e.request_id"
		" WHERE e.id - (SELECT min(id) FROM event) + 1 <> r.seq"), 0);
	/* The same again with one changed and one new: same, conflict, new. */
	again = push_of(KIOSK, 2, 499, 501);
	again->requests[1].sealed[0] ^= 1;
	assert_int_equal(srv_db_store_push(d, again, NULL, NOW, &res, err, sizeof err), 0);
	assert_int_equal(res.stored, 1);
	assert_int_equal(res.nconflicts, 1);
	assert_string_equal(res.conflicts[0].id, KIOSK "-000500");
	assert_int_equal(res.acked, 501);
	srv_db_push_result_free(&res);
	/* A replay changes nothing. */
	assert_int_equal(srv_db_store_push(d, again, NULL, NOW, &res, err, sizeof err), 0);
	assert_true(res.replay);
	srv_db_push_result_free(&res);
	free_push(again);
	free_push(p);
	PQfinish(c);
	srv_db_close(d);
	fx_rmtree(dir);
}

/* Writers of one kiosk's events on connections of their own, and a
 * reader pulling after its cursor as a kiosk does. */
typedef struct {
	const char *url;
	int which;                   /* 0..2 push, 3..4 officials' updates */
	int *done;
} writer;

static void *write_events(void *arg)
{
	writer *w = arg;
	char err[300];
	srv_db *d;
	srv_db_push_result res;
	long long ev;
	int i;
	assert_int_equal(srv_db_open(&d, w->url, 0, err, sizeof err), 0);
	for (i = 0; i < 40; i++) {
		if (w->which < 3) {
			/* three kiosks' envelopes: each kiosk 27280-1, -2, -3 pushes its own */
			char kiosk[24];
			proto_push *p;
			snprintf(kiosk, sizeof kiosk, "27280-%d", w->which + 1);
			p = push_of(kiosk, i + 2, i * 5 + 6, i * 5 + 10);
			assert_int_equal(srv_db_store_push(d, p, NULL, NOW + i, &res, err, sizeof err), 0);
			srv_db_push_result_free(&res);
			free_push(p);
		} else {
			char id[40];
			snprintf(id, sizeof id, "27280-1-%06d", 1 + (i * 3 + w->which) % 5);
			assert_int_equal(srv_work_update(d, NULL, NULL, id, "in_progress", "", NOW + i, &ev, err, sizeof err), 0);
		}
	}
	srv_db_close(d);
	__atomic_add_fetch(w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

typedef struct {
	long long cursor;
	long long seen;
} pull;

static int take(const proto_event *e, void *arg)
{
	pull *p = arg;
	assert_true(e->id > p->cursor);
	p->cursor = e->id;
	p->seen++;
	return 0;
}

static void test_events_in_order(void **state)
{
	char dir[64], err[300];
	unsigned char key[ENV_PK_BYTES] = { 7 };
	srv_db *d, *reader;
	srv_db_push_result res;
	proto_push *first = push_of(KIOSK, 1, 1, 5);
	pthread_t th[5];
	writer w[5];
	pull seen = { 0, 0 };
	int done = 0, pulls = 0;
	PGconn *c;
	int i, k;
	(void)state;
	fx_tempdir(dir, sizeof dir, "pgorder");
	d = fx_srv_open(dir);
	for (k = 1; k <= 3; k++) {
		char kiosk[24];
		snprintf(kiosk, sizeof kiosk, "27280-%d", k);
		assert_int_equal(srv_db_kiosk_add(d, kiosk, key, NOW, err, sizeof err), 0);
	}
	/* Requests 1..5 of kiosk 1 for the officials to update. */
	assert_int_equal(srv_db_store_push(d, first, NULL, NOW, &res, err, sizeof err), 0);
	srv_db_push_result_free(&res);
	free_push(first);
	assert_int_equal(srv_db_open(&reader, fx_srv_where(dir), 0, err, sizeof err), 0);
	for (i = 0; i < 5; i++) {
		w[i].url = fx_srv_where(dir);
		w[i].which = i;
		w[i].done = &done;
		assert_int_equal(pthread_create(&th[i], NULL, write_events, &w[i]), 0);
	}
	/* Kiosk 1 pulls while they write; then once more after. */
	while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < 5) {
		assert_int_equal(srv_db_kiosk_events(reader, KIOSK, seen.cursor, 1000, take, &seen, err, sizeof err), 0);
		pulls++;
	}
	fprintf(stderr, "# %d pulls while the writers wrote\n", pulls);
	for (i = 0; i < 5; i++) pthread_join(th[i], NULL);
	assert_int_equal(srv_db_kiosk_events(reader, KIOSK, seen.cursor, 100000, take, &seen, err, sizeof err), 0);
	c = connect_to(fx_srv_where(dir));
	/* every event of kiosk 1, each seen once: none stepped over */
	assert_int_equal(seen.seen, pg_scalar(c, "SELECT count(*) FROM event WHERE kiosk = '27280-1'"));
	assert_int_equal(seen.seen, 5 + 40 * 5 + 2 * 40);
	PQfinish(c);
	srv_db_close(reader);
	srv_db_close(d);
	fx_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemas_agree),
		cmocka_unit_test(test_upgrades),
		cmocka_unit_test(test_newer_refused),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_migrate_at_once),
		cmocka_unit_test(test_push_set_based),
		cmocka_unit_test(test_events_in_order),
	};
	if (!fx_srv_pg()) {
		/* Not a skip: this test is for the PostgreSQL pass of tests/run.py. */
		printf("1..1\nnot ok 1 - MOTCUA_TEST_PG is not set: run it through tests/run.py\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
