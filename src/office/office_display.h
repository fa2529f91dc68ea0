/* office_display: the hall display, a page for a TV or monitor: the
 * numbers called and their counters, large enough to read from five
 * metres, updated within a second of a call (server-sent events), with a
 * chime and the call spoken in Vietnamese (office_voice); when the stream
 * is lost the page says that what it shows may be stale. No sign-in: it
 * shows only numbers and counters, nothing about anyone. */
#ifndef MOTCUA_OFFICE_DISPLAY_H
#define MOTCUA_OFFICE_DISPLAY_H

#include "office_http.h"

extern const office_route office_display_routes[];

#endif
