/* fixture: what the unit tests share, so that no test file carries its own
 * copy: a scratch folder made and removed, dates and Unix times of Vietnam
 * wall-clock moments, the server's store opened (and, for the tests that
 * look at rows on disk, its file), the phone page's view of a token, and
 * the translation files loaded for the kiosk's and the server's words.
 * Everything here aborts the test (cmocka's fail) when
 * it cannot do its job, so a test never runs on half a fixture. */
#ifndef MOTCUA_FIXTURE_H
#define MOTCUA_FIXTURE_H

#include <stddef.h>
#include <jansson.h>
#include <sqlite3.h>
#include "cal.h"
#include "page.h"
#include "seal.h"
#include "srv_db.h"

/* Makes a fresh folder under /tmp named after tag into dir (at least 64
 * bytes); fails the test when it cannot. */
void fx_tempdir(char *dir, size_t dirlen, const char *tag);

/* Removes dir and everything in it; 0, or -1 when something stayed. */
int fx_rmtree(const char *dir);

/* The Unix time of a wall-clock moment in Vietnam (UTC+7, no daylight
 * saving), whatever zone the machine runs in. */
long long fx_vn_time(int year, int month, int day, int hour, int minute);

/* A date, for tables of expected deadlines. */
cal_date fx_date(int year, int month, int day);

/* Where the server's store for the scratch folder dir is: dir itself
 * (SQLite, dir/server.db), or, when MOTCUA_TEST_PG holds a PostgreSQL URL
 * (tests/run.py's throwaway cluster), that database with a schema of its
 * own for dir, made here. Fails the test when it cannot. */
const char *fx_srv_where(const char *dir);
/* 1 when the stores of this run are PostgreSQL's. */
int fx_srv_pg(void);

/* Opens the server's store for dir (created when missing); fails the test
 * when it cannot. */
srv_db *fx_srv_open(const char *dir);

/* A connection of the test's own on the server store's file in dir (SQLite
 * only), for a test about the file itself; close it with sqlite3_close. */
sqlite3 *fx_srv_file(const char *dir);

/* A connection of the test's own on the store for dir, whichever backend
 * holds it, for a test that writes or inspects rows beside the store's
 * interface. SQL is written once for both: parameters as ? or ?N (texts,
 * NULL for NULL, typed by their column), booleans read back as 0 or 1,
 * blobs as their bytes. */
typedef struct fx_disk fx_disk;
fx_disk *fx_disk_open(const char *dir);
void fx_disk_close(fx_disk *k);
/* Calls each for every row (values NUL-terminated, lens their bytes, NULL
 * for NULL); the number of rows, or fails the test on an error. */
int fx_disk_rows(fx_disk *k, const char *sql, const char *const *params, int nparams,
	void (*each)(const char *const *values, const int *lens, int ncols, void *arg), void *arg);
/* The integer of the first row's first column; -2 for NULL, -1 no row. */
long long fx_disk_scalar(fx_disk *k, const char *sql, const char *param);

/* The phone page's view of a token as the server builds it (the store's
 * facts, then page_view at now): srv_db_lookup's 1, 0 or -1. */
int fx_page_lookup(srv_db *db, const char *token, long long now, page_request *out);

/* Loads assets/lang/ for the kiosk's texts (i18n) and the server's pages
 * (words), as the programs do at start-up. 0, or -1 with the reason on
 * stderr: it runs before cmocka's tests, in main or a group setup. */
int fx_words(void);

/* A server key pair made once per test program, for the kiosk stores the
 * tests open (receipt codes are hashed under and sealed to it); the secret
 * half into box_sk when not NULL. */
const seal_server_key *fx_server_key(unsigned char box_sk[SEAL_KEY_BYTES]);

/* The shipped catalog (assets/catalog.json) with category id's object
 * changed by edit(cat, arg), loaded: catalog_load_string's 0, or -1 with
 * err, for the tests of what a broken catalog is told. */
int fx_catalog_edited(const char *id, void (*edit)(json_t *cat, void *arg), void *arg, char *err, size_t errlen);

#endif
