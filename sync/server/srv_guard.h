/* srv_guard: what keeps one client from taking the server down.
 *
 * - Connections per client address (an IPv4 address, an IPv6 /64) are
 *   counted and refused above a limit, checked by libmicrohttpd's accept
 *   policy; trusted proxies (srv_proxy.h) are not counted, they carry
 *   everybody. The global limit is libmicrohttpd's own.
 * - Every request has a deadline from its first moment (the connection's
 *   accept, or the end of the previous request on a kept-alive connection)
 *   until it is fully received: min(deadline, 10 s) for the headers, the
 *   deadline for the whole request. libmicrohttpd's timeout restarts at
 *   every byte, so a client sending one header line every few seconds
 *   would hold its connection for ever; here a thread looks at every
 *   connection twice a second and shuts down the socket of one past its
 *   deadline, which libmicrohttpd then sees as closed and cleans up
 *   itself. Once a request is in, it is being answered: no deadline.
 * - Request bodies held in memory, over all connections together, stay
 *   under a budget (reserve before growing a buffer, release when freed).
 * - Requests whose headers are not plain HTTP/1.1 are refused before their
 *   body: a header name with a space or other non-token byte (the
 *   "Transfer-Encoding : chunked" smuggling trick) is 400, a transfer coding
 *   other than chunked is 501, a Transfer-Encoding beside a Content-Length
 *   or a Content-Length that is not a number is 400. */
#ifndef MOTCUA_SRV_GUARD_H
#define MOTCUA_SRV_GUARD_H

#include <stddef.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "srv_proxy.h"

#define SRV_GUARD_HEADER_DEADLINE_S 10u

typedef struct {
	unsigned per_address;        /* open connections per client address; 0: no limit */
	unsigned deadline_s;         /* a whole request, from its first moment to its last byte */
	size_t body_budget;          /* request body bytes held at once, all connections together */
	const srv_proxy *proxies;    /* not counted per address; may be NULL */
} srv_guard_config;

typedef struct srv_guard srv_guard;

/* The phases of a request, for srv_guard_phase. */
typedef enum { GUARD_HEADERS, GUARD_BODY, GUARD_ANSWERING } srv_guard_phase_t;

/* Starts the deadline thread (it inherits the caller's signal mask). NULL
 * with a reason in err when it cannot. cfg is copied; proxies is kept. */
srv_guard *srv_guard_new(const srv_guard_config *cfg, char *err, size_t errlen);
/* Stops the thread; after MHD_stop_daemon, when no connection is left. */
void srv_guard_free(srv_guard *g);

/* libmicrohttpd's accept policy and connection notifier; cls is the guard. */
enum MHD_Result srv_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void srv_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
	enum MHD_ConnectionNotificationCode code);

/* Where the request on c is: GUARD_BODY when its headers are in,
 * GUARD_ANSWERING when all of it is, GUARD_HEADERS again when it has been
 * answered (the next request's clock starts then). */
void srv_guard_phase(srv_guard *g, struct MHD_Connection *c, srv_guard_phase_t phase);

/* Reserves n bytes of the body budget: 1, or 0 when that would exceed it.
 * Release exactly what was reserved. */
int srv_guard_reserve(srv_guard *g, size_t n);
void srv_guard_release(srv_guard *g, size_t n);

/* 0 when c's headers are acceptable; else the status to refuse them with
 * (400 or 501), and *why says what was wrong, for the client. */
int srv_guard_check_headers(struct MHD_Connection *c, const char **why);

#endif
