/* office_counter: the counter page, where staff signed in at a counter
 * call the next number, call it again, mark it not there, send it to
 * another counter and close it; with what waits in the counter's fields
 * and the counter's times today.
 *
 * The page is a list of sections (office_counter_sections in the .c: the
 * current ticket, the queue, the day's times), each a function that writes
 * its part; a new piece of counter work (a dossier accepted at the counter)
 * is one more section and its own route group. Every action is a POST with
 * the session's form token, answered by a redirect to the page (so a
 * reload never calls twice). */
#ifndef MOTCUA_OFFICE_COUNTER_H
#define MOTCUA_OFFICE_COUNTER_H

#include "office_http.h"

extern const office_route office_counter_routes[];

/* A section of the counter page. */
typedef void (*office_counter_section)(office_req *r, office_buf *b);

/* The counter page's form start for an action: "<form method=post
 * action=PATH>" with the session's form token. */
void office_counter_form(office_req *r, office_buf *b, const char *action, const char *css_class);

#endif
