/* dbcounter: the counter's steps in the kiosk's store (see dbcounter.h).
 *
 * The checks that read the store run inside the same IMMEDIATE transaction
 * as the writes, so a second counter scanning the same slip waits for the
 * first and then finds what it did; the unique indexes of schema 4 stand
 * behind them should anything else write the file. */
#include "dbcounter.h"
#include "cal.h"
#include "dbmeta.h"
#include "sqlx.h"
#include "status.h"
#include "token.h"
#include "utf8.h"
#include "valid.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define META_COUNTER_ACKED "sync.counter_acked"

__attribute__((format(printf, 3, 4)))
static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

/* A refusal's reason for the page, beside err's words for the log. */
static int why(dbcounter_refusal *rf, dbcounter_why w, const char *when, const char *detail)
{
	if (rf) {
		rf->why = w;
		snprintf(rf->when, sizeof rf->when, "%s", when ? when : "");
		snprintf(rf->detail, sizeof rf->detail, "%.40s", detail ? detail : "");
	}
	return 1;
}

static int failed(sqlite3 *sql, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sql ? sqlite3_errmsg(sql) : "the database is not open");
	return -1;
}

/* The local date of a kiosk clock, for messages. */
static void day_of(long long at, char out[11])
{
	cal_date_format(cal_from_time((time_t)at), out);
}

/* The step's own form, before the store is read: 0, or 1 with the reason;
 * the canonical code and dossier number into canon and dossier. */
static int check_step(const dbcounter_step *s, char canon[TOKEN_LEN + 1], char dossier[VALID_DOSSIER_MAX],
	dbcounter_refusal *rf, char *err, size_t errlen)
{
	cal_date due;
	valid_code v;
	dossier[0] = '\0';
	why(rf, DBCOUNTER_FORM, NULL, NULL);
	if (!s->kind || !proto_counter_kind(s->kind))
		return refuse(err, errlen, "unknown counter step \"%s\": accepted, supplement or letter",
			s->kind ? s->kind : "");
	if (!s->code || token_parse(s->code, canon) != TOKEN_OK)
		return why(rf, DBCOUNTER_NOT_CODE, NULL, NULL), refuse(err, errlen, "\"%.40s\" is not a receipt code: scan the slip's QR code or type"
			" the code printed under it", s->code ? s->code : "");
	if (!s->due || cal_date_parse(s->due, &due) != 0)
		return refuse(err, errlen, "the date for the counter's paper is missing or not YYYY-MM-DD");
	if (strcmp(s->kind, "accepted") == 0) {
		v = valid_dossier(s->dossier, dossier);
		if (v == VALID_REQUIRED)
			return why(rf, DBCOUNTER_DOSSIER_MISSING, NULL, NULL), refuse(err, errlen, "the dossier number (mã số hồ sơ) is missing: expected the form %s",
				VALID_DOSSIER_FORM);
		if (v != VALID_OK)
			return why(rf, DBCOUNTER_DOSSIER_FORM, NULL, s->dossier), refuse(err, errlen, "\"%.40s\" is not a dossier number: expected the form %s",
				s->dossier, VALID_DOSSIER_FORM);
	} else if ((s->dossier && s->dossier[0]) || s->verify) {
		return refuse(err, errlen, "only an acceptance has a dossier number");
	}
	if (strcmp(s->kind, "supplement") == 0 &&
	    (valid_text(s->text, 2000, 1, 1) != VALID_OK || strlen(s->text) >= PROTO_NOTE_MAX))
		return why(rf, DBCOUNTER_LIST_MISSING, NULL, NULL), refuse(err, errlen, "the list of missing papers is required: plain text of at most %d bytes",
			PROTO_NOTE_MAX - 1);
	if (strcmp(s->kind, "supplement") != 0 && s->text && s->text[0])
		return refuse(err, errlen, "only a supplement has a list of missing papers");
	return 0;
}

/* One row of this request's counter events of kind: 1 with its time and
 * dossier, 0 none, -1 error. */
static int find_kind(sqlite3 *sql, const char *request_id, const char *kind, long long *at,
	char dossier[PROTO_DOSSIER_MAX], int *verify)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "SELECT at, dossier, verify FROM counter_step WHERE request_id = ? AND kind = ?"
			" ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (at) *at = sqlite3_column_int64(st, 0);
		if (dossier && sqlx_copy_col(st, 1, dossier, PROTO_DOSSIER_MAX) != 0) rc = SQLITE_TOOBIG;
		if (verify) *verify = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* What state refuses, read inside the transaction: 0 allowed, 1 refused,
 * -1 error. */
static int check_state(sqlite3 *sql, const dbcounter_step *s, const char *id, const char *status,
	const char *dossier, dbcounter_refusal *rf, char *err, size_t errlen)
{
	char when[11], held[PROTO_DOSSIER_MAX], other[40];
	long long at = 0;
	int rc;
	sqlite3_stmt *st;
	if (status_is_final(status))
		return why(rf, DBCOUNTER_CLOSED, NULL, status), refuse(err, errlen, "this request is %s already: nothing was changed", status);
	if ((rc = find_kind(sql, id, "accepted", &at, held, NULL)) != 0) {
		if (rc < 0) return -1;
		day_of(at, when);
		why(rf, DBCOUNTER_ACCEPTED, when, held);
		return refuse(err, errlen, "this request was accepted at the counter already, on %s, with dossier"
			" number %s: nothing was changed", when, held);
	}
	if (strcmp(s->kind, "letter") == 0 && (rc = find_kind(sql, id, "letter", &at, NULL, NULL)) != 0) {
		if (rc < 0) return -1;
		day_of(at, when);
		why(rf, DBCOUNTER_LETTER_TWICE, when, NULL);
		return refuse(err, errlen, "the signed letter was marked received already, on %s: nothing was"
			" changed", when);
	}
	if (strcmp(s->kind, "supplement") == 0 && (rc = find_kind(sql, id, "supplement", &at, NULL, NULL)) != 0) {
		if (rc < 0) return -1;
		day_of(at, when);
		why(rf, DBCOUNTER_SUPPLEMENT_TWICE, when, NULL);
		return refuse(err, errlen, "the missing papers were asked for already, on %s, and the law allows"
			" asking once: accept the dossier when it is complete", when);
	}
	if (!dossier[0]) return 0;
	if (sqlite3_prepare_v2(sql, "SELECT request_id FROM counter_step WHERE dossier = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, dossier, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlx_copy_col(st, 0, other, sizeof other) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return why(rf, DBCOUNTER_DOSSIER_TAKEN, NULL, dossier), refuse(err, errlen, "dossier number %s is recorded already for another request (%s):"
			" check the number", dossier, other);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_rows(sqlite3 *sql, const dbcounter_step *s, const char *id, const char *dossier)
{
	/* The status a citizen sees: accepted and supplement are the domain's;
	 * the letter received leaves it received, with the date to accept. */
	const char *status = strcmp(s->kind, "accepted") == 0 ? "accepted" :
		strcmp(s->kind, "supplement") == 0 ? "supplement" : NULL;
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "INSERT INTO counter_step(request_id, kind, at, dossier, verify, text)"
			" VALUES(?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, s->at);
	sqlite3_bind_text(st, 4, dossier, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, s->verify ? 1 : 0);
	sqlite3_bind_text(st, 6, s->text ? s->text : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) return rc;
	if (sqlite3_prepare_v2(sql, "INSERT INTO event(request_id, at, status, deadline)"
			" VALUES(?, ?, coalesce(?, (SELECT status FROM request WHERE id = ?1)), ?)", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->at);
	if (status) sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->due, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || !status) return rc == SQLITE_DONE ? SQLITE_OK : rc;
	if (sqlite3_prepare_v2(sql, "UPDATE request SET status = ?, updated_at = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->at);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int dbcounter_record(db *d, const dbcounter_step *s, db_request *out, dbcounter_refusal *rf,
	char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st = NULL;
	char canon[TOKEN_LEN + 1], dossier[VALID_DOSSIER_MAX], id[40], status[16];
	db_request found;
	int rc;
	if (out) memset(out, 0, sizeof *out);
	if (!sql) return failed(NULL, err, errlen, "recording the counter's step");
	if ((rc = check_step(s, canon, dossier, rf, err, errlen)) != 0) return rc;
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return failed(sql, err, errlen, "recording the counter's step");
	/* The store keeps codes only as keyed hashes (dbcode.h): the lookup
	 * runs inside this transaction, on the same connection. */
	rc = db_find_token(d, canon, &found);
	if (rc == 0) {
		why(rf, DBCOUNTER_UNKNOWN, NULL, canon);
		rc = refuse(err, errlen, "no request with code %s was filed at this kiosk: check the code", canon);
		goto rollback;
	}
	if (rc != 1) {
		rc = failed(sql, err, errlen, "finding the request");
		goto rollback;
	}
	snprintf(id, sizeof id, "%s", found.id);
	snprintf(status, sizeof status, "%s", found.status);
	if ((rc = check_state(sql, s, id, status, dossier, rf, err, errlen)) != 0) {
		if (rc < 0) failed(sql, err, errlen, "reading the request's counter steps");
		goto rollback;
	}
	rc = insert_rows(sql, s, id, dossier);
	if (rc == SQLITE_CONSTRAINT) {
		why(rf, DBCOUNTER_AT_ONCE, NULL, NULL);
		rc = refuse(err, errlen, "another counter recorded this step for this request at the same time:"
			" nothing was changed; scan the slip again to see what it did");
		goto rollback;
	}
	if (rc != SQLITE_OK) {
		rc = failed(sql, err, errlen, "storing the counter's step");
		goto rollback;
	}
	/* The counter's paper promises what is in the file at the path. */
	if (db_check_file(d, err, errlen) != 0) { rc = -1; goto rollback; }
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = failed(sql, err, errlen, "committing the counter's step");
		goto rollback;
	}
	if (out && db_find_token(d, canon, out) == 1) snprintf(out->due, sizeof out->due, "%s", s->due);
	return 0;
rollback:
	sqlite3_finalize(st);
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int dbcounter_state_of(db *d, const char *request_id, dbcounter_state *out, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	int a, l, p;
	memset(out, 0, sizeof *out);
	if (!sql) return failed(NULL, err, errlen, "reading the counter's steps");
	if ((a = find_kind(sql, request_id, "accepted", &out->accepted_at, out->dossier, &out->verify)) < 0 ||
	    (l = find_kind(sql, request_id, "letter", &out->letter_at, NULL, NULL)) < 0 ||
	    (p = find_kind(sql, request_id, "supplement", NULL, NULL, NULL)) < 0)
		return failed(sql, err, errlen, "reading the counter's steps");
	out->accepted = a;
	out->letter = l;
	out->supplement = p;
	return 0;
}

int dbcounter_outbox(db *d, long long last_seq, int max, proto_counter **out, int *count, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st = NULL;
	proto_counter *list = NULL;
	long long acked;
	int n = 0, rc;
	*out = NULL;
	*count = 0;
	if (max <= 0 || max > PROTO_COUNTER_MAX) max = PROTO_COUNTER_MAX;
	if (!sql) return failed(NULL, err, errlen, "reading the counter's outbox");
	if (sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return failed(sql, err, errlen, "reading the counter's outbox");
	if (dbmeta_get_int(sql, META_COUNTER_ACKED, 0, &acked) != 0 ||
	    sqlite3_prepare_v2(sql, "SELECT c.id, c.request_id, c.kind, c.at, c.dossier, c.verify, c.text, r.seq"
			" FROM counter_step c JOIN request r ON r.id = c.request_id WHERE c.id > ? ORDER BY c.id LIMIT ?",
			-1, &st, NULL) != SQLITE_OK ||
	    !(list = calloc((size_t)max, sizeof *list))) {
		rc = failed(sql, err, errlen, "reading the counter's outbox");
		goto done;
	}
	sqlite3_bind_int64(st, 1, acked);
	sqlite3_bind_int(st, 2, max);
	/* In order, stopping at the first whose request this push does not
	 * carry: the server acknowledges a prefix, so none may be skipped. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int64(st, 7) <= last_seq) {
		proto_counter *c = &list[n];
		c->id = sqlite3_column_int64(st, 0);
		c->at = sqlite3_column_int64(st, 3);
		c->verify = sqlite3_column_int(st, 5);
		if (sqlx_copy_col(st, 1, c->request, sizeof c->request) != 0 || sqlx_copy_col(st, 2, c->kind, sizeof c->kind) != 0 ||
		    sqlx_copy_col(st, 4, c->dossier, sizeof c->dossier) != 0 || sqlx_copy_col(st, 6, c->text, sizeof c->text) != 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = failed(sql, err, errlen, "reading the counter's outbox");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
	if (rc != 0 || n == 0) {
		free(list);
		return rc;
	}
	*out = list;
	*count = n;
	return 0;
}

long long dbcounter_pending(db *d)
{
	sqlite3 *sql = db_connection(d);
	long long acked, n;
	if (!sql || dbmeta_get_int(sql, META_COUNTER_ACKED, 0, &acked) != 0 ||
	    dbmeta_query_int(sql, "SELECT count(*) FROM counter_step WHERE id > ?", acked, &n) != 0)
		return -1;
	return n;
}
