/* log: leveled messages on stderr for the kiosk, motcua-sync and the server.
 *
 * A kiosk runs under systemd, whose journal reads stderr: when stderr is the
 * journal's stream (JOURNAL_STREAM names it), each line starts with the
 * sd-daemon level prefix ("<3>" for an error), so `journalctl -p warning`
 * sorts them; on a terminal a line reads "motcua-kiosk: warning: ...".
 * The level comes from MOTCUA_LOG when set (for a one-off debugging run),
 * else from the configuration's [log] level, else info.
 *
 * Nothing personal is ever passed here: no name, phone, citizen id, address,
 * request text, sealed box or whole receipt code. The state is set once at
 * start, before any thread, and only read afterwards; each message is one
 * write (held lines: whole lines, several a write), so lines from two
 * threads do not interleave. */
#ifndef MOTCUA_LOG_H
#define MOTCUA_LOG_H

#include <stddef.h>

/* syslog's numbers, which the journal's prefixes use. */
typedef enum { LOG_LEVEL_ERROR = 3, LOG_LEVEL_WARN = 4, LOG_LEVEL_INFO = 6, LOG_LEVEL_DEBUG = 7 } log_level;

/* The names the configuration and MOTCUA_LOG take, "error|warn|info|debug". */
#define LOG_LEVEL_CHOICES "error|warn|info|debug"

/* Names the program and sets the level: MOTCUA_LOG if set and valid, else
 * configured (a name from LOG_LEVEL_CHOICES; NULL or "" for info). May be
 * called again once the configuration is read. */
void log_setup(const char *program, const char *configured);

/* 0 and *out for a known name, -1 otherwise. */
int log_level_parse(const char *name, log_level *out);

/* 1 if a message at this level would be written: to skip costly work. */
int log_enabled(log_level level);

void log_at(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Held lines: info lines a thread writes by the thousand a second (the
 * server's request log, one a request), gathered per thread and written
 * LOG_HOLD_BYTES at a time, or within LOG_HOLD_MS by a thread of log's own
 * that log_hold_start runs, so a quiet server's lines are not kept back.
 * A crash loses at most that half second of held lines; errors and
 * warnings are never held. */
#define LOG_HOLD_BYTES 4096
#define LOG_HOLD_MS 500
/* Starts the flusher; 0, or -1 when it cannot (lines are then written at
 * once). Call with the signals blocked that other threads must not take. */
int log_hold_start(void);
/* Writes what every thread holds and stops the flusher: lines are written
 * at once again. */
void log_hold_stop(void);
/* One info line, text without its newline (len bytes, the level prefix
 * added here): held when the flusher runs, else written at once. */
void log_held(const char *text, size_t len);
/* The same line written at once, behind what this thread holds. */
void log_line(const char *text, size_t len);

#endif
