/* srv_stats_rating: the public figures' satisfaction ratings (see
 * srv_stats.h): this year's ratings counted per commune, work field and
 * counter by the store (srv_rating_rows), each row's shares worked out
 * here, a row under SRV_STATS_MIN shown as nothing at all. */
#include "srv_stats.h"
#include "srv_rating.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rating_each(const srv_rating_row *r, void *arg)
{
	srv_stats *s = arg;
	srv_stats_rating_row *o, *grown;
	int k;
	if (s->nratings % 64 == 0) {
		if (!(grown = realloc(s->ratings, (size_t)(s->nratings + 64) * sizeof *s->ratings))) return 1;
		s->ratings = grown;
	}
	o = &s->ratings[s->nratings++];
	memset(o, 0, sizeof *o);
	memcpy(o->commune, r->commune, sizeof o->commune);
	memcpy(o->field, r->field, sizeof o->field);
	o->counter = r->counter;
	o->neither = r->neither;
	o->n = r->n < SRV_STATS_MIN ? SRV_STATS_HIDDEN : r->n;
	for (k = 0; k < PROTO_RATING_CRITERIA; k++)
		o->satisfied_pct[k] = r->n < SRV_STATS_MIN ? SRV_STATS_HIDDEN : (int)((r->satisfied[k] * 100 + r->n / 2) / r->n);
	return 0;
}

int srv_stats_compute_ratings(srv_db *d, srv_stats *s, char *err, size_t errlen)
{
	char from[11];
	snprintf(from, sizeof from, "%04d-01-01", s->year);
	return srv_rating_rows(d, from, 0, rating_each, s, err, errlen);
}

int srv_stats_ratings_of(const srv_stats *s, const char *code, const srv_stats_rating_row **rows, int *nrows)
{
	int i, first = -1, n = 0;
	for (i = 0; i < s->nratings; i++) {
		if (strcmp(s->ratings[i].commune, code) != 0) continue;
		if (first < 0) first = i;
		n++;
	}
	*rows = first >= 0 ? &s->ratings[first] : NULL;
	*nrows = n;
	return n;
}
