/* srv_rating_sqlite: satisfaction ratings on the SQLite backend (see
 * srv_rating.h; srv_rating_pg.c is the PostgreSQL twin).
 *
 * Each insert is INSERT ... ON CONFLICT DO NOTHING against the partial
 * unique indexes of schema step 8 (a kiosk's id, a ticket, a request), so
 * a rating seen twice is counted as a duplicate, not stored twice; the
 * day's cap is read before it, in the same transaction. */
#include "srv_rating.h"
#include "srv_sqlite.h"
#include "cal.h"
#include "vntime.h"
#include <stdio.h>
#include <string.h>

/* 1 stored, 0 a duplicate, -1 error. */
static int insert(srv_db *d, const char *source, const char *kiosk, long long kiosk_id, const char *commune,
	int kind, const char *day, long long at, const char *field, int counter, int number, const char *request,
	const int *faces)
{
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_RATING_PUT);
	int k;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, kiosk_id);
	sqlite3_bind_text(st, 4, commune, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, kind);
	sqlite3_bind_text(st, 6, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, at);
	sqlite3_bind_text(st, 8, field, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, counter);
	sqlite3_bind_int(st, 10, number);
	sqlite3_bind_text(st, 11, request, -1, SQLITE_STATIC);
	for (k = 0; k < PROTO_RATING_CRITERIA; k++) sqlite3_bind_int(st, 12 + k, faces[k]);
	if (srv_sqlite_step_done(st) != SQLITE_DONE) return -1;
	return sqlite3_changes(d->sql) > 0;
}

int srv_rating_put_push(srv_db *d, const proto_push *p, long long now, srv_rating_push_result *res)
{
	SRV_PG_ROUTE(d, srv_pg_rating_put_push(d, p, now, res));
	char commune[6], tomorrow[11];
	int i, rc;
	memset(res, 0, sizeof *res);
	res->acked = -1;
	if (p->nratings == 0) return 0;
	cal_date_format(cal_add_days(vntime_date(now), 1), tomorrow);
	snprintf(commune, sizeof commune, "%.5s", p->kiosk);
	for (i = 0; i < p->nratings; i++) {
		const proto_rating *r = &p->ratings[i];
		sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_RATING_DAY_COUNT);
		long long n = -1;
		res->acked = r->id;
		if (!st) return -1;
		sqlite3_bind_text(st, 1, p->kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->day, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (n < 0) return -1;
		if (n >= SRV_RATING_KIOSK_DAY_CAP || strcmp(r->day, tomorrow) > 0) { res->refused++; continue; }
		rc = insert(d, "kiosk", p->kiosk, r->id, commune, r->kind, r->day, r->at, r->field, r->counter, r->number,
			r->request, r->faces);
		if (rc < 0) return -1;
		if (rc) res->stored++; else res->duplicates++;
	}
	return 0;
}

int srv_rating_put_phone(srv_db *d, const char *request_id, const char *commune, const char *field,
	const int faces[PROTO_RATING_CRITERIA], long long now, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_rating_put_phone(d, request_id, commune, field, faces, now, err, errlen));
	char today[11];
	int rc;
	cal_date_format(vntime_date(now), today);
	rc = insert(d, "phone", "", 0, commune, 2, today, now, field, 0, 0, request_id, faces);
	if (rc < 0) return srv_sqlite_fail(d, err, errlen, "storing the rating");
	return rc ? 0 : 1;
}

int srv_rating_given(srv_db *d, const char *request_id)
{
	SRV_PG_ROUTE(d, srv_pg_rating_given(d, request_id));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_RATING_GIVEN);
	int rc;
	if (!st) return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_rating_rows(srv_db *d, const char *from_day, int single,
	int (*each)(const srv_rating_row *r, void *arg), void *arg, char *err, size_t errlen)
{
	SRV_PG_ROUTE(d, srv_pg_rating_rows(d, from_day, single, each, arg, err, errlen));
	sqlite3_stmt *st = srv_sqlite_stmt(d, single ? SQ_RATING_EACH : SQ_RATING_FIGURES);
	srv_rating_row r;
	int rc = SQLITE_ERROR, stop = 0, k;
	if (st) {
		sqlite3_bind_text(st, 1, from_day, -1, SQLITE_STATIC);
		while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&r, 0, sizeof r);
			if (sqlx_copy_col(st, 0, r.commune, sizeof r.commune) != 0 ||
			    sqlx_copy_col(st, 1, r.field, sizeof r.field) != 0 ||
			    sqlx_copy_col(st, 4, r.day, sizeof r.day) != 0 ||
			    sqlx_copy_col(st, 5, r.source, sizeof r.source) != 0) { rc = SQLITE_TOOBIG; break; }
			r.counter = sqlite3_column_int(st, 2);
			r.neither = sqlite3_column_int(st, 3);
			r.n = sqlite3_column_int64(st, 6);
			for (k = 0; k < PROTO_RATING_CRITERIA; k++) {
				r.satisfied[k] = sqlite3_column_int64(st, 7 + k);
				if (single) r.faces[k] = sqlite3_column_int(st, 12 + k);
			}
			stop = each(&r, arg);
		}
		sqlite3_reset(st);
	}
	if (stop) { snprintf(err, errlen, "reading the ratings: out of memory"); return -1; }
	if (rc == SQLITE_DONE) return 0;
	if (rc == SQLITE_TOOBIG) { snprintf(err, errlen, "reading the ratings: a value too long"); return -1; }
	return srv_sqlite_fail(d, err, errlen, "reading the ratings");
}
