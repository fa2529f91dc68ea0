/* Tests for the server's defences that need no network: which proxies are
 * trusted and whom X-Forwarded-For names behind them (srv_proxy), the
 * signer read from an envelope's first bytes (srv_pushq_signer), the
 * addresses the limiters count by (ratelimit_key) and the body budget
 * (srv_guard). The attacks themselves run over loopback in t_attack.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "envelope.h"
#include "ratelimit.h"
#include "srv_guard.h"
#include "srv_proxy.h"
#include "srv_pushq.h"

static struct sockaddr_storage v4(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a = (struct sockaddr_in *)(void *)&ss;
	memset(&ss, 0, sizeof ss);
	a->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &a->sin_addr), 1);
	return ss;
}

static struct sockaddr_storage v6(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)&ss;
	memset(&ss, 0, sizeof ss);
	a->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &a->sin6_addr), 1);
	return ss;
}

#define SA(ss) ((const struct sockaddr *)(const void *)&(ss))

/* The address out holds, as text. */
static const char *text_of(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET ? (const void *)&((const struct sockaddr_in *)(const void *)ss)->sin_addr
		: (const void *)&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;
	return inet_ntop(ss->ss_family, a, buf, (socklen_t)len);
}

static void test_proxy_parse(void **state)
{
	srv_proxy p;
	char err[200];
	struct sockaddr_storage a;
	(void)state;
	assert_int_equal(srv_proxy_parse(&p, NULL, err, sizeof err), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(srv_proxy_parse(&p, "127.0.0.1,10.0.0.0/8,::1,fd00::/8", err, sizeof err), 0);
	assert_int_equal(p.n, 4);
	a = v4("127.0.0.1");
	assert_true(srv_proxy_trusted(&p, SA(a)));
	a = v6("::ffff:127.0.0.1");
	assert_true(srv_proxy_trusted(&p, SA(a)));
	a = v4("10.200.3.4");
	assert_true(srv_proxy_trusted(&p, SA(a)));
	a = v4("11.0.0.1");
	assert_false(srv_proxy_trusted(&p, SA(a)));
	a = v6("fd12::5");
	assert_true(srv_proxy_trusted(&p, SA(a)));
	a = v6("fe80::1");
	assert_false(srv_proxy_trusted(&p, SA(a)));
	assert_int_equal(srv_proxy_parse(&p, "192.168.1.0/23", err, sizeof err), 0);
	a = v4("192.168.0.255");
	assert_true(srv_proxy_trusted(&p, SA(a)));
	a = v4("192.168.2.1");
	assert_false(srv_proxy_trusted(&p, SA(a)));
	assert_int_equal(srv_proxy_parse(&p, "nginx", err, sizeof err), -1);
	assert_non_null(strstr(err, "nginx"));
	assert_int_equal(srv_proxy_parse(&p, "10.0.0.0/33", err, sizeof err), -1);
	assert_int_equal(srv_proxy_parse(&p, "1.2.3.4,,5.6.7.8", err, sizeof err), -1);
}

static void test_proxy_client(void **state)
{
	srv_proxy p;
	char err[200], buf[64];
	struct sockaddr_storage peer, out;
	(void)state;
	assert_int_equal(srv_proxy_parse(&p, "127.0.0.3,10.0.0.0/8", err, sizeof err), 0);
	peer = v4("127.0.0.3");
	/* The right-most entry our proxy did not write itself. */
	assert_int_equal(srv_proxy_client(&p, SA(peer), "6.6.6.6, 203.0.113.7", NULL, &out), 1);
	assert_string_equal(text_of(&out, buf, sizeof buf), "203.0.113.7");
	assert_int_equal(srv_proxy_client(&p, SA(peer), "203.0.113.7, 10.1.1.1", NULL, &out), 1);
	assert_string_equal(text_of(&out, buf, sizeof buf), "203.0.113.7");
	assert_int_equal(srv_proxy_client(&p, SA(peer), "[2001:db8::1]:443", NULL, &out), 1);
	assert_string_equal(text_of(&out, buf, sizeof buf), "2001:db8::1");
	assert_int_equal(srv_proxy_client(&p, SA(peer), "198.51.100.2:5000", NULL, &out), 1);
	assert_string_equal(text_of(&out, buf, sizeof buf), "198.51.100.2");
	/* Garbage where our proxy writes: the proxy's own address. */
	assert_int_equal(srv_proxy_client(&p, SA(peer), "1.2.3.4, nonsense", NULL, &out), 0);
	assert_string_equal(text_of(&out, buf, sizeof buf), "127.0.0.3");
	assert_int_equal(srv_proxy_client(&p, SA(peer), NULL, " 192.0.2.9 ", &out), 1);
	assert_string_equal(text_of(&out, buf, sizeof buf), "192.0.2.9");
	/* From anyone else the headers count for nothing. */
	peer = v4("192.0.2.50");
	assert_int_equal(srv_proxy_client(&p, SA(peer), "203.0.113.7", "203.0.113.8", &out), 0);
	assert_string_equal(text_of(&out, buf, sizeof buf), "192.0.2.50");
}

static void test_signer(void **state)
{
	char signer[ENV_SIGNER_MAX];
	const char *full = "{\"motcua\": 1, \"signer\": \"27280-3\", \"payload\": \"{\\\"x\\\":1}\", \"sig\": \"AA\"}";
	size_t i;
	(void)state;
	assert_int_equal(srv_pushq_signer(full, strlen(full), signer), 1);
	assert_string_equal(signer, "27280-3");
	/* Every prefix short of the signer's closing quote asks for more. */
	for (i = 0; i < strlen("{\"motcua\": 1, \"signer\": \"27280-3"); i++)
		assert_int_equal(srv_pushq_signer(full, i, signer), 0);
	assert_int_equal(srv_pushq_signer("{\"signer\":\"27280-3\"", 19, signer), 1);
	assert_int_equal(srv_pushq_signer("xxxx", 4, signer), -1);
	assert_int_equal(srv_pushq_signer("{\"payload\":\"a\\\"signer\\\"\",\"signer\":\"12345-6\"}", 44, signer), 1);
	assert_string_equal(signer, "12345-6");
	assert_int_equal(srv_pushq_signer("{\"payload\":{\"signer\":\"12345-6\"}}", 32, signer), -1);
	assert_int_equal(srv_pushq_signer("{\"signer\":\"not a kiosk\"}", 24, signer), -1);
	assert_int_equal(srv_pushq_signer("{\"signer\":\"27280-3333333333333333\"}", 36, signer), -1);
	assert_int_equal(srv_pushq_signer("{\"motcua\":1}", 12, signer), -1);
}

static void test_keys(void **state)
{
	unsigned char a[RATELIMIT_KEY_BYTES], b[RATELIMIT_KEY_BYTES];
	struct sockaddr_storage x, y;
	(void)state;
	x = v4("192.0.2.1");
	y = v6("::ffff:192.0.2.1");
	ratelimit_key(SA(x), a);
	ratelimit_key(SA(y), b);
	assert_memory_equal(a, b, sizeof a);
	x = v6("2001:db8:1:2::1");
	y = v6("2001:db8:1:2:ffff::9");
	ratelimit_key(SA(x), a);
	ratelimit_key(SA(y), b);
	assert_memory_equal(a, b, sizeof a);
	y = v6("2001:db8:1:3::1");
	ratelimit_key(SA(y), b);
	assert_memory_not_equal(a, b, sizeof a);
}

static void test_budget(void **state)
{
	srv_guard_config cfg = { 4, 30, 1000, NULL };
	char err[200];
	srv_guard *g = srv_guard_new(&cfg, err, sizeof err);
	(void)state;
	assert_non_null(g);
	assert_int_equal(srv_guard_reserve(g, 600), 1);
	assert_int_equal(srv_guard_reserve(g, 600), 0);
	assert_int_equal(srv_guard_reserve(g, 400), 1);
	assert_int_equal(srv_guard_reserve(g, 1), 0);
	srv_guard_release(g, 600);
	assert_int_equal(srv_guard_reserve(g, 600), 1);
	srv_guard_release(g, 5000);              /* more than held: none left, no wrap */
	assert_int_equal(srv_guard_reserve(g, 1000), 1);
	srv_guard_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_parse),
		cmocka_unit_test(test_proxy_client),
		cmocka_unit_test(test_signer),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
