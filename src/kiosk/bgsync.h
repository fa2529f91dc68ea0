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
 * SIGTERM (a killed sync loses nothing; see tests/t_sync_faults.py).
 * The staff menu's Sync now, export and import run the same program the
 * same way (bgsync_run below), reading its progress as it goes. */
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

/* ---- a staff run ----
 * One motcua-sync command started from the staff menu ("now", "export" or
 * "import", the last two on the USB stick), on its own thread, with
 * --progress: its JSON lines are read into a state the screen polls. Runs
 * never overlap, whoever starts them: motcua-sync holds a lock on the data
 * folder while it works, so a staff run waits for a background run under
 * way (phase WAITING) and the other way round. */
typedef enum { BGSYNC_IDLE, BGSYNC_WAITING, BGSYNC_RUNNING, BGSYNC_DONE } bgsync_phase;

typedef struct {
	bgsync_phase phase;
	char command[16];
	long long done, total;       /* requests acknowledged of those waiting */
	int exit_code;               /* DONE: motcua-sync's exit code; -1 it could not run or was killed */
	char result[24];             /* DONE: "ok", "no_network", ... ("" when it said nothing) */
	long long sent, updates, pending, count;
	int files;
	char path[512];              /* export: the first bundle; import: the folder */
	int clock_known;
	long long clock_offset;      /* server minus kiosk, seconds */
	char message[1024];          /* motcua-sync's own sentence (English, for staff) */
} bgsync_run_state;

typedef struct bgsync_run bgsync_run;

/* Starts `program --config config_path --progress command`; notify (may be
 * NULL) is called from the run's thread after every change of its state,
 * with the exit code so far (-1 while running). NULL with err on failure. */
bgsync_run *bgsync_run_start(const char *program, const char *config_path, const char *command,
	bgsync_notify_fn notify, void *ctx, char *err, size_t errlen);
/* A copy of the run's state; a NULL run reads as IDLE. */
void bgsync_run_read(bgsync_run *r, bgsync_run_state *out);
/* Stops the run if it is still going (SIGTERM) and frees it. */
void bgsync_run_free(bgsync_run *r);

/* Fills st from one --progress line of motcua-sync; 0, or -1 when the line
 * is not one. */
int bgsync_parse_line(const char *line, bgsync_run_state *st);

#endif
