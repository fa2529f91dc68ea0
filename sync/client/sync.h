/* sync: the kiosk's side of the sync protocol (docs/protocol.md).
 *
 * `sync_now` sends what the server has not acknowledged, in batches, over
 * HTTP and applies each signed answer, until nothing is pending and no more
 * events wait. `sync_export` and `sync_import` carry the same envelopes on a
 * USB stick when the network is down for days. Used by motcua-sync, which
 * the kiosk app runs in the background (bgsync.h). Every outcome is one
 * result code and a plain message for staff; nothing here prints or logs
 * personal data (the requests travel sealed). No SDL; libcurl. */
#ifndef MOTCUA_SYNC_H
#define MOTCUA_SYNC_H

#include <stdatomic.h>
#include <stddef.h>
#include "config.h"
#include "db.h"
#include "envelope.h"

typedef enum {
	SYNC_OK,               /* caught up */
	SYNC_NO_NETWORK,       /* cannot resolve, connect, or the link went dead */
	SYNC_NOT_REGISTERED,   /* the server does not know this kiosk's key */
	SYNC_REVOKED,          /* the server has revoked this kiosk */
	SYNC_REFUSED,          /* the server answered 4xx/5xx */
	SYNC_BAD_ANSWER,       /* not signed by the configured server key, or malformed */
	SYNC_CLOCK,            /* synced, but the kiosk's clock is far off */
	SYNC_CONFLICT,         /* the server refused requests (same id, other content) */
	SYNC_LOCAL,            /* database, key file, files on disk */
	SYNC_NOT_CONFIGURED,   /* [server] url or key missing */
	SYNC_STOPPED,          /* asked to stop */
	SYNC_RESULT_COUNT
} sync_result;

typedef void (*sync_progress_fn)(void *ctx, long long done, long long total);

typedef struct {
	sync_progress_fn progress;   /* after each batch: requests acknowledged of total; may be NULL */
	void *progress_ctx;
	const atomic_int *stop;      /* when set, the transfer under way is aborted; may be NULL */
} sync_options;

typedef struct {
	sync_result result;
	char message[1024];          /* what happened, plainly, for staff */
	char notes[512];             /* what did not stop the sync (a newer catalog, ...) */
	long long sent;              /* requests acknowledged by this run */
	long long updates;           /* status events new to this kiosk */
	int batches;
	long long pending;           /* still waiting afterwards */
	long long clock_offset;      /* server minus kiosk, seconds, when measured */
	int clock_known;
	char path[1100];             /* export: the (first) file written; import: the folder */
	long long count;             /* export: requests written; import of a folder: answers applied */
	int files;                   /* export: bundles written */
	char reason[24];             /* a finer name for a failure, or "": "no_answer" (import of a folder) */
} sync_report;

/* Once per process, before any thread starts (libcurl's global state). */
int sync_global_init(void);

/* A short name ("no_network") and the motcua-sync exit code of a result. */
const char *sync_result_name(sync_result r);
int sync_exit_code(sync_result r);

/* "<commune_code>-<kiosk_number>": the signer of this kiosk's envelopes. */
void sync_kiosk_id(const config *cfg, char out[ENV_SIGNER_MAX]);

/* "2 h 05 min behind the server's" for an offset (server minus kiosk). */
void sync_describe_offset(long long offset, char *out, size_t outlen);

/* The kiosk's public key line ("mk1...."), making the key pair on first
 * use. 0, or -1 with err. */
int sync_key_line(const config *cfg, char out[ENV_KEY_LINE_MAX], char *err, size_t errlen);

/* Syncs over HTTP until caught up. o may be NULL. The result is also in
 * rep->result; failures are recorded in the store for the screens. */
sync_result sync_now(const config *cfg, db *store, const sync_options *o, sync_report *rep);

/* Writes one push with every unacknowledged request to
 * dir/motcua-<kiosk>-<n>.json (rep->path). */
sync_result sync_export(const config *cfg, db *store, const char *dir, sync_report *rep);

/* Checks and applies the server's answer carried in file. A truncated,
 * altered or foreign file changes nothing. */
sync_result sync_import(const config *cfg, db *store, const char *file, sync_report *rep);

/* Applies every answer from the server to this kiosk found in dir, in the
 * order of their names; other files there (this kiosk's own bundles,
 * another kiosk's answers) are passed over. rep->count says how many were
 * applied; none is a failure (SYNC_LOCAL) that says so. */
sync_result sync_import_dir(const config *cfg, db *store, const char *dir, sync_report *rep);

/* The USB stick's folder under [kiosk] usb_dir: usb_dir itself when a
 * stick is mounted there, else the first mount point one or two levels
 * below it in name order (/media/usb0, /media/pi/STICK), else usb_dir
 * itself when it is a folder this program may write to (one set up by
 * hand). 0, or -1 with a plain message for staff in err. */
int sync_find_usb(const config *cfg, char *out, size_t outlen, char *err, size_t errlen);

#endif
