/* srv_reply: answers and the request log (see srv_reply.h). Every answer is
 * queued on the request's last call of the access handler (srv_http.c says
 * why); these only build it and note what the log line will say. */
#include "srv_reply.h"
#include "log.h"
#include "srv_sync.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The officials' pages: their own style sheet and forms, nothing else. */
/* With no-referrer, browsers send "Origin: null" on the console's own forms,
 * and the Origin check needs the real one; no console URL holds a token. */
#define STAFF_REFERRER "same-origin"
#define STAFF_CSP "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

long long srv_reply_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}


/* Headers every answer carries: nothing here may be cached by a shared
 * cache, and no page leaks its token-bearing URL through a Referer. */
static const struct { const char *name, *value; } common_headers[] = {
	{ "Cache-Control", "no-store" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Content-Type-Options", "nosniff" },
};

enum MHD_Result srv_reply(struct MHD_Connection *c, srv_request *rq, int status, const char *type,
	struct MHD_Response *resp, size_t len)
{
	enum MHD_Result ok;
	size_t i;
	if (!resp) return MHD_NO;
	for (i = 0; i < sizeof common_headers / sizeof common_headers[0]; i++)
		MHD_add_response_header(resp, common_headers[i].name,
			rq->staff && strcmp(common_headers[i].name, "Referrer-Policy") == 0 ? STAFF_REFERRER : common_headers[i].value);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (rq->staff)
		MHD_add_response_header(resp, "Content-Security-Policy", STAFF_CSP);
	else if (strcmp(type, SRV_TEXT_HTML) == 0)
		MHD_add_response_header(resp, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
			" form-action 'self'; frame-ancestors 'none'");
	ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	rq->status = status;
	rq->bytes = len;
	return ok;
}

enum MHD_Result srv_reply_copy(struct MHD_Connection *c, srv_request *rq, int status, const char *type,
	const void *data, size_t len)
{
	return srv_reply(c, rq, status, type,
		MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY), len);
}

enum MHD_Result srv_reply_text(struct MHD_Connection *c, srv_request *rq, int status, const char *text)
{
	return srv_reply(c, rq, status, SRV_TEXT_PLAIN,
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT), strlen(text));
}

enum MHD_Result srv_reply_error(struct MHD_Connection *c, srv_request *rq, int status,
	const char *code, const char *message)
{
	srv_sync_result r;
	char *text;
	enum MHD_Result ok;
	memset(&r, 0, sizeof r);
	snprintf(r.error, sizeof r.error, "%s", code);
	snprintf(r.message, sizeof r.message, "%s", message);
	if (!(text = srv_sync_error_json(&r))) return srv_reply_text(c, rq, 500, "out of memory\n");
	ok = srv_reply(c, rq, status, SRV_APP_JSON,
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE), strlen(text));
	return ok;
}

enum MHD_Result srv_reply_unavailable(struct MHD_Connection *c, srv_request *rq)
{
	return srv_reply_text(c, rq, 503, "Máy chủ tạm thời không tra cứu được. Xin thử lại sau.\n"
		"The server cannot look this up right now. Please try again later.\n");
}

enum MHD_Result srv_reply_limited(struct MHD_Connection *c, srv_request *rq, int json, int retry_after)
{
	char text[256], seconds[16];
	struct MHD_Response *resp;
	if (json) {
		snprintf(text, sizeof text, "{\"error\":\"rate_limited\",\"message\":\"too many lookups from"
			" this address; try again in %d s\"}", retry_after);
	} else {
		snprintf(text, sizeof text, "Bạn đã tra cứu quá nhiều lần. Xin thử lại sau %d giây.\n"
			"Too many lookups. Please wait %d s and try again.\n", retry_after, retry_after);
	}
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_COPY);
	snprintf(seconds, sizeof seconds, "%d", retry_after);
	if (resp) MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
	return srv_reply(c, rq, 429, json ? SRV_APP_JSON : SRV_TEXT_PLAIN, resp, strlen(text));
}

void srv_reply_log_path(const char *url, size_t keep, char *out, size_t outlen)
{
	size_t i, len = strlen(url);
	if (keep > SRV_REPLY_PATH_MAX) keep = SRV_REPLY_PATH_MAX;
	for (i = 0; i < len && i < keep && i + 1 < outlen; i++)
		out[i] = url[i] > 0x20 && url[i] < 0x7f ? url[i] : '?';
	out[i] = '\0';
	if (len > keep && i + sizeof "…" <= outlen) memcpy(out + i, "…", sizeof "…");
}

/* The log line's time, formatted once a second per thread: gmtime and
 * strftime for every request were a visible part of a lookup's time. */
static const char *log_time(void)
{
	static __thread time_t last = -1;
	static __thread char when[32];
	time_t now = time(NULL);
	struct tm tm;
	if (now != last) {
		if (!gmtime_r(&now, &tm) || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) when[0] = '\0';
		last = now;
	}
	return when;
}

/* Appends text to a log line being built; the line's end stays in reach. */
static char *put_text(char *at, const char *end, const char *text)
{
	size_t n = strlen(text);
	if (n > (size_t)(end - at)) n = (size_t)(end - at);
	memcpy(at, text, n);
	return at + n;
}

/* Appends v in decimal, at least width digits. */
static char *put_number(char *at, const char *end, long long value, int width)
{
	char digits[24];
	unsigned long long v = value < 0 ? 0 - (unsigned long long)value : (unsigned long long)value;
	int n = 0;
	if (value < 0 && at < end) *at++ = '-';
	do digits[n++] = (char)('0' + v % 10), v /= 10; while (v || n < width);
	while (n && at < end) *at++ = digits[--n];
	return at;
}

/* "TIME METHOD PATH STATUS BYTES 1.23ms[ kiosk=... n=... stored=... events=...]",
 * built by hand (printf was a quarter of the line's cost). The public
 * pages' lines, tens of thousands a second at most, are held with the
 * thread's others (log_held); a push's or the console's, a few a minute
 * and what an operator follows as it happens, are written at once. */
void srv_reply_log(const srv_request *rq)
{
	char line[320], *at = line;
	const char *end = line + sizeof line;
	long long us = (srv_reply_now_ns() - rq->start_ns + 500) / 1000;
	if (!log_enabled(LOG_LEVEL_INFO)) return;
	/* Milliseconds with two decimals, in integers. */
	us = (us + 5) / 10;
	at = put_text(at, end, log_time());
	at = put_text(at, end, " ");
	at = put_text(at, end, rq->method);
	at = put_text(at, end, " ");
	at = put_text(at, end, rq->path);
	at = put_text(at, end, " ");
	at = put_number(at, end, rq->status, 1);
	at = put_text(at, end, " ");
	at = put_number(at, end, (long long)rq->bytes, 1);
	at = put_text(at, end, " ");
	at = put_number(at, end, us / 100, 1);
	at = put_text(at, end, ".");
	at = put_number(at, end, us % 100, 2);
	at = put_text(at, end, "ms");
	if (rq->synced && rq->kiosk[0]) {
		at = put_text(at, end, " kiosk=");
		at = put_text(at, end, rq->kiosk);
		at = put_text(at, end, " n=");
		at = put_number(at, end, rq->n, 1);
		at = put_text(at, end, " stored=");
		at = put_number(at, end, rq->stored, 1);
		at = put_text(at, end, " events=");
		at = put_number(at, end, rq->events, 1);
	}
	if (rq->synced || rq->staff) log_line(line, (size_t)(at - line));
	else log_held(line, (size_t)(at - line));
}
