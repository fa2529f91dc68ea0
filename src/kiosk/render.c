/* render: SDL drawing of the widget list (see render.h).
 *
 * Colours and shapes are decided here from a widget's kind and flags, never
 * in the screens. Lines are broken here too, by measuring words with the
 * font, because only the renderer knows how wide a word is. */
#include "render.h"
#include "dirty.h"
#include "fontfile.h"
#include "log.h"
#include <SDL_ttf.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 384
/* The line textures kept, in bytes: at 1920x1080 a visit's lines at the
 * larger sizes would otherwise fill all 384 slots with about 10 MiB of
 * pixels, most of them from screens already left; beyond the budget the
 * least recently drawn go first (never one drawn in this frame). */
#define CACHE_BYTES ((size_t)4 << 20)

/* Text widths measured, by a keyed hash of the font and the text: a
 * screen is laid out again on every event and its lines broken by
 * measuring each prefix, and TTF_SizeUTF8 shapes the text with HarfBuzz
 * each time (a cold start to a receipt spent a fifth of its time there).
 * Direct-mapped: a slot taken by another text is overwritten. No text is
 * kept, only the hash (SipHash with a key of this process), so nothing a
 * citizen typed stays here as words. */
#define WIDTH_SLOTS 4096

typedef struct {
	uint64_t key;            /* 0: empty */
	int w;
} width_entry;

typedef struct {
	Uint32 hash;
	int font;
	Uint32 color;
	char *text;
	SDL_Texture *tex;
	int w, h;
	size_t bytes;            /* the texture's pixels */
	unsigned long used;
} cache_entry;

struct render {
	SDL_Renderer *r;
	char fonts_dir[512];
	float scale;             /* the layout's: borders, insets */
	float px_mm;             /* pixels per millimetre the fonts were opened for (larger text included) */
	TTF_Font *fonts[FONT_COUNT];
	int cap[FONT_COUNT];     /* each font's cap height in pixels, measured on its H */
	cache_entry cache[CACHE_SIZE];
	width_entry widths[WIDTH_SLOTS];
	unsigned char width_key[crypto_shorthash_KEYBYTES];
	size_t cache_bytes;      /* the sum of the entries' bytes */
	unsigned long frame;
	widget_list *wl;         /* the list last drawn: where a cut line is recorded */
	unsigned visits;         /* the ui's count of visits ended when the cache was last wiped */
	dirty_state dirty;       /* what the last frame drew, to redraw only what changed */
	dirty_plan plan;         /* what the last frame redrew */
	int clipping;            /* drawing inside clip (one of the plan's rectangles), not the whole frame */
	SDL_Rect clip;
};

/* Each font's size in pixels on the 7-inch design panel (UI_PX_PER_MM,
 * 5.2 px per mm); a panel of another density (panel_mm) or a visit's
 * larger text gets the same size in millimetres. Every text's capitals are
 * at least 3 mm there (23 px: 22 would be 2.99 mm at 1920x1080), and what
 * the citizen must act on (FONT_LARGE: what to do next, the office's note)
 * and the code at least 4 mm (30 px): render_cap_px reports what they
 * measure, and tests/e2e/readable.py holds every screen to it. Small text
 * is as tall as body text; it stays a font of its own so that hints can be
 * told apart by colour and kept to one line by the layout. */
static const struct { const char *file; int size; } font_specs[FONT_COUNT] = {
	[FONT_SMALL] = { "NotoSans-Regular.ttf", 23 },
	[FONT_BODY] = { "NotoSans-Regular.ttf", 23 },
	[FONT_LARGE] = { "NotoSans-Bold.ttf", 30 },
	[FONT_TITLE] = { "NotoSans-Bold.ttf", 23 },
	[FONT_CODE] = { "NotoSans-Bold.ttf", 30 },
	[FONT_HUGE] = { "NotoSans-Bold.ttf", 96 },    /* a queue number, read at arm's length and more */
};

/* The palette: calm blue for actions, white cards on a light grey ground.
 * Every text is at least 4.5:1 against what it is drawn on and every
 * control's border 3:1 against the ground around it (WCAG 2.1, 1.4.3 and
 * 1.4.11), disabled text included: tests/e2e/t_readable.py measures them. */
static const SDL_Color C_GROUND = { 0xF1, 0xF4, 0xF7, 0xFF };
static const SDL_Color C_CARD = { 0xFF, 0xFF, 0xFF, 0xFF };
static const SDL_Color C_BORDER = { 0x6B, 0x7A, 0x89, 0xFF };
static const SDL_Color C_PRIMARY = { 0x0B, 0x4F, 0x8C, 0xFF };
static const SDL_Color C_BAR_BUTTON = { 0x2A, 0x6C, 0xA8, 0xFF };
static const SDL_Color C_GO = { 0x1E, 0x7B, 0x34, 0xFF };    /* the way forward on a title bar */
static const SDL_Color C_SELECTED = { 0xD6, 0xE8, 0xFA, 0xFF };
static const SDL_Color C_TEXT = { 0x1B, 0x26, 0x31, 0xFF };
static const SDL_Color C_MUTED = { 0x55, 0x63, 0x70, 0xFF };
static const SDL_Color C_WHITE = { 0xFF, 0xFF, 0xFF, 0xFF };
static const SDL_Color C_ERROR = { 0xB7, 0x1C, 0x1C, 0xFF };
static const SDL_Color C_DONE = { 0x1B, 0x6B, 0x2A, 0xFF };   /* a done tab's mark; a resolved status's words */
static const SDL_Color C_ACT = { 0x9A, 0x5B, 0x00, 0xFF };    /* the citizen must act (a supplement) */
static const SDL_Color C_KEYS = { 0xD3, 0xDA, 0xE1, 0xFF };
static const SDL_Color C_SPECIAL_KEY = { 0xC4, 0xCD, 0xD6, 0xFF };
static const SDL_Color C_KEY_EDGE = { 0x6B, 0x7A, 0x89, 0xFF };  /* a white key's edge on the grey tray */
static const SDL_Color C_WARN_BG = { 0xFF, 0xF4, 0xD6, 0xFF };
static const SDL_Color C_DISABLED = { 0x5E, 0x6B, 0x78, 0xFF };   /* 5:1 on white: read, but plainly not lit */

static Uint32 hash_text(const char *s, int font, Uint32 color)
{
	Uint32 h = 2166136261u ^ (Uint32)font ^ (color * 16777619u);
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* One entry emptied: its texture gone and its text wiped (it may be a
 * name or a number the citizen typed). */
static void cache_drop(render *rd, cache_entry *e)
{
	if (e->tex) SDL_DestroyTexture(e->tex);
	if (e->text) sodium_memzero(e->text, strlen(e->text));
	free(e->text);
	rd->cache_bytes -= e->bytes;
	memset(e, 0, sizeof *e);
}

static void cache_clear(render *rd)
{
	int i;
	for (i = 0; i < CACHE_SIZE; i++) cache_drop(rd, &rd->cache[i]);
	rd->cache_bytes = 0;
}

/* Drops the least recently drawn entries until the cache is within its
 * byte budget, keeping those drawn in this frame. */
static void cache_trim(render *rd)
{
	while (rd->cache_bytes > CACHE_BYTES) {
		cache_entry *oldest = NULL;
		int i;
		for (i = 0; i < CACHE_SIZE; i++) {
			cache_entry *e = &rd->cache[i];
			if (e->tex && e->used < rd->frame && (!oldest || e->used < oldest->used)) oldest = e;
		}
		if (!oldest) return;
		cache_drop(rd, oldest);
	}
}

static void widths_clear(render *rd)
{
	sodium_memzero(rd->widths, sizeof rd->widths);
}

static void close_fonts(render *rd)
{
	int i;
	for (i = 0; i < FONT_COUNT; i++) {
		if (rd->fonts[i]) TTF_CloseFont(rd->fonts[i]);
		rd->fonts[i] = NULL;
	}
}

/* The height of a font's capitals in pixels, from the outline of its H. */
static int cap_height(TTF_Font *f)
{
	int minx, maxx, miny, maxy, adv;
	if (TTF_GlyphMetrics(f, 'H', &minx, &maxx, &miny, &maxy, &adv) != 0) return TTF_FontAscent(f);
	return maxy;
}

/* Opens font i at its design size for px_mm pixels per millimetre. */
static int open_font(render *rd, int i, float px_mm, char *err, size_t errlen)
{
	char path[600];
	int size = (int)(font_specs[i].size * px_mm / UI_PX_PER_MM + 0.5f);
	snprintf(path, sizeof path, "%s/%s", rd->fonts_dir, font_specs[i].file);
	rd->fonts[i] = fontfile_open(path, size > 4 ? size : 4, err, errlen);
	if (!rd->fonts[i]) return -1;
	TTF_SetFontHinting(rd->fonts[i], TTF_HINTING_LIGHT);
	rd->cap[i] = cap_height(rd->fonts[i]);
	return 0;
}

int render_rescale(render *rd, float scale, float px_mm, char *err, size_t errlen)
{
	int i;
	cache_clear(rd);
	widths_clear(rd);
	close_fonts(rd);
	dirty_invalidate(&rd->dirty);
	rd->scale = scale;
	rd->px_mm = px_mm;
	for (i = 0; i < FONT_COUNT; i++)
		if (open_font(rd, i, px_mm, err, errlen) != 0) return -1;
	return 0;
}

int render_follow(render *rd, const ui *u)
{
	char err[300];
	float px_mm = u->px_per_mm * u->text_scale;
	if (rd->scale == u->scale && rd->px_mm == px_mm) return 0;
	if (render_rescale(rd, u->scale, px_mm, err, sizeof err) == 0) return 0;
	log_error("%s", err);
	return -1;
}

int render_cap_px(const render *rd, widget_font font) { return rd->cap[font]; }

render *render_new(SDL_Renderer *r, const char *fonts_dir, float scale, float px_mm, char *err, size_t errlen)
{
	render *rd;
	if (!TTF_WasInit() && TTF_Init() != 0) {
		snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
		return NULL;
	}
	rd = calloc(1, sizeof *rd);
	if (!rd) { snprintf(err, errlen, "out of memory"); return NULL; }
	rd->r = r;
	dirty_init(&rd->dirty);
	randombytes_buf(rd->width_key, sizeof rd->width_key);
	snprintf(rd->fonts_dir, sizeof rd->fonts_dir, "%s", fonts_dir);
	if (render_rescale(rd, scale, px_mm, err, errlen) != 0) {
		render_free(rd);
		return NULL;
	}
	return rd;
}

void render_free(render *rd)
{
	if (!rd) return;
	cache_clear(rd);
	widths_clear(rd);
	close_fonts(rd);
	free(rd);
}

/* The texture of one line of text, from the cache or rendered now. */
static cache_entry *text_texture(render *rd, int font, SDL_Color color, const char *text)
{
	Uint32 c = (Uint32)color.r << 24 | (Uint32)color.g << 16 | (Uint32)color.b << 8 | color.a;
	Uint32 h = hash_text(text, font, c);
	cache_entry *e, *oldest = &rd->cache[0];
	SDL_Surface *s;
	int i;
	for (i = 0; i < CACHE_SIZE; i++) {
		e = &rd->cache[i];
		if (e->tex && e->hash == h && e->font == font && e->color == c && strcmp(e->text, text) == 0) {
			e->used = rd->frame;
			return e;
		}
		if (!e->tex) { oldest = e; break; }
		if (e->used < oldest->used) oldest = e;
	}
	e = oldest;
	if (e->tex) cache_drop(rd, e);
	s = TTF_RenderUTF8_Blended(rd->fonts[font], text, color);
	if (!s) return NULL;
	e->tex = SDL_CreateTextureFromSurface(rd->r, s);
	e->w = s->w;
	e->h = s->h;
	SDL_FreeSurface(s);
	if (!e->tex) return NULL;
	e->text = strdup(text);
	if (!e->text) { SDL_DestroyTexture(e->tex); e->tex = NULL; return NULL; }
	e->hash = h;
	e->font = font;
	e->color = c;
	e->used = rd->frame;
	e->bytes = (size_t)e->w * (size_t)e->h * 4;
	rd->cache_bytes += e->bytes;
	cache_trim(rd);
	return e;
}

/* A line longer than the drawing buffer is cut between characters, and the
 * cut recorded as an overflow of the list being drawn. */
static size_t cut_line(render *rd, const char *s, size_t len, size_t room)
{
	if (len < room) return len;
	if (rd->wl) widget_overflow(rd->wl, "a line longer than the renderer's buffer");
	len = room - 1;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
	return len;
}

static int text_width(render *rd, int font, const char *s, size_t len)
{
	char buf[1024];
	unsigned char hash[crypto_shorthash_BYTES];
	uint64_t key;
	width_entry *e;
	int w = 0;
	len = cut_line(rd, s, len, sizeof buf);
	crypto_shorthash(hash, (const unsigned char *)s, len, rd->width_key);
	memcpy(&key, hash, sizeof key);
	key = (key ^ ((uint64_t)font + 1) * 0x9E3779B97F4A7C15u) | 1;
	e = &rd->widths[key % WIDTH_SLOTS];
	if (e->key == key) return e->w;
	memcpy(buf, s, len);
	buf[len] = '\0';
	TTF_SizeUTF8(rd->fonts[font], buf, &w, NULL);
	sodium_memzero(buf, len);
	e->key = key;
	e->w = w;
	return w;
}

typedef struct { size_t start, len; } line_span;

/* Greedy line breaking at spaces and newlines; a word wider than the box is
 * broken between characters. Returns the number of lines (up to max). */
static int wrap_lines(render *rd, int font, const char *s, int width, line_span *lines, int max)
{
	size_t n = strlen(s), start = 0;
	int count = 0;
	while (start <= n && count < max) {
		size_t end = start, last_fit = start, i;
		int broke = 0;
		for (i = start; i <= n; i++) {
			if (i == n || s[i] == ' ' || s[i] == '\n') {
				if (text_width(rd, font, s + start, i - start) > width) break;
				last_fit = i;
				if (i == n || s[i] == '\n') { broke = 1; break; }
			}
		}
		end = last_fit;
		if (end == start && !broke) {
			/* No space fits: cut the word at the last character that fits. */
			size_t j = start;
			while (j < n && (unsigned char)s[j] != '\n') {
				size_t k = j + 1;
				while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
				if (text_width(rd, font, s + start, k - start) > width && j > start) break;
				j = k;
			}
			end = j;
			lines[count].start = start;
			lines[count].len = end - start;
			count++;
			start = end;
			continue;
		}
		lines[count].start = start;
		lines[count].len = end - start;
		count++;
		if (end >= n) break;
		start = end + 1;
	}
	if (count == 0 && max > 0) { lines[0].start = 0; lines[0].len = 0; count = 1; }
	return count;
}

static void fill(render *rd, SDL_Color c, int x, int y, int w, int h)
{
	SDL_Rect r = { x, y, w, h };
	SDL_SetRenderDrawColor(rd->r, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(rd->r, &r);
}

static void frame_rect(render *rd, SDL_Color c, int x, int y, int w, int h, int t)
{
	fill(rd, c, x, y, w, t);
	fill(rd, c, x, y + h - t, w, t);
	fill(rd, c, x, y, t, h);
	fill(rd, c, x + w - t, y, t, h);
}

/* Draws one line with its line box's top at y: the baseline is always
 * y + ascent, whatever the letters. Returns the x after the text. When the
 * text is wider than max_w, tail shows its end, else its start. */
static int draw_line(render *rd, int font, SDL_Color color, const char *text, size_t len,
	int x, int y, int max_w, int center, int tail)
{
	char buf[1024];
	cache_entry *e;
	SDL_Rect src, dst;
	if (len == 0) return x;
	len = cut_line(rd, text, len, sizeof buf);
	memcpy(buf, text, len);
	buf[len] = '\0';
	e = text_texture(rd, font, color, buf);
	if (!e) return x;
	src.x = 0; src.y = 0; src.w = e->w; src.h = e->h;
	if (src.w > max_w) {
		if (tail) src.x = src.w - max_w;
		src.w = max_w;
	}
	dst.x = center ? x + (max_w - src.w) / 2 : x;
	dst.y = y;
	dst.w = src.w;
	dst.h = src.h;
	SDL_RenderCopy(rd->r, e->tex, &src, &dst);
	return dst.x + dst.w;
}

#define MAX_LINES 200

/* Text in a box: one line centred on the box's middle, or wrapped lines
 * from the top (or the last lines, for inputs that show their end). */
static void draw_text(render *rd, const widget *w, SDL_Color color, int inset)
{
	TTF_Font *f = rd->fonts[w->font];
	int line_h = TTF_FontLineSkip(f), box_h = TTF_FontHeight(f);
	int x = w->x + inset, width = w->w - 2 * inset, cx = x, cy;
	int center = (w->flags & WF_CENTER) != 0, tail = (w->flags & WF_TAIL) != 0;
	SDL_Rect clip = { w->x, w->y, w->w, w->h };
	if (rd->clipping && !SDL_IntersectRect(&clip, &rd->clip, &clip)) return;
	SDL_RenderSetClipRect(rd->r, &clip);
	if (!(w->flags & WF_WRAP)) {
		cy = w->y + (w->h - box_h) / 2;
		cx = draw_line(rd, w->font, color, w->text, strlen(w->text), x, cy, width, center, tail);
	} else {
		line_span lines[MAX_LINES];
		int n = wrap_lines(rd, w->font, w->text, width, lines, MAX_LINES), i, first = 0;
		int fit = (w->h - 2 * inset) / line_h;
		if (fit < 1) fit = 1;
		if (tail && n > fit) first = n - fit;
		int shown = n - first < fit ? n - first : fit;
		int total = shown * line_h;
		cy = center ? w->y + (w->h - total) / 2 : w->y + inset;
		for (i = first; i < first + shown; i++) {
			int lw = text_width(rd, w->font, w->text + lines[i].start, lines[i].len);
			int lx = center ? x + (width - lw) / 2 : x;
			cx = draw_line(rd, w->font, color, w->text + lines[i].start, lines[i].len, lx, cy, width, 0, 0);
			if (lines[i].len == 0) cx = lx;
			if (i + 1 < first + shown) cy += line_h;
		}
	}
	if (w->flags & WF_CURSOR)
		fill(rd, C_PRIMARY, cx + 2, cy + box_h / 8, 3 > rd->scale * 2 ? 3 : (int)(rd->scale * 2), box_h * 3 / 4);
	SDL_RenderSetClipRect(rd->r, rd->clipping ? &rd->clip : NULL);
}

/* A thick line from (x0, y0) to (x1, y1): SDL draws one pixel wide. */
static void thick_line(render *rd, int x0, int y0, int x1, int y1, int t)
{
	int dx, dy;
	for (dy = -t / 2; dy <= t / 2; dy++)
		for (dx = -t / 2; dx <= t / 2; dx++) SDL_RenderDrawLine(rd->r, x0 + dx, y0 + dy, x1 + dx, y1 + dy);
}

/* A status's icon (screen_lookup.c names it): a disc in the status's
 * colour with a white sign drawn in lines, since the bundled font has
 * no symbols: a tick (done), "!" (the citizen must act), a cross
 * (refused), a clock (waiting). */
static void draw_icon(render *rd, const widget *w)
{
	const char *kind = w->id + 5;
	SDL_Color c = strcmp(kind, "ok") == 0 ? C_DONE : strcmp(kind, "act") == 0 ? C_ACT
		: strcmp(kind, "no") == 0 ? C_ERROR : C_PRIMARY;
	int r = (w->w < w->h ? w->w : w->h) / 2, cx = w->x + w->w / 2, cy = w->y + w->h / 2, y, t = r / 5 + 1;
	SDL_SetRenderDrawColor(rd->r, c.r, c.g, c.b, 0xFF);
	for (y = -r; y <= r; y++) {
		int half = 0;
		while ((half + 1) * (half + 1) + y * y <= r * r) half++;
		SDL_RenderDrawLine(rd->r, cx - half, cy + y, cx + half, cy + y);
	}
	SDL_SetRenderDrawColor(rd->r, 0xFF, 0xFF, 0xFF, 0xFF);
	if (strcmp(kind, "ok") == 0) {
		thick_line(rd, cx - r / 2, cy, cx - r / 8, cy + r / 3, t);
		thick_line(rd, cx - r / 8, cy + r / 3, cx + r / 2, cy - r / 3, t);
	} else if (strcmp(kind, "act") == 0) {
		thick_line(rd, cx, cy - r / 2, cx, cy + r / 8, t);
		fill(rd, C_WHITE, cx - t / 2, cy + r / 3, t, t);
	} else if (strcmp(kind, "no") == 0) {
		thick_line(rd, cx - r / 3, cy - r / 3, cx + r / 3, cy + r / 3, t);
		thick_line(rd, cx - r / 3, cy + r / 3, cx + r / 3, cy - r / 3, t);
	} else {
		thick_line(rd, cx, cy, cx, cy - r / 2, t);
		thick_line(rd, cx, cy, cx + r / 3, cy, t);
	}
}

static void draw_qr(render *rd, const widget *w)
{
	QRcode *q = QRcode_encodeString(w->text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int px, x0, y0, x, y, side;
	SDL_Rect rects[256];
	int n = 0;
	if (!q) return;
	/* Whole pixels per module and four modules of quiet zone all round. */
	px = w->w / (q->width + 8);
	if (px < 1) px = 1;
	side = px * (q->width + 8);
	x0 = w->x + (w->w - side) / 2;
	y0 = w->y + (w->h - side) / 2;
	fill(rd, C_WHITE, x0, y0, side, side);
	SDL_SetRenderDrawColor(rd->r, 0, 0, 0, 0xFF);
	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x++) {
			if (!(q->data[y * q->width + x] & 1)) continue;
			rects[n].x = x0 + (x + 4) * px;
			rects[n].y = y0 + (y + 4) * px;
			rects[n].w = px;
			rects[n].h = px;
			if (++n == 256) { SDL_RenderFillRects(rd->r, rects, n); n = 0; }
		}
	}
	if (n) SDL_RenderFillRects(rd->r, rects, n);
	QRcode_free(q);
}

static void draw_widget(render *rd, const widget *w)
{
	int t = rd->scale < 1.5f ? 1 : 2, inset = (int)(WIDGET_BUTTON_INSET / 2 * rd->scale);
	SDL_Color bg = C_CARD, fg = C_TEXT;
	switch (w->kind) {
	case W_PANEL:
		if (strcmp(w->id, "idle") == 0) {
			SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_BLEND);
			SDL_SetRenderDrawColor(rd->r, 0, 0, 0, 150);
			SDL_RenderFillRect(rd->r, &(SDL_Rect){ w->x, w->y, w->w, w->h });
			SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_NONE);
			return;
		}
		if (strncmp(w->id, "icon.", 5) == 0) { draw_icon(rd, w); return; }
		if (w->flags & WF_WARN) {   /* the idle bar: a warning's ground, edged */
			fill(rd, C_WARN_BG, w->x, w->y, w->w, w->h);
			frame_rect(rd, C_KEY_EDGE, w->x, w->y, w->w, w->h, t);
			return;
		}
		fill(rd, w->flags & WF_BAR ? C_PRIMARY : w->flags & WF_MUTED ? C_KEYS : C_CARD, w->x, w->y, w->w, w->h);
		return;
	case W_LABEL:
		if (w->flags & WF_WARN) {
			fill(rd, C_WARN_BG, w->x, w->y, w->w, w->h);
			inset = (int)(6 * rd->scale);
		} else inset = 0;
		fg = w->flags & WF_BAR ? C_WHITE : w->flags & WF_ERROR ? C_ERROR : w->flags & WF_MUTED ? C_MUTED
			: w->flags & WF_DONE ? C_DONE : C_TEXT;
		if ((w->flags & WF_PRIMARY)) fg = C_WHITE;
		draw_text(rd, w, fg, inset);
		return;
	case W_QR:
		draw_qr(rd, w);
		return;
	case W_INPUT:
		fill(rd, C_CARD, w->x, w->y, w->w, w->h);
		frame_rect(rd, w->flags & WF_ERROR ? C_ERROR : C_PRIMARY, w->x, w->y, w->w, w->h, 2 * t);
		draw_text(rd, w, C_TEXT, inset);
		return;
	case W_BUTTON: case W_TAB: case W_KEY:
		break;
	}
	if (w->kind == W_KEY) bg = w->flags & WF_PRIMARY ? C_PRIMARY : w->flags & WF_SELECTED ? C_SELECTED
		: w->flags & WF_MUTED ? C_SPECIAL_KEY : C_CARD;
	else if ((w->flags & WF_PRIMARY) && (w->flags & WF_BAR)) bg = C_GO;
	else if (w->flags & WF_PRIMARY) bg = C_PRIMARY;
	else if (w->flags & WF_BAR) bg = C_BAR_BUTTON;
	else if (w->flags & WF_SELECTED) bg = C_SELECTED;
	fg = (bg.r == C_PRIMARY.r && bg.g == C_PRIMARY.g) || (w->flags & WF_BAR) ? C_WHITE : C_TEXT;
	if (w->kind == W_TAB && (w->flags & WF_SELECTED)) { bg = C_PRIMARY; fg = C_WHITE; }
	if (!w->enabled && !(w->flags & WF_BAR)) fg = C_DISABLED;
	fill(rd, bg, w->x, w->y, w->w, w->h);
	if (!(w->flags & (WF_PRIMARY | WF_BAR)) && w->kind != W_KEY)
		frame_rect(rd, w->flags & WF_ERROR ? C_ERROR : C_BORDER, w->x, w->y, w->w, w->h, w->flags & WF_ERROR ? 3 * t : t);
	else if (w->kind == W_KEY && !(w->flags & WF_PRIMARY))
		frame_rect(rd, C_KEY_EDGE, w->x, w->y, w->w, w->h, t);
	else if (w->flags & WF_BAR)   /* a lighter blue on the bar's blue is not an edge: white is */
		frame_rect(rd, C_WHITE, w->x, w->y, w->w, w->h, t);
	if (w->kind == W_TAB && (w->flags & (WF_DONE | WF_ERROR)))
		fill(rd, w->flags & WF_ERROR ? C_ERROR : C_DONE, w->x, w->y + w->h - 5 * t, w->w, 5 * t);
	if (w->kind == W_BUTTON && !(w->flags & WF_BAR) && (w->flags & WF_CENTER)) {
		/* Big buttons with a hint below carry their label in the upper half. */
		widget top = *w;
		if (w->h > 150 * rd->scale) top.h = w->h / 2;
		top.flags |= WF_WRAP;
		draw_text(rd, &top, fg, inset);
		return;
	}
	draw_text(rd, w, fg, w->kind == W_KEY ? 0 : inset);
}

/* What a widget paints: its rectangle, and for a QR code the square
 * draw_qr centres on it, which may be taller (and, with at least one
 * pixel a module, wider: 177 modules and the quiet zone at most). */
static widget_rect paint_bounds(const widget *w)
{
	widget_rect r = { w->x, w->y, w->w, w->h };
	if (w->kind == W_QR) {
		int side = (w->w > 185 ? w->w : 185) + 2;
		r = (widget_rect){ w->x + (w->w - side) / 2 - 1, w->y + (w->h - side) / 2 - 1, side + 2, side + 2 };
		if (r.w < w->w) { r.x = w->x; r.w = w->w; }
		if (r.h < w->h) { r.y = w->y; r.h = w->h; }
	}
	return r;
}

/* A status icon's slanted lines are clipped by moving their ends, which
 * moves their pixels: it is redrawn whole or not at all. */
static int paint_whole(const widget *w) { return w->kind == W_PANEL && strncmp(w->id, "icon.", 5) == 0; }

static const dirty_ops paint_ops = { paint_bounds, paint_whole };
_Static_assert(RENDER_MAX_RECTS == DIRTY_MAX_RECTS, "render_changed hands on the plan's rectangles");

void render_draw(render *rd, ui *u)
{
	dirty_scene scene;
	int i, k;
	rd->frame++;
	/* A visit ended: its names and numbers leave the cache with it. */
	if (u->visits != rd->visits) {
		cache_clear(rd);
		widths_clear(rd);
		rd->visits = u->visits;
	}
	render_follow(rd, u);
	ui_build(u);
	rd->wl = &u->wl;
	memset(&scene, 0, sizeof scene);
	scene.screen = (int)u->screen;
	scene.language = (int)u->language;
	scene.width = u->width;
	scene.height = u->height;
	scene.scale = rd->scale;
	scene.px_mm = rd->px_mm;
	scene.visits = u->visits;
	dirty_frame(&rd->dirty, &u->wl, &scene, &paint_ops, &rd->plan);
	SDL_SetRenderDrawColor(rd->r, C_GROUND.r, C_GROUND.g, C_GROUND.b, 0xFF);
	if (rd->plan.full) {
		SDL_RenderClear(rd->r);
		for (i = 0; i < u->wl.n; i++) draw_widget(rd, &u->wl.items[i]);
		return;
	}
	/* Each rectangle from the ground up: every widget that crosses it, in
	 * order, clipped to it. */
	for (k = 0; k < rd->plan.n; k++) {
		widget_rect c = rd->plan.rects[k];
		rd->clip = (SDL_Rect){ c.x, c.y, c.w, c.h };
		rd->clipping = 1;
		SDL_RenderSetClipRect(rd->r, &rd->clip);
		fill(rd, C_GROUND, c.x, c.y, c.w, c.h);
		for (i = 0; i < u->wl.n; i++)
			if (dirty_overlap(rd->dirty.bounds[i], c)) draw_widget(rd, &u->wl.items[i]);
	}
	rd->clipping = 0;
	SDL_RenderSetClipRect(rd->r, NULL);
}

void render_invalidate(render *rd) { dirty_invalidate(&rd->dirty); }

int render_changed(const render *rd, SDL_Rect *rects, int max, long *area)
{
	int i;
	if (area) *area = rd->plan.area;
	if (rd->plan.full) return -1;
	for (i = 0; i < rd->plan.n && i < max; i++)
		rects[i] = (SDL_Rect){ rd->plan.rects[i].x, rd->plan.rects[i].y, rd->plan.rects[i].w, rd->plan.rects[i].h };
	return i;
}

int render_text_fits(render *rd, const widget *w)
{
	TTF_Font *f = rd->fonts[w->font];
	int width = w->w - (w->kind == W_LABEL || w->kind == W_KEY ? 0 : (int)(WIDGET_BUTTON_INSET * rd->scale));
	int warn = w->kind == W_LABEL && (w->flags & WF_WARN) ? (int)(6 * rd->scale) : 0;   /* draw_widget's inset */
	widget in;
	if (warn) {   /* measured inside the inset the warning's ground is drawn with */
		in = *w;
		in.w -= 2 * warn;
		in.h -= (w->flags & WF_WRAP) ? 2 * warn : 0;
		in.flags &= ~(unsigned)WF_WARN;
		return render_text_fits(rd, &in);
	}
	if (w->kind == W_INPUT || w->kind == W_QR || w->kind == W_PANEL || !w->text[0]) return 1;
	if (!(w->flags & WF_WRAP) && !(w->kind == W_BUTTON && (w->flags & WF_CENTER) && !(w->flags & WF_BAR))) {
		return text_width(rd, w->font, w->text, strlen(w->text)) <= width && TTF_FontHeight(f) <= w->h;
	}
	line_span lines[MAX_LINES];
	int n = wrap_lines(rd, w->font, w->text, width, lines, MAX_LINES), i;
	int h = w->kind == W_BUTTON && w->h > 150 * rd->scale ? w->h / 2 : w->h;
	for (i = 0; i < n; i++)
		if (text_width(rd, w->font, w->text + lines[i].start, lines[i].len) > width) return 0;
	return n * TTF_FontLineSkip(f) <= h;
}

int render_text_width(render *rd, widget_font font, const char *text, int *line_px)
{
	TTF_Font *f = rd->fonts[font];
	if (line_px) {
		int skip = TTF_FontLineSkip(f), box = TTF_FontHeight(f);
		*line_px = skip > box ? skip : box;
	}
	return text_width(rd, font, text, strlen(text));
}
