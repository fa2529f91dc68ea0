/* printout: the paper receipt and the printer's test page.
 *
 * A receipt (the fields of form Mẫu 01: office and commune, heading, the
 * grouped code, what was filed, the citizen's name, when it was received,
 * the appointment or deadline, the QR code and how to check the status) is
 * drawn into a 1-bit picture as wide as the paper's printable line (58 mm:
 * 384 dots, 80 mm: 576 dots) with the kiosk's own font, because receipt
 * printers have no Vietnamese code page. Text is rendered grey and then
 * thresholded, so diacritics stay whole; the QR code has whole dots per
 * module and its quiet zone, so it stays crisp.
 *
 * Drawing happens on the caller's (the screen's) thread: the fonts are
 * SDL_ttf objects that must not be shared between threads, and a receipt
 * takes milliseconds. Sending takes seconds when a printer is slow, out of
 * paper or gone, so a worker thread does that, one job after another, and
 * the screen reads the outcome with printout_state. The picture holds the
 * citizen's name: it is wiped once sent and is never logged. */
#ifndef MOTCUA_PRINTOUT_H
#define MOTCUA_PRINTOUT_H

#include <stddef.h>
#include "catalog.h"
#include "config.h"
#include "escpos.h"

typedef struct printout printout;

/* What a receipt shows; every text is borrowed for the call only. */
typedef struct {
	lang language;
	const char *token;          /* canonical, printed grouped */
	const char *request_id;
	const char *what;           /* "category: procedure" */
	const char *citizen_name;   /* "" or NULL: no line */
	long long received_at;      /* Unix time */
	const char *deadline_label; /* "Hẹn trả kết quả" or "Hạn thụ lý" */
	const char *deadline;       /* YYYY-MM-DD */
	const char *url;            /* what the QR code holds */
	const char *const *papers;  /* a procedure's papers to bring, repeated (npapers 0: none) */
	int npapers;
	const char *fee;            /* NULL or "": no line */
	int secret;                 /* a denunciation's slip: never to a shared CUPS queue */
} printout_receipt;

/* A queue ticket: no identity at all. */
typedef struct {
	lang language;
	const char *label;          /* "A015" */
	const char *field;          /* the field of work's name */
	int priority;
	long long taken_at;
	int ahead;                  /* waiting before it */
	int wait_minutes;           /* the fair estimate */
} printout_ticket;

/* A procedure's checklist: nothing personal. */
typedef struct {
	lang language;
	const char *name, *time, *fee, *where;
	const char *const *papers;
	int npapers;
	const char *portal_code;    /* "" when the portal has none */
	const char *url;            /* the QR code's; "" for none */
} printout_guide;

/* A complaint's or denunciation's letter (đơn): what the citizen typed,
 * printed before the form is wiped, with a box to sign or fingerprint;
 * the counter marks it received and only then does its clock start. */
typedef struct {
	lang language;
	int denunciation;           /* 1: says how the denouncer's identity is protected */
	const char *token;          /* the slip's code, so the counter finds the request */
	const char *labels[CATALOG_FIELDS];  /* each field's label on the form */
	const char *values[CATALOG_FIELDS];  /* what was typed; "" or NULL: left out */
	long long written_at;       /* Unix time */
} printout_letter;

typedef enum { PRINTOUT_RECEIPT, PRINTOUT_TEST_PAGE, PRINTOUT_LETTER, PRINTOUT_TICKET, PRINTOUT_GUIDE } printout_kind;

/* The outcome of the newest job, for the screens. */
typedef struct {
	int busy;                   /* the newest job is not sent yet */
	int printed_any;            /* a job has finished since start */
	printout_kind kind;         /* of the last finished job */
	escpos_result result;       /* of the last finished job */
	long long finished_at;      /* Unix time */
	char detail[300];           /* device and system error, for staff */
	unsigned generation;        /* changes whenever the rest may have */
} printout_state;

/* Opens the fonts for cfg's paper width and starts the worker. cfg must
 * name a printer and outlive the printout. NULL with a message on failure. */
printout *printout_new(const config *cfg, char *err, size_t errlen);

/* Stops the worker after the job it is sending (queued jobs are dropped)
 * and frees everything. */
void printout_free(printout *p);

/* Draws r and queues it for printing. 0, or -1 with why in err (the picture
 * could not be drawn, or the queue is full). */
int printout_print_receipt(printout *p, const printout_receipt *r, char *err, size_t errlen);

/* Draws a queue ticket (the number very large) and queues it. 0 or -1. */
int printout_print_ticket(printout *p, const printout_ticket *t, char *err, size_t errlen);

/* Draws a procedure's checklist and queues it. 0 or -1. */
int printout_print_guide(printout *p, const printout_guide *g, char *err, size_t errlen);

/* Draws a letter and queues it for the receipt printer, a device of the
 * kiosk's own (never a shared print queue), wiped once sent and never
 * logged. 0, or -1 with why in err. */
int printout_print_letter(printout *p, const printout_letter *l, char *err, size_t errlen);

/* Draws the test page in language l and queues it. 0 or -1. */
int printout_print_test_page(printout *p, lang l, char *err, size_t errlen);

void printout_state_get(printout *p, printout_state *st);

/* The paper's width in dots for a configuration. */
int printout_dots(const config *cfg);

/* For the self-check: 1 when no printer is configured (msg says so), 0 when
 * the device is there and reports no problem, -1 when it is missing or
 * reports one (msg says what and what to do). */
int printout_check(const config *cfg, char *msg, size_t msglen);

#endif
