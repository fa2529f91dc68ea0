/* helpcall: calls for staff from the kiosk, for a citizen who cannot read
 * or write. The kiosk's "call staff" button records a call; the office's
 * counter page (motcua-office) lists the open ones and a counter marks one
 * answered. A call holds only its time and, once answered, the counter and
 * the time: no identity and nothing typed. Repeated taps are one call: while
 * a call younger than HELPCALL_REPEAT_S is open, a new tap records nothing
 * (HELPCALL_OPEN), so a worried citizen tapping ten times does not flood the
 * counter page. Each operation is one transaction, so the kiosk and the
 * office service, two processes on one file, see one state. Errors: int
 * result, caller-owned message. */
#ifndef MOTCUA_HELPCALL_H
#define MOTCUA_HELPCALL_H

#include <stddef.h>
#include "db.h"

#define HELPCALL_REPEAT_S 120    /* a new call only when no call this recent is open */

enum { HELPCALL_STORED = 0, HELPCALL_OPEN = 1 };

typedef struct {
	long long id;
	long long at;               /* when the kiosk called (Unix seconds) */
} helpcall;

/* Records a call at now, or leaves the one open already (HELPCALL_OPEN);
 * -1 on a store error. */
int helpcall_request(db *d, long long now, char *err, size_t errlen);

/* The open calls, oldest first, at most max of them: their count, or -1. */
int helpcall_open(db *d, helpcall *out, int max, char *err, size_t errlen);

/* Marks call id answered by counter at now: 1, 0 when it is not open (no
 * such call, or answered already), -1 on a store error. */
int helpcall_answer(db *d, long long id, int counter, long long now, char *err, size_t errlen);

#endif
