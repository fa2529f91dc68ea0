/* srv_rating_pg: satisfaction ratings on the PostgreSQL backend, the twin
 * of srv_rating_sqlite.c (see srv_rating.h): the same statements, the same
 * partial unique indexes (schema step 8), the push's inside its
 * transaction, each insert ON CONFLICT DO NOTHING. */
#include "srv_pg_int.h"
#include "cal.h"
#include "vntime.h"
#include <stdio.h>
#include <string.h>

#define PUT_SQL "INSERT INTO rating(source, kiosk, kiosk_rating, commune, kind, day, at, field, counter, number," \
	" request_id, f_reception, f_time, f_attitude, f_result, f_overall) VALUES($1::text, $2::text, $3::bigint," \
	" $4::text, $5::integer, $6::text, $7::bigint, $8::text, $9::integer, $10::integer, $11::text, $12::integer," \
	" $13::integer, $14::integer, $15::integer, $16::integer) ON CONFLICT DO NOTHING"

/* 1 stored, 0 a duplicate, -1 error. */
static int insert(srv_db *d, const char *source, const char *kiosk, long long kiosk_id, const char *commune,
	int kind, const char *day, long long at, const char *field, int counter, int number, const char *request,
	const int *faces)
{
	pg_args a = { 0 };
	long long rc;
	int k;
	pa_t(&a, source);
	pa_t(&a, kiosk);
	pa_i(&a, kiosk_id);
	pa_t(&a, commune);
	pa_i(&a, kind);
	pa_t(&a, day);
	pa_i(&a, at);
	pa_t(&a, field);
	pa_i(&a, counter);
	pa_i(&a, number);
	pa_t(&a, request);
	for (k = 0; k < PROTO_RATING_CRITERIA; k++) pa_i(&a, faces[k]);
	rc = srv_pg_cmd(d, SP_RATING_PUT, PUT_SQL, &a);
	return rc < 0 ? -1 : rc > 0;
}

int srv_pg_rating_put_push(srv_db *d, const proto_push *p, long long now, srv_rating_push_result *res)
{
	char commune[6], tomorrow[11];
	int i, rc;
	memset(res, 0, sizeof *res);
	res->acked = -1;
	if (p->nratings == 0) return 0;
	cal_date_format(cal_add_days(vntime_date(now), 1), tomorrow);
	snprintf(commune, sizeof commune, "%.5s", p->kiosk);
	for (i = 0; i < p->nratings; i++) {
		const proto_rating *r = &p->ratings[i];
		pg_args a = { 0 };
		PGresult *q;
		long long n;
		res->acked = r->id;
		pa_t(&a, p->kiosk);
		pa_t(&a, r->day);
		if (!(q = srv_pg_q(d, SP_RATING_DAY_COUNT, "SELECT count(*) FROM rating WHERE kiosk = $1::text AND day = $2::text",
				&a)))
			return -1;
		n = srv_pg_ll(q, 0, 0);
		PQclear(q);
		if (n >= SRV_RATING_KIOSK_DAY_CAP || strcmp(r->day, tomorrow) > 0) { res->refused++; continue; }
		rc = insert(d, "kiosk", p->kiosk, r->id, commune, r->kind, r->day, r->at, r->field, r->counter, r->number,
			r->request, r->faces);
		if (rc < 0) return -1;
		if (rc) res->stored++; else res->duplicates++;
	}
	return 0;
}

int srv_pg_rating_put_phone(srv_db *d, const char *request_id, const char *commune, const char *field,
	const int faces[PROTO_RATING_CRITERIA], long long now, char *err, size_t errlen)
{
	char today[11];
	int rc;
	cal_date_format(vntime_date(now), today);
	rc = insert(d, "phone", "", 0, commune, 2, today, now, field, 0, 0, request_id, faces);
	if (rc < 0) return srv_pg_fail(d, err, errlen, "storing the rating");
	return rc ? 0 : 1;
}

int srv_pg_rating_given(srv_db *d, const char *request_id)
{
	pg_args a = { 0 };
	PGresult *q;
	int n;
	pa_t(&a, request_id);
	if (!(q = srv_pg_q(d, SP_RATING_GIVEN, "SELECT 1 FROM rating WHERE request_id = $1::text AND request_id <> ''", &a)))
		return -1;
	n = PQntuples(q) > 0;
	PQclear(q);
	return n;
}

int srv_pg_rating_rows(srv_db *d, const char *from_day, int single, int (*each)(const srv_rating_row *r, void *arg),
	void *arg, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *q;
	srv_rating_row r;
	int i, k, stop = 0, bad = 0;
	pa_t(&a, from_day);
	q = single ? srv_pg_q(d, SP_RATING_EACH, "SELECT commune, field, counter, (kind = 0)::int, day, source, 1,"
			" (f_reception >= 2)::int, (f_time >= 2)::int, (f_attitude >= 2)::int, (f_result >= 2)::int,"
			" (f_overall >= 2)::int, f_reception, f_time, f_attitude, f_result, f_overall"
			" FROM rating WHERE day >= $1::text ORDER BY day, id", &a)
		: srv_pg_q(d, SP_RATING_FIGURES, "SELECT commune, field, counter, (kind = 0)::int, '', '', count(*),"
			" sum((f_reception >= 2)::int), sum((f_time >= 2)::int), sum((f_attitude >= 2)::int),"
			" sum((f_result >= 2)::int), sum((f_overall >= 2)::int) FROM rating WHERE day >= $1::text"
			" GROUP BY commune, kind = 0, field, counter ORDER BY commune, kind = 0, field, counter", &a);
	if (!q) return srv_pg_fail(d, err, errlen, "reading the ratings");
	for (i = 0; i < PQntuples(q) && !stop && !bad; i++) {
		memset(&r, 0, sizeof r);
		bad = srv_pg_copy(q, i, 0, r.commune, sizeof r.commune) | srv_pg_copy(q, i, 1, r.field, sizeof r.field) |
			srv_pg_copy(q, i, 4, r.day, sizeof r.day) | srv_pg_copy(q, i, 5, r.source, sizeof r.source);
		if (bad) break;
		r.counter = (int)srv_pg_ll(q, i, 2);
		r.neither = (int)srv_pg_ll(q, i, 3);
		r.n = srv_pg_ll(q, i, 6);
		for (k = 0; k < PROTO_RATING_CRITERIA; k++) {
			r.satisfied[k] = srv_pg_ll(q, i, 7 + k);
			if (single) r.faces[k] = (int)srv_pg_ll(q, i, 12 + k);
		}
		stop = each(&r, arg);
	}
	PQclear(q);
	if (bad) { snprintf(err, errlen, "reading the ratings: a value too long"); return -1; }
	if (stop) { snprintf(err, errlen, "reading the ratings: out of memory"); return -1; }
	return 0;
}
