/* srv_reply: the HTTP front's answers and its request log, apart from the
 * routes (srv_http.c): the headers every answer carries, the text, JSON and
 * rate-limit answers, and the one log line per request (srv_http.h says
 * what it holds and what it never does). */
#ifndef MOTCUA_SRV_REPLY_H
#define MOTCUA_SRV_REPLY_H

#include "console.h"
#include "srv_pushq.h"
#include <microhttpd.h>
#include <stddef.h>
#include <sys/socket.h>

#define SRV_REPLY_PATH_MAX 64    /* of a path, in the log */
#define SRV_TEXT_PLAIN "text/plain; charset=utf-8"
#define SRV_TEXT_HTML "text/html; charset=utf-8"
#define SRV_APP_JSON "application/json"

struct route;

/* One request, from its headers to the log line. */
typedef struct srv_request {
	const struct route *route;   /* srv_http.c's */
	long long start_ns;
	char method[8];
	char path[SRV_REPLY_PATH_MAX + 8];
	int status;
	size_t bytes;
	srv_pushq_body push;         /* a push being received */
	size_t received;             /* body bytes, kept or not */
	struct sockaddr_storage client;   /* the client: the peer, or who a trusted proxy names */
	int has_client;
	char kiosk[16];              /* a push's, for the log */
	long long n;
	int stored, events, synced;
	int staff;                   /* a /staff page: its own CSP */
	struct MHD_PostProcessor *form_parser;   /* a /staff form being received */
	console_form form;
} srv_request;

/* Queues resp (taking it: it is destroyed here) with the common headers and
 * the content type's, and notes status and len for the log; MHD_NO when
 * resp is NULL (out of memory). */
enum MHD_Result srv_reply(struct MHD_Connection *c, srv_request *rq, int status, const char *type,
	struct MHD_Response *resp, size_t len);
/* The same with a copy of data, or of a constant text. */
enum MHD_Result srv_reply_copy(struct MHD_Connection *c, srv_request *rq, int status, const char *type,
	const void *data, size_t len);
enum MHD_Result srv_reply_text(struct MHD_Connection *c, srv_request *rq, int status, const char *text);
/* {"error": code, "message": message}, for the API routes. */
enum MHD_Result srv_reply_error(struct MHD_Connection *c, srv_request *rq, int status,
	const char *code, const char *message);
/* 503: the store cannot be read now. */
enum MHD_Result srv_reply_unavailable(struct MHD_Connection *c, srv_request *rq);
/* 429 with Retry-After, as JSON or as text. */
enum MHD_Result srv_reply_limited(struct MHD_Connection *c, srv_request *rq, int json, int retry_after);

/* The path as the log shows it: printable ASCII only, cut after keep bytes
 * (a lookup's token to its first 4 characters) with an ellipsis. */
void srv_reply_log_path(const char *url, size_t keep, char *out, size_t outlen);
/* The request's log line (info level), timed from rq->start_ns. */
void srv_reply_log(const srv_request *rq);
long long srv_reply_now_ns(void);    /* CLOCK_MONOTONIC */

#endif
