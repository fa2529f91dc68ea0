/* srv_sms: the text-message worker (see srv_sms.h). One thread, its own
 * store connection, a condition variable to sleep on and to be stopped by;
 * libcurl for the HTTP gateway, a file renamed into place for gammu. */
#include "srv_sms.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "seal.h"
#include "srv_db.h"
#include "srv_work.h"
#include "token.h"
#include "valid.h"
#include "vntime.h"
#include "words.h"

struct srv_sms {
	srv_sms_config cfg;
	char url[512], outbox[512];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stopping;
	srv_db *db;
};

/* ---- the text ---- */

/* A word's %s filled in order by args (the words' loader checked each
 * word's conversions against the code's). */
static void fill(const char *text, const char *const *args, int nargs, char *out, size_t len)
{
	size_t n = 0;
	int a = 0;
	for (; *text && n + 1 < len; text++) {
		if (text[0] == '%' && text[1] == 's') {
			const char *v = a < nargs ? args[a] : "";
			a++;
			text++;
			while (*v && n + 1 < len) out[n++] = *v++;
		} else if (text[0] == '%' && text[1] == '%') {
			out[n++] = '%';
			text++;
		} else {
			out[n++] = *text;
		}
	}
	out[n] = '\0';
}

int srv_sms_text(const char *kind, const char *token, const char *date, const char *office, char *out, size_t len)
{
	char tail[6], day[11];
	size_t n = strlen(token);
	cal_date d;
	/* The last five characters: the citizen recognises their receipt; the
	 * message alone does not open the phone page. */
	snprintf(tail, sizeof tail, "%s", n > 5 ? token + n - 5 : token);
	if (date && cal_date_parse(date, &d) == 0) snprintf(day, sizeof day, "%02d/%02d/%04d", d.day, d.month, d.year);
	else day[0] = '\0';
	{
		const char *args[] = { office && office[0] ? office : words_text(LANG_VI, W_SMS_OFFICE), tail, day };
		word w;
		if (strcmp(kind, "supplement") == 0) w = W_SMS_SUPPLEMENT;
		else if (strcmp(kind, "apology") == 0) w = W_SMS_APOLOGY;
		else if (strcmp(kind, "result") == 0) w = W_SMS_RESULT;
		else return -1;
		fill(words_text(LANG_VI, w), args, 3, out, len);
	}
	return 0;
}

/* ---- the gateways ---- */

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* 0 sent; -1 with why (never the phone number). */
static int send_http(srv_sms *s, const char *phone, const char *text, long long id, char *why, size_t whylen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char ref[32];
	json_t *o;
	char *body;
	snprintf(ref, sizeof ref, "motcua-%lld", id);
	o = json_pack("{s:s, s:s, s:s}", "to", phone, "text", text, "ref", ref);
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	long status = 0;
	CURLcode rc = CURLE_FAILED_INIT;
	if (c && body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_URL, s->url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(s->cfg.timeout_s > 0 ? s->cfg.timeout_s : 10));
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	}
	if (body) {
		sodium_memzero(body, strlen(body));
		free(body);
	}
	json_decref(o);
	curl_slist_free_all(h);
	if (c) curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "gateway: %s", curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(why, whylen, "gateway answered HTTP %ld", status);
		return -1;
	}
	return 0;
}

/* A file gammu-smsd's files backend sends: written under a name it skips,
 * then renamed to OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt
 * (gammu-smsd-files(7)), so it never reads half a message. */
static int send_gammu(srv_sms *s, const char *phone, const char *text, long long id, char *why, size_t whylen)
{
	char tmp[700], path[700];
	vntime now = vntime_of((long long)time(NULL));
	size_t n = strlen(text);
	int fd;
	snprintf(tmp, sizeof tmp, "%s/.motcua-%lld.tmp", s->outbox, id);
	snprintf(path, sizeof path, "%s/OUTA%04d%02d%02d_%02d%02d%02d_00_%s_motcua%lld.txt", s->outbox, now.date.year,
		now.date.month, now.date.day, now.hour, now.minute, now.second, phone, id);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0) {
		snprintf(why, whylen, "gammu outbox: %s", strerror(errno));
		return -1;
	}
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) != 0 || close(fd) != 0) {
		snprintf(why, whylen, "gammu outbox: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(why, whylen, "gammu outbox: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- one message ---- */

/* The phone the filer gave, read from the sealed form ("" when it cannot
 * be); the caller wipes it. */
static void phone_of(srv_sms *s, const srv_db_request *r, char phone[11])
{
	size_t n = r->sealed_len > SEAL_OVERHEAD ? r->sealed_len - SEAL_OVERHEAD : 0;
	unsigned char *clear = n ? malloc(n) : NULL;
	json_t *o = NULL;
	phone[0] = '\0';
	if (clear && seal_open(s->cfg.keys->box_pk, s->cfg.keys->box_sk, r->sealed, r->sealed_len, clear) == 0)
		o = json_loadb((const char *)clear, n, 0, NULL);
	if (clear) {
		sodium_memzero(clear, n);
		free(clear);
	}
	if (json_is_object(o)) {
		const char *p = json_string_value(json_object_get(o, "phone"));
		const char *k;
		json_t *v;
		if (!p || valid_phone(p, 1, phone) != VALID_OK) phone[0] = '\0';
		json_object_foreach(o, k, v) if (json_is_string(v)) sodium_memzero((void *)json_string_value(v), json_string_length(v));
	}
	json_decref(o);
}

static int send_one(const work_sms *m, void *arg)
{
	srv_sms *s = arg;
	srv_db_request r;
	work_commune commune;
	char phone[11], text[480], why[200] = "", err[300];
	long long now = (long long)time(NULL), next;
	int rc = -1, tries = m->tries + 1, max = s->cfg.max_tries > 0 ? s->cfg.max_tries : 5;
	const char *via = s->url[0] ? "http" : "gammu";
	if (srv_db_request_find(s->db, m->request_id, &r) != 1) {
		snprintf(why, sizeof why, "the request is not in the store");
		tries = max;
	} else {
		char code[6];
		memset(&commune, 0, sizeof commune);
		snprintf(code, sizeof code, "%.5s", r.id);      /* a request id starts with its commune */
		if (srv_work_commune_get(s->db, code, &commune) != 1) commune.name[0] = '\0';
		phone_of(s, &r, phone);
		if (!phone[0]) {
			snprintf(why, sizeof why, "the form holds no phone that can take a message");
			tries = max;
		} else if (srv_sms_text(m->kind, r.token, m->date, commune.name, text, sizeof text) != 0) {
			snprintf(why, sizeof why, "unknown kind of message %s", m->kind);
			tries = max;
		} else {
			rc = s->url[0] ? send_http(s, phone, text, m->id, why, sizeof why)
				: send_gammu(s, phone, text, m->id, why, sizeof why);
		}
		sodium_memzero(phone, sizeof phone);
		srv_db_request_free(&r);
	}
	next = now + (long long)(s->cfg.retry_s > 0 ? s->cfg.retry_s : 60) * (1LL << (tries - 1 < 10 ? tries - 1 : 10));
	if (rc != 0) log_warn("message %lld (%s) for %s: %s%s", m->id, m->kind, m->request_id, why,
		tries >= max ? "; given up" : "; tried again later");
	if (srv_work_sms_result(s->db, m->id, rc == 0 ? "sent" : tries >= max ? "failed" : "queued", next, now, via,
		rc == 0 ? "" : why, err, sizeof err) != 0)
		log_error("messages: %s", err);
	return 0;
}

/* ---- the thread ---- */

typedef struct {
	work_sms list[16];
	int n;
} due_list;

static int collect(const work_sms *m, void *arg)
{
	due_list *l = arg;
	if (l->n < 16) l->list[l->n++] = *m;
	return 0;
}

static void *worker(void *arg)
{
	srv_sms *s = arg;
	char err[300];
	for (;;) {
		due_list due;
		struct timespec until;
		int i;
		due.n = 0;
		if (srv_work_sms_due(s->db, (long long)time(NULL), 16, collect, &due, err, sizeof err) != 0)
			log_error("messages: %s", err);
		for (i = 0; i < due.n; i++) {
			pthread_mutex_lock(&s->lock);
			if (s->stopping) {
				pthread_mutex_unlock(&s->lock);
				return NULL;
			}
			pthread_mutex_unlock(&s->lock);
			send_one(&due.list[i], s);
		}
		/* A second's nap between looks: the queue's index makes a look
		 * cheap, and an action's message leaves within a second or two. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += due.n == 16 ? 0 : 1;
		pthread_mutex_lock(&s->lock);
		if (!s->stopping) pthread_cond_timedwait(&s->wake, &s->lock, &until);
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		pthread_mutex_unlock(&s->lock);
	}
}

int srv_sms_start(const srv_sms_config *cfg, srv_sms **out, char *err, size_t errlen)
{
	srv_sms *s;
	*out = NULL;
	if ((!cfg->url || !cfg->url[0]) && (!cfg->gammu_outbox || !cfg->gammu_outbox[0])) return 0;
	if (!(s = calloc(1, sizeof *s))) {
		snprintf(err, errlen, "messages: out of memory");
		return -1;
	}
	s->cfg = *cfg;
	snprintf(s->url, sizeof s->url, "%s", cfg->url ? cfg->url : "");
	snprintf(s->outbox, sizeof s->outbox, "%s", cfg->gammu_outbox ? cfg->gammu_outbox : "");
	if (srv_db_open(&s->db, cfg->data_dir, 0, err, errlen) != 0) {
		free(s);
		return -1;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, worker, s) != 0) {
		snprintf(err, errlen, "messages: the worker could not start");
		srv_db_close(s->db);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int srv_sms_start_with(const char *data_dir, const srv_keys *keys, const char *url, const char *gammu_outbox,
	int timeout_s, int retry_s, srv_sms **out, char *err, size_t errlen)
{
	srv_sms_config m;
	memset(&m, 0, sizeof m);
	m.data_dir = data_dir;
	m.keys = keys;
	m.url = url;
	m.gammu_outbox = gammu_outbox;
	m.timeout_s = timeout_s;
	m.retry_s = retry_s;
	return srv_sms_start(&m, out, err, errlen);
}

void srv_sms_stop(srv_sms *s)
{
	if (!s) return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	srv_db_close(s->db);
	free(s);
}
