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

/* What starts a request's clock (ND 118/2025, Art. 15, 17 and 28: the legal
 * channels are the counter, post and the national portal, and VNeID since
 * ND 367/2025; a kiosk entry is a pre-registration). */
typedef enum {
	LEGAL_STARTS_KIOSK,      /* the kiosk's receipt (petitions, reflections, dialogue) */
	LEGAL_STARTS_COUNTER,    /* the counter's acceptance of a complete dossier */
	LEGAL_STARTS_LETTER,     /* the counter receiving the signed letter (đơn) */
	LEGAL_NSTARTS
} legal_start;

/* "kiosk", "counter", "signed_letter"; -1 when unknown. */
int legal_start_parse(const char *name);
const char *legal_start_name(legal_start s);

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
	legal_start starts;              /* what starts the clock ("receipt" below is that) */
	legal_span accept;               /* receipt to acceptance; days -1: no acceptance step */
	int accept_several;              /* the longer limit to accept when the facts must be
	                                    checked at several places; -1: none */
	legal_span notify;               /* acceptance decided to the filer told; days -1: none */
	legal_span forward;              /* receipt to forwarding when not competent; days -1: none */
	int suspendable;                 /* 1: the clock to resolve may be suspended and resumed */
	int notice_only;                 /* 1: the date is for telling the filer whether it is
	                                    accepted, forwarded or refused, not for an answer */
	int anonymous_information;       /* 1: without name, address and ID number it is kept as
	                                    information, with no clock */
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

/* ---- the steps between receipt and answer (docs/legal-clocks.md) ---- */

/* The first day after the limit to accept, for a case whose facts must be
 * checked at several places (Law on Denunciation 2018, Art. 24(1)): the
 * clock's longer limit when it has one, else its usual one. */
cal_date legal_accept_due(const legal_clock *k, const cal *c, cal_date received, int hour, int several_places);

/* The limit to tell the filer of the acceptance decided on day decided, or
 * to forward a request received on day received that the office is not
 * competent for. 0 with *out, or -1 when the clock has no such step. */
int legal_notify_due(const legal_clock *k, const cal *c, cal_date decided, cal_date *out);
int legal_forward_due(const legal_clock *k, const cal *c, cal_date received, cal_date *out);

/* Supplements to a procedure's dossier (ND 118/2025, Art. 19(5)): the
 * office asks once, in writing, within 3 working days of receipt; when the
 * dossier is complete the processing time starts again from zero on that
 * day (so far ND 61/2018, which it replaced, Art. 19(4)); a dossier left
 * incomplete 15 days after the request closes. */
#define LEGAL_SUPPLEMENT_ASK_WORKING_DAYS 3
#define LEGAL_SUPPLEMENT_LAPSE_DAYS 15
cal_date legal_supplement_ask_by(const cal *c, cal_date received);
cal_date legal_supplement_lapse(const cal *c, cal_date asked);
cal_date legal_supplement_restart(const legal_clock *k, const legal_span *proc, const cal *c,
	cal_date completed, int hour);

/* A dossier that will be late (ND 118/2025, Art. 19(6); ND 61/2018,
 * Art. 19(9)): the apology with its reason and a new date goes out at least
 * one day before the deadline, and the date is reset once only. 0 when an
 * apology sent on day today with the date proposed is allowed for a request
 * due on due that has been reset `resets` times already; 1 refused with the
 * reason in err. */
int legal_late_apology(cal_date due, cal_date today, cal_date proposed, int resets, char *err, size_t errlen);

/* 1 when officials should be warned on day today that the apology's last
 * day has come: from the last working day before the day before due, up to
 * that day (the office may be closed on the day before itself). */
int legal_late_warn(const cal *c, cal_date due, cal_date today);

/* A clock suspended on day suspended and resumed on day resumed (Law on
 * Complaints as amended by Law 136/2025): the days that were left to due on
 * suspension run again from resumption, the end moved off a day off.
 * 0 with *out, or 1 refused with the reason in err (the clock cannot be
 * suspended, or resumed before it was suspended). */
int legal_resume(const legal_clock *k, const cal *c, cal_date due, cal_date suspended, cal_date resumed,
	cal_date *out, char *err, size_t errlen);

/* 1 if a request of this clock filed with (or without) the filer's name,
 * address and ID number runs a legal clock; 0: it is kept as information. */
int legal_has_clock(const legal_clock *k, int identified);

/* The date a dialogue question is due: the first of the n conference days
 * (any order) on or after received; 0 with *out, or -1 when none is
 * announced yet (the question waits for the next one to be set). */
int legal_conference_due(const cal_date *conferences, int n, cal_date received, cal_date *out);

/* Checks a clock read from data: 0, or -1 with what is wrong in err. */
int legal_clock_check(const legal_clock *k, char *err, size_t errlen);

#endif
