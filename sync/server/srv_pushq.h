/* srv_pushq: kiosks' pushes checked and stored off libmicrohttpd's threads.
 *
 * A push waits for the one store lock, and a libmicrohttpd pool thread
 * that waits stalls every other connection it serves: phones asking for
 * their receipt's page sat behind twenty kiosks' pushes. So a push that is
 * fully received is handed to this queue and its connection suspended;
 * a few worker threads, each with its own database connection, verify,
 * decode and store it (srv_sync_push, which holds the lock only for the
 * store write) and resume the connection, whose access handler then sends
 * the answer. The pool threads only ever read.
 *
 * Before any of that, srv_pushq_signer reads which kiosk an envelope claims
 * to come from out of its first bytes, so that the HTTP layer can refuse a
 * stranger's body before buffering it. */
#ifndef MOTCUA_SRV_PUSHQ_H
#define MOTCUA_SRV_PUSHQ_H

#include <stddef.h>
#include <microhttpd.h>
#include "envelope.h"
#include "srv_guard.h"
#include "srv_sync.h"

/* The signer must be named within this many bytes of the envelope's start
 * (it is the second member, after "motcua", in every envelope env_sign makes). */
#define SRV_PUSHQ_SIGNER_WINDOW 4096

typedef struct srv_pushq srv_pushq;

typedef struct srv_pushq_job {
	struct srv_pushq_job *next;
	struct MHD_Connection *connection;
	const char *body;
	size_t len;
	srv_sync_result result;      /* filled by a worker; read after the resume */
	int done;
} srv_pushq_job;

/* A push's body as it arrives: kept in a buffer that grows with the data,
 * from the guard's body budget, never from the announced length. Once it
 * is past SRV_PUSHQ_SIGNER_WINDOW bytes, the kiosk it names must be one the
 * database knows and has not revoked, or nothing more of it is kept and
 * the push is refused as srv_sync would refuse it, only earlier. */
typedef struct {
	char *data;
	size_t len, cap;             /* cap is what is reserved from the budget */
	int signer_checked;
	int status;                  /* 0 while acceptable, else the refusal's HTTP status */
	char error[24], message[96]; /* the refusal, for respond_error_json */
	srv_pushq_job job;           /* once complete, with the workers */
} srv_pushq_body;

/* Adds len bytes; db (the calling thread's, or NULL) answers the signer
 * check. 0, or -1 when out of memory (close the connection). */
int srv_pushq_feed(srv_pushq_body *b, srv_guard *g, srv_db *db, const char *data, size_t len);
/* Frees the buffer and gives its bytes back to the budget; b stays usable. */
void srv_pushq_body_drop(srv_pushq_body *b, srv_guard *g);

/* Starts workers threads (at least 1). ctx is kept; each worker opens
 * the store at store (a data folder or a postgresql:// URL). NULL with a reason in err. */
srv_pushq *srv_pushq_new(const srv_sync_ctx *ctx, const char *store, int workers, unsigned depth,
	char *err, size_t errlen);

/* Suspends job's connection and queues it: 0. -1 when the queue is full or
 * stopping; then nothing is suspended and the caller answers at once. */
int srv_pushq_submit(srv_pushq *q, srv_pushq_job *job);

/* Takes no more jobs (submit fails from now on), finishes the queued ones,
 * resuming their connections, and joins the workers: before
 * MHD_stop_daemon, which must find no connection suspended. */
void srv_pushq_stop(srv_pushq *q);
/* After MHD_stop_daemon. */
void srv_pushq_free(srv_pushq *q);

/* The signer an envelope's first len bytes name: 1 with it in out, 0 when
 * more bytes are needed to tell, -1 when these bytes cannot be the start of
 * an envelope that names its signer first. */
int srv_pushq_signer(const char *text, size_t len, char out[ENV_SIGNER_MAX]);

#endif
