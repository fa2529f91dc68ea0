/* wipe: wiping allocators for SDL and jansson, and a stack scrub (see
 * wipe.h). A block's size comes from malloc_usable_size, so any block the
 * C library's malloc gave is wiped whole, whoever allocated it. */
#include "wipe.h"
#include <SDL.h>
#include <jansson.h>
#include <malloc.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void wiping_free(void *p)
{
	if (!p) return;
	sodium_memzero(p, malloc_usable_size(p));
	free(p);
}

/* realloc would leave the old block behind, unwiped, when it moves it. */
static void *wiping_realloc(void *p, size_t n)
{
	size_t old;
	void *q;
	if (!p) return malloc(n);
	if (n == 0) { wiping_free(p); return NULL; }
	old = malloc_usable_size(p);
	if (old >= n) return p;
	q = malloc(n);
	if (!q) return NULL;
	memcpy(q, p, old);
	wiping_free(p);
	return q;
}

int wipe_install(void)
{
	json_set_alloc_funcs(malloc, wiping_free);
	return SDL_SetMemoryFunctions(malloc, calloc, wiping_realloc, wiping_free) == 0 ? 0 : -1;
}

__attribute__((noinline)) void wipe_stack(void)
{
	unsigned char below[WIPE_STACK_BYTES];
	sodium_memzero(below, sizeof below);
	__asm__ __volatile__("" : : "r"(below) : "memory");
}
