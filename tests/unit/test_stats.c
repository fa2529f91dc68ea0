/* Tests of the public figures: a known set of requests, written straight
 * into a fresh server.db (statuses, deadlines, closing times, on time or
 * late, categories, four communes, the edges of the month and the year),
 * and every figure srv_stats computes checked exactly: counts, rates,
 * medians, and which cells are hidden and why. Then the pages and JSON that
 * stats_page renders from them: 404s, pages of the communes' list, size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "catalog.h"
#include "fixture.h"
#include "srv_db.h"
#include "srv_stats.h"
#include "srv_work.h"
#include "stats_page.h"

#define H SRV_STATS_HIDDEN
#define NONE SRV_STATS_NONE
#define DAY 86400LL

/* Communes: A and B with requests and names, C named with none, E with
 * requests and no name, F with one request. */
#define A "27280"
#define B "27283"
#define C "27290"
#define E "27295"
#define F "27301"

typedef struct {
	char dir[64];
	srv_db *db;
	int seq;
	srv_stats s;
	fx_disk *disk;               /* the test's own connection on the store */
} fixture;

/* Unix time of a Vietnam wall-clock time (UTC+7). */
static long long vn(int year, int month, int day, int hour, int minute, int second)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	return (long long)timegm(&tm) - 7 * 3600;
}

#define NOW vn(2026, 11, 22, 10, 0, 0)

/* One request. closed 0: open; on_time -1: NULL. */
static void add(fixture *f, const char *commune, const char *category, long long received, const char *status,
	long long closed, int on_time, const char *due)
{
	static const char text[] = "INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
		" received_server_at, deadline, status, updated_at, sealed, commune, due, closed_at, on_time)"
		" VALUES(?1, ?2, ?3, ?4, ?5, '', ?6, ?6, ?7, ?8, ?6, ?12, ?9, ?7, ?10, ?11)";
	char id[40], kiosk[16], token[16], seq[24], at[24], closed_at[24];
	const char *p[12];
	snprintf(kiosk, sizeof kiosk, "%s-1", commune);
	snprintf(id, sizeof id, "%s-%06d", kiosk, ++f->seq);
	snprintf(token, sizeof token, "T%012d", f->seq);
	snprintf(seq, sizeof seq, "%d", f->seq);
	snprintf(at, sizeof at, "%lld", received);
	snprintf(closed_at, sizeof closed_at, "%lld", closed);
	p[0] = id; p[1] = kiosk; p[2] = seq; p[3] = token; p[4] = category; p[5] = at; p[6] = due; p[7] = status;
	p[8] = commune; p[9] = closed ? closed_at : NULL; p[10] = on_time < 0 ? NULL : on_time ? "1" : "0";
	p[11] = "x";                 /* the sealed identity: not read here */
	fx_disk_rows(f->disk, text, p, 12, NULL, NULL);
}

static void add_resolved(fixture *f, const char *commune, const char *category, long long received,
	long long took, int on_time)
{
	add(f, commune, category, received, "resolved", received + took, on_time, "2026-12-31");
}

static void name_commune(fixture *f, const char *code, const char *name)
{
	work_commune c;
	char err[200];
	memset(&c, 0, sizeof c);
	snprintf(c.code, sizeof c.code, "%s", code);
	snprintf(c.name, sizeof c.name, "%s", name);
	assert_int_equal(srv_work_commune_set(f->db, &c, err, sizeof err), 0);
}

/* The known set; the figures each test expects are worked out beside it. */
static void fill(fixture *f)
{
	static const char *const kiosks[] = { A "-1", B "-1", E "-1", F "-1" };
	unsigned char key[ENV_PK_BYTES] = { 0 };
	char err[200];
	size_t i;
	int k;
	for (i = 0; i < sizeof kiosks / sizeof kiosks[0]; i++)
		assert_int_equal(srv_db_kiosk_add(f->db, kiosks[i], key, NOW - 400 * DAY, err, sizeof err), 0);
	name_commune(f, A, "Xã Tân Hòa");
	name_commune(f, B, "Xã Phú Mỹ");
	name_commune(f, C, "Xã Không Hồ Sơ");
	name_commune(f, F, "Xã Mỹ Lợi");

	/* A, procedure. This month: 1..6 days, the 6th late; one rejected after
	 * 10 days, received on the month's first second. */
	for (k = 1; k <= 6; k++) add_resolved(f, A, "procedure", vn(2026, 11, 2, 9, 0, 0), k * DAY, k < 6);
	add(f, A, "procedure", vn(2026, 11, 1, 0, 0, 0), "rejected", vn(2026, 11, 11, 0, 0, 0), 1, "2026-11-12");
	/* Two open and overdue, one open not yet due, one due today (not overdue). */
	add(f, A, "procedure", vn(2026, 11, 3, 8, 0, 0), "accepted", 0, -1, "2026-11-10");
	add(f, A, "procedure", vn(2026, 11, 3, 8, 0, 0), "accepted", 0, -1, "2026-11-10");
	add(f, A, "procedure", vn(2026, 11, 20, 8, 0, 0), "synced", 0, -1, "2026-11-25");
	add(f, A, "procedure", vn(2026, 10, 31, 23, 59, 59), "in_progress", 0, -1, "2026-11-22");
	/* The year's first second, resolved in 2 days; the last second of last
	 * year, resolved late in January (5 days); resolved on the last second
	 * of October (26 days 15:59:59, on time). */
	add_resolved(f, A, "procedure", vn(2026, 1, 1, 0, 0, 0), 2 * DAY, 1);
	add_resolved(f, A, "procedure", vn(2025, 12, 31, 23, 59, 59), 5 * DAY, 0);
	add(f, A, "procedure", vn(2026, 10, 5, 8, 0, 0), "resolved", vn(2026, 10, 31, 23, 59, 59), 1, "2026-11-01");
	/* Withdrawn this month: received, never resolved, never overdue. */
	add(f, A, "procedure", vn(2026, 11, 10, 8, 0, 0), "withdrawn", vn(2026, 11, 12, 8, 0, 0), 1, "2026-11-11");
	/* All of last year: nothing. */
	add_resolved(f, A, "procedure", vn(2025, 6, 1, 8, 0, 0), 30 * DAY, 1);

	/* A, petition: 3 resolved on time in 2, 3 and 7 days, 1 open. */
	add_resolved(f, A, "petition", vn(2026, 11, 5, 8, 0, 0), 2 * DAY, 1);
	add_resolved(f, A, "petition", vn(2026, 11, 5, 8, 0, 0), 3 * DAY, 1);
	add_resolved(f, A, "petition", vn(2026, 11, 5, 8, 0, 0), 7 * DAY, 1);
	add(f, A, "petition", vn(2026, 11, 6, 8, 0, 0), "accepted", 0, -1, "2026-12-20");
	/* A, denunciation: one, open. */
	add(f, A, "denunciation", vn(2026, 11, 15, 8, 0, 0), "accepted", 0, -1, "2026-12-15");
	/* A, complaint: two in March, one on time (18 days), one late (49 days). */
	add_resolved(f, A, "complaint", vn(2026, 3, 2, 8, 0, 0), 18 * DAY, 1);
	add_resolved(f, A, "complaint", vn(2026, 3, 2, 8, 0, 0), 49 * DAY, 0);

	/* B, reflection: 1, 1, 2, 2 days on time and 20 days late. */
	add_resolved(f, B, "reflection", vn(2026, 11, 10, 8, 0, 0), 1 * DAY, 1);
	add_resolved(f, B, "reflection", vn(2026, 11, 10, 8, 0, 0), 1 * DAY, 1);
	add_resolved(f, B, "reflection", vn(2026, 11, 10, 8, 0, 0), 2 * DAY, 1);
	add_resolved(f, B, "reflection", vn(2026, 11, 10, 8, 0, 0), 2 * DAY, 1);
	add_resolved(f, B, "reflection", vn(2026, 11, 1, 8, 0, 0), 20 * DAY, 0);
	/* B, dialogue: two open and overdue, one filed last year. */
	add(f, B, "dialogue", vn(2025, 12, 20, 8, 0, 0), "accepted", 0, -1, "2026-01-10");
	add(f, B, "dialogue", vn(2026, 2, 1, 8, 0, 0), "accepted", 0, -1, "2026-11-21");

	/* E: three open procedures from February. F: one petition this month. */
	for (k = 0; k < 3; k++) add(f, E, "procedure", vn(2026, 2, 10, 8, 0, 0), "synced", 0, -1, "2026-12-31");
	add(f, F, "petition", vn(2026, 11, 18, 8, 0, 0), "synced", 0, -1, "2026-12-31");
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[300];
	if (!f) return -1;
	fx_tempdir(f->dir, sizeof f->dir, "stats");
	if (!(f->db = fx_srv_open(f->dir)) || !(f->disk = fx_disk_open(f->dir))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	srv_stats_free(&f->s);
	fx_disk_close(f->disk);
	f->disk = NULL;
	srv_db_close(f->db);
	if (fx_rmtree(f->dir) != 0) return -1;
	free(f);
	return 0;
}

static void compute(fixture *f)
{
	char err[300];
	fill(f);
	if (srv_stats_compute(f->db, NOW, &f->s, err, sizeof err) != 0) fail_msg("%s", err);
}

/* Rates are compared in tenths of a percent, medians in tenths of a day;
 * H and NONE as they are. */
static long long rounded(double v, double scale)
{
	return v < 0 ? (long long)v : llround(v * scale);
}

typedef struct {
	long long received, resolved, on_time, rate_permille, median_tenths;
} want;

static void check(const srv_stats_figures *got, want w, const char *what)
{
	if (got->received != w.received || got->resolved != w.resolved || got->on_time != w.on_time ||
	    rounded(got->rate, 1000) != w.rate_permille || rounded(got->median_days, 10) != w.median_tenths)
		fail_msg("%s: got received %lld resolved %lld on time %lld rate %lld median %lld; want"
			" %lld %lld %lld %lld %lld", what, got->received, got->resolved, got->on_time,
			rounded(got->rate, 1000), rounded(got->median_days, 10),
			w.received, w.resolved, w.on_time, w.rate_permille, w.median_tenths);
}

static void check_row(const srv_stats_row *r, want month, want year, long long overdue, const char *what)
{
	char label[96];
	assert_non_null(r);
	snprintf(label, sizeof label, "%s, month", what);
	check(&r->period[SRV_STATS_MONTH], month, label);
	snprintf(label, sizeof label, "%s, year", what);
	check(&r->period[SRV_STATS_YEAR], year, label);
	if (r->overdue != overdue) fail_msg("%s: overdue %lld, want %lld", what, r->overdue, overdue);
}

static const srv_stats_row *cell(const srv_stats *s, const char *commune, const char *category)
{
	int i;
	for (i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].commune, commune) == 0 && strcmp(s->cells[i].category, category) == 0)
			return &s->cells[i];
	return NULL;
}

static const srv_stats_row *commune_total(const srv_stats *s, const char *code)
{
	const srv_stats_row *total, *rows;
	int n;
	return srv_stats_commune(s, code, &total, &rows, &n) == 1 ? total : NULL;
}

static void test_period(void **state)
{
	fixture *f = *state;
	compute(f);
	assert_int_equal(f->s.year, 2026);
	assert_int_equal(f->s.month, 11);
	assert_string_equal(f->s.today, "2026-11-22");
	assert_int_equal(f->s.computed_at, NOW);
}

/* A's procedures: every count shown; the month's rate 6/7, median of
 * 1,2,3,4,5,6,10 days; the year adds January's two and October's one:
 * 8/10, median of 1,2,2,3,4,5,5,6,10,26.7 = 4.5. Its 2 overdue are hidden. */
static void test_cell_counts(void **state)
{
	fixture *f = *state;
	compute(f);
	check_row(cell(&f->s, A, "procedure"), (want){ 11, 7, 6, 857, 40 }, (want){ 14, 10, 8, 800, 45 }, H,
		"A procedure");
	/* Petitions: the month's received is hidden beside the lone hidden
	 * denunciation; the year's resolved and on time beside the complaints'. */
	check_row(cell(&f->s, A, "petition"), (want){ H, 3, 3, 1000, 30 }, (want){ 4, H, H, H, H }, 0, "A petition");
	check_row(cell(&f->s, A, "denunciation"), (want){ H, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, 0,
		"A denunciation");
	check_row(cell(&f->s, A, "complaint"), (want){ 0, 0, 0, NONE, NONE }, (want){ H, H, H, H, H }, 0, "A complaint");
	/* B: reflection's year received (5) hidden beside the lone dialogue (1),
	 * its month's beside B's total, hidden in the communes' table. */
	check_row(cell(&f->s, B, "reflection"), (want){ H, 5, 4, 800, 20 }, (want){ H, 5, 4, 800, 20 }, 0,
		"B reflection");
	check_row(cell(&f->s, B, "dialogue"), (want){ 0, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, H,
		"B dialogue");
	/* E's 3 would give away its total, hidden in the communes' table. */
	check_row(cell(&f->s, E, "procedure"), (want){ 0, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, 0,
		"E procedure");
	check_row(cell(&f->s, F, "petition"), (want){ H, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, 0,
		"F petition");
	assert_null(cell(&f->s, A, "reflection"));
	assert_null(cell(&f->s, C, "procedure"));
	assert_int_equal(f->s.ncells, 8);
}

/* Communes: F's lone 1 hides B's 5 (month) and E's 3 (year); A's and B's
 * overdue 2 are both small. A: month 9/10 on time, median of ten cases
 * 3.5; year 12/15, median 5. */
static void test_communes(void **state)
{
	fixture *f = *state;
	static const char *const order[] = { A, B, C, E, F };
	int i;
	compute(f);
	assert_int_equal(f->s.ncommunes, 5);
	for (i = 0; i < 5; i++) assert_string_equal(f->s.communes[i].commune, order[i]);
	assert_string_equal(f->s.communes[0].name, "Xã Tân Hòa");
	assert_string_equal(f->s.communes[3].name, "");
	check_row(commune_total(&f->s, A), (want){ 16, 10, 9, 900, 35 }, (want){ 21, 15, 12, 800, 50 }, H, "A");
	check_row(commune_total(&f->s, B), (want){ H, 5, 4, 800, 20 }, (want){ 6, 5, 4, 800, 20 }, H, "B");
	check_row(commune_total(&f->s, C), (want){ 0, 0, 0, NONE, NONE }, (want){ 0, 0, 0, NONE, NONE }, 0, "C");
	check_row(commune_total(&f->s, E), (want){ 0, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, 0, "E");
	check_row(commune_total(&f->s, F), (want){ H, 0, 0, NONE, NONE }, (want){ H, 0, 0, NONE, NONE }, 0, "F");
	assert_null(commune_total(&f->s, "99999"));
}

/* Everything: month 13/15 on time, median of fifteen cases 3; year 16/20,
 * median of twenty 3.5; overdue 2 + 2. */
static void test_total(void **state)
{
	fixture *f = *state;
	compute(f);
	check_row(&f->s.total, (want){ 22, 15, 13, 867, 30 }, (want){ 31, 20, 16, 800, 35 }, 4, "total");
	assert_string_equal(f->s.total.commune, "");
}

/* A commune's rows are its own cells, in category order. */
static void test_commune_rows(void **state)
{
	fixture *f = *state;
	const srv_stats_row *total, *rows;
	int n;
	compute(f);
	assert_int_equal(srv_stats_commune(&f->s, A, &total, &rows, &n), 1);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].category, "complaint");
	assert_string_equal(rows[3].category, "procedure");
	assert_int_equal(srv_stats_commune(&f->s, C, &total, &rows, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(srv_stats_commune(&f->s, "27", &total, &rows, &n), 0);
}

/* No hidden cell of any table can be worked out from the others: in every
 * column the hidden cells, counting the total, are never exactly one. */
static int lone_hidden(const srv_stats_row *rows, int n, const srv_stats_row *total)
{
	int p, i;
	for (p = 0; p < SRV_STATS_NPERIODS; p++) {
		int received = total->period[p].received == H, resolved = total->period[p].resolved == H,
			on_time = total->period[p].on_time == H;
		for (i = 0; i < n; i++) {
			received += rows[i].period[p].received == H;
			resolved += rows[i].period[p].resolved == H;
			on_time += rows[i].period[p].on_time == H;
		}
		if (received == 1 || resolved == 1 || on_time == 1) return 1;
	}
	p = total->overdue == H;
	for (i = 0; i < n; i++) p += rows[i].overdue == H;
	return p == 1;
}

static void test_no_lone_hidden_cell(void **state)
{
	fixture *f = *state;
	int i;
	compute(f);
	assert_false(lone_hidden(f->s.communes, f->s.ncommunes, &f->s.total));
	for (i = 0; i < f->s.ncommunes; i++) {
		const srv_stats_row *total, *rows;
		int n;
		assert_int_equal(srv_stats_commune(&f->s, f->s.communes[i].commune, &total, &rows, &n), 1);
		if (lone_hidden(rows, n, total)) fail_msg("commune %s has a lone hidden cell", total->commune);
	}
}

/* A kiosk hears its commune's year as /stats shows it: with one answer in
 * a new commune G hidden, B's 5 are hidden beside it, at the kiosk too. */
static void test_kiosk(void **state)
{
	fixture *f = *state;
	unsigned char key[ENV_PK_BYTES] = { 0 };
	proto_stats k;
	char err[300];
	int i;
	fill(f);
	assert_int_equal(srv_stats_kiosk(f->db, A, NOW, &k, err, sizeof err), 0);
	assert_int_equal(k.known, 1);
	assert_int_equal(k.year, 2026);
	assert_int_equal(k.resolved, 15);
	assert_int_equal(k.on_time, 12);
	assert_int_equal(srv_stats_kiosk(f->db, F, NOW, &k, err, sizeof err), 0);
	assert_int_equal(k.resolved, 0);
	assert_int_equal(k.on_time, 0);
	assert_int_equal(srv_stats_kiosk(f->db, "99999", NOW, &k, err, sizeof err), 0);
	assert_int_equal(k.known, 1);
	assert_int_equal(k.resolved, 0);
	assert_int_equal(srv_db_kiosk_add(f->db, "27310-1", key, NOW - DAY, err, sizeof err), 0);
	add_resolved(f, "27310", "petition", vn(2026, 5, 1, 8, 0, 0), DAY, 1);
	assert_int_equal(srv_stats_kiosk(f->db, B, NOW, &k, err, sizeof err), 0);
	assert_int_equal(k.resolved, H);
	assert_int_equal(k.on_time, H);
	assert_int_equal(srv_stats_compute(f->db, NOW, &f->s, err, sizeof err), 0);
	for (i = 0; i < f->s.ncommunes; i++) {
		const srv_stats_row *c = &f->s.communes[i];
		assert_int_equal(srv_stats_kiosk(f->db, c->commune, NOW, &k, err, sizeof err), 0);
		if (k.resolved != c->period[SRV_STATS_YEAR].resolved || k.on_time != c->period[SRV_STATS_YEAR].on_time)
			fail_msg("commune %s: the kiosk hears %lld/%lld, /stats shows %lld/%lld", c->commune, k.on_time,
				k.resolved, c->period[SRV_STATS_YEAR].on_time, c->period[SRV_STATS_YEAR].resolved);
	}
}

static int compare_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* Medians of many cases with repeats, odd and even counts, against sorting. */
static void test_median_random(void **state)
{
	fixture *f = *state;
	unsigned char key[ENV_PK_BYTES] = { 0 };
	long long took[401];
	char err[300];
	int n, i;
	unsigned seed = 12345;
	assert_int_equal(srv_db_kiosk_add(f->db, A "-1", key, NOW - DAY, err, sizeof err), 0);
	for (n = 0; n < 401; n++) {
		seed = seed * 1103515245u + 12345u;
		took[n] = (long long)(seed >> 8) % (20 * DAY) / 3600 * 3600;   /* whole hours: repeats */
		add_resolved(f, A, "procedure", vn(2026, 11, 2, 0, 0, 0), took[n], 1);
		if (n != 3 && n != 4 && n != 200 && n != 399 && n != 400) continue;
		srv_stats_free(&f->s);
		assert_int_equal(srv_stats_compute(f->db, NOW, &f->s, err, sizeof err), 0);
		{
			long long sorted[401];
			int m = n + 1;
			double expected;
			memcpy(sorted, took, sizeof sorted[0] * (size_t)m);
			qsort(sorted, (size_t)m, sizeof sorted[0], compare_ll);
			expected = (double)(sorted[(m - 1) / 2] + sorted[m / 2]) / 2.0 / 86400.0;
			for (i = 0; i < 2; i++)
				if (fabs(f->s.total.period[i].median_days - expected) > 1e-9)
					fail_msg("%d cases: median %f, want %f", m, f->s.total.period[i].median_days, expected);
		}
	}
}

/* A fresh server: zeros, and nothing to divide. */
static void test_empty(void **state)
{
	fixture *f = *state;
	char err[300];
	assert_int_equal(srv_stats_compute(f->db, NOW, &f->s, err, sizeof err), 0);
	assert_int_equal(f->s.ncommunes, 0);
	check_row(&f->s.total, (want){ 0, 0, 0, NONE, NONE }, (want){ 0, 0, 0, NONE, NONE }, 0, "empty");
}

/* ---- the pages ---- */

static catalog *load_catalog(void)
{
	catalog *cat = malloc(sizeof *cat);
	char err[300];
	assert_non_null(cat);
	if (catalog_load("assets/catalog.json", cat, err, sizeof err) != 0) fail_msg("%s", err);
	return cat;
}

static int render(const fixture *f, const catalog *cat, const char *rest, int json, const char *language,
	const char *page, page_buf *out)
{
	stats_page_query q = { rest, json, language, page, NULL };
	return stats_page_render(&f->s, cat, &q, out);
}

static void test_page_routes(void **state)
{
	fixture *f = *state;
	catalog *cat = load_catalog();
	page_buf b = { 0 };
	static const char *const missing[] = { "/99999", "/2728", "/272800", "/abcde", "/", "/27280/x" };
	size_t i;
	compute(f);
	assert_int_equal(render(f, cat, "", 0, NULL, NULL, &b), 200);
	assert_non_null(strstr(b.data, "href=\"stats/27280\""));
	assert_non_null(strstr(b.data, "Xã Tân Hòa"));
	assert_non_null(strstr(b.data, "Xã 27295"));      /* no name: the code */
	assert_null(strstr(b.data, "<script"));
	assert_true(b.len < PAGE_SIZE_MAX);
	assert_int_equal(render(f, cat, "/27280", 0, "en", NULL, &b), 200);
	assert_non_null(strstr(b.data, "lang=\"en\""));
	assert_non_null(strstr(b.data, "Denunciation"));
	assert_non_null(strstr(b.data, "85.7%"));
	assert_int_equal(render(f, cat, "/27280", 0, NULL, NULL, &b), 200);
	assert_non_null(strstr(b.data, "85,7%"));
	assert_int_equal(render(f, cat, "/27290", 0, NULL, NULL, &b), 200);
	for (i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		assert_int_equal(render(f, cat, missing[i], 0, NULL, NULL, &b), 404);
		assert_int_equal(render(f, cat, missing[i], 1, NULL, NULL, &b), 404);
	}
	assert_int_equal(render(f, cat, "", 0, NULL, "2", &b), 404);
	assert_int_equal(render(f, cat, "", 0, NULL, "x", &b), 404);
	page_buf_free(&b);
	free(cat);
}

/* The JSON twin: hidden counts are null, rates rounded as the page shows them. */
static void test_json(void **state)
{
	fixture *f = *state;
	catalog *cat = load_catalog();
	page_buf b = { 0 };
	json_error_t je;
	json_t *root, *rows, *year;
	compute(f);
	assert_int_equal(render(f, cat, "/27280", 1, NULL, NULL, &b), 200);
	root = json_loads(b.data, 0, &je);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "commune"), "name")), "Xã Tân Hòa");
	rows = json_object_get(root, "categories");
	assert_int_equal(json_array_size(rows), 6);        /* every category of the catalog */
	year = json_object_get(json_object_get(root, "total"), "year");
	assert_int_equal(json_integer_value(json_object_get(year, "resolved")), 15);
	assert_true(fabs(json_real_value(json_object_get(year, "on_time_rate")) - 0.8) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(year, "median_days")) - 5.0) < 1e-9);
	assert_true(json_is_null(json_object_get(json_object_get(root, "total"), "overdue")));
	json_decref(root);
	assert_int_equal(render(f, cat, "", 1, NULL, NULL, &b), 200);
	root = json_loads(b.data, 0, &je);
	assert_non_null(root);
	assert_int_equal(json_array_size(json_object_get(root, "communes")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "total"), "overdue")), 4);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "periods"), "month") ?
		json_object_get(json_object_get(json_object_get(root, "periods"), "month"), "from") : NULL), "2026-11-01");
	json_decref(root);
	page_buf_free(&b);
	free(cat);
}

/* Many communes with the longest names: the list is split into pages, each
 * under the size limit. */
static void test_pages_of_communes(void **state)
{
	fixture *f = *state;
	catalog *cat = load_catalog();
	page_buf b = { 0 };
	unsigned char key[ENV_PK_BYTES] = { 0 };
	char err[300], name[128], code[12];
	int i, pages;
	for (i = 0; i < 100; i++) {
		work_commune c;
		memset(c.name, 0, sizeof c.name);
		snprintf(code, sizeof code, "%05d", 30000 + i);
		memset(name, 0, sizeof name);
		snprintf(name, sizeof name, "Xã Thượng Trạch Đồng Hới Quảng Bình Hương Khê Hà Tĩnh Nghĩa Đàn Nghệ An Lệ Thủy %d", i);
		memcpy(c.code, code, sizeof c.code - 1);
		c.code[5] = '\0';
		memcpy(c.name, name, sizeof c.name);
		c.remote = 0;
		assert_int_equal(srv_work_commune_set(f->db, &c, err, sizeof err), 0);
		snprintf(name, sizeof name, "%s-1", code);
		assert_int_equal(srv_db_kiosk_add(f->db, name, key, NOW - DAY, err, sizeof err), 0);
		add_resolved(f, code, "procedure", vn(2026, 11, 2, 9, 0, 0), 1234567, 1);
	}
	assert_int_equal(srv_stats_compute(f->db, NOW, &f->s, err, sizeof err), 0);
	pages = (100 + STATS_PAGE_ROWS - 1) / STATS_PAGE_ROWS;
	for (i = 1; i <= pages; i++) {
		char p[12];
		snprintf(p, sizeof p, "%d", i);
		assert_int_equal(render(f, cat, "", 0, "en", p, &b), 200);
		if (b.len >= PAGE_SIZE_MAX) fail_msg("page %d is %zu bytes", i, b.len);
	}
	snprintf(name, sizeof name, "%d", pages + 1);
	assert_int_equal(render(f, cat, "", 0, NULL, name, &b), 404);
	page_buf_free(&b);
	free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_communes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commune_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_lone_hidden_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kiosk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_median_random, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_of_communes, setup, teardown),
	};
	if (fx_words() != 0) return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
