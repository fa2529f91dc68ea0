/* rating: satisfaction ratings in the kiosk's store (see rating.h).
 *
 * The row holds what the figures need (the kind, the work field, the
 * counter, the day, the five faces) and the comment; the ticket or request
 * it rates is named only by its row id, under a unique index per kind, so
 * a second rating of the same one fails at the insert whichever process
 * tries. The limit on ratings with neither counts this minute's rows inside
 * the same BEGIN IMMEDIATE transaction as the insert, so two kiosks' taps
 * cannot both slip under it. */
#include "rating.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include "cal.h"
#include "dbmeta.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const criterion_names[RATING_N_CRITERIA] = {
	"reception", "time", "attitude", "result", "overall"
};

int rating_check(const rating_input *in, char *err, size_t errlen)
{
	size_t n = strnlen(in->comment, sizeof in->comment);
	for (int i = 0; i < RATING_N_CRITERIA; i++)
		if (in->faces[i] < RATING_FACE_MIN || in->faces[i] > RATING_FACE_MAX) {
			snprintf(err, errlen, "rating: the answer for %s is %d, not %d to %d",
				criterion_names[i], in->faces[i], RATING_FACE_MIN, RATING_FACE_MAX);
			return -1;
		}
	if (n == sizeof in->comment || !utf8_valid(in->comment, n)) {
		snprintf(err, errlen, "rating: the comment is not text of at most %d bytes", RATING_COMMENT_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in->comment[i] < 0x20 && in->comment[i] != '\n') {
			snprintf(err, errlen, "rating: the comment has a control character at byte %zu", i);
			return -1;
		}
	if (in->kind == RATING_TICKET && (strlen(in->day) != 10 || !in->field[0] || in->number <= 0)) {
		snprintf(err, errlen, "rating: a ticket is named by its day, field and a number above 0");
		return -1;
	}
	return 0;
}

static int fail(sqlite3 *sql, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sql ? sqlite3_errmsg(sql) : "the database is not open");
	return -1;
}

/* The ticket's row id, field and counter: 1 found, 0 none, -1 error. */
static int find_ticket(sqlite3 *sql, const rating_input *in, long long *id, char *field, size_t fieldlen, int *counter)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, "SELECT id, field, counter FROM ticket WHERE day = ? AND field = ? AND number = ?",
			-1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, in->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->field, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, in->number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(field, fieldlen, "%s", (const char *)sqlite3_column_text(st, 1));
		*counter = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static long long count_none_since(sqlite3 *sql, long long since)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM rating WHERE kind = 0 AND at > ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int rating_give(db *d, const rating_input *in, long long now, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	char field[32] = "", day[11];
	long long ticket_id = 0;
	int counter = 0, rc;
	db_request req;

	if (rating_check(in, err, errlen) != 0) return -1;
	if (!sql) return fail(sql, err, errlen, "rating");
	if (in->kind == RATING_REQUEST) {
		char canon[TOKEN_LEN + 1];
		if (token_parse(in->code, canon) != TOKEN_OK) return RATING_UNKNOWN;
		rc = db_find_token(d, canon, &req);
		memset(canon, 0, sizeof canon);
		if (rc < 0) return fail(sql, err, errlen, "rating: finding the code");
		if (rc == 0) return RATING_UNKNOWN;
		snprintf(field, sizeof field, "%s", req.category);
		memset(req.token, 0, sizeof req.token);
	}
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(sql, err, errlen, "rating: starting");
	if (in->kind == RATING_TICKET) {
		rc = find_ticket(sql, in, &ticket_id, field, sizeof field, &counter);
		if (rc <= 0) {
			if (rc < 0) fail(sql, err, errlen, "rating: finding the ticket");
			sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
			return rc < 0 ? -1 : RATING_UNKNOWN;
		}
	} else if (in->kind == RATING_NONE) {
		long long n = count_none_since(sql, now - 60);
		if (n < 0 || n >= RATING_NONE_PER_MINUTE) {
			if (n < 0) fail(sql, err, errlen, "rating: counting this minute's");
			sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
			return n < 0 ? -1 : RATING_LIMITED;
		}
	}
	cal_date_format(vntime_date(now), day);
	if (sqlite3_prepare_v2(sql, "INSERT INTO rating(kind, ticket_id, request_id, day, at, field, counter,"
			" reception, time, attitude, result, overall, comment) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			-1, &st, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "rating: preparing");
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	sqlite3_bind_int(st, 1, (int)in->kind);
	if (in->kind == RATING_TICKET) sqlite3_bind_int64(st, 2, ticket_id); else sqlite3_bind_null(st, 2);
	if (in->kind == RATING_REQUEST) sqlite3_bind_text(st, 3, req.id, -1, SQLITE_TRANSIENT); else sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_text(st, 6, field, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, counter);
	for (int i = 0; i < RATING_N_CRITERIA; i++) sqlite3_bind_int(st, 8 + i, in->faces[i]);
	sqlite3_bind_text(st, 13, in->comment, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT) {
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return RATING_DUPLICATE;
	}
	if (rc != SQLITE_DONE) {
		fail(sql, err, errlen, "rating: storing");
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "rating: committing");
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return RATING_STORED;
}

/* 1 when the query with one text or integer parameter finds a row, 0 when
 * not, -1 on error. */
static int exists(sqlite3 *sql, const char *query, const char *text, long long n)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(sql, query, -1, &st, NULL) != SQLITE_OK) return -1;
	if (text) sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else sqlite3_bind_int64(st, 1, n);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int rating_may_give(db *d, const rating_input *in, long long now, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	char field[32];
	long long ticket_id;
	int counter, rc = 0;
	if (!sql) return fail(sql, err, errlen, "rating");
	if (in->kind == RATING_TICKET) {
		if (strlen(in->day) != 10 || !in->field[0] || in->number <= 0) return RATING_UNKNOWN;
		rc = find_ticket(sql, in, &ticket_id, field, sizeof field, &counter);
		if (rc == 1) rc = exists(sql, "SELECT 1 FROM rating WHERE ticket_id = ?", NULL, ticket_id);
		else if (rc == 0) return RATING_UNKNOWN;
	} else if (in->kind == RATING_REQUEST) {
		char canon[TOKEN_LEN + 1];
		db_request req;
		if (token_parse(in->code, canon) != TOKEN_OK) return RATING_UNKNOWN;
		rc = db_find_token(d, canon, &req);
		memset(canon, 0, sizeof canon);
		memset(req.token, 0, sizeof req.token);
		if (rc == 0) return RATING_UNKNOWN;
		if (rc == 1) rc = exists(sql, "SELECT 1 FROM rating WHERE request_id = ?", req.id, 0);
	} else {
		long long n = count_none_since(sql, now - 60);
		if (n < 0) rc = -1;
		else return n >= RATING_NONE_PER_MINUTE ? RATING_LIMITED : RATING_STORED;
	}
	if (rc < 0) return fail(sql, err, errlen, "rating: looking it up");
	return rc == 1 ? RATING_DUPLICATE : RATING_STORED;
}

int rating_counts(db *d, int counts[3])
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int rc;
	counts[0] = counts[1] = counts[2] = 0;
	if (!sql || sqlite3_prepare_v2(sql, "SELECT kind, count(*) FROM rating GROUP BY kind", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = sqlite3_column_int(st, 0);
		if (k >= 0 && k < 3) counts[k] = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int rating_outbox(db *d, int max, proto_rating **out, int *n, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int rc, cap = 0;
	*out = NULL;
	*n = 0;
	if (!sql || sqlite3_prepare_v2(sql, "SELECT r.id, r.kind, r.day, r.at, r.field, r.counter, coalesce(t.number, 0),"
			" coalesce(r.request_id, ''), r.reception, r.time, r.attitude, r.result, r.overall FROM rating r"
			" LEFT JOIN ticket t ON t.id = r.ticket_id WHERE r.pushed_at = 0 ORDER BY r.id LIMIT ?",
			-1, &st, NULL) != SQLITE_OK)
		return fail(sql, err, errlen, "rating: reading those to send");
	sqlite3_bind_int(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		proto_rating *r;
		if (*n == cap) {
			proto_rating *grown = realloc(*out, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *grown);
			if (!grown) { rc = SQLITE_NOMEM; break; }
			*out = grown;
		}
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->kind = sqlite3_column_int(st, 1);
		snprintf(r->day, sizeof r->day, "%s", (const char *)sqlite3_column_text(st, 2));
		r->at = sqlite3_column_int64(st, 3);
		snprintf(r->field, sizeof r->field, "%s", (const char *)sqlite3_column_text(st, 4));
		r->counter = sqlite3_column_int(st, 5);
		r->number = r->kind == RATING_TICKET ? sqlite3_column_int(st, 6) : 0;
		snprintf(r->request, sizeof r->request, "%s", r->kind == RATING_REQUEST ? (const char *)sqlite3_column_text(st, 7) : "");
		for (int k = 0; k < RATING_N_CRITERIA; k++) r->faces[k] = sqlite3_column_int(st, 8 + k);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		snprintf(err, errlen, "rating: reading those to send: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(sql));
		return -1;
	}
	return 0;
}

int rating_mark_pushed(db *d, long long upto, long long now)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int rc;
	if (!sql || sqlite3_prepare_v2(sql, "UPDATE rating SET pushed_at = ? WHERE id <= ? AND pushed_at = 0", -1, &st, NULL)
			!= SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, now > 0 ? now : 1);
	sqlite3_bind_int64(st, 2, upto);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
