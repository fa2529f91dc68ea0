/* check: the self-check's items (see check.h), a table run in order.
 *
 * Each item loads its piece the way the kiosk does (config_load,
 * catalog_load, cal_load, i18n_load, SDL_ttf, SQLite) so that "ok" means the kiosk
 * will manage too, and each problem line ends with what to do about it.
 * The server is asked GET /healthz over a plain socket with a deadline: the
 * kiosk holds no HTTP client (bgsync.h), and a connection plus one status
 * line is all an installer needs to know; for https the TCP connection is
 * tested here and TLS by `motcua-sync now`. */
#include "check.h"
#include "printcups.h"
#include "kclock.h"
#include "cal.h"
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "escpos.h"
#include "fontfile.h"
#include "i18n.h"
#include "seal.h"
#include "vntime.h"
#include "utf8.h"
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024.0 * 1024.0)
#define FREE_FAIL_MIB 64        /* below this a burst of filings may not fit */
#define FREE_WARN_MIB 512
#define YEAR_MIN 2024           /* a clock before this has never been set */
#define YEAR_MAX 2099

typedef enum { CHECK_OK, CHECK_WARN, CHECK_FAIL } check_status;

typedef struct {
	FILE *out;
	const char *config_path;
	config cfg;
	int fails, warns;
	long long server_offset;     /* server clock minus ours, from its Date header */
	int server_offset_known;
	long long stored_offset;     /* the same, measured at the last sync */
	int stored_offset_known;
	long long last_received;     /* the latest receipt's time in the store */
	long long clock_behind;      /* the kiosk found its clock that far behind at its last filing */
} check_ctx;

static const char *const status_label[] = { [CHECK_OK] = "ok", [CHECK_WARN] = "WARN", [CHECK_FAIL] = "FAIL" };

/* One report line: the status, what was looked at, and for a problem what
 * to do (remedy may be NULL). */
__attribute__((format(printf, 4, 5)))
static void say(check_ctx *c, check_status s, const char *remedy, const char *fmt, ...)
{
	char what[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	fprintf(c->out, "%-4s  %s%s%s\n", status_label[s], what, remedy ? " — " : "", remedy ? remedy : "");
	if (s == CHECK_FAIL) c->fails++;
	if (s == CHECK_WARN) c->warns++;
}

/* ---- configuration, key by key (config_load has checked each value's form) ---- */

/* kiosk.ini holds the PIN's hash and the kiosk's signing key: a hash read
 * by anyone falls to guessing offline, whatever the pad's lock. */
static void check_config_mode(check_ctx *c)
{
	struct stat st;
	char remedy[700];
	if (stat(c->config_path, &st) != 0) return;
	snprintf(remedy, sizeof remedy, "chown root:motcua %s && chmod 640 %s", c->config_path, c->config_path);
	if (st.st_mode & (S_IROTH | S_IWOTH))
		say(c, CHECK_WARN, remedy, "%s is readable by every user of this machine (mode %03o): its PIN hash and keys "
			"with it", c->config_path, (unsigned)(st.st_mode & 0777));
	else
		say(c, CHECK_OK, NULL, "%s is not readable by other users (mode %03o)", c->config_path, (unsigned)(st.st_mode & 0777));
}

static void check_keys(check_ctx *c)
{
	const config *g = &c->cfg;
	struct tm tm;
	time_t now = time(NULL);
	int sample_code = strcmp(g->commune_code, "00000") == 0;
	int sample_name = strstr(g->commune_name, "...") || !g->commune_name[0];
	if (sample_code)
		say(c, CHECK_FAIL, "write the commune's 5-digit code", "[kiosk] commune_code is the sample's 00000");
	if (sample_name)
		say(c, CHECK_FAIL, "write the commune's name as citizens know it", "[kiosk] commune_name is the sample's \"%s\"",
			g->commune_name);
	if (!sample_code && !sample_name)
		say(c, CHECK_OK, NULL, "[kiosk] commune %s, %s, kiosk %d", g->commune_code, g->commune_name, g->kiosk_number);
	check_config_mode(c);
	if (!g->staff_pin[0])
		say(c, CHECK_WARN, "staff cannot leave the kiosk or reach its menu: put the line `motcua-kiosk hash-pin` "
			"prints into [kiosk] staff_pin", "[kiosk] staff_pin is empty");
	else
		say(c, CHECK_OK, NULL, "[kiosk] staff_pin is set");
	localtime_r(&now, &tm);
	if (tm.tm_gmtoff != 7 * 3600)
		say(c, CHECK_WARN, "Vietnam is UTC+7: leave the key out, or set ICT-7",
			"[kiosk] timezone %s gives UTC%+.2g", g->time_zone, (double)tm.tm_gmtoff / 3600.0);
	else
		say(c, CHECK_OK, NULL, "[kiosk] timezone %s: UTC+7", g->time_zone);
	if (strstr(g->public_url, "127.0.0.1") || strstr(g->public_url, "localhost") || strstr(g->public_url, ".example."))
		say(c, CHECK_WARN, "phones cannot open the receipt's QR code: set the upstream server's public address",
			"[server] public_url is %s", g->public_url);
	else
		say(c, CHECK_OK, NULL, "[server] public_url %s", g->public_url);
}

/* ---- data folder ---- */

static void check_data_dir(check_ctx *c)
{
	const char *dir = c->cfg.data_dir;
	char probe[600], remedy[800];
	struct stat st;
	struct statvfs vfs;
	double free_mib;
	int fd;
	snprintf(remedy, sizeof remedy, "create it for the kiosk's user: install -d -o motcua -g motcua %s", dir);
	if (stat(dir, &st) != 0) { say(c, CHECK_FAIL, remedy, "data folder %s does not exist", dir); return; }
	if (!S_ISDIR(st.st_mode)) { say(c, CHECK_FAIL, "point [kiosk] data_dir at a folder", "data folder %s is not a folder", dir); return; }
	/* Writable for real, down to the disk: a card gone read-only still
	 * passes access(2). */
	snprintf(probe, sizeof probe, "%s/.motcua-check-XXXXXX", dir);
	fd = mkstemp(probe);
	if (fd < 0 || write(fd, "ok\n", 3) != 3 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0) { close(fd); unlink(probe); }
		snprintf(remedy, sizeof remedy, "give it to the kiosk's user (chown -R motcua:motcua %s), or replace a "
			"card gone read-only; run the check as that user: sudo -u motcua motcua-kiosk --check ...", dir);
		say(c, CHECK_FAIL, remedy, "data folder %s is not writable (%s)", dir, strerror(e));
		return;
	}
	close(fd);
	unlink(probe);
	if (statvfs(dir, &vfs) != 0) { say(c, CHECK_WARN, "check the disk with df", "data folder %s: free space unknown", dir); return; }
	free_mib = (double)vfs.f_bavail * (double)vfs.f_frsize / MIB;
	if (free_mib < FREE_FAIL_MIB)
		say(c, CHECK_FAIL, "free space on the card (old logs: journalctl --vacuum-size=50M)",
			"data folder %s: only %.0f MiB free", dir, free_mib);
	else if (free_mib < FREE_WARN_MIB)
		say(c, CHECK_WARN, "free space on the card soon", "data folder %s: %.0f MiB free", dir, free_mib);
	else
		say(c, CHECK_OK, NULL, "data folder %s: writable, %.1f GiB free", dir, free_mib / 1024.0);
}

/* ---- database ---- */

/* A read-only look still makes the WAL's -shm (and maybe -wal) file when
 * none is there; made by root, it would lock the kiosk's user out of its
 * own database. Give what this check created to the database's owner. */
static void give_back(const char *db_path, const struct stat *owner, const int existed[2])
{
	static const char *const suffix[2] = { "-wal", "-shm" };
	char path[700];
	int i;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s%s", db_path, suffix[i]);
		if (!existed[i] && access(path, F_OK) == 0 && chown(path, owner->st_uid, owner->st_gid) != 0) {
			/* Not root: the file is the caller's own, as the kiosk's would be. */
		}
	}
}

static long long meta_number(sqlite3 *sql, const char *key, int *found)
{
	sqlite3_stmt *st;
	long long v = 0;
	*found = 0;
	if (sqlite3_prepare_v2(sql, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK) return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) { v = sqlite3_column_int64(st, 0); *found = 1; }
	sqlite3_finalize(st);
	return v;
}

static void check_database(check_ctx *c)
{
	char path[600], verdict[300] = "", remedy[900];
	sqlite3 *sql = NULL;
	sqlite3_stmt *st = NULL;
	struct stat owner;
	int existed[2], version = -1, found;
	long long requests = -1;
	snprintf(path, sizeof path, "%s/request.db", c->cfg.data_dir);
	if (stat(path, &owner) != 0) {
		say(c, CHECK_OK, NULL, "database: none yet; the kiosk makes %s at its first start", path);
		return;
	}
	{
		char side[700];
		snprintf(side, sizeof side, "%s-wal", path);
		existed[0] = access(side, F_OK) == 0;
		snprintf(side, sizeof side, "%s-shm", path);
		existed[1] = access(side, F_OK) == 0;
	}
	snprintf(remedy, sizeof remedy, "stop the kiosk, copy %s aside, and see the README's \"If the self-check "
		"finds a damaged database\"", c->cfg.data_dir);
	if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		say(c, CHECK_FAIL, remedy, "database %s does not open: %s", path, sql ? sqlite3_errmsg(sql) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(sql, 3000);
	/* integrity_check, not quick_check: this is the one thorough look. Its
	 * first row is "ok" or the first problem found. */
	if (sqlite3_prepare_v2(sql, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		say(c, CHECK_FAIL, remedy, "database %s cannot be read: %s", path, sqlite3_errmsg(sql));
		goto done;
	}
	{
		/* One line per item: SQLite's report runs over several. */
		const char *text = (const char *)sqlite3_column_text(st, 0), *skip = "*** in database main ***";
		char *p;
		if (text && strncmp(text, skip, strlen(skip)) == 0) text += strlen(skip);
		snprintf(verdict, sizeof verdict, "%s", text ? text + strspn(text, " \n") : "");
		for (p = verdict; *p; p++)
			if (*p == '\n') *p = ' ';
	}
	sqlite3_finalize(st);
	st = NULL;
	if (strcmp(verdict, "ok") != 0) { say(c, CHECK_FAIL, remedy, "database %s is damaged: %s", path, verdict); goto done; }
	if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > DB_SCHEMA_VERSION) {
		say(c, CHECK_FAIL, "install the motcua that made it (or a newer one)",
			"database %s has schema %d, newer than this program's %d", path, version, DB_SCHEMA_VERSION);
		goto done;
	}
	if (version >= 1 && sqlite3_prepare_v2(sql, "SELECT count(*) FROM request", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		requests = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version >= 1) {
		c->stored_offset = meta_number(sql, "sync.clock_offset", &found);
		c->stored_offset_known = found;
		c->clock_behind = meta_number(sql, "clock.behind", &found);
		if (sqlite3_prepare_v2(sql, "SELECT coalesce(max(received_at), 0) FROM request", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			c->last_received = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (version < DB_SCHEMA_VERSION)
		say(c, CHECK_OK, NULL, "database %s: intact, schema %d (brought to %d at the next start)", path, version,
			DB_SCHEMA_VERSION);
	else
		say(c, CHECK_OK, NULL, "database %s: intact, schema %d, %lld request%s", path, version, requests,
			requests == 1 ? "" : "s");
done:
	sqlite3_finalize(st);
	sqlite3_close(sql);
	give_back(path, &owner, existed);
}

/* ---- fonts ---- */

static const char *const font_files[] = { "NotoSans-Regular.ttf", "NotoSans-Bold.ttf" };

/* Every letter Vietnamese adds to ASCII, both cases of the bases. */
static const char vietnamese_letters[] =
	"ĂÂĐÊÔƠƯăâđêôơư"
	"áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
	"ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ";

static void check_fonts(check_ctx *c)
{
	size_t i;
	int started = 0;
	char remedy[700];
	snprintf(remedy, sizeof remedy, "install the fonts (make install copies fonts/) or point [kiosk] fonts_dir at them");
	if (!TTF_WasInit()) {
		if (TTF_Init() != 0) { say(c, CHECK_FAIL, "reinstall libsdl2-ttf", "fonts: SDL_ttf: %s", TTF_GetError()); return; }
		started = 1;
	}
	for (i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
		char path[700], why[800];
		TTF_Font *f;
		size_t pos = 0, len = strlen(vietnamese_letters);
		int missing = 0;
		uint32_t first = 0;
		snprintf(path, sizeof path, "%s/%s", c->cfg.fonts_dir, font_files[i]);
		f = fontfile_open(path, 20, why, sizeof why);
		if (!f) { say(c, CHECK_FAIL, remedy, "font does not load: %s", why); continue; }
		while (pos < len) {
			uint32_t cp = utf8_decode(vietnamese_letters, len, &pos);
			if (cp == UTF8_INVALID || TTF_GlyphIsProvided32(f, cp)) continue;
			if (!missing++) first = cp;
		}
		TTF_CloseFont(f);
		if (missing)
			say(c, CHECK_FAIL, "use the Noto Sans shipped in fonts/, which has them",
				"font %s lacks %d Vietnamese letters (the first: U+%04X)", path, missing, (unsigned)first);
		else
			say(c, CHECK_OK, NULL, "font %s: loads, has every Vietnamese letter", path);
	}
	if (started) TTF_Quit();
}

/* ---- catalog and holidays: the synced copy first, as the kiosk does ---- */

static void check_catalog(check_ctx *c)
{
	char path[1100], installed[1100], err[600], remedy[1300];
	catalog *cat = malloc(sizeof *cat);
	if (!cat) { say(c, CHECK_FAIL, NULL, "catalog: out of memory"); return; }
	config_data_file(&c->cfg, "catalog.json", path, sizeof path);
	snprintf(installed, sizeof installed, "%s/catalog.json", c->cfg.assets_dir);
	if (catalog_load(path, cat, err, sizeof err) == 0) {
		say(c, CHECK_OK, NULL, "catalog %s: version %s, %d categories, %d procedures", path, cat->version,
			cat->ncategories, cat->nprocedures);
	} else if (strcmp(path, installed) != 0 && catalog_load(installed, cat, err + 300, sizeof err - 300) == 0) {
		snprintf(remedy, sizeof remedy, "the kiosk uses the installed one; delete %s or sync again", path);
		say(c, CHECK_WARN, remedy, "catalog brought by sync does not load: %.290s", err);
	} else {
		snprintf(remedy, sizeof remedy, "fix the entry named, or reinstall %s (make install)", installed);
		say(c, CHECK_FAIL, remedy, "catalog does not load: %s", err);
	}
	free(cat);
}

static void check_holidays(check_ctx *c)
{
	char path[1100], installed[1100], err[600], remedy[1300];
	cal *k;
	config_data_file(&c->cfg, "holidays.json", path, sizeof path);
	snprintf(installed, sizeof installed, "%s/holidays.json", c->cfg.assets_dir);
	k = cal_load(path, err, sizeof err);
	if (k) {
		say(c, CHECK_OK, NULL, "holidays %s: version %s", path, cal_version(k));
	} else if (strcmp(path, installed) != 0 && (k = cal_load(installed, err + 300, sizeof err - 300)) != NULL) {
		snprintf(remedy, sizeof remedy, "the kiosk uses the installed one; delete %s or sync again", path);
		say(c, CHECK_WARN, remedy, "holiday calendar brought by sync does not load: %.290s", err);
	} else {
		snprintf(remedy, sizeof remedy, "fix the date named, or reinstall %s (make install)", installed);
		say(c, CHECK_FAIL, remedy, "holiday calendar does not load: %s", err);
	}
	cal_free(k);
}

/* ---- the translations, without which the kiosk does not start ---- */

static void check_translations(check_ctx *c)
{
	char err[700], remedy[1300];
	if (i18n_load(c->cfg.assets_dir, err, sizeof err) == 0) {
		say(c, CHECK_OK, NULL, "translations %s/lang: %d texts in each language", c->cfg.assets_dir, (int)T_COUNT);
		return;
	}
	snprintf(remedy, sizeof remedy, "fix the line named (docs/translation.md), or reinstall %s/lang (make install)",
		c->cfg.assets_dir);
	say(c, CHECK_FAIL, remedy, "translations do not load: %s", err);
}

/* ---- the server: its key, then whether it answers ---- */

static void check_server_key(check_ctx *c)
{
	seal_server_key key;
	char err[300];
	if (!c->cfg.server_key[0])
		say(c, CHECK_FAIL, "put there the line `motcua-server init` printed on the upstream server",
			"[server] key is not set: the kiosk cannot accept requests");
	else if (seal_parse_server_key(c->cfg.server_key, &key, err, sizeof err) != 0)
		say(c, CHECK_FAIL, "copy the whole line `motcua-server init` printed, starting mc1.",
			"[server] key does not parse: %s", err);
	else
		say(c, CHECK_OK, NULL, "[server] key parses");
}

typedef struct {
	int tls;
	char host[256];
	char port[8];
	char path[256];          /* the URL's path, without a trailing slash */
} check_url;

static int parse_url(const char *url, check_url *u)
{
	const char *p = url, *host_end, *colon;
	size_t n;
	memset(u, 0, sizeof *u);
	if (strncmp(p, "https://", 8) == 0) { u->tls = 1; p += 8; }
	else if (strncmp(p, "http://", 7) == 0) p += 7;
	else return -1;
	host_end = p + strcspn(p, "/");
	colon = memchr(p, ':', (size_t)(host_end - p));
	n = (size_t)((colon ? colon : host_end) - p);
	if (n == 0 || n >= sizeof u->host) return -1;
	memcpy(u->host, p, n);
	if (colon) {
		n = (size_t)(host_end - colon - 1);
		if (n == 0 || n >= sizeof u->port) return -1;
		memcpy(u->port, colon + 1, n);
	} else {
		snprintf(u->port, sizeof u->port, "%s", u->tls ? "443" : "80");
	}
	snprintf(u->path, sizeof u->path, "%s", host_end);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes: 1, 0 on
 * timeout, -1 on error. */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { fd, events, 0 };
	long long left = deadline - now_ms();
	int r;
	if (left <= 0) return 0;
	do r = poll(&p, 1, (int)left); while (r < 0 && errno == EINTR);
	return r;
}

/* A connected socket to u, or -1 with why. */
static int connect_to(const check_url *u, long long deadline, char *why, size_t whylen)
{
	struct addrinfo hints, *res, *a;
	int fd = -1, r;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo(u->host, u->port, &hints, &res);
	if (r != 0) { snprintf(why, whylen, "the name %s does not resolve (%s)", u->host, gai_strerror(r)); return -1; }
	snprintf(why, whylen, "no address of %s answers", u->host);
	for (a = res; a; a = a->ai_next) {
		int e = 0;
		socklen_t elen = sizeof e;
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
		if (errno == EINPROGRESS) {
			r = wait_fd(fd, POLLOUT, deadline);
			if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) == 0 && e == 0) break;
			snprintf(why, whylen, "%s port %s: %s", u->host, u->port, r == 0 ? "no answer in time" : strerror(e ? e : errno));
		} else {
			snprintf(why, whylen, "%s port %s: %s", u->host, u->port, strerror(errno));
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* The Date header of an HTTP reply, as Unix time; -1 if none. */
static long long http_date(const char *reply)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *h = strstr(reply, "\r\nDate: ");
	char mon[4];
	struct tm tm;
	const char *m;
	memset(&tm, 0, sizeof tm);
	if (!h || sscanf(h + 8, "%*3s, %d %3s %d %d:%d:%d", &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour,
			&tm.tm_min, &tm.tm_sec) != 6) return -1;
	m = strstr(months, mon);
	if (!m || strlen(mon) != 3) return -1;
	tm.tm_mon = (int)(m - months) / 3;
	tm.tm_year -= 1900;
	return (long long)timegm(&tm);
}

static void check_server(check_ctx *c)
{
	check_url u;
	char why[400], request[700], reply[2048], remedy[700];
	long long start = now_ms(), deadline = start + CHECK_NET_TIMEOUT_MS;
	size_t got = 0;
	int fd, status = 0;
	if (!c->cfg.server_url[0]) {
		say(c, CHECK_WARN, "set the upstream server's address there; until then requests leave only on a USB stick",
			"[server] url is empty");
		return;
	}
	if (parse_url(c->cfg.server_url, &u) != 0) {
		say(c, CHECK_FAIL, "write it as http(s)://host[:port][/path]", "[server] url %s does not parse", c->cfg.server_url);
		return;
	}
	snprintf(remedy, sizeof remedy, "check the network cable or Wi-Fi, then that %s is the upstream server's address "
		"(requests wait on the kiosk meanwhile)", c->cfg.server_url);
	fd = connect_to(&u, deadline, why, sizeof why);
	if (fd < 0) { say(c, CHECK_FAIL, remedy, "server %s cannot be reached: %s", c->cfg.server_url, why); return; }
	if (u.tls) {
		close(fd);
		say(c, CHECK_OK, NULL, "server %s: port %s answers in %lld ms (TLS is checked by `motcua-sync now`)",
			c->cfg.server_url, u.port, now_ms() - start);
		return;
	}
	snprintf(request, sizeof request, "GET %s/healthz HTTP/1.0\r\nHost: %s\r\nUser-Agent: motcua-check\r\n\r\n", u.path, u.host);
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) != (ssize_t)strlen(request)) {
		close(fd);
		say(c, CHECK_FAIL, remedy, "server %s: the request could not be sent", c->cfg.server_url);
		return;
	}
	while (got < sizeof reply - 1 && wait_fd(fd, POLLIN, deadline) > 0) {
		ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
		if (n <= 0) break;
		got += (size_t)n;
		reply[got] = '\0';
		if (strstr(reply, "\r\n\r\n")) break;
	}
	close(fd);
	reply[got] = '\0';
	if (got == 0 || sscanf(reply, "HTTP/%*d.%*d %d", &status) != 1) {
		say(c, CHECK_FAIL, remedy, "server %s: no HTTP answer within %d ms", c->cfg.server_url, CHECK_NET_TIMEOUT_MS);
		return;
	}
	if (status != 200) {
		say(c, CHECK_FAIL, "check that [server] url is the motcua server's address",
			"server %s answers %d to GET /healthz", c->cfg.server_url, status);
		return;
	}
	{
		long long date = http_date(reply);
		if (date > 0) { c->server_offset = date - (long long)time(NULL); c->server_offset_known = 1; }
	}
	say(c, CHECK_OK, NULL, "server %s answers in %lld ms", c->cfg.server_url, now_ms() - start);
}

/* ---- printer ---- */

static const char *const printer_remedy[] = {
	[ESCPOS_OK] = NULL,
	[ESCPOS_NO_PRINTER] = "check its cable and power; a USB printer shows up as /dev/usb/lp0 (ls /dev/usb), "
		"and the kiosk's user must be in the group lp",
	[ESCPOS_OFFLINE] = "turn it on, or press its online button",
	[ESCPOS_PAPER_OUT] = "load a paper roll",
	[ESCPOS_COVER_OPEN] = "close its cover",
	[ESCPOS_WRITE_FAILED] = "unplug it and plug it in again; then try \"Print test page\" in the staff menu",
};

static void check_printer(check_ctx *c)
{
	char msg[400];
	escpos_result r;
	if (strcmp(c->cfg.printer_kind, "cups") == 0) {
		if (printcups_probe(c->cfg.printer_server, c->cfg.printer_queue, msg, sizeof msg) == 0)
			say(c, CHECK_OK, NULL, "printer: %s, A4 (%s)", msg, strcmp(c->cfg.printer_private, "yes") == 0
				? "private: denunciations too" : "shared: denunciations' slips and letters are refused");
		else
			say(c, CHECK_FAIL, "start CUPS, or fix [printer] queue and server", "printer: %s", msg);
		return;
	}
	if (!c->cfg.printer_device[0]) {
		say(c, CHECK_WARN, "citizens get no paper receipt: set [printer] device (/dev/usb/lp0 or tcp:HOST:9100)",
			"[printer] device is not set");
		return;
	}
	/* Asks for its state and prints nothing. */
	r = escpos_probe(c->cfg.printer_device, msg, sizeof msg);
	if (r == ESCPOS_OK)
		say(c, CHECK_OK, NULL, "printer %s (%s mm paper): %s", c->cfg.printer_device, c->cfg.printer_width, msg);
	else
		say(c, CHECK_FAIL, (unsigned)r < sizeof printer_remedy / sizeof printer_remedy[0] ? printer_remedy[r] : NULL,
			"printer %s: %s (%s)", c->cfg.printer_device, escpos_result_text(r), msg);
}

/* ---- clock ---- */

static void check_clock(check_ctx *c)
{
	time_t now = time(NULL);
	struct tm tm;
	char shown[64], off[80];
	const char *remedy = "turn on network time (timedatectl set-ntp true), or set it: timedatectl set-time 'YYYY-MM-DD HH:MM:SS'";
	localtime_r(&now, &tm);
	strftime(shown, sizeof shown, "%Y-%m-%d %H:%M", &tm);
	if (tm.tm_year + 1900 < YEAR_MIN || tm.tm_year + 1900 > YEAR_MAX) {
		say(c, CHECK_FAIL, remedy, "clock says %s: receipts and deadlines would carry that date", shown);
		return;
	}
	if (c->clock_behind > 0 || (long long)now < c->last_received - KCLOCK_TOLERANCE) {
		/* Receipts are being dated by the kiosk's running clock, or the
		 * next ones would be dated before receipts already given. */
		long long behind = c->clock_behind > c->last_received - (long long)now ? c->clock_behind
			: c->last_received - (long long)now;
		vntime_describe_offset(behind, off, sizeof off);
		say(c, CHECK_WARN, remedy, "clock says %s: it went back, %s the time the kiosk kept (the latest receipt "
			"or the kiosk's running clock); receipts are dated no earlier than the latest one until it is set",
			shown, off);
	} else if (c->server_offset_known && llabs(c->server_offset) > VNTIME_CLOCK_TOLERANCE && vntime_clock_synced()) {
		/* Kept by network time, this clock is the one to believe. */
		vntime_describe_offset(-c->server_offset, off, sizeof off);
		say(c, CHECK_WARN, "tell the staff who run the server to set its clock (network time)",
			"clock %s is kept by network time; the server's is %s it", shown, off);
	} else if (c->server_offset_known && llabs(c->server_offset) > VNTIME_CLOCK_TOLERANCE) {
		vntime_describe_offset(c->server_offset, off, sizeof off);
		say(c, CHECK_WARN, remedy, "clock says %s, %s the server's", shown, off);
	} else if (!c->server_offset_known && c->stored_offset_known && llabs(c->stored_offset) > VNTIME_CLOCK_TOLERANCE) {
		vntime_describe_offset(c->stored_offset, off, sizeof off);
		say(c, CHECK_WARN, remedy, "clock says %s, %s the server's at the last sync", shown, off);
	} else {
		say(c, CHECK_OK, NULL, "clock %s%s", shown, c->server_offset_known || c->stored_offset_known
			? ", in step with the server's" : "");
	}
}

static const struct { void (*fn)(check_ctx *c); } checks[] = {
	{ check_keys }, { check_data_dir }, { check_database }, { check_fonts }, { check_catalog },
	{ check_holidays }, { check_translations }, { check_server_key }, { check_server }, { check_printer }, { check_clock },
};

int check_run(const char *config_path, FILE *out)
{
	check_ctx *c = calloc(1, sizeof *c);
	char err[700];
	size_t i;
	int rc;
	if (!c) { fprintf(out, "FAIL  self-check: out of memory\n"); return 1; }
	c->out = out;
	c->config_path = config_path;
	if (config_load(config_path, &c->cfg, err, sizeof err) != 0) {
		say(c, CHECK_FAIL, "fix that line; the other checks need the configuration", "configuration %s", err);
	} else {
		say(c, CHECK_OK, NULL, "configuration %s: every key known and well-formed", config_path);
		for (i = 0; i < sizeof checks / sizeof checks[0]; i++) checks[i].fn(c);
	}
	fprintf(out, "%s: %d problem%s, %d warning%s\n", c->fails ? "NOT READY" : "ready", c->fails,
		c->fails == 1 ? "" : "s", c->warns, c->warns == 1 ? "" : "s");
	rc = c->fails ? 1 : 0;
	free(c);
	return rc;
}
