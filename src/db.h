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

typedef struct db db;

typedef struct {
	long long seq;           /* local sequence, 1, 2, ... */
	char id[40];             /* <commune>-<kiosk>-<sequence> */
	char token[16];          /* canonical receipt token */
	char category[32];
	char procedure[40];      /* empty unless an administrative procedure */
	long long received_at;   /* kiosk clock, Unix seconds */
	char deadline[11];       /* YYYY-MM-DD */
	char status[16];
	long long updated_at;
} db_request;

typedef struct {
	long long at;
	char status[16];
	char note[512];
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

#define DB_SCHEMA_VERSION 1

/* Opens (creating and migrating) dir/request.db. On failure *out is NULL and
 * err says why. */
int db_open(db **out, const char *dir, char *err, size_t errlen);
void db_close(db *d);

/* Stores a request, its first event and a fresh token in one transaction.
 * Returns 0 only after the commit is durable; out then holds the row. */
int db_submit(db *d, const db_submission *s, db_request *out, char *err, size_t errlen);

/* 1 found, 0 unknown, -1 error. */
int db_find_token(db *d, const char *token, db_request *out);

/* Up to max events of a request, oldest first; the count, or -1. */
int db_events(db *d, const char *request_id, db_event *out, int max);

/* Number of requests stored. -1 on error. */
long long db_count(db *d);

/* Testing hook: make every later write fail, as on a card gone read-only. */
void db_inject_readonly(db *d);

#endif
