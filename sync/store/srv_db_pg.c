/* srv_db_pg: the PostgreSQL backend of srv_db.h: settings, kiosks,
 * storing a push, the phone page's facts, requests and their events.
 *
 * A push is set-based: its requests travel as one JSON array parameter
 * (jsonb_to_recordset) to a handful of statements, whatever their number:
 * the kiosk's row locked, the envelope remembered, the tokens locked, every
 * request classified at once, the new ones inserted with their events in
 * the push's order, held codes flagged, dialogue questions joined to their
 * conference, conflicts logged, the acknowledged mark moved: about a dozen
 * round trips for 1 or 500 requests.
 *
 * Order of events: a kiosk pulls the events after its cursor, so the
 * events of one kiosk must become visible in id order even with several
 * server processes writing. An identity value is taken at insert time but
 * seen at commit, so two transactions could commit out of order and a pull
 * between them would step over the first's events. Every transaction that
 * adds events for a kiosk therefore takes that kiosk's event lock
 * (pg_advisory_xact_lock(2, hashtext(kiosk))) before its first insert and
 * holds it to its commit: the ids of one kiosk's events are handed out in
 * the order they become visible. Receipt codes are locked the same way
 * (class 3), in hash order, so two kiosks pushing one code at once see
 * each other and both are held. */
#include "srv_pg_int.h"
#include "log.h"
#include "token.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The held flag, as the statements write it. */
#define STR_HELD "8"
_Static_assert(SRV_DB_TRUST_HELD == 8, "STR_HELD is SRV_DB_TRUST_HELD");

#define SAY_TOOBIG(err, errlen, what) snprintf(err, errlen, "%s: a stored value is longer than its field", what)

/* ---- settings ---- */

int srv_pg_db_meta_set(srv_db *d, const char *key, const char *value, char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_t(&a, key);
	pa_t(&a, value);
	if (srv_pg_cmd(d, SP_META_SET, "INSERT INTO meta(key, value) VALUES($1::text, $2::text)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value", &a) < 0)
		return srv_pg_fail(d, err, errlen, "saving a setting");
	return 0;
}

int srv_pg_db_meta_get(srv_db *d, const char *key, char *out, size_t outlen)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	out[0] = '\0';
	pa_t(&a, key);
	if (!(r = srv_pg_q(d, SP_META_GET, "SELECT value FROM meta WHERE key = $1::text", &a))) return -1;
	rc = PQntuples(r) == 0 ? 0 : srv_pg_copy(r, 0, 0, out, outlen) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}

/* ---- kiosks ---- */

#define KIOSK_COLS "id, key, revoked::int, added_at, last_seen, last_n, acked, clock_offset"

static int read_kiosk(const PGresult *r, int row, srv_db_kiosk *k)
{
	size_t len = 0;
	unsigned char *key;
	memset(k, 0, sizeof *k);
	if (srv_pg_copy(r, row, 0, k->id, sizeof k->id) != 0) return -1;
	if (!(key = srv_pg_bytes(r, row, 1, &len))) return -1;
	if (len == ENV_PK_BYTES) memcpy(k->key, key, ENV_PK_BYTES);
	free(key);
	k->revoked = (int)srv_pg_ll(r, row, 2);
	k->added_at = srv_pg_ll(r, row, 3);
	k->last_seen = srv_pg_ll(r, row, 4);
	k->last_n = srv_pg_ll(r, row, 5);
	k->acked = srv_pg_ll(r, row, 6);
	k->clock_offset = srv_pg_ll(r, row, 7);
	k->requests = srv_pg_ll(r, row, 8);
	return 0;
}

int srv_pg_db_kiosk_add(srv_db *d, const char *id, const unsigned char key[ENV_PK_BYTES], long long now,
	char *err, size_t errlen)
{
	pg_args a = { 0 };
	pa_t(&a, id);
	pa_b(&a, key, ENV_PK_BYTES);
	pa_i(&a, now);
	if (srv_pg_cmd(d, SP_KIOSK_ADD, "INSERT INTO kiosk(id, key, added_at) VALUES($1::text, $2::bytea, $3::bigint)",
			&a) >= 0)
		return 0;
	if (srv_pg_unique_violation(d)) {
		snprintf(err, errlen, "kiosk %s is already registered (revoke it and register it under a new number"
			" to change its key)", id);
		return -1;
	}
	return srv_pg_fail(d, err, errlen, "registering the kiosk");
}

int srv_pg_db_kiosk_revoke(srv_db *d, const char *id, char *err, size_t errlen)
{
	pg_args a = { 0 };
	srv_db_kiosk k;
	long long n;
	int found;
	pa_t(&a, id);
	n = srv_pg_cmd(d, SP_KIOSK_REVOKE, "UPDATE kiosk SET revoked = true WHERE id = $1::text AND NOT revoked", &a);
	if (n < 0) return srv_pg_fail(d, err, errlen, "revoking the kiosk");
	if (n == 1) return 0;
	found = srv_pg_db_kiosk_get(d, id, &k);
	if (found < 0) return srv_pg_fail(d, err, errlen, "revoking the kiosk");
	snprintf(err, errlen, found ? "kiosk %s is already revoked" : "unknown kiosk %s (see `kiosk list`)", id);
	return -1;
}

static int kiosk_get(srv_db *d, srv_pg_slot q, const char *sql, const char *id, srv_db_kiosk *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, id);
	if (!(r = srv_pg_q(d, q, sql, &a))) return -1;
	rc = PQntuples(r) == 0 ? 0 : read_kiosk(r, 0, out) == 0 ? 1 : -1;
	PQclear(r);
	return rc;
}

int srv_pg_db_kiosk_get(srv_db *d, const char *id, srv_db_kiosk *out)
{
	return kiosk_get(d, SP_KIOSK_GET, "SELECT " KIOSK_COLS ", 0 FROM kiosk WHERE id = $1::text", id, out);
}

int srv_pg_db_kiosk_list(srv_db *d, int (*each)(const srv_db_kiosk *k, void *arg), void *arg,
	char *err, size_t errlen)
{
	PGresult *r = srv_pg_q(d, SP_KIOSK_LIST, "SELECT " KIOSK_COLS ", (SELECT count(*) FROM request"
		" WHERE request.kiosk = kiosk.id) FROM kiosk ORDER BY id", NULL);
	srv_db_kiosk k;
	int i, rc = 0;
	if (!r) return srv_pg_fail(d, err, errlen, "listing kiosks");
	for (i = 0; i < PQntuples(r); i++) {
		if (read_kiosk(r, i, &k) != 0) {
			rc = -1;
			SAY_TOOBIG(err, errlen, "listing kiosks");
			break;
		}
		if (each(&k, arg) != 0) break;
	}
	PQclear(r);
	return rc;
}

/* ---- events ---- */

/* The last column: the event takes the date away (proto_event.undated). */
#define EVENT_COLS "id, request_id, at, status, note, deadline, (action = 'conference' AND deadline = '')::int"

static int read_event(const PGresult *r, int row, proto_event *e)
{
	e->id = srv_pg_ll(r, row, 0);
	e->at = srv_pg_ll(r, row, 2);
	e->undated = srv_pg_ll(r, row, 6) != 0;
	return srv_pg_copy(r, row, 1, e->request, sizeof e->request) | srv_pg_copy(r, row, 3, e->status, sizeof e->status) |
		srv_pg_copy(r, row, 4, e->note, sizeof e->note) | srv_pg_copy(r, row, 5, e->deadline, sizeof e->deadline);
}

static int each_event(PGresult *r, int (*each)(const proto_event *e, void *arg), void *arg)
{
	proto_event *e = malloc(sizeof *e);
	int i, rc = 0;
	if (!e) return -1;
	for (i = 0; i < PQntuples(r); i++) {
		if (read_event(r, i, e) != 0) {
			rc = -2;
			break;
		}
		if (each(e, arg) != 0) break;
	}
	free(e);
	return rc;
}

int srv_pg_db_kiosk_events(srv_db *d, const char *kiosk, long long cursor, int limit,
	int (*each)(const proto_event *e, void *arg), void *arg, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, kiosk);
	pa_i(&a, cursor);
	pa_i(&a, limit);
	r = srv_pg_q(d, SP_EVENTS_AFTER, "SELECT " EVENT_COLS " FROM event WHERE kiosk = $1::text AND id > $2::bigint"
		" ORDER BY id LIMIT $3::integer", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "reading the events");
	rc = each_event(r, each, arg);
	PQclear(r);
	if (rc == -2) snprintf(err, errlen, "reading the events: a stored event is longer than the protocol allows");
	else if (rc < 0) snprintf(err, errlen, "reading the events: out of memory");
	return rc < 0 ? -1 : 0;
}

int srv_pg_db_request_events(srv_db *d, const char *request_id,
	int (*each)(const proto_event *e, void *arg), void *arg)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, request_id);
	r = srv_pg_q(d, SP_REQUEST_EVENTS, "SELECT " EVENT_COLS " FROM event WHERE request_id = $1::text ORDER BY id", &a);
	if (!r) return -1;
	rc = each_event(r, each, arg);
	PQclear(r);
	return rc < 0 ? -1 : 0;
}

/* ---- storing a push ---- */

typedef enum { STORED_NEW, STORED_SAME, CONFLICT_CONTENT, CONFLICT_TOKEN } store_outcome;

/* The requests of a push as one JSON array, each with its place i and the
 * server's decision on its dates; NULL when out of memory. */
static json_t *push_json(const proto_push *p, const srv_db_trust *trust)
{
	json_t *all = json_array();
	int i;
	for (i = 0; all && i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		const srv_db_trust *t = trust ? &trust[i] : NULL;
		size_t blen = sodium_base64_encoded_len(r->sealed_len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(blen);
		json_t *o;
		if (!b64) goto fail;
		sodium_bin2base64(b64, blen, r->sealed, r->sealed_len, sodium_base64_VARIANT_ORIGINAL);
		o = json_pack("{s:i, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:i, s:s, s:s}",
			"i", i, "id", r->id, "seq", (json_int_t)r->seq, "token", r->token, "category", r->category,
			"procedure", r->procedure, "received_at", (json_int_t)(t ? t->received_at : r->received_at),
			"kiosk_received_at", (json_int_t)r->received_at, "deadline", r->deadline,
			"due", t && t->due[0] ? t->due : r->deadline, "flags", t ? t->flags : 0, "note", t ? t->note : "",
			"sealed", b64);
		free(b64);
		if (!o || json_array_append_new(all, o) != 0) goto fail;
	}
	return all;
fail:
	json_decref(all);
	return NULL;
}

/* The column list of a push's JSON rows, for jsonb_to_recordset. */
#define PUSH_ROW "x(i integer, id text, seq bigint, token text, category text, procedure text," \
	" received_at bigint, kiosk_received_at bigint, deadline text, due text, flags integer, note text, sealed text)"

static int same_request(const proto_request *a, const proto_request *b)
{
	return strcmp(a->token, b->token) == 0 && strcmp(a->category, b->category) == 0 &&
		strcmp(a->procedure, b->procedure) == 0 && strcmp(a->deadline, b->deadline) == 0 &&
		a->seq == b->seq && a->received_at == b->received_at && a->sealed_len == b->sealed_len &&
		memcmp(a->sealed, b->sealed, a->sealed_len) == 0;
}

/* Decides each request's outcome from the classification rows (in the
 * push's order) as the SQLite backend's one-by-one storing would: a code a
 * request of the same kiosk holds, a known id, a code another kiosk's
 * request holds; and, within the push, a code or an id an earlier request
 * of it took. out[i], other[i]. */
static void decide(const proto_push *p, const PGresult *r, store_outcome *out, char (*other)[40])
{
	int i, j;
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *q = &p->requests[i];
		other[i][0] = '\0';
		if (PQgetlength(r, i, 3) > 0) {
			out[i] = CONFLICT_TOKEN;
			srv_pg_copy(r, i, 3, other[i], 40);
			continue;
		}
		if (srv_pg_ll(r, i, 1)) {
			out[i] = srv_pg_ll(r, i, 2) ? STORED_SAME : CONFLICT_CONTENT;
			continue;
		}
		out[i] = STORED_NEW;
		for (j = 0; j < i; j++) {
			if (out[j] != STORED_NEW) continue;
			if (strcmp(p->requests[j].id, q->id) == 0) {
				out[i] = same_request(&p->requests[j], q) ? STORED_SAME : CONFLICT_CONTENT;
				break;
			}
			if (strcmp(p->requests[j].token, q->token) == 0) {
				out[i] = CONFLICT_TOKEN;
				snprintf(other[i], 40, "%s", p->requests[j].id);
				break;
			}
		}
		if (out[i] == STORED_NEW && PQgetlength(r, i, 4) > 0) srv_pg_copy(r, i, 4, other[i], 40);
	}
}

static PGresult *with_json(srv_db *d, srv_pg_slot q, const char *sql, json_t *j, const char *kiosk, long long now)
{
	char *text = json_dumps(j, JSON_COMPACT);
	pg_args a = { 0 };
	PGresult *r;
	if (!text) return NULL;
	pa_t(&a, text);
	pa_t(&a, kiosk);
	pa_i(&a, now);
	r = srv_pg_q(d, q, sql, &a);
	free(text);
	return r;
}

static int run_json(srv_db *d, srv_pg_slot q, const char *sql, json_t *j, const char *kiosk, long long now)
{
	PGresult *r = with_json(d, q, sql, j, kiosk, now);
	PQclear(r);
	return r ? 0 : -1;
}

/* Stores the requests of a push inside its transaction: 0 or -1. */
static int store_requests(srv_db *d, const proto_push *p, json_t *rows, long long now, srv_db_push_result *res)
{
	store_outcome *out = calloc((size_t)p->nrequests, sizeof *out);
	char (*other)[40] = calloc((size_t)p->nrequests, sizeof *other);
	json_t *fresh = json_array(), *holds = json_array(), *conflicts = json_array(), *tokens = json_array();
	PGresult *r = NULL;
	int i, rc = -1, dialogue = 0;
	if (!out || !other || !fresh || !holds || !conflicts || !tokens) goto done;
	for (i = 0; i < p->nrequests; i++)
		if (json_array_append_new(tokens, json_string(p->requests[i].token)) != 0) goto done;
	if (!(r = with_json(d, SP_TOKEN_LOCKS, "SELECT count(pg_advisory_xact_lock(3, h)) FROM (SELECT DISTINCT"
			" hashtext(t) AS h FROM jsonb_array_elements_text($1::jsonb) t ORDER BY 1) s"
			" WHERE $2::text IS NOT NULL AND $3::bigint IS NOT NULL", tokens, p->kiosk, now)))
		goto done;
	PQclear(r);
	r = with_json(d, SP_CLASSIFY, "SELECT x.i, (r.id IS NOT NULL)::int, coalesce((r.kiosk = $2::text AND r.seq = x.seq"
		" AND r.token = x.token AND r.category = x.category AND r.procedure = x.procedure"
		" AND coalesce(r.kiosk_received_at, r.received_at) = x.kiosk_received_at AND r.deadline = x.deadline"
		" AND r.sealed = decode(x.sealed, 'base64'))::int, 0),"
		" coalesce((SELECT min(o.id) FROM request o WHERE o.token = x.token AND o.id <> x.id AND o.kiosk = $2), ''),"
		" coalesce((SELECT max(o.id) FROM request o WHERE o.token = x.token AND o.id <> x.id AND o.kiosk <> $2), '')"
		" FROM jsonb_to_recordset($1::jsonb) AS " PUSH_ROW " LEFT JOIN request r ON r.id = x.id"
		" WHERE $3::bigint IS NOT NULL ORDER BY x.i", rows, p->kiosk, now);
	if (!r || PQntuples(r) != p->nrequests) goto done;
	decide(p, r, out, other);
	PQclear(r);
	r = NULL;
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *q = &p->requests[i];
		json_t *row = json_array_get(rows, (size_t)i);
		srv_db_conflict *c;
		char note[160];
		if (out[i] == STORED_NEW) {
			res->stored++;
			dialogue |= strcmp(q->category, "dialogue") == 0;
			if (other[i][0]) {
				/* A code another kiosk's request holds: both kept, held for staff. */
				snprintf(note, sizeof note, "receipt code claimed by another kiosk's request too (%.39s)", other[i]);
				json_object_set_new(row, "flags",
					json_integer(json_integer_value(json_object_get(row, "flags")) | SRV_DB_TRUST_HELD));
				json_object_set_new(row, "note", json_string(note));
				snprintf(note, sizeof note, "receipt code claimed by another kiosk's request too (%.39s)", q->id);
				if (json_array_append_new(holds, json_pack("{s:s, s:s}", "token", q->token, "note", note)) != 0)
					goto done;
				log_warn("receipt code of request %s (kiosk %s) is claimed by request %s too: both held for staff",
					q->id, p->kiosk, other[i]);
			}
			if (json_array_append(fresh, row) != 0) goto done;
			continue;
		}
		if (out[i] == STORED_SAME) continue;
		if (json_array_append_new(conflicts, json_pack("{s:s, s:s, s:s}", "id", q->id, "reason",
				other[i][0] ? "token" : "content", "other", other[i])) != 0)
			goto done;
		c = &res->conflicts[res->nconflicts++];
		memcpy(c->id, q->id, sizeof c->id);
		memcpy(c->other, other[i], sizeof c->other);
		c->seq = q->seq;
	}
	if (json_array_size(fresh) > 0) {
		if (run_json(d, SP_REQUEST_INSERT, "INSERT INTO request(id, kiosk, seq, token, category, procedure,"
				" received_at, received_server_at, deadline, status, updated_at, sealed, commune, due,"
				" kiosk_received_at, trust, trust_note) SELECT x.id, $2::text, x.seq, x.token, x.category,"
				" x.procedure, x.received_at, $3::bigint, x.deadline, 'synced', $3, decode(x.sealed, 'base64'),"
				" substr($2, 1, 5), x.due, x.kiosk_received_at, x.flags, x.note"
				" FROM jsonb_to_recordset($1::jsonb) AS " PUSH_ROW " ORDER BY x.i", fresh, p->kiosk, now) != 0 ||
		    run_json(d, SP_EVENT_SYNCED, "INSERT INTO event(request_id, kiosk, at, status)"
				" SELECT x.id, $2::text, $3::bigint, 'synced' FROM jsonb_to_recordset($1::jsonb)"
				" AS x(i integer, id text) ORDER BY x.i", fresh, p->kiosk, now) != 0)
			goto done;
	}
	if (json_array_size(holds) > 0 &&
	    run_json(d, SP_TOKEN_HOLD, "UPDATE request SET trust = trust | " STR_HELD ", trust_note = CASE WHEN"
			" trust_note = '' THEN h.note ELSE trust_note END FROM jsonb_to_recordset($1::jsonb)"
			" AS h(token text, note text) WHERE request.token = h.token AND $2::text IS NOT NULL"
			" AND $3::bigint IS NOT NULL", holds, p->kiosk, now) != 0)
		goto done;
	/* A dialogue question is for its commune's next standing conference
	 * after it was filed; one its kiosk dated by a cancelled one has no
	 * date (srv_sqlite.c, SQ_ATTACH_DIALOGUE). */
	if (dialogue &&
	    run_json(d, SP_ATTACH_DIALOGUE, "UPDATE request SET conference_id = (SELECT c.id FROM conference c"
			" WHERE c.commune = request.commune AND c.cancelled_at = 0 AND c.at > request.received_at"
			" ORDER BY c.at, c.id LIMIT 1),"
			" due = coalesce((SELECT " PG_DAY("c.at") " FROM conference c WHERE c.commune = request.commune"
			" AND c.cancelled_at = 0 AND c.at > request.received_at ORDER BY c.at, c.id LIMIT 1),"
			" CASE WHEN EXISTS (SELECT 1 FROM " PG_CANCELLED_DAY ") THEN '' ELSE request.due END)"
			" WHERE request.kiosk = $2::text AND request.received_server_at = $3::bigint"
			" AND request.category = 'dialogue' AND request.id IN (SELECT x.id FROM jsonb_to_recordset($1::jsonb)"
			" AS x(id text))", fresh, p->kiosk, now) != 0)
		goto done;
	/* One the kiosk dated by its own reckoning is told the conference's
	 * day, or that it has none. */
	if (dialogue &&
	    run_json(d, SP_DIALOGUE_EVENT, "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
			" SELECT request.id, request.kiosk, $3::bigint, 'synced', coalesce(s.place, (SELECT c.cancel_reason"
			" FROM " PG_CANCELLED_DAY " ORDER BY c.id DESC LIMIT 1), ''), request.due, 'conference' FROM request"
			" LEFT JOIN conference s ON s.id = request.conference_id WHERE request.kiosk = $2::text"
			" AND request.received_server_at = $3::bigint AND request.category = 'dialogue'"
			" AND (request.conference_id IS NOT NULL OR request.due = '') AND request.due <> request.deadline"
			" AND request.id IN (SELECT x.id FROM jsonb_to_recordset($1::jsonb) AS x(id text)) ORDER BY request.id",
			fresh, p->kiosk, now) != 0)
		goto done;
	if (json_array_size(conflicts) > 0 &&
	    run_json(d, SP_CONFLICT_LOG, "INSERT INTO conflict(request_id, kiosk, reason, other_id, first_at, last_at)"
			" SELECT DISTINCT ON (x.id, x.reason) x.id, $2::text, x.reason, x.other, $3::bigint, $3"
			" FROM jsonb_to_recordset($1::jsonb) AS x(id text, reason text, other text)"
			" ON CONFLICT(request_id, reason) DO UPDATE SET other_id = excluded.other_id,"
			" last_at = excluded.last_at, count = conflict.count + 1", conflicts, p->kiosk, now) != 0)
		goto done;
	rc = 0;
done:
	PQclear(r);
	json_decref(fresh);
	json_decref(holds);
	json_decref(conflicts);
	json_decref(tokens);
	free(out);
	free(other);
	return rc;
}

/* One try at storing a push: 0, 1 when PostgreSQL asks for the
 * transaction to be run again (a deadlock it broke), -1. */
static int store_push_once(srv_db *d, const proto_push *p, json_t *rows, long long now, srv_db_push_result *res)
{
	srv_db_kiosk k;
	pg_args a = { 0 };
	PGresult *r;
	int found;
	long long floor;
	if (srv_pg_exec(d, "BEGIN") != 0) return -1;
	/* The counter and the revocation are read again with the kiosk's row
	 * locked, so two copies of one envelope racing in cannot both pass, in
	 * this process or another. */
	found = kiosk_get(d, SP_KIOSK_LOCK, "SELECT " KIOSK_COLS ", 0 FROM kiosk WHERE id = $1::text FOR UPDATE",
		p->kiosk, &k);
	if (found < 0) goto fail;
	if (found && !k.revoked && p->n <= k.last_n) {
		pa_t(&a, p->kiosk);
		pa_i(&a, p->n);
		pa_i(&a, k.last_n - SRV_DB_ENVELOPE_WINDOW);
		if (!(r = srv_pg_q(d, SP_ENVELOPE_SEEN, "SELECT ($2::bigint <= greatest(seen_floor, $3::bigint) OR EXISTS("
				"SELECT 1 FROM envelope_seen WHERE kiosk = $1::text AND n = $2))::int FROM kiosk WHERE id = $1", &a)))
			goto fail;
		res->late = PQntuples(r) == 1 && !srv_pg_ll(r, 0, 0);
		PQclear(r);
	}
	if (!found || k.revoked || (p->n <= k.last_n && !res->late)) {
		res->revoked = !found || k.revoked;
		res->replay = !res->revoked;
		res->last_n = res->replay ? k.last_n : 0;
		srv_pg_rollback(d);
		return 0;
	}
	/* The number remembered, those below the window forgotten; a late
	 * envelope leaves the kiosk's counter, contact and offset as they were. */
	floor = (res->late ? k.last_n : p->n) - SRV_DB_ENVELOPE_WINDOW;
	memset(&a, 0, sizeof a);
	pa_t(&a, p->kiosk);
	pa_i(&a, p->n);
	pa_i(&a, floor);
	pa_t(&a, res->late ? "true" : "false");
	pa_i(&a, now);
	pa_i(&a, now - p->clock);
	if (srv_pg_cmd(d, SP_ENVELOPE_REMEMBER, "WITH seen AS (INSERT INTO envelope_seen(kiosk, n)"
			" VALUES($1::text, $2::bigint) ON CONFLICT DO NOTHING), gone AS (DELETE FROM envelope_seen"
			" WHERE kiosk = $1 AND n <= $3::bigint AND $3 > 0)"
			" UPDATE kiosk SET seen_floor = CASE WHEN $3 > 0 THEN greatest(seen_floor, $3) ELSE seen_floor END,"
			" last_n = CASE WHEN $4::boolean THEN last_n ELSE $2 END,"
			" last_seen = CASE WHEN $4 THEN last_seen ELSE $5::bigint END,"
			" clock_offset = CASE WHEN $4 THEN clock_offset ELSE $6::bigint END WHERE id = $1", &a) < 0)
		goto fail;
	if (p->nrequests > 0) {
		memset(&a, 0, sizeof a);
		pa_t(&a, p->kiosk);
		if (srv_pg_cmd(d, SP_EVENT_LOCK, "SELECT pg_advisory_xact_lock(2, hashtext($1::text))", &a) < 0 ||
		    store_requests(d, p, rows, now, res) != 0)
			goto fail;
	}
	/* The mark moves past every seq now stored after it, in one statement:
	 * the end of the run of stored seqs that starts right after it. */
	memset(&a, 0, sizeof a);
	pa_t(&a, p->kiosk);
	pa_i(&a, k.acked);
	if (!(r = srv_pg_q(d, SP_ACKED, "UPDATE kiosk SET acked = coalesce((SELECT min(s.seq) FROM request s"
			" WHERE s.kiosk = $1::text AND s.seq > $2::bigint AND EXISTS(SELECT 1 FROM request f WHERE f.kiosk = $1"
			" AND f.seq = $2 + 1) AND NOT EXISTS(SELECT 1 FROM request n WHERE n.kiosk = $1 AND n.seq = s.seq + 1)),"
			" $2) WHERE id = $1 RETURNING acked", &a)))
		goto fail;
	res->acked = PQntuples(r) == 1 ? srv_pg_ll(r, 0, 0) : k.acked;
	PQclear(r);
	/* A late envelope's queue figures are older than those held. */
	if (!res->late && srv_pg_store_queue(d, p, now) != 0) goto fail;
	if (srv_pg_rating_put_push(d, p, now, &res->ratings) != 0) goto fail;
	if (srv_pg_exec(d, "COMMIT") == 0) return 0;
fail:
	srv_pg_rollback(d);
	return srv_pg_retryable(d) ? 1 : -1;
}

int srv_pg_db_store_push(srv_db *d, const proto_push *p, const srv_db_trust *trust, long long now,
	srv_db_push_result *res, char *err, size_t errlen)
{
	json_t *rows;
	int tries, rc = -1;
	memset(res, 0, sizeof *res);
	if (!(rows = push_json(p, trust))) {
		snprintf(err, errlen, "storing the push: out of memory (or a text that is not UTF-8)");
		return -1;
	}
	for (tries = 0; tries < 5; tries++) {
		json_t *copy = json_deep_copy(rows);
		srv_db_push_result_free(res);
		if (!copy || (p->nrequests > 0 && !(res->conflicts = calloc((size_t)p->nrequests, sizeof *res->conflicts)))) {
			json_decref(copy);
			snprintf(err, errlen, "storing the push: out of memory");
			rc = -2;
			break;
		}
		rc = store_push_once(d, p, copy, now, res);
		json_decref(copy);
		if (rc != 1) break;
	}
	json_decref(rows);
	if (rc == 0) return 0;
	if (rc == -1 || rc == 1) srv_pg_fail(d, err, errlen, "storing the push");
	srv_db_push_result_free(res);
	return -1;
}

/* ---- lookups ---- */

/* SP_LOOKUP's columns: the request's, then one event's. The apology is
 * the newest 'reschedule' event's note: found among the events read, and
 * only where they do not reach back that far (a request with more than
 * SRV_DB_FACTS_EVENTS events) read by SP_LOOKUP_APOLOGY, the same lookup
 * with the apology's subquery, again one snapshot. A subquery in every
 * lookup cost about 3 us of its 19 us in PostgreSQL, though it ran only
 * for a rescheduled request: PostgreSQL initialises it each time. */
enum { LK_ID, LK_CATEGORY, LK_PROCEDURE, LK_RECEIVED, LK_DUE, LK_STATUS, LK_UPDATED, LK_APPOINTMENT, LK_ACCEPTED,
	LK_CLOSED, LK_TRUST, LK_APOLOGY, LK_EVENT_ID, LK_EVENT_AT, LK_EVENT_STATUS, LK_EVENT_NOTE, LK_EVENT_ACTION };

#define LOOKUP_SQL(apology) "SELECT q.id, q.category, q.procedure, q.received_at, q.due, q.status, q.updated_at," \
	" q.appointment, (q.accepted_at IS NOT NULL)::int, (q.closed_at IS NOT NULL)::int, q.trust, " apology "," \
	" e.id, e.at, e.status, e.note, e.action" \
	" FROM request q LEFT JOIN LATERAL (SELECT id, at, status, note, action FROM event WHERE request_id = q.id" \
	"  ORDER BY id DESC LIMIT $2::integer) e ON true" \
	" WHERE q.token = $1::text"

/* Row a's request shows before row b's: one staff did not set aside first,
 * then the smaller id (C collation: bytes), as the SQLite backend orders. */
static int lookup_before(const PGresult *r, int a, int b)
{
	int na = (srv_pg_ll(r, a, LK_TRUST) & SRV_DB_TRUST_NOT_CHOSEN) != 0;
	int nb = (srv_pg_ll(r, b, LK_TRUST) & SRV_DB_TRUST_NOT_CHOSEN) != 0;
	if (na != nb) return na < nb;
	return strcmp(PQgetvalue(r, a, LK_ID), PQgetvalue(r, b, LK_ID)) < 0;
}

typedef struct { long long id; int row; } lookup_event;

static int event_order(const void *a, const void *b)
{
	long long x = ((const lookup_event *)a)->id, y = ((const lookup_event *)b)->id;
	return x < y ? -1 : x > y;
}

/* One run of a lookup statement (SP_LOOKUP, or SP_LOOKUP_APOLOGY when
 * whole). 1, 0 (no such code), SRV_DB_HELD, -1; 2: the events read do
 * not reach the apology, run it whole. */
static int lookup_run(srv_db *d, const char *token, srv_db_facts *f, int whole)
{
	pg_args a = { 0 };
	PGresult *r;
	lookup_event ev[SRV_DB_FACTS_EVENTS];
	const char *id;
	int i, n, best = 0, nev = 0, bad, again = 0, result = -1;
	f->nevents = 0;
	f->accepted = f->closed = 0;
	f->category[0] = f->procedure[0] = f->due[0] = f->status[0] = '\0';
	f->appointment[0] = f->apology[0] = '\0';
	f->received_at = f->updated_at = 0;
	if (strlen(token) >= sizeof f->token) return 0;
	memcpy(f->token, token, strlen(token) + 1);
	pa_t(&a, token);
	pa_i(&a, SRV_DB_FACTS_EVENTS);
	/* One statement is one snapshot: the request, its latest events and its
	 * apology together, even while a staff update commits. It is a join, one
	 * row per event, not a json_agg of them in a subquery: PostgreSQL runs it
	 * in about half the time (pgbench, 100,000 stored), and the phone page's
	 * lookups are most of what a PostgreSQL store does. Of two requests that
	 * hold one code (rare), C picks the one shown, as SQLite's ORDER BY does. */
	r = whole ? srv_pg_q(d, SP_LOOKUP_APOLOGY, LOOKUP_SQL("CASE WHEN q.appointment <> '' THEN (SELECT note FROM event"
			" WHERE request_id = q.id AND action = 'reschedule' ORDER BY id DESC LIMIT 1) END"), &a)
		: srv_pg_q(d, SP_LOOKUP, LOOKUP_SQL("NULL::text"), &a);
	if (!r) return -1;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 0;
	}
	for (i = 1; i < n; i++)
		if (lookup_before(r, i, best)) best = i;
	/* A code two kiosks claim shows neither request. */
	if (srv_pg_ll(r, best, LK_TRUST) & SRV_DB_TRUST_HELD) {
		PQclear(r);
		memset(f, 0, sizeof *f);
		memcpy(f->token, token, strlen(token) + 1);
		return SRV_DB_HELD;
	}
	bad = srv_pg_copy(r, best, LK_CATEGORY, f->category, sizeof f->category) |
		srv_pg_copy(r, best, LK_PROCEDURE, f->procedure, sizeof f->procedure) |
		srv_pg_copy(r, best, LK_DUE, f->due, sizeof f->due) | srv_pg_copy(r, best, LK_STATUS, f->status, sizeof f->status) |
		srv_pg_copy(r, best, LK_APPOINTMENT, f->appointment, sizeof f->appointment) |
		(whole ? srv_pg_copy(r, best, LK_APOLOGY, f->apology, sizeof f->apology) : 0);
	f->received_at = srv_pg_ll(r, best, LK_RECEIVED);
	f->updated_at = srv_pg_ll(r, best, LK_UPDATED);
	f->accepted = (int)srv_pg_ll(r, best, LK_ACCEPTED);
	f->closed = (int)srv_pg_ll(r, best, LK_CLOSED);
	/* Its events, oldest first, whatever order the rows came in. */
	id = PQgetvalue(r, best, LK_ID);
	for (i = 0; i < n && nev < SRV_DB_FACTS_EVENTS; i++)
		if (!PQgetisnull(r, i, LK_EVENT_ID) && strcmp(PQgetvalue(r, i, LK_ID), id) == 0) {
			ev[nev].id = srv_pg_ll(r, i, LK_EVENT_ID);
			ev[nev++].row = i;
		}
	qsort(ev, (size_t)nev, sizeof ev[0], event_order);
	for (i = 0; i < nev && !bad; i++) {
		srv_db_note *e = &f->events[f->nevents++];
		e->at = srv_pg_ll(r, ev[i].row, LK_EVENT_AT);
		bad = srv_pg_copy(r, ev[i].row, LK_EVENT_STATUS, e->status, sizeof e->status) |
			srv_pg_copy(r, ev[i].row, LK_EVENT_NOTE, e->note, sizeof e->note);
	}
	if (!bad && !whole && f->appointment[0]) {
		/* the newest reschedule among the events read, newest last */
		for (i = nev - 1; i >= 0 && strcmp(PQgetvalue(r, ev[i].row, LK_EVENT_ACTION), "reschedule") != 0; i--) {}
		if (i >= 0) bad = srv_pg_copy(r, ev[i].row, LK_EVENT_NOTE, f->apology, sizeof f->apology);
		else again = nev == SRV_DB_FACTS_EVENTS;
	}
	if (!bad) result = again ? 2 : 1;
	PQclear(r);
	return result;
}

int srv_pg_db_lookup(srv_db *d, const char *token, srv_db_facts *f)
{
	int rc = lookup_run(d, token, f, 0);
	return rc == 2 ? lookup_run(d, token, f, 1) : rc;
}

#define REQUEST_COLS "id, kiosk, seq, token, category, procedure, received_at, received_server_at," \
	" deadline, status, updated_at, sealed, coalesce(kiosk_received_at, received_at), due, trust, trust_note"

static int read_request(const PGresult *r, srv_db_request *q)
{
	int bad = srv_pg_copy(r, 0, 0, q->id, sizeof q->id) | srv_pg_copy(r, 0, 1, q->kiosk, sizeof q->kiosk) |
		srv_pg_copy(r, 0, 3, q->token, sizeof q->token) | srv_pg_copy(r, 0, 4, q->category, sizeof q->category) |
		srv_pg_copy(r, 0, 5, q->procedure, sizeof q->procedure) | srv_pg_copy(r, 0, 8, q->deadline, sizeof q->deadline) |
		srv_pg_copy(r, 0, 9, q->status, sizeof q->status) | srv_pg_copy(r, 0, 13, q->due, sizeof q->due) |
		srv_pg_copy(r, 0, 15, q->trust_note, sizeof q->trust_note);
	q->seq = srv_pg_ll(r, 0, 2);
	q->received_at = srv_pg_ll(r, 0, 6);
	q->received_server_at = srv_pg_ll(r, 0, 7);
	q->updated_at = srv_pg_ll(r, 0, 10);
	q->sealed = srv_pg_bytes(r, 0, 11, &q->sealed_len);
	q->kiosk_received_at = srv_pg_ll(r, 0, 12);
	q->trust = (int)srv_pg_ll(r, 0, 14);
	return bad || !q->sealed ? -1 : 0;
}

static int find_by(srv_db *d, srv_pg_slot q, const char *sql, const char *key, srv_db_request *out)
{
	pg_args a = { 0 };
	PGresult *r;
	int rc;
	pa_t(&a, key);
	if (!(r = srv_pg_q(d, q, sql, &a))) return -1;
	rc = PQntuples(r) == 0 ? 0 : 1;
	if (rc == 1 && read_request(r, out) != 0) {
		srv_db_request_free(out);
		rc = -1;
	}
	PQclear(r);
	return rc;
}

int srv_pg_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out)
{
	char token[TOKEN_LEN + 1];
	int rc;
	memset(out, 0, sizeof *out);
	rc = find_by(d, SP_REQUEST_BY_ID, "SELECT " REQUEST_COLS " FROM request WHERE id = $1::text", token_or_id, out);
	if (rc != 0) return rc;
	if (token_parse(token_or_id, token) != TOKEN_OK) return 0;
	return find_by(d, SP_REQUEST_BY_TOKEN, "SELECT " REQUEST_COLS " FROM request WHERE token = $1::text ORDER BY id"
		" LIMIT 1", token, out);
}

/* One round trip for them all: the ids as one text[] literal, each
 * quoted. */
int srv_pg_db_sealed_each(srv_db *d, const char *const *ids, int n,
	int (*each)(int i, const unsigned char *sealed, size_t len, void *arg), void *arg)
{
	char list[SRV_DB_SEALED_MAX * 90 + 3];
	size_t at = 0;
	const char *p;
	pg_args a = { 0 };
	PGresult *r;
	int i, k, rows, stop = 0;
	if (n > SRV_DB_SEALED_MAX) return -1;
	list[at++] = '{';
	for (i = 0; i < n; i++) {
		if (strlen(ids[i]) > 40) return -1;
		if (i) list[at++] = ',';
		list[at++] = '"';
		for (p = ids[i]; *p; p++) {
			if (*p == '"' || *p == '\\') list[at++] = '\\';
			list[at++] = *p;
		}
		list[at++] = '"';
	}
	list[at++] = '}';
	list[at] = '\0';
	pa_t(&a, list);
	if (!(r = srv_pg_q(d, SP_SEALED_MANY, "SELECT id, sealed FROM request WHERE id = ANY($1::text[])", &a)))
		return -1;
	rows = PQntuples(r);
	for (k = 0; k < rows && !stop; k++) {
		size_t len = 0;
		unsigned char *sealed;
		for (i = 0; i < n && strcmp(ids[i], PQgetvalue(r, k, 0)) != 0; i++) {}
		if (i == n || !(sealed = srv_pg_bytes(r, k, 1, &len))) continue;
		stop = each(i, sealed, len, arg);
		free(sealed);
	}
	PQclear(r);
	return 0;
}

long long srv_pg_db_count(srv_db *d)
{
	PGresult *r = srv_pg_q(d, SP_COUNT, "SELECT count(*) FROM request", NULL);
	long long n = r ? srv_pg_ll(r, 0, 0) : -1;
	PQclear(r);
	return n;
}

/* ---- flagged requests ---- */

int srv_pg_db_flagged(srv_db *d, int mask, const char *commune, int offset, int limit,
	int (*each)(const srv_db_flag *f, void *arg), void *arg, char *err, size_t errlen)
{
	pg_args a = { 0 };
	PGresult *r;
	srv_db_flag f;
	int i;
	pa_i(&a, mask);
	pa_t(&a, commune);
	pa_i(&a, limit < 1 ? 1 : limit > 500 ? 500 : limit);
	pa_i(&a, offset < 0 ? 0 : offset);
	r = srv_pg_q(d, SP_FLAGGED, "SELECT id, kiosk, token, category, received_at, coalesce(kiosk_received_at,"
		" received_at), received_server_at, deadline, due, trust, trust_note FROM request"
		" WHERE trust & $1::integer <> 0 AND ($2::text = '' OR commune = $2) ORDER BY token, id"
		" LIMIT $3::integer OFFSET $4::integer", &a);
	if (!r) return srv_pg_fail(d, err, errlen, "listing flagged requests");
	for (i = 0; i < PQntuples(r); i++) {
		int bad;
		memset(&f, 0, sizeof f);
		bad = srv_pg_copy(r, i, 0, f.id, sizeof f.id) | srv_pg_copy(r, i, 1, f.kiosk, sizeof f.kiosk) |
			srv_pg_copy(r, i, 2, f.token, sizeof f.token) | srv_pg_copy(r, i, 3, f.category, sizeof f.category) |
			srv_pg_copy(r, i, 7, f.deadline, sizeof f.deadline) | srv_pg_copy(r, i, 8, f.due, sizeof f.due) |
			srv_pg_copy(r, i, 10, f.note, sizeof f.note);
		f.received_at = srv_pg_ll(r, i, 4);
		f.kiosk_received_at = srv_pg_ll(r, i, 5);
		f.received_server_at = srv_pg_ll(r, i, 6);
		f.trust = (int)srv_pg_ll(r, i, 9);
		if (bad) {
			PQclear(r);
			SAY_TOOBIG(err, errlen, "listing flagged requests");
			return -1;
		}
		if (each(&f, arg) != 0) break;
	}
	PQclear(r);
	return 0;
}
