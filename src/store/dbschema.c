/* dbschema: the kiosk store's schema, as the list of migrations that make
 * it (see dbschema.h). Each entry runs once, in order; the database's
 * user_version says how many have run. Never edit one that has shipped:
 * add the next. */
#include "dbschema.h"
#include "db.h"

const char *const dbschema_migrations[] = {
	/* 1: requests, their events, and small key/value state. */
	"CREATE TABLE request("
	" seq INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" token TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL DEFAULT '',"
	" received_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'received',"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL);"
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY,"
	" request_id TEXT NOT NULL REFERENCES request(id),"
	" at INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX event_request ON event(request_id, at);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* 2: events pulled from the server, keyed by the server's event id. */
	"ALTER TABLE event ADD COLUMN server_id INTEGER;"
	"CREATE UNIQUE INDEX event_server_id ON event(server_id) WHERE server_id IS NOT NULL;",
	/* 3: the deadline an office event sets (acceptance, extension, a new
	 * appointment after a delay), and the dialogue conferences announced
	 * for the commune, replaced by each reply. */
	"ALTER TABLE event ADD COLUMN deadline TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE conference("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" place TEXT NOT NULL,"
	" leaders TEXT NOT NULL,"
	" topic TEXT NOT NULL);",
	/* 4: the office's queue numbers and their calls (queue.h): numbers
	 * per work field per day, no identity. */
	"CREATE TABLE ticket("
	" id INTEGER PRIMARY KEY,"
	" day TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" number INTEGER NOT NULL,"
	" priority INTEGER NOT NULL DEFAULT 0,"
	" taken_at INTEGER NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" counter INTEGER NOT NULL DEFAULT 0,"
	" called_at INTEGER NOT NULL DEFAULT 0,"
	" first_called_at INTEGER NOT NULL DEFAULT 0,"
	" calls INTEGER NOT NULL DEFAULT 0,"
	" done_at INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(day, field, number));"
	"CREATE INDEX ticket_day_state ON ticket(day, state);"
	"CREATE TABLE ticket_call("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" ticket_id INTEGER NOT NULL REFERENCES ticket(id),"
	" counter INTEGER NOT NULL,"
	" recall INTEGER NOT NULL DEFAULT 0);",
	/* 5: receipt codes at rest only as keyed hashes (code_hash, to match
	 * what a citizen types) and sealed to the server (code_sealed, to carry
	 * upstream). The functions are the store's own (db.c), on the server
	 * key the store was opened with; the table is rebuilt because a UNIQUE
	 * column cannot be dropped. The meta key asks db_open to vacuum the
	 * file, so no clear code is left on a free page or in the WAL; it stays
	 * until that is done, so a vacuum cut short is tried again. */
	"CREATE TABLE request_v5("
	" seq INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" code_hash BLOB NOT NULL,"
	" code_sealed BLOB NOT NULL,"
	" category TEXT NOT NULL,"
	" procedure TEXT NOT NULL DEFAULT '',"
	" received_at INTEGER NOT NULL,"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'received',"
	" updated_at INTEGER NOT NULL,"
	" sealed BLOB NOT NULL);"
	"INSERT INTO request_v5(seq, id, code_hash, code_sealed, category, procedure, received_at, deadline,"
	" status, updated_at, sealed)"
	" SELECT seq, id, motcua_code_hash(id, token), motcua_code_seal(token), category, procedure, received_at,"
	" deadline, status, updated_at, sealed FROM request;"
	"DROP TABLE request;"
	"ALTER TABLE request_v5 RENAME TO request;"
	"INSERT OR REPLACE INTO meta(key, value) VALUES('codes.scrub', 'pending');",
	/* 6: what the office's counter did with a request (dbcounter.h): the
	 * acceptance with the provincial dossier number, the supplement list,
	 * the signed letter received; numbered for the push, acknowledged by
	 * the server by number. One acceptance and one letter a request, one
	 * request a dossier number: the indexes make two counters racing end
	 * with one row. */
	"CREATE TABLE counter_step("
	" id INTEGER PRIMARY KEY,"
	" request_id TEXT NOT NULL REFERENCES request(id),"
	" kind TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" dossier TEXT NOT NULL DEFAULT '',"
	" verify INTEGER NOT NULL DEFAULT 0,"
	" text TEXT NOT NULL DEFAULT '');"
	"CREATE UNIQUE INDEX counter_accepted ON counter_step(request_id) WHERE kind = 'accepted';"
	"CREATE UNIQUE INDEX counter_letter ON counter_step(request_id) WHERE kind = 'letter';"
	"CREATE UNIQUE INDEX counter_supplement ON counter_step(request_id) WHERE kind = 'supplement';"
	"CREATE UNIQUE INDEX counter_dossier ON counter_step(dossier) WHERE dossier != '';",
	/* 7: satisfaction ratings (rating.h): kind 0 neither, 1 a ticket, 2 a
	 * request; one per ticket and per request, by the partial unique
	 * indexes; pushed_at 0 until the server has it. No identity. */
	"CREATE TABLE rating("
	" id INTEGER PRIMARY KEY,"
	" kind INTEGER NOT NULL,"
	" ticket_id INTEGER REFERENCES ticket(id),"
	" request_id TEXT REFERENCES request(id),"
	" day TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" field TEXT NOT NULL DEFAULT '',"
	" counter INTEGER NOT NULL DEFAULT 0,"
	" reception INTEGER NOT NULL,"
	" time INTEGER NOT NULL,"
	" attitude INTEGER NOT NULL,"
	" result INTEGER NOT NULL,"
	" overall INTEGER NOT NULL,"
	" comment TEXT NOT NULL DEFAULT '',"
	" pushed_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX rating_ticket ON rating(ticket_id) WHERE ticket_id IS NOT NULL;"
	"CREATE UNIQUE INDEX rating_request ON rating(request_id) WHERE request_id IS NOT NULL;"
	"CREATE INDEX rating_kind_at ON rating(kind, at);",
	/* 8: calls for staff from the kiosk (helpcall.h): when, and when and by
	 * which counter answered (0 while open). No identity. */
	"CREATE TABLE help_call("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" answered_at INTEGER NOT NULL DEFAULT 0,"
	" counter INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX help_call_open ON help_call(answered_at, at);",
	/* 9: a server event that takes the date away (proto_event.undated: a
	 * dialogue question whose conference was cancelled, none other
	 * announced); the request has no date in force until another sets one. */
	"ALTER TABLE event ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;",
};
const int DBSCHEMA_N = (int)(sizeof dbschema_migrations / sizeof dbschema_migrations[0]);

/* The self-check and the store's callers compare against the version;
 * a migration added without it was seen to make every store "newer than
 * this program". */
_Static_assert(sizeof dbschema_migrations / sizeof dbschema_migrations[0] == DB_SCHEMA_VERSION,
	"DB_SCHEMA_VERSION must be the count of dbschema_migrations");
