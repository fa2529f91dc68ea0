/* pngout: an SDL surface saved as a PNG file quickly, for the control
 * interface's `shot` (tests, screenshots, the benchmark against Chromium).
 *
 * SDL_image's IMG_SavePNG compresses at zlib's default level with every
 * row filter tried, which took 40 to 80 ms for one 1280x800 frame, more
 * than the kiosk's whole start. The kiosk's frames are large flat colours
 * and text: libpng at zlib level 1 with the Sub filter makes files of about
 * the same size in a fraction of the time. The pixels are written as RGB
 * (the frame has no transparency), so a shot reads back exactly. */
#ifndef MOTCUA_PNGOUT_H
#define MOTCUA_PNGOUT_H

#include <SDL.h>
#include <stddef.h>

/* Writes s to path; 0, or -1 with err saying why. */
int pngout_save(SDL_Surface *s, const char *path, char *err, size_t errlen);

#endif
