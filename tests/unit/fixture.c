/* fixture: scratch folders and Vietnam times for the unit tests (see
 * fixture.h). Removal walks the tree with nftw rather than running rm, so
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

int fx_words(void)
{
	char err[700];
	if (i18n_load("assets", err, sizeof err) != 0 || words_load("assets", err, sizeof err) != 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}
