/* srv_counter: the counter's steps on the server's store (see srv_counter.h).
 *
 * Dates are the commune's (vntime.h); the law's rules are catalog.h's
 * (catalog_counter_due) and legal.h's, the same the kiosk's counter used
 * for its paper, so both sides give the citizen one date. */
#include "srv_counter.h"
#include "srv_backend.h"
#include "status.h"
#include "vntime.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	const catalog *cat;
	const cal *calendar;
	const proto_counter *c;
	long long at;
} counter_arg;

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static int decide(srv_be_state *s, void *arg, srv_be_change *change, char *err, size_t errlen)
{
	const counter_arg *a = arg;
	work_item *it = &s->it;
	const catalog_category *cat = a->cat ? catalog_category_by_id(a->cat, it->category) : NULL;
	const catalog_procedure *proc = a->cat && it->procedure[0] ? catalog_procedure_by_id(a->cat, it->procedure) : NULL;
	vntime vn = vntime_of(a->at);
	cal_date due;
	char old[16];
	int len;
	memcpy(old, it->status, sizeof old);
	if (it->closed_at || status_is_final(it->status))
		return say(err, errlen, "the request is closed (%s)", it->status);
	if (!cat) return say(err, errlen, "the catalog has no category %s", it->category);
	if (strcmp(a->c->kind, "accepted") == 0 && it->accepted_at)
		return say(err, errlen, "the request was accepted already");
	if (strcmp(a->c->kind, "supplement") == 0 && s->supplements > 0)
		return say(err, errlen, "a supplement was asked for already");
	if (catalog_counter_due(cat, proc, a->calendar, a->c->kind, a->c->verify, vn.date, vn.hour, &due, err, errlen) != 0)
		return 1;
	change->deadline[0] = '\0';
	snprintf(change->status, sizeof change->status, "%s", it->status);
	if (strcmp(a->c->kind, "accepted") == 0) {
		it->accepted_at = a->at;
		snprintf(change->status, sizeof change->status, "accepted");
		cal_date_format(due, it->due);
		snprintf(change->deadline, sizeof change->deadline, "%s", it->due);
	} else if (strcmp(a->c->kind, "letter") == 0) {
		/* The time to accept runs from the letter, not from the kiosk. */
		cal_date_format(due, it->due);
		snprintf(change->deadline, sizeof change->deadline, "%s", it->due);
	} else {
		snprintf(change->status, sizeof change->status, "supplement");
	}
	len = snprintf(change->detail, sizeof change->detail, "%s -> %s; at the counter of kiosk %s%s%s%s%s",
		old, change->status, s->kiosk, a->c->dossier[0] ? "; dossier " : "", a->c->dossier,
		change->deadline[0] ? "; date " : "", change->deadline);
	if (len < 0 || (size_t)len >= sizeof change->detail) return say(err, errlen, "the audit row would be too long");
	return 0;
}

int srv_counter_apply(srv_db *d, const catalog *cat, const cal *calendar, const char *kiosk,
	const proto_counter *c, long long at, long long now, char *err, size_t errlen)
{
	counter_arg a = { cat, calendar, c, at };
	char actor[64], today[11], note[PROTO_NOTE_MAX];
	const char *action;
	cal_date_format(vntime_date(now), today);
	snprintf(actor, sizeof actor, "counter@%s", kiosk);
	/* What the citizen reads on the phone page and the kiosk. */
	if (strcmp(c->kind, "accepted") == 0) {
		action = "accept";
		snprintf(note, sizeof note, "Hồ sơ đã được tiếp nhận tại bộ phận một cửa, mã số hồ sơ %s%s.", c->dossier,
			c->verify ? "; thời hạn giải quyết có xác minh" : "");
	} else if (strcmp(c->kind, "letter") == 0) {
		action = "letter";
		snprintf(note, sizeof note, "Bộ phận một cửa đã nhận đơn có chữ ký.");
	} else {
		action = "supplement";
		/* The counter's own list, word for word: it is what was printed. */
		snprintf(note, sizeof note, "%s", c->text);
	}
	return srv_be_act(d, c->request, now, today, actor, action, note, decide, &a, err, errlen);
}
