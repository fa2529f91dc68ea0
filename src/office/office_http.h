/* office_http: motcua-office's HTTP front (libmicrohttpd): one table of
 * routes, the request a handler reads and the reply it writes.
 *
 * The office service runs on the office's own network, with no upstream:
 * counter pages on the staff's PCs, the hall display on a TV's browser.
 * Each route group (the counter page, the hall display, and later others)
 * is a file with its own array of office_route, ended by an entry whose
 * path is NULL; office_http_serve takes the list of groups, so a new page
 * is a new file and one line in main.c. A route matches its method and
 * its path exactly, or as a prefix when the path ends in '/'. A route
 * with `signed_in` set is answered only for a signed-in counter (others
 * are sent to the sign-in page), and its POSTs only with the session's
 * form token. */
#ifndef MOTCUA_OFFICE_HTTP_H
#define MOTCUA_OFFICE_HTTP_H

#include <stddef.h>
#include "catalog.h"
#include "config.h"
#include "db.h"

typedef struct office office;           /* the service: see office_ctx in main.c's office_new */
typedef struct office_req office_req;   /* one request and its reply */

/* A reply body grown as it is written; out of memory sticks (failed). */
typedef struct {
	char *data;
	size_t len, cap;
	int failed;
} office_buf;

void office_buf_add(office_buf *b, const char *s, size_t n);
void office_buf_puts(office_buf *b, const char *s);
void office_buf_printf(office_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text escaped for HTML text and attribute values. */
void office_buf_esc(office_buf *b, const char *s);
/* Text as a JSON string's inside (quotes not written). */
void office_buf_json(office_buf *b, const char *s);

/* The signed-in counter of a request (office_session.h). */
typedef struct {
	int counter;                 /* 0: nobody signed in */
	char csrf[65];               /* the form token its POSTs carry */
} office_who;

typedef struct {
	const char *method;          /* "GET" or "POST" */
	const char *path;
	int signed_in;
	void (*handle)(office_req *r);
} office_route;

/* A streamed reply (server-sent events): read is called again and again
 * in the connection's own thread, may wait up to a second, and returns
 * the bytes written into buf (at most max), 0 to be called again at once,
 * or -1 to end the stream; done frees ctx. */
typedef long (*office_stream_fn)(void *ctx, char *buf, size_t max);

/* What a handler reads. */
office *office_req_office(office_req *r);
const char *office_req_path(office_req *r);
const char *office_req_method(office_req *r);
/* A form field (POST body) or, failing that, a query parameter; NULL when absent. */
const char *office_req_param(office_req *r, const char *name);
const office_who *office_req_who(office_req *r);
/* The session cookie's value as sent, or NULL. */
const char *office_req_session(office_req *r);
lang office_req_lang(office_req *r);
/* The caller's address, for the log and the sign-in lock. */
const char *office_req_peer(office_req *r);

/* What a handler writes: a body with its type and status, a redirect
 * after a POST, a cookie, or a stream. The reply's buffer is the handler's
 * to fill. */
office_buf *office_req_body(office_req *r);
void office_req_reply(office_req *r, int status, const char *content_type);
void office_req_redirect(office_req *r, const char *location);
void office_req_cookie(office_req *r, const char *cookie);
void office_req_stream(office_req *r, office_stream_fn read, void (*done)(void *), void *ctx);
/* A body of bytes (a sound), copied into the reply. */
void office_req_bytes(office_req *r, int status, const char *content_type, const void *data, size_t len);

/* The standard page head and the end of a page (the office's own stylesheet). */
void office_http_page_start(office_buf *b, lang l, const char *title, int refresh_seconds);
void office_http_page_end(office_buf *b);

/* Serves the groups (each ended by a NULL path) on addr ("HOST:PORT" or
 * ":PORT") until SIGINT or SIGTERM. 0, or -1 with err. */
int office_http_serve(office *o, const char *addr, const office_route *const *groups, int ngroups,
	char *err, size_t errlen);


#endif
