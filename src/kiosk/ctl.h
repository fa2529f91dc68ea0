/* ctl: the kiosk's control interface, for tests, automation and remote
 * diagnosis.
 *
 * One command a line in, exactly one JSON line out: dump, tap ID, tap X Y,
 * hold ID SECONDS, type KEYS, key NAME, scan TEXT, advance SECONDS,
 * shot FILE.png, compare REF.png DIFF.png TOLERANCE [ID...] (the frame
 * against a reference screenshot), draw (one frame, timed: what changed),
 * redraw full (the frame drawn whole, timed), quit; and
 * touch X Y, keyboard TEXT: SDL events (a finger, a scanner's characters
 * and Return) through SDL's queue and the window loop's handler; typed
 * TEXT: a person's pace at a physical keyboard, then Return.
 * Commands act through the same paths as fingers and keys: `type` presses the on-screen keyboard key by key, so the input
 * method and the keyboard are what is tested. */
#ifndef MOTCUA_CTL_H
#define MOTCUA_CTL_H

#include <SDL.h>
#include <stdio.h>
#include "render.h"
#include "ui.h"

typedef struct {
	ui *u;
	render *rd;
	SDL_Surface *surface;    /* what render draws into, saved by shot */
	uint32_t clock_offset;   /* added by advance */
	/* "clock still": the clock stands at still_at but for what advance
	 * adds, so a test comparing two frames of a countdown sees the same
	 * second in both ("clock run" lets it go again). */
	int still;
	uint32_t still_at;
	/* The window loop's own event handler: touch and keyboard push SDL
	 * events and hand them to it, the path a touchscreen and a scanner take. */
	void (*handle)(void *ctx, const SDL_Event *e);
	void *handle_ctx;
} ctl;

/* The ui's clock: SDL ticks (or the tick it was stilled at) plus what
 * advance added. */
uint32_t ctl_now(const ctl *c);

/* Runs one command line and writes its JSON answer line to out. Returns 1
 * after quit, else 0. */
int ctl_execute(ctl *c, const char *line, FILE *out);

#endif
