/* queue: the office's queue numbers (số thứ tự) in the kiosk's store.
 *
 * A ticket is taken at the kiosk and called, recalled, skipped, sent to
 * another counter and closed from the office service's counter page; both
 * programs open the same request.db, so a ticket and its calls are rows
 * there, durable as a receipt is (WAL, synchronous=FULL) and carried
 * upstream by the kiosk's sync. Numbers run per work field per day (the
 * day is the caller's: the Vietnam date, vntime_date); each change is one
 * BEGIN IMMEDIATE transaction, so two counters calling at the same instant
 * never take the same ticket, and the kiosk taking a number never races a
 * counter. No identity is kept: a ticket is a field, a number, a priority
 * flag and its times. Errors: int result, caller-owned message. */
#ifndef MOTCUA_QUEUE_H
#define MOTCUA_QUEUE_H

#include <stddef.h>
#include "db.h"

#define QUEUE_FIELD_MAX 24

typedef enum { QUEUE_WAITING, QUEUE_CALLED, QUEUE_DONE, QUEUE_SKIPPED } queue_state;

typedef struct {
	long long id;
	char day[11];                /* YYYY-MM-DD, Vietnam date it was taken */
	char field[QUEUE_FIELD_MAX]; /* the catalog's work field id */
	int number;                  /* 1, 2, ... per field per day */
	int priority;                /* elderly, pregnant, disability (ND 118 Art. 13(2)(b)) */
	long long taken_at;
	queue_state state;
	int counter;                 /* called at, or sent to (waiting); 0: any counter of its field */
	long long called_at;         /* the latest call; 0: never called */
	long long first_called_at;
	int calls;                   /* calls and recalls */
} queue_ticket;

/* A call shown on the hall display: the latest events first. */
typedef struct {
	long long id;                /* raises with every call and recall */
	long long at;
	int counter;
	int recall;
	queue_ticket ticket;
} queue_call;

/* Takes the next number of field on day, priority or not, at time now. out
 * is the ticket as committed; *ahead how many of its field wait before it
 * (priority tickets wait only behind priority ones). 0, or -1 with err. */
int queue_take(db *d, const char *day, const char *field, int priority, long long now,
	queue_ticket *out, int *ahead, char *err, size_t errlen);

/* Counter `counter`, serving the comma-separated fields ("hotich,chungthuc"),
 * calls the next ticket of day: first one sent to it, then priority, then
 * the oldest. The ticket it was serving is closed as served in the same
 * transaction. 1 called (out, call filled), 0 nobody waiting, -1 err. */
int queue_call_next(db *d, const char *day, int counter, const char *fields, long long now,
	queue_ticket *out, queue_call *call, char *err, size_t errlen);

/* What the counter is serving now: 1 (out filled), 0 none, -1 error. */
int queue_current(db *d, const char *day, int counter, queue_ticket *out);

/* The counter's current ticket is called again (recall), marked not there
 * (skip), sent to counter `to` to wait there first (transfer) or closed as
 * served (close). 1 done, 0 the counter serves no ticket, -1 err. */
int queue_recall(db *d, const char *day, int counter, long long now, queue_call *call, char *err, size_t errlen);
int queue_skip(db *d, const char *day, int counter, long long now, char *err, size_t errlen);
int queue_transfer(db *d, const char *day, int counter, int to, long long now, char *err, size_t errlen);
int queue_close(db *d, const char *day, int counter, long long now, char *err, size_t errlen);

/* The newest calls of day with an id above `after`, newest first, at most
 * max; the count, or -1. */
int queue_calls(db *d, const char *day, long long after, queue_call *out, int max);

/* One call by its id: 1 (out filled), 0 unknown, -1 error. */
int queue_call_get(db *d, long long id, queue_call *out);

/* The highest call id of any day (0: none); -1 on error. */
long long queue_last_call(db *d);

/* Tickets of field waiting on day (field NULL: all fields); -1 on error. */
int queue_waiting(db *d, const char *day, const char *field);

/* Times of one field at one counter on one day, in seconds, no identity. */
typedef struct {
	char field[QUEUE_FIELD_MAX];
	int counter;
	int served;                  /* closed as served */
	int skipped;
	long long wait_total;        /* taken → first called, over served and skipped */
	long long wait_max;
	long long service_total;     /* called → closed, over served */
} queue_stat;

/* The day's figures per field and counter; the count of rows, or -1. */
int queue_stats(db *d, const char *day, queue_stat *out, int max);

/* The figures of the `days` Vietnam days up to the one of `now`, as push
 * rows for the sync (proto.h), malloc'd into *out (free with free); 0, or
 * -1. */
int queue_recent(db *d, long long now, int days, proto_queue_day **out, int *count);

/* The median time a served ticket of field took at a counter over the last
 * days (at most 200 tickets), in seconds; def when there are fewer than 3. */
long long queue_service_median(db *d, const char *field, long long def);

/* "A015": the field's prefix letter(s) and the number on three digits. */
void queue_label(const char *prefix, int number, char *out, size_t outlen);

const char *queue_state_name(queue_state s);

#endif
