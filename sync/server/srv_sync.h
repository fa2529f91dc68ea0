/* srv_sync: the server's side of the sync protocol, one push envelope in,
 * one answer out.
 *
 * POST /api/v1/sync and `motcua-server import` both call srv_sync_push, so a
 * USB bundle is checked and stored exactly as a push over the network. The
 * checks run in the order docs/protocol.md gives (size, envelope, signer,
 * revocation, signature, payload, counter) and a refused push changes
 * nothing; an accepted one is stored in one transaction and answered with a
 * reply envelope signed by the server. */
#ifndef MOTCUA_SRV_SYNC_H
#define MOTCUA_SRV_SYNC_H

#include <pthread.h>
#include <stddef.h>
#include "envelope.h"
#include "cal.h"
#include "catalog.h"
#include "proto.h"
#include "srv_db.h"
#include "srv_keys.h"

typedef struct {
	const srv_keys *keys;        /* signs replies */
	const char *data_dir;        /* its catalog.json and holidays.json go to kiosks */
	pthread_mutex_t *store_lock; /* held around the store write only; NULL: none */
	/* The rules a push is held to; all may be left zero. */
	const catalog *cat;          /* categories and procedures a request may name, and the
	                                legal clocks that recompute a deadline (NULL: not checked) */
	const cal *calendar;         /* working days for those deadlines (NULL: weekends only) */
	int offline;                 /* a USB bundle: the kiosk's clock is from when it was
	                                written, not now, so it gives no offset */
	int max_requests;            /* requests one push may hold (0: PROTO_BATCH) */
} srv_sync_ctx;

/* Seconds of disagreement between the kiosk's clock and the server's taken
 * as the clocks' own drift: no correction, no flag. */
#define SRV_SYNC_CLOCK_TOLERANCE 300

typedef struct {
	int status;                  /* HTTP status: 200, or the refusal's */
	char error[24];              /* "" on 200, else the protocol's code ("replay", ...) */
	char message[320];           /* why, for people; never personal data */
	char *reply;                 /* on 200: the signed reply envelope, malloc'd */
	size_t reply_len;
	/* For the request log. */
	char kiosk[ENV_SIGNER_MAX];
	long long n;
	int requests, stored, conflicts, events;
	long long acked;
} srv_sync_result;

/* Makes the search keys (srv_find.h) of every stored request still without
 * them, under the store's lock: after each push that stored some, once its
 * kiosk has its answer (srv_pushq.c, `import`), so a push is not slowed by
 * it; requests wait for their keys, marked, a few milliseconds. */
void srv_sync_index(const srv_sync_ctx *ctx, srv_db *db);
/* The same with no lock, before the server's threads start. */
void srv_sync_index_all(srv_db *db, const srv_keys *keys);

/* Checks and stores one push envelope (len bytes of body) at server time
 * now. 0 when answered with a reply (status 200), -1 when refused or failed
 * (status, error and message say why). Free out with srv_sync_result_free in
 * both cases. */
int srv_sync_push(const srv_sync_ctx *ctx, srv_db *db, const char *body, size_t len, long long now,
	srv_sync_result *out);
void srv_sync_result_free(srv_sync_result *r);

/* Stores a push already checked against its signer and assembles its
 * reply: reply's kiosk, n, server_time and files are the caller's, the rest
 * is filled here (malloc'd parts: free with proto_free_reply; res with
 * srv_db_push_result_free). trust: the server's dates for each request
 * (srv_sync_trust), NULL to take the kiosk's as sent. lock, when not NULL,
 * is held around the store's write alone. A replay or revocation (res
 * says) leaves reply as it was. 0; -1 with err when the push could not be
 * stored (nothing changed), -2 when it was stored but its reply could not
 * be made. */
int srv_sync_store(srv_db *db, pthread_mutex_t *lock, const proto_push *p, const srv_db_trust *trust, long long now,
	proto_reply *reply, srv_db_push_result *res, char *err, size_t errlen);

/* The server's dates for each request of p from kiosk k at server time
 * now (trust: p->nrequests entries): the receipt time corrected by the
 * offset learnt at this push, or the server's own when it cannot be true
 * (after the push was sent, in the future, before the kiosk was
 * registered), and the deadline recomputed from the catalog and calendar
 * when it was reckoned from a wrong date or falls before the receipt;
 * each change flagged (SRV_DB_TRUST_*) with its reason. */
void srv_sync_trust(const srv_sync_ctx *ctx, const srv_db_kiosk *k, const proto_push *p, long long now,
	srv_db_trust *trust);

/* The reply to send after reply when reply->more: the events after its
 * cursor, for the same envelope, with the same acknowledged mark and
 * nothing else (a USB answer in several files). 0 with next filled (free
 * with proto_free_reply), -1 with err. */
int srv_sync_more(srv_db *db, const proto_reply *reply, proto_reply *next, char *err, size_t errlen);

/* The refusal as the JSON body {"error": ..., "message": ...}, malloc'd;
 * NULL when out of memory. */
char *srv_sync_error_json(const srv_sync_result *r);

#endif
