/* srv_stats: each commune's public figures, from the server's store.
 *
 * Received, resolved, resolved on time (and the rate), overdue now and the
 * median days to resolve, by category, for this month and this year, for
 * one commune or all. Nothing personal is counted, and a count under
 * SRV_STATS_MIN (1 or 2) is suppressed (-1) so that no figure points at one
 * person; a rate is shown only when what it divides is shown. */
#ifndef MOTCUA_SRV_STATS_H
#define MOTCUA_SRV_STATS_H

#include "proto.h"
#include "srv_db.h"

#define SRV_STATS_MIN 3

/* The figures a kiosk of this commune shows on its home screen (its on-time
 * rate this year), for the sync reply. 0 or -1. */
int srv_stats_kiosk(srv_db *d, const char *commune, long long now, proto_stats *out,
	char *err, size_t errlen);

#endif
