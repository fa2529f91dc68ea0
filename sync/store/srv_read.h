/* srv_read: where the phone page reads from. `serve --db-read URL` points
 * the citizens' lookups (GET /r/<code> and GET /api/v1/requests/<code>) at
 * a PostgreSQL replica, so that a rush of phones is served by standbys and
 * the primary keeps its room for pushes and the console. Every write (a
 * push, an official's action, a rating given on the phone page, the shared
 * figures' claim) and every console page stay on the primary's connection.
 *
 * Each server thread keeps one srv_read beside its primary connection. The
 * replica's connection is read-only for its whole session (srv_db_open_read)
 * and never migrates. A replica that lags shows the status it has replayed;
 * a replica that is down or refuses is left for SRV_READ_RETRY_S seconds
 * and the lookup is answered from the primary: a citizen's page keeps
 * answering, and the primary's answer is never older than the replica's
 * (docs/postgresql.md, "Reading from a replica"). */
#ifndef MOTCUA_SRV_READ_H
#define MOTCUA_SRV_READ_H

#include <stddef.h>
#include "srv_db.h"

#define SRV_READ_RETRY_S 5

typedef struct {
	srv_db *db;                  /* the replica's connection; NULL: not open */
	long long retry_at;          /* monotonic seconds before which it is not tried again */
	int down;                    /* the fall back to the primary was logged */
} srv_read;

/* serve's --db-read against its --db: a PostgreSQL URL, and only beside a
 * PostgreSQL primary (a SQLite file has no replica). url NULL: nothing to
 * check. 0, or -1 with err. */
int srv_read_check(const char *url, const char *primary, char *err, size_t errlen);

/* srv_db_lookup's contract, read from the replica at url when one is given
 * and answering, else from primary. */
int srv_read_lookup(srv_read *r, const char *url, srv_db *primary, const char *token, srv_db_facts *out);

void srv_read_close(srv_read *r);

#endif
