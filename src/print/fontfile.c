/* fontfile: font files mapped once, opened at any size from memory (see
 * fontfile.h). */
#include "fontfile.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kiosk maps two files (regular, bold); a few more leave room for a
 * configured fonts_dir beside the shipped one. */
#define MAPPED_MAX 8

static struct { char path[600]; void *addr; size_t len; } mapped[MAPPED_MAX];
static int mapped_count;
static pthread_mutex_t mapped_lock = PTHREAD_MUTEX_INITIALIZER;

/* The mapping of path, made on first use; NULL with err filled. */
static const void *map_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	void *addr;
	int i, fd;
	for (i = 0; i < mapped_count; i++)
		if (strcmp(mapped[i].path, path) == 0) { *len = mapped[i].len; return mapped[i].addr; }
	if (mapped_count == MAPPED_MAX || strlen(path) >= sizeof mapped[0].path) {
		snprintf(err, errlen, "%s: too many font files, or too long a path", path);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > INT_MAX) {
		snprintf(err, errlen, "%s: not a font file (empty, too large, or not a regular file)", path);
		close(fd);
		return NULL;
	}
	addr = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (addr == MAP_FAILED) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
	snprintf(mapped[mapped_count].path, sizeof mapped[0].path, "%s", path);
	mapped[mapped_count].addr = addr;
	mapped[mapped_count].len = (size_t)st.st_size;
	mapped_count++;
	*len = (size_t)st.st_size;
	return addr;
}

TTF_Font *fontfile_open(const char *path, int size, char *err, size_t errlen)
{
	const void *addr;
	size_t len = 0;
	TTF_Font *font = NULL;
	SDL_RWops *rw;
	pthread_mutex_lock(&mapped_lock);
	addr = map_file(path, &len, err, errlen);
	pthread_mutex_unlock(&mapped_lock);
	if (!addr) return NULL;
	rw = SDL_RWFromConstMem(addr, (int)len);
	if (rw) font = TTF_OpenFontRW(rw, 1, size);
	if (!font) snprintf(err, errlen, "%s: %s", path, TTF_GetError());
	return font;
}

void fontfile_unmap_all(void)
{
	int i;
	pthread_mutex_lock(&mapped_lock);
	for (i = 0; i < mapped_count; i++) munmap(mapped[i].addr, mapped[i].len);
	mapped_count = 0;
	pthread_mutex_unlock(&mapped_lock);
}
