/* kclock: the time a receipt is dated, kept honest when the wall clock
 * jumps back.
 *
 * A kiosk's receipt date is a legal date: the deadline counts from it. A
 * wall clock set back (by hand, by a bad time source, by a board with no
 * battery) would date receipts before ones already given. The kiosk keeps
 * a pair (wall time, monotonic time) while the wall clock runs true; when
 * the wall clock falls behind what the monotonic clock says has passed
 * since, by more than KCLOCK_TOLERANCE, the running estimate is used
 * instead and `behind` says by how much. No time is ever earlier than the
 * floor: the latest receipt already stored. A wall clock that jumps
 * forward is believed (the usual case is a clock being set right). Pure:
 * the caller passes the clocks in, so tests can move them. */
#ifndef MOTCUA_KCLOCK_H
#define MOTCUA_KCLOCK_H

#define KCLOCK_TOLERANCE 120     /* seconds: the size of an ordinary clock correction */

typedef struct {
	long long wall, mono;    /* the last pair read while the wall clock ran true; mono 0: none yet */
	long long behind;        /* seconds the wall clock is behind; 0 when it is right */
} kclock;

/* The time to date a receipt at, from the wall clock, the monotonic clock
 * (both seconds) and the floor; sets k->behind. */
long long kclock_now(kclock *k, long long wall, long long mono, long long floor);

#endif
