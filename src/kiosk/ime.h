/* ime: the Vietnamese input method (Telex and VNI) behind the on-screen
 * keyboard and any physical keyboard plugged into the kiosk.
 *
 * Each key press is fed to ime_key together with the text of the field; the
 * engine rewrites the word before the cursor (the cursor is always at the
 * end): "tieengs" becomes "tiếng", "hoangfr" becomes "hoảng", the tone
 * follows the syllable as vowels are added, and repeating a key undoes it.
 * Output is always NFC with precomposed letters. The engine keeps no heap
 * and only a small amount of per-word state, which it drops by itself when
 * the text is changed behind its back. */
#ifndef MOTCUA_IME_H
#define MOTCUA_IME_H

#include <stddef.h>
#include <stdint.h>

typedef enum { IME_TELEX, IME_VNI } ime_method;

/* Where the tone of an open oa, oe, uy goes: old hòa, thủy, hóa;
 * new hoà, thuỷ, hoá. Everything else is the same in both. */
typedef enum { IME_TONE_OLD, IME_TONE_NEW } ime_tone_style;

/* Private: where the engine left the caller's text. The word being composed
 * starts at byte word_start; text_len and word_sum fingerprint the text, so
 * that a word edited from outside is never rewritten. lone_w is the letter
 * of the word that a lone Telex w turned into ư (a second w gives back a
 * plain w), -1 if none. */
typedef struct ime_place {
	size_t word_start;
	size_t text_len;
	uint32_t word_sum;
	int lone_w;
	int valid;
} ime_place;

typedef struct ime {
	ime_method method;
	ime_tone_style style;
	/* Private. before is the place as it was before the last key, so that
	 * a caller that puts the text back (a field over its length) finds the
	 * word still being composed. */
	ime_place now, before;
} ime;

void ime_init(ime *e, ime_method m, ime_tone_style s);

/* Feeds one key (a Unicode code point) to buf, a NUL-terminated UTF-8 NFC
 * text of capacity cap bytes (NUL included), rewriting its last word as the
 * method says. Keys that cannot apply are inserted as typed; keys that are
 * not letters end the word. Returns 0, or -1 if the result would not fit or
 * key is not a character (buf is then unchanged). */
int ime_key(ime *e, char *buf, size_t cap, uint32_t key);

/* The on-screen keyboard's keys for people who know no input method.
 *
 * ime_tone puts a tone (1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng; 0 takes it
 * off) on the word before the cursor, on the vowel the same rules as Telex
 * choose in the engine's tone style, wherever it is pressed (Nguyên + ngã
 * is Nguyễn, Hoa + huyền is Hòa or Hoà); the same tone again takes it off.
 * Returns 0, 1 when there is no word that can take it (buf unchanged), or
 * -1 as ime_key.
 *
 * ime_letter is the key of ă â ê ô ơ ư đ (or a capital): it marks the
 * word's letter that takes the mark (Nguye + ê is Nguyê, thuo + ơ is thuơ,
 * d + đ is đ), else it is typed as the letter; 0 or -1 as ime_key. Both
 * work whatever the method. */
int ime_tone(ime *e, char *buf, size_t cap, int tone);
int ime_letter(ime *e, char *buf, size_t cap, uint32_t letter);

/* Deletes the last code point of buf. The word before the cursor becomes
 * the word being composed again, so a tone can still be added or changed. */
void ime_backspace(ime *e, char *buf);

/* Forgets the word being composed (focus moved to another field, text
 * replaced from outside): text already in the field is no longer rewritten. */
void ime_reset(ime *e);

/* Rewrites buf in place so that each base letter followed by combining
 * Vietnamese marks (U+0300 U+0301 U+0303 U+0309 U+0323 U+0302 U+0306
 * U+031B) becomes the precomposed letter, as typed by some physical
 * keyboards and scanners. Other text is left as is. */
void ime_nfc(char *buf);

/* Resets the engine, empties buf and feeds it the keys of the UTF-8 string
 * keys, one code point at a time ("tieengs vieetj" gives "tiếng việt");
 * '\b' stands for the backspace key. Returns 0, or -1 if a key did not fit
 * or keys is not valid UTF-8 (buf then holds what was typed before). */
int ime_type_string(ime *e, char *buf, size_t cap, const char *keys);

#endif
