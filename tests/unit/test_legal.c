/* Tests for legal: the law's time limits as the catalog configures them,
 * counted on the shipped holiday file (assets/holidays.json) so that a
 * change to either data file that moves a deadline fails here. Dates are
 * chosen to cross weekends, Tết, make-up Saturdays and year ends, with the
 * cut-off hour, complex and remote variants, extensions allowed and refused,
 * and overdue on the due day against the day after. Catalog clocks with
 * faults are refused with the entry named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "cal.h"
#include "catalog.h"
#include "legal.h"

typedef struct {
	catalog cat;
	cal *calendar;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[300];
	if (!f) return -1;
	if (catalog_load("assets/catalog.json", &f->cat, err, sizeof err) != 0 ||
	    !(f->calendar = cal_load("assets/holidays.json", err, sizeof err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	cal_free(f->calendar);
	free(f);
	return 0;
}


#define assert_date(got, want) do { \
	char g_[11]; cal_date_format((got), g_); assert_string_equal(g_, (want)); } while (0)

static const legal_clock *clock_of(const fixture *f, const char *category)
{
	const catalog_category *c = catalog_category_by_id(&f->cat, category);
	assert_non_null(c);
	return &c->clock;
}

/* The receipt's date for a request of category (and procedure) received on day at hour. */
static cal_date receipt(const fixture *f, const char *category, const char *procedure, cal_date day, int hour)
{
	legal_span span;
	if (procedure) {
		const catalog_procedure *p = catalog_procedure_by_id(&f->cat, procedure);
		assert_non_null(p);
		span = catalog_procedure_span(p);
	}
	return legal_receipt_due(clock_of(f, category), procedure ? &span : NULL, f->calendar, day, hour);
}

static cal_date resolve(const fixture *f, const char *category, cal_date accepted, legal_complexity x, int remote)
{
	return legal_resolve_due(clock_of(f, category), NULL, f->calendar, accepted, 10, x, remote);
}

static void test_procedures(void **state)
{
	fixture *f = *state;
	/* Same-day procedures: before the 15:00 cut-off, at it, after it. */
	assert_date(receipt(f, "procedure", "birth_registration", fx_date(2026, 11, 20), 9), "2026-11-20");
	assert_date(receipt(f, "procedure", "birth_registration", fx_date(2026, 11, 20), 14), "2026-11-20");
	assert_date(receipt(f, "procedure", "birth_registration", fx_date(2026, 11, 20), 15), "2026-11-23");
	/* Received on a Sunday, or on New Year's Day 2026 (then the swapped Friday off). */
	assert_date(receipt(f, "procedure", "certified_copy", fx_date(2026, 11, 22), 8), "2026-11-23");
	assert_date(receipt(f, "procedure", "certified_copy", fx_date(2026, 1, 1), 8), "2026-01-05");
	/* Three working days across a weekend and Culture Day (Tuesday 24
	 * November 2026, off from 2026), and across Tết 2026 (14-22 Feb off). */
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 11, 19), 10), "2026-11-25");
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 2, 13), 10), "2026-02-25");
	/* The make-up Saturday 10 January 2026 counts: Thursday 8th + 3 = Monday 12th. */
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 1, 8), 10), "2026-01-12");
	/* Year ends: 31 Dec 2025 over 1-2 January 2026; 28 Dec 2026 over 1 January 2027. */
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2025, 12, 31), 10), "2026-01-07");
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 12, 28), 10), "2026-12-31");
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 12, 30), 10), "2027-01-05");
	/* Thirty calendar days, landing on a working day. */
	assert_date(receipt(f, "procedure", "land_mediation", fx_date(2026, 12, 15), 10), "2027-01-14");
}

static void test_configured_days(void **state)
{
	fixture *f = *state;
	/* Petitions and reflections: 10 working days, over New Year 2027. */
	assert_date(receipt(f, "petition", NULL, fx_date(2026, 12, 28), 10), "2027-01-12");
	/* From Friday 20 November 2026, Culture Day skipped: Monday 7 December. */
	assert_date(receipt(f, "reflection", NULL, fx_date(2026, 11, 20), 16), "2026-12-07");
	/* Dialogue questions: 30 calendar days; ending on a Saturday, due the Monday. */
	assert_date(receipt(f, "dialogue", NULL, fx_date(2026, 11, 5), 10), "2026-12-07");
	assert_date(receipt(f, "dialogue", NULL, fx_date(2026, 11, 4), 10), "2026-12-04");
	assert_int_equal(legal_has_acceptance(clock_of(f, "petition")), 0);
	/* What starts the clock: the counter for a procedure's dossier, the
	 * signed letter for complaints and denunciations, the kiosk else. */
	assert_int_equal(clock_of(f, "procedure")->starts, LEGAL_STARTS_COUNTER);
	assert_int_equal(clock_of(f, "complaint")->starts, LEGAL_STARTS_LETTER);
	assert_int_equal(clock_of(f, "denunciation")->starts, LEGAL_STARTS_LETTER);
	assert_int_equal(clock_of(f, "petition")->starts, LEGAL_STARTS_KIOSK);
	assert_int_equal(clock_of(f, "dialogue")->starts, LEGAL_STARTS_KIOSK);
	assert_int_equal(legal_start_parse("signed_letter"), LEGAL_STARTS_LETTER);
	assert_int_equal(legal_start_parse("post"), -1);
	assert_string_equal(legal_start_name(LEGAL_STARTS_COUNTER), "counter");
	assert_int_equal(legal_has_acceptance(clock_of(f, "procedure")), 0);
}

static void test_complaints(void **state)
{
	fixture *f = *state;
	const legal_clock *k = clock_of(f, "complaint");
	cal_date out;
	char err[200];
	assert_int_equal(legal_has_acceptance(k), 1);
	/* Seven working days to accept (Law on Complaints as amended by Law
	 * 136/2025, with its 2026 decree): 28 Dec 2026 over New Year's Day gives
	 * Thursday 7 January 2027; 22 Dec gives 31 December; 20 November 2026
	 * skips Culture Day (Tuesday 24th): Wednesday 2 December. */
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 12, 28), 10), "2027-01-07");
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 12, 22), 10), "2026-12-31");
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 11, 20), 10), "2026-12-02");
	/* The hour does not matter for a span of working days. */
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 12, 28), 23), "2027-01-07");
	/* Resolve: 30 days from acceptance, 45 complex, remote 45 and 60. */
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 4), LEGAL_NORMAL, 0), "2027-02-03");
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 4), LEGAL_COMPLEX, 0), "2027-02-18");
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 4), LEGAL_VERY_COMPLEX, 0), "2027-02-18");
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 4), LEGAL_NORMAL, 1), "2027-02-18");
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 4), LEGAL_COMPLEX, 1), "2027-03-05");
	/* Thirty days ending in Tết 2027 (5-11 February off): Friday 12 February. */
	assert_date(resolve(f, "complaint", fx_date(2027, 1, 7), LEGAL_NORMAL, 0), "2027-02-12");
	/* No extension for complaints. */
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_VERY_COMPLEX, 0, fx_date(2027, 2, 3), &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "no extension"));
}

static void test_denunciations(void **state)
{
	fixture *f = *state;
	const legal_clock *k = clock_of(f, "denunciation");
	cal_date out = fx_date(2000, 1, 1);
	char err[200];
	/* Acceptance decided within 7 working days (Law on Denunciation 2018,
	 * Art. 24(1)): across Tết 2026 (14-22 February off), Friday 13th gives
	 * Tuesday 3 March; 10 with checks at several places: Friday 6 March. */
	assert_date(receipt(f, "denunciation", NULL, fx_date(2026, 2, 13), 10), "2026-03-03");
	assert_date(legal_accept_due(k, f->calendar, fx_date(2026, 2, 13), 10, 0), "2026-03-03");
	assert_date(legal_accept_due(k, f->calendar, fx_date(2026, 2, 13), 10, 1), "2026-03-06");
	/* Across New Year 2027: Monday 28 December gives Thursday 7 January. */
	assert_date(receipt(f, "denunciation", NULL, fx_date(2026, 12, 28), 10), "2027-01-07");
	/* The denouncer told within 5 working days of the decision (Art. 29(3)):
	 * decided Monday 28 December 2026, told by Tuesday 5 January 2027. */
	assert_int_equal(legal_notify_due(k, f->calendar, fx_date(2026, 12, 28), &out), 0);
	assert_date(out, "2027-01-05");
	/* Not competent: forwarded within 5 working days of receipt (Art. 24(1)(b)):
	 * Friday 28 August 2026, over the National Day block (29 Aug-2 Sep),
	 * gives Wednesday 9 September. */
	assert_int_equal(legal_forward_due(k, f->calendar, fx_date(2026, 8, 28), &out), 0);
	assert_date(out, "2026-09-09");
	/* Resolved within 30 days of acceptance, whatever the complexity. */
	assert_date(resolve(f, "denunciation", fx_date(2027, 1, 4), LEGAL_NORMAL, 0), "2027-02-03");
	assert_date(resolve(f, "denunciation", fx_date(2027, 1, 4), LEGAL_COMPLEX, 1), "2027-02-03");

	/* Not complex: no extension. */
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_NORMAL, 0, fx_date(2027, 2, 3), &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "only a complex case"));
	/* Complex: once, by 30 days; a second is refused. */
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_COMPLEX, 0, fx_date(2027, 2, 3), &out, err, sizeof err), 0);
	assert_date(out, "2027-03-05");
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_COMPLEX, 1, out, &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "only once"));
	/* Especially complex: twice; a third is refused. An extension ending
	 * on a Sunday moves to the Monday. */
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_VERY_COMPLEX, 0, fx_date(2027, 2, 3), &out, err, sizeof err), 0);
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_VERY_COMPLEX, 1, out, &out, err, sizeof err), 0);
	assert_date(out, "2027-04-05");   /* 5 March + 30 = Sunday 4 April */
	assert_int_equal(legal_extend(k, f->calendar, LEGAL_VERY_COMPLEX, 2, out, &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "only twice"));
	assert_date(out, "2027-04-05");   /* a refusal leaves the date alone */
}


/* Supplements (ND 118/2025, Art. 19(5)): asked within 3 working days of
 * receipt, the processing time from zero when complete, closed 15 days
 * after asking. */
static void test_supplement(void **state)
{
	fixture *f = *state;
	const catalog_procedure *p = catalog_procedure_by_id(&f->cat, "marital_status");
	legal_span span;
	assert_non_null(p);
	span = catalog_procedure_span(p);
	/* Received Friday 28 August 2026, before the National Day block: ask by Monday 7 September. */
	assert_date(legal_supplement_ask_by(f->calendar, fx_date(2026, 8, 28)), "2026-09-07");
	/* Across New Year 2027: received Wednesday 30 December, ask by Tuesday 5 January. */
	assert_date(legal_supplement_ask_by(f->calendar, fx_date(2026, 12, 30)), "2027-01-05");
	/* Asked Monday 21 December 2026: closes Tuesday 5 January 2027; asked
	 * Thursday 17 December: the 15th day is New Year's Day, so Monday 4 January. */
	assert_date(legal_supplement_lapse(f->calendar, fx_date(2026, 12, 21)), "2027-01-05");
	assert_date(legal_supplement_lapse(f->calendar, fx_date(2026, 12, 17)), "2027-01-04");
	/* Three working days from receipt on Friday 20 November 2026: Thursday
	 * 26th (Culture Day skipped); completed Monday 23rd, from zero: Friday 27th. */
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 11, 20), 10), "2026-11-26");
	assert_date(legal_supplement_restart(clock_of(f, "procedure"), &span, f->calendar,
		fx_date(2026, 11, 23), 10), "2026-11-27");
	/* A same-day procedure completed after the cut-off: the next working day. */
	p = catalog_procedure_by_id(&f->cat, "birth_registration");
	span = catalog_procedure_span(p);
	assert_date(legal_supplement_restart(clock_of(f, "procedure"), &span, f->calendar,
		fx_date(2026, 12, 31), 16), "2027-01-04");
}

/* Late (ND 118/2025, Art. 19(6)): the apology at least one day before the
 * deadline, the date reset once only; the warning's days. */
static void test_late(void **state)
{
	fixture *f = *state;
	char err[200];
	assert_int_equal(legal_late_apology(fx_date(2026, 12, 31), fx_date(2026, 12, 30), fx_date(2027, 1, 8), 0,
		err, sizeof err), 0);
	assert_int_equal(legal_late_apology(fx_date(2026, 12, 31), fx_date(2026, 12, 31), fx_date(2027, 1, 8), 0,
		err, sizeof err), 1);
	assert_non_null(strstr(err, "at least one day before the deadline, by 2026-12-30"));
	assert_int_equal(legal_late_apology(fx_date(2026, 12, 31), fx_date(2026, 12, 20), fx_date(2027, 1, 8), 1,
		err, sizeof err), 1);
	assert_non_null(strstr(err, "only once"));
	assert_int_equal(legal_late_apology(fx_date(2026, 12, 31), fx_date(2026, 12, 20), fx_date(2026, 12, 31), 0,
		err, sizeof err), 1);
	assert_non_null(strstr(err, "after the deadline in force (2026-12-31)"));
	/* Due Thursday 31 December 2026: warned on Wednesday 30th only. */
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 12, 31), fx_date(2026, 12, 29)), 0);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 12, 31), fx_date(2026, 12, 30)), 1);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 12, 31), fx_date(2026, 12, 31)), 0);
	/* Due Monday 7 September 2026: the day before is a Sunday, so from Friday 4th. */
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 9, 7), fx_date(2026, 9, 3)), 0);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 9, 7), fx_date(2026, 9, 4)), 1);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 9, 7), fx_date(2026, 9, 6)), 1);
	/* Due Wednesday 25 November 2026: the day before is Culture Day, so from Monday 23rd. */
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 11, 25), fx_date(2026, 11, 22)), 0);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 11, 25), fx_date(2026, 11, 23)), 1);
	assert_int_equal(legal_late_warn(f->calendar, fx_date(2026, 11, 25), fx_date(2026, 11, 24)), 1);
}

/* A complaint's clock suspended and resumed (Law 136/2025): the days left
 * run again from resumption; other clocks cannot be suspended. */
static void test_suspend(void **state)
{
	fixture *f = *state;
	cal_date out = fx_date(2000, 1, 1);
	char err[200];
	/* Due 3 February 2027, suspended 14 January with 20 days left, resumed
	 * 24 January: 13 February is a Saturday, so Monday 15 February. */
	assert_int_equal(legal_resume(clock_of(f, "complaint"), f->calendar, fx_date(2027, 2, 3),
		fx_date(2027, 1, 14), fx_date(2027, 1, 24), &out, err, sizeof err), 0);
	assert_date(out, "2027-02-15");
	/* Resumed the same day: nothing moves. */
	assert_int_equal(legal_resume(clock_of(f, "complaint"), f->calendar, fx_date(2027, 2, 3),
		fx_date(2027, 1, 14), fx_date(2027, 1, 14), &out, err, sizeof err), 0);
	assert_date(out, "2027-02-03");
	assert_int_equal(legal_resume(clock_of(f, "complaint"), f->calendar, fx_date(2027, 2, 3),
		fx_date(2027, 1, 14), fx_date(2027, 1, 10), &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "before the day it was suspended"));
	assert_int_equal(legal_resume(clock_of(f, "petition"), f->calendar, fx_date(2027, 2, 3),
		fx_date(2027, 1, 14), fx_date(2027, 1, 24), &out, err, sizeof err), 1);
	assert_non_null(strstr(err, "no suspension"));
	assert_date(out, "2027-02-03");
}

/* Petitions and reflections (Law on Citizen Reception 2013, Art. 28): the
 * date is a notice deadline; an anonymous reflection is information with
 * no clock. Dialogue questions are due at the next conference. */
static void test_notice_and_conference(void **state)
{
	fixture *f = *state;
	cal_date confs[3], out = fx_date(2000, 1, 1);
	confs[0] = fx_date(2027, 1, 15);
	confs[1] = fx_date(2026, 12, 20);
	confs[2] = fx_date(2026, 12, 5);
	assert_int_equal(clock_of(f, "petition")->notice_only, 1);
	assert_int_equal(clock_of(f, "reflection")->notice_only, 1);
	assert_int_equal(clock_of(f, "complaint")->notice_only, 0);
	assert_int_equal(legal_has_clock(clock_of(f, "reflection"), 1), 1);
	assert_int_equal(legal_has_clock(clock_of(f, "reflection"), 0), 0);
	assert_int_equal(legal_has_clock(clock_of(f, "dialogue"), 0), 1);
	assert_int_equal(legal_conference_due(confs, 3, fx_date(2026, 12, 6), &out), 0);
	assert_date(out, "2026-12-20");
	assert_int_equal(legal_conference_due(confs, 3, fx_date(2026, 12, 5), &out), 0);
	assert_date(out, "2026-12-05");
	assert_int_equal(legal_conference_due(confs, 3, fx_date(2027, 2, 1), &out), -1);
	assert_int_equal(legal_conference_due(NULL, 0, fx_date(2027, 2, 1), &out), -1);
}

/* Procedures with a longer time when verification is needed, chosen by the
 * officer at acceptance: Law on Civil Status 2014, Art. 18(2) (marriage, 5),
 * 25(2) (parent and child, 3 + 5), 28(2) (change or correction, 3 + 3),
 * 52(2) (death, 3); ND 23/2015 Art. 21 (certified copies, 2 more). */
static void test_verification(void **state)
{
	fixture *f = *state;
	static const struct { const char *id; int days; } want[] = {
		{ "marriage_registration", 5 }, { "death_registration", 3 }, { "parent_child", 8 },
		{ "civil_status_change", 6 }, { "certified_copy", 2 }, { "birth_registration", -1 },
	};
	legal_span s;
	size_t i;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		const catalog_procedure *p = catalog_procedure_by_id(&f->cat, want[i].id);
		assert_non_null(p);
		if (want[i].days < 0) {
			assert_int_equal(catalog_procedure_verify_span(p, &s), -1);
			continue;
		}
		assert_int_equal(catalog_procedure_verify_span(p, &s), 0);
		assert_int_equal(s.days, want[i].days);
	}
	/* Marriage accepted Friday 20 November 2026 with verification: Monday 30th. */
	catalog_procedure_verify_span(catalog_procedure_by_id(&f->cat, "marriage_registration"), &s);
	assert_date(legal_resolve_due(clock_of(f, "procedure"), &s, f->calendar, fx_date(2026, 11, 20), 10,
		LEGAL_NORMAL, 0), "2026-11-30");
}

static void test_overdue(void **state)
{
	(void)state;
	assert_int_equal(legal_overdue(fx_date(2026, 11, 20), fx_date(2026, 11, 19)), 0);
	assert_int_equal(legal_overdue(fx_date(2026, 11, 20), fx_date(2026, 11, 20)), 0);
	assert_int_equal(legal_overdue(fx_date(2026, 11, 20), fx_date(2026, 11, 21)), 1);
	assert_int_equal(legal_overdue(fx_date(2026, 12, 31), fx_date(2027, 1, 1)), 1);
}

static void test_weekends_only(void **state)
{
	legal_span same_day = { 0, LEGAL_WORKING, 15 }, cal10 = { 10, LEGAL_CALENDAR, 24 };
	(void)state;
	/* Without a holiday file: weekends only (what a kiosk falls back to). */
	assert_date(legal_add(NULL, fx_date(2026, 11, 21), 9, same_day), "2026-11-23");
	assert_date(legal_add(NULL, fx_date(2026, 11, 20), 15, same_day), "2026-11-23");
	assert_date(legal_add(NULL, fx_date(2026, 1, 1), 9, same_day), "2026-01-01");
	assert_date(legal_add(NULL, fx_date(2026, 11, 25), 9, cal10), "2026-12-07");
	assert_int_equal(legal_unit_parse("working"), LEGAL_WORKING);
	assert_int_equal(legal_unit_parse("weeks"), -1);
	assert_string_equal(legal_unit_name(LEGAL_PROCEDURE), "procedure");
}

static void test_legacy_members(void **state)
{
	fixture *f = *state;
	/* Kiosks before the clock read these; they follow from it. */
	assert_int_equal(catalog_category_by_id(&f->cat, "complaint")->deadline, DEADLINE_WORKING_DAYS);
	assert_int_equal(catalog_category_by_id(&f->cat, "complaint")->deadline_n, 7);
	assert_int_equal(catalog_category_by_id(&f->cat, "denunciation")->deadline, DEADLINE_WORKING_DAYS);
	assert_int_equal(catalog_category_by_id(&f->cat, "denunciation")->deadline_n, 7);
	assert_int_equal(catalog_category_by_id(&f->cat, "procedure")->deadline, DEADLINE_PROCEDURE);
	assert_int_equal(catalog_category_by_id(&f->cat, "dialogue")->deadline, DEADLINE_DAYS);
}

/* The shipped catalog with category `id`'s clock replaced by clock_json
 * (NULL: removed) and, if legacy is set, its "deadline" member by it;
 * loaded: 0 or -1 with err. */
typedef struct { const char *clock_json, *legacy; } clock_edit;

static void edit_clock(json_t *cat, void *arg)
{
	const clock_edit *e = arg;
	json_error_t je;
	if (e->clock_json) json_object_set_new(cat, "clock", json_loads(e->clock_json, 0, &je));
	else json_object_del(cat, "clock");
	if (e->legacy) json_object_set_new(cat, "deadline", json_string(e->legacy));
}

static int load_with_clock(const char *id, const char *clock_json, const char *legacy, char *err, size_t errlen)
{
	clock_edit e = { clock_json, legacy };
	return fx_catalog_edited(id, edit_clock, &e, err, errlen);
}

static void test_bad_clocks(void **state)
{
	static const struct { const char *id, *clock, *legacy, *message; } cases[] = {
		{ "petition", NULL, NULL, "categories[1] (petition): clock is missing" },
		{ "petition", "[]", NULL, "clock must be an object" },
		{ "petition", "{\"resolve\":{\"days\":10,\"unit\":\"working\"},\"reslove\":{}}", NULL,
			"(petition): clock: unknown member \"reslove\"" },
		{ "petition", "{\"accept\":{\"days\":3,\"unit\":\"working\"}}", NULL, "clock.resolve is missing" },
		{ "petition", "{\"resolve\":{\"days\":10,\"unit\":\"weeks\"}}", NULL,
			"clock.resolve: \"unit\" must be calendar, working or procedure" },
		{ "petition", "{\"resolve\":{\"unit\":\"working\"}}", NULL, "clock.resolve: \"days\" is missing" },
		{ "petition", "{\"resolve\":{\"days\":400,\"unit\":\"working\"}}", NULL, "from 0 to 365" },
		{ "petition", "{\"resolve\":{\"days\":10,\"unit\":\"working\"}}", "days",
			"(petition): \"deadline\" (kept for older kiosks) disagrees" },
		{ "procedure", "{\"resolve\":{\"unit\":\"procedure\",\"days\":3}}", NULL, "give only \"unit\"" },
		{ "complaint", "{\"accept\":{\"days\":10,\"unit\":\"procedure\"},\"resolve\":{\"days\":30,\"unit\":\"calendar\"}}",
			NULL, "clock.accept: \"unit\" must be calendar or working" },
		{ "complaint", "{\"accept\":{\"days\":10,\"unit\":\"calendar\"},"
			"\"resolve\":{\"days\":30,\"unit\":\"calendar\",\"remote\":20}}", NULL,
			"(complaint): clock.resolve: a complex or remote case cannot have less time" },
		{ "denunciation", "{\"accept\":{\"days\":5,\"unit\":\"working\"},\"resolve\":{\"days\":30,\"unit\":\"calendar\"},"
			"\"extend\":{\"days\":30}}", NULL, "no case may be extended" },
		{ "denunciation", "{\"accept\":{\"days\":5,\"unit\":\"working\"},\"resolve\":{\"days\":30,\"unit\":\"calendar\"},"
			"\"extend\":{\"days\":30,\"complex\":2,\"especially_complex\":1}}", NULL, "fewer extensions" },
		{ "denunciation", "{\"accept\":{\"days\":5,\"unit\":\"working\"},\"resolve\":{\"days\":30,\"unit\":\"calendar\"},"
			"\"extend\":{\"complex\":1}}", NULL, "clock.extend: \"days\" is missing" },
		{ "denunciation", "{\"accept\":{\"days\":7,\"unit\":\"working\",\"several_places\":5},"
			"\"resolve\":{\"days\":30,\"unit\":\"calendar\"}}", NULL,
			"several places cannot have less time" },
		{ "petition", "{\"notify\":{\"days\":5,\"unit\":\"working\"},\"resolve\":{\"days\":10,\"unit\":\"working\"}}",
			NULL, "notify: telling the filer of the acceptance needs an \"accept\" step" },
		{ "petition", "{\"forward\":{\"days\":5},\"resolve\":{\"days\":10,\"unit\":\"working\"}}",
			NULL, "(petition): clock.forward: \"unit\" is missing" },
		{ "procedure", "{\"resolve\":{\"unit\":\"procedure\"},\"suspend\":true}", NULL,
			"its dossier is supplemented" },
		{ "complaint", "{\"accept\":{\"days\":7,\"unit\":\"working\"},\"resolve\":{\"days\":30,\"unit\":\"calendar\"},"
			"\"suspend\":\"yes\"}", NULL, "(complaint): clock: \"suspend\" must be true or false" },
		{ "complaint", "{\"starts\":\"post\",\"accept\":{\"days\":7,\"unit\":\"working\"},"
			"\"resolve\":{\"days\":30,\"unit\":\"calendar\"}}", NULL,
			"\"starts\" must be kiosk, counter or signed_letter" },
	};
	char err[300];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		if (load_with_clock(cases[i].id, cases[i].clock, cases[i].legacy, err, sizeof err) != -1 ||
		    !strstr(err, cases[i].message))
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, err, cases[i].message);
	}
	/* Defaults: remote_complex is the larger of complex and remote. */
	assert_int_equal(load_with_clock("complaint", "{\"accept\":{\"days\":7,\"unit\":\"working\"},"
		"\"resolve\":{\"days\":30,\"unit\":\"calendar\",\"complex\":45}}", NULL, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_procedures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configured_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complaints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denunciations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supplement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_and_conference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verification, setup, teardown),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_weekends_only),
		cmocka_unit_test_setup_teardown(test_legacy_members, setup, teardown),
		cmocka_unit_test(test_bad_clocks),
	};
	return cmocka_run_group_tests_name("legal", tests, NULL, NULL);
}
