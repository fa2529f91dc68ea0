/* render: draws a ui's widget list with SDL's software renderer.
 *
 * Text comes from the bundled font through SDL_ttf and is cached as
 * textures keyed by font, colour and text, so a frame that changes one
 * letter renders one string. Every line sits on a fixed line box (the font's
 * height from its ascent), so stacked capitals such as Ễ never move the
 * baseline while a person types. The cache is wiped when the ui says a
 * visit ended (ui.visits): it held the citizen's name as they typed it.
 * QR codes are drawn with whole pixels per
 * module and a quiet zone of four modules. */
#ifndef MOTCUA_RENDER_H
#define MOTCUA_RENDER_H

#include <SDL.h>
#include "ui.h"

typedef struct render render;

/* Opens the fonts from fonts_dir for the ui's layout scale and px_mm pixels
 * per millimetre of the panel: each font is as tall on the panel as on
 * the 7-inch panel the design was drawn for. NULL with a
 * message on failure. The renderer is borrowed. */
render *render_new(SDL_Renderer *r, const char *fonts_dir, float scale, float px_mm, char *err, size_t errlen);
void render_free(render *rd);

/* Re-opens the fonts for a new scale or density. 0 or -1. */
int render_rescale(render *rd, float scale, float px_mm, char *err, size_t errlen);

/* Re-opens the fonts when the ui's size, panel density or text size (the
 * citizen's "larger text") changed since. 0 or -1 (logged). */
int render_follow(render *rd, const ui *u);

/* The cap height of a font in pixels, as measured on its H. */
int render_cap_px(const render *rd, widget_font font);

/* Draws u's widgets: those that changed since the frame before and what
 * lies under and over them, clipped to a few rectangles (dirty.h), or
 * all of them after a change of screen, language, size or text size,
 * or when most of the screen changed. The frame comes out the same. */
void render_draw(render *rd, ui *u);

/* The next frame is drawn whole: what was drawn before is gone (a window
 * uncovered, a surface replaced). */
void render_invalidate(render *rd);

/* What the last frame redrew, for presenting it: -1 all of it, else the
 * number of rectangles put in rects (up to max; 0: nothing changed).
 * *area (if not NULL): the pixels redrawn. */
int render_changed(const render *rd, SDL_Rect *rects, int max, long *area);
#define RENDER_MAX_RECTS 8

/* 1 if w's text fits its box in one line (or in its wrapped lines). */
int render_text_fits(render *rd, const widget *w);

/* The width of text as one line in font, and *line_px (if not NULL) the
 * height a line of it takes: what render_text_fits holds a box to. */
int render_text_width(render *rd, widget_font font, const char *text, int *line_px);

#endif
