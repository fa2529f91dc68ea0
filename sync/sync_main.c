/* motcua-sync: the kiosk's sync command, for staff and the nightly timer.
 *
 * `key` prints the kiosk's public key line for `motcua-server kiosk add`;
 * `now` syncs over the network until caught up; `export` and `import` carry
 * the same signed envelopes on a USB stick; `status` says where sync stands.
 * The exit code says why a sync did not finish, so a timer's log or a script
 * can tell "no network" from "not registered" (see usage). The work is in
 * src/sync.c; this file only reads the command line and prints. */
#include "config.h"
#include "db.h"
#include "sync.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

typedef struct {
	config cfg;
	const char *config_path;
	db *store;
} tool;

typedef int (*command_fn)(tool *t, const char *arg);

static int usage(void)
{
	fprintf(stderr,
		"usage: motcua-sync --config FILE COMMAND\n"
		"  key          print this kiosk's key line (made on first use) and its id\n"
		"  now          sync with [server] url until caught up\n"
		"  export DIR   write every request not yet acknowledged to DIR (a USB stick)\n"
		"  import FILE  apply the server's answer brought back on the stick\n"
		"  status       what waits to be sent, the last sync, the last failure, the clock\n"
		"exit codes: 0 caught up (or done)   2 usage or configuration   3 no network\n"
		"  4 kiosk not registered upstream   5 kiosk revoked   6 server refused\n"
		"  7 bad answer (not the configured server, or malformed)   8 synced, but the clock is far off\n"
		"  9 conflict (the server refused some requests)   10 local problem (database, key, files)\n"
		"  11 stopped\n");
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

static int finish(tool *t, const sync_report *rep)
{
	FILE *out = rep->result == SYNC_OK ? stdout : stderr;
	(void)t;
	fprintf(out, "%s\n", rep->message);
	if (rep->notes[0]) fprintf(stderr, "note: %s\n", rep->notes);
	return sync_exit_code(rep->result);
}

static int open_store(tool *t)
{
	char err[600];
	if (db_open(&t->store, t->cfg.data_dir, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-sync: %s\n", err);
		return -1;
	}
	return 0;
}

/* ---- progress on the terminal ---- */

typedef struct {
	int tty;
	int drawn;
} progress;

static void show_progress(void *ctx, long long done, long long total)
{
	progress *p = ctx;
	if (p->tty) {
		int fill = total > 0 ? (int)(done * BAR_WIDTH / total) : BAR_WIDTH, i;
		char bar[BAR_WIDTH + 1];
		for (i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : ' ';
		bar[BAR_WIDTH] = '\0';
		fprintf(stderr, "\r[%s] %lld/%lld sent", bar, done, total);
		p->drawn = 1;
	} else if (!p->drawn) {
		fprintf(stderr, "%lld request%s waiting to be sent\n", total, total == 1 ? "" : "s");
		p->drawn = 1;
	} else {
		fprintf(stderr, "sent %lld of %lld\n", done, total);
	}
	fflush(stderr);
}

/* ---- commands ---- */

static int cmd_key(tool *t, const char *arg)
{
	char line[ENV_KEY_LINE_MAX], id[ENV_SIGNER_MAX], err[600];
	(void)arg;
	if (sync_key_line(&t->cfg, line, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-sync: %s\n", err);
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
	progress p = { isatty(2), 0 };
	sync_options o = { show_progress, &p, NULL };
	(void)arg;
	if (!t->cfg.server_url[0] || !t->cfg.server_key[0]) {
		fprintf(stderr, "motcua-sync: %s: [server] %s is not set: %s\n", t->config_path,
			!t->cfg.server_url[0] ? "url" : "key",
			!t->cfg.server_url[0] ? "put the address of the district's server there"
			: "put there the line `motcua-server init` printed");
		return sync_exit_code(SYNC_NOT_CONFIGURED);
	}
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	sync_now(&t->cfg, t->store, &o, &rep);
	if (p.drawn && p.tty) fputc('\n', stderr);
	return finish(t, &rep);
}

static int cmd_export(tool *t, const char *dir)
{
	sync_report rep;
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	sync_export(&t->cfg, t->store, dir, &rep);
	return finish(t, &rep);
}

static int cmd_import(tool *t, const char *file)
{
	sync_report rep;
	if (!t->cfg.server_key[0]) {
		fprintf(stderr, "motcua-sync: %s: [server] key is not set: put there the line `motcua-server init` "
			"printed, so that the answer can be checked\n", t->config_path);
		return sync_exit_code(SYNC_NOT_CONFIGURED);
	}
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	sync_import(&t->cfg, t->store, file, &rep);
	return finish(t, &rep);
}

static int cmd_status(tool *t, const char *arg)
{
	db_sync_state st;
	char err[600], when[64], offset[96], id[ENV_SIGNER_MAX];
	(void)arg;
	if (open_store(t) != 0) return sync_exit_code(SYNC_LOCAL);
	if (db_read_sync_state(t->store, &st, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-sync: %s\n", err);
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
			llabs(st.clock_offset) > SYNC_CLOCK_TOLERANCE ? "  (too far off: set the kiosk's clock)" : "");
	} else {
		printf("clock:                not measured yet\n");
	}
	printf("acknowledged up to:   %lld; events up to %lld; envelopes %lld\n", st.acked, st.cursor, st.envelope_n);
	return 0;
}

static const struct {
	const char *name;
	int takes_arg;
	command_fn fn;
} commands[] = {
	{ "key", 0, cmd_key },
	{ "now", 0, cmd_now },
	{ "export", 1, cmd_export },
	{ "import", 1, cmd_import },
	{ "status", 0, cmd_status },
};

int main(int argc, char **argv)
{
	static tool t;
	char err[600];
	const char *name = NULL, *arg = NULL;
	size_t i;
	int a, rc = -1;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--config") == 0 && a + 1 < argc) t.config_path = argv[++a];
		else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) return usage();
		else if (!name) name = argv[a];
		else if (!arg) arg = argv[a];
		else return usage();
	}
	if (!t.config_path || !name) return usage();
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0) break;
	if (i == sizeof commands / sizeof commands[0] || (commands[i].takes_arg != (arg != NULL))) {
		if (i < sizeof commands / sizeof commands[0])
			fprintf(stderr, "motcua-sync: %s %s\n", name, commands[i].takes_arg ? "needs an argument" : "takes no argument");
		else
			fprintf(stderr, "motcua-sync: unknown command \"%s\"\n", name);
		return usage();
	}
	if (config_load(t.config_path, &t.cfg, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-sync: %s\n", err);
		return 2;
	}
	if (sync_global_init() != 0) {
		fprintf(stderr, "motcua-sync: libcurl or libsodium could not start\n");
		return sync_exit_code(SYNC_LOCAL);
	}
	rc = commands[i].fn(&t, arg);
	db_close(t.store);
	return rc;
}
