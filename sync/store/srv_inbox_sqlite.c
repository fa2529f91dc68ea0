/* srv_inbox_sqlite: the SQLite backend of the officials' inbox
 * (srv_work_inbox of srv_work.h, and the list the export's cursor reads,
 * srv_sqlite_inbox_list).
 *
 * The inbox puts its text together from a table of clauses, one text per
 * combination of the filters given, each prepared once per connection: a
 * WHERE with every filter written as "(:x = '' OR col = :x)" would cost the
 * index. The counts and the list are read in one read transaction.
 *
 * At a million requests what costs is what reads every matching row: the
 * counts stop at a cap (work_counts), and a search chooses how to read its
 * words (WORK_FIND_WALK_FROM): a rare word collects its requests from
 * find_key and sorts them; a common one walks the list's index in order,
 * checking each word with one probe of find_key's primary key, and stops
 * when the page is full. The words go rarest first, so the first probe
 * fails most often. A request's id begins with its commune's code (its
 * kiosk's id, proto.c), so with a commune given a word's requests are one
 * range of find_key's primary key, the commune's, not the whole province's.
 * A search's total is counted from find_key, not by walking the list. */
#include "srv_sqlite.h"
#include "status.h"
#include "vntime.h"
#include <stdio.h>
#include <string.h>

#define OVERDUE_SQL STATUS_OVERDUE_SQL(":today")

static void vn_today(long long now, char out[11])
{
	cal_date_format(vntime_date(now), out);
}

/* The second to fourth words, each in the request of id; an unused word
 * is "": no probe. */
#define WORD_IN(w, id) " AND (" w " = '' OR EXISTS (SELECT 1 FROM find_key WHERE hash = " w " AND request_id = " id "))"
#define WORDS_OF(id) WORD_IN(":w2", id) WORD_IN(":w3", id) WORD_IN(":w4", id)
/* The commune's part of find_key's primary key: ids are "<commune>-...",
 * and '.' follows '-'. */
#define IN_COMMUNE(id) " AND " id " > :commune || '-' AND " id " < :commune || '.'"
/* The requests a search finds by an exact hash or the dossier number. */
#define EXACT_SQL "SELECT request_id FROM find_key WHERE hash IN (:exact1, :exact2)" \
	" UNION SELECT id FROM request WHERE dossier = :dossier AND dossier <> ''"

/* The filters' clauses, one bit each of a combination. */
static const char *const inbox_clauses[SRV_SQLITE_INBOX_FILTERS] = {
	"commune = :commune",
	"category = :category",
	"status = :status",
	"status NOT IN " STATUS_FINAL_SQL,
	OVERDUE_SQL,
	"conference_id = :conference",
	"commune IN (SELECT commune FROM officer_commune WHERE name = :officer)",
	/* A search: the exact hashes, the dossier number, or every word, the
	 * requests of the rarest word (:w1) checked for the others. */
	"id IN (" EXACT_SQL " UNION SELECT request_id FROM find_key k WHERE hash = :w1" WORDS_OF("k.request_id") ")",
	"assignee = :assignee",
	"assignee = ''",
	/* "+": not by the closed_at index (three in ten are open: a sort of
	 * all of them); the open requests' deadline index (request_open_due,
	 * whose condition is the status test here) walks them in order. */
	"+closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL " AND due <> '' AND "
	STATUS_DUE_IN_FORCE_SQL " <= :until",
	/* The same search for common words: each row of the list checked. */
	"(id IN (" EXACT_SQL ")"
	" OR (EXISTS (SELECT 1 FROM find_key WHERE hash = :w1 AND request_id = request.id)" WORDS_OF("request.id") "))",
};

/* The search's bits of a combination: collecting, walking. */
#define FIND_COLLECT 128u
#define FIND_WALK 2048u
#define FIND_BITS (FIND_COLLECT | FIND_WALK)
#define COMMUNE_BIT 1u

/* Collecting in one commune: the rarest word's requests in its range. */
static const char find_in_commune[] = "id IN (" EXACT_SQL " UNION SELECT request_id FROM find_key k"
	" WHERE hash = :w1" IN_COMMUNE("k.request_id") WORDS_OF("k.request_id") ")";

/* The orders of work_sort. Status goes in the domain's order
 * (status_names), written out once on first use. */
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
				snprintf(by_status + n, sizeof by_status - n, " END, " STATUS_DUE_IN_FORCE_SQL ", received_at, id");
			made = 1;
		}
		return by_status;
	default:
		return STATUS_DUE_IN_FORCE_SQL ", received_at, id";
	}
}

/* walk: 1 to read a search's words row by row (FIND_WALK). */
static unsigned inbox_mask(const work_filter *f, int walk)
{
	int open_only = f->status && strcmp(f->status, "open") == 0;
	return (f->commune && f->commune[0] ? 1u : 0) | (f->category && f->category[0] ? 2u : 0) |
		(f->status && f->status[0] && !open_only ? 4u : 0) | (open_only ? 8u : 0) |
		(f->overdue_only ? 16u : 0) | (f->conference_id > 0 ? 32u : 0) | (f->officer && f->officer[0] ? 64u : 0) |
		(f->find ? walk ? FIND_WALK : FIND_COLLECT : 0) | (f->assignee && f->assignee[0] ? 256u : 0) | (f->unassigned ? 512u : 0) |
		(f->due_within > 0 ? 1024u : 0);
}

/* What a counts statement reads: every row by status, or up to a cap the
 * rows, the open ones, the overdue ones, a search's rows. */
enum { COUNT_NONE = -1, COUNT_BY_STATUS, COUNT_TOTAL, COUNT_OPEN, COUNT_OVERDUE, COUNT_FIND };

/* The inbox statement (counts of a kind, or the list) of a combination of
 * filters, made and prepared on its first use on this connection; NULL
 * with err. */
static sqlite3_stmt *inbox_stmt(srv_db *d, unsigned mask, int counts, work_sort sort, char *err, size_t errlen)
{
	/* "+closed_at": not by request_stats_closed's closed_at, which holds
	 * the open requests of every commune, but by the open requests' index. */
	static const char *const capped[] = { "", "", " AND +closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL,
		" AND " OVERDUE_SQL, "" };
	sqlite3_stmt **cache = counts >= 0 ? &d->inbox_counts[counts][mask] : &d->inbox[sort][mask];
	char where[2048], text[4096];
	size_t n;
	int i, len;
	if (*cache) {
		sqlite3_reset(*cache);
		sqlite3_clear_bindings(*cache);
		return *cache;
	}
	len = snprintf(where, sizeof where, "WHERE 1");
	for (i = 0; i < SRV_SQLITE_INBOX_FILTERS && len >= 0 && (size_t)len < sizeof where; i++) {
		const char *clause = inbox_clauses[i];
		if (!(mask & (1u << i)) || (counts == COUNT_FIND && (1u << i) & FIND_BITS)) continue;
		if ((1u << i) == FIND_COLLECT && (mask & COMMUNE_BIT)) clause = find_in_commune;
		n = (size_t)len;
		len = snprintf(where + n, sizeof where - n, " AND %s", clause);
		if (len >= 0) len += (int)n;
	}
	if (len < 0 || (size_t)len >= sizeof where) goto too_long;
	if (counts == COUNT_FIND)
		/* Those found exactly, then those holding every word that are not
		 * among them, each up to the cap: the rarest word's part of
		 * find_key read in order, each request checked for the filters,
		 * instead of the list walked until enough rows matched. */
		len = snprintf(text, sizeof text, "SELECT (SELECT count(*) FROM (SELECT 1 FROM request %s AND id IN ("
			EXACT_SQL ") LIMIT :cap)) + (SELECT count(*) FROM (SELECT 1 FROM find_key k CROSS JOIN request"
			" ON request.id = k.request_id %s AND k.hash = :w1%s" WORDS_OF("k.request_id")
			" AND request.id NOT IN (" EXACT_SQL ") LIMIT :cap))", where, where,
			mask & COMMUNE_BIT ? IN_COMMUNE("k.request_id") : "");
	else if (counts == COUNT_BY_STATUS)
		len = snprintf(text, sizeof text, "SELECT status, count(*), sum(closed_at IS NULL AND status NOT IN "
			STATUS_FINAL_SQL "), sum(" OVERDUE_SQL ") FROM request %s GROUP BY status", where);
	else if (counts > 0)
		len = snprintf(text, sizeof text, "SELECT count(*) FROM (SELECT 1 FROM request %s%s LIMIT :cap)", where,
			capped[counts]);
	else
		len = snprintf(text, sizeof text, "SELECT " SRV_SQLITE_ITEM_COLS " FROM request %s ORDER BY %s"
			" LIMIT :limit OFFSET :offset", where, inbox_order(sort));
	if (len < 0 || (size_t)len >= sizeof text) goto too_long;
	if (sqlite3_prepare_v3(d->sql, text, -1, SQLITE_PREPARE_PERSISTENT, cache, NULL) != SQLITE_OK) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		sqlite3_finalize(*cache);
		*cache = NULL;
	}
	return *cache;
too_long:
	snprintf(err, errlen, "reading the inbox: the query is too long");
	return NULL;
}

/* One count up to cap + 1 rows; -1 with err. */
static long long count_capped(srv_db *d, unsigned mask, int kind, const srv_sqlite_param *p, size_t np,
	long long cap, char *err, size_t errlen)
{
	sqlite3_stmt *st = inbox_stmt(d, mask, kind, WORK_SORT_DEADLINE, err, errlen);
	long long n = -1;
	if (!st) return -1;
	if (srv_sqlite_bind(st, p, np) != 0 || sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":cap"), cap + 1)
	    != SQLITE_OK) {
		srv_sqlite_fail(d, err, errlen, "counting the inbox");
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	else srv_sqlite_fail(d, err, errlen, "counting the inbox");
	if (n > cap + 1) n = cap + 1;      /* a search's two parts, each up to the cap */
	sqlite3_reset(st);
	return n;
}

/* The counts, each up to the cap; by status only when all are under it
 * (reading them then costs no more than the capped total did). */
static int inbox_counts(srv_db *d, unsigned mask, const srv_sqlite_param *p, size_t np, work_counts *c,
	char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, i;
	memset(c, 0, sizeof *c);
	c->cap = mask & FIND_BITS ? WORK_FIND_COUNT_CAP : WORK_COUNT_CAP;
	if ((c->total = count_capped(d, mask, mask & FIND_BITS ? COUNT_FIND : COUNT_TOTAL, p, np, c->cap, err, errlen)) < 0)
		return -1;
	if (c->total > c->cap) {
		/* A search's other counts would each read its words again. */
		if (mask & FIND_BITS) {
			c->open = c->overdue = -1;
			return 0;
		}
		if ((c->open = count_capped(d, mask, COUNT_OPEN, p, np, c->cap, err, errlen)) < 0 ||
		    (c->overdue = count_capped(d, mask, COUNT_OVERDUE, p, np, c->cap, err, errlen)) < 0)
			return -1;
		return 0;
	}
	c->total = 0;
	if (!(st = inbox_stmt(d, mask, COUNT_BY_STATUS, WORK_SORT_DEADLINE, err, errlen))) return -1;
	if (srv_sqlite_bind(st, p, np) != 0) return srv_sqlite_fail(d, err, errlen, "counting the inbox");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		long long n = sqlite3_column_int64(st, 1);
		c->total += n;
		c->open += sqlite3_column_int64(st, 2);
		c->overdue += sqlite3_column_int64(st, 3);
		for (i = 0; status_names[i] && i < 16; i++)
			if (status && strcmp(status, status_names[i]) == 0) c->by_status[i] = n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : srv_sqlite_fail(d, err, errlen, "counting the inbox");
}

/* The parameters of an inbox statement; the strings of f are bound as they
 * are, so f must outlive the statement's use. */
static void inbox_params_make(srv_sqlite_inbox_params *ip, const work_filter *f, long long now,
	const int order[WORK_FIND_WORDS])
{
	const work_find *fd = f->find;
	const char *w[WORK_FIND_WORDS];
	int i;
	vn_today(now, ip->today);
	cal_date_format(cal_add_days(vntime_date(now), f->due_within > 0 && f->due_within < 3650 ? f->due_within : 0),
		ip->until);
	/* Unused word slots are "" (the first: "-", which matches nothing). */
	for (i = 0; i < WORK_FIND_WORDS; i++)
		w[i] = fd && i < fd->nwords ? fd->words[order[i]] : i == 0 ? "-" : "";
	{
		srv_sqlite_param p[] = {
			SQ_T(":commune", f->commune), SQ_T(":category", f->category), SQ_T(":status", f->status),
			SQ_T(":today", ip->today), SQ_I(":conference", f->conference_id), SQ_T(":officer", f->officer),
			SQ_I(":limit", f->limit > 0 ? f->limit : f->limit < 0 ? -1 : 100),
			SQ_I(":offset", f->offset > 0 ? f->offset : 0), SQ_T(":exact1", fd ? fd->exact[0] : ""), SQ_T(":exact2", fd ? fd->exact[1] : ""),
			SQ_T(":dossier", fd ? fd->dossier : ""), SQ_T(":w1", w[0]), SQ_T(":w2", w[1]), SQ_T(":w3", w[2]),
			SQ_T(":w4", w[3]), SQ_T(":assignee", f->assignee), SQ_T(":until", ip->until),
		};
		_Static_assert(sizeof p == sizeof ip->p, "inbox_params holds every parameter");
		memcpy(ip->p, p, sizeof p);
	}
}

static work_sort sort_of(const work_filter *f)
{
	return (int)f->sort >= 0 && f->sort < WORK_NSORTS ? f->sort : WORK_SORT_DEADLINE;
}

/* How many requests hold a word, in commune when it is not "" (its range
 * of find_key), up to WORK_FIND_WALK_FROM; -1 with err. */
static long long word_hits(srv_db *d, const char *hash, const char *commune, char *err, size_t errlen)
{
	static const char *const text[2] = {
		"SELECT count(*) FROM (SELECT 1 FROM find_key WHERE hash = :w1 LIMIT :cap)",
		"SELECT count(*) FROM (SELECT 1 FROM find_key WHERE hash = :w1" IN_COMMUNE("request_id") " LIMIT :cap)",
	};
	int one = commune && commune[0];
	sqlite3_stmt **st = &d->find_hits[one];
	srv_sqlite_param p[] = { SQ_T(":w1", hash), SQ_T(":commune", commune), SQ_I(":cap", WORK_FIND_WALK_FROM) };
	long long n = -1;
	if (!*st && sqlite3_prepare_v3(d->sql, text[one], -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		return -1;
	}
	sqlite3_reset(*st);
	if (srv_sqlite_bind(*st, p, SQ_NPARAMS(p)) != 0 || sqlite3_step(*st) != SQLITE_ROW)
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
	else
		n = sqlite3_column_int64(*st, 0);
	sqlite3_reset(*st);
	return n;
}

/* The search's words, rarest first, in order; *walk 1 when even the
 * rarest is common and a page is asked for (a whole list, the export's,
 * is cheaper collected). 0 or -1 with err. */
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

int srv_work_inbox(srv_db *d, const work_filter *f, long long now,
	int (*each)(const work_item *it, void *arg), void *arg, work_counts *counts, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_inbox(d, f, now, each, arg, counts, err, errlen));
	srv_sqlite_inbox_params ip;
	sqlite3_stmt *st;
	work_item it;
	unsigned mask;
	int rc, order[WORK_FIND_WORDS], walk;
	/* One read snapshot for the plan, the counts and the list. */
	if (srv_sqlite_run(d, SQ_BEGIN) != SQLITE_DONE) return srv_sqlite_fail(d, err, errlen, "reading the inbox");
	if (search_plan(d, f, order, &walk, err, errlen) != 0) goto fail;
	mask = inbox_mask(f, walk);
	inbox_params_make(&ip, f, now, order);
	if (counts && inbox_counts(d, mask, ip.p, SQ_NPARAMS(ip.p), counts, err, errlen) != 0) goto fail;
	if (!(st = inbox_stmt(d, mask, COUNT_NONE, sort_of(f), err, errlen))) goto fail;
	if (srv_sqlite_bind(st, ip.p, SQ_NPARAMS(ip.p)) != 0) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (srv_sqlite_read_item(st, &it) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		if (each && each(&it, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) srv_sqlite_fail(d, err, errlen, "reading the inbox");
	sqlite3_reset(st);
	srv_sqlite_run(d, SQ_COMMIT);
	return rc == SQLITE_DONE ? 0 : -1;
fail:
	srv_sqlite_rollback(d);
	return -1;
}

sqlite3_stmt *srv_sqlite_inbox_list(srv_db *d, const work_filter *f, long long now, srv_sqlite_inbox_params *ip,
	char *err, size_t errlen)
{
	static const int order[WORK_FIND_WORDS] = { 0, 1, 2, 3 };
	sqlite3_stmt *st;
	inbox_params_make(ip, f, now, order);
	if (!(st = inbox_stmt(d, inbox_mask(f, 0), COUNT_NONE, sort_of(f), err, errlen))) return NULL;
	if (srv_sqlite_bind(st, ip->p, SQ_NPARAMS(ip->p)) != 0) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		return NULL;
	}
	return st;
}

