/* voice: the kiosk reads a screen's prompt aloud, for a citizen who cannot
 * read the screen.
 *
 * Speech is espeak-ng's (libespeak-ng, its Vietnamese voice "vi", English
 * "en") synthesising into a buffer, played through SDL audio. Everything
 * slow happens on the voice's own thread: voice_say only hands over what to
 * say and returns, so a tap never waits for speech. espeak-ng and the audio
 * device are loaded on the first voice_say, not at start-up, so a kiosk
 * nobody asks to speak keeps its memory. A new voice_say cuts off what is
 * being played.
 *
 * The voice takes a text of the kiosk's own table (an i18n id), never free
 * text: it cannot be made to read out what a citizen typed (a denunciation,
 * an ID number), and neither the text nor its key is logged.
 *
 * A test or a developer without speakers names a file in MOTCUA_VOICE_WAV:
 * each utterance is then also written there as a WAV file (16-bit mono). */
#ifndef MOTCUA_VOICE_H
#define MOTCUA_VOICE_H

#include "i18n.h"

typedef struct voice voice;

/* play: open an audio device (0: synthesise only, e.g. a headless kiosk
 * with no SDL_AUDIODRIVER). NULL when out of memory. */
voice *voice_new(int play);
/* Stops the thread, the device and espeak-ng. NULL is fine. */
void voice_free(voice *v);

/* Says text id in language l, after cutting off anything playing. Returns
 * at once. */
void voice_say(voice *v, lang l, i18n_id id);

typedef struct {
	unsigned said;          /* utterances synthesised so far */
	long samples;           /* the last one's length in samples */
	int rate;               /* samples a second (0 before the first) */
	int id;                 /* the last one's i18n id, -1 before the first */
	int played;             /* 1 when the last one was queued to an audio device */
	int busy;               /* 1 while one is asked for or being synthesised */
	int failed;             /* 1 when espeak-ng could not be loaded */
	char language[4];       /* the espeak-ng voice the last one used */
} voice_state;

void voice_state_get(voice *v, voice_state *out);

#endif
