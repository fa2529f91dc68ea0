/* office_print: the counter's papers (the receipt-and-appointment paper,
 * the supplement list, the receipt of a signed letter) on the office's
 * printer, as [printer] in the configuration names it: the receipt
 * printer (ESC/POS) or a CUPS queue, drawn and sent by the shared
 * src/print/sheet.h exactly as the kiosk's own papers are.
 *
 * A denunciation's paper is secret (Law on Denunciation 2018, Art. 47):
 * it is refused for a CUPS queue not marked private, and on a private one
 * it is purged from the scheduler once printed. The counter page's threads
 * print one at a time (the fonts are not for two threads, and one printer
 * takes one job at a time). The paper may hold the citizen's name, read
 * from their card at the counter: it is wiped once sent and never logged. */
#ifndef MOTCUA_OFFICE_PRINT_H
#define MOTCUA_OFFICE_PRINT_H

#include <stddef.h>
#include "config.h"

/* What a counter's paper says; every text is borrowed for the call. */
typedef struct {
	const char *commune;     /* the office's commune */
	const char *office;      /* the one-stop-shop section's name */
	const char *title;
	const char *code_label, *code;         /* the slip's code, grouped */
	const char *dossier_label, *dossier;   /* NULL: no dossier number */
	const char *what;        /* "category · procedure" */
	const char *name_label, *name;         /* "" or NULL: no name line */
	const char *list;        /* the missing papers, one a line; NULL: none */
	const char *at_label, *at;             /* when the step was done */
	const char *due_label, *due;           /* the date it counts to */
	const char *secret_note; /* a denunciation's: how the denouncer is protected; NULL otherwise */
	const char *check_label, *check_url;   /* the phone page; "" or NULL: none (also its QR code) */
} office_paper;

typedef struct office_print office_print;

/* The printer of cfg (which must outlive it). NULL when cfg names none
 * (err empty) or its fonts cannot be opened (err says why). */
office_print *office_print_new(const config *cfg, char *err, size_t errlen);
void office_print_free(office_print *p);

/* Draws the paper and sends it, waiting for the printer. 0 printed; 1 a
 * secret paper refused for a shared queue, nothing sent; -1 not printed.
 * detail says where it went or why not, for the log and the officer. */
int office_print_paper(office_print *p, const office_paper *paper, char *detail, size_t detaillen);

#endif
