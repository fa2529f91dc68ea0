/* bgsync: the kiosk's background sync, a thread that runs motcua-sync.
 *
 * The kiosk syncs by itself whenever the server is reachable: at start, then
 * every [server] sync_interval seconds, retrying a failure with a capped,
 * jittered exponential backoff. The thread runs `motcua-sync --config FILE
 * now` as a child process rather than calling the sync client in-process, so
 * the citizen-facing process holds no network or TLS code (libcurl and its
 * TLS libraries cost about 8 MiB of the kiosk's 40 MiB budget), and a fault
 * in the network path cannot take the screen down. The child writes what
 * happened into the shared database, where the home screen reads it, and
 * its messages go to the same log. Stopping is prompt: the child gets
 * SIGTERM (a killed sync loses nothing; see tests/t_sync_faults.py). */
#ifndef MOTCUA_BGSYNC_H
#define MOTCUA_BGSYNC_H

#include <stddef.h>
#include "config.h"

/* Called from the worker's thread after each run with motcua-sync's exit
 * code (see its usage text), or -1 when it could not be started. */
typedef void (*bgsync_notify_fn)(void *ctx, int exit_code);

typedef struct bgsync bgsync;

/* Starts the worker, or says in err why background sync is off (interval 0,
 * no [server] url or key). program is the motcua-sync to run, config_path
 * the file it reads; cfg must outlive the worker. */
bgsync *bgsync_start(const config *cfg, const char *program, const char *config_path,
	bgsync_notify_fn notify, void *ctx, char *err, size_t errlen);
void bgsync_stop(bgsync *w);

/* The wait before retry number failures (1, 2, ...): full jitter under a cap
 * that doubles from 5 s to 10 min; random is any 32-bit random number. */
long long bgsync_backoff_ms(int failures, unsigned random);

#endif
