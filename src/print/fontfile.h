/* fontfile: the project's font files, each mapped into memory once and
 * shared by every size opened from it.
 *
 * TTF_OpenFont reads a font through a stdio stream, and FreeType seeks
 * before almost every read of a glyph's outline or a table: a cold start
 * to the receipt made 22,000 lseek and 7,800 read calls, a third of its
 * time. From memory FreeType reads its tables in place. The file is mapped
 * read-only and private, so its pages are the page cache's, shared with
 * every other process that maps it, and only the pages touched count in
 * the process's memory. A mapping stays until fontfile_unmap_all, after the
 * last font opened from it is closed; an installed font replaced by a
 * package upgrade is a new file, and the mapped old one stays whole. */
#ifndef MOTCUA_FONTFILE_H
#define MOTCUA_FONTFILE_H

#include <stddef.h>
#include <SDL_ttf.h>

/* Opens the font at path at size points (pixels at 72 dpi), from its
 * mapping; NULL with err filled ("path: why") when it cannot. Safe from
 * any thread; the font itself is not (SDL_ttf). */
TTF_Font *fontfile_open(const char *path, int size, char *err, size_t errlen);

/* Unmaps every file; only once no font opened by fontfile_open is open. */
void fontfile_unmap_all(void);

#endif
