/* cal: the working-day calendar (see cal.h).
 *
 * Dates are turned into day numbers (days since 1970-01-01) with Howard
 * Hinnant's civil-calendar formulas, which are exact for the proleptic
 * Gregorian calendar and need no tables or time zones; adding days is then
 * plain arithmetic. The listed days off and working days are kept sorted by
 * day number so that a lookup is a binary search. The file is checked
 * strictly: a wrong calendar silently moves every deadline printed on a
 * receipt, so a file that is not exactly right is refused with a message an
 * official can act on, and the kiosk keeps the calendar it had. */
#include "cal.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A listed date, and where it was in its list (for error messages). */
typedef struct {
	int64_t day;
	size_t index;
	int tentative;           /* "confirmed": false: expected, not yet decided */
} cal_entry;

/* One list of the file: its member name and whether its days work. */
typedef struct {
	const char *key;
	int working;
} cal_list;

static const cal_list cal_lists[] = {
	{ "days_off", 0 },
	{ "working_days", 1 },
};
#define CAL_NLISTS (sizeof cal_lists / sizeof cal_lists[0])

struct cal {
	cal_entry *list[CAL_NLISTS];
	size_t n[CAL_NLISTS];
	char *version;
	int confirmed[CAL_MAX_CONFIRMED_YEARS];   /* the years the government has decided */
	size_t nconfirmed;
};

static const int cal_month_days[13] = {
	0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
};

/* 1970-01-01 was a Thursday. */
#define CAL_EPOCH_WEEKDAY 4

static int cal_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int cal_days_in_month(int y, int m)
{
	return m == 2 && cal_is_leap(y) ? 29 : cal_month_days[m];
}

/* Day number of d; 64-bit so that no int input can overflow. */
int64_t cal_day_number(cal_date d)
{
	int64_t y = d.year, m = d.month, dd = d.day;
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

cal_date cal_from_day_number(int64_t z)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;
	cal_date r;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	r.year = (int)y;
	r.month = (int)m;
	r.day = (int)d;
	return r;
}

static int cal_weekday_of(int64_t day)
{
	return (int)(((day % 7) + 7 + CAL_EPOCH_WEEKDAY) % 7);
}

static int cal_compare_entries(const void *a, const void *b)
{
	const cal_entry *x = a, *y = b;

	if (x->day != y->day) return x->day < y->day ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cal_listed(const cal *c, size_t list, int64_t day)
{
	size_t lo = 0, hi = c->n[list];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->list[list][mid].day < day) lo = mid + 1;
		else hi = mid;
	}
	return lo < c->n[list] && c->list[list][lo].day == day;
}

static int cal_day_works(const cal *c, int64_t day)
{
	size_t i;

	if (c)
		for (i = 0; i < CAL_NLISTS; i++)
			if (cal_listed(c, i, day)) return cal_lists[i].working;
	return cal_weekday_of(day) != 0 && cal_weekday_of(day) != 6;
}

cal *cal_new(void)
{
	return calloc(1, sizeof(cal));
}

void cal_free(cal *c)
{
	size_t i;

	if (!c) return;
	for (i = 0; i < CAL_NLISTS; i++) free(c->list[i]);
	free(c->version);
	free(c);
}

const char *cal_version(const cal *c)
{
	return c && c->version ? c->version : "";
}

__attribute__((format(printf, 3, 4)))
static void cal_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0) return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Reads one of the lists into c. 0, or -1 with a message. */
static int cal_read_list(cal *c, const json_t *root, size_t list, const char *src,
	char *err, size_t errlen)
{
	const char *key = cal_lists[list].key;
	const json_t *arr = json_object_get(root, key);
	size_t i, n;

	if (!arr) {
		cal_error(err, errlen, "%s: \"%s\" is missing (give an empty list [] if there are none)",
			src, key);
		return -1;
	}
	if (!json_is_array(arr)) {
		cal_error(err, errlen, "%s: \"%s\" must be a list", src, key);
		return -1;
	}
	n = json_array_size(arr);
	if (n == 0) return 0;
	c->list[list] = calloc(n, sizeof(cal_entry));
	if (!c->list[list]) {
		cal_error(err, errlen, "%s: out of memory", src);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const json_t *e = json_array_get(arr, i);
		const json_t *date = json_object_get(e, "date");
		const json_t *name = json_object_get(e, "name");
		cal_date d;

		if (!json_is_object(e)) {
			cal_error(err, errlen, "%s: %s[%zu] must be an object {\"date\": ..., \"name\": ...}",
				src, key, i);
			return -1;
		}
		if (!json_is_string(date)) {
			cal_error(err, errlen, "%s: %s[%zu]: \"date\" %s", src, key, i,
				date ? "must be a string \"YYYY-MM-DD\"" : "is missing");
			return -1;
		}
		if (cal_date_parse(json_string_value(date), &d) < 0) {
			cal_error(err, errlen, "%s: %s[%zu]: \"%.40s\" is not a valid date YYYY-MM-DD",
				src, key, i, json_string_value(date));
			return -1;
		}
		if (!json_is_string(name)) {
			cal_error(err, errlen, "%s: %s[%zu] (%s): \"name\" %s", src, key, i,
				json_string_value(date), name ? "must be a string" : "is missing");
			return -1;
		}
		{
			const json_t *conf = json_object_get(e, "confirmed");
			if (conf && !json_is_boolean(conf)) {
				cal_error(err, errlen, "%s: %s[%zu] (%s): \"confirmed\" must be true or false",
					src, key, i, json_string_value(date));
				return -1;
			}
			c->list[list][i].tentative = conf && json_is_false(conf);
		}
		c->list[list][i].day = cal_day_number(d);
		c->list[list][i].index = i;
	}
	c->n[list] = n;
	qsort(c->list[list], n, sizeof(cal_entry), cal_compare_entries);
	return 0;
}

/* A date may not be both off and working: refuse it rather than guess
 * which of the two the author meant. Both lists are sorted: one merge. */
static int cal_check_overlap(const cal *c, const char *src, char *err, size_t errlen)
{
	const cal_entry *off = c->list[0], *work = c->list[1];
	size_t i = 0, j = 0;

	while (i < c->n[0] && j < c->n[1]) {
		if (off[i].day < work[j].day) i++;
		else if (off[i].day > work[j].day) j++;
		else {
			char buf[11];
			cal_date_format(cal_from_day_number(off[i].day), buf);
			cal_error(err, errlen, "%s: %s is both in %s[%zu] and in %s[%zu]",
				src, buf, cal_lists[0].key, off[i].index,
				cal_lists[1].key, work[j].index);
			return -1;
		}
	}
	return 0;
}

/* "confirmed_years": the years whose days off and make-up days the
 * government has decided (optional: none). A year listed there may hold no
 * entry marked "confirmed": false; that contradiction is refused. */
static int cal_read_confirmed(cal *c, const json_t *root, const char *src, char *err, size_t errlen)
{
	const json_t *arr = json_object_get(root, "confirmed_years"), *v;
	size_t i, l, k;
	if (!arr) return 0;
	if (!json_is_array(arr) || json_array_size(arr) > CAL_MAX_CONFIRMED_YEARS) {
		cal_error(err, errlen, "%s: \"confirmed_years\" must be a list of at most %d years",
			src, CAL_MAX_CONFIRMED_YEARS);
		return -1;
	}
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 9999) {
			cal_error(err, errlen, "%s: confirmed_years[%zu] must be a year", src, i);
			return -1;
		}
		c->confirmed[c->nconfirmed++] = (int)json_integer_value(v);
	}
	for (l = 0; l < CAL_NLISTS; l++)
		for (k = 0; k < c->n[l]; k++) {
			cal_date d = cal_from_day_number(c->list[l][k].day);
			char buf[11];
			if (!c->list[l][k].tentative || !cal_year_confirmed(c, d.year)) continue;
			cal_date_format(d, buf);
			cal_error(err, errlen, "%s: %s[%zu] (%s) is marked not confirmed, but %d is in"
				" confirmed_years", src, cal_lists[l].key, c->list[l][k].index, buf, d.year);
			return -1;
		}
	return 0;
}

int cal_year_confirmed(const cal *c, int year)
{
	size_t i;
	if (!c) return 0;
	for (i = 0; i < c->nconfirmed; i++)
		if (c->confirmed[i] == year) return 1;
	return 0;
}

int cal_unconfirmed_year(const cal *c, cal_date today)
{
	if (!cal_year_confirmed(c, today.year)) return today.year;
	if (today.month >= 10 && !cal_year_confirmed(c, today.year + 1)) return today.year + 1;
	return 0;
}

int cal_is_tentative(const cal *c, cal_date d)
{
	int64_t day = cal_day_number(d);
	size_t l, k;
	if (!c) return 0;
	for (l = 0; l < CAL_NLISTS; l++)
		for (k = 0; k < c->n[l]; k++)
			if (c->list[l][k].day == day) return c->list[l][k].tentative;
	return 0;
}

static cal *cal_from_json(const json_t *root, const char *src, char *err, size_t errlen)
{
	const json_t *version, *source;
	cal *c;
	size_t i;

	if (!json_is_object(root)) {
		cal_error(err, errlen, "%s: the top level must be an object {...}", src);
		return NULL;
	}
	version = json_object_get(root, "version");
	if (!json_is_string(version) || json_string_length(version) == 0) {
		cal_error(err, errlen, "%s: \"version\" must be a non-empty string", src);
		return NULL;
	}
	source = json_object_get(root, "source");
	if (source && !json_is_string(source)) {
		cal_error(err, errlen, "%s: \"source\" must be a string", src);
		return NULL;
	}
	c = cal_new();
	if (!c || !(c->version = strdup(json_string_value(version)))) {
		cal_error(err, errlen, "%s: out of memory", src);
		cal_free(c);
		return NULL;
	}
	for (i = 0; i < CAL_NLISTS; i++)
		if (cal_read_list(c, root, i, src, err, errlen) < 0) {
			cal_free(c);
			return NULL;
		}
	if (cal_check_overlap(c, src, err, errlen) < 0 || cal_read_confirmed(c, root, src, err, errlen) < 0) {
		cal_free(c);
		return NULL;
	}
	return c;
}

static void cal_json_error(const json_error_t *je, const char *src, char *err, size_t errlen)
{
	if (je->line > 0)
		cal_error(err, errlen, "%s:%d:%d: %s", src, je->line, je->column, je->text);
	else
		cal_error(err, errlen, "%s: %s", src, je->text);
}

cal *cal_load(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;
	FILE *f;
	cal *c;

	f = fopen(path, "rb");
	if (!f) {
		cal_error(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!root) {
		cal_json_error(&je, path, err, errlen);
		return NULL;
	}
	c = cal_from_json(root, path, err, errlen);
	json_decref(root);
	return c;
}

cal *cal_load_string(const char *json, char *err, size_t errlen)
{
	static const char src[] = "calendar data";
	json_error_t je;
	json_t *root;
	cal *c;

	if (!json) {
		cal_error(err, errlen, "%s: no text", src);
		return NULL;
	}
	root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		cal_json_error(&je, src, err, errlen);
		return NULL;
	}
	c = cal_from_json(root, src, err, errlen);
	json_decref(root);
	return c;
}

int cal_is_working_day(const cal *c, cal_date d)
{
	return cal_day_works(c, cal_day_number(d));
}

cal_date cal_add_days(cal_date d, int n)
{
	return cal_from_day_number(cal_day_number(d) + n);
}

cal_date cal_add_working_days(const cal *c, cal_date d, int n)
{
	int64_t day = cal_day_number(d);
	int64_t left = n < 0 ? -(int64_t)n : n;
	int step = n < 0 ? -1 : 1;

	if (n == 0) {
		while (!cal_day_works(c, day)) day++;
		return cal_from_day_number(day);
	}
	/* Terminates: the lists are finite, and beyond them every week has
	 * five working days. */
	while (left > 0) {
		day += step;
		if (cal_day_works(c, day)) left--;
	}
	return cal_from_day_number(day);
}

int cal_weekday(cal_date d)
{
	return cal_weekday_of(cal_day_number(d));
}

int cal_date_parse(const char *s, cal_date *out)
{
	/* Which characters are digits in "YYYY-MM-DD". */
	static const char shape[] = "dddd-dd-dd";
	int v[3] = { 0, 0, 0 };
	size_t i, field = 0;

	if (!s || strlen(s) != sizeof shape - 1) return -1;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == '-') {
			if (s[i] != '-') return -1;
			field++;
		} else {
			if (s[i] < '0' || s[i] > '9') return -1;
			v[field] = v[field] * 10 + (s[i] - '0');
		}
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > cal_days_in_month(v[0], v[1]))
		return -1;
	out->year = v[0];
	out->month = v[1];
	out->day = v[2];
	return 0;
}

void cal_date_format(cal_date d, char out[11])
{
	int v[3], width[3] = { 4, 2, 2 };
	size_t pos = 0, f;
	int k;

	if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99)
		d.year = d.month = d.day = 0;
	v[0] = d.year;
	v[1] = d.month;
	v[2] = d.day;
	for (f = 0; f < 3; f++) {
		if (f > 0) out[pos++] = '-';
		for (k = width[f] - 1; k >= 0; k--) {
			out[pos + (size_t)k] = (char)('0' + v[f] % 10);
			v[f] /= 10;
		}
		pos += (size_t)width[f];
	}
	out[pos] = '\0';
}

int cal_compare(cal_date a, cal_date b)
{
	if (a.year != b.year) return a.year < b.year ? -1 : 1;
	if (a.month != b.month) return a.month < b.month ? -1 : 1;
	if (a.day != b.day) return a.day < b.day ? -1 : 1;
	return 0;
}

cal_date cal_from_time(time_t t)
{
	struct tm tm;
	cal_date d = { 1970, 1, 1 };

	if (localtime_r(&t, &tm)) {
		d.year = tm.tm_year + 1900;
		d.month = tm.tm_mon + 1;
		d.day = tm.tm_mday;
	}
	return d;
}
