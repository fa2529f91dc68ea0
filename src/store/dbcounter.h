/* dbcounter: what the office's counter does with a request filed at this
 * kiosk, in the kiosk's store, for the counter page to call.
 *
 * What the kiosk prints is a pre-registration slip. At the counter, on the
 * office's own network and with or without the upstream server, an officer
 * scans the slip's code and records one of: the complete dossier accepted,
 * with the provincial system's dossier number (mã số hồ sơ) and whether the
 * procedure's longer time for verification applies; the one written list of
 * missing papers; the signed letter (đơn) of a complaint or denunciation
 * received. Each is stored in one IMMEDIATE transaction with a status event
 * the kiosk's screens show at once, numbered for the next push (so signed
 * by the kiosk), and acknowledged by the server by number. The legal dates
 * are the caller's (catalog_counter_due); the rules here are the ones about
 * state: an unknown code, a request closed, withdrawn or already accepted,
 * a dossier number in another format or held by another request are
 * refused with a message saying so, and nothing changes. Two counters at
 * once: the first to commit wins, the second is told what it found.
 * Errors: 0 done, 1 refused (err says why), -1 the store failed. */
#ifndef MOTCUA_DBCOUNTER_H
#define MOTCUA_DBCOUNTER_H

#include <stddef.h>
#include "db.h"
#include "proto.h"

typedef struct {
	const char *code;        /* the slip's code as scanned or typed (any form token_parse reads) */
	const char *kind;        /* "accepted", "supplement", "letter" */
	long long at;            /* the kiosk's clock */
	const char *dossier;     /* accepted: the dossier number (valid_dossier) */
	int verify;              /* accepted: the longer time, verification needed */
	const char *text;        /* supplement: the list of what is missing */
	const char *due;         /* YYYY-MM-DD the counter's paper gives (catalog_counter_due) */
} dbcounter_step;

/* Why a step was refused, for a page in the officer's language (err has
 * the same in English, for the log). */
typedef enum {
	DBCOUNTER_FORM,              /* the step itself is malformed (the page's fault) */
	DBCOUNTER_NOT_CODE,          /* not a receipt code */
	DBCOUNTER_UNKNOWN,           /* no request with that code here */
	DBCOUNTER_CLOSED,            /* resolved, rejected or withdrawn: detail is the status */
	DBCOUNTER_ACCEPTED,          /* accepted already: when, detail the dossier number */
	DBCOUNTER_LETTER_TWICE,      /* the letter marked already: when */
	DBCOUNTER_SUPPLEMENT_TWICE,  /* missing papers asked for already: when */
	DBCOUNTER_DOSSIER_MISSING,
	DBCOUNTER_DOSSIER_FORM,      /* not a dossier number: detail is what was typed */
	DBCOUNTER_DOSSIER_TAKEN,     /* held by another request: detail is the number */
	DBCOUNTER_LIST_MISSING,
	DBCOUNTER_AT_ONCE            /* another counter at the same moment */
} dbcounter_why;

typedef struct {
	dbcounter_why why;
	char when[11];               /* YYYY-MM-DD or "" */
	char detail[48];
} dbcounter_refusal;

/* Records a step; out (may be NULL) then holds the request as it stands,
 * its due the date given. On a refusal (1), rf (may be NULL) says why. */
int dbcounter_record(db *d, const dbcounter_step *s, db_request *out, dbcounter_refusal *rf,
	char *err, size_t errlen);

/* What the counter recorded of one request. */
typedef struct {
	int accepted;            /* with dossier, verify, accepted_at */
	char dossier[PROTO_DOSSIER_MAX];
	int verify;
	long long accepted_at;
	int letter;              /* the signed letter received, at letter_at */
	long long letter_at;
	int supplement;          /* the missing papers asked for */
} dbcounter_state;

/* 0, or -1 with err. */
int dbcounter_state_of(db *d, const char *request_id, dbcounter_state *out, char *err, size_t errlen);

/* The events the server has not acknowledged, by id, at most max (<= 0:
 * PROTO_COUNTER_MAX), for requests up to seq last_seq (those the same push
 * carries or the server holds). *out is malloc'd (free()). 0 or -1. */
int dbcounter_outbox(db *d, long long last_seq, int max, proto_counter **out, int *count, char *err, size_t errlen);

/* Events not yet acknowledged. -1 on error. */
long long dbcounter_pending(db *d);

#endif
