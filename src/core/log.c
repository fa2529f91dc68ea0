/* log: leveled lines on stderr (see log.h). The one piece of state is the
 * file-scope settings below, written by log_setup before threads start.
 * A line is formatted into one buffer and written with one write(2): stdio
 * would split a long line into several writes, and the background sync
 * thread logs too. */
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
