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

/* Opens the server's store in dir (created when missing); fails the test
 * when it cannot. */
srv_db *fx_srv_open(const char *dir);

/* A connection of the test's own on the server store's file in dir, for a
 * test that deliberately writes or inspects rows on disk beside the store's
 * interface; close it with sqlite3_close. */
sqlite3 *fx_srv_file(const char *dir);

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

#endif
