/* cal: the working-day calendar, for the deadlines and appointment dates
 * printed on receipts.
 *
 * Administrative procedures are counted in working days: Monday to Friday,
 * minus public holidays, plus the Saturdays the government turns into
 * make-up working days (ngày làm bù) when it swaps days to join a holiday to
 * a weekend. Lunar holidays move and the swaps are decided year by year, so
 * none of this is computed: it is read from a JSON file (assets/holidays.json)
 * that the upstream server can replace. An empty calendar knows weekends
 * only, which is what a kiosk falls back to when the file is bad. */
#ifndef MOTCUA_CAL_H
#define MOTCUA_CAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct { int year, month, day; } cal_date;

typedef struct cal cal;

/* An empty calendar: weekends only. NULL only when out of memory. */
cal *cal_new(void);

/* Reads a calendar file of the form
 *   { "version": "...", "source": "...",
 *     "confirmed_years": [2025, 2026],                    (optional)
 *     "days_off": [ {"date": "YYYY-MM-DD", "name": "...",
 *                    "confirmed": false, "source": "..."}, ... ],   (last two optional)
 *     "working_days": [ {"date": "YYYY-MM-DD", "name": "..."}, ... ] }
 * Returns NULL with a message in err naming the file and what is wrong
 * where: bad JSON (line and column), a missing or mistyped member, an
 * invalid date (days_off[3]: "2026-02-30"), a date both off and working. */
cal *cal_load(const char *path, char *err, size_t errlen);
cal *cal_load_string(const char *json, char *err, size_t errlen);
void cal_free(cal *c);

/* The years whose days off the government has decided ("confirmed_years"
 * in the file): 1 if year is one of them. Officials are warned when the
 * coming year is not (the lunar holidays and the swaps are then guesses). */
#define CAL_MAX_CONFIRMED_YEARS 16
int cal_year_confirmed(const cal *c, int year);

/* The year officials must be warned about on day today: this year when it
 * is not confirmed, else, from 1 October (when the government usually
 * decides the coming Tết and its swaps), the coming year when it is not.
 * 0 when none. */
int cal_unconfirmed_year(const cal *c, cal_date today);

/* 1 if d is listed with "confirmed": false (expected, not yet decided). */
int cal_is_tentative(const cal *c, cal_date d);

/* The file's "version" ("" for an empty calendar), so that sync can tell
 * whether the upstream copy is newer. */
const char *cal_version(const cal *c);

/* 1 if d is a working day: listed as a working day, or Monday to Friday and
 * not listed as a day off. A NULL calendar counts weekends only. */
int cal_is_working_day(const cal *c, cal_date d);

/* d plus n calendar days (n may be negative). */
/* Days since 1970-01-01 of a date, and back: the one place where calendar
 * arithmetic is done (proleptic Gregorian, exact for any year). */
int64_t cal_day_number(cal_date d);
cal_date cal_from_day_number(int64_t day);

cal_date cal_add_days(cal_date d, int n);

/* n == 0: d if it is a working day, else the next working day.
 * n > 0: the n-th working day after d (d itself does not count).
 * n < 0: the |n|-th working day before d. */
cal_date cal_add_working_days(const cal *c, cal_date d, int n);

/* 0 = Sunday .. 6 = Saturday. */
int cal_weekday(cal_date d);

/* Parses exactly "YYYY-MM-DD" (year 0001..9999) naming a real date.
 * 0, or -1 leaving *out untouched. */
int cal_date_parse(const char *s, cal_date *out);

/* Writes "YYYY-MM-DD"; a date outside years 0..9999 gives "0000-00-00". */
void cal_date_format(cal_date d, char out[11]);

/* <0, 0 or >0 as a is before, the same as, or after b. */
int cal_compare(cal_date a, cal_date b);

/* The local calendar date of t. */
cal_date cal_from_time(time_t t);

#endif
