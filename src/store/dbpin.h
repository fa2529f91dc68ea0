/* dbpin: the staff PIN pad's lock, kept in the kiosk's store.
 *
 * Wrong PINs in a row and the wall-clock time the pad stays locked until,
 * kept durably in the store so that a restart does not clear them. */
#ifndef MOTCUA_DBPIN_H
#define MOTCUA_DBPIN_H

#include "db.h"

typedef struct {
	int failures;
	long long locked_until;  /* Unix seconds; 0: not locked */
	int locks;               /* locks since the last right PIN: each lasts twice the one before */
} dbpin_lock;

/* Reads the lock; a database that cannot be read reads as unlocked, with
 * -1 returned. */
int dbpin_lock_read(db *d, dbpin_lock *out);
/* Writes it (committed durably before returning). 0 or -1. */
int dbpin_lock_write(db *d, const dbpin_lock *l);

/* The lock's rule, for every pad that checks the staff PIN (the kiosk's
 * and the office service's counter sign-in): DBPIN_TRIES wrong in a row
 * lock it; lock number `lock` (1, 2, ...) lasts base_seconds doubled for
 * each lock before it, up to DBPIN_LOCK_MAX_S. */
#define DBPIN_TRIES 5
#define DBPIN_LOCK_MAX_S (4 * 3600)
long long dbpin_lock_length(int base_seconds, int lock);

#endif
