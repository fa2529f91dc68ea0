/* legal: counting the law's time limits (see legal.h).
 *
 * The arithmetic is the calendar's (cal.h); what this module adds is which
 * span applies when, and the one rule the laws share for calendar days: a
 * period counts from the day after the event that starts it, and when its
 * last day is a day off it ends on the next working day. */
#include "legal.h"

#include <stdio.h>
#include <string.h>

static const char *const unit_names[] = {
	[LEGAL_CALENDAR] = "calendar", [LEGAL_WORKING] = "working", [LEGAL_PROCEDURE] = "procedure",
};
#define NUNITS (int)(sizeof unit_names / sizeof unit_names[0])

static const char *const complexity_words[LEGAL_NCOMPLEXITY] = {
	"not complex", "complex", "especially complex",
};

static const char *const start_names[LEGAL_NSTARTS] = {
	[LEGAL_STARTS_KIOSK] = "kiosk", [LEGAL_STARTS_COUNTER] = "counter", [LEGAL_STARTS_LETTER] = "signed_letter",
};

int legal_start_parse(const char *name)
{
	int i;
	for (i = 0; i < LEGAL_NSTARTS; i++)
		if (strcmp(start_names[i], name) == 0) return i;
	return -1;
}

const char *legal_start_name(legal_start s)
{
	return (int)s >= 0 && s < LEGAL_NSTARTS ? start_names[s] : "?";
}

int legal_unit_parse(const char *name)
{
	int i;
	for (i = 0; i < NUNITS; i++)
		if (strcmp(unit_names[i], name) == 0) return i;
	return -1;
}

const char *legal_unit_name(legal_unit u)
{
	return (int)u >= 0 && (int)u < NUNITS ? unit_names[u] : "?";
}

cal_date legal_add(const cal *c, cal_date from, int hour, legal_span s)
{
	if (s.unit == LEGAL_CALENDAR)
		return cal_add_working_days(c, cal_add_days(from, s.days), 0);
	if (s.days > 0) return cal_add_working_days(c, from, s.days);
	/* Same day: a request received after the office's cut-off, or on a
	 * day off, is done on the next working day. */
	if (cal_is_working_day(c, from) && hour < s.cutoff_hour) return from;
	return cal_add_working_days(c, cal_add_days(from, 1), 0);
}

int legal_has_acceptance(const legal_clock *k)
{
	return k->accept.days >= 0;
}

/* The span to resolve in: the procedure's own, or the clock's for the case. */
static legal_span resolve_span(const legal_clock *k, const legal_span *proc, legal_complexity complexity,
	int remote)
{
	legal_span s = { 0, k->resolve_unit, 24 };
	if (k->resolve_unit == LEGAL_PROCEDURE) {
		if (proc) return *proc;
		s.unit = LEGAL_WORKING;   /* an unknown procedure: due at once rather than never */
		return s;
	}
	s.days = k->resolve_days[remote ? 1 : 0][complexity != LEGAL_NORMAL];
	return s;
}

cal_date legal_receipt_due(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date received, int hour)
{
	if (legal_has_acceptance(k)) return legal_add(c, received, hour, k->accept);
	return legal_add(c, received, hour, resolve_span(k, proc, LEGAL_NORMAL, 0));
}

cal_date legal_resolve_due(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date start, int hour, legal_complexity complexity, int remote)
{
	return legal_add(c, start, hour, resolve_span(k, proc, complexity, remote));
}

int legal_extend(const legal_clock *k, const cal *c, legal_complexity complexity, int granted,
	cal_date due, cal_date *out, char *err, size_t errlen)
{
	legal_span s = { k->extend_days, LEGAL_CALENDAR, 24 };
	int allowed;
	if ((int)complexity < 0 || complexity >= LEGAL_NCOMPLEXITY) complexity = LEGAL_NORMAL;
	allowed = k->extend_days > 0 ? k->extensions[complexity] : 0;
	if (k->extend_days <= 0 || (k->extensions[LEGAL_COMPLEX] == 0 && k->extensions[LEGAL_VERY_COMPLEX] == 0)) {
		snprintf(err, errlen, "the law allows no extension of the deadline for this kind of request");
		return 1;
	}
	if (allowed == 0) {
		snprintf(err, errlen, "a case that is %s cannot be extended: only a complex case may be"
			" extended (once), an especially complex one twice", complexity_words[complexity]);
		return 1;
	}
	if (granted >= allowed) {
		snprintf(err, errlen, "a case that is %s may be extended %s, and it has been already",
			complexity_words[complexity], allowed == 1 ? "only once" : allowed == 2 ? "only twice" :
			"no more times");
		return 1;
	}
	*out = legal_add(c, due, 24, s);
	return 0;
}

int legal_overdue(cal_date due, cal_date today)
{
	return cal_compare(today, due) > 0;
}

int legal_clock_check(const legal_clock *k, char *err, size_t errlen)
{
	int r, x;
	if (k->accept.days >= 0 && k->accept.unit == LEGAL_PROCEDURE) {
		snprintf(err, errlen, "accept: the unit must be calendar or working");
		return -1;
	}
	if (k->accept.days >= 0 && k->accept_several >= 0 && k->accept_several < k->accept.days) {
		snprintf(err, errlen, "accept: checks at several places cannot have less time than usual");
		return -1;
	}
	if (k->notify.days >= 0 && k->accept.days < 0) {
		snprintf(err, errlen, "notify: telling the filer of the acceptance needs an \"accept\" step");
		return -1;
	}
	if (k->suspendable && k->resolve_unit == LEGAL_PROCEDURE) {
		snprintf(err, errlen, "suspend: a procedure's clock is not suspended, its dossier is supplemented");
		return -1;
	}
	if (k->resolve_unit != LEGAL_PROCEDURE)
		for (r = 0; r < 2; r++)
			for (x = 0; x < 2; x++)
				if (k->resolve_days[r][x] < 0 || k->resolve_days[r][x] < k->resolve_days[0][0]) {
					snprintf(err, errlen, "resolve: a complex or remote case cannot have less time"
						" than an ordinary one");
					return -1;
				}
	for (x = 0; x < LEGAL_NCOMPLEXITY; x++)
		if (k->extensions[x] < 0 || (x > 0 && k->extensions[x] < k->extensions[x - 1])) {
			snprintf(err, errlen, "extend: a more complex case cannot have fewer extensions");
			return -1;
		}
	if ((k->extensions[LEGAL_VERY_COMPLEX] > 0) != (k->extend_days > 0)) {
		snprintf(err, errlen, "extend: give both the days of an extension and how many are allowed");
		return -1;
	}
	return 0;
}

/* ---- the steps between receipt and answer ---- */

cal_date legal_accept_due(const legal_clock *k, const cal *c, cal_date received, int hour, int several_places)
{
	legal_span s = k->accept;
	if (several_places && k->accept_several > s.days) s.days = k->accept_several;
	return legal_add(c, received, hour, s);
}

static int step_due(legal_span s, const cal *c, cal_date from, cal_date *out)
{
	if (s.days < 0) return -1;
	*out = legal_add(c, from, 24, s);
	return 0;
}

int legal_notify_due(const legal_clock *k, const cal *c, cal_date decided, cal_date *out)
{
	return step_due(k->notify, c, decided, out);
}

int legal_forward_due(const legal_clock *k, const cal *c, cal_date received, cal_date *out)
{
	return step_due(k->forward, c, received, out);
}

cal_date legal_supplement_ask_by(const cal *c, cal_date received)
{
	return cal_add_working_days(c, received, LEGAL_SUPPLEMENT_ASK_WORKING_DAYS);
}

cal_date legal_supplement_lapse(const cal *c, cal_date asked)
{
	legal_span s = { LEGAL_SUPPLEMENT_LAPSE_DAYS, LEGAL_CALENDAR, 24 };
	return legal_add(c, asked, 24, s);
}

cal_date legal_supplement_restart(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date completed, int hour)
{
	/* From zero: the complete dossier counts as received on that day. */
	return legal_receipt_due(k, proc, c, completed, hour);
}

int legal_late_apology(cal_date due, cal_date today, cal_date proposed, int resets, char *err, size_t errlen)
{
	char d[11];
	if (resets > 0) {
		snprintf(err, errlen, "the date to return the result has been reset once already;"
			" the law allows it only once");
		return 1;
	}
	if (cal_compare(today, cal_add_days(due, -1)) > 0) {
		cal_date_format(cal_add_days(due, -1), d);
		snprintf(err, errlen, "the apology had to be sent at least one day before the deadline,"
			" by %s", d);
		return 1;
	}
	if (cal_compare(proposed, due) <= 0) {
		cal_date_format(due, d);
		snprintf(err, errlen, "the new date must be after the deadline in force (%s)", d);
		return 1;
	}
	return 0;
}

int legal_late_warn(const cal *c, cal_date due, cal_date today)
{
	cal_date last = cal_add_days(due, -1);
	cal_date from = cal_is_working_day(c, last) ? last : cal_add_working_days(c, last, -1);
	return cal_compare(today, from) >= 0 && cal_compare(today, last) <= 0;
}

int legal_resume(const legal_clock *k, const cal *c, cal_date due, cal_date suspended, cal_date resumed,
	cal_date *out, char *err, size_t errlen)
{
	int64_t left;
	if (!k->suspendable) {
		snprintf(err, errlen, "the law allows no suspension of this kind of request");
		return 1;
	}
	if (cal_compare(resumed, suspended) < 0) {
		snprintf(err, errlen, "a clock cannot resume before the day it was suspended");
		return 1;
	}
	left = cal_day_number(due) - cal_day_number(suspended);
	if (left < 0) left = 0;
	*out = cal_add_working_days(c, cal_add_days(resumed, (int)left), 0);
	return 0;
}

int legal_has_clock(const legal_clock *k, int identified)
{
	return identified || !k->anonymous_information;
}

int legal_conference_due(const cal_date *conferences, int n, cal_date received, cal_date *out)
{
	int i, found = 0;
	for (i = 0; i < n; i++)
		if (cal_compare(conferences[i], received) >= 0 &&
		    (!found || cal_compare(conferences[i], *out) < 0)) {
			*out = conferences[i];
			found = 1;
		}
	return found ? 0 : -1;
}
