/* dbpin: the PIN pad's lock in the meta table (see dbpin.h). */
#include "dbpin.h"
#include "dbmeta.h"
#include <sqlite3.h>
#include <string.h>

/* Its keys in the meta table (db.c keeps the others). */
#define META_PIN_FAILURES "pin.failures"
#define META_PIN_LOCKED_UNTIL "pin.locked_until"
#define META_PIN_LOCKS "pin.locks"

int dbpin_lock_read(db *d, dbpin_lock *out)
{
	long long failures = 0, locks = 0;
	sqlite3 *sql = d ? db_connection(d) : NULL;
	memset(out, 0, sizeof *out);
	if (!sql || dbmeta_get_int(sql, META_PIN_FAILURES, 0, &failures) != 0 ||
	    dbmeta_get_int(sql, META_PIN_LOCKED_UNTIL, 0, &out->locked_until) != 0 ||
	    dbmeta_get_int(sql, META_PIN_LOCKS, 0, &locks) != 0)
		return -1;
	out->failures = (int)failures;
	out->locks = locks < 0 ? 0 : locks > 64 ? 64 : (int)locks;
	return 0;
}

long long dbpin_lock_length(int base_seconds, int lock)
{
	long long len = base_seconds;
	int i;
	for (i = 1; i < lock && len < DBPIN_LOCK_MAX_S; i++) len *= 2;
	return len > DBPIN_LOCK_MAX_S ? DBPIN_LOCK_MAX_S : len;
}

int dbpin_lock_write(db *d, const dbpin_lock *l)
{
	sqlite3 *sql = d ? db_connection(d) : NULL;
	if (!sql || sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return -1;
	if (dbmeta_set_int(sql, META_PIN_FAILURES, l->failures) != 0 ||
	    dbmeta_set_int(sql, META_PIN_LOCKED_UNTIL, l->locked_until) != 0 ||
	    dbmeta_set_int(sql, META_PIN_LOCKS, l->locks) != 0 ||
	    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}
