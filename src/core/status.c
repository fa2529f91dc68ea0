/* status: the statuses' table and the rules read from it (see status.h). */
#include "status.h"
#include <string.h>

static const struct { const char *name; int final, answered; } statuses[STATUS_COUNT] = {
	[STATUS_RECEIVED] = { "received", 0, 0 },
	[STATUS_SYNCED] = { "synced", 0, 0 },
	[STATUS_ACCEPTED] = { "accepted", 0, 0 },
	[STATUS_IN_PROGRESS] = { "in_progress", 0, 0 },
	[STATUS_SUPPLEMENT] = { "supplement", 0, 0 },
	[STATUS_RESOLVED] = { "resolved", 1, 1 },
	[STATUS_REJECTED] = { "rejected", 1, 1 },
	[STATUS_WITHDRAWN] = { "withdrawn", 1, 0 },
};

const char *const status_names[STATUS_COUNT + 1] = {
	"received", "synced", "accepted", "in_progress", "supplement", "resolved", "rejected", "withdrawn", NULL
};

int status_parse(const char *name)
{
	int i;
	if (!name) return -1;
	for (i = 0; i < STATUS_COUNT; i++)
		if (strcmp(statuses[i].name, name) == 0) return i;
	return -1;
}

const char *status_name(status_id s)
{
	return (unsigned)s < STATUS_COUNT ? statuses[s].name : "";
}

int status_is_final(const char *name)
{
	int s = status_parse(name);
	return s >= 0 && statuses[s].final;
}

int status_is_answered(const char *name)
{
	int s = status_parse(name);
	return s >= 0 && statuses[s].answered;
}

int status_is_overdue(const char *name, int closed, const char *due, const char *appointment,
	const char *today)
{
	const char *in_force;
	if (closed || status_is_final(name) || !due || !due[0]) return 0;
	in_force = appointment && strcmp(appointment, due) > 0 ? appointment : due;
	return strcmp(in_force, today) < 0;
}
