/* srv_db: the upstream server's store, as its callers see it.
 *
 * It holds the registered kiosks (key, revoked, envelope counter, the
 * acknowledged mark, last contact and clock offset), every request the kiosks
 * pushed (the clear columns a status lookup needs, and the sealed identity as
 * the kiosk sent it), the status events that flow back to kiosks and phones,
 * the conflicts found, and a few settings. srv_work.h (the officials' work),
 * srv_auth.h (accounts and sessions) and srv_stats.h (the public figures) are
 * the rest of the same store, on the same handle.
 *
 * The handle is opaque and nothing here speaks SQL: each function is one
 * store operation, atomic on its own (a push is stored whole or not at all),
 * so callers never open or close a transaction. srv_db_open picks the
 * backend; today that is SQLite, DATA/server.db (srv_sqlite.h, the files
 * named *_sqlite.c), WAL with synchronous=FULL, migrated at open.
 *
 * A handle is one connection, so it must be used by one thread at a time:
 * the HTTP server opens one per thread. Writers in other threads or
 * processes (a staff `update` while the server runs) wait for each other
 * instead of failing. Errors: int result, caller-owned message. */
#ifndef MOTCUA_SRV_DB_H
#define MOTCUA_SRV_DB_H

#include <stddef.h>
#include "envelope.h"
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
	long long received_at;       /* the receipt time the server holds true (srv_db_trust) */
	long long received_server_at;
	char deadline[11];           /* as the kiosk sent it */
	char status[16];
	long long updated_at;
	unsigned char *sealed;       /* malloc'd; free with srv_db_request_free */
	size_t sealed_len;
	long long kiosk_received_at; /* the receipt time on the kiosk's clock, as sent */
	char due[11];                /* the deadline in force */
	int trust;                   /* SRV_DB_TRUST_* */
	char trust_note[160];        /* why, for staff */
} srv_db_request;

/* What the server found of a request's dates and code when it came, the
 * flags of srv_db_request.trust: staff see the flagged ones
 * (srv_db_flagged). */
#define SRV_DB_TRUST_CLOCK    1  /* the kiosk's clock was off: its receipt time corrected by the offset */
#define SRV_DB_TRUST_RECEIVED 2  /* the receipt time could not be true: the server's arrival time stands */
#define SRV_DB_TRUST_DEADLINE 4  /* the kiosk's deadline could not be true: the server's stands */
#define SRV_DB_TRUST_HELD     8  /* its receipt code is claimed by another kiosk's request too */
#define SRV_DB_TRUST_CHOSEN  16  /* its code was held, and a supervisor chose it as the genuine claimant */
#define SRV_DB_TRUST_NOT_CHOSEN 32 /* its code was held, and a supervisor chose another claimant:
                                      never shown for the code, still flagged for staff */
#define SRV_DB_TRUST_NOT_CHOSEN_SQL "32"
#define SRV_DB_TRUST_CODE     (SRV_DB_TRUST_HELD | SRV_DB_TRUST_CHOSEN | SRV_DB_TRUST_NOT_CHOSEN)
#define SRV_DB_TRUST_DATES    (SRV_DB_TRUST_CLOCK | SRV_DB_TRUST_RECEIVED | SRV_DB_TRUST_DEADLINE)

/* The server's decision on one request of a push (srv_sync.c decides):
 * the receipt time and deadline to hold, the flags and the reason. */
typedef struct {
	long long received_at;
	char due[11];
	int flags;
	char note[160];
} srv_db_trust;

/* Envelope numbers are remembered this far below a kiosk's last: a bundle
 * within it that was never seen is taken, one seen or older is a replay. */
#define SRV_DB_ENVELOPE_WINDOW 256

/* One request of a push the store refused to take. */
typedef struct {
	char id[40];
	char other[40];              /* the stored request holding its token, or "" when
	                                the stored request of that id differs */
	long long seq;
} srv_db_conflict;

/* What storing a push did with its ratings (srv_rating.h). */
typedef struct {
	int stored;                  /* new to the server */
	int duplicates;              /* that ticket, request or kiosk id was rated already */
	int refused;                 /* over the day's cap, or dated in the future */
	long long acked;             /* the highest id handled, -1 when the push carried none */
} srv_rating_push_result;

/* What storing a push did. The reply is the sync handler's (srv_sync.c). */
typedef struct {
	int replay;                  /* n was seen already (or older than the window): nothing changed */
	int late;                    /* n was below last_n but never seen: stored, the kiosk's
	                                counter, contact and offset left as they were */
	int revoked;                 /* unknown or revoked by the time the push was stored: nothing changed */
	long long last_n;            /* with replay: the last accepted n */
	int stored;                  /* requests new to the server */
	long long acked;             /* every seq 1..acked of the kiosk is now stored */
	srv_db_conflict *conflicts;  /* in the push's order; malloc'd */
	int nconflicts;
	srv_rating_push_result ratings;
} srv_db_push_result;

#define SRV_DB_FACTS_EVENTS 32

typedef struct {
	long long at;                /* Unix seconds, server clock */
	char status[16];
	char note[PROTO_NOTE_MAX];
} srv_db_note;

/* The stored facts of one request a citizen may see, as the phone page reads
 * them: no name, phone, citizen id or address has a place here. What they
 * mean today (overdue, ...) is the page's to decide. */
typedef struct {
	char token[16];              /* canonical, 13 characters */
	char category[32];
	char procedure[40];
	long long received_at;       /* kiosk clock */
	char due[11];                /* YYYY-MM-DD: the legal deadline in force */
	char status[16];
	long long updated_at;        /* time of the latest event */
	int accepted;                /* accepted (thụ lý): the deadline is then to resolve */
	int closed;                  /* an official closed it */
	char appointment[11];        /* a new date given after a delay, or "" */
	char apology[PROTO_NOTE_MAX];  /* the note that came with it */
	srv_db_note events[SRV_DB_FACTS_EVENTS];  /* the latest, oldest first */
	int nevents;
} srv_db_facts;

/* Opens the store at where, creating it when create is set (else a missing
 * one is an error that says to run init), and migrates it. where is the
 * data folder (SQLite: where/server.db); another backend will be chosen
 * here by its URL. *out is NULL on failure. */
int srv_db_open(srv_db **out, const char *where, int create, char *err, size_t errlen);
void srv_db_close(srv_db *d);
/* A PostgreSQL store opened to read only (a replica, srv_read.h): never
 * migrated, every transaction read-only. *out is NULL on failure. */
int srv_db_open_read(srv_db **out, const char *url, char *err, size_t errlen);

/* `store copy`: the SQLite store in the data folder dir, copied whole into
 * the empty PostgreSQL store at url (migrated to the same version first),
 * every id kept, in one transaction; told hears each table and its rows.
 * 0, or -1 with err and nothing written. */
int srv_db_copy(const char *dir, const char *url, int (*told)(const char *table, long long rows, void *arg),
	void *arg, char *err, size_t errlen);

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

/* Stores a push already checked against its signer, as one operation: the
 * kiosk's counter, contact and clock offset, each request (new: stored with
 * a `synced` event at now, and a dialogue question joined to its commune's
 * next conference; same content: nothing; other content or a token another
 * request of the same kiosk holds: a conflict, logged; a token a request of
 * another kiosk holds: stored, and both held, SRV_DB_TRUST_HELD) and the
 * acknowledged mark. trust (NULL: the kiosk's dates as sent) is one
 * decision per request, in the push's order. The counter and the
 * revocation are read again as part of it, so two copies of one envelope
 * racing in cannot both pass; a number below the last that was never seen
 * (bundles taken out of order) is stored as late. A replay, a revocation or
 * a failure changes nothing. Free res with srv_db_push_result_free. */
int srv_db_store_push(srv_db *d, const proto_push *p, const srv_db_trust *trust, long long now,
	srv_db_push_result *res, char *err, size_t errlen);

/* A flagged request, for staff. */
typedef struct {
	char id[40];
	char kiosk[ENV_SIGNER_MAX];
	char token[16];
	char category[32];
	long long received_at;       /* held true */
	long long kiosk_received_at; /* as the kiosk sent it */
	long long received_server_at;
	char deadline[11];           /* the kiosk's */
	char due[11];                /* in force */
	int trust;
	char note[160];
} srv_db_flag;

/* The requests with any of the flags in mask (SRV_DB_TRUST_DATES: dates
 * that could not be true; SRV_DB_TRUST_HELD: codes claimed twice, each
 * code's claimants together), of one commune ("" or NULL: all), by token
 * then id, from offset, at most limit (1..500), each to each. 0 or -1. */
int srv_db_flagged(srv_db *d, int mask, const char *commune, int offset, int limit,
	int (*each)(const srv_db_flag *f, void *arg), void *arg, char *err, size_t errlen);
void srv_db_push_result_free(srv_db_push_result *res);

/* The events of a kiosk's requests after event id cursor, oldest first, at
 * most limit, each to each (a non-zero return stops). 0 or -1. */
int srv_db_kiosk_events(srv_db *d, const char *kiosk, long long cursor, int limit,
	int (*each)(const proto_event *e, void *arg), void *arg, char *err, size_t errlen);

/* The facts of a request by its canonical token, from one snapshot: 1 found,
 * 0 unknown, SRV_DB_HELD when the code is claimed by two kiosks' requests
 * (neither is shown: out holds only the token), -1 error. */
#define SRV_DB_HELD 2
int srv_db_lookup(srv_db *d, const char *token, srv_db_facts *out);

/* A request by its id, or by its token in any form a person types (a code
 * claimed twice: the first claimant by id). 1 found, 0 unknown, -1 error. */
int srv_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out);
void srv_db_request_free(srv_db_request *r);

/* The sealed forms of the requests ids[0..n-1] (n at most
 * SRV_DB_SEALED_MAX), read at once: each(i, sealed, len, arg) for every one
 * found, i its place in ids, in no order; the bytes live during the call
 * only, and each returning nonzero stops. 0, or -1 when the store failed. */
#define SRV_DB_SEALED_MAX 64
int srv_db_sealed_each(srv_db *d, const char *const *ids, int n,
	int (*each)(int i, const unsigned char *sealed, size_t len, void *arg), void *arg);

/* Calls each for every event of a request, oldest first. 0 or -1. */
int srv_db_request_events(srv_db *d, const char *request_id,
	int (*each)(const proto_event *e, void *arg), void *arg);

/* Number of requests held, or -1 when the store does not answer. */
long long srv_db_count(srv_db *d);

#endif
