/* srv_auth: accounts, sessions and failed logins (see srv_auth.h).
 *
 * Statements are prepared per call: logins and session checks come at the
 * pace of a few officials clicking, far from where preparing costs. An
 * unknown name is checked against a fixed hash of a password nobody has,
 * so a login takes as long whether or not the name exists and the timing
 * does not tell which names are accounts. */
#include "srv_auth.h"
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define SESSION_KEEP (7 * 86400)      /* rows of sessions older than this are swept at login */
#define WAIT_MAX 3600

const char srv_auth_schema[] =
	"CREATE TABLE staff_user("
	" name TEXT PRIMARY KEY,"
	" role TEXT NOT NULL CHECK(role IN ('officer', 'supervisor')),"
	" hash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" last_login INTEGER NOT NULL DEFAULT 0);"
	/* hash: BLAKE2b-256 of the cookie's token; the token itself is never stored. */
	"CREATE TABLE staff_session("
	" hash BLOB PRIMARY KEY,"
	" name TEXT NOT NULL REFERENCES staff_user(name),"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);"
	"CREATE INDEX staff_session_name ON staff_session(name);"
	"CREATE TABLE staff_login_failure("
	" name TEXT PRIMARY KEY,"
	" count INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL);";

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

static int db_fail(sqlite3 *sql, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(sql));
	return -1;
}

/* Runs one statement with text parameters (NULL ends the list); the number
 * of rows it changed, or -1. */
static int exec_text(sqlite3 *sql, const char *text, const char *a, const char *b, const char *c)
{
	sqlite3_stmt *st;
	const char *params[3] = { a, b, c };
	int i, rc;
	if (sqlite3_prepare_v2(sql, text, -1, &st, NULL) != SQLITE_OK) return -1;
	for (i = 0; i < 3 && params[i]; i++) sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? sqlite3_changes(sql) : -1;
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
	sqlite3 *sql = srv_db_sql(d);
	sqlite3_stmt *st;
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
	if (sqlite3_prepare_v2(sql, "INSERT INTO staff_user(name, role, hash, created_at) VALUES(?, ?, ?, ?)",
			-1, &st, NULL) != SQLITE_OK)
		return db_fail(sql, "adding the account", err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof hash);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "the name \"%s\" is taken", name);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : db_fail(sql, "adding the account", err, errlen);
}

int srv_auth_user_passwd(srv_db *d, const char *name, const char *password, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	char hash[crypto_pwhash_STRBYTES];
	int changed;
	if (password_refused(password, err, errlen)) return 1;
	if (hash_password(password, hash, err, errlen) != 0) return -1;
	changed = exec_text(sql, "UPDATE staff_user SET hash = ? WHERE name = ?", hash, name, NULL);
	sodium_memzero(hash, sizeof hash);
	if (changed < 0) return db_fail(sql, "changing the password", err, errlen);
	if (changed == 0) {
		snprintf(err, errlen, "no account named \"%s\"", name);
		return 1;
	}
	if (exec_text(sql, "DELETE FROM staff_login_failure WHERE name = ?", name, NULL, NULL) < 0)
		return db_fail(sql, "clearing failed logins", err, errlen);
	return 0;
}

int srv_auth_user_disable(srv_db *d, const char *name, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	int changed;
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(sql, "disabling the account", err, errlen);
	changed = exec_text(sql, "UPDATE staff_user SET disabled = 1 WHERE name = ? AND disabled = 0", name, NULL, NULL);
	if (changed > 0 && exec_text(sql, "DELETE FROM staff_session WHERE name = ?", name, NULL, NULL) < 0)
		changed = -1;
	if (changed < 0) {
		db_fail(sql, "disabling the account", err, errlen);
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(sql, "disabling the account", err, errlen);
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (changed == 0) {
		snprintf(err, errlen, "no enabled account named \"%s\"", name);
		return 1;
	}
	return 0;
}

static void copy_text(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", s ? s : "");
}

int srv_auth_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg,
	char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	sqlite3_stmt *st;
	srv_auth_user u;
	int rc;
	if (sqlite3_prepare_v2(sql, "SELECT name, role, disabled, created_at, last_login FROM staff_user"
			" ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return db_fail(sql, "listing the accounts", err, errlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&u, 0, sizeof u);
		copy_text(st, 0, u.name, sizeof u.name);
		copy_text(st, 1, u.role, sizeof u.role);
		u.disabled = sqlite3_column_int(st, 2);
		u.created_at = sqlite3_column_int64(st, 3);
		u.last_login = sqlite3_column_int64(st, 4);
		if (each(&u, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(sql, "listing the accounts", err, errlen);
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

long long srv_auth_wait(srv_db *d, const char *name, long long now)
{
	sqlite3_stmt *st;
	long long left = 0;
	int rc;
	if (sqlite3_prepare_v2(srv_db_sql(d), "SELECT count, last_at FROM staff_login_failure WHERE name = ?",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		left = sqlite3_column_int64(st, 1) + wait_after(sqlite3_column_int64(st, 0)) - now;
		if (left < 0) left = 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? left : -1;
}

static int count_failure(sqlite3 *sql, const char *name, long long now)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "INSERT INTO staff_login_failure(name, count, last_at) VALUES(?, 1, ?)"
			" ON CONFLICT(name) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
			-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- logging in ---- */

/* The account's hash, role and state: 1 found, 0 unknown, -1 error. */
static int user_get(sqlite3 *sql, const char *name, char hash[crypto_pwhash_STRBYTES], char role[16], int *disabled)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "SELECT hash, role, disabled FROM staff_user WHERE name = ?", -1, &st, NULL)
			!= SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_text(st, 0, hash, crypto_pwhash_STRBYTES);
		copy_text(st, 1, role, 16);
		*disabled = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int session_insert(sqlite3 *sql, const char *token, const char *name, const char *csrf, long long now)
{
	sqlite3_stmt *st;
	unsigned char hash[32];
	int rc;
	token_hash(token, hash);
	if (sqlite3_prepare_v2(sql, "INSERT INTO staff_session(hash, name, csrf, created_at, last_seen)"
			" VALUES(?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int after_success(sqlite3 *sql, const char *name, long long now)
{
	sqlite3_stmt *st;
	int rc;
	if (exec_text(sql, "DELETE FROM staff_login_failure WHERE name = ?", name, NULL, NULL) < 0) return -1;
	if (sqlite3_prepare_v2(sql, "UPDATE staff_user SET last_login = ?1 WHERE name = ?2", -1, &st, NULL)
			!= SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) return -1;
	if (sqlite3_prepare_v2(sql, "DELETE FROM staff_session WHERE created_at < ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, now - SESSION_KEEP);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int srv_auth_login(srv_db *d, const char *name, const char *password, long long now,
	char token[SRV_AUTH_TOKEN_LEN + 1], srv_auth_session *session, long long *wait_seconds,
	char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	char hash[crypto_pwhash_STRBYTES], role[16] = "";
	int found = 0, disabled = 0, good;
	long long wait;
	*wait_seconds = 0;
	token[0] = '\0';
	memset(session, 0, sizeof *session);
	if (!name_valid(name) || !password || strlen(password) >= SRV_AUTH_PASSWORD_MAX) {
		snprintf(err, errlen, "%s", refused_login);
		return 1;
	}
	if ((wait = srv_auth_wait(d, name, now)) < 0) return db_fail(sql, "reading failed logins", err, errlen);
	if (wait > 0) {
		*wait_seconds = wait;
		snprintf(err, errlen, "Quá nhiều lần đăng nhập sai: xin chờ %lld giây. / Too many failed logins:"
			" wait %lld s.", wait, wait);
		return 1;
	}
	if ((found = user_get(sql, name, hash, role, &disabled)) < 0)
		return db_fail(sql, "reading the account", err, errlen);
	good = crypto_pwhash_str_verify(found ? hash : unknown_name_hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	if (!found || !good || disabled) {
		if (count_failure(sql, name, now) != 0) return db_fail(sql, "counting a failed login", err, errlen);
		snprintf(err, errlen, "%s", refused_login);
		return 1;
	}
	srv_auth_random_token(token);
	srv_auth_random_token(session->csrf);
	snprintf(session->name, sizeof session->name, "%s", name);
	snprintf(session->role, sizeof session->role, "%s", role);
	session->created_at = session->last_seen = now;
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(sql, "opening a session", err, errlen);
	if (session_insert(sql, token, name, session->csrf, now) != 0 || after_success(sql, name, now) != 0) {
		db_fail(sql, "opening a session", err, errlen);
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		token[0] = '\0';
		return -1;
	}
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(sql, "opening a session", err, errlen);
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		token[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- sessions ---- */

static int session_delete(sqlite3 *sql, const unsigned char hash[32])
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "DELETE FROM staff_session WHERE hash = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int srv_auth_session_get(srv_db *d, const char *token, const srv_auth_limits *lim, long long now,
	srv_auth_session *out)
{
	sqlite3 *sql = srv_db_sql(d);
	sqlite3_stmt *st;
	unsigned char hash[32];
	long long idle = lim && lim->idle > 0 ? lim->idle : SRV_AUTH_IDLE_DEFAULT;
	long long absolute = lim && lim->absolute > 0 ? lim->absolute : SRV_AUTH_ABSOLUTE_DEFAULT;
	int rc, disabled = 0;
	memset(out, 0, sizeof *out);
	if (!token || strlen(token) != SRV_AUTH_TOKEN_LEN) return 0;
	token_hash(token, hash);
	if (sqlite3_prepare_v2(sql, "SELECT s.name, u.role, s.csrf, s.created_at, s.last_seen, u.disabled"
			" FROM staff_session s JOIN staff_user u ON u.name = s.name WHERE s.hash = ?", -1, &st, NULL)
			!= SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_text(st, 0, out->name, sizeof out->name);
		copy_text(st, 1, out->role, sizeof out->role);
		copy_text(st, 2, out->csrf, sizeof out->csrf);
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen = sqlite3_column_int64(st, 4);
		disabled = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) return 0;
	if (rc != SQLITE_ROW) return -1;
	if (disabled || now - out->last_seen > idle || now - out->created_at > absolute) {
		memset(out, 0, sizeof *out);
		return session_delete(sql, hash) == 0 ? 0 : -1;
	}
	if (now > out->last_seen) {
		if (sqlite3_prepare_v2(sql, "UPDATE staff_session SET last_seen = ? WHERE hash = ?", -1, &st, NULL)
				!= SQLITE_OK)
			return -1;
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) return -1;
		out->last_seen = now;
	}
	return 1;
}

int srv_auth_logout(srv_db *d, const char *token)
{
	unsigned char hash[32];
	if (!token || strlen(token) != SRV_AUTH_TOKEN_LEN) return 0;
	token_hash(token, hash);
	return session_delete(srv_db_sql(d), hash);
}
