/* kb: the on-screen keyboards as data: which keys, in which rows, how wide.
 *
 * Three keyboards: text (letters and a block of Vietnamese letters and
 * tones, or VNI's digits; a digits-and-symbols layer), a numeric pad for phone and
 * citizen id, and a code keyboard for receipt codes (capitals and digits,
 * no input method). The ui turns a layout into widgets; keys know only what
 * they type, never what the input method makes of it. */
#ifndef MOTCUA_KB_H
#define MOTCUA_KB_H

typedef enum { KB_TEXT, KB_DIGITS, KB_CODE } kb_mode;

/* Special keys carry no character, or a character the ui reads: KB_IME's
 * ch picks the method ('t' Telex, 'v' VNI); KB_VIET types its label (a
 * Vietnamese letter, ime_letter); KB_TONE's ch is the tone '0'..'5'
 * (ime_tone). KB_GAP is room between key blocks, never drawn or found. */
typedef enum {
	KB_CHAR, KB_SHIFT, KB_BACKSPACE, KB_LAYER, KB_IME, KB_SPACE, KB_ENTER, KB_VIET, KB_TONE, KB_GAP
} kb_action;

typedef struct {
	const char *name;     /* widget id is "kb." + name */
	const char *label;    /* what the key shows (letters lowercase; the ui applies shift) */
	char ch;              /* what it types, for KB_CHAR */
	kb_action action;
	int width;            /* in quarter key widths: 4 is one ordinary key */
} kb_key;

typedef void (*kb_emit)(void *user, const kb_key *k, int x, int y, int w, int h);

/* Lays the keyboard out in the rectangle, calling emit for each key. */
void kb_layout(kb_mode mode, int layer, int vni_digits, int x, int y, int w, int h, int gap,
	kb_emit emit, void *user);

/* Number of rows the keyboard has (for layout). */
int kb_rows(kb_mode mode, int layer, int vni_digits);

/* The key that types ch (lowercase for letters) on that keyboard and layer, or NULL. */
const kb_key *kb_key_for_char(kb_mode mode, int layer, int vni_digits, char ch);

/* The key with this name (without "kb."), or NULL. */
const kb_key *kb_key_by_name(kb_mode mode, int layer, int vni_digits, const char *name);

#endif
