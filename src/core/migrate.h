/* migrate: brings an SQLite database's schema up to date, for the kiosk's
 * store and the server's alike.
 *
 * A schema is a list of SQL scripts; PRAGMA user_version says how many have
 * run. Each step runs in its own IMMEDIATE transaction with the version bump,
 * so a power cut leaves the database at one version or the next, never in
 * between, and two processes opening the same file at once (the kiosk and
 * motcua-sync) cannot run a step twice. */
#ifndef MOTCUA_MIGRATE_H
#define MOTCUA_MIGRATE_H

#include <sqlite3.h>
#include <stddef.h>

/* Runs the steps not yet run. program names who knows the schema, for the
 * message about a database from a newer version. 0, or -1 with err. */
int migrate_schema(sqlite3 *sql, const char *const *steps, int nsteps, const char *program,
	char *err, size_t errlen);

#endif
