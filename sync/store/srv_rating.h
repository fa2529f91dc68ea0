/* srv_rating: satisfaction ratings (đánh giá mức độ hài lòng) in the
 * server's store, from kiosks' pushes and from the phone page.
 *
 * A rating is five faces (1 not satisfied, 2 satisfied, 3 very satisfied),
 * one per criterion, and what it rates: a queue ticket (its kiosk, day,
 * field and number), a request (its id), or neither. No identity: the
 * store holds no name, code, phone or comment. Each ticket and request is
 * rated once, whichever way the rating comes: the store's unique indexes
 * refuse a second (a replayed or resent push, the phone page after the
 * kiosk). A kiosk's ratings are kept by its own ids, so a resend changes
 * nothing; at most SRV_RATING_KIOSK_DAY_CAP are taken from one kiosk for
 * one day (what one counter hall can give in a day many times over), and
 * none dated after the server's tomorrow, so a kiosk whose key is used to
 * stuff ratings moves the figures little. Those refused are acknowledged
 * all the same (a resend would be refused again) and logged. */
#ifndef MOTCUA_SRV_RATING_H
#define MOTCUA_SRV_RATING_H

#include <stddef.h>
#include "proto.h"
#include "srv_db.h"

#define SRV_RATING_KIOSK_DAY_CAP 400

/* The push's ratings, inside the push's transaction (srv_db_store_push):
 * 0, or -1 (the caller rolls back). */
int srv_rating_put_push(srv_db *d, const proto_push *p, long long now, srv_rating_push_result *res);

/* A rating from the phone page of request_id (commune, field: the
 * request's): 0 stored, 1 the request was rated already, -1 with err. */
int srv_rating_put_phone(srv_db *d, const char *request_id, const char *commune, const char *field,
	const int faces[PROTO_RATING_CRITERIA], long long now, char *err, size_t errlen);

/* Whether request_id has a rating: 1, 0, or -1. */
int srv_rating_given(srv_db *d, const char *request_id);

/* The ratings given since from_day (YYYY-MM-DD), counted per commune, work
 * field, counter and whether they name a ticket or request (kind 0 is
 * neither, counted apart), in that order, each to each (non-zero stops:
 * out of memory); satisfied[k]: how many answered criterion k with 2 or 3.
 * One row per single rating when single is set (the CSV export), n 1. */
typedef struct {
	char commune[6];
	char field[24];
	int counter;
	int neither;                 /* kind 0: neither ticket nor request */
	char day[11];                /* single: its day */
	char source[8];              /* single: "kiosk" or "phone" */
	int faces[PROTO_RATING_CRITERIA]; /* single: its faces */
	long long n;
	long long satisfied[PROTO_RATING_CRITERIA];
} srv_rating_row;
int srv_rating_rows(srv_db *d, const char *from_day, int single,
	int (*each)(const srv_rating_row *r, void *arg), void *arg, char *err, size_t errlen);

#endif
