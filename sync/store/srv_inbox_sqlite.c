/* srv_inbox_sqlite: the SQLite backend of the officials' inbox
 * (srv_work_inbox of srv_work.h, and the list the export's cursor reads,
 * srv_sqlite_inbox_list).
 *
 * The inbox puts its text together from a table of clauses, one text per
 * combination of the filters given, each prepared once per connection: a
 * WHERE with every filter written as "(:x = '' OR col = :x)" would cost the
 * index. The counts and the list are read in one read transaction. */
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

/* The filters' clauses, one bit each of a combination. */
static const char *const inbox_clauses[SRV_SQLITE_INBOX_FILTERS] = {
	"commune = :commune",
	"category = :category",
	"status = :status",
	"status NOT IN " STATUS_FINAL_SQL,
	OVERDUE_SQL,
	"conference_id = :conference",
	"commune IN (SELECT commune FROM officer_commune WHERE name = :officer)",
	/* A search: the exact hashes, the dossier number, or every word. The
	 * words' INTERSECT sits in its own subquery: UNION and INTERSECT bind
	 * left to right alike. */
	"id IN (SELECT request_id FROM find_key WHERE hash IN (:exact1, :exact2)"
	" UNION SELECT id FROM request WHERE dossier = :dossier AND dossier <> ''"
	" UNION SELECT request_id FROM (SELECT request_id FROM find_key WHERE hash = :w1"
	" INTERSECT SELECT request_id FROM find_key WHERE hash = :w2"
	" INTERSECT SELECT request_id FROM find_key WHERE hash = :w3"
	" INTERSECT SELECT request_id FROM find_key WHERE hash = :w4))",
	"assignee = :assignee",
	"assignee = ''",
	"closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL " AND due <> '' AND "
	STATUS_DUE_IN_FORCE_SQL " <= :until",
};

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

static unsigned inbox_mask(const work_filter *f)
{
	int open_only = f->status && strcmp(f->status, "open") == 0;
	return (f->commune && f->commune[0] ? 1u : 0) | (f->category && f->category[0] ? 2u : 0) |
		(f->status && f->status[0] && !open_only ? 4u : 0) | (open_only ? 8u : 0) |
		(f->overdue_only ? 16u : 0) | (f->conference_id > 0 ? 32u : 0) | (f->officer && f->officer[0] ? 64u : 0) |
		(f->find ? 128u : 0) | (f->assignee && f->assignee[0] ? 256u : 0) | (f->unassigned ? 512u : 0) |
		(f->due_within > 0 ? 1024u : 0);
}

/* The inbox statement (counts or list) of a combination of filters, made
 * and prepared on its first use on this connection; NULL with err. */
static sqlite3_stmt *inbox_stmt(srv_db *d, unsigned mask, int counts, work_sort sort, char *err, size_t errlen)
{
	sqlite3_stmt **cache = counts ? &d->inbox_counts[mask] : &d->inbox[sort][mask];
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
		if (!(mask & (1u << i))) continue;
		n = (size_t)len;
		len = snprintf(where + n, sizeof where - n, " AND %s", inbox_clauses[i]);
		if (len >= 0) len += (int)n;
	}
	if (len < 0 || (size_t)len >= sizeof where) goto too_long;
	if (counts)
		len = snprintf(text, sizeof text, "SELECT status, count(*), sum(closed_at IS NULL AND status NOT IN "
			STATUS_FINAL_SQL "), sum(" OVERDUE_SQL ") FROM request %s GROUP BY status", where);
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

static int inbox_counts(srv_db *d, unsigned mask, const srv_sqlite_param *p, size_t np, work_counts *c,
	char *err, size_t errlen)
{
	sqlite3_stmt *st = inbox_stmt(d, mask, 1, WORK_SORT_DEADLINE, err, errlen);
	int rc, i;
	memset(c, 0, sizeof *c);
	if (!st) return -1;
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
static void inbox_params_make(srv_sqlite_inbox_params *ip, const work_filter *f, long long now)
{
	const work_find *fd = f->find;
	const char *w[WORK_FIND_WORDS];
	int i;
	vn_today(now, ip->today);
	cal_date_format(cal_add_days(vntime_date(now), f->due_within > 0 && f->due_within < 3650 ? f->due_within : 0),
		ip->until);
	/* Unused word slots repeat the first word (or match nothing). */
	for (i = 0; i < WORK_FIND_WORDS; i++)
		w[i] = fd && fd->nwords ? fd->words[i < fd->nwords ? i : 0] : "-";
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

int srv_work_inbox(srv_db *d, const work_filter *f, long long now,
	int (*each)(const work_item *it, void *arg), void *arg, work_counts *counts, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_work_inbox(d, f, now, each, arg, counts, err, errlen));
	unsigned mask = inbox_mask(f);
	srv_sqlite_inbox_params ip;
	sqlite3_stmt *st;
	work_item it;
	int rc;
	inbox_params_make(&ip, f, now);
	/* One read snapshot for the counts and the list. */
	if (srv_sqlite_run(d, SQ_BEGIN) != SQLITE_DONE) return srv_sqlite_fail(d, err, errlen, "reading the inbox");
	if (counts && inbox_counts(d, mask, ip.p, SQ_NPARAMS(ip.p), counts, err, errlen) != 0) goto fail;
	if (!(st = inbox_stmt(d, mask, 0, sort_of(f), err, errlen))) goto fail;
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
	sqlite3_stmt *st;
	inbox_params_make(ip, f, now);
	if (!(st = inbox_stmt(d, inbox_mask(f), 0, sort_of(f), err, errlen))) return NULL;
	if (srv_sqlite_bind(st, ip->p, SQ_NPARAMS(ip->p)) != 0) {
		srv_sqlite_fail(d, err, errlen, "reading the inbox");
		return NULL;
	}
	return st;
}

