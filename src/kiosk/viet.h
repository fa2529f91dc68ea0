/* viet: Vietnamese letters as a base letter, a mark and a tone.
 *
 * Every precomposed Vietnamese letter (ắ, Ự, đ...) read into its parts
 * and written back from them, and decomposed text (a base letter followed
 * by combining marks, as some keyboards and scanners send it) composed into
 * those letters. The input method (ime.h) works on these parts. */
#ifndef MOTCUA_VIET_H
#define MOTCUA_VIET_H

#include <stdint.h>

enum viet_mark { VIET_MARK_NONE, VIET_MARK_CIRC, VIET_MARK_BREVE, VIET_MARK_HORN, VIET_MARK_BAR };

/* Tones are numbered as VNI numbers them: 1 sắc, 2 huyền, 3 hỏi, 4 ngã,
 * 5 nặng; 0 is none. */
enum { VIET_TONE_NONE = 0, VIET_TONE_SAC = 1, VIET_TONE_NANG = 5, VIET_TONE_COUNT = 6 };

typedef struct {
	char base;             /* 'a'..'z' */
	unsigned char mark;    /* enum viet_mark */
	unsigned char tone;
	unsigned char upper;
} viet_letter;

/* The code point of a letter, 0 if there is no such letter. */
uint32_t viet_letter_cp(const viet_letter *l);

/* 1 and *l for a Latin or Vietnamese letter, else 0. */
int viet_letter_of(uint32_t cp, viet_letter *l);

/* Composes decomposed Vietnamese letters in buf (in place: it only
 * shrinks); other text is left as it is. */
void viet_nfc(char *buf);

#endif
