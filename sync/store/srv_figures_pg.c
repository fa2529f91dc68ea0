/* srv_figures_pg: the PostgreSQL backend's part of the shared figures
 * (srv_figures.h), the same two meta rows as SQLite's. The claim is one
 * upsert: of two processes claiming at once, the second waits on the row
 * the first changed and then finds its condition false, so one computes. */
#include "srv_figures.h"
#include "srv_pg_int.h"
#include <stdlib.h>
#include <string.h>

int srv_pg_figures_load(srv_db *d, long long *at, char **value)
{
	PGresult *r = srv_pg_q(d, SP_FIGURES_LOAD, "SELECT value FROM meta WHERE key = 'figures'", NULL);
	const char *text, *colon;
	int result = 0;
	*value = NULL;
	*at = 0;
	if (!r) return -1;
	if (PQntuples(r) == 1 && (colon = strchr(text = PQgetvalue(r, 0, 0), ':'))) {
		*at = atoll(text);
		result = (*value = strdup(colon + 1)) ? 1 : -1;
	}
	PQclear(r);
	return result;
}

int srv_pg_figures_claim(srv_db *d, long long now, int lease)
{
	pg_args a = { 0 };
	long long n;
	pa_i(&a, now);
	pa_i(&a, now - lease);
	/* A claim from the future (the clock was set back) is stale too. */
	n = srv_pg_cmd(d, SP_FIGURES_CLAIM, "INSERT INTO meta(key, value) VALUES('figures_claim', $1::bigint::text)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value"
		" WHERE meta.value::bigint <= $2::bigint OR meta.value::bigint > $1::bigint", &a);
	return n < 0 ? -1 : n == 1 ? 1 : 0;
}

int srv_pg_figures_store(srv_db *d, long long at, const char *value)
{
	pg_args a = { 0 };
	pa_i(&a, at);
	pa_t(&a, value);
	return srv_pg_cmd(d, SP_FIGURES_STORE, "INSERT INTO meta(key, value) VALUES('figures', $1::bigint::text || ':' || $2::text)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value", &a) < 0 ? -1 : 0;
}
