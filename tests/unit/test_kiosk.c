/* Tests of the kiosk's widget list and of filing a request: a full widget
 * list, a full text arena and a cut buffer are recorded (counted, named)
 * and overwrite nothing; a request is stored with the deadline its plan
 * decided, which is what review showed; a plan from another day is refused
 * as stale; nothing is stored without a key or a store; the sealed record
 * holds the phone number as its digits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fixture.h"
#include "file.h"
#include "kclock.h"
#include "widget.h"
#include "kb.h"

/* ---- the widget list ---- */

static void add_label(widget_list *l, const char *id)
{
	widget_add(l, &(widget_spec){ .id = id, .text = id, .at = { 1, 2, 3, 4 }, .kind = W_LABEL, .font = FONT_BODY });
}

static void test_list_full_is_recorded(void **state)
{
	widget_list *l = calloc(1, sizeof *l);
	char id[16];
	widget *w;
	int i;
	(void)state;
	assert_non_null(l);
	for (i = 0; i < WIDGET_MAX; i++) {
		snprintf(id, sizeof id, "w.%d", i);
		add_label(l, id);
	}
	assert_int_equal(l->overflows, 0);
	w = widget_add(l, &(widget_spec){ .id = "one.too.many", .kind = W_BUTTON });
	w->enabled = 0;                       /* a caller may still set fields */
	assert_int_equal(l->n, WIDGET_MAX);
	assert_int_equal(l->overflows, 1);
	assert_string_equal(l->first_overflow, "widget list full");
	/* The last widget of the list is still the last one added in room. */
	assert_string_equal(l->items[WIDGET_MAX - 1].id, "w.159");
	assert_int_equal(l->items[WIDGET_MAX - 1].enabled, 1);
	assert_null(widget_find(l, "one.too.many"));
	/* Counted every time, for the life of the list, across builds. */
	add_label(l, "again");
	widget_clear(l);
	assert_int_equal(l->n, 0);
	assert_int_equal(l->overflows, 2);
	free(l);
}

static void test_arena_full_is_recorded(void **state)
{
	widget_list *l = calloc(1, sizeof *l);
	char big[1000];
	const char *p = NULL;
	int i;
	(void)state;
	assert_non_null(l);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (i = 0; i < WIDGET_ARENA / (int)sizeof big + 2; i++) p = widget_str(l, "%s", big);
	assert_true(l->overflows >= 1);
	assert_string_equal(l->first_overflow, "text arena full");
	assert_true(l->used <= WIDGET_ARENA);
	assert_non_null(p);
	assert_true(strlen(p) < sizeof big);   /* cut, inside the arena */
	/* Scratch given back makes room again. */
	widget_clear(l);
	assert_string_equal(widget_str(l, "%s-%d", "ok", 7), "ok-7");
	free(l);
}

static void test_cut_buffer_and_long_id_are_recorded(void **state)
{
	widget_list *l = calloc(1, sizeof *l);
	char small[8], id[80];
	(void)state;
	assert_non_null(l);
	assert_int_equal(widget_fmt(l, "small", small, sizeof small, "%s", "1234567"), 0);
	assert_int_equal(l->overflows, 0);
	assert_int_equal(widget_fmt(l, "small buffer", small, sizeof small, "%s", "12345678"), -1);
	assert_string_equal(small, "1234567");
	assert_int_equal(l->overflows, 1);
	assert_string_equal(l->first_overflow, "small buffer");
	memset(id, 'i', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	add_label(l, id);
	assert_int_equal(l->overflows, 2);
	assert_string_equal(l->first_overflow, "small buffer");   /* the first stays named */
	widget_drop_last(l);
	assert_int_equal(l->n, 0);
	free(l);
}

/* ---- filing ---- */

typedef struct {
	char dir[64];
	db *store;
	catalog cat;
	cal *calendar;
	config cfg;
	seal_server_key key;
	unsigned char box_sk[SEAL_KEY_BYTES];
	const char *fields[CATALOG_FIELDS];
} filing;

static int setup(void **state)
{
	filing *f = calloc(1, sizeof *f);
	char err[300];
	int i;
	if (!f || sodium_init() < 0) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "kiosk");
	crypto_box_keypair(f->key.box_pk, f->box_sk);
	if (db_open(&f->store, f->dir, &f->key, err, sizeof err) != 0 ||
	    catalog_load("assets/catalog.json", &f->cat, err, sizeof err) != 0 ||
	    !(f->calendar = cal_load("assets/holidays.json", err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	config_defaults(&f->cfg);
	snprintf(f->cfg.commune_code, sizeof f->cfg.commune_code, "27280");
	f->cfg.kiosk_number = 3;
	for (i = 0; i < CATALOG_FIELDS; i++) f->fields[i] = "";
	f->fields[catalog_field_index("full_name")] = "Nguyễn Văn An";
	f->fields[catalog_field_index("phone")] = "0912 345 678";
	f->fields[catalog_field_index("subject")] = "Đường hỏng";
	f->fields[catalog_field_index("details")] = "Mặt đường có nhiều ổ gà.";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	filing *f = *state;
	db_close(f->store);
	cal_free(f->calendar);
	fx_rmtree(f->dir);
	free(f);
	return 0;
}

static file_office office(filing *f)
{
	return (file_office){ &f->cfg, &f->cat, f->store, &f->key };
}

static void test_stores_the_planned_deadline(void **state)
{
	filing *f = *state;
	const catalog_category *c = catalog_category_by_id(&f->cat, "petition");
	time_t morning = (time_t)fx_vn_time(2026, 3, 2, 8, 0), evening = (time_t)fx_vn_time(2026, 3, 2, 23, 50);
	file_office o = office(f);
	file_plan p;
	db_request got;
	char err[300], want[11];
	assert_non_null(c);
	file_plan_make(&p, c, NULL, f->calendar, morning);
	cal_date_format(catalog_deadline(c, NULL, f->calendar, morning), want);
	assert_string_equal(p.deadline, want);
	/* Filed later the same day: the date review showed is the one stored. */
	assert_int_equal(file_request(&o, &p, f->fields, evening, &got, err, sizeof err), FILE_OK);
	assert_string_equal(got.deadline, p.deadline);
	assert_string_equal(got.category, "petition");
	assert_int_equal(got.received_at, (long long)evening);
	assert_string_equal(got.id, "27280-3-000001");
}

static void test_a_plan_from_yesterday_is_stale(void **state)
{
	filing *f = *state;
	const catalog_category *c = catalog_category_by_id(&f->cat, "petition");
	time_t before = (time_t)fx_vn_time(2026, 3, 2, 23, 59), after = (time_t)fx_vn_time(2026, 3, 3, 0, 1);
	file_office o = office(f);
	file_plan p;
	db_request got;
	db_counts counts;
	char err[300];
	file_plan_make(&p, c, NULL, f->calendar, before);
	assert_int_equal(file_request(&o, &p, f->fields, after, &got, err, sizeof err), FILE_STALE);
	assert_non_null(strstr(err, "another day"));
	assert_int_equal(db_count_by_status(f->store, "2026-03-03", &counts, err, sizeof err), 0);
	assert_int_equal(counts.total, 0);
}

static void test_nothing_stored_without_key_or_store(void **state)
{
	filing *f = *state;
	const catalog_category *c = catalog_category_by_id(&f->cat, "petition");
	time_t now = (time_t)fx_vn_time(2026, 3, 2, 9, 0);
	file_office o = office(f);
	file_plan p;
	db_request got;
	char err[300];
	file_plan_make(&p, c, NULL, f->calendar, now);
	o.server_key = NULL;
	assert_int_equal(file_request(&o, &p, f->fields, now, &got, err, sizeof err), FILE_FAILED);
	assert_non_null(strstr(err, "no server key"));
	o = office(f);
	o.store = NULL;
	assert_int_equal(file_request(&o, &p, f->fields, now, &got, err, sizeof err), FILE_FAILED);
	assert_non_null(strstr(err, "database"));
}

static void test_sealed_record_is_normalised(void **state)
{
	filing *f = *state;
	const catalog_category *c = catalog_category_by_id(&f->cat, "petition");
	time_t now = (time_t)fx_vn_time(2026, 3, 2, 9, 0);
	file_office o = office(f);
	file_plan p;
	db_request got;
	proto_request *out = NULL;
	char err[300], *clear;
	int n = 0;
	file_plan_make(&p, c, NULL, f->calendar, now);
	assert_int_equal(file_request(&o, &p, f->fields, now, &got, err, sizeof err), FILE_OK);
	assert_int_equal(db_outbox(f->store, 0, 10, &out, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	clear = calloc(1, out[0].sealed_len);
	assert_non_null(clear);
	assert_int_equal(seal_open(f->key.box_pk, f->box_sk, out[0].sealed, out[0].sealed_len, clear), 0);
	assert_non_null(strstr(clear, "\"phone\":\"0912345678\""));
	assert_non_null(strstr(clear, "\"full_name\":\"Nguyễn Văn An\""));
	free(clear);
	db_free_requests(out, n);
}

/* ---- the receipts' clock ---- */

static void test_clock_that_jumps_back(void **state)
{
	kclock k = { 0, 0, 0 };
	long long t0 = 1767500000;
	(void)state;
	/* True: the wall clock, each time. */
	assert_true(kclock_now(&k, t0, 100, 0) == t0 && k.behind == 0);
	assert_true(kclock_now(&k, t0 + 60, 160, 0) == t0 + 60 && k.behind == 0);
	/* A small correction back is the wall clock's, within the tolerance. */
	assert_true(kclock_now(&k, t0 + 90, 220, 0) == t0 + 90 && k.behind == 0);
	/* Back a day: the time kept running, and how far behind the clock is. */
	assert_true(kclock_now(&k, t0 + 120 - 86400, 250, 0) == t0 + 120);
	assert_int_equal(k.behind, 86400);
	assert_true(kclock_now(&k, t0 + 180 - 86400, 310, 0) == t0 + 180);
	/* Set right (forward): believed again. */
	assert_true(kclock_now(&k, t0 + 240, 370, 0) == t0 + 240 && k.behind == 0);
	/* Forward a year is believed too: that is a clock being set. */
	assert_true(kclock_now(&k, t0 + 366 * 86400, 400, 0) == t0 + 366 * 86400 && k.behind == 0);
	/* No pair yet (a restart) and a clock behind the last receipt: the floor. */
	memset(&k, 0, sizeof k);
	assert_true(kclock_now(&k, t0 - 86400, 5, t0) == t0);
	assert_int_equal(k.behind, 86400);
	/* Within the tolerance of the floor: the floor, no warning. */
	memset(&k, 0, sizeof k);
	assert_true(kclock_now(&k, t0 - 10, 5, t0) == t0 && k.behind == 0);
}

/* ---- the keyboard layouts ---- */

struct laid { int n, min_w, rows_y[8], nrows, gaps; const kb_key *keys[64]; };

static void collect(void *user, const kb_key *k, int x, int y, int w, int h)
{
	struct laid *l = user;
	int r;
	(void)x; (void)h;
	if (k->action == KB_GAP) l->gaps++;
	if (l->n < 64) l->keys[l->n] = k;
	l->n++;
	if (l->min_w == 0 || w < l->min_w) l->min_w = w;
	for (r = 0; r < l->nrows; r++)
		if (l->rows_y[r] == y) return;
	if (l->nrows < 8) l->rows_y[l->nrows++] = y;
}

/* Four rows in every mode of the text keyboard, the block's keys there,
 * never a gap drawn or found, and keys that stay wide at 800x480. */
static void test_keyboard_layouts(void **state)
{
	static const char *const block[] = {
		"a_breve", "a_circ", "e_circ", "o_circ", "o_horn", "u_horn", "d_bar",
		"tone_sac", "tone_huyen", "tone_hoi", "tone_nga", "tone_nang", "tone_none", "ime_telex", "ime_vni",
	};
	int layer, vni;
	size_t i;
	(void)state;
	for (layer = 0; layer < 2; layer++)
		for (vni = 0; vni < 2; vni++) {
			struct laid l;
			memset(&l, 0, sizeof l);
			assert_int_equal(kb_rows(KB_TEXT, layer, vni), 4);
			kb_layout(KB_TEXT, layer, vni, 6, 220, 788, 254, 6, collect, &l);
			assert_int_equal(l.nrows, 4);
			assert_int_equal(l.gaps, 0);
			assert_true(l.min_w >= 47);
			assert_null(kb_key_by_name(KB_TEXT, layer, vni, "gap"));
		}
	for (i = 0; i < sizeof block / sizeof block[0]; i++)
		assert_non_null(kb_key_by_name(KB_TEXT, 0, 0, block[i]));
	assert_string_equal(kb_key_by_name(KB_TEXT, 0, 0, "e_circ")->label, "ê");
	assert_int_equal(kb_key_by_name(KB_TEXT, 0, 0, "tone_nga")->ch, '4');
	assert_int_equal(kb_key_by_name(KB_TEXT, 0, 0, "tone_none")->ch, '0');
	/* VNI: its digits where the block was, and no tone keys */
	assert_null(kb_key_by_name(KB_TEXT, 0, 1, "tone_sac"));
	for (i = 0; i < 10; i++) assert_non_null(kb_key_for_char(KB_TEXT, 0, 1, (char)('0' + i)));
	assert_null(kb_key_for_char(KB_TEXT, 0, 0, '5'));
}

int main(void)
{
	/* The kiosk's days are the commune's: [kiosk] timezone, by default. */
	setenv("TZ", "ICT-7", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyboard_layouts),
		cmocka_unit_test(test_clock_that_jumps_back),
		cmocka_unit_test(test_list_full_is_recorded),
		cmocka_unit_test(test_arena_full_is_recorded),
		cmocka_unit_test(test_cut_buffer_and_long_id_are_recorded),
		cmocka_unit_test_setup_teardown(test_stores_the_planned_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_plan_from_yesterday_is_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_stored_without_key_or_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_record_is_normalised, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
