/* srv_work: the officials' work on the server's store (see srv_work.h).
 *
 * The queries here run a few times a minute from the console, not tens of
 * thousands of times a second like the phone page, so each is prepared when
 * used and finalized after; values are bound by name, which lets the inbox
 * put together its WHERE clause from a table of filters and bind only what
 * the clause uses. An action reads the request, decides under the law's
 * clock (legal.h) what changes, and writes the event, the request and the
 * audit row in one IMMEDIATE transaction; anything it refuses it refuses
 * before writing. Dates are the commune's (UTC+7) whatever the server's zone. */
#include "status.h"
#include "srv_work.h"
#include "legal.h"
#include "proto.h"
#include "token.h"
#include "utf8.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VN_OFFSET (7 * 3600)         /* Vietnam time: UTC+7 all year */
#define OVERDUE_SQL STATUS_OVERDUE_SQL(":today")

const char srv_work_schema[] =
	"ALTER TABLE request ADD COLUMN commune TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN due TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN accepted_at INTEGER;"
	"ALTER TABLE request ADD COLUMN closed_at INTEGER;"
	"ALTER TABLE request ADD COLUMN on_time INTEGER;"
	"ALTER TABLE request ADD COLUMN complexity INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE request ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE request ADD COLUMN apologies INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE request ADD COLUMN appointment TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN forwarded_to TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN conference_id INTEGER;"
	"ALTER TABLE event ADD COLUMN deadline TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE event ADD COLUMN action TEXT NOT NULL DEFAULT '';"
	"UPDATE request SET commune = substr(kiosk, 1, 5), due = deadline,"
	" accepted_at = (SELECT min(at) FROM event WHERE request_id = request.id AND status = 'accepted');"
	"UPDATE request SET closed_at = updated_at,"
	" on_time = date(updated_at + 25200, 'unixepoch') <= due WHERE status IN " STATUS_FINAL_SQL ";"
	"CREATE TABLE commune(code TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',"
	" remote INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE conference(id INTEGER PRIMARY KEY AUTOINCREMENT, commune TEXT NOT NULL,"
	" at INTEGER NOT NULL, place TEXT NOT NULL, leaders TEXT NOT NULL, topic TEXT NOT NULL,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX conference_commune ON conference(commune, at);"
	"CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, request_id TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX audit_request ON audit(request_id, id);"
	"CREATE INDEX request_inbox ON request(commune, status, due);"
	"CREATE INDEX request_received ON request(commune, received_at);"
	"CREATE INDEX request_closed ON request(commune, closed_at);"
	"CREATE INDEX request_conference ON request(conference_id) WHERE conference_id IS NOT NULL;"
	/* The public figures (srv_stats.c) read ranges of receipt and closing
	 * times; these cover those reads, so a million requests take no table
	 * lookups. closed_at IS NULL leads the open requests for "overdue now". */
	"CREATE INDEX request_stats_received ON request(received_at, commune, category);"
	"CREATE INDEX request_stats_closed ON request(closed_at, status, commune, category, on_time,"
	" received_at, due, appointment);";

/* ---- actions ---- */

/* What each action does to the request's status ("" keeps it) and whether
 * it closes the request. */
static const struct {
	const char *name;
	const char *status;
	int closes;
} actions[WORK_NACTIONS] = {
	[WORK_ACCEPT] = { "accept", "accepted", 0 },
	[WORK_PROGRESS] = { "progress", "in_progress", 0 },
	[WORK_SUPPLEMENT] = { "supplement", "supplement", 0 },
	[WORK_FORWARD] = { "forward", "in_progress", 0 },
	[WORK_RESOLVE] = { "resolve", "resolved", 1 },
	[WORK_REJECT] = { "reject", "rejected", 1 },
	[WORK_EXTEND] = { "extend", "", 0 },
	[WORK_RESCHEDULE] = { "reschedule", "", 0 },
};

const char *srv_work_action_name(work_action a)
{
	return (int)a >= 0 && a < WORK_NACTIONS ? actions[a].name : NULL;
}

int srv_work_action_parse(const char *name)
{
	int i;
	for (i = 0; name && i < WORK_NACTIONS; i++)
		if (strcmp(actions[i].name, name) == 0) return i;
	return -1;
}

/* ---- statements ---- */

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static int db_fail(sqlite3 *sql, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(sql));
	return -1;
}

/* Named values to bind: a text (t non-NULL) or an integer. */
typedef struct {
	const char *name;
	const char *t;
	long long i;
} param;

#define T(n, v) { n, or_empty(v), 0 }
#define I(n, v) { n, NULL, (v) }
#define NPARAMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Prepares sql and binds those of the parameters it uses; NULL on error. */
static sqlite3_stmt *prepare(sqlite3 *sql, const char *text, const param *p, size_t np)
{
	sqlite3_stmt *st;
	size_t k;
	if (sqlite3_prepare_v2(sql, text, -1, &st, NULL) != SQLITE_OK) return NULL;
	for (k = 0; k < np; k++) {
		int at = sqlite3_bind_parameter_index(st, p[k].name);
		if (at == 0) continue;
		if ((p[k].t ? sqlite3_bind_text(st, at, p[k].t, -1, SQLITE_STATIC)
		            : sqlite3_bind_int64(st, at, p[k].i)) != SQLITE_OK) {
			sqlite3_finalize(st);
			return NULL;
		}
	}
	return st;
}

/* Runs a statement that returns no rows: 0 or -1. */
static int run(sqlite3 *sql, const char *text, const param *p, size_t np)
{
	sqlite3_stmt *st = prepare(sql, text, p, np);
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", s ? s : "");
}

static void rollback(sqlite3 *sql)
{
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
}

/* The commune's date and hour at now. */
static cal_date vn_day(long long now, int *hour)
{
	time_t t = (time_t)(now + VN_OFFSET);
	struct tm tm;
	cal_date d = { 1970, 1, 1 };
	if (hour) *hour = 0;
	if (!gmtime_r(&t, &tm)) return d;
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	if (hour) *hour = tm.tm_hour;
	return d;
}

static void vn_today(long long now, char out[11])
{
	cal_date_format(vn_day(now, NULL), out);
}

/* ---- one request ---- */

#define ITEM_COLS "id, token, commune, category, procedure, received_at, coalesce(accepted_at, 0)," \
	" coalesce(closed_at, 0), due, status, updated_at, " OVERDUE_SQL ", complexity, extensions, apologies," \
	" forwarded_to, coalesce(conference_id, 0)"

static void read_item(sqlite3_stmt *st, work_item *it)
{
	memset(it, 0, sizeof *it);
	copy_col(st, 0, it->id, sizeof it->id);
	copy_col(st, 1, it->token, sizeof it->token);
	copy_col(st, 2, it->commune, sizeof it->commune);
	copy_col(st, 3, it->category, sizeof it->category);
	copy_col(st, 4, it->procedure, sizeof it->procedure);
	it->received_at = sqlite3_column_int64(st, 5);
	it->accepted_at = sqlite3_column_int64(st, 6);
	it->closed_at = sqlite3_column_int64(st, 7);
	copy_col(st, 8, it->due, sizeof it->due);
	copy_col(st, 9, it->status, sizeof it->status);
	it->updated_at = sqlite3_column_int64(st, 10);
	it->overdue = sqlite3_column_int(st, 11);
	it->complexity = sqlite3_column_int(st, 12);
	it->extensions = sqlite3_column_int(st, 13);
	it->apologies = sqlite3_column_int(st, 14);
	copy_col(st, 15, it->forwarded_to, sizeof it->forwarded_to);
	it->conference_id = sqlite3_column_int64(st, 16);
}

static int get_by(sqlite3 *sql, const char *column, const char *key, long long now, work_item *out)
{
	char text[512], today[11];
	sqlite3_stmt *st;
	int rc;
	vn_today(now, today);
	param p[] = { T(":key", key), T(":today", today) };
	snprintf(text, sizeof text, "SELECT " ITEM_COLS " FROM request WHERE %s = :key", column);
	if (!(st = prepare(sql, text, p, NPARAMS(p)))) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_item(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int srv_work_get(srv_db *d, const char *id_or_token, long long now, work_item *out)
{
	char token[TOKEN_LEN + 1];
	int rc = get_by(srv_db_sql(d), "id", id_or_token, now, out);
	if (rc != 0) return rc;
	if (token_parse(id_or_token, token) != TOKEN_OK) return 0;
	return get_by(srv_db_sql(d), "token", token, now, out);
}

/* ---- the inbox ---- */

/* A filter's clause joins the WHERE when its value is given. */
static void add_clause(char *where, size_t size, int active, const char *clause)
{
	size_t n = strlen(where);
	if (active) snprintf(where + n, size - n, " AND %s", clause);
}

static void inbox_where(const work_filter *f, char *where, size_t size)
{
	int open_only = f->status && strcmp(f->status, "open") == 0;
	snprintf(where, size, "WHERE 1");
	add_clause(where, size, f->commune && f->commune[0], "commune = :commune");
	add_clause(where, size, f->category && f->category[0], "category = :category");
	add_clause(where, size, f->status && f->status[0] && !open_only, "status = :status");
	add_clause(where, size, open_only, "status NOT IN " STATUS_FINAL_SQL);
	add_clause(where, size, f->overdue_only, OVERDUE_SQL);
	add_clause(where, size, f->conference_id > 0, "conference_id = :conference");
}

static int inbox_counts(sqlite3 *sql, const char *where, const param *p, size_t np, work_counts *c,
	char *err, size_t errlen)
{
	char text[2048];
	sqlite3_stmt *st;
	int rc, i, len;
	memset(c, 0, sizeof *c);
	len = snprintf(text, sizeof text, "SELECT status, count(*), sum(closed_at IS NULL AND status NOT IN "
		STATUS_FINAL_SQL "), sum(" OVERDUE_SQL ") FROM request %s GROUP BY status", where);
	if (len < 0 || (size_t)len >= sizeof text) {
		snprintf(err, errlen, "counting the inbox: the query is too long");
		return -1;
	}
	if (!(st = prepare(sql, text, p, np))) return db_fail(sql, err, errlen, "counting the inbox");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		long long n = sqlite3_column_int64(st, 1);
		c->total += n;
		c->open += sqlite3_column_int64(st, 2);
		c->overdue += sqlite3_column_int64(st, 3);
		for (i = 0; status_names[i] && i < 16; i++)
			if (status && strcmp(status, status_names[i]) == 0) c->by_status[i] = n;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(sql, err, errlen, "counting the inbox");
}

int srv_work_inbox(srv_db *d, const work_filter *f, long long now,
	int (*each)(const work_item *it, void *arg), void *arg, work_counts *counts, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	char where[768], text[1536], today[11];
	sqlite3_stmt *st;
	work_item it;
	int rc;
	vn_today(now, today);
	param p[] = {
		T(":commune", f->commune), T(":category", f->category), T(":status", f->status),
		T(":today", today), I(":conference", f->conference_id),
		I(":limit", f->limit > 0 ? f->limit : 100), I(":offset", f->offset > 0 ? f->offset : 0),
	};
	inbox_where(f, where, sizeof where);
	/* One read snapshot for the counts and the list. */
	if (sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return db_fail(sql, err, errlen, "reading the inbox");
	if (counts && inbox_counts(sql, where, p, NPARAMS(p), counts, err, errlen) != 0) {
		rollback(sql);
		return -1;
	}
	snprintf(text, sizeof text, "SELECT " ITEM_COLS " FROM request %s ORDER BY " STATUS_DUE_IN_FORCE_SQL ", received_at, id"
		" LIMIT :limit OFFSET :offset", where);
	if (!(st = prepare(sql, text, p, NPARAMS(p)))) {
		db_fail(sql, err, errlen, "reading the inbox");
		rollback(sql);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_item(st, &it);
		if (each && each(&it, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) db_fail(sql, err, errlen, "reading the inbox");
	sqlite3_finalize(st);
	sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- acting on a request ---- */

/* What an action reads of the request and may change. */
typedef struct {
	work_item it;
	char kiosk[16];
	char appointment[11];
	int remote;
	int supplements;             /* times a supplement was asked for */
} request_state;

static int load_state(sqlite3 *sql, const char *request_id, long long now, request_state *s)
{
	static const char text[] = "SELECT kiosk, appointment,"
		" (SELECT remote FROM commune WHERE code = request.commune),"
		" (SELECT count(*) FROM event WHERE request_id = request.id AND action = 'supplement')"
		" FROM request WHERE id = :key";
	param p[] = { T(":key", request_id) };
	sqlite3_stmt *st;
	int rc = get_by(sql, "id", request_id, now, &s->it);
	if (rc != 1) return rc;
	if (!(st = prepare(sql, text, p, NPARAMS(p)))) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, s->kiosk, sizeof s->kiosk);
		copy_col(st, 1, s->appointment, sizeof s->appointment);
		s->remote = sqlite3_column_int(st, 2);
		s->supplements = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : -1;
}

static int text_ok(const char *s, size_t max)
{
	return s && s[0] && strlen(s) < max && utf8_valid(s, strlen(s));
}

/* The step's own form, before anything is read: 0, or 1 with the reason. */
static int check_step(const work_step *step, char *err, size_t errlen)
{
	if ((int)step->action < 0 || step->action >= WORK_NACTIONS) return say(err, errlen, "unknown action");
	if (!text_ok(step->note, PROTO_NOTE_MAX))
		return say(err, errlen, "a note for the citizen is required (UTF-8 text of at most %d bytes)",
			PROTO_NOTE_MAX - 1);
	if (!text_ok(step->actor, 64)) return say(err, errlen, "the official's account name is missing");
	if ((int)step->complexity < WORK_NORMAL || step->complexity > WORK_VERY_COMPLEX)
		return say(err, errlen, "unknown complexity");
	if (step->action == WORK_FORWARD && !text_ok(step->office, sizeof ((work_item *)0)->forwarded_to))
		return say(err, errlen, "say which office the request is forwarded to");
	return 0;
}

/* The category's clock, or NULL when the catalog does not know it. */
static const legal_clock *clock_for(const catalog *cat, const work_item *it, legal_span *proc, int *has_proc)
{
	const catalog_category *c = cat ? catalog_category_by_id(cat, it->category) : NULL;
	const catalog_procedure *p = cat && it->procedure[0] ? catalog_procedure_by_id(cat, it->procedure) : NULL;
	*has_proc = p != NULL;
	if (p) *proc = catalog_procedure_span(p);
	return c ? &c->clock : NULL;
}

/* Decides what the step changes in s (due, dates, counters, status); 0,
 * or 1 refused with the reason. */
static int decide(const catalog *cat, const cal *calendar, const work_step *step, long long now,
	request_state *s, char status[16], char deadline[11], char *err, size_t errlen)
{
	work_item *it = &s->it;
	legal_span proc;
	int has_proc, hour;
	cal_date today = vn_day(now, &hour), due, next;
	const legal_clock *k = clock_for(cat, it, &proc, &has_proc);
	char in_force[11], today_s[11];

	cal_date_format(today, today_s);
	deadline[0] = '\0';
	snprintf(status, 16, "%s", actions[step->action].status[0] ? actions[step->action].status : it->status);
	if (it->closed_at || status_is_final(it->status))
		return say(err, errlen, "this request is closed (%s): no more actions can be taken on it", it->status);
	switch (step->action) {
	case WORK_ACCEPT:
		if (it->accepted_at) return say(err, errlen, "this request was accepted already");
		it->accepted_at = now;
		it->complexity = (int)step->complexity;
		if (k && legal_has_acceptance(k)) {
			due = legal_resolve_due(k, has_proc ? &proc : NULL, calendar, today, hour,
				(legal_complexity)it->complexity, s->remote);
			cal_date_format(due, it->due);
		}
		snprintf(deadline, 11, "%s", it->due);
		break;
	case WORK_SUPPLEMENT:
		if (s->supplements > 0)
			return say(err, errlen, "a supplement was asked for already: the law allows asking once,"
				" listing everything that is missing");
		break;
	case WORK_FORWARD:
		snprintf(it->forwarded_to, sizeof it->forwarded_to, "%s", step->office);
		break;
	case WORK_RESOLVE:
	case WORK_REJECT:
		it->closed_at = now;
		break;
	case WORK_EXTEND:
		if (!k) return say(err, errlen, "the catalog has no time limits for category %s", it->category);
		if (legal_has_acceptance(k) && !it->accepted_at)
			return say(err, errlen, "accept the request first: an extension lengthens the time to resolve it");
		if ((int)step->complexity > it->complexity) it->complexity = (int)step->complexity;
		if (cal_date_parse(it->due, &due) != 0) return say(err, errlen, "the request has no deadline to extend");
		if (legal_extend(k, calendar, (legal_complexity)it->complexity, it->extensions, due, &next, err, errlen) != 0)
			return 1;
		it->extensions++;
		cal_date_format(next, it->due);
		snprintf(deadline, 11, "%s", it->due);
		break;
	case WORK_RESCHEDULE:
		snprintf(in_force, sizeof in_force, "%s", strcmp(s->appointment, it->due) > 0 ? s->appointment : it->due);
		if (strcmp(in_force, today_s) >= 0)
			return say(err, errlen, "this request is not overdue (due %s): a new appointment is given only"
				" once its date has passed", in_force);
		if (!step->new_date || cal_date_parse(step->new_date, &next) != 0 || cal_compare(next, today) <= 0)
			return say(err, errlen, "the new appointment must be a date after today (YYYY-MM-DD)");
		it->apologies++;
		cal_date_format(next, s->appointment);
		snprintf(deadline, 11, "%s", s->appointment);
		break;
	default:
		break;
	}
	return 0;
}

static int write_audit(sqlite3 *sql, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail)
{
	static const char text[] = "INSERT INTO audit(at, actor, action, request_id, detail)"
		" VALUES(:at, :actor, :action, :request, :detail)";
	param p[] = { I(":at", now), T(":actor", actor), T(":action", action), T(":request", request_id),
		T(":detail", detail) };
	return run(sql, text, p, NPARAMS(p));
}

static int write_action(sqlite3 *sql, const work_step *step, long long now, const request_state *s,
	const char *old_status, const char *status, const char *deadline)
{
	static const char event_sql[] = "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
		" VALUES(:id, :kiosk, :now, :status, :note, :deadline, :action)";
	static const char request_sql[] = "UPDATE request SET status = :status, updated_at = :now, due = :due,"
		" accepted_at = nullif(:accepted, 0), closed_at = nullif(:closed, 0),"
		" on_time = CASE WHEN :closed > 0 THEN :today <= :due END,"
		" complexity = :complexity, extensions = :extensions, apologies = :apologies,"
		" appointment = :appointment, forwarded_to = :office WHERE id = :id";
	const work_item *it = &s->it;
	char today[11], detail[512];
	vn_today(now, today);
	param p[] = {
		T(":id", it->id), T(":kiosk", s->kiosk), I(":now", now), T(":status", status), T(":note", step->note),
		T(":deadline", deadline), T(":action", actions[step->action].name), T(":due", it->due),
		I(":accepted", it->accepted_at), I(":closed", it->closed_at), T(":today", today),
		I(":complexity", it->complexity), I(":extensions", it->extensions), I(":apologies", it->apologies),
		T(":appointment", s->appointment), T(":office", it->forwarded_to),
	};
	/* The audit says what changed, never the note: notes may name people. */
	snprintf(detail, sizeof detail, "%s -> %s%s%s%s%s", old_status, status, deadline[0] ? "; date " : "",
		deadline, step->action == WORK_FORWARD ? "; to " : "", step->action == WORK_FORWARD ? it->forwarded_to : "");
	if (run(sql, event_sql, p, NPARAMS(p)) != 0 || run(sql, request_sql, p, NPARAMS(p)) != 0) return -1;
	return write_audit(sql, now, step->actor, actions[step->action].name, it->id, detail);
}

int srv_work_act(srv_db *d, const catalog *cat, const cal *calendar, const char *request_id,
	const work_step *step, long long now, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	request_state s;
	char status[16], deadline[11], old_status[16];
	int rc;
	if (check_step(step, err, errlen) != 0) return 1;
	memset(&s, 0, sizeof s);
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(sql, err, errlen, "starting the action");
	rc = load_state(sql, request_id, now, &s);
	if (rc < 0) {
		db_fail(sql, err, errlen, "reading the request");
		rollback(sql);
		return -1;
	}
	if (rc == 0) {
		rollback(sql);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	memcpy(old_status, s.it.status, sizeof old_status);
	if (decide(cat, calendar, step, now, &s, status, deadline, err, errlen) != 0) {
		rollback(sql);
		return 1;
	}
	if (write_action(sql, step, now, &s, old_status, status, deadline) != 0 ||
	    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(sql, err, errlen, "saving the action");
		rollback(sql);
		return -1;
	}
	return 0;
}

/* ---- identity ---- */

int srv_work_identity(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, unsigned char **sealed, size_t *sealed_len, char *err, size_t errlen)
{
	static const char text[] = "SELECT category, sealed FROM request WHERE id = :id";
	sqlite3 *sql = srv_db_sql(d);
	param p[] = { T(":id", request_id) };
	sqlite3_stmt *st;
	int rc, supervisor = role && strcmp(role, "supervisor") == 0, has_reason = text_ok(reason, 512);
	char category[32], detail[600];
	*sealed = NULL;
	*sealed_len = 0;
	if (!supervisor && !(role && strcmp(role, "officer") == 0)) return say(err, errlen, "unknown role");
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(sql, err, errlen, "starting to open the identity");
	if (!(st = prepare(sql, text, p, NPARAMS(p)))) goto db_error;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) goto db_error;
		rollback(sql);
		return say(err, errlen, "no request %s on this server", request_id);
	}
	copy_col(st, 0, category, sizeof category);
	/* A denouncer's identity is secret (Law on Denunciation 2018, Art. 9):
	 * a supervisor alone may open it, for a reason that is kept. */
	if (strcmp(category, "denunciation") == 0 && (!supervisor || !has_reason)) {
		sqlite3_finalize(st);
		rollback(sql);
		return say(err, errlen, supervisor ? "give the reason for opening a denouncer's identity: it is recorded"
			: "a denouncer's identity is secret: only a supervisor may open it, giving a reason");
	}
	*sealed_len = (size_t)sqlite3_column_bytes(st, 1);
	if (!(*sealed = malloc(*sealed_len ? *sealed_len : 1))) {
		sqlite3_finalize(st);
		rollback(sql);
		snprintf(err, errlen, "opening the identity: out of memory");
		return -1;
	}
	if (*sealed_len) memcpy(*sealed, sqlite3_column_blob(st, 1), *sealed_len);
	sqlite3_finalize(st);
	snprintf(detail, sizeof detail, "%s (%s)%s%s", category, role, has_reason ? ": " : "", has_reason ? reason : "");
	if (write_audit(sql, now, actor, "identity", request_id, detail) != 0 ||
	    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		free(*sealed);
		*sealed = NULL;
		*sealed_len = 0;
		goto db_error;
	}
	return 0;
db_error:
	db_fail(sql, err, errlen, "opening the identity");
	rollback(sql);
	return -1;
}

/* ---- audit ---- */

int srv_work_audit_add(srv_db *d, long long now, const char *actor, const char *action,
	const char *request_id, const char *detail, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	if (write_audit(sql, now, actor ? actor : "", action ? action : "", request_id ? request_id : "",
			detail ? detail : "") != 0)
		return db_fail(sql, err, errlen, "writing the audit log");
	return 0;
}

int srv_work_audit_list(srv_db *d, const char *request_id, int limit,
	int (*each)(const work_audit *a, void *arg), void *arg, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	param p[] = { T(":request", request_id), I(":limit", limit > 0 ? limit : 100) };
	sqlite3_stmt *st = prepare(sql, request_id && request_id[0]
		? "SELECT id, at, actor, action, request_id, detail FROM audit WHERE request_id = :request"
		  " ORDER BY id DESC LIMIT :limit"
		: "SELECT id, at, actor, action, request_id, detail FROM audit ORDER BY id DESC LIMIT :limit",
		p, NPARAMS(p));
	work_audit a;
	int rc;
	if (!st) return db_fail(sql, err, errlen, "reading the audit log");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		a.at = sqlite3_column_int64(st, 1);
		copy_col(st, 2, a.actor, sizeof a.actor);
		copy_col(st, 3, a.action, sizeof a.action);
		copy_col(st, 4, a.request_id, sizeof a.request_id);
		copy_col(st, 5, a.detail, sizeof a.detail);
		if (each(&a, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(sql, err, errlen, "reading the audit log");
}

/* ---- communes ---- */

static int is_commune_code(const char *s)
{
	int i;
	for (i = 0; i < 5; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return s[5] == '\0';
}

int srv_work_commune_set(srv_db *d, const work_commune *c, char *err, size_t errlen)
{
	static const char text[] = "INSERT INTO commune(code, name, remote) VALUES(:code, :name, :remote)"
		" ON CONFLICT(code) DO UPDATE SET name = excluded.name, remote = excluded.remote";
	sqlite3 *sql = srv_db_sql(d);
	param p[] = { T(":code", c->code), T(":name", c->name), I(":remote", c->remote != 0) };
	if (!is_commune_code(c->code)) return say(err, errlen, "a commune code is 5 digits, e.g. 27280");
	if (!utf8_valid(c->name, strnlen(c->name, sizeof c->name)) || strnlen(c->name, sizeof c->name) == sizeof c->name)
		return say(err, errlen, "the commune's name must be UTF-8 text of at most %zu bytes", sizeof c->name - 1);
	return run(sql, text, p, NPARAMS(p)) == 0 ? 0 : db_fail(sql, err, errlen, "saving the commune");
}

static void read_commune(sqlite3_stmt *st, work_commune *c)
{
	memset(c, 0, sizeof *c);
	copy_col(st, 0, c->code, sizeof c->code);
	copy_col(st, 1, c->name, sizeof c->name);
	c->remote = sqlite3_column_int(st, 2);
}

int srv_work_communes(srv_db *d, int (*each)(const work_commune *c, void *arg), void *arg,
	char *err, size_t errlen)
{
	static const char text[] = "SELECT code, name, remote FROM commune UNION"
		" SELECT DISTINCT substr(id, 1, 5), '', 0 FROM kiosk WHERE substr(id, 1, 5) NOT IN (SELECT code FROM commune)"
		" ORDER BY 1";
	sqlite3 *sql = srv_db_sql(d);
	sqlite3_stmt *st = prepare(sql, text, NULL, 0);
	work_commune c;
	int rc;
	if (!st) return db_fail(sql, err, errlen, "listing communes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_commune(st, &c);
		if (each(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(sql, err, errlen, "listing communes");
}

int srv_work_commune_get(srv_db *d, const char *code, work_commune *out)
{
	param p[] = { T(":code", code) };
	sqlite3_stmt *st = prepare(srv_db_sql(d), "SELECT code, name, remote FROM commune WHERE code = :code",
		p, NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_commune(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- conferences ---- */

#define CONFERENCE_COLS "id, commune, at, place, leaders, topic," \
	" (SELECT count(*) FROM request WHERE conference_id = conference.id)"

static void read_conference(sqlite3_stmt *st, work_conference *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, c->commune, sizeof c->commune);
	c->at = sqlite3_column_int64(st, 2);
	copy_col(st, 3, c->place, sizeof c->place);
	copy_col(st, 4, c->leaders, sizeof c->leaders);
	copy_col(st, 5, c->topic, sizeof c->topic);
	c->questions = sqlite3_column_int64(st, 6);
}

static int check_conference(const work_conference *c, char *err, size_t errlen)
{
	if (!is_commune_code(c->commune)) return say(err, errlen, "a commune code is 5 digits, e.g. 27280");
	if (c->at <= 0) return say(err, errlen, "give the conference's date and time");
	if (!text_ok(c->place, sizeof c->place)) return say(err, errlen, "give the conference's place");
	if (!text_ok(c->topic, sizeof c->topic)) return say(err, errlen, "give the conference's topic");
	if (c->leaders[0] && !text_ok(c->leaders, sizeof c->leaders))
		return say(err, errlen, "the leaders attending must be UTF-8 text of at most %zu bytes", sizeof c->leaders - 1);
	return 0;
}

int srv_work_conference_save(srv_db *d, work_conference *c, const char *actor, long long now,
	char *err, size_t errlen)
{
	static const char insert_sql[] = "INSERT INTO conference(commune, at, place, leaders, topic, created_at,"
		" updated_at) VALUES(:commune, :at, :place, :leaders, :topic, :now, :now)";
	static const char update_sql[] = "UPDATE conference SET commune = :commune, at = :at, place = :place,"
		" leaders = :leaders, topic = :topic, updated_at = :now WHERE id = :id";
	/* Open dialogue questions of the commune filed before it, not yet for
	 * any conference, are for this one. */
	static const char attach_sql[] = "UPDATE request SET conference_id = :id WHERE commune = :commune"
		" AND category = 'dialogue' AND conference_id IS NULL AND closed_at IS NULL"
		" AND status NOT IN " STATUS_FINAL_SQL " AND received_at < :at";
	sqlite3 *sql = srv_db_sql(d);
	char detail[64];
	if (check_conference(c, err, errlen) != 0) return 1;
	if (!text_ok(actor, 64)) return say(err, errlen, "the official's account name is missing");
	if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(sql, err, errlen, "saving the conference");
	{
		param p[] = { T(":commune", c->commune), I(":at", c->at), T(":place", c->place), T(":leaders", c->leaders),
			T(":topic", c->topic), I(":now", now), I(":id", c->id) };
		if (run(sql, c->id ? update_sql : insert_sql, p, NPARAMS(p)) != 0) goto db_error;
		if (c->id && sqlite3_changes(sql) != 1) {
			rollback(sql);
			return say(err, errlen, "no conference %lld on this server", c->id);
		}
		if (!c->id) c->id = sqlite3_last_insert_rowid(sql);
	}
	{
		param p[] = { I(":id", c->id), T(":commune", c->commune), I(":at", c->at) };
		if (run(sql, attach_sql, p, NPARAMS(p)) != 0) goto db_error;
	}
	snprintf(detail, sizeof detail, "conference %lld, commune %s", c->id, c->commune);
	if (write_audit(sql, now, actor, "conference", "", detail) != 0 ||
	    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto db_error;
	return 0;
db_error:
	db_fail(sql, err, errlen, "saving the conference");
	rollback(sql);
	return -1;
}

int srv_work_conferences(srv_db *d, const char *commune, long long from,
	int (*each)(const work_conference *c, void *arg), void *arg, char *err, size_t errlen)
{
	sqlite3 *sql = srv_db_sql(d);
	param p[] = { T(":commune", commune), I(":from", from) };
	sqlite3_stmt *st = prepare(sql, "SELECT " CONFERENCE_COLS " FROM conference"
		" WHERE (:commune = '' OR commune = :commune) AND at >= :from ORDER BY at, id", p, NPARAMS(p));
	work_conference c;
	int rc;
	if (!st) return db_fail(sql, err, errlen, "listing conferences");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_conference(st, &c);
		if (each(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(sql, err, errlen, "listing conferences");
}

int srv_work_conference_get(srv_db *d, long long id, work_conference *out)
{
	param p[] = { I(":id", id) };
	sqlite3_stmt *st = prepare(srv_db_sql(d), "SELECT " CONFERENCE_COLS " FROM conference WHERE id = :id",
		p, NPARAMS(p));
	int rc;
	if (!st) return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) read_conference(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
