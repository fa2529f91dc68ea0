/* console_clock: the legal clock's steps on a request's page: whether the
 * signed letter was received (a complaint or a denunciation is accepted
 * only on it), the limits to accept, to tell the denouncer of the
 * acceptance decision and to forward a request the office is not
 * competent for, a suspension of the time to resolve, and the extensions
 * still allowed. The dates come from srv_work_clock, so the page shows the
 * rules srv_work_act applies (docs/legal-clocks.md). */
#include "console_int.h"

#include <stdio.h>

#include "log.h"

static void day_fact(exchange *x, word w, const char *iso, const char *id)
{
	char day[11];
	if (!iso[0]) return;
	console_format_day(iso, day);
	put(x, "<dt>");
	put(x, W(x, w));
	put(x, "</dt><dd id=\"");
	put(x, id);
	put(x, "\">");
	put(x, day);
	put(x, "</dd>");
}

static void moment_fact(exchange *x, word w, long long at, const char *id)
{
	char text[20];
	put(x, "<dt>");
	put(x, W(x, w));
	put(x, "</dt><dd id=\"");
	put(x, id);
	put(x, "\">");
	if (at) {
		console_format_local(at, text);
		put(x, text);
	} else {
		put(x, W(x, W_CLOCK_NOT_YET));
	}
	put(x, "</dd>");
}

void console_clock_block(exchange *x, const work_item *it)
{
	work_clock k;
	int rc = srv_work_clock(x->db, x->c->cat, x->c->calendar, it->id, x->now, &k);
	if (rc < 0) log_error("console: the clock of a request could not be read");
	if (rc != 1) return;
	if (!k.starts_letter && !k.accept_by[0] && !k.forward_by[0] && !k.notify_by[0] && !k.suspendable)
		return;
	put(x, "<section class=\"panel\" id=\"clock\"><h2>");
	put(x, W(x, W_CLOCK_TITLE));
	put(x, "</h2>");
	if (k.starts_letter && !k.letter_at) {
		put(x, "<p class=\"warn\" id=\"letter-missing\">");
		put(x, W(x, W_CLOCK_LETTER_MISSING));
		put(x, "</p>");
	}
	put(x, "<dl class=\"facts\">");
	if (k.starts_letter) moment_fact(x, W_CLOCK_LETTER, k.letter_at, "clock-letter");
	day_fact(x, W_CLOCK_ACCEPT_BY, k.accept_by, "clock-accept-by");
	day_fact(x, W_CLOCK_ACCEPT_SEVERAL, k.accept_several_by, "clock-accept-several");
	day_fact(x, W_CLOCK_DECIDED, k.decided_on, "clock-decided");
	if (k.notify_by[0]) {
		day_fact(x, W_CLOCK_NOTIFY_BY, k.notify_by, "clock-notify-by");
		moment_fact(x, W_CLOCK_NOTIFIED, k.notified_at, "clock-notified");
	}
	/* Forwarding is only for what has not been accepted here. */
	if (!k.decided_on[0]) day_fact(x, W_CLOCK_FORWARD_BY, k.forward_by, "clock-forward-by");
	if (k.suspended_at) moment_fact(x, W_CLOCK_SUSPENDED, k.suspended_at, "clock-suspended");
	if (k.extensions_left >= 0) {
		char n[16];
		snprintf(n, sizeof n, "%d", k.extensions_left);
		put(x, "<dt>");
		put(x, W(x, W_CLOCK_EXTENSIONS_LEFT));
		put(x, "</dt><dd id=\"clock-extensions-left\">");
		put(x, n);
		put(x, "</dd>");
	}
	put(x, "</dl></section>\n");
}
