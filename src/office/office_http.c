/* office_http: the office service's libmicrohttpd front (see office_http.h).
 *
 * One thread per connection: a hall display holds its connection open for
 * server-sent events and waits in it, which would stall a thread pool's
 * other clients; an office has a few counters and a TV or two, so the
 * threads are few. A body is read up to OFFICE_BODY_MAX (forms are small)
 * and refused beyond it. Every reply says no-store: a counter's page shows
 * what is true now, and the display's stream must not be cached. */
#include "office_http.h"
#include "office.h"
#include "office_session.h"
#include "log.h"
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define OFFICE_BODY_MAX 8192
#define OFFICE_PARAMS 32

typedef struct {
	char *name, *value;
} param;

struct office_req {
	office *o;
	struct MHD_Connection *conn;
	const char *method, *path;
	char body[OFFICE_BODY_MAX + 1];
	size_t body_len;
	int too_big;
	param params[OFFICE_PARAMS];
	int nparams;
	office_who who;
	char peer[64];
	lang l;
	/* the reply */
	office_buf out;
	int status;
	char content_type[64];
	char location[256];
	char cookie[256];
	office_stream_fn stream;
	void (*stream_done)(void *);
	void *stream_ctx;
};

/* ---- buffers ---- */

void office_buf_add(office_buf *b, const char *s, size_t n)
{
	if (b->failed) return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;
		while (cap < b->len + n + 1) cap *= 2;
		if (!(p = realloc(b->data, cap))) { b->failed = 1; return; }
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void office_buf_puts(office_buf *b, const char *s)
{
	office_buf_add(b, s, strlen(s));
}

void office_buf_printf(office_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) { b->failed = 1; return; }
	if ((size_t)n < sizeof small) { office_buf_add(b, small, (size_t)n); return; }
	{
		char *big = malloc((size_t)n + 1);
		if (!big) { b->failed = 1; return; }
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		office_buf_add(b, big, (size_t)n);
		free(big);
	}
}

void office_buf_esc(office_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': office_buf_puts(b, "&lt;"); break;
		case '>': office_buf_puts(b, "&gt;"); break;
		case '&': office_buf_puts(b, "&amp;"); break;
		case '"': office_buf_puts(b, "&quot;"); break;
		case '\'': office_buf_puts(b, "&#39;"); break;
		default: office_buf_add(b, s, 1);
		}
	}
}

void office_buf_json(office_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') { office_buf_add(b, "\\", 1); office_buf_add(b, s, 1); }
		else if (c < 0x20 || c == '<' || c == '>' || c == '&') office_buf_printf(b, "\\u%04x", c);
		else office_buf_add(b, s, 1);
	}
}

/* ---- the request ---- */

office *office_req_office(office_req *r) { return r->o; }
const char *office_req_path(office_req *r) { return r->path; }
const char *office_req_method(office_req *r) { return r->method; }
const office_who *office_req_who(office_req *r) { return &r->who; }
lang office_req_lang(office_req *r) { return r->l; }
const char *office_req_session(office_req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, OFFICE_SESSION_COOKIE);
}
const char *office_req_peer(office_req *r) { return r->peer; }
office_buf *office_req_body(office_req *r) { return &r->out; }

const char *office_req_param(office_req *r, const char *name)
{
	int i;
	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0) return r->params[i].value;
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void office_req_reply(office_req *r, int status, const char *content_type)
{
	r->status = status;
	snprintf(r->content_type, sizeof r->content_type, "%s", content_type);
}

void office_req_redirect(office_req *r, const char *location)
{
	r->status = MHD_HTTP_SEE_OTHER;
	snprintf(r->location, sizeof r->location, "%s", location);
}

void office_req_cookie(office_req *r, const char *cookie)
{
	snprintf(r->cookie, sizeof r->cookie, "%s", cookie);
}

void office_req_stream(office_req *r, office_stream_fn read, void (*done)(void *), void *ctx)
{
	r->status = MHD_HTTP_OK;
	snprintf(r->content_type, sizeof r->content_type, "text/event-stream; charset=utf-8");
	r->stream = read;
	r->stream_done = done;
	r->stream_ctx = ctx;
}

void office_req_bytes(office_req *r, int status, const char *content_type, const void *data, size_t len)
{
	office_req_reply(r, status, content_type);
	r->out.len = 0;
	office_buf_add(&r->out, data, len);
}

/* ---- forms ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decodes application/x-www-form-urlencoded in place. */
static void url_decode(char *s)
{
	char *w = s;
	for (; *s; s++) {
		if (*s == '+') *w++ = ' ';
		else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*w++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else *w++ = *s;
	}
	*w = '\0';
}

static void parse_form(office_req *r)
{
	char *p = r->body, *amp, *eq;
	while (*p && r->nparams < OFFICE_PARAMS) {
		amp = strchr(p, '&');
		if (amp) *amp = '\0';
		eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			url_decode(p);
			url_decode(eq + 1);
			r->params[r->nparams].name = p;
			r->params[r->nparams].value = eq + 1;
			r->nparams++;
		}
		if (!amp) break;
		p = amp + 1;
	}
}

/* ---- pages ---- */

static const char style[] =
	"body{font-family:'Noto Sans',DejaVu Sans,sans-serif;margin:0;background:#f4f6f8;color:#111}"
	"header{background:#0b5394;color:#fff;padding:12px 20px;font-size:1.4em}"
	"main{padding:16px 20px;max-width:1100px}"
	"button,select,input{font-family:inherit;font-size:1.2em;padding:10px 16px;margin:4px 6px 4px 0;border-radius:6px}"
	"button{border:0;background:#0b5394;color:#fff;cursor:pointer}"
	"button.big{font-size:2em;padding:18px 40px}button.alt{background:#5f6b7a}"
	"table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccd;padding:6px 10px;text-align:left}"
	".now{font-size:3em;font-weight:bold}.err{color:#a00;font-weight:bold}section{margin:18px 0}"
	"form.inline{display:inline}";

void office_http_page_start(office_buf *b, lang l, const char *title, int refresh_seconds)
{
	office_buf_printf(b, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", l == LANG_EN ? "en" : "vi");
	if (refresh_seconds > 0) office_buf_printf(b, "<meta http-equiv=\"refresh\" content=\"%d\">", refresh_seconds);
	office_buf_puts(b, "<title>");
	office_buf_esc(b, title);
	office_buf_printf(b, "</title><style>%s</style></head><body>", style);
}

void office_http_page_end(office_buf *b)
{
	office_buf_puts(b, "</body></html>");
}

/* ---- dispatch ---- */

typedef struct {
	office *o;
	const office_route *const *groups;
	int ngroups;
} server;

static const office_route *route_for(const server *s, const char *method, const char *path, int *path_known)
{
	int g;
	const office_route *rt;
	*path_known = 0;
	for (g = 0; g < s->ngroups; g++)
		for (rt = s->groups[g]; rt->path; rt++) {
			size_t n = strlen(rt->path);
			int match = n > 1 && rt->path[n - 1] == '/' ? strncmp(path, rt->path, n) == 0 : strcmp(path, rt->path) == 0;
			if (!match) continue;
			*path_known = 1;
			if (strcmp(method, rt->method) == 0) return rt;
		}
	return NULL;
}

static void plain(office_req *r, int status, const char *text)
{
	r->out.len = 0;
	office_buf_puts(&r->out, text);
	office_req_reply(r, status, "text/plain; charset=utf-8");
}

static void find_peer(office_req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->peer, sizeof r->peer, "?");
	if (ci && ci->client_addr) {
		socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		getnameinfo(ci->client_addr, len, r->peer, sizeof r->peer, NULL, 0, NI_NUMERICHOST);
	}
}

static void dispatch(const server *s, office_req *r)
{
	const office_route *rt;
	const char *lang_param = office_req_param(r, "lang");
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, OFFICE_SESSION_COOKIE);
	const char *lang_cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "motcua_lang");
	int known;
	r->l = strcmp(office_config(s->o)->language, "en") == 0 ? LANG_EN : LANG_VI;
	if (lang_cookie) r->l = strcmp(lang_cookie, "en") == 0 ? LANG_EN : LANG_VI;
	if (lang_param && (strcmp(lang_param, "vi") == 0 || strcmp(lang_param, "en") == 0)) {
		r->l = lang_param[0] == 'e' ? LANG_EN : LANG_VI;
	}
	office_session_find(cookie, &r->who);
	rt = route_for(s, r->method, r->path, &known);
	if (!rt) {
		plain(r, known ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_NOT_FOUND, known ? "method not allowed\n" : "not found\n");
		return;
	}
	if (r->too_big) {
		plain(r, MHD_HTTP_CONTENT_TOO_LARGE, "the form is too long\n");
		return;
	}
	if (rt->signed_in && !r->who.counter) {
		office_req_redirect(r, "/counter/sign-in");
		return;
	}
	if (rt->signed_in && strcmp(r->method, "POST") == 0) {
		const char *csrf = office_req_param(r, "csrf");
		if (!csrf || strlen(csrf) != 64 || strcmp(csrf, r->who.csrf) != 0) {
			plain(r, MHD_HTTP_FORBIDDEN, "this form is out of date: open the counter page again\n");
			return;
		}
	}
	rt->handle(r);
	if (!r->status) plain(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no reply\n");
	if (r->out.failed) plain(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	office_req *r = cls;
	(void)pos;
	for (;;) {
		long n = r->stream(r->stream_ctx, buf, max);
		if (n < 0 || office_stopped(r->o)) return MHD_CONTENT_READER_END_OF_STREAM;
		if (n > 0) return (ssize_t)n;
	}
}

static void request_free(office_req *r)
{
	if (!r) return;
	if (r->stream_done) r->stream_done(r->stream_ctx);
	free(r->out.data);
	free(r);
}

static void stream_free(void *cls)
{
	request_free(cls);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	server *s = cls;
	office_req *r = *con_cls;
	struct MHD_Response *resp;
	enum MHD_Result ok;
	(void)version;
	if (!r) {
		if (!(r = calloc(1, sizeof *r))) return MHD_NO;
		r->o = s->o;
		r->conn = conn;
		r->method = method;
		r->path = url;
		find_peer(r);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->body_len + *upload_size > OFFICE_BODY_MAX) r->too_big = 1;
		else {
			memcpy(r->body + r->body_len, upload, *upload_size);
			r->body_len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	r->body[r->body_len] = '\0';
	if (strcmp(method, "POST") == 0) parse_form(r);
	dispatch(s, r);
	if (r->stream) {
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, stream_reader, r, stream_free);
		*con_cls = NULL;                         /* the response owns it now */
	} else {
		resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (void *)"",
			MHD_RESPMEM_MUST_COPY);
	}
	if (!resp) return MHD_NO;
	if (r->location[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->content_type[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->cookie[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookie);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	ok = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)conn; (void)toe;
	request_free(*con_cls);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

int office_http_serve(office *o, const char *addr, const office_route *const *groups, int ngroups,
	char *err, size_t errlen)
{
	server s = { o, groups, ngroups };
	struct addrinfo hints, *ai = NULL;
	struct MHD_Daemon *daemon;
	char host[64], port[16];
	const char *colon = strrchr(addr, ':');
	sigset_t stop, old;
	int sig;
	if (!colon || colon - addr >= (long)sizeof host || !colon[1] || strlen(colon + 1) >= sizeof port) {
		snprintf(err, errlen, "[office] listen: \"%s\" is not HOST:PORT", addr);
		return -1;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
	snprintf(port, sizeof port, "%s", colon + 1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host[0] ? host : NULL, port, &hints, &ai) != 0 || !ai) {
		snprintf(err, errlen, "[office] listen: cannot use the address \"%s\"", addr);
		return -1;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);      /* the threads inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_CONNECTION_LIMIT, 64u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!daemon) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this machine?)", addr);
		return -1;
	}
	{
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
		unsigned bound = di ? di->port : 0;
		log_info("office service on %s (port %u)", addr, bound);
		/* The port actually bound (":0" takes a free one): demo.sh and the tests read this line. */
		fprintf(stdout, "listening on %s:%u\n", host[0] ? host : "0.0.0.0", bound);
	}
	fflush(stdout);
	while (sigwait(&stop, &sig) != 0) {}
	log_info("stopping (signal %d)", sig);
	office_stop(o);
	MHD_stop_daemon(daemon);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}
