/* kb: keyboard layouts (see kb.h). Each layout is a table of rows ending in
 * a NULL-named key; row widths are in quarter keys, so a wide space bar or
 * backspace is just a bigger number, and a gap is a key that is not drawn. */
#include "kb.h"
#include <stddef.h>
#include <string.h>

#define K(c) { #c, #c, (#c)[0], KB_CHAR, 4 }
#define S(name, label, c) { name, label, c, KB_CHAR, 4 }
#define END { NULL, NULL, 0, KB_CHAR, 0 }

static const kb_key digits_row[] = { K(1), K(2), K(3), K(4), K(5), K(6), K(7), K(8), K(9), K(0), END };

/* The letters' layer. Right of the letters, apart, the Vietnamese block:
 * for people who know no input method, the marked vowels and đ, and the
 * five tones, each shown on an a (á à ả ã ạ) as a citizen sees them
 * written, with the wider key that takes a tone off; in VNI, the digits
 * that VNI types marks and tones with, as a keypad. The bottom row's
 * widths leave each word room at 3 mm (and larger): Shift is "Aa", Delete
 * and Next are wider than a letter. */
#define GAP { "gap", "", 0, KB_GAP, 2 }
#define VIET(name, letter) { name, letter, 0, KB_VIET, 4 }
#define TONE(name, digit, label, width) { name, label, digit, KB_TONE, width }
#define IME_KEYS { "ime_telex", "Telex", 't', KB_IME, 5 }, { "ime_vni", "VNI", 'v', KB_IME, 5 }

static const kb_key letters1[] = {
	K(q), K(w), K(e), K(r), K(t), K(y), K(u), K(i), K(o), K(p), GAP,
	VIET("a_breve", "ă"), VIET("a_circ", "â"), VIET("e_circ", "ê"), END };
static const kb_key letters2[] = {
	K(a), K(s), K(d), K(f), K(g), K(h), K(j), K(k), K(l), VIET("d_bar", "đ"), GAP,
	VIET("o_circ", "ô"), VIET("o_horn", "ơ"), VIET("u_horn", "ư"), END };
static const kb_key letters3[] = {
	{ "shift", "Aa", 0, KB_SHIFT, 5 }, K(z), K(x), K(c), K(v), K(b), K(n), K(m),
	{ "backspace", "", 0, KB_BACKSPACE, 7 }, GAP,
	TONE("tone_sac", '1', "á", 4), TONE("tone_huyen", '2', "à", 4), TONE("tone_hoi", '3', "ả", 4), END };
static const kb_key letters4[] = {
	{ "layer", "123", 0, KB_LAYER, 4 }, IME_KEYS,
	{ "space", "", ' ', KB_SPACE, 8 }, S("comma", ",", ','), S("period", ".", '.'),
	{ "enter", "", 0, KB_ENTER, 8 }, { "gap", "", 0, KB_GAP, 1 },
	TONE("tone_nga", '4', "ã", 4), TONE("tone_nang", '5', "ạ", 4), TONE("tone_none", '0', "", 7), END };

/* VNI's block: its keys are digits, which VNI reads as marks and tones. */
static const kb_key vni1[] = {
	K(q), K(w), K(e), K(r), K(t), K(y), K(u), K(i), K(o), K(p), GAP, K(1), K(2), K(3), END };
static const kb_key vni2[] = {
	K(a), K(s), K(d), K(f), K(g), K(h), K(j), K(k), K(l), S("apostrophe", "'", '\''), GAP,
	K(4), K(5), K(6), END };
static const kb_key vni3[] = {
	{ "shift", "Aa", 0, KB_SHIFT, 5 }, K(z), K(x), K(c), K(v), K(b), K(n), K(m),
	{ "backspace", "", 0, KB_BACKSPACE, 7 }, GAP, K(7), K(8), K(9), END };
static const kb_key vni4[] = {
	{ "layer", "123", 0, KB_LAYER, 4 }, IME_KEYS,
	{ "space", "", ' ', KB_SPACE, 8 }, S("comma", ",", ','), S("period", ".", '.'),
	{ "enter", "", 0, KB_ENTER, 8 }, { "gap", "", 0, KB_GAP, 1 }, { "0", "0", '0', KB_CHAR, 15 }, END };

static const kb_key symbols2[] = {
	S("hyphen", "-", '-'), S("slash", "/", '/'), S("colon", ":", ':'), S("semicolon", ";", ';'),
	S("lparen", "(", '('), S("rparen", ")", ')'), S("quote", "\"", '"'), S("apostrophe", "'", '\''),
	S("question", "?", '?'), S("exclaim", "!", '!'), END };
static const kb_key symbols3[] = {
	S("at", "@", '@'), S("hash", "#", '#'), S("amp", "&", '&'), S("percent", "%", '%'),
	S("plus", "+", '+'), S("equals", "=", '='), S("asterisk", "*", '*'), S("underscore", "_", '_'),
	{ "backspace", "", 0, KB_BACKSPACE, 8 }, END };
static const kb_key symbols4[] = {
	{ "layer", "abc", 0, KB_LAYER, 5 }, IME_KEYS,
	{ "space", "", ' ', KB_SPACE, 9 }, S("comma", ",", ','), S("period", ".", '.'),
	{ "enter", "", 0, KB_ENTER, 8 }, END };

static const kb_key pad1[] = { K(1), K(2), K(3), END };
static const kb_key pad2[] = { K(4), K(5), K(6), END };
static const kb_key pad3[] = { K(7), K(8), K(9), END };
static const kb_key pad4[] = {
	{ "backspace", "⌫", 0, KB_BACKSPACE, 4 }, K(0), { "enter", "↵", 0, KB_ENTER, 4 }, END };

#define U(c, l) { #c, #l, (#l)[0], KB_CHAR, 4 }
static const kb_key code1[] = {
	U(q, Q), U(w, W), U(e, E), U(r, R), U(t, T), U(y, Y), U(u, U), U(i, I), U(o, O), U(p, P), END };
static const kb_key code2[] = {
	U(a, A), U(s, S), U(d, D), U(f, F), U(g, G), U(h, H), U(j, J), U(k, K), U(l, L), END };
static const kb_key code3[] = {
	U(z, Z), U(x, X), U(c, C), U(v, V), U(b, B), U(n, N), U(m, M), END };
/* No symbol keys: new codes end in a letter or digit, and an old code
 * ending in * ~ $ = or U is typed without that last sign (token_parse). */
static const kb_key code4[] = {
	S("hyphen", "-", '-'), { "backspace", "⌫", 0, KB_BACKSPACE, 8 }, { "enter", "↵", 0, KB_ENTER, 8 }, END };

typedef struct { const kb_key *rows[6]; } kb_table;

/* Four rows in every mode: a fifth made the keys too small for a finger on
 * a 7-inch panel under the form's notice. */
static const kb_table text_letters = { { letters1, letters2, letters3, letters4, NULL } };
static const kb_table text_letters_vni = { { vni1, vni2, vni3, vni4, NULL } };
static const kb_table text_symbols = { { digits_row, symbols2, symbols3, symbols4, NULL } };
static const kb_table pad = { { pad1, pad2, pad3, pad4, NULL } };
static const kb_table code = { { digits_row, code1, code2, code3, code4, NULL } };

static const kb_table *table_for(kb_mode mode, int layer, int vni_digits)
{
	if (mode == KB_DIGITS) return &pad;
	if (mode == KB_CODE) return &code;
	if (layer) return &text_symbols;
	return vni_digits ? &text_letters_vni : &text_letters;
}

int kb_rows(kb_mode mode, int layer, int vni_digits)
{
	const kb_table *t = table_for(mode, layer, vni_digits);
	int n = 0;
	while (n < 6 && t->rows[n]) n++;
	return n;
}

static int row_units(const kb_key *row)
{
	int n = 0;
	for (; row->name; row++) n += row->width;
	return n;
}

void kb_layout(kb_mode mode, int layer, int vni_digits, int x, int y, int w, int h, int gap,
	kb_emit emit, void *user)
{
	const kb_table *t = table_for(mode, layer, vni_digits);
	int rows = kb_rows(mode, layer, vni_digits), r, widest = 0;
	int key_h = (h - gap * (rows - 1)) / rows;
	for (r = 0; r < rows; r++)
		if (row_units(t->rows[r]) > widest) widest = row_units(t->rows[r]);
	for (r = 0; r < rows; r++) {
		const kb_key *k = t->rows[r];
		/* Every row uses the widest row's unit so keys line up; short
		 * rows are centred, as on a phone. */
		int units = row_units(k);
		int unit_w = (w + gap) * 4 / widest;
		int kx = x + (w - (units * unit_w / 4 - gap)) / 2;
		int ky = y + r * (key_h + gap);
		for (; k->name; k++) {
			int kw = k->width * unit_w / 4 - gap;
			if (k->action != KB_GAP) emit(user, k, kx, ky, kw, key_h);
			kx += kw + gap;
		}
	}
}

static const kb_key *find(kb_mode mode, int layer, int vni_digits, const char *name, char ch)
{
	const kb_table *t = table_for(mode, layer, vni_digits);
	int r;
	for (r = 0; r < 6 && t->rows[r]; r++) {
		const kb_key *k;
		for (k = t->rows[r]; k->name; k++) {
			if (k->action == KB_GAP) continue;
			if (name && strcmp(k->name, name) == 0) return k;
			if (!name && k->ch == ch && (k->action == KB_CHAR || k->action == KB_SPACE)) return k;
		}
	}
	return NULL;
}

const kb_key *kb_key_for_char(kb_mode mode, int layer, int vni_digits, char ch)
{
	/* The code keyboard shows capitals but is looked up by lowercase. */
	if (mode == KB_CODE && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
	return find(mode, layer, vni_digits, NULL, ch);
}

const kb_key *kb_key_by_name(kb_mode mode, int layer, int vni_digits, const char *name)
{
	return find(mode, layer, vni_digits, name, 0);
}
