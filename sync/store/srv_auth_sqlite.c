/* srv_auth_sqlite: the SQLite backend of accounts, sessions and failed
 * logins (the srv_be_user_*, srv_be_failure*, srv_be_session_* of
 * srv_backend.h), on the tables staff_user, staff_session and
 * staff_login_failure. Each function is one statement, or one IMMEDIATE
 * transaction where it writes two tables. */
#include "srv_sqlite.h"
#include <stdio.h>
#include <string.h>

/* The statement q with up to three texts bound (NULL ends them). */
static sqlite3_stmt *texts(srv_db *d, srv_sqlite_q q, const char *a, const char *b, const char *c)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, q);
	const char *v[3] = { a, b, c };
	int i;
	for (i = 0; st && i < 3 && v[i]; i++) sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	return st;
}

/* Runs one statement of texts: rows changed, or -1. */
static int exec_texts(srv_db *d, srv_sqlite_q q, const char *a, const char *b)
{
	sqlite3_stmt *st = texts(d, q, a, b, NULL);
	return st && srv_sqlite_step_done(st) == SQLITE_DONE ? sqlite3_changes(d->sql) : -1;
}

static int in_transaction(srv_db *d, int rc, const char *what, char *err, size_t errlen)
{
	if (rc >= 0 && srv_sqlite_run(d, SQ_COMMIT) == SQLITE_DONE) return 0;
	srv_sqlite_fail(d, err, errlen, what);
	srv_sqlite_rollback(d);
	return -1;
}

int srv_be_user_insert(srv_db *d, const char *name, const char *role, const char *hash, long long now,
	char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_user_insert(d, name, role, hash, now, err, errlen));
	sqlite3_stmt *st = texts(d, SQ_USER_INSERT, name, role, hash);
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "adding the account");
	sqlite3_bind_int64(st, 4, now);
	rc = srv_sqlite_step_done(st);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "the name \"%s\" is taken", name);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "adding the account");
}

int srv_be_user_set_hash(srv_db *d, const char *name, const char *hash, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_user_set_hash(d, name, hash, err, errlen));
	int changed;
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "changing the password");
	changed = exec_texts(d, SQ_USER_SET_HASH, hash, name);
	/* A new password forgets the failures and ends every session: one
	 * opened with the old password (perhaps by whoever learnt it) must
	 * not outlive it. */
	if (changed > 0 && (exec_texts(d, SQ_FAILURE_CLEAR_ALL, name, NULL) < 0 ||
	    exec_texts(d, SQ_SESSIONS_OF, name, NULL) < 0)) changed = -1;
	if (in_transaction(d, changed, "changing the password", err, errlen) != 0) return -1;
	if (changed == 0) {
		snprintf(err, errlen, "no account named \"%s\"", name);
		return 1;
	}
	return 0;
}

int srv_be_user_disable(srv_db *d, const char *name, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_user_disable(d, name, err, errlen));
	int changed;
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "disabling the account");
	changed = exec_texts(d, SQ_USER_DISABLE, name, NULL);
	if (changed > 0 && exec_texts(d, SQ_SESSIONS_OF, name, NULL) < 0) changed = -1;
	if (in_transaction(d, changed, "disabling the account", err, errlen) != 0) return -1;
	if (changed == 0) {
		snprintf(err, errlen, "no enabled account named \"%s\"", name);
		return 1;
	}
	return 0;
}

int srv_be_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_users(d, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_USERS);
	srv_auth_user u;
	int rc;
	if (!st) return srv_sqlite_fail(d, err, errlen, "listing the accounts");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&u, 0, sizeof u);
		if (sqlx_copy_col(st, 0, u.name, sizeof u.name) != 0 || sqlx_copy_col(st, 1, u.role, sizeof u.role) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		u.disabled = sqlite3_column_int(st, 2);
		u.created_at = sqlite3_column_int64(st, 3);
		u.last_login = sqlite3_column_int64(st, 4);
		if (each(&u, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "listing the accounts");
}

int srv_be_user_get(srv_db *d, const char *name, char *hash, size_t hashlen, char role[16], int *disabled)
{
	SRV_PG_ROUTE(d, srv_pg_be_user_get(d, name, hash, hashlen, role, disabled));
	sqlite3_stmt *st = texts(d, SQ_USER_GET, name, NULL, NULL);
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlx_copy_col(st, 0, hash, hashlen) != 0 || sqlx_copy_col(st, 1, role, 16) != 0) rc = SQLITE_TOOBIG;
		*disabled = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_be_failures(srv_db *d, const char *name, const char *origin, long long *count, long long *last_at)
{
	SRV_PG_ROUTE(d, srv_pg_be_failures(d, name, origin, count, last_at));
	sqlite3_stmt *st = texts(d, SQ_FAILURES, name, origin, NULL);
	int rc;
	*count = *last_at = 0;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		*last_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_be_failure_add(srv_db *d, const char *name, const char *origin, long long now)
{
	SRV_PG_ROUTE(d, srv_pg_be_failure_add(d, name, origin, now));
	sqlite3_stmt *st = texts(d, SQ_FAILURE_ADD, name, origin, NULL);
	if (!st) return -1;
	sqlite3_bind_int64(st, 3, now);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

int srv_be_session_open(srv_db *d, const unsigned char key[32], const char *name, const char *origin,
	const char *csrf, long long now,
	long long sweep_before, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_be_session_open(d, key, name, origin, csrf, now, sweep_before, err, errlen));
	sqlite3_stmt *st;
	int ok;
	if (srv_sqlite_run(d, SQ_BEGIN_IMMEDIATE) != SQLITE_DONE)
		return srv_sqlite_fail(d, err, errlen, "opening a session");
	ok = (st = srv_sqlite_stmt(d, SQ_SESSION_INSERT)) != NULL;
	if (ok) {
		sqlite3_bind_blob(st, 1, key, 32, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, now);
		ok = srv_sqlite_step_done(st) == SQLITE_DONE;
	}
	ok = ok && exec_texts(d, SQ_FAILURE_CLEAR, name, origin) >= 0;
	if (ok && (ok = (st = srv_sqlite_stmt(d, SQ_USER_LOGIN)) != NULL)) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		ok = srv_sqlite_step_done(st) == SQLITE_DONE;
	}
	if (ok && (ok = (st = srv_sqlite_stmt(d, SQ_SESSIONS_SWEEP)) != NULL)) {
		sqlite3_bind_int64(st, 1, sweep_before);
		ok = srv_sqlite_step_done(st) == SQLITE_DONE;
	}
	return in_transaction(d, ok ? 0 : -1, "opening a session", err, errlen);
}

int srv_be_session_get(srv_db *d, const unsigned char key[32], srv_auth_session *out, int *disabled)
{
	SRV_PG_ROUTE(d, srv_pg_be_session_get(d, key, out, disabled));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_SESSION_GET);
	int rc;
	if (!st) return -1;
	sqlite3_bind_blob(st, 1, key, 32, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlx_copy_col(st, 0, out->name, sizeof out->name) != 0 ||
		    sqlx_copy_col(st, 1, out->role, sizeof out->role) != 0 ||
		    sqlx_copy_col(st, 2, out->csrf, sizeof out->csrf) != 0)
			rc = SQLITE_TOOBIG;
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen = sqlite3_column_int64(st, 4);
		*disabled = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_be_session_touch(srv_db *d, const unsigned char key[32], long long now)
{
	SRV_PG_ROUTE(d, srv_pg_be_session_touch(d, key, now));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_SESSION_TOUCH);
	if (!st) return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_blob(st, 2, key, 32, SQLITE_TRANSIENT);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}

int srv_be_session_delete(srv_db *d, const unsigned char key[32])
{
	SRV_PG_ROUTE(d, srv_pg_be_session_delete(d, key));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_SESSION_DELETE);
	if (!st) return -1;
	sqlite3_bind_blob(st, 1, key, 32, SQLITE_TRANSIENT);
	return srv_sqlite_step_done(st) == SQLITE_DONE ? 0 : -1;
}
