/* pngout: libpng at a fast setting (see pngout.h). */
#include "pngout.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>

/* libpng reports errors by longjmp: this function changes nothing after
 * its setjmp, so nothing it holds can be clobbered. 0, or -1. */
static int write_png(FILE *f, SDL_Surface *img, int rgba)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int y;
	if (!png || !info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, f);
	png_set_compression_level(png, 1);
	png_set_filter(png, 0, PNG_FILTER_SUB);
	png_set_IHDR(png, info, (png_uint_32)img->w, (png_uint_32)img->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	/* RGBA32 is bytes R, G, B, A: libpng drops the A itself. */
	if (rgba) png_set_filler(png, 0, PNG_FILLER_AFTER);
	for (y = 0; y < img->h; y++) png_write_row(png, (png_const_bytep)img->pixels + (size_t)y * (size_t)img->pitch);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int pngout_save(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
	/* The kiosk draws in RGBA32; any other format is converted first. */
	int rgba = s->format->format == SDL_PIXELFORMAT_RGBA32, rc;
	SDL_Surface *img = rgba ? s : SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
	FILE *f;
	if (!img) { snprintf(err, errlen, "%s: %s", path, SDL_GetError()); return -1; }
	if (!(f = fopen(path, "wb"))) {
		snprintf(err, errlen, "%s: cannot create", path);
		if (!rgba) SDL_FreeSurface(img);
		return -1;
	}
	SDL_LockSurface(img);
	rc = write_png(f, img, rgba);
	SDL_UnlockSurface(img);
	if (fclose(f) != 0) rc = -1;
	if (rc != 0) snprintf(err, errlen, "%s: writing failed", path);
	if (!rgba) SDL_FreeSurface(img);
	return rc;
}
