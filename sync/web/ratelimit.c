/* ratelimit: token buckets per client address in a fixed-size table.
 *
 * Bucket levels are kept in units of 1/60000 of a token, so that a bucket
 * refilling at per_minute tokens a minute gains exactly per_minute units a
 * millisecond: integer arithmetic, no drift, no rounding to argue about.
 *
 * The table is set-associative: an address hashes (SipHash, keyed at random
 * per limiter, so nobody can aim a flood of addresses at one set) to a shard,
 * which has its own mutex, and to a set of RL_WAYS slots within it. Lookups
 * touch one set only, and memory never grows, whatever the traffic. */
#include "ratelimit.h"

#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RL_UNITS_PER_TOKEN 60000LL  /* ms in a minute: see above */
#define RL_SHARDS 16                /* a power of two, well above the thread count */
#define RL_SETS 128                 /* per shard, a power of two */
#define RL_WAYS 8
#define RL_KEY RATELIMIT_KEY_BYTES

typedef struct {
	unsigned char key[RL_KEY];   /* address, or its /64 for IPv6 */
	long long seen_ms;           /* when units was last brought up to date */
	long long units;             /* bucket level at seen_ms */
	int used;
} rl_slot;

typedef struct {
	pthread_mutex_t lock;
	rl_slot sets[RL_SETS][RL_WAYS];
} rl_shard;

struct ratelimit {
	unsigned per_minute;
	long long capacity;          /* burst, in units */
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	int nshards;                 /* 0 when the limiter never refuses */
	rl_shard shards[];
};

ratelimit *ratelimit_new(unsigned per_minute, unsigned burst)
{
	int nshards = per_minute ? RL_SHARDS : 0, i;
	ratelimit *rl;
	if (sodium_init() < 0) return NULL;
	rl = calloc(1, sizeof *rl + (size_t)nshards * sizeof(rl_shard));
	if (!rl) return NULL;
	rl->per_minute = per_minute;
	rl->capacity = (long long)(burst ? burst : 1) * RL_UNITS_PER_TOKEN;
	randombytes_buf(rl->hash_key, sizeof rl->hash_key);
	for (i = 0; i < nshards; i++) {
		if (pthread_mutex_init(&rl->shards[i].lock, NULL) != 0) {
			while (i-- > 0) pthread_mutex_destroy(&rl->shards[i].lock);
			free(rl);
			return NULL;
		}
		rl->nshards = i + 1;
	}
	return rl;
}

void ratelimit_free(ratelimit *rl)
{
	int i;
	if (!rl) return;
	for (i = 0; i < rl->nshards; i++) pthread_mutex_destroy(&rl->shards[i].lock);
	free(rl);
}

/* The bucket key of an address. The three kinds cannot collide: an IPv6 /64
 * leaves bytes 8..15 zero, an IPv4 address is stored IPv4-mapped (bytes 10
 * and 11 are 0xff), and every other family gets byte 8 set. */
void ratelimit_key(const struct sockaddr *addr, unsigned char key[RL_KEY])
{
	memset(key, 0, RL_KEY);
	if (addr && addr->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)addr;
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &v4->sin_addr, 4);
	} else if (addr && addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)addr;
		/* A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; a /64
		 * of those would put the whole IPv4 Internet in one bucket. */
		memcpy(key, &v6->sin6_addr, IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) ? 16 : 8);
	} else {
		key[8] = 1;
	}
}

/* The slot's level at now_ms, refilled and capped at the burst. */
static long long level_at(const ratelimit *rl, const rl_slot *s, long long now_ms)
{
	long long elapsed = now_ms - s->seen_ms;
	if (!s->used) return rl->capacity;
	if (elapsed <= 0) return s->units;   /* the clock went back: no refill */
	if (elapsed > (rl->capacity - s->units) / rl->per_minute) return rl->capacity;
	return s->units + elapsed * rl->per_minute;
}

/* The slot for key in its set: the one holding it, or the one to reuse,
 * which is an empty one, else the fullest bucket (the least lost by
 * forgetting it), the oldest among equals. */
static rl_slot *find_slot(const ratelimit *rl, rl_slot set[RL_WAYS], const unsigned char key[RL_KEY],
	long long now_ms)
{
	rl_slot *victim = NULL;
	long long victim_level = -1;
	int i;
	for (i = 0; i < RL_WAYS; i++) {
		rl_slot *s = &set[i];
		long long level;
		if (s->used && memcmp(s->key, key, RL_KEY) == 0) return s;
		level = s->used ? level_at(rl, s, now_ms) : rl->capacity + 1;
		if (level > victim_level || (level == victim_level && s->seen_ms < victim->seen_ms)) {
			victim = s;
			victim_level = level;
		}
	}
	memcpy(victim->key, key, RL_KEY);
	victim->units = rl->capacity;
	victim->seen_ms = now_ms;
	victim->used = 1;
	return victim;
}

int ratelimit_allow(ratelimit *rl, const struct sockaddr *addr, unsigned cost, long long now_ms,
	int *retry_after)
{
	unsigned char key[RL_KEY], hash[crypto_shorthash_BYTES];
	uint64_t h;
	long long want, level, wait_ms, wait_s;
	rl_shard *shard;
	rl_slot *slot;

	if (rl->per_minute == 0) return 1;
	ratelimit_key(addr, key);
	crypto_shorthash(hash, key, sizeof key, rl->hash_key);
	memcpy(&h, hash, sizeof h);
	shard = &rl->shards[h % RL_SHARDS];
	want = (long long)cost * RL_UNITS_PER_TOKEN;
	if (want > rl->capacity) want = rl->capacity;

	pthread_mutex_lock(&shard->lock);
	slot = find_slot(rl, shard->sets[(h / RL_SHARDS) % RL_SETS], key, now_ms);
	level = level_at(rl, slot, now_ms);
	if (now_ms > slot->seen_ms) slot->seen_ms = now_ms;
	slot->units = level;
	if (level >= want) {
		slot->units = level - want;
		pthread_mutex_unlock(&shard->lock);
		return 1;
	}
	pthread_mutex_unlock(&shard->lock);

	wait_ms = (want - level + rl->per_minute - 1) / rl->per_minute;
	wait_s = (wait_ms + 999) / 1000;
	if (retry_after) *retry_after = wait_s < 1 ? 1 : wait_s > INT_MAX ? INT_MAX : (int)wait_s;
	return 0;
}
