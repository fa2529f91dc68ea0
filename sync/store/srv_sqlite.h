/* srv_sqlite: the SQLite backend of the server's store, private to
 * sync/store: the handle, the table of statements and the helpers its files
 * (srv_sqlite.c, srv_db_sqlite.c, srv_work_sqlite.c, srv_auth_sqlite.c,
 * srv_stats_sqlite.c) share. Nothing outside the backend includes it.
 *
 * Every statement is one entry of the enum below and one SQL text in
 * srv_sqlite.c, prepared once per connection on first use (sqlx.h). The
 * inbox alone puts its text together, one per combination of filters, from
 * a table of clauses; each is still prepared once per connection. */
#ifndef MOTCUA_SRV_SQLITE_H
#define MOTCUA_SRV_SQLITE_H

#include <sqlite3.h>
#include <stddef.h>
#include "sqlx.h"
#include "status.h"
#include "srv_backend.h"

typedef enum {
	SQ_BEGIN, SQ_BEGIN_IMMEDIATE, SQ_COMMIT, SQ_ROLLBACK, SQ_DATA_VERSION,
	/* srv_db_sqlite.c */
	SQ_META_GET, SQ_META_SET,
	SQ_KIOSK_GET, SQ_KIOSK_LIST, SQ_KIOSK_ADD, SQ_KIOSK_REVOKE, SQ_KIOSK_SEEN, SQ_KIOSK_ACKED,
	SQ_KIOSK_FLOOR, SQ_KIOSK_SET_FLOOR, SQ_ENVELOPE_SEEN, SQ_ENVELOPE_ADD, SQ_ENVELOPE_PRUNE,
	SQ_REQUEST_INSERT, SQ_REQUEST_STORED, SQ_TOKEN_HOLDER, SQ_TOKEN_HOLD, SQ_FLAGGED, SQ_SEQ_STORED,
	SQ_EVENT_SYNCED, SQ_EVENTS_AFTER, SQ_CONFLICT_LOG, SQ_ATTACH_DIALOGUE, SQ_DIALOGUE_EVENT,
	SQ_LOOKUP, SQ_LOOKUP_EVENTS, SQ_LOOKUP_APOLOGY,
	SQ_REQUEST_BY_ID, SQ_REQUEST_BY_TOKEN, SQ_SEALED_BY_ID, SQ_REQUEST_EVENTS, SQ_COUNT,
	/* srv_work_sqlite.c */
	SQ_ITEM_BY_ID, SQ_ITEM_BY_TOKEN, SQ_STATE, SQ_EVENT_ACTION, SQ_REQUEST_ACTION, SQ_AUDIT_ADD,
	SQ_EVENT_STAFF, SQ_REQUEST_STATUS, SQ_LAST_EVENT,
	SQ_IDENTITY, SQ_AUDIT_PAGE, SQ_CODE_CLAIM, SQ_CODE_RELEASE_OTHERS, SQ_CODE_RELEASE_CHOSEN,
	/* srv_desk_sqlite.c */
	SQ_FIND_PENDING, SQ_FIND_CLEAR, SQ_FIND_ADD, SQ_FIND_DONE, SQ_ASSIGN,
	SQ_SMS_ENQUEUE, SQ_SMS_DUE, SQ_SMS_RESULT, SQ_SMS_LIST,
	SQ_REPLY_INSERT, SQ_REPLY_UPDATE, SQ_REPLY_DELETE, SQ_REPLIES, SQ_REPLY_GET,
	SQ_SCOPE_CLEAR, SQ_SCOPE_ADD, SQ_SCOPE_LIST, SQ_SCOPE_HAS,
	SQ_COMMUNE_SET, SQ_COMMUNES, SQ_COMMUNE_GET,
	SQ_CONFERENCE_INSERT, SQ_CONFERENCE_UPDATE, SQ_CONFERENCE_ATTACH, SQ_CONFERENCE_EVENTS, SQ_CONFERENCES, SQ_CONFERENCE_GET,
	SQ_CONFERENCE_CANCEL, SQ_CONFERENCE_CANCEL_EVENTS, SQ_CONFERENCE_CANCEL_MOVE, SQ_CONFERENCE_NEXT,
	/* srv_auth_sqlite.c */
	SQ_USER_INSERT, SQ_USER_SET_HASH, SQ_USER_DISABLE, SQ_USERS, SQ_USER_GET, SQ_USER_LOGIN,
	SQ_FAILURES, SQ_FAILURE_ADD, SQ_FAILURE_CLEAR, SQ_FAILURE_CLEAR_ALL,
	SQ_SESSION_INSERT, SQ_SESSION_GET, SQ_SESSION_TOUCH, SQ_SESSION_DELETE, SQ_SESSIONS_OF, SQ_SESSIONS_SWEEP,
	/* srv_stats_sqlite.c */
	SQ_STATS_RECEIVED, SQ_STATS_CLOSED, SQ_STATS_OVERDUE, SQ_QUEUE_FIGURES,
	/* srv_db_sqlite.c: the office's queue figures */
	SQ_QUEUE_PUT,
	/* srv_rating_sqlite.c */
	SQ_RATING_PUT, SQ_RATING_DAY_COUNT, SQ_RATING_GIVEN, SQ_RATING_FIGURES, SQ_RATING_EACH,
	/* srv_trend_sqlite.c */
	SQ_TREND,
	SQ_N
} srv_sqlite_q;

/* A work_item's columns, in read_item's order (srv_work_sqlite.c);
 * :today is the commune's date. */
#define SRV_SQLITE_ITEM_COLS "id, token, commune, category, procedure, received_at, coalesce(accepted_at, 0)," \
	" coalesce(closed_at, 0), due, status, updated_at, " STATUS_OVERDUE_SQL(":today") ", complexity," \
	" extensions, apologies, forwarded_to, coalesce(conference_id, 0), trust, trust_note, assignee, dossier," \
	" appointment"

/* The inbox's filters, one bit each (srv_work_sqlite.c). */
#define SRV_SQLITE_INBOX_FILTERS 12
/* The counts' statements of a combination: exact by status, and the total,
 * the open and the overdue ones up to a cap, and a search's total up to a
 * cap (srv_inbox_sqlite.c). */
#define SRV_SQLITE_INBOX_COUNTS 5

/* A handle is one backend's: with the PostgreSQL backend built in
 * (WITH_PG, srv_pg.h) a handle opened on a postgresql:// URL has pg set and
 * every operation of the files *_sqlite.c hands itself to its srv_pg_
 * twin as its first statement, so the two never mix on one handle. */
#ifdef WITH_PG
#include "srv_pg.h"
#define SRV_PG_ROUTE(d, call) do { if ((d)->pg) return call; } while (0)
#else
#define SRV_PG_ROUTE(d, call) do { } while (0)
#endif

struct srv_db {
	struct srv_pg *pg;           /* the PostgreSQL backend's connection, NULL for SQLite */
	sqlite3 *sql;
	sqlite3_stmt *st[SQ_N];
	sqlite3_stmt *inbox[WORK_NSORTS][1 << SRV_SQLITE_INBOX_FILTERS];
	sqlite3_stmt *inbox_counts[SRV_SQLITE_INBOX_COUNTS][1 << SRV_SQLITE_INBOX_FILTERS];
	sqlite3_stmt *find_hits[2];  /* how many requests hold a word, up to WORK_FIND_WALK_FROM:
	                                in all communes, in one */
	srv_be_figures figures;
};

/* The statement q, reset and ready for binding; NULL on error. */
sqlite3_stmt *srv_sqlite_stmt(srv_db *d, srv_sqlite_q q);
/* Runs a statement without parameters (BEGIN, COMMIT, ...): SQLITE_DONE or an error. */
int srv_sqlite_run(srv_db *d, srv_sqlite_q q);
/* Runs a statement whose parameters are bound: SQLITE_DONE or an error. */
int srv_sqlite_step_done(sqlite3_stmt *st);
void srv_sqlite_rollback(srv_db *d);
/* err = "what: SQLite's message"; -1. */
int srv_sqlite_fail(srv_db *d, char *err, size_t errlen, const char *what);

/* Binds a text or an integer by name where the statement has that name. */
typedef struct {
	const char *name;
	const char *t;               /* NULL: the integer i */
	long long i;
} srv_sqlite_param;
#define SQ_T(n, v) { n, srv_sqlite_or_empty(v), 0 }
#define SQ_I(n, v) { n, NULL, (v) }
#define SQ_NPARAMS(a) (sizeof(a) / sizeof((a)[0]))
const char *srv_sqlite_or_empty(const char *s);
int srv_sqlite_bind(sqlite3_stmt *st, const srv_sqlite_param *p, size_t np);

/* The inbox's list statement for f (srv_inbox_sqlite.c), bound to ip's
 * parameters and f's strings, which must outlive its use; NULL with err.
 * Its rows are work_items (srv_sqlite_read_item: 0, or -1 too long). */
typedef struct {
	char today[11], until[11];
	srv_sqlite_param p[17];
} srv_sqlite_inbox_params;
/* A cursor holding the rows PostgreSQL read (srv_desk_pg.c); NULL when
 * out of memory. */
struct srv_pg_cursor;
work_cursor *srv_sqlite_cursor_of_pg(struct srv_pg_cursor *pg, srv_db *d);
sqlite3_stmt *srv_sqlite_inbox_list(srv_db *d, const work_filter *f, long long now, srv_sqlite_inbox_params *ip,
	char *err, size_t errlen);
int srv_sqlite_read_item(sqlite3_stmt *st, work_item *it);

#endif
