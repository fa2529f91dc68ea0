/* log: leveled lines on stderr (see log.h). The one piece of state is the
 * file-scope settings below, written by log_setup before threads start.
 * A line is formatted into one buffer and written with one write(2): stdio
 * would split a long line into several writes, and the background sync
 * thread logs too. Held lines (log_held) wait in a buffer per thread,
 * registered in one list the flusher thread walks; each buffer has its
 * own mutex, which only its thread and the flusher take. */
#include "log.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

static struct {
	char program[32];
	log_level level;
	int journal;             /* stderr is the journal's stream: "<N>" prefixes */
} log_state = { "motcua", LOG_LEVEL_INFO, 0 };

static const struct { const char *name; log_level level; } log_names[] = {
	{ "error", LOG_LEVEL_ERROR }, { "warn", LOG_LEVEL_WARN },
	{ "info", LOG_LEVEL_INFO }, { "debug", LOG_LEVEL_DEBUG },
};
#define NNAMES (sizeof log_names / sizeof log_names[0])

int log_level_parse(const char *name, log_level *out)
{
	size_t i;
	for (i = 0; name && i < NNAMES; i++)
		if (strcmp(log_names[i].name, name) == 0) { *out = log_names[i].level; return 0; }
	return -1;
}

static const char *level_name(log_level level)
{
	size_t i;
	for (i = 0; i < NNAMES; i++)
		if (log_names[i].level == level) return log_names[i].name;
	return "info";
}

/* systemd sets JOURNAL_STREAM to the device and inode of the stream it gave
 * the service; stderr is the journal only if it is still that file (a
 * service may redirect stderr, and children inherit the variable). */
static int stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!v || sscanf(v, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) != 0) return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_setup(const char *program, const char *configured)
{
	log_level level = LOG_LEVEL_INFO;
	const char *env = getenv("MOTCUA_LOG");
	if (program) snprintf(log_state.program, sizeof log_state.program, "%s", program);
	if (!(env && log_level_parse(env, &level) == 0) && configured && configured[0])
		log_level_parse(configured, &level);
	log_state.level = level;
	log_state.journal = stderr_is_journal();
}

int log_enabled(log_level level)
{
	return level <= log_state.level;
}

__attribute__((format(printf, 2, 0)))
static void log_write(log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int head, body;
	size_t len;
	if (!log_enabled(level)) return;
	/* The journal knows the program and shows the level; a terminal
	 * needs both spelt out. */
	if (log_state.journal) head = snprintf(line, sizeof line, "<%d>", (int)level);
	else head = snprintf(line, sizeof line, "%s: %s: ", log_state.program, level_name(level));
	if (head < 0) return;
	body = vsnprintf(line + head, sizeof line - (size_t)head, fmt, ap);
	if (body < 0) return;
	len = (size_t)head + (size_t)body;
	if (len > sizeof line - 2) len = sizeof line - 2;
	/* One message, one line: a newline inside would start a line the
	 * journal reads without a level. */
	{
		size_t i;
		for (i = (size_t)head; i < len; i++)
			if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
	}
	line[len++] = '\n';
	if (write(2, line, len) < 0) return;     /* nowhere left to say it */
}

void log_at(log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_write(level, fmt, ap);
	va_end(ap);
}

#define LOG_FN(fn, level) \
	void fn(const char *fmt, ...) { va_list ap; va_start(ap, fmt); log_write(level, fmt, ap); va_end(ap); }
LOG_FN(log_error, LOG_LEVEL_ERROR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

/* ---- held lines ---- */

typedef struct log_hold {
	struct log_hold *next;
	pthread_mutex_t lock;
	size_t len;
	char buf[LOG_HOLD_BYTES];
} log_hold;

static struct {
	pthread_mutex_t lock;        /* the list, the flusher's stop */
	pthread_cond_t wake;
	log_hold *all;
	pthread_key_t key;
	pthread_t thread;
	atomic_int on;               /* the flusher runs: hold lines */
	int stop, has_key;
} hold = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0, 0, 0 };

/* Called with b->lock held. */
static void hold_write(log_hold *b)
{
	if (b->len && write(2, b->buf, b->len) < 0) {}   /* nowhere left to say it */
	b->len = 0;
}

/* A thread that ends: what it holds is written, its buffer dropped. */
static void hold_drop(void *p)
{
	log_hold *b = p, **at;
	pthread_mutex_lock(&hold.lock);
	for (at = &hold.all; *at; at = &(*at)->next)
		if (*at == b) { *at = b->next; break; }
	pthread_mutex_unlock(&hold.lock);
	pthread_mutex_lock(&b->lock);
	hold_write(b);
	pthread_mutex_unlock(&b->lock);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static void hold_write_all(void)
{
	log_hold *b;
	pthread_mutex_lock(&hold.lock);
	for (b = hold.all; b; b = b->next) {
		pthread_mutex_lock(&b->lock);
		hold_write(b);
		pthread_mutex_unlock(&b->lock);
	}
	pthread_mutex_unlock(&hold.lock);
}

static void *hold_flusher(void *arg)
{
	struct timespec at;
	(void)arg;
	pthread_mutex_lock(&hold.lock);
	while (!hold.stop) {
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_nsec += LOG_HOLD_MS * 1000000L;
		at.tv_sec += at.tv_nsec / 1000000000L;
		at.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&hold.wake, &hold.lock, &at);
		pthread_mutex_unlock(&hold.lock);
		hold_write_all();
		pthread_mutex_lock(&hold.lock);
	}
	pthread_mutex_unlock(&hold.lock);
	return NULL;
}

int log_hold_start(void)
{
	if (atomic_load(&hold.on)) return 0;
	if (!hold.has_key && pthread_key_create(&hold.key, hold_drop) != 0) return -1;
	hold.has_key = 1;
	hold.stop = 0;
	if (pthread_create(&hold.thread, NULL, hold_flusher, NULL) != 0) return -1;
	atomic_store(&hold.on, 1);
	return 0;
}

void log_hold_stop(void)
{
	if (!atomic_load(&hold.on)) return;
	atomic_store(&hold.on, 0);
	pthread_mutex_lock(&hold.lock);
	hold.stop = 1;
	pthread_cond_signal(&hold.wake);
	pthread_mutex_unlock(&hold.lock);
	pthread_join(hold.thread, NULL);
	hold_write_all();
}

/* This thread's buffer, made and registered on its first held line; NULL
 * when out of memory (the line is then written at once). */
static log_hold *hold_mine(void)
{
	log_hold *b = pthread_getspecific(hold.key);
	if (b) return b;
	if (!(b = malloc(sizeof *b))) return NULL;
	b->len = 0;
	if (pthread_mutex_init(&b->lock, NULL) != 0) {
		free(b);
		return NULL;
	}
	if (pthread_setspecific(hold.key, b) != 0) {
		pthread_mutex_destroy(&b->lock);
		free(b);
		return NULL;
	}
	pthread_mutex_lock(&hold.lock);
	b->next = hold.all;
	hold.all = b;
	pthread_mutex_unlock(&hold.lock);
	return b;
}

static void info_line(const char *text, size_t len, int keep)
{
	char line[LOG_LINE_MAX];
	size_t i, n, head;
	log_hold *b;
	if (!log_enabled(LOG_LEVEL_INFO)) return;
	/* log_write's prefix, without its printf: the line is one a request. */
	if (log_state.journal) {
		memcpy(line, "<6>", 3);
		head = 3;
	} else {
		head = strlen(log_state.program);
		memcpy(line, log_state.program, head);
		memcpy(line + head, ": info: ", 8);
		head += 8;
	}
	if (len > sizeof line - head - 1) len = sizeof line - head - 1;
	memcpy(line + head, text, len);
	n = head + len;
	for (i = head; i < n; i++)               /* one message, one line (see log_write) */
		if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
	line[n++] = '\n';
	if (!atomic_load(&hold.on) || !(b = hold_mine())) {
		if (write(2, line, n) < 0) return;
		return;
	}
	pthread_mutex_lock(&b->lock);
	if (!keep || b->len + n > sizeof b->buf) hold_write(b);
	if (keep) {
		memcpy(b->buf + b->len, line, n);
		b->len += n;
	} else if (write(2, line, n) < 0) {}
	pthread_mutex_unlock(&b->lock);
}

void log_held(const char *text, size_t len)
{
	info_line(text, len, 1);
}

void log_line(const char *text, size_t len)
{
	info_line(text, len, 0);
}
