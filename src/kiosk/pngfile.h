/* pngfile: an SDL surface saved as a PNG file quickly, and a PNG file
 * read back, for the control interface's `shot` and `compare` (tests,
 * screenshots, the benchmark against Chromium). libpng does both, so the
 * kiosk needs no SDL_image (and none of the JPEG, TIFF and WebP libraries
 * it brings, which a cold start spent time loading).
 *
 * SDL_image's IMG_SavePNG compresses at zlib's default level with every
 * row filter tried, which took 40 to 80 ms for one 1280x800 frame, more
 * than the kiosk's whole start. The kiosk's frames are large flat colours
 * and text: libpng at zlib level 1 with the Sub filter makes files of about
 * the same size in a fraction of the time. The pixels are written as RGB
 * (the frame has no transparency), so a shot reads back exactly. */
#ifndef MOTCUA_PNGFILE_H
#define MOTCUA_PNGFILE_H

#include <SDL.h>
#include <stddef.h>

/* Writes s to path; 0, or -1 with err saying why. */
int pngfile_save(SDL_Surface *s, const char *path, char *err, size_t errlen);

/* The picture in the PNG file at path as a new RGBA32 surface (the
 * caller frees it), or NULL with err saying why. */
SDL_Surface *pngfile_load(const char *path, char *err, size_t errlen);

#endif
