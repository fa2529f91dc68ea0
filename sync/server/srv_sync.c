/* srv_sync: checking, storing and answering a push (see srv_sync.h).
 *
 * The payload decoder (proto.c) already holds every request id to the
 * payload's kiosk and its seq, and the requests to the from..to range
 * without gaps; what is left here is that the payload's kiosk is the one
 * that signed it. The store keeps the push (srv_db_store_push) and answers
 * queries; what goes into the reply is decided here: the acknowledged mark
 * (held below the first conflict), the conflicts, the events after the
 * kiosk's cursor, the commune's coming conferences and figures, and the
 * catalog and holiday files when the kiosk's differ (read before the push
 * is stored, to keep its write short). */
#include "srv_sync.h"
#include "srv_rating.h"
#include "legal.h"
#include "log.h"
#include "proto.h"
#include "srv_find.h"
#include "srv_counter.h"
#include "seal.h"
#include "srv_stats.h"
#include "srv_work.h"
#include "token.h"
#include "vntime.h"
#include <limits.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
	REFUSE_TOO_LARGE, REFUSE_BAD_ENVELOPE, REFUSE_UNKNOWN_KIOSK, REFUSE_REVOKED_KIOSK,
	REFUSE_BAD_SIGNATURE, REFUSE_BAD_PAYLOAD, REFUSE_REPLAY, REFUSE_SERVER_ERROR
} refusal;

static const struct {
	int status;
	const char *error;
} refusals[] = {
	[REFUSE_TOO_LARGE] = { 413, "too_large" },
	[REFUSE_BAD_ENVELOPE] = { 400, "bad_envelope" },
	[REFUSE_UNKNOWN_KIOSK] = { 403, "unknown_kiosk" },
	[REFUSE_REVOKED_KIOSK] = { 403, "revoked_kiosk" },
	[REFUSE_BAD_SIGNATURE] = { 401, "bad_signature" },
	[REFUSE_BAD_PAYLOAD] = { 400, "bad_payload" },
	[REFUSE_REPLAY] = { 409, "replay" },
	[REFUSE_SERVER_ERROR] = { 500, "server_error" },
};

__attribute__((format(printf, 3, 4)))
static int refuse(srv_sync_result *out, refusal why, const char *fmt, ...)
{
	va_list ap;
	out->status = refusals[why].status;
	snprintf(out->error, sizeof out->error, "%s", refusals[why].error);
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof out->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* A file offered to kiosks, DATA/<name>, when it exists and differs from
 * the kiosk's copy (by SHA-256): its text, malloc'd, else NULL. A file that
 * cannot be read or is too large for a reply is left out and logged once
 * as a warning, so a bad file never stops the sync itself. */
static char *newer_file(const char *dir, const char *name, const char *kiosk_sha256)
{
	char path[600], sha[65];
	FILE *f;
	char *text;
	long size;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "rb"))) {
		if (errno != ENOENT) log_warn("%s: %s (not sent to kiosks)", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (size_t)size >= PROTO_FILE_MAX) {
		log_warn("%s: unreadable or larger than %u bytes (not sent to kiosks)",
			path, PROTO_FILE_MAX);
		fclose(f);
		return NULL;
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		log_warn("%s: could not be read (not sent to kiosks)", path);
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[size] = '\0';
	proto_sha256_hex(text, (size_t)size, sha);
	if (strcmp(sha, kiosk_sha256) == 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The search keys of what was just stored (srv_find.h), under the store's
 * lock like any write; a failure is logged and retried at the next push:
 * the requests wait, marked, until they are indexed. */
static void index_new(const srv_sync_ctx *ctx, srv_db *db)
{
	char err[300];
	int n;
	if (!ctx->keys) return;
	if (ctx->store_lock) pthread_mutex_lock(ctx->store_lock);
	do
		n = srv_find_index_pending(db, ctx->keys, 500, err, sizeof err);
	while (n == 500);
	if (ctx->store_lock) pthread_mutex_unlock(ctx->store_lock);
	if (n < 0) log_error("search keys: %s", err);
}

static void log_conflicts(const proto_push *p, const srv_db_push_result *res)
{
	int i;
	for (i = 0; i < res->nconflicts; i++) {
		if (res->conflicts[i].other[0])
			log_warn("conflict: request %s from kiosk %s carries the token of"
				" request %s; not stored", res->conflicts[i].id, p->kiosk, res->conflicts[i].other);
		else
			log_warn("conflict: request %s from kiosk %s differs from the request"
				" stored under that id; not stored", res->conflicts[i].id, p->kiosk);
	}
}

/* Events after the cursor, at most PROTO_EVENTS: the store is asked for
 * one more, to know whether more wait. */
static int add_event(const proto_event *e, void *arg)
{
	proto_reply *reply = arg;
	if (reply->nevents == PROTO_EVENTS) {
		reply->more = 1;
		return 1;
	}
	if (reply->nevents % 64 == 0) {
		proto_event *grown = realloc(reply->events, (size_t)(reply->nevents + 64) * sizeof *grown);
		if (!grown) return -1;
		reply->events = grown;
	}
	reply->events[reply->nevents++] = *e;
	reply->cursor = e->id;
	return 0;
}

static int add_conference(const work_conference *c, void *arg)
{
	proto_reply *reply = arg;
	proto_conference *out;
	/* a cancelled one leaves the kiosks' list, which each reply replaces */
	if (c->cancelled_at) return 0;
	out = &reply->conferences[reply->nconferences++];
	out->id = c->id;
	out->at = c->at;
	snprintf(out->place, sizeof out->place, "%s", c->place);
	snprintf(out->leaders, sizeof out->leaders, "%s", c->leaders);
	snprintf(out->topic, sizeof out->topic, "%s", c->topic);
	return reply->nconferences == PROTO_CONFERENCES;
}

static int assemble(srv_db *db, const proto_push *p, long long now, proto_reply *reply, const srv_db_push_result *res,
	char *err, size_t errlen);

int srv_sync_store(srv_db *db, pthread_mutex_t *lock, const proto_push *p, const srv_db_trust *trust, long long now,
	proto_reply *reply, srv_db_push_result *res, char *err, size_t errlen)
{
	int failed;
	/* The lock orders the writes only; the reply is read after it. */
	if (lock) pthread_mutex_lock(lock);
	failed = srv_db_store_push(db, p, trust, now, res, err, errlen) != 0;
	if (lock) pthread_mutex_unlock(lock);
	if (failed) return -1;
	if (res->replay || res->revoked) return 0;
	if (assemble(db, p, now, reply, res, err, errlen) != 0) return -2;
	return 0;
}

static int assemble(srv_db *db, const proto_push *p, long long now, proto_reply *reply, const srv_db_push_result *res,
	char *err, size_t errlen)
{
	long long first_conflict = LLONG_MAX;
	char commune[6], why[300];
	int i;
	if (res->nconflicts > 0 && !(reply->conflicts = calloc((size_t)res->nconflicts, sizeof *reply->conflicts)))
		goto out_of_memory;
	for (i = 0; i < res->nconflicts; i++) {
		memcpy(reply->conflicts[i], res->conflicts[i].id, sizeof reply->conflicts[i]);
		if (res->conflicts[i].seq < first_conflict) first_conflict = res->conflicts[i].seq;
	}
	reply->nconflicts = res->nconflicts;
	/* A conflicting request may share its id with a stored one; the kiosk
	 * must still keep it, so the mark it hears stops below. */
	reply->acked = res->acked < first_conflict ? res->acked : first_conflict - 1;
	reply->cursor = p->cursor;
	if (srv_db_kiosk_events(db, p->kiosk, p->cursor, PROTO_EVENTS + 1, add_event, reply, err, errlen) != 0)
		return -1;
	/* The dialogue conferences announced for the kiosk's commune that have
	 * not started yet and stand, soonest first. */
	snprintf(commune, sizeof commune, "%.5s", p->kiosk);
	if (!(reply->conferences = calloc(PROTO_CONFERENCES, sizeof *reply->conferences))) goto out_of_memory;
	if (srv_work_conferences(db, commune, now, add_conference, reply, err, errlen) != 0) return -1;
	/* The commune's figures for its kiosks' home screens are a courtesy:
	 * when they cannot be had the reply goes without them. */
	if (srv_stats_kiosk_cached(db, commune, now, &reply->stats, why, sizeof why) != 0) {
		memset(&reply->stats, 0, sizeof reply->stats);
		log_warn("figures for commune %s left out of the reply: %s", commune, why);
	}
	return 0;
out_of_memory:
	snprintf(err, errlen, "answering the push: out of memory");
	return -1;
}

int srv_sync_more(srv_db *db, const proto_reply *reply, proto_reply *next, char *err, size_t errlen)
{
	memset(next, 0, sizeof *next);
	memcpy(next->kiosk, reply->kiosk, sizeof next->kiosk);
	next->n = reply->n;
	next->server_time = reply->server_time;
	next->acked = reply->acked;
	next->cursor = reply->cursor;
	return srv_db_kiosk_events(db, reply->kiosk, reply->cursor, PROTO_EVENTS + 1, add_event, next, err, errlen);
}

/* ---- what the server holds true of a request's dates ---- */

__attribute__((format(printf, 3, 4)))
static void add_note(srv_db_trust *t, int flag, const char *fmt, ...)
{
	size_t len = strlen(t->note);
	va_list ap;
	t->flags |= flag;
	if (len + 3 >= sizeof t->note) return;
	if (len) len += (size_t)snprintf(t->note + len, sizeof t->note - len, "; ");
	va_start(ap, fmt);
	vsnprintf(t->note + len, sizeof t->note - len, fmt, ap);
	va_end(ap);
}

/* The deadline a receipt at time at promises under the catalog, into due;
 * 0, or -1 when the catalog does not know the category. */
static int receipt_due(const srv_sync_ctx *ctx, const proto_request *r, long long at, char due[11])
{
	const catalog_category *c = ctx->cat ? catalog_category_by_id(ctx->cat, r->category) : NULL;
	const catalog_procedure *proc = c && r->procedure[0] ? catalog_procedure_by_id(ctx->cat, r->procedure) : NULL;
	legal_span span;
	vntime vn = vntime_of(at);
	if (!c) return -1;
	if (proc) span = catalog_procedure_span(proc);
	cal_date_format(legal_receipt_due(&c->clock, proc ? &span : NULL, ctx->calendar, vn.date, vn.hour), due);
	return 0;
}

void srv_sync_trust(const srv_sync_ctx *ctx, const srv_db_kiosk *k, const proto_push *p, long long now,
	srv_db_trust *trust)
{
	const long long tol = SRV_SYNC_CLOCK_TOLERANCE;
	/* Over the network the kiosk's clock at sending is the server's now,
	 * give or take the trip; a bundle may have waited days on the stick, so
	 * its clock says only that it was not yet written when it is ahead. */
	long long offset = !ctx->offline || p->clock > now + tol ? now - p->clock : 0;
	char off[64], day[11], due[11];
	cal_date deadline;
	int i;
	vntime_describe_offset(offset, off, sizeof off);
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		srv_db_trust *t = &trust[i];
		memset(t, 0, sizeof *t);
		t->received_at = r->received_at;
		if (llabs(offset) > tol) {
			t->received_at += offset;
			add_note(t, SRV_DB_TRUST_CLOCK, "kiosk clock %s at this sync: receipt time corrected", off);
		}
		if (r->received_at > p->clock + tol || t->received_at > now + tol ||
		    t->received_at < k->added_at - 86400) {
			const char *why = r->received_at > p->clock + tol ? "after the push was sent"
				: t->received_at > now + tol ? "in the future" : "before the kiosk was registered";
			t->flags &= ~SRV_DB_TRUST_CLOCK;
			t->note[0] = '\0';
			t->received_at = now;
			add_note(t, SRV_DB_TRUST_RECEIVED, "receipt time %s: the server's time of arrival stands", why);
		}
		cal_date_format(vntime_date(t->received_at), day);
		snprintf(t->due, sizeof t->due, "%s", r->deadline);
		if (cal_date_parse(r->deadline, &deadline) != 0 || strcmp(r->deadline, day) < 0 ||
		    (t->flags & (SRV_DB_TRUST_CLOCK | SRV_DB_TRUST_RECEIVED))) {
			/* Reckoned from a wrong date, or before the receipt: the law's
			 * own date from the catalog, else the receipt day itself. */
			if (receipt_due(ctx, r, t->received_at, due) != 0) {
				/* No clock for it here: the kiosk's deadline moved by as many
				 * days as its receipt date was, and never before the receipt. */
				long long shift = cal_day_number(vntime_date(t->received_at)) -
					cal_day_number(vntime_date(r->received_at));
				if (cal_date_parse(r->deadline, &deadline) == 0)
					cal_date_format(cal_from_day_number(cal_day_number(deadline) + shift), due);
				if (cal_date_parse(r->deadline, &deadline) != 0 || strcmp(due, day) < 0)
					snprintf(due, sizeof due, "%s", day);
			}
			if (strcmp(due, r->deadline) != 0) {
				add_note(t, SRV_DB_TRUST_DEADLINE, "deadline %s from the kiosk recomputed: %s", r->deadline, due);
				snprintf(t->due, sizeof t->due, "%s", due);
			}
		}
	}
}

/* The catalog and the limits a push is held to: 0, or -1 refused. */
static int check_rules(const srv_sync_ctx *ctx, const proto_push *p, srv_sync_result *out)
{
	int max = ctx->max_requests > 0 ? ctx->max_requests : PROTO_BATCH, i;
	if (p->nrequests > max)
		return refuse(out, REFUSE_BAD_PAYLOAD, "the push holds %d requests; one push may hold at most %d",
			p->nrequests, max);
	for (i = 0; ctx->cat && i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		if (!catalog_category_by_id(ctx->cat, r->category))
			return refuse(out, REFUSE_BAD_PAYLOAD, "request %s: category \"%s\" is not in the server's catalog",
				r->id, r->category);
		if (r->procedure[0] && !catalog_procedure_by_id(ctx->cat, r->procedure))
			return refuse(out, REFUSE_BAD_PAYLOAD, "request %s: procedure \"%s\" is not in the server's catalog",
				r->id, r->procedure);
	}
	return 0;
}

/* The counter's steps of a push, after its requests are stored: those
 * above the kiosk's mark in order, each applied or refused by the
 * request's state (both acknowledged: sending one again changes nothing),
 * stopping at one whose request the server does not hold yet (it comes in
 * a later push) or at a failure of the store. Its time is the kiosk's
 * clock corrected by the offset learnt at this push, never after now.
 * Then the reply's events are read again, so the kiosk hears of them at
 * once. Returns the new mark, or -1 when it could not be read or the push
 * carries no step (the reply then says nothing of them). */
static long long apply_counter(const srv_sync_ctx *ctx, srv_db *db, const proto_push *p, long long now,
	proto_reply *reply)
{
	const long long tol = SRV_SYNC_CLOCK_TOLERANCE;
	long long offset = !ctx->offline || p->clock > now + tol ? now - p->clock : 0, mark = 0, at;
	char key[64], value[32], err[256];
	srv_db_request r;
	int i, rc, found, applied = 0;
	/* Most pushes carry none: they cost nothing more. */
	if (p->ncounter == 0) return -1;
	snprintf(key, sizeof key, "counter_acked.%s", p->kiosk);
	rc = srv_db_meta_get(db, key, value, sizeof value);
	if (rc < 0) return -1;
	if (rc == 1) mark = atoll(value);
	if (llabs(offset) <= tol) offset = 0;
	if (ctx->store_lock) pthread_mutex_lock(ctx->store_lock);
	for (i = 0; i < p->ncounter; i++) {
		const proto_counter *c = &p->counter[i];
		if (c->id <= mark) continue;
		memset(&r, 0, sizeof r);
		found = srv_db_request_find(db, c->request, &r);
		srv_db_request_free(&r);
		if (found != 1) break;
		at = c->at + offset;
		if (at > now) at = now;
		rc = srv_counter_apply(db, ctx->cat, ctx->calendar, p->kiosk, c, at, now, err, sizeof err);
		if (rc < 0) {
			log_error("counter step %lld of kiosk %s (%s): %s", c->id, p->kiosk, c->request, err);
			break;
		}
		if (rc > 0) log_warn("counter step %lld of kiosk %s (%s, %s) not applied: %s", c->id, p->kiosk,
			c->request, c->kind, err);
		else applied++;
		mark = c->id;
		snprintf(value, sizeof value, "%lld", mark);
		if (srv_db_meta_set(db, key, value, err, sizeof err) != 0) {
			log_error("counter steps of kiosk %s: %s", p->kiosk, err);
			break;
		}
	}
	if (ctx->store_lock) pthread_mutex_unlock(ctx->store_lock);
	if (applied && !reply->more && reply->nevents < PROTO_EVENTS &&
	    srv_db_kiosk_events(db, p->kiosk, reply->cursor, PROTO_EVENTS + 1 - reply->nevents, add_event, reply,
		err, sizeof err) != 0)
		log_error("events for kiosk %s after its counter steps: %s", p->kiosk, err);
	return mark;
}

/* A version 2 push carries each receipt code sealed to the server: opened
 * here, on arrival, into the clear code the phone page looks up (the store
 * and everything after it see a request as a version 1 push gave it). A
 * box that does not open, or a code that is not one, names its request. */
static int open_codes(const srv_sync_ctx *ctx, proto_push *p, srv_sync_result *out)
{
	int i;
	for (i = 0; i < p->nrequests; i++) {
		proto_request *r = &p->requests[i];
		char code[TOKEN_LEN + 1], canon[TOKEN_LEN + 1];
		if (!r->has_token_sealed) continue;
		if (seal_open(ctx->keys->box_pk, ctx->keys->box_sk, r->token_sealed, sizeof r->token_sealed, code) != 0)
			return refuse(out, REFUSE_BAD_PAYLOAD, "request %s: its receipt code is not sealed to this server's key", r->id);
		code[TOKEN_LEN] = '\0';
		if (token_parse(code, canon) != TOKEN_OK || strcmp(code, canon) != 0)
			return refuse(out, REFUSE_BAD_PAYLOAD, "request %s: its sealed receipt code is not a canonical code", r->id);
		memcpy(r->token, canon, sizeof canon);
	}
	return 0;
}

/* The checks that need the store, then the store itself, then the signed
 * answer. The envelope is already parsed. */
static int answer(const srv_sync_ctx *ctx, srv_db *db, const envelope *env, long long now, srv_sync_result *out)
{
	srv_db_kiosk kiosk;
	proto_push push;
	proto_reply reply;
	srv_db_push_result res;
	srv_db_trust *trust = NULL;
	char err[256], *payload;
	int found, stored, rc = -1;

	found = srv_db_kiosk_get(db, env->signer, &kiosk);
	if (found < 0) return refuse(out, REFUSE_SERVER_ERROR, "the database did not answer");
	if (!found) return refuse(out, REFUSE_UNKNOWN_KIOSK, "kiosk %s is not registered on this server", env->signer);
	if (kiosk.revoked) return refuse(out, REFUSE_REVOKED_KIOSK, "kiosk %s has been revoked on this server", env->signer);
	if (env_verify(env, kiosk.key) != 0)
		return refuse(out, REFUSE_BAD_SIGNATURE, "the signature is not kiosk %s's", env->signer);
	if (proto_decode_push(env->payload, env->payload_len, &push, err, sizeof err) != 0) {
		proto_free_push(&push);
		return refuse(out, REFUSE_BAD_PAYLOAD, "%s", err);
	}
	if (strcmp(push.kiosk, env->signer) != 0) {
		refuse(out, REFUSE_BAD_PAYLOAD, "the push names kiosk %s but kiosk %s signed it", push.kiosk, env->signer);
		proto_free_push(&push);
		return -1;
	}
	snprintf(out->kiosk, sizeof out->kiosk, "%s", push.kiosk);
	out->n = push.n;
	out->requests = push.nrequests;
	/* Taken, but said: codes in clear on the way mean a kiosk to upgrade. */
	if (push.v == 1 && push.nrequests > 0)
		log_warn("kiosk %s sent %d receipt codes in clear (protocol 1): upgrade it so that its store and bundles "
			"keep them hashed and sealed", push.kiosk, push.nrequests);
	if (open_codes(ctx, &push, out) != 0 || check_rules(ctx, &push, out) != 0) {
		proto_free_push(&push);
		return -1;
	}
	if (push.nrequests > 0 && !(trust = calloc((size_t)push.nrequests, sizeof *trust))) {
		proto_free_push(&push);
		return refuse(out, REFUSE_SERVER_ERROR, "out of memory; nothing was changed");
	}
	srv_sync_trust(ctx, &kiosk, &push, now, trust);

	memset(&reply, 0, sizeof reply);
	snprintf(reply.kiosk, sizeof reply.kiosk, "%s", push.kiosk);
	reply.n = push.n;
	reply.server_time = now;
	reply.catalog = newer_file(ctx->data_dir, "catalog.json", push.catalog_sha256);
	reply.holidays = newer_file(ctx->data_dir, "holidays.json", push.holidays_sha256);
	/* Everything before this (parsing, the signature, the payload) runs
	 * outside the lock: a stranger's envelope never delays a kiosk's. */
	stored = srv_sync_store(db, ctx->store_lock, &push, trust, now, &reply, &res, err, sizeof err);
	free(trust);
	if (stored != 0) {
		log_error("push %lld from kiosk %s: %s", push.n, push.kiosk, err);
		/* Stored, but unanswered: the kiosk resends with a new n and the
		 * requests are acknowledged then, idempotently. */
		refuse(out, REFUSE_SERVER_ERROR, stored == -1 ? "the push could not be stored; nothing was changed"
			: "the push was stored but could not be answered; send it again");
	} else if (res.revoked) {
		refuse(out, REFUSE_REVOKED_KIOSK, "kiosk %s has been revoked on this server", push.kiosk);
	} else if (res.replay) {
		refuse(out, REFUSE_REPLAY, "envelope %lld from %s was already received (last %lld)",
			push.n, push.kiosk, res.last_n);
	} else {
		log_conflicts(&push, &res);
		reply.counter_acked = apply_counter(ctx, db, &push, now, &reply);
		/* Ratings refused by the day's cap are acknowledged too: sent
		 * again, they would be refused again. */
		reply.ratings_acked = res.ratings.acked;
		if (res.ratings.refused)
			log_warn("push %lld from kiosk %s: %d ratings refused (over %d a day, or dated ahead)", push.n,
				push.kiosk, res.ratings.refused, SRV_RATING_KIOSK_DAY_CAP);
		out->stored = res.stored;
		out->conflicts = reply.nconflicts;
		out->events = reply.nevents;
		out->acked = reply.acked;
		payload = proto_encode_reply(&reply);
		if (payload) out->reply = env_sign("server", payload, strlen(payload), ctx->keys->sign_sk);
		free(payload);
		if (out->reply) {
			out->status = 200;
			out->reply_len = strlen(out->reply);
			rc = 0;
		} else {
			/* Stored, but unanswered: the kiosk resends with a new n and
			 * the requests are acknowledged then, idempotently. */
			refuse(out, REFUSE_SERVER_ERROR, "out of memory while answering; the push was stored");
		}
	}
	srv_db_push_result_free(&res);
	proto_free_reply(&reply);
	proto_free_push(&push);
	return rc;
}

void srv_sync_index(const srv_sync_ctx *ctx, srv_db *db)
{
	index_new(ctx, db);
}

void srv_sync_index_all(srv_db *db, const srv_keys *keys)
{
	char why[300];
	int n, total = 0;
	while ((n = srv_find_index_pending(db, keys, 500, why, sizeof why)) > 0) total += n;
	if (n < 0) log_error("search keys: %s", why);
	if (total) log_info("search keys made for %d requests stored before", total);
}

int srv_sync_push(const srv_sync_ctx *ctx, srv_db *db, const char *body, size_t len, long long now,
	srv_sync_result *out)
{
	envelope env;
	char err[256];
	int rc;
	memset(out, 0, sizeof *out);
	if (len > ENV_MAX_BYTES)
		return refuse(out, REFUSE_TOO_LARGE, "the envelope is larger than %u bytes", ENV_MAX_BYTES);
	if (env_parse(body, len, &env, err, sizeof err) != 0) return refuse(out, REFUSE_BAD_ENVELOPE, "%s", err);
	rc = answer(ctx, db, &env, now, out);
	env_free(&env);
	return rc;
}

void srv_sync_result_free(srv_sync_result *r)
{
	free(r->reply);
	r->reply = NULL;
	r->reply_len = 0;
}

char *srv_sync_error_json(const srv_sync_result *r)
{
	json_t *o = json_pack("{s:s, s:s}", "error", r->error, "message", r->message);
	char *text;
	if (!o) return NULL;
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}
