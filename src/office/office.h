/* office: the office service's shared state, one per motcua-office: the
 * configuration, the catalog, the kiosk's store (one connection, used by
 * one thread at a time), the signed-in counters, and a change counter
 * that wakes the hall displays when a counter calls.
 *
 * The kiosk's store is a file two programs write (the kiosk takes tickets,
 * the service calls them): SQLite's locks order them, and this mutex
 * orders the service's own threads on its one connection. */
#ifndef MOTCUA_OFFICE_H
#define MOTCUA_OFFICE_H

#include <stddef.h>
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "office_print.h"

typedef struct office office;

/* The store is the caller's and outlives the service; cfg and cat are
 * copied. NULL when out of memory. */
office *office_new(const config *cfg, const catalog *cat, db *store);
void office_free(office *o);

const config *office_config(const office *o);
/* The office's printer for the counters' papers (office_print.h), the
 * caller's and set before serving; NULL: none, the papers are printed
 * from the browser. */
void office_set_printer(office *o, office_print *p);
office_print *office_printer(const office *o);
const catalog *office_catalog(const office *o);

/* The store, held for the calling thread until office_db_release. */
db *office_db_hold(office *o);
void office_db_release(office *o);

/* The Vietnam date of now (vntime), the day queue numbers count in. */
void office_today(char day[11]);

/* A counter changed something the displays show: wake them. */
void office_changed(office *o);
/* Waits up to ms for a change after generation `seen`; the generation now. */
unsigned long office_wait_change(office *o, unsigned long seen, int ms);
/* Ends every wait at once (the service is stopping). */
void office_stop(office *o);
int office_stopped(office *o);

#endif
