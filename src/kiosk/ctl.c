/* ctl: the control interface's commands (see ctl.h), a table of names and
 * handlers. Answers are built with jansson so any text a widget shows is
 * escaped correctly. */
#include "ctl.h"
#include "pngfile.h"
#include "kb.h"
#include "utf8.h"
#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

uint32_t ctl_now(const ctl *c) { return (c->still ? c->still_at : SDL_GetTicks()) + c->clock_offset; }

typedef int (*ctl_fn)(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen);

static const char *const kind_names[] = { "panel", "label", "button", "tab", "input", "key", "qr" };

static int cmd_dump(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	json_t *list = json_array();
	int i;
	(void)arg; (void)err; (void)errlen;
	ui_build(c->u);
	if (c->rd) render_follow(c->rd, c->u);   /* measured with the fonts the next frame draws with */
	json_object_set_new(answer, "screen", json_string(ui_screen_name(c->u->screen)));
	json_object_set_new(answer, "language", json_string(c->u->language == LANG_EN ? "en" : "vi"));
	json_object_set_new(answer, "px_per_mm", json_real(c->u->px_per_mm));
	json_object_set_new(answer, "text_scale", json_real(c->u->text_scale));
	/* the field typed into: where the tabs give way, nothing else says it */
	if (c->u->screen == SCREEN_FORM)
		json_object_set_new(answer, "focus", json_string(c->u->cat->fields[c->u->focus].name));
	static const char *const font_names[FONT_COUNT] = {
		[FONT_SMALL] = "small", [FONT_BODY] = "body", [FONT_LARGE] = "large", [FONT_TITLE] = "title",
		[FONT_CODE] = "code", [FONT_HUGE] = "huge",
	};
	for (i = 0; i < c->u->wl.n; i++) {
		const widget *w = &c->u->wl.items[i];
		json_t *o;
		if (w->kind == W_PANEL) continue;
		o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:b}", "id", w->id, "label", w->text,
			"x", w->x, "y", w->y, "w", w->w, "h", w->h, "enabled", w->enabled);
		if (w->value) json_object_set_new(o, "value", json_string(w->value));
		if (c->rd && !render_text_fits(c->rd, w)) json_object_set_new(o, "clipped", json_true());
		/* what a reader sees of its text: how tall its capitals are */
		if (c->rd && w->text && w->text[0] && w->kind != W_QR)
			json_object_set_new(o, "cap_px", json_integer(render_cap_px(c->rd, w->font)));
		/* which of the renderer's fonts, so a test can hold each to its size */
		if (w->text && w->text[0] && w->kind != W_QR) json_object_set_new(o, "font", json_string(font_names[w->font]));
		if (w->flags & WF_PRIMARY) json_object_set_new(o, "primary", json_true());
		json_object_set_new(o, "kind", json_string(kind_names[w->kind]));
		json_array_append_new(list, o);
	}
	json_object_set_new(answer, "widgets", list);
	/* Only when something overflowed, so a sound screen dumps as before. */
	if (c->u->wl.overflows) {
		json_object_set_new(answer, "overflows", json_integer(c->u->wl.overflows));
		json_object_set_new(answer, "overflow", json_string(c->u->wl.first_overflow));
	}
	return 0;
}

static int tap_id(ctl *c, const char *id, char *err, size_t errlen)
{
	const widget *w = ui_find(c->u, id);
	if (!w) { snprintf(err, errlen, "no widget \"%s\" on screen %s", id, ui_screen_name(c->u->screen)); return -1; }
	if (!w->enabled) { snprintf(err, errlen, "\"%s\" is disabled", id); return -1; }
	/* Through press and release at its centre, like a finger. */
	ui_press(c->u, w->x + w->w / 2, w->y + w->h / 2, ctl_now(c));
	if (ui_release(c->u, w->x + w->w / 2, w->y + w->h / 2, ctl_now(c)) != 0) {
		snprintf(err, errlen, "tapping \"%s\" did nothing", id);
		return -1;
	}
	return 0;
}

static int cmd_tap(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	int x, y;
	char extra;
	(void)answer;
	if (sscanf(arg, "%d %d %c", &x, &y, &extra) == 2) {
		const widget *w;
		ui_press(c->u, x, y, ctl_now(c));
		w = ui_hit(c->u, x, y);
		if (!w) { snprintf(err, errlen, "nothing to tap at %d %d", x, y); return -1; }
		json_object_set_new(answer, "tapped", json_string(w->id));
		return ui_release(c->u, x, y, ctl_now(c)) == 0 ? 0 : (snprintf(err, errlen, "tap at %d %d did nothing", x, y), -1);
	}
	if (!arg[0]) { snprintf(err, errlen, "usage: tap ID | tap X Y"); return -1; }
	return tap_id(c, arg, err, errlen);
}

static int cmd_hold(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	char id[64];
	double seconds;
	const widget *w;
	int x, y;
	(void)answer;
	if (sscanf(arg, "%63s %lf", id, &seconds) != 2 || seconds < 0 || seconds > 3600) {
		snprintf(err, errlen, "usage: hold ID SECONDS");
		return -1;
	}
	w = ui_find(c->u, id);
	if (!w) { snprintf(err, errlen, "no widget \"%s\" on screen %s", id, ui_screen_name(c->u->screen)); return -1; }
	x = w->x + w->w / 2;
	y = w->y + w->h / 2;
	if (ui_press(c->u, x, y, ctl_now(c)) != 0) { snprintf(err, errlen, "\"%s\" cannot be pressed", id); return -1; }
	c->clock_offset += (uint32_t)(seconds * 1000);
	ui_tick(c->u, ctl_now(c));
	ui_release(c->u, x, y, ctl_now(c));
	return 0;
}

static int press_key(ctl *c, const char *name, char *err, size_t errlen)
{
	char id[48];
	snprintf(id, sizeof id, "kb.%s", name);
	return tap_id(c, id, err, errlen);
}

/* Presses the keys that type ch, switching layer and shift as a person would. */
static int type_char(ctl *c, char ch, char *err, size_t errlen)
{
	int mode = ui_keyboard(c->u), tries;
	char lower = (char)tolower((unsigned char)ch);
	const kb_key *k = NULL;
	if (c->u->screen == SCREEN_PIN) {
		char id[16];
		snprintf(id, sizeof id, "pin.%c", ch);
		return tap_id(c, id, err, errlen);
	}
	if (mode < 0) { snprintf(err, errlen, "no keyboard on screen %s", ui_screen_name(c->u->screen)); return -1; }
	for (tries = 0; tries < 2; tries++) {
		k = kb_key_for_char((kb_mode)mode, c->u->kb_layer, c->u->input.method == IME_VNI, lower);
		if (k || mode != KB_TEXT) break;
		if (press_key(c, "layer", err, errlen) != 0) return -1;
	}
	if (!k) { snprintf(err, errlen, "no key types '%c' on this keyboard", ch); return -1; }
	if (mode == KB_TEXT && isalpha((unsigned char)ch) && (isupper((unsigned char)ch) != 0) != ui_shift_active(c->u))
		if (press_key(c, "shift", err, errlen) != 0) return -1;
	return press_key(c, k->name, err, errlen);
}

static int cmd_type(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	const char *p;
	(void)answer;
	for (p = arg; *p; p++) {
		if ((unsigned char)*p >= 0x80) {
			snprintf(err, errlen, "type presses keys: give ASCII keystrokes (Telex or VNI), not letters");
			return -1;
		}
		if (type_char(c, *p, err, errlen) != 0) return -1;
	}
	return 0;
}

static int cmd_key(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	(void)answer;
	if (ui_key(c->u, arg, ctl_now(c)) != 0) {
		snprintf(err, errlen, "unknown key \"%s\" (Return, BackSpace, Escape, Tab)", arg);
		return -1;
	}
	return 0;
}

/* As a USB scanner in keyboard mode types: one character an event, then
 * Return. */
static int cmd_scan(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	size_t pos = 0, len = strlen(arg);
	(void)answer;
	while (pos < len) {
		char one[5] = "";
		size_t at = pos;
		if (utf8_decode(arg, len, &pos) == UTF8_INVALID) {
			snprintf(err, errlen, "scan: not UTF-8 at byte %zu", at);
			return -1;
		}
		memcpy(one, arg + at, pos - at);
		ui_text(c->u, one, ctl_now(c));
	}
	ui_key(c->u, "Return", ctl_now(c));
	return 0;
}

/* Hands every queued SDL event to the window loop's handler. */
static int drain(ctl *c, char *err, size_t errlen)
{
	SDL_Event e;
	if (!c->handle) { snprintf(err, errlen, "no event handler"); return -1; }
	while (SDL_PollEvent(&e)) c->handle(c->handle_ctx, &e);
	return 0;
}

static int push(SDL_Event *e, char *err, size_t errlen)
{
	e->common.timestamp = SDL_GetTicks();
	if (SDL_PushEvent(e) == 1) return 0;
	snprintf(err, errlen, "SDL_PushEvent: %s", SDL_GetError());
	return -1;
}

/* touch X Y: a finger down and up, as a touchscreen reports it. */
static int cmd_touch(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	SDL_Event e;
	int x, y;
	char extra;
	(void)answer;
	if (sscanf(arg, "%d %d %c", &x, &y, &extra) != 2 || x < 0 || y < 0 || x >= c->u->width || y >= c->u->height) {
		snprintf(err, errlen, "usage: touch X Y (on the screen)");
		return -1;
	}
	memset(&e, 0, sizeof e);
	e.type = SDL_FINGERDOWN;
	e.tfinger.x = (x + 0.5f) / (float)c->u->width;
	e.tfinger.y = (y + 0.5f) / (float)c->u->height;
	e.tfinger.pressure = 1.0f;
	if (push(&e, err, errlen) != 0) return -1;
	e.type = SDL_FINGERUP;
	if (push(&e, err, errlen) != 0) return -1;
	return drain(c, err, errlen);
}

/* keyboard TEXT: a scanner in keyboard mode: one text event a character,
 * then the Return key. */
static int cmd_keyboard(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	size_t pos = 0, len = strlen(arg);
	SDL_Event e;
	(void)answer;
	while (pos < len) {
		size_t at = pos;
		if (utf8_decode(arg, len, &pos) == UTF8_INVALID) {
			snprintf(err, errlen, "keyboard: not UTF-8 at byte %zu", at);
			return -1;
		}
		memset(&e, 0, sizeof e);
		e.type = SDL_TEXTINPUT;
		memcpy(e.text.text, arg + at, pos - at);
		if (push(&e, err, errlen) != 0 || drain(c, err, errlen) != 0) return -1;
	}
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.state = SDL_PRESSED;
	e.key.keysym.sym = SDLK_RETURN;
	e.key.keysym.scancode = SDL_SCANCODE_RETURN;
	if (push(&e, err, errlen) != 0) return -1;
	sodium_memzero(&e, sizeof e);
	return drain(c, err, errlen);
}

/* typed TEXT: a person at a physical keyboard: a character every 150 ms
 * (the ui's clock moved by as much), then Return. */
#define CTL_TYPIST_MS 150
static int cmd_typed(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	size_t pos = 0, len = strlen(arg);
	(void)answer;
	while (pos < len) {
		char one[5] = "";
		size_t at = pos;
		if (utf8_decode(arg, len, &pos) == UTF8_INVALID) {
			snprintf(err, errlen, "typed: not UTF-8 at byte %zu", at);
			return -1;
		}
		memcpy(one, arg + at, pos - at);
		c->clock_offset += CTL_TYPIST_MS;
		ui_text(c->u, one, ctl_now(c));
	}
	c->clock_offset += CTL_TYPIST_MS;
	ui_key(c->u, "Return", ctl_now(c));
	return 0;
}

static int cmd_clock(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	(void)answer;
	if (strcmp(arg, "still") == 0 && !c->still) {
		c->still_at = SDL_GetTicks();
		c->still = 1;
	} else if (strcmp(arg, "run") == 0 && c->still) {
		/* on from where it stood: the clock never jumps back */
		c->clock_offset += c->still_at - SDL_GetTicks();
		c->still = 0;
	} else if (strcmp(arg, "still") != 0 && strcmp(arg, "run") != 0) {
		snprintf(err, errlen, "usage: clock still|run");
		return -1;
	}
	return 0;
}

static int cmd_advance(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	char *end;
	double s = strtod(arg, &end);
	(void)answer;
	if (end == arg || *end || s < 0 || s > 86400) {
		snprintf(err, errlen, "usage: advance SECONDS");
		return -1;
	}
	c->clock_offset += (uint32_t)(s * 1000);
	ui_tick(c->u, ctl_now(c));
	return 0;
}

static int cmd_shot(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	(void)answer;
	if (!arg[0]) { snprintf(err, errlen, "usage: shot FILE.png"); return -1; }
	render_draw(c->rd, c->u);
	return pngfile_save(c->surface, arg, err, errlen);
}

/* The pixel at x, y of an RGBA32 surface. */
static const Uint8 *pixel_at(const SDL_Surface *s, int x, int y)
{
	return (const Uint8 *)s->pixels + y * s->pitch + x * 4;
}

static int masked(const SDL_Rect *masks, int n, int x, int y)
{
	SDL_Point p = { x, y };
	int i;
	for (i = 0; i < n; i++)
		if (SDL_PointInRect(&p, &masks[i])) return 1;
	return 0;
}

/* Compares the frame with ref pixel by pixel. A pixel differs when one of
 * its channels is off by more than tolerance (anti-aliasing noise stays
 * under it); pixels under masks are not compared. Marks the differing
 * pixels red on a faded copy of ref, in diff. Returns how many differ. */
static long compare_frames(SDL_Surface *now, SDL_Surface *ref, const SDL_Rect *masks, int nmasks, int tolerance,
	SDL_Surface *diff, long *compared, int *worst)
{
	long differing = 0;
	int x, y, k;
	*compared = 0;
	*worst = 0;
	for (y = 0; y < ref->h; y++)
		for (x = 0; x < ref->w; x++) {
			const Uint8 *a = pixel_at(now, x, y), *b = pixel_at(ref, x, y);
			Uint8 *d = (Uint8 *)pixel_at(diff, x, y);
			int delta = 0;
			for (k = 0; k < 3; k++) {
				int e = abs((int)a[k] - (int)b[k]);
				if (e > delta) delta = e;
				d[k] = (Uint8)(255 - (255 - b[k]) / 4);
			}
			d[3] = 255;
			if (masked(masks, nmasks, x, y)) { d[0] = d[1] = d[2] = 200; continue; }
			++*compared;
			if (delta > *worst) *worst = delta;
			if (delta > tolerance) { differing++; d[0] = 255; d[1] = 0; d[2] = 0; }
		}
	return differing;
}

/* compare REF.png DIFF.png TOLERANCE [ID...]: the screen as drawn now
 * against a reference screenshot, for the reference-screenshot tests. The
 * widgets named (a code, a QR, a time) are masked out; when any pixel
 * differs, the image of where is written to DIFF.png. */
static int cmd_compare(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	char buf[1024], *save = NULL, *ref_path, *diff_path, *tol, *id;
	SDL_Rect masks[16];
	SDL_Surface *loaded, *ref = NULL, *now = NULL, *diff = NULL;
	int nmasks = 0, tolerance, worst, rc = -1;
	long compared, differing;
	snprintf(buf, sizeof buf, "%s", arg);
	ref_path = strtok_r(buf, " ", &save);
	diff_path = strtok_r(NULL, " ", &save);
	tol = strtok_r(NULL, " ", &save);
	if (!ref_path || !diff_path || !tol || (tolerance = atoi(tol)) < 0 || tolerance > 255) {
		snprintf(err, errlen, "usage: compare REF.png DIFF.png TOLERANCE [ID...]");
		return -1;
	}
	ui_build(c->u);
	while ((id = strtok_r(NULL, " ", &save)) != NULL) {
		const widget *w = ui_find(c->u, id);
		if (!w) { snprintf(err, errlen, "no widget \"%s\" to mask", id); return -1; }
		if (nmasks == (int)(sizeof masks / sizeof masks[0])) { snprintf(err, errlen, "too many masks"); return -1; }
		masks[nmasks++] = (SDL_Rect){ w->x, w->y, w->w, w->h };
	}
	loaded = pngfile_load(ref_path, err, errlen);
	if (!loaded) return -1;
	render_draw(c->rd, c->u);
	ref = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGBA32, 0);
	now = SDL_ConvertSurfaceFormat(c->surface, SDL_PIXELFORMAT_RGBA32, 0);
	diff = ref ? SDL_CreateRGBSurfaceWithFormat(0, ref->w, ref->h, 32, SDL_PIXELFORMAT_RGBA32) : NULL;
	SDL_FreeSurface(loaded);
	if (!ref || !now || !diff) snprintf(err, errlen, "%s", SDL_GetError());
	else if (ref->w != now->w || ref->h != now->h)
		snprintf(err, errlen, "%s is %dx%d, the screen %dx%d", ref_path, ref->w, ref->h, now->w, now->h);
	else {
		differing = compare_frames(now, ref, masks, nmasks, tolerance, diff, &compared, &worst);
		json_object_set_new(answer, "compared", json_integer(compared));
		json_object_set_new(answer, "differing", json_integer(differing));
		json_object_set_new(answer, "worst", json_integer(worst));
		rc = 0;
		if (differing && pngfile_save(diff, diff_path, err, errlen) != 0) rc = -1;
	}
	SDL_FreeSurface(ref);
	SDL_FreeSurface(now);
	SDL_FreeSurface(diff);
	return rc;
}

/* Draws one frame and says how long it took and what it redrew: all of
 * it ("full"), or "rects" rectangles ("boxes": x, y, w, h) of "area"
 * pixels in all. */
static void timed_draw(ctl *c, json_t *answer)
{
	Uint64 start = SDL_GetPerformanceCounter();
	SDL_Rect rects[RENDER_MAX_RECTS];
	long area;
	int n;
	render_draw(c->rd, c->u);
	json_object_set_new(answer, "ms", json_real((double)(SDL_GetPerformanceCounter() - start) * 1000.0 /
		(double)SDL_GetPerformanceFrequency()));
	n = render_changed(c->rd, rects, RENDER_MAX_RECTS, &area);
	json_object_set_new(answer, "full", json_boolean(n < 0));
	json_object_set_new(answer, "rects", json_integer(n < 0 ? 1 : n));
	json_object_set_new(answer, "area", json_integer(area));
	if (n > 0) {
		json_t *boxes = json_array();
		int i;
		for (i = 0; i < n; i++)
			json_array_append_new(boxes, json_pack("[i, i, i, i]", rects[i].x, rects[i].y, rects[i].w, rects[i].h));
		json_object_set_new(answer, "boxes", boxes);
	}
}

/* draw: the next frame, as the window loop draws it (what changed). */
static int cmd_draw(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	(void)arg; (void)err; (void)errlen;
	timed_draw(c, answer);
	return 0;
}

/* redraw full: the frame drawn whole, whatever changed: what an
 * incremental frame must be equal to, and its cost to compare with. */
static int cmd_redraw(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	if (strcmp(arg, "full") != 0) { snprintf(err, errlen, "usage: redraw full"); return -1; }
	render_invalidate(c->rd);
	timed_draw(c, answer);
	return 0;
}

/* What the voice last said: how many utterances, the last one's samples,
 * rate and text key (never its text). */
static int cmd_voice(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	voice_state st;
	(void)arg; (void)err; (void)errlen;
	voice_state_get(c->u->voice, &st);
	json_object_set_new(answer, "said", json_integer(st.said));
	json_object_set_new(answer, "samples", json_integer(st.samples));
	json_object_set_new(answer, "rate", json_integer(st.rate));
	json_object_set_new(answer, "key", json_string(st.id >= 0 ? i18n_keys()[st.id].key : ""));
	json_object_set_new(answer, "voice", json_string(st.language));
	json_object_set_new(answer, "played", json_boolean(st.played));
	json_object_set_new(answer, "busy", json_boolean(st.busy));
	json_object_set_new(answer, "failed", json_boolean(st.failed));
	return 0;
}

static int cmd_quit(ctl *c, const char *arg, json_t *answer, char *err, size_t errlen)
{
	(void)arg; (void)answer; (void)err; (void)errlen;
	c->u->quit = 1;
	return 0;
}

static const struct { const char *name; ctl_fn fn; } commands[] = {
	{ "dump", cmd_dump }, { "tap", cmd_tap }, { "hold", cmd_hold }, { "type", cmd_type },
	{ "key", cmd_key }, { "scan", cmd_scan }, { "advance", cmd_advance }, { "clock", cmd_clock }, { "shot", cmd_shot },
	{ "draw", cmd_draw }, { "redraw", cmd_redraw }, { "compare", cmd_compare }, { "quit", cmd_quit },
	{ "touch", cmd_touch }, { "keyboard", cmd_keyboard }, { "typed", cmd_typed }, { "voice", cmd_voice },
};

int ctl_execute(ctl *c, const char *line, FILE *out)
{
	char name[16], err[300] = "";
	const char *arg;
	size_t n = 0, i;
	json_t *answer = json_object();
	int rc = -1, found = 0;

	json_object_set_new(answer, "ok", json_true());
	while (line[n] && line[n] != ' ' && n < sizeof name - 1) { name[n] = line[n]; n++; }
	name[n] = '\0';
	arg = line + n;
	if (*arg == ' ') arg++;
	ui_tick(c->u, ctl_now(c));
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, name) != 0) continue;
		found = 1;
		rc = commands[i].fn(c, arg, answer, err, sizeof err);
		break;
	}
	if (!found) snprintf(err, sizeof err, "unknown command \"%s\"", name);
	ui_build(c->u);
	if (rc != 0) {
		json_object_clear(answer);
		json_object_set_new(answer, "ok", json_false());
		json_object_set_new(answer, "error", json_string(err));
	}
	json_dumpf(answer, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	fflush(out);
	json_decref(answer);
	return c->u->quit;
}
