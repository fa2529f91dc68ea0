/* office_voice: the sounds of the hall display: a chime made here (two
 * tones, no file to ship) and the call spoken by espeak-ng, whose Debian
 * package has a Vietnamese voice ("Mời số A 0 1 5 đến quầy 2"). The
 * speech is made on the service, as WAV, and served to the display's page,
 * so the TV needs nothing but a browser. espeak-ng runs as a child with
 * the text as one argument (no shell); the last few sounds are kept. */
#ifndef MOTCUA_OFFICE_VOICE_H
#define MOTCUA_OFFICE_VOICE_H

#include <stddef.h>

/* The chime as a WAV file; the bytes are this module's and live forever. */
void office_voice_chime(const unsigned char **wav, size_t *len);

/* text spoken by espeak-ng with voice ("vi") as a WAV file, malloc'd into
 * *wav (the caller frees it). 0, or -1 with err (espeak-ng missing, or
 * failed). */
int office_voice_speak(const char *voice, const char *text, unsigned char **wav, size_t *len,
	char *err, size_t errlen);

/* A queue label spoken one sign at a time ("A015" → "A 0 1 5"), so the
 * voice says the digits a person reads rather than "fifteen". */
void office_voice_spell(const char *label, char *out, size_t outlen);

#endif
