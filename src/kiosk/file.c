/* file: normalise, seal, date and store one request (see file.h).
 *
 * The clear JSON lives only between its making and its sealing, and is
 * wiped then (its object's strings by jansson's wiping free, wipe.h); what
 * a citizen typed reaches the store sealed alone. */
#include "file.h"
#include "valid.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void file_plan_make(file_plan *p, const catalog_category *category, const catalog_procedure *procedure,
	const cal *calendar, time_t now)
{
	memset(p, 0, sizeof *p);
	p->category = category;
	p->procedure = procedure;
	p->planned_at = (long long)now;
	cal_date_format(catalog_deadline(category, procedure, calendar, now), p->deadline);
}

void file_plan_conference(file_plan *p, long long conference_at)
{
	time_t t = (time_t)(conference_at + 7 * 3600);
	struct tm tm;
	cal_date d;
	if (conference_at <= 0 || !gmtime_r(&t, &tm)) return;
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	cal_date_format(d, p->deadline);
	p->conference = 1;
}

/* 1 if the plan was made on the day of now. */
static int plan_is_today(const file_plan *p, time_t now)
{
	return cal_compare(cal_from_time((time_t)p->planned_at), cal_from_time(now)) == 0;
}

/* A value as stored: a phone number or citizen id as its digits alone. */
static const char *normalised(field_kind kind, const char *v, char norm[16])
{
	if (!v[0]) return v;
	if (kind == FIELD_PHONE && valid_phone(v, 0, norm) == VALID_OK) return norm;
	if (kind == FIELD_CITIZEN_ID && valid_citizen_id(v, 0, norm) == VALID_OK) return norm;
	return v;
}

/* The sealed record: every field the category shows, normalised, and the
 * citizen's yes to text messages when there is a phone to send them to
 * (the server sends none without it, sync/store/srv_find.c). */
static int seal_fields(const file_office *o, const file_plan *p, const char *const fields[],
	unsigned char **out, size_t *outlen)
{
	const catalog_category *c = p->category;
	int phone = catalog_field_index("phone");
	json_t *obj = json_object();
	char *text;
	size_t len;
	int i, rc = -1;
	*out = NULL;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		char norm[16];
		if (c->need[i] == FIELD_HIDDEN) continue;
		json_object_set_new(obj, o->cat->fields[i].name, json_string(normalised(o->cat->fields[i].kind, fields[i], norm)));
		sodium_memzero(norm, sizeof norm);
	}
	if (p->sms_consent && phone >= 0 && c->need[phone] != FIELD_HIDDEN && fields[phone][0])
		json_object_set_new(obj, "sms_consent", json_string("1"));
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text) return -1;
	len = strlen(text);
	*out = malloc(len + SEAL_OVERHEAD);
	if (*out && seal_box(o->server_key, text, len, *out) == 0) {
		*outlen = len + SEAL_OVERHEAD;
		rc = 0;
	}
	sodium_memzero(text, len);
	free(text);
	return rc;
}

int file_request(const file_office *o, const file_plan *p, const char *const fields[], time_t now,
	db_request *out, char *err, size_t errlen)
{
	db_submission s;
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int rc;
	if (!o->server_key) { snprintf(err, errlen, "cannot accept a request: no server key configured"); return FILE_FAILED; }
	if (!o->store) { snprintf(err, errlen, "cannot accept a request: the database is not open"); return FILE_FAILED; }
	if (!p->category) { snprintf(err, errlen, "cannot accept a request: nothing was chosen"); return FILE_FAILED; }
	if (!plan_is_today(p, now)) {
		snprintf(err, errlen, "the deadline shown was decided on another day");
		return FILE_STALE;
	}
	if (seal_fields(o, p, fields, &sealed, &sealed_len) != 0) {
		free(sealed);
		snprintf(err, errlen, "cannot accept a request: sealing failed");
		return FILE_FAILED;
	}
	memset(&s, 0, sizeof s);
	s.commune_code = o->cfg->commune_code;
	s.kiosk_number = o->cfg->kiosk_number;
	s.category = p->category->id;
	s.procedure = p->procedure ? p->procedure->id : NULL;
	s.received_at = now;
	s.deadline = p->deadline;
	s.sealed = sealed;
	s.sealed_len = sealed_len;
	rc = db_submit(o->store, &s, out, err, errlen);
	free(sealed);
	if (rc != 0) {
		char why[200];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "cannot store a request: %s", why);
		return FILE_STORE_FAILED;
	}
	return FILE_OK;
}
