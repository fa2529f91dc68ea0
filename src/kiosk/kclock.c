/* kclock: the receipt's time from the wall clock, the monotonic clock and
 * the last receipt (see kclock.h). */
#include "kclock.h"

long long kclock_now(kclock *k, long long wall, long long mono, long long floor)
{
	long long expected = k->mono ? k->wall + (mono - k->mono) : wall, t;
	if (wall >= expected - KCLOCK_TOLERANCE) {
		/* True, or set forward: the new pair stands. */
		k->wall = wall;
		k->mono = mono;
		t = wall;
	} else {
		t = expected;
	}
	if (t < floor) t = floor;
	k->behind = t - wall > KCLOCK_TOLERANCE ? t - wall : 0;
	return t;
}
