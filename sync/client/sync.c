/* sync: the kiosk's side of the sync protocol (see sync.h).
 *
 * One push, one signed reply, applied in one transaction: a lost answer
 * only means the next push carries the same requests again under a new
 * envelope number, and the server stores them idempotently. The envelope
 * number is committed before the push leaves, so it never repeats. Every
 * answer is checked against the server's key from the configuration before
 * anything in it is believed; a newer catalog or holiday file in it must
 * also load before it replaces the copy in data_dir (written to a temporary
 * name, synced and renamed, so a power cut leaves the old or the new file,
 * never half of one). A caller's stop flag aborts a transfer under way
 * through libcurl's progress callback. */
#include "sync.h"
#include "queue.h"
#include "rating.h"
#include "dbcounter.h"
#include "vntime.h"
#include "cal.h"
#include "catalog.h"
#include "proto.h"
#include "seal.h"
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_S 5L
/* Below 1 byte/s for 15 s: with the connect timeout, a dead link fails
 * within about 20 s, yet a slow but live one may take as long as it needs. */
#define LOW_SPEED_BYTES 1L
#define LOW_SPEED_TIME_S 15L
#define BACKOFF_BASE_MS 5000LL
#define BACKOFF_CAP_MS 600000LL
#define CONFLICTS_LISTED 5

static const struct { const char *name; int exit_code; } results[SYNC_RESULT_COUNT] = {
	[SYNC_OK] = { "ok", 0 },
	[SYNC_NOT_CONFIGURED] = { "not_configured", 2 },
	[SYNC_NO_NETWORK] = { "no_network", 3 },
	[SYNC_NOT_REGISTERED] = { "not_registered", 4 },
	[SYNC_REVOKED] = { "revoked", 5 },
	[SYNC_REFUSED] = { "refused", 6 },
	[SYNC_BAD_ANSWER] = { "bad_answer", 7 },
	[SYNC_CLOCK] = { "clock", 8 },
	[SYNC_CONFLICT] = { "conflict", 9 },
	[SYNC_LOCAL] = { "local", 10 },
	[SYNC_STOPPED] = { "stopped", 11 },
};

const char *sync_result_name(sync_result r)
{
	return r < SYNC_RESULT_COUNT ? results[r].name : "unknown";
}

int sync_exit_code(sync_result r)
{
	return r < SYNC_RESULT_COUNT ? results[r].exit_code : 1;
}

int sync_global_init(void)
{
	if (sodium_init() < 0) return -1;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void sync_kiosk_id(const config *cfg, char out[ENV_SIGNER_MAX])
{
	snprintf(out, ENV_SIGNER_MAX, "%s-%d", cfg->commune_code, cfg->kiosk_number);
}

void sync_describe_offset(long long offset, char *out, size_t outlen)
{
	char amount[80];
	vntime_describe_offset(offset, amount, sizeof amount);
	snprintf(out, outlen, "%s the server's", amount);
}

/* ---- messages ---- */

static sync_result say(sync_report *rep, sync_result r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sync_result say(sync_report *rep, sync_result r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->message, sizeof rep->message, fmt, ap);
	va_end(ap);
	rep->result = r;
	return r;
}

static void note(sync_report *rep, const char *text)
{
	size_t n = strlen(rep->notes);
	snprintf(rep->notes + n, sizeof rep->notes - n, "%s%s", n ? " " : "", text);
}

/* ---- files ---- */

/* Reads a whole file of at most max bytes, NUL-terminated (malloc'd).
 * NULL with errno set; EFBIG when larger. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f) return NULL;
	for (;;) {
		size_t got;
		if (n == cap) {
			char *grown;
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1) cap = max + 1;
			if (n == cap) { errno = EFBIG; goto fail; }
			if (!(grown = realloc(buf, cap + 1))) goto fail;
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) break;
	}
	if (ferror(f)) { errno = EIO; goto fail; }
	if (n > max) { errno = EFBIG; goto fail; }
	fclose(f);
	if (!buf && !(buf = malloc(1))) return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* Writes dir/name through a temporary file, fsync and rename, then syncs
 * the folder so the rename itself survives a power cut. 0, or -1 with err. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len, char *err, size_t errlen)
{
	char path[1100], tmp[1110];
	int fd, dfd;
	size_t done = 0;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) goto fail;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) goto fail;
		done += (size_t)w;
	}
	if (fsync(fd) != 0) goto fail;
	if (close(fd) != 0) { fd = -1; goto fail; }
	fd = -1;
	if (rename(tmp, path) != 0) goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) { fsync(dfd); close(dfd); }
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (fd >= 0) close(fd);
	unlink(tmp);
	return -1;
}

static void file_sha256(const config *cfg, const char *name, char out[65])
{
	char path[1100];
	size_t len;
	char *text;
	config_data_file(cfg, name, path, sizeof path);
	out[0] = '\0';
	if ((text = read_file(path, PROTO_FILE_MAX, &len)) != NULL) {
		proto_sha256_hex(text, len, out);
		free(text);
	}
}

static int catalog_loads(const char *text, char *err, size_t errlen)
{
	catalog *c = malloc(sizeof *c);   /* large: not on a worker's stack */
	int rc;
	if (!c) { snprintf(err, errlen, "out of memory"); return -1; }
	rc = catalog_load_string(text, c, err, errlen);
	free(c);
	return rc;
}

static int holidays_load(const char *text, char *err, size_t errlen)
{
	cal *k = cal_load_string(text, err, errlen);
	if (!k) return -1;
	cal_free(k);
	return 0;
}

static const struct {
	const char *name, *what;
	int (*loads)(const char *text, char *err, size_t errlen);
} data_files[] = {
	{ "catalog.json", "catalog", catalog_loads },
	{ "holidays.json", "holiday calendar", holidays_load },
};

/* A newer file from the server replaces data_dir's copy only if it loads.
 * Either way the sync goes on: the kiosk keeps working with what it has. */
static void take_file(const config *cfg, int which, const char *text, sync_report *rep)
{
	char err[512], line[700];
	if (!text) return;
	if (data_files[which].loads(text, err, sizeof err) != 0) {
		snprintf(line, sizeof line, "The server sent a %s that does not load (%s); the kiosk keeps its own.",
			data_files[which].what, err);
	} else if (write_atomic(cfg->data_dir, data_files[which].name, text, strlen(text), err, sizeof err) != 0) {
		snprintf(line, sizeof line, "A newer %s could not be saved: %s.", data_files[which].what, err);
	} else {
		snprintf(line, sizeof line, "A newer %s was received; the kiosk uses it from its next start.",
			data_files[which].what);
	}
	note(rep, line);
}

/* ---- a session: the keys ---- */

typedef struct {
	const config *cfg;
	db *store;
	sync_report *rep;
	char kiosk[ENV_SIGNER_MAX];
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES];
	seal_server_key server;
} session;

static sync_result session_open(session *s, const config *cfg, db *store, sync_report *rep, int need_server)
{
	char err[512];
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->store = store;
	s->rep = rep;
	sync_kiosk_id(cfg, s->kiosk);
	if (need_server && !cfg->server_key[0])
		return say(rep, SYNC_NOT_CONFIGURED, "[server] key is not set in the configuration: put there the line "
			"`motcua-server init` printed, so that the server's answers can be checked.");
	if (need_server && seal_parse_server_key(cfg->server_key, &s->server, err, sizeof err) != 0)
		return say(rep, SYNC_NOT_CONFIGURED, "[server] key in the configuration: %s.", err);
	if (!store) return say(rep, SYNC_LOCAL, "The kiosk's database is not open.");
	if (env_kiosk_key(cfg->data_dir, s->pk, s->sk, err, sizeof err) != 0)
		return say(rep, SYNC_LOCAL, "The kiosk's key: %s.", err);
	return SYNC_OK;
}

static void session_close(session *s)
{
	sodium_memzero(s->sk, sizeof s->sk);
}

int sync_key_line(const config *cfg, char out[ENV_KEY_LINE_MAX], char *err, size_t errlen)
{
	unsigned char pk[ENV_PK_BYTES], sk[ENV_SK_BYTES];
	if (env_kiosk_key(cfg->data_dir, pk, sk, err, errlen) != 0) return -1;
	sodium_memzero(sk, sizeof sk);
	env_format_kiosk_key(pk, out, ENV_KEY_LINE_MAX);
	return 0;
}

/* A signed push of the outbox (at most max requests; 0: all). The text is
 * malloc'd; *count says how many requests it carries. */
static sync_result make_push(session *s, long long after, int max, long long *n, char **text, int *count,
	long long *to)
{
	proto_push p;
	db_sync_state st;
	char err[512], *payload;
	memset(&p, 0, sizeof p);
	*text = NULL;
	/* The number is taken (and committed) first: whatever happens to this
	 * envelope afterwards, no later one can carry the same number. */
	if (db_next_envelope(s->store, n, err, sizeof err) != 0 || db_read_sync_state(s->store, &st, err, sizeof err) != 0 ||
	    db_outbox(s->store, after, max, &p.requests, &p.nrequests, err, sizeof err) != 0)
		return say(s->rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
	if (after < st.acked) after = st.acked;
	snprintf(p.kiosk, sizeof p.kiosk, "%s", s->kiosk);
	p.n = *n;
	p.clock = (long long)time(NULL);
	p.from = p.nrequests ? p.requests[0].seq : after + 1;
	p.to = p.nrequests ? p.requests[p.nrequests - 1].seq : after;
	*to = p.to;
	p.cursor = st.cursor;
	/* The counter's steps go with the requests they are about: those this
	 * push carries or the server holds already. */
	if (dbcounter_outbox(s->store, p.to, 0, &p.counter, &p.ncounter, err, sizeof err) != 0) {
		db_free_requests(p.requests, p.nrequests);
		return say(s->rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
	}
	file_sha256(s->cfg, "catalog.json", p.catalog_sha256);
	file_sha256(s->cfg, "holidays.json", p.holidays_sha256);
	/* The office's queue figures ride along: a week's rows, replaced upstream. */
	if (queue_recent(s->store, p.clock, PROTO_QUEUE_DAYS, &p.queue, &p.nqueue) != 0) p.nqueue = 0;
	if (rating_outbox(s->store, PROTO_RATINGS_MAX, &p.ratings, &p.nratings, err, sizeof err) != 0) p.nratings = 0;
	payload = proto_encode_push(&p);
	*count = p.nrequests;
	db_free_requests(p.requests, p.nrequests);
	free(p.queue);
	free(p.counter);
	free(p.ratings);
	if (payload) *text = env_sign(s->kiosk, payload, strlen(payload), s->sk);
	free(payload);
	if (!*text) return say(s->rep, SYNC_LOCAL, "Out of memory while preparing envelope %lld.", *n);
	return SYNC_OK;
}

/* Checks an answer: an envelope, signed by the configured server, a reply
 * for this kiosk (and for envelope expect_n, when not 0). */
static sync_result check_reply(session *s, const char *text, size_t len, long long expect_n, proto_reply *reply)
{
	envelope e;
	char err[512];
	memset(reply, 0, sizeof *reply);
	if (env_parse(text, len, &e, err, sizeof err) != 0)
		return say(s->rep, SYNC_BAD_ANSWER, "The answer is not a complete signed envelope (%s).", err);
	if (strcmp(e.signer, "server") != 0) {
		say(s->rep, SYNC_BAD_ANSWER, "The answer is signed by \"%s\", not by the server.", e.signer);
		env_free(&e);
		return SYNC_BAD_ANSWER;
	}
	if (env_verify(&e, s->server.sign_pk) != 0) {
		env_free(&e);
		return say(s->rep, SYNC_BAD_ANSWER, "The answer is not signed by the server key in [server] key: "
			"it comes from another server, or it was altered on the way.");
	}
	if (proto_decode_reply(e.payload, e.payload_len, reply, err, sizeof err) != 0) {
		env_free(&e);
		proto_free_reply(reply);
		return say(s->rep, SYNC_BAD_ANSWER, "The server's answer is malformed (%s).", err);
	}
	env_free(&e);
	if (strcmp(reply->kiosk, s->kiosk) != 0) {
		say(s->rep, SYNC_BAD_ANSWER, "The answer is meant for kiosk %s, not for this one (%s).", reply->kiosk, s->kiosk);
		proto_free_reply(reply);
		return SYNC_BAD_ANSWER;
	}
	if (expect_n && reply->n != expect_n) {
		say(s->rep, SYNC_BAD_ANSWER, "The answer is to envelope %lld, not to envelope %lld just sent.", reply->n, expect_n);
		proto_free_reply(reply);
		return SYNC_BAD_ANSWER;
	}
	return SYNC_OK;
}

static sync_result conflict_message(session *s, const proto_reply *r)
{
	char ids[CONFLICTS_LISTED * 42] = "";
	int i;
	for (i = 0; i < r->nconflicts && i < CONFLICTS_LISTED; i++) {
		size_t n = strlen(ids);
		snprintf(ids + n, sizeof ids - n, "%s%s", i ? ", " : "", r->conflicts[i]);
	}
	return say(s->rep, SYNC_CONFLICT, "The server refused %d request%s (%s%s): it holds other content under the "
		"same id. They stay on this kiosk until staff compare them with the server's log.",
		r->nconflicts, r->nconflicts == 1 ? "" : "s", ids, r->nconflicts > CONFLICTS_LISTED ? ", ..." : "");
}

/* Applies a checked reply and takes its files. */
static sync_result apply(session *s, const proto_reply *r, long long sent, long long received, db_applied *a)
{
	char err[512];
	if (db_apply_reply(s->store, r, sent, received, a, err, sizeof err) != 0)
		return say(s->rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
	s->rep->sent += a->acked - a->acked_before;
	s->rep->updates += a->inserted;
	s->rep->batches++;
	if (a->stale) {
		note(s->rep, "This answer is older than one the kiosk already has: its updates were applied, "
			"its catalog, holiday calendar, conferences and figures were older and left alone.");
	} else {
		take_file(s->cfg, 0, r->catalog, s->rep);
		take_file(s->cfg, 1, r->holidays, s->rep);
	}
	if (r->nconflicts) return conflict_message(s, r);
	return SYNC_OK;
}

/* ---- HTTP ---- */

typedef struct {
	char *data;
	size_t len, cap;
	int too_big;
} body;

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
	body *b = user;
	size_t add = size * n;
	if (b->len + add > ENV_MAX_BYTES) { b->too_big = 1; return 0; }
	if (b->len + add + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		char *grown;
		while (cap < b->len + add + 1) cap *= 2;
		if (!(grown = realloc(b->data, cap))) return 0;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_int *stop = user;
	(void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return stop && atomic_load(stop) ? 1 : 0;
}

/* The server's own words from an error body, made safe to print. */
static void server_message(const body *b, char *code, size_t codelen, char *msg, size_t msglen)
{
	json_t *o = b->data ? json_loadb(b->data, b->len, 0, NULL) : NULL;
	const char *c = json_string_value(json_object_get(o, "error"));
	const char *m = json_string_value(json_object_get(o, "message"));
	size_t i;
	snprintf(code, codelen, "%s", c ? c : "");
	snprintf(msg, msglen, "%s", m ? m : "no explanation given");
	for (i = 0; msg[i]; i++)
		if ((unsigned char)msg[i] < 0x20) msg[i] = ' ';
	json_decref(o);
}

static sync_result http_error(session *s, long status, const body *b, const char *url)
{
	char code[64], msg[400], key[ENV_KEY_LINE_MAX];
	server_message(b, code, sizeof code, msg, sizeof msg);
	if (status == 403 && strcmp(code, "unknown_kiosk") == 0) {
		env_format_kiosk_key(s->pk, key, sizeof key);
		return say(s->rep, SYNC_NOT_REGISTERED, "This kiosk (%s) is not registered with the server at %s. "
			"On the server, run:  motcua-server kiosk add --data DIR --kiosk %s --key %s  (DIR: the server's data folder)",
			s->kiosk, url, s->kiosk, key);
	}
	if (status == 403 && strcmp(code, "revoked_kiosk") == 0)
		return say(s->rep, SYNC_REVOKED, "The server has revoked this kiosk (%s) and refuses its requests: "
			"ask the upstream office's administrator (%s).", s->kiosk, msg);
	return say(s->rep, SYNC_REFUSED, "The server refused the sync (HTTP %ld%s%s): %s.", status,
		code[0] ? ", " : "", code, msg);
}

/* POSTs one envelope; on 200 the answer is left in resp. */
static sync_result post(session *s, CURL *curl, const char *url, const char *envelope_text,
	const atomic_int *stop, body *resp)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode rc;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, envelope_text);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(envelope_text));
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(curl);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
	if (rc == CURLE_ABORTED_BY_CALLBACK && stop && atomic_load(stop))
		return say(s->rep, SYNC_STOPPED, "Stopped.");
	if (rc == CURLE_WRITE_ERROR && resp->too_big)
		return say(s->rep, SYNC_BAD_ANSWER, "The answer from %s is larger than any envelope may be.", url);
	if (rc != CURLE_OK)
		return say(s->rep, SYNC_NO_NETWORK, "No network: could not reach %s (%s).", url,
			curl_err[0] ? curl_err : curl_easy_strerror(rc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) return http_error(s, status, resp, url);
	return SYNC_OK;
}

static CURL *http_open(struct curl_slist **headers, const atomic_int *stop)
{
	CURL *curl = curl_easy_init();
	if (!curl) return NULL;
	/* No Expect: 100-continue, which costs a round trip (or a one-second
	 * wait) on every large push. */
	*headers = curl_slist_append(NULL, "Content-Type: application/json");
	*headers = curl_slist_append(*headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *headers);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "motcua-sync/1");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, LOW_SPEED_TIME_S);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)stop);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	return curl;
}

/* ---- now ---- */

static void report_state(session *s)
{
	db_sync_state st;
	char err[256];
	if (db_read_sync_state(s->store, &st, err, sizeof err) != 0) return;
	s->rep->pending = st.pending;
	s->rep->clock_offset = st.clock_offset;
	s->rep->clock_known = st.clock_known;
}

/* One push and its answer. *caught_up says whether the loop may stop. */
static sync_result exchange(session *s, CURL *curl, const char *url, const sync_options *o, int *caught_up)
{
	char *text = NULL, err[256];
	body resp = { NULL, 0, 0, 0 };
	proto_reply reply;
	db_applied a;
	db_sync_state before, after;
	long long n, sent, received, to, counter_before, counter_after;
	int count;
	sync_result r;
	if (db_read_sync_state(s->store, &before, err, sizeof err) != 0)
		return say(s->rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
	counter_before = dbcounter_pending(s->store);
	r = make_push(s, 0, PROTO_BATCH, &n, &text, &count, &to);
	if (r != SYNC_OK) return r;
	sent = (long long)time(NULL);
	r = post(s, curl, url, text, o ? o->stop : NULL, &resp);
	received = (long long)time(NULL);
	free(text);
	if (r == SYNC_OK) r = check_reply(s, resp.data ? resp.data : "", resp.len, n, &reply);
	free(resp.data);
	if (r != SYNC_OK) return r;
	r = apply(s, &reply, sent, received, &a);
	if (r == SYNC_OK && db_read_sync_state(s->store, &after, err, sizeof err) != 0)
		r = say(s->rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
	if (r == SYNC_OK) {
		if (o && o->progress) o->progress(o->progress_ctx, s->rep->sent, s->rep->sent + after.pending);
		/* The counter's steps left over (more than one push holds, or about
		 * requests sent in this push) go in another round, as long as the
		 * server takes some each time. */
		counter_after = dbcounter_pending(s->store);
		*caught_up = after.pending == 0 && !reply.more &&
			!(counter_after > 0 && counter_after < counter_before);
		/* An answer that moves nothing would be asked for again forever.
		 * Requests filed while this push was in flight are not the
		 * server's fault: when none were sent and none are owed, the next
		 * round sends them. */
		if (!*caught_up && after.acked == before.acked && after.cursor == before.cursor &&
			(count > 0 || reply.more))
			r = say(s->rep, SYNC_REFUSED, "The server acknowledged none of the %d request%s sent and moved "
				"no event forward; see the server's log.", count, count == 1 ? "" : "s");
	}
	proto_free_reply(&reply);
	return r;
}

sync_result sync_now(const config *cfg, db *store, const sync_options *o, sync_report *rep)
{
	session s;
	CURL *curl = NULL;
	struct curl_slist *headers = NULL;
	char url[400], err[256], offset[96];
	db_sync_state st;
	sync_result r;
	int caught_up = 0;

	memset(rep, 0, sizeof *rep);
	if (!cfg->server_url[0])
		return say(rep, SYNC_NOT_CONFIGURED, "[server] url is not set in the configuration: there is no server to sync with.");
	r = session_open(&s, cfg, store, rep, 1);
	if (r != SYNC_OK) goto done;
	snprintf(url, sizeof url, "%s/api/v1/sync", cfg->server_url);
	if (db_read_sync_state(store, &st, err, sizeof err) != 0) {
		r = say(rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
		goto done;
	}
	if (o && o->progress) o->progress(o->progress_ctx, 0, st.pending);
	if (!(curl = http_open(&headers, o ? o->stop : NULL))) {
		r = say(rep, SYNC_LOCAL, "libcurl could not start.");
		goto done;
	}
	while (!caught_up) {
		if (o && o->stop && atomic_load(o->stop)) { r = say(rep, SYNC_STOPPED, "Stopped."); break; }
		r = exchange(&s, curl, url, o, &caught_up);
		if (r != SYNC_OK) break;
	}
	report_state(&s);
	if (r == SYNC_OK) {
		say(rep, SYNC_OK, "Sent %lld, received %lld update%s, caught up.", rep->sent, rep->updates,
			rep->updates == 1 ? "" : "s");
		if (rep->clock_known && llabs(rep->clock_offset) > VNTIME_CLOCK_TOLERANCE) {
			/* Which clock is wrong: a kiosk kept by network time is
			 * believed over the server, which is then the one to fix. */
			if (vntime_clock_synced()) {
				vntime_describe_offset(-rep->clock_offset, offset, sizeof offset);
				r = say(rep, SYNC_CLOCK, "Synced (sent %lld, received %lld updates), but the server's clock is "
					"%s this kiosk's, which is kept by network time: the server's clock is wrong; tell "
					"the staff who run the server.", rep->sent, rep->updates, offset);
			} else {
				sync_describe_offset(rep->clock_offset, offset, sizeof offset);
				r = say(rep, SYNC_CLOCK, "Synced (sent %lld, received %lld updates), but this kiosk's clock is %s: "
					"set the kiosk's clock, or receipts and deadlines show the wrong date.",
					rep->sent, rep->updates, offset);
			}
		}
	}
done:
	/* A failure is kept for the screens and `motcua-sync status`; being
	 * stopped or not configured is not a failed attempt. */
	if (r != SYNC_OK && r != SYNC_CLOCK && r != SYNC_STOPPED && r != SYNC_NOT_CONFIGURED && store)
		db_sync_failed(store, (long long)time(NULL), rep->message, err, sizeof err);
	if (curl) curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	session_close(&s);
	return r;
}

/* ---- USB ---- */

sync_result sync_export(const config *cfg, db *store, const char *dir, sync_report *rep)
{
	session s;
	char *text = NULL, name[80], err[1200];
	long long n, after = 0, first = 0, total = 0;
	int count = 0, files = 0;
	struct stat sb;
	sync_result r;

	memset(rep, 0, sizeof *rep);
	r = session_open(&s, cfg, store, rep, 0);
	if (r != SYNC_OK) goto done;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		r = say(rep, SYNC_LOCAL, "%s is not a folder (is the USB stick mounted?).", dir);
		goto done;
	}
	/* Weeks offline can queue more than one envelope may carry: then one
	 * bundle per PROTO_BUNDLE requests, each its own envelope, numbered in
	 * order so that the names sort in the order the server must take them. */
	do {
		r = make_push(&s, after, PROTO_BUNDLE, &n, &text, &count, &after);
		if (r != SYNC_OK) goto done;
		snprintf(name, sizeof name, "motcua-%s-%06lld.json", s.kiosk, n);
		if (write_atomic(dir, name, text, strlen(text), err, sizeof err) != 0) {
			r = say(rep, SYNC_LOCAL, "Could not write the bundle: %s.", err);
			goto done;
		}
		free(text);
		text = NULL;
		if (!files++) {
			first = n;
			snprintf(rep->path, sizeof rep->path, "%s/%s", dir, name);
		}
		total += count;
	} while (count == PROTO_BUNDLE);
	report_state(&s);
	rep->count = total;
	rep->files = files;
	if (files == 1)
		r = say(rep, SYNC_OK, "Wrote %s: %lld request%s waiting to be sent (envelope %lld). On the server run "
			"`motcua-server import`, then bring its answer back for `motcua-sync import`.",
			rep->path, total, total == 1 ? "" : "s", n);
	else
		r = say(rep, SYNC_OK, "Wrote %d bundles to %s, envelopes %lld to %lld: %lld requests waiting to be sent. "
			"On the server import them in the order of their names, then bring each answer back for "
			"`motcua-sync import`.", files, dir, first, n, total);
done:
	free(text);
	session_close(&s);
	return r;
}

sync_result sync_import(const config *cfg, db *store, const char *file, sync_report *rep)
{
	session s;
	char *text = NULL, err[512];
	size_t len = 0;
	proto_reply reply;
	db_sync_state st;
	db_applied a;
	sync_result r;

	memset(rep, 0, sizeof *rep);
	memset(&reply, 0, sizeof reply);
	r = session_open(&s, cfg, store, rep, 1);
	if (r != SYNC_OK) goto done;
	if (!(text = read_file(file, ENV_MAX_BYTES, &len))) {
		r = say(rep, SYNC_LOCAL, "%s: %s.", file, errno == EFBIG ? "larger than any envelope may be" : strerror(errno));
		goto done;
	}
	r = check_reply(&s, text, len, 0, &reply);
	if (r != SYNC_OK) {
		char why[sizeof rep->message];
		snprintf(why, sizeof why, "%s", rep->message);
		say(rep, r, "%s is not a good answer from the server; nothing was changed. %s", file, why);
		goto done;
	}
	if (db_read_sync_state(store, &st, err, sizeof err) != 0) {
		r = say(rep, SYNC_LOCAL, "The kiosk's database: %s.", err);
		goto done;
	}
	if (reply.n > st.envelope_n) {
		r = say(rep, SYNC_BAD_ANSWER, "%s answers envelope %lld, which this kiosk never made (its last is %lld); "
			"nothing was changed.", file, reply.n, st.envelope_n);
		goto done;
	}
	/* No clock offset from a file: it may have waited days on the stick. */
	r = apply(&s, &reply, 0, (long long)time(NULL), &a);
	report_state(&s);
	if (r == SYNC_OK)
		say(rep, SYNC_OK, "Applied the server's answer to envelope %lld: %lld request%s acknowledged, %lld update%s; "
			"%lld still waiting.%s", reply.n, rep->sent, rep->sent == 1 ? "" : "s", rep->updates,
			rep->updates == 1 ? "" : "s", rep->pending,
			reply.more ? " More updates wait on the server: export and import again." : "");
done:
	proto_free_reply(&reply);
	free(text);
	session_close(&s);
	return r;
}

/* ---- the USB stick ---- */

/* 1 if path is a folder on another file system than its parent's: something
 * is mounted there. */
static int is_mount_point(const char *path)
{
	char parent[1100];
	struct stat here, up;
	snprintf(parent, sizeof parent, "%s/..", path);
	if (stat(path, &here) != 0 || !S_ISDIR(here.st_mode) || stat(parent, &up) != 0) return 0;
	return here.st_dev != up.st_dev;
}

static int only_folders(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* The first mount point under dir, depth levels deep at most, in name order. */
static int find_mount(const char *dir, int depth, char *out, size_t outlen)
{
	struct dirent **names;
	int n, i, found = 0;
	if (depth <= 0 || (n = scandir(dir, &names, only_folders, alphasort)) < 0) return 0;
	for (i = 0; i < n; i++) {
		char path[1100];
		struct stat sb;
		if (!found) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
				if (is_mount_point(path)) {
					snprintf(out, outlen, "%s", path);
					found = 1;
				} else {
					found = find_mount(path, depth - 1, out, outlen);
				}
			}
		}
		free(names[i]);
	}
	free(names);
	return found;
}

int sync_find_usb(const config *cfg, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *dir = cfg->usb_dir;
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "No USB stick found: %s ([kiosk] usb_dir) is not a folder.", dir);
		return -1;
	}
	if (is_mount_point(dir)) { snprintf(out, outlen, "%s", dir); return 0; }
	if (find_mount(dir, 2, out, outlen)) return 0;
	if (access(dir, W_OK) == 0) { snprintf(out, outlen, "%s", dir); return 0; }
	snprintf(err, errlen, "No USB stick found in %s: plug one in, wait a few seconds and try again.", dir);
	return -1;
}

/* Files in a folder that may be answers: *.json and *.reply, not hidden. */
static int maybe_answer(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	if (e->d_name[0] == '.') return 0;
	return (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) || (n > 6 && strcmp(e->d_name + n - 6, ".reply") == 0);
}

sync_result sync_import_dir(const config *cfg, db *store, const char *dir, sync_report *rep)
{
	struct dirent **names;
	char own[ENV_SIGNER_MAX + 16], kiosk[ENV_SIGNER_MAX];
	sync_report one;
	sync_result r = SYNC_OK;
	int n, i, passed = 0;
	memset(rep, 0, sizeof *rep);
	snprintf(rep->path, sizeof rep->path, "%s", dir);
	if ((n = scandir(dir, &names, maybe_answer, alphasort)) < 0)
		return say(rep, SYNC_LOCAL, "%s: %s (is the USB stick mounted?).", dir, strerror(errno));
	sync_kiosk_id(cfg, kiosk);
	snprintf(own, sizeof own, "motcua-%s-", kiosk);
	for (i = 0; i < n; i++) {
		char path[1100];
		const char *name = names[i]->d_name;
		/* This kiosk's own bundles are pushes, not answers. */
		if (r == SYNC_OK && !(strncmp(name, own, strlen(own)) == 0 && strstr(name, ".json"))) {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			switch (sync_import(cfg, store, path, &one)) {
			case SYNC_OK:
			case SYNC_CONFLICT:
				rep->count++;
				rep->sent += one.sent;
				rep->updates += one.updates;
				break;
			case SYNC_BAD_ANSWER:
				passed++;
				break;
			default:
				r = one.result;
				snprintf(rep->message, sizeof rep->message, "%s", one.message);
				break;
			}
			if (one.notes[0]) note(rep, one.notes);
		}
		free(names[i]);
	}
	free(names);
	if (r != SYNC_OK) { rep->result = r; return r; }
	if (rep->count == 0) {
		snprintf(rep->reason, sizeof rep->reason, "no_answer");
		return say(rep, SYNC_LOCAL, "No answer from the server for kiosk %s in %s%s.", kiosk, dir,
			passed ? " (other files there are not answers to this kiosk)" : "");
	}
	{
		db_sync_state st;
		if (db_read_sync_state(store, &st, one.message, sizeof one.message) == 0) rep->pending = st.pending;
	}
	return say(rep, SYNC_OK, "Applied %lld answer%s from %s: %lld request%s acknowledged, %lld update%s; %lld still waiting.",
		rep->count, rep->count == 1 ? "" : "s", dir, rep->sent, rep->sent == 1 ? "" : "s",
		rep->updates, rep->updates == 1 ? "" : "s", rep->pending);
}
