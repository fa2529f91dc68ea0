/* db: the kiosk's SQLite store of requests and their status events.
 *
 * One file, request.db, in the data folder; WAL with synchronous=FULL, so a
 * commit that returned is on disk. The schema is versioned with
 * PRAGMA user_version and migrated at open. What a citizen typed is stored
 * only sealed to the server's key (see seal.h): the clear columns hold just
 * what a status lookup needs. Errors: int result, caller-owned message. */
#ifndef MOTCUA_DB_H
#define MOTCUA_DB_H

#include <stddef.h>
#include <time.h>
#include "status.h"
#include "proto.h"
#include "seal.h"

typedef struct db db;

typedef struct {
	long long seq;           /* local sequence, 1, 2, ... */
	char id[40];             /* <commune>-<kiosk>-<sequence> */
	char token[16];          /* the receipt code: from db_submit (drawn then, never stored in
	                            clear) or the one db_find_token was given; "" otherwise */
	char category[32];
	char procedure[40];      /* empty unless an administrative procedure */
	long long received_at;   /* kiosk clock, Unix seconds */
	char deadline[11];       /* YYYY-MM-DD, as on the receipt (what was sent upstream) */
	char due[11];            /* the deadline in force: the latest an office event set, else deadline;
	                            "" when the latest took it away (event undated) */
	char status[16];
	long long updated_at;
} db_request;

typedef struct {
	long long at;
	char status[16];
	char note[PROTO_NOTE_MAX];  /* the office's note for the citizen */
	char deadline[11];          /* a new deadline or appointment date it set, or "" */
	int undated;                /* it took the date away (proto_event.undated) */
} db_event;

/* What a submission stores. */
typedef struct {
	const char *commune_code;
	int kiosk_number;
	const char *category;
	const char *procedure;   /* NULL or "" */
	time_t received_at;
	const char *deadline;
	const unsigned char *sealed;
	size_t sealed_len;
} db_submission;

/* Where sync stands, for the screens and `motcua-sync status`. Times of
 * replies are the server's clock (right even when the kiosk's is not);
 * attempts are the kiosk's. */
typedef struct {
	long long pending;       /* requests the server has not acknowledged */
	long long acked;         /* every seq up to this one is stored upstream */
	long long cursor;        /* the last server event applied */
	long long envelope_n;    /* the last envelope counter taken */
	long long last_success;  /* server clock of the last reply applied; 0: never */
	long long last_events;   /* server clock of the last reply that brought events; 0: none */
	long long last_attempt;  /* kiosk clock; 0: never tried */
	char last_error[512];    /* why the last attempt failed; "" if it succeeded */
	long long clock_offset;  /* server clock minus kiosk clock, seconds */
	int clock_known;         /* 0 until a sync over the network measured it */
	long long clock_behind;  /* seconds the wall clock was behind the kiosk's at its last filing; 0: not */
	long long clock_behind_at;  /* when that filing was, kiosk clock */
} db_sync_state;

/* What applying one reply changed. */
typedef struct {
	int inserted;            /* events new to this kiosk */
	int skipped;             /* already here, or for a request this kiosk does not hold */
	long long acked_before, acked;
	long long cursor;
	int stale;     /* older than a reply already applied: its whole-replacement
	                  parts (files, conferences, figures, last sync) were left alone */
} db_applied;

/* The count of dbschema_migrations (dbschema.c asserts it at compile time). */
#define DB_SCHEMA_VERSION 9

/* Opens (creating and migrating) dir/request.db. server is the server key
 * the kiosk is configured with: receipt codes are stored only hashed under
 * it and sealed to it, so without it (NULL) nothing can be filed or looked
 * up by code, and a store from before version 5 holding codes in clear
 * cannot be converted (err says so). On failure *out is NULL and
 * err says why. What was opened is recorded (dbfile.h): a submission is
 * refused, with err saying what changed, once the file at the path is not
 * that one any more, and the store must then be closed and opened again. */
int db_open(db **out, const char *dir, const seal_server_key *server, char *err, size_t errlen);
void db_close(db *d);

/* Stores a request, its first event and a fresh receipt code in one
 * transaction; the code is kept only as its keyed hash and sealed to the
 * server. Returns 0 only after the commit is durable; out then holds the
 * row and the code in clear, for the receipt (which is its only copy). */
int db_submit(db *d, const db_submission *s, db_request *out, char *err, size_t errlen);

/* The request whose code is token (canonical): the hash of each stored
 * request is compared with the typed code's under that request's id.
 * 1 found, 0 unknown, -1 error. */
int db_find_token(db *d, const char *token, db_request *out);

/* The newest max events of a request, oldest first (the kiosk's own
 * "received" first, then the server's in the server's order); the count, or
 * -1. */
int db_events(db *d, const char *request_id, db_event *out, int max);

/* The outbox: requests the server has not acknowledged, in seq order, from
 * after seq `after` when that is higher (a bundle after the previous one), at
 * most max of them (max <= 0: all). *out (malloc'd, sealed copied) is freed
 * with db_free_requests. 0, or -1 with err. */
int db_outbox(db *d, long long after, int max, proto_request **out, int *count, char *err, size_t errlen);
void db_free_requests(proto_request *r, int count);

/* Takes the next envelope counter. It is committed (durably) before this
 * returns, so an envelope sent or exported afterwards never reuses it, even
 * across a power cut. 0, or -1 with err. */
int db_next_envelope(db *d, long long *n, char *err, size_t errlen);

/* Applies a server reply in one transaction: raises the acknowledged mark
 * (never lowers it), inserts each event keyed by its server id (repeats and
 * events of unknown requests are skipped), sets each touched request's
 * status to its latest event's (and its deadline in force to the latest
 * one an event set), replaces the dialogue conferences with the reply's
 * list, keeps the commune's figures when the reply has them, moves the
 * cursor forward and records the sync. sent and received are the kiosk's clock around the exchange; when
 * sent is 0 (a reply carried on a USB stick) the clock offset is left as it
 * was. out may be NULL. 0, or -1 with err and nothing changed. */
int db_apply_reply(db *d, const proto_reply *r, long long sent, long long received,
	db_applied *out, char *err, size_t errlen);

/* Records a failed attempt at kiosk time `at`, with a plain reason (no
 * personal data); nothing else changes. 0 or -1 with err. */
int db_sync_failed(db *d, long long at, const char *reason, char *err, size_t errlen);

/* Reads where sync stands. 0, or -1 with err. */
int db_read_sync_state(db *d, db_sync_state *out, char *err, size_t errlen);

/* The latest received_at stored (0 when none): no receipt is dated
 * earlier than one already given. 0, or -1 with err. */
int db_last_received(db *d, long long *out, char *err, size_t errlen);

/* Records that the kiosk's wall clock was `behind` seconds behind its
 * running clock (0: right again) when filing at `at`; the staff menu and
 * the self-check show it (db_sync_state). 0, or -1 with err. */
int db_clock_behind(db *d, long long behind, long long at, char *err, size_t errlen);

/* Number of requests stored. -1 on error. */
long long db_count(db *d);

/* How many requests are in each status (status_names order; a status
 * this kiosk does not know is not counted) and how many are open and past
 * their deadline in force on day today (YYYY-MM-DD). For the staff menu:
 * numbers only. 0, or -1 with err. */
typedef struct {
	long long by_status[16];
	long long overdue;
	long long total;
} db_counts;
int db_count_by_status(db *d, const char *today, db_counts *out, char *err, size_t errlen);

/* ---- what the sync brings besides events ---- */

/* The next dialogue conference starting at or after `from` (Unix seconds):
 * 1 found, 0 none announced, -1 error. */
int db_next_conference(db *d, long long from, proto_conference *out);

/* The commune's figures from the last reply that carried them (known 0 when
 * none yet). 0 or -1. */
int db_read_stats(db *d, proto_stats *out);


/* ---- for the store's own modules (dbcounter) ----
 * The check that the file at the store's path is still the one opened,
 * made before a commit that a paper will depend on (the connection itself:
 * dbmeta.h, db_connection). */
int db_check_file(db *d, char *err, size_t errlen);

/* Testing hook: make every later write fail, as on a card gone read-only. */
void db_inject_readonly(db *d);

#endif
