/* fixture: scratch folders, dates, Vietnam times and the server store for
 * the unit tests (see fixture.h). Removal walks the tree with nftw rather than running rm, so
 * a test's clean-up needs no shell. */
#define _XOPEN_SOURCE 700   /* nftw */
#include "fixture.h"
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

srv_db *fx_srv_open(const char *dir)
{
	srv_db *db;
	char err[700];
	if (srv_db_open(&db, dir, 1, err, sizeof err) != 0) fail_msg("opening the server store: %s", err);
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
