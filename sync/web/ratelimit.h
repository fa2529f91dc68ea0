/* ratelimit: how often one client address may look up receipts.
 *
 * Tokens are 60 random bits, so guessing a live one is hopeless; the limit is
 * there to keep one busy address from eating the server, and to make even a
 * hopeless guessing run slow and visible. Each client has a token bucket: it
 * refills at per_minute tokens a minute up to burst, and a lookup spends its
 * cost. IPv6 clients are grouped by /64, the block one subscriber gets, so
 * rotating through one's own addresses buys nothing; IPv4-mapped IPv6
 * addresses count as the IPv4 address they carry.
 *
 * The table has a fixed size, in mutex-striped shards so that the server's
 * threads rarely wait for each other. When a flood of new addresses fills a
 * slot set, the entry whose bucket has refilled the most is forgotten first:
 * forgetting a full bucket loses nothing, and an address that keeps hitting
 * the limit is the last to be forgotten. Time is passed in by the caller
 * (milliseconds, any monotonic origin), so tests can use a fake clock. */
#ifndef MOTCUA_RATELIMIT_H
#define MOTCUA_RATELIMIT_H

#include <sys/socket.h>

typedef struct ratelimit ratelimit;

#define RATELIMIT_KEY_BYTES 16

/* The key an address is counted under: the IPv4 address, the /64 of an
 * IPv6 one, one key for every other family. The connection limits count
 * clients by the same key. */
void ratelimit_key(const struct sockaddr *addr, unsigned char key[RATELIMIT_KEY_BYTES]);

/* A limiter allowing per_minute tokens a minute, at most burst at once
 * (a burst of 0 counts as 1). per_minute 0: never refuse. NULL when out of
 * memory. Free it with ratelimit_free. */
ratelimit *ratelimit_new(unsigned per_minute, unsigned burst);
void ratelimit_free(ratelimit *rl);

/* Spends cost tokens of addr's bucket (a cost above the burst counts as the
 * burst, so no request is refused for ever). Returns 1 when allowed; 0 when
 * refused, with *retry_after set to the whole seconds (at least 1) until it
 * would be allowed. A refused request spends nothing. An address of another
 * family than IPv4 or IPv6 shares one bucket with all such. Thread-safe. */
int ratelimit_allow(ratelimit *rl, const struct sockaddr *addr, unsigned cost, long long now_ms,
	int *retry_after);

#endif
