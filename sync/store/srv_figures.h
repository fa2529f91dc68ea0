/* srv_figures: the public figures computed once for every server process
 * and thread on one store, not once per thread.
 *
 * Computing the figures is three scans of every request of the year (about
 * a second at 1,000,000 stored); each pool thread of each process used to
 * make its own copy every minute. Now the store keeps the last computed
 * figures with their time (two rows of the meta table, so no schema step):
 * a caller takes them while they are under ttl seconds old; otherwise one
 * caller, whichever first moves the claim row forward (one statement, so
 * one wins across processes: SQLite's write lock, PostgreSQL's row lock),
 * computes and stores them, and the others go on showing the last ones
 * meanwhile. The claim is a lease, not a lock held open: a compute never
 * keeps a write transaction (on SQLite, the pushes') waiting, and a
 * process that dies while computing is replaced after the lease.
 *
 * The figures are stored as their structs' bytes with a header naming
 * their layout; a store shared by machines of another layout, or a row
 * that does not read back whole, is treated as none: the figures are then
 * computed here. A failure of the cache never fails the figures. */
#ifndef MOTCUA_SRV_FIGURES_H
#define MOTCUA_SRV_FIGURES_H

#include <stddef.h>
#include "srv_db.h"
#include "srv_stats.h"

#define SRV_FIGURES_LEASE 30         /* seconds a claim holds before another may take it */

/* The figures as of now, from the store's shared copy when it is under
 * ttl seconds old, else computed (and shared when this caller holds the
 * claim). *shared is set to 1 when they came from the shared copy (may be
 * NULL). 0, or -1 with err; free out with srv_stats_free. */
int srv_figures_get(srv_db *d, long long now, int ttl, srv_stats *out, int *shared, char *err, size_t errlen);

/* ---- the store's part, on each backend ---- */

/* The shared copy: *value malloc'd (base64 text; free it) and its time.
 * 1 found, 0 none, -1 the store failed. */
int srv_figures_load(srv_db *d, long long *at, char **value);
/* Moves the claim to now when it is older than lease seconds (or absent):
 * 1 this caller holds it, 0 another does, -1 the store failed. */
int srv_figures_claim(srv_db *d, long long now, int lease);
/* Stores value as the figures computed at at. 0 or -1. */
int srv_figures_store(srv_db *d, long long at, const char *value);

#endif
