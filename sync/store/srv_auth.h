/* srv_auth: the officials' accounts and their browser sessions, on the
 * server's store.
 *
 * An account has a unique name, a role (officer or supervisor), an argon2id
 * password hash (libsodium's crypto_pwhash_str, interactive limits) and a
 * disabled flag; accounts are made and changed with `motcua-server user`,
 * never from the browser. Logging in makes a session: a random token that
 * only the official's cookie holds (the table keeps its BLAKE2b hash, so a
 * copy of server.db opens no session) and a random CSRF token that every
 * form carries. A session ends after an idle time or an absolute lifetime,
 * whichever comes first. Failed logins are counted per account name and
 * origin (the client's address, an IPv6 /64; "" when there is none) in the
 * store, so a restart forgets nothing: from the fifth in a row that name
 * from that origin waits before it may try again, twice as long after each
 * further failure. A stranger guessing an official's password makes only
 * the stranger wait: the official, at another address, logs in as ever.
 *
 * Time is always passed in (Unix seconds), so tests can move it. Results:
 * 0 done, 1 refused (err says why, in words for the official or the staff
 * at the terminal), -1 the database failed (err says what). */
#ifndef MOTCUA_SRV_AUTH_H
#define MOTCUA_SRV_AUTH_H

#include <stddef.h>
#include "srv_db.h"

#define SRV_AUTH_NAME_MAX 64          /* bytes of an account name, with its NUL */
#define SRV_AUTH_PASSWORD_MIN 10      /* characters */
#define SRV_AUTH_PASSWORD_MAX 256     /* bytes */
#define SRV_AUTH_TOKEN_LEN 43         /* base64url of 32 random bytes, no padding */
#define SRV_AUTH_FREE_FAILURES 5      /* failed logins in a row before the name waits */
#define SRV_AUTH_FIRST_WAIT 30        /* seconds of the first wait; doubles, at most an hour */
#define SRV_AUTH_IDLE_DEFAULT (30 * 60)
#define SRV_AUTH_ABSOLUTE_DEFAULT (12 * 3600)

typedef struct {
	char name[SRV_AUTH_NAME_MAX];
	char role[16];               /* "officer" or "supervisor" */
	int disabled;
	long long created_at;
	long long last_login;        /* 0: never */
} srv_auth_user;

typedef struct {
	char name[SRV_AUTH_NAME_MAX];
	char role[16];
	char csrf[SRV_AUTH_TOKEN_LEN + 1];   /* what every form of this session must send back */
	long long created_at, last_seen;
} srv_auth_session;

typedef struct {
	long long idle;              /* seconds without a request; 0: SRV_AUTH_IDLE_DEFAULT */
	long long absolute;          /* seconds since login; 0: SRV_AUTH_ABSOLUTE_DEFAULT */
} srv_auth_limits;

/* 1 for "officer" and "supervisor", else 0. */
int srv_auth_role_valid(const char *role);

/* A new account. Refused: a bad name (1..63 bytes of letters, digits, . _ -),
 * an unknown role, a short or overlong password, a name already taken. */
int srv_auth_user_add(srv_db *d, const char *name, const char *role, const char *password, long long now,
	char *err, size_t errlen);
/* A new password; also clears the name's failed logins and ends its
 * sessions. Refused: unknown name, bad password. */
int srv_auth_user_passwd(srv_db *d, const char *name, const char *password, char *err, size_t errlen);
/* Disables an account and ends its sessions. Refused: unknown or already disabled. */
int srv_auth_user_disable(srv_db *d, const char *name, char *err, size_t errlen);
/* Calls each for every account in name order; stops at a non-zero return. 0 or -1. */
int srv_auth_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg,
	char *err, size_t errlen);

/* Checks a name and password and opens a session: token (the cookie's value,
 * SRV_AUTH_TOKEN_LEN + 1 bytes) and *session. Refused (1) for a wrong
 * password, an unknown or disabled name (the same words for all three) and
 * while the name waits after repeated failures (*wait_seconds > 0 then, the
 * password not even checked). Every refusal but a wait counts as a failure.
 * origin says where the attempt comes from (see above; NULL as ""). */
int srv_auth_login(srv_db *d, const char *name, const char *password, const char *origin, long long now,
	char token[SRV_AUTH_TOKEN_LEN + 1], srv_auth_session *session, long long *wait_seconds,
	char *err, size_t errlen);

/* The session of a cookie's token, still alive at now under lim (NULL:
 * defaults); its last_seen moves to now. 1 found, 0 none (unknown, expired
 * or its account disabled: an expired one is deleted), -1 error. */
int srv_auth_session_get(srv_db *d, const char *token, const srv_auth_limits *lim, long long now,
	srv_auth_session *out);

/* Ends the session of a token (unknown: nothing to do). 0 or -1. */
int srv_auth_logout(srv_db *d, const char *token);

/* Seconds the name must still wait before a login from origin is tried, 0
 * none, -1 error. */
long long srv_auth_wait(srv_db *d, const char *name, const char *origin, long long now);

/* 1 if given is exactly the session's CSRF token, compared in constant time;
 * 0 for NULL, empty or anything else. */
int srv_auth_csrf_ok(const srv_auth_session *s, const char *given);

/* A fresh random token (SRV_AUTH_TOKEN_LEN characters of base64url), for
 * sessions and for the login form's own CSRF cookie. */
void srv_auth_random_token(char out[SRV_AUTH_TOKEN_LEN + 1]);

/* 1 if the two tokens are equal and of the right length, in constant time. */
int srv_auth_token_equal(const char *a, const char *b);

#endif
