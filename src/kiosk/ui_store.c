/* ui_store: the ui's store when it fails, and the receipts' clock (see
 * ui.h): a store that could not open or failed a write is closed and opened
 * again by the ui itself, and a receipt is dated by kclock.h, no earlier
 * than the latest stored. */
#include "ui.h"
#include "log.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static long long monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

long long ui_receipt_time(ui *u)
{
	return kclock_now(&u->clock, (long long)time(NULL), monotonic_seconds(), u->clock_floor);
}

/* What the ui keeps from a store just opened: the last receipt's time
 * and the PIN pad's lock. */
void ui_store_opened(ui *u)
{
	long long last = 0;
	char err[300];
	dbpin_lock stored;
	if (db_last_received(u->store, &last, err, sizeof err) == 0 && last > u->clock_floor) u->clock_floor = last;
	if (dbpin_lock_read(u->store, &stored) == 0) u->pin_lock = stored;
}

/* Opens the store again if it is closed and the ui may: 0 when it is open. */
int ui_store_retry(ui *u)
{
	char err[300];
	if (u->store) return 0;
	if (!u->store_ops.open) return -1;
	u->store_tried = u->now;
	if (u->store_ops.open(u->store_ops.ctx, &u->store, err, sizeof err) != 0) {
		u->store = NULL;
		if (strcmp(err, u->store_error) != 0) log_error("cannot accept requests: %s", err);
		snprintf(u->store_error, sizeof u->store_error, "%s", err);
		return -1;
	}
	log_info("the database is open%s: accepting requests", u->store_error[0] ? " again" : "");
	u->store_error[0] = '\0';
	ui_store_opened(u);
	u->dirty = 1;
	return 0;
}

/* A store that failed a write, or whose file changed under it, is closed
 * and opened afresh (at the next tick): what is at the path now is what
 * takes the next request. A borrowed store is left alone. */
void ui_store_lost(ui *u)
{
	if (!u->store_ops.open || !u->store) return;
	db_close(u->store);
	u->store = NULL;
	u->store_tried = u->now - UI_STORE_RETRY_MS;
	snprintf(u->store_error, sizeof u->store_error, "%s", "closed after a failure");
}

/* The staff menu and the self-check learn from the store that receipts
 * are being dated by the kiosk's running clock, not the wall clock. */
void ui_clock_told(ui *u)
{
	char err[300];
	if (u->clock.behind == u->clock_behind_saved) return;
	if (u->clock.behind)
		log_warn("the kiosk's clock is %lld s behind the time it kept running: request %s is dated %lld, "
			"not the clock's %lld; set the clock (staff menu, --check)", u->clock.behind, u->receipt.id,
			u->receipt.received_at, u->receipt.received_at - u->clock.behind);
	else log_info("the kiosk's clock is right again");
	if (db_clock_behind(u->store, u->clock.behind, u->receipt.received_at, err, sizeof err) == 0)
		u->clock_behind_saved = u->clock.behind;
	else log_error("%s", err);
}
