/* dirty: the frame's redraw plan from the widget lists (see dirty.h).
 *
 * Rectangles join when the box around both wastes little (lvgl joins two
 * invalidated areas when their union is smaller than the two apart; a
 * quarter more is allowed here, since every rectangle costs a pass over
 * the widget list); past DIRTY_MAX_RECTS the pair whose union wastes
 * least is joined. */
#include "dirty.h"
#include <string.h>

static long area(widget_rect r) { return r.w > 0 && r.h > 0 ? (long)r.w * r.h : 0; }

static widget_rect join(widget_rect a, widget_rect b)
{
	int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w, y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (widget_rect){ x0, y0, x1 - x0, y1 - y0 };
}

static widget_rect clip(widget_rect r, int width, int height)
{
	int x0 = r.x > 0 ? r.x : 0, y0 = r.y > 0 ? r.y : 0;
	int x1 = r.x + r.w < width ? r.x + r.w : width, y1 = r.y + r.h < height ? r.y + r.h : height;
	return (widget_rect){ x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0 };
}

int dirty_overlap(widget_rect a, widget_rect b)
{
	return area(a) && area(b) && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(widget_rect in, widget_rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

/* What the box around a and b paints that neither does (or more). */
static long waste(widget_rect a, widget_rect b) { return area(join(a, b)) - area(a) - area(b); }

/* The rectangles being gathered: more than the plan keeps, joined down at the end. */
#define GATHER (DIRTY_MAX_RECTS * 4)
typedef struct {
	widget_rect r[GATHER];
	int n;
} gather;

static void remove_at(gather *g, int i) { g->r[i] = g->r[--g->n]; }

static void join_cheapest(gather *g)
{
	int i, j, bi = 0, bj = 1;
	long best = -1;
	for (i = 0; i < g->n; i++)
		for (j = i + 1; j < g->n; j++) {
			long w = waste(g->r[i], g->r[j]);
			if (best < 0 || w < best) { best = w; bi = i; bj = j; }
		}
	g->r[bi] = join(g->r[bi], g->r[bj]);
	remove_at(g, bj);
}

/* Adds r, joining it with every rectangle near enough, again after each join. */
static void add(gather *g, widget_rect r, int width, int height)
{
	int i;
	r = clip(r, width, height);
	if (!area(r)) return;
	for (i = 0; i < g->n; i++) {
		widget_rect e = g->r[i];
		if (inside(r, e)) return;
		if (dirty_overlap(r, e) || waste(r, e) * 4 <= area(r) + area(e)) {
			r = join(r, e);
			remove_at(g, i);
			i = -1;
		}
	}
	if (g->n == GATHER) join_cheapest(g);
	g->r[g->n++] = r;
}

/* Grows each rectangle over the widgets that must be drawn whole and
 * that it crosses; 0 when that did not settle (the caller draws all). */
static int grow_whole(gather *g, const widget_list *wl, const dirty_state *d, const dirty_ops *ops, int width,
	int height)
{
	int round, i, k;
	for (round = 0; round < 8; round++) {
		int grew = 0;
		for (k = 0; k < g->n; k++)
			for (i = 0; i < wl->n; i++) {
				widget_rect b = clip(d->bounds[i], width, height);
				if (!ops->whole(&wl->items[i]) || !dirty_overlap(b, g->r[k]) || inside(b, g->r[k])) continue;
				g->r[k] = join(g->r[k], b);
				grew = 1;
			}
		if (!grew) return 1;
		/* Grown rectangles may now overlap: gather them again. */
		gather again = *g;
		g->n = 0;
		for (k = 0; k < again.n; k++) add(g, again.r[k], width, height);
	}
	return 0;
}

static uint64_t hash_bytes(const dirty_state *d, const void *p, size_t n)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;
	crypto_shorthash(out, p, n, d->key);
	memcpy(&h, out, sizeof h);
	return h;
}

/* Everything a widget's drawing depends on, as one hash. Not its value:
 * the renderer draws a widget's text, and a field's tab carries the
 * field's value (for the dump) without showing it, so hashing it would
 * redraw the tab at every letter. */
static uint64_t hash_widget(const dirty_state *d, const widget *w)
{
	struct {
		char id[48];
		int kind, font, enabled, x, y, w, h;
		unsigned flags;
		uint64_t text;
	} h;
	memset(&h, 0, sizeof h);
	memcpy(h.id, w->id, sizeof h.id);
	h.kind = (int)w->kind;
	h.font = (int)w->font;
	h.enabled = w->enabled;
	h.x = w->x; h.y = w->y; h.w = w->w; h.h = w->h;
	h.flags = w->flags;
	h.text = hash_bytes(d, w->text, strlen(w->text));
	return hash_bytes(d, &h, sizeof h);
}

static int same_scene(const dirty_scene *a, const dirty_scene *b)
{
	return a->screen == b->screen && a->language == b->language && a->width == b->width &&
		a->height == b->height && a->scale == b->scale && a->px_mm == b->px_mm && a->visits == b->visits;
}

void dirty_init(dirty_state *d)
{
	memset(d, 0, sizeof *d);
	crypto_shorthash_keygen(d->key);
}

void dirty_invalidate(dirty_state *d)
{
	d->valid = 0;
}

void dirty_frame(dirty_state *d, const widget_list *wl, const dirty_scene *scene, const dirty_ops *ops,
	dirty_plan *out)
{
	uint64_t hash[WIDGET_MAX];          /* the new frame's, until they replace the old */
	widget_rect old_bounds[WIDGET_MAX];
	int width = scene->width, height = scene->height, old_n = d->n, i, full;
	gather g;
	long total = 0;
	g.n = 0;
	for (i = 0; i < wl->n; i++) hash[i] = hash_widget(d, &wl->items[i]);
	memcpy(old_bounds, d->bounds, sizeof old_bounds[0] * (size_t)old_n);
	for (i = 0; i < wl->n; i++) d->bounds[i] = ops->bounds(&wl->items[i]);
	full = !d->valid || !same_scene(&d->scene, scene);
	if (!full && old_n == wl->n) {
		/* Position by position: what covers a pixel changed only where a hash did. */
		for (i = 0; i < wl->n; i++)
			if (hash[i] != d->hash[i]) {
				add(&g, old_bounds[i], width, height);
				add(&g, d->bounds[i], width, height);
			}
	} else if (!full) {
		/* Widgets came or went: everything between the common start and end. */
		int n = old_n < wl->n ? old_n : wl->n, a = 0, b = 0;
		while (a < n && hash[a] == d->hash[a]) a++;
		while (b < n - a && hash[wl->n - 1 - b] == d->hash[old_n - 1 - b]) b++;
		for (i = a; i < old_n - b; i++) add(&g, old_bounds[i], width, height);
		for (i = a; i < wl->n - b; i++) add(&g, d->bounds[i], width, height);
	}
	if (!full) full = !grow_whole(&g, wl, d, ops, width, height);
	while (!full && g.n > DIRTY_MAX_RECTS) join_cheapest(&g);
	for (i = 0; !full && i < g.n; i++) total += area(g.r[i]);
	if (!full && total > (long)(DIRTY_FULL_SHARE * (double)width * height)) full = 1;
	memset(out, 0, sizeof *out);
	if (full) {
		out->full = 1;
		out->n = 1;
		out->rects[0] = (widget_rect){ 0, 0, width, height };
		out->area = (long)width * height;
	} else {
		out->n = g.n;
		memcpy(out->rects, g.r, sizeof g.r[0] * (size_t)g.n);
		out->area = total;
	}
	memcpy(d->hash, hash, sizeof hash[0] * (size_t)wl->n);
	d->n = wl->n;
	d->scene = *scene;
	d->valid = 1;
}
