/* srv_work: the officials' work on the server's store (see srv_work.h):
 * the rules, whatever backend keeps the rows.
 *
 * An action is checked in its own form first, then decided under the law's
 * clock (legal.h) on the request as the store reads it, inside the store's
 * one operation for it (srv_backend.h: srv_be_act), which writes the event,
 * the request and the audit row together or nothing. Dates are the
 * commune's (vntime.h) whatever the server's zone. */
#include "srv_work.h"
#include "legal.h"
#include "proto.h"
#include "srv_backend.h"
#include "status.h"
#include "utf8.h"
#include "valid.h"
#include "vntime.h"
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- actions ---- */

/* What each action does to the request's status ("" keeps it) and whether
 * it closes the request. */
static const struct {
	const char *name;
	const char *status;
	int closes;
} actions[WORK_NACTIONS] = {
	[WORK_ACCEPT] = { "accept", "accepted", 0 },
	[WORK_PROGRESS] = { "progress", "in_progress", 0 },
	[WORK_SUPPLEMENT] = { "supplement", "supplement", 0 },
	[WORK_FORWARD] = { "forward", "in_progress", 0 },
	[WORK_RESOLVE] = { "resolve", "resolved", 1 },
	[WORK_REJECT] = { "reject", "rejected", 1 },
	[WORK_EXTEND] = { "extend", "", 0 },
	[WORK_RESCHEDULE] = { "reschedule", "", 0 },
	[WORK_SUSPEND] = { "suspend", "", 0 },
	[WORK_RESUME] = { "resume", "", 0 },
	[WORK_NOTIFY] = { "notify", "", 0 },
};

const char *srv_work_action_name(work_action a)
{
	return (int)a >= 0 && a < WORK_NACTIONS ? actions[a].name : NULL;
}

int srv_work_action_parse(const char *name)
{
	int i;
	for (i = 0; name && i < WORK_NACTIONS; i++)
		if (strcmp(actions[i].name, name) == 0) return i;
	return -1;
}

/* ---- checking and deciding ---- */

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static int text_ok(const char *s, size_t max)
{
	return s && s[0] && strlen(s) < max && utf8_valid(s, strlen(s));
}

/* The step's own form, before anything is read: 0, or 1 with the reason. */
static int check_step(const work_step *step, char *err, size_t errlen)
{
	if ((int)step->action < 0 || step->action >= WORK_NACTIONS) return say(err, errlen, "unknown action");
	if (!text_ok(step->note, PROTO_NOTE_MAX))
		return say(err, errlen, "a note for the citizen is required (UTF-8 text of at most %d bytes)",
			PROTO_NOTE_MAX - 1);
	if (!text_ok(step->actor, 64)) return say(err, errlen, "the official's account name is missing");
	if ((int)step->complexity < WORK_NORMAL || step->complexity > WORK_VERY_COMPLEX)
		return say(err, errlen, "unknown complexity");
	if (step->action == WORK_FORWARD && !text_ok(step->office, sizeof ((work_item *)0)->forwarded_to))
		return say(err, errlen, "say which office the request is forwarded to");
	if (step->action == WORK_ACCEPT && step->dossier && step->dossier[0] &&
	    valid_dossier(step->dossier, NULL) != VALID_OK)
		return say(err, errlen, "the dossier number is not of the form " VALID_DOSSIER_FORM);
	return 0;
}

/* The category's clock, or NULL when the catalog does not know it. */
static const legal_clock *clock_for(const catalog *cat, const work_item *it, legal_span *proc, int *has_proc)
{
	const catalog_category *c = cat ? catalog_category_by_id(cat, it->category) : NULL;
	const catalog_procedure *p = cat && it->procedure[0] ? catalog_procedure_by_id(cat, it->procedure) : NULL;
	*has_proc = p != NULL;
	if (p) *proc = catalog_procedure_span(p);
	return c ? &c->clock : NULL;
}

/* Suspending and resuming the clock to resolve (Law on Complaints as
 * amended by Law 136/2025): only an accepted request of a suspendable
 * clock; resuming gives the days left at suspension again from today. */
static int decide_pause(const legal_clock *k, const cal *calendar, work_action a, long long now,
	srv_be_state *s, char *err, size_t errlen)
{
	work_item *it = &s->it;
	cal_date due, next;
	if (!k || !k->suspendable)
		return say(err, errlen, "the time limit of a %s cannot be suspended", it->category);
	if (!it->accepted_at) return say(err, errlen, "accept the request first: only the time to resolve is suspended");
	if (a == WORK_SUSPEND) {
		if (s->suspended_at) return say(err, errlen, "the time limit is suspended already");
		return 0;
	}
	if (!s->suspended_at) return say(err, errlen, "the time limit is not suspended");
	if (cal_date_parse(it->due, &due) != 0) return say(err, errlen, "the request has no deadline to resume");
	if (legal_resume(k, calendar, due, vntime_date(s->suspended_at), vntime_date(now), &next, err, errlen) != 0)
		return 1;
	cal_date_format(next, it->due);
	return 0;
}

/* Decides what the step changes in s (due, dates, counters, status); 0,
 * or 1 refused with the reason. */
static int decide(const catalog *cat, const cal *calendar, const work_step *step, long long now,
	srv_be_state *s, char status[16], char deadline[11], char *err, size_t errlen)
{
	work_item *it = &s->it;
	legal_span proc;
	vntime vn = vntime_of(now);
	int has_proc, hour = vn.hour;
	cal_date today = vn.date, due, next;
	const legal_clock *k = clock_for(cat, it, &proc, &has_proc);
	deadline[0] = '\0';
	snprintf(status, 16, "%s", actions[step->action].status[0] ? actions[step->action].status : it->status);
	if (it->closed_at || status_is_final(it->status))
		return say(err, errlen, "this request is closed (%s): no more actions can be taken on it", it->status);
	/* A suspended clock only runs again: nothing else moves it meanwhile. */
	if (s->suspended_at && step->action != WORK_RESUME && step->action != WORK_PROGRESS &&
	    step->action != WORK_RESOLVE && step->action != WORK_REJECT)
		return say(err, errlen, "the time limit is suspended: resume it first");
	switch (step->action) {
	case WORK_ACCEPT:
		if (it->accepted_at) return say(err, errlen, "this request was accepted already");
		/* Law on Complaints 2011, Art. 8(2) and 11: a letter the filer did
		 * not sign is not accepted; the kiosk's entry is not the letter. */
		if (k && k->starts == LEGAL_STARTS_LETTER && !s->letter_at)
			return say(err, errlen, "the signed letter has not been received at the counter yet: a %s is"
				" accepted only once the counter marks its signed letter received", it->category);
		it->accepted_at = now;
		it->complexity = (int)step->complexity;
		if (step->dossier && step->dossier[0]) {
			char canon[VALID_DOSSIER_MAX];
			valid_dossier(step->dossier, canon);
			snprintf(it->dossier, sizeof it->dossier, "%s", canon);
		}
		if (k && legal_has_acceptance(k)) {
			due = legal_resolve_due(k, has_proc ? &proc : NULL, calendar, today, hour,
				(legal_complexity)it->complexity, s->remote);
			cal_date_format(due, it->due);
		}
		snprintf(deadline, 11, "%s", it->due);
		break;
	case WORK_SUPPLEMENT:
		if (s->supplements > 0)
			return say(err, errlen, "a supplement was asked for already: the law allows asking once,"
				" listing everything that is missing");
		break;
	case WORK_FORWARD:
		snprintf(it->forwarded_to, sizeof it->forwarded_to, "%s", step->office);
		break;
	case WORK_RESOLVE:
	case WORK_REJECT:
		it->closed_at = now;
		break;
	case WORK_EXTEND:
		if (!k) return say(err, errlen, "the catalog has no time limits for category %s", it->category);
		if (legal_has_acceptance(k) && !it->accepted_at)
			return say(err, errlen, "accept the request first: an extension lengthens the time to resolve it");
		if ((int)step->complexity > it->complexity) it->complexity = (int)step->complexity;
		if (cal_date_parse(it->due, &due) != 0) return say(err, errlen, "the request has no deadline to extend");
		if (legal_extend(k, calendar, (legal_complexity)it->complexity, it->extensions, due, &next, err, errlen) != 0)
			return 1;
		it->extensions++;
		cal_date_format(next, it->due);
		snprintf(deadline, 11, "%s", it->due);
		break;
	case WORK_RESCHEDULE:
		/* ND 118/2025, Art. 19(6): the apology with a new date goes out at
		 * least one day before the deadline, and the date is reset once. */
		if (cal_date_parse(it->due, &due) != 0) return say(err, errlen, "the request has no deadline to reset");
		if (!step->new_date || cal_date_parse(step->new_date, &next) != 0)
			return say(err, errlen, "the new appointment must be a date (YYYY-MM-DD)");
		if (legal_late_apology(due, today, next, it->apologies, err, errlen) != 0) return 1;
		it->apologies++;
		cal_date_format(next, s->appointment);
		snprintf(deadline, 11, "%s", s->appointment);
		break;
	case WORK_SUSPEND:
	case WORK_RESUME:
		if (decide_pause(k, calendar, step->action, now, s, err, errlen) != 0) return 1;
		snprintf(deadline, 11, "%s", step->action == WORK_RESUME ? it->due : "");
		break;
	case WORK_NOTIFY:
		if (!k || k->notify.days < 0)
			return say(err, errlen, "the filer of a %s is not told of the acceptance by this step", it->category);
		if (!it->accepted_at) return say(err, errlen, "decide the acceptance first: the notice tells the filer of it");
		if (s->notified_at) return say(err, errlen, "the filer was told of the acceptance decision already");
		break;
	default:
		break;
	}
	return 0;
}

typedef struct {
	const catalog *cat;
	const cal *calendar;
	const work_step *step;
	long long now;
} act_arg;

/* The decision inside the store's operation, and the audit's words: what
 * changed, never the note (notes may name people). */
static int decide_change(srv_be_state *s, void *arg, srv_be_change *c, char *err, size_t errlen)
{
	const act_arg *a = arg;
	char old_status[16];
	int len;
	memcpy(old_status, s->it.status, sizeof old_status);
	if (decide(a->cat, a->calendar, a->step, a->now, s, c->status, c->deadline, err, errlen) != 0) return 1;
	/* What the citizen must be told, not only shown (ND 118/2025 Art. 19(5),
	 * 19(6), 12(5); docs/sms.md): a supplement asked, an apology with its new
	 * date, a result ready. */
	switch (a->step->action) {
	case WORK_SUPPLEMENT:
		snprintf(c->sms, sizeof c->sms, "supplement");
		break;
	case WORK_RESCHEDULE:
		snprintf(c->sms, sizeof c->sms, "apology");
		snprintf(c->sms_date, sizeof c->sms_date, "%s", s->appointment);
		break;
	case WORK_RESOLVE:
		snprintf(c->sms, sizeof c->sms, "result");
		break;
	default:
		break;
	}
	len = snprintf(c->detail, sizeof c->detail, "%s -> %s%s%s%s%s", old_status, c->status,
		c->deadline[0] ? "; date " : "", c->deadline, a->step->action == WORK_FORWARD ? "; to " : "",
		a->step->action == WORK_FORWARD ? s->it.forwarded_to : "");
	if (len < 0 || (size_t)len >= sizeof c->detail) return say(err, errlen, "the audit row would be too long");
	return 0;
}

int srv_work_late_warning(const cal *calendar, const work_item *it, long long now)
{
	cal_date due;
	if (it->closed_at || status_is_final(it->status) || it->apologies > 0 || cal_date_parse(it->due, &due) != 0)
		return 0;
	return legal_late_warn(calendar, due, vntime_date(now));
}

int srv_work_may_reschedule(const work_item *it, long long now)
{
	cal_date due;
	if (it->closed_at || status_is_final(it->status) || it->apologies > 0 || cal_date_parse(it->due, &due) != 0)
		return 0;
	return cal_compare(vntime_date(now), cal_add_days(due, -1)) <= 0;
}

int srv_work_act(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const work_step *step, long long now, char *err, size_t errlen)
{
	act_arg a = { cat, calendar, step, now };
	char today[11], said[PROTO_NOTE_MAX];
	const char *note = step->note;
	int len;
	if (check_step(step, err, errlen) != 0) return 1;
	/* The timeline and the phone page show a status and a note: a pause
	 * keeps the status, so the note says what happened. */
	if (step->action == WORK_SUSPEND || step->action == WORK_RESUME) {
		len = snprintf(said, sizeof said, "%s: %s", step->action == WORK_SUSPEND ? "Tạm đình chỉ việc giải quyết"
			: "Tiếp tục giải quyết", step->note);
		if (len < 0 || (size_t)len >= sizeof said)
			return say(err, errlen, "the reason is too long: at most %d bytes with the words before it",
				PROTO_NOTE_MAX - 40);
		note = said;
	}
	cal_date_format(vntime_date(now), today);
	return srv_be_act(d, request_id, now, today, step->actor, actions[step->action].name, note,
		decide_change, &a, err, errlen);
}

/* ---- what the law allows now ---- */

int srv_work_allowed(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id, long long now,
	unsigned *mask)
{
	srv_be_state s, copy;
	char today[11], tomorrow[11], status[16], deadline[11], err[256];
	int a, rc;
	*mask = 0;
	cal_date_format(vntime_date(now), today);
	cal_date_format(cal_add_days(vntime_date(now), 1), tomorrow);
	rc = srv_be_state_get(d, request_id, today, &s);
	if (rc != 1) return rc < 0 ? -1 : 0;
	/* The same decision srv_work_act takes, on a copy, with a step whose
	 * own form is right: what is left is what the request's state allows. */
	/* A new date the law would take: well after the deadline and today. */
	{
		cal_date due;
		if (cal_date_parse(s.it.due, &due) == 0 && cal_compare(cal_add_days(due, 30), vntime_date(now)) > 0)
			cal_date_format(cal_add_days(due, 30), tomorrow);
		else
			cal_date_format(cal_add_days(vntime_date(now), 30), tomorrow);
	}
	for (a = 0; a < WORK_NACTIONS; a++) {
		work_step step = { (work_action)a, "-", "-", WORK_NORMAL, tomorrow, "-", NULL };
		if (a == WORK_EXTEND) step.complexity = WORK_VERY_COMPLEX;
		copy = s;
		if (decide(cat, calendar, &step, now, &copy, status, deadline, err, sizeof err) == 0) *mask |= 1u << a;
	}
	return 0;
}

/* ---- the clock's steps, for the request page ---- */

int srv_work_clock(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id, long long now,
	work_clock *out)
{
	srv_be_state s;
	legal_span proc;
	char today[11];
	const legal_clock *k;
	cal_date day;
	vntime start;
	int rc, has_proc;
	memset(out, 0, sizeof *out);
	out->extensions_left = -1;
	cal_date_format(vntime_date(now), today);
	if ((rc = srv_be_state_get(d, request_id, today, &s)) != 1) return rc;
	if (!(k = clock_for(cat, &s.it, &proc, &has_proc))) return 1;
	out->starts_letter = k->starts == LEGAL_STARTS_LETTER;
	out->letter_at = s.letter_at;
	out->notified_at = s.notified_at;
	out->suspendable = k->suspendable;
	out->suspended_at = s.suspended_at;
	if (k->extend_days > 0) {
		out->extensions_left = k->extensions[s.it.complexity >= 0 && s.it.complexity < LEGAL_NCOMPLEXITY
			? s.it.complexity : 0] - s.it.extensions;
		if (out->extensions_left < 0) out->extensions_left = 0;
	}
	/* The steps before acceptance run from the letter when the law asks
	 * for one: until it is received they have not started. */
	if (out->starts_letter && !s.letter_at) return 1;
	start = vntime_of(out->starts_letter ? s.letter_at : s.it.received_at);
	if (legal_has_acceptance(k) && !s.it.accepted_at) {
		cal_date_format(legal_accept_due(k, calendar, start.date, start.hour, 0), out->accept_by);
		if (k->accept_several > k->accept.days)
			cal_date_format(legal_accept_due(k, calendar, start.date, start.hour, 1), out->accept_several_by);
	}
	if (legal_forward_due(k, calendar, start.date, &day) == 0) cal_date_format(day, out->forward_by);
	if (s.it.accepted_at) {
		cal_date_format(vntime_date(s.it.accepted_at), out->decided_on);
		if (legal_notify_due(k, calendar, vntime_date(s.it.accepted_at), &day) == 0)
			cal_date_format(day, out->notify_by);
	}
	return 1;
}

/* ---- assigning and canned replies ---- */

int srv_work_assign(srv_db *d, const char *request_id, const char *officer, const char *actor, long long now,
	char *err, size_t errlen)
{
	char hash[256], role[16], today[11], detail[160];
	srv_be_state s;
	int disabled, rc;
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (!officer) officer = "";
	if (officer[0]) {
		if (strlen(officer) >= sizeof s.it.assignee ||
		    srv_be_user_get(d, officer, hash, sizeof hash, role, &disabled) != 1 || disabled)
			return say(err, errlen, "no enabled account named %.64s", officer);
		sodium_memzero(hash, sizeof hash);
		if (strcmp(role, "officer") != 0) return say(err, errlen, "%s is not an officer", officer);
	}
	cal_date_format(vntime_date(now), today);
	rc = srv_be_state_get(d, request_id, today, &s);
	if (rc < 0) return say(err, errlen, "reading the request failed") * -1;
	if (rc == 0) return say(err, errlen, "no request %s on this server", request_id);
	if (s.it.closed_at || status_is_final(s.it.status))
		return say(err, errlen, "this request is closed (%s): it cannot be assigned", s.it.status);
	if (officer[0] && (rc = srv_work_may_see(d, officer, "officer", s.it.commune)) != 1) {
		if (rc < 0) return say(err, errlen, "reading the officer's communes failed") * -1;
		return say(err, errlen, "%s does not work on commune %s: give them the commune first", officer,
			s.it.commune);
	}
	if (strcmp(officer, s.it.assignee) == 0) return 0;
	snprintf(detail, sizeof detail, "%s -> %s", s.it.assignee[0] ? s.it.assignee : "-", officer[0] ? officer : "-");
	return srv_be_assign(d, request_id, officer, now, actor, detail, err, errlen);
}

int srv_work_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen)
{
	int remove = !r->title[0] && !r->text[0];
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (remove) {
		if (!r->id) return say(err, errlen, "give the reply a title and a text");
		return srv_be_reply_save(d, r, actor, now, err, errlen);
	}
	if (srv_work_action_parse(r->action) < 0) return say(err, errlen, "choose the action the reply is for");
	if (!r->category[0] || !utf8_valid(r->category, strlen(r->category)))
		return say(err, errlen, "choose the category the reply is for");
	if (!text_ok(r->title, sizeof r->title)) return say(err, errlen, "give the reply a title (at most %zu bytes)",
		sizeof r->title - 1);
	if (!text_ok(r->text, sizeof r->text))
		return say(err, errlen, "the reply's text is required (UTF-8 text of at most %d bytes)", PROTO_NOTE_MAX - 1);
	return srv_be_reply_save(d, r, actor, now, err, errlen);
}

/* ---- cancelling a conference ---- */

int srv_work_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, const char *role,
	long long now, long long *moved, long long *next, char *err, size_t errlen)
{
	work_conference c;
	char when[20], detail[700];
	int rc;
	if (moved) *moved = 0;
	if (next) *next = 0;
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (!text_ok(reason, sizeof c.cancel_reason))
		return say(err, errlen, "give the reason for cancelling (UTF-8 text of at most %zu bytes): the citizens"
			" whose questions were for it are told it", sizeof c.cancel_reason - 1);
	rc = srv_work_conference_get(d, id, &c);
	if (rc < 0) return say(err, errlen, "reading the conference failed") * -1;
	if (rc == 0) return say(err, errlen, "no conference %lld on this server", id);
	if ((rc = srv_work_may_see(d, actor, role, c.commune)) != 1) {
		if (rc < 0) return say(err, errlen, "reading the official's communes failed") * -1;
		return say(err, errlen, "you do not work on commune %s: a supervisor or one of its officers may cancel"
			" its conference", c.commune);
	}
	if (c.cancelled_at) {
		vntime_format(c.cancelled_at, "%d/%m/%Y %H:%M", when, sizeof when);
		return say(err, errlen, "this conference was already cancelled on %s by %s: nothing was changed", when,
			c.cancelled_by);
	}
	if (c.at <= now) {
		vntime_format(c.at, "%d/%m/%Y %H:%M", when, sizeof when);
		return say(err, errlen, "this conference began on %s: only one still to come can be cancelled;"
			" nothing was changed", when);
	}
	snprintf(detail, sizeof detail, "conference %lld, commune %s, cancelled: %s", c.id, c.commune, reason);
	return srv_be_conference_cancel(d, id, reason, actor, now, detail, moved, next, err, errlen);
}

void srv_work_cancel_detail(char *out, size_t outlen, const char *detail, long long moved, long long next)
{
	if (next) snprintf(out, outlen, "%s; %lld question(s) now for conference %lld", detail, moved, next);
	else snprintf(out, outlen, "%s; %lld question(s) wait for a conference to be announced", detail, moved);
}

/* ---- sorting ---- */

static const char *const sort_names[WORK_NSORTS] = { "deadline", "received", "status" };

const char *srv_work_sort_name(work_sort s)
{
	return (int)s >= 0 && s < WORK_NSORTS ? sort_names[s] : sort_names[0];
}

work_sort srv_work_sort_parse(const char *name)
{
	int i;
	for (i = 0; name && i < WORK_NSORTS; i++)
		if (strcmp(sort_names[i], name) == 0) return (work_sort)i;
	return WORK_SORT_DEADLINE;
}

/* ---- the `update` command ---- */

/* The `update` command's statuses as officials' actions, with the note the
 * citizen gets when the command gives none. Withdrawal and "synced" are not
 * officials' actions: they are recorded as they are. */
static const struct {
	const char *status;
	int action;                  /* -1: recorded as it is */
	const char *note;
} update_steps[] = {
	{ "synced", -1, "" },
	{ "accepted", WORK_ACCEPT, "Hồ sơ đã được thụ lý." },
	{ "in_progress", WORK_PROGRESS, "Hồ sơ đang được giải quyết." },
	{ "supplement", WORK_SUPPLEMENT, "Hồ sơ cần bổ sung giấy tờ; xin liên hệ bộ phận một cửa." },
	{ "resolved", WORK_RESOLVE, "Đã có kết quả giải quyết." },
	{ "rejected", WORK_REJECT, "Hồ sơ không được giải quyết; xin liên hệ bộ phận một cửa để biết lý do." },
	{ "withdrawn", -1, "Hồ sơ đã được rút theo đề nghị của người nộp." },
};

int srv_work_update(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const char *status, const char *note, long long now, long long *event_id, char *err, size_t errlen)
{
	size_t i, n = sizeof update_steps / sizeof update_steps[0];
	char detail[64];
	for (i = 0; i < n; i++)
		if (strcmp(update_steps[i].status, status) == 0) break;
	if (i == n) {
		snprintf(err, errlen, "%s is not a status officials can set", status);
		return -1;
	}
	if (!note || !note[0]) note = update_steps[i].note;
	if (update_steps[i].action < 0) {
		snprintf(detail, sizeof detail, "-> %s", status);
		return srv_be_record_status(d, request_id, status, note, now, "cli", detail, event_id, err, errlen) == 0
			? 0 : -1;
	}
	{
		work_step step = { (work_action)update_steps[i].action, note, NULL, WORK_NORMAL, NULL, "cli", NULL };
		if (srv_work_act(d, cat, calendar, request_id, &step, now, err, errlen) != 0) return -1;
	}
	if (srv_be_last_event(d, request_id, event_id) != 0) {
		snprintf(err, errlen, "reading the new event failed");
		return -1;
	}
	return 0;
}

/* The newest rows of one request, or of all: the first page of the log
 * with that one filter. */
int srv_work_audit_list(srv_db *d, const char *request_id, int limit,
	int (*each)(const work_audit *a, void *arg), void *arg, char *err, size_t errlen)
{
	work_audit_query q;
	long long next;
	memset(&q, 0, sizeof q);
	q.request_id = request_id;
	q.limit = limit > 0 ? limit : 100;
	return srv_work_audit_page(d, &q, each, arg, &next, err, errlen);
}
