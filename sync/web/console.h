/* console: the officials' console under /staff, where upstream officials work
 * the requests kiosks sent: log in, the inbox, one request with its
 * timeline, the identity for those allowed, the actions that answer the
 * citizen, dialogue conferences and the audit log.
 *
 * Desktop browsers, Vietnamese with an English switch, plain HTML forms and
 * one style sheet (/staff/style.css): no script. The module knows nothing of
 * HTTP libraries: the server hands it a console_request (method, path,
 * query, form fields, cookies, Origin) and sends back what it fills in a
 * console_response, so the pages can be tested without a socket.
 *
 * Every page but the login and the style sheet needs a live session
 * (srv_auth); without one a GET goes to the login page, which then returns
 * to where the official was going. Every POST must carry the session's CSRF
 * token (the login form its own, from a cookie) and, when the browser sends
 * an Origin, come from this server, or it is refused with 403 and changes
 * nothing. Identities are opened in memory for one response and never
 * kept; the server marks every answer no-store. */
#ifndef MOTCUA_CONSOLE_H
#define MOTCUA_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "cal.h"
#include "catalog.h"
#include "page.h"
#include "ratelimit.h"
#include "srv_auth.h"
#include "srv_db.h"
#include "srv_keys.h"

#define CONSOLE_FORM_FIELDS 16
#define CONSOLE_FIELD_MAX 4096        /* bytes of one form value */
#define CONSOLE_BODY_MAX 65536        /* bytes of a whole form */
#define CONSOLE_COOKIES 3

/* Cookie names: the session, the login form's CSRF token, the language. */
#define CONSOLE_COOKIE_SESSION "motcua_staff"
#define CONSOLE_COOKIE_LOGIN "motcua_login"
#define CONSOLE_COOKIE_LANG "motcua_lang"

/* What the server sets up once and every request shares (read only). */
typedef struct {
	const catalog *cat;
	const cal *calendar;         /* for deadlines set by actions */
	const srv_keys *keys;        /* opens identities */
	srv_auth_limits limits;
	int secure_cookies;          /* the server sits behind a TLS proxy */
	ratelimit *login_limiter;    /* login attempts per address; NULL: none */
	const char *data_dir;        /* the store exports open their own connection to: the data folder or a PostgreSQL URL */
	const char *tmp_dir;         /* where a workbook is put together; NULL: $TMPDIR or /tmp */
} console_ctx;

typedef struct {
	char name[32];
	char *value;                 /* malloc'd, NUL-terminated */
	size_t len;
} console_field;

/* A POSTed form, application/x-www-form-urlencoded, as the server's body
 * parser delivers it piece by piece. */
typedef struct {
	console_field fields[CONSOLE_FORM_FIELDS];
	int n;
	int too_large;               /* a value or the whole form over its limit: refused */
	size_t total;
} console_form;

/* Appends size bytes at offset off of field name's value (a new field when
 * off is 0 and the name is not there yet). 0, or -1 when out of memory;
 * over a limit it sets too_large and drops the data. */
int console_form_add(console_form *f, const char *name, const char *data, uint64_t off, size_t size);
/* The value of a field, or NULL. */
const char *console_form_get(const console_form *f, const char *name);
void console_form_free(console_form *f);

typedef struct {
	const char *method;          /* GET, HEAD or POST */
	const char *path;            /* the URL's path, starting with /staff */
	const char *(*query)(void *cls, const char *name);   /* a query argument or NULL */
	void *query_cls;
	const console_form *form;    /* POST: the fields; may be NULL */
	const char *session_cookie, *login_cookie, *lang_cookie;
	const char *origin;          /* the Origin header, or NULL */
	const char *host;            /* the Host header, or NULL */
	const struct sockaddr *client;
} console_request;

typedef struct {
	int status;
	const char *type;            /* Content-Type */
	char location[1024];         /* a redirect's target, or "" */
	char cookies[CONSOLE_COOKIES][256];   /* Set-Cookie values, "" when unused */
	int retry_after;             /* seconds, for 429; 0 none */
	int personal;                /* the body holds an opened identity: wipe it once sent */
	char disposition[160];       /* Content-Disposition (a download's file name), or "" */
	/* A body too long to hold (exports), instead of the buffer: either an
	 * open file sent whole and closed (body_fd >= 0), or pieces the server
	 * asks for after the handler returned, from any of its threads, until
	 * read gives 0 (the end) or -1 (cut short); then done frees cls. */
	int body_fd;
	long long body_size;
	long (*read)(void *cls, char *buf, size_t max);
	void (*done)(void *cls);
	void *cls;
} console_response;

/* Answers one request into body (its len reset first). Never fails: a
 * database failure is a 503 page. */
void console_handle(const console_ctx *c, srv_db *db, const console_request *rq, long long now,
	console_response *out, page_buf *body);

/* The phone page's rating form reads its fields as the console reads its own. */
#include "rate_form.h"

#endif
