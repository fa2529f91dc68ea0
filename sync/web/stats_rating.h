/* stats_rating: the satisfaction ratings on the public figures page
 * (/stats/<commune> and its JSON twin), from srv_stats's rating rows. */
#ifndef MOTCUA_STATS_RATING_H
#define MOTCUA_STATS_RATING_H

#include <jansson.h>
#include "catalog.h"
#include "html.h"
#include "srv_stats.h"

/* The commune's section, in language l (0 vi, 1 en). */
void stats_rating_html(html_writer *w, const srv_stats *s, const char *code, const catalog *cat, int l);

/* The commune's rows as JSON: null for a figure not shown. */
json_t *stats_rating_json(const srv_stats *s, const char *code);

#endif
