/* office_session: who is signed in at which counter.
 *
 * Staff sign in at a counter with the kiosk's staff PIN (kiosk.ini's
 * argon2id hash, config_check_pin), so an office has one secret to keep,
 * and the wrong-PIN lock is the kiosk's own (dbpin_lock, kept in the
 * store): guesses at the counter page and at the kiosk's pad count
 * together, and a restart clears neither. A session is a random 256-bit
 * cookie (HttpOnly, SameSite=Strict) with its own form token; sessions
 * live in memory only: a restart signs the counters out and loses no
 * ticket or call, which are in the store. */
#ifndef MOTCUA_OFFICE_SESSION_H
#define MOTCUA_OFFICE_SESSION_H

#include <stddef.h>
#include "config.h"
#include "db.h"
#include "dbpin.h"
#include "office_http.h"

#define OFFICE_SESSION_COOKIE "motcua_counter"
#define OFFICE_SESSIONS 64
#define OFFICE_SESSION_SECONDS (12 * 3600)

typedef enum { OFFICE_SIGNIN_OK, OFFICE_SIGNIN_WRONG, OFFICE_SIGNIN_LOCKED, OFFICE_SIGNIN_ERROR } office_signin;

/* Checks pin against cfg's hash under the store's lock (d held by the
 * caller). On OK, a new session for counter: its cookie value into
 * cookie (65 bytes). *wait_seconds: how long a locked pad stays locked. */
office_signin office_session_sign_in(const config *cfg, db *d, const char *pin, int counter,
	char cookie[65], long long *wait_seconds);

/* The session of a cookie value: who (counter 0 when none or expired). */
void office_session_find(const char *cookie, office_who *who);

/* Ends the session of a cookie value. */
void office_session_end(const char *cookie);

#endif
