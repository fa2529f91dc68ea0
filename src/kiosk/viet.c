/* viet: the letters' table and their composition (see viet.h). */
#include "viet.h"
#include "utf8.h"
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Every precomposed Vietnamese letter, by base, mark and tone. */
struct glyph {
	char base;
	unsigned char mark;
	uint16_t lower[VIET_TONE_COUNT];
	uint16_t upper[VIET_TONE_COUNT];
};

static const struct glyph glyphs[] = {
	{ 'a', VIET_MARK_NONE, { 0x0061, 0x00E1, 0x00E0, 0x1EA3, 0x00E3, 0x1EA1 },
	  { 0x0041, 0x00C1, 0x00C0, 0x1EA2, 0x00C3, 0x1EA0 } }, /* aáàảãạ */
	{ 'a', VIET_MARK_CIRC, { 0x00E2, 0x1EA5, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EAD },
	  { 0x00C2, 0x1EA4, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EAC } }, /* âấầẩẫậ */
	{ 'a', VIET_MARK_BREVE, { 0x0103, 0x1EAF, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EB7 },
	  { 0x0102, 0x1EAE, 0x1EB0, 0x1EB2, 0x1EB4, 0x1EB6 } }, /* ăắằẳẵặ */
	{ 'e', VIET_MARK_NONE, { 0x0065, 0x00E9, 0x00E8, 0x1EBB, 0x1EBD, 0x1EB9 },
	  { 0x0045, 0x00C9, 0x00C8, 0x1EBA, 0x1EBC, 0x1EB8 } }, /* eéèẻẽẹ */
	{ 'e', VIET_MARK_CIRC, { 0x00EA, 0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7 },
	  { 0x00CA, 0x1EBE, 0x1EC0, 0x1EC2, 0x1EC4, 0x1EC6 } }, /* êếềểễệ */
	{ 'i', VIET_MARK_NONE, { 0x0069, 0x00ED, 0x00EC, 0x1EC9, 0x0129, 0x1ECB },
	  { 0x0049, 0x00CD, 0x00CC, 0x1EC8, 0x0128, 0x1ECA } }, /* iíìỉĩị */
	{ 'o', VIET_MARK_NONE, { 0x006F, 0x00F3, 0x00F2, 0x1ECF, 0x00F5, 0x1ECD },
	  { 0x004F, 0x00D3, 0x00D2, 0x1ECE, 0x00D5, 0x1ECC } }, /* oóòỏõọ */
	{ 'o', VIET_MARK_CIRC, { 0x00F4, 0x1ED1, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED9 },
	  { 0x00D4, 0x1ED0, 0x1ED2, 0x1ED4, 0x1ED6, 0x1ED8 } }, /* ôốồổỗộ */
	{ 'o', VIET_MARK_HORN, { 0x01A1, 0x1EDB, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EE3 },
	  { 0x01A0, 0x1EDA, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EE2 } }, /* ơớờởỡợ */
	{ 'u', VIET_MARK_NONE, { 0x0075, 0x00FA, 0x00F9, 0x1EE7, 0x0169, 0x1EE5 },
	  { 0x0055, 0x00DA, 0x00D9, 0x1EE6, 0x0168, 0x1EE4 } }, /* uúùủũụ */
	{ 'u', VIET_MARK_HORN, { 0x01B0, 0x1EE9, 0x1EEB, 0x1EED, 0x1EEF, 0x1EF1 },
	  { 0x01AF, 0x1EE8, 0x1EEA, 0x1EEC, 0x1EEE, 0x1EF0 } }, /* ưứừửữự */
	{ 'y', VIET_MARK_NONE, { 0x0079, 0x00FD, 0x1EF3, 0x1EF7, 0x1EF9, 0x1EF5 },
	  { 0x0059, 0x00DD, 0x1EF2, 0x1EF6, 0x1EF8, 0x1EF4 } }, /* yýỳỷỹỵ */
	{ 'd', VIET_MARK_BAR, { 0x0111, 0, 0, 0, 0, 0 },
	  { 0x0110, 0, 0, 0, 0, 0 } },                          /* đ */
};

/* Combining marks that decomposed Vietnamese text is made of. */
struct combining {
	uint16_t cp;
	unsigned char tone;
	unsigned char mark;
};

static const struct combining combining_marks[] = {
	{ 0x0301, 1, VIET_MARK_NONE },  /* acute: sắc */
	{ 0x0300, 2, VIET_MARK_NONE },  /* grave: huyền */
	{ 0x0309, 3, VIET_MARK_NONE },  /* hook above: hỏi */
	{ 0x0303, 4, VIET_MARK_NONE },  /* tilde: ngã */
	{ 0x0323, 5, VIET_MARK_NONE },  /* dot below: nặng */
	{ 0x0302, 0, VIET_MARK_CIRC },
	{ 0x0306, 0, VIET_MARK_BREVE },
	{ 0x031B, 0, VIET_MARK_HORN },
};



static const struct glyph *glyph_find(char base, int mark)
{
	size_t i;

	for (i = 0; i < COUNT(glyphs); i++)
		if (glyphs[i].base == base && glyphs[i].mark == mark)
			return &glyphs[i];
	return NULL;
}

/* The code point of a letter, 0 if there is no such letter. */
uint32_t viet_letter_cp(const viet_letter *l)
{
	const struct glyph *g;

	if (l->mark == VIET_MARK_NONE && l->tone == VIET_TONE_NONE)
		return (uint32_t)(unsigned char)(l->upper ? l->base - 'a' + 'A' : l->base);
	g = glyph_find(l->base, l->mark);
	if (!g || l->tone >= VIET_TONE_COUNT) return 0;
	return l->upper ? g->upper[l->tone] : g->lower[l->tone];
}

int viet_letter_of(uint32_t cp, viet_letter *l)
{
	size_t i;
	int t;

	memset(l, 0, sizeof *l);
	if (cp == 0) return 0;   /* the glyph table pads with zeros */
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
		l->upper = cp <= 'Z';
		l->base = (char)(l->upper ? cp - 'A' + 'a' : cp);
		return 1;
	}
	for (i = 0; i < COUNT(glyphs); i++)
		for (t = 0; t < VIET_TONE_COUNT; t++) {
			if (glyphs[i].lower[t] != cp && glyphs[i].upper[t] != cp)
				continue;
			l->base = glyphs[i].base;
			l->mark = glyphs[i].mark;
			l->tone = (unsigned char)t;
			l->upper = glyphs[i].upper[t] == cp;
			return 1;
		}
	return 0;
}


static int fold_mark(viet_letter *l, uint32_t cp)
{
	viet_letter t = *l;
	size_t i;

	for (i = 0; i < COUNT(combining_marks); i++) {
		const struct combining *c = &combining_marks[i];
		if (c->cp != cp) continue;
		if (c->tone) {
			if (t.tone) return 0;
			t.tone = c->tone;
		} else {
			if (t.mark) return 0;
			t.mark = c->mark;
		}
		if (viet_letter_cp(&t) == 0) return 0;
		*l = t;
		return 1;
	}
	return 0;
}

void viet_nfc(char *buf)
{
	size_t len, r = 0, o = 0;

	if (!buf) return;
	len = strlen(buf);
	while (r < len) {
		size_t p = r, q;
		viet_letter l;
		int folded = 0;
		uint32_t cp = utf8_decode(buf, len, &p);

		q = p;
		if (cp != UTF8_INVALID && viet_letter_of(cp, &l))
			while (fold_mark(&l, utf8_decode(buf, len, &q))) {
				p = q;
				folded = 1;
			}
		if (folded) {
			/* the letter is never longer than base and marks were */
			o += utf8_encode(viet_letter_cp(&l), buf + o);
		} else {
			memmove(buf + o, buf + r, p - r);
			o += p - r;
		}
		r = p;
	}
	buf[o] = '\0';
}
