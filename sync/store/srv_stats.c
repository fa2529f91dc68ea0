/* srv_stats: each commune's public figures (see srv_stats.h), whatever
 * backend keeps the rows.
 *
 * Three scans read the store (srv_be_scan), each once for every commune and category:
 * the requests received this year, those closed this year (with each
 * case's duration, for the medians) and the open ones past their deadline.
 * Their rows land in cells keyed by (commune, category), kept sorted so a
 * row finds its cell by binary search. Communes and the grand total are
 * sums of cells; medians are taken from the sorted durations of each. Only
 * then are the counts hidden, first each small one, then one more per
 * column where a total would give a lone hidden cell away. */
#include "srv_stats.h"
#include "srv_backend.h"
#include "srv_work.h"
#include "vntime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS_PER_DAY 86400.0
/* A kiosk's sync sends its requests in batches, one push each; its
 * commune's figures are computed once and given again for a minute instead
 * of costing a scan per push (0.07 s at 1M requests). */
#define FIGURES_TTL 60

/* The counts of one row, as columns: a table hides cells column by column. */
enum {
	F_RECEIVED_MONTH, F_RECEIVED_YEAR, F_RESOLVED_MONTH, F_RESOLVED_YEAR,
	F_ON_TIME_MONTH, F_ON_TIME_YEAR, F_OVERDUE, NFIGURES
};
static const int received_of[SRV_STATS_NPERIODS] = { F_RECEIVED_MONTH, F_RECEIVED_YEAR };
static const int resolved_of[SRV_STATS_NPERIODS] = { F_RESOLVED_MONTH, F_RESOLVED_YEAR };
static const int on_time_of[SRV_STATS_NPERIODS] = { F_ON_TIME_MONTH, F_ON_TIME_YEAR };

/* Seconds from receipt to closing of each case closed in a period. */
typedef struct {
	long long *v;
	size_t n, cap;
} durations;

typedef struct {
	char commune[6];
	char category[32];
	char name[128];
	long long raw[NFIGURES];
	long long shown[NFIGURES];   /* raw, or SRV_STATS_HIDDEN */
	durations took[SRV_STATS_NPERIODS];
	double median[SRV_STATS_NPERIODS];
} work_row;

#define HINTS 1024                   /* a power of two */

typedef struct {
	work_row *rows;
	int n, cap;
	/* Where a key was last found, by its hash: rows come in time order, so
	 * their keys jump about, and this saves most binary searches. Index + 1;
	 * cleared when a row is inserted and the indexes move. */
	int hint[HINTS];
} row_list;

typedef struct {
	row_list cells;              /* sorted by (commune, category) */
	row_list communes;           /* sorted by code */
	work_row total;
	long long start[SRV_STATS_NPERIODS];
	char today[11];
	int closed_only;             /* a kiosk's figures: resolved and on time, no medians */
} work;

/* ---- growing lists ---- */

static int durations_add(durations *d, long long seconds)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		long long *grown = realloc(d->v, cap * sizeof *grown);
		if (!grown) return -1;
		d->v = grown;
		d->cap = cap;
	}
	d->v[d->n++] = seconds < 0 ? 0 : seconds;   /* a kiosk clock ahead of the server's */
	return 0;
}

static int durations_append(durations *d, const durations *more)
{
	size_t i;
	for (i = 0; i < more->n; i++)
		if (durations_add(d, more->v[i]) != 0) return -1;
	return 0;
}

static void row_free(work_row *r)
{
	int p;
	for (p = 0; p < SRV_STATS_NPERIODS; p++) free(r->took[p].v);
}

static void list_free(row_list *l)
{
	int i;
	for (i = 0; i < l->n; i++) row_free(&l->rows[i]);
	free(l->rows);
	memset(l, 0, sizeof *l);
}

static void work_free(work *w)
{
	list_free(&w->cells);
	list_free(&w->communes);
	row_free(&w->total);
}

static int row_compare(const char *commune, const char *category, const work_row *r)
{
	int c = strcmp(commune, r->commune);
	return c ? c : strcmp(category, r->category);
}

/* Binary search: 1 with *at the row of (commune, category), or 0 with *at
 * where it would go. */
static int row_search(const row_list *l, const char *commune, const char *category, int *at)
{
	int lo = 0, hi = l->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, c = row_compare(commune, category, &l->rows[mid]);
		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0) hi = mid;
		else lo = mid + 1;
	}
	*at = lo;
	return 0;
}

/* The row of (commune, category), inserted in order when new; NULL when out
 * of memory. */
static unsigned key_hash(const char *commune, const char *category)
{
	unsigned h = 2166136261u;        /* FNV-1a */
	for (; *commune; commune++) h = (h ^ (unsigned char)*commune) * 16777619u;
	for (; *category; category++) h = (h ^ (unsigned char)*category) * 16777619u;
	return h & (HINTS - 1);
}

static work_row *row_at(row_list *l, const char *commune, const char *category)
{
	unsigned h = key_hash(commune, category);
	int lo = l->hint[h] - 1;
	if (lo >= 0 && row_compare(commune, category, &l->rows[lo]) == 0) return &l->rows[lo];
	if (row_search(l, commune, category, &lo)) {
		l->hint[h] = lo + 1;
		return &l->rows[lo];
	}
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		work_row *grown = realloc(l->rows, (size_t)cap * sizeof *grown);
		if (!grown) return NULL;
		l->rows = grown;
		l->cap = cap;
	}
	memmove(&l->rows[lo + 1], &l->rows[lo], (size_t)(l->n - lo) * sizeof *l->rows);
	memset(l->hint, 0, sizeof l->hint);
	l->n++;
	memset(&l->rows[lo], 0, sizeof l->rows[lo]);
	snprintf(l->rows[lo].commune, sizeof l->rows[lo].commune, "%s", commune);
	snprintf(l->rows[lo].category, sizeof l->rows[lo].category, "%s", category);
	return &l->rows[lo];
}

/* ---- reading the store ---- */

static int add_received(void *arg, const char *commune, const char *category, int in_month)
{
	work *w = arg;
	work_row *r = row_at(&w->cells, commune, category);
	if (!r) return -1;
	r->raw[F_RECEIVED_YEAR]++;
	r->raw[F_RECEIVED_MONTH] += in_month != 0;
	return 0;
}

static int add_closed(void *arg, const char *commune, const char *category, int in_month, int on_time,
	long long took)
{
	work *w = arg;
	work_row *r = row_at(&w->cells, commune, category);
	int keep_durations = !w->closed_only;
	if (!r) return -1;
	on_time = on_time != 0;
	r->raw[F_RESOLVED_YEAR]++;
	r->raw[F_ON_TIME_YEAR] += on_time;
	if (keep_durations && durations_add(&r->took[SRV_STATS_YEAR], took) != 0) return -1;
	if (!in_month) return 0;
	r->raw[F_RESOLVED_MONTH]++;
	r->raw[F_ON_TIME_MONTH] += on_time;
	return keep_durations ? durations_add(&r->took[SRV_STATS_MONTH], took) : 0;
}

static int add_overdue(void *arg, const char *commune, const char *category)
{
	work *w = arg;
	work_row *r = row_at(&w->cells, commune, category);
	if (!r) return -1;
	r->raw[F_OVERDUE]++;
	return 0;
}

static const srv_be_sink sink = { add_received, add_closed, add_overdue };

static int add_named_commune(const work_commune *c, void *arg)
{
	work_row *r = row_at(arg, c->code, "");
	if (!r) return -1;
	snprintf(r->name, sizeof r->name, "%s", c->name);
	return 0;
}

/* ---- sums and medians ---- */

static int add_into(work_row *into, const work_row *r)
{
	int f, p;
	for (f = 0; f < NFIGURES; f++) into->raw[f] += r->raw[f];
	for (p = 0; p < SRV_STATS_NPERIODS; p++)
		if (durations_append(&into->took[p], &r->took[p]) != 0) return -1;
	return 0;
}

/* Communes (with names, and also those that have no request) and the grand
 * total, from the cells. */
static int sum_communes(srv_db *d, work *w, char *err, size_t errlen)
{
	int i;
	if (srv_work_communes(d, add_named_commune, &w->communes, err, errlen) != 0) return -1;
	for (i = 0; i < w->cells.n; i++) {
		work_row *c = row_at(&w->communes, w->cells.rows[i].commune, "");
		if (!c || add_into(c, &w->cells.rows[i]) != 0 || add_into(&w->total, &w->cells.rows[i]) != 0) {
			snprintf(err, errlen, "computing the figures: out of memory");
			return -1;
		}
	}
	return 0;
}

static void swap(long long *a, long long *b)
{
	long long t = *a;
	*a = *b;
	*b = t;
}

/* Moves the k-th smallest of v[0..n) to v[k], smaller ones before it and
 * larger after (Hoare's selection, in linear time on average: sorting every
 * commune's durations again for their middle was most of the work). */
static void select_kth(long long *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
		long long pivot;
		if (v[mid] < v[lo]) swap(&v[mid], &v[lo]);
		if (v[hi] < v[lo]) swap(&v[hi], &v[lo]);
		if (v[hi] < v[mid]) swap(&v[hi], &v[mid]);
		pivot = v[mid];
		while (i <= j) {
			while (v[i] < pivot) i++;
			while (v[j] > pivot) j--;
			if (i <= j) {
				swap(&v[i], &v[j]);
				i++;
				if (j == 0) break;
				j--;
			}
		}
		if (k <= j) hi = j;
		else if (k >= i) lo = i;
		else return;
	}
}

static void take_medians(work_row *r)
{
	int p;
	for (p = 0; p < SRV_STATS_NPERIODS; p++) {
		durations *d = &r->took[p];
		long long low, high;
		size_t i;
		if (d->n == 0) {
			r->median[p] = SRV_STATS_NONE;
			continue;
		}
		/* The two middle values (the same one when n is odd): the lower
		 * by selection, the upper as the least of what lies above it. */
		select_kth(d->v, d->n, (d->n - 1) / 2);
		low = high = d->v[(d->n - 1) / 2];
		if (d->n % 2 == 0) {
			high = d->v[d->n / 2];
			for (i = d->n / 2; i < d->n; i++)
				if (d->v[i] < high) high = d->v[i];
		}
		r->median[p] = (double)(low + high) / 2.0 / SECONDS_PER_DAY;
	}
}

/* ---- hiding ---- */

static void hide_small(work_row *r)
{
	int f;
	for (f = 0; f < NFIGURES; f++)
		r->shown[f] = r->raw[f] > 0 && r->raw[f] < SRV_STATS_MIN ? SRV_STATS_HIDDEN : r->raw[f];
}

/* A table's rows add up to its total, so in each column the hidden cells,
 * counting the total among them, must not be exactly one: that one would be
 * the total minus the rest (or the sum of the rest). Then hide the smallest
 * other cell that is not zero (a zero hides nothing). With none left, the
 * hidden cell is the whole total, which is then small and hidden itself. */
static void hide_lone_cells(work_row *rows, int n, const work_row *total)
{
	int f, i;
	for (f = 0; f < NFIGURES; f++) {
		int hidden = total->shown[f] == SRV_STATS_HIDDEN, smallest = -1;
		for (i = 0; i < n; i++) {
			if (rows[i].shown[f] == SRV_STATS_HIDDEN) hidden++;
			else if (rows[i].shown[f] > 0 && (smallest < 0 || rows[i].shown[f] < rows[smallest].shown[f]))
				smallest = i;
		}
		if (hidden == 1 && smallest >= 0) rows[smallest].shown[f] = SRV_STATS_HIDDEN;
	}
}

/* The finished row: shown counts, and the rate and median only where what
 * they come from is shown. */
static void publish(const work_row *w, srv_stats_row *out)
{
	int p;
	memset(out, 0, sizeof *out);
	snprintf(out->commune, sizeof out->commune, "%s", w->commune);
	snprintf(out->category, sizeof out->category, "%s", w->category);
	snprintf(out->name, sizeof out->name, "%s", w->name);
	for (p = 0; p < SRV_STATS_NPERIODS; p++) {
		srv_stats_figures *f = &out->period[p];
		long long resolved = w->raw[resolved_of[p]];
		f->received = w->shown[received_of[p]];
		f->resolved = w->shown[resolved_of[p]];
		f->on_time = w->shown[on_time_of[p]];
		if (resolved == 0) {
			f->rate = f->median_days = SRV_STATS_NONE;
			continue;
		}
		f->rate = f->resolved == SRV_STATS_HIDDEN || f->on_time == SRV_STATS_HIDDEN ? SRV_STATS_HIDDEN :
			(double)w->raw[on_time_of[p]] / (double)resolved;
		f->median_days = f->resolved == SRV_STATS_HIDDEN ? SRV_STATS_HIDDEN : w->median[p];
	}
	out->overdue = w->shown[F_OVERDUE];
}

static void hide_all(work *w)
{
	int i, j;
	hide_small(&w->total);
	for (i = 0; i < w->communes.n; i++) hide_small(&w->communes.rows[i]);
	for (i = 0; i < w->cells.n; i++) hide_small(&w->cells.rows[i]);
	hide_lone_cells(w->communes.rows, w->communes.n, &w->total);
	/* Each commune's categories, beside its total as the communes' table
	 * shows it: a total hidden there must stay hidden here. */
	for (i = 0; i < w->cells.n; i = j) {
		int total;
		for (j = i; j < w->cells.n && strcmp(w->cells.rows[j].commune, w->cells.rows[i].commune) == 0; j++) {}
		if (row_search(&w->communes, w->cells.rows[i].commune, "", &total))
			hide_lone_cells(&w->cells.rows[i], j - i, &w->communes.rows[total]);
	}
}

/* ---- the snapshot ---- */

static int period_starts(long long now, work *w, srv_stats *out, char *err, size_t errlen)
{
	cal_date today = vntime_date(now), first = today;
	if (today.year < 1 || today.year > 9999) {
		snprintf(err, errlen, "computing the figures: the time %lld is out of range", now);
		return -1;
	}
	out->year = today.year;
	out->month = today.month;
	cal_date_format(today, out->today);
	memcpy(w->today, out->today, sizeof w->today);
	first.day = 1;
	w->start[SRV_STATS_MONTH] = vntime_day_start(first);
	first.month = 1;
	w->start[SRV_STATS_YEAR] = vntime_day_start(first);
	return 0;
}

static int publish_list(const row_list *l, srv_stats_row **out)
{
	int i;
	*out = calloc((size_t)(l->n ? l->n : 1), sizeof **out);
	if (!*out) return -1;
	for (i = 0; i < l->n; i++) publish(&l->rows[i], &(*out)[i]);
	return 0;
}

/* All the figures, or (closed_only) just the resolved and on-time counts:
 * each column is hidden by its own values only, so those come out exactly
 * as in the full snapshot, for a fifth of the work. */
static int compute(srv_db *d, long long now, int closed_only, srv_stats *out, char *err, size_t errlen)
{
	work w;
	int i, rc = -1;
	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.closed_only = closed_only;
	out->computed_at = now;
	if (period_starts(now, &w, out, err, errlen) != 0) return -1;
	if (srv_be_scan(d, w.start[SRV_STATS_MONTH], w.start[SRV_STATS_YEAR], w.today, closed_only, &sink, &w,
			err, errlen) == 0)
		rc = sum_communes(d, &w, err, errlen);
	if (rc != 0) goto done;
	take_medians(&w.total);
	for (i = 0; i < w.communes.n; i++) take_medians(&w.communes.rows[i]);
	for (i = 0; i < w.cells.n; i++) take_medians(&w.cells.rows[i]);
	hide_all(&w);
	publish(&w.total, &out->total);
	if (publish_list(&w.communes, &out->communes) != 0 || publish_list(&w.cells, &out->cells) != 0) {
		snprintf(err, errlen, "computing the figures: out of memory");
		srv_stats_free(out);
		rc = -1;
		goto done;
	}
	out->ncommunes = w.communes.n;
	out->ncells = w.cells.n;
done:
	work_free(&w);
	return rc;
}

static int compute_queue(srv_db *d, long long now, srv_stats *s, char *err, size_t errlen);

int srv_stats_compute(srv_db *d, long long now, srv_stats *out, char *err, size_t errlen)
{
	if (compute(d, now, 0, out, err, errlen) != 0) return -1;
	if (compute_queue(d, now, out, err, errlen) != 0 || srv_stats_compute_ratings(d, out, err, errlen) != 0 ||
	    srv_stats_compute_trend(d, now, out, err, errlen) != 0) {
		srv_stats_free(out);
		return -1;
	}
	return 0;
}

void srv_stats_free(srv_stats *s)
{
	free(s->communes);
	free(s->cells);
	free(s->queue);
	free(s->ratings);
	free(s->trend);
	s->trend = NULL;
	s->ntrend = 0;
	s->communes = s->cells = NULL;
	s->queue = NULL;
	s->ratings = NULL;
	s->nratings = 0;
	s->ncommunes = s->ncells = s->nqueue = 0;
}

int srv_stats_commune(const srv_stats *s, const char *code, const srv_stats_row **total,
	const srv_stats_row **rows, int *nrows)
{
	int i, first = -1, n = 0;
	*total = NULL;
	*rows = NULL;
	*nrows = 0;
	for (i = 0; i < s->ncommunes && !*total; i++)
		if (strcmp(s->communes[i].commune, code) == 0) *total = &s->communes[i];
	if (!*total) return 0;
	for (i = 0; i < s->ncells; i++) {
		if (strcmp(s->cells[i].commune, code) != 0) continue;
		if (first < 0) first = i;
		n++;
	}
	*rows = first >= 0 ? &s->cells[first] : NULL;
	*nrows = n;
	return 1;
}

int srv_stats_kiosk(srv_db *d, const char *commune, long long now, proto_stats *out,
	char *err, size_t errlen)
{
	srv_stats s;
	const srv_stats_row *total, *rows;
	int nrows;
	memset(out, 0, sizeof *out);
	if (compute(d, now, 1, &s, err, errlen) != 0) return -1;
	out->known = 1;
	out->year = s.year;
	if (srv_stats_commune(&s, commune, &total, &rows, &nrows) == 1) {
		out->resolved = total->period[SRV_STATS_YEAR].resolved;
		out->on_time = total->period[SRV_STATS_YEAR].on_time;
	}
	srv_stats_free(&s);
	return 0;
}

int srv_stats_kiosk_cached(srv_db *d, const char *commune, long long now, proto_stats *out,
	char *err, size_t errlen)
{
	srv_be_figures *f = srv_be_figures_of(d);
	long long version = srv_be_data_version(d);
	if (f->have && strcmp(commune, f->commune) == 0 && now >= f->at && now - f->at < FIGURES_TTL &&
	    version >= 0 && version == f->version) {
		*out = f->figures;
		return 0;
	}
	if (srv_stats_kiosk(d, commune, now, out, err, errlen) != 0) return -1;
	f->have = 1;
	snprintf(f->commune, sizeof f->commune, "%s", commune);
	f->at = now;
	f->version = version;
	f->figures = *out;
	return 0;
}

/* ---- the office's queue ---- */

static int queue_each(const srv_be_queue_row *r, void *arg)
{
	srv_stats *s = arg;
	srv_stats_queue_row *o, *grown;
	if (s->nqueue % 64 == 0) {
		if (!(grown = realloc(s->queue, (size_t)(s->nqueue + 64) * sizeof *s->queue))) return 1;
		s->queue = grown;
	}
	o = &s->queue[s->nqueue++];
	memset(o, 0, sizeof *o);
	memcpy(o->commune, r->commune, sizeof o->commune);
	memcpy(o->field, r->field, sizeof o->field);
	o->counter = r->counter;
	if (r->served < SRV_STATS_MIN) {
		o->served = o->skipped = o->wait_avg = o->wait_max = o->service_avg = SRV_STATS_HIDDEN;
		return 0;
	}
	o->served = r->served;
	o->skipped = r->skipped;
	o->wait_avg = (r->wait_total + (r->served + r->skipped) / 2) / (r->served + r->skipped);
	o->wait_max = r->wait_max;
	o->service_avg = (r->service_total + r->served / 2) / r->served;
	return 0;
}

static int compute_queue(srv_db *d, long long now, srv_stats *s, char *err, size_t errlen)
{
	char from[11];
	cal_date_format(vntime_date(now - (long long)(SRV_STATS_QUEUE_DAYS - 1) * 86400), from);
	return srv_be_queue(d, from, queue_each, s, err, errlen);
}

int srv_stats_queue_of(const srv_stats *s, const char *code, const srv_stats_queue_row **rows, int *nrows)
{
	int i, first = -1, n = 0;
	for (i = 0; i < s->nqueue; i++) {
		if (strcmp(s->queue[i].commune, code) != 0) continue;
		if (first < 0) first = i;
		n++;
	}
	*rows = first >= 0 ? &s->queue[first] : NULL;
	*nrows = n;
	return n;
}
