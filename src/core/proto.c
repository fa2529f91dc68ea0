/* proto: push and reply messages to and from JSON (see proto.h), on jansson.
 *
 * The decoders are the gate to both databases, so they are strict and
 * report the first bad field by its path. Members added after version 1
 * (an event's deadline and undated, the conferences, the figures, the
 * counter's events and their acknowledgement) may be absent, since
 * kiosks and servers are upgraded at different times. A small reader keeps the path and
 * the first error; each field is one call with its bounds, so the shape of a
 * message reads as a list. jansson itself refuses invalid UTF-8 and NUL
 * characters inside strings. A push is version 2 (receipt codes sealed to
 * the server, "token_sealed") or version 1 (codes in clear, "token"), which
 * kiosks not yet upgraded and their old USB bundles still send. */
#include "proto.h"
#include "status.h"
#include "cal.h"
#include "envelope.h"
#include "seal.h"
#include "token.h"
#include "valid.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

void proto_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* ---- encoding ---- */

static json_t *nullable_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *const rating_kinds[3] = { "none", "ticket", "request" };

/* "ratings": each with its faces as a list, in the criteria's order. */
static int encode_ratings(json_t *o, const proto_push *p)
{
	json_t *list = json_array();
	int i, k;
	if (!list || json_object_set_new(o, "ratings", list) != 0) return -1;
	for (i = 0; i < p->nratings; i++) {
		const proto_rating *r = &p->ratings[i];
		json_t *faces = json_array();
		for (k = 0; faces && k < PROTO_RATING_CRITERIA; k++)
			if (json_array_append_new(faces, json_integer(r->faces[k])) != 0) { json_decref(faces); return -1; }
		if (!faces || r->kind < 0 || r->kind > 2 ||
		    json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:s, s:i, s:i, s:s, s:o}",
				"id", (json_int_t)r->id, "kind", rating_kinds[r->kind], "day", r->day, "at", (json_int_t)r->at,
				"field", r->field, "counter", r->counter, "number", r->number, "request", r->request,
				"faces", faces)) != 0)
			return -1;
	}
	return 0;
}

char *proto_encode_push(const proto_push *p)
{
	json_t *o, *list = json_array();
	char *text;
	int i, v = p->v ? p->v : PROTO_PUSH_VERSION;
	if (!list) return NULL;
	for (i = 0; i < p->nrequests; i++) {
		const proto_request *r = &p->requests[i];
		size_t b64len = sodium_base64_ENCODED_LEN(r->sealed_len, B64);
		char *b64 = malloc(b64len);
		if (!b64) { json_decref(list); return NULL; }
		char code[sodium_base64_ENCODED_LEN(SEAL_CODE_SEALED_BYTES, B64)];
		json_t *item;
		sodium_bin2base64(b64, b64len, r->sealed, r->sealed_len, B64);
		/* Version 2 carries the code sealed; version 1 (older kiosks,
		 * still read by the server) carried it in clear. */
		sodium_bin2base64(code, sizeof code, r->token_sealed, sizeof r->token_sealed, B64);
		item = json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s}",
				"id", r->id, "seq", (json_int_t)r->seq, v == 1 ? "token" : "token_sealed", v == 1 ? r->token : code,
				"category", r->category,
				"procedure", r->procedure, "received_at", (json_int_t)r->received_at,
				"deadline", r->deadline, "sealed", b64);
		if (json_array_append_new(list, item) != 0) {
			free(b64);
			json_decref(list);
			return NULL;
		}
		free(b64);
	}
	o = json_pack("{s:s, s:i, s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:s, s:s}",
		"type", "push", "v", v, "kiosk", p->kiosk, "n", (json_int_t)p->n,
		"clock", (json_int_t)p->clock, "from", (json_int_t)p->from, "to", (json_int_t)p->to,
		"requests", list, "cursor", (json_int_t)p->cursor,
		"catalog_sha256", p->catalog_sha256, "holidays_sha256", p->holidays_sha256);
	if (!o) return NULL;
	if (p->ncounter > 0) {
		json_t *counter = json_array();
		if (!counter || json_object_set_new(o, "counter", counter) != 0) { json_decref(o); return NULL; }
		for (i = 0; i < p->ncounter; i++) {
			const proto_counter *c = &p->counter[i];
			if (json_array_append_new(counter, json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:s}",
					"id", (json_int_t)c->id, "request", c->request, "kind", c->kind,
					"at", (json_int_t)c->at, "dossier", c->dossier, "verify", c->verify,
					"text", c->text)) != 0) {
				json_decref(o);
				return NULL;
			}
		}
	}
	if (p->nqueue > 0) {
		json_t *q = json_array();
		if (!q || json_object_set_new(o, "queue", q) != 0) { json_decref(o); return NULL; }
		for (i = 0; i < p->nqueue; i++) {
			const proto_queue_day *d = &p->queue[i];
			if (json_array_append_new(q, json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "day", d->day,
					"field", d->field, "counter", d->counter, "served", (json_int_t)d->served,
					"skipped", (json_int_t)d->skipped, "wait_total", (json_int_t)d->wait_total,
					"wait_max", (json_int_t)d->wait_max, "service_total", (json_int_t)d->service_total)) != 0) {
				json_decref(o);
				return NULL;
			}
		}
	}
	if (p->nratings > 0 && encode_ratings(o, p) != 0) { json_decref(o); return NULL; }
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* The figures, or null when the server has none to send. */
static json_t *encode_stats(const proto_stats *s)
{
	if (!s->known) return json_null();
	return json_pack("{s:i, s:I, s:I}", "year", s->year, "resolved", (json_int_t)s->resolved,
		"on_time", (json_int_t)s->on_time);
}

char *proto_encode_reply(const proto_reply *r)
{
	json_t *o, *events = json_array(), *conflicts = json_array(), *conferences = json_array();
	char *text;
	int i;
	if (!events || !conflicts || !conferences) goto fail;
	for (i = 0; i < r->nconferences; i++) {
		const proto_conference *c = &r->conferences[i];
		if (json_array_append_new(conferences, json_pack("{s:I, s:I, s:s, s:s, s:s}",
				"id", (json_int_t)c->id, "at", (json_int_t)c->at, "place", c->place,
				"leaders", c->leaders, "topic", c->topic)) != 0)
			goto fail;
	}
	for (i = 0; i < r->nconflicts; i++)
		if (json_array_append_new(conflicts, json_string(r->conflicts[i])) != 0) goto fail;
	for (i = 0; i < r->nevents; i++) {
		const proto_event *e = &r->events[i];
		json_t *ev = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}",
				"id", (json_int_t)e->id, "request", e->request, "at", (json_int_t)e->at,
				"status", e->status, "note", e->note, "deadline", e->deadline);
		/* Only when set: older kiosks read the event without it. */
		if (ev && e->undated && json_object_set_new(ev, "undated", json_true()) != 0) {
			json_decref(ev);
			goto fail;
		}
		if (json_array_append_new(events, ev) != 0) goto fail;
	}
	o = json_pack("{s:s, s:i, s:s, s:I, s:I, s:I, s:o, s:o, s:I, s:b, s:o, s:o, s:o, s:o}",
		"type", "reply", "v", PROTO_VERSION, "kiosk", r->kiosk, "n", (json_int_t)r->n,
		"server_time", (json_int_t)r->server_time, "acked", (json_int_t)r->acked,
		"conflicts", conflicts, "events", events, "cursor", (json_int_t)r->cursor, "more", r->more,
		"catalog", nullable_string(r->catalog), "holidays", nullable_string(r->holidays),
		"conferences", conferences, "stats", encode_stats(&r->stats));
	if (!o) return NULL;   /* json_pack with "o" has taken the references either way */
	if ((r->counter_acked >= 0 && json_object_set_new(o, "counter_acked", json_integer(r->counter_acked)) != 0) ||
	    (r->ratings_acked >= 0 && json_object_set_new(o, "ratings_acked", json_integer(r->ratings_acked)) != 0)) {
		json_decref(o);
		return NULL;
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
fail:
	json_decref(events);
	json_decref(conflicts);
	json_decref(conferences);
	return NULL;
}

/* ---- decoding ---- */

typedef struct {
	char *err;
	size_t errlen;
	int failed;
	char where[48];          /* "requests[3]." while inside an element */
} reader;

static void bad(reader *rd, const char *key, const char *why)
{
	if (rd->failed) return;
	rd->failed = 1;
	snprintf(rd->err, rd->errlen, "%s%s: %s", rd->where, key, why);
}

static long long get_int(reader *rd, json_t *o, const char *key, long long min, long long max)
{
	json_t *v = json_object_get(o, key);
	long long n;
	if (!json_is_integer(v)) { bad(rd, key, "missing or not an integer"); return min; }
	n = json_integer_value(v);
	if (n < min || n > max) { bad(rd, key, "out of range"); return min; }
	return n;
}

/* Copies a string field of at most size-1 bytes; check, if given, vets it. */
static void get_str(reader *rd, json_t *o, const char *key, char *out, size_t size,
	int (*check)(const char *), const char *form)
{
	json_t *v = json_object_get(o, key);
	out[0] = '\0';
	if (!json_is_string(v)) { bad(rd, key, "missing or not a string"); return; }
	if (json_string_length(v) >= size) { bad(rd, key, "too long"); return; }
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	if (check && !check(out)) { bad(rd, key, form); out[0] = '\0'; }
}

/* A file carried in a reply: a string, or null for "unchanged". */
static char *get_file(reader *rd, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char *s;
	if (json_is_null(v)) return NULL;
	if (!json_is_string(v)) { bad(rd, key, "must be a string or null"); return NULL; }
	if (json_string_length(v) >= PROTO_FILE_MAX) { bad(rd, key, "too long"); return NULL; }
	if (!(s = strdup(json_string_value(v)))) bad(rd, key, "out of memory");
	return s;
}

static int is_date(const char *s);

/* A member that servers before it did not send: absent is "". */
static void get_optional_str(reader *rd, json_t *o, const char *key, char *out, size_t size,
	int (*check)(const char *), const char *form)
{
	out[0] = '\0';
	if (json_object_get(o, key)) get_str(rd, o, key, out, size, check, form);
}

/* A true/false member that servers before it did not send: absent is 0. */
static int get_optional_bool(reader *rd, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v) return 0;
	if (!json_is_boolean(v)) { bad(rd, key, "not true/false"); return 0; }
	return json_is_true(v);
}

static int is_date_or_empty(const char *s)
{
	return !*s || is_date(s);
}

static int is_word(const char *s, int allow_empty)
{
	if (!*s) return allow_empty;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')) return 0;
	return 1;
}
static int is_category(const char *s) { return is_word(s, 0); }
static int is_procedure(const char *s) { return is_word(s, 1); }
static int is_status(const char *s) { return status_parse(s) >= 0; }
static int is_kiosk(const char *s) { return env_is_kiosk_id(s); }

static int is_date(const char *s)
{
	cal_date d;
	return cal_date_parse(s, &d) == 0;
}

static int is_token(const char *s)
{
	char canon[TOKEN_LEN + 1];
	return token_parse(s, canon) == TOKEN_OK && strcmp(s, canon) == 0;
}

static int is_sha256(const char *s)
{
	size_t n = strlen(s), i;
	if (n == 0) return 1;
	if (n != 64) return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
	return 1;
}

/* A request id belongs to its kiosk: "<kiosk>-<seq as %06lld>". */
static int id_of(const char *kiosk, const char *id, long long *seq)
{
	size_t k = strlen(kiosk);
	const char *p;
	char canon[40];
	if (strncmp(id, kiosk, k) != 0 || id[k] != '-') return 0;
	for (p = id + k + 1, *seq = 0; *p; p++) {
		if (*p < '0' || *p > '9' || *seq > 1000000000000LL) return 0;
		*seq = *seq * 10 + (*p - '0');
	}
	snprintf(canon, sizeof canon, "%s-%06lld", kiosk, *seq);
	return *seq >= 1 && strcmp(canon, id) == 0;
}

static json_t *load(reader *rd, const char *json, size_t len, const char *type, int *version)
{
	json_error_t jerr;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr), *t;
	if (!o) {
		snprintf(rd->err, rd->errlen, "payload: %s at byte %d", jerr.text, jerr.position);
		rd->failed = 1;
		return NULL;
	}
	t = json_object_get(o, "type");
	if (!json_is_object(o) || !json_is_string(t) || strcmp(json_string_value(t), type) != 0) {
		snprintf(rd->err, rd->errlen, "payload: not a %s message", type);
		rd->failed = 1;
	} else {
		/* A push is version 2, or version 1 from a kiosk not yet
		 * upgraded; a reply is version 1. */
		int newest = version ? PROTO_PUSH_VERSION : PROTO_VERSION;
		int v = (int)get_int(rd, o, "v", PROTO_VERSION, newest);
		if (rd->failed) snprintf(rd->err, rd->errlen, "payload: protocol version %d to %d expected", PROTO_VERSION, newest);
		else if (version) *version = v;
	}
	return o;
}

/* A version 2 request's code: exactly one code sealed, in base64url; and
 * no code in clear beside it. */
static void get_token_sealed(reader *rd, json_t *o, proto_request *r)
{
	json_t *v = json_object_get(o, "token_sealed");
	size_t len = 0;
	const char *end;
	if (json_object_get(o, "token")) { bad(rd, "token", "a version 2 push carries the code sealed only"); return; }
	if (!json_is_string(v)) { bad(rd, "token_sealed", "missing or not a string"); return; }
	if (sodium_base642bin(r->token_sealed, sizeof r->token_sealed, json_string_value(v), json_string_length(v),
			NULL, &len, &end, B64) != 0 || *end || len != sizeof r->token_sealed) {
		bad(rd, "token_sealed", "not a sealed receipt code in base64url");
		return;
	}
	r->has_token_sealed = 1;
}

static void get_request(reader *rd, json_t *o, const char *kiosk, int version, proto_request *r)
{
	json_t *sealed = json_object_get(o, "sealed");
	const char *end;
	long long seq_in_id = 0;
	size_t cap;
	if (!json_is_object(o)) { bad(rd, "", "not an object"); return; }
	get_str(rd, o, "id", r->id, sizeof r->id, NULL, NULL);
	r->seq = get_int(rd, o, "seq", 1, 1000000000000LL);
	if (!rd->failed && (!id_of(kiosk, r->id, &seq_in_id) || seq_in_id != r->seq))
		bad(rd, "id", "not this kiosk's id for this seq");
	if (version == 1) get_str(rd, o, "token", r->token, sizeof r->token, is_token, "not a canonical receipt token");
	else get_token_sealed(rd, o, r);
	get_str(rd, o, "category", r->category, sizeof r->category, is_category, "not a category id");
	get_str(rd, o, "procedure", r->procedure, sizeof r->procedure, is_procedure, "not a procedure id");
	r->received_at = get_int(rd, o, "received_at", 0, 253402300799LL);
	get_str(rd, o, "deadline", r->deadline, sizeof r->deadline, is_date, "not a date YYYY-MM-DD");
	if (rd->failed) return;
	if (!json_is_string(sealed) || json_string_length(sealed) == 0) { bad(rd, "sealed", "missing or not a string"); return; }
	cap = json_string_length(sealed) * 3 / 4 + 1;
	if (cap > PROTO_SEALED_MAX + 1) { bad(rd, "sealed", "too long"); return; }
	if (!(r->sealed = malloc(cap))) { bad(rd, "sealed", "out of memory"); return; }
	if (sodium_base642bin(r->sealed, cap, json_string_value(sealed), json_string_length(sealed), NULL,
			&r->sealed_len, &end, B64) != 0 || *end || r->sealed_len <= SEAL_OVERHEAD ||
	    r->sealed_len > PROTO_SEALED_MAX)
		bad(rd, "sealed", "not a sealed box in base64url");
}

int proto_counter_kind(const char *kind)
{
	return strcmp(kind, "accepted") == 0 || strcmp(kind, "supplement") == 0 || strcmp(kind, "letter") == 0;
}

static int is_counter_kind(const char *s) { return proto_counter_kind(s); }

static int is_dossier_or_empty(const char *s)
{
	char canon[VALID_DOSSIER_MAX];
	return !*s || (valid_dossier(s, canon) == VALID_OK && strcmp(canon, s) == 0);
}

/* "counter": absent (kiosks before it), or the counter's events by
 * increasing id, each for a request of this kiosk, in its kind's form. */
static void get_counter(reader *rd, json_t *list, proto_push *out)
{
	size_t i, n;
	long long last = 0, seq;
	if (!list) return;
	if (!json_is_array(list)) { bad(rd, "counter", "not a list"); return; }
	n = json_array_size(list);
	if (n > PROTO_COUNTER_MAX) { bad(rd, "counter", "more than allowed in one push"); return; }
	if (n && !(out->counter = calloc(n, sizeof *out->counter))) { bad(rd, "counter", "out of memory"); return; }
	for (i = 0; i < n && !rd->failed; i++) {
		json_t *e = json_array_get(list, i), *verify;
		proto_counter *c = &out->counter[i];
		snprintf(rd->where, sizeof rd->where, "counter[%zu].", i);
		out->ncounter = (int)i + 1;
		if (!json_is_object(e)) { bad(rd, "", "not an object"); break; }
		c->id = get_int(rd, e, "id", last + 1, 1LL << 53);
		last = c->id;
		get_str(rd, e, "request", c->request, sizeof c->request, NULL, NULL);
		if (!rd->failed && !id_of(out->kiosk, c->request, &seq)) bad(rd, "request", "not a request id of this kiosk");
		get_str(rd, e, "kind", c->kind, sizeof c->kind, is_counter_kind, "not accepted, supplement or letter");
		c->at = get_int(rd, e, "at", 0, 253402300799LL);
		get_str(rd, e, "dossier", c->dossier, sizeof c->dossier, is_dossier_or_empty,
			"not a dossier number like " VALID_DOSSIER_FORM);
		verify = json_object_get(e, "verify");
		if (!rd->failed && !json_is_boolean(verify)) bad(rd, "verify", "missing or not true/false");
		c->verify = json_is_true(verify);
		get_str(rd, e, "text", c->text, sizeof c->text, NULL, NULL);
		if (rd->failed) break;
		if (strcmp(c->kind, "accepted") == 0 && !c->dossier[0]) bad(rd, "dossier", "an acceptance needs one");
		else if (strcmp(c->kind, "accepted") != 0 && (c->dossier[0] || c->verify))
			bad(rd, "dossier", "only an acceptance has one");
		else if (strcmp(c->kind, "supplement") == 0 && !c->text[0]) bad(rd, "text", "a supplement lists what is missing");
	}
	rd->where[0] = '\0';
}

/* "queue": absent (older kiosks, or no queue numbers), or at most
 * PROTO_QUEUE_ROWS day rows, each with sums that cannot be negative. */
static int is_field_word(const char *s) { return is_word(s, 0); }

static void get_queue(reader *rd, json_t *list, proto_push *out)
{
	size_t i, n;
	if (!list) return;
	if (!json_is_array(list)) { bad(rd, "queue", "not a list"); return; }
	n = json_array_size(list);
	if (n > PROTO_QUEUE_ROWS) { bad(rd, "queue", "more rows than allowed in one push"); return; }
	if (n && !(out->queue = calloc(n, sizeof *out->queue))) { bad(rd, "queue", "out of memory"); return; }
	for (i = 0; i < n && !rd->failed; i++) {
		json_t *q = json_array_get(list, i);
		proto_queue_day *d = &out->queue[i];
		snprintf(rd->where, sizeof rd->where, "queue[%zu].", i);
		out->nqueue = (int)i + 1;
		if (!json_is_object(q)) { bad(rd, "", "not an object"); break; }
		get_str(rd, q, "day", d->day, sizeof d->day, is_date, "not a date");
		get_str(rd, q, "field", d->field, sizeof d->field, is_field_word, "not a field id");
		d->counter = (int)get_int(rd, q, "counter", 1, 99);
		d->served = get_int(rd, q, "served", 0, 100000);
		d->skipped = get_int(rd, q, "skipped", 0, 100000);
		d->wait_total = get_int(rd, q, "wait_total", 0, 1LL << 40);
		d->wait_max = get_int(rd, q, "wait_max", 0, 1LL << 40);
		d->service_total = get_int(rd, q, "service_total", 0, 1LL << 40);
	}
	rd->where[0] = '\0';
}

/* "ratings": absent (older kiosks, or none waiting), or at most
 * PROTO_RATINGS_MAX, by increasing id; a ticket's names its field and
 * number, a request's an id of this kiosk, neither's nothing. */
static void get_ratings(reader *rd, json_t *list, proto_push *out)
{
	size_t i, n, k;
	long long last = 0, seq;
	char kind[12];
	if (!list) return;
	if (!json_is_array(list)) { bad(rd, "ratings", "not a list"); return; }
	n = json_array_size(list);
	if (n > PROTO_RATINGS_MAX) { bad(rd, "ratings", "more than allowed in one push"); return; }
	if (n && !(out->ratings = calloc(n, sizeof *out->ratings))) { bad(rd, "ratings", "out of memory"); return; }
	for (i = 0; i < n && !rd->failed; i++) {
		json_t *e = json_array_get(list, i), *faces;
		proto_rating *r = &out->ratings[i];
		snprintf(rd->where, sizeof rd->where, "ratings[%zu].", i);
		out->nratings = (int)i + 1;
		if (!json_is_object(e)) { bad(rd, "", "not an object"); break; }
		r->id = get_int(rd, e, "id", last + 1, 1LL << 53);
		last = r->id;
		get_str(rd, e, "kind", kind, sizeof kind, NULL, NULL);
		for (r->kind = 0; r->kind < 3 && strcmp(kind, rating_kinds[r->kind]) != 0; r->kind++) {}
		if (!rd->failed && r->kind == 3) bad(rd, "kind", "not none, ticket or request");
		get_str(rd, e, "day", r->day, sizeof r->day, is_date, "not a date");
		r->at = get_int(rd, e, "at", 0, 253402300799LL);
		get_str(rd, e, "field", r->field, sizeof r->field, is_procedure, "not a field id");
		r->counter = (int)get_int(rd, e, "counter", 0, 99);
		r->number = (int)get_int(rd, e, "number", 0, 100000);
		get_str(rd, e, "request", r->request, sizeof r->request, NULL, NULL);
		faces = json_object_get(e, "faces");
		if (!rd->failed && (!json_is_array(faces) || json_array_size(faces) != PROTO_RATING_CRITERIA))
			bad(rd, "faces", "not a list of five answers");
		for (k = 0; k < PROTO_RATING_CRITERIA && !rd->failed; k++) {
			json_t *f = json_array_get(faces, k);
			r->faces[k] = json_is_integer(f) ? (int)json_integer_value(f) : 0;
			if (r->faces[k] < 1 || r->faces[k] > 3) bad(rd, "faces", "an answer is not 1, 2 or 3");
		}
		if (rd->failed) break;
		if (r->kind == 1 && (!r->field[0] || r->number < 1)) bad(rd, "number", "a ticket's rating names its field and number");
		else if (r->kind != 1 && r->number) bad(rd, "number", "only a ticket's rating has one");
		else if (r->kind == 2 && !id_of(out->kiosk, r->request, &seq)) bad(rd, "request", "not a request id of this kiosk");
		else if (r->kind != 2 && r->request[0]) bad(rd, "request", "only a request's rating names one");
	}
	rd->where[0] = '\0';
}

int proto_decode_push(const char *json, size_t len, proto_push *out, char *err, size_t errlen)
{
	reader rd = { err, errlen, 0, "" };
	json_t *o, *list;
	size_t i, n;
	memset(out, 0, sizeof *out);
	if (!(o = load(&rd, json, len, "push", &out->v))) return -1;
	if (rd.failed) goto done;
	get_str(&rd, o, "kiosk", out->kiosk, sizeof out->kiosk, is_kiosk, "not a kiosk id");
	out->n = get_int(&rd, o, "n", 1, 1LL << 53);
	out->clock = get_int(&rd, o, "clock", 0, 253402300799LL);
	out->from = get_int(&rd, o, "from", 0, 1000000000000LL);
	out->to = get_int(&rd, o, "to", 0, 1000000000000LL);
	out->cursor = get_int(&rd, o, "cursor", 0, 1LL << 53);
	get_str(&rd, o, "catalog_sha256", out->catalog_sha256, sizeof out->catalog_sha256, is_sha256, "not a SHA-256 in hex");
	get_str(&rd, o, "holidays_sha256", out->holidays_sha256, sizeof out->holidays_sha256, is_sha256, "not a SHA-256 in hex");
	list = json_object_get(o, "requests");
	if (!rd.failed && !json_is_array(list)) bad(&rd, "requests", "missing or not a list");
	if (rd.failed) goto done;
	n = json_array_size(list);
	if (n && !(out->requests = calloc(n, sizeof *out->requests))) { bad(&rd, "requests", "out of memory"); goto done; }
	for (i = 0; i < n && !rd.failed; i++) {
		snprintf(rd.where, sizeof rd.where, "requests[%zu].", i);
		get_request(&rd, json_array_get(list, i), out->kiosk, out->v, &out->requests[i]);
		out->nrequests = (int)i + 1;
		if (!rd.failed && out->requests[i].seq != out->from + (long long)i)
			bad(&rd, "seq", "requests must run from \"from\" to \"to\" without gaps");
	}
	rd.where[0] = '\0';
	if (!rd.failed && (n ? out->to != out->from + (long long)n - 1 : out->from <= out->to))
		bad(&rd, "to", "does not match the requests carried");
	if (!rd.failed) get_queue(&rd, json_object_get(o, "queue"), out);
	if (!rd.failed) get_counter(&rd, json_object_get(o, "counter"), out);
	if (!rd.failed) get_ratings(&rd, json_object_get(o, "ratings"), out);
done:
	json_decref(o);
	return rd.failed ? -1 : 0;
}

/* "conferences": absent (older servers), or a list of at most
 * PROTO_CONFERENCES. */
static void get_conferences(reader *rd, json_t *list, proto_reply *out)
{
	size_t i, n;
	if (!list) return;
	if (!json_is_array(list)) { bad(rd, "conferences", "not a list"); return; }
	n = json_array_size(list);
	if (n > PROTO_CONFERENCES) { bad(rd, "conferences", "more than allowed in one reply"); return; }
	if (n && !(out->conferences = calloc(n, sizeof *out->conferences))) { bad(rd, "conferences", "out of memory"); return; }
	for (i = 0; i < n && !rd->failed; i++) {
		json_t *c = json_array_get(list, i);
		proto_conference *pc = &out->conferences[i];
		snprintf(rd->where, sizeof rd->where, "conferences[%zu].", i);
		out->nconferences = (int)i + 1;
		if (!json_is_object(c)) { bad(rd, "", "not an object"); break; }
		pc->id = get_int(rd, c, "id", 1, 1LL << 53);
		pc->at = get_int(rd, c, "at", 0, 253402300799LL);
		get_str(rd, c, "place", pc->place, sizeof pc->place, NULL, NULL);
		get_str(rd, c, "leaders", pc->leaders, sizeof pc->leaders, NULL, NULL);
		get_str(rd, c, "topic", pc->topic, sizeof pc->topic, NULL, NULL);
	}
	rd->where[0] = '\0';
}

/* "stats": absent or null (none), or the commune's figures; a count the
 * server suppresses is -1. */
static void get_stats(reader *rd, json_t *o, proto_stats *s)
{
	memset(s, 0, sizeof *s);
	if (!o || json_is_null(o)) return;
	if (!json_is_object(o)) { bad(rd, "stats", "not an object or null"); return; }
	snprintf(rd->where, sizeof rd->where, "stats.");
	s->year = (int)get_int(rd, o, "year", 2000, 9999);
	s->resolved = get_int(rd, o, "resolved", -1, 1LL << 53);
	s->on_time = get_int(rd, o, "on_time", -1, 1LL << 53);
	if (!rd->failed && s->resolved >= 0 && s->on_time > s->resolved) bad(rd, "on_time", "more than resolved");
	rd->where[0] = '\0';
	s->known = !rd->failed;
}

int proto_decode_reply(const char *json, size_t len, proto_reply *out, char *err, size_t errlen)
{
	reader rd = { err, errlen, 0, "" };
	json_t *o, *events, *conflicts, *more;
	size_t i, n;
	long long last_id = 0, seq;
	memset(out, 0, sizeof *out);
	if (!(o = load(&rd, json, len, "reply", NULL))) return -1;
	if (rd.failed) goto done;
	get_str(&rd, o, "kiosk", out->kiosk, sizeof out->kiosk, is_kiosk, "not a kiosk id");
	out->n = get_int(&rd, o, "n", 1, 1LL << 53);
	out->server_time = get_int(&rd, o, "server_time", 0, 253402300799LL);
	out->acked = get_int(&rd, o, "acked", 0, 1000000000000LL);
	out->cursor = get_int(&rd, o, "cursor", 0, 1LL << 53);
	more = json_object_get(o, "more");
	if (!rd.failed && !json_is_boolean(more)) bad(&rd, "more", "missing or not true/false");
	out->more = json_is_true(more);
	out->catalog = get_file(&rd, o, "catalog");
	out->holidays = get_file(&rd, o, "holidays");
	conflicts = json_object_get(o, "conflicts");
	events = json_object_get(o, "events");
	if (!rd.failed && !json_is_array(conflicts)) bad(&rd, "conflicts", "missing or not a list");
	if (!rd.failed && !json_is_array(events)) bad(&rd, "events", "missing or not a list");
	if (!rd.failed && json_array_size(events) > PROTO_EVENTS) bad(&rd, "events", "more than allowed in one reply");
	if (rd.failed) goto done;
	n = json_array_size(conflicts);
	if (n && !(out->conflicts = calloc(n, sizeof *out->conflicts))) { bad(&rd, "conflicts", "out of memory"); goto done; }
	for (i = 0; i < n && !rd.failed; i++) {
		json_t *c = json_array_get(conflicts, i);
		out->nconflicts = (int)i + 1;
		if (!json_is_string(c) || json_string_length(c) >= sizeof out->conflicts[i] ||
		    !id_of(out->kiosk, json_string_value(c), &seq))
			bad(&rd, "conflicts", "not a request id of this kiosk");
		else
			memcpy(out->conflicts[i], json_string_value(c), json_string_length(c) + 1);
	}
	n = json_array_size(events);
	if (n && !(out->events = calloc(n, sizeof *out->events))) { bad(&rd, "events", "out of memory"); goto done; }
	for (i = 0; i < n && !rd.failed; i++) {
		json_t *e = json_array_get(events, i);
		proto_event *ev = &out->events[i];
		snprintf(rd.where, sizeof rd.where, "events[%zu].", i);
		out->nevents = (int)i + 1;
		if (!json_is_object(e)) { bad(&rd, "", "not an object"); break; }
		ev->id = get_int(&rd, e, "id", last_id + 1, 1LL << 53);
		last_id = ev->id;
		get_str(&rd, e, "request", ev->request, sizeof ev->request, NULL, NULL);
		if (!rd.failed && !id_of(out->kiosk, ev->request, &seq)) bad(&rd, "request", "not a request id of this kiosk");
		ev->at = get_int(&rd, e, "at", 0, 253402300799LL);
		get_str(&rd, e, "status", ev->status, sizeof ev->status, is_status, "not a status");
		get_str(&rd, e, "note", ev->note, sizeof ev->note, NULL, NULL);
		get_optional_str(&rd, e, "deadline", ev->deadline, sizeof ev->deadline, is_date_or_empty,
			"not a date YYYY-MM-DD");
		ev->undated = get_optional_bool(&rd, e, "undated");
		if (!rd.failed && ev->undated && ev->deadline[0]) bad(&rd, "deadline", "an undated event sets no date");
	}
	rd.where[0] = '\0';
	if (!rd.failed && out->nevents && out->cursor < last_id) bad(&rd, "cursor", "below the last event sent");
	if (!rd.failed) get_conferences(&rd, json_object_get(o, "conferences"), out);
	if (!rd.failed) get_stats(&rd, json_object_get(o, "stats"), &out->stats);
	out->counter_acked = -1;
	if (!rd.failed && json_object_get(o, "counter_acked"))
		out->counter_acked = get_int(&rd, o, "counter_acked", 0, 1LL << 53);
	out->ratings_acked = -1;
	if (!rd.failed && json_object_get(o, "ratings_acked"))
		out->ratings_acked = get_int(&rd, o, "ratings_acked", 0, 1LL << 53);
done:
	json_decref(o);
	return rd.failed ? -1 : 0;
}

void proto_free_push(proto_push *p)
{
	int i;
	for (i = 0; i < p->nrequests; i++) free(p->requests[i].sealed);
	free(p->requests);
	free(p->queue);
	free(p->counter);
	free(p->ratings);
	memset(p, 0, sizeof *p);
}

void proto_free_reply(proto_reply *r)
{
	free(r->conflicts);
	free(r->events);
	free(r->catalog);
	free(r->holidays);
	free(r->conferences);
	memset(r, 0, sizeof *r);
}
