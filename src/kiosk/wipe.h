/* wipe: what a citizen typed does not outlive their visit in memory.
 *
 * The kiosk wipes its own buffers (the fields, the widget arena, the input
 * method, the render cache) when a visit ends; this module reaches what
 * the libraries it hands that text to keep after they are done with it:
 * SDL and SDL_ttf (a line converted for rendering, a surface) and jansson
 * (the strings of the sealed record, the control interface's answers) free
 * their memory through a free that wipes each block first, so a freed
 * string does not linger in the heap. wipe_stack clears the stack below
 * the caller, where the buffers of finished calls (a number normalised, a
 * line cut for drawing) are left. */
#ifndef MOTCUA_WIPE_H
#define MOTCUA_WIPE_H

/* Routes SDL's and jansson's allocations through wiping functions. Call
 * before SDL_Init and before jansson is first used. 0, or -1 when SDL
 * refused (then its frees do not wipe). */
int wipe_install(void);

/* Zeroes WIPE_STACK_BYTES of the stack below the caller's frame. Call from
 * the outermost loop, so that every frame of the visit lay below it. */
#define WIPE_STACK_BYTES (256 * 1024)
void wipe_stack(void);

#endif
