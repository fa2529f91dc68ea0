/* srv_db: the district server's SQLite store, DATA/server.db.
 *
 * It holds the registered kiosks (key, revoked, envelope counter, the
 * acknowledged mark, last contact and clock offset), every request the kiosks
 * pushed (the clear columns a status lookup needs, and the sealed identity as
 * the kiosk sent it), the status events that flow back to kiosks and phones,
 * the conflicts found, and a few settings (meta). WAL with synchronous=FULL;
 * the schema is versioned with PRAGMA user_version and migrated at open.
 *
 * A handle is one connection with its prepared statements kept, so it must
 * be used by one thread at a time: the HTTP server opens one per thread.
 * Writes take BEGIN IMMEDIATE (with a busy timeout), so writers in other
 * threads or processes (a staff `update` while the server runs) wait for
 * each other instead of failing. Errors: int result, caller-owned message. */
#ifndef MOTCUA_SRV_DB_H
#define MOTCUA_SRV_DB_H

#include <stddef.h>
#include "cal.h"
#include "catalog.h"
#include "envelope.h"
#include "page.h"
#include "proto.h"

typedef struct srv_db srv_db;

typedef struct {
	char id[ENV_SIGNER_MAX];
	unsigned char key[ENV_PK_BYTES];
	int revoked;
	long long added_at;
	long long last_seen;         /* server clock of the last accepted push, 0: never */
	long long last_n;            /* envelope counter of that push */
	long long acked;             /* every seq 1..acked of this kiosk is stored */
	long long clock_offset;      /* server clock minus the kiosk's, at that push */
	long long requests;          /* requests of this kiosk held here (srv_db_kiosk_list only) */
} srv_db_kiosk;

typedef struct {
	char id[40];
	char kiosk[ENV_SIGNER_MAX];
	long long seq;
	char token[16];
	char category[32];
	char procedure[40];
	long long received_at;       /* kiosk clock */
	long long received_server_at;
	char deadline[11];
	char status[16];
	long long updated_at;
	unsigned char *sealed;       /* malloc'd; free with srv_db_request_free */
	size_t sealed_len;
} srv_db_request;

/* What storing a push did. The reply fields (acked, conflicts, events,
 * cursor, more) are filled in the caller's proto_reply. */
typedef struct {
	int replay;                  /* n was not above last_n: nothing changed */
	int revoked;                 /* revoked while the push was on its way: nothing changed */
	long long last_n;            /* with replay: the last accepted n */
	int stored;                  /* requests new to the server */
	char (*conflict_with)[40];   /* per reply conflict: the id holding its token, or "" when
	                                the stored request of that id differs; malloc'd */
} srv_db_push_result;

/* Opens DATA/server.db, creating it when create is set (else a missing file
 * is an error that says to run init), and migrates it. *out is NULL on
 * failure. */
int srv_db_open(srv_db **out, const char *dir, int create, char *err, size_t errlen);
void srv_db_close(srv_db *d);

/* The connection, for the modules that keep their own tables and queries in
 * the same file (srv_work, srv_auth, srv_stats). Same one-thread rule. */
struct sqlite3 *srv_db_sql(srv_db *d);

/* Settings ("public_url"). get: 1 found, 0 not set, -1 error. */
int srv_db_meta_set(srv_db *d, const char *key, const char *value, char *err, size_t errlen);
int srv_db_meta_get(srv_db *d, const char *key, char *out, size_t outlen);

/* Kiosks. add fails ("already registered") for a known id; revoke fails for
 * an unknown or already revoked one. get: 1 found, 0 unknown, -1 error. */
int srv_db_kiosk_add(srv_db *d, const char *id, const unsigned char key[ENV_PK_BYTES], long long now,
	char *err, size_t errlen);
int srv_db_kiosk_revoke(srv_db *d, const char *id, char *err, size_t errlen);
int srv_db_kiosk_get(srv_db *d, const char *id, srv_db_kiosk *out);
/* Calls each for every kiosk in id order; stops at a non-zero return. */
int srv_db_kiosk_list(srv_db *d, int (*each)(const srv_db_kiosk *k, void *arg), void *arg,
	char *err, size_t errlen);

/* Stores a push already checked against its signer, in one IMMEDIATE
 * transaction: the kiosk's counter, contact and clock offset, each request
 * (new: stored with a `synced` event at now; same content: nothing; other
 * content or a token another request holds: a conflict), the acknowledged
 * mark, and the events after the push's cursor into reply. A replay or a
 * failure changes nothing. reply->conflicts and ->events are malloc'd (free
 * with proto_free_reply), res->conflict_with with srv_db_push_result_free. */
int srv_db_store_push(srv_db *d, const proto_push *p, long long now, proto_reply *reply,
	srv_db_push_result *res, char *err, size_t errlen);
void srv_db_push_result_free(srv_db_push_result *res);

/* The page's facts for a canonical token: 1 found, 0 unknown (r->known 0),
 * -1 error. Overdue is judged against now in Vietnam time. */
int srv_db_lookup(srv_db *d, const char *token, long long now, page_request *r);

/* A request by its id, or by its token in any form a person types.
 * 1 found, 0 unknown, -1 error. */
int srv_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out);
void srv_db_request_free(srv_db_request *r);

/* Calls each for every event of a request, oldest first. 0 or -1. */
int srv_db_request_events(srv_db *d, const char *request_id,
	int (*each)(const proto_event *e, void *arg), void *arg);

/* The `update` command: a status as the officials' action that sets it
 * (srv_work.h: accepted is an acceptance, with its legal clock from cat and
 * calendar, which may be NULL), by the actor "cli", with a standard note
 * for the citizen when note is empty. Withdrawal is recorded as it is.
 * 0 with the new event's id, or -1 (refused or failed: err says why). */
int srv_db_update(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const char *status, const char *note, long long now, long long *event_id, char *err, size_t errlen);

/* Number of requests held, or -1 when the database does not answer. */
long long srv_db_count(srv_db *d);


#endif
