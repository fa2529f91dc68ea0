/* catalog: what a citizen can file, read from assets/catalog.json.
 *
 * The catalog lists the form fields, the six categories (which fields each
 * needs, its legal clock, what it must tell the citizen) and the
 * commune-level administrative procedures with their processing times. It is
 * data so that the upstream office can update it without a new build. Texts
 * come in both languages: index them with lang (0 Vietnamese, 1 English). */
#ifndef MOTCUA_CATALOG_H
#define MOTCUA_CATALOG_H

#include <stddef.h>
#include <time.h>
#include "cal.h"
#include "legal.h"

#define CATALOG_FIELDS 7
#define CATALOG_MAX_CATEGORIES 12
#define CATALOG_MAX_PROCEDURES 64

typedef enum { LANG_VI = 0, LANG_EN = 1 } lang;

typedef enum { FIELD_HIDDEN, FIELD_OPTIONAL, FIELD_REQUIRED } field_need;
typedef enum { FIELD_TEXT, FIELD_PHONE, FIELD_CITIZEN_ID, FIELD_MULTILINE, FIELD_DATE } field_kind;
typedef enum { DEADLINE_PROCEDURE, DEADLINE_WORKING_DAYS, DEADLINE_DAYS } deadline_kind;

typedef struct {
	char name[16];           /* full_name, phone, citizen_id, birth_date, address, subject, details */
	field_kind kind;
	int max_chars;
	char label[2][64];
	char short_label[2][32];  /* for the form's field tabs */
} catalog_field;

typedef struct {
	char id[32];
	char name[2][96];
	char hint[2][128];
	field_need need[CATALOG_FIELDS];      /* by field index */
	char field_label[CATALOG_FIELDS][2][64]; /* overrides; empty: the field's own */
	legal_clock clock;       /* the law's time limits ("clock"; see legal.h) */
	deadline_kind deadline;  /* what the receipt's date counts, derived from the clock; */
	int deadline_n;          /* older kiosks read it from the "deadline" members */
	char deadline_note[2][256];
	char notice[2][400];     /* shown on the form, e.g. confidentiality */
	char notice_short[2][160]; /* the same in a line or two, where larger text leaves no room */
} catalog_category;

#define CATALOG_MAX_PAPERS 8
#define CATALOG_PORTAL_URL "https://dichvucong.gov.vn/p/home/dvc-danh-sach-dich-vu-cong.html?ma_tt="

typedef struct {
	char id[40];
	char name[2][96];
	int working_days;        /* -1 when counted in calendar days */
	int calendar_days;
	int cutoff_hour;         /* same-day procedures: after this hour, next working day */
	/* What a citizen is told before filing (ND 118/2025 Art. 8, 16):
	 * the papers to bring, the fee, where it is handled, and the
	 * procedure's code on the national public-service portal ("" when it
	 * has none there). */
	char portal_code[16];
	char papers[CATALOG_MAX_PAPERS][2][200];
	int npapers;
	char fee[2][160];
	char where[2][160];
	int verify_working_days; /* the longer time when verification is needed, chosen by
	                            the officer at acceptance; -1: none */
} catalog_procedure;

/* A field of work at the office's counters (hộ tịch, chứng thực, đất đai,
 * ...): queue numbers run per field, and each field is served at its
 * counters. The catalog's "queue_fields" list; none: no queue numbers. */
#define CATALOG_MAX_QUEUE_FIELDS 12
#define CATALOG_MAX_COUNTERS 8      /* counters one field is served at */
#define CATALOG_COUNTER_MAX 99      /* the highest counter number */
typedef struct {
	char id[24];
	char prefix[4];          /* before the number: "A" for A015 */
	char name[2][64];
	int counters[CATALOG_MAX_COUNTERS];
	int ncounters;
} catalog_queue_field;

typedef struct catalog {
	char version[32];
	catalog_field fields[CATALOG_FIELDS];
	catalog_category categories[CATALOG_MAX_CATEGORIES];
	int ncategories;
	catalog_procedure procedures[CATALOG_MAX_PROCEDURES];
	int nprocedures;
	catalog_queue_field queue_fields[CATALOG_MAX_QUEUE_FIELDS];
	int nqueue_fields;
} catalog;

/* Reads a catalog file into c. 0, or -1 with a message naming the file and
 * the entry at fault. */
int catalog_load(const char *path, catalog *c, char *err, size_t errlen);
int catalog_load_string(const char *json, catalog *c, char *err, size_t errlen);

const catalog_category *catalog_category_by_id(const catalog *c, const char *id);
const catalog_procedure *catalog_procedure_by_id(const catalog *c, const char *id);
int catalog_field_index(const char *name);   /* -1 if unknown */

const catalog_queue_field *catalog_queue_field_by_id(const catalog *c, const char *id);
/* The ids of the fields served at counter, comma-separated, into out; the
 * number of fields (0: the counter serves none). */
int catalog_counter_fields(const catalog *c, int counter, char *out, size_t outlen);
/* The highest counter number any field is served at (0: none). */
int catalog_counters(const catalog *c);

/* The label of field i on category cat's form. */
const char *catalog_field_label(const catalog *c, const catalog_category *cat, int i, lang l);

/* The procedure's page on the national portal, into out; 0, or -1 when
 * it has no portal code (out is then ""). */
int catalog_portal_url(const catalog_procedure *p, char *out, size_t outlen);

/* A procedure's processing time as a legal span. */
legal_span catalog_procedure_span(const catalog_procedure *p);

/* The longer time of a procedure whose facts must be verified, counted
 * from acceptance like its usual one: 0 with *out, or -1 when it has none. */
int catalog_procedure_verify_span(const catalog_procedure *p, legal_span *out);

/* The date the counter's paper gives when the counter records kind for a
 * request of this category (and procedure) on day at hour, in the
 * commune's time:
 *   "accepted"   the complete dossier accepted (categories whose clock the
 *                counter starts): the procedure's time from then, its
 *                longer one when verify;
 *   "letter"     the signed letter received (categories whose clock it
 *                starts): the limit to accept from then;
 *   "supplement" the missing papers asked for: the day the request closes
 *                if they do not come (legal_supplement_lapse).
 * 0 with *out, or 1 with the reason in err (this kind does not apply to
 * this category; no longer time with verification for this procedure). */
int catalog_counter_due(const catalog_category *cat, const catalog_procedure *proc, const cal *calendar,
	const char *kind, int verify, cal_date day, int hour, cal_date *out, char *err, size_t errlen);

/* The deadline (or appointment date) of a request of this category (and
 * procedure, for administrative procedures) received at the local time t:
 * the limit to accept for clocks that have one, else the limit to resolve. */
cal_date catalog_deadline(const catalog_category *cat, const catalog_procedure *proc,
	const cal *calendar, time_t received);

#endif
