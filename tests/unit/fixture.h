/* fixture: what the unit tests share, so that no test file carries its own
 * copy: a scratch folder made and removed, the project's catalog and
 * holiday calendar loaded from assets/, the translations of assets/lang/
 * loaded for the kiosk's and the server's words, and Unix times of Vietnam
 * wall-clock moments. Everything here aborts the test (cmocka's fail) when
 * it cannot do its job, so a test never runs on half a fixture. */
#ifndef MOTCUA_FIXTURE_H
#define MOTCUA_FIXTURE_H

#include <stddef.h>

/* Makes a fresh folder under /tmp named after tag into dir (at least 64
 * bytes); fails the test when it cannot. */
void fx_tempdir(char *dir, size_t dirlen, const char *tag);

/* Removes dir and everything in it; 0, or -1 when something stayed. */
int fx_rmtree(const char *dir);

/* The Unix time of a wall-clock moment in Vietnam (UTC+7, no daylight
 * saving), whatever zone the machine runs in. */
long long fx_vn_time(int year, int month, int day, int hour, int minute);

/* Loads assets/lang/ for the kiosk's texts (i18n) and the server's pages
 * (words), as the programs do at start-up. 0, or -1 with the reason on
 * stderr: it runs before cmocka's tests, in main or a group setup. */
int fx_words(void);

#endif
