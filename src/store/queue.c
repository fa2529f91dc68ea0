/* queue: queue numbers and their calls in the kiosk's store (see queue.h).
 *
 * Every change is one BEGIN IMMEDIATE transaction on the store's own
 * connection: the write lock is taken before anything is read, so the
 * number a ticket takes and the ticket a counter calls are decided by one
 * writer at a time across the kiosk and the office service (the store's
 * busy timeout makes the second wait rather than fail). A ticket's state
 * is a small integer (queue_state); its calls are a separate table whose
 * ids only rise, which is what the hall display follows. */
#include "queue.h"
#include "dbmeta.h"
#include "sqlx.h"
#include "vntime.h"
#include <stdlib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Rows of one day's figures: fields by counters, far more than an office has. */
#define CATALOG_QUEUE_STATS 128

#define TICKET_COLS "id, day, field, number, priority, taken_at, state, counter, called_at, first_called_at, calls"

static int fail(sqlite3 *sql, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sql ? sqlite3_errmsg(sql) : "the database is not open");
	return -1;
}

static int begin(sqlite3 *sql, char *err, size_t errlen)
{
	if (!sql) return fail(sql, err, errlen, "the queue");
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(sql, err, errlen, "starting a queue change");
	return 0;
}

static int commit(sqlite3 *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return 0;
	fail(sql, err, errlen, "committing a queue change");
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int rollback(sqlite3 *sql, int rc)
{
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* 0, or -1 when a stored text does not fit. Columns as TICKET_COLS from col. */
static int read_ticket(sqlite3_stmt *st, int col, queue_ticket *t)
{
	int bad = 0;
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, col);
	bad |= sqlx_copy_col(st, col + 1, t->day, sizeof t->day);
	bad |= sqlx_copy_col(st, col + 2, t->field, sizeof t->field);
	t->number = sqlite3_column_int(st, col + 3);
	t->priority = sqlite3_column_int(st, col + 4);
	t->taken_at = sqlite3_column_int64(st, col + 5);
	t->state = (queue_state)sqlite3_column_int(st, col + 6);
	t->counter = sqlite3_column_int(st, col + 7);
	t->called_at = sqlite3_column_int64(st, col + 8);
	t->first_called_at = sqlite3_column_int64(st, col + 9);
	t->calls = sqlite3_column_int(st, col + 10);
	return bad ? -1 : 0;
}

/* One ticket by a query with up to two integer and one text parameter
 * (bound in that order when given). 1 found, 0 none, -1 error. */
static int one_ticket(sqlite3 *sql, const char *query, const char *text, long long a, long long b, queue_ticket *out)
{
	sqlite3_stmt *st;
	int rc, i = 1;
	if (sqlite3_prepare_v2(sql, query, -1, &st, NULL) != SQLITE_OK) return -1;
	if (text) sqlite3_bind_text(st, i++, text, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= i) sqlite3_bind_int64(st, i++, a);
	if (sqlite3_bind_parameter_count(st) >= i) sqlite3_bind_int64(st, i++, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_ticket(st, 0, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int exec_int(sqlite3 *sql, const char *query, long long a, long long b, long long c)
{
	sqlite3_stmt *st;
	int rc, n;
	if (sqlite3_prepare_v2(sql, query, -1, &st, NULL) != SQLITE_OK) return -1;
	n = sqlite3_bind_parameter_count(st);
	if (n >= 1) sqlite3_bind_int64(st, 1, a);
	if (n >= 2) sqlite3_bind_int64(st, 2, b);
	if (n >= 3) sqlite3_bind_int64(st, 3, c);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int count_ahead(sqlite3 *sql, const queue_ticket *t)
{
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM ticket WHERE day = ? AND field = ? AND state = 0"
			" AND id < ? AND priority >= ?", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, t->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->field, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, t->id);
	sqlite3_bind_int(st, 4, t->priority);
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	/* A priority ticket also waits behind any sent to a counter first; an
	 * ordinary one behind every priority ticket of its field. */
	if (n >= 0 && !t->priority) {
		long long extra = 0;
		if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM ticket WHERE day = ? AND field = ? AND state = 0"
				" AND id > ? AND priority = 1", -1, &st, NULL) != SQLITE_OK) return -1;
		sqlite3_bind_text(st, 1, t->day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, t->field, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, t->id);
		if (sqlite3_step(st) == SQLITE_ROW) extra = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		n += (int)extra;
	}
	return n;
}

int queue_take(db *d, const char *day, const char *field, int priority, long long now,
	queue_ticket *out, int *ahead, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int number = 0, rc;
	memset(out, 0, sizeof *out);
	if (!field[0] || strlen(field) >= QUEUE_FIELD_MAX || strlen(day) != 10) {
		snprintf(err, errlen, "a ticket needs a work field (at most %d bytes) and a day", QUEUE_FIELD_MAX - 1);
		return -1;
	}
	if (begin(sql, err, errlen) != 0) return -1;
	if (sqlite3_prepare_v2(sql, "SELECT coalesce(max(number), 0) + 1 FROM ticket WHERE day = ? AND field = ?",
			-1, &st, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "numbering the ticket");
		return rollback(sql, -1);
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) number = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (number <= 0 || sqlite3_prepare_v2(sql, "INSERT INTO ticket(day, field, number, priority, taken_at)"
			" VALUES(?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "numbering the ticket");
		return rollback(sql, -1);
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, number);
	sqlite3_bind_int(st, 4, priority ? 1 : 0);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail(sql, err, errlen, "storing the ticket");
		return rollback(sql, -1);
	}
	if (one_ticket(sql, "SELECT " TICKET_COLS " FROM ticket WHERE id = ?", NULL,
			sqlite3_last_insert_rowid(sql), 0, out) != 1) {
		fail(sql, err, errlen, "reading the ticket back");
		return rollback(sql, -1);
	}
	if (ahead && (*ahead = count_ahead(sql, out)) < 0) {
		fail(sql, err, errlen, "counting who waits");
		return rollback(sql, -1);
	}
	if (commit(sql, err, errlen) != 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

#define CURRENT_SQL "SELECT " TICKET_COLS " FROM ticket WHERE day = ? AND state = 1 AND counter = ?" \
	" ORDER BY called_at DESC, id DESC LIMIT 1"

int queue_current(db *d, const char *day, int counter, queue_ticket *out)
{
	sqlite3 *sql = db_connection(d);
	if (!sql) return -1;
	return one_ticket(sql, CURRENT_SQL, day, counter, 0, out);
}

static int record_call(sqlite3 *sql, long long ticket, int counter, int recall, long long now)
{
	return exec_int(sql, recall ? "INSERT INTO ticket_call(at, ticket_id, counter, recall) VALUES(?, ?, ?, 1)"
		: "INSERT INTO ticket_call(at, ticket_id, counter) VALUES(?, ?, ?)", now, ticket, counter);
}

static void fill_call(sqlite3 *sql, queue_call *call, const queue_ticket *t, int counter, int recall, long long now)
{
	if (!call) return;
	memset(call, 0, sizeof *call);
	call->id = sqlite3_last_insert_rowid(sql);
	call->at = now;
	call->counter = counter;
	call->recall = recall;
	call->ticket = *t;
}

int queue_call_next(db *d, const char *day, int counter, const char *fields, long long now,
	queue_ticket *out, queue_call *call, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	char list[512];
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	if (snprintf(list, sizeof list, ",%s,", fields) >= (int)sizeof list) {
		snprintf(err, errlen, "the counter's list of fields is too long");
		return -1;
	}
	if (begin(sql, err, errlen) != 0) return -1;
	/* The ticket being served is served: calling the next closes it. */
	if (sqlite3_prepare_v2(sql, "UPDATE ticket SET state = 2, done_at = ?1 WHERE day = ?3 AND state = 1"
			" AND counter = ?2", -1, &st, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "closing the counter's ticket");
		return rollback(sql, -1);
	}
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, counter);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail(sql, err, errlen, "closing the counter's ticket");
		return rollback(sql, -1);
	}
	if (sqlite3_prepare_v2(sql, "SELECT " TICKET_COLS " FROM ticket WHERE day = ?1 AND state = 0"
			" AND (counter = ?2 OR (counter = 0 AND instr(?3, ',' || field || ',') > 0))"
			" ORDER BY counter = ?2 DESC, priority DESC, id LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		fail(sql, err, errlen, "finding the next ticket");
		return rollback(sql, -1);
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, counter);
	sqlite3_bind_text(st, 3, list, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_ticket(st, 0, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) return commit(sql, err, errlen) == 0 ? 0 : -1;
	if (rc != SQLITE_ROW) {
		fail(sql, err, errlen, "finding the next ticket");
		return rollback(sql, -1);
	}
	if (exec_int(sql, "UPDATE ticket SET state = 1, counter = ?2, called_at = ?1, calls = calls + 1,"
			" first_called_at = CASE first_called_at WHEN 0 THEN ?1 ELSE first_called_at END WHERE id = ?3",
			now, counter, out->id) != 0 || record_call(sql, out->id, counter, 0, now) != 0) {
		fail(sql, err, errlen, "calling the ticket");
		return rollback(sql, -1);
	}
	fill_call(sql, call, out, counter, 0, now);
	out->state = QUEUE_CALLED;
	out->counter = counter;
	out->called_at = now;
	if (!out->first_called_at) out->first_called_at = now;
	out->calls++;
	if (call) call->ticket = *out;
	if (commit(sql, err, errlen) != 0) return -1;
	return 1;
}

/* The counter's current ticket, inside a transaction: 1, 0 none, -1. */
static int current_in(sqlite3 *sql, const char *day, int counter, queue_ticket *t, char *err, size_t errlen)
{
	int rc = one_ticket(sql, CURRENT_SQL, day, counter, 0, t);
	if (rc < 0) fail(sql, err, errlen, "reading the counter's ticket");
	return rc;
}

int queue_recall(db *d, const char *day, int counter, long long now, queue_call *call, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	queue_ticket t;
	int rc;
	if (begin(sql, err, errlen) != 0) return -1;
	if ((rc = current_in(sql, day, counter, &t, err, errlen)) <= 0) return rollback(sql, rc);
	if (exec_int(sql, "UPDATE ticket SET called_at = ?, calls = calls + 1 WHERE id = ?", now, t.id, 0) != 0 ||
	    record_call(sql, t.id, counter, 1, now) != 0) {
		fail(sql, err, errlen, "calling the ticket again");
		return rollback(sql, -1);
	}
	t.called_at = now;
	t.calls++;
	fill_call(sql, call, &t, counter, 1, now);
	return commit(sql, err, errlen) == 0 ? 1 : -1;
}

/* Moves the counter's current ticket by one statement taking (now, id, to). */
static int change_current(db *d, const char *day, int counter, const char *update, long long now, int to,
	const char *what, char *err, size_t errlen)
{
	sqlite3 *sql = db_connection(d);
	queue_ticket t;
	int rc;
	if (begin(sql, err, errlen) != 0) return -1;
	if ((rc = current_in(sql, day, counter, &t, err, errlen)) <= 0) return rollback(sql, rc);
	if (exec_int(sql, update, now, t.id, to) != 0) {
		fail(sql, err, errlen, what);
		return rollback(sql, -1);
	}
	return commit(sql, err, errlen) == 0 ? 1 : -1;
}

int queue_skip(db *d, const char *day, int counter, long long now, char *err, size_t errlen)
{
	return change_current(d, day, counter, "UPDATE ticket SET state = 3, done_at = ?1 WHERE id = ?2", now, 0,
		"skipping the ticket", err, errlen);
}

int queue_close(db *d, const char *day, int counter, long long now, char *err, size_t errlen)
{
	return change_current(d, day, counter, "UPDATE ticket SET state = 2, done_at = ?1 WHERE id = ?2", now, 0,
		"closing the ticket", err, errlen);
}

int queue_transfer(db *d, const char *day, int counter, int to, long long now, char *err, size_t errlen)
{
	if (to <= 0 || to == counter) {
		snprintf(err, errlen, "send the ticket to another counter (not %d)", to);
		return -1;
	}
	/* Waiting again, at counter `to` only, where it goes first; its first
	 * call stays, so its waiting time counts from when it was taken. */
	return change_current(d, day, counter, "UPDATE ticket SET state = 0, counter = ?3 WHERE id = ?2 AND ?1 >= 0",
		now, to, "sending the ticket on", err, errlen);
}

#define CALL_SQL "SELECT c.id, c.at, c.counter, c.recall, t.id, t.day, t.field, t.number, t.priority," \
	" t.taken_at, t.state, t.counter, t.called_at, t.first_called_at, t.calls" \
	" FROM ticket_call c JOIN ticket t ON t.id = c.ticket_id "

static int read_call(sqlite3_stmt *st, queue_call *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->at = sqlite3_column_int64(st, 1);
	c->counter = sqlite3_column_int(st, 2);
	c->recall = sqlite3_column_int(st, 3);
	return read_ticket(st, 4, &c->ticket);
}

int queue_calls(db *d, const char *day, long long after, queue_call *out, int max)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int n = 0;
	if (!sql || sqlite3_prepare_v2(sql, CALL_SQL "WHERE t.day = ? AND c.id > ? ORDER BY c.id DESC LIMIT ?",
			-1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		if (read_call(st, &out[n]) != 0) { n = -1; break; }
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

int queue_call_get(db *d, long long id, queue_call *out)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int rc;
	if (!sql || sqlite3_prepare_v2(sql, CALL_SQL "WHERE c.id = ?", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && read_call(st, out) != 0) rc = SQLITE_TOOBIG;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

long long queue_last_call(db *d)
{
	sqlite3 *sql = db_connection(d);
	long long v;
	if (!sql || dbmeta_query_int(sql, "SELECT coalesce(max(id), 0) FROM ticket_call WHERE ?1 = ?1", 0, &v) != 0)
		return -1;
	return v;
}

int queue_waiting(db *d, const char *day, const char *field)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int n = -1;
	if (!sql || sqlite3_prepare_v2(sql, "SELECT count(*) FROM ticket WHERE day = ?1 AND state = 0"
			" AND (?2 IS NULL OR field = ?2)", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	if (field) sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int queue_stats(db *d, const char *day, queue_stat *out, int max)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	int n = 0, rc;
	if (!sql || sqlite3_prepare_v2(sql, "SELECT field, counter, sum(state = 2), sum(state = 3),"
			" sum(first_called_at - taken_at), max(first_called_at - taken_at),"
			" sum(CASE state WHEN 2 THEN done_at - called_at ELSE 0 END)"
			" FROM ticket WHERE day = ? AND state IN (2, 3) GROUP BY field, counter ORDER BY field, counter",
			-1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&out[n], 0, sizeof out[n]);
		if (sqlx_copy_col(st, 0, out[n].field, sizeof out[n].field) != 0) { n = -1; break; }
		out[n].counter = sqlite3_column_int(st, 1);
		out[n].served = sqlite3_column_int(st, 2);
		out[n].skipped = sqlite3_column_int(st, 3);
		out[n].wait_total = sqlite3_column_int64(st, 4);
		out[n].wait_max = sqlite3_column_int64(st, 5);
		out[n].service_total = sqlite3_column_int64(st, 6);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

_Static_assert(sizeof(((proto_queue_day *)0)->field) == QUEUE_FIELD_MAX, "a field id fits a push row");

int queue_recent(db *d, long long now, int days, proto_queue_day **out, int *count)
{
	queue_stat st[CATALOG_QUEUE_STATS];
	proto_queue_day *rows;
	char day[11];
	int k, i, n = 0;
	*out = NULL;
	*count = 0;
	if (!(rows = calloc((size_t)days * CATALOG_QUEUE_STATS, sizeof *rows))) return -1;
	for (k = 0; k < days; k++) {
		int got;
		cal_date_format(vntime_date(now - (long long)k * 86400), day);
		if ((got = queue_stats(d, day, st, CATALOG_QUEUE_STATS)) < 0) { free(rows); return -1; }
		for (i = 0; i < got; i++, n++) {
			proto_queue_day *r = &rows[n];
			memcpy(r->day, day, sizeof r->day);
			memcpy(r->field, st[i].field, sizeof r->field);   /* both QUEUE_FIELD_MAX */
			r->counter = st[i].counter;
			r->served = st[i].served;
			r->skipped = st[i].skipped;
			r->wait_total = st[i].wait_total;
			r->wait_max = st[i].wait_max;
			r->service_total = st[i].service_total;
		}
	}
	*out = rows;
	*count = n;
	return 0;
}

long long queue_service_median(db *d, const char *field, long long def)
{
	sqlite3 *sql = db_connection(d);
	sqlite3_stmt *st;
	long long times[200];
	int n = 0, i, j;
	if (!sql || sqlite3_prepare_v2(sql, "SELECT done_at - called_at FROM ticket WHERE field = ? AND state = 2"
			" AND done_at >= called_at ORDER BY id DESC LIMIT 200", -1, &st, NULL) != SQLITE_OK) return def;
	sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
	while (n < 200 && sqlite3_step(st) == SQLITE_ROW) times[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n < 3) return def;
	for (i = 1; i < n; i++) {                /* insertion sort: at most 200 */
		long long v = times[i];
		for (j = i; j > 0 && times[j - 1] > v; j--) times[j] = times[j - 1];
		times[j] = v;
	}
	return times[n / 2];
}

void queue_label(const char *prefix, int number, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s%03d", prefix ? prefix : "", number);
}

const char *queue_state_name(queue_state s)
{
	static const char *const names[] = { "waiting", "called", "done", "skipped" };
	return (unsigned)s < 4 ? names[s] : "unknown";
}
