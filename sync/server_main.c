/* motcua-server: the upstream ("district") server's command line.
 *
 * `init` makes the server's data folder, its key pairs (Ed25519 to sign what
 * it sends, X25519 to open what kiosks seal) and its database, and prints
 * the one line of public key that each kiosk's configuration needs. `kiosk`
 * registers, lists and revokes kiosks; `serve` runs the HTTP server;
 * `update` records a status change for the citizen; `show` opens one request
 * for staff; `import` takes a USB bundle exactly as a push over HTTP. The
 * commands and their options are tables; each command checks only what is
 * its own. */
#include "envelope.h"
#include "proto.h"
#include "seal.h"
#include "srv_db.h"
#include "srv_http.h"
#include "srv_keys.h"
#include "srv_sync.h"
#include "token.h"
#include "utf8.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define VIETNAM_UTC_OFFSET (7 * 3600)
#define DEFAULT_OFFICE_LEVEL "cơ quan cấp trên"
#define DEFAULT_LOOKUP_RATE 120u

enum {
	OPT_DATA, OPT_PUBLIC_URL, OPT_KIOSK, OPT_KEY, OPT_LISTEN, OPT_ASSETS, OPT_LOOKUP_RATE,
	OPT_OFFICE_LEVEL, OPT_STATUS, OPT_NOTE, OPT_REPLY, NOPTIONS
};
#define OPT(o) (1u << (o))

static const char *const option_names[NOPTIONS] = {
	[OPT_DATA] = "--data", [OPT_PUBLIC_URL] = "--public-url", [OPT_KIOSK] = "--kiosk",
	[OPT_KEY] = "--key", [OPT_LISTEN] = "--listen", [OPT_ASSETS] = "--assets",
	[OPT_LOOKUP_RATE] = "--lookup-rate", [OPT_OFFICE_LEVEL] = "--office-level",
	[OPT_STATUS] = "--status", [OPT_NOTE] = "--note", [OPT_REPLY] = "--reply",
};

typedef struct {
	const char *value[NOPTIONS];
	const char *arg;             /* the one positional argument, if the command takes it */
} options;

typedef struct {
	const char *name, *sub;      /* "kiosk", "add" */
	int (*run)(const options *o);
	unsigned required, allowed;  /* OPT() masks */
	int takes_arg;
	const char *usage;
} command;

static int cmd_init(const options *o);
static int cmd_kiosk_add(const options *o);
static int cmd_kiosk_list(const options *o);
static int cmd_kiosk_revoke(const options *o);
static int cmd_serve(const options *o);
static int cmd_update(const options *o);
static int cmd_show(const options *o);
static int cmd_import(const options *o);

static const command commands[] = {
	{ "init", NULL, cmd_init, OPT(OPT_DATA), OPT(OPT_PUBLIC_URL), 0,
		"init --data DIR --public-url URL" },
	{ "kiosk", "add", cmd_kiosk_add, OPT(OPT_DATA) | OPT(OPT_KIOSK) | OPT(OPT_KEY), 0, 0,
		"kiosk add --data DIR --kiosk ID --key KIOSK_PUBLIC_KEY" },
	{ "kiosk", "list", cmd_kiosk_list, OPT(OPT_DATA), 0, 0,
		"kiosk list --data DIR" },
	{ "kiosk", "revoke", cmd_kiosk_revoke, OPT(OPT_DATA) | OPT(OPT_KIOSK), 0, 0,
		"kiosk revoke --data DIR --kiosk ID" },
	{ "serve", NULL, cmd_serve, OPT(OPT_DATA) | OPT(OPT_LISTEN),
		OPT(OPT_ASSETS) | OPT(OPT_LOOKUP_RATE) | OPT(OPT_OFFICE_LEVEL), 0,
		"serve --data DIR --listen HOST:PORT [--assets DIR] [--lookup-rate PER_MINUTE] [--office-level TEXT]" },
	{ "update", NULL, cmd_update, OPT(OPT_DATA) | OPT(OPT_STATUS), OPT(OPT_NOTE), 1,
		"update --data DIR TOKEN_OR_ID --status STATUS [--note TEXT]" },
	{ "show", NULL, cmd_show, OPT(OPT_DATA), 0, 1,
		"show --data DIR TOKEN_OR_ID" },
	{ "import", NULL, cmd_import, OPT(OPT_DATA) | OPT(OPT_REPLY), 0, 1,
		"import --data DIR BUNDLE --reply OUT" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static int usage(void)
{
	size_t i;
	fprintf(stderr, "usage:\n");
	for (i = 0; i < NCOMMANDS; i++) fprintf(stderr, "  motcua-server %s\n", commands[i].usage);
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "motcua-server: %s\n", what);
	return 1;
}

/* "YYYY-MM-DD HH:MM" in Vietnam time (UTC+7, no DST), "never" for 0. */
static void format_time(long long t, char out[24])
{
	time_t v = (time_t)(t + VIETNAM_UTC_OFFSET);
	struct tm tm;
	if (t == 0 || !gmtime_r(&v, &tm) || strftime(out, 24, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, 24, "never");
}

static int open_db(const options *o, int create, srv_db **db)
{
	char err[700];
	if (srv_db_open(db, o->value[OPT_DATA], create, err, sizeof err) == 0) return 0;
	fprintf(stderr, "motcua-server: %s\n", err);
	return -1;
}

/* ---- init ---- */

/* A public URL is the base of the links kiosks print in QR codes: http(s),
 * no spaces, kept without its trailing slashes. */
static int check_public_url(const char *url, char *out, size_t outlen)
{
	size_t len = strlen(url), i;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f) return -1;
	while (len > 0 && url[len - 1] == '/') len--;
	if (len >= outlen || len <= 8) return -1;
	memcpy(out, url, len);
	out[len] = '\0';
	return 0;
}

static int cmd_init(const options *o)
{
	const char *dir = o->value[OPT_DATA], *url = o->value[OPT_PUBLIC_URL];
	char err[700], public_url[512], line[SEAL_LINE_MAX + 8], keypath[600];
	srv_keys keys;
	seal_server_key pub;
	srv_db *db;
	if (url && check_public_url(url, public_url, sizeof public_url) != 0) {
		fprintf(stderr, "motcua-server: --public-url %s: expected the server's address as citizens' phones"
			" reach it, e.g. https://motcua.example.vn\n", url);
		return 2;
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "motcua-server: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (srv_keys_create(dir, &keys, err, sizeof err) != 0) return fail(err);
	db = NULL;
	if (open_db(o, 1, &db) != 0 ||
	    (url && srv_db_meta_set(db, "public_url", public_url, err, sizeof err) != 0)) {
		/* Without its database the setup is not done: let init run again. */
		if (db) fail(err);
		srv_db_close(db);
		snprintf(keypath, sizeof keypath, "%s/server.key", dir);
		unlink(keypath);
		srv_keys_wipe(&keys);
		return 1;
	}
	srv_db_close(db);
	srv_keys_public(&keys, &pub);
	srv_keys_wipe(&keys);
	seal_format_server_key(&pub, line, sizeof line);
	printf("%s\n", line);
	fprintf(stderr, "motcua-server: put this line in each kiosk's configuration as [server] key\n");
	if (!url)
		fprintf(stderr, "motcua-server: no --public-url given: phone pages will carry no absolute links\n");
	return 0;
}

/* ---- kiosks ---- */

static int check_kiosk_id(const char *id)
{
	if (env_is_kiosk_id(id)) return 0;
	fprintf(stderr, "motcua-server: bad kiosk id \"%s\": expected <5-digit commune code>-<1..999>, e.g. 27280-1\n", id);
	return -1;
}

static int cmd_kiosk_add(const options *o)
{
	const char *id = o->value[OPT_KIOSK];
	unsigned char key[ENV_PK_BYTES];
	char err[300];
	srv_db *db;
	int rc;
	if (check_kiosk_id(id) != 0) return 2;
	if (env_parse_kiosk_key(o->value[OPT_KEY], key, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-server: bad kiosk key: %s\n", err);
		return 2;
	}
	if (open_db(o, 0, &db) != 0) return 1;
	rc = srv_db_kiosk_add(db, id, key, (long long)time(NULL), err, sizeof err);
	srv_db_close(db);
	if (rc != 0) return fail(err);
	printf("kiosk %s registered\n", id);
	return 0;
}

static int print_kiosk(const srv_db_kiosk *k, void *arg)
{
	char key[ENV_KEY_LINE_MAX], added[24], seen[24], offset[24];
	(void)arg;
	env_format_kiosk_key(k->key, key, sizeof key);
	format_time(k->added_at, added);
	format_time(k->last_seen, seen);
	if (k->last_seen) snprintf(offset, sizeof offset, "%+llds", k->clock_offset);
	else snprintf(offset, sizeof offset, "-");
	printf("%-10s %-8s %-48s %-16s %-16s %-10s %8lld %8lld\n", k->id, k->revoked ? "revoked" : "active",
		key, added, seen, offset, k->acked, k->requests);
	return 0;
}

static int cmd_kiosk_list(const options *o)
{
	char err[300];
	srv_db *db;
	int rc;
	if (open_db(o, 0, &db) != 0) return 1;
	printf("%-10s %-8s %-48s %-16s %-16s %-10s %8s %8s\n", "KIOSK", "STATE", "KEY", "ADDED (UTC+7)",
		"LAST SEEN", "CLOCK", "ACKED", "REQUESTS");
	rc = srv_db_kiosk_list(db, print_kiosk, NULL, err, sizeof err);
	srv_db_close(db);
	return rc == 0 ? 0 : fail(err);
}

static int cmd_kiosk_revoke(const options *o)
{
	const char *id = o->value[OPT_KIOSK];
	char err[300];
	srv_db *db;
	int rc;
	if (check_kiosk_id(id) != 0) return 2;
	if (open_db(o, 0, &db) != 0) return 1;
	rc = srv_db_kiosk_revoke(db, id, err, sizeof err);
	srv_db_close(db);
	if (rc != 0) return fail(err);
	printf("kiosk %s revoked: its pushes are refused from now on\n", id);
	return 0;
}

/* ---- serve ---- */

static int cmd_serve(const options *o)
{
	srv_http_config cfg = { o->value[OPT_DATA], o->value[OPT_LISTEN],
		o->value[OPT_ASSETS] ? o->value[OPT_ASSETS] : "assets", DEFAULT_LOOKUP_RATE,
		o->value[OPT_OFFICE_LEVEL] ? o->value[OPT_OFFICE_LEVEL] : DEFAULT_OFFICE_LEVEL };
	char err[700], *end;
	if (o->value[OPT_LOOKUP_RATE]) {
		unsigned long rate = strtoul(o->value[OPT_LOOKUP_RATE], &end, 10);
		if (!*o->value[OPT_LOOKUP_RATE] || *end || rate > 1000000 || o->value[OPT_LOOKUP_RATE][0] == '-') {
			fprintf(stderr, "motcua-server: --lookup-rate %s: expected lookups a minute per address, 0 for"
				" no limit\n", o->value[OPT_LOOKUP_RATE]);
			return 2;
		}
		cfg.lookup_rate = (unsigned)rate;
	}
	if (!utf8_valid(cfg.office_level, strlen(cfg.office_level))) {
		fprintf(stderr, "motcua-server: --office-level: not UTF-8 text\n");
		return 2;
	}
	if (srv_http_run(&cfg, err, sizeof err) != 0) return fail(err);
	return 0;
}

/* ---- update and show ---- */

static int find_request(srv_db *db, const char *token_or_id, srv_db_request *r)
{
	int found = srv_db_request_find(db, token_or_id, r);
	if (found < 0) fprintf(stderr, "motcua-server: the database did not answer\n");
	if (found == 0) fprintf(stderr, "motcua-server: no request with that id or receipt code on this server\n");
	return found == 1 ? 0 : -1;
}

static int cmd_update(const options *o)
{
	const char *status = o->value[OPT_STATUS], *note = o->value[OPT_NOTE] ? o->value[OPT_NOTE] : "";
	srv_db_request r;
	srv_db *db;
	long long event_id;
	char err[300];
	int rc;
	if (!proto_is_status(status) || strcmp(status, "received") == 0) {
		fprintf(stderr, "motcua-server: --status %s: expected one of synced, accepted, in_progress,"
			" supplement, resolved, rejected, withdrawn\n", status);
		return 2;
	}
	if (!utf8_valid(note, strlen(note)) || strlen(note) > PROTO_NOTE_MAX - 1) {
		fprintf(stderr, "motcua-server: --note: must be UTF-8 text of at most %d bytes\n", PROTO_NOTE_MAX - 1);
		return 2;
	}
	if (open_db(o, 0, &db) != 0) return 1;
	if (find_request(db, o->arg, &r) != 0) {
		srv_db_close(db);
		return 1;
	}
	rc = srv_db_update(db, r.id, status, note, (long long)time(NULL), &event_id, err, sizeof err);
	srv_db_close(db);
	if (rc != 0) {
		srv_db_request_free(&r);
		return fail(err);
	}
	printf("%s: %s -> %s (event %lld, %s); kiosk %s hears of it at its next sync\n", r.id, r.status, status,
		event_id, *note ? "with a note for the citizen" : "no note", r.kiosk);
	srv_db_request_free(&r);
	return 0;
}

static int print_event(const proto_event *e, void *arg)
{
	char at[24];
	(void)arg;
	format_time(e->at, at);
	printf("  %-6lld %s  %-12s %s\n", e->id, at, e->status, e->note);
	return 0;
}

/* The sealed identity, opened and printed field by field. */
static void print_identity(const srv_keys *keys, const srv_db_request *r)
{
	unsigned char *clear;
	size_t len = r->sealed_len > SEAL_OVERHEAD ? r->sealed_len - SEAL_OVERHEAD : 0;
	json_t *o, *v;
	const char *field;
	char *text;
	printf("identity:\n");
	if (!len || !(clear = malloc(len + 1)) ) {
		printf("  (nothing sealed)\n");
		return;
	}
	if (seal_open(keys->box_pk, keys->box_sk, r->sealed, r->sealed_len, clear) != 0) {
		printf("  (cannot be opened with this server's key: sealed to another server, or damaged)\n");
		free(clear);
		return;
	}
	clear[len] = '\0';
	if (!(o = json_loadb((const char *)clear, len, 0, NULL)) || !json_is_object(o)) {
		printf("  (not a JSON object) %s\n", (const char *)clear);
	} else {
		json_object_foreach(o, field, v) {
			if (json_is_string(v)) {
				printf("  %-12s %s\n", field, json_string_value(v));
			} else if ((text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT))) {
				printf("  %-12s %s\n", field, text);
				free(text);
			}
		}
	}
	json_decref(o);
	sodium_memzero(clear, len);
	free(clear);
}

static int cmd_show(const options *o)
{
	srv_keys keys;
	srv_db_request r;
	srv_db *db;
	char err[700], grouped[TOKEN_GROUPED_LEN + 1], received[24], stored[24], updated[24];
	int rc;
	if (srv_keys_load(o->value[OPT_DATA], &keys, err, sizeof err) != 0) return fail(err);
	if (open_db(o, 0, &db) != 0 || find_request(db, o->arg, &r) != 0) {
		srv_db_close(db);
		srv_keys_wipe(&keys);
		return 1;
	}
	token_group(r.token, grouped);
	format_time(r.received_at, received);
	format_time(r.received_server_at, stored);
	format_time(r.updated_at, updated);
	printf("# DỮ LIỆU CÁ NHÂN / PERSONAL DATA: for staff handling this request only; do not copy or share.\n");
	printf("request      %s\n", r.id);
	printf("kiosk        %s (seq %lld)\n", r.kiosk, r.seq);
	printf("receipt code %s\n", grouped);
	printf("category     %s\n", r.category);
	printf("procedure    %s\n", r.procedure[0] ? r.procedure : "-");
	printf("received     %s (kiosk clock, UTC+7)\n", received);
	printf("stored       %s (server clock, UTC+7)\n", stored);
	printf("deadline     %s\n", r.deadline);
	printf("status       %s (since %s)\n", r.status, updated);
	print_identity(&keys, &r);
	srv_keys_wipe(&keys);
	printf("events:\n");
	rc = srv_db_request_events(db, r.id, print_event, NULL);
	srv_db_request_free(&r);
	srv_db_close(db);
	return rc == 0 ? 0 : fail("the events could not be read");
}

/* ---- import ---- */

static char *read_bundle(const char *path, size_t *len)
{
	struct stat st;
	char *text = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "motcua-server: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "motcua-server: %s: not a regular file\n", path);
	} else if ((unsigned long long)st.st_size > ENV_MAX_BYTES) {
		fprintf(stderr, "motcua-server: %s: refused (too_large): the envelope is larger than %u bytes\n",
			path, ENV_MAX_BYTES);
	} else if (!(text = malloc((size_t)st.st_size + 1)) ||
	           fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "motcua-server: %s: could not be read\n", path);
		free(text);
		text = NULL;
	} else {
		text[st.st_size] = '\0';
		*len = (size_t)st.st_size;
	}
	fclose(f);
	return text;
}

/* Writes the reply where the staff asked, so that a power cut leaves either
 * the whole file or none: a temporary file, fsync, rename, fsync of the
 * folder. */
static int write_reply(const char *path, const char *text, size_t len)
{
	char tmp[4200], dir[4200];
	int fd, dfd;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) return -1;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int cmd_import(const options *o)
{
	const char *bundle = o->arg, *out = o->value[OPT_REPLY];
	srv_keys keys;
	srv_sync_ctx ctx = { &keys, o->value[OPT_DATA] };
	srv_sync_result res;
	srv_db *db;
	char err[700], *text;
	size_t len = 0;
	int rc;
	if (!(text = read_bundle(bundle, &len))) return 1;
	if (srv_keys_load(o->value[OPT_DATA], &keys, err, sizeof err) != 0) {
		free(text);
		return fail(err);
	}
	if (open_db(o, 0, &db) != 0) {
		free(text);
		srv_keys_wipe(&keys);
		return 1;
	}
	rc = srv_sync_push(&ctx, db, text, len, (long long)time(NULL), &res);
	srv_db_close(db);
	srv_keys_wipe(&keys);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "motcua-server: %s: refused (%s): %s\n", bundle, res.error, res.message);
		srv_sync_result_free(&res);
		return 1;
	}
	if (write_reply(out, res.reply, res.reply_len) != 0) {
		fprintf(stderr, "motcua-server: %s: %s (the bundle was stored; import it again for a new reply"
			" once the kiosk has exported a new one)\n", out, strerror(errno));
		srv_sync_result_free(&res);
		return 1;
	}
	printf("bundle from kiosk %s (envelope %lld): %d requests, %d new, acknowledged up to %lld, %d conflicts,"
		" %d events; reply in %s\n", res.kiosk, res.n, res.requests, res.stored, res.acked, res.conflicts,
		res.events, out);
	srv_sync_result_free(&res);
	return 0;
}

/* ---- options ---- */

static int parse(const command *cmd, int argc, char **argv, int first, options *o)
{
	int i, k;
	memset(o, 0, sizeof *o);
	for (i = first; i < argc; i++) {
		for (k = 0; k < NOPTIONS && strcmp(argv[i], option_names[k]) != 0; k++) {}
		if (k < NOPTIONS) {
			if (!((cmd->required | cmd->allowed) & OPT(k))) {
				fprintf(stderr, "motcua-server: %s does not take %s\n", cmd->name, argv[i]);
				return -1;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "motcua-server: %s needs a value\n", argv[i]);
				return -1;
			}
			o->value[k] = argv[++i];
		} else if (cmd->takes_arg && !o->arg && argv[i][0] != '-') {
			o->arg = argv[i];
		} else {
			fprintf(stderr, "motcua-server: unexpected argument %s\n", argv[i]);
			return -1;
		}
	}
	for (k = 0; k < NOPTIONS; k++) {
		if ((cmd->required & OPT(k)) && !o->value[k]) {
			fprintf(stderr, "motcua-server: %s needs %s\n", cmd->name, option_names[k]);
			return -1;
		}
	}
	if (cmd->takes_arg && !o->arg) {
		fprintf(stderr, "motcua-server: %s needs its argument\n", cmd->name);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const command *cmd = NULL;
	options o;
	size_t i;
	if (sodium_init() < 0) return fail("libsodium could not start");
	/* The database and WAL hold who filed what (sealed) and every status:
	 * not for other users of the machine. */
	umask(027);
	for (i = 0; argc >= 2 && i < NCOMMANDS && !cmd; i++) {
		if (strcmp(argv[1], commands[i].name) != 0) continue;
		if (!commands[i].sub || (argc >= 3 && strcmp(argv[2], commands[i].sub) == 0)) cmd = &commands[i];
	}
	if (!cmd) return usage();
	if (parse(cmd, argc, argv, cmd->sub ? 3 : 2, &o) != 0) {
		fprintf(stderr, "usage: motcua-server %s\n", cmd->usage);
		return 2;
	}
	return cmd->run(&o);
}
