/* motcua-server: the upstream (provincial) server's command line.
 *
 * `init` makes the server's data folder, its key pairs (Ed25519 to sign what
 * it sends, X25519 to open what kiosks seal) and its database, and prints
 * the one line of public key that each kiosk's configuration needs. `kiosk`
 * registers, lists and revokes kiosks; `serve` runs the HTTP server;
 * `update` records a status change for the citizen as the officials' action
 * that makes it (srv_work.h); `show` opens one request for staff; `import`
 * takes a USB bundle exactly as a push over HTTP; `commune set` names a
 * commune and says whether the remote-area time limits apply; `user` adds,
 * lists, disables and re-passwords the officials' console accounts. The
 * commands and their options are tables; each command checks only what is
 * its own. */
#include "status.h"
#include "words.h"
#include "envelope.h"
#include "log.h"
#include "nodump.h"
#include "proto.h"
#include "seal.h"
#include "srv_bundle.h"
#include "srv_read.h"              /* srv_db.h, and serve --db-read */
#include "srv_auth.h"
#include "srv_http.h"
#include "srv_keys.h"
#include "srv_password.h"
#include "srv_show.h"
#include "srv_sms.h"
#include "srv_sync.h"
#include "srv_work.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_OFFICE_LEVEL "cơ quan cấp tỉnh"
#define DEFAULT_LOOKUP_RATE 120u
#define DEFAULT_LOGIN_RATE 10u         /* console login attempts a minute per address */

enum {
	OPT_DATA, OPT_PUBLIC_URL, OPT_KIOSK, OPT_KEY, OPT_LISTEN, OPT_ASSETS, OPT_LOOKUP_RATE,
	OPT_OFFICE_LEVEL, OPT_STATUS, OPT_NOTE, OPT_REPLY, OPT_REMOTE,
	OPT_NAME, OPT_ROLE, OPT_SESSION_IDLE, OPT_SESSION_MAX, OPT_SECURE_COOKIES, OPT_LOGIN_RATE,
	OPT_TRUSTED_PROXY, OPT_MAX_CONNECTIONS, OPT_PER_ADDRESS, OPT_DEADLINE, OPT_REASON, OPT_KEY_FILE, OPT_DB,
	OPT_DB_READ, OPT_SMS_URL, OPT_SMS_GAMMU, OPT_SMS_TIMEOUT, OPT_SMS_RETRY, NOPTIONS
};
/* Options that are a flag, with no value after them. */
#define FLAG_OPTIONS (OPT(OPT_REMOTE) | OPT(OPT_SECURE_COOKIES))
#define OPT(o) (1u << (o))

static const char *const option_names[NOPTIONS] = {
	[OPT_DATA] = "--data", [OPT_PUBLIC_URL] = "--public-url", [OPT_KIOSK] = "--kiosk",
	[OPT_KEY] = "--key", [OPT_LISTEN] = "--listen", [OPT_ASSETS] = "--assets",
	[OPT_LOOKUP_RATE] = "--lookup-rate", [OPT_OFFICE_LEVEL] = "--office-level",
	[OPT_STATUS] = "--status", [OPT_NOTE] = "--note", [OPT_REPLY] = "--reply", [OPT_REMOTE] = "--remote",
	[OPT_NAME] = "--name", [OPT_ROLE] = "--role", [OPT_SESSION_IDLE] = "--session-idle",
	[OPT_SESSION_MAX] = "--session-max", [OPT_SECURE_COOKIES] = "--secure-cookies", [OPT_LOGIN_RATE] = "--login-rate",
	[OPT_TRUSTED_PROXY] = "--trusted-proxy", [OPT_MAX_CONNECTIONS] = "--max-connections",
	[OPT_PER_ADDRESS] = "--max-per-address", [OPT_DEADLINE] = "--request-deadline",
	[OPT_REASON] = "--reason", [OPT_KEY_FILE] = "--key-file", [OPT_DB] = "--db", [OPT_DB_READ] = "--db-read",
	[OPT_SMS_URL] = "--sms-url", [OPT_SMS_GAMMU] = "--sms-gammu-outbox", [OPT_SMS_TIMEOUT] = "--sms-timeout",
	[OPT_SMS_RETRY] = "--sms-retry",
};
/* Every command that opens the store takes --db postgresql://... to keep
 * it in PostgreSQL instead of DIR/server.db; DIR still holds the key and
 * the files for kiosks. */
#define STORE_OPTIONS OPT(OPT_DB)

typedef struct {
	const char *value[NOPTIONS];
	const char *arg[3];          /* the positional arguments the command takes */
} options;

typedef struct {
	const char *name, *sub;      /* "kiosk", "add" */
	int (*run)(const options *o);
	unsigned required, allowed;  /* OPT() masks */
	int takes_args;              /* how many positional arguments */
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
static int cmd_commune_set(const options *o);
static int cmd_sms_text(const options *o);
static int cmd_user_add(const options *o);
static int cmd_user_list(const options *o);
static int cmd_user_disable(const options *o);
static int cmd_user_passwd(const options *o);
static int cmd_user_communes(const options *o);
static int cmd_store_copy(const options *o);

static const command commands[] = {
	{ "init", NULL, cmd_init, OPT(OPT_DATA), OPT(OPT_PUBLIC_URL) | OPT(OPT_KEY_FILE), 0,
		"init --data DIR --public-url URL [--key-file FILE (default DIR/server.key; apart is safer)]" },
	{ "kiosk", "add", cmd_kiosk_add, OPT(OPT_DATA) | OPT(OPT_KIOSK) | OPT(OPT_KEY), 0, 0,
		"kiosk add --data DIR --kiosk ID --key KIOSK_PUBLIC_KEY" },
	{ "kiosk", "list", cmd_kiosk_list, OPT(OPT_DATA), 0, 0,
		"kiosk list --data DIR" },
	{ "kiosk", "revoke", cmd_kiosk_revoke, OPT(OPT_DATA) | OPT(OPT_KIOSK), 0, 0,
		"kiosk revoke --data DIR --kiosk ID" },
	{ "serve", NULL, cmd_serve, OPT(OPT_DATA),
		OPT(OPT_LISTEN) | OPT(OPT_ASSETS) | OPT(OPT_LOOKUP_RATE) | OPT(OPT_OFFICE_LEVEL) | OPT(OPT_SESSION_IDLE) |
		OPT(OPT_SESSION_MAX) | OPT(OPT_SECURE_COOKIES) | OPT(OPT_LOGIN_RATE) | OPT(OPT_TRUSTED_PROXY) |
		OPT(OPT_MAX_CONNECTIONS) | OPT(OPT_PER_ADDRESS) | OPT(OPT_DEADLINE) | OPT(OPT_KEY_FILE) | OPT(OPT_SMS_URL) |
		OPT(OPT_SMS_GAMMU) | OPT(OPT_SMS_TIMEOUT) | OPT(OPT_SMS_RETRY) | OPT(OPT_DB_READ), 0,
		"serve --data DIR [--listen HOST:PORT (default " SRV_HTTP_LISTEN ")] [--assets DIR]"
		" [--lookup-rate PER_MINUTE] [--office-level TEXT] [--session-idle SECONDS] [--session-max SECONDS]"
		" [--login-rate PER_MINUTE] [--secure-cookies] [--trusted-proxy ADDR[/BITS],...]"
		" [--max-connections N] [--max-per-address N (0: no limit)] [--request-deadline SECONDS]"
		" [--key-file FILE] [--db-read postgresql://REPLICA (the phone page's lookups)] [--sms-url URL | --sms-gammu-outbox DIR] [--sms-timeout SECONDS] [--sms-retry SECONDS]" },
	{ "update", NULL, cmd_update, OPT(OPT_DATA) | OPT(OPT_STATUS), OPT(OPT_NOTE) | OPT(OPT_ASSETS), 1,
		"update --data DIR TOKEN_OR_ID --status STATUS [--note TEXT] [--assets DIR]" },
	{ "show", NULL, cmd_show, OPT(OPT_DATA), OPT(OPT_REASON) | OPT(OPT_KEY_FILE), 1,
		"show --data DIR TOKEN_OR_ID --reason TEXT [--key-file FILE]  (recorded in the audit log)" },
	{ "import", NULL, cmd_import, OPT(OPT_DATA) | OPT(OPT_REPLY), OPT(OPT_ASSETS) | OPT(OPT_KEY_FILE), 1,
		"import --data DIR BUNDLE --reply OUT [--assets DIR] [--key-file FILE]  (a long answer: OUT, OUT-2, ...)" },
	{ "sms-text", NULL, cmd_sms_text, 0, OPT(OPT_ASSETS), 3,
		"sms-text [--assets DIR] supplement|apology|result RECEIPT_CODE YYYY-MM-DD  (what a citizen's message says)" },
	{ "commune", "set", cmd_commune_set, OPT(OPT_DATA), OPT(OPT_REMOTE), 2,
		"commune set --data DIR CODE NAME [--remote]" },
	{ "user", "add", cmd_user_add, OPT(OPT_DATA) | OPT(OPT_NAME) | OPT(OPT_ROLE), 0, 0,
		"user add --data DIR --name NAME --role officer|supervisor  (password from the terminal or stdin)" },
	{ "user", "list", cmd_user_list, OPT(OPT_DATA), 0, 0,
		"user list --data DIR" },
	{ "user", "disable", cmd_user_disable, OPT(OPT_DATA), 0, 1,
		"user disable --data DIR NAME" },
	{ "user", "passwd", cmd_user_passwd, OPT(OPT_DATA), 0, 1,
		"user passwd --data DIR NAME  (password from the terminal or stdin)" },
	{ "user", "communes", cmd_user_communes, OPT(OPT_DATA), 0, 2,
		"user communes --data DIR NAME CODE,CODE,...|none  (the communes an officer works on)" },
	{ "store", "copy", cmd_store_copy, OPT(OPT_DATA) | OPT(OPT_DB), 0, 0,
		"store copy --data DIR --db postgresql://...  (DIR/server.db into an empty PostgreSQL store, every id"
		" kept; the server stopped)" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static int usage(void)
{
	size_t i;
	fprintf(stderr, "usage:\n");
	for (i = 0; i < NCOMMANDS; i++) fprintf(stderr, "  motcua-server %s\n", commands[i].usage);
	fprintf(stderr, "every command also takes --db postgresql://... to keep the store in PostgreSQL\n");
	return 2;
}

static int fail(const char *what)
{
	log_error("%s", what);
	return 1;
}

/* "YYYY-MM-DD HH:MM" in Vietnam time (UTC+7, no DST), "never" for 0. */
static void format_time(long long t, char out[24])
{
	if (t == 0 || vntime_format(t, "%Y-%m-%d %H:%M", out, 24) == 0) snprintf(out, 24, "never");
}

/* Where the store is: --db's URL, or the data folder. */
static const char *store_of(const options *o)
{
	return o->value[OPT_DB] ? o->value[OPT_DB] : o->value[OPT_DATA];
}

static int open_db(const options *o, int create, srv_db **db)
{
	char err[700];
	if (srv_db_open(db, store_of(o), create, err, sizeof err) == 0) return 0;
	log_error("%s", err);
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

/* The server's keys, from where srv_keys_path says. */
static int load_keys(const options *o, srv_keys *keys, char *err, size_t errlen)
{
	char path[600];
	srv_keys_path(o->value[OPT_DATA], o->value[OPT_KEY_FILE], path, sizeof path);
	return srv_keys_load_file(path, keys, err, errlen);
}

static int cmd_init(const options *o)
{
	const char *dir = o->value[OPT_DATA], *url = o->value[OPT_PUBLIC_URL];
	char err[700], public_url[512], line[SEAL_LINE_MAX + 8], keypath[600];
	srv_keys keys;
	seal_server_key pub;
	srv_db *db;
	if (url && check_public_url(url, public_url, sizeof public_url) != 0) {
		log_error("--public-url %s: expected the server's address as citizens' phones"
			" reach it, e.g. https://motcua.example.vn", url);
		return 2;
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		log_error("%s: %s", dir, strerror(errno));
		return 1;
	}
	srv_keys_path(dir, o->value[OPT_KEY_FILE], keypath, sizeof keypath);
	if (srv_keys_create_file(keypath, &keys, err, sizeof err) != 0) return fail(err);
	db = NULL;
	if (open_db(o, 1, &db) != 0 ||
	    (url && srv_db_meta_set(db, "public_url", public_url, err, sizeof err) != 0)) {
		/* Without its database the setup is not done: let init run again. */
		if (db) fail(err);
		srv_db_close(db);
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
		log_warn("no --public-url given: phone pages will carry no absolute links");
	return 0;
}

/* ---- kiosks ---- */

static int check_kiosk_id(const char *id)
{
	if (env_is_kiosk_id(id)) return 0;
	log_error("bad kiosk id \"%s\": expected <5-digit commune code>-<1..999>, e.g. 27280-1", id);
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
		log_error("bad kiosk key: %s", err);
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

/* A whole number option from min to max; untouched when absent. */
static int number_option(const options *o, int k, long long min, long long max, long long *out)
{
	const char *v = o->value[k];
	char *end;
	long long n;
	if (!v) return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max) {
		log_error("%s %s: expected a whole number from %lld to %lld", option_names[k], v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

/* serve's numbers: the option and its range (seconds: up to 10 years). */
static const struct { int opt; long long min, max; } serve_numbers[] = {
	{ OPT_SESSION_IDLE, 1, 315360000LL }, { OPT_SESSION_MAX, 1, 315360000LL },
	{ OPT_LOGIN_RATE, 1, 1000000 }, { OPT_LOOKUP_RATE, 0, 1000000 },
	{ OPT_MAX_CONNECTIONS, 16, 1000000 }, { OPT_PER_ADDRESS, 0, 1000000 }, { OPT_DEADLINE, 1, 86400 },
	{ OPT_SMS_TIMEOUT, 1, 300 }, { OPT_SMS_RETRY, 1, 86400 },
};

static int cmd_serve(const options *o)
{
	srv_http_config cfg;
	long long n[NOPTIONS] = { 0 };
	char err[700];
	size_t i;
	n[OPT_LOOKUP_RATE] = DEFAULT_LOOKUP_RATE;
	n[OPT_LOGIN_RATE] = DEFAULT_LOGIN_RATE;
	n[OPT_PER_ADDRESS] = SRV_HTTP_PER_ADDRESS;
	for (i = 0; i < sizeof serve_numbers / sizeof serve_numbers[0]; i++)
		if (number_option(o, serve_numbers[i].opt, serve_numbers[i].min, serve_numbers[i].max,
				&n[serve_numbers[i].opt]) != 0)
			return 2;
	memset(&cfg, 0, sizeof cfg);
	cfg.data_dir = o->value[OPT_DATA];
	cfg.store = o->value[OPT_DB];
	cfg.key_file = o->value[OPT_KEY_FILE];
	if (srv_read_check((cfg.read_store = o->value[OPT_DB_READ]), cfg.store, err, sizeof err) != 0) return fail(err);
	cfg.listen = o->value[OPT_LISTEN] ? o->value[OPT_LISTEN] : SRV_HTTP_LISTEN;
	cfg.assets_dir = o->value[OPT_ASSETS] ? o->value[OPT_ASSETS] : "assets";
	cfg.office_level = o->value[OPT_OFFICE_LEVEL] ? o->value[OPT_OFFICE_LEVEL] : DEFAULT_OFFICE_LEVEL;
	cfg.secure_cookies = o->value[OPT_SECURE_COOKIES] != NULL;
	cfg.trusted_proxies = o->value[OPT_TRUSTED_PROXY];
	cfg.session_idle = n[OPT_SESSION_IDLE];
	cfg.session_absolute = n[OPT_SESSION_MAX];
	cfg.lookup_rate = (unsigned)n[OPT_LOOKUP_RATE];
	cfg.login_rate = (unsigned)n[OPT_LOGIN_RATE];
	cfg.max_connections = (unsigned)n[OPT_MAX_CONNECTIONS];
	cfg.per_address = (unsigned)n[OPT_PER_ADDRESS];
	cfg.request_deadline = (unsigned)n[OPT_DEADLINE];
	cfg.sms_url = o->value[OPT_SMS_URL];
	cfg.sms_gammu = o->value[OPT_SMS_GAMMU];
	cfg.sms_timeout = (int)n[OPT_SMS_TIMEOUT];
	cfg.sms_retry = (int)n[OPT_SMS_RETRY];
	if (cfg.sms_url && cfg.sms_gammu) {
		log_error("--sms-url and --sms-gammu-outbox: choose one way to send text messages");
		return 2;
	}
	if (cfg.sms_url && strncmp(cfg.sms_url, "http://", 7) != 0 && strncmp(cfg.sms_url, "https://", 8) != 0) {
		log_error("--sms-url %s: expected an http:// or https:// address", cfg.sms_url);
		return 2;
	}
	if (!utf8_valid(cfg.office_level, strlen(cfg.office_level))) {
		log_error("--office-level: not UTF-8 text");
		return 2;
	}
	/* The pages' words: a missing or broken translation stops the server
	 * here, with the file, line and key. */
	if (words_load(cfg.assets_dir, err, sizeof err) != 0) return fail(err);
	if (srv_http_run(&cfg, err, sizeof err) != 0) return fail(err);
	return 0;
}

/* ---- update and show ---- */

static int find_request(srv_db *db, const char *token_or_id, srv_db_request *r)
{
	int found = srv_db_request_find(db, token_or_id, r);
	if (found < 0) log_error("the database did not answer");
	if (found == 0) log_error("no request with that id or receipt code on this server");
	return found == 1 ? 0 : -1;
}

/* The rules deadlines are counted by: the files the server offers kiosks
 * (DATA/catalog.json, DATA/holidays.json), else the installed ones. Without
 * a catalog the deadlines are left as they are; without a holiday file only
 * weekends are days off. Both are said on stderr. */
static catalog *load_rules(const options *o, cal **calendar)
{
	const char *assets = o->value[OPT_ASSETS] ? o->value[OPT_ASSETS] : "assets";
	const char *dirs[] = { o->value[OPT_DATA], assets };
	char path[600], why[700];
	catalog *cat = malloc(sizeof *cat);
	size_t i;
	int loaded = 0;
	*calendar = NULL;
	for (i = 0; cat && i < 2 && !loaded; i++) {
		snprintf(path, sizeof path, "%s/catalog.json", dirs[i]);
		if (access(path, R_OK) != 0) continue;
		if (catalog_load(path, cat, why, sizeof why) == 0) loaded = 1;
		else log_warn("%s", why);
	}
	if (!loaded) {
		log_warn("no catalog (DATA/catalog.json or %s/catalog.json): deadlines stay as"
			" they are", assets);
		free(cat);
		cat = NULL;
	}
	for (i = 0; i < 2 && !*calendar; i++) {
		snprintf(path, sizeof path, "%s/holidays.json", dirs[i]);
		if (access(path, R_OK) != 0) continue;
		if (!(*calendar = cal_load(path, why, sizeof why))) log_warn("%s", why);
	}
	if (!*calendar) log_warn("no holiday file: only weekends count as days off");
	return cat;
}

static int cmd_update(const options *o)
{
	const char *status = o->value[OPT_STATUS], *note = o->value[OPT_NOTE] ? o->value[OPT_NOTE] : "";
	srv_db_request r;
	srv_db *db;
	catalog *cat;
	cal *calendar;
	long long event_id;
	char err[300];
	int rc;
	if (!(status_parse(status) >= 0) || strcmp(status, "received") == 0) {
		log_error("--status %s: expected one of synced, accepted, in_progress,"
			" supplement, resolved, rejected, withdrawn", status);
		return 2;
	}
	if (!utf8_valid(note, strlen(note)) || strlen(note) > PROTO_NOTE_MAX - 1) {
		log_error("--note: must be UTF-8 text of at most %d bytes", PROTO_NOTE_MAX - 1);
		return 2;
	}
	if (open_db(o, 0, &db) != 0) return 1;
	if (find_request(db, o->arg[0], &r) != 0) {
		srv_db_close(db);
		return 1;
	}
	cat = load_rules(o, &calendar);
	rc = srv_work_update(db, cat, calendar, r.id, status, note, (long long)time(NULL), &event_id, err, sizeof err);
	srv_db_close(db);
	free(cat);
	cal_free(calendar);
	if (rc != 0) {
		srv_db_request_free(&r);
		return fail(err);
	}
	printf("%s: %s -> %s (event %lld, %s); kiosk %s hears of it at its next sync\n", r.id, r.status, status,
		event_id, *note ? "with the note given" : "with the standard note", r.kiosk);
	srv_db_request_free(&r);
	return 0;
}

/* Who runs this command, for the audit log: the OS account (and the one
 * sudo was run from). */
static void os_user(char *out, size_t outlen)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *sudo = getenv("SUDO_USER");
	snprintf(out, outlen, "os:%.40s%s%.40s", pw ? pw->pw_name : "?", sudo && *sudo ? " via sudo by " : "",
		sudo && *sudo ? sudo : "");
}

/* Opens one request's identity: only with a reason, kept in the audit log
 * (who, `show`, the request, the reason) before anything is printed. */
static int cmd_show(const options *o)
{
	const char *reason = o->value[OPT_REASON];
	srv_keys keys;
	srv_db_request r;
	srv_db *db;
	char err[700], who[128], detail[600];
	int rc;
	if (!reason || !*reason || strlen(reason) >= 400 || !utf8_valid(reason, strlen(reason))) {
		log_error("show opens a citizen's identity: give the reason with --reason TEXT (at most 399 bytes);"
			" it is kept in the audit log with your name");
		return 2;
	}
	if (load_keys(o, &keys, err, sizeof err) != 0) return fail(err);
	if (open_db(o, 0, &db) != 0 || find_request(db, o->arg[0], &r) != 0) {
		srv_db_close(db);
		srv_keys_wipe(&keys);
		return 1;
	}
	os_user(who, sizeof who);
	snprintf(detail, sizeof detail, "%s: %s", r.category, reason);
	if (srv_work_audit_add(db, (long long)time(NULL), who, "show", r.id, detail, err, sizeof err) != 0) {
		srv_db_request_free(&r);
		srv_db_close(db);
		srv_keys_wipe(&keys);
		return fail(err);
	}
	if (strcmp(r.category, "denunciation") == 0)
		printf("# OPENING A DENUNCIATION: the denouncer's identity is secret (Law on Denunciation 2018, Art. 9)."
			" This opening is recorded in the audit log as %s, with your reason.\n", who);
	rc = srv_show_request(stdout, db, &keys, &r);
	srv_keys_wipe(&keys);
	srv_db_request_free(&r);
	srv_db_close(db);
	return rc == 0 ? 0 : fail("the events could not be read");
}

/* ---- import ---- */

static int cmd_import(const options *o)
{
	const char *bundle = o->arg[0], *out = o->value[OPT_REPLY];
	srv_keys keys;
	srv_sync_ctx ctx = { .keys = &keys, .data_dir = o->value[OPT_DATA], .offline = 1, .max_requests = PROTO_BUNDLE };
	srv_sync_result res;
	srv_db *db;
	catalog *cat;
	cal *calendar;
	char err[700], *text;
	size_t len = 0;
	int rc, files = 0;
	if (!(text = srv_bundle_read(bundle, &len))) return 1;
	if (load_keys(o, &keys, err, sizeof err) != 0) {
		free(text);
		return fail(err);
	}
	if (open_db(o, 0, &db) != 0) {
		free(text);
		srv_keys_wipe(&keys);
		return 1;
	}
	/* The same rules as the network path: the catalog's categories, the
	 * bundle's limit, dates the server holds true. */
	ctx.cat = cat = load_rules(o, &calendar);
	ctx.calendar = calendar;
	rc = srv_sync_push(&ctx, db, text, len, (long long)time(NULL), &res);
	free(text);
	free(cat);
	cal_free(calendar);
	if (rc == 0) files = srv_bundle_write_answer(db, &keys, out, res.reply, res.reply_len);
	if (rc == 0 && res.stored > 0) srv_sync_index(&ctx, db);   /* the search keys of what came */
	srv_db_close(db);
	srv_keys_wipe(&keys);
	if (rc != 0) {
		log_error("%s: refused (%s): %s", bundle, res.error, res.message);
		srv_sync_result_free(&res);
		return 1;
	}
	if (files == 0) {
		log_error("%s: %s (the bundle was stored; import it again for a new reply"
			" once the kiosk has exported a new one)", out, strerror(errno));
		srv_sync_result_free(&res);
		return 1;
	}
	printf("bundle from kiosk %s (envelope %lld): %d requests, %d new, acknowledged up to %lld, %d conflicts,"
		" %d events; reply in %s\n", res.kiosk, res.n, res.requests, res.stored, res.acked, res.conflicts,
		res.events, out);
	if (files > 1) printf("the answer is %d files (%s and the next): bring them all to the kiosk in one folder\n",
		files, out);
	srv_sync_result_free(&res);
	return 0;
}

/* ---- text messages ---- */

static int cmd_sms_text(const options *o)
{
	char err[700], text[480];
	if (words_load(o->value[OPT_ASSETS] ? o->value[OPT_ASSETS] : "assets", err, sizeof err) != 0) return fail(err);
	if (srv_sms_text(o->arg[0], o->arg[1], o->arg[2], "", text, sizeof text) != 0) {
		log_error("%s: expected supplement, apology or result", o->arg[0]);
		return 2;
	}
	printf("%s\n", text);
	return 0;
}

/* ---- communes ---- */

static int cmd_commune_set(const options *o)
{
	work_commune c;
	srv_db *db;
	char err[300];
	int rc;
	memset(&c, 0, sizeof c);
	if (strlen(o->arg[0]) >= sizeof c.code || strlen(o->arg[1]) >= sizeof c.name) {
		log_error("expected a 5-digit commune code and a name of at most %zu bytes",
			sizeof c.name - 1);
		return 2;
	}
	snprintf(c.code, sizeof c.code, "%s", o->arg[0]);
	snprintf(c.name, sizeof c.name, "%s", o->arg[1]);
	c.remote = o->value[OPT_REMOTE] != NULL;
	if (open_db(o, 0, &db) != 0) return 1;
	rc = srv_work_commune_set(db, &c, err, sizeof err);
	srv_db_close(db);
	if (rc != 0) {
		log_error("%s", err);
		return rc < 0 ? 1 : 2;
	}
	printf("commune %s: %s%s\n", c.code, c.name, c.remote ? " (remote area: the longer time limits apply)" : "");
	return 0;
}

/* ---- officials' accounts ---- */

/* Runs an account change with a password read first; 0, 1 refused or failed, 2 bad input. */
static int with_password(const options *o, const char *name, const char *role)
{
	char password[SRV_AUTH_PASSWORD_MAX + 2], err[300];
	srv_db *db;
	int rc;
	if (srv_password_read(password, sizeof password) != 0) return 2;
	if (open_db(o, 0, &db) != 0) {
		sodium_memzero(password, sizeof password);
		return 1;
	}
	rc = role ? srv_auth_user_add(db, name, role, password, (long long)time(NULL), err, sizeof err)
		: srv_auth_user_passwd(db, name, password, err, sizeof err);
	sodium_memzero(password, sizeof password);
	srv_db_close(db);
	if (rc != 0) return fail(err);
	printf(role ? "account %s added (%s)\n" : "password of %s changed\n", name, role ? role : "");
	return 0;
}

static int cmd_user_add(const options *o)
{
	if (!srv_auth_role_valid(o->value[OPT_ROLE])) {
		log_error("--role %s: expected officer or supervisor", o->value[OPT_ROLE]);
		return 2;
	}
	return with_password(o, o->value[OPT_NAME], o->value[OPT_ROLE]);
}

static int cmd_user_passwd(const options *o)
{
	return with_password(o, o->arg[0], NULL);
}

static int print_user(const srv_auth_user *u, void *arg)
{
	char created[24], login[24];
	(void)arg;
	format_time(u->created_at, created);
	format_time(u->last_login, login);
	printf("%-24s %-11s %-9s %-16s %s\n", u->name, u->role, u->disabled ? "disabled" : "active", created, login);
	return 0;
}

static int cmd_user_list(const options *o)
{
	char err[300];
	srv_db *db;
	int rc;
	if (open_db(o, 0, &db) != 0) return 1;
	printf("%-24s %-11s %-9s %-16s %s\n", "NAME", "ROLE", "STATE", "ADDED (UTC+7)", "LAST LOGIN");
	rc = srv_auth_users(db, print_user, NULL, err, sizeof err);
	srv_db_close(db);
	return rc == 0 ? 0 : fail(err);
}

/* Gives an officer the communes it works on, "none" for none. */
static int cmd_user_communes(const options *o)
{
	char list[256], err[300], who[128], *save = NULL, *code;
	const char *codes[32];
	srv_db *db;
	int n = 0, rc;
	if (strlen(o->arg[1]) >= sizeof list) return fail("the list of communes is too long");
	snprintf(list, sizeof list, "%s", strcmp(o->arg[1], "none") == 0 ? "" : o->arg[1]);
	for (code = strtok_r(list, ", ", &save); code; code = strtok_r(NULL, ", ", &save)) {
		if (n == (int)(sizeof codes / sizeof codes[0])) return fail("at most 32 communes at once");
		codes[n++] = code;
	}
	if (open_db(o, 0, &db) != 0) return 1;
	os_user(who, sizeof who);
	rc = srv_work_scope_set(db, o->arg[0], codes, n, who, (long long)time(NULL), err, sizeof err);
	srv_db_close(db);
	if (rc != 0) {
		log_error("%s", err);
		return rc < 0 ? 1 : 2;
	}
	printf("account %s works on %s%s\n", o->arg[0], n ? o->arg[1] : "no commune",
		n ? "" : " (an officer sees no requests until given one; supervisors see all)");
	return 0;
}

static int cmd_user_disable(const options *o)
{
	char err[300];
	srv_db *db;
	int rc;
	if (open_db(o, 0, &db) != 0) return 1;
	rc = srv_auth_user_disable(db, o->arg[0], err, sizeof err);
	srv_db_close(db);
	if (rc != 0) return fail(err);
	printf("account %s disabled; its sessions are ended\n", o->arg[0]);
	return 0;
}

/* ---- moving the store ---- */

static int told_copied(const char *table, long long rows, void *arg)
{
	(void)arg;
	printf("  %-20s %lld rows\n", table, rows);
	return 0;
}

/* DIR/server.db into PostgreSQL. The data folder keeps the key and the
 * files for kiosks; from now on every command takes --db as well. */
static int cmd_store_copy(const options *o)
{
	char err[700];
	printf("copying %s/server.db into PostgreSQL:\n", o->value[OPT_DATA]);
	if (srv_db_copy(o->value[OPT_DATA], o->value[OPT_DB], told_copied, NULL, err, sizeof err) != 0) {
		log_error("%s; nothing was copied", err);
		return 1;
	}
	printf("done: every id kept, so kiosks' cursors and the console's links stay valid. Serve with"
		" --data %s --db URL from now on; %s/server.db is no longer written.\n", o->value[OPT_DATA],
		o->value[OPT_DATA]);
	return 0;
}

/* ---- options ---- */

static int parse(const command *cmd, int argc, char **argv, int first, options *o)
{
	int i, k, nargs = 0;
	memset(o, 0, sizeof *o);
	for (i = first; i < argc; i++) {
		for (k = 0; k < NOPTIONS && strcmp(argv[i], option_names[k]) != 0; k++) {}
		if (k < NOPTIONS) {
			if (!((cmd->required | cmd->allowed | STORE_OPTIONS) & OPT(k))) {
				log_error("%s does not take %s", cmd->name, argv[i]);
				return -1;
			}
			if (FLAG_OPTIONS & OPT(k)) {
				o->value[k] = argv[i];
				continue;
			}
			if (i + 1 >= argc) {
				log_error("%s needs a value", argv[i]);
				return -1;
			}
			o->value[k] = argv[++i];
		} else if (nargs < cmd->takes_args && argv[i][0] != '-') {
			o->arg[nargs++] = argv[i];
		} else {
			log_error("unexpected argument %s", argv[i]);
			return -1;
		}
	}
	if (o->value[OPT_DB] && strncmp(o->value[OPT_DB], "postgresql://", 13) != 0 &&
	    strncmp(o->value[OPT_DB], "postgres://", 11) != 0) {
		log_error("--db takes a PostgreSQL URL, e.g. postgresql://motcua@db.example.vn/motcua"
			" (without --db the store is DIR/server.db)");
		return -1;
	}
	for (k = 0; k < NOPTIONS; k++) {
		if ((cmd->required & OPT(k)) && !o->value[k]) {
			log_error("%s needs %s", cmd->name, option_names[k]);
			return -1;
		}
	}
	if (nargs < cmd->takes_args) {
		log_error("%s needs %s", cmd->name, cmd->takes_args > 1 ? "its arguments" : "its argument");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const command *cmd = NULL;
	options o;
	size_t i;
	/* MOTCUA_LOG alone sets the level: the server has no configuration file. */
	char dump_err[128];
	log_setup("motcua-server", NULL);
	if (nodump_process(dump_err, sizeof dump_err) != 0) log_warn("%s", dump_err);
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
