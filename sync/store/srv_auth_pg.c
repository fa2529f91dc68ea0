/* srv_auth_pg: the PostgreSQL backend of accounts, sessions and failed
 * logins (the srv_be_user_*, srv_be_failure*, srv_be_session_* of
 * srv_backend.h), and of the public figures' scans (srv_be_scan). Each
 * function is one statement, or one transaction where it writes two
 * tables; the scans read one REPEATABLE READ snapshot. */
#include "srv_pg_int.h"
#include "status.h"
#include <stdio.h>
#include <string.h>

/* Runs one statement of up to three texts: rows changed, or -1. */
static long long texts(srv_db *d, srv_pg_slot q, const char *sql, const char *x, const char *y, const char *z)
{
	pg_args a = { 0 };
	if (x) pa_t(&a, x);
	if (y) pa_t(&a, y);
	if (z) pa_t(&a, z);
	return srv_pg_cmd(d, q, sql, &a);
}

static int in_transaction(srv_db *d, long long rc, const char *what, char *err, size_t errlen)
{
	if (rc >= 0 && srv_pg_exec(d, "COMMIT") == 0) return 0;
	srv_pg_fail(d, err, errlen, what);
	srv_pg_rollback(d);
	return -1;
}

#define FAILURE_CLEAR_ALL "DELETE FROM staff_login_failure WHERE name = $1::text"
#define SESSIONS_OF "DELETE FROM staff_session WHERE name = $1::text"

int srv_pg_be_user_insert(srv_db *d, const char *name, const char *role, const char *hash, long long now,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_t(&a, name);
	pa_t(&a, role);
	pa_t(&a, hash);
	pa_i(&a, now);
	if (srv_pg_cmd(d, SP_USER_INSERT, "INSERT INTO staff_user(name, role, hash, created_at)"
			" VALUES($1::text, $2::text, $3::text, $4::bigint)", &a) >= 0)
		return 0;
	if (srv_pg_unique_violation(d)) {
		snprintf(err, errlen, "the name \"%s\" is taken", name);
		return 1;
	}
	return srv_pg_fail(d, err, errlen, "adding the account");
}

int srv_pg_be_user_set_hash(srv_db *d, const char *name, const char *hash, char *err, size_t errlen)
{
	long long changed;
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "changing the password");
	changed = texts(d, SP_USER_SET_HASH, "UPDATE staff_user SET hash = $1::text WHERE name = $2::text", hash, name, NULL);
	/* A new password forgets the failures and ends every session. */
	if (changed > 0 && (texts(d, SP_FAILURE_CLEAR_ALL, FAILURE_CLEAR_ALL, name, NULL, NULL) < 0 ||
	    texts(d, SP_SESSIONS_OF, SESSIONS_OF, name, NULL, NULL) < 0))
		changed = -1;
	if (in_transaction(d, changed, "changing the password", err, errlen) != 0) return -1;
	if (changed == 0) {
		snprintf(err, errlen, "no account named \"%s\"", name);
		return 1;
	}
	return 0;
}

int srv_pg_be_user_disable(srv_db *d, const char *name, char *err, size_t errlen)
{
	long long changed;
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "disabling the account");
	changed = texts(d, SP_USER_DISABLE, "UPDATE staff_user SET disabled = true WHERE name = $1::text AND NOT disabled",
		name, NULL, NULL);
	if (changed > 0 && texts(d, SP_SESSIONS_OF, SESSIONS_OF, name, NULL, NULL) < 0) changed = -1;
	if (in_transaction(d, changed, "disabling the account", err, errlen) != 0) return -1;
	if (changed == 0) {
		snprintf(err, errlen, "no enabled account named \"%s\"", name);
		return 1;
	}
	return 0;
}

int srv_pg_be_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg, char *err, size_t errlen)
{
	PGresult *r = srv_pg_q(d, SP_USERS, "SELECT name, role, disabled::int, created_at, last_login FROM staff_user"
		" ORDER BY name", NULL);
	srv_auth_user u;
	int i;
	if (!r) return srv_pg_fail(d, err, errlen, "listing the accounts");
	for (i = 0; i < PQntuples(r); i++) {
		memset(&u, 0, sizeof u);
		if (srv_pg_copy(r, i, 0, u.name, sizeof u.name) != 0 || srv_pg_copy(r, i, 1, u.role, sizeof u.role) != 0) {
			PQclear(r);
			snprintf(err, errlen, "listing the accounts: a stored name is too long");
			return -1;
		}
		u.disabled = (int)srv_pg_ll(r, i, 2);
		u.created_at = srv_pg_ll(r, i, 3);
		u.last_login = srv_pg_ll(r, i, 4);
		if (each(&u, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}

int srv_pg_be_user_get(srv_db *d, const char *name, char *hash, size_t hashlen, char role[16], int *disabled)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, name);
	if (!(r = srv_pg_q(d, SP_USER_GET, "SELECT hash, role, disabled::int FROM staff_user WHERE name = $1::text", &a)))
		return -1;
	rc = PQntuples(r) == 0 ? 0 : 1;
	if (rc == 1) {
		if (srv_pg_copy(r, 0, 0, hash, hashlen) != 0 || srv_pg_copy(r, 0, 1, role, 16) != 0) rc = -1;
		*disabled = (int)srv_pg_ll(r, 0, 2);
	}
	PQclear(r);
	return rc;
}

int srv_pg_be_failures(srv_db *d, const char *name, const char *origin, long long *count, long long *last_at)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	*count = *last_at = 0;
	pa_t(&a, name);
	pa_t(&a, origin);
	if (!(r = srv_pg_q(d, SP_FAILURES, "SELECT count, last_at FROM staff_login_failure WHERE name = $1::text"
			" AND origin = $2::text", &a)))
		return -1;
	rc = PQntuples(r) > 0;
	if (rc) {
		*count = srv_pg_ll(r, 0, 0);
		*last_at = srv_pg_ll(r, 0, 1);
	}
	PQclear(r);
	return rc;
}

int srv_pg_be_failure_add(srv_db *d, const char *name, const char *origin, long long now)
{
	pg_args a = { 0 };
	pa_t(&a, name);
	pa_t(&a, origin);
	pa_i(&a, now);
	return srv_pg_cmd(d, SP_FAILURE_ADD, "INSERT INTO staff_login_failure(name, origin, count, last_at)"
		" VALUES($1::text, $2::text, 1, $3::bigint) ON CONFLICT(name, origin) DO UPDATE"
		" SET count = staff_login_failure.count + 1, last_at = excluded.last_at", &a) < 0 ? -1 : 0;
}

int srv_pg_be_session_open(srv_db *d, const unsigned char key[32], const char *name, const char *origin,
	const char *csrf, long long now, long long sweep_before, char *err, size_t errlen)
{
	pg_args a = { 0 };
	long long rc;
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "opening a session");
	pa_b(&a, key, 32);
	pa_t(&a, name);
	pa_t(&a, csrf);
	pa_i(&a, now);
	rc = srv_pg_cmd(d, SP_SESSION_INSERT, "INSERT INTO staff_session(hash, name, csrf, created_at, last_seen)"
		" VALUES($1::bytea, $2::text, $3::text, $4::bigint, $4)", &a);
	if (rc >= 0) rc = texts(d, SP_FAILURE_CLEAR, "DELETE FROM staff_login_failure WHERE name = $1::text"
		" AND origin = $2::text", name, origin, NULL);
	if (rc >= 0) {
		memset(&a, 0, sizeof a);
		pa_i(&a, now);
		pa_t(&a, name);
		rc = srv_pg_cmd(d, SP_USER_LOGIN, "UPDATE staff_user SET last_login = $1::bigint WHERE name = $2::text", &a);
	}
	if (rc >= 0) {
		memset(&a, 0, sizeof a);
		pa_i(&a, sweep_before);
		rc = srv_pg_cmd(d, SP_SESSIONS_SWEEP, "DELETE FROM staff_session WHERE created_at < $1::bigint", &a);
	}
	return in_transaction(d, rc, "opening a session", err, errlen);
}

int srv_pg_be_session_get(srv_db *d, const unsigned char key[32], srv_auth_session *out, int *disabled)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_b(&a, key, 32);
	if (!(r = srv_pg_q(d, SP_SESSION_GET, "SELECT s.name, u.role, s.csrf, s.created_at, s.last_seen, u.disabled::int"
			" FROM staff_session s JOIN staff_user u ON u.name = s.name WHERE s.hash = $1::bytea", &a)))
		return -1;
	rc = PQntuples(r) > 0;
	if (rc) {
		if (srv_pg_copy(r, 0, 0, out->name, sizeof out->name) != 0 || srv_pg_copy(r, 0, 1, out->role, sizeof out->role) != 0 ||
		    srv_pg_copy(r, 0, 2, out->csrf, sizeof out->csrf) != 0)
			rc = -1;
		out->created_at = srv_pg_ll(r, 0, 3);
		out->last_seen = srv_pg_ll(r, 0, 4);
		*disabled = (int)srv_pg_ll(r, 0, 5);
	}
	PQclear(r);
	return rc;
}

int srv_pg_be_session_touch(srv_db *d, const unsigned char key[32], long long now)
{
	pg_args a = { 0 };
	pa_i(&a, now);
	pa_b(&a, key, 32);
	return srv_pg_cmd(d, SP_SESSION_TOUCH, "UPDATE staff_session SET last_seen = $1::bigint WHERE hash = $2::bytea",
		&a) < 0 ? -1 : 0;
}

int srv_pg_be_session_delete(srv_db *d, const unsigned char key[32])
{
	pg_args a = { 0 };
	pa_b(&a, key, 32);
	return srv_pg_cmd(d, SP_SESSION_DELETE, "DELETE FROM staff_session WHERE hash = $1::bytea", &a) < 0 ? -1 : 0;
}

/* ---- the figures' scans ---- */

/* $1 the month's start, $2 the year's, $3 today (Vietnam time): each reads
 * a range of one covering index, as the SQLite backend's do. */
static const char *const scan_sql[3] = {
	"SELECT commune, category, (received_at >= $1::bigint)::int FROM request WHERE received_at >= $2::bigint"
	" AND $3::text IS NOT NULL",
	"SELECT commune, category, (closed_at >= $1::bigint)::int, coalesce(on_time::int, 0), closed_at - received_at"
	" FROM request WHERE closed_at >= $2::bigint AND status IN " STATUS_ANSWERED_SQL " AND $3::text IS NOT NULL",
	"SELECT commune, category FROM request WHERE " STATUS_OVERDUE_PG_SQL("$3::text")
	" AND $1::bigint IS NOT NULL AND $2::bigint IS NOT NULL",
};

int srv_pg_be_scan(srv_db *d, long long month_start, long long year_start, const char *today, int closed_only,
	const srv_be_sink *sink, void *arg, char *err, size_t errlen)
{
	static const srv_pg_slot slot[3] = { SP_STATS_RECEIVED, SP_STATS_CLOSED, SP_STATS_OVERDUE };
	pg_args a = { 0 };
	int k, i, stop = 0;
	pa_i(&a, month_start);
	pa_i(&a, year_start);
	pa_t(&a, today);
	/* One snapshot: the three scans see the same requests. */
	if (srv_pg_exec(d, SRV_PG_BEGIN_SNAPSHOT) != 0) return srv_pg_fail(d, err, errlen, "computing the figures");
	for (k = 0; k < 3 && !stop; k++) {
		PGresult *r;
		if (closed_only && k != 1) continue;
		if (!(r = srv_pg_q(d, slot[k], scan_sql[k], &a))) {
			srv_pg_fail(d, err, errlen, "computing the figures");
			srv_pg_rollback(d);
			return -1;
		}
		for (i = 0; i < PQntuples(r) && !stop; i++) {
			const char *commune = PQgetvalue(r, i, 0), *category = PQgetvalue(r, i, 1);
			if (k == 0) stop = sink->received(arg, commune, category, (int)srv_pg_ll(r, i, 2));
			else if (k == 2) stop = sink->overdue(arg, commune, category);
			else stop = sink->closed(arg, commune, category, (int)srv_pg_ll(r, i, 2), (int)srv_pg_ll(r, i, 3),
				srv_pg_ll(r, i, 4));
		}
		PQclear(r);
	}
	srv_pg_exec(d, "COMMIT");
	if (stop) {
		snprintf(err, errlen, "computing the figures: out of memory");
		return -1;
	}
	return 0;
}
