/* status: a request's statuses and every rule about them, in one place.
 *
 * A request goes received (at the kiosk) → synced (upstream has it) →
 * accepted (its legal clock runs) → in_progress → resolved · rejected ·
 * withdrawn, with supplement (the citizen must bring more) on the way. The
 * last three end its course: no deadline can pass any more. resolved and
 * rejected are answers, which the public figures count. A request is
 * overdue when its course has not ended and both its legal deadline and
 * any appointment given since (an apology's new date) lie before today.
 *
 * The same rules are written once more as SQL fragments for the stores'
 * queries; test_status checks that the two agree for every status. What a
 * status is called, in Vietnamese and English, is in the translation files
 * (assets/lang, tr.h): "status.<name>" for citizens on the phone page (with
 * its "status.<name>.hint" when there is one), "status.<name>.staff" on
 * the officials' console and "status.<name>.kiosk" on the kiosk's screen. */
#ifndef MOTCUA_STATUS_H
#define MOTCUA_STATUS_H

typedef enum {
	STATUS_RECEIVED,
	STATUS_SYNCED,
	STATUS_ACCEPTED,
	STATUS_IN_PROGRESS,
	STATUS_SUPPLEMENT,
	STATUS_RESOLVED,
	STATUS_REJECTED,
	STATUS_WITHDRAWN,
	STATUS_COUNT
} status_id;

/* The statuses' names in the domain's order, NULL after the last. */
extern const char *const status_names[];

/* The id of a name, or -1 when it is not a status. */
int status_parse(const char *name);
/* The name of an id ("" for one out of range). */
const char *status_name(status_id s);

/* 1 when the status ends a request's course (resolved, rejected, withdrawn). */
int status_is_final(const char *name);
/* 1 when the status answers the request (resolved, rejected). */
int status_is_answered(const char *name);

/* Whether a request is overdue today: closed says an official closed it;
 * due is its legal deadline and appointment the later date given with an
 * apology ("" for none), both "YYYY-MM-DD" like today. */
int status_is_overdue(const char *name, int closed, const char *due, const char *appointment,
	const char *today);

/* The same rules in SQL, for columns status, closed_at, due, appointment. */
#define STATUS_FINAL_SQL "('resolved', 'rejected', 'withdrawn')"
#define STATUS_ANSWERED_SQL "('resolved', 'rejected')"
/* The date a request must be done by: the deadline or the later appointment. */
#define STATUS_DUE_IN_FORCE_SQL "max(due, appointment)"
/* PostgreSQL's word for the larger of two values (its max is an aggregate). */
#define STATUS_DUE_IN_FORCE_PG_SQL "greatest(due, appointment)"
/* today is an SQL expression for "YYYY-MM-DD" (a parameter, usually). */
#define STATUS_OVERDUE_RULE_SQL(due_in_force, today) \
	"(closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL " AND due <> '' AND " \
	due_in_force " < " today ")"
#define STATUS_OVERDUE_SQL(today) STATUS_OVERDUE_RULE_SQL(STATUS_DUE_IN_FORCE_SQL, today)
/* The same for PostgreSQL: one rule, its dialect's function. */
#define STATUS_OVERDUE_PG_SQL(today) STATUS_OVERDUE_RULE_SQL(STATUS_DUE_IN_FORCE_PG_SQL, today)

#endif
