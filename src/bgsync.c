/* bgsync: a thread that runs motcua-sync on a schedule (see bgsync.h). */
#include "bgsync.h"
#include <errno.h>
#include <fcntl.h>
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
		if (rc > 0) fprintf(stderr, "motcua-kiosk: warning: background sync: cannot run %s: %s\n", w->program, strerror(rc));
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
