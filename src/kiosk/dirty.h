/* dirty: which parts of the screen a frame must redraw, from what changed
 * in the widget list since the frame before.
 *
 * A key press changes one input's text, a tab's mark, perhaps the
 * keyboard's capitals; redrawing all 2 million pixels of a 1920x1080 frame
 * for that costs several milliseconds on the software renderer. So each
 * frame keeps, per widget, a keyed hash of everything its drawing depends
 * on (id, kind, font, flags, enabled, rectangle, text: the renderer draws
 * no widget's value, and colours follow from kind and flags) and the
 * rectangle it paints. The next frame compares its list with those: where
 * the lists are as long, the widgets whose hash changed, position by
 * position; else everything between their common start and common end
 * (what lies under a pixel then changed only there). The changed widgets'
 * old and new rectangles are merged (overlapping or near ones join, as in
 * lvgl's invalidated areas) down to DIRTY_MAX_RECTS, and the renderer
 * redraws, clipped to each, the widgets that cross it, in order.
 *
 * A change of the scene (screen, language, size, text scale, fonts, a
 * visit ended), a first frame, or rectangles covering more than
 * DIRTY_FULL_SHARE of the screen mean a full redraw. A widget whose
 * drawing is not the same when clipped (the caller says which: lines
 * drawn at a slant are clipped by moving their ends) grows any rectangle
 * that crosses it to its whole area.
 *
 * The hashes are keyed with a random key made at start: they stand for
 * what the citizen typed, and no one can test a guess against them. */
#ifndef MOTCUA_DIRTY_H
#define MOTCUA_DIRTY_H

#include <stdint.h>
#include <sodium.h>
#include "widget.h"

#define DIRTY_MAX_RECTS 8
#define DIRTY_FULL_SHARE 0.5   /* of the screen's pixels: past it, one full redraw is cheaper */

/* What changes every pixel when it changes. */
typedef struct {
	int screen, language, width, height;
	float scale, px_mm;
	unsigned visits;
} dirty_scene;

/* How the caller draws a widget: the rectangle it paints (its own, or
 * more), and whether it must be drawn whole (1) rather than clipped. */
typedef struct {
	widget_rect (*bounds)(const widget *w);
	int (*whole)(const widget *w);
} dirty_ops;

/* The plan for one frame: full, or n rectangles (0: nothing changed). */
typedef struct {
	int full;
	int n;
	widget_rect rects[DIRTY_MAX_RECTS];
	long area;                 /* pixels to redraw */
} dirty_plan;

typedef struct {
	unsigned char key[crypto_shorthash_KEYBYTES];
	int valid;                 /* the frame before is on the surface */
	dirty_scene scene;
	int n;
	uint64_t hash[WIDGET_MAX];
	widget_rect bounds[WIDGET_MAX];   /* what each widget of the last list paints */
} dirty_state;

void dirty_init(dirty_state *d);

/* The next frame is drawn whole (the surface was lost, or changed under us). */
void dirty_invalidate(dirty_state *d);

/* Plans the frame that draws wl in scene, against the frame before, and
 * keeps wl's hashes and bounds (d->bounds) for the drawing and the next. */
void dirty_frame(dirty_state *d, const widget_list *wl, const dirty_scene *scene, const dirty_ops *ops,
	dirty_plan *out);

/* 1 if a and b share a pixel. */
int dirty_overlap(widget_rect a, widget_rect b);

#endif
