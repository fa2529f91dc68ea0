/* srv_pushq: the push queue and its workers (see srv_pushq.h).
 *
 * A plain FIFO under one mutex and condition. A worker whose database does
 * not open answers its jobs 503 rather than leaving connections suspended.
 * The workers run at a lower CPU priority (nice +10, when the system allows
 * it) than the pool threads, so on a small machine a burst of pushes takes
 * the spare CPU and not the phone page's. */
#include "srv_pushq.h"
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WORKERS_MAX 8
#define PG_WORKERS_PER_CORE 4
#define WORKER_NICE 10

struct srv_pushq {
	const srv_sync_ctx *ctx;
	const char *store;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	srv_pushq_job *head, *tail;
	unsigned queued, depth;
	int stopping, nworkers;
	pthread_t workers[WORKERS_MAX];
};

static void answer_unavailable(srv_pushq_job *job, const char *why)
{
	memset(&job->result, 0, sizeof job->result);
	job->result.status = 503;
	snprintf(job->result.error, sizeof job->result.error, "server_error");
	snprintf(job->result.message, sizeof job->result.message, "%s", why);
}

static void *worker(void *arg)
{
	srv_pushq *q = arg;
	srv_db *db = NULL;
	char err[300];
	/* Per thread on Linux: only this worker is niced. A sandbox that
	 * forbids it (systemd's ~@resources) leaves the priority as it is. */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE) != 0)
		log_debug("push worker: priority unchanged");
	if (srv_db_open(&db, q->store, 0, err, sizeof err) != 0) log_error("push worker: %s", err);
	pthread_mutex_lock(&q->lock);
	for (;;) {
		srv_pushq_job *job;
		while (!q->head && !q->stopping) pthread_cond_wait(&q->ready, &q->lock);
		if (!(job = q->head)) break;      /* stopping, and nothing left */
		q->head = job->next;
		if (!q->head) q->tail = NULL;
		q->queued--;
		pthread_mutex_unlock(&q->lock);
		int stored = 0;
		if (db) srv_sync_push(q->ctx, db, job->body, job->len, (long long)time(NULL), &job->result);
		else answer_unavailable(job, "the database did not open");
		stored = job->result.stored;
		job->done = 1;
		MHD_resume_connection(job->connection);   /* job is the connection's again */
		/* The search keys of what was stored, once the kiosk has its answer. */
		if (db && stored > 0) srv_sync_index(q->ctx, db);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	srv_db_close(db);
	return NULL;
}

srv_pushq *srv_pushq_new(const srv_sync_ctx *ctx, const char *store, int workers, unsigned depth,
	char *err, size_t errlen)
{
	srv_pushq *q = calloc(1, sizeof *q);
	int i;
	if (!q) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	q->ctx = ctx;
	q->store = store;
	q->depth = depth ? depth : 1;
	if (pthread_mutex_init(&q->lock, NULL) != 0 || pthread_cond_init(&q->ready, NULL) != 0) {
		free(q);
		snprintf(err, errlen, "could not set up the push queue");
		return NULL;
	}
	if (workers < 1) workers = 1;
	/* On PostgreSQL a push spends most of its time waiting, on its commit's
	 * flush and its round trips to another process, and pushes of
	 * different kiosks do not wait for each other (srv_db_pg.c locks per
	 * kiosk): more workers than cores overlap the waits. SQLite takes one
	 * writer at a time, so there more workers would only queue on its lock. */
	if (strncmp(store, "postgresql://", 13) == 0 || strncmp(store, "postgres://", 11) == 0)
		workers *= PG_WORKERS_PER_CORE;
	if (workers > WORKERS_MAX) workers = WORKERS_MAX;
	for (i = 0; i < workers; i++) {
		if (pthread_create(&q->workers[i], NULL, worker, q) != 0) break;
		q->nworkers++;
	}
	if (q->nworkers == 0) {
		srv_pushq_free(q);
		snprintf(err, errlen, "could not start the push workers");
		return NULL;
	}
	return q;
}

int srv_pushq_submit(srv_pushq *q, srv_pushq_job *job)
{
	int ok;
	job->next = NULL;
	job->done = 0;
	pthread_mutex_lock(&q->lock);
	ok = !q->stopping && q->queued < q->depth;
	if (ok) {
		/* Suspended before any worker can see it, so a resume always
		 * finds the connection suspended. */
		MHD_suspend_connection(job->connection);
		if (q->tail) q->tail->next = job;
		else q->head = job;
		q->tail = job;
		q->queued++;
		pthread_cond_signal(&q->ready);
	}
	pthread_mutex_unlock(&q->lock);
	return ok ? 0 : -1;
}

void srv_pushq_stop(srv_pushq *q)
{
	int i;
	if (!q) return;
	pthread_mutex_lock(&q->lock);
	q->stopping = 1;
	pthread_cond_broadcast(&q->ready);
	pthread_mutex_unlock(&q->lock);
	for (i = 0; i < q->nworkers; i++) pthread_join(q->workers[i], NULL);
	q->nworkers = 0;
}

void srv_pushq_free(srv_pushq *q)
{
	if (!q) return;
	srv_pushq_stop(q);
	pthread_cond_destroy(&q->ready);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* ---- a push's body as it arrives ---- */

void srv_pushq_body_drop(srv_pushq_body *b, srv_guard *g)
{
	free(b->data);
	srv_guard_release(g, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
}

__attribute__((format(printf, 5, 6)))
static void refuse(srv_pushq_body *b, srv_guard *g, int status, const char *error, const char *fmt, ...)
{
	va_list ap;
	b->status = status;
	snprintf(b->error, sizeof b->error, "%s", error);
	va_start(ap, fmt);
	vsnprintf(b->message, sizeof b->message, fmt, ap);
	va_end(ap);
	srv_pushq_body_drop(b, g);
}

static void check_signer(srv_pushq_body *b, srv_guard *g, srv_db *db)
{
	char signer[ENV_SIGNER_MAX];
	srv_db_kiosk k;
	int found;
	b->signer_checked = 1;
	if (srv_pushq_signer(b->data, b->len, signer) != 1)
		refuse(b, g, 400, "bad_envelope", "the envelope does not name its signer in its first %u bytes",
			SRV_PUSHQ_SIGNER_WINDOW);
	else if (!db || (found = srv_db_kiosk_get(db, signer, &k)) < 0)
		refuse(b, g, 503, "server_error", "the database did not answer");
	else if (!found)
		refuse(b, g, 403, "unknown_kiosk", "kiosk %s is not registered on this server", signer);
	else if (k.revoked)
		refuse(b, g, 403, "revoked_kiosk", "kiosk %s has been revoked on this server", signer);
}

int srv_pushq_feed(srv_pushq_body *b, srv_guard *g, srv_db *db, const char *data, size_t len)
{
	if (b->status) return 0;                 /* refused: the rest is read and dropped */
	if (len > ENV_MAX_BYTES - b->len) {
		refuse(b, g, 413, "too_large", "the envelope is larger than %u bytes", ENV_MAX_BYTES);
		return 0;
	}
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		char *grown;
		while (cap < b->len + len) cap *= 2;
		if (cap > ENV_MAX_BYTES) cap = ENV_MAX_BYTES;
		if (!srv_guard_reserve(g, cap - b->cap)) {
			refuse(b, g, 503, "server_error", "the server is busy receiving other pushes; try again later");
			return 0;
		}
		if (!(grown = realloc(b->data, cap))) {
			srv_guard_release(g, cap - b->cap);
			return -1;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	if (!b->signer_checked && b->len > SRV_PUSHQ_SIGNER_WINDOW) check_signer(b, g, db);
	return 0;
}

/* ---- the signer, from the envelope's first bytes ---- */

typedef struct {
	const char *s;
	size_t len, at;
} scan;

static void skip_space(scan *x)
{
	while (x->at < x->len && strchr(" \t\r\n", x->s[x->at])) x->at++;
}

/* A JSON string at x->at, its text (escapes kept as they are) into out when
 * out is not NULL. 1 read, 0 more bytes needed, -1 not a string or too long. */
static int read_string(scan *x, char *out, size_t outlen)
{
	size_t n = 0;
	if (x->at >= x->len) return 0;
	if (x->s[x->at] != '"') return -1;
	for (x->at++; x->at < x->len; x->at++) {
		char ch = x->s[x->at];
		if (ch == '"') {
			x->at++;
			if (out) out[n] = '\0';
			return 1;
		}
		if (ch == '\\' && ++x->at >= x->len) return 0;
		if (out) {
			if (n + 1 >= outlen) return -1;
			out[n++] = ch == '\\' ? '?' : ch;   /* an escaped name is no name we look for */
		}
	}
	return 0;
}

int srv_pushq_signer(const char *text, size_t len, char out[ENV_SIGNER_MAX])
{
	scan x = { text, len, 0 };
	char key[32];
	int rc;
	skip_space(&x);
	if (x.at >= x.len) return 0;
	if (text[x.at++] != '{') return -1;
	for (;;) {
		skip_space(&x);
		if ((rc = read_string(&x, key, sizeof key)) <= 0) return rc;
		skip_space(&x);
		if (x.at >= x.len) return 0;
		if (text[x.at++] != ':') return -1;
		skip_space(&x);
		if (x.at >= x.len) return 0;
		if (strcmp(key, "signer") == 0) {
			if ((rc = read_string(&x, out, ENV_SIGNER_MAX)) <= 0) return rc;
			return env_is_kiosk_id(out) || strcmp(out, "server") == 0 ? 1 : -1;
		}
		if (text[x.at] == '"') {
			if ((rc = read_string(&x, NULL, 0)) <= 0) return rc;
		} else {
			/* A number, true, false or null; an object or array is not
			 * what comes before the signer in an envelope. */
			if (text[x.at] == '{' || text[x.at] == '[') return -1;
			while (x.at < x.len && !strchr(",} \t\r\n", text[x.at])) x.at++;
		}
		skip_space(&x);
		if (x.at >= x.len) return 0;
		if (text[x.at] == '}') return -1;
		if (text[x.at++] != ',') return -1;
	}
}
