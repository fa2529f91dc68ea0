/* console_login: logging in and out, and the language switch (see
 * console_int.h). The login form carries its own CSRF token, from a
 * cookie, since there is no session yet; attempts are limited per address
 * (ratelimit) and per account (srv_auth), and both are audited. */
#include "console_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "ratelimit.h"

#define LOGIN_COST 1

/* ---- login, logout, language ---- */

static void login_form(exchange *x, const char *next, word notice, const char *error, int status)
{
	char token[SRV_AUTH_TOKEN_LEN + 1];
	x->html.buf->len = 0;
	x->out->status = status;
	srv_auth_random_token(token);
	console_set_cookie(x, CONSOLE_COOKIE_LOGIN, token, "");
	console_head(x, W(x, W_LOGIN));
	put(x, "<section class=\"panel login\"><h1>");
	put(x, W(x, W_LOGIN));
	put(x, "</h1>");
	if (notice != W_COUNT) {
		put(x, "<p class=\"notice\" role=\"status\">");
		put(x, W(x, notice));
		put(x, "</p>");
	}
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	put(x, "<form class=\"stack\" method=\"post\" action=\"/staff/login\"><input type=\"hidden\" name=\"csrf\" value=\"");
	put(x, token);
	put(x, "\"><input type=\"hidden\" name=\"next\" value=\"");
	esc(x, console_safe_next(next) ? next : "/staff/inbox");
	put(x, "\"><label>");
	put(x, W(x, W_NAME));
	put(x, "<input type=\"text\" name=\"name\" id=\"name\" autocomplete=\"username\" autofocus required></label><label>");
	put(x, W(x, W_PASSWORD));
	put(x, "<input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required></label>"
		"<button type=\"submit\" id=\"login\">");
	put(x, W(x, W_LOGIN));
	put(x, "</button></form></section>\n");
	console_foot(x);
}

void console_page_login(exchange *x)
{
	const char *why = arg(x, "why");
	word notice = strcmp(why, "expired") == 0 ? W_EXPIRED : strcmp(why, "out") == 0 ? W_LOGGED_OUT : W_COUNT;
	login_form(x, arg(x, "next"), notice, NULL, 200);
}

/* Where a login comes from, as failed logins are counted: the client's
 * IPv4 address, or the /64 of an IPv6 one (one subscriber's block), "" when
 * unknown. */
static void login_origin(const struct sockaddr *a, char *out, size_t outlen)
{
	char text[INET6_ADDRSTRLEN];
	out[0] = '\0';
	if (a && a->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)a;
		if (inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text)) snprintf(out, outlen, "%s", text);
	} else if (a && a->sa_family == AF_INET6) {
		struct in6_addr block = ((const struct sockaddr_in6 *)(const void *)a)->sin6_addr;
		if (!IN6_IS_ADDR_V4MAPPED(&block)) memset(block.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &block, text, sizeof text))
			snprintf(out, outlen, "%s%s", text, IN6_IS_ADDR_V4MAPPED(&block) ? "" : "/64");
	}
}

void console_do_login(exchange *x)
{
	const char *name = field(x, "name"), *next = field(x, "next");
	char token[SRV_AUTH_TOKEN_LEN + 1], err[300], detail[64], origin[INET6_ADDRSTRLEN + 4];
	long long wait = 0;
	int retry = 0, rc;
	if (x->c->login_limiter && x->rq->client &&
	    !ratelimit_allow(x->c->login_limiter, x->rq->client, LOGIN_COST, x->now * 1000, &retry)) {
		x->out->retry_after = retry;
		login_form(x, next, W_COUNT, W(x, W_TOO_MANY), 429);
		return;
	}
	if (!srv_auth_token_equal(x->rq->login_cookie, field(x, "csrf"))) {
		login_form(x, next, W_COUNT, W(x, W_STALE_FORM), 403);
		return;
	}
	login_origin(x->rq->client, origin, sizeof origin);
	rc = srv_auth_login(x->db, name, field(x, "password"), origin, x->now, token, &x->session, &wait, err, sizeof err);
	if (rc < 0) {
		log_error("login: %s", err);
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (rc > 0) {
		/* The typed name goes to the audit log only if it could be an
		 * account's: whatever else was typed there stays out of it. */
		snprintf(detail, sizeof detail, wait > 0 ? "waiting %llds" : "wrong name or password", wait);
		console_audit(x, strlen(name) < SRV_AUTH_NAME_MAX && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789._-") == strlen(name) && name[0] ? name : "?", "login_failed", "", detail);
		if (wait > 0) snprintf(err, sizeof err, "%s %lld", W(x, W_WAIT), wait);
		login_form(x, next, W_COUNT, wait > 0 ? err : W(x, W_WRONG_LOGIN), wait > 0 ? 429 : 401);
		return;
	}
	x->has_session = 1;
	console_audit(x, x->session.name, "login", "", x->session.role);
	console_set_cookie(x, CONSOLE_COOKIE_SESSION, token, "");
	console_set_cookie(x, CONSOLE_COOKIE_LOGIN, "", "; Max-Age=0");
	console_redirect(x, console_safe_next(next) ? next : "/staff/inbox");
}

void console_do_logout(exchange *x)
{
	if (srv_auth_logout(x->db, x->rq->session_cookie) != 0) {
		console_message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	console_audit(x, x->session.name, "logout", "", "");
	console_set_cookie(x, CONSOLE_COOKIE_SESSION, "", "; Max-Age=0");
	console_redirect(x, "/staff/login?why=out");
}

void console_do_lang(exchange *x)
{
	const char *next = field(x, "next");
	console_set_cookie(x, CONSOLE_COOKIE_LANG, strcmp(field(x, "to"), "en") == 0 ? "en" : "vi", "; Max-Age=31536000");
	console_redirect(x, console_safe_next(next) ? next : "/staff/inbox");
}

void console_go_inbox(exchange *x)
{
	console_redirect(x, "/staff/inbox");
}

