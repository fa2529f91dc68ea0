/* office_voice: the chime and the spoken call (see office_voice.h). */
#include "office_voice.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define RATE 22050
#define CHIME_SAMPLES (RATE * 9 / 10)
#define SPEECH_MAX (4 << 20)       /* a call is a few seconds: 4 MiB is far beyond */
#define CACHE 16

static unsigned char chime[44 + CHIME_SAMPLES * 2];
static pthread_once_t chime_once = PTHREAD_ONCE_INIT;

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
}

/* Ding-dong: 660 Hz then 523 Hz, each struck and fading, in 16-bit mono. */
static void make_chime(void)
{
	unsigned char *h = chime;
	int i;
	memcpy(h, "RIFF", 4); put32(h + 4, 36 + CHIME_SAMPLES * 2); memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16); put16(h + 20, 1); put16(h + 22, 1); put32(h + 24, RATE); put32(h + 28, RATE * 2);
	put16(h + 32, 2); put16(h + 34, 16); memcpy(h + 36, "data", 4); put32(h + 40, CHIME_SAMPLES * 2);
	for (i = 0; i < CHIME_SAMPLES; i++) {
		double t = (double)i / RATE, v;
		int second = i >= CHIME_SAMPLES * 2 / 5;
		double ts = second ? t - 0.36 : t;
		double f = second ? 523.25 : 659.25;
		v = sin(2 * M_PI * f * ts) * exp(-ts * 4.0) * 0.6 + sin(4 * M_PI * f * ts) * exp(-ts * 7.0) * 0.15;
		put16(h + 44 + i * 2, (uint16_t)(int16_t)(v * 32767.0));
	}
}

void office_voice_chime(const unsigned char **wav, size_t *len)
{
	pthread_once(&chime_once, make_chime);
	*wav = chime;
	*len = sizeof chime;
}

void office_voice_spell(const char *label, char *out, size_t outlen)
{
	size_t w = 0;
	for (; *label && w + 3 < outlen; label++) {
		if (w) out[w++] = ' ';
		out[w++] = *label;
	}
	out[w < outlen ? w : 0] = '\0';
}

/* ---- espeak-ng, with the last few results kept ---- */

typedef struct {
	char key[256];
	unsigned char *wav;
	size_t len;
	unsigned long used;
} cached;

static cached cache[CACHE];
static unsigned long clock_tick;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int from_cache(const char *key, unsigned char **wav, size_t *len)
{
	int i, found = 0;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE && !found; i++)
		if (cache[i].wav && strcmp(cache[i].key, key) == 0 && (*wav = malloc(cache[i].len))) {
			memcpy(*wav, cache[i].wav, cache[i].len);
			*len = cache[i].len;
			cache[i].used = ++clock_tick;
			found = 1;
		}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

static void to_cache(const char *key, const unsigned char *wav, size_t len)
{
	int i, slot = 0;
	unsigned char *copy;
	if (strlen(key) >= sizeof cache[0].key || !(copy = malloc(len))) return;
	memcpy(copy, wav, len);
	pthread_mutex_lock(&cache_lock);
	for (i = 1; i < CACHE; i++)
		if (cache[i].used < cache[slot].used) slot = i;
	free(cache[slot].wav);
	snprintf(cache[slot].key, sizeof cache[slot].key, "%s", key);
	cache[slot].wav = copy;
	cache[slot].len = len;
	cache[slot].used = ++clock_tick;
	pthread_mutex_unlock(&cache_lock);
}

int office_voice_speak(const char *voice, const char *text, unsigned char **wav, size_t *len,
	char *err, size_t errlen)
{
	char key[256], *argv[] = { "espeak-ng", "-v", (char *)voice, "-s", "140", "--stdout", (char *)text, NULL };
	posix_spawn_file_actions_t fa;
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	int fds[2], status = 0, rc;
	pid_t pid;
	*wav = NULL;
	*len = 0;
	snprintf(key, sizeof key, "%s|%s", voice, text);
	if (from_cache(key, wav, len)) return 0;
	if (pipe(fds) != 0) { snprintf(err, errlen, "pipe: %s", strerror(errno)); return -1; }
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
	rc = posix_spawnp(&pid, "espeak-ng", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		snprintf(err, errlen, "espeak-ng cannot start (%s): install the espeak-ng package", strerror(rc));
		return -1;
	}
	for (;;) {
		ssize_t got;
		if (n == cap) {
			unsigned char *p;
			if (cap >= SPEECH_MAX || !(p = realloc(buf, cap ? cap * 2 : 65536))) break;
			buf = p;
			cap = cap ? cap * 2 : 65536;
		}
		got = read(fds[0], buf + n, cap - n);
		if (got < 0 && errno == EINTR) continue;
		if (got <= 0) break;
		n += (size_t)got;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n < 44 || memcmp(buf, "RIFF", 4) != 0) {
		free(buf);
		snprintf(err, errlen, "espeak-ng failed (voice \"%s\")", voice);
		return -1;
	}
	to_cache(key, buf, n);
	*wav = buf;
	*len = n;
	return 0;
}
