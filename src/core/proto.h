/* proto: the sync protocol's two messages, as C structs and as JSON.
 *
 * A kiosk sends a push (its requests that the server has not acknowledged,
 * its pull cursor, its clock); the server answers with a reply (the
 * acknowledged high-water mark, status events after the cursor, newer
 * catalog and holiday files, its own clock). Both travel as the payload of a
 * signed envelope (envelope.h). Decoding is strict: every field is checked
 * for type, size and form, so nothing malformed reaches either database; the
 * error names the field ("requests[3].deadline: not a date"). The same
 * decoder serves HTTP and USB bundles. See docs/protocol.md. */
#ifndef MOTCUA_PROTO_H
#define MOTCUA_PROTO_H

#include <stddef.h>
#include "seal.h"

#define PROTO_VERSION 1          /* of a reply, and of a push that carries codes in clear */
#define PROTO_PUSH_VERSION 2     /* of a push that carries codes sealed (what kiosks send) */
#define PROTO_BATCH 500          /* requests in one push over HTTP */
#define PROTO_BUNDLE 10000       /* requests in one USB bundle: about 4 MB, well under ENV_MAX_BYTES */
#define PROTO_EVENTS 1000        /* events in one reply */
#define PROTO_NOTE_MAX 2048      /* bytes of a note for the citizen, with its NUL */
#define PROTO_SEALED_MAX 65536   /* bytes of one sealed identity */
#define PROTO_FILE_MAX (1u << 20) /* catalog or holiday file */

typedef struct {
	char id[40];                 /* <kiosk id>-<seq, 6 digits or more> */
	long long seq;
	char token[16];              /* the code in clear: a version 1 push's, or the
	                                server's once it opened token_sealed; "" at the kiosk */
	unsigned char token_sealed[SEAL_CODE_SEALED_BYTES]; /* the code sealed to the server */
	int has_token_sealed;        /* a version 2 push's requests have it */
	char category[32];
	char procedure[40];
	long long received_at;       /* the kiosk's clock */
	char deadline[11];           /* YYYY-MM-DD */
	unsigned char *sealed;       /* malloc'd */
	size_t sealed_len;
} proto_request;

/* The office's queue figures of one day, one work field, one counter:
 * counts and sums of seconds, no identity (queue.h). A push carries the
 * last PROTO_QUEUE_DAYS days' rows each time; the server replaces what it
 * held for that kiosk, day, field and counter, so a resend changes
 * nothing. */
#define PROTO_QUEUE_DAYS 7
#define PROTO_QUEUE_ROWS 1024
typedef struct {
	char day[11];                /* YYYY-MM-DD, Vietnam */
	char field[24];
	int counter;
	long long served, skipped;
	long long wait_total, wait_max, service_total;   /* seconds */
} proto_queue_day;
/* What the office's counter did with a request filed at this kiosk,
 * recorded in the kiosk's store and carried upstream in the next push (so
 * signed by the kiosk). Numbered by the kiosk, 1, 2, ...; the server
 * acknowledges them by number (proto_reply.counter_acked). */
#define PROTO_COUNTER_MAX 500    /* counter events in one push */
#define PROTO_DOSSIER_MAX 32     /* bytes of a dossier number, with its NUL */
typedef struct {
	long long id;
	char request[40];            /* request id of this kiosk */
	char kind[16];               /* "accepted", "supplement", "letter" (the signed letter received) */
	long long at;                /* the kiosk's clock */
	char dossier[PROTO_DOSSIER_MAX]; /* accepted: the provincial dossier number (valid_dossier) */
	int verify;                  /* accepted: the procedure's longer time, verification needed */
	char text[PROTO_NOTE_MAX];   /* supplement: the one written list of what is missing */
} proto_counter;

/* A satisfaction rating given at the kiosk (rating.h), carried upstream
 * until the server acknowledges it by id (proto_reply.ratings_acked): the
 * five faces and what it rates, named by the ticket's field and number or
 * the request's id, never by a person. The comment stays at the kiosk. */
#define PROTO_RATINGS_MAX 500    /* ratings in one push */
#define PROTO_RATING_CRITERIA 5
typedef struct {
	long long id;                /* the kiosk's, 1, 2, ... */
	int kind;                    /* 0 neither, 1 a ticket, 2 a request */
	char day[11];                /* YYYY-MM-DD, Vietnam, the day it was given */
	long long at;                /* the kiosk's clock */
	char field[24];              /* the work field ("" when unknown) */
	int counter;                 /* the counter that served the ticket, 0 unknown */
	int number;                  /* kind 1: the ticket's number */
	char request[40];            /* kind 2: the request's id */
	int faces[PROTO_RATING_CRITERIA]; /* 1 not satisfied, 2 satisfied, 3 very satisfied */
} proto_rating;

typedef struct {
	int v;                       /* PROTO_PUSH_VERSION (0 when encoding means it), or 1: codes in clear */
	char kiosk[16];
	long long n;                 /* envelope counter: each push a new, larger n */
	long long clock;             /* the kiosk's clock when it sent */
	long long from, to;          /* the sequence range sent; from > to when none */
	proto_request *requests;
	int nrequests;
	long long cursor;            /* the last server event id the kiosk holds */
	char catalog_sha256[65];     /* of the files the kiosk holds ("" for none) */
	char holidays_sha256[65];
	proto_queue_day *queue;      /* malloc'd; absent from older kiosks */
	int nqueue;
	proto_counter *counter;      /* not yet acknowledged, by id; malloc'd; absent before them */
	int ncounter;
	proto_rating *ratings;       /* not yet acknowledged, by id; malloc'd; absent before them */
	int nratings;
} proto_push;

typedef struct {
	long long id;                /* server event id, increasing */
	char request[40];            /* request id */
	long long at;                /* server clock */
	char status[16];
	char note[PROTO_NOTE_MAX];
	char deadline[11];           /* a new deadline or appointment date this event sets
	                                (acceptance, extension, apology): YYYY-MM-DD, or "" */
	int undated;                 /* 1: the event takes the date away (a dialogue question
	                                whose conference was cancelled, none other announced):
	                                no date is in force until an event sets one; deadline "" */
} proto_event;

#define PROTO_CONFERENCES 8      /* upcoming dialogue conferences in one reply */
#define PROTO_TEXT_MAX 512       /* bytes of a conference's place, leaders or topic */

/* A leader-citizen dialogue conference announced for the kiosk's commune. */
typedef struct {
	long long id;                /* server id */
	long long at;                /* start, Unix seconds */
	char place[PROTO_TEXT_MAX];
	char leaders[PROTO_TEXT_MAX];
	char topic[PROTO_TEXT_MAX];
} proto_conference;

/* The kiosk's commune's public figures for the year so far, as /stats shows
 * them: a count under the suppression threshold is -1 (not shown). */
typedef struct {
	int known;                   /* 0: the server sent none */
	int year;
	long long resolved;          /* requests resolved this year */
	long long on_time;           /* of which by their deadline */
} proto_stats;

typedef struct {
	char kiosk[16];
	long long n;                 /* the push this answers */
	long long server_time;
	long long acked;             /* every seq up to this one is stored upstream */
	char (*conflicts)[40];       /* ids refused: same id, other content */
	int nconflicts;
	proto_event *events;
	int nevents;
	long long cursor;            /* pass this back next time */
	int more;                    /* more events wait after cursor */
	char *catalog;               /* newer file text, or NULL */
	char *holidays;
	proto_conference *conferences; /* upcoming, soonest first; malloc'd */
	int nconferences;
	proto_stats stats;
	long long counter_acked;     /* every counter event up to this id is applied upstream;
	                                -1: the server said nothing of them (older servers) */
	long long ratings_acked;     /* every rating up to this id is handled upstream (stored,
	                                a duplicate, or refused by the cap); -1: nothing said */
} proto_reply;

/* 1 if kind is a counter event's kind. */
int proto_counter_kind(const char *kind);


/* JSON text (malloc'd), or NULL when out of memory. */
char *proto_encode_push(const proto_push *p);
char *proto_encode_reply(const proto_reply *r);

/* 0, or -1 with the offending field in err. The caller frees with
 * proto_free_push / proto_free_reply in both cases. */
int proto_decode_push(const char *json, size_t len, proto_push *out, char *err, size_t errlen);
int proto_decode_reply(const char *json, size_t len, proto_reply *out, char *err, size_t errlen);

void proto_free_push(proto_push *p);
void proto_free_reply(proto_reply *r);

/* SHA-256 of a file's bytes as lowercase hex (out: 65 bytes). */
void proto_sha256_hex(const void *data, size_t len, char out[65]);

#endif
