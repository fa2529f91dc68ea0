/* pngfile: PNG files written with libpng at a fast setting, and read
 * with its simplified API (see pngfile.h). */
#include "pngfile.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports errors by longjmp: this function changes nothing after
 * its setjmp, so nothing it holds can be clobbered. 0, or -1. */
/* How a surface's pixels lie in memory, as write_png takes them. */
typedef enum { BYTES_RGB, BYTES_RGBX, BYTES_BGRX } pixel_bytes;

static int write_png(FILE *f, SDL_Surface *img, pixel_bytes bytes)
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
	/* The fourth byte (alpha) is dropped by libpng itself, and B and R
	 * swapped back, so the frame is written as it is drawn. */
	if (bytes != BYTES_RGB) png_set_filler(png, 0, PNG_FILLER_AFTER);
	if (bytes == BYTES_BGRX) png_set_bgr(png);
	for (y = 0; y < img->h; y++) png_write_row(png, (png_const_bytep)img->pixels + (size_t)y * (size_t)img->pitch);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int pngfile_save(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
	/* The kiosk's frame (ARGB8888, bytes B, G, R, A on a little-endian
	 * machine) and an RGBA32 surface are written as they are: a copy in
	 * another format would cost a frame's allocation, conversion and
	 * wiping. Any other format is converted first. */
	Uint32 format = s->format->format;
	pixel_bytes bytes = format == SDL_PIXELFORMAT_RGBA32 ? BYTES_RGBX
		: format == SDL_PIXELFORMAT_BGRA32 ? BYTES_BGRX : BYTES_RGB;
	SDL_Surface *img = bytes != BYTES_RGB ? s : SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
	FILE *f;
	int rc;
	if (!img) { snprintf(err, errlen, "%s: %s", path, SDL_GetError()); return -1; }
	if (!(f = fopen(path, "wb"))) {
		snprintf(err, errlen, "%s: cannot create", path);
		if (img != s) SDL_FreeSurface(img);
		return -1;
	}
	SDL_LockSurface(img);
	rc = write_png(f, img, bytes);
	SDL_UnlockSurface(img);
	if (fclose(f) != 0) rc = -1;
	if (rc != 0) snprintf(err, errlen, "%s: writing failed", path);
	if (img != s) SDL_FreeSurface(img);
	return rc;
}

SDL_Surface *pngfile_load(const char *path, char *err, size_t errlen)
{
	png_image image;
	SDL_Surface *s;
	memset(&image, 0, sizeof image);
	image.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&image, path)) {
		snprintf(err, errlen, "%s: %s", path, image.message);
		return NULL;
	}
	image.format = PNG_FORMAT_RGBA;
	s = SDL_CreateRGBSurfaceWithFormat(0, (int)image.width, (int)image.height, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s) {
		snprintf(err, errlen, "%s: %s", path, SDL_GetError());
		png_image_free(&image);
		return NULL;
	}
	if (!png_image_finish_read(&image, NULL, s->pixels, s->pitch, NULL)) {
		snprintf(err, errlen, "%s: %s", path, image.message);
		SDL_FreeSurface(s);
		return NULL;
	}
	return s;
}
