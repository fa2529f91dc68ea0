/* ui_aid: what the bar's aids do (see ui.h). The speaker hands the
 * screen's prompt to the voice, which speaks on its own thread; the call
 * records a call for staff in the store (helpcall.h), which the office's
 * counter page shows. Taps on the call closer than UI_HELP_TAP_MS are one
 * tap and touch nothing; the store keeps one open call in HELPCALL_REPEAT_S
 * whatever taps arrive. Nothing here is logged but a store error. */
#include "ui.h"
#include "screen.h"
#include "helpcall.h"
#include "log.h"
#include <string.h>
#include <time.h>

static void call(ui *u)
{
	char err[256];
	int rc;
	if (!u->store) return;
	if (u->help_at && u->now - u->help_at < UI_HELP_TAP_MS) return;
	rc = helpcall_request(u->store, (long long)time(NULL), err, sizeof err);
	if (rc < 0) log_error("%s", err);
	u->help_msg = rc < 0 ? T_AID_CALL_FAILED : rc == HELPCALL_OPEN ? T_AID_CALLED_ALREADY : T_AID_CALLED;
	u->help_at = u->now ? u->now : 1;
	/* Said aloud as well: the citizen who needs this may not read. */
	voice_say(u->voice, u->language, (i18n_id)u->help_msg);
}

void ui_aid_tap(ui *u, const char *id)
{
	if (strcmp(id, "speak") == 0) voice_say(u->voice, u->language, screen_prompt(u->screen));
	else if (strcmp(id, "call") == 0) call(u);
}

int ui_aid_tick(ui *u)
{
	if (!u->help_at) return -1;
	if (u->now - u->help_at >= UI_HELP_SHOWN_MS) {
		u->help_at = 0;
		u->dirty = 1;
		return -1;
	}
	return (int)(UI_HELP_SHOWN_MS - (u->now - u->help_at));
}
