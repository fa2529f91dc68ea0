/* rate_form: the satisfaction rating on the phone page (GET and POST
 * /r/<code>): a plain HTML form, no script, shown once a request has a
 * final status, stored once per request (srv_rating.h).
 *
 * The receipt code in the address is the capability, as it is for reading
 * the page: whoever holds it may rate the request once; a second rating,
 * from the page or from the kiosk, is refused politely. A page that cannot
 * name a request without a code gives nothing away to a forged form from
 * elsewhere, and a forged form that knows the code could only do what the
 * code's holder may. No form on a denunciation's page: its rating would
 * tell the office's figures that the denouncer came back. */
#ifndef MOTCUA_RATE_FORM_H
#define MOTCUA_RATE_FORM_H

#include "console.h"
#include "html.h"
#include "srv_db.h"

typedef enum {
	RATE_HIDDEN,                 /* not final yet, a denunciation, or not known */
	RATE_FORM,                   /* the form */
	RATE_INCOMPLETE,             /* the form again: an answer was missing */
	RATE_THANKS,                 /* just stored */
	RATE_DONE                    /* rated before (here or at the kiosk) */
} rate_state;

/* What the page shows for the request facts f of code token, storing the
 * answers of form first when method is POST (f NULL: a request not known,
 * or not a page: nothing).
 * Database failures show no form (the page itself still shows). */
rate_state rate_form_take(srv_db *db, const char *token, const srv_db_facts *f, const char *method,
	const console_form *form, long long now);

/* The form, or what stands in its place, in language l (0 vi, 1 en). */
void rate_form_put(html_writer *w, rate_state state, const char *token, int l);

#endif
