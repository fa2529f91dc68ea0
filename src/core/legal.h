/* legal: the time limits the law sets for each kind of request.
 *
 * A request's clock has up to three parts, read per category from the
 * catalog (catalog.h, the category's "clock"): a limit to accept it (thụ lý)
 * counted from receipt, a limit to resolve it counted from acceptance (or
 * from receipt when there is no acceptance step), longer for complex cases
 * and remote communes, and the extensions the law allows. Administrative
 * procedures count their own processing time from receipt.
 *
 * "Days" in the Laws on Complaints and on Denunciation are calendar days;
 * when the last one falls on a day off, the deadline moves to the next
 * working day (Civil Code 2015, Art. 148). Working days skip weekends and
 * the holiday file's days off and count its make-up Saturdays (cal.h).
 * Everything here works on calendar dates in the commune's time (UTC+7):
 * callers turn clocks into dates, so a server in another zone counts the
 * same days as the kiosk. See docs/legal-clocks.md. */
#ifndef MOTCUA_LEGAL_H
#define MOTCUA_LEGAL_H

#include <stddef.h>
#include "cal.h"

typedef enum {
	LEGAL_CALENDAR,          /* calendar days, the end moved off a day off */
	LEGAL_WORKING,           /* working days */
	LEGAL_PROCEDURE          /* the procedure's own processing time */
} legal_unit;

/* Complexity of a case, as officials declare it on acceptance or extension. */
typedef enum { LEGAL_NORMAL = 0, LEGAL_COMPLEX = 1, LEGAL_VERY_COMPLEX = 2, LEGAL_NCOMPLEXITY } legal_complexity;

/* A span of days; days -1 means no such limit. */
typedef struct {
	int days;
	legal_unit unit;
	int cutoff_hour;         /* a same-day (0 working days) span: received at or after
	                            this hour, it is due the next working day; 24: never */
} legal_span;

typedef struct {
	legal_span accept;               /* receipt to acceptance; days -1: no acceptance step */
	legal_unit resolve_unit;         /* LEGAL_PROCEDURE: the procedure's time from receipt */
	int resolve_days[2][2];          /* [remote][complex]; complex covers especially complex */
	int extend_days;                 /* one extension, at most; 0: none allowed */
	int extensions[LEGAL_NCOMPLEXITY]; /* extensions allowed by complexity */
} legal_clock;

/* "calendar", "working", "procedure"; -1 when unknown. */
int legal_unit_parse(const char *name);
const char *legal_unit_name(legal_unit u);

/* from plus span s. Calendar days land on a working day; working days count
 * from the day after from; a same-day span is from itself when it is a
 * working day and hour is before the cut-off, else the next working day. */
cal_date legal_add(const cal *c, cal_date from, int hour, legal_span s);

/* 1 if the clock has an acceptance step (its receipt date is the limit to accept). */
int legal_has_acceptance(const legal_clock *k);

/* The date a receipt promises for a request received on day at hour: the
 * limit to accept when there is one, else the limit to resolve (proc is the
 * procedure's span for LEGAL_PROCEDURE clocks, else ignored). */
cal_date legal_receipt_due(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date received, int hour);

/* The limit to resolve, for a request accepted on day accepted (clocks with
 * an acceptance step) or received then (clocks without). */
cal_date legal_resolve_due(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date start, int hour, legal_complexity complexity, int remote);

/* One more extension of a case of this complexity, granted times already,
 * from the deadline in force due: 0 with *out, or 1 refused with the reason
 * in err (no extension for this kind of request, or the limit reached). */
int legal_extend(const legal_clock *k, const cal *c, legal_complexity complexity, int granted,
	cal_date due, cal_date *out, char *err, size_t errlen);

/* 1 if a request due on due is overdue on day today: only after the day itself. */
int legal_overdue(cal_date due, cal_date today);

/* Checks a clock read from data: 0, or -1 with what is wrong in err. */
int legal_clock_check(const legal_clock *k, char *err, size_t errlen);

#endif
