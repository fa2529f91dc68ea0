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
#include "proto.h"
#include "srv_db.h"
#include "srv_keys.h"

typedef struct {
	const srv_keys *keys;        /* signs replies */
	const char *data_dir;        /* its catalog.json and holidays.json go to kiosks */
	pthread_mutex_t *store_lock; /* held around the store write only; NULL: none */
} srv_sync_ctx;

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
 * srv_db_push_result_free). A replay or revocation (res says) leaves reply
 * as it was. lock, when not NULL, is held around the store's write alone.
 * 0; -1 with err when the push could not be stored (nothing changed), -2
 * when it was stored but its reply could not be made. */
int srv_sync_store(srv_db *db, pthread_mutex_t *lock, const proto_push *p, long long now, proto_reply *reply,
	srv_db_push_result *res,
	char *err, size_t errlen);

/* The refusal as the JSON body {"error": ..., "message": ...}, malloc'd;
 * NULL when out of memory. */
char *srv_sync_error_json(const srv_sync_result *r);

#endif
