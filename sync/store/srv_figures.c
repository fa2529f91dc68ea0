/* srv_figures: the figures computed once for all processes and threads on
 * one store (see srv_figures.h): the shared copy read and checked, the
 * claim, the compute, and the bytes of the figures in and out.
 *
 * The copy is the srv_stats struct and its three arrays as they lie in
 * memory, after a header with the sizes of each struct and a byte-order
 * mark: a reader whose program lays them out differently (another version
 * or machine) finds the header unlike its own and computes the figures
 * itself. The bytes travel as base64 in the meta table's text column. */
#include "srv_figures.h"
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x4d434631u            /* "MCF1" */
#define ORDER 0x01020304u
#define MAX_ROWS (1u << 22)          /* far past 3,321 communes times their categories */

typedef struct {
	uint32_t magic, order, stats_size, row_size, queue_size;
	uint32_t ncommunes, ncells, nqueue;
} header;

static char *encode(const srv_stats *s)
{
	header h = { MAGIC, ORDER, (uint32_t)sizeof(srv_stats), (uint32_t)sizeof(srv_stats_row),
		(uint32_t)sizeof(srv_stats_queue_row), (uint32_t)s->ncommunes, (uint32_t)s->ncells, (uint32_t)s->nqueue };
	size_t rows = (size_t)s->ncommunes + (size_t)s->ncells, len, b64;
	unsigned char *bin, *p;
	srv_stats plain = *s;
	char *out;
	len = sizeof h + sizeof plain + rows * sizeof(srv_stats_row) + (size_t)s->nqueue * sizeof(srv_stats_queue_row);
	if (!(bin = malloc(len))) return NULL;
	/* The pointers mean nothing in another process: written as NULL. */
	plain.communes = plain.cells = NULL;
	plain.queue = NULL;
	p = bin;
	memcpy(p, &h, sizeof h);
	p += sizeof h;
	memcpy(p, &plain, sizeof plain);
	p += sizeof plain;
	if (s->ncommunes) memcpy(p, s->communes, (size_t)s->ncommunes * sizeof(srv_stats_row));
	p += (size_t)s->ncommunes * sizeof(srv_stats_row);
	if (s->ncells) memcpy(p, s->cells, (size_t)s->ncells * sizeof(srv_stats_row));
	p += (size_t)s->ncells * sizeof(srv_stats_row);
	if (s->nqueue) memcpy(p, s->queue, (size_t)s->nqueue * sizeof(srv_stats_queue_row));
	b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if ((out = malloc(b64))) sodium_bin2base64(out, b64, bin, len, sodium_base64_VARIANT_ORIGINAL);
	free(bin);
	return out;
}

/* A copy of n rows of size each from p, or NULL for none; 0 or -1. */
static int take(void **to, const unsigned char *p, size_t n, size_t size)
{
	*to = NULL;
	if (n == 0) return 0;
	if (!(*to = malloc(n * size))) return -1;
	memcpy(*to, p, n * size);
	return 0;
}

/* The figures from value into out (empty when not: 0 or -1). */
static int decode(const char *value, srv_stats *out)
{
	size_t cap = strlen(value) / 4 * 3 + 3, len = 0, want;
	unsigned char *bin;
	const unsigned char *p;
	header h;
	void *communes = NULL, *cells = NULL, *queue = NULL;
	int ok = 0;
	memset(out, 0, sizeof *out);
	if (!(bin = malloc(cap))) return -1;
	if (sodium_base642bin(bin, cap, value, strlen(value), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len < sizeof h)
		goto done;
	memcpy(&h, bin, sizeof h);
	if (h.magic != MAGIC || h.order != ORDER || h.stats_size != sizeof(srv_stats) ||
	    h.row_size != sizeof(srv_stats_row) || h.queue_size != sizeof(srv_stats_queue_row) ||
	    h.ncommunes > MAX_ROWS || h.ncells > MAX_ROWS || h.nqueue > MAX_ROWS)
		goto done;
	want = sizeof h + sizeof(srv_stats) + ((size_t)h.ncommunes + h.ncells) * sizeof(srv_stats_row) +
		(size_t)h.nqueue * sizeof(srv_stats_queue_row);
	if (len != want) goto done;
	p = bin + sizeof h + sizeof(srv_stats);
	if (take(&communes, p, h.ncommunes, sizeof(srv_stats_row)) != 0 ||
	    take(&cells, p + (size_t)h.ncommunes * sizeof(srv_stats_row), h.ncells, sizeof(srv_stats_row)) != 0 ||
	    take(&queue, p + ((size_t)h.ncommunes + h.ncells) * sizeof(srv_stats_row), h.nqueue,
	         sizeof(srv_stats_queue_row)) != 0)
		goto done;
	memcpy(out, bin + sizeof h, sizeof *out);
	out->communes = communes;
	out->cells = cells;
	out->queue = queue;
	out->ncommunes = (int)h.ncommunes;
	out->ncells = (int)h.ncells;
	out->nqueue = (int)h.nqueue;
	communes = cells = queue = NULL;
	ok = 1;
done:
	free(communes);
	free(cells);
	free(queue);
	free(bin);
	if (!ok) memset(out, 0, sizeof *out);
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
