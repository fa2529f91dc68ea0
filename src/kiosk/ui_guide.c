/* ui_guide: procedure guidance at the kiosk (see ui.h): for anyone who
 * only wants to know (home's "guide") and before a procedure's form, the
 * papers to bring, the fee, the time and where it is handled, with a QR
 * code to the procedure's page on the national public-service portal; the
 * same as a checklist slip on the receipt printer. Nothing personal is in
 * it, so the slip needs no wiping. */
#include "ui.h"
#include "screen.h"
#include "log.h"
#include <stdio.h>
#include <string.h>

void ui_guide_start(ui *u)
{
	u->guide = NULL;
	u->guide_filing = 0;
	u->guide_page = 0;
	u->print_queued = 0;
	u->screen = SCREEN_GUIDE_LIST;
	u->dirty = 1;
}

void ui_guide_open(ui *u, const char *procedure_id, int filing)
{
	const catalog_procedure *p = catalog_procedure_by_id(u->cat, procedure_id);
	if (!p) return;
	u->guide = p;
	u->guide_filing = filing;
	u->guide_part_page = 0;
	u->print_queued = 0;
	u->screen = SCREEN_GUIDE;
	u->dirty = 1;
}

void ui_guide_page(ui *u, int delta)
{
	int pages = screen_procedure_pages(u, 0, NULL);
	int page = u->guide_page + delta;
	if (page >= 0 && page < pages) u->guide_page = page;
	u->dirty = 1;
}

/* screen_guide keeps the page within the guide's pages. */
void ui_guide_part_page(ui *u, const char *which)
{
	if (strcmp(which, "more") == 0) u->guide_part_page++;
	else if (strcmp(which, "prev") == 0 && u->guide_part_page > 0) u->guide_part_page--;
	u->dirty = 1;
}

void ui_guide_print(ui *u)
{
	printout_guide g;
	const char *papers[CATALOG_MAX_PAPERS];
	char url[256], err[200], time_text[96];
	int i;
	if (!u->printer || !u->guide) return;
	for (i = 0; i < u->guide->npapers; i++) papers[i] = u->guide->papers[i][u->language];
	catalog_portal_url(u->guide, url, sizeof url);
	snprintf(time_text, sizeof time_text, "%s", u->guide->working_days < 0
		? screen_tf(u, T_CALENDAR_DAYS, u->guide->calendar_days)
		: u->guide->working_days == 0 ? T(u, T_SAME_DAY) : screen_tf(u, T_WORKING_DAYS, u->guide->working_days));
	memset(&g, 0, sizeof g);
	g.language = u->language;
	g.name = u->guide->name[u->language];
	g.time = time_text;
	g.fee = u->guide->fee[u->language];
	g.where = u->guide->where[u->language];
	g.papers = papers;
	g.npapers = u->guide->npapers;
	g.portal_code = u->guide->portal_code;
	g.url = url;
	u->print_queued = printout_print_guide(u->printer, &g, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the checklist: %s", err);
	u->dirty = 1;
}
