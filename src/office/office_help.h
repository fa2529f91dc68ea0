/* office_help: the counter page's list of citizens asking for help: each
 * open call made with the kiosk's "call staff" button (helpcall.h), with its
 * time, and a button that marks it answered by this counter. The section
 * sits at the top of the counter page, which reloads itself, so a call shows
 * within the page's refresh; answering is a POST with the form token,
 * answered by a redirect to the page. */
#ifndef MOTCUA_OFFICE_HELP_H
#define MOTCUA_OFFICE_HELP_H

#include "office_http.h"

extern const office_route office_help_routes[];

/* The section (an office_counter_section). */
void office_help_section(office_req *r, office_buf *b);

#endif
