/* catalog: loading assets/catalog.json with jansson and counting deadlines
 * (see catalog.h). Loading is strict: an entry with a missing text or an
 * unknown field name is an error, so a broken update is caught on the
 * installer's screen, not in front of a citizen. */
#include "catalog.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const field_names[CATALOG_FIELDS] = {
	"full_name", "phone", "citizen_id", "birth_date", "address", "subject", "details"
};

static const struct { const char *name; field_kind kind; } field_kinds[] = {
	{ "text", FIELD_TEXT }, { "phone", FIELD_PHONE },
	{ "citizen_id", FIELD_CITIZEN_ID }, { "multiline", FIELD_MULTILINE },
	{ "date", FIELD_DATE },
};

static const struct { const char *name; field_need need; } field_needs[] = {
	{ "hidden", FIELD_HIDDEN }, { "optional", FIELD_OPTIONAL }, { "required", FIELD_REQUIRED },
};

static const struct { const char *name; deadline_kind kind; } deadline_kinds[] = {
	{ "procedure", DEADLINE_PROCEDURE }, { "working_days", DEADLINE_WORKING_DAYS },
	{ "days", DEADLINE_DAYS },
};

#define LOOKUP(table, key, out) do { \
	size_t i_; (out) = -1; \
	for (i_ = 0; i_ < sizeof(table) / sizeof(table[0]); i_++) \
		if (strcmp((table)[i_].name, (key)) == 0) { (out) = (int)i_; break; } \
	} while (0)

int catalog_field_index(const char *name)
{
	int i;
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (strcmp(field_names[i], name) == 0) return i;
	return -1;
}

/* Copies a string member into out; 0, or -1 with a message. */
static int get_str(json_t *obj, const char *key, char *out, size_t outlen, int required,
	const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	if (!v) {
		if (!required) { out[0] = '\0'; return 0; }
		snprintf(err, errlen, "%s: \"%s\" is missing", where, key);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: \"%s\" must be a string", where, key);
		return -1;
	}
	s = json_string_value(v);
	if (strlen(s) >= outlen) {
		snprintf(err, errlen, "%s: \"%s\" is longer than %zu bytes", where, key, outlen - 1);
		return -1;
	}
	memcpy(out, s, strlen(s) + 1);
	return 0;
}


/* Reads a {"vi": ..., "en": ...} text into vi and en. */
static int get_text2(json_t *obj, const char *key, char *vi, char *en, size_t outlen, int required,
	const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	char sub[128];
	if (!v && !required) { vi[0] = en[0] = '\0'; return 0; }
	if (!json_is_object(v)) {
		snprintf(err, errlen, "%s: \"%s\" must be an object with \"vi\" and \"en\"", where, key);
		return -1;
	}
	snprintf(sub, sizeof sub, "%s.%s", where, key);
	if (get_str(v, "vi", vi, outlen, 1, sub, err, errlen) < 0) return -1;
	return get_str(v, "en", en, outlen, 1, sub, err, errlen);
}
#define GET_TEXT(obj, key, arr, req, where) \
	get_text2(obj, key, (arr)[0], (arr)[1], sizeof((arr)[0]), req, where, err, errlen)

static int get_int(json_t *obj, const char *key, int *out, int def, int min, int max,
	const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	if (!v) { *out = def; return 0; }
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		snprintf(err, errlen, "%s: \"%s\" must be a whole number from %d to %d", where, key, min, max);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

static int load_fields(json_t *root, catalog *c, char *err, size_t errlen)
{
	json_t *arr = json_object_get(root, "fields"), *f;
	size_t i;
	char where[64], kind[16];
	int k, seen[CATALOG_FIELDS] = { 0 };
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "\"fields\" must be a list");
		return -1;
	}
	json_array_foreach(arr, i, f) {
		char name[16];
		snprintf(where, sizeof where, "fields[%zu]", i);
		if (get_str(f, "name", name, sizeof name, 1, where, err, errlen) < 0) return -1;
		k = catalog_field_index(name);
		if (k < 0) {
			snprintf(err, errlen, "%s: unknown field \"%s\"", where, name);
			return -1;
		}
		catalog_field *cf = &c->fields[k];
		memcpy(cf->name, name, sizeof name);
		if (get_str(f, "kind", kind, sizeof kind, 1, where, err, errlen) < 0) return -1;
		int kk;
		LOOKUP(field_kinds, kind, kk);
		if (kk < 0) {
			snprintf(err, errlen, "%s: unknown kind \"%s\"", where, kind);
			return -1;
		}
		cf->kind = field_kinds[kk].kind;
		if (get_int(f, "max", &cf->max_chars, 200, 1, 4000, where, err, errlen) < 0) return -1;
		if (GET_TEXT(f, "label", cf->label, 1, where) < 0) return -1;
		if (GET_TEXT(f, "short", cf->short_label, 1, where) < 0) return -1;
		seen[k] = 1;
	}
	for (k = 0; k < CATALOG_FIELDS; k++) {
		if (!seen[k]) {
			snprintf(err, errlen, "fields: \"%s\" is missing", field_names[k]);
			return -1;
		}
	}
	return 0;
}

/* Refuses members a part of the clock does not have: a misspelt limit
 * would otherwise leave the law's default in force without a word. */
static int only_members(json_t *o, const char *const *allowed, const char *where, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	size_t i;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s must be an object", where);
		return -1;
	}
	json_object_foreach(o, key, v) {
		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++) {}
		if (!allowed[i]) {
			snprintf(err, errlen, "%s: unknown member \"%s\"", where, key);
			return -1;
		}
	}
	return 0;
}

/* A number of days: required ones must be there, optional ones take def. */
static int get_days(json_t *o, const char *key, int *out, int def, int min, const char *where,
	char *err, size_t errlen)
{
	if (def < 0 && !json_object_get(o, key)) {
		snprintf(err, errlen, "%s: \"%s\" is missing", where, key);
		return -1;
	}
	return get_int(o, key, out, def, min, 365, where, err, errlen);
}

static int get_unit(json_t *o, int allow_procedure, legal_unit *out, const char *where, char *err, size_t errlen)
{
	char unit[16];
	int u;
	if (get_str(o, "unit", unit, sizeof unit, 1, where, err, errlen) < 0) return -1;
	u = legal_unit_parse(unit);
	if (u < 0 || (u == LEGAL_PROCEDURE && !allow_procedure)) {
		snprintf(err, errlen, "%s: \"unit\" must be %s", where,
			allow_procedure ? "calendar, working or procedure" : "calendar or working");
		return -1;
	}
	*out = (legal_unit)u;
	return 0;
}

static int load_resolve(json_t *part, legal_clock *k, const char *where, char *err, size_t errlen)
{
	static const char *const members[] = { "days", "unit", "complex", "remote", "remote_complex", NULL };
	int (*d)[2] = k->resolve_days;
	if (only_members(part, members, where, err, errlen) < 0) return -1;
	if (get_unit(part, 1, &k->resolve_unit, where, err, errlen) < 0) return -1;
	if (k->resolve_unit == LEGAL_PROCEDURE) {
		if (json_object_size(part) == 1) return 0;
		snprintf(err, errlen, "%s: a procedure's days are its own (procedures[]): give only \"unit\"", where);
		return -1;
	}
	if (get_days(part, "days", &d[0][0], -1, 0, where, err, errlen) < 0 ||
	    get_days(part, "complex", &d[0][1], d[0][0], 0, where, err, errlen) < 0 ||
	    get_days(part, "remote", &d[1][0], d[0][0], 0, where, err, errlen) < 0)
		return -1;
	return get_days(part, "remote_complex", &d[1][1], d[0][1] > d[1][0] ? d[0][1] : d[1][0], 0, where,
		err, errlen);
}

/* A step's span {"days", "unit"} into *s. */
static int load_step(json_t *clock, const char *name, legal_span *s, const catalog_category *cat,
	const char *where, char *err, size_t errlen)
{
	static const char *const members[] = { "days", "unit", NULL };
	json_t *part = json_object_get(clock, name);
	char sub[96];
	if (!part) return 0;
	snprintf(sub, sizeof sub, "%s (%s): clock.%s", where, cat->id, name);
	if (only_members(part, members, sub, err, errlen) < 0 ||
	    get_unit(part, 0, &s->unit, sub, err, errlen) < 0 ||
	    get_days(part, "days", &s->days, -1, 0, sub, err, errlen) < 0)
		return -1;
	return 0;
}

/* A flag that is true, false or absent (false). */
static int get_flag(json_t *o, const char *key, int *out, const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v) return 0;
	if (!json_is_boolean(v)) {
		snprintf(err, errlen, "%s: \"%s\" must be true or false", where, key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/* "clock": {"accept": {"days", "unit", "several_places"}, "notify" and
 * "forward": {"days", "unit"}, "resolve": {"days", "unit", "complex",
 * "remote", "remote_complex"} or {"unit": "procedure"}, "extend": {"days",
 * "complex", "especially_complex"}, "starts" (kiosk, counter or
 * signed_letter), "suspend", "notice_only" and
 * "anonymous_information": true or false}; docs/legal-clocks.md. */
static int load_clock(json_t *o, catalog_category *cat, const char *where, char *err, size_t errlen)
{
	static const char *const clock_members[] = { "starts", "accept", "notify", "forward", "resolve", "extend",
		"suspend", "notice_only", "anonymous_information", NULL };
	static const char *const accept_members[] = { "days", "unit", "several_places", NULL };
	static const char *const extend_members[] = { "days", "complex", "especially_complex", NULL };
	json_t *clock = json_object_get(o, "clock"), *part;
	legal_clock *k = &cat->clock;
	char sub[96], msg[200];
	memset(k, 0, sizeof *k);
	k->accept.days = k->accept_several = k->notify.days = k->forward.days = -1;
	k->accept.cutoff_hour = k->notify.cutoff_hour = k->forward.cutoff_hour = 24;
	snprintf(sub, sizeof sub, "%s (%s): clock", where, cat->id);
	if (!clock) {
		snprintf(err, errlen, "%s is missing: the legal time limits, e.g."
			" {\"resolve\": {\"days\": 10, \"unit\": \"working\"}}", sub);
		return -1;
	}
	if (only_members(clock, clock_members, sub, err, errlen) < 0) return -1;
	if (json_object_get(clock, "starts")) {
		char starts[16];
		int st;
		if (get_str(clock, "starts", starts, sizeof starts, 1, sub, err, errlen) < 0) return -1;
		if ((st = legal_start_parse(starts)) < 0) {
			snprintf(err, errlen, "%s: \"starts\" must be kiosk, counter or signed_letter", sub);
			return -1;
		}
		k->starts = (legal_start)st;
	}
	if (get_flag(clock, "suspend", &k->suspendable, sub, err, errlen) < 0 ||
	    get_flag(clock, "notice_only", &k->notice_only, sub, err, errlen) < 0 ||
	    get_flag(clock, "anonymous_information", &k->anonymous_information, sub, err, errlen) < 0)
		return -1;
	if ((part = json_object_get(clock, "accept"))) {
		snprintf(sub, sizeof sub, "%s (%s): clock.accept", where, cat->id);
		if (only_members(part, accept_members, sub, err, errlen) < 0 ||
		    get_unit(part, 0, &k->accept.unit, sub, err, errlen) < 0 ||
		    get_days(part, "days", &k->accept.days, -1, 0, sub, err, errlen) < 0 ||
		    get_days(part, "several_places", &k->accept_several, k->accept.days, 0, sub, err, errlen) < 0)
			return -1;
	}
	if (load_step(clock, "notify", &k->notify, cat, where, err, errlen) < 0 ||
	    load_step(clock, "forward", &k->forward, cat, where, err, errlen) < 0)
		return -1;
	snprintf(sub, sizeof sub, "%s (%s): clock.resolve", where, cat->id);
	if (!(part = json_object_get(clock, "resolve"))) {
		snprintf(err, errlen, "%s is missing", sub);
		return -1;
	}
	if (load_resolve(part, k, sub, err, errlen) < 0) return -1;
	if ((part = json_object_get(clock, "extend"))) {
		snprintf(sub, sizeof sub, "%s (%s): clock.extend", where, cat->id);
		if (only_members(part, extend_members, sub, err, errlen) < 0 ||
		    get_days(part, "days", &k->extend_days, -1, 1, sub, err, errlen) < 0 ||
		    get_int(part, "complex", &k->extensions[LEGAL_COMPLEX], 0, 0, 9, sub, err, errlen) < 0 ||
		    get_int(part, "especially_complex", &k->extensions[LEGAL_VERY_COMPLEX],
			k->extensions[LEGAL_COMPLEX], 0, 9, sub, err, errlen) < 0)
			return -1;
		if (k->extensions[LEGAL_VERY_COMPLEX] == 0) {
			snprintf(err, errlen, "%s: no case may be extended: leave \"extend\" out", sub);
			return -1;
		}
	}
	if (legal_clock_check(k, msg, sizeof msg) < 0) {
		snprintf(err, errlen, "%s (%s): clock.%s", where, cat->id, msg);
		return -1;
	}
	return 0;
}

/* What the receipt's date counts, in the terms kiosks before the clock read
 * ("deadline" with "working_days" or "days"). The catalog may still carry
 * those members for them; when it does they must say the same as the clock. */
static int check_legacy_deadline(json_t *o, catalog_category *cat, const char *where, char *err, size_t errlen)
{
	const legal_clock *k = &cat->clock;
	legal_unit unit = legal_has_acceptance(k) ? k->accept.unit : k->resolve_unit;
	char kind[16];
	int i, n = 0;
	cat->deadline = unit == LEGAL_PROCEDURE ? DEADLINE_PROCEDURE :
		unit == LEGAL_WORKING ? DEADLINE_WORKING_DAYS : DEADLINE_DAYS;
	cat->deadline_n = legal_has_acceptance(k) ? k->accept.days : unit == LEGAL_PROCEDURE ? 0 : k->resolve_days[0][0];
	if (!json_object_get(o, "deadline")) return 0;
	if (get_str(o, "deadline", kind, sizeof kind, 1, where, err, errlen) < 0) return -1;
	LOOKUP(deadline_kinds, kind, i);
	if (i >= 0 && deadline_kinds[i].kind == DEADLINE_WORKING_DAYS &&
	    get_int(o, "working_days", &n, 10, 0, 365, where, err, errlen) < 0)
		return -1;
	if (i >= 0 && deadline_kinds[i].kind == DEADLINE_DAYS && get_int(o, "days", &n, 30, 0, 365, where, err, errlen) < 0)
		return -1;
	if (i < 0 || deadline_kinds[i].kind != cat->deadline || n != cat->deadline_n) {
		snprintf(err, errlen, "%s (%s): \"deadline\" (kept for older kiosks) disagrees with \"clock\"",
			where, cat->id);
		return -1;
	}
	return 0;
}

static int load_category(json_t *o, catalog_category *cat, char *err, size_t errlen, const char *where)
{
	json_t *fields, *v;
	const char *key;
	int k;
	if (get_str(o, "id", cat->id, sizeof cat->id, 1, where, err, errlen) < 0) return -1;
	if (GET_TEXT(o, "name", cat->name, 1, where) < 0) return -1;
	if (GET_TEXT(o, "hint", cat->hint, 0, where) < 0) return -1;
	if (GET_TEXT(o, "deadline_note", cat->deadline_note, 0, where) < 0) return -1;
	if (GET_TEXT(o, "notice", cat->notice, 0, where) < 0) return -1;
	if (GET_TEXT(o, "notice_short", cat->notice_short, 0, where) < 0) return -1;
	if (cat->notice_short[0][0] && !cat->notice[0][0]) {
		snprintf(err, errlen, "%s (%s): \"notice_short\" shortens a \"notice\", and there is none", where, cat->id);
		return -1;
	}
	if (GET_TEXT(o, "subject_label", cat->field_label[catalog_field_index("subject")], 0, where) < 0) return -1;
	if (GET_TEXT(o, "details_label", cat->field_label[catalog_field_index("details")], 0, where) < 0) return -1;
	fields = json_object_get(o, "fields");
	if (!json_is_object(fields)) {
		snprintf(err, errlen, "%s: \"fields\" must be an object", where);
		return -1;
	}
	json_object_foreach(fields, key, v) {
		int n;
		k = catalog_field_index(key);
		if (k < 0 || !json_is_string(v)) {
			snprintf(err, errlen, "%s: fields: unknown field \"%s\" or value not a string", where, key);
			return -1;
		}
		LOOKUP(field_needs, json_string_value(v), n);
		if (n < 0) {
			snprintf(err, errlen, "%s: fields.%s must be required, optional or hidden", where, key);
			return -1;
		}
		cat->need[k] = field_needs[n].need;
	}
	if (load_clock(o, cat, where, err, errlen) < 0) return -1;
	return check_legacy_deadline(o, cat, where, err, errlen);
}

/* The guidance of a procedure: optional as a whole (an older catalog has
 * none), but what is given must be complete in both languages. */
static int load_guidance(json_t *o, catalog_procedure *p, char *err, size_t errlen, const char *where)
{
	json_t *papers = json_object_get(o, "papers"), *vi, *en;
	size_t i, k;
	char sub[96];
	const char *c;
	if (get_str(o, "portal_code", p->portal_code, sizeof p->portal_code, 0, where, err, errlen) < 0) return -1;
	for (c = p->portal_code; *c; c++)
		if (!((*c >= '0' && *c <= '9') || *c == '.')) {
			snprintf(err, errlen, "%s: \"portal_code\" must be digits and dots, like 1.001193", where);
			return -1;
		}
	if (GET_TEXT(o, "fee", p->fee, 0, where) < 0) return -1;
	if (GET_TEXT(o, "where", p->where, 0, where) < 0) return -1;
	if (!papers) return 0;
	vi = json_object_get(papers, "vi");
	en = json_object_get(papers, "en");
	if (!json_is_array(vi) || !json_is_array(en) || json_array_size(vi) != json_array_size(en) ||
	    json_array_size(vi) > CATALOG_MAX_PAPERS) {
		snprintf(err, errlen, "%s: \"papers\" must have \"vi\" and \"en\" lists of the same length, at most %d",
			where, CATALOG_MAX_PAPERS);
		return -1;
	}
	for (i = 0; i < json_array_size(vi); i++)
		for (k = 0; k < 2; k++) {
			json_t *v = json_array_get(k ? en : vi, i);
			snprintf(sub, sizeof sub, "%s.papers.%s[%zu]", where, k ? "en" : "vi", i);
			if (!json_is_string(v) || !json_string_value(v)[0] || strlen(json_string_value(v)) >= sizeof p->papers[0][0]) {
				snprintf(err, errlen, "%s: must be a text of 1 to %zu bytes", sub, sizeof p->papers[0][0] - 1);
				return -1;
			}
			memcpy(p->papers[i][k], json_string_value(v), strlen(json_string_value(v)) + 1);
		}
	p->npapers = (int)json_array_size(vi);
	return 0;
}

int catalog_portal_url(const catalog_procedure *p, char *out, size_t outlen)
{
	if (!p->portal_code[0]) { if (outlen) out[0] = '\0'; return -1; }
	snprintf(out, outlen, "%s%s", CATALOG_PORTAL_URL, p->portal_code);
	return 0;
}

static int load_procedure(json_t *o, catalog_procedure *p, char *err, size_t errlen, const char *where)
{
	if (get_str(o, "id", p->id, sizeof p->id, 1, where, err, errlen) < 0) return -1;
	if (GET_TEXT(o, "name", p->name, 1, where) < 0) return -1;
	if (get_int(o, "working_days", &p->working_days, -1, 0, 365, where, err, errlen) < 0) return -1;
	if (get_int(o, "calendar_days", &p->calendar_days, 0, 1, 365, where, err, errlen) < 0) return -1;
	if (get_int(o, "cutoff_hour", &p->cutoff_hour, 24, 0, 24, where, err, errlen) < 0) return -1;
	if ((p->working_days < 0) == (p->calendar_days == 0)) {
		snprintf(err, errlen, "%s: give either working_days or calendar_days", where);
		return -1;
	}
	if (get_int(o, "verify_working_days", &p->verify_working_days, -1, 0, 365, where, err, errlen) < 0)
		return -1;
	if (p->verify_working_days >= 0 && (p->working_days < 0 || p->verify_working_days <= p->working_days)) {
		snprintf(err, errlen, "%s: verify_working_days is the longer time when verification is"
			" needed: more working days than working_days", where);
		return -1;
	}
	return load_guidance(o, p, err, errlen, where);
}

static int load_queue_field(json_t *o, catalog_queue_field *q, char *err, size_t errlen, const char *where)
{
	json_t *arr = json_object_get(o, "counters"), *v;
	size_t i;
	if (get_str(o, "id", q->id, sizeof q->id, 1, where, err, errlen) < 0) return -1;
	if (get_str(o, "prefix", q->prefix, sizeof q->prefix, 1, where, err, errlen) < 0) return -1;
	if (GET_TEXT(o, "name", q->name, 1, where) < 0) return -1;
	if (!q->id[0] || strchr(q->id, ',')) {
		snprintf(err, errlen, "%s: \"id\" must be a word without commas", where);
		return -1;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > CATALOG_MAX_COUNTERS) {
		snprintf(err, errlen, "%s: \"counters\" must list 1 to %d counter numbers", where, CATALOG_MAX_COUNTERS);
		return -1;
	}
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > CATALOG_COUNTER_MAX) {
			snprintf(err, errlen, "%s: counters[%zu] must be a counter number from 1 to %d", where, i, CATALOG_COUNTER_MAX);
			return -1;
		}
		q->counters[q->ncounters++] = (int)json_integer_value(v);
	}
	return 0;
}

static int load_queue_fields(json_t *root, catalog *c, char *err, size_t errlen)
{
	json_t *arr = json_object_get(root, "queue_fields"), *o;
	size_t i;
	char where[64];
	if (!arr) return 0;
	if (!json_is_array(arr) || json_array_size(arr) > CATALOG_MAX_QUEUE_FIELDS) {
		snprintf(err, errlen, "\"queue_fields\" must be a list of at most %d entries", CATALOG_MAX_QUEUE_FIELDS);
		return -1;
	}
	json_array_foreach(arr, i, o) {
		snprintf(where, sizeof where, "queue_fields[%zu]", i);
		if (load_queue_field(o, &c->queue_fields[i], err, errlen, where) < 0) return -1;
		if (catalog_queue_field_by_id(c, c->queue_fields[i].id)) {
			snprintf(err, errlen, "%s: the id \"%s\" is given twice", where, c->queue_fields[i].id);
			return -1;
		}
		c->nqueue_fields++;
	}
	return 0;
}

static int load_root(json_t *root, catalog *c, char *err, size_t errlen)
{
	json_t *arr, *o;
	size_t i;
	char where[64];
	memset(c, 0, sizeof *c);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the catalog must be a JSON object");
		return -1;
	}
	if (get_str(root, "version", c->version, sizeof c->version, 1, "catalog", err, errlen) < 0) return -1;
	if (load_fields(root, c, err, errlen) < 0) return -1;
	arr = json_object_get(root, "categories");
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > CATALOG_MAX_CATEGORIES) {
		snprintf(err, errlen, "\"categories\" must be a list of 1 to %d entries", CATALOG_MAX_CATEGORIES);
		return -1;
	}
	json_array_foreach(arr, i, o) {
		snprintf(where, sizeof where, "categories[%zu]", i);
		if (load_category(o, &c->categories[i], err, errlen, where) < 0) return -1;
		c->ncategories++;
	}
	arr = json_object_get(root, "procedures");
	if (!json_is_array(arr) || json_array_size(arr) > CATALOG_MAX_PROCEDURES) {
		snprintf(err, errlen, "\"procedures\" must be a list of at most %d entries", CATALOG_MAX_PROCEDURES);
		return -1;
	}
	json_array_foreach(arr, i, o) {
		snprintf(where, sizeof where, "procedures[%zu]", i);
		if (load_procedure(o, &c->procedures[i], err, errlen, where) < 0) return -1;
		c->nprocedures++;
	}
	if (load_queue_fields(root, c, err, errlen) < 0) return -1;
	if (catalog_category_by_id(c, "procedure") && c->nprocedures == 0) {
		snprintf(err, errlen, "the procedure category needs at least one procedure");
		return -1;
	}
	return 0;
}

int catalog_load_string(const char *text, catalog *c, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loads(text, 0, &je);
	int rc;
	if (!root) {
		snprintf(err, errlen, "line %d: %s", je.line, je.text);
		return -1;
	}
	rc = load_root(root, c, err, errlen);
	json_decref(root);
	return rc;
}

int catalog_load(const char *path, catalog *c, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	char msg[256];
	int rc;
	if (!root) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	rc = load_root(root, c, msg, sizeof msg);
	json_decref(root);
	if (rc < 0) snprintf(err, errlen, "%s: %s", path, msg);
	return rc;
}

const catalog_category *catalog_category_by_id(const catalog *c, const char *id)
{
	int i;
	for (i = 0; i < c->ncategories; i++)
		if (strcmp(c->categories[i].id, id) == 0) return &c->categories[i];
	return NULL;
}

const catalog_procedure *catalog_procedure_by_id(const catalog *c, const char *id)
{
	int i;
	for (i = 0; i < c->nprocedures; i++)
		if (strcmp(c->procedures[i].id, id) == 0) return &c->procedures[i];
	return NULL;
}

const catalog_queue_field *catalog_queue_field_by_id(const catalog *c, const char *id)
{
	int i;
	for (i = 0; i < c->nqueue_fields; i++)
		if (strcmp(c->queue_fields[i].id, id) == 0) return &c->queue_fields[i];
	return NULL;
}

int catalog_counter_fields(const catalog *c, int counter, char *out, size_t outlen)
{
	int i, j, n = 0;
	size_t len = 0;
	out[0] = '\0';
	for (i = 0; i < c->nqueue_fields; i++)
		for (j = 0; j < c->queue_fields[i].ncounters; j++) {
			if (c->queue_fields[i].counters[j] != counter) continue;
			int w = snprintf(out + len, outlen - len, "%s%s", n ? "," : "", c->queue_fields[i].id);
			if (w < 0 || (size_t)w >= outlen - len) return n;
			len += (size_t)w;
			n++;
			break;
		}
	return n;
}

int catalog_counters(const catalog *c)
{
	int i, j, top = 0;
	for (i = 0; i < c->nqueue_fields; i++)
		for (j = 0; j < c->queue_fields[i].ncounters; j++)
			if (c->queue_fields[i].counters[j] > top) top = c->queue_fields[i].counters[j];
	return top;
}

const char *catalog_field_label(const catalog *c, const catalog_category *cat, int i, lang l)
{
	if (cat && cat->field_label[i][l][0]) return cat->field_label[i][l];
	return c->fields[i].label[l];
}

legal_span catalog_procedure_span(const catalog_procedure *p)
{
	legal_span s = { p->working_days, LEGAL_WORKING, p->cutoff_hour };
	if (p->working_days < 0) {
		s.days = p->calendar_days;
		s.unit = LEGAL_CALENDAR;
	}
	return s;
}

int catalog_procedure_verify_span(const catalog_procedure *p, legal_span *out)
{
	if (p->verify_working_days < 0) return -1;
	out->days = p->verify_working_days;
	out->unit = LEGAL_WORKING;
	out->cutoff_hour = 24;
	return 0;
}

cal_date catalog_deadline(const catalog_category *cat, const catalog_procedure *proc,
	const cal *calendar, time_t received)
{
	struct tm tm;
	cal_date day = cal_from_time(received);
	legal_span span;
	if (proc) span = catalog_procedure_span(proc);
	localtime_r(&received, &tm);
	return legal_receipt_due(&cat->clock, proc ? &span : NULL, calendar, day, tm.tm_hour);
}

int catalog_counter_due(const catalog_category *cat, const catalog_procedure *proc, const cal *calendar,
	const char *kind, int verify, cal_date day, int hour, cal_date *out, char *err, size_t errlen)
{
	const legal_clock *k = &cat->clock;
	legal_span span;
	int has_span = 0;
	if (strcmp(kind, "letter") == 0) {
		if (k->starts != LEGAL_STARTS_LETTER) {
			snprintf(err, errlen, "a %s is not filed with a signed letter", cat->id);
			return 1;
		}
		*out = legal_has_acceptance(k) ? legal_accept_due(k, calendar, day, hour, 0)
			: legal_resolve_due(k, NULL, calendar, day, hour, LEGAL_NORMAL, 0);
		return 0;
	}
	if (k->starts != LEGAL_STARTS_COUNTER) {
		snprintf(err, errlen, "a %s has no dossier for the counter to accept", cat->id);
		return 1;
	}
	if (strcmp(kind, "supplement") == 0) {
		*out = legal_supplement_lapse(calendar, day);
		return 0;
	}
	if (strcmp(kind, "accepted") != 0) {
		snprintf(err, errlen, "unknown counter step \"%s\"", kind);
		return 1;
	}
	if (proc) {
		span = catalog_procedure_span(proc);
		has_span = 1;
	}
	if (verify && (!proc || catalog_procedure_verify_span(proc, &span) != 0)) {
		snprintf(err, errlen, "%s has no longer time when verification is needed",
			proc ? proc->id : "a request without a procedure");
		return 1;
	}
	*out = legal_resolve_due(k, has_span ? &span : NULL, calendar, day, hour, LEGAL_NORMAL, 0);
	return 0;
}
