/* srv_http: the routes and their handlers (see srv_http.h); answers and the
 * request log are srv_reply.c's.
 *
 * libmicrohttpd calls the access handler at least twice per request: once
 * when the headers are in, then for each piece of body, then once more when
 * the request is complete. Responses are queued on that last call only:
 * queuing on the first makes libmicrohttpd 0.9.75 close the connection
 * after every reply. The exceptions are requests refused on their headers
 * (malformed, or a body announced over the route's limit): answering at
 * once, before the body, closes the connection, which is what refusing it
 * unread means.
 *
 * Bodies: a push, a console form and a phone page's rating (rate_form.h). A push's is
 * buffered as it arrives, from the body budget, never from the announced length; once
 * it is past SRV_PUSHQ_SIGNER_WINDOW bytes, the kiosk it names must be one
 * registered and not revoked, or the rest is read and dropped and the push
 * refused. A complete push goes to the push workers (srv_pushq.h) and its
 * connection is suspended until they have answered.
 *
 * Per-thread state (a database connection, a page buffer) hangs on a
 * pthread key owned by the server, created on a thread's first request and
 * freed by the key's destructor when libmicrohttpd stops its threads. The
 * pool threads only read the database. */
#include "srv_http.h"
#include "catalog.h"
#include "cal.h"
#include "console.h"
#include "log.h"
#include "page.h"
#include "ratelimit.h"
#include "srv_read.h"            /* srv_db.h, and the lookups' replica */
#include "srv_guard.h"
#include "srv_keys.h"
#include "srv_proxy.h"
#include "srv_body.h"
#include "srv_pushq.h"
#include "srv_reply.h"
#include "srv_sms.h"
#include "srv_sync.h"
#include "stats_page.h"
#include "token.h"
#include <microhttpd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOOKUP_BURST 60
#define COST_KNOWN 1
#define COST_UNKNOWN 5           /* unknown or malformed tokens: what a guessing run sends */
#define CONNECTION_TIMEOUT_S 30u       /* libmicrohttpd's: idle, between two bytes */
#define FORM_MAX_BYTES 65536u          /* a console form */
#define BODY_BUDGET (64u << 20)        /* push bytes held at once, all kiosks together */
#define PUSH_QUEUE_DEPTH 256u

#define LOGIN_BURST 10

typedef struct {
	const srv_http_config *cfg;
	srv_keys keys;
	srv_sync_ctx sync;
	catalog *cat;
	char public_url[512];
	page_context page;
	page_buf not_found;          /* rendered once: it never changes */
	ratelimit *limiter;
	pthread_key_t thread_key;
	pthread_mutex_t write_lock;
	int has_key, has_lock;       /* what server_free must undo */
	cal *calendar;               /* working days, for the deadlines officials' actions set */
	ratelimit *login_limiter;
	console_ctx console;
	srv_proxy proxies;
	srv_guard *guard;
	srv_pushq *pushq;
	srv_sms *sms;                /* text messages to citizens; NULL: none configured */
} server;

/* What one pool thread keeps between requests. */
typedef struct {
	srv_db *db; srv_read read;   /* the store; the lookups' replica (--db-read) */
	page_buf buf;
	srv_db_facts facts;          /* 64 KiB of events each: kept, not on the stack */
	page_request req;
	stats_page_cache stats;      /* the public figures, computed at most once a minute */
} thread_state;
typedef srv_request request;

typedef enum MHD_Result (*handler)(server *s, struct MHD_Connection *c, request *rq, const char *url);

typedef struct route {
	const char *method;
	const char *path;
	int prefix;                  /* path is a prefix: the rest is a token */
	int logged_token;            /* cut the rest short in the log */
	handler fn;
} route;

/* ---- per-thread state ---- */

static void thread_state_free(void *p)
{
	thread_state *t = p;
	if (!t) return;
	srv_db_close(t->db), srv_read_close(&t->read);
	page_buf_free(&t->buf);
	stats_page_cache_free(&t->stats);
	free(t);
}

/* Where the store is: the PostgreSQL URL given, or the data folder. */
#define store_of(cfg) ((cfg)->store ? (cfg)->store : (cfg)->data_dir)

/* This thread's state, made on its first request; NULL when the database
 * cannot be opened (logged; the next request tries again). */
static thread_state *thread_get(server *s)
{
	thread_state *t = pthread_getspecific(s->thread_key);
	char err[300];
	if (t) return t;
	if (!(t = calloc(1, sizeof *t))) return NULL;
	if (srv_db_open(&t->db, store_of(s->cfg), 0, err, sizeof err) != 0) {
		log_error("%s", err);
		free(t);
		return NULL;
	}
	if (pthread_setspecific(s->thread_key, t) != 0) {
		thread_state_free(t);
		return NULL;
	}
	return t;
}

/* ---- handlers ---- */

/* Called when the push is in (it goes to the workers, its connection
 * suspended), then once more when the workers have answered it. */
static enum MHD_Result handle_sync(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	srv_sync_result res;
	struct MHD_Response *resp;
	size_t len;
	enum MHD_Result ok;
	(void)url;
	rq->synced = 1;
	if (rq->push.status)
		return srv_reply_error(c, rq, rq->push.status, rq->push.error, rq->push.message);
	if (!rq->push.job.done) {
		rq->push.job.connection = c;
		rq->push.job.body = rq->push.data ? rq->push.data : "";
		rq->push.job.len = rq->push.len;
		if (srv_pushq_submit(s->pushq, &rq->push.job) == 0) return MHD_YES;
		return srv_reply_error(c, rq, 503, "server_error", "the server is busy; try again later");
	}
	res = rq->push.job.result;
	rq->push.job.result.reply = NULL;
	snprintf(rq->kiosk, sizeof rq->kiosk, "%s", res.kiosk);
	rq->n = res.n;
	rq->stored = res.stored;
	rq->events = res.events;
	if (res.status != 200) {
		ok = srv_reply_error(c, rq, res.status, res.error, res.message);
		srv_sync_result_free(&res);
		return ok;
	}
	/* The response takes the reply's buffer and frees it. */
	len = res.reply_len;
	resp = MHD_create_response_from_buffer(len, res.reply, MHD_RESPMEM_MUST_FREE);
	if (resp) res.reply = NULL;
	srv_sync_result_free(&res);
	return srv_reply(c, rq, 200, SRV_APP_JSON, resp, len);
}

/* GET /r/<token> and GET /api/v1/requests/<token>. The lookup comes before
 * the rate limiter because the cost depends on its result; it is one
 * indexed read. */
static enum MHD_Result lookup(server *s, struct MHD_Connection *c, request *rq, const char *rest, int json)
{
	char token[TOKEN_LEN + 1];
	const char *language;
	thread_state *t = thread_get(s);
	int found = -2, retry_after = 0, rendered;
	if (!t) return srv_reply_unavailable(c, rq);
	if (token_parse(rest, token) == TOKEN_OK) {
		found = srv_read_lookup(&t->read, s->cfg->read_store, t->db, token, &t->facts);
		if (found < 0) return srv_reply_unavailable(c, rq);
		/* A code two kiosks claim (SRV_DB_HELD) shows as not received: of
		 * two claimants the page cannot tell the citizen's, so it shows
		 * neither until staff have looked. */
		page_view(&t->req, token, found == 1 ? &t->facts : NULL, (long long)time(NULL));
		t->req.rating = rate_form_take(t->db, token, found == 1 && !json ? &t->facts : NULL, rq->method, &rq->form, time(NULL));
	}
	if (rq->has_client && !ratelimit_allow(s->limiter, (const struct sockaddr *)&rq->client,
			found == 1 ? COST_KNOWN : COST_UNKNOWN, srv_reply_now_ns() / 1000000, &retry_after))
		return srv_reply_limited(c, rq, json, retry_after);
	if (found == -2) {
		if (json) return srv_reply_error(c, rq, 404, "not_found", "not a receipt code");
		return srv_reply(c, rq, 404, SRV_TEXT_HTML, MHD_create_response_from_buffer(s->not_found.len,
			s->not_found.data, MHD_RESPMEM_PERSISTENT), s->not_found.len);
	}
	t->buf.len = 0;
	if (json) {
		rendered = page_json(&s->page, &t->req, &t->buf);
	} else {
		language = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
		rendered = page_html(&s->page, &t->req, language && strcmp(language, "en") == 0 ? "en" : "vi", &t->buf);
	}
	if (rendered != 0) return srv_reply_text(c, rq, 500, "out of memory\n");
	return srv_reply_copy(c, rq, 200, json ? SRV_APP_JSON : SRV_TEXT_HTML, t->buf.data, t->buf.len);
}

static enum MHD_Result handle_page(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	return lookup(s, c, rq, url + strlen(rq->route->path), 0);
}

static enum MHD_Result handle_request_json(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	return lookup(s, c, rq, url + strlen(rq->route->path), 1);
}

static enum MHD_Result handle_health(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	thread_state *t = thread_get(s);
	long long n = t ? srv_db_count(t->db) : -1;
	char text[64];
	(void)url;
	if (n < 0) return srv_reply_copy(c, rq, 503, SRV_APP_JSON, "{\"ok\":false}", strlen("{\"ok\":false}"));
	snprintf(text, sizeof text, "{\"ok\":true,\"requests\":%lld}", n);
	return srv_reply_copy(c, rq, 200, SRV_APP_JSON, text, strlen(text));
}

/* GET /stats[/<code>] and /api/v1/stats[/<code>]: the public figures. */
static enum MHD_Result stats_answer(server *s, struct MHD_Connection *c, request *rq, const char *rest, int json)
{
	thread_state *t = thread_get(s);
	const srv_stats *figures;
	stats_page_query q;
	char err[300];
	int status;
	if (!t) return srv_reply_unavailable(c, rq);
	if (!(figures = stats_page_figures(&t->stats, t->db, (long long)time(NULL), err, sizeof err))) {
		log_error("%s", err);
		return srv_reply_unavailable(c, rq);
	}
	q.rest = rest;
	q.json = json;
	q.language = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	q.page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "p");
	if ((status = stats_page_render(figures, s->cat, &q, &t->buf)) < 0)
		return srv_reply_text(c, rq, 500, "out of memory\n");
	return srv_reply_copy(c, rq, status, q.type, t->buf.data, t->buf.len);
}

static enum MHD_Result handle_stats(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	return stats_answer(s, c, rq, url + strlen("/stats"), 0);
}

static enum MHD_Result handle_stats_json(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	return stats_answer(s, c, rq, url + strlen("/api/v1/stats"), 1);
}

/* ---- the officials' console ---- */

static const char *query_arg(void *cls, const char *name)
{
	return MHD_lookup_connection_value(cls, MHD_GET_ARGUMENT_KIND, name);
}

/* Everything under /staff: console.c decides; this turns its answer into
 * headers. A page that showed an identity is wiped from the thread's
 * buffer as soon as libmicrohttpd has its copy. */
static enum MHD_Result handle_staff(server *s, struct MHD_Connection *c, request *rq, const char *url)
{
	thread_state *t = thread_get(s);
	console_request in;
	console_response out;
	struct MHD_Response *resp;
	char seconds[16];
	size_t len;
	int i;
	rq->staff = 1;
	if (!t) return srv_reply_unavailable(c, rq);
	memset(&in, 0, sizeof in);
	in.method = rq->method;
	in.path = url;
	in.query = query_arg;
	in.query_cls = c;
	in.form = &rq->form;
	in.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, CONSOLE_COOKIE_SESSION);
	in.login_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, CONSOLE_COOKIE_LOGIN);
	in.lang_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, CONSOLE_COOKIE_LANG);
	in.origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	in.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	in.client = rq->has_client ? (const struct sockaddr *)&rq->client : NULL;
	console_handle(&s->console, t->db, &in, (long long)time(NULL), &out, &t->buf);
	len = t->buf.len;
	resp = srv_body_response(&out, &t->buf, &len);
	if (resp) {
		if (out.disposition[0]) MHD_add_response_header(resp, "Content-Disposition", out.disposition);
		if (s->console.secure_cookies) MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
		if (out.location[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, out.location);
		for (i = 0; i < CONSOLE_COOKIES; i++)
			if (out.cookies[i][0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, out.cookies[i]);
		if (out.retry_after > 0) {
			snprintf(seconds, sizeof seconds, "%d", out.retry_after);
			MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
		}
	}
	return srv_reply(c, rq, out.status, out.type, resp, len);
}

static const route routes[] = {
	{ "POST", "/api/v1/sync", 0, 0, handle_sync },
	{ "GET", "/r/", 1, 1, handle_page },
	{ "POST", "/r/", 1, 1, handle_page },   /* the rating form (rate_form.h) */
	{ "GET", "/api/v1/requests/", 1, 1, handle_request_json },
	{ "GET", "/healthz", 0, 0, handle_health },
	{ "GET", "/staff", 1, 0, handle_staff },
	{ "POST", "/staff", 1, 0, handle_staff },
	{ "GET", "/stats", 0, 0, handle_stats },
	{ "GET", "/stats/", 1, 0, handle_stats },
	{ "GET", "/api/v1/stats", 0, 0, handle_stats_json },
	{ "GET", "/api/v1/stats/", 1, 0, handle_stats_json },
};

static int method_allowed(const route *r, const char *method)
{
	return strcmp(method, r->method) == 0 ||
		(strcmp(r->method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

/* The route for a path and method; when only the method is wrong, the
 * first route of that path (so the answer is 405, not 404). */
static const route *route_for(const char *url, const char *method)
{
	const route *path_match = NULL;
	size_t i;
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const route *r = &routes[i];
		if (!(r->prefix ? strncmp(url, r->path, strlen(r->path)) == 0 : strcmp(url, r->path) == 0)) continue;
		if (method_allowed(r, method)) return r;
		if (!path_match) path_match = r;
	}
	return path_match;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	request *rq = *con_cls;
	(void)toe;
	srv_guard_phase(s->guard, c, GUARD_HEADERS);   /* the next request's clock starts */
	if (!rq) return;
	srv_reply_log(rq);
	if (rq->form_parser) MHD_destroy_post_processor(rq->form_parser);
	console_form_free(&rq->form);
	srv_sync_result_free(&rq->push.job.result);
	srv_pushq_body_drop(&rq->push, s->guard);
	free(rq);
	*con_cls = NULL;
}

/* ---- the access handler ---- */

static enum MHD_Result on_form_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
	const char *content_type, const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	request *rq = cls;
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	return console_form_add(&rq->form, key, data ? data : "", off, size) == 0 ? MHD_YES : MHD_NO;
}

/* The last X-Forwarded-For header's value: a client may send its own, and
 * only the one our proxy set (or appended to) is last. */
static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	if (key && strcasecmp(key, "X-Forwarded-For") == 0) *(const char **)cls = value;
	return MHD_YES;
}

static void find_client(server *s, struct MHD_Connection *c, request *rq)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *forwarded = NULL;
	if (!info || !info->client_addr) return;
	if (srv_proxy_trusted(&s->proxies, info->client_addr))
		MHD_get_connection_values(c, MHD_HEADER_KIND, last_forwarded, &forwarded);
	srv_proxy_client(&s->proxies, info->client_addr, forwarded,
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP"), &rq->client);
	rq->has_client = 1;
}

/* The most body a request to this route may carry. */
static size_t body_limit(const request *rq, const char *method)
{
	if (!rq->route || !method_allowed(rq->route, method)) return 0;
	if (rq->route->fn == handle_sync) return ENV_MAX_BYTES;
	return (rq->route->fn == handle_staff || rq->route->fn == handle_page) && strcmp(method, "POST") == 0 ? FORM_MAX_BYTES : 0;
}

/* Headers are in: set up the request. Malformed headers, and a body
 * announced over the route's limit, are answered at once (see the top of
 * the file). */
static enum MHD_Result on_headers(server *s, struct MHD_Connection *c, const char *url, const char *method,
	request *rq)
{
	const char *length, *why;
	int bad;
	rq->start_ns = srv_reply_now_ns();
	srv_guard_phase(s->guard, c, GUARD_BODY);
	snprintf(rq->method, sizeof rq->method, "%s", method);
	rq->route = route_for(url, method);
	srv_reply_log_path(url, rq->route && rq->route->logged_token ? strlen(rq->route->path) + 4 : SRV_REPLY_PATH_MAX,
		rq->path, sizeof rq->path);
	if ((bad = srv_guard_check_headers(c, &why)) != 0) {
		char text[128];
		snprintf(text, sizeof text, "%s.\n", why);
		return srv_reply_copy(c, rq, bad, SRV_TEXT_PLAIN, text, strlen(text));
	}
	find_client(s, c, rq);
	/* A form's fields, as they arrive; NULL for a body that is not a form,
	 * which then reaches the console as an empty form and is refused. */
	if (rq->route && (rq->route->fn == handle_staff || rq->route->fn == handle_page) && strcmp(method, "POST") == 0)
		rq->form_parser = MHD_create_post_processor(c, 8192, on_form_field, rq);
	length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (length && strtoull(length, NULL, 10) > body_limit(rq, method)) {
		if (rq->route && rq->route->fn == handle_sync) {
			rq->synced = 1;
			return srv_reply_error(c, rq, 413, "too_large", "the envelope is larger than the limit");
		}
		return srv_reply_text(c, rq, 413, "Nội dung gửi lên quá lớn.\nRequest body too large.\n");
	}
	return MHD_YES;
}

/* A piece of a body: a push's, a form's, or one no route takes (the
 * connection is closed: its length was not announced, or the headers
 * would have been answered 413). */
static enum MHD_Result on_body(server *s, request *rq, const char *data, size_t len)
{
	rq->received += len;
	if (rq->form_parser) {
		if (rq->received > FORM_MAX_BYTES || MHD_post_process(rq->form_parser, data, len) != MHD_YES)
			rq->form.too_large = 1;
		return MHD_YES;
	}
	if (rq->route && rq->route->fn == handle_sync) {
		thread_state *t = thread_get(s);
		return srv_pushq_feed(&rq->push, s->guard, t ? t->db : NULL, data, len) == 0 ? MHD_YES : MHD_NO;
	}
	/* A console POST that is not a form: dropped, then refused as an empty form. */
	if (rq->route && rq->route->fn == handle_staff) return rq->received <= FORM_MAX_BYTES ? MHD_YES : MHD_NO;
	return MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	server *s = cls;
	request *rq = *con_cls;
	size_t len;
	(void)version;
	if (!rq) {
		if (!(rq = calloc(1, sizeof *rq))) return MHD_NO;
		*con_cls = rq;
		return on_headers(s, c, url, method, rq);
	}
	if (rq->status) {                          /* answered early; the rest is dropped */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		len = *upload_data_size;
		*upload_data_size = 0;
		return on_body(s, rq, upload_data, len);
	}
	srv_guard_phase(s->guard, c, GUARD_ANSWERING);
	if (!rq->route) return srv_reply_text(c, rq, 404, "Không tìm thấy trang này.\nPage not found.\n");
	if (!method_allowed(rq->route, method)) {
		struct MHD_Response *resp;
		static const char text[] = "Phương thức không được hỗ trợ.\nMethod not allowed.\n";
		resp = MHD_create_response_from_buffer(sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
		if (resp) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
			strcmp(rq->route->method, "GET") == 0 ? "GET, HEAD" : rq->route->method);
		return srv_reply(c, rq, 405, SRV_TEXT_PLAIN, resp, sizeof text - 1);
	}
	return rq->route->fn(s, c, rq, url);
}

/* libmicrohttpd's own complaints are mostly about one client's connection
 * (reset, timed out, malformed), not the server: warnings. */
__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char text[512];
	size_t len;
	(void)cls;
	if (vsnprintf(text, sizeof text, fmt, ap) < 0) return;
	len = strlen(text);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) text[--len] = '\0';
	log_warn("libmicrohttpd: %s", text);
}

/* ---- starting and stopping ---- */

/* The working-day calendar for deadlines: the copy the server hands to
 * kiosks (DATA/holidays.json) when there is one, else the shipped one. */
static cal *load_calendar(const srv_http_config *cfg, char *err, size_t errlen)
{
	char path[600];
	snprintf(path, sizeof path, "%s/holidays.json", cfg->data_dir);
	if (access(path, F_OK) != 0) snprintf(path, sizeof path, "%s/holidays.json", cfg->assets_dir);
	return cal_load(path, err, errlen);
}

static void console_init(server *s, const srv_http_config *cfg)
{
	s->console.cat = s->cat;
	s->console.calendar = s->calendar;
	s->console.keys = &s->keys;
	s->console.limits.idle = cfg->session_idle;
	s->console.limits.absolute = cfg->session_absolute;
	s->console.secure_cookies = cfg->secure_cookies;
	s->console.login_limiter = s->login_limiter;
	s->console.data_dir = store_of(cfg);
}

/* Everything serving needs, read before the first thread starts. */
static int server_init(server *s, const srv_http_config *cfg, char *err, size_t errlen)
{
	srv_db *db;
	char path[600], why[300];
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	if (!srv_keys_path(cfg->data_dir, cfg->key_file, path, sizeof path))
		log_warn("the server key lies beside the database (%s): a copy of the data folder opens every"
			" identity; keep it apart (init --key-file, systemd LoadCredential=): docs/security.md", path);
	if (srv_keys_load_file(path, &s->keys, err, errlen) != 0) return -1;
	s->sync.keys = &s->keys;
	s->sync.data_dir = cfg->data_dir;
	s->sync.store_lock = &s->write_lock;
	if (srv_proxy_parse(&s->proxies, cfg->trusted_proxies, err, errlen) != 0) return -1;
	if (srv_db_open(&db, store_of(cfg), 0, err, errlen) != 0) return -1;
	if (srv_db_meta_get(db, "public_url", s->public_url, sizeof s->public_url) < 0) {
		snprintf(err, errlen, "%s: the settings cannot be read", cfg->store ? "the PostgreSQL store" : cfg->data_dir);
		srv_db_close(db);
		return -1;
	}
	srv_sync_index_all(db, &s->keys);   /* keys of what was stored before they existed */
	srv_db_close(db);
	snprintf(path, sizeof path, "%s/catalog.json", cfg->assets_dir);
	if (!(s->cat = malloc(sizeof *s->cat)) || catalog_load(path, s->cat, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", s->cat ? why : "out of memory");
		return -1;
	}
	if (!(s->calendar = load_calendar(cfg, err, errlen))) return -1;
	/* Pushes are held to the same catalog and calendar the pages use. */
	s->sync.cat = s->cat;
	s->sync.calendar = s->calendar;
	s->page.cat = s->cat;
	s->page.office_level = cfg->office_level;
	s->page.public_url = s->public_url;
	if (page_not_found(&s->not_found) != 0 ||
	    !(s->limiter = ratelimit_new(cfg->lookup_rate, LOOKUP_BURST)) ||
	    !(s->login_limiter = ratelimit_new(cfg->login_rate, LOGIN_BURST))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	console_init(s, cfg);
	s->has_key = pthread_key_create(&s->thread_key, thread_state_free) == 0;
	s->has_lock = pthread_mutex_init(&s->write_lock, NULL) == 0;
	if (!s->has_key || !s->has_lock) {
		snprintf(err, errlen, "could not set up the server's threads");
		return -1;
	}
	return 0;
}

/* The threads of our own, started with the signals blocked so that they
 * never take SIGTERM: the deadline thread and the push workers. */
static int server_start_threads(server *s, const srv_http_config *cfg, long ncpu, char *err, size_t errlen)
{
	srv_guard_config g;
	g.per_address = cfg->per_address;
	g.deadline_s = cfg->request_deadline ? cfg->request_deadline : SRV_HTTP_DEADLINE_S;
	g.body_budget = BODY_BUDGET;
	g.proxies = &s->proxies;
	if (!(s->guard = srv_guard_new(&g, err, errlen))) return -1;
	s->pushq = srv_pushq_new(&s->sync, store_of(cfg), ncpu > 0 ? (int)ncpu : 1, PUSH_QUEUE_DEPTH, err, errlen);
	if (!s->pushq) return -1;
	return srv_sms_start_with(store_of(cfg), &s->keys, cfg->sms_url, cfg->sms_gammu, cfg->sms_timeout,
		cfg->sms_retry, &s->sms, err, errlen);
}

static int is_loopback(const struct sockaddr *a)
{
	if (a->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr) >> 24) == 127;
	return a->sa_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr);
}

/* The global connection limit: what was asked, within the open-file limit
 * (each connection is a descriptor; the databases need a few more). */
static unsigned connection_limit(const srv_http_config *cfg)
{
	struct rlimit r;
	unsigned n = cfg->max_connections ? cfg->max_connections : SRV_HTTP_MAX_CONNECTIONS;
	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY && r.rlim_cur < (rlim_t)n + 64)
		n = r.rlim_cur > 128 ? (unsigned)r.rlim_cur - 64 : 64;
	return n;
}

static void server_free(server *s)
{
	srv_sms_stop(s->sms);
	srv_pushq_free(s->pushq);
	srv_guard_free(s->guard);
	if (s->has_key) pthread_key_delete(s->thread_key);
	if (s->has_lock) pthread_mutex_destroy(&s->write_lock);
	ratelimit_free(s->limiter);
	ratelimit_free(s->login_limiter);
	cal_free(s->calendar);
	page_buf_free(&s->not_found);
	free(s->cat);
	srv_keys_wipe(&s->keys);
}

int srv_http_run(const srv_http_config *cfg, char *err, size_t errlen)
{
	server s;
	struct addrinfo *addr = NULL;
	struct MHD_Daemon *daemon;
	sigset_t stop, old;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
		MHD_ALLOW_SUSPEND_RESUME;
	unsigned limit = connection_limit(cfg);
	int sig = 0;
	if (server_init(&s, cfg, err, errlen) != 0 || srv_proxy_resolve_listen(cfg->listen, &addr, err, errlen) != 0) {
		server_free(&s);
		return -1;
	}
	if (addr->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
	if (!is_loopback(addr->ai_addr))
		log_warn("listening on %s, not on loopback: plain HTTP reaches this server from the network;"
			" put the TLS proxy in front and listen on 127.0.0.1 (docs/security.md)", cfg->listen);
	/* The pool's threads inherit this mask, so the signals reach sigwait
	 * below and nothing else. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	if (server_start_threads(&s, cfg, ncpu, err, errlen) != 0) {
		freeaddrinfo(addr);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		server_free(&s);
		return -1;
	}
	/* The request log's lines are held per thread and written together
	 * (log.h); its flusher thread starts here, with the signals blocked. */
	if (log_hold_start() != 0) log_warn("the request log is written line by line (no thread to gather it)");
	daemon = MHD_start_daemon(flags, 0, srv_guard_accept, s.guard, on_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &s,   /* first, or early messages miss it */
		MHD_OPTION_SOCK_ADDR, addr->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(ncpu > 0 ? ncpu : 1),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
		MHD_OPTION_NOTIFY_CONNECTION, srv_guard_notify, s.guard,
		MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_END);
	freeaddrinfo(addr);
	if (!daemon) {
		log_hold_stop();
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this machine?)", cfg->listen);
		server_free(&s);
		return -1;
	}
	/* The store's URL may hold a password: it is never logged. */
	log_info("serving %s%s on %s with %ld threads; lookups %u a minute per address%s; at most %u connections,"
		" %u per address; %d trusted proxies", cfg->data_dir, cfg->store ? " (store: PostgreSQL)" : "", cfg->listen, ncpu > 0 ? ncpu : 1,
		cfg->lookup_rate, cfg->lookup_rate ? "" : " (unlimited)", limit, cfg->per_address, s.proxies.n);
	while (sigwait(&stop, &sig) != 0) {}
	log_info("stopping (signal %d)", sig);
	srv_pushq_stop(s.pushq);                     /* no connection may stay suspended */
	MHD_stop_daemon(daemon);
	log_hold_stop();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	server_free(&s);
	return 0;
}
