/* Tests for dirty: the redraw plan must cover every pixel whose widgets
 * changed (a widget changed, moved, added or removed, old place and new),
 * redraw nothing when nothing changed, fall back to a full redraw on a
 * new scene or a large change, keep to DIRTY_MAX_RECTS, and grow over a
 * widget that must be drawn whole. Every check of coverage is made pixel
 * by pixel against the rectangles the test itself knows changed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dirty.h"

#define W 800
#define H 480

static widget_rect own_rect(const widget *w) { return (widget_rect){ w->x, w->y, w->w, w->h }; }
static int icon_whole(const widget *w) { return strncmp(w->id, "icon", 4) == 0; }
static const dirty_ops ops = { own_rect, icon_whole };

static const dirty_scene scene = { .screen = 3, .language = 0, .width = W, .height = H, .scale = 1, .px_mm = 5.2f };

static void add(widget_list *l, const char *id, const char *text, int x, int y, int w, int h)
{
	widget_add(l, &(widget_spec){ .id = id, .text = text, .at = { x, y, w, h }, .kind = W_LABEL });
}

/* A form: the ground card, a field, a keyboard of 30 keys, a note at the bottom. */
static void form(widget_list *l, const char *typed)
{
	int i;
	widget_clear(l);
	add(l, "card", "", 0, 0, W, H);
	add(l, "input", typed, 10, 60, 780, 50);
	for (i = 0; i < 30; i++) {
		char id[16];
		snprintf(id, sizeof id, "k%d", i);
		add(l, id, "a", 10 + (i % 10) * 78, 250 + (i / 10) * 60, 74, 56);
	}
	add(l, "note", "", 10, 440, 300, 30);
}

static int covered(const dirty_plan *p, int x, int y)
{
	int i;
	if (p->full) return 1;
	for (i = 0; i < p->n; i++)
		if (x >= p->rects[i].x && y >= p->rects[i].y && x < p->rects[i].x + p->rects[i].w &&
		    y < p->rects[i].y + p->rects[i].h) return 1;
	return 0;
}

static void assert_covers(const dirty_plan *p, widget_rect r)
{
	int x, y;
	for (y = r.y; y < r.y + r.h; y++)
		for (x = r.x; x < r.x + r.w; x++)
			if (!covered(p, x, y)) fail_msg("pixel %d,%d of %d,%d %dx%d is not redrawn", x, y, r.x, r.y, r.w, r.h);
}

static dirty_state d;
static widget_list a, b;

static void test_first_then_nothing(void **state)
{
	dirty_plan p;
	(void)state;
	dirty_init(&d);
	form(&a, "Ng");
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_true(p.full);
	assert_int_equal(p.area, (long)W * H);
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_false(p.full);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.area, 0);
	dirty_invalidate(&d);
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_true(p.full);
}

static void test_one_changed(void **state)
{
	dirty_plan p;
	(void)state;
	dirty_init(&d);
	form(&a, "Ng");
	dirty_frame(&d, &a, &scene, &ops, &p);
	form(&b, "Ngu");
	dirty_frame(&d, &b, &scene, &ops, &p);
	assert_false(p.full);
	assert_int_equal(p.n, 1);
	assert_covers(&p, (widget_rect){ 10, 60, 780, 50 });
	assert_true(p.area == 780 * 50);
	/* A flag is a change too. */
	b.items[5].flags |= WF_SELECTED;
	dirty_frame(&d, &b, &scene, &ops, &p);
	assert_false(p.full);
	assert_covers(&p, own_rect(&b.items[5]));
	assert_true(p.area < 3 * 74 * 56);
	/* Moved, the list as long: its old place and its new. */
	b.items[5].y -= 100;
	dirty_frame(&d, &b, &scene, &ops, &p);
	assert_false(p.full);
	assert_covers(&p, own_rect(&b.items[5]));
	assert_covers(&p, (widget_rect){ b.items[5].x, b.items[5].y + 100, 74, 56 });
}

static void test_moved_and_removed(void **state)
{
	dirty_plan p;
	(void)state;
	dirty_init(&d);
	form(&a, "x");
	add(&a, "banner", "please correct", 400, 440, 390, 30);
	dirty_frame(&d, &a, &scene, &ops, &p);
	/* The banner goes and the note moves: both old places and the new one. */
	form(&b, "x");
	b.items[b.n - 1].x = 500;
	dirty_frame(&d, &b, &scene, &ops, &p);
	assert_false(p.full);
	assert_covers(&p, (widget_rect){ 400, 440, 390, 30 });
	assert_covers(&p, (widget_rect){ 10, 440, 300, 30 });
	assert_covers(&p, (widget_rect){ 500, 440, 300, 30 });
	/* One added before the note, the note back where it was: from there
	 * to the common end, old and new. */
	form(&a, "x");
	a.items[a.n] = a.items[a.n - 1];
	a.items[a.n - 1] = a.items[1];
	snprintf(a.items[a.n - 1].id, sizeof a.items[0].id, "hint");
	a.items[a.n - 1].y = 120;
	a.n++;
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_false(p.full);
	assert_covers(&p, (widget_rect){ 10, 120, 780, 50 });
	assert_covers(&p, (widget_rect){ 500, 440, 300, 30 });
	assert_covers(&p, (widget_rect){ 10, 440, 300, 30 });
	assert_true(p.area < (long)W * H / 3);
}

static void test_scene_and_large_changes(void **state)
{
	dirty_plan p;
	dirty_scene other = scene;
	int i;
	(void)state;
	dirty_init(&d);
	form(&a, "x");
	dirty_frame(&d, &a, &scene, &ops, &p);
	other.language = 1;
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	other.px_mm = 6.24f;                 /* larger text */
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	other.width = 1920;                  /* resized */
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	other.visits++;                      /* a visit ended */
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	other.width = W;
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_false(p.full);
	/* The whole card changed: more than half of the screen. */
	a.items[0].flags |= WF_MUTED;
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_true(p.full);
	/* Every key relabelled: the keyboard's rows (a third of the screen) in part. */
	for (i = 2; i < 32; i++) a.items[i].text = "A";
	dirty_frame(&d, &a, &other, &ops, &p);
	assert_false(p.full);
	for (i = 2; i < 32; i++) assert_covers(&p, own_rect(&a.items[i]));
}

static void test_capped(void **state)
{
	dirty_plan p;
	int i;
	(void)state;
	dirty_init(&d);
	widget_clear(&a);
	for (i = 0; i < 40; i++) {
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		add(&a, id, "", (i % 8) * 100, (i / 8) * 96, 10, 10);
	}
	dirty_frame(&d, &a, &scene, &ops, &p);
	for (i = 0; i < 40; i += 2) a.items[i].text = "changed";
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_false(p.full);
	assert_true(p.n <= DIRTY_MAX_RECTS);
	for (i = 0; i < 40; i += 2) assert_covers(&p, own_rect(&a.items[i]));
	assert_true(p.area < (long)W * H / 2);
}

static void test_whole_widget_grows(void **state)
{
	dirty_plan p;
	(void)state;
	dirty_init(&d);
	form(&a, "x");
	add(&a, "icon.ok", "", 700, 40, 80, 80);   /* over the input's right end */
	dirty_frame(&d, &a, &scene, &ops, &p);
	a.items[1].text = "xy";
	dirty_frame(&d, &a, &scene, &ops, &p);
	assert_false(p.full);
	assert_covers(&p, (widget_rect){ 10, 60, 780, 50 });
	assert_covers(&p, (widget_rect){ 700, 40, 80, 80 });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_then_nothing),
		cmocka_unit_test(test_one_changed),
		cmocka_unit_test(test_moved_and_removed),
		cmocka_unit_test(test_scene_and_large_changes),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_whole_widget_grows),
	};
	if (sodium_init() < 0) return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
