/* motcua-sync: the kiosk's sync command, for staff and the nightly timer.
 *
 * `key` prints the kiosk's public key line for `motcua-server kiosk add`;
 * `now` syncs over the network until caught up; `export` and `import` carry
 * the same signed envelopes on a USB stick; `status` says where sync stands.
 * The exit code says why a sync did not finish, so a timer's log or a script
 * can tell "no network" from "not registered" (see usage). With --progress,
 * stdout carries only JSON lines for a program to read (the kiosk's staff
 * menu): {"type":"progress","done":N,"total":M} after each batch, then one
 * {"type":"result",...} with the outcome and its numbers; the sentences for
 * people go to stderr. The work is in src/sync.c; this file only reads the
 * command line and prints. */
#include "config.h"
#include "db.h"
#include "seal.h"
#include "log.h"
#include "nodump.h"
#include "sync.h"
#include "vntime.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

typedef struct {
	config cfg;
	const char *config_path;
	db *store;
	int machine;             /* --progress: JSON lines on stdout */
} tool;

typedef int (*command_fn)(tool *t, const char *arg);

static int usage(void)
{
	fprintf(stderr,
		"usage: motcua-sync --config FILE [--progress] COMMAND\n"
		"  key          print this kiosk's key line (made on first use) and its id\n"
		"  now          sync with [server] url until caught up\n"
		"  export [DIR] write every request not yet acknowledged to DIR (default: the USB\n"
		"               stick mounted under [kiosk] usb_dir)\n"
		"  import [FILE|DIR]  apply the server's answer brought back on the stick (a folder,\n"
		"               or by default the stick: every answer to this kiosk in it)\n"
		"  status       what waits to be sent, the last sync, the last failure, the clock\n"
		"exit codes: 0 caught up (or done)   2 usage or configuration   3 no network\n"
		"  4 kiosk not registered upstream   5 kiosk revoked   6 server refused\n"
		"  7 bad answer (not the configured server, or malformed)   8 synced, but the clock is far off\n"
		"  9 conflict (the server refused some requests)   10 local problem (database, key, files)\n"
		"  11 stopped\n"
		"--progress: JSON lines on stdout for programs (progress, then the result)\n");
	return 2;
}

static const char *local_time(long long t, char *out, size_t outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, outlen, "%H:%M %d/%m/%Y", &tm);
	return out;
}

/* One JSON line on stdout, for --progress. */
static void machine_line(json_t *o)
{
	if (!o) return;
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	fflush(stdout);
	json_decref(o);
}

static int finish(tool *t, const sync_report *rep)
{
	/* A sync at the terminal reports on stdout; under the timer or the
	 * kiosk the outcome goes to the log with its level. No network is
	 * a kiosk's ordinary day, so only a warning. */
	if (rep->result == SYNC_OK && !t->machine) printf("%s\n", rep->message);
	else if (rep->result == SYNC_OK) log_info("%s", rep->message);
	else log_at(rep->result == SYNC_NO_NETWORK || rep->result == SYNC_STOPPED ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR,
		"%s", rep->message);
	if (rep->notes[0]) log_warn("%s", rep->notes);
	if (t->machine)
		machine_line(json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:i, s:s, s:b, s:I, s:s}",
			"type", "result", "result", rep->reason[0] ? rep->reason : sync_result_name(rep->result),
			"exit", sync_exit_code(rep->result),
			"sent", (json_int_t)rep->sent, "updates", (json_int_t)rep->updates, "pending", (json_int_t)rep->pending,
			"count", (json_int_t)rep->count, "files", rep->files, "path", rep->path,
			"clock_known", rep->clock_known, "clock_offset", (json_int_t)rep->clock_offset, "message", rep->message));
	return sync_exit_code(rep->result);
}

/* A failure before any sync ran (configuration, database), said the same
 * way as one from a sync. */
static int fail_early(tool *t, sync_result r, const char *reason, const char *message)
{
	sync_report rep;
	memset(&rep, 0, sizeof rep);
	rep.result = r;
	snprintf(rep.reason, sizeof rep.reason, "%s", reason);
	snprintf(rep.message, sizeof rep.message, "%s", message);
	return finish(t, &rep);
}

/* With the server key when one is configured: a store from before receipt
 * codes were hashed is converted by whichever program opens it first, and
 * that needs the key (db.h). */
static int open_store(tool *t)
{
	char err[600], line[700];
	seal_server_key key;
	int keyed = t->cfg.server_key[0] && seal_parse_server_key(t->cfg.server_key, &key, err, sizeof err) == 0;
	if (db_open(&t->store, t->cfg.data_dir, keyed ? &key : NULL, err, sizeof err) != 0) {
		snprintf(line, sizeof line, "%s", err);
		fail_early(t, SYNC_LOCAL, "", line);
		return -1;
	}
	return 0;
}

/* ---- progress on the terminal ---- */

typedef struct {
	int tty;
	int drawn;
	int machine;
} progress;

static void show_progress(void *ctx, long long done, long long total)
{
	progress *p = ctx;
	if (p->machine) {
		machine_line(json_pack("{s:s, s:I, s:I}", "type", "progress", "done", (json_int_t)done, "total", (json_int_t)total));
	} else if (p->tty) {
		int fill = total > 0 ? (int)(done * BAR_WIDTH / total) : BAR_WIDTH, i;
		char bar[BAR_WIDTH + 1];
		for (i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : ' ';
		bar[BAR_WIDTH] = '\0';
		fprintf(stderr, "\r[%s] %lld/%lld sent", bar, done, total);
		p->drawn = 1;
	} else if (!p->drawn) {
		log_info("%lld request%s waiting to be sent", total, total == 1 ? "" : "s");
		p->drawn = 1;
	} else {
		log_info("sent %lld of %lld", done, total);
	}
	fflush(stderr);
}

/* ---- commands ---- */

static int cmd_key(tool *t, const char *arg)
{
	char line[ENV_KEY_LINE_MAX], id[ENV_SIGNER_MAX], err[600];
	(void)arg;
	if (sync_key_line(&t->cfg, line, err, sizeof err) != 0) {
		log_error("%s", err);
		return sync_exit_code(SYNC_LOCAL);
	}
	sync_kiosk_id(&t->cfg, id);
	printf("%s\n", line);
	printf("kiosk %s: on the server, run  motcua-server kiosk add --data DIR --kiosk %s --key %s\n", id, id, line);
	return 0;
}

static int cmd_now(tool *t, const char *arg)
{
	sync_report rep;
	progress p = { isatty(2) && !t->machine, 0, t->machine };
	sync_options o = { show_progress, &p, NULL };
	char line[1000];
	(void)arg;
	if (!t->cfg.server_url[0] || !t->cfg.server_key[0]) {
		snprintf(line, sizeof line, "%s: [server] %s is not set: %s", t->config_path,
			!t->cfg.server_url[0] ? "url" : "key",
			!t->cfg.server_url[0] ? "put the address of the upstream server there"
			: "put there the line `motcua-server init` printed");
		return fail_early(t, SYNC_NOT_CONFIGURED, "", line);
	}
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	sync_now(&t->cfg, t->store, &o, &rep);
	if (p.drawn && p.tty) fputc('\n', stderr);
	return finish(t, &rep);
}

/* One sync at a time per kiosk, whoever starts it (the kiosk's background
 * worker, its staff menu, the nightly timer, someone at the terminal): the
 * others wait on a lock file in the data folder. The lock goes with the
 * process, so a killed sync never leaves it held. -1 when the lock file
 * cannot be opened; the sync then goes on, as before there was a lock. */
static int one_at_a_time(tool *t)
{
	char path[600];
	int fd;
	snprintf(path, sizeof path, "%s/sync.lock", t->cfg.data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
	if (t->machine) machine_line(json_pack("{s:s}", "type", "waiting"));
	else log_info("waiting for the sync under way to finish");
	while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
		;
	return fd;
}

/* The folder given, or the USB stick's. */
static const char *usb_folder(tool *t, const char *given, char *out, size_t outlen)
{
	char err[700];
	if (given) return given;
	if (sync_find_usb(&t->cfg, out, outlen, err, sizeof err) != 0) {
		fail_early(t, SYNC_LOCAL, "no_usb", err);
		return NULL;
	}
	return out;
}

static int cmd_export(tool *t, const char *dir)
{
	sync_report rep;
	char stick[1024];
	if (!(dir = usb_folder(t, dir, stick, sizeof stick))) return sync_exit_code(SYNC_LOCAL);
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	sync_export(&t->cfg, t->store, dir, &rep);
	return finish(t, &rep);
}

static int cmd_import(tool *t, const char *file)
{
	sync_report rep;
	char stick[1024], line[1000];
	struct stat sb;
	if (!t->cfg.server_key[0]) {
		snprintf(line, sizeof line, "%s: [server] key is not set: put there the line `motcua-server init` "
			"printed, so that the answer can be checked", t->config_path);
		return fail_early(t, SYNC_NOT_CONFIGURED, "", line);
	}
	if (!(file = usb_folder(t, file, stick, sizeof stick))) return sync_exit_code(SYNC_LOCAL);
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode)) sync_import_dir(&t->cfg, t->store, file, &rep);
	else sync_import(&t->cfg, t->store, file, &rep);
	return finish(t, &rep);
}

static int cmd_status(tool *t, const char *arg)
{
	db_sync_state st;
	char err[600], when[64], offset[96], id[ENV_SIGNER_MAX];
	(void)arg;
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	if (db_read_sync_state(t->store, &st, err, sizeof err) != 0) {
		log_error("%s", err);
		return sync_exit_code(SYNC_LOCAL);
	}
	sync_kiosk_id(&t->cfg, id);
	printf("kiosk:                %s\n", id);
	printf("server:               %s\n", t->cfg.server_url[0] ? t->cfg.server_url : "(not set: [server] url)");
	printf("waiting to be sent:   %lld request%s\n", st.pending, st.pending == 1 ? "" : "s");
	printf("last successful sync: %s\n", st.last_success ? local_time(st.last_success, when, sizeof when) : "never");
	if (st.last_error[0])
		printf("last failure:         %s: %s\n", local_time(st.last_attempt, when, sizeof when), st.last_error);
	else
		printf("last failure:         none since the last success\n");
	if (st.clock_known) {
		sync_describe_offset(st.clock_offset, offset, sizeof offset);
		printf("clock:                %s%s\n", st.clock_offset == 0 ? "in step with the server's" : offset,
			llabs(st.clock_offset) > VNTIME_CLOCK_TOLERANCE ? "  (too far off: set the kiosk's clock)" : "");
	} else {
		printf("clock:                not measured yet\n");
	}
	printf("acknowledged up to:   %lld; events up to %lld; envelopes %lld\n", st.acked, st.cursor, st.envelope_n);
	return 0;
}

enum { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

static const struct {
	const char *name;
	int takes_arg;
	command_fn fn;
} commands[] = {
	{ "key", ARG_NONE, cmd_key },
	{ "now", ARG_NONE, cmd_now },
	{ "export", ARG_OPTIONAL, cmd_export },
	{ "import", ARG_OPTIONAL, cmd_import },
	{ "status", ARG_NONE, cmd_status },
};

int main(int argc, char **argv)
{
	static tool t;
	char err[600];
	const char *name = NULL, *arg = NULL;
	size_t i;
	int a, rc = -1, lock;
	log_setup("motcua-sync", NULL);
	if (nodump_process(err, sizeof err) != 0) log_warn("%s", err);
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--config") == 0 && a + 1 < argc) t.config_path = argv[++a];
		else if (strcmp(argv[a], "--progress") == 0) t.machine = 1;
		else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) return usage();
		else if (!name) name = argv[a];
		else if (!arg) arg = argv[a];
		else return usage();
	}
	if (!t.config_path || !name) return usage();
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0) break;
	if (i == sizeof commands / sizeof commands[0] || (commands[i].takes_arg == ARG_NONE && arg) ||
	    (commands[i].takes_arg == ARG_REQUIRED && !arg)) {
		if (i < sizeof commands / sizeof commands[0])
			log_error("%s %s", name, arg ? "takes no argument" : "needs an argument");
		else
			log_error("unknown command \"%s\"", name);
		return usage();
	}
	if (config_load(t.config_path, &t.cfg, err, sizeof err) != 0) {
		char line[700];
		snprintf(line, sizeof line, "%s", err);
		return fail_early(&t, SYNC_NOT_CONFIGURED, "", line);
	}
	log_setup(NULL, t.cfg.log_level);
	if (sync_global_init() != 0)
		return fail_early(&t, SYNC_LOCAL, "", "libcurl or libsodium could not start");
	lock = commands[i].fn == cmd_key || commands[i].fn == cmd_status ? -1 : one_at_a_time(&t);
	rc = commands[i].fn(&t, arg);
	if (lock >= 0) close(lock);
	db_close(t.store);
	return rc;
}
