/* motcua-fill: queues N requests in a kiosk's store, as if citizens had
 * filed them, for tests and benchmarks that need thousands (the control
 * interface files one at a time, at a person's pace). Each request goes
 * through the same path as the kiosk's: a made-up identity sealed to the
 * configured server key, a deadline from the catalog, db_submit's durable
 * transaction. Each request's id and receipt code go to stdout, one line
 * each ("ID CODE"), as the receipt would show them: the store keeps the
 * code only hashed, so this is the tests' copy.
 * Usage: motcua-fill --config FILE N [--name NAME] [--sms] [--bulk]
 * (--sms: every filer agreed to text messages, as the kiosk's tick records
 * it: "sms_consent":"1"). --bulk, for a million: the first BULK_TEMPLATE
 * requests are filed as above, the rest copied from them in SQL, each with
 * its own id and new receipt code (hashed and sealed by the store's own
 * functions), its identity's sealed bytes the template's: what a queue of
 * that length looks like to motcua-sync, made in seconds, not hours of
 * durable transactions. */
#include "cal.h"
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "dbmeta.h"
#include "seal.h"
#include "token.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BULK_TEMPLATE 1000

/* fill_token(): a new receipt code, as db_submit makes one. */
static void sql_fill_token(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char t[TOKEN_LEN + 1];
	(void)argc; (void)argv;
	if (token_new(t) != 0) sqlite3_result_error(ctx, "no random bytes", -1);
	else sqlite3_result_text(ctx, t, -1, SQLITE_TRANSIENT);
}

/* Requests after the template's up to n, copied from it in one
 * transaction; their "ID CODE" lines printed. 0, or -1 with err. */
static int bulk_copy(db *d, const config *cfg, long from, long n, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st = NULL;
	char text[1200];
	int rc;
	snprintf(text, sizeof text,
		"BEGIN;"
		"CREATE TEMP TABLE fill_code AS WITH RECURSIVE s(k) AS (SELECT %ld UNION ALL SELECT k + 1 FROM s WHERE k < %ld)"
		" SELECT k, printf('%%s-%%d-%%06lld', '%s', %d, k) AS id, fill_token() AS token FROM s;"
		"INSERT INTO request(seq, id, code_hash, code_sealed, category, procedure, received_at, deadline, updated_at,"
		" sealed) SELECT c.k, c.id, motcua_code_hash(c.id, c.token), motcua_code_seal(c.token), t.category,"
		" t.procedure, t.received_at, t.deadline, t.updated_at, t.sealed FROM fill_code c"
		" JOIN request t ON t.seq = 1 + (c.k - 1) %% %ld;"
		"INSERT INTO event(request_id, at, status) SELECT id, received_at, 'received' FROM request WHERE seq >= %ld;"
		"COMMIT;", from, n, cfg->commune_code, cfg->kiosk_number, from - 1, from);
	if (sqlite3_create_function(sql, "fill_token", 0, SQLITE_UTF8, NULL, sql_fill_token, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(sql, text, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sql, "SELECT id, token FROM fill_code ORDER BY k", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "copying the template: %s", sqlite3_errmsg(sql));
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%s %s\n", (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	sqlite3_exec(sql, "DROP TABLE fill_code", NULL, NULL, NULL);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "listing the codes: %s", sqlite3_errmsg(sql));
		return -1;
	}
	return 0;
}

static const char *const categories[] = { "procedure", "petition", "reflection", "complaint", "denunciation", "dialogue" };

int main(int argc, char **argv)
{
	config cfg;
	static catalog cat;
	seal_server_key key;
	db *d;
	char err[512], path[600], text[512], deadline[11];
	const char *name = "Nguyễn Thị Thử";
	int sms = 0;
	unsigned char sealed[512 + SEAL_OVERHEAD];
	long n, i, filed;
	int bulk = 0;
	if (argc < 4 || strcmp(argv[1], "--config") != 0) {
		fprintf(stderr, "usage: motcua-fill --config FILE N [--name NAME]\n");
		return 2;
	}
	n = atol(argv[3]);
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) name = argv[++i];
		else if (strcmp(argv[i], "--sms") == 0) sms = 1;
		else if (strcmp(argv[i], "--bulk") == 0) bulk = 1;
	}
	if (config_load(argv[2], &cfg, err, sizeof err) != 0 ||
	    seal_parse_server_key(cfg.server_key, &key, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fill: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/catalog.json", cfg.assets_dir);
	if (catalog_load(path, &cat, err, sizeof err) != 0 || db_open(&d, cfg.data_dir, &key, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fill: %s\n", err);
		return 1;
	}
	filed = bulk && n > BULK_TEMPLATE ? BULK_TEMPLATE : n;
	for (i = 0; i < filed; i++) {
		const catalog_category *c = catalog_category_by_id(&cat, categories[i % 6]);
		const catalog_procedure *p = i % 6 == 0 ? &cat.procedures[i / 6 % cat.nprocedures] : NULL;
		time_t now = time(NULL);
		db_submission s;
		db_request r;
		size_t len = (size_t)snprintf(text, sizeof text,
			"{\"full_name\":\"%s\",\"phone\":\"0912%06ld\",\"details\":\"Yêu cầu thử số %ld\"%s}", name, i % 1000000, i,
			sms ? ",\"sms_consent\":\"1\"" : "");
		seal_box(&key, text, len, sealed);
		cal_date_format(catalog_deadline(c, p, NULL, now), deadline);
		memset(&s, 0, sizeof s);
		s.commune_code = cfg.commune_code;
		s.kiosk_number = cfg.kiosk_number;
		s.category = c->id;
		s.procedure = p ? p->id : NULL;
		s.received_at = now;
		s.deadline = deadline;
		s.sealed = sealed;
		s.sealed_len = len + SEAL_OVERHEAD;
		if (db_submit(d, &s, &r, err, sizeof err) != 0) {
			fprintf(stderr, "motcua-fill: request %ld: %s\n", i + 1, err);
			db_close(d);
			return 1;
		}
		printf("%s %s\n", r.id, r.token);
	}
	if (filed < n && bulk_copy(d, &cfg, filed + 1, n, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fill: %s\n", err);
		db_close(d);
		return 1;
	}
	db_close(d);
	return 0;
}
