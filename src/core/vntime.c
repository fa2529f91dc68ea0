/* vntime: Unix seconds to Vietnam time and back (see vntime.h). Works on
 * whole days with floor division, so times before 1970 and far futures
 * (a lying clock's) come out right rather than wrapping. */
#include "vntime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

static long long floor_div(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

vntime vntime_of(long long unix_seconds)
{
	long long t = unix_seconds + VNTIME_OFFSET;
	long long day = floor_div(t, 86400), secs = t - day * 86400;
	vntime v;
	v.date = cal_from_day_number(day);
	v.hour = (int)(secs / 3600);
	v.minute = (int)(secs / 60 % 60);
	v.second = (int)(secs % 60);
	v.weekday = (int)(((day % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
	return v;
}

cal_date vntime_date(long long unix_seconds)
{
	return vntime_of(unix_seconds).date;
}

long long vntime_from_civil(int year, int month, int day, int hour, int minute, int second)
{
	cal_date d = { year, month, day };
	return (long long)cal_day_number(d) * 86400 + hour * 3600LL + minute * 60LL + second - VNTIME_OFFSET;
}

long long vntime_day_start(cal_date d)
{
	return vntime_from_civil(d.year, d.month, d.day, 0, 0, 0);
}

size_t vntime_format(long long t, const char *fmt, char *out, size_t outlen)
{
	vntime v = vntime_of(t);
	struct tm tm;
	size_t n;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v.date.year - 1900;
	tm.tm_mon = v.date.month - 1;
	tm.tm_mday = v.date.day;
	tm.tm_hour = v.hour;
	tm.tm_min = v.minute;
	tm.tm_sec = v.second;
	tm.tm_wday = v.weekday;
	if (outlen == 0) return 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	n = strftime(out, outlen, fmt, &tm);
#pragma GCC diagnostic pop
	if (n == 0) out[0] = '\0';
	return n;
}

void vntime_describe_offset(long long offset, char *out, size_t outlen)
{
	long long a = offset < 0 ? -offset : offset;
	char amount[64];
	if (a >= 86400) snprintf(amount, sizeof amount, "%lld day%s %lld h", a / 86400, a < 2 * 86400 ? "" : "s", a % 86400 / 3600);
	else if (a >= 3600) snprintf(amount, sizeof amount, "%lld h %02lld min", a / 3600, a % 3600 / 60);
	else if (a >= 60) snprintf(amount, sizeof amount, "%lld min %02lld s", a / 60, a % 60);
	else snprintf(amount, sizeof amount, "%lld s", a);
	snprintf(out, outlen, "%s %s", amount, offset > 0 ? "behind" : "ahead of");
}

int vntime_clock_synced(void)
{
	struct timex tx;
	const char *forced = getenv("MOTCUA_CLOCK_SYNCED");
	if (forced && *forced) return strcmp(forced, "yes") == 0;
	memset(&tx, 0, sizeof tx);
	/* adjtimex with modes 0 only reads; TIME_ERROR and STA_UNSYNC both mean
	 * nothing keeps the clock. */
	if (adjtimex(&tx) == TIME_ERROR || (tx.status & STA_UNSYNC)) return 0;
	return 1;
}
