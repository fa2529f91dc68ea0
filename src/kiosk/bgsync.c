/* bgsync: a thread that runs motcua-sync on a schedule, and one that runs
 * it once for staff and reads its progress lines (see bgsync.h). */
#include "bgsync.h"
#include "log.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define BACKOFF_BASE_MS 5000LL
#define BACKOFF_CAP_MS 600000LL
#define EXIT_CAUGHT_UP 0
#define EXIT_CLOCK_OFF 8         /* synced; only the kiosk's clock is wrong */

struct bgsync {
	const config *cfg;
	char program[1024];
	char config_path[1024];
	bgsync_notify_fn notify;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;        /* guards stop and child */
	pthread_cond_t wake;
	int stop;
	pid_t child;                 /* 0 when none runs */
};

long long bgsync_backoff_ms(int failures, unsigned random)
{
	long long cap = BACKOFF_BASE_MS;
	int i;
	for (i = 1; i < failures && cap < BACKOFF_CAP_MS; i++) cap *= 2;
	if (cap > BACKOFF_CAP_MS) cap = BACKOFF_CAP_MS;
	/* Full jitter: anywhere up to the cap, so kiosks that lost the same
	 * link at the same moment do not all come back at once. */
	return 1000 + (long long)(random % (unsigned)cap);
}

/* One run of motcua-sync: its exit code, or -1 if it could not start or
 * was stopped by a signal. Its progress lines (stdout) are dropped; its
 * messages (stderr) join the kiosk's log. */
static int run_once(bgsync *w)
{
	char *argv[] = { w->program, "--config", w->config_path, "now", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	pthread_mutex_lock(&w->lock);
	rc = w->stop ? -1 : posix_spawn(&pid, w->program, &fa, NULL, argv, environ);
	if (rc == 0) w->child = pid;
	pthread_mutex_unlock(&w->lock);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		if (rc > 0) log_warn("background sync: cannot run %s: %s", w->program, strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&w->lock);
	w->child = 0;
	pthread_mutex_unlock(&w->lock);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void *worker_main(void *arg)
{
	bgsync *w = arg;
	int failures = 0, code;
	for (;;) {
		struct timespec until;
		long long ms;
		code = run_once(w);
		pthread_mutex_lock(&w->lock);
		if (w->stop) { pthread_mutex_unlock(&w->lock); break; }
		pthread_mutex_unlock(&w->lock);
		if (w->notify) w->notify(w->ctx, code);
		if (code == EXIT_CAUGHT_UP || code == EXIT_CLOCK_OFF) {
			failures = 0;
			ms = (long long)w->cfg->sync_interval * 1000;
		} else {
			failures++;
			ms = bgsync_backoff_ms(failures, randombytes_random());
		}
		/* The monotonic clock: a kiosk's clock jumps when it is set. */
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)(ms / 1000);
		until.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
		pthread_mutex_lock(&w->lock);
		while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
			;
		code = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (code) break;
	}
	return NULL;
}

bgsync *bgsync_start(const config *cfg, const char *program, const char *config_path,
	bgsync_notify_fn notify, void *ctx, char *err, size_t errlen)
{
	bgsync *w;
	pthread_condattr_t attr;
	if (cfg->sync_interval == 0) {
		snprintf(err, errlen, "background sync is off ([server] sync_interval = 0)");
		return NULL;
	}
	if (!cfg->server_url[0] || !cfg->server_key[0]) {
		snprintf(err, errlen, "background sync is off: [server] %s is not set", !cfg->server_url[0] ? "url" : "key");
		return NULL;
	}
	if (access(program, X_OK) != 0) {
		snprintf(err, errlen, "background sync is off: %s: %s", program, strerror(errno));
		return NULL;
	}
	if (sodium_init() < 0 || !(w = calloc(1, sizeof *w))) {
		snprintf(err, errlen, "background sync: out of memory");
		return NULL;
	}
	w->cfg = cfg;
	snprintf(w->program, sizeof w->program, "%s", program);
	snprintf(w->config_path, sizeof w->config_path, "%s", config_path);
	w->notify = notify;
	w->ctx = ctx;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		snprintf(err, errlen, "background sync: cannot start a thread");
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void bgsync_stop(bgsync *w)
{
	if (!w) return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	if (w->child > 0) kill(w->child, SIGTERM);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* ---- a staff run ---- */

struct bgsync_run {
	char program[1024], config_path[1024], command[16];
	bgsync_notify_fn notify;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;        /* guards state and child */
	bgsync_run_state state;
	pid_t child;
	int out;                     /* the child's stdout, read by the thread */
};

static void copy_str(json_t *o, const char *key, char *out, size_t outlen)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (v) snprintf(out, outlen, "%s", v);
}

static long long get_int(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

int bgsync_parse_line(const char *line, bgsync_run_state *st)
{
	json_t *o = json_loads(line, 0, NULL);
	const char *type = json_string_value(json_object_get(o, "type"));
	int rc = 0;
	if (!type) rc = -1;
	else if (strcmp(type, "waiting") == 0) st->phase = BGSYNC_WAITING;
	else if (strcmp(type, "progress") == 0) {
		st->phase = BGSYNC_RUNNING;
		st->done = get_int(o, "done");
		st->total = get_int(o, "total");
	} else if (strcmp(type, "result") == 0) {
		copy_str(o, "result", st->result, sizeof st->result);
		copy_str(o, "path", st->path, sizeof st->path);
		copy_str(o, "message", st->message, sizeof st->message);
		st->exit_code = (int)get_int(o, "exit");
		st->sent = get_int(o, "sent");
		st->updates = get_int(o, "updates");
		st->pending = get_int(o, "pending");
		st->count = get_int(o, "count");
		st->files = (int)get_int(o, "files");
		st->clock_known = json_is_true(json_object_get(o, "clock_known"));
		st->clock_offset = get_int(o, "clock_offset");
	} else rc = -1;
	json_decref(o);
	return rc;
}

static void run_changed(bgsync_run *r, int code)
{
	if (r->notify) r->notify(r->ctx, code);
}

static void *run_main(void *arg)
{
	bgsync_run *r = arg;
	FILE *in = fdopen(r->out, "r");
	char line[4096];
	int status = 0, code;
	while (in && fgets(line, sizeof line, in)) {
		pthread_mutex_lock(&r->lock);
		code = bgsync_parse_line(line, &r->state);
		pthread_mutex_unlock(&r->lock);
		if (code == 0) run_changed(r, -1);
	}
	if (in) fclose(in);
	else close(r->out);
	while (waitpid(r->child, &status, 0) < 0 && errno == EINTR)
		;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	pthread_mutex_lock(&r->lock);
	r->child = 0;
	r->state.exit_code = code;
	if (code < 0) snprintf(r->state.result, sizeof r->state.result, "stopped");
	r->state.phase = BGSYNC_DONE;
	pthread_mutex_unlock(&r->lock);
	run_changed(r, code);
	return NULL;
}

bgsync_run *bgsync_run_start(const char *program, const char *config_path, const char *command,
	bgsync_notify_fn notify, void *ctx, char *err, size_t errlen)
{
	bgsync_run *r = calloc(1, sizeof *r);
	char *argv[6];
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 }, rc;
	if (!r) { snprintf(err, errlen, "out of memory"); return NULL; }
	snprintf(r->program, sizeof r->program, "%s", program);
	snprintf(r->config_path, sizeof r->config_path, "%s", config_path);
	snprintf(r->command, sizeof r->command, "%s", command);
	snprintf(r->state.command, sizeof r->state.command, "%s", command);
	r->state.phase = BGSYNC_RUNNING;
	r->notify = notify;
	r->ctx = ctx;
	argv[0] = r->program; argv[1] = "--config"; argv[2] = r->config_path;
	argv[3] = "--progress"; argv[4] = r->command; argv[5] = NULL;
	/* Close-on-exec, so that no other child (the background worker's)
	 * holds the write end open and keeps the end of output from coming. */
	if (pipe(pipefd) != 0 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) != 0) {
		if (pipefd[0] >= 0) { close(pipefd[0]); close(pipefd[1]); }
		snprintf(err, errlen, "cannot run %s: %s", program, strerror(errno));
		free(r);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	rc = posix_spawn(&r->child, r->program, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", program, strerror(rc));
		close(pipefd[0]);
		free(r);
		return NULL;
	}
	r->out = pipefd[0];
	pthread_mutex_init(&r->lock, NULL);
	if (pthread_create(&r->thread, NULL, run_main, r) != 0) {
		snprintf(err, errlen, "cannot start a thread");
		kill(r->child, SIGTERM);
		waitpid(r->child, NULL, 0);
		close(r->out);
		pthread_mutex_destroy(&r->lock);
		free(r);
		return NULL;
	}
	return r;
}

void bgsync_run_read(bgsync_run *r, bgsync_run_state *out)
{
	if (!r) { memset(out, 0, sizeof *out); out->phase = BGSYNC_IDLE; return; }
	pthread_mutex_lock(&r->lock);
	*out = r->state;
	pthread_mutex_unlock(&r->lock);
}

void bgsync_run_free(bgsync_run *r)
{
	if (!r) return;
	pthread_mutex_lock(&r->lock);
	if (r->child > 0) kill(r->child, SIGTERM);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
