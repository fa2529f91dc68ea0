/* dbmeta: the meta table of the kiosk's store, one row a key (sync state,
 * the PIN pad's lock, the clock), and queries that yield a single number;
 * for db.c, on its connection. */
#ifndef MOTCUA_DBMETA_H
#define MOTCUA_DBMETA_H

#include <sqlite3.h>
#include <stddef.h>

/* 1 found (value copied), 0 absent, -1 error. */
int dbmeta_get(sqlite3 *sql, const char *key, char *out, size_t outlen);
/* A number, def when absent; 0, or -1 on a database error. */
int dbmeta_get_int(sqlite3 *sql, const char *key, long long def, long long *out);
/* 0 or -1. */
int dbmeta_set(sqlite3 *sql, const char *key, const char *value);
int dbmeta_set_int(sqlite3 *sql, const char *key, long long value);
/* One statement yielding a single number, with one optional integer
 * parameter. 0, or -1 on error. */
int dbmeta_query_int(sqlite3 *sql, const char *query, long long arg, long long *out);

/* The connection of an open store, for the store's own modules (queue.c)
 * that keep their tables in the same file; defined in db.c. */
struct db;
sqlite3 *db_connection(struct db *d);

#endif
