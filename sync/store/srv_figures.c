/* srv_figures: the figures computed once for all processes and threads on
 * one store (see srv_figures.h): the shared copy read and checked, the
 * claim, the compute, and the bytes of the figures in and out.
 *
 * The copy is the srv_stats struct and its arrays as they lie in memory,
 * after a header with the size of the struct and of each array's rows and
 * a byte-order mark: a reader whose program lays them out differently
 * (another version or machine) finds the header unlike its own and
 * computes the figures itself. Every array is named once, in the table
 * below, so one added to srv_stats is written and read by adding one line
 * (and a srv_stats grown without it fails test_figures' round trip). The
 * bytes travel as base64 in the meta table's text column. */
#include "srv_figures.h"
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x4d434632u            /* "MCF2" */
#define ORDER 0x01020304u
#define MAX_ROWS (1u << 22)          /* far past 3,321 communes times their categories */

/* An array of srv_stats: where its pointer and its count lie, its row size. */
typedef struct {
	size_t rows, count, size;
} array;

#define ARRAY(rows, count, type) { offsetof(srv_stats, rows), offsetof(srv_stats, count), sizeof(type) }
static const array arrays[] = {
	ARRAY(communes, ncommunes, srv_stats_row),
	ARRAY(cells, ncells, srv_stats_row),
	ARRAY(queue, nqueue, srv_stats_queue_row),
	ARRAY(ratings, nratings, srv_stats_rating_row),
	ARRAY(trend, ntrend, srv_stats_month_row),
};
#define NARRAYS (sizeof arrays / sizeof arrays[0])

typedef struct {
	uint32_t magic, order, stats_size;
	uint32_t size[NARRAYS], count[NARRAYS];
} header;

static void **rows_of(srv_stats *s, const array *a) { return (void **)((char *)s + a->rows); }
static int *count_of(srv_stats *s, const array *a) { return (int *)((char *)s + a->count); }

static char *encode(const srv_stats *s)
{
	header h = { MAGIC, ORDER, (uint32_t)sizeof(srv_stats), { 0 }, { 0 } };
	srv_stats plain = *s;
	size_t len = sizeof h + sizeof plain, b64, i, n;
	unsigned char *bin, *p;
	char *out;
	for (i = 0; i < NARRAYS; i++) {
		h.size[i] = (uint32_t)arrays[i].size;
		h.count[i] = (uint32_t)*count_of(&plain, &arrays[i]);
		len += (size_t)h.count[i] * arrays[i].size;
	}
	if (!(bin = malloc(len))) return NULL;
	memcpy(bin, &h, sizeof h);
	p = bin + sizeof h + sizeof plain;
	for (i = 0; i < NARRAYS; i++) {
		n = (size_t)h.count[i] * arrays[i].size;
		if (n) memcpy(p, *rows_of(&plain, &arrays[i]), n);
		p += n;
		/* The pointers mean nothing in another process: written as NULL. */
		*rows_of(&plain, &arrays[i]) = NULL;
	}
	memcpy(bin + sizeof h, &plain, sizeof plain);
	b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if ((out = malloc(b64))) sodium_bin2base64(out, b64, bin, len, sodium_base64_VARIANT_ORIGINAL);
	free(bin);
	return out;
}

/* The figures from value into out (empty when not: 0 or -1). */
static int decode(const char *value, srv_stats *out)
{
	size_t cap = strlen(value) / 4 * 3 + 3, len = 0, want, i, n;
	unsigned char *bin;
	const unsigned char *p;
	header h;
	int ok = 0;
	memset(out, 0, sizeof *out);
	if (!(bin = malloc(cap))) return -1;
	if (sodium_base642bin(bin, cap, value, strlen(value), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len < sizeof h + sizeof *out)
		goto done;
	memcpy(&h, bin, sizeof h);
	if (h.magic != MAGIC || h.order != ORDER || h.stats_size != sizeof(srv_stats)) goto done;
	want = sizeof h + sizeof *out;
	for (i = 0; i < NARRAYS; i++) {
		if (h.size[i] != arrays[i].size || h.count[i] > MAX_ROWS) goto done;
		want += (size_t)h.count[i] * arrays[i].size;
	}
	if (len != want) goto done;
	memcpy(out, bin + sizeof h, sizeof *out);
	p = bin + sizeof h + sizeof *out;
	for (i = 0; i < NARRAYS; i++) {
		void **rows = rows_of(out, &arrays[i]);
		n = (size_t)h.count[i] * arrays[i].size;
		*rows = NULL;
		*count_of(out, &arrays[i]) = (int)h.count[i];
		if (n && !(*rows = malloc(n))) {
			/* The rows not yet taken still hold the writer's pointers. */
			for (; i < NARRAYS; i++) *rows_of(out, &arrays[i]) = NULL;
			goto done;
		}
		if (n) memcpy(*rows, p, n);
		p += n;
	}
	ok = 1;
done:
	free(bin);
	if (!ok) {
		srv_stats_free(out);
		memset(out, 0, sizeof *out);
	}
	return ok ? 0 : -1;
}

int srv_figures_get(srv_db *d, long long now, int ttl, srv_stats *out, int *shared, char *err, size_t errlen)
{
	long long at = 0;
	char *value = NULL;
	int have = 0, claim;
	if (shared) *shared = 0;
	memset(out, 0, sizeof *out);
	if (srv_figures_load(d, &at, &value) == 1 && decode(value, out) == 0) have = 1;
	free(value);
	if (have && now >= at && now - at < ttl) {
		if (shared) *shared = 1;
		return 0;
	}
	claim = srv_figures_claim(d, now, SRV_FIGURES_LEASE);
	/* Another caller is computing: the last figures meanwhile, unless they
	 * are older than it may take (it died, or the store was stopped). */
	if (claim == 0 && have && now >= at && now - at < ttl + SRV_FIGURES_LEASE) {
		if (shared) *shared = 1;
		return 0;
	}
	if (have) srv_stats_free(out);
	if (srv_stats_compute(d, now, out, err, errlen) != 0) return -1;
	/* Not stored when the claim was not had: a second writer would only
	 * overwrite the same minute's figures. */
	if (claim == 1 && (value = encode(out))) {
		srv_figures_store(d, now, value);
		free(value);
	}
	return 0;
}
