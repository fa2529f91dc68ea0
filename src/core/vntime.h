/* vntime: Vietnam time, the one clock every legal date is read on.
 *
 * Vietnam keeps UTC+7 all year (no daylight saving), so the server, which
 * may run in any zone, turns Unix seconds into the commune's calendar day
 * and wall-clock time here and nowhere else: "today" for a deadline, the
 * day and hour shown on a page, the start of a month for the figures. The
 * kiosk shows time in its configured zone ([kiosk] timezone, Vietnam by
 * default). The day arithmetic itself is cal's (cal_day_number). Also here:
 * how far apart two clocks may be before staff are told, and the words
 * that say by how much. */
#ifndef MOTCUA_VNTIME_H
#define MOTCUA_VNTIME_H

#include <stddef.h>
#include "cal.h"

#define VNTIME_OFFSET (7 * 3600)        /* seconds east of UTC */
#define VNTIME_ISO_OFFSET "+07:00"      /* the same as ISO 8601 writes it after a time */
#define VNTIME_CLOCK_TOLERANCE 300      /* seconds two clocks may differ unremarked */

typedef struct {
	cal_date date;
	int hour, minute, second;
	int weekday;                         /* 0 Sunday .. 6 Saturday */
} vntime;

/* The Vietnam wall-clock time of a Unix time, for any value. */
vntime vntime_of(long long unix_seconds);

/* The Vietnam calendar day of a Unix time. */
cal_date vntime_date(long long unix_seconds);

/* The Unix time of a Vietnam wall-clock time (fields are not checked:
 * hour 24 is the next day's midnight). */
long long vntime_from_civil(int year, int month, int day, int hour, int minute, int second);

/* The Unix time of the start of a Vietnam calendar day. */
long long vntime_day_start(cal_date d);

/* strftime on the Vietnam time of t; the length written, 0 when it did not
 * fit (out is then ""). */
size_t vntime_format(long long t, const char *fmt, char *out, size_t outlen);

/* "2 h 05 min behind" or "3 days 4 h ahead of": how far a clock is from a
 * reference, offset being the reference minus the clock, in seconds; the
 * caller adds what the reference is ("the server's"). */
void vntime_describe_offset(long long offset, char *out, size_t outlen);

/* Whether this machine's clock is kept by network time (the kernel's NTP
 * state, as timedatectl's "System clock synchronized"): 1 yes, 0 no. When
 * two clocks disagree, the one kept by network time is the one to believe.
 * MOTCUA_CLOCK_SYNCED=yes or no in the environment overrides it (tests). */
int vntime_clock_synced(void);

#endif
