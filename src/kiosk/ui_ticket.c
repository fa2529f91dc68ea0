/* ui_ticket: a queue number from the kiosk (see ui.h): home's "take a
 * number" leads to the fields of work the catalog lists, then to the
 * priority choice, which takes the ticket in the store (queue.h) and
 * shows it; the paper ticket is sent to the printer's worker. The number
 * is shown from the committed row, so a printer out of paper changes
 * nothing but the printing line: the number is taken and on the screen. */
#include "ui.h"
#include "screen.h"
#include "log.h"
#include "vntime.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEFAULT_SERVICE_S 300

void ui_ticket_start(ui *u)
{
	u->ticket_field = NULL;
	u->ticket_page = 0;
	u->ticket_ok = 0;
	memset(&u->ticket, 0, sizeof u->ticket);
	/* One field of work: nothing to choose. */
	if (u->cat->nqueue_fields == 1) {
		u->ticket_field = &u->cat->queue_fields[0];
		u->screen = SCREEN_TICKET_KIND;
	} else u->screen = SCREEN_TICKET;
	u->dirty = 1;
}

/* The fields' pages (ticket.field.page_next, page_prev): screen_ticket
 * keeps the page within them. */
void ui_ticket_field(ui *u, const char *field_id)
{
	const catalog_queue_field *f = catalog_queue_field_by_id(u->cat, field_id);
	if (strcmp(field_id, "page_next") == 0 || strcmp(field_id, "page_prev") == 0) {
		if (field_id[5] == 'n') u->ticket_page++;
		else if (u->ticket_page > 0) u->ticket_page--;
		u->dirty = 1;
		return;
	}
	if (!f) return;
	u->ticket_field = f;
	u->screen = SCREEN_TICKET_KIND;
	u->dirty = 1;
}

int ui_ticket_wait_minutes(db *store, const catalog_queue_field *f, int ahead)
{
	long long service = queue_service_median(store, f->id, DEFAULT_SERVICE_S), total;
	int counters = f->ncounters > 0 ? f->ncounters : 1;
	if (ahead <= 0) return 0;
	total = service * ahead / counters;
	return (int)((total + 59) / 60);
}

static void print_ticket(ui *u, const char *label)
{
	printout_ticket t;
	char err[200];
	u->print_queued = 0;
	if (!u->printer) return;
	memset(&t, 0, sizeof t);
	t.language = u->language;
	t.label = label;
	t.field = u->ticket_field->name[u->language];
	t.priority = u->ticket.priority;
	t.taken_at = u->ticket.taken_at;
	t.ahead = u->ticket_ahead;
	t.wait_minutes = u->ticket_wait_min;
	u->print_queued = printout_print_ticket(u->printer, &t, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the queue ticket: %s", err);
}

void ui_ticket_take(ui *u, int priority)
{
	char day[11], err[300], label[16];
	long long now = (long long)time(NULL);
	u->screen = SCREEN_TICKET_DONE;
	u->dirty = 1;
	u->print_queued = 0;
	if (!u->ticket_field) { u->screen = SCREEN_TICKET; return; }
	cal_date_format(vntime_date(now), day);
	if (!u->store || queue_take(u->store, day, u->ticket_field->id, priority, now, &u->ticket, &u->ticket_ahead,
			err, sizeof err) != 0) {
		if (u->store) log_error("cannot take a queue number: %s", err);
		u->ticket_ok = -1;
		return;
	}
	u->ticket_ok = 1;
	u->ticket_wait_min = ui_ticket_wait_minutes(u->store, u->ticket_field, u->ticket_ahead);
	queue_label(u->ticket_field->prefix, u->ticket.number, label, sizeof label);
	log_info("queue number %s taken (%s%s)", label, u->ticket_field->id, priority ? ", priority" : "");
	print_ticket(u, label);
}
