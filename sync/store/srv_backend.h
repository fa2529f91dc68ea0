/* srv_backend: what a backend of the server's store provides to the
 * store's own rules, private to sync/store.
 *
 * The public headers (srv_db.h, srv_work.h, srv_auth.h, srv_stats.h) are
 * the store as callers see it. Behind them the rules that hold whatever
 * keeps the rows (which action may follow which and what it does to the
 * deadline, password and lockout rules, hiding small counts) live in
 * srv_work.c, srv_auth.c and srv_stats.c, and call down to the operations
 * below; a backend implements these and the storage-only functions of the
 * public headers. Every operation here is atomic on its own: the backend
 * opens and ends its transaction (SQLite: BEGIN IMMEDIATE; a server
 * database: a transaction with the request's row locked), so the rules
 * never see one. Today's one backend is SQLite (srv_sqlite.h, *_sqlite.c);
 * a second one adds its files and becomes a choice in srv_db_open.
 *
 * Results follow the public headers: 0 done, 1 refused (err says why), -1
 * the store failed (err says what); finders 1 found, 0 unknown, -1. */
#ifndef MOTCUA_SRV_BACKEND_H
#define MOTCUA_SRV_BACKEND_H

#include <stddef.h>
#include "proto.h"
#include "srv_auth.h"
#include "srv_db.h"
#include "srv_work.h"

/* ---- officials' actions (srv_work.c) ---- */

/* What an action reads of a request and may change. */
typedef struct {
	work_item it;                /* it.overdue as of the action's today */
	char kiosk[16];
	char appointment[11];
	int remote;                  /* its commune is a remote area */
	int supplements;             /* times a supplement was asked for */
	long long letter_at;         /* the counter marked the signed letter received; 0 not */
	long long notified_at;       /* the filer told of the acceptance decision; 0 not */
	long long suspended_at;      /* the clock to resolve suspended then, not resumed since; 0 none */
} srv_be_state;

/* What the rules decided: the event to add (status, any new date) and the
 * audit row's words; the request row is written from the state. */
typedef struct {
	char status[16];
	char deadline[11];
	char detail[512];
	char sms[16];                /* a text message the citizen must get ("" none), queued
	                                when the filer agreed to them (request.sms_ok) */
	char sms_date[11];           /* the date it tells, "" none */
} srv_be_change;

/* The rules' decision on a state: 0 to write it, 1 refused (err says why). */
typedef int (*srv_be_decide)(srv_be_state *s, void *arg, srv_be_change *change, char *err, size_t errlen);

/* One action as one operation: reads the request (unknown: refused), asks
 * decide, and writes the event (note, action), the request and the audit
 * row (actor, action), or nothing. today is the commune's date at now. */
int srv_be_act(srv_db *d, const char *request_id, long long now, const char *today, const char *actor,
	const char *action, const char *note, srv_be_decide decide, void *arg, char *err, size_t errlen);

/* A status recorded as it is (withdrawal, `update`): the event, the status
 * (closing the request when status is withdrawn) and the audit row, or
 * nothing: refused for an unknown or closed request. *event_id is the new
 * event's (unchanged when nothing was recorded). */
int srv_be_record_status(srv_db *d, const char *request_id, const char *status, const char *note,
	long long now, const char *actor, const char *detail, long long *event_id, char *err, size_t errlen);

/* The state of a request as an action would read it, in a read of its
 * own: 1 found, 0 unknown, -1. */
int srv_be_state_get(srv_db *d, const char *request_id, const char *today, srv_be_state *s);

/* The assignee of an open request set ("" none) with its audit row
 * (actor, "assign", detail), or nothing: 1 for an unknown or closed one. */
int srv_be_assign(srv_db *d, const char *request_id, const char *officer, long long now, const char *actor,
	const char *detail, char *err, size_t errlen);

/* A conference cancelled as srv_work_conference_cancel says, its reason
 * and actor checked by srv_work.c: the conference marked, its open
 * questions told and moved, the audit row (detail, with what moved added),
 * or nothing: 1 when it is unknown, cancelled or started by now. */
int srv_be_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, long long now,
	const char *detail, long long *moved, long long *next, char *err, size_t errlen);

/* The audit row's words for a cancellation: detail and where its moved
 * questions went (next 0: no conference announced). */
void srv_work_cancel_detail(char *out, size_t outlen, const char *detail, long long moved, long long next);

/* A canned reply checked by srv_work.c: added, changed or (title and text
 * empty) removed, with its audit row. 1: no reply of that id. */
int srv_be_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen);

/* The id of the latest event of a request, 0 when none. 0 or -1. */
int srv_be_last_event(srv_db *d, const char *request_id, long long *event_id);

/* ---- finding (srv_find.c) ---- */

/* Requests whose keys are not made yet, at most limit, each with its
 * sealed form (read first, then handed out one by one, so each may write). */
int srv_be_find_pending(srv_db *d, int limit,
	int (*each)(const char *id, const unsigned char *sealed, size_t len, void *arg), void *arg,
	char *err, size_t errlen);
/* One request's keys: they replace its old ones, and its indexing is
 * marked done (opened) or its form unreadable. */
typedef struct {
	char id[40];
	char (*hashes)[WORK_FIND_HASH];
	int n;
	int opened;
	int sms_ok;                  /* the form has a phone and the filer's yes to messages */
} srv_be_find_row;
/* Rows [0..n) stored in one transaction. 0 or -1. */
int srv_be_find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen);

/* ---- accounts and sessions (srv_auth.c) ---- */

/* hash: the password's argon2id string; session keys are the BLAKE2b-256
 * of the cookie's token, never the token. */
int srv_be_user_insert(srv_db *d, const char *name, const char *role, const char *hash, long long now,
	char *err, size_t errlen);                              /* 1: the name is taken */
/* The new hash, and the name's failed logins forgotten. 1: no such account. */
int srv_be_user_set_hash(srv_db *d, const char *name, const char *hash, char *err, size_t errlen);
/* Disabled, with its sessions ended. 1: no enabled account of that name. */
int srv_be_user_disable(srv_db *d, const char *name, char *err, size_t errlen);
int srv_be_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg, char *err, size_t errlen);
/* The account's hash (hashlen bytes), role and state. */
int srv_be_user_get(srv_db *d, const char *name, char *hash, size_t hashlen, char role[16], int *disabled);
/* The name's failed logins in a row from origin and the time of the last. */
int srv_be_failures(srv_db *d, const char *name, const char *origin, long long *count, long long *last_at);
int srv_be_failure_add(srv_db *d, const char *name, const char *origin, long long now);
/* A new session, the name's failures from origin forgotten, its last login
 * now, and sessions made before sweep_before removed. 0 or -1. */
int srv_be_session_open(srv_db *d, const unsigned char key[32], const char *name, const char *origin,
	const char *csrf, long long now, long long sweep_before, char *err, size_t errlen);
/* The session (name, role, csrf, times) and its account's disabled flag. */
int srv_be_session_get(srv_db *d, const unsigned char key[32], srv_auth_session *out, int *disabled);
int srv_be_session_touch(srv_db *d, const unsigned char key[32], long long now);
int srv_be_session_delete(srv_db *d, const unsigned char key[32]);

/* ---- figures (srv_stats.c) ---- */

/* Where a scan's rows go; a non-zero return stops it (out of memory). */
typedef struct {
	int (*received)(void *arg, const char *commune, const char *category, int in_month);
	int (*closed)(void *arg, const char *commune, const char *category, int in_month, int on_time,
		long long seconds);
	int (*overdue)(void *arg, const char *commune, const char *category);
} srv_be_sink;

/* In one read snapshot: every request received since year_start, every one
 * answered (resolved or rejected) since then, and every one overdue today,
 * each to its sink (closed_only: the answered ones alone). 0, or -1 with err
 * (a sink's stop is "out of memory"). */
int srv_be_scan(srv_db *d, long long month_start, long long year_start, const char *today, int closed_only,
	const srv_be_sink *sink, void *arg, char *err, size_t errlen);

/* The office's queue figures since from_day (YYYY-MM-DD), summed per
 * commune, work field and counter in that order, each to each (non-zero
 * stops: out of memory). 0, or -1 with err. */
typedef struct {
	char commune[6];
	char field[24];
	int counter;
	long long served, skipped, wait_total, wait_max, service_total;
} srv_be_queue_row;
int srv_be_queue(srv_db *d, const char *from_day,
	int (*each)(const srv_be_queue_row *r, void *arg), void *arg, char *err, size_t errlen);

/* The kiosk figures last computed on this handle. */
typedef struct {
	int have;
	char commune[6];
	long long at;
	long long version;
	proto_stats figures;
} srv_be_figures;
srv_be_figures *srv_be_figures_of(srv_db *d);
/* A number that changes when another connection writes to the store, -1
 * when it cannot be had. */
long long srv_be_data_version(srv_db *d);

#endif
