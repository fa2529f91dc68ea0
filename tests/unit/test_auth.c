/* Tests for srv_auth, the officials' accounts and sessions: passwords hashed
 * and checked, wrong and disabled logins refused alike, sessions found by
 * their cookie's token and ended by idle time and by absolute lifetime with
 * a clock the test moves, CSRF tokens compared exactly, and failed logins
 * counted per name across a reopened store until the name must wait. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "srv_auth.h"
#include "srv_db.h"

#define NOW 1763780400LL         /* 2025-11-22 10:00 in Vietnam */
#define PASSWORD "đúng mật khẩu 2025"

typedef struct {
	char dir[64];
	srv_db *db;
	fx_disk *disk;               /* the test's own connection on the store */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[300];
	if (!f || sodium_init() < 0) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "auth");
	if (!(f->db = fx_srv_open(f->dir)) || !(f->disk = fx_disk_open(f->dir))) return -1;
	if (srv_auth_user_add(f->db, "lan.officer", "officer", PASSWORD, NOW, err, sizeof err) != 0) return -1;
	if (srv_auth_user_add(f->db, "minh", "supervisor", PASSWORD, NOW, err, sizeof err) != 0) return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fx_disk_close(f->disk);
	f->disk = NULL;
	srv_db_close(f->db);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

static int login(fixture *f, const char *name, const char *password, long long now, char *token,
	srv_auth_session *s, long long *wait)
{
	char err[300];
	return srv_auth_login(f->db, name, password, "203.0.113.7", now, token, s, wait, err, sizeof err);
}

static void check_hash(const char *const *v, const int *lens, int ncols, void *arg)
{
	(void)lens; (void)ncols; (void)arg;
	assert_non_null(strstr(v[0], "$argon2id$"));
	assert_null(strstr(v[0], PASSWORD));
	assert_int_equal(crypto_pwhash_str_verify(v[0], PASSWORD, strlen(PASSWORD)), 0);
}

static void test_hash_stored_not_password(void **state)
{
	fixture *f = *state;
	assert_int_equal(fx_disk_rows(f->disk, "SELECT hash FROM staff_user WHERE name = 'minh'", NULL, 0,
		check_hash, NULL), 1);
}

static void test_add_refusals(void **state)
{
	fixture *f = *state;
	char err[300];
	assert_int_equal(srv_auth_user_add(f->db, "minh", "officer", PASSWORD, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "taken"));
	assert_int_equal(srv_auth_user_add(f->db, "hoa", "admin", PASSWORD, NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "role"));
	assert_int_equal(srv_auth_user_add(f->db, "hoa", "officer", "short", NOW, err, sizeof err), 1);
	assert_non_null(strstr(err, "short"));
	assert_int_equal(srv_auth_user_add(f->db, "bad name", "officer", PASSWORD, NOW, err, sizeof err), 1);
	assert_int_equal(srv_auth_user_add(f->db, "", "officer", PASSWORD, NOW, err, sizeof err), 1);
	/* ten characters with their marks are enough, whatever their bytes */
	assert_int_equal(srv_auth_user_add(f->db, "hoa", "officer", "mậtkhẩuđủ1", NOW, err, sizeof err), 0);
}

static void test_login_and_wrong_password(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], err[300];
	srv_auth_session s, got;
	long long wait;
	assert_int_equal(login(f, "lan.officer", PASSWORD, NOW, token, &s, &wait), 0);
	assert_int_equal(strlen(token), SRV_AUTH_TOKEN_LEN);
	assert_string_equal(s.role, "officer");
	assert_int_equal(strlen(s.csrf), SRV_AUTH_TOKEN_LEN);
	assert_string_not_equal(s.csrf, token);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 10, &got), 1);
	assert_string_equal(got.name, "lan.officer");
	assert_string_equal(got.csrf, s.csrf);
	assert_int_equal(srv_auth_login(f->db, "lan.officer", "sai mật khẩu rồi", "203.0.113.7", NOW, token, &s, &wait,
		err, sizeof err), 1);
	assert_string_equal(token, "");
	assert_int_equal(wait, 0);
	assert_int_equal(srv_auth_login(f->db, "nobody", PASSWORD, "203.0.113.7", NOW, token, &s, &wait, err, sizeof err), 1);
	/* the same words for an unknown name: they do not tell which names exist */
	{
		char err2[300];
		srv_auth_login(f->db, "lan.officer", "sai mật khẩu rồi", "203.0.113.7", NOW, token, &s, &wait, err2, sizeof err2);
		assert_string_equal(err, err2);
	}
	/* a token that was never issued, a truncated one, nothing */
	assert_int_equal(srv_auth_session_get(f->db, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NOW, &got), 0);
	assert_int_equal(srv_auth_session_get(f->db, "short", NULL, NOW, &got), 0);
	assert_int_equal(srv_auth_session_get(f->db, NULL, NULL, NOW, &got), 0);
}

static void check_session_key(const char *const *v, const int *lens, int ncols, void *token)
{
	(void)ncols;
	assert_int_equal(lens[0], 32);
	assert_memory_not_equal(v[0], token, 32);
}

static void test_session_token_not_stored(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1];
	srv_auth_session s;
	long long wait;
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	assert_int_equal(fx_disk_rows(f->disk, "SELECT hash FROM staff_session", NULL, 0, check_session_key, token), 1);
}

static void test_disabled_user(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], err[300];
	srv_auth_session s, got;
	long long wait;
	assert_int_equal(login(f, "lan.officer", PASSWORD, NOW, token, &s, &wait), 0);
	assert_int_equal(srv_auth_user_disable(f->db, "lan.officer", err, sizeof err), 0);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 1, &got), 0);
	assert_int_equal(login(f, "lan.officer", PASSWORD, NOW + 2, token, &s, &wait), 1);
	assert_int_equal(srv_auth_user_disable(f->db, "lan.officer", err, sizeof err), 1);
	assert_int_equal(srv_auth_user_disable(f->db, "nobody", err, sizeof err), 1);
}

static void test_idle_expiry(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1];
	srv_auth_session s, got;
	srv_auth_limits lim = { 60, 3600 };
	long long wait, t = NOW;
	assert_int_equal(login(f, "minh", PASSWORD, t, token, &s, &wait), 0);
	/* each use within the idle time keeps it alive, well past one idle time */
	for (t = NOW + 50; t < NOW + 500; t += 50) assert_int_equal(srv_auth_session_get(f->db, token, &lim, t, &got), 1);
	assert_int_equal(srv_auth_session_get(f->db, token, &lim, t + 61, &got), 0);
	/* and once expired it is gone, even if the clock went back */
	assert_int_equal(srv_auth_session_get(f->db, token, &lim, t, &got), 0);
	/* the defaults: 30 minutes idle */
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 30 * 60, &got), 1);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 60 * 60 + 1, &got), 0);
}

static void test_absolute_expiry(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1];
	srv_auth_session s, got;
	srv_auth_limits lim = { 600, 1000 };
	long long wait, t;
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	for (t = NOW + 100; t <= NOW + 1000; t += 100) assert_int_equal(srv_auth_session_get(f->db, token, &lim, t, &got), 1);
	assert_int_equal(srv_auth_session_get(f->db, token, &lim, NOW + 1001, &got), 0);
	/* the default: 12 hours, however busy */
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	for (t = NOW + 1200; t <= NOW + 12 * 3600; t += 1200)
		assert_int_equal(srv_auth_session_get(f->db, token, NULL, t, &got), 1);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 12 * 3600 + 1, &got), 0);
}

static void test_logout(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], other[SRV_AUTH_TOKEN_LEN + 1];
	srv_auth_session s, got;
	long long wait;
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	assert_int_equal(login(f, "minh", PASSWORD, NOW, other, &s, &wait), 0);
	assert_int_equal(srv_auth_logout(f->db, token), 0);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, NOW + 1, &got), 0);
	assert_int_equal(srv_auth_session_get(f->db, other, NULL, NOW + 1, &got), 1);
	assert_int_equal(srv_auth_logout(f->db, "unknown"), 0);
}

static void test_csrf_compare(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], forged[SRV_AUTH_TOKEN_LEN + 1];
	srv_auth_session s;
	long long wait;
	assert_int_equal(login(f, "minh", PASSWORD, NOW, token, &s, &wait), 0);
	assert_true(srv_auth_csrf_ok(&s, s.csrf));
	assert_false(srv_auth_csrf_ok(&s, NULL));
	assert_false(srv_auth_csrf_ok(&s, ""));
	assert_false(srv_auth_csrf_ok(&s, token));
	memcpy(forged, s.csrf, sizeof forged);
	forged[SRV_AUTH_TOKEN_LEN - 1] = forged[SRV_AUTH_TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	assert_false(srv_auth_csrf_ok(&s, forged));
	forged[SRV_AUTH_TOKEN_LEN - 1] = '\0';
	assert_false(srv_auth_csrf_ok(&s, forged));
	assert_false(srv_auth_csrf_ok(NULL, s.csrf));
	/* two fresh tokens differ */
	srv_auth_random_token(token);
	srv_auth_random_token(forged);
	assert_false(srv_auth_token_equal(token, forged));
}

/* A stranger who guesses an official's password from one address makes
 * that address wait, not the official at theirs; and a new password ends
 * every session opened with the old one. */
static void test_lockout_cannot_be_aimed(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], old_token[SRV_AUTH_TOKEN_LEN + 1], err[300];
	srv_auth_session s;
	long long wait, t = NOW;
	int i;
	assert_int_equal(srv_auth_login(f->db, "minh", PASSWORD, "198.51.100.20", t, old_token, &s, &wait,
		err, sizeof err), 0);
	for (i = 0; i < 40; i++)
		srv_auth_login(f->db, "minh", "đoán mò lần nữa", "203.0.113.66", t + i, token, &s, &wait, err, sizeof err);
	assert_true(srv_auth_wait(f->db, "minh", "203.0.113.66", t + 40) > 0);
	assert_int_equal(srv_auth_login(f->db, "minh", PASSWORD, "203.0.113.66", t + 40, token, &s, &wait,
		err, sizeof err), 1);
	assert_true(wait > 0);
	/* The official, elsewhere, is not kept out. */
	assert_int_equal(srv_auth_wait(f->db, "minh", "198.51.100.20", t + 40), 0);
	assert_int_equal(srv_auth_login(f->db, "minh", PASSWORD, "198.51.100.20", t + 40, token, &s, &wait,
		err, sizeof err), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(srv_auth_session_get(f->db, old_token, NULL, t + 41, &s), 1);
	assert_int_equal(srv_auth_user_passwd(f->db, "minh", "mật khẩu mới 2026", err, sizeof err), 0);
	assert_int_equal(srv_auth_session_get(f->db, old_token, NULL, t + 42, &s), 0);
	assert_int_equal(srv_auth_session_get(f->db, token, NULL, t + 42, &s), 0);
}

static void test_failure_counting(void **state)
{
	fixture *f = *state;
	char token[SRV_AUTH_TOKEN_LEN + 1], err[300];
	srv_auth_session s;
	long long wait, t = NOW;
	int i;
	for (i = 0; i < SRV_AUTH_FREE_FAILURES - 1; i++) {
		assert_int_equal(login(f, "minh", "sai mật khẩu rồi", t++, token, &s, &wait), 1);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(srv_auth_wait(f->db, "minh", "203.0.113.7", t), 0);
	assert_int_equal(login(f, "minh", "sai mật khẩu rồi", t, token, &s, &wait), 1);
	assert_int_equal(srv_auth_wait(f->db, "minh", "203.0.113.7", t), SRV_AUTH_FIRST_WAIT);
	/* the count survives a restart */
	srv_db_close(f->db);
	assert_int_equal(srv_db_open(&f->db, fx_srv_where(f->dir), 0, err, sizeof err), 0);
	/* while waiting even the right password is refused, and not counted */
	assert_int_equal(login(f, "minh", PASSWORD, t + 10, token, &s, &wait), 1);
	assert_int_equal(wait, SRV_AUTH_FIRST_WAIT - 10);
	/* after the wait one more failure doubles it */
	t += SRV_AUTH_FIRST_WAIT;
	assert_int_equal(login(f, "minh", "sai mật khẩu rồi", t, token, &s, &wait), 1);
	assert_int_equal(wait, 0);
	assert_int_equal(srv_auth_wait(f->db, "minh", "203.0.113.7", t), 2 * SRV_AUTH_FIRST_WAIT);
	/* other names are not affected */
	assert_int_equal(login(f, "lan.officer", PASSWORD, t, token, &s, &wait), 0);
	/* the right password after the wait clears the count */
	t += 2 * SRV_AUTH_FIRST_WAIT;
	assert_int_equal(login(f, "minh", PASSWORD, t, token, &s, &wait), 0);
	assert_int_equal(srv_auth_wait(f->db, "minh", "203.0.113.7", t), 0);
	for (i = 0; i < SRV_AUTH_FREE_FAILURES - 1; i++)
		assert_int_equal(login(f, "minh", "sai mật khẩu rồi", t, token, &s, &wait), 1);
	assert_int_equal(srv_auth_wait(f->db, "minh", "203.0.113.7", t), 0);
	/* unknown names wait too, and the wait is capped at an hour */
	for (i = 0; i < 20; i++) login(f, "nobody", PASSWORD, t, token, &s, &wait);
	assert_true(srv_auth_wait(f->db, "nobody", "203.0.113.7", t) <= 3600);
	assert_true(srv_auth_wait(f->db, "nobody", "203.0.113.7", t) > 0);
	/* a new password clears it */
	assert_int_equal(srv_auth_user_passwd(f->db, "minh", "mật khẩu mới 2026", err, sizeof err), 0);
	assert_int_equal(login(f, "minh", PASSWORD, t, token, &s, &wait), 1);
	assert_int_equal(login(f, "minh", "mật khẩu mới 2026", t, token, &s, &wait), 0);
	assert_int_equal(srv_auth_user_passwd(f->db, "nobody", "mật khẩu mới 2026", err, sizeof err), 1);
	assert_int_equal(srv_auth_user_passwd(f->db, "minh", "ngắn", err, sizeof err), 1);
}

static int count_user(const srv_auth_user *u, void *arg)
{
	int *n = arg;
	assert_true(srv_auth_role_valid(u->role));
	(*n)++;
	return 0;
}

static void test_users_list(void **state)
{
	fixture *f = *state;
	char err[300];
	int n = 0;
	assert_int_equal(srv_auth_users(f->db, count_user, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_stored_not_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_and_wrong_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_token_not_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csrf_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_cannot_be_aimed, setup, teardown),
cmocka_unit_test_setup_teardown(test_failure_counting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_list, setup, teardown),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
