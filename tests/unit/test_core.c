/* Tests of the catalog (loading and deadlines across weekends, cut-off
 * hours and holidays), the configuration file, the store and sealing. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "fixture.h"
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "seal.h"
#include "dbschema.h"
#include "token.h"
#include <sqlite3.h>

/* Local time in Vietnam, UTC+7, without depending on tzdata. */
static time_t at(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { 0 };
	tm.tm_year = y - 1900; tm.tm_mon = mo - 1; tm.tm_mday = d; tm.tm_hour = h; tm.tm_min = mi;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static char *due(const catalog *c, const cal *k, const char *cat, const char *proc, time_t t)
{
	static char out[11];
	cal_date_format(catalog_deadline(catalog_category_by_id(c, cat), proc ? catalog_procedure_by_id(c, proc) : NULL, k, t), out);
	return out;
}

static void test_deadlines(void **state)
{
	static catalog c;
	char err[256];
	cal *k = cal_load("assets/holidays.json", err, sizeof err);
	(void)state;
	assert_non_null(k);
	assert_int_equal(catalog_load("assets/catalog.json", &c, err, sizeof err), 0);
	/* Friday 2026-11-20: a same-day procedure before and after 15:00. */
	assert_string_equal(due(&c, k, "procedure", "birth_registration", at(2026, 11, 20, 9, 30)), "2026-11-20");
	assert_string_equal(due(&c, k, "procedure", "birth_registration", at(2026, 11, 20, 15, 30)), "2026-11-23");
	/* Received on a Saturday: the next working day. */
	assert_string_equal(due(&c, k, "procedure", "certified_copy", at(2026, 11, 21, 10, 0)), "2026-11-23");
	/* Three working days from Thursday skip the weekend and Culture Day (24 November). */
	assert_string_equal(due(&c, k, "procedure", "marital_status", at(2026, 11, 19, 10, 0)), "2026-11-25");
	/* Across Tết 2026 (14-22 February off): filed Friday 13 February. */
	assert_string_equal(due(&c, k, "procedure", "marital_status", at(2026, 2, 13, 10, 0)), "2026-02-25");
	/* Across 30/4 and 1/5 2026 (Thursday, Friday). */
	assert_string_equal(due(&c, k, "procedure", "parent_child", at(2026, 4, 29, 10, 0)), "2026-05-06");
	/* Across the year end. */
	assert_string_equal(due(&c, k, "procedure", "marital_status", at(2026, 12, 30, 10, 0)), "2027-01-05");
	/* Calendar days: land mediation 30 days, landing on a working day;
	 * complaints: 7 working days to accept (docs/legal-clocks.md). */
	assert_string_equal(due(&c, k, "procedure", "land_mediation", at(2026, 12, 15, 10, 0)), "2027-01-14");
	assert_string_equal(due(&c, k, "complaint", NULL, at(2026, 11, 25, 10, 0)), "2026-12-04");
	/* Petitions: 10 working days to tell the filer, Culture Day skipped. */
	assert_string_equal(due(&c, k, "petition", NULL, at(2026, 11, 20, 10, 0)), "2026-12-07");
	cal_free(k);
}

static void test_catalog_errors(void **state)
{
	static catalog c;
	char err[256];
	(void)state;
	assert_int_equal(catalog_load_string("{", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 1"));
	assert_int_equal(catalog_load_string("{\"version\":\"1\",\"fields\":[{\"name\":\"shoe_size\",\"kind\":\"text\","
		"\"label\":{\"vi\":\"a\",\"en\":\"b\"},\"short\":{\"vi\":\"a\",\"en\":\"b\"}}]}", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "fields[0]: unknown field \"shoe_size\""));
	assert_int_equal(catalog_load("/nonexistent/catalog.json", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/catalog.json"));
}

static void short_without_notice(json_t *cat, void *arg) { (void)arg; json_object_del(cat, "notice"); }
static void short_too_long(json_t *cat, void *arg)
{
	char long_text[200];
	(void)arg;
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	json_object_set_new(json_object_get(cat, "notice_short"), "vi", json_string(long_text));
}
static void short_without_english(json_t *cat, void *arg)
{
	(void)arg;
	json_object_del(json_object_get(cat, "notice_short"), "en");
}

/* A notice's short form (for larger text) is checked as the catalog loads:
 * it shortens a notice, fits its room, and is in both languages. */
static void test_catalog_notice_short(void **state)
{
	static const struct { void (*edit)(json_t *, void *); const char *message; } cases[] = {
		{ short_without_notice, "(reflection): \"notice_short\" shortens a \"notice\", and there is none" },
		{ short_too_long, "notice_short: \"vi\" is longer than 159 bytes" },
		{ short_without_english, "notice_short: \"en\" is missing" },
	};
	char err[300];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		if (fx_catalog_edited("reflection", cases[i].edit, NULL, err, sizeof err) != -1 || !strstr(err, cases[i].message))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, cases[i].message);
	}
}

static char *write_temp(const char *text)
{
	static char path[64];
	FILE *f;
	snprintf(path, sizeof path, "/tmp/motcua-test-%d.ini", (int)getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_config(void **state)
{
	config cfg;
	char err[512], hash[256], want[128];
	char *p;
	(void)state;
	p = write_temp("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Phù Lãng\n[server]\npublic_url = https://a.vn/\n");
	assert_int_equal(config_load(p, &cfg, err, sizeof err), 0);
	assert_int_equal(cfg.kiosk_number, 1);
	assert_int_equal(cfg.idle_timeout, 90);
	assert_string_equal(cfg.language, "vi");
	assert_string_equal(cfg.input_method, "telex");
	assert_string_equal(cfg.public_url, "https://a.vn");   /* trailing slash dropped */
	p = write_temp("[kiosk]\ncommune_code = 27280\ncommune_name = X\n\nlanguage = fr\n");
	assert_int_equal(config_load(p, &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:5: [kiosk] language must be one of vi|en", p);
	assert_non_null(strstr(err, want));
	p = write_temp("[kiosk]\ncommune_code = 27280\ncommune_name = X\nstaff_pin = 1234\n");
	assert_int_equal(config_load(p, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "hash-pin"));
	p = write_temp("[kiosk]\ncommune_code = 27280\ncommune_name = X\nkiosk_number = 0\n");
	assert_int_equal(config_load(p, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, ":4: [kiosk] kiosk_number"));
	p = write_temp("[kiosk]\ncommune_code = 27280\n");
	assert_int_equal(config_load(p, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "commune_name is required"));
	unlink(p);
	assert_int_equal(config_hash_pin("246813", hash, sizeof hash), 0);
	snprintf(cfg.staff_pin, sizeof cfg.staff_pin, "%s", hash);
	assert_true(config_check_pin(&cfg, "246813"));
	assert_false(config_check_pin(&cfg, "2469"));
	/* Fewer than six digits, more than twelve, or not digits: no hash. */
	assert_int_equal(config_hash_pin("24681", hash, sizeof hash), -1);
	assert_int_equal(config_hash_pin("1234567890123", hash, sizeof hash), -1);
	assert_int_equal(config_hash_pin("24681a", hash, sizeof hash), -1);
	cfg.staff_pin[0] = '\0';
	assert_false(config_check_pin(&cfg, ""));
}

static void test_store_and_seal(void **state)
{
	char dir[64], err[256], path[128], line[SEAL_LINE_MAX];
	unsigned char pk[32], sk[32], sealed[64 + SEAL_OVERHEAD], opened[64];
	seal_server_key key, parsed;
	db *d;
	db_request r1, r2, found;
	db_event ev[4];
	db_submission s = { "27280", 3, "petition", NULL, 1763600000, "2026-12-04", sealed, 0 };
	const char *msg = "{\"full_name\":\"Nguyễn Văn An\"}";
	(void)state;
	fx_tempdir(dir, sizeof dir, "db");
	assert_int_equal(sodium_init() >= 0, 1);
	crypto_box_keypair(pk, sk);
	memset(key.sign_pk, 7, sizeof key.sign_pk);
	memcpy(key.box_pk, pk, 32);
	seal_format_server_key(&key, line, sizeof line);
	assert_int_equal(seal_parse_server_key(line, &parsed, err, sizeof err), 0);
	assert_memory_equal(&parsed, &key, sizeof key);
	assert_int_equal(seal_parse_server_key("mc1.short", &parsed, err, sizeof err), -1);
	assert_int_equal(seal_box(&parsed, msg, strlen(msg), sealed), 0);
	s.sealed_len = strlen(msg) + SEAL_OVERHEAD;
	assert_int_equal(seal_open(pk, sk, sealed, s.sealed_len, opened), 0);
	assert_memory_equal(opened, msg, strlen(msg));
	sealed[5] ^= 1;
	assert_int_equal(seal_open(pk, sk, sealed, s.sealed_len, opened), -1);
	sealed[5] ^= 1;

	assert_int_equal(db_open(&d, dir, fx_server_key(NULL), err, sizeof err), 0);
	assert_int_equal(db_submit(d, &s, &r1, err, sizeof err), 0);
	assert_int_equal(db_submit(d, &s, &r2, err, sizeof err), 0);
	assert_string_equal(r1.id, "27280-3-000001");
	assert_string_equal(r2.id, "27280-3-000002");
	assert_string_not_equal(r1.token, r2.token);
	db_close(d);
	/* Reopened: migrations do not run twice, rows are there. */
	assert_int_equal(db_open(&d, dir, fx_server_key(NULL), err, sizeof err), 0);
	assert_int_equal(db_count(d), 2);
	assert_int_equal(db_find_token(d, r2.token, &found), 1);
	assert_string_equal(found.id, r2.id);
	assert_string_equal(found.status, "received");
	assert_string_equal(found.deadline, "2026-12-04");
	assert_int_equal(db_find_token(d, "0000000000000", &found), 0);
	assert_int_equal(db_events(d, r1.id, ev, 4), 1);
	assert_string_equal(ev[0].status, "received");
	/* A refused write leaves nothing behind. */
	db_inject_readonly(d);
	assert_int_equal(db_submit(d, &s, &r1, err, sizeof err), -1);
	assert_non_null(strstr(err, "readonly"));
	db_close(d);
	assert_int_equal(db_open(&d, dir, fx_server_key(NULL), err, sizeof err), 0);
	assert_int_equal(db_count(d), 2);
	db_close(d);
	snprintf(path, sizeof path, "%s/request.db", dir);
	FILE *f = fopen(path, "wb");
	fputs("not a database, just text that is long enough to look like a header........", f);
	fclose(f);
	assert_int_equal(db_open(&d, dir, fx_server_key(NULL), err, sizeof err), -1);
	assert_null(d);
	assert_int_equal(fx_rmtree(dir), 0);
}

/* The file under an open store changed: each way refuses the next
 * submission with words saying what happened, and a store opened again
 * on what is at the path takes it. */
static void replace_file(const char *dir, const char *path)
{
	char other[128];
	db *o;
	char err[256];
	snprintf(other, sizeof other, "%s/other", dir);
	mkdir(other, 0700);
	assert_int_equal(db_open(&o, other, fx_server_key(NULL), err, sizeof err), 0);
	db_close(o);
	snprintf(other, sizeof other, "%s/other/request.db", dir);
	assert_int_equal(rename(other, path), 0);
}

static void truncate_file(const char *dir, const char *path)
{
	(void)dir;
	assert_int_equal(truncate(path, 1024), 0);
}

static void delete_wal(const char *dir, const char *path)
{
	char wal[140];
	(void)dir;
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_equal(unlink(wal), 0);
}

static void zero_header(const char *dir, const char *path)
{
	FILE *f = fopen(path, "r+b");
	char zeroes[100] = { 0 };
	(void)dir;
	assert_non_null(f);
	assert_int_equal(fwrite(zeroes, 1, sizeof zeroes, f), sizeof zeroes);
	fclose(f);
}

static void test_store_file_changed(void **state)
{
	static const struct { void (*fault)(const char *dir, const char *path); const char *says; int reopens; } faults[] = {
		{ replace_file, "replaced", 1 }, { truncate_file, "truncated", 0 }, { delete_wal, "-wal was deleted", 1 },
		{ zero_header, "no longer a SQLite database", 0 },
	};
	unsigned char sealed[48] = { 1 };
	db_submission s = { "27280", 3, "petition", NULL, 1763600000, "2026-12-04", sealed, sizeof sealed };
	char dir[64], path[128], err[256];
	db_request r;
	db *d;
	size_t i;
	int n;
	(void)state;
	for (i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		fx_tempdir(dir, sizeof dir, "dbfile");
		snprintf(path, sizeof path, "%s/request.db", dir);
		assert_int_equal(db_open(&d, dir, fx_server_key(NULL), err, sizeof err), 0);
		for (n = 0; n < 40; n++) assert_int_equal(db_submit(d, &s, &r, err, sizeof err), 0);
		faults[i].fault(dir, path);
		assert_int_equal(db_submit(d, &s, &r, err, sizeof err), -1);
		assert_non_null(strstr(err, faults[i].says));
		assert_string_equal(r.token, "");
		db_close(d);
		if (faults[i].reopens) {
			if (db_open(&d, dir, fx_server_key(NULL), err, sizeof err) != 0) fail_msg("%zu: %s", i, err);
			if (db_submit(d, &s, &r, err, sizeof err) != 0) fail_msg("%zu: %s", i, err);
			db_close(d);
		}
		assert_int_equal(fx_rmtree(dir), 0);
	}
}


/* Every file of the store's folder, searched for each code as stored,
 * typed and grouped: 1 when one is found. */
static int folder_holds_code(const char *dir, char codes[][TOKEN_LEN + 1], int n)
{
	static const char *const files[] = { "request.db", "request.db-wal", "request.db-shm" };
	size_t f;
	int i, found = 0;
	for (f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[128], *data;
		long len;
		FILE *in;
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		if (!(in = fopen(path, "rb"))) continue;
		fseek(in, 0, SEEK_END);
		len = ftell(in);
		rewind(in);
		data = malloc((size_t)len + 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, (size_t)len, in), (size_t)len);
		fclose(in);
		for (i = 0; i < n; i++) {
			char grouped[TOKEN_GROUPED_LEN + 1];
			token_group(codes[i], grouped);
			if (memmem(data, (size_t)len, codes[i], TOKEN_LEN) || memmem(data, (size_t)len, grouped, TOKEN_GROUPED_LEN))
				found = 1;
		}
		free(data);
	}
	return found;
}

/* Receipt codes at rest: a fresh store never writes one in clear, finds
 * each by what is typed, and carries it sealed to the server; a store of
 * schema 3 holding codes in clear is converted, its codes gone from every
 * byte of its files, and cannot be without the server key. */
static void test_codes_at_rest(void **state)
{
	enum { N = 30 };
	unsigned char sealed[48] = { 1 }, box_sk[SEAL_KEY_BYTES];
	const seal_server_key *key = fx_server_key(box_sk);
	db_submission s = { "27280", 3, "petition", NULL, 1763600000, "2026-12-04", sealed, sizeof sealed };
	char dir[64], path[128], err[256], codes[N][TOKEN_LEN + 1], other[TOKEN_LEN + 1];
	proto_request *out;
	db_request r;
	sqlite3 *sql;
	db *d;
	int i, n;
	(void)state;
	fx_tempdir(dir, sizeof dir, "codes");
	assert_int_equal(db_open(&d, dir, key, err, sizeof err), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(db_submit(d, &s, &r, err, sizeof err), 0);
		assert_int_equal(strlen(r.token), TOKEN_LEN);
		memcpy(codes[i], r.token, sizeof codes[i]);
	}
	assert_false(folder_holds_code(dir, codes, N));
	for (i = 0; i < N; i += 7) {
		assert_int_equal(db_find_token(d, codes[i], &r), 1);
		assert_int_equal(r.seq, i + 1);
		assert_string_equal(r.token, codes[i]);
	}
	assert_int_equal(token_new(other), 0);
	assert_int_equal(db_find_token(d, other, &r), 0);
	db_close(d);
	/* Without the key: nothing can be filed or found. */
	assert_int_equal(db_open(&d, dir, NULL, err, sizeof err), 0);
	assert_int_equal(db_find_token(d, codes[0], &r), -1);
	assert_int_equal(db_submit(d, &s, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "no server key"));
	db_close(d);
	assert_int_equal(fx_rmtree(dir), 0);

	/* A store of schema 3, as kiosks before this version kept it. */
	fx_tempdir(dir, sizeof dir, "codes-v3");
	snprintf(path, sizeof path, "%s/request.db", dir);
	assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sql, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 3; i++) assert_int_equal(sqlite3_exec(sql, dbschema_migrations[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sql, "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < N; i++) {
		char q[400];
		assert_int_equal(token_new(codes[i]), 0);
		snprintf(q, sizeof q, "INSERT INTO request(seq, id, token, category, received_at, deadline, updated_at, sealed)"
			" VALUES(%d, '27280-3-%06d', '%s', 'petition', 1763600000, '2026-12-04', 1763600000, x'0102');"
			"INSERT INTO event(request_id, at, status) VALUES('27280-3-%06d', 1763600000, 'received')",
			i + 1, i + 1, codes[i], i + 1);
		assert_int_equal(sqlite3_exec(sql, q, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(sqlite3_close(sql), SQLITE_OK);
	assert_true(folder_holds_code(dir, codes, N));   /* the search works */
	/* No key: the conversion cannot run, and says why; nothing changed. */
	assert_int_equal(db_open(&d, dir, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "no server key configured"));
	assert_true(folder_holds_code(dir, codes, N));
	/* With it: converted, every code gone from the files, each still found. */
	assert_int_equal(db_open(&d, dir, key, err, sizeof err), 0);
	assert_false(folder_holds_code(dir, codes, N));
	for (i = 0; i < N; i++) {
		assert_int_equal(db_find_token(d, codes[i], &r), 1);
		assert_int_equal(r.seq, i + 1);
	}
	assert_int_equal(db_events(d, "27280-3-000005", (db_event[2]){ 0 }, 2), 1);
	/* The outbox carries each code sealed: it opens to the old clear one. */
	assert_int_equal(db_outbox(d, 0, 0, &out, &n, err, sizeof err), 0);
	assert_int_equal(n, N);
	for (i = 0; i < N; i++) {
		char code[TOKEN_LEN + 1] = "";
		assert_int_equal(seal_open(key->box_pk, box_sk, out[i].token_sealed, SEAL_CODE_SEALED_BYTES, code), 0);
		assert_string_equal(code, codes[i]);
	}
	db_free_requests(out, n);
	/* New filings go on after the converted ones. */
	assert_int_equal(db_submit(d, &s, &r, err, sizeof err), 0);
	assert_string_equal(r.id, "27280-3-000031");
	db_close(d);
	assert_false(folder_holds_code(dir, codes, N));
	assert_int_equal(fx_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_file_changed),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_catalog_errors),
		cmocka_unit_test(test_catalog_notice_short),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_store_and_seal),
		cmocka_unit_test(test_codes_at_rest),
	};
	setenv("TZ", "ICT-7", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
