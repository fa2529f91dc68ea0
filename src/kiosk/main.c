/* motcua-kiosk: the touchscreen kiosk.
 *
 * Reads the configuration, the catalog and the holiday calendar, opens the
 * database and runs the screens, either in a window or full screen (the
 * video driver comes from SDL's environment: x11, wayland, kmsdrm), or
 * headless under the control interface. The loop sleeps in SDL_WaitEvent
 * until there is input or a timer (idle countdown, long press) is due, so an
 * idle kiosk uses no CPU. `motcua-kiosk hash-pin` makes a staff PIN hash;
 * `--check` runs the installer's self-check (check.h) instead of the kiosk.
 * Under systemd the kiosk says READY=1 once its first frame is up and pings
 * the watchdog from the loop (WatchdogSec in motcua-kiosk.service), so a
 * frozen screen is restarted; without systemd both are no-ops.
 *
 * Sync runs in the background as motcua-sync child processes started by a
 * worker thread (bgsync.h); after each run it pushes an SDL user event, so
 * the home screen's sync line is redrawn on the UI thread from the database
 * and the UI never waits on the network.
 * The catalog and holidays a sync brought (in data_dir) are preferred to
 * the installed ones in assets_dir, from the next start. */
#include "cal.h"
#include "catalog.h"
#include "config.h"
#include "bgsync.h"
#include "check.h"
#include "ctl.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "nodump.h"
#include "render.h"
#include "seal.h"
#include "ui.h"
#include "wipe.h"
#include <SDL.h>
#include "fontfile.h"
#include <SDL_ttf.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
	const char *config_path;
	int headless, control, fullscreen, check;
	int width, height;
} options;

typedef struct {
	config cfg;
	catalog cat;
	cal *calendar;
	db *store;
	seal_server_key key;
	int have_key;
	ui u;
	SDL_Window *window;
	SDL_Surface *surface;
	SDL_Renderer *renderer;
	render *rd;
	bgsync *sync;
	Uint32 sync_event;           /* SDL user event: a sync attempt finished */
	int sync_last;               /* the last run's exit code; the worker's thread only */
	bgsync_run *staff_run;       /* the staff menu's sync, export or import; NULL: none yet */
	char sync_program[1100];     /* motcua-sync beside this program */
	const char *config_path;
	Uint32 watchdog_ms;          /* between systemd watchdog pings; 0: no watchdog */
	Uint32 watchdog_at;          /* ticks of the last ping */
	int blocking_wait;           /* the video driver can sleep until input comes */
} app;

static void usage(void)
{
	fprintf(stderr,
		"usage: motcua-kiosk --config FILE [--fullscreen] [--size WxH] [--headless --control]\n"
		"       motcua-kiosk --config FILE --check   (the installer's self-check)\n"
		"       motcua-kiosk hash-pin      (reads a PIN, prints the staff_pin value)\n");
}

static int parse_options(int argc, char **argv, options *o)
{
	int i;
	memset(o, 0, sizeof *o);
	o->width = 1280;
	o->height = 800;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) o->config_path = argv[++i];
		else if (strcmp(argv[i], "--headless") == 0) o->headless = 1;
		else if (strcmp(argv[i], "--control") == 0) o->control = 1;
		else if (strcmp(argv[i], "--fullscreen") == 0) o->fullscreen = 1;
		else if (strcmp(argv[i], "--check") == 0) o->check = 1;
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%dx%d", &o->width, &o->height) != 2 ||
			    o->width < 320 || o->height < 240 || o->width > 7680 || o->height > 4320) {
				fprintf(stderr, "motcua-kiosk: --size takes WIDTHxHEIGHT, like 800x480\n");
				return -1;
			}
		} else {
			fprintf(stderr, "motcua-kiosk: unknown option %s\n", argv[i]);
			usage();
			return -1;
		}
	}
	if (!o->config_path) { usage(); return -1; }
	if (o->headless && !o->control) {
		fprintf(stderr, "motcua-kiosk: --headless needs --control (commands on stdin)\n");
		return -1;
	}
	return 0;
}

static int hash_pin(void)
{
	char pin[64], hash[256];
	struct termios old, quiet;
	int tty = isatty(0);
	size_t n, i;
	if (tty) {
		fprintf(stderr, "Staff PIN (%d to %d digits): ", CONFIG_PIN_MIN, CONFIG_PIN_MAX);
		tcgetattr(0, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSANOW, &quiet);
	}
	if (!fgets(pin, sizeof pin, stdin)) pin[0] = '\0';
	if (tty) { tcsetattr(0, TCSANOW, &old); fputc('\n', stderr); }
	n = strcspn(pin, "\r\n");
	pin[n] = '\0';
	for (i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9') break;
	if (n < CONFIG_PIN_MIN || n > CONFIG_PIN_MAX || i != n) {
		sodium_memzero(pin, sizeof pin);
		fprintf(stderr, "motcua-kiosk: a staff PIN is %d to %d digits (a shorter one is guessed in minutes "
			"from a copy of kiosk.ini)\n", CONFIG_PIN_MIN, CONFIG_PIN_MAX);
		return 2;
	}
	if (config_hash_pin(pin, hash, sizeof hash) != 0) {
		fprintf(stderr, "motcua-kiosk: could not hash the PIN\n");
		return 1;
	}
	sodium_memzero(pin, sizeof pin);
	printf("staff_pin = %s\n", hash);
	return 0;
}

/* The store in data_dir, at start and whenever the ui opens it again
 * (ui_store_ops). */
static int open_store(void *ctx, db **out, char *err, size_t errlen)
{
	app *a = ctx;
	if (db_open(out, a->cfg.data_dir, a->have_key ? &a->key : NULL, err, errlen) != 0) return -1;
	/* For the tests of the cannot-accept path: SQLite itself then fails
	 * the next write. */
	if (getenv("MOTCUA_FAULT") && strcmp(getenv("MOTCUA_FAULT"), "read_only") == 0) db_inject_readonly(*out);
	return 0;
}

/* Configuration, catalog and calendar must be right, or the kiosk does not
 * start; a database that cannot be opened only stops filing, so citizens
 * are told on screen and staff in the log. */
static int load_data(app *a, const char *config_path)
{
	char err[512], path[1100];
	if (config_load(config_path, &a->cfg, err, sizeof err) != 0) {
		log_error("%s", err);
		return -1;
	}
	/* The screens' words: a missing or broken translation stops the kiosk
	 * here, with the file, line and key, not at a blank button later. */
	if (i18n_load(a->cfg.assets_dir, err, sizeof err) != 0) {
		log_error("%s", err);
		return -1;
	}
	/* A catalog or calendar a sync brought that does not load is set
	 * aside for the installed one: the kiosk must start. */
	config_data_file(&a->cfg, "catalog.json", path, sizeof path);
	if (catalog_load(path, &a->cat, err, sizeof err) != 0) {
		log_warn("%s; using the installed catalog", err);
		snprintf(path, sizeof path, "%s/catalog.json", a->cfg.assets_dir);
		if (catalog_load(path, &a->cat, err, sizeof err) != 0) {
			log_error("%s", err);
			return -1;
		}
	}
	config_data_file(&a->cfg, "holidays.json", path, sizeof path);
	a->calendar = cal_load(path, err, sizeof err);
	if (!a->calendar) {
		log_warn("%s; using the installed holiday calendar", err);
		snprintf(path, sizeof path, "%s/holidays.json", a->cfg.assets_dir);
		a->calendar = cal_load(path, err, sizeof err);
	}
	if (!a->calendar) {
		log_error("%s", err);
		return -1;
	}
	if (a->cfg.server_key[0]) {
		if (seal_parse_server_key(a->cfg.server_key, &a->key, err, sizeof err) != 0) {
			log_error("%s: [server] key: %s", config_path, err);
			return -1;
		}
		a->have_key = 1;
	} else {
		log_warn("%s: [server] key is not set: requests cannot be accepted until it is", config_path);
	}
	if (open_store(a, &a->store, err, sizeof err) != 0)
		log_error("cannot accept requests: %s", err);
	if (!a->cfg.staff_pin[0])
		log_warn("no staff_pin set: the kiosk cannot be left from the screen");
	return 0;
}

/* Measured with the fonts the ui's size and text size call for. */
static int fits(void *ctx, const widget *w)
{
	app *a = ctx;
	render_follow(a->rd, &a->u);
	return render_text_fits(a->rd, w);
}

static int text_width(void *ctx, widget_font font, const char *text, int *line_px)
{
	app *a = ctx;
	render_follow(a->rd, &a->u);
	return render_text_width(a->rd, font, text, line_px);
}

/* On the worker's thread: log a change of outcome (motcua-sync has said
 * why on the same log), and wake the UI thread. */
static void sync_done(void *ctx, int exit_code)
{
	app *a = ctx;
	SDL_Event e;
	if (exit_code != a->sync_last) {
		if (exit_code == 0) log_info("background sync: caught up");
		else log_warn("background sync: motcua-sync exited with %d", exit_code);
	}
	a->sync_last = exit_code;
	if (a->sync_event == (Uint32)-1) return;
	memset(&e, 0, sizeof e);
	e.type = a->sync_event;
	SDL_PushEvent(&e);
}

/* motcua-sync installed beside this program (build/ or $PREFIX/bin). */
static void sync_program(char *out, size_t outlen)
{
	char self[1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;
	self[n > 0 ? n : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash) *slash = '\0';
	snprintf(out, outlen, "%s/motcua-sync", slash ? self : ".");
}

/* On a staff run's thread: its state changed, so wake the UI thread. */
static void staff_run_changed(void *ctx, int exit_code)
{
	app *a = ctx;
	SDL_Event e;
	if (exit_code > 0) log_warn("staff sync: motcua-sync exited with %d", exit_code);
	if (a->sync_event == (Uint32)-1) return;
	memset(&e, 0, sizeof e);
	e.type = a->sync_event;
	SDL_PushEvent(&e);
}

/* The staff menu's buttons (ui_staff_ops): one run at a time from here;
 * motcua-sync itself keeps it from overlapping the background worker's. */
static int staff_start(void *ctx, const char *command)
{
	app *a = ctx;
	bgsync_run_state st;
	char err[1300];
	bgsync_run_read(a->staff_run, &st);
	if (st.phase == BGSYNC_WAITING || st.phase == BGSYNC_RUNNING) return -1;
	bgsync_run_free(a->staff_run);
	a->staff_run = bgsync_run_start(a->sync_program, a->config_path, command, staff_run_changed, a, err, sizeof err);
	if (!a->staff_run) { log_error("staff %s: %s", command, err); return -1; }
	log_info("staff: %s started", command);
	return 0;
}

static void staff_read(void *ctx, bgsync_run_state *out)
{
	app *a = ctx;
	bgsync_run_read(a->staff_run, out);
}

/* Sync events that arrived: the screens show sync state, so rebuild. */
static void take_sync_events(app *a)
{
	SDL_Event e;
	if (a->sync_event == (Uint32)-1) return;
	SDL_PumpEvents();
	while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->sync_event, a->sync_event) > 0) a->u.dirty = 1;
}

static int make_renderer(app *a, int width, int height)
{
	char err[300];
	if (a->renderer) SDL_DestroyRenderer(a->renderer);
	a->renderer = SDL_CreateSoftwareRenderer(a->surface);
	if (!a->renderer) { log_error("renderer: %s", SDL_GetError()); return -1; }
	ui_resize(&a->u, width, height);
	render_free(a->rd);
	a->rd = render_new(a->renderer, a->cfg.fonts_dir, a->u.scale, a->u.px_per_mm * a->u.text_scale, err, sizeof err);
	if (!a->rd) { log_error("%s", err); return -1; }
	a->u.text_fits = fits;
	a->u.text_width = text_width;
	a->u.text_fits_ctx = a;
	return 0;
}

/* The control interface reads a line and answers a line; both carry what
 * is typed and shown (a name, a phone number), so neither stays behind in
 * a stdio buffer: stdin is read unbuffered into the line, which is wiped
 * after each command, and stdout's buffer is the kiosk's own, wiped once
 * each answer is flushed. */
#define CONTROL_LINE 16384
static void handle_event(app *a, const SDL_Event *e);
static void handle_for_ctl(void *ctx, const SDL_Event *e) { handle_event(ctx, e); }

static int run_control(app *a, const options *o)
{
	ctl c;
	static char line[CONTROL_LINE], out_buf[65536];
	size_t n;
	unsigned visits;
	setvbuf(stdin, NULL, _IONBF, 0);
	setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
	a->surface = SDL_CreateRGBSurfaceWithFormat(0, o->width, o->height, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!a->surface || make_renderer(a, o->width, o->height) != 0) return 1;
	memset(&c, 0, sizeof c);
	c.u = &a->u;
	c.rd = a->rd;
	c.surface = a->surface;
	c.handle = handle_for_ctl;
	c.handle_ctx = a;
	visits = a->u.visits;
	while (fgets(line, sizeof line, stdin)) {
		int quit;
		n = strlen(line);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
		if (n == 0) continue;
		take_sync_events(a);
		quit = ctl_execute(&c, line, stdout);   /* flushes its answer */
		sodium_memzero(line, sizeof line);
		sodium_memzero(out_buf, sizeof out_buf);
		if (a->u.visits != visits) { wipe_stack(); visits = a->u.visits; }
		if (quit) break;
	}
	return 0;
}

static void handle_event(app *a, const SDL_Event *e)
{
	uint32_t now = SDL_GetTicks();
	ui *u = &a->u;
	switch (e->type) {
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which != SDL_TOUCH_MOUSEID) ui_press(u, e->button.x, e->button.y, now);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which != SDL_TOUCH_MOUSEID) ui_release(u, e->button.x, e->button.y, now);
		break;
	case SDL_FINGERDOWN:
		SDL_ShowCursor(SDL_DISABLE);
		ui_press(u, (int)(e->tfinger.x * u->width), (int)(e->tfinger.y * u->height), now);
		break;
	case SDL_FINGERUP:
		ui_release(u, (int)(e->tfinger.x * u->width), (int)(e->tfinger.y * u->height), now);
		break;
	case SDL_TEXTINPUT:
		ui_text(u, e->text.text, now);
		break;
	case SDL_KEYDOWN: {
		static const struct { SDL_Keycode key; const char *name; } keys[] = {
			{ SDLK_RETURN, "Return" }, { SDLK_KP_ENTER, "Return" }, { SDLK_BACKSPACE, "BackSpace" },
			{ SDLK_ESCAPE, "Escape" }, { SDLK_TAB, "Tab" },
		};
		size_t i;
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (keys[i].key == e->key.keysym.sym) ui_key(u, keys[i].name, now);
		break;
	}
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			a->surface = SDL_GetWindowSurface(a->window);
			if (a->surface) make_renderer(a, a->surface->w, a->surface->h);
		}
		/* Uncovered, shown again or resized: the whole frame is drawn and shown. */
		if (a->rd) render_invalidate(a->rd);
		u->dirty = 1;
		break;
	default:
		if (e->type == a->sync_event) u->dirty = 1;
		break;
	}
}

/* The one place the display is chosen. SDL takes the video driver from
 * SDL_VIDEODRIVER: x11 or wayland on a desktop, kmsdrm on a console with no
 * X (the Raspberry Pi's kiosk, input from evdev: touch, mouse, keyboard and
 * the USB scanner). --fullscreen and --size say the rest. */
static int open_display(app *a, const options *o)
{
	const char *driver;
	int console, fullscreen;
	Uint32 flags;
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) { log_error("video: %s", SDL_GetError()); return -1; }
	driver = SDL_GetCurrentVideoDriver();
	console = driver && strcmp(driver, "KMSDRM") == 0;
	a->blocking_wait = driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
	/* On a desktop a window surface backed by GL would load Mesa (about
	 * 95 MiB) for what the software renderer does alone. KMSDRM has no
	 * plain framebuffer: it can only present through GLES, and with the
	 * hint it would give no window surface at all. */
	if (!console) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	/* A console has one screen and no window manager: all of it is the kiosk's. */
	fullscreen = o->fullscreen || console;
	flags = fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS : SDL_WINDOW_RESIZABLE;
	a->window = SDL_CreateWindow("motcua", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
		o->width, o->height, flags);
	if (!a->window) { log_error("window (%s): %s", driver ? driver : "no video driver", SDL_GetError()); return -1; }
	SDL_DisableScreenSaver();
	/* Fingers and the scanner need no pointer; in a desktop window the
	 * developer's mouse keeps its cursor until a finger touches. */
	if (fullscreen) SDL_ShowCursor(SDL_DISABLE);
	a->surface = SDL_GetWindowSurface(a->window);
	if (!a->surface) { log_error("window surface (%s): %s", driver, SDL_GetError()); return -1; }
	if (make_renderer(a, a->surface->w, a->surface->h) != 0) return -1;
	log_info("video: %s, %dx%d%s", driver, a->surface->w, a->surface->h, fullscreen ? ", full screen" : "");
	/* With no display to open, SDL falls back to drivers that show
	 * nothing: a kiosk nobody can see must say so rather than run silently. */
	if (driver && (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0) && !getenv("SDL_VIDEODRIVER"))
		log_warn("no display found (DISPLAY and WAYLAND_DISPLAY unset, no console): the video driver \"%s\""
			" shows nothing; start the kiosk from a desktop, or set SDL_VIDEODRIVER=kmsdrm on a console", driver);
	return 0;
}

/* Waits up to wait ms (< 0: without end) for an event; 1 and *e, or 0.
 * SDL sleeps in the kernel until input only on x11 and wayland; on other
 * drivers (KMSDRM on the Raspberry Pi, offscreen) its wait polls every
 * millisecond, about 2% of a core doing nothing. There the kiosk polls
 * every 10 ms itself: far below what a finger notices, and a sleeping CPU. */
#define POLL_STEP_MS 10
static int wait_event(const app *a, SDL_Event *e, int wait)
{
	if (a->blocking_wait) return wait < 0 ? SDL_WaitEvent(e) : SDL_WaitEventTimeout(e, wait);
	for (;;) {
		int step = wait < 0 || wait > POLL_STEP_MS ? POLL_STEP_MS : wait;
		if (SDL_PollEvent(e)) return 1;
		if (wait == 0) return 0;
		SDL_Delay((Uint32)step);
		if (wait > 0) wait -= step;
	}
}

/* systemd's watchdog (WatchdogSec, passed as WATCHDOG_USEC): pings at half
 * the interval, from the loop, so a loop that stops turning stops them.
 * Returns how long the loop may sleep: the UI's wait, shortened to the
 * next ping. Without a watchdog the UI's wait is left alone, so an idle
 * kiosk still sleeps without end. */
static int watchdog_pet(app *a, int wait)
{
	Uint32 now, left;
	if (!a->watchdog_ms) return wait;
	now = SDL_GetTicks();
	if (now - a->watchdog_at >= a->watchdog_ms) {
		sd_notify(0, "WATCHDOG=1");
		a->watchdog_at = now;
	}
	left = a->watchdog_ms - (now - a->watchdog_at);
	return wait < 0 || (Uint32)wait > left ? (int)left : wait;
}

static int run_window(app *a, const options *o)
{
	int drawn = 0, close_asked = 0;
	unsigned visits;
	uint64_t watchdog_usec = 0;
	if (open_display(a, o) != 0) return 1;
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
		a->watchdog_ms = (Uint32)(watchdog_usec / 2000);
		if (!a->watchdog_ms) a->watchdog_ms = 1;
		log_info("watchdog: pinging every %u ms", (unsigned)a->watchdog_ms);
	}
	SDL_StartTextInput();
	visits = a->u.visits;
	while (!a->u.quit) {
		SDL_Event e;
		int wait = ui_tick(&a->u, SDL_GetTicks());
		/* From the outermost loop: every frame of the visit lay below. */
		if (a->u.visits != visits) { wipe_stack(); visits = a->u.visits; }
		if (a->u.dirty || !drawn) {
			SDL_Rect rects[RENDER_MAX_RECTS];
			int n;
			render_draw(a->rd, &a->u);
			/* Only what was redrawn goes to the screen. */
			n = render_changed(a->rd, rects, RENDER_MAX_RECTS, NULL);
			if (n < 0 || !drawn) SDL_UpdateWindowSurface(a->window);
			else if (n > 0) SDL_UpdateWindowSurfaceRects(a->window, rects, n);
			/* Up when citizens can see it: systemd's start is done. */
			if (!drawn) sd_notify(0, "READY=1");
			drawn = 1;
		}
		wait = watchdog_pet(a, wait);
		if (wait_event(a, &e, wait)) {
			do {
				/* Leaving needs the staff PIN, so the window manager's close
				 * (a window event, then SDL_QUIT) is ignored; an SDL_QUIT on
				 * its own comes from SIGTERM or SIGINT, the service manager
				 * stopping the kiosk, and is obeyed. */
				if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) close_asked = 1;
				else if (e.type == SDL_QUIT && close_asked) close_asked = 0;
				else if (e.type == SDL_QUIT) a->u.quit = 1;
				else handle_event(a, &e);
			} while (SDL_PollEvent(&e));
		}
	}
	sd_notify(0, "STOPPING=1");
	return 0;
}

int main(int argc, char **argv)
{
	options o;
	static app a;
	int rc;
	char dump_err[128];
	log_setup("motcua-kiosk", NULL);
	if (wipe_install() != 0) log_warn("SDL's memory is not wiped when freed: %s", SDL_GetError());
	if (nodump_process(dump_err, sizeof dump_err) != 0) log_warn("%s", dump_err);
	if (argc >= 2 && strcmp(argv[1], "hash-pin") == 0) return hash_pin();
	if (parse_options(argc, argv, &o) != 0) return 2;
	if (o.check) return check_run(o.config_path, stdout);
	if (load_data(&a, o.config_path) != 0) return 2;
	log_setup(NULL, a.cfg.log_level);
	if (SDL_Init(SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) { log_error("SDL: %s", SDL_GetError()); return 1; }
	ui_init(&a.u, &a.cfg, &a.cat, a.calendar, a.store, a.have_key ? &a.key : NULL, SDL_GetTicks());
	/* From here the ui owns the store, and opens it again when it fails. */
	a.u.store_ops.open = open_store;
	a.u.store_ops.ctx = &a;
	a.store = NULL;
	/* Headless, the voice is synthesised but plays only to SDL_AUDIODRIVER. */
	a.u.voice = voice_new(!o.headless || getenv("SDL_AUDIODRIVER") != NULL);
	if (a.cfg.printer_device[0] || strcmp(a.cfg.printer_kind, "cups") == 0) {
		char err[700];
		a.u.printer = printout_new(&a.cfg, err, sizeof err);
		if (!a.u.printer) log_error("no paper receipts: %s", err);
	}
	log_info("started: commune %s, kiosk %d, %s", a.cfg.commune_code, a.cfg.kiosk_number,
		a.u.store ? "database ready" : "NOT accepting requests (trying again every few seconds)");
	a.sync_event = SDL_RegisterEvents(1);
	a.sync_last = -2;            /* no run yet: the first outcome is logged */
	{
		char err[1200];
		sync_program(a.sync_program, sizeof a.sync_program);
		a.config_path = o.config_path;
		a.sync = bgsync_start(&a.cfg, a.sync_program, o.config_path, sync_done, &a, err, sizeof err);
		if (!a.sync) log_info("%s", err);
		a.u.staff_ops.start = staff_start;
		a.u.staff_ops.read = staff_read;
		a.u.staff_ops.ctx = &a;
	}
	rc = o.headless ? run_control(&a, &o) : run_window(&a, &o);
	bgsync_run_free(a.staff_run);
	bgsync_stop(a.sync);
	printout_free(a.u.printer);
	voice_free(a.u.voice);
	ui_reset_visit(&a.u);
	render_free(a.rd);
	if (a.renderer) SDL_DestroyRenderer(a.renderer);
	if (o.headless && a.surface) SDL_FreeSurface(a.surface);
	if (a.window) SDL_DestroyWindow(a.window);
	db_close(a.u.store);
	cal_free(a.calendar);
	TTF_Quit();
	fontfile_unmap_all();
	SDL_Quit();
	return rc;
}
