/* voice: espeak-ng into a buffer, the buffer to SDL audio, on the voice's
 * own thread (see voice.h). espeak-ng keeps global state, so a process has
 * one voice, and only its thread calls espeak-ng.
 *
 * libespeak-ng is opened with dlopen on the first prompt, not linked: it
 * brings a dozen libraries of its own (libpcaudio, libsonic, libsndfile and
 * its codecs), which would slow every cold start and sit in memory on a
 * kiosk nobody asks to speak. */
#include "voice.h"
#include "log.h"

#include <espeak-ng/speak_lib.h>
#include <SDL.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct voice {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int started, stop, play;
	int want;                  /* the i18n id asked for, -1: nothing */
	lang want_lang;
	voice_state state;
	/* the thread's own */
	int loaded;                /* 1 espeak-ng ready, -1 it failed */
	SDL_AudioDeviceID dev;
	short *pcm;
	size_t npcm, cap;
	int cut;                   /* a newer request arrived: stop synthesising */
};

/* libespeak-ng's functions, once opened. */
static struct {
	void *lib;
	int (*initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
	void (*set_synth_callback)(t_espeak_callback *);
	espeak_ERROR (*set_voice_by_name)(const char *);
	espeak_ERROR (*synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,
		unsigned int *, void *);
	espeak_ERROR (*terminate)(void);
} es;

static int open_espeak(void)
{
	void *lib = dlopen("libespeak-ng.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib) { log_error("voice: %s", dlerror()); return -1; }
	*(void **)&es.initialize = dlsym(lib, "espeak_Initialize");
	*(void **)&es.set_synth_callback = dlsym(lib, "espeak_SetSynthCallback");
	*(void **)&es.set_voice_by_name = dlsym(lib, "espeak_SetVoiceByName");
	*(void **)&es.synth = dlsym(lib, "espeak_Synth");
	*(void **)&es.terminate = dlsym(lib, "espeak_Terminate");
	if (!es.initialize || !es.set_synth_callback || !es.set_voice_by_name || !es.synth || !es.terminate) {
		log_error("voice: libespeak-ng.so.1 lacks the functions it should have");
		dlclose(lib);
		return -1;
	}
	es.lib = lib;
	return 0;
}

/* The callback runs inside espeak_Synth, on the voice's thread. */
static voice *synth_target;

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
	voice *v = synth_target;
	(void)events;
	if (!v || !wav || n <= 0) return 0;
	if (v->npcm + (size_t)n > v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 65536;
		short *p;
		while (cap < v->npcm + (size_t)n) cap *= 2;
		p = realloc(v->pcm, cap * sizeof *p);
		if (!p) return 1;
		v->pcm = p;
		v->cap = cap;
	}
	memcpy(v->pcm + v->npcm, wav, (size_t)n * sizeof *wav);
	v->npcm += (size_t)n;
	pthread_mutex_lock(&v->lock);
	v->cut = v->want >= 0;
	pthread_mutex_unlock(&v->lock);
	return v->cut;   /* 1 asks espeak-ng to stop: a newer prompt waits */
}

static void load(voice *v)
{
	int rate = open_espeak() == 0 ? es.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0) : -1;
	if (rate <= 0) {
		log_error("voice: espeak-ng could not be loaded (libespeak-ng1 or espeak-ng-data missing?)");
		v->loaded = -1;
		return;
	}
	es.set_synth_callback(on_samples);
	v->state.rate = rate;
	v->loaded = 1;
	if (!v->play) return;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		log_warn("voice: no audio (%s): prompts are synthesised but not heard", SDL_GetError());
		return;
	}
	{
		SDL_AudioSpec want, have;
		SDL_zero(want);
		want.freq = rate;
		want.format = AUDIO_S16SYS;
		want.channels = 1;
		want.samples = 2048;
		v->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
		if (!v->dev) log_warn("voice: no audio device (%s): prompts are synthesised but not heard", SDL_GetError());
	}
}

/* A WAV file of the last utterance, for tests and a kiosk without speakers. */
static void write_wav(const char *path, const short *pcm, size_t n, int rate)
{
	FILE *f = fopen(path, "wb");
	unsigned char h[44];
	uint32_t bytes = (uint32_t)(n * 2), v32;
	if (!f) { log_warn("voice: cannot write %s", path); return; }
	memcpy(h, "RIFF", 4); v32 = 36 + bytes; memcpy(h + 4, &v32, 4);
	memcpy(h + 8, "WAVEfmt ", 8); v32 = 16; memcpy(h + 16, &v32, 4);
	h[20] = 1; h[21] = 0; h[22] = 1; h[23] = 0;             /* PCM, mono */
	v32 = (uint32_t)rate; memcpy(h + 24, &v32, 4);
	v32 = (uint32_t)rate * 2; memcpy(h + 28, &v32, 4);
	h[32] = 2; h[33] = 0; h[34] = 16; h[35] = 0;            /* 2 bytes a frame, 16 bits */
	memcpy(h + 36, "data", 4); memcpy(h + 40, &bytes, 4);
	if (fwrite(h, 1, sizeof h, f) != sizeof h || fwrite(pcm, 2, n, f) != n) log_warn("voice: writing %s failed", path);
	fclose(f);
}

static void speak(voice *v, int id, lang l)
{
	const char *text = i18n(l, (i18n_id)id);
	const char *name = l == LANG_EN ? "en" : "vi";
	const char *wav = getenv("MOTCUA_VOICE_WAV");
	if (!v->loaded) load(v);
	if (v->loaded < 0) {
		pthread_mutex_lock(&v->lock);
		v->state.failed = 1;
		pthread_mutex_unlock(&v->lock);
		return;
	}
	if (es.set_voice_by_name(name) != EE_OK) es.set_voice_by_name("vi");
	v->npcm = 0;
	synth_target = v;
	es.synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
	synth_target = NULL;
	if (v->dev) {
		SDL_ClearQueuedAudio(v->dev);
		if (v->npcm && SDL_QueueAudio(v->dev, v->pcm, (Uint32)(v->npcm * sizeof *v->pcm)) == 0)
			SDL_PauseAudioDevice(v->dev, 0);
	}
	if (wav && *wav && v->npcm) write_wav(wav, v->pcm, v->npcm, v->state.rate);
	pthread_mutex_lock(&v->lock);
	v->state.said++;
	v->state.samples = (long)v->npcm;
	v->state.id = id;
	v->state.played = v->dev != 0 && v->npcm > 0;
	snprintf(v->state.language, sizeof v->state.language, "%s", name);
	pthread_mutex_unlock(&v->lock);
}

static void *run(void *arg)
{
	voice *v = arg;
	pthread_mutex_lock(&v->lock);
	for (;;) {
		int id;
		lang l;
		while (!v->stop && v->want < 0) pthread_cond_wait(&v->wake, &v->lock);
		if (v->stop) break;
		id = v->want;
		l = v->want_lang;
		v->want = -1;
		pthread_mutex_unlock(&v->lock);
		speak(v, id, l);
		pthread_mutex_lock(&v->lock);
		v->state.busy = v->want >= 0;
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

voice *voice_new(int play)
{
	voice *v = calloc(1, sizeof *v);
	if (!v) return NULL;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->wake, NULL);
	v->play = play;
	v->want = -1;
	v->state.id = -1;
	return v;
}

void voice_say(voice *v, lang l, i18n_id id)
{
	if (!v) return;
	pthread_mutex_lock(&v->lock);
	/* The thread, and with it espeak-ng, only when first asked. */
	if (!v->started) v->started = pthread_create(&v->thread, NULL, run, v) == 0 ? 1 : -1;
	v->want = (int)id;
	v->want_lang = l;
	v->state.busy = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->lock);
	if (v->started < 0) log_error("voice: no thread to speak on");
}

void voice_state_get(voice *v, voice_state *out)
{
	if (!v) { memset(out, 0, sizeof *out); out->id = -1; return; }
	pthread_mutex_lock(&v->lock);
	*out = v->state;
	pthread_mutex_unlock(&v->lock);
}

void voice_free(voice *v)
{
	if (!v) return;
	pthread_mutex_lock(&v->lock);
	v->stop = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->lock);
	if (v->started > 0) pthread_join(v->thread, NULL);
	if (v->dev) SDL_CloseAudioDevice(v->dev);
	if (v->dev || (v->play && v->loaded > 0)) SDL_QuitSubSystem(SDL_INIT_AUDIO);
	if (v->loaded > 0) es.terminate();
	/* The library stays mapped: unloading it buys nothing at exit and
	 * would hide its leaks from the sanitizer's report. */
	free(v->pcm);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	free(v);
}
