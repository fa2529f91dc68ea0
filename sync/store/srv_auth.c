/* srv_auth: accounts, sessions and failed logins (see srv_auth.h): the
 * rules (names, passwords, hashing, the wait after failures, the session's
 * lifetimes), on the rows a backend keeps (srv_backend.h). An
 * unknown name is checked against a fixed hash of a password nobody has,
 * so a login takes as long whether or not the name exists and the timing
 * does not tell which names are accounts. */
#include "srv_auth.h"
#include "srv_backend.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SESSION_KEEP (7 * 86400)      /* rows of sessions older than this are swept at login */
#define WAIT_MAX 3600

/* The argon2id hash of a password no account has, for unknown names. */
static const char unknown_name_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$M4wG0rKbOobVfkUV75sHRA$iLL9vlq6uEd/bgPDKuSVfF+sOrB06Bxqse0Outnwg7o";

static const char *const roles[] = { "officer", "supervisor" };

static const char refused_login[] = "Tên đăng nhập hoặc mật khẩu không đúng. / Wrong name or password.";

int srv_auth_role_valid(const char *role)
{
	size_t i;
	for (i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(role, roles[i]) == 0) return 1;
	return 0;
}

static int name_valid(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;
	if (len == 0 || len >= SRV_AUTH_NAME_MAX) return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Characters, not bytes: a Vietnamese passphrase is no weaker for its marks. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80) n++;
	return n;
}

static int password_refused(const char *password, char *err, size_t errlen)
{
	if (!password || utf8_chars(password) < SRV_AUTH_PASSWORD_MIN) {
		snprintf(err, errlen, "the password is too short: at least %d characters", SRV_AUTH_PASSWORD_MIN);
		return 1;
	}
	if (strlen(password) >= SRV_AUTH_PASSWORD_MAX) {
		snprintf(err, errlen, "the password is too long: at most %d bytes", SRV_AUTH_PASSWORD_MAX - 1);
		return 1;
	}
	return 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], char *err, size_t errlen)
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "hashing the password failed: out of memory");
		return -1;
	}
	return 0;
}

int srv_auth_user_add(srv_db *d, const char *name, const char *role, const char *password, long long now,
	char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;
	if (!name_valid(name)) {
		snprintf(err, errlen, "bad account name: 1 to %d letters, digits, '.', '_' or '-'", SRV_AUTH_NAME_MAX - 1);
		return 1;
	}
	if (!srv_auth_role_valid(role)) {
		snprintf(err, errlen, "unknown role \"%s\": expected officer or supervisor", role ? role : "");
		return 1;
	}
	if (password_refused(password, err, errlen)) return 1;
	if (hash_password(password, hash, err, errlen) != 0) return -1;
	rc = srv_be_user_insert(d, name, role, hash, now, err, errlen);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int srv_auth_user_passwd(srv_db *d, const char *name, const char *password, char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;
	if (password_refused(password, err, errlen)) return 1;
	if (hash_password(password, hash, err, errlen) != 0) return -1;
	rc = srv_be_user_set_hash(d, name, hash, err, errlen);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int srv_auth_user_disable(srv_db *d, const char *name, char *err, size_t errlen)
{
	return srv_be_user_disable(d, name, err, errlen);
}

int srv_auth_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg,
	char *err, size_t errlen)
{
	return srv_be_users(d, each, arg, err, errlen);
}

/* ---- tokens ---- */

void srv_auth_random_token(char out[SRV_AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SRV_AUTH_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

int srv_auth_token_equal(const char *a, const char *b)
{
	if (!a || !b || strlen(a) != SRV_AUTH_TOKEN_LEN || strlen(b) != SRV_AUTH_TOKEN_LEN) return 0;
	return sodium_memcmp(a, b, SRV_AUTH_TOKEN_LEN) == 0;
}

int srv_auth_csrf_ok(const srv_auth_session *s, const char *given)
{
	return s && srv_auth_token_equal(s->csrf, given);
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* ---- failed logins ---- */

static long long wait_after(long long failures)
{
	long long wait = SRV_AUTH_FIRST_WAIT;
	if (failures < SRV_AUTH_FREE_FAILURES) return 0;
	for (; failures > SRV_AUTH_FREE_FAILURES && wait < WAIT_MAX; failures--) wait *= 2;
	return wait < WAIT_MAX ? wait : WAIT_MAX;
}

long long srv_auth_wait(srv_db *d, const char *name, const char *origin, long long now)
{
	long long count = 0, last_at = 0, left;
	int rc = srv_be_failures(d, name, origin ? origin : "", &count, &last_at);
	if (rc < 0) return -1;
	if (rc == 0) return 0;
	left = last_at + wait_after(count) - now;
	return left < 0 ? 0 : left;
}

/* ---- logging in ---- */

int srv_auth_login(srv_db *d, const char *name, const char *password, const char *origin, long long now,
	char token[SRV_AUTH_TOKEN_LEN + 1], srv_auth_session *session, long long *wait_seconds,
	char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES], role[16] = "";
	unsigned char key[32];
	int found = 0, disabled = 0, good;
	long long wait;
	*wait_seconds = 0;
	token[0] = '\0';
	memset(session, 0, sizeof *session);
	if (!name_valid(name) || !password || strlen(password) >= SRV_AUTH_PASSWORD_MAX) {
		snprintf(err, errlen, "%s", refused_login);
		return 1;
	}
	if (!origin) origin = "";
	if ((wait = srv_auth_wait(d, name, origin, now)) < 0) {
		snprintf(err, errlen, "reading failed logins: the store did not answer");
		return -1;
	}
	if (wait > 0) {
		*wait_seconds = wait;
		snprintf(err, errlen, "Quá nhiều lần đăng nhập sai: xin chờ %lld giây. / Too many failed logins:"
			" wait %lld s.", wait, wait);
		return 1;
	}
	if ((found = srv_be_user_get(d, name, hash, sizeof hash, role, &disabled)) < 0) {
		snprintf(err, errlen, "reading the account: the store did not answer");
		return -1;
	}
	good = crypto_pwhash_str_verify(found ? hash : unknown_name_hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	if (!found || !good || disabled) {
		if (srv_be_failure_add(d, name, origin, now) != 0) {
			snprintf(err, errlen, "counting a failed login: the store did not answer");
			return -1;
		}
		snprintf(err, errlen, "%s", refused_login);
		return 1;
	}
	srv_auth_random_token(token);
	srv_auth_random_token(session->csrf);
	snprintf(session->name, sizeof session->name, "%s", name);
	snprintf(session->role, sizeof session->role, "%s", role);
	session->created_at = session->last_seen = now;
	token_hash(token, key);
	if (srv_be_session_open(d, key, name, origin, session->csrf, now, now - SESSION_KEEP, err, errlen) != 0) {
		token[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- sessions ---- */

int srv_auth_session_get(srv_db *d, const char *token, const srv_auth_limits *lim, long long now,
	srv_auth_session *out)
{
	unsigned char key[32];
	long long idle = lim && lim->idle > 0 ? lim->idle : SRV_AUTH_IDLE_DEFAULT;
	long long absolute = lim && lim->absolute > 0 ? lim->absolute : SRV_AUTH_ABSOLUTE_DEFAULT;
	int rc, disabled = 0;
	memset(out, 0, sizeof *out);
	if (!token || strlen(token) != SRV_AUTH_TOKEN_LEN) return 0;
	token_hash(token, key);
	rc = srv_be_session_get(d, key, out, &disabled);
	if (rc != 1) return rc;
	if (disabled || now - out->last_seen > idle || now - out->created_at > absolute) {
		memset(out, 0, sizeof *out);
		return srv_be_session_delete(d, key) == 0 ? 0 : -1;
	}
	if (now > out->last_seen) {
		if (srv_be_session_touch(d, key, now) != 0) return -1;
		out->last_seen = now;
	}
	return 1;
}

int srv_auth_logout(srv_db *d, const char *token)
{
	unsigned char key[32];
	if (!token || strlen(token) != SRV_AUTH_TOKEN_LEN) return 0;
	token_hash(token, key);
	return srv_be_session_delete(d, key);
}
