/* ui_pin: the staff PIN pad's state (see ui.h): a right PIN opens the
 * staff menu; UI_PIN_TRIES wrong ones lock the pad, each lock twice as
 * long as the one before until a right PIN. The lock is kept in the store,
 * so a restart does not reset it, and is read from the wall clock. */
#include "ui.h"
#include "log.h"
#include <sodium.h>
#include <time.h>

long long ui_pin_lock_length(const ui *u, int lock)
{
	return dbpin_lock_length(u->cfg->pin_lock_seconds, lock);
}

/* Seconds the pad stays locked, from the wall clock (the lock outlives the
 * process, so SDL's ticks will not do). A clock set back would stretch a
 * lock written before: it never lasts longer than its own length from now. */
int ui_pin_locked_for(ui *u)
{
	long long now = (long long)time(NULL), most = ui_pin_lock_length(u, u->pin_lock.locks);
	if (u->pin_lock.locked_until <= now) return 0;
	if (u->pin_lock.locked_until > now + most) {
		u->pin_lock.locked_until = now + most;
		if (u->store) dbpin_lock_write(u->store, &u->pin_lock);
	}
	return (int)(u->pin_lock.locked_until - now);
}

void ui_pin_ok(ui *u)
{
	if (ui_pin_locked_for(u)) {
		/* the pad is disabled; a physical keyboard's Return lands here */
	} else if (!u->cfg->staff_pin[0]) {
		u->pin_msg = T_PIN_NONE;
	} else if (config_check_pin(u->cfg, u->pin)) {
		u->pin_msg = -1;
		u->pin_lock.failures = 0;
		u->pin_lock.locked_until = 0;
		u->pin_lock.locks = 0;
		if (u->store) dbpin_lock_write(u->store, &u->pin_lock);
		u->staff_start_failed = 0;
		ui_go(u, SCREEN_STAFF);
	} else {
		u->pin_msg = T_PIN_WRONG_LEFT;
		if (++u->pin_lock.failures >= UI_PIN_TRIES) {
			/* Each lock lasts twice the one before, until a right PIN. */
			long long len;
			if (u->pin_lock.locks < 64) u->pin_lock.locks++;
			len = ui_pin_lock_length(u, u->pin_lock.locks);
			u->pin_lock.failures = 0;
			u->pin_lock.locked_until = (long long)time(NULL) + len;
			u->pin_msg = -1;
			log_warn("%d wrong staff PINs: the pad is locked for %lld s (lock %d)", UI_PIN_TRIES, len, u->pin_lock.locks);
		}
		if (u->store && dbpin_lock_write(u->store, &u->pin_lock) != 0)
			log_error("the staff PIN lock could not be saved");
	}
	sodium_memzero(u->pin, sizeof u->pin);
	u->dirty = 1;
}

void ui_pin_open(ui *u)
{
	dbpin_lock stored;
	u->pin[0] = '\0';
	u->pin_msg = -1;
	/* The store's lock wins over memory: it is what survives a restart. */
	if (u->store && dbpin_lock_read(u->store, &stored) == 0) u->pin_lock = stored;
	ui_go(u, SCREEN_PIN);
}
