/* office_session: counter sign-in and sessions (see office_session.h).
 *
 * The table is this file's, behind its own lock; a cookie is compared in
 * constant time (sodium_memcmp) so its bytes cannot be guessed by timing. */
#include "office_session.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
	char cookie[65];
	char csrf[65];
	int counter;
	long long expires;       /* monotonic seconds */
} session;

static session sessions[OFFICE_SESSIONS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static long long mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec;
}

static void random_hex(char out[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
}

office_signin office_session_sign_in(const config *cfg, db *d, const char *pin, int counter,
	char cookie[65], long long *wait_seconds)
{
	dbpin_lock l;
	long long now = (long long)time(NULL);
	int i, slot = 0;
	*wait_seconds = 0;
	cookie[0] = '\0';
	if (dbpin_lock_read(d, &l) != 0) return OFFICE_SIGNIN_ERROR;
	if (l.locked_until > now) {
		*wait_seconds = l.locked_until - now;
		return OFFICE_SIGNIN_LOCKED;
	}
	if (!config_check_pin(cfg, pin)) {
		/* The kiosk's rule (db.h): so many wrong in a row lock, each lock
		 * twice the last. */
		if (++l.failures >= DBPIN_TRIES) {
			long long span;
			if (l.locks < 64) l.locks++;
			span = dbpin_lock_length(cfg->pin_lock_seconds, l.locks);
			l.locked_until = now + span;
			l.failures = 0;
			*wait_seconds = span;
		}
		if (dbpin_lock_write(d, &l) != 0) return OFFICE_SIGNIN_ERROR;
		return l.locked_until > now ? OFFICE_SIGNIN_LOCKED : OFFICE_SIGNIN_WRONG;
	}
	if (l.failures || l.locks || l.locked_until) {
		memset(&l, 0, sizeof l);
		if (dbpin_lock_write(d, &l) != 0) return OFFICE_SIGNIN_ERROR;
	}
	pthread_mutex_lock(&lock);
	for (i = 0; i < OFFICE_SESSIONS; i++) {       /* a free slot, else the one expiring first */
		if (sessions[i].expires < mono_now()) { slot = i; break; }
		if (sessions[i].expires < sessions[slot].expires) slot = i;
	}
	random_hex(sessions[slot].cookie);
	random_hex(sessions[slot].csrf);
	sessions[slot].counter = counter;
	sessions[slot].expires = mono_now() + OFFICE_SESSION_SECONDS;
	memcpy(cookie, sessions[slot].cookie, 65);
	pthread_mutex_unlock(&lock);
	return OFFICE_SIGNIN_OK;
}

static session *find(const char *cookie)
{
	int i;
	if (!cookie || strlen(cookie) != 64) return NULL;
	for (i = 0; i < OFFICE_SESSIONS; i++)
		if (sessions[i].expires >= mono_now() && sodium_memcmp(sessions[i].cookie, cookie, 64) == 0)
			return &sessions[i];
	return NULL;
}

void office_session_find(const char *cookie, office_who *who)
{
	session *s;
	memset(who, 0, sizeof *who);
	pthread_mutex_lock(&lock);
	if ((s = find(cookie))) {
		who->counter = s->counter;
		memcpy(who->csrf, s->csrf, sizeof who->csrf);
	}
	pthread_mutex_unlock(&lock);
}

void office_session_end(const char *cookie)
{
	session *s;
	pthread_mutex_lock(&lock);
	if ((s = find(cookie))) sodium_memzero(s, sizeof *s);
	pthread_mutex_unlock(&lock);
}
