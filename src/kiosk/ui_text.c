/* ui_text: the screen's size and the size of its text (see ui.h): the
 * design's scale for layout, the panel's pixels per millimetre for the
 * fonts (from [kiosk] panel_mm, or the 7-inch panel the design was drawn
 * on), the visit's "larger text", and how long a screen waits for a
 * person before it warns and goes home. */
#include "ui.h"
#include <string.h>

void ui_resize(ui *u, int width, int height)
{
	float sx = width / 800.0f, sy = height / 480.0f;
	int wmm, hmm;
	u->width = width;
	u->height = height;
	u->scale = sx < sy ? sx : sy;
	/* A panel of known size gives its own density; else the screen is
	 * taken for the 7-inch panel the design was drawn on. */
	if (u->cfg && u->cfg->panel_mm[0] && config_panel_parse(u->cfg->panel_mm, &wmm, &hmm) == 0) {
		float dx = (float)width / (float)wmm, dy = (float)height / (float)hmm;
		u->px_per_mm = dx < dy ? dx : dy;
	} else u->px_per_mm = UI_PX_PER_MM * u->scale;
	u->dirty = 1;
}

void ui_larger_toggle(ui *u)
{
	u->larger = !u->larger;
	u->text_scale = u->larger ? UI_LARGER : 1.0f;
	u->dirty = 1;
}

/* The receipt may be the citizen's only record (no printer, no phone at
 * hand to photograph it): it waits two minutes, the countdown included,
 * whatever the idle timeout of the other screens. */
uint32_t ui_idle_ms(const ui *u)
{
	uint32_t idle_ms = (uint32_t)u->cfg->idle_timeout * 1000u;
	uint32_t receipt_ms = UI_RECEIPT_MS - UI_IDLE_COUNTDOWN_MS;
	if (u->screen == SCREEN_RECEIPT && idle_ms < receipt_ms) return receipt_ms;
	return idle_ms;
}

void ui_history_page(ui *u, const char *which)
{
	if (strcmp(which, "open") == 0) u->history_page = 1;
	else if (strcmp(which, "close") == 0) u->history_page = 0;
	else if (strcmp(which, "more") == 0) u->history_page++;
	else if (u->history_page > 1) u->history_page--;
	u->dirty = 1;
}

void ui_review_page(ui *u, const char *which)
{
	if (which[0] == 'm') u->review_page++;
	else if (u->review_page > 0) u->review_page--;
	u->dirty = 1;
}
