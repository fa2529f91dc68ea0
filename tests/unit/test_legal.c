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
	/* Three working days across a weekend, and across Tết 2026 (14-22 Feb off). */
	assert_date(receipt(f, "procedure", "marital_status", fx_date(2026, 11, 19), 10), "2026-11-24");
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
	assert_date(receipt(f, "reflection", NULL, fx_date(2026, 11, 20), 16), "2026-12-04");
	/* Dialogue questions: 30 calendar days; ending on a Saturday, due the Monday. */
	assert_date(receipt(f, "dialogue", NULL, fx_date(2026, 11, 5), 10), "2026-12-07");
	assert_date(receipt(f, "dialogue", NULL, fx_date(2026, 11, 4), 10), "2026-12-04");
	assert_int_equal(legal_has_acceptance(clock_of(f, "petition")), 0);
	assert_int_equal(legal_has_acceptance(clock_of(f, "procedure")), 0);
}

static void test_complaints(void **state)
{
	fixture *f = *state;
	const legal_clock *k = clock_of(f, "complaint");
	cal_date out;
	char err[200];
	assert_int_equal(legal_has_acceptance(k), 1);
	/* Ten calendar days to accept: 28 Dec 2026 gives Thursday 7 January 2027;
	 * 22 Dec ends on New Year's Day, then a weekend: Monday 4 January. */
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 12, 28), 10), "2027-01-07");
	assert_date(receipt(f, "complaint", NULL, fx_date(2026, 12, 22), 10), "2027-01-04");
	/* The hour does not matter for calendar days. */
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
	/* Told of the acceptance within 5 working days: across Tết 2026. */
	assert_date(receipt(f, "denunciation", NULL, fx_date(2026, 2, 13), 10), "2026-02-27");
	/* Across New Year 2027: Monday 28 December gives Tuesday 5 January. */
	assert_date(receipt(f, "denunciation", NULL, fx_date(2026, 12, 28), 10), "2027-01-05");
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
	assert_int_equal(catalog_category_by_id(&f->cat, "complaint")->deadline, DEADLINE_DAYS);
	assert_int_equal(catalog_category_by_id(&f->cat, "complaint")->deadline_n, 10);
	assert_int_equal(catalog_category_by_id(&f->cat, "denunciation")->deadline, DEADLINE_WORKING_DAYS);
	assert_int_equal(catalog_category_by_id(&f->cat, "denunciation")->deadline_n, 5);
	assert_int_equal(catalog_category_by_id(&f->cat, "procedure")->deadline, DEADLINE_PROCEDURE);
	assert_int_equal(catalog_category_by_id(&f->cat, "dialogue")->deadline, DEADLINE_DAYS);
}

/* The shipped catalog with category `id`'s clock replaced by clock_json
 * (NULL: removed) and, if legacy is set, its "deadline" member by it;
 * loaded: 0 or -1 with err. */
static int load_with_clock(const char *id, const char *clock_json, const char *legacy, char *err, size_t errlen)
{
	static catalog c;
	json_error_t je;
	json_t *root = json_load_file("assets/catalog.json", 0, &je), *cats, *cat;
	size_t i;
	char *text;
	int rc;
	assert_non_null(root);
	cats = json_object_get(root, "categories");
	json_array_foreach(cats, i, cat) {
		if (strcmp(json_string_value(json_object_get(cat, "id")), id) != 0) continue;
		if (clock_json) json_object_set_new(cat, "clock", json_loads(clock_json, 0, &je));
		else json_object_del(cat, "clock");
		if (legacy) json_object_set_new(cat, "deadline", json_string(legacy));
	}
	text = json_dumps(root, 0);
	assert_non_null(text);
	rc = catalog_load_string(text, &c, err, errlen);
	free(text);
	json_decref(root);
	return rc;
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
	assert_int_equal(load_with_clock("complaint", "{\"accept\":{\"days\":10,\"unit\":\"calendar\"},"
		"\"resolve\":{\"days\":30,\"unit\":\"calendar\",\"complex\":45}}", NULL, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_procedures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configured_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complaints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denunciations, setup, teardown),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_weekends_only),
		cmocka_unit_test_setup_teardown(test_legacy_members, setup, teardown),
		cmocka_unit_test(test_bad_clocks),
	};
	return cmocka_run_group_tests_name("legal", tests, NULL, NULL);
}
