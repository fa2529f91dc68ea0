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
