/* page: what a citizen's phone shows for GET /r/<token>, and its JSON twin.
 *
 * Mobile first, Vietnamese by default with a link to English, no JavaScript,
 * inline CSS, well under 30 KB. It carries only what the receipt already
 * shows in public: category, received date, deadline, status, and the notes
 * meant for the citizen. Never a name, phone, citizen id or address: the
 * struct it is drawn from has no place for them. Rendering writes into a
 * caller's buffer, so the server can keep one per thread and not allocate. */
#ifndef MOTCUA_PAGE_H
#define MOTCUA_PAGE_H

#include <stddef.h>
#include "catalog.h"
#include "srv_db.h"

#define PAGE_MAX_EVENTS SRV_DB_FACTS_EVENTS
#define PAGE_SIZE_MAX 30000          /* bytes of any page, whatever the data */

typedef struct {
	long long at;                /* Unix seconds, server clock */
	char status[16];
	char note[PROTO_NOTE_MAX];
} page_event;

typedef struct {
	int known;                   /* 0: a well-formed token the server has not received yet */
	char token[16];              /* canonical, 13 characters */
	char category[32];
	char procedure[40];
	long long received_at;
	char deadline[11];           /* YYYY-MM-DD: the deadline in force */
	char status[16];
	long long updated_at;        /* time of the latest event */
	int overdue;                 /* decided by page_view from the deadline (or the
	                                appointment), status and today */
	int accepted;                /* accepted (thụ lý): a deadline is then to resolve */
	char appointment[11];        /* a new date given after a delay, or "" */
	char apology[PROTO_NOTE_MAX];  /* the note that came with it */
	page_event events[PAGE_MAX_EVENTS];  /* oldest first */
	int nevents;
	int rating;                  /* what stands for the rating form (rate_state, rate_form.h):
	                                page_view sets none, the server's lookup decides */
} page_request;

typedef struct {
	const catalog *cat;          /* category and procedure names; may be NULL */
	const char *office_level;    /* what citizens call the upstream office */
	const char *office_level_en; /* the same in English; NULL: "provincial office" */
	const char *public_url;      /* base URL, e.g. https://motcua.example.vn; the pages'
	                              * own links are relative, so they need it not */
} page_context;

typedef struct {
	char *data;
	size_t len, cap;             /* grows with realloc; reset len to reuse */
} page_buf;

/* What the page shows of a request: the store's facts (NULL for a token
 * the server has not received) and what they mean at now, in Vietnam time
 * (overdue, status.h's rule). Every field of out is set. */
void page_view(page_request *out, const char *token, const srv_db_facts *facts, long long now);

/* The functions below append to out (set out->len = 0 first to reuse it);
 * on -1 (out of memory) out->len is back where it was. */

/* HTML for language "en", else Vietnamese, at most PAGE_SIZE_MAX bytes: when the
 * notes are too long for that, the latest events that fit are shown and the
 * page says how many older ones are left out. 0, or -1. */
int page_html(const page_context *ctx, const page_request *r, const char *language, page_buf *out);

/* The same facts as JSON (times ISO 8601 with +07:00), names in Vietnamese:
 * {"token","known","category":{"id","name"},"procedure":{"id","name"}|null,
 *  "received_at","deadline","status","overdue","updated_at",
 *  "events":[{"at","status","note"}],"appointment","apology"}: appointment and
 * apology are null until a late request is given a new date. For an unknown
 * token every field but token and known is null (events: [], overdue:
 * false). 0 or -1. */
int page_json(const page_context *ctx, const page_request *r, page_buf *out);

/* The 404 page for a malformed token, in both languages. */
int page_not_found(page_buf *out);

void page_buf_free(page_buf *b);

#endif
