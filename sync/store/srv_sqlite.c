/* srv_sqlite: the SQLite backend's schema, statements and connection (see
 * srv_sqlite.h).
 *
 * The schema is one list of migrations in the order they run; PRAGMA
 * user_version counts those a file has had (migrate.h), so a step once
 * shipped never changes and a new one goes at the end. Every statement of
 * the backend is in the table after it. */
#include "srv_sqlite.h"
#include "migrate.h"
#include "status.h"
#include "vntime.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const migrations[] = {
	/* 1: kiosks, requests, events, conflicts, settings. */
	"CREATE TABLE kiosk("
	" id TEXT PRIMARY KEY,"
	" key BLOB NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" added_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL DEFAULT 0,"
	" last_n INTEGER NOT NULL DEFAULT 0,"
	" acked INTEGER NOT NULL DEFAULT 0,"
	" clock_offset INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE request("
	" id TEXT PRIMARY KEY,"
	" kiosk TEXT NOT NULL REFERENCES kiosk(id),"
	" seq INTEGER NOT NULL,"
	" token TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" received_server_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL,"
	" UNIQUE(kiosk, seq));"
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" request_id TEXT NOT NULL REFERENCES request(id),"
	" kiosk TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX event_kiosk ON event(kiosk, id);"
	"CREATE INDEX event_request ON event(request_id, id);"
	/* One row per refused request and reason, counted, so a kiosk that
	 * resends a conflict every night does not grow the table. */
	"CREATE TABLE conflict("
	" request_id TEXT NOT NULL,"
	" kiosk TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" other_id TEXT NOT NULL DEFAULT '',"
	" first_at INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL,"
	" count INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY(request_id, reason));"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",

	/* 2: the officials' work: the commune, the deadline in force, acceptance
	 * and closing, the action's counters, communes, dialogue conferences,
	 * the audit log; requests already closed are dated by their last update. */
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
	" on_time = vn_date(updated_at) <= due WHERE status IN " STATUS_FINAL_SQL ";"
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
	/* The public figures read ranges of receipt and closing times; these
	 * cover those reads, so a million requests take no table lookups.
	 * closed_at IS NULL leads the open requests for "overdue now". */
	"CREATE INDEX request_stats_received ON request(received_at, commune, category);"
	"CREATE INDEX request_stats_closed ON request(closed_at, status, commune, category, on_time,"
	" received_at, due, appointment);",

	/* 3: officials' accounts, their sessions (hash: BLAKE2b-256 of the
	 * cookie's token; the token itself is never stored), failed logins. */
	"CREATE TABLE staff_user("
	" name TEXT PRIMARY KEY,"
	" role TEXT NOT NULL CHECK(role IN ('officer', 'supervisor')),"
	" hash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" last_login INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE staff_session("
	" hash BLOB PRIMARY KEY,"
	" name TEXT NOT NULL REFERENCES staff_user(name),"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);"
	"CREATE INDEX staff_session_name ON staff_session(name);"
	"CREATE TABLE staff_login_failure("
	" name TEXT PRIMARY KEY,"
	" count INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL);",
	/* 4: failed logins counted per name and origin (the client's address,
	 * an IPv6 /64), so that a stranger's guesses make only the stranger
	 * wait, never the official at another address. */
	"CREATE TABLE staff_login_failure_by_origin("
	" name TEXT NOT NULL,"
	" origin TEXT NOT NULL,"
	" count INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL,"
	" PRIMARY KEY(name, origin));"
	"INSERT INTO staff_login_failure_by_origin SELECT name, '', count, last_at FROM staff_login_failure;"
	"DROP TABLE staff_login_failure;"
	"ALTER TABLE staff_login_failure_by_origin RENAME TO staff_login_failure;",
	/* 5: trust. A receipt code may be claimed by two kiosks' requests, so
	 * the token is no longer unique: the request table is built again
	 * (foreign keys are off while migrations run, srv_sqlite.c's open) with
	 * the kiosk's own receipt time beside the server's, the flags of dates
	 * that could not be true and of codes held, and the reason. Envelope
	 * numbers seen below a kiosk's last, so that bundles taken out of
	 * order are not replays; officers' communes; audit filters. */
	"CREATE TABLE request_new("
	" id TEXT PRIMARY KEY,"
	" kiosk TEXT NOT NULL REFERENCES kiosk(id),"
	" seq INTEGER NOT NULL,"
	" token TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" received_server_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL,"
	" commune TEXT NOT NULL DEFAULT '',"
	" due TEXT NOT NULL DEFAULT '',"
	" accepted_at INTEGER,"
	" closed_at INTEGER,"
	" on_time INTEGER,"
	" complexity INTEGER NOT NULL DEFAULT 0,"
	" extensions INTEGER NOT NULL DEFAULT 0,"
	" apologies INTEGER NOT NULL DEFAULT 0,"
	" appointment TEXT NOT NULL DEFAULT '',"
	" forwarded_to TEXT NOT NULL DEFAULT '',"
	" conference_id INTEGER,"
	" kiosk_received_at INTEGER,"
	" trust INTEGER NOT NULL DEFAULT 0,"
	" trust_note TEXT NOT NULL DEFAULT '',"
	" UNIQUE(kiosk, seq));"
	"INSERT INTO request_new SELECT id, kiosk, seq, token, category, procedure, received_at,"
	" received_server_at, deadline, status, updated_at, sealed, commune, due, accepted_at, closed_at,"
	" on_time, complexity, extensions, apologies, appointment, forwarded_to, conference_id,"
	" received_at, 0, '' FROM request;"
	"DROP TABLE request;"
	"ALTER TABLE request_new RENAME TO request;"
	"CREATE INDEX request_token ON request(token);"
	"CREATE INDEX request_trust ON request(trust) WHERE trust <> 0;"
	"CREATE INDEX request_inbox ON request(commune, status, due);"
	"CREATE INDEX request_received ON request(commune, received_at);"
	"CREATE INDEX request_closed ON request(commune, closed_at);"
	"CREATE INDEX request_conference ON request(conference_id) WHERE conference_id IS NOT NULL;"
	"CREATE INDEX request_stats_received ON request(received_at, commune, category);"
	"CREATE INDEX request_stats_closed ON request(closed_at, status, commune, category, on_time,"
	" received_at, due, appointment);"
	"ALTER TABLE kiosk ADD COLUMN seen_floor INTEGER NOT NULL DEFAULT 0;"
	"UPDATE kiosk SET seen_floor = last_n;"
	"CREATE TABLE envelope_seen(kiosk TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(kiosk, n)) WITHOUT ROWID;"
	"CREATE TABLE officer_commune(name TEXT NOT NULL REFERENCES staff_user(name), commune TEXT NOT NULL,"
	" PRIMARY KEY(name, commune)) WITHOUT ROWID;"
	"CREATE INDEX audit_action ON audit(action, id);"
	"CREATE INDEX audit_actor ON audit(actor, id);",
	/* the office's queue figures, a row per kiosk, day, work field and
	 * counter, replaced by each push that carries it (no identity) */
	"CREATE TABLE queue_day("
	" kiosk TEXT NOT NULL,"
	" commune TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" counter INTEGER NOT NULL,"
	" served INTEGER NOT NULL,"
	" skipped INTEGER NOT NULL,"
	" wait_total INTEGER NOT NULL,"
	" wait_max INTEGER NOT NULL,"
	" service_total INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY(kiosk, day, field, counter)) WITHOUT ROWID;"
	"CREATE INDEX queue_day_commune ON queue_day(commune, day);",
	/* 7: officials' daily work. The officer a request is assigned to; the
	 * province's dossier number given at acceptance; the keyed hashes that
	 * find a request by its citizen's phone or ID number and the words of
	 * its subject (srv_find.h), with each request's state of indexing (0
	 * to do, 1 done, 2 its form did not open); canned replies. */
	"ALTER TABLE request ADD COLUMN assignee TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN dossier TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE request ADD COLUMN find_state INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX request_assignee ON request(assignee, status, due);"
	/* The inbox's orders walk these instead of sorting every match: the
	 * deadline in force is an expression (status.h), indexed as written
	 * in the query; the counts read the narrow covering index. */
	"CREATE INDEX request_due_in_force ON request(" STATUS_DUE_IN_FORCE_SQL ", received_at, id);"
	"CREATE INDEX request_commune_due ON request(commune, " STATUS_DUE_IN_FORCE_SQL ", received_at, id);"
	"CREATE INDEX request_newest ON request(received_at DESC, id DESC);"
	"CREATE INDEX request_counts ON request(commune, status, closed_at, due, appointment);"
	"CREATE INDEX request_counts_all ON request(status, closed_at, due, appointment);"
	"CREATE INDEX request_dossier ON request(dossier) WHERE dossier <> '';"
	"CREATE INDEX request_find_pending ON request(id) WHERE find_state = 0;"
	"CREATE TABLE find_key(hash TEXT NOT NULL, request_id TEXT NOT NULL,"
	" PRIMARY KEY(hash, request_id)) WITHOUT ROWID;"
	"CREATE INDEX find_key_request ON find_key(request_id);"
	"CREATE TABLE canned_reply(id INTEGER PRIMARY KEY AUTOINCREMENT, category TEXT NOT NULL,"
	" action TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, updated_at INTEGER NOT NULL,"
	" updated_by TEXT NOT NULL);"
	"CREATE INDEX canned_reply_category ON canned_reply(category, action, title);"
	/* Text messages the law says the citizen must get, queued with the
	 * action that calls for them (srv_sms.h); sms_ok: the filer gave a
	 * phone and agreed, read once from the sealed form. */
	"ALTER TABLE request ADD COLUMN sms_ok INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE sms_outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL,"
	" kind TEXT NOT NULL, date TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'queued',"
	" tries INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, created_at INTEGER NOT NULL,"
	" sent_at INTEGER NOT NULL DEFAULT 0, via TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX sms_due ON sms_outbox(next_at) WHERE state = 'queued';"
	"CREATE INDEX sms_request ON sms_outbox(request_id, id);",
	/* 8: satisfaction ratings (srv_rating.h), from kiosks' pushes (by the
	 * kiosk's own id) and the phone page; kind 0 neither, 1 a ticket (its
	 * number), 2 a request (its id); the faces f_* 1 to 3. One per kiosk
	 * id, per ticket and per request, by the partial unique indexes. No
	 * identity, no comment. */
	"CREATE TABLE rating(id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,"
	" kiosk TEXT NOT NULL DEFAULT '', kiosk_rating INTEGER NOT NULL DEFAULT 0, commune TEXT NOT NULL,"
	" kind INTEGER NOT NULL, day TEXT NOT NULL, at INTEGER NOT NULL, field TEXT NOT NULL DEFAULT '',"
	" counter INTEGER NOT NULL DEFAULT 0, number INTEGER NOT NULL DEFAULT 0, request_id TEXT NOT NULL DEFAULT '',"
	" f_reception INTEGER NOT NULL, f_time INTEGER NOT NULL, f_attitude INTEGER NOT NULL, f_result INTEGER NOT NULL,"
	" f_overall INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX rating_kiosk_id ON rating(kiosk, kiosk_rating) WHERE kiosk <> '';"
	"CREATE UNIQUE INDEX rating_ticket ON rating(kiosk, day, field, number) WHERE number > 0;"
	"CREATE UNIQUE INDEX rating_request ON rating(request_id) WHERE request_id <> '';"
	"CREATE INDEX rating_kiosk_day ON rating(kiosk, day);"
	"CREATE INDEX rating_day ON rating(day);",
	/* 9: the open requests' deadlines, a tenth to a third of the store:
	 * the inbox's open lists, "due within" and the open and overdue
	 * counts walk these instead of every request's deadline. The
	 * condition is the inbox's test for open, written the same way, so
	 * that the planner sees it holds. due and closed_at make the counts'
	 * reads the index's alone. */
	"CREATE INDEX request_open_due ON request(" STATUS_DUE_IN_FORCE_SQL ", received_at, id, due, closed_at)"
	" WHERE status NOT IN " STATUS_FINAL_SQL ";"
	"CREATE INDEX request_open_commune_due ON request(commune, " STATUS_DUE_IN_FORCE_SQL ", received_at, id, due,"
	" closed_at) WHERE status NOT IN " STATUS_FINAL_SQL ";",
	/* 10: a conference cancelled: when (0 while it stands), by whom, and
	 * why, the reason the citizens whose questions were for it are told. */
	"ALTER TABLE conference ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE conference ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE conference ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';",

	/* 11: nothing in SQLite. PostgreSQL's step 11 puts due and
	 * appointment in its index of a commune's deadlines so that a walk
	 * of it reads no row; SQLite's walk of request_commune_due already
	 * tests each id in the index before it reads the row (a deferred
	 * seek). The step keeps the two backends' versions one numbering. */
	"-- nothing",
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

#define OVERDUE_SQL STATUS_OVERDUE_SQL(":today")
#define KIOSK_COLS "id, key, revoked, added_at, last_seen, last_n, acked, clock_offset"
#define REQUEST_COLS "id, kiosk, seq, token, category, procedure, received_at, received_server_at," \
	" deadline, status, updated_at, sealed, coalesce(kiosk_received_at, received_at), due, trust, trust_note"
/* The last column: the event takes the date away (proto_event.undated). */
#define EVENT_COLS "id, request_id, at, status, note, deadline, action = 'conference' AND deadline = ''"
#define CONFERENCE_COLS "id, commune, at, place, leaders, topic," \
	" (SELECT count(*) FROM request WHERE conference_id = conference.id), cancelled_at, cancelled_by, cancel_reason"
/* What a dialogue question's kiosk was last told of its date: the latest
 * event that set one or took it away (a conference event; the kiosk's
 * DUE_SQL, db.c, reads its events the same way), else its own. */
#define TOLD_DUE_SQL "coalesce((SELECT e.deadline FROM event e WHERE e.request_id = request.id" \
	" AND (e.deadline <> '' OR e.action = 'conference') ORDER BY e.id DESC LIMIT 1), deadline)"
/* The status the kiosk last had, which an event about the date keeps. */
#define LAST_STATUS_SQL "coalesce((SELECT e.status FROM event e WHERE e.request_id = request.id" \
	" ORDER BY e.id DESC LIMIT 1), status)"
/* The commune's next conference that stands and has not started at :now,
 * a question's after its own was cancelled: its column col. */
#define NEXT_STANDING_SQL(col) "(SELECT " col " FROM conference c WHERE c.commune = request.commune" \
	" AND c.cancelled_at = 0 AND c.at > :now ORDER BY c.at, c.id LIMIT 1)"
/* The cancelled conferences of the question's commune on the day its
 * kiosk gave it, after it was filed: the kiosk dated it by one of them. */
#define CANCELLED_DAY_SQL "conference c WHERE c.commune = request.commune AND c.cancelled_at <> 0" \
	" AND c.at > request.received_at AND date(c.at + 25200, 'unixepoch') = request.deadline"
#define NEXT_STANDING_DAY_SQL "coalesce(" NEXT_STANDING_SQL("date(c.at + 25200, 'unixepoch')") ", '')"
#define AUDIT_COLS "id, at, actor, action, request_id, detail"
#define SMS_COLS "id, request_id, kind, date, state, tries, next_at, created_at, sent_at, via, last_error"

static const char *const statements[SQ_N] = {
	[SQ_BEGIN] = "BEGIN",
	[SQ_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_DATA_VERSION] = "PRAGMA data_version",

	[SQ_META_GET] = "SELECT value FROM meta WHERE key = ?",
	[SQ_META_SET] = "INSERT INTO meta(key, value) VALUES(?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[SQ_KIOSK_GET] = "SELECT " KIOSK_COLS ", 0 FROM kiosk WHERE id = ?",
	[SQ_KIOSK_LIST] = "SELECT " KIOSK_COLS ", (SELECT count(*) FROM request WHERE request.kiosk = kiosk.id)"
		" FROM kiosk ORDER BY id",
	[SQ_KIOSK_ADD] = "INSERT INTO kiosk(id, key, added_at) VALUES(?, ?, ?)",
	[SQ_KIOSK_REVOKE] = "UPDATE kiosk SET revoked = 1 WHERE id = ? AND revoked = 0",
	[SQ_KIOSK_SEEN] = "UPDATE kiosk SET last_n = ?, last_seen = ?, clock_offset = ? WHERE id = ?",
	[SQ_KIOSK_FLOOR] = "SELECT seen_floor FROM kiosk WHERE id = ?",
	[SQ_KIOSK_SET_FLOOR] = "UPDATE kiosk SET seen_floor = max(seen_floor, ?2) WHERE id = ?1",
	[SQ_ENVELOPE_SEEN] = "SELECT 1 FROM envelope_seen WHERE kiosk = ? AND n = ?",
	[SQ_ENVELOPE_ADD] = "INSERT OR IGNORE INTO envelope_seen(kiosk, n) VALUES(?, ?)",
	[SQ_ENVELOPE_PRUNE] = "DELETE FROM envelope_seen WHERE kiosk = ?1 AND n <= ?2",
	[SQ_KIOSK_ACKED] = "UPDATE kiosk SET acked = ? WHERE id = ?",
	[SQ_REQUEST_INSERT] = "INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
		" received_server_at, deadline, status, updated_at, sealed, commune, due, kiosk_received_at,"
		" trust, trust_note)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,'synced',?10,?11,substr(?2, 1, 5),?12,?13,?14,?15)",
	/* The request as its kiosk sent it, to know a resend from another. */
	[SQ_REQUEST_STORED] = "SELECT kiosk, seq, token, category, procedure, coalesce(kiosk_received_at, received_at),"
		" deadline, sealed FROM request WHERE id = ?",
	[SQ_TOKEN_HOLDER] = "SELECT id, kiosk FROM request WHERE token = ? ORDER BY id",
	[SQ_TOKEN_HOLD] = "UPDATE request SET trust = trust | ?2,"
		" trust_note = CASE WHEN trust_note = '' THEN ?3 ELSE trust_note END WHERE token = ?1",
	[SQ_FLAGGED] = "SELECT id, kiosk, token, category, received_at, coalesce(kiosk_received_at, received_at),"
		" received_server_at, deadline, due, trust, trust_note FROM request"
		" WHERE trust & ?1 <> 0 AND (?2 = '' OR commune = ?2) ORDER BY token, id LIMIT ?3 OFFSET ?4",
	[SQ_SEQ_STORED] = "SELECT 1 FROM request WHERE kiosk = ? AND seq = ?",
	[SQ_EVENT_SYNCED] = "INSERT INTO event(request_id, kiosk, at, status) VALUES(?, ?, ?, 'synced')",
	[SQ_EVENTS_AFTER] = "SELECT " EVENT_COLS " FROM event WHERE kiosk = ? AND id > ? ORDER BY id LIMIT ?",
	[SQ_CONFLICT_LOG] = "INSERT INTO conflict(request_id, kiosk, reason, other_id, first_at, last_at)"
		" VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(request_id, reason) DO UPDATE SET"
		" other_id = excluded.other_id, last_at = excluded.last_at, count = count + 1",
	/* A dialogue question is for its commune's next conference after it was filed. */
	/* Its answer is due on the conference's day (Vietnam time, UTC+7), not
	 * 30 days on (Law on Grassroots Democracy 2022; docs/legal-clocks.md);
	 * with none announced it keeps the kiosk's date until one is. */
	/* A cancelled conference is no one's; a question the kiosk dated by one
	 * (it had not heard of the cancellation) has no date until another is
	 * announced. */
	[SQ_ATTACH_DIALOGUE] = "UPDATE request SET conference_id = (SELECT id FROM conference"
		" WHERE commune = request.commune AND cancelled_at = 0 AND at > request.received_at ORDER BY at, id LIMIT 1),"
		" due = coalesce((SELECT date(at + 25200, 'unixepoch') FROM conference WHERE commune = request.commune"
		" AND cancelled_at = 0 AND at > request.received_at ORDER BY at, id LIMIT 1),"
		" CASE WHEN EXISTS (SELECT 1 FROM " CANCELLED_DAY_SQL ") THEN '' ELSE due END)"
		" WHERE id = ? AND category = 'dialogue'",
	/* A question the kiosk dated by its own reckoning (it did not know of
	 * the conference yet, or of its cancellation) is told the conference's
	 * day, or that it has none, by an event. */
	[SQ_DIALOGUE_EVENT] = "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
		" SELECT id, kiosk, ?2, 'synced', coalesce((SELECT place FROM conference WHERE id = request.conference_id),"
		" (SELECT cancel_reason FROM " CANCELLED_DAY_SQL " ORDER BY c.id DESC LIMIT 1), ''), due, 'conference'"
		" FROM request WHERE id = ?1 AND category = 'dialogue'"
		" AND (conference_id IS NOT NULL OR due = '') AND due <> deadline",
	/* A claimant staff set aside is never the one a code shows. */
	/* The phone page's two reads sort nothing (no temporary b-tree): of the
	 * requests holding a code (nearly always one) srv_db_lookup picks the one
	 * shown, and it turns the events, newest first here, oldest first. */
	[SQ_LOOKUP] = "SELECT id, category, procedure, received_at, due, status, updated_at, appointment,"
		" accepted_at IS NOT NULL, closed_at IS NOT NULL, trust FROM request WHERE token = ?",
	[SQ_LOOKUP_EVENTS] = "SELECT at, status, note FROM event WHERE request_id = ? ORDER BY id DESC LIMIT ?",
	/* The latest apology: the note that came with the last new appointment. */
	[SQ_LOOKUP_APOLOGY] = "SELECT note FROM event WHERE request_id = ? AND action = 'reschedule'"
		" ORDER BY id DESC LIMIT 1",
	[SQ_REQUEST_BY_ID] = "SELECT " REQUEST_COLS " FROM request WHERE id = ?",
	[SQ_REQUEST_BY_TOKEN] = "SELECT " REQUEST_COLS " FROM request WHERE token = ?",
	[SQ_SEALED_BY_ID] = "SELECT sealed FROM request WHERE id = ?",
	[SQ_REQUEST_EVENTS] = "SELECT " EVENT_COLS " FROM event WHERE request_id = ? ORDER BY id",
	[SQ_COUNT] = "SELECT count(*) FROM request",

	[SQ_ITEM_BY_ID] = "SELECT " SRV_SQLITE_ITEM_COLS " FROM request WHERE id = :key",
	[SQ_ITEM_BY_TOKEN] = "SELECT " SRV_SQLITE_ITEM_COLS " FROM request WHERE token = :key",
	[SQ_STATE] = "SELECT kiosk, appointment,"
		" (SELECT remote FROM commune WHERE code = request.commune),"
		" (SELECT count(*) FROM event WHERE request_id = request.id AND action = 'supplement'),"
		" coalesce((SELECT max(at) FROM event WHERE request_id = request.id AND action = 'letter'), 0),"
		" coalesce((SELECT max(at) FROM event WHERE request_id = request.id AND action = 'notify'), 0),"
		/* The latest suspension or resumption: a suspension's time when it is the latest. */
		" coalesce((SELECT CASE action WHEN 'suspend' THEN at ELSE 0 END FROM event"
		" WHERE request_id = request.id AND action IN ('suspend', 'resume') ORDER BY id DESC LIMIT 1), 0)"
		" FROM request WHERE id = :key",
	[SQ_EVENT_ACTION] = "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
		" VALUES(:id, :kiosk, :now, :status, :note, :deadline, :action)",
	[SQ_REQUEST_ACTION] = "UPDATE request SET status = :status, updated_at = :now, due = :due,"
		" accepted_at = nullif(:accepted, 0), closed_at = nullif(:closed, 0),"
		" on_time = CASE WHEN :closed > 0 THEN :due = '' OR :today <= :due END,"
		" complexity = :complexity, extensions = :extensions, apologies = :apologies,"
		" appointment = :appointment, forwarded_to = :office, dossier = :dossier WHERE id = :id",
	[SQ_AUDIT_ADD] = "INSERT INTO audit(at, actor, action, request_id, detail)"
		" VALUES(:at, :actor, :action, :request, :detail)",
	[SQ_EVENT_STAFF] = "INSERT INTO event(request_id, kiosk, at, status, note)"
		" SELECT id, kiosk, ?, ?, ? FROM request WHERE id = ?",
	[SQ_REQUEST_STATUS] = "UPDATE request SET status = ?1, updated_at = ?2,"
		" closed_at = CASE WHEN ?1 = 'withdrawn' THEN ?2 END WHERE id = ?3 AND closed_at IS NULL",
	[SQ_LAST_EVENT] = "SELECT coalesce(max(id), 0) FROM event WHERE request_id = ?",
	[SQ_IDENTITY] = "SELECT category, sealed FROM request WHERE id = :id",
	/* srv_desk_sqlite.c */
	[SQ_FIND_PENDING] = "SELECT id, sealed FROM request WHERE find_state = 0 ORDER BY id LIMIT :limit",
	[SQ_FIND_CLEAR] = "DELETE FROM find_key WHERE request_id = :id",
	[SQ_FIND_ADD] = "INSERT OR IGNORE INTO find_key(hash, request_id) VALUES(:hash, :id)",
	[SQ_FIND_DONE] = "UPDATE request SET find_state = :state, sms_ok = :sms WHERE id = :id",
	[SQ_SMS_ENQUEUE] = "INSERT INTO sms_outbox(request_id, kind, date, next_at, created_at)"
		" SELECT id, :sms, :smsdate, :now, :now FROM request WHERE id = :id AND sms_ok = 1",
	[SQ_SMS_DUE] = "SELECT " SMS_COLS " FROM sms_outbox WHERE state = 'queued' AND next_at <= :now"
		" ORDER BY next_at, id LIMIT :limit",
	[SQ_SMS_RESULT] = "UPDATE sms_outbox SET state = :state, tries = tries + 1, next_at = :next,"
		" sent_at = :sent, via = :via, last_error = :error WHERE id = :id",
	[SQ_SMS_LIST] = "SELECT " SMS_COLS " FROM sms_outbox WHERE (:request = '' OR request_id = :request)"
		" ORDER BY id DESC LIMIT :limit",
	[SQ_ASSIGN] = "UPDATE request SET assignee = :officer WHERE id = :id AND closed_at IS NULL",
	[SQ_REPLY_INSERT] = "INSERT INTO canned_reply(category, action, title, text, updated_at, updated_by)"
		" VALUES(:category, :action, :title, :text, :now, :actor)",
	[SQ_REPLY_UPDATE] = "UPDATE canned_reply SET category = :category, action = :action, title = :title,"
		" text = :text, updated_at = :now, updated_by = :actor WHERE id = :id",
	[SQ_REPLY_DELETE] = "DELETE FROM canned_reply WHERE id = :id",
	[SQ_REPLIES] = "SELECT id, category, action, title, text, updated_at, updated_by FROM canned_reply"
		" WHERE (:category = '' OR category = :category) ORDER BY category, action, title, id",
	[SQ_REPLY_GET] = "SELECT id, category, action, title, text, updated_at, updated_by FROM canned_reply"
		" WHERE id = :id",
	/* A held code released to one of its claimants: the others keep a flag
	 * of their own, and lose any earlier choice. */
	[SQ_CODE_CLAIM] = "SELECT token, trust, (SELECT group_concat(o.id, ', ') FROM request o"
		" WHERE o.token = r.token AND o.id <> r.id) FROM request r WHERE id = :id",
	[SQ_CODE_RELEASE_OTHERS] = "UPDATE request SET trust = (trust & ~(:held | :chosen)) | :not_chosen,"
		" trust_note = :note WHERE token = :token AND id <> :id",
	[SQ_CODE_RELEASE_CHOSEN] = "UPDATE request SET trust = (trust & ~(:held | :not_chosen)) | :chosen,"
		" trust_note = :note WHERE id = :id",
	/* A page of the audit log, newest first, before the cursor :before
	 * (0: from the newest); every filter '' when not given. */
	[SQ_AUDIT_PAGE] = "SELECT " AUDIT_COLS " FROM audit WHERE (:before = 0 OR id < :before)"
		" AND (:action = '' OR action = :action) AND (:actor = '' OR actor = :actor)"
		" AND (:request = '' OR request_id = :request) AND (:exclude = '' OR action <> :exclude)"
		" ORDER BY id DESC LIMIT :limit",
	[SQ_SCOPE_CLEAR] = "DELETE FROM officer_commune WHERE name = :name",
	[SQ_SCOPE_ADD] = "INSERT OR IGNORE INTO officer_commune(name, commune) VALUES(:name, :commune)",
	[SQ_SCOPE_LIST] = "SELECT commune FROM officer_commune WHERE name = :name ORDER BY commune",
	[SQ_SCOPE_HAS] = "SELECT 1 FROM officer_commune WHERE name = :name AND commune = :commune",
	[SQ_COMMUNE_SET] = "INSERT INTO commune(code, name, remote) VALUES(:code, :name, :remote)"
		" ON CONFLICT(code) DO UPDATE SET name = excluded.name, remote = excluded.remote",
	[SQ_COMMUNES] = "SELECT code, name, remote FROM commune UNION"
		" SELECT DISTINCT substr(id, 1, 5), '', 0 FROM kiosk WHERE substr(id, 1, 5) NOT IN (SELECT code FROM commune)"
		" ORDER BY 1",
	[SQ_COMMUNE_GET] = "SELECT code, name, remote FROM commune WHERE code = :code",
	[SQ_CONFERENCE_INSERT] = "INSERT INTO conference(commune, at, place, leaders, topic, created_at,"
		" updated_at) VALUES(:commune, :at, :place, :leaders, :topic, :now, :now)",
	[SQ_CONFERENCE_UPDATE] = "UPDATE conference SET commune = :commune, at = :at, place = :place,"
		" leaders = :leaders, topic = :topic, updated_at = :now WHERE id = :id AND cancelled_at = 0",
	/* Open dialogue questions of the commune filed before it, not yet for
	 * any conference, are for this one. */
	[SQ_CONFERENCE_ATTACH] = "UPDATE request SET conference_id = :id, due = date(:at + 25200, 'unixepoch')"
		" WHERE commune = :commune AND category = 'dialogue' AND closed_at IS NULL"
		" AND status NOT IN " STATUS_FINAL_SQL
		" AND ((conference_id IS NULL AND received_at < :at) OR conference_id = :id)",
	/* The questions whose date the announcement (or a move) changed are
	 * told so by an event, which the kiosk pulls like any other: its stored
	 * date and its status screen follow the conference. The event keeps the
	 * status the kiosk last had and carries the conference's place. */
	[SQ_CONFERENCE_EVENTS] = "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
		" SELECT id, kiosk, :now, " LAST_STATUS_SQL ", :place, due, 'conference' FROM request"
		" WHERE conference_id = :id AND closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL
		" AND due <> " TOLD_DUE_SQL " ORDER BY id",
	/* A cancellation: refused (no row) for one cancelled or started. */
	[SQ_CONFERENCE_CANCEL] = "UPDATE conference SET cancelled_at = :now, cancelled_by = :actor,"
		" cancel_reason = :reason, updated_at = :now WHERE id = :id AND cancelled_at = 0 AND at > :now",
	/* The open questions that were for it are told their new date (the
	 * commune's next standing conference's) or that they have none, with
	 * the reason as the note, then move. */
	[SQ_CONFERENCE_CANCEL_EVENTS] = "INSERT INTO event(request_id, kiosk, at, status, note, deadline, action)"
		" SELECT id, kiosk, :now, " LAST_STATUS_SQL ", :reason, " NEXT_STANDING_DAY_SQL ", 'conference'"
		" FROM request WHERE conference_id = :id AND closed_at IS NULL AND status NOT IN " STATUS_FINAL_SQL
		" AND " NEXT_STANDING_DAY_SQL " <> " TOLD_DUE_SQL " ORDER BY id",
	/* The commune's next standing conference after a cancellation, 0 none. */
	[SQ_CONFERENCE_NEXT] = "SELECT coalesce((SELECT c.id FROM conference c, conference x WHERE x.id = :id"
		" AND c.commune = x.commune AND c.cancelled_at = 0 AND c.at > :now ORDER BY c.at, c.id LIMIT 1), 0)",
	[SQ_CONFERENCE_CANCEL_MOVE] = "UPDATE request SET conference_id = " NEXT_STANDING_SQL("c.id") ","
		" due = " NEXT_STANDING_DAY_SQL " WHERE conference_id = :id AND closed_at IS NULL"
		" AND status NOT IN " STATUS_FINAL_SQL,
	[SQ_CONFERENCES] = "SELECT " CONFERENCE_COLS " FROM conference"
		" WHERE (:commune = '' OR commune = :commune) AND at >= :from ORDER BY at, id",
	[SQ_CONFERENCE_GET] = "SELECT " CONFERENCE_COLS " FROM conference WHERE id = :id",

	[SQ_USER_INSERT] = "INSERT INTO staff_user(name, role, hash, created_at) VALUES(?, ?, ?, ?)",
	[SQ_USER_SET_HASH] = "UPDATE staff_user SET hash = ? WHERE name = ?",
	[SQ_USER_DISABLE] = "UPDATE staff_user SET disabled = 1 WHERE name = ? AND disabled = 0",
	[SQ_USERS] = "SELECT name, role, disabled, created_at, last_login FROM staff_user ORDER BY name",
	[SQ_USER_GET] = "SELECT hash, role, disabled FROM staff_user WHERE name = ?",
	[SQ_USER_LOGIN] = "UPDATE staff_user SET last_login = ?1 WHERE name = ?2",
	[SQ_FAILURES] = "SELECT count, last_at FROM staff_login_failure WHERE name = ?1 AND origin = ?2",
	[SQ_FAILURE_ADD] = "INSERT INTO staff_login_failure(name, origin, count, last_at) VALUES(?1, ?2, 1, ?3)"
		" ON CONFLICT(name, origin) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
	[SQ_FAILURE_CLEAR] = "DELETE FROM staff_login_failure WHERE name = ?1 AND origin = ?2",
	[SQ_FAILURE_CLEAR_ALL] = "DELETE FROM staff_login_failure WHERE name = ?",
	[SQ_SESSION_INSERT] = "INSERT INTO staff_session(hash, name, csrf, created_at, last_seen) VALUES(?, ?, ?, ?, ?)",
	[SQ_SESSION_GET] = "SELECT s.name, u.role, s.csrf, s.created_at, s.last_seen, u.disabled"
		" FROM staff_session s JOIN staff_user u ON u.name = s.name WHERE s.hash = ?",
	[SQ_SESSION_TOUCH] = "UPDATE staff_session SET last_seen = ? WHERE hash = ?",
	[SQ_SESSION_DELETE] = "DELETE FROM staff_session WHERE hash = ?",
	[SQ_SESSIONS_OF] = "DELETE FROM staff_session WHERE name = ?",
	[SQ_SESSIONS_SWEEP] = "DELETE FROM staff_session WHERE created_at < ?",

	/* ?1 the month's start, ?2 the year's, ?3 today (Vietnam time). Each reads
	 * a range of one covering index (request_stats_received, _closed) and
	 * streams its rows: counting them in C is faster than SQLite's GROUP BY,
	 * which sorts them first. */
	[SQ_STATS_RECEIVED] = "SELECT commune, category, received_at >= ?1 FROM request WHERE received_at >= ?2",
	[SQ_STATS_CLOSED] = "SELECT commune, category, closed_at >= ?1, on_time, closed_at - received_at FROM request"
		" WHERE closed_at >= ?2 AND status IN " STATUS_ANSWERED_SQL,
	[SQ_STATS_OVERDUE] = "SELECT commune, category FROM request WHERE " STATUS_OVERDUE_SQL("?3"),
	[SQ_QUEUE_PUT] = "INSERT INTO queue_day(kiosk, commune, day, field, counter, served, skipped, wait_total,"
		" wait_max, service_total, updated_at) VALUES(?1, substr(?1, 1, 5), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT(kiosk, day, field, counter) DO UPDATE SET served = excluded.served, skipped = excluded.skipped,"
		" wait_total = excluded.wait_total, wait_max = excluded.wait_max, service_total = excluded.service_total,"
		" updated_at = excluded.updated_at",
	[SQ_QUEUE_FIGURES] = "SELECT commune, field, counter, sum(served), sum(skipped), sum(wait_total), max(wait_max),"
		" sum(service_total) FROM queue_day WHERE day >= ?1 GROUP BY commune, field, counter"
		" ORDER BY commune, field, counter",
	[SQ_RATING_PUT] = "INSERT INTO rating(source, kiosk, kiosk_rating, commune, kind, day, at, field, counter, number,"
		" request_id, f_reception, f_time, f_attitude, f_result, f_overall)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT DO NOTHING",
	[SQ_RATING_DAY_COUNT] = "SELECT count(*) FROM rating WHERE kiosk = ?1 AND day = ?2",
	[SQ_RATING_GIVEN] = "SELECT 1 FROM rating WHERE request_id = ?1 AND request_id <> ''",
	[SQ_RATING_FIGURES] = "SELECT commune, field, counter, kind = 0, '', '', count(*), sum(f_reception >= 2),"
		" sum(f_time >= 2), sum(f_attitude >= 2), sum(f_result >= 2), sum(f_overall >= 2) FROM rating"
		" WHERE day >= ?1 GROUP BY commune, kind = 0, field, counter ORDER BY commune, kind = 0, field, counter",
	[SQ_RATING_EACH] = "SELECT commune, field, counter, kind = 0, day, source, 1, f_reception >= 2, f_time >= 2,"
		" f_attitude >= 2, f_result >= 2, f_overall >= 2, f_reception, f_time, f_attitude, f_result, f_overall"
		" FROM rating WHERE day >= ?1 ORDER BY day, id",
	[SQ_TREND] = "SELECT commune, substr(vn_date(closed_at), 1, 7) AS month, count(*), sum(coalesce(on_time, 0))"
		" FROM request WHERE closed_at >= ?1 AND status IN " STATUS_ANSWERED_SQL " GROUP BY commune, month"
		" ORDER BY commune, month",
};

/* vn_date(t): the Vietnam calendar day of Unix time t, YYYY-MM-DD, for the
 * schema's own updates (vntime.h is the one clock). */
static void vn_date_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char day[11];
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	cal_date_format(vntime_date(sqlite3_value_int64(argv[0])), day);
	sqlite3_result_text(ctx, day, -1, SQLITE_TRANSIENT);
}

int srv_sqlite_fail(srv_db *d, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, d && d->sql ? sqlite3_errmsg(d->sql) : "out of memory");
	return -1;
}

sqlite3_stmt *srv_sqlite_stmt(srv_db *d, srv_sqlite_q q)
{
	return sqlx_stmt(d->sql, d->st, statements, (int)q);
}

int srv_sqlite_run(srv_db *d, srv_sqlite_q q)
{
	return sqlx_run_q(d->sql, d->st, statements, (int)q);
}

int srv_sqlite_step_done(sqlite3_stmt *st)
{
	return st ? sqlx_run(st) : SQLITE_ERROR;
}

void srv_sqlite_rollback(srv_db *d)
{
	srv_sqlite_run(d, SQ_ROLLBACK);
}

const char *srv_sqlite_or_empty(const char *s)
{
	return s ? s : "";
}

int srv_sqlite_bind(sqlite3_stmt *st, const srv_sqlite_param *p, size_t np)
{
	size_t k;
	for (k = 0; k < np; k++) {
		int at = sqlite3_bind_parameter_index(st, p[k].name);
		if (at == 0) continue;
		if ((p[k].t ? sqlite3_bind_text(st, at, p[k].t, -1, SQLITE_STATIC)
		            : sqlite3_bind_int64(st, at, p[k].i)) != SQLITE_OK)
			return -1;
	}
	return 0;
}

static void sqlite_close(srv_db *d)
{
	int i;
	if (!d) return;
	sqlx_finalize_all(d->st, SQ_N);
	for (i = 0; i < WORK_NSORTS; i++) sqlx_finalize_all(d->inbox[i], 1 << SRV_SQLITE_INBOX_FILTERS);
	for (i = 0; i < SRV_SQLITE_INBOX_COUNTS; i++) sqlx_finalize_all(d->inbox_counts[i], 1 << SRV_SQLITE_INBOX_FILTERS);
	sqlite3_finalize(d->find_hits[0]);
	sqlite3_finalize(d->find_hits[1]);
	sqlite3_close(d->sql);
	free(d);
}

/* 1 GiB of address space: more than the database of a province's year. */
#define SRV_SQLITE_MMAP "1073741824"

/* SQLite's memory statistics take one process-wide mutex on every
 * allocation, which the server's threads then contend for (about thirty
 * a lookup); nothing here reads them. Set once, before the first open;
 * refused, harmlessly, when SQLite is already in use. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The SQLite backend: DATA/server.db in the folder dir. */
static int sqlite_open(srv_db **out, const char *dir, int create, char *err, size_t errlen)
{
	char path[600];
	srv_db *d = calloc(1, sizeof *d);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0), len;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	*out = NULL;
	if (!d) return srv_sqlite_fail(NULL, err, errlen, "opening the database");
	pthread_once(&once, sqlite_setup);
	len = snprintf(path, sizeof path, "%s/server.db", dir);
	if (len < 0 || (size_t)len >= sizeof path) {
		snprintf(err, errlen, "the data folder's name is too long (%zu bytes at most)", sizeof path - 11);
		goto fail;
	}
	if (sqlite3_open_v2(path, &d->sql, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s%s", path, d->sql ? sqlite3_errmsg(d->sql) : "out of memory",
			create ? "" : " (run `motcua-server init` first)");
		goto fail;
	}
	sqlite3_busy_timeout(d->sql, 5000);
	/* Foreign keys are turned on once the schema is migrated: a step that
	 * builds a table again (5) drops the old one, which the checks refuse. */
	/* Reads through a memory map (SRV_SQLITE_MMAP bytes of the file): a
	 * lookup's pages are then the kernel's page cache, read in place, not
	 * copied by one pread(2) each into every connection's own cache (at
	 * 1,000,000 stored a tenth of the phone page's time went to those
	 * copies). Writes still go through the WAL as before. */
	if (sqlite3_exec(d->sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
			" PRAGMA mmap_size=" SRV_SQLITE_MMAP,
			NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(d->sql, "vn_date", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, vn_date_sql,
			NULL, NULL) != SQLITE_OK) {
		srv_sqlite_fail(d, err, errlen, path);
		goto fail;
	}
	if (migrate_schema(d->sql, migrations, NMIGRATIONS, "motcua-server", err, errlen) < 0) goto fail;
	if (sqlite3_exec(d->sql, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK) {
		srv_sqlite_fail(d, err, errlen, path);
		goto fail;
	}
	*out = d;
	return 0;
fail:
	sqlite_close(d);
	return -1;
}

int srv_db_open(srv_db **out, const char *where, int create, char *err, size_t errlen)
{
	/* The one choice of backend: a postgresql:// URL or a data folder. */
	if (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0) {
		*out = NULL;
#ifdef WITH_PG
		srv_db *d = calloc(1, sizeof *d);
		if (!d) return srv_sqlite_fail(NULL, err, errlen, "opening the database");
		if (srv_pg_open(d, where, err, errlen) != 0) {
			srv_pg_close(d);
			free(d);
			return -1;
		}
		*out = d;
		return 0;
#else
		(void)create;
		snprintf(err, errlen, "this motcua-server was built without PostgreSQL (libpq); give a data folder,"
			" or build it where pkg-config finds libpq");
		return -1;
#endif
	}
	return sqlite_open(out, where, create, err, errlen);
}

int srv_db_open_read(srv_db **out, const char *url, char *err, size_t errlen)
{
	*out = NULL;
	if (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0) {
		snprintf(err, errlen, "reads go to a PostgreSQL URL (postgresql://...)");
		return -1;
	}
#ifdef WITH_PG
	srv_db *d = calloc(1, sizeof *d);
	if (!d) return srv_sqlite_fail(NULL, err, errlen, "opening the database");
	if (srv_pg_open_read(d, url, err, errlen) != 0) {
		srv_pg_close(d);
		free(d);
		return -1;
	}
	*out = d;
	return 0;
#else
	snprintf(err, errlen, "this motcua-server was built without PostgreSQL (libpq)");
	return -1;
#endif
}

int srv_db_copy(const char *dir, const char *url, int (*told)(const char *table, long long rows, void *arg),
	void *arg, char *err, size_t errlen)
{
#ifdef WITH_PG
	srv_db *from = NULL, *to = NULL;
	int rc = -1;
	if (strncmp(dir, "postgres", 8) == 0 || (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0)) {
		snprintf(err, errlen, "store copy goes from a data folder (--data) to a PostgreSQL URL (--db)");
		return -1;
	}
	if (sqlite_open(&from, dir, 0, err, errlen) == 0 && srv_db_open(&to, url, 0, err, errlen) == 0)
		rc = srv_pg_copy_from(from, to, told, arg, err, errlen);
	srv_db_close(to);
	srv_db_close(from);
	return rc;
#else
	(void)dir; (void)url; (void)told; (void)arg;
	snprintf(err, errlen, "this motcua-server was built without PostgreSQL (libpq)");
	return -1;
#endif
}

void srv_db_close(srv_db *d)
{
#ifdef WITH_PG
	if (d && d->pg) {
		srv_pg_close(d);
		free(d);
		return;
	}
#endif
	sqlite_close(d);
}

srv_be_figures *srv_be_figures_of(srv_db *d)
{
	SRV_PG_ROUTE(d, srv_pg_figures_of(d));
	return &d->figures;
}

long long srv_be_data_version(srv_db *d)
{
	SRV_PG_ROUTE(d, srv_pg_data_version(d));
	sqlite3_stmt *st = srv_sqlite_stmt(d, SQ_DATA_VERSION);
	long long v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
	if (st) sqlite3_reset(st);
	return v;
}
