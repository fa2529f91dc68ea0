/* sqlx: the few SQLite helpers both stores share (the kiosk's request.db
 * and the server's SQLite backend), so there is one way to read a column
 * and one way to keep a table of statements.
 *
 * A store lists its statements as an enum and an array of SQL texts; each
 * is prepared once per connection, on first use (SQLITE_PREPARE_PERSISTENT),
 * and reset after each use: a statement left unreset would hold its read
 * snapshot open and starve WAL checkpoints. A text column copied into a
 * fixed field that is too small for it is an error the caller sees, never a
 * silently shortened value. */
#ifndef MOTCUA_SQLX_H
#define MOTCUA_SQLX_H

#include <sqlite3.h>
#include <stddef.h>

/* Copies text column col into out (outlen bytes, NUL included); NULL reads
 * as "". 0, or -1 when it did not fit (out then holds "", not a part). */
int sqlx_copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen);

/* Statement texts[q] of a table, cache[q] its prepared statement on this
 * connection: prepared on first use, else reset with its bindings cleared.
 * NULL on error (sqlite3_errmsg says why). */
sqlite3_stmt *sqlx_stmt(sqlite3 *sql, sqlite3_stmt **cache, const char *const *texts, int q);

/* Steps a statement that returns no rows and resets it: SQLITE_DONE or the
 * error code. */
int sqlx_run(sqlite3_stmt *st);

/* Runs one statement of the table with no parameters (BEGIN, COMMIT, ...). */
int sqlx_run_q(sqlite3 *sql, sqlite3_stmt **cache, const char *const *texts, int q);

/* Finalizes the n statements of a cache. */
void sqlx_finalize_all(sqlite3_stmt **cache, int n);

#endif
