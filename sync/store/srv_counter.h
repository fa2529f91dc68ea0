/* srv_counter: the office counter's steps, as they reach the server in a
 * kiosk's push, applied to the server's store.
 *
 * The kiosk records at its counter the complete dossier accepted (with the
 * provincial dossier number), the missing papers asked for, or a
 * complaint's or denunciation's signed letter received (dbcounter.h), and
 * the next push carries them, signed by the kiosk. Each becomes one
 * officials' action through the store's one operation (srv_be_act): an
 * event for the citizen, the request row and an audit row whose actor is
 * "counter@<kiosk>". The clock counts from the counter: an acceptance sets
 * the time to resolve from its moment (the procedure's longer time when
 * verification was chosen), a letter the time to accept; a supplement is
 * the one allowed. A step already applied (a push sent again) or one the
 * request's state refuses (closed, accepted already) changes nothing and
 * says so; the caller acknowledges it either way, since sending it again
 * cannot make it apply. Results: 0 applied, 1 refused (err says why), -1
 * the store failed. */
#ifndef MOTCUA_SRV_COUNTER_H
#define MOTCUA_SRV_COUNTER_H

#include <stddef.h>
#include "cal.h"
#include "catalog.h"
#include "proto.h"
#include "srv_db.h"

/* Applies one counter step of kiosk `kiosk` that happened at server time
 * `at` (the kiosk's clock corrected by the offset learnt at this push),
 * at server time now. */
int srv_counter_apply(srv_db *d, const catalog *cat, const cal *calendar, const char *kiosk,
	const proto_counter *c, long long at, long long now, char *err, size_t errlen);

#endif
