/* srv_work: what upstream officials do with requests, on the server's store.
 *
 * The inbox (filtered by commune, category, status, overdue or conference,
 * sorted by deadline, with counts), one request's facts, the actions that
 * move a request along (accept, ask for a supplement, forward, resolve,
 * reject, extend a deadline, apologise with a new appointment date), the
 * identity behind a request for those allowed to see it, the audit log, the
 * communes (name, remote area) and the dialogue conferences.
 *
 * Every action is one IMMEDIATE transaction that adds a status event (with
 * the note for the citizen and any new deadline), updates the request and
 * writes the audit row, so the phone page shows it at once and kiosks get
 * it at their next sync; a refused action changes nothing. Deadlines follow
 * the legal clocks (legal.h) with the catalog and the working-day calendar.
 *
 * Results: 0 done, 1 refused (err says why, in words for the official's
 * form), -1 the database failed (err says what). Functions that find:
 * 1 found, 0 unknown, -1 error. */
#ifndef MOTCUA_SRV_WORK_H
#define MOTCUA_SRV_WORK_H

#include <stddef.h>
#include "status.h"
#include "cal.h"
#include "catalog.h"
#include "proto.h"
#include "srv_db.h"

typedef enum {
	WORK_ACCEPT,        /* thụ lý: starts the legal clock; status accepted */
	WORK_PROGRESS,      /* a note while the work goes on; status in_progress */
	WORK_SUPPLEMENT,    /* what is missing, said once and exactly; status supplement */
	WORK_FORWARD,       /* to another office (office); status in_progress */
	WORK_RESOLVE,       /* the answer; status resolved */
	WORK_REJECT,        /* with the reason; status rejected */
	WORK_EXTEND,        /* a longer deadline, with the written reason (legal.h says when) */
	WORK_RESCHEDULE,    /* a request that will be late: the apology with its reason and a new
	                       date, at least one day before the deadline, once (ND 118/2025 Art. 19(6)) */
	WORK_SUSPEND,       /* a complaint's clock to resolve paused, with the reason (Law 136/2025) */
	WORK_RESUME,        /* ... running again: the days left at suspension from today (legal_resume) */
	WORK_NOTIFY,        /* a denunciation: the denouncer told of the acceptance decision, once,
	                       within 5 working days of it (Law on Denunciation 2018, Art. 29) */
	WORK_NACTIONS
} work_action;

/* "accept", "progress", ... for forms and the audit log; NULL when out of range. */
const char *srv_work_action_name(work_action a);
/* -1 when unknown. */
int srv_work_action_parse(const char *name);

typedef enum { WORK_NORMAL = 0, WORK_COMPLEX = 1, WORK_VERY_COMPLEX = 2 } work_complexity;

typedef struct {
	work_action action;
	const char *note;           /* for the citizen: required, at most PROTO_NOTE_MAX-1 bytes */
	const char *office;         /* WORK_FORWARD: where to */
	work_complexity complexity; /* WORK_ACCEPT (complaints, denunciations) and WORK_EXTEND */
	const char *new_date;       /* WORK_RESCHEDULE: YYYY-MM-DD, after the deadline */
	const char *actor;          /* the official's account name, for the audit log */
	const char *dossier;        /* WORK_ACCEPT: the provincial system's dossier number
	                               (mã số hồ sơ) given at the counter; NULL or "": none */
} work_step;

typedef struct {
	char id[40];
	char token[16];
	char commune[6];
	char category[32];
	char procedure[40];
	long long received_at;      /* kiosk clock */
	long long accepted_at;      /* 0: not accepted */
	long long closed_at;        /* 0: still open */
	char due[11];               /* the deadline now in force, YYYY-MM-DD */
	char status[16];
	long long updated_at;
	int overdue;                /* open and due before today (Vietnam time) */
	int complexity;
	int extensions;             /* deadline extensions granted */
	int apologies;              /* new appointment dates given after a delay */
	char forwarded_to[128];
	long long conference_id;    /* dialogue questions: the conference it is for, 0 none */
	int trust;                  /* SRV_DB_TRUST_*: dates the server corrected, a code held */
	char trust_note[160];       /* why, for staff ("" when trust is 0) */
	char assignee[64];          /* the officer working it, "" when nobody is */
	char dossier[40];           /* the official dossier number, "" until given */
	char appointment[11];       /* the new date an apology gave, "" none */
} work_item;

/* A search, as srv_find_terms makes it from what an official typed: keyed
 * hashes (hex) of the text read as a phone and as an ID number, the text as
 * a dossier number, and the words that must all be in the subject or the
 * details. */
#define WORK_FIND_HASH 33
#define WORK_FIND_WORDS 4
typedef struct {
	char exact[2][WORK_FIND_HASH];  /* "" unused */
	char dossier[40];
	char words[WORK_FIND_WORDS][WORK_FIND_HASH];
	int nwords;
} work_find;

typedef enum { WORK_SORT_DEADLINE, WORK_SORT_RECEIVED, WORK_SORT_STATUS, WORK_NSORTS } work_sort;
/* "deadline", "received", "status"; parse gives WORK_SORT_DEADLINE for anything else. */
const char *srv_work_sort_name(work_sort s);
work_sort srv_work_sort_parse(const char *name);

typedef struct {
	const char *commune;        /* NULL or "": any */
	const char *category;       /* NULL or "": any */
	const char *status;         /* NULL or "": any; "open": not final */
	int overdue_only;
	long long conference_id;    /* 0: any */
	const char *officer;        /* an officer's account name: only the communes assigned to
	                               it (srv_work_scope_set; none: nothing); NULL or "": all,
	                               for supervisors and the command line */
	const char *assignee;       /* only the requests assigned to this account; NULL or "": any */
	int unassigned;             /* only those assigned to nobody */
	int due_within;             /* > 0: only open ones due (in force) within so many days */
	work_sort sort;             /* deadline soonest, received newest, or status */
	const work_find *find;      /* NULL: no search */
	int offset, limit;          /* limit 0: 100; -1: no limit */
} work_filter;

/* Counts stop a little past what an official reads: beyond cap a count
 * is cap + 1, "more than cap", so that the inbox of a million requests
 * costs what one of a thousand does (a count reads every row it counts).
 * A search is capped lower: each row it counts is also a probe per word. */
#define WORK_COUNT_CAP 1000
#define WORK_FIND_COUNT_CAP 200
/* A search whose rarest word is in at least so many requests reads the
 * list in its order and checks the words row by row (common words fill a
 * page at once); a rarer one collects its requests first and sorts them. */
#define WORK_FIND_WALK_FROM 5000

typedef struct {
	long long total;            /* matching the filter, before offset/limit; cap + 1: more */
	long long open;             /* cap + 1: more; -1 not counted (a search past its cap) */
	long long overdue;          /* the same */
	long long by_status[16];    /* indexed like status_names; all 0 when total is capped */
	long long cap;              /* the cap the counts were read with */
} work_counts;

/* The requests matching f in f->sort's order (deadline: soonest first, then oldest), calling each
 * per item; counts (may be NULL) for the whole filter, up to their cap (work_counts). 0 or -1. */
int srv_work_inbox(srv_db *d, const work_filter *f, long long now,
	int (*each)(const work_item *it, void *arg), void *arg, work_counts *counts, char *err, size_t errlen);

/* The same rows one by one, in one read snapshot of d held until closed
 * (so d serves nothing else meanwhile): for exports too long to hold. f's
 * offset and limit are ignored; f is copied. next: 1 a row in out, 0 the
 * end, -1 error. */
typedef struct work_cursor work_cursor;
work_cursor *srv_work_cursor_open(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen);
int srv_work_cursor_next(work_cursor *c, work_item *out);
void srv_work_cursor_close(work_cursor *c);

/* One request by id or token (any typed form). */
int srv_work_get(srv_db *d, const char *id_or_token, long long now, work_item *out);

/* 1 when officials should be warned at now that the request's deadline is
 * near and no apology was sent: from the last working day before the day
 * before it, up to that day (legal_late_warn). */
int srv_work_late_warning(const cal *calendar, const work_item *it, long long now);
/* 1 when an apology with a new date may still be sent at now: open, not
 * reset before, and on or before the day before the deadline. */
int srv_work_may_reschedule(const work_item *it, long long now);

/* The legal clock's steps for one request, as the request page shows
 * them (docs/legal-clocks.md): dates YYYY-MM-DD, "" when the step does not
 * apply or is not due yet. */
typedef struct {
	int starts_letter;          /* the clock starts from the signed letter */
	long long letter_at;        /* when the counter marked it received; 0 not yet */
	char accept_by[11];         /* the limit to accept, while not accepted */
	char accept_several_by[11]; /* the same when the facts are checked at several places */
	char decided_on[11];        /* the acceptance decided */
	char notify_by[11];         /* the limit to tell the filer of the decision */
	long long notified_at;      /* when the filer was told; 0 not yet */
	char forward_by[11];        /* the limit to forward it when the office is not competent */
	int suspendable;            /* the clock to resolve may be suspended */
	long long suspended_at;     /* suspended then and not resumed; 0 running */
	int extensions_left;        /* extensions still allowed for its complexity; -1 none at all */
} work_clock;
/* 1 found with *out, 0 unknown, -1 error. */
int srv_work_clock(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id, long long now,
	work_clock *out);

/* Applies one step to a request, computing deadlines with cat and calendar. */
int srv_work_act(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const work_step *step, long long now, char *err, size_t errlen);

/* The sealed identity of a request for an official of role "officer" or
 * "supervisor", writing an audit row (who, when, reason) first. Refused (1)
 * for an officer on a denunciation, and for a supervisor on one without a
 * reason: the refusal too is kept, as an "identity_refused" row. *sealed
 * is malloc'd. */
int srv_work_identity(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, unsigned char **sealed, size_t *sealed_len, char *err, size_t errlen);

typedef struct {
	long long id;
	long long at;
	char actor[64];
	char action[32];            /* an action name, "identity", "login", "conference", ... */
	char request_id[40];        /* "" when not about one request */
	char detail[512];           /* reason or note summary; never personal data */
} work_audit;

/* A receipt code claimed by two kiosks' requests, held off the phone page
 * (SRV_DB_TRUST_HELD), released to its genuine claimant request_id by a
 * supervisor, for a reason: that request is shown for the code again
 * (SRV_DB_TRUST_CHOSEN), the others stay flagged for staff and are never
 * shown for it (SRV_DB_TRUST_NOT_CHOSEN); a "release_code" audit row keeps
 * who, when, why and the claimants set aside. Refused (1) for an officer,
 * without a reason, for an unknown request or one whose code is not held
 * (or already released to it). */
int srv_work_release_code(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, char *err, size_t errlen);

/* Writes an audit row outside an action (logins, conference edits). 0 or -1. */
int srv_work_audit_add(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail, char *err, size_t errlen);
/* The audit rows of one request (request_id non-empty) or all, newest first, at most limit. */
int srv_work_audit_list(srv_db *d, const char *request_id, int limit,
	int (*each)(const work_audit *a, void *arg), void *arg, char *err, size_t errlen);

/* An official opened a request's page and so read its content (the
 * console decrypts it to show it): an "open" audit row with who and why
 * (why may be ""). A refused attempt on something secret: a "refused" row
 * saying what was asked. 0 or -1. */
int srv_work_audit_open(srv_db *d, long long now, const char *request_id, const char *who, const char *why,
	char *err, size_t errlen);
int srv_work_audit_refused(srv_db *d, long long now, const char *request_id, const char *who, const char *what,
	char *err, size_t errlen);

/* One page of the audit log, newest first. Every filter NULL or "" when
 * not given. */
typedef struct {
	const char *action;         /* only rows of this action ("identity", "login", ...) */
	const char *actor;          /* only this official's rows */
	const char *request_id;     /* only rows about this request */
	const char *exclude_action; /* no rows of this action ("login_failed") */
	long long before;           /* the cursor: rows with id below it; 0 from the newest */
	int limit;                  /* 1..WORK_AUDIT_PAGE_MAX; 0: 50 */
} work_audit_query;
#define WORK_AUDIT_PAGE_MAX 200

/* The rows of q, each to each; *next is the cursor of the page after it
 * (0 when this one is the last). 0 or -1. */
int srv_work_audit_page(srv_db *d, const work_audit_query *q, int (*each)(const work_audit *a, void *arg),
	void *arg, long long *next, char *err, size_t errlen);

/* The communes an officer works on: the list given replaces the last (n 0:
 * none), with an audit row by actor. Refused (1) for an unknown account or
 * a code that is not 5 digits. */
int srv_work_scope_set(srv_db *d, const char *name, const char *const *communes, int n, const char *actor,
	long long now, char *err, size_t errlen);
int srv_work_scope_list(srv_db *d, const char *name, int (*each)(const char *commune, void *arg), void *arg,
	char *err, size_t errlen);
/* 1 if the official name of role may see requests of commune (supervisors
 * always; officers on the communes assigned to them), 0 not, -1 error. */
int srv_work_may_see(srv_db *d, const char *name, const char *role, const char *commune);

/* Assigns a request to an officer (officer "" : to nobody), by a
 * supervisor actor: an "assign" audit row. Refused (1) for an unknown or
 * disabled account, one that is not an officer, an officer not working the
 * request's commune, or a closed request. */
int srv_work_assign(srv_db *d, const char *request_id, const char *officer, const char *actor, long long now,
	char *err, size_t errlen);

/* Canned replies: a note a supervisor wrote once for a category and an
 * action, which officials pick and adjust. */
#define WORK_REPLY_TITLE 128
typedef struct {
	long long id;               /* 0: a new one */
	char category[32];
	char action[16];            /* an action name (srv_work_action_name) */
	char title[WORK_REPLY_TITLE];
	char text[PROTO_NOTE_MAX];
	long long updated_at;
	char updated_by[64];
} work_reply;
/* Adds (id 0, id set on return) or changes one, with an audit row; title
 * and text empty: removes it. Refused (1) for an unknown action or a text
 * too long for a note. */
int srv_work_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen);
/* Those of a category ("" all), by action then title. */
int srv_work_replies(srv_db *d, const char *category, int (*each)(const work_reply *r, void *arg), void *arg,
	char *err, size_t errlen);
int srv_work_reply_get(srv_db *d, long long id, work_reply *out);

/* Which actions the rules would take on it now: bit (1 << action) set for
 * each that srv_work_act would not refuse for its state, whatever the note.
 * 0, or -1 when it cannot be read. */
int srv_work_allowed(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id, long long now,
	unsigned *mask);

/* Text messages to citizens (sync/server/srv_sms.h sends them). */
typedef struct {
	long long id;
	char request_id[40];
	char kind[16];              /* "supplement", "apology", "result" */
	char date[11];              /* the date it tells, "" none */
	char state[12];             /* "queued", "sent", "failed" */
	int tries;
	long long next_at, created_at, sent_at;
	char via[16];               /* "http", "gammu" */
	char last_error[200];       /* never a phone number */
} work_sms;
/* Queued messages due at now, oldest first, at most limit. 0 or -1. */
int srv_work_sms_due(srv_db *d, long long now, int limit, int (*each)(const work_sms *m, void *arg), void *arg,
	char *err, size_t errlen);
/* One try's outcome: state "sent" (sent_at now), "queued" again at next_at,
 * or "failed"; tries counted. 0 or -1. */
int srv_work_sms_result(srv_db *d, long long id, const char *state, long long next_at, long long now,
	const char *via, const char *error, char *err, size_t errlen);
/* The delivery log: a request's messages ("" all), newest first. */
int srv_work_sms_list(srv_db *d, const char *request_id, int limit, int (*each)(const work_sms *m, void *arg),
	void *arg, char *err, size_t errlen);

/* Communes: a name for the code, and whether the remote-area time limits apply. */
typedef struct {
	char code[6];
	char name[128];
	int remote;
} work_commune;
int srv_work_commune_set(srv_db *d, const work_commune *c, char *err, size_t errlen);
/* Every commune with a name or a kiosk, in code order. */
int srv_work_communes(srv_db *d, int (*each)(const work_commune *c, void *arg), void *arg,
	char *err, size_t errlen);
int srv_work_commune_get(srv_db *d, const char *code, work_commune *out);

/* Dialogue conferences. */
typedef struct {
	long long id;               /* 0: a new one */
	char commune[6];
	long long at;               /* start, Unix seconds */
	char place[512];
	char leaders[512];
	char topic[512];
	long long questions;        /* dialogue requests filed for it (listing only) */
	long long cancelled_at;     /* 0: it stands */
	char cancelled_by[64];
	char cancel_reason[512];    /* told to the citizens whose questions were for it */
} work_conference;

/* Adds (id 0, id set on return) or changes a conference, with an audit row;
 * refused (1) for a cancelled one. */
int srv_work_conference_save(srv_db *d, work_conference *c, const char *actor, long long now,
	char *err, size_t errlen);
/* Cancels conference id, by the official actor of role, for reason (told to
 * the citizens: no identity in it), with a "conference_cancel" audit row.
 * Its open questions become due at the commune's next standing conference
 * that has not started, or have no date until one is announced; each whose
 * date changes gets a "conference" event (undated when it has none) that
 * its kiosk pulls. *moved: the questions moved, *next: the conference they
 * are now for (0 none); either may be NULL. Refused (1, nothing changed)
 * without a reason, for an unknown conference, one of a commune the
 * official does not work, one already cancelled or already started. */
int srv_work_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, const char *role,
	long long now, long long *moved, long long *next, char *err, size_t errlen);
/* Conferences of a commune ("" all) starting at or after from, soonest
 * first, the cancelled ones too (cancelled_at set). */
int srv_work_conferences(srv_db *d, const char *commune, long long from,
	int (*each)(const work_conference *c, void *arg), void *arg, char *err, size_t errlen);
int srv_work_conference_get(srv_db *d, long long id, work_conference *out);

/* The `update` command: a status as the officials' action that sets it
 * (accepted is an acceptance, with its legal clock from cat and calendar,
 * which may be NULL), by the actor "cli", with a standard note for the
 * citizen when note is empty. Withdrawal is recorded as it is. 0 with the
 * new event's id, or -1 (refused or failed: err says why). */
int srv_work_update(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const char *status, const char *note, long long now, long long *event_id, char *err, size_t errlen);

#endif
