/* catalog: loading assets/catalog.json with jansson and counting deadlines
 * (see catalog.h). Loading is strict: an entry with a missing text or an
 * unknown field name is an error, so a broken update is caught on the
 * installer's screen, not in front of a citizen. */
#include "catalog.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const field_names[CATALOG_FIELDS] = {
	"full_name", "phone", "citizen_id", "address", "subject", "details"
};

static const struct { const char *name; field_kind kind; } field_kinds[] = {
	{ "text", FIELD_TEXT }, { "phone", FIELD_PHONE },
	{ "citizen_id", FIELD_CITIZEN_ID }, { "multiline", FIELD_MULTILINE },
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

static int load_category(json_t *o, catalog_category *cat, char *err, size_t errlen, const char *where)
{
	json_t *fields, *v;
	const char *key;
	char kind[16];
	int k;
	if (get_str(o, "id", cat->id, sizeof cat->id, 1, where, err, errlen) < 0) return -1;
	if (GET_TEXT(o, "name", cat->name, 1, where) < 0) return -1;
	if (GET_TEXT(o, "hint", cat->hint, 0, where) < 0) return -1;
	if (GET_TEXT(o, "deadline_note", cat->deadline_note, 0, where) < 0) return -1;
	if (GET_TEXT(o, "notice", cat->notice, 0, where) < 0) return -1;
	if (GET_TEXT(o, "subject_label", cat->field_label[4], 0, where) < 0) return -1;
	if (GET_TEXT(o, "details_label", cat->field_label[5], 0, where) < 0) return -1;
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
	if (get_str(o, "deadline", kind, sizeof kind, 1, where, err, errlen) < 0) return -1;
	LOOKUP(deadline_kinds, kind, k);
	if (k < 0) {
		snprintf(err, errlen, "%s: deadline must be procedure, working_days or days", where);
		return -1;
	}
	cat->deadline = deadline_kinds[k].kind;
	if (cat->deadline == DEADLINE_WORKING_DAYS)
		return get_int(o, "working_days", &cat->deadline_n, 10, 0, 365, where, err, errlen);
	if (cat->deadline == DEADLINE_DAYS)
		return get_int(o, "days", &cat->deadline_n, 30, 0, 365, where, err, errlen);
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

const char *catalog_field_label(const catalog *c, const catalog_category *cat, int i, lang l)
{
	if (cat && cat->field_label[i][l][0]) return cat->field_label[i][l];
	return c->fields[i].label[l];
}

cal_date catalog_deadline(const catalog_category *cat, const catalog_procedure *proc,
	const cal *calendar, time_t received)
{
	struct tm tm;
	cal_date day = cal_from_time(received);
	localtime_r(&received, &tm);
	if (cat->deadline == DEADLINE_DAYS)
		return cal_add_days(day, cat->deadline_n);
	if (cat->deadline == DEADLINE_WORKING_DAYS || !proc)
		return cal_add_working_days(calendar, day, cat->deadline_n);
	if (proc->working_days < 0)
		return cal_add_days(day, proc->calendar_days);
	/* Same-day procedures received late, or on a day off, are due the next
	 * working day; longer ones count working days after the day of receipt. */
	if (proc->working_days == 0) {
		if (cal_is_working_day(calendar, day) && tm.tm_hour < proc->cutoff_hour) return day;
		return cal_add_working_days(calendar, cal_add_days(day, 1), 0);
	}
	return cal_add_working_days(calendar, day, proc->working_days);
}
