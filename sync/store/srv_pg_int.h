/* srv_pg_int: what the PostgreSQL backend's files (srv_pg.c,
 * srv_db_pg.c, srv_work_pg.c, srv_auth_pg.c) share: the connection, the
 * statement slots, parameters and results. Private to those files.
 *
 * Every statement is written where it is used, with its parameters' types
 * written in it ($1::text, $2::bigint) and prepared once per connection in
 * its slot of the enum below. Texts compare as bytes (the schema's columns
 * are COLLATE "C"), as SQLite's do, so both backends sort alike. Results
 * come back as text; booleans are read as integers the statement casts. */
#ifndef MOTCUA_SRV_PG_INT_H
#define MOTCUA_SRV_PG_INT_H

#include <libpq-fe.h>
#include <stddef.h>
#include "srv_pg.h"
#include "srv_sqlite.h"

/* The Vietnam day (UTC+7, as vntime.h reckons it) of a time t in SQL. */
#define PG_DAY(t) "to_char(to_timestamp(" t " + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
/* The cancelled conferences of a dialogue question's commune on the day
 * its kiosk gave it, after it was filed: the kiosk dated it by one of them
 * (srv_sqlite.c, CANCELLED_DAY_SQL). */
#define PG_CANCELLED_DAY "conference c WHERE c.commune = request.commune AND c.cancelled_at <> 0" \
	" AND c.at > request.received_at AND " PG_DAY("c.at") " = request.deadline"

typedef enum {
	/* srv_pg.c */
	SP_VERSION, SP_DATA_VERSION,
	/* srv_db_pg.c */
	SP_META_GET, SP_META_SET, SP_KIOSK_GET, SP_KIOSK_LOCK, SP_KIOSK_LIST, SP_KIOSK_ADD, SP_KIOSK_REVOKE,
	SP_ENVELOPE_SEEN, SP_ENVELOPE_REMEMBER, SP_KIOSK_SEEN, SP_TOKEN_LOCKS, SP_EVENT_LOCK, SP_CLASSIFY,
	SP_REQUEST_INSERT, SP_EVENT_SYNCED, SP_TOKEN_HOLD, SP_ATTACH_DIALOGUE, SP_DIALOGUE_EVENT, SP_CONFLICT_LOG, SP_ACKED,
	SP_EVENTS_AFTER, SP_LOOKUP, SP_LOOKUP_APOLOGY, SP_REQUEST_BY_ID, SP_REQUEST_BY_TOKEN, SP_SEALED_MANY, SP_REQUEST_EVENTS, SP_COUNT,
	SP_FLAGGED,
	/* srv_work_pg.c */
	SP_ITEM_BY_ID, SP_ITEM_BY_TOKEN, SP_STATE, SP_EVENT_ACTION, SP_REQUEST_ACTION, SP_AUDIT_ADD,
	SP_KIOSK_OF, SP_EVENT_STAFF, SP_REQUEST_STATUS, SP_LAST_EVENT, SP_IDENTITY, SP_AUDIT_PAGE,
	SP_CODE_CLAIM, SP_CODE_RELEASE_OTHERS, SP_CODE_RELEASE_CHOSEN,
	SP_SCOPE_CLEAR, SP_SCOPE_ADD, SP_SCOPE_LIST, SP_SCOPE_HAS, SP_COMMUNE_SET, SP_COMMUNES, SP_COMMUNE_GET,
	SP_CONFERENCE_INSERT, SP_CONFERENCE_UPDATE, SP_CONFERENCE_ATTACH, SP_CONFERENCE_EVENTS, SP_CONFERENCES, SP_CONFERENCE_GET,
	SP_CONFERENCE_CANCEL, SP_CONFERENCE_CANCEL_EVENTS, SP_CONFERENCE_CANCEL_MOVE, SP_CONFERENCE_NEXT,
	SP_SMS_ENQUEUE,
	/* srv_desk_pg.c */
	SP_FIND_PENDING, SP_FIND_CLEAR, SP_FIND_ADD, SP_FIND_DONE, SP_ASSIGN, SP_REPLY_INSERT, SP_REPLY_UPDATE,
	SP_REPLY_DELETE, SP_REPLIES, SP_REPLY_GET, SP_SMS_DUE, SP_SMS_LIST, SP_SMS_RESULT,
	/* srv_auth_pg.c */
	SP_USER_INSERT, SP_USER_SET_HASH, SP_USER_DISABLE, SP_USERS, SP_USER_GET, SP_USER_LOGIN,
	SP_FAILURES, SP_FAILURE_ADD, SP_FAILURE_CLEAR, SP_FAILURE_CLEAR_ALL, SP_SESSION_INSERT, SP_SESSION_GET,
	SP_SESSION_TOUCH, SP_SESSION_DELETE, SP_SESSIONS_OF, SP_SESSIONS_SWEEP,
	SP_STATS_RECEIVED, SP_STATS_CLOSED, SP_STATS_OVERDUE, SP_QUEUE_PUT, SP_QUEUE_FIGURES,
	/* srv_rating_pg.c */
	SP_RATING_PUT, SP_RATING_DAY_COUNT, SP_RATING_GIVEN, SP_RATING_FIGURES, SP_RATING_EACH,
	/* srv_trend_pg.c */
	SP_TREND,
	/* srv_copy_pg.c */
	SP_COPY_COLUMNS,
	/* srv_figures_pg.c */
	SP_FIGURES_LOAD, SP_FIGURES_CLAIM, SP_FIGURES_STORE,
	SP_N
} srv_pg_slot;

/* The inbox's statements, one per combination of filters (srv_work_pg.c)
 * and of one bit more: a search of two words or more in one commune. */
#define SRV_PG_INBOX_FILTERS 12
#define SRV_PG_INBOX_BITS (SRV_PG_INBOX_FILTERS + 1)

typedef struct srv_pg srv_pg;
struct srv_pg {
	PGconn *conn;
	unsigned char prepared[SP_N];
	unsigned char inbox_prepared[WORK_NSORTS][1 << SRV_PG_INBOX_BITS];
	unsigned char count_prepared[5][1 << SRV_PG_INBOX_BITS];   /* by status, capped total, open, overdue,
	                                                                 a search's total */
	unsigned char find_hits_prepared[2];                          /* in all communes, in one */
	srv_be_figures figures;
	char state[6];               /* the SQLSTATE of the last failure, "" */
	char msg[300];               /* its message */
};

/* A statement's parameters: texts, integers as text, bytea in binary. */
#define SRV_PG_MAXP 24
typedef struct {
	int n;
	const char *v[SRV_PG_MAXP];
	int len[SRV_PG_MAXP];
	int fmt[SRV_PG_MAXP];
	char num[SRV_PG_MAXP][24];
} pg_args;
void pa_t(pg_args *a, const char *s);              /* NULL is "" */
void pa_i(pg_args *a, long long i);
void pa_b(pg_args *a, const void *p, size_t len);

/* Runs statement q (text sql, prepared in its slot on first use) with a:
 * the result when it succeeded (PQclear it), NULL with the failure kept
 * for srv_pg_fail. */
PGresult *srv_pg_q(srv_db *d, srv_pg_slot q, const char *sql, const pg_args *a);
/* The same for a statement that returns no rows: rows changed, or -1. */
long long srv_pg_cmd(srv_db *d, srv_pg_slot q, const char *sql, const pg_args *a);
/* An unprepared statement without parameters (BEGIN, COMMIT): 0 or -1. */
int srv_pg_exec(srv_db *d, const char *sql);
/* A prepared statement with a name of its own (the inbox's). */
PGresult *srv_pg_named(srv_db *d, const char *name, unsigned char *prepared, const char *sql, const pg_args *a);
/* The same sent, its rows to come one result each (libpq's single-row
 * mode: PGRES_SINGLE_TUPLE, then PGRES_TUPLES_OK, then NULL), inside a
 * transaction already begun: 0, or -1 with the failure kept. */
int srv_pg_named_stream(srv_db *d, const char *name, unsigned char *prepared, const char *sql, const pg_args *a);
void srv_pg_rollback(srv_db *d);
/* err = "what: PostgreSQL's message"; -1. */
int srv_pg_fail(srv_db *d, char *err, size_t errlen, const char *what);
/* 1 when the last failure was a unique or primary key refusal. */
int srv_pg_unique_violation(srv_db *d);
/* 1 when the last failure was a deadlock or a serialization failure: the
 * transaction may be run again. */
int srv_pg_retryable(srv_db *d);

/* A text column copied, -1 when it does not fit in outlen (NULL is ""). */
int srv_pg_copy(const PGresult *r, int row, int col, char *out, size_t outlen);
long long srv_pg_ll(const PGresult *r, int row, int col);
/* A bytea column, malloc'd (free it); NULL when out of memory. */
unsigned char *srv_pg_bytes(const PGresult *r, int row, int col, size_t *len);

/* Writes an audit row (srv_work_pg.c), inside the caller's transaction
 * or on its own: 0 or -1. */
int srv_pg_write_audit(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail);

/* Sends the inbox's list for f, every row when f->limit is -1
 * (srv_work_pg.c), in the caller's transaction, its rows to come one
 * result each (srv_pg_named_stream); 0 or -1 with err. srv_pg_read_item
 * reads a row of a result. */
int srv_pg_inbox_stream(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen);
int srv_pg_read_item(const PGresult *r, int row, work_item *it);

/* The read transaction a lookup or a list takes to see one snapshot. */
#define SRV_PG_BEGIN_SNAPSHOT "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

#endif
