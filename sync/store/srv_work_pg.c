/* srv_work_pg: the PostgreSQL backend of the officials' work (srv_work.h,
 * and srv_be_act, srv_be_record_status of srv_backend.h).
 *
 * An action is one transaction: the kiosk's event lock first (srv_db_pg.c
 * says why), then the request's row locked (SELECT ... FOR UPDATE) while
 * the rules decide, then the event, the request and the audit row. The
 * inbox builds one text per combination of filters, as the SQLite backend
 * does, each prepared once per connection, and reads its counts and its
 * page in one REPEATABLE READ snapshot; its counts stop at a cap, a
 * search of common words walks the list's order, a search in one commune
 * reads the commune's range of find_key and a search's total is counted
 * from find_key, as srv_inbox_sqlite.c says. The audit log, officers' communes,
 * communes and conferences are srv_work_lists_pg.c. */
#include "srv_pg_int.h"
#include "status.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $2 is the commune's date in every statement that reads items. */
#define OVERDUE_PG STATUS_OVERDUE_PG_SQL("$2::text")
#define ITEM_COLS "id, token, commune, category, procedure, received_at, coalesce(accepted_at, 0)," \
	" coalesce(closed_at, 0), due, status, updated_at, " OVERDUE_PG "::int, complexity," \
	" extensions, apologies, forwarded_to, coalesce(conference_id, 0), trust, trust_note," \
	" assignee, dossier, appointment"
#define ITEM_NCOLS 22

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static void vn_today(long long now, char out[11])
{
	cal_date_format(vntime_date(now), out);
}

/* ---- one request ---- */

static int read_item(const PGresult *r, int row, work_item *it)
{
	memset(it, 0, sizeof *it);
	it->received_at = srv_pg_ll(r, row, 5);
	it->accepted_at = srv_pg_ll(r, row, 6);
	it->closed_at = srv_pg_ll(r, row, 7);
	it->updated_at = srv_pg_ll(r, row, 10);
	it->overdue = (int)srv_pg_ll(r, row, 11);
	it->complexity = (int)srv_pg_ll(r, row, 12);
	it->extensions = (int)srv_pg_ll(r, row, 13);
	it->apologies = (int)srv_pg_ll(r, row, 14);
	it->conference_id = srv_pg_ll(r, row, 16);
	it->trust = (int)srv_pg_ll(r, row, 17);
	return srv_pg_copy(r, row, 0, it->id, sizeof it->id) | srv_pg_copy(r, row, 1, it->token, sizeof it->token) |
		srv_pg_copy(r, row, 2, it->commune, sizeof it->commune) |
		srv_pg_copy(r, row, 3, it->category, sizeof it->category) |
		srv_pg_copy(r, row, 4, it->procedure, sizeof it->procedure) | srv_pg_copy(r, row, 8, it->due, sizeof it->due) |
		srv_pg_copy(r, row, 9, it->status, sizeof it->status) |
		srv_pg_copy(r, row, 15, it->forwarded_to, sizeof it->forwarded_to) |
		srv_pg_copy(r, row, 18, it->trust_note, sizeof it->trust_note) |
		srv_pg_copy(r, row, 19, it->assignee, sizeof it->assignee) |
		srv_pg_copy(r, row, 20, it->dossier, sizeof it->dossier) |
		srv_pg_copy(r, row, 21, it->appointment, sizeof it->appointment);
}

static int get_by(srv_db *d, srv_pg_slot q, const char *sql, const char *key, const char *today, work_item *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, key);
	pa_t(&a, today);
	if (!(r = srv_pg_q(d, q, sql, &a))) return -1;
	rc = PQntuples(r) == 0 ? 0 : read_item(r, 0, out) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}

int srv_pg_work_get(srv_db *d, const char *id_or_token, long long now, work_item *out)
{
	char token[TOKEN_LEN + 1], today[11];
	int rc;
	vn_today(now, today);
	rc = get_by(d, SP_ITEM_BY_ID, "SELECT " ITEM_COLS " FROM request WHERE id = $1::text", id_or_token, today, out);
	if (rc != 0) return rc;
	if (token_parse(id_or_token, token) != TOKEN_OK) return 0;
	return get_by(d, SP_ITEM_BY_TOKEN, "SELECT " ITEM_COLS " FROM request WHERE token = $1::text ORDER BY id LIMIT 1",
		token, today, out);
}

/* ---- the inbox ---- */

/* A word in the request of id, one probe of find_key's primary key.
 * "OFFSET 0" keeps it a probe: without it PostgreSQL may hash every
 * request that holds the word first (a hashed subplan), which for a
 * common word reads a tenth of the store to fill one page. */
#define PROBE(w, id) "EXISTS (SELECT 1 FROM find_key WHERE hash = " w " AND request_id = " id " OFFSET 0)"
/* The second to fourth words; an unused word is "": no probe. */
#define WORD_IN(w, id) " AND (" w "::text = '' OR " PROBE(w, id) ")"
#define WORDS_OF(id) WORD_IN("$13", id) WORD_IN("$14", id) WORD_IN("$15", id)
/* The commune's part of find_key's primary key (ids are "<commune>-...",
 * and '.' follows '-' in the columns' C collation). */
#define IN_COMMUNE(id) " AND " id " > $1 || '-' AND " id " < $1 || '.'"
/* The requests a search finds by an exact hash or the dossier number. */
#define EXACT_SQL "SELECT request_id FROM find_key WHERE hash IN ($9, $10)" \
	" UNION SELECT id FROM request WHERE dossier = $11 AND dossier <> ''"

/* The filters' clauses, one bit each; $1 commune, $2 today, $3 category,
 * $4 status, $5 conference, $6 officer, $7 limit, $8 offset, $9 and $10
 * the exact hashes of a search, $11 its dossier number, $12 to $15 its
 * words, $16 the assignee, $17 the last day of "due within". Parameters a
 * combination does not use are still typed, in its first clause. */
static const char *const inbox_clauses[SRV_PG_INBOX_FILTERS] = {
	"commune = $1",
	"category = $3",
	"status = $4",
	"status NOT IN " STATUS_FINAL_SQL,
	OVERDUE_PG,
	"conference_id = $5",
	"commune IN (SELECT commune FROM officer_commune WHERE name = $6)",
	/* A search: the exact hashes, the dossier number, or every word, the
	 * rarest ($12) first, as the SQLite backend's (srv_inbox_sqlite.c). */
	"id IN (" EXACT_SQL " UNION SELECT request_id FROM find_key k WHERE hash = $12" WORDS_OF("k.request_id") ")",
	"assignee = $16",
	"assignee = ''",
	"closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL " AND due <> '' AND "
	STATUS_DUE_IN_FORCE_PG_SQL " <= $17",
	/* The same search for common words: each row of the list checked. */
	"(id IN (" EXACT_SQL ")"
	" OR (" PROBE("$12", "request.id") WORDS_OF("request.id") "))",
};

#define FIND_COLLECT 128u
#define FIND_WALK 2048u
#define FIND_BITS (FIND_COLLECT | FIND_WALK)
#define COMMUNE_BIT 1u
/* Not a filter: a search of two words or more in one commune (PAIRED). */
#define PAIR_BIT (1u << SRV_PG_INBOX_FILTERS)

/* The requests of one commune holding every word, as rows k of find_key:
 * the commune's ranges of the first two words merged on request_id (two
 * reads in the primary key's order), the others probed. Probing the
 * second word for each request of the first cost a descent of find_key
 * per request: at 1,000,000 stored, two common words in one commune were
 * 11,000 probes collected or 4,000 walked, against two ranges of 11,000
 * entries read in order. */
#define PAIRED "find_key k JOIN find_key k2 ON k2.request_id = k.request_id WHERE k.hash = $12" \
	IN_COMMUNE("k.request_id") " AND k2.hash = $13" IN_COMMUNE("k2.request_id") \
	WORD_IN("$14", "k.request_id") WORD_IN("$15", "k.request_id")

/* Collecting in one commune: the rarest word's requests in its range. */
static const char find_in_commune[] = "id IN (" EXACT_SQL " UNION SELECT request_id FROM find_key k"
	" WHERE hash = $12" IN_COMMUNE("k.request_id") WORDS_OF("k.request_id") ")";
/* The same of two words or more. */
static const char find_paired[] = "id IN (" EXACT_SQL " UNION SELECT k.request_id FROM " PAIRED ")";
/* Walking one commune's list for two common words: the requests holding
 * them, merged, hashed once, and each row of the list looked up in the
 * hash. The list's text (inbox_run_as) walks the index of the commune's
 * deadlines alone (request_commune_due_all holds every column the walk
 * reads: step 11), then reads the page's rows. */
static const char walk_paired[] = "(id IN (" EXACT_SQL ") OR id IN (SELECT k.request_id FROM " PAIRED "))";

/* The orders of work_sort, as the SQLite backend's. */
static const char *inbox_order(work_sort sort)
{
	static char by_status[512];
	static int made;
	size_t n;
	int i;
	switch (sort) {
	case WORK_SORT_RECEIVED:
		return "received_at DESC, id DESC";
	case WORK_SORT_STATUS:
		if (!made) {
			n = (size_t)snprintf(by_status, sizeof by_status, "CASE status");
			for (i = 0; status_names[i] && n < sizeof by_status; i++)
				n += (size_t)snprintf(by_status + n, sizeof by_status - n, " WHEN '%s' THEN %d", status_names[i], i);
			if (n < sizeof by_status)
				snprintf(by_status + n, sizeof by_status - n, " END, " STATUS_DUE_IN_FORCE_PG_SQL ", received_at, id");
			made = 1;
		}
		return by_status;
	default:
		return STATUS_DUE_IN_FORCE_PG_SQL ", received_at, id";
	}
}

static unsigned inbox_mask(const work_filter *f, int walk)
{
	int open_only = f->status && strcmp(f->status, "open") == 0, commune = f->commune && f->commune[0];
	return (commune && f->find && f->find->nwords > 1 ? PAIR_BIT : 0) | (commune ? 1u : 0) | (f->category && f->category[0] ? 2u : 0) |
		(f->status && f->status[0] && !open_only ? 4u : 0) | (open_only ? 8u : 0) |
		(f->overdue_only ? 16u : 0) | (f->conference_id > 0 ? 32u : 0) | (f->officer && f->officer[0] ? 64u : 0) |
		(f->find ? walk ? FIND_WALK : FIND_COLLECT : 0) | (f->assignee && f->assignee[0] ? 256u : 0) | (f->unassigned ? 512u : 0) |
		(f->due_within > 0 ? 1024u : 0);
}

/* What a counts statement reads, as the SQLite backend's: every row by
 * status, or up to a cap ($18) the rows, the open ones, the overdue ones,
 * a search's rows. */
enum { COUNT_NONE = -1, COUNT_BY_STATUS, COUNT_TOTAL, COUNT_OPEN, COUNT_OVERDUE, COUNT_FIND };

/* Runs the statement (or, stream set, sends it: srv_pg_named_stream, and
 * returns a non-NULL result to clear); NULL with err. */
static PGresult *inbox_run_as(srv_db *d, unsigned mask, int counts, work_sort sort, const pg_args *a, int stream,
	char *err, size_t errlen)
{
	static const char *const capped[] = { "", "", " AND closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL,
		" AND " OVERDUE_PG, "" };
	char where[2048], text[4096], name[32];
	size_t n;
	int i, len;
	PGresult *r;
	len = snprintf(where, sizeof where, "WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND $3::text IS NOT NULL"
		" AND $4::text IS NOT NULL AND $5::bigint IS NOT NULL AND $6::text IS NOT NULL AND $9::text IS NOT NULL"
		" AND $10::text IS NOT NULL AND $11::text IS NOT NULL AND $12::text IS NOT NULL AND $13::text IS NOT NULL"
		" AND $14::text IS NOT NULL AND $15::text IS NOT NULL AND $16::text IS NOT NULL AND $17::text IS NOT NULL"
		" AND $18::bigint IS NOT NULL");
	for (i = 0; i < SRV_PG_INBOX_FILTERS && len >= 0 && (size_t)len < sizeof where; i++) {
		const char *clause = inbox_clauses[i];
		if (!(mask & (1u << i)) || (counts == COUNT_FIND && (1u << i) & FIND_BITS)) continue;
		if ((1u << i) == FIND_COLLECT && (mask & COMMUNE_BIT))
			clause = mask & PAIR_BIT ? find_paired : find_in_commune;
		if ((1u << i) == FIND_WALK && (mask & PAIR_BIT)) clause = walk_paired;
		n = (size_t)len;
		len = snprintf(where + n, sizeof where - n, " AND %s", clause);
		if (len >= 0) len += (int)n;
	}
	if (len < 0 || (size_t)len >= sizeof where) goto too_long;
	if (counts == COUNT_FIND)
		/* As the SQLite backend's: those found exactly, then those
		 * holding every word not among them, each up to the cap. The
		 * request's filters are a probe per row ("OFFSET 0", as PROBE
		 * says): joined, PostgreSQL hashed the whole commune first. The
		 * words' rows are a subquery behind "OFFSET 0" too: PostgreSQL
		 * otherwise put the filters below PAIRED's merge, a probe for
		 * each request of the first word instead of each of both. */
		len = snprintf(text, sizeof text, "SELECT (SELECT count(*) FROM (SELECT 1 FROM request %s AND id IN ("
			EXACT_SQL ") AND $7::bigint IS NOT NULL AND $8::bigint IS NOT NULL LIMIT $18::bigint) AS exact)"
			" + (SELECT count(*) FROM (SELECT 1 FROM (SELECT k.request_id FROM %s OFFSET 0) AS k"
			" WHERE k.request_id NOT IN (" EXACT_SQL ") AND EXISTS (SELECT 1 FROM request %s"
			" AND request.id = k.request_id OFFSET 0) LIMIT $18::bigint) AS words)", where,
			mask & PAIR_BIT ? PAIRED : mask & COMMUNE_BIT ? "find_key k WHERE k.hash = $12"
			IN_COMMUNE("k.request_id") WORDS_OF("k.request_id") : "find_key k WHERE k.hash = $12"
			WORDS_OF("k.request_id"), where);
	else if (counts > COUNT_BY_STATUS)
		len = snprintf(text, sizeof text, "SELECT count(*) FROM (SELECT 1 FROM request %s%s"
			" AND $7::bigint IS NOT NULL AND $8::bigint IS NOT NULL LIMIT $18::bigint) AS capped", where, capped[counts]);
	else if (counts == COUNT_BY_STATUS)
		len = snprintf(text, sizeof text, "SELECT status, count(*), count(*) FILTER (WHERE closed_at IS NULL AND status"
			" NOT IN " STATUS_FINAL_SQL "), count(*) FILTER (WHERE " OVERDUE_PG ") FROM request %s"
			" AND $7::bigint IS NOT NULL AND $8::bigint IS NOT NULL GROUP BY status", where);
	else if ((mask & PAIR_BIT) && (mask & FIND_WALK))
		/* walk_paired's walk: the page's ids from the index alone, then
		 * their rows. */
		len = snprintf(text, sizeof text, "SELECT " ITEM_COLS " FROM request WHERE id IN (SELECT id FROM request %s"
			" ORDER BY %s LIMIT $7::bigint OFFSET $8::bigint) ORDER BY %s", where, inbox_order(sort),
			inbox_order(sort));
	else
		len = snprintf(text, sizeof text, "SELECT " ITEM_COLS " FROM request %s ORDER BY %s"
			" LIMIT $7::bigint OFFSET $8::bigint", where, inbox_order(sort));
	if (len < 0 || (size_t)len >= sizeof text) goto too_long;
	snprintf(name, sizeof name, "inbox%c%d_%u", counts >= 0 ? 'c' : 'l', counts >= 0 ? counts : (int)sort, mask);
	if (stream) {
		if (srv_pg_named_stream(d, name, &d->pg->inbox_prepared[sort][mask], text, a) != 0) {
			srv_pg_fail(d, err, errlen, "reading the inbox");
			return NULL;
		}
		return PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
	}
	r = srv_pg_named(d, name, counts >= 0 ? &d->pg->count_prepared[counts][mask] : &d->pg->inbox_prepared[sort][mask],
		text, a);
	if (!r) srv_pg_fail(d, err, errlen, "reading the inbox");
	return r;
too_long:
	snprintf(err, errlen, "reading the inbox: the query is too long");
	return NULL;
}

static PGresult *inbox_run(srv_db *d, unsigned mask, int counts, work_sort sort, const pg_args *a,
	char *err, size_t errlen)
{
	return inbox_run_as(d, mask, counts, sort, a, 0, err, errlen);
}

/* The inbox's parameters ($1 to $17, and $18 the counts' cap) for f, the
 * words in order; the dates are written in today and until, which must
 * outlive a. */
static void inbox_args(pg_args *a, const work_filter *f, long long now, char today[11], char until[11],
	const int order[WORK_FIND_WORDS])
{
	const work_find *fd = f->find;
	int i;
	vn_today(now, today);
	cal_date_format(cal_add_days(vntime_date(now), f->due_within > 0 && f->due_within < 3650 ? f->due_within : 0),
		until);
	memset(a, 0, sizeof *a);
	pa_t(a, f->commune);
	pa_t(a, today);
	pa_t(a, f->category);
	pa_t(a, f->status);
	pa_i(a, f->conference_id);
	pa_t(a, f->officer);
	pa_i(a, f->limit > 0 ? f->limit : f->limit < 0 ? LLONG_MAX : 100);
	pa_i(a, f->offset > 0 ? f->offset : 0);
	pa_t(a, fd ? fd->exact[0] : "");
	pa_t(a, fd ? fd->exact[1] : "");
	pa_t(a, fd ? fd->dossier : "");
	/* Unused word slots are "" (the first: "-", which matches nothing). */
	for (i = 0; i < WORK_FIND_WORDS; i++) pa_t(a, fd && i < fd->nwords ? fd->words[order[i]] : i == 0 ? "-" : "");
	pa_t(a, f->assignee);
	pa_t(a, until);
	pa_i(a, 0);                  /* the cap, set by count_capped */
}

static work_sort sort_of(const work_filter *f)
{
	return (int)f->sort >= 0 && f->sort < WORK_NSORTS ? f->sort : WORK_SORT_DEADLINE;
}

int srv_pg_inbox_stream(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen)
{
	static const int order[WORK_FIND_WORDS] = { 0, 1, 2, 3 };
	char today[11], until[11];
	pg_args a;
	PGresult *r;
	inbox_args(&a, f, now, today, until, order);
	if (!(r = inbox_run_as(d, inbox_mask(f, 0), COUNT_NONE, sort_of(f), &a, 1, err, errlen))) return -1;
	PQclear(r);
	return 0;
}

int srv_pg_read_item(const PGresult *r, int row, work_item *it)
{
	return read_item(r, row, it);
}

/* One count up to cap + 1 rows (a's last parameter); -1 with err. */
static long long count_capped(srv_db *d, unsigned mask, int kind, pg_args *a, long long cap, char *err, size_t errlen)
{
	PGresult *r;
	long long n;
	a->n--;
	pa_i(a, cap + 1);
	if (!(r = inbox_run(d, mask, kind, WORK_SORT_DEADLINE, a, err, errlen))) return -1;
	n = PQntuples(r) == 1 ? srv_pg_ll(r, 0, 0) : -1;
	PQclear(r);
	if (n < 0) snprintf(err, errlen, "counting the inbox: no count");
	if (n > cap + 1) n = cap + 1;      /* a search's two parts, each up to the cap */
	return n;
}

/* How many requests hold a word, in commune when it is not "" (its range
 * of find_key), up to WORK_FIND_WALK_FROM; -1 with err. */
static long long word_hits(srv_db *d, const char *hash, const char *commune, char *err, size_t errlen)
{
	int one = commune && commune[0];
	pg_args a = { 0 };
	PGresult *r;
	long long n;
	pa_t(&a, commune);
	pa_t(&a, hash);
	pa_i(&a, WORK_FIND_WALK_FROM);
	r = one ? srv_pg_named(d, "find_hits_commune", &d->pg->find_hits_prepared[1], "SELECT count(*) FROM (SELECT 1"
			" FROM find_key WHERE hash = $2::text" IN_COMMUNE("request_id") " LIMIT $3::bigint) AS hits", &a)
	        : srv_pg_named(d, "find_hits", &d->pg->find_hits_prepared[0], "SELECT count(*) FROM (SELECT 1 FROM find_key"
			" WHERE $1::text IS NOT NULL AND hash = $2::text LIMIT $3::bigint) AS hits", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "reading the inbox");
	n = srv_pg_ll(r, 0, 0);
	PQclear(r);
	return n;
}

/* The search's words, rarest first, in order; *walk 1 when even the
 * rarest is common and a page is asked for, as the SQLite backend's. */
static int search_plan(srv_db *d, const work_filter *f, int order[WORK_FIND_WORDS], int *walk, char *err, size_t errlen)
{
	long long hits[WORK_FIND_WORDS];
	int i, j, n = f->find ? f->find->nwords : 0;
	*walk = 0;
	for (i = 0; i < WORK_FIND_WORDS; i++) order[i] = i;
	for (i = 0; i < n && i < WORK_FIND_WORDS; i++)
		if ((hits[i] = word_hits(d, f->find->words[i], f->commune, err, errlen)) < 0) return -1;
	for (i = 1; i < n && i < WORK_FIND_WORDS; i++)
		for (j = i; j > 0 && hits[order[j]] < hits[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	*walk = n > 0 && f->limit > 0 && hits[order[0]] >= WORK_FIND_WALK_FROM;
	return 0;
}

int srv_pg_work_inbox(srv_db *d, const work_filter *f, long long now,
	int (*each)(const work_item *it, void *arg), void *arg, work_counts *counts, char *err, size_t errlen)
{
	char today[11], until[11];
	unsigned mask;
	pg_args a;
	PGresult *r;
	work_item it;
	int i, k, order[WORK_FIND_WORDS], walk;
	/* One snapshot for the plan, the counts and the list. */
	if (srv_pg_exec(d, SRV_PG_BEGIN_SNAPSHOT) != 0) return srv_pg_fail(d, err, errlen, "reading the inbox");
	if (search_plan(d, f, order, &walk, err, errlen) != 0) goto fail;
	mask = inbox_mask(f, walk);
	inbox_args(&a, f, now, today, until, order);
	if (counts) {
		memset(counts, 0, sizeof *counts);
		counts->cap = mask & FIND_BITS ? WORK_FIND_COUNT_CAP : WORK_COUNT_CAP;
		if ((counts->total = count_capped(d, mask, mask & FIND_BITS ? COUNT_FIND : COUNT_TOTAL, &a, counts->cap,
				err, errlen)) < 0)
			goto fail;
	}
	if (counts && counts->total > counts->cap && (mask & FIND_BITS)) {
		counts->open = counts->overdue = -1;     /* each would read the words again */
	} else if (counts && counts->total > counts->cap) {
		if ((counts->open = count_capped(d, mask, COUNT_OPEN, &a, counts->cap, err, errlen)) < 0 ||
		    (counts->overdue = count_capped(d, mask, COUNT_OVERDUE, &a, counts->cap, err, errlen)) < 0)
			goto fail;
	} else if (counts) {
		counts->total = 0;
		if (!(r = inbox_run(d, mask, COUNT_BY_STATUS, WORK_SORT_DEADLINE, &a, err, errlen))) goto fail;
		for (i = 0; i < PQntuples(r); i++) {
			const char *status = PQgetvalue(r, i, 0);
			long long n = srv_pg_ll(r, i, 1);
			counts->total += n;
			counts->open += srv_pg_ll(r, i, 2);
			counts->overdue += srv_pg_ll(r, i, 3);
			for (k = 0; status_names[k] && k < 16; k++)
				if (strcmp(status, status_names[k]) == 0) counts->by_status[k] = n;
		}
		PQclear(r);
	}
	if (!(r = inbox_run(d, mask, COUNT_NONE, sort_of(f), &a, err, errlen))) goto fail;
	srv_pg_exec(d, "COMMIT");
	for (i = 0; i < PQntuples(r); i++) {
		if (read_item(r, i, &it) != 0) {
			PQclear(r);
			snprintf(err, errlen, "reading the inbox: a stored value is longer than its field");
			return -1;
		}
		if (each && each(&it, arg) != 0) break;
	}
	PQclear(r);
	return 0;
fail:
	srv_pg_rollback(d);
	return -1;
}

/* ---- acting on a request ---- */

int srv_pg_write_audit(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail)
{
	pg_args a = { 0 };
	pa_i(&a, now);
	pa_t(&a, actor);
	pa_t(&a, action);
	pa_t(&a, request_id);
	pa_t(&a, detail);
	return srv_pg_cmd(d, SP_AUDIT_ADD, "INSERT INTO audit(at, actor, action, request_id, detail)"
		" VALUES($1::bigint, $2::text, $3::text, $4::text, $5::text)", &a) < 0 ? -1 : 0;
}

/* Takes the event lock of the request's kiosk (srv_db_pg.c): 1, 0 for an
 * unknown request, -1. A request's kiosk never changes, so it is read
 * before the lock. */
static int lock_events_of(srv_db *d, const char *request_id)
{
	pg_args a = { 0 };
	PGresult *r;
	int found;
	pa_t(&a, request_id);
	r = srv_pg_q(d, SP_KIOSK_OF, "SELECT count(pg_advisory_xact_lock(2, hashtext(kiosk))) FROM request"
		" WHERE id = $1::text", &a);
	if (!r) return -1;
	found = srv_pg_ll(r, 0, 0) > 0;
	PQclear(r);
	return found;
}

static int load_state(srv_db *d, const char *request_id, const char *today, srv_be_state *s)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, request_id);
	pa_t(&a, today);
	/* The row locked until the action's end: a second official acting on
	 * the same request, in any process, waits and then reads this one's. */
	if (!(r = srv_pg_q(d, SP_STATE, "SELECT " ITEM_COLS ", kiosk, appointment,"
			" coalesce((SELECT remote::int FROM commune WHERE code = request.commune), 0),"
			" (SELECT count(*) FROM event WHERE request_id = request.id AND action = 'supplement'),"
			" coalesce((SELECT max(at) FROM event WHERE request_id = request.id AND action = 'letter'), 0),"
			" coalesce((SELECT max(at) FROM event WHERE request_id = request.id AND action = 'notify'), 0),"
			" coalesce((SELECT CASE action WHEN 'suspend' THEN at ELSE 0 END FROM event"
			" WHERE request_id = request.id AND action IN ('suspend', 'resume') ORDER BY id DESC LIMIT 1), 0)"
			" FROM request WHERE id = $1::text FOR UPDATE", &a)))
		return -1;
	rc = PQntuples(r) == 0 ? 0 : 1;
	if (rc == 1 && (read_item(r, 0, &s->it) != 0 || srv_pg_copy(r, 0, ITEM_NCOLS, s->kiosk, sizeof s->kiosk) != 0 ||
			srv_pg_copy(r, 0, ITEM_NCOLS + 1, s->appointment, sizeof s->appointment) != 0))
		rc = -1;
	if (rc == 1) {
		s->remote = (int)srv_pg_ll(r, 0, ITEM_NCOLS + 2);
		s->supplements = (int)srv_pg_ll(r, 0, ITEM_NCOLS + 3);
		s->letter_at = srv_pg_ll(r, 0, ITEM_NCOLS + 4);
		s->notified_at = srv_pg_ll(r, 0, ITEM_NCOLS + 5);
		s->suspended_at = srv_pg_ll(r, 0, ITEM_NCOLS + 6);
	}
	PQclear(r);
	return rc;
}

int srv_pg_be_state_get(srv_db *d, const char *request_id, const char *today, srv_be_state *s)
{
	int rc;
	/* A read of its own: the row's lock ends with it. */
	if (srv_pg_exec(d, "BEGIN") != 0) return -1;
	rc = load_state(d, request_id, today, s);
	if (rc < 0) {
		srv_pg_rollback(d);
		return -1;
	}
	return srv_pg_exec(d, "COMMIT") == 0 ? rc : -1;
}

static int write_action(srv_db *d, const srv_be_state *s, const srv_be_change *c, long long now,
	const char *today, const char *actor, const char *action, const char *note)
{
	const work_item *it = &s->it;
	pg_args a = { 0 };
	pa_t(&a, it->id);
	pa_t(&a, s->kiosk);
	pa_i(&a, now);
	pa_t(&a, c->status);
	pa_t(&a, note);
	pa_t(&a, c->deadline);
	pa_t(&a, action);
	if (srv_pg_cmd(d, SP_EVENT_ACTION, "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
			" VALUES($1::text, $2::text, $3::bigint, $4::text, $5::text, $6::text, $7::text)", &a) < 0)
		return -1;
	memset(&a, 0, sizeof a);
	pa_t(&a, it->id);
	pa_t(&a, c->status);
	pa_i(&a, now);
	pa_t(&a, it->due);
	pa_i(&a, it->accepted_at);
	pa_i(&a, it->closed_at);
	pa_t(&a, today);
	pa_i(&a, it->complexity);
	pa_i(&a, it->extensions);
	pa_i(&a, it->apologies);
	pa_t(&a, s->appointment);
	pa_t(&a, it->forwarded_to);
	pa_t(&a, it->dossier);
	if (srv_pg_cmd(d, SP_REQUEST_ACTION, "UPDATE request SET status = $2::text, updated_at = $3::bigint,"
			" due = $4::text, accepted_at = nullif($5::bigint, 0), closed_at = nullif($6::bigint, 0),"
			" on_time = CASE WHEN $6 > 0 THEN $4 = '' OR $7::text <= $4 END, complexity = $8::integer,"
			" extensions = $9::integer, apologies = $10::integer, appointment = $11::text, forwarded_to = $12::text,"
			" dossier = $13::text WHERE id = $1::text", &a) < 0)
		return -1;
	if (c->sms[0]) {
		/* Queued only when the filer agreed (sms_ok), in the action's
		 * transaction: the message goes if and only if the action stands. */
		memset(&a, 0, sizeof a);
		pa_t(&a, it->id);
		pa_t(&a, c->sms);
		pa_t(&a, c->sms_date);
		pa_i(&a, now);
		if (srv_pg_cmd(d, SP_SMS_ENQUEUE, "INSERT INTO sms_outbox(request_id, kind, date, next_at, created_at)"
				" SELECT id, $2::text, $3::text, $4::bigint, $4::bigint FROM request WHERE id = $1::text AND sms_ok",
				&a) < 0)
			return -1;
	}
	return srv_pg_write_audit(d, now, actor, action, it->id, c->detail);
}

int srv_pg_be_act(srv_db *d, const char *request_id, long long now, const char *today, const char *actor,
	const char *action, const char *note, srv_be_decide decide, void *arg, char *err, size_t errlen)
{
	srv_be_state s;
	srv_be_change c;
	int rc;
	memset(&s, 0, sizeof s);
	memset(&c, 0, sizeof c);
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "starting the action");
	rc = lock_events_of(d, request_id);
	if (rc > 0) rc = load_state(d, request_id, today, &s);
	if (rc < 0) {
		srv_pg_fail(d, err, errlen, "reading the request");
		srv_pg_rollback(d);
		return -1;
	}
	if (rc == 0) {
		srv_pg_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	if (decide(&s, arg, &c, err, errlen) != 0) {
		srv_pg_rollback(d);
		return 1;
	}
	if (write_action(d, &s, &c, now, today, actor, action, note) != 0 || srv_pg_exec(d, "COMMIT") != 0) {
		srv_pg_fail(d, err, errlen, "saving the action");
		srv_pg_rollback(d);
		return -1;
	}
	return 0;
}

int srv_pg_be_last_event(srv_db *d, const char *request_id, long long *event_id)
{
	pg_args a = { 0 };
	PGresult *r;
	*event_id = 0;
	pa_t(&a, request_id);
	if (!(r = srv_pg_q(d, SP_LAST_EVENT, "SELECT coalesce(max(id), 0) FROM event WHERE request_id = $1::text", &a)))
		return -1;
	*event_id = srv_pg_ll(r, 0, 0);
	PQclear(r);
	return 0;
}

int srv_pg_be_record_status(srv_db *d, const char *request_id, const char *status, const char *note,
	long long now, const char *actor, const char *detail, long long *event_id, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	long long id, n;
	int found;
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "starting the update");
	if ((found = lock_events_of(d, request_id)) < 0) goto db_error;
	if (found == 0) {
		srv_pg_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	pa_i(&a, now);
	pa_t(&a, status);
	pa_t(&a, note);
	pa_t(&a, request_id);
	if (!(r = srv_pg_q(d, SP_EVENT_STAFF, "INSERT INTO event(request_id, kiosk, at, status, note)"
			" SELECT id, kiosk, $1::bigint, $2::text, $3::text FROM request WHERE id = $4::text RETURNING id", &a)))
		goto db_error;
	id = PQntuples(r) == 1 ? srv_pg_ll(r, 0, 0) : 0;
	PQclear(r);
	memset(&a, 0, sizeof a);
	pa_t(&a, status);
	pa_i(&a, now);
	pa_t(&a, request_id);
	n = srv_pg_cmd(d, SP_REQUEST_STATUS, "UPDATE request SET status = $1::text, updated_at = $2::bigint,"
		" closed_at = CASE WHEN $1 = 'withdrawn' THEN $2 END WHERE id = $3::text AND closed_at IS NULL", &a);
	if (n < 0) goto db_error;
	if (n != 1) {
		srv_pg_rollback(d);
		return say(err, errlen, "request %s is closed: its status cannot change", request_id);
	}
	if (srv_pg_write_audit(d, now, actor, "update", request_id, detail) != 0 || srv_pg_exec(d, "COMMIT") != 0)
		goto db_error;
	*event_id = id;
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "updating the request");
	srv_pg_rollback(d);
	return -1;
}

/* ---- identity ---- */

static int text_ok(const char *s, size_t max)
{
	return s && s[0] && strlen(s) < max && utf8_valid(s, strlen(s));
}

int srv_pg_work_identity(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, unsigned char **sealed, size_t *sealed_len, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	int supervisor = role && strcmp(role, "supervisor") == 0, has_reason = text_ok(reason, 512);
	char category[32], detail[600];
	*sealed = NULL;
	*sealed_len = 0;
	if (!supervisor && !(role && strcmp(role, "officer") == 0)) return say(err, errlen, "unknown role");
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (srv_pg_exec(d, "BEGIN") != 0) return srv_pg_fail(d, err, errlen, "starting to open the identity");
	pa_t(&a, request_id);
	if (!(r = srv_pg_q(d, SP_IDENTITY, "SELECT category, sealed FROM request WHERE id = $1::text", &a))) goto db_error;
	if (PQntuples(r) == 0) {
		PQclear(r);
		srv_pg_rollback(d);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	if (srv_pg_copy(r, 0, 0, category, sizeof category) != 0) {
		PQclear(r);
		goto db_error;
	}
	/* A denouncer's identity is secret (Law on Denunciation 2018, Art. 9):
	 * a supervisor alone may open it, for a reason that is kept; the
	 * refusal too is kept. */
	if (strcmp(category, "denunciation") == 0 && (!supervisor || !has_reason)) {
		PQclear(r);
		snprintf(detail, sizeof detail, "denunciation (%s): %s", role, supervisor ? "no reason given"
			: "not a supervisor");
		if (srv_pg_write_audit(d, now, actor, "identity_refused", request_id, detail) != 0 || srv_pg_exec(d, "COMMIT") != 0)
			goto db_error;
		return say(err, errlen, supervisor ? "give the reason for opening a denouncer's identity: it is recorded"
			: "a denouncer's identity is secret: only a supervisor may open it, giving a reason");
	}
	*sealed = srv_pg_bytes(r, 0, 1, sealed_len);
	PQclear(r);
	if (!*sealed) {
		srv_pg_rollback(d);
		snprintf(err, errlen, "opening the identity: out of memory");
		return -1;
	}
	snprintf(detail, sizeof detail, "%s (%s)%s%s", category, role, has_reason ? ": " : "", has_reason ? reason : "");
	if (srv_pg_write_audit(d, now, actor, "identity", request_id, detail) != 0 || srv_pg_exec(d, "COMMIT") != 0) {
		free(*sealed);
		*sealed = NULL;
		*sealed_len = 0;
		goto db_error;
	}
	return 0;
db_error:
	srv_pg_fail(d, err, errlen, "opening the identity");
	srv_pg_rollback(d);
	return -1;
}
