/* srv_guard: connection limits, request deadlines, the body budget and
 * strict headers (see srv_guard.h).
 *
 * One mutex covers the list of live connections, the per-address counts
 * and the budget; each use is a few pointer moves. A connection's phase
 * and clock are one atomic word, outside it. Counts are taken when
 * libmicrohttpd announces a connection (NOTIFY_CONNECTION STARTED) and
 * dropped when it announces its end (CLOSED); the accept policy only reads
 * them, because a connection it lets through may still be refused by
 * libmicrohttpd's global limit, and then no CLOSED follows. Between two
 * pool threads accepting at once the limit can be passed by one each.
 *
 * Shutting down a socket from the deadline thread is safe because
 * libmicrohttpd 0.9.75 calls CLOSED before it closes the descriptor, and
 * both happen under this mutex: the descriptor is never one reused by a
 * newer connection. */
#include "srv_guard.h"
#include "log.h"
#include "ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define GUARD_BUCKETS 1024           /* a power of two */
#define GUARD_SWEEP_MS 500

typedef struct guard_conn {
	struct guard_conn *prev, *next;
	int fd;
	/* The phase and the request's first moment, as since_ms * 4 + phase:
	 * one word the connection's thread sets without the lock (a request
	 * sets it three times; the lock was contended by every pool thread)
	 * and the deadline thread reads whole. */
	_Atomic long long state;
	unsigned char key[RATELIMIT_KEY_BYTES];
	int counted;                 /* in a per-address count */
} guard_conn;

typedef struct addr_count {
	struct addr_count *next;
	unsigned char key[RATELIMIT_KEY_BYTES];
	unsigned n;
} addr_count;

struct srv_guard {
	srv_guard_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	guard_conn *conns;
	addr_count *buckets[GUARD_BUCKETS];
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	size_t buffered;
	unsigned refused, cut;       /* since the last sweep's log line */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- per-address counts ---- */

static addr_count **bucket(srv_guard *g, const unsigned char key[RATELIMIT_KEY_BYTES])
{
	unsigned char hash[crypto_shorthash_BYTES];
	uint64_t h;
	crypto_shorthash(hash, key, RATELIMIT_KEY_BYTES, g->hash_key);
	memcpy(&h, hash, sizeof h);
	return &g->buckets[h & (GUARD_BUCKETS - 1)];
}

static addr_count *count_find(srv_guard *g, const unsigned char key[RATELIMIT_KEY_BYTES])
{
	addr_count *a;
	for (a = *bucket(g, key); a; a = a->next)
		if (memcmp(a->key, key, RATELIMIT_KEY_BYTES) == 0) return a;
	return NULL;
}

/* One more connection for key; 0, or -1 when out of memory (not counted). */
static int count_add(srv_guard *g, const unsigned char key[RATELIMIT_KEY_BYTES])
{
	addr_count **b = bucket(g, key), *a = count_find(g, key);
	if (!a) {
		if (!(a = calloc(1, sizeof *a))) return -1;
		memcpy(a->key, key, RATELIMIT_KEY_BYTES);
		a->next = *b;
		*b = a;
	}
	a->n++;
	return 0;
}

static void count_drop(srv_guard *g, const unsigned char key[RATELIMIT_KEY_BYTES])
{
	addr_count **p = bucket(g, key), *a;
	for (; (a = *p); p = &a->next) {
		if (memcmp(a->key, key, RATELIMIT_KEY_BYTES) != 0) continue;
		if (--a->n == 0) {
			*p = a->next;
			free(a);
		}
		return;
	}
}

/* ---- libmicrohttpd's callbacks ---- */

enum MHD_Result srv_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	srv_guard *g = cls;
	unsigned char key[RATELIMIT_KEY_BYTES];
	const addr_count *a;
	int ok;
	(void)addrlen;
	if (!g->cfg.per_address || srv_proxy_trusted(g->cfg.proxies, addr)) return MHD_YES;
	ratelimit_key(addr, key);
	pthread_mutex_lock(&g->lock);
	a = count_find(g, key);
	ok = !a || a->n < g->cfg.per_address;
	if (!ok) g->refused++;
	pthread_mutex_unlock(&g->lock);
	return ok ? MHD_YES : MHD_NO;
}

void srv_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
	enum MHD_ConnectionNotificationCode code)
{
	srv_guard *g = cls;
	guard_conn *k = *socket_context;
	const union MHD_ConnectionInfo *info;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (!(k = calloc(1, sizeof *k))) return;   /* unguarded, but served */
		info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = info ? info->connect_fd : -1;
		k->state = now_ms() * 4 + GUARD_HEADERS;
		info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		pthread_mutex_lock(&g->lock);
		if (g->cfg.per_address && info && !srv_proxy_trusted(g->cfg.proxies, info->client_addr)) {
			ratelimit_key(info->client_addr, k->key);
			k->counted = count_add(g, k->key) == 0;
		}
		k->next = g->conns;
		if (g->conns) g->conns->prev = k;
		g->conns = k;
		pthread_mutex_unlock(&g->lock);
		*socket_context = k;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || !k) return;
	pthread_mutex_lock(&g->lock);
	if (k->counted) count_drop(g, k->key);
	if (k->prev) k->prev->next = k->next;
	else g->conns = k->next;
	if (k->next) k->next->prev = k->prev;
	pthread_mutex_unlock(&g->lock);
	free(k);
	*socket_context = NULL;
}

void srv_guard_phase(srv_guard *g, struct MHD_Connection *c, srv_guard_phase_t phase)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	guard_conn *k = info ? info->socket_context : NULL;
	long long since;
	(void)g;
	if (!k) return;
	since = phase == GUARD_HEADERS ? now_ms() : k->state / 4;
	k->state = since * 4 + phase;
}

/* ---- the deadline thread ---- */

static void sweep(srv_guard *g)
{
	long long now = now_ms(), whole = (long long)g->cfg.deadline_s * 1000, headers = whole;
	guard_conn *k;
	unsigned refused, cut;
	if (headers > SRV_GUARD_HEADER_DEADLINE_S * 1000) headers = SRV_GUARD_HEADER_DEADLINE_S * 1000;
	for (k = g->conns; k; k = k->next) {
		long long state = k->state, since = state / 4;
		srv_guard_phase_t phase = (srv_guard_phase_t)(state % 4);
		long long limit = phase == GUARD_HEADERS ? headers : whole;
		if (phase == GUARD_ANSWERING || k->fd < 0 || now - since <= limit) continue;
		shutdown(k->fd, SHUT_RDWR);
		/* Once is enough; should the connection's thread set its own phase
		 * meanwhile, a second shutdown of a socket still open is harmless. */
		k->state = since * 4 + GUARD_ANSWERING;
		g->cut++;
	}
	refused = g->refused;
	cut = g->cut;
	g->refused = g->cut = 0;
	if (refused || cut) {
		pthread_mutex_unlock(&g->lock);
		if (cut) log_warn("closed %u connections past the request deadline (%u s)", cut, g->cfg.deadline_s);
		if (refused) log_warn("refused %u connections over the limit of %u per address", refused,
			g->cfg.per_address);
		pthread_mutex_lock(&g->lock);
	}
}

static void *deadline_thread(void *arg)
{
	srv_guard *g = arg;
	struct timespec at;
	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += GUARD_SWEEP_MS * 1000000L;
		at.tv_sec += at.tv_nsec / 1000000000L;
		at.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&g->wake, &g->lock, &at);
		if (!g->stop && g->cfg.deadline_s) sweep(g);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

srv_guard *srv_guard_new(const srv_guard_config *cfg, char *err, size_t errlen)
{
	srv_guard *g = calloc(1, sizeof *g);
	pthread_condattr_t attr;
	int ok;
	if (!g || sodium_init() < 0) {
		free(g);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->cfg = *cfg;
	randombytes_buf(g->hash_key, sizeof g->hash_key);
	if (pthread_mutex_init(&g->lock, NULL) != 0) {
		free(g);
		snprintf(err, errlen, "could not set up the connection guard");
		return NULL;
	}
	ok = pthread_condattr_init(&attr) == 0;
	ok = ok && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&g->wake, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ok || pthread_create(&g->thread, NULL, deadline_thread, g) != 0) {
		if (ok) pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g);
		snprintf(err, errlen, "could not start the request deadline thread");
		return NULL;
	}
	return g;
}

void srv_guard_free(srv_guard *g)
{
	size_t i;
	if (!g) return;
	pthread_mutex_lock(&g->lock);
	g->stop = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	for (i = 0; i < GUARD_BUCKETS; i++) {
		while (g->buckets[i]) {
			addr_count *a = g->buckets[i];
			g->buckets[i] = a->next;
			free(a);
		}
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* ---- the body budget ---- */

int srv_guard_reserve(srv_guard *g, size_t n)
{
	int ok;
	pthread_mutex_lock(&g->lock);
	ok = n <= g->cfg.body_budget - g->buffered;
	if (ok) g->buffered += n;
	pthread_mutex_unlock(&g->lock);
	return ok;
}

void srv_guard_release(srv_guard *g, size_t n)
{
	pthread_mutex_lock(&g->lock);
	g->buffered -= n < g->buffered ? n : g->buffered;
	pthread_mutex_unlock(&g->lock);
}

/* ---- strict headers ---- */

typedef struct {
	int status;
	const char *why;
	int transfer_encoding, content_length;
} header_check;

static int is_token(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	if (!*s) return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return 0;
	return 1;
}

static enum MHD_Result check_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	header_check *h = cls;
	(void)kind;
	if (!key || !is_token(key)) {
		h->status = 400;
		h->why = "a header name is not a token";
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		h->transfer_encoding++;
		if (!value || strcasecmp(value, "chunked") != 0) {
			h->status = 501;
			h->why = "only the chunked transfer coding is supported";
		}
	} else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		h->content_length++;
		if (!value || !*value || strspn(value, "0123456789") != strlen(value) || strlen(value) > 18) {
			h->status = 400;
			h->why = "Content-Length is not a number";
		}
	}
	return h->status ? MHD_NO : MHD_YES;
}

int srv_guard_check_headers(struct MHD_Connection *c, const char **why)
{
	header_check h;
	memset(&h, 0, sizeof h);
	MHD_get_connection_values(c, MHD_HEADER_KIND, check_header, &h);
	if (!h.status && h.transfer_encoding && h.content_length) {
		h.status = 400;
		h.why = "Transfer-Encoding and Content-Length together";
	} else if (!h.status && h.transfer_encoding > 1) {
		h.status = 501;
		h.why = "only the chunked transfer coding is supported";
	}
	*why = h.why;
	return h.status;
}
