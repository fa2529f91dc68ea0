/* fixture: scratch folders, dates, Vietnam times and the server store for
 * the unit tests (see fixture.h). Removal walks the tree with nftw rather than running rm, so
 * a test's clean-up needs no shell. */
#define _XOPEN_SOURCE 700   /* nftw */
#include "fixture.h"
#include "catalog.h"
#include "i18n.h"
#include "vntime.h"
#include "words.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef WITH_PG
#include <libpq-fe.h>
#endif

void fx_tempdir(char *dir, size_t dirlen, const char *tag)
{
	snprintf(dir, dirlen, "/tmp/motcua-%s-XXXXXX", tag);
	if (!mkdtemp(dir)) fail_msg("cannot make a scratch folder %s", dir);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

int fx_rmtree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

long long fx_vn_time(int year, int month, int day, int hour, int minute)
{
	return vntime_from_civil(year, month, day, hour, minute, 0);
}

cal_date fx_date(int year, int month, int day)
{
	cal_date d = { year, month, day };
	return d;
}

int fx_srv_pg(void)
{
	const char *url = getenv("MOTCUA_TEST_PG");
	return url && url[0];
}

#ifdef WITH_PG
/* A connection to url, or the test fails. */
static PGconn *pg_connect(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) fail_msg("connecting to %s: %s", url, PQerrorMessage(c));
	return c;
}
#endif

const char *fx_srv_where(const char *dir)
{
	static struct { char dir[64]; char where[700]; } seen[32];
	static int next;
	const char *url = getenv("MOTCUA_TEST_PG"), *base = strrchr(dir, '/');
	int i;
	if (!fx_srv_pg()) return dir;
	for (i = 0; i < 32; i++)
		if (strcmp(seen[i].dir, dir) == 0) return seen[i].where;
#ifdef WITH_PG
	{
		char schema[80], sql[160];
		size_t n = 0;
		PGconn *c;
		PGresult *r;
		/* A schema per scratch folder: a fresh, empty store for each test. */
		n = (size_t)snprintf(schema, sizeof schema, "t%ld_", (long)getpid());
		for (base = base ? base + 1 : dir; *base && n + 1 < sizeof schema; base++)
			schema[n++] = (*base >= 'A' && *base <= 'Z') ? (char)(*base - 'A' + 'a') :
				((*base >= 'a' && *base <= 'z') || (*base >= '0' && *base <= '9')) ? *base : '_';
		schema[n] = '\0';
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
		c = pg_connect(url);
		r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) fail_msg("%s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		i = next++ % 32;
		snprintf(seen[i].dir, sizeof seen[i].dir, "%s", dir);
		snprintf(seen[i].where, sizeof seen[i].where, "%s%soptions=-csearch_path%%3D%s", url,
			strchr(url, '?') ? "&" : "?", schema);
		return seen[i].where;
	}
#else
	(void)base;
	fail_msg("MOTCUA_TEST_PG is set but the tests were built without libpq");
	return dir;
#endif
}

srv_db *fx_srv_open(const char *dir)
{
	srv_db *db;
	char err[700];
	if (srv_db_open(&db, fx_srv_where(dir), 1, err, sizeof err) != 0) fail_msg("opening the server store: %s", err);
	return db;
}

sqlite3 *fx_srv_file(const char *dir)
{
	char path[600];
	sqlite3 *sql = NULL;
	snprintf(path, sizeof path, "%s/server.db", dir);
	if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) fail_msg("opening %s", path);
	sqlite3_busy_timeout(sql, 5000);
	return sql;
}

struct fx_disk {
	sqlite3 *sql;
#ifdef WITH_PG
	PGconn *pg;
#endif
};

fx_disk *fx_disk_open(const char *dir)
{
	fx_disk *k = calloc(1, sizeof *k);
	if (!k) fail_msg("out of memory");
#ifdef WITH_PG
	if (fx_srv_pg()) {
		k->pg = pg_connect(fx_srv_where(dir));
		return k;
	}
#endif
	k->sql = fx_srv_file(dir);
	return k;
}

void fx_disk_close(fx_disk *k)
{
	if (!k) return;
	if (k->sql) sqlite3_close(k->sql);
#ifdef WITH_PG
	if (k->pg) PQfinish(k->pg);
#endif
	free(k);
}

#define FX_MAXCOLS 16

#ifdef WITH_PG
/* ? and ?N as PostgreSQL's $N. */
static void pg_placeholders(const char *sql, char *out, size_t outlen)
{
	size_t n = 0;
	int next = 1;
	for (; *sql && n + 8 < outlen; sql++) {
		if (*sql != '?') {
			out[n++] = *sql;
			continue;
		}
		if (sql[1] >= '0' && sql[1] <= '9') out[n++] = '$';
		else n += (size_t)snprintf(out + n, outlen - n, "$%d", next++);
	}
	out[n] = '\0';
}

static int pg_rows(fx_disk *k, const char *sql, const char *const *params, int nparams,
	void (*each)(const char *const *values, const int *lens, int ncols, void *arg), void *arg)
{
	char text[4096];
	PGresult *r;
	int row, col, nrows, ncols;
	pg_placeholders(sql, text, sizeof text);
	r = PQexecParams(k->pg, text, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", text, PQresultErrorMessage(r));
	nrows = PQntuples(r);
	ncols = PQnfields(r) < FX_MAXCOLS ? PQnfields(r) : FX_MAXCOLS;
	for (row = 0; row < nrows && each; row++) {
		const char *values[FX_MAXCOLS];
		int lens[FX_MAXCOLS];
		unsigned char *blobs[FX_MAXCOLS] = { 0 };
		for (col = 0; col < ncols; col++) {
			size_t len = 0;
			values[col] = PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
			lens[col] = PQgetlength(r, row, col);
			if (!values[col]) continue;
			if (PQftype(r, col) == 16) {              /* boolean */
				values[col] = values[col][0] == 't' ? "1" : "0";
				lens[col] = 1;
			} else if (PQftype(r, col) == 17) {       /* bytea */
				blobs[col] = PQunescapeBytea((const unsigned char *)values[col], &len);
				values[col] = (const char *)blobs[col];
				lens[col] = (int)len;
			}
		}
		each(values, lens, ncols, arg);
		for (col = 0; col < ncols; col++) PQfreemem(blobs[col]);
	}
	PQclear(r);
	return nrows;
}
#endif

int fx_disk_rows(fx_disk *k, const char *sql, const char *const *params, int nparams,
	void (*each)(const char *const *values, const int *lens, int ncols, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int rc, rows = 0, i;
#ifdef WITH_PG
	if (k->pg) return pg_rows(k, sql, params, nparams, each, arg);
#endif
	if (sqlite3_prepare_v2(k->sql, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(k->sql));
	for (i = 0; i < nparams; i++)
		if (params[i]) sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *values[FX_MAXCOLS];
		int lens[FX_MAXCOLS], ncols = sqlite3_column_count(st) < FX_MAXCOLS ? sqlite3_column_count(st) : FX_MAXCOLS;
		for (i = 0; i < ncols; i++) {
			int blob = sqlite3_column_type(st, i) == SQLITE_BLOB;
			values[i] = blob ? (const char *)sqlite3_column_blob(st, i) : (const char *)sqlite3_column_text(st, i);
			lens[i] = sqlite3_column_bytes(st, i);
		}
		rows++;
		if (each) each(values, lens, ncols, arg);
	}
	if (rc != SQLITE_DONE) fail_msg("%s: %s", sql, sqlite3_errmsg(k->sql));
	sqlite3_finalize(st);
	return rows;
}

static void first_integer(const char *const *values, const int *lens, int ncols, void *arg)
{
	long long *v = arg;
	(void)lens;
	if (*v != -1 || ncols < 1) return;
	*v = values[0] ? strtoll(values[0], NULL, 10) : -2;
}

long long fx_disk_scalar(fx_disk *k, const char *sql, const char *param)
{
	long long v = -1;
	fx_disk_rows(k, sql, &param, param ? 1 : 0, first_integer, &v);
	return v;
}

int fx_page_lookup(srv_db *db, const char *token, long long now, page_request *out)
{
	static srv_db_facts facts;
	int found = srv_db_lookup(db, token, &facts);
	if (found >= 0) page_view(out, token, found == 1 ? &facts : NULL, now);
	return found;
}

int fx_words(void)
{
	char err[700];
	if (i18n_load("assets", err, sizeof err) != 0 || words_load("assets", err, sizeof err) != 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}

const seal_server_key *fx_server_key(unsigned char box_sk[SEAL_KEY_BYTES])
{
	static seal_server_key key;
	static unsigned char sk[SEAL_KEY_BYTES];
	static int made;
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
	if (!made) {
		if (sodium_init() < 0) fail_msg("libsodium could not start");
		crypto_sign_keypair(key.sign_pk, sign_sk);
		crypto_box_keypair(key.box_pk, sk);
		made = 1;
	}
	if (box_sk) memcpy(box_sk, sk, SEAL_KEY_BYTES);
	return &key;
}

int fx_catalog_edited(const char *id, void (*edit)(json_t *cat, void *arg), void *arg, char *err, size_t errlen)
{
	static catalog c;
	json_error_t je;
	json_t *root = json_load_file("assets/catalog.json", 0, &je), *cat;
	size_t i;
	char *text;
	int rc;
	if (!root) fail_msg("assets/catalog.json: %s", je.text);
	json_array_foreach(json_object_get(root, "categories"), i, cat)
		if (strcmp(json_string_value(json_object_get(cat, "id")), id) == 0) edit(cat, arg);
	if (!(text = json_dumps(root, 0))) fail_msg("the edited catalog could not be written");
	rc = catalog_load_string(text, &c, err, errlen);
	free(text);
	json_decref(root);
	return rc;
}
