/* ime: the Vietnamese input method, Telex and VNI (see ime.h).
 *
 * The word before the cursor is read into letters (base letter, mark, tone,
 * case), the key is applied to it as a change of marks or tone, and the word
 * is written back. The tone belongs to the word: every time the word is
 * written it is put on the vowel the spelling rules choose, which is what
 * moves it when a vowel is added (hoaf → hòa, then n → hoàn). Marks and
 * tones are only applied to a word that can still become a Vietnamese
 * syllable; any other key goes in as typed. That same check is what makes a
 * repeated key undo for good: after "ass" gave "as", s is no final
 * consonant, so a further s is a plain letter too. The on-screen keyboard's
 * tone and Vietnamese letter keys (ime_tone, ime_letter) take the same path
 * (feed) as a typed key, so they follow the same rules. */
#include "ime.h"
#include "viet.h"
#include "utf8.h"
#include <string.h>

/* A syllable has at most 7 letters (nghiêng); the rest leaves room for keys
 * typed in between. Longer words are not syllables and are left alone. */
#define WORD_MAX 16
#define WORD_BYTES (WORD_MAX * 3)

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

struct word {
	viet_letter l[WORD_MAX];
	int n;
};

/* A word read as a syllable: initial consonant l[0..nuc), vowel nucleus
 * l[nuc..fin), final consonant l[fin..n). */
struct syllable {
	int nuc, fin;
	int valid;
	int tone;
};

/* The spelling of a syllable, lower case, toneless. gi and qu count as
 * initials only before another vowel (già, quà; gì is g + i). */
static const char *const initials[] = {
	"", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m",
	"n", "ng", "ngh", "nh", "p", "ph", "q", "qu", "r", "s", "t", "th", "tr", "v",
	"x",
	/* the clusters of the Central Highlands' place and family names:
	 * Krông, Chư Prông, M'Drắk (M'Đrắk), Kon Plông, Đắk Glei, B'Lao */
	"bl", "br", "dr", "đr", "gl", "kl", "kr", "pl", "pr",
};

static const char *const glide_initials[] = { "gi", "qu" };

/* k ends the same place names (Đắk Lắk, Lắk, Pắk). */
static const char *const finals[] = {
	"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t",
};

/* After these finals only sắc and nặng exist, so another tone key there is
 * a letter (catr stays catr). */
static const char *const stop_finals[] = { "c", "ch", "k", "p", "t" };

/* Vowel nuclei a word may have while it is typed. Complete ones, and the
 * halfway ưo (uwo before the second w). Each is also accepted with no mark
 * at all (ie before ee makes iê), but not with other marks (âi). */
static const char *const nuclei[] = {
	"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu",
	"oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
	"uô", "uơ", "uy", "ưa", "ưi", "ưo", "ươ", "ưu", "yê",
	"iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê",
	"uyu", "ươi", "ươu",
};

/* Open pairs whose tone moves to the second vowel in the new style. */
static const char *const medial_pairs[] = { "oa", "oe", "uy" };

/* What a mark key does to a nucleus, by its bare spelling. */
struct mark_rule {
	const char *bare;
	const char *marked;
};

static const struct mark_rule circ_rules[] = {
	{ "a", "â" }, { "e", "ê" }, { "o", "ô" },
	{ "au", "âu" }, { "ay", "ây" }, { "eu", "êu" }, { "ie", "iê" },
	{ "oi", "ôi" }, { "ua", "uâ" }, { "ue", "uê" }, { "uo", "uô" },
	{ "ye", "yê" }, { "ieu", "iêu" }, { "yeu", "yêu" }, { "uay", "uây" },
	{ "uoi", "uôi" }, { "uye", "uyê" },
};

static const struct mark_rule horn_rules[] = {
	{ "o", "ơ" }, { "u", "ư" }, { "oi", "ơi" }, { "ua", "ưa" },
	{ "ui", "ưi" }, { "uo", "ươ" }, { "uu", "ưu" }, { "uoi", "ươi" },
	{ "uou", "ươu" },
};

static const struct mark_rule breve_rules[] = {
	{ "a", "ă" }, { "oa", "oă" },
};

/* What each key of a method does. */
enum action { ACT_TONE, ACT_MARK, ACT_BAR };

enum kind {
	KIND_CIRC = 1,
	KIND_HORN = 2,
	KIND_BREVE = 4,
	KIND_LONE = 8,   /* with no vowel to mark, the key itself is ư */
};

struct key_rule {
	char key;
	unsigned char action;
	unsigned char arg;    /* tone, or enum kind bits */
	char only;            /* a circumflex key that marks this letter only */
};

static const struct key_rule telex_keys[] = {
	{ 's', ACT_TONE, 1, 0 }, { 'f', ACT_TONE, 2, 0 },
	{ 'r', ACT_TONE, 3, 0 }, { 'x', ACT_TONE, 4, 0 },
	{ 'j', ACT_TONE, 5, 0 }, { 'z', ACT_TONE, 0, 0 },
	{ 'a', ACT_MARK, KIND_CIRC, 'a' },
	{ 'e', ACT_MARK, KIND_CIRC, 'e' },
	{ 'o', ACT_MARK, KIND_CIRC, 'o' },
	{ 'w', ACT_MARK, KIND_HORN | KIND_BREVE | KIND_LONE, 0 },
	{ 'd', ACT_BAR, 0, 0 },
};

static const struct key_rule vni_keys[] = {
	{ '1', ACT_TONE, 1, 0 }, { '2', ACT_TONE, 2, 0 },
	{ '3', ACT_TONE, 3, 0 }, { '4', ACT_TONE, 4, 0 },
	{ '5', ACT_TONE, 5, 0 }, { '0', ACT_TONE, 0, 0 },
	{ '6', ACT_MARK, KIND_CIRC, 0 },
	{ '7', ACT_MARK, KIND_HORN, 0 },
	{ '8', ACT_MARK, KIND_BREVE, 0 },
	{ '9', ACT_BAR, 0, 0 },
};

struct method {
	const struct key_rule *keys;
	size_t count;
};

static const struct method methods[] = {
	[IME_TELEX] = { telex_keys, COUNT(telex_keys) },
	[IME_VNI] = { vni_keys, COUNT(vni_keys) },
};

enum outcome {
	NOT_APPLIED,   /* the key goes in as typed */
	APPLIED,       /* the key changed the word and is used up */
	UNDONE,        /* the key took its own effect back, and goes in as typed */
};

/* ---- letters ---- */

static int is_vowel(char base)
{
	return base != '\0' && strchr("aeiouy", base) != NULL;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0) return 1;
	return 0;
}

/* Lower case, toneless spelling of l[from..to), with or without marks. */
static void spell(const struct word *w, int from, int to, int marks, char *out)
{
	size_t len = 0;
	int i;

	for (i = from; i < to; i++) {
		viet_letter l = w->l[i];
		l.tone = VIET_TONE_NONE;
		l.upper = 0;
		if (!marks) l.mark = VIET_MARK_NONE;
		len += utf8_encode(viet_letter_cp(&l), out + len);
	}
	out[len] = '\0';
}

/* Reads a table spelling ("ươ") into marks; returns the letter count. */
static int marks_of(const char *s, unsigned char *marks, int max)
{
	size_t pos = 0, len = strlen(s);
	int n = 0;
	viet_letter l;

	while (pos < len && n < max) {
		if (!viet_letter_of(utf8_decode(s, len, &pos), &l)) return -1;
		marks[n++] = l.mark;
	}
	return n;
}

static void strip_marks(const char *s, char *out)
{
	size_t pos = 0, len = strlen(s), o = 0;
	viet_letter l;

	while (pos < len)
		if (viet_letter_of(utf8_decode(s, len, &pos), &l))
			out[o++] = l.base;
	out[o] = '\0';
}

/* ---- syllables ---- */

static int nucleus_ok(const struct word *w, int from, int to)
{
	char marked[WORD_BYTES + 1], bare[WORD_BYTES + 1], entry[WORD_BYTES + 1];
	int unmarked;
	size_t i;

	spell(w, from, to, 1, marked);
	spell(w, from, to, 0, bare);
	unmarked = strcmp(marked, bare) == 0;
	for (i = 0; i < COUNT(nuclei); i++) {
		if (strcmp(marked, nuclei[i]) == 0) return 1;
		if (!unmarked) continue;
		strip_marks(nuclei[i], entry);
		if (strcmp(bare, entry) == 0) return 1;
	}
	return 0;
}

static void analyse(const struct word *w, struct syllable *s)
{
	char part[WORD_BYTES + 1];
	int i = 0, toned = 0;

	while (i < w->n && !is_vowel(w->l[i].base)) i++;
	if (i == 1 && i + 1 < w->n && is_vowel(w->l[i + 1].base)) {
		spell(w, 0, 2, 1, part);
		if (in_list(part, glide_initials, COUNT(glide_initials))) i = 2;
	}
	s->nuc = i;
	while (i < w->n && is_vowel(w->l[i].base)) i++;
	s->fin = i;
	s->tone = VIET_TONE_NONE;
	for (i = 0; i < w->n; i++)
		if (w->l[i].tone) {
			toned++;
			s->tone = w->l[i].tone;
		}
	s->valid = toned <= 1;
	spell(w, 0, s->nuc, 1, part);
	s->valid = s->valid && in_list(part, initials, COUNT(initials));
	/* q stands alone only before the u it is written with: qú on its way
	 * to quý (qusy types what quys does) */
	if (strcmp(part, "q") == 0 && (s->nuc == s->fin || w->l[s->nuc].base != 'u')) s->valid = 0;
	for (i = s->fin; i < w->n; i++)
		if (is_vowel(w->l[i].base)) s->valid = 0;
	spell(w, s->fin, w->n, 1, part);
	s->valid = s->valid && in_list(part, finals, COUNT(finals));
	if (s->valid && s->nuc < s->fin)
		s->valid = nucleus_ok(w, s->nuc, s->fin);
}

/* The vowel that carries the tone: the (last) vowel with a mark (tiếng,
 * được, thuở); else the last vowel before a final (hoàng); else the middle
 * of three (khuỷu); else the first of two (mùa), but the second of an open
 * oa, oe, uy in the new style (hoà). */
static int tone_position(const struct word *w, const struct syllable *s, ime_tone_style style)
{
	char pair[WORD_BYTES + 1];
	int a = s->nuc, b = s->fin, k;

	if (b - a == 1) return a;
	for (k = b - 1; k >= a; k--)
		if (w->l[k].mark != VIET_MARK_NONE) return k;
	if (b < w->n) return b - 1;
	if (b - a == 3) return a + 1;
	spell(w, a, b, 0, pair);
	if (style == IME_TONE_NEW && in_list(pair, medial_pairs, COUNT(medial_pairs)))
		return a + 1;
	return a;
}

static void clear_tones(struct word *w)
{
	int i;

	for (i = 0; i < w->n; i++) w->l[i].tone = VIET_TONE_NONE;
}

/* Puts the word's tone where it belongs; words that are no syllable keep
 * their letters as they are. */
static void settle(struct word *w, ime_tone_style style)
{
	struct syllable s;

	analyse(w, &s);
	if (!s.valid || s.tone == VIET_TONE_NONE || s.nuc == s.fin) return;
	clear_tones(w);
	w->l[tone_position(w, &s, style)].tone = (unsigned char)s.tone;
}

/* uơ and ưo followed by anything become ươ (uow + ng = ương), while uơ at
 * the end of a word stays (thuở, huơ). Only when the joined word is still
 * a syllable: a tone key typed again to undo the tone (thuở + r) is a
 * letter no syllable ends with, and must leave uơ as it was. */
static void join_uo(struct word *w)
{
	struct syllable s;
	struct word joined = *w;
	int k, changed = 0;

	analyse(w, &s);
	for (k = s.nuc; k + 1 < s.fin; k++) {
		viet_letter *u = &joined.l[k], *o = &joined.l[k + 1];
		if (u->base != 'u' || o->base != 'o' || k + 2 == w->n) continue;
		if (u->mark != VIET_MARK_NONE && u->mark != VIET_MARK_HORN) continue;
		if (o->mark != VIET_MARK_NONE && o->mark != VIET_MARK_HORN) continue;
		if (u->mark == o->mark) continue;
		u->mark = o->mark = VIET_MARK_HORN;
		changed = 1;
	}
	if (!changed) return;
	analyse(&joined, &s);
	if (s.valid) *w = joined;
}

/* ---- keys ---- */

static int push(struct word *w, viet_letter l)
{
	if (w->n >= WORD_MAX) return -1;
	w->l[w->n++] = l;
	return 0;
}

static int apply_tone(struct word *w, int tone)
{
	struct syllable s;
	char fin[WORD_BYTES + 1];

	analyse(w, &s);
	if (!s.valid || s.nuc == s.fin) return NOT_APPLIED;
	if (tone == VIET_TONE_NONE) {
		if (s.tone == VIET_TONE_NONE) return NOT_APPLIED;
		clear_tones(w);
		return APPLIED;
	}
	if (s.tone == tone) {
		clear_tones(w);
		return UNDONE;
	}
	spell(w, s.fin, w->n, 1, fin);
	if (tone != VIET_TONE_SAC && tone != VIET_TONE_NANG &&
	    in_list(fin, stop_finals, COUNT(stop_finals)))
		return NOT_APPLIED;
	clear_tones(w);
	w->l[s.nuc].tone = (unsigned char)tone;   /* settle() moves it */
	return APPLIED;
}

/* Fills target[] with the marks rules give the nucleus; 0 if none apply. */
static int mark_target(const struct word *w, const struct syllable *s,
		       const struct mark_rule *rules, size_t n, unsigned char *target)
{
	char bare[WORD_BYTES + 1];
	size_t i;

	spell(w, s->nuc, s->fin, 0, bare);
	for (i = 0; i < n; i++)
		if (strcmp(bare, rules[i].bare) == 0)
			return marks_of(rules[i].marked, target, WORD_MAX) == s->fin - s->nuc;
	return 0;
}

static int find_target(const struct word *w, const struct syllable *s, int kind,
		       unsigned char *target)
{
	if ((kind & KIND_HORN) && mark_target(w, s, horn_rules, COUNT(horn_rules), target))
		return 1;
	if ((kind & KIND_BREVE) && mark_target(w, s, breve_rules, COUNT(breve_rules), target))
		return 1;
	return (kind & KIND_CIRC) && mark_target(w, s, circ_rules, COUNT(circ_rules), target);
}

static int marks_letter(const struct word *w, const struct syllable *s,
			const unsigned char *target, char only)
{
	int k;

	for (k = s->nuc; k < s->fin; k++)
		if (w->l[k].base == only && target[k - s->nuc] == VIET_MARK_CIRC) return 1;
	return 0;
}

/* The word is gi and nothing else: its i belongs to the consonant once a
 * vowel follows (giữa, giường). */
static int only_gi(const struct word *w)
{
	char part[WORD_BYTES + 1];

	if (w->n != 2) return 0;
	spell(w, 0, 2, 1, part);
	return strcmp(part, "gi") == 0;
}

/* An open uo takes one horn first: uơ (thuở); join_uo adds the other. */
static void open_uo(const struct word *w, const struct syllable *s, unsigned char *target)
{
	int k;

	for (k = s->nuc; k + 1 < s->fin; k++)
		if (w->l[k].base == 'u' && w->l[k + 1].base == 'o' &&
		    target[k - s->nuc] == VIET_MARK_HORN && target[k + 1 - s->nuc] == VIET_MARK_HORN &&
		    k + 1 == w->n - 1 && w->l[k].mark == VIET_MARK_NONE)
			target[k - s->nuc] = VIET_MARK_NONE;
}

/* Takes the marks back; the ư a lone w made turns back into that w. */
static int undo_marks(ime *e, struct word *w, const struct syllable *s,
		      const unsigned char *target)
{
	int k, lone = 0;

	for (k = s->nuc; k < s->fin; k++) {
		if (target[k - s->nuc] == VIET_MARK_NONE) continue;
		w->l[k].mark = VIET_MARK_NONE;
		if (k == e->now.lone_w) {
			w->l[k].base = 'w';
			lone = 1;
		}
	}
	if (lone) e->now.lone_w = -1;
	return lone ? APPLIED : UNDONE;
}

static int apply_mark(ime *e, struct word *w, const struct key_rule *r, int upper)
{
	unsigned char target[WORD_MAX];
	struct syllable s;
	int k, same = 1;

	analyse(w, &s);
	if (!s.valid) return NOT_APPLIED;
	if (s.nuc == s.fin || (!find_target(w, &s, r->arg, target) && only_gi(w))) {
		/* No vowel to mark, or gi whose i is part of the consonant: the
		 * key is the vowel ư itself (trw → trư, giw → giư). */
		viet_letter u = { 'u', VIET_MARK_HORN, VIET_TONE_NONE, (unsigned char)upper };
		if (!(r->arg & KIND_LONE) || push(w, u) != 0) return NOT_APPLIED;
		e->now.lone_w = w->n - 1;
		return APPLIED;
	}
	if (!find_target(w, &s, r->arg, target)) return NOT_APPLIED;
	if (r->only && !marks_letter(w, &s, target, r->only)) return NOT_APPLIED;
	open_uo(w, &s, target);
	for (k = s.nuc; k < s.fin; k++)
		if (w->l[k].mark != target[k - s.nuc]) same = 0;
	if (same) return undo_marks(e, w, &s, target);
	for (k = s.nuc; k < s.fin; k++) w->l[k].mark = target[k - s.nuc];
	return APPLIED;
}

/* The d a bar key changes: the syllable's initial d (dr too), or in a run
 * of consonants with no vowel (an abbreviation: HĐND, UBND-HĐND) the d
 * just typed. -1 if none. */
static int bar_target(const struct word *w)
{
	struct syllable s;
	int i;

	for (i = 0; i < w->n; i++)
		if (is_vowel(w->l[i].base)) break;
	if (i == w->n) {
		/* dd + d is ddd for good, as ass + s is ass */
		if (w->n == 0 || w->l[w->n - 1].base != 'd') return -1;
		if (w->n >= 2 && w->l[w->n - 2].base == 'd' && w->l[w->n - 2].mark == VIET_MARK_NONE) return -1;
		return w->n - 1;
	}
	analyse(w, &s);
	if (!s.valid || w->l[0].base != 'd' || s.nuc < 1) return -1;
	return 0;
}

static int apply_bar(struct word *w)
{
	int k = bar_target(w);

	if (k < 0) return NOT_APPLIED;
	if (w->l[k].mark == VIET_MARK_NONE) {
		w->l[k].mark = VIET_MARK_BAR;
		return APPLIED;
	}
	w->l[k].mark = VIET_MARK_NONE;
	return UNDONE;
}

static int apply_key(ime *e, struct word *w, uint32_t key)
{
	const struct method *m;
	char k;
	size_t i;

	if (key >= 0x80 || (unsigned)e->method >= COUNT(methods)) return NOT_APPLIED;
	m = &methods[e->method];
	k = (char)(key >= 'A' && key <= 'Z' ? key - 'A' + 'a' : key);
	for (i = 0; i < m->count; i++) {
		const struct key_rule *r = &m->keys[i];
		if (r->key != k) continue;
		switch (r->action) {
		case ACT_TONE: return apply_tone(w, r->arg);
		case ACT_MARK: return apply_mark(e, w, r, key != (uint32_t)k);
		default: return apply_bar(w);
		}
	}
	return NOT_APPLIED;
}

/* ---- the caller's text ---- */

static uint32_t fingerprint(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int in_sync(const ime_place *p, const char *buf, size_t len)
{
	return p->valid && p->text_len == len && p->word_start <= len &&
	       p->word_sum == fingerprint(buf + p->word_start, len - p->word_start);
}

/* Records the text as an edit left it; prev is the place before the edit. */
static void remember(ime *e, const ime_place *prev, const char *buf, size_t start, size_t len)
{
	e->before = *prev;
	if (start != e->now.word_start) e->now.lone_w = -1;
	e->now.word_start = start;
	e->now.text_len = len;
	e->now.word_sum = fingerprint(buf + start, len - start);
	e->now.valid = 1;
}

/* Text changed from outside starts a new, empty word at its end, unless it
 * is the text as it was before the last key. */
static void sync(ime *e, const char *buf, size_t len)
{
	if (in_sync(&e->now, buf, len)) return;
	if (in_sync(&e->before, buf, len)) {
		e->now = e->before;
	} else {
		e->now.word_start = len;
		e->now.text_len = len;
		e->now.word_sum = fingerprint(buf + len, 0);
		e->now.lone_w = -1;
		e->now.valid = 1;
	}
	e->before.valid = 0;
}

static int parse_word(const char *s, size_t len, struct word *w)
{
	size_t pos = 0;
	viet_letter l;

	w->n = 0;
	while (pos < len) {
		if (!viet_letter_of(utf8_decode(s, len, &pos), &l) || push(w, l) != 0)
			return -1;
	}
	return 0;
}

static size_t render(const struct word *w, char *out)
{
	size_t len = 0;
	int i;

	for (i = 0; i < w->n; i++) {
		uint32_t cp = viet_letter_cp(&w->l[i]);
		len += utf8_encode(cp ? cp : (uint32_t)(unsigned char)w->l[i].base, out + len);
	}
	return len;
}

/* Start of the run of letters that ends at len. */
static size_t run_start(const char *buf, size_t len)
{
	size_t start = len;
	viet_letter l;

	while (start > 0) {
		size_t p = utf8_last_start(buf, start), q = p;
		if (!viet_letter_of(utf8_decode(buf, start, &q), &l) || q != start) break;
		start = p;
	}
	return start;
}

/* Appends the key as typed, for words the engine does not rewrite. */
static int append_raw(ime *e, char *buf, size_t cap, size_t len, const char *enc,
		      size_t klen, int letter)
{
	ime_place prev = e->now;

	if (len + klen + 1 > cap) return -1;
	memcpy(buf + len, enc, klen);
	buf[len + klen] = '\0';
	remember(e, &prev, buf, letter ? e->now.word_start : len + klen, len + klen);
	return 0;
}

void ime_init(ime *e, ime_method m, ime_tone_style s)
{
	memset(e, 0, sizeof *e);
	e->method = m;
	e->style = s;
	ime_reset(e);
}

void ime_reset(ime *e)
{
	e->now.valid = 0;
	e->now.lone_w = -1;
	e->before.valid = 0;
}

/* What a key is: typed (the method's rules), a tone key or a Vietnamese
 * letter key of the on-screen keyboard. */
enum how { HOW_TYPED, HOW_TONE, HOW_LETTER };

/* The on-screen letter key ă â ê ô ơ ư đ on the word: the mark goes onto
 * the word's letter that takes it by the same rules as Telex (Nguye + ê is
 * Nguyê, thuo + ơ is thuơ, d + đ is đ); APPLIED, or NOT_APPLIED when the
 * word has no such letter (the key is then the letter itself). */
static int apply_letter(struct word *w, const viet_letter *kl)
{
	static const int kinds[] = {
		[VIET_MARK_CIRC] = KIND_CIRC, [VIET_MARK_BREVE] = KIND_BREVE, [VIET_MARK_HORN] = KIND_HORN,
	};
	unsigned char target[WORD_MAX];
	struct syllable s;
	int k, hit = 0;

	if (kl->mark == VIET_MARK_BAR) {
		k = bar_target(w);
		if (k < 0 || w->l[k].mark != VIET_MARK_NONE) return NOT_APPLIED;
		w->l[k].mark = VIET_MARK_BAR;
		return APPLIED;
	}
	if (kl->mark == VIET_MARK_NONE || kl->mark >= COUNT(kinds)) return NOT_APPLIED;
	analyse(w, &s);
	if (!s.valid || s.nuc == s.fin || !find_target(w, &s, kinds[kl->mark], target)) return NOT_APPLIED;
	for (k = s.nuc; k < s.fin; k++)
		if (w->l[k].base == kl->base && target[k - s.nuc] == kl->mark && w->l[k].mark != kl->mark) hit = 1;
	if (!hit) return NOT_APPLIED;
	open_uo(w, &s, target);
	for (k = s.nuc; k < s.fin; k++) w->l[k].mark = target[k - s.nuc];
	return APPLIED;
}

/* The on-screen tone key: the tone goes on the word (settle places it);
 * the same tone again takes it off. NOT_APPLIED when the word cannot take
 * it (no vowel, huyền after a final c...). */
static int apply_tone_key(struct word *w, int tone)
{
	int r = apply_tone(w, tone);

	return r == UNDONE ? APPLIED : r;
}

/* One key of any kind into buf. 1: a tone key with nothing to act on, buf
 * unchanged. */
static int feed(ime *e, char *buf, size_t cap, uint32_t key, enum how how)
{
	char enc[4], out[WORD_BYTES + 4];
	size_t len, klen = 0, olen, start;
	viet_letter kl;
	struct word w;
	ime_place prev;
	int is_letter = 0, outcome, ends = 0;

	if (!e || !buf) return -1;
	if (how == HOW_TONE ? key >= VIET_TONE_COUNT : key == 0) return -1;
	if (how != HOW_TONE && (klen = utf8_encode(key, enc)) == 0) return -1;
	len = strlen(buf);
	if (len >= cap) return -1;
	sync(e, buf, len);
	prev = e->now;
	start = e->now.word_start;
	if (how != HOW_TONE) is_letter = viet_letter_of(key, &kl);
	if (how == HOW_LETTER && !is_letter) return -1;
	if (parse_word(buf + start, len - start, &w) != 0 || w.n == WORD_MAX)
		return how == HOW_TONE ? 1 : append_raw(e, buf, cap, len, enc, klen, is_letter);

	if (how == HOW_TONE) outcome = apply_tone_key(&w, (int)key);
	else if (how == HOW_LETTER) outcome = apply_letter(&w, &kl);
	else outcome = apply_key(e, &w, key);
	if (how == HOW_TONE && outcome != APPLIED) return 1;
	if (outcome != APPLIED && is_letter) {
		push(&w, kl);
		join_uo(&w);
	}
	settle(&w, e->style);
	olen = render(&w, out);
	if (outcome != APPLIED && !is_letter && how != HOW_TONE) {
		memcpy(out + olen, enc, klen);
		olen += klen;
		ends = 1;
	}
	if (start + olen + 1 > cap) {
		e->now = prev;   /* a lone w may have been noted */
		return -1;
	}
	memcpy(buf + start, out, olen);
	buf[start + olen] = '\0';
	remember(e, &prev, buf, ends ? start + olen : start, start + olen);
	return 0;
}

int ime_key(ime *e, char *buf, size_t cap, uint32_t key) { return feed(e, buf, cap, key, HOW_TYPED); }

int ime_tone(ime *e, char *buf, size_t cap, int tone)
{
	return tone < 0 ? -1 : feed(e, buf, cap, (uint32_t)tone, HOW_TONE);
}

int ime_letter(ime *e, char *buf, size_t cap, uint32_t letter) { return feed(e, buf, cap, letter, HOW_LETTER); }

void ime_backspace(ime *e, char *buf)
{
	char out[WORD_BYTES + 1];
	size_t len, cut, start, olen;
	struct word w;
	ime_place prev;

	if (!e || !buf || (len = strlen(buf)) == 0) return;
	if (!in_sync(&e->now, buf, len)) e->now.valid = 0;
	prev = e->now;
	if (!prev.valid) e->now.lone_w = -1;
	cut = utf8_last_start(buf, len);
	buf[cut] = '\0';
	start = run_start(buf, cut);
	if (parse_word(buf + start, cut - start, &w) == 0) {
		if (e->now.lone_w >= w.n) e->now.lone_w = -1;
		settle(&w, e->style);
		olen = render(&w, out);
		if (start + olen <= len) {   /* never beyond the text it had */
			memcpy(buf + start, out, olen);
			buf[start + olen] = '\0';
			cut = start + olen;
		}
	}
	remember(e, &prev, buf, start, cut);
}

/* Decomposed text is composed by viet.h, which knows the letters. */
void ime_nfc(char *buf) { viet_nfc(buf); }

int ime_type_string(ime *e, char *buf, size_t cap, const char *keys)
{
	size_t pos = 0, n;

	if (!e || !buf || !keys || cap == 0) return -1;
	buf[0] = '\0';
	ime_reset(e);
	n = strlen(keys);
	while (pos < n) {
		uint32_t cp = utf8_decode(keys, n, &pos);
		if (cp == UTF8_INVALID) return -1;
		if (cp == '\b')
			ime_backspace(e, buf);
		else if (ime_key(e, buf, cap, cp) != 0)
			return -1;
	}
	return 0;
}
