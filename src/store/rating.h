/* rating: citizens' satisfaction ratings (đánh giá mức độ hài lòng) in the
 * kiosk's store.
 *
 * A rating answers five criteria (rating_criterion), each with one of three
 * faces, and may carry a short comment. It is tied to what the citizen
 * holds: a queue ticket of the day (its field and number), a receipt code
 * (matched by its keyed hash, as a status lookup is: db_find_token), or
 * neither. One rating per ticket and per request: the store's unique
 * indexes refuse a second, whoever tries. A rating with neither is kept
 * apart (kind RATING_NONE) and at most RATING_NONE_PER_MINUTE are taken a
 * minute, so a kiosk cannot be used to stuff ratings. Each is one
 * BEGIN IMMEDIATE transaction, so the limit holds across processes. No
 * identity is kept: the ticket's or request's row id, its work field, the
 * counter that served it, the faces and the comment. Errors: int result,
 * caller-owned message. */
#ifndef MOTCUA_RATING_H
#define MOTCUA_RATING_H

#include <stddef.h>
#include "db.h"
#include "proto.h"

/* The criteria, in the order the kiosk asks them (docs/office.md cites
 * where they come from). */
typedef enum {
	RATING_RECEPTION,   /* how the dossier was received and guided */
	RATING_TIME,        /* the time it took, against the time promised */
	RATING_ATTITUDE,    /* the staff's attitude and conduct */
	RATING_RESULT,      /* the result given */
	RATING_OVERALL,     /* overall satisfaction */
	RATING_N_CRITERIA
} rating_criterion;

/* The faces: 1 not satisfied, 2 satisfied, 3 very satisfied. */
#define RATING_FACE_MIN 1
#define RATING_FACE_MAX 3

#define RATING_COMMENT_MAX 401   /* bytes with the NUL: about 130 Vietnamese words */
#define RATING_NONE_PER_MINUTE 3

typedef enum { RATING_NONE, RATING_TICKET, RATING_REQUEST } rating_kind;

/* What rating_give answers besides an error. */
enum {
	RATING_STORED = 0,
	RATING_DUPLICATE = 1,   /* that ticket or request was rated already */
	RATING_UNKNOWN = 2,     /* no such ticket today, or no such code */
	RATING_LIMITED = 3      /* too many ratings with neither this minute */
};

typedef struct {
	rating_kind kind;
	char day[11];            /* RATING_TICKET: the Vietnam date it was taken */
	char field[24];          /* RATING_TICKET: its work field */
	int number;              /* RATING_TICKET: its number */
	char code[16];           /* RATING_REQUEST: the receipt code as typed (canonical) */
	int faces[RATING_N_CRITERIA];
	char comment[RATING_COMMENT_MAX];
} rating_input;

/* Whether every face is in range and the comment valid UTF-8 without
 * control characters: 0, or -1 with err saying which. */
int rating_check(const rating_input *in, char *err, size_t errlen);

/* Stores in at time now: RATING_STORED, RATING_DUPLICATE, RATING_UNKNOWN or
 * RATING_LIMITED, or -1 with err. */
int rating_give(db *d, const rating_input *in, long long now, char *err, size_t errlen);

/* Whether in could be stored now, without storing it (the kiosk asks
 * before the questions, so nobody answers five for nothing): the same
 * answers as rating_give, RATING_STORED meaning it may be. rating_give
 * decides again when it stores. */
int rating_may_give(db *d, const rating_input *in, long long now, char *err, size_t errlen);

/* The ratings the server has not acknowledged, oldest first, at most max,
 * as the push carries them (proto.h; the comment stays here): *out
 * malloc'd (free it), *n how many. 0, or -1 with err. */
int rating_outbox(db *d, int max, proto_rating **out, int *n, char *err, size_t errlen);

/* Marks every rating up to id upto as pushed at now, inside the caller's
 * transaction when one is open (db_apply_reply's): 0, or -1. */
int rating_mark_pushed(db *d, long long upto, long long now);

/* Counts of stored ratings by kind, for the office and tests: 0, or -1. */
int rating_counts(db *d, int counts[3]);

#endif
