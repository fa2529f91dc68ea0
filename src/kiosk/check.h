/* check: `motcua-kiosk --check --config FILE`, the installer's self-check.
 *
 * Looks at every piece a kiosk needs, the way the kiosk will use it, and
 * writes one line per item for the person installing it:
 *
 *     ok    data folder /var/lib/motcua: writable, 27.1 GiB free
 *     WARN  [kiosk] staff_pin is empty — run `motcua-kiosk hash-pin` ...
 *     FAIL  server key: not set — put there the line `motcua-server init` printed
 *
 * The order is the order of dependence: configuration, data folder,
 * database, fonts, catalog and holidays, server key, server reachability,
 * printer, clock. Nothing is changed: the database is opened read-only and
 * the printer is asked for its state, never printed on. Run it as the user
 * the kiosk runs as, so that "writable" means writable for the kiosk. */
#ifndef MOTCUA_CHECK_H
#define MOTCUA_CHECK_H

#include <stdio.h>

/* How long the server and the printer may take to answer, each. */
#define CHECK_NET_TIMEOUT_MS 3000

/* Runs every check, writing the report to out. Returns the exit code: 0
 * when nothing failed (warnings allowed), 1 when anything failed. */
int check_run(const char *config_path, FILE *out);

#endif
