/* file: filing one request, from the citizen's fields to the stored record.
 *
 * The one way a request is filed: the fields are normalised (a phone or
 * citizen id as digits only), sealed to the upstream server's key, given
 * their deadline, and stored. The deadline is decided once, by
 * file_plan_make, when the citizen reaches review: review shows the plan's
 * date and file_request stores that same date. A plan holds for the day it
 * was made; filed on another day (review left open past midnight), it is
 * refused as stale, so the date the citizen saw is never a date that was
 * not stored. Errors: int result, caller-owned message. */
#ifndef MOTCUA_FILE_H
#define MOTCUA_FILE_H

#include <stddef.h>
#include <time.h>
#include "cal.h"
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "seal.h"

/* What is being filed and when it is due. */
typedef struct {
	const catalog_category *category;
	const catalog_procedure *procedure;   /* NULL: the category's own deadline */
	long long planned_at;                 /* Unix seconds the deadline counts from */
	char deadline[11];                    /* YYYY-MM-DD */
	int conference;                       /* a dialogue question: the deadline is the day of
	                                         the next conference the kiosk knows of */
	int sms_consent;                      /* the citizen ticked "text me" at review: sealed
	                                         as "sms_consent":"1" with a phone (docs/sms.md);
	                                         off whenever a plan is made */
} file_plan;

/* Where a request goes; all borrowed. */
typedef struct {
	const config *cfg;                    /* the commune's code, the kiosk's number */
	const catalog *cat;                   /* the fields' names and kinds */
	db *store;                            /* NULL: nothing can be stored */
	const seal_server_key *server_key;    /* NULL: nothing can be sealed */
} file_office;

enum { FILE_OK = 0, FILE_FAILED = -1, FILE_STALE = 1, FILE_STORE_FAILED = -2 };

/* Decides the deadline of a request of this kind received at now. */
void file_plan_make(file_plan *p, const catalog_category *category, const catalog_procedure *procedure,
	const cal *calendar, time_t now);

/* A dialogue question is answered at the next leader-citizen conference,
 * not after a number of days (docs/legal-clocks.md): its deadline becomes
 * that conference's day, Vietnam time (UTC+7, as the server counts it). */
void file_plan_conference(file_plan *p, long long conference_at);

/* Files a request: fields holds CATALOG_FIELDS values (those the category
 * hides are not stored). FILE_OK and *out the stored request; FILE_STALE
 * when the plan was made on another day than now (make it again, show it,
 * and file again); FILE_STORE_FAILED with err when the store refused it
 * (a full disk, a file changed under it: open it again); FILE_FAILED with
 * err otherwise. The sealed text is wiped. */
int file_request(const file_office *o, const file_plan *p, const char *const fields[], time_t now,
	db_request *out, char *err, size_t errlen);

#endif
