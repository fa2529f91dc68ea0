/* ui: the kiosk's state and its actions (see ui.h): what a tap, a key or
 * the clock does. The screens draw the state (screen.h); a request is filed
 * by file.h. Actions are a table of widget ids and prefixes. */
#include "ui.h"
#include "screen.h"
#include "log.h"
#include "token.h"
#include "utf8.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const screen_names[] = {
	"home", "category", "procedure", "form", "review", "receipt", "lookup", "status", "error", "pin", "staff",
	"ticket", "ticket_kind", "ticket_done", "guide_list", "guide",
	"rating_how", "rating_entry", "rating_ask", "rating_comment", "rating_done"
};

const char *ui_screen_name(ui_screen s) { return screen_names[s]; }

/* ---- what the state says ---- */

int ui_field_visible(const ui *u, int i)
{
	if (!u->category || u->category->need[i] == FIELD_HIDDEN) return 0;
	return 1;
}

static kb_mode field_keyboard(const ui *u, int i)
{
	field_kind k = u->cat->fields[i].kind;
	return k == FIELD_PHONE || k == FIELD_CITIZEN_ID || k == FIELD_DATE ? KB_DIGITS : KB_TEXT;
}

kb_mode ui_current_keyboard(const ui *u)
{
	if (u->screen == SCREEN_LOOKUP || u->screen == SCREEN_RATING_ENTRY) return KB_CODE;
	if (u->screen == SCREEN_RATING_COMMENT) return KB_TEXT;
	return field_keyboard(u, u->focus);
}

int ui_vni_digits(const ui *u) { return u->input.method == IME_VNI; }

int ui_keyboard(const ui *u)
{
	if (u->screen == SCREEN_LOOKUP || u->screen == SCREEN_FORM || u->screen == SCREEN_RATING_ENTRY
			|| u->screen == SCREEN_RATING_COMMENT) return (int)ui_current_keyboard(u);
	return -1;
}

/* Capitals where a person expects them: the start of a field, of each word
 * of a name or address, and of a sentence. */
static int auto_shift(const ui *u)
{
	const char *s = u->fields[u->focus];
	size_t n = strlen(s);
	const char *name = u->cat->fields[u->focus].name;
	if (n == 0) return 1;
	if ((strcmp(name, "full_name") == 0) && s[n - 1] == ' ') return 1;
	if (n >= 2 && s[n - 1] == ' ' && (s[n - 2] == '.' || s[n - 2] == '?' || s[n - 2] == '!')) return 1;
	if (s[n - 1] == '\n') return 1;
	return 0;
}

int ui_shift_active(const ui *u)
{
	if (u->screen == SCREEN_RATING_COMMENT) return u->shift > 0 || (u->shift == 0 && !u->rating.comment[0]);
	if (u->screen != SCREEN_FORM || field_keyboard(u, u->focus) != KB_TEXT) return 0;
	return u->shift > 0 || (u->shift == 0 && auto_shift(u));
}

/* ---- the widget list ---- */

void ui_build(ui *u)
{
	if (!u->dirty) return;
	screen_build(u);
	u->dirty = 0;
}

const widget *ui_find(ui *u, const char *id)
{
	ui_build(u);
	return widget_find(&u->wl, id);
}

static int interactive(const widget *w)
{
	return w->kind == W_BUTTON || w->kind == W_TAB || w->kind == W_KEY || w->kind == W_INPUT ||
		strcmp(w->id, "home.title") == 0;
}

const widget *ui_hit(ui *u, int x, int y)
{
	int i;
	ui_build(u);
	/* Last drawn is on top. */
	for (i = u->wl.n - 1; i >= 0; i--) {
		const widget *w = &u->wl.items[i];
		if (x >= w->x && x < w->x + w->w && y >= w->y && y < w->y + w->h && w->enabled && interactive(w))
			return w;
	}
	return NULL;
}

/* ---- state changes ---- */

void ui_go(ui *u, ui_screen s)
{
	ui_scan_flush(u);
	if (s != SCREEN_FORM) u->scan_msg = -1;
	u->screen = s;
	u->dirty = 1;
}

static int first_visible_field(ui *u)
{
	int i;
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (ui_field_visible(u, i)) return i;
	return 0;
}

static void focus_field(ui *u, int i)
{
	/* what a scan did is read by now; the field's own notice comes back */
	u->scan_msg = -1;
	ui_scan_flush(u);
	u->focus = i;
	u->kb_layer = 0;
	u->shift = 0;
	ime_reset(&u->input);
	u->dirty = 1;
}

static void open_form(ui *u)
{
	u->form_error = 0;
	memset(u->errors, 0, sizeof u->errors);
	focus_field(u, first_visible_field(u));
	ui_go(u, SCREEN_FORM);
}

void ui_reset_visit(ui *u)
{
	sodium_memzero(u->fields, sizeof u->fields);
	memset(u->errors, 0, sizeof u->errors);
	sodium_memzero(u->lookup, sizeof u->lookup);
	/* The receipt code is in no file (db.h): nor does it stay in memory. */
	sodium_memzero(&u->found, sizeof u->found);
	sodium_memzero(&u->receipt, sizeof u->receipt);
	sodium_memzero(u->receipt_url, sizeof u->receipt_url);
	sodium_memzero(u->pin, sizeof u->pin);
	sodium_memzero(&u->input, sizeof u->input);
	ui_rating_wipe(u);
	ui_scan_wipe(u);
	/* The widgets showed the fields; rebuilt (go) before anyone reads them. */
	widget_clear(&u->wl);
	sodium_memzero(u->wl.arena, sizeof u->wl.arena);
	u->visits++;
	u->nevents = 0;
	u->category = NULL;
	u->procedure = NULL;
	u->procedure_page = 0;
	u->form_error = 0;
	u->lookup_msg = -1;
	u->pin_msg = -1;
	u->idle_warning = 0;
	u->larger = 0;
	u->text_scale = 1.0f;
	u->language = strcmp(u->cfg->language, "en") == 0 ? LANG_EN : LANG_VI;
	ime_init(&u->input, strcmp(u->cfg->input_method, "vni") == 0 ? IME_VNI : IME_TELEX,
		strcmp(u->cfg->tone_style, "new") == 0 ? IME_TONE_NEW : IME_TONE_OLD);
	ui_go(u, SCREEN_HOME);
}

void ui_init(ui *u, const config *cfg, const catalog *cat, const cal *calendar, db *store,
	const seal_server_key *server_key, uint32_t now)
{
	memset(u, 0, sizeof *u);
	u->cfg = cfg;
	u->cat = cat;
	u->calendar = calendar;
	u->store = store;
	u->server_key = server_key;
	u->now = u->last_input = u->store_tried = now;
	if (store) ui_store_opened(u);
	ui_resize(u, 800, 480);
	ui_reset_visit(u);
}

static valid_code check_field(ui *u, int i)
{
	const catalog_field *f = &u->cat->fields[i];
	int required = u->category->need[i] == FIELD_REQUIRED;
	char norm[16];
	switch (f->kind) {
	case FIELD_PHONE: return valid_phone(u->fields[i], required, norm);
	case FIELD_CITIZEN_ID: return valid_citizen_id(u->fields[i], required, norm);
	case FIELD_MULTILINE: return valid_text(u->fields[i], (size_t)f->max_chars, 1, required);
	case FIELD_DATE: return valid_date(u->fields[i], required, norm);
	case FIELD_TEXT: break;
	}
	return valid_text(u->fields[i], (size_t)f->max_chars, 0, required);
}

static void form_next(ui *u)
{
	int i, first = -1;
	for (i = 0; i < CATALOG_FIELDS; i++) {
		u->errors[i] = ui_field_visible(u, i) ? check_field(u, i) : VALID_OK;
		if (u->errors[i] != VALID_OK && first < 0) first = i;
	}
	if (first >= 0) {
		u->form_error = 1;
		focus_field(u, first);
		return;
	}
	u->form_error = 0;
	/* The deadline is decided here, once: review shows it, submit stores it. */
	file_plan_make(&u->plan, u->category, u->procedure, u->calendar, (time_t)ui_receipt_time(u));
	screen_plan_dialogue(u);
	u->review_page = 0;
	ui_go(u, SCREEN_REVIEW);
}

static void next_field(ui *u)
{
	int i;
	for (i = u->focus + 1; i < CATALOG_FIELDS; i++)
		if (ui_field_visible(u, i)) { focus_field(u, i); return; }
	form_next(u);
}

/* The paper receipt, only for what is stored: drawn now, while the
 * citizen's name is still in memory (milliseconds), and sent by the
 * printer's own thread, because a slow, empty or missing printer takes
 * seconds to say so; the receipt screen shows the outcome when it comes. */
static void print_receipt(ui *u)
{
	printout_receipt r;
	char what[256], err[200];
	const char *papers[CATALOG_MAX_PAPERS];
	int name = catalog_field_index("full_name"), i;
	u->print_queued = 0;
	if (!u->printer) return;
	if (u->procedure)
		widget_fmt(&u->wl, "receipt's what", what, sizeof what, "%s – %s", screen_category_name(u, u->category),
			u->procedure->name[u->language]);
	else widget_fmt(&u->wl, "receipt's what", what, sizeof what, "%s", screen_category_name(u, u->category));
	memset(&r, 0, sizeof r);
	r.language = u->language;
	r.token = u->receipt.token;
	r.request_id = u->receipt.id;
	r.what = what;
	/* The law keeps a denouncer's identity secret: a slip left in the tray
	 * or dropped on the way home must not name them. */
	r.citizen_name = name >= 0 && ui_field_visible(u, name) && strcmp(u->category->id, "denunciation") != 0
		? u->fields[name] : "";
	r.secret = strcmp(u->category->id, "denunciation") == 0;
	r.received_at = u->receipt.received_at;
	r.deadline_label = T(u, screen_plan_label(u));
	r.deadline = u->receipt.deadline;
	r.url = u->receipt_url;
	if (u->procedure) {
		for (i = 0; i < u->procedure->npapers; i++) papers[i] = u->procedure->papers[i][u->language];
		r.papers = papers;
		r.npapers = u->procedure->npapers;
		r.fee = u->procedure->fee[u->language];
	}
	u->print_queued = printout_print_receipt(u->printer, &r, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the receipt: %s", err);
}

/* A complaint or denunciation is accepted only on a signed letter: the
 * letter is drawn now from what was typed, before the form is wiped, and
 * goes to the receipt printer or a private CUPS queue (never a shared one). */
static void print_letter(ui *u)
{
	printout_letter l;
	char err[200];
	int i, denunciation;
	if (!u->printer || u->print_queued <= 0 || u->category->clock.starts != LEGAL_STARTS_LETTER) return;
	denunciation = strcmp(u->category->id, "denunciation") == 0;
	memset(&l, 0, sizeof l);
	l.language = u->language;
	l.denunciation = denunciation;
	l.token = u->receipt.token;
	l.written_at = u->receipt.received_at;
	for (i = 0; i < CATALOG_FIELDS; i++)
		if (ui_field_visible(u, i)) {
			l.labels[i] = catalog_field_label(u->cat, u->category, i, u->language);
			l.values[i] = u->fields[i];
		}
	if (printout_print_letter(u->printer, &l, err, sizeof err) != 0) {
		u->print_queued = -1;
		log_warn("cannot print the letter: %s", err);
	}
}

/* Files the request review showed (file.h). A plan from another day is
 * made again and shown: the citizen confirms the date that is stored. */
static void submit(ui *u)
{
	const char *values[CATALOG_FIELDS];
	file_office office;
	char err[300];
	time_t now;
	int i, rc;
	ui_store_retry(u);
	office = (file_office){ u->cfg, u->cat, u->store, u->server_key };
	now = (time_t)ui_receipt_time(u);
	for (i = 0; i < CATALOG_FIELDS; i++) values[i] = u->fields[i];
	rc = file_request(&office, &u->plan, values, now, &u->receipt, err, sizeof err);
	if (rc == FILE_STALE) {
		log_info("%s: showing the new deadline before filing", err);
		file_plan_make(&u->plan, u->category, u->procedure, u->calendar, now);
		screen_plan_dialogue(u);
		ui_go(u, SCREEN_REVIEW);
		return;
	}
	if (rc != FILE_OK) {
		log_error("%s", err);
		if (rc == FILE_STORE_FAILED) ui_store_lost(u);
		ui_go(u, SCREEN_ERROR);
		return;
	}
	log_info("stored request %s (%s)", u->receipt.id, u->receipt.category);
	if (u->receipt.received_at > u->clock_floor) u->clock_floor = u->receipt.received_at;
	ui_clock_told(u);
	widget_fmt(&u->wl, "receipt URL", u->receipt_url, sizeof u->receipt_url, "%s/r/%s", u->cfg->public_url, u->receipt.token);
	print_receipt(u);
	print_letter(u);
	/* Stored and sealed: the clear text has no reason to stay in memory. */
	sodium_memzero(u->fields, sizeof u->fields);
	ui_go(u, SCREEN_RECEIPT);
}

static void lookup_submit(ui *u)
{
	char token[TOKEN_LEN + 1];
	int rc = token_parse(u->lookup, token);
	if (rc == TOKEN_MALFORMED) { u->lookup_msg = T_LOOKUP_MALFORMED; u->dirty = 1; return; }
	if (rc == TOKEN_BADCHECK) { u->lookup_msg = T_LOOKUP_BADCHECK; u->dirty = 1; return; }
	rc = db_find_token(u->store, token, &u->found);
	if (rc != 1) {
		u->lookup_msg = T_LOOKUP_UNKNOWN;
		u->dirty = 1;
		return;
	}
	u->nevents = db_events(u->store, u->found.id, u->events, UI_MAX_EVENTS);
	if (u->nevents < 0) u->nevents = 0;
	u->lookup_msg = -1;
	u->history_page = 0;
	ui_go(u, SCREEN_STATUS);
}

/* Five wrong PINs in a row lock the pad; the count and the lock are
 * written durably before the answer shows, so pulling the plug after a
 * wrong guess does not buy another one. */
/* ---- typing ---- */

static void field_changed(ui *u)
{
	/* A message about a field goes once the person changes it. */
	if (u->screen == SCREEN_FORM) u->errors[u->focus] = VALID_OK;
	if (u->screen == SCREEN_LOOKUP) u->lookup_msg = -1;
	u->dirty = 1;
}

/* One character into the focused field, through the input method where the
 * field takes words. Refused (with the message) past the field's limit. */
void ui_type(ui *u, uint32_t cp)
{
	if (ui_rating_type(u, cp)) return;
	if (u->screen == SCREEN_LOOKUP) {
		char enc[4];
		size_t n = utf8_encode(cp >= 'a' && cp <= 'z' ? cp - 32 : cp, enc), len = strlen(u->lookup);
		if (cp < 0x20 || n == 0 || len + n >= sizeof u->lookup) return;
		memcpy(u->lookup + len, enc, n);
		u->lookup[len + n] = '\0';
		field_changed(u);
		return;
	}
	if (u->screen == SCREEN_PIN) {
		size_t len = strlen(u->pin);
		if (cp >= '0' && cp <= '9' && len + 1 < sizeof u->pin) { u->pin[len] = (char)cp; u->pin[len + 1] = '\0'; }
		u->dirty = 1;
		return;
	}
	if (u->screen != SCREEN_FORM) return;
	char *f = u->fields[u->focus];
	const catalog_field *fd = &u->cat->fields[u->focus];
	char before[UI_FIELD_BYTES];
	if (fd->kind == FIELD_PHONE || fd->kind == FIELD_CITIZEN_ID || fd->kind == FIELD_DATE) {
		size_t len = strlen(f);
		/* a date gets its slashes by itself: 05091987 is 05/09/1987 */
		if (fd->kind == FIELD_DATE && cp == '/' && (len == 2 || len == 5)) { f[len] = '/'; f[len + 1] = '\0'; field_changed(u); return; }
		if (cp < '0' || cp > '9') return;
		if (fd->kind == FIELD_DATE && (len == 2 || len == 5) && len + 1 < (size_t)fd->max_chars) { f[len++] = '/'; f[len] = '\0'; }
		if ((int)len >= fd->max_chars) { u->errors[u->focus] = VALID_TOO_LONG; u->dirty = 1; return; }
		f[len] = (char)cp;
		f[len + 1] = '\0';
		field_changed(u);
		return;
	}
	if (cp == '\n' && fd->kind != FIELD_MULTILINE) return;
	memcpy(before, f, strlen(f) + 1);
	if (ime_key(&u->input, f, UI_FIELD_BYTES, cp) != 0 || utf8_length(f) > (size_t)fd->max_chars) {
		memcpy(f, before, strlen(before) + 1);
		u->errors[u->focus] = VALID_TOO_LONG;
		u->dirty = 1;
		sodium_memzero(before, sizeof before);
		return;
	}
	sodium_memzero(before, sizeof before);
	field_changed(u);
}

static void backspace(ui *u)
{
	if (ui_rating_backspace(u)) return;
	if (u->screen == SCREEN_LOOKUP) {
		u->lookup[utf8_last_start(u->lookup, strlen(u->lookup))] = '\0';
		field_changed(u);
	} else if (u->screen == SCREEN_PIN) {
		size_t n = strlen(u->pin);
		if (n) u->pin[n - 1] = '\0';
		u->dirty = 1;
	} else if (u->screen == SCREEN_FORM) {
		ime_backspace(&u->input, u->fields[u->focus]);
		field_changed(u);
	}
}

static void enter(ui *u)
{
	if (ui_rating_enter(u)) return;
	if (u->screen == SCREEN_FORM) {
		if (u->cat->fields[u->focus].kind == FIELD_MULTILINE) ui_type(u, '\n');
		else next_field(u);
	} else if (u->screen == SCREEN_LOOKUP) lookup_submit(u);
	else if (u->screen == SCREEN_PIN) ui_pin_ok(u);
}

static void press_key(ui *u, const char *name)
{
	const kb_key *k = kb_key_by_name(ui_current_keyboard(u), u->kb_layer, ui_vni_digits(u), name);
	if (!k) return;
	switch (k->action) {
	case KB_CHAR: {
		char ch = k->ch;
		if (ch >= 'a' && ch <= 'z' && ui_shift_active(u)) ch = (char)(ch - 'a' + 'A');
		ui_type(u, (uint32_t)(unsigned char)ch);
		u->shift = 0;
		break;
	}
	case KB_SPACE: ui_type(u, ' '); u->shift = 0; break;
	case KB_SHIFT: u->shift = ui_shift_active(u) ? -1 : 1; break;
	case KB_BACKSPACE: backspace(u); break;
	case KB_LAYER: u->kb_layer = !u->kb_layer; break;
	case KB_IME:
		u->input.method = k->ch == 'v' ? IME_VNI : IME_TELEX;
		ime_reset(&u->input);
		break;
	case KB_VIET: case KB_TONE: ui_viet_key(u, k); break;
	case KB_GAP: break;
	case KB_ENTER:
		/* The multi-line field's Enter key moves on too: a new line
		 * is rarely what an on-screen user means. */
		if (u->screen == SCREEN_FORM) next_field(u);
		else enter(u);
		break;
	}
	u->dirty = 1;
}

/* ---- actions by widget id ---- */

typedef void (*action_fn)(ui *u, const char *arg);

static void act_back(ui *u, const char *arg)
{
	(void)arg;
	switch (u->screen) {
	case SCREEN_FORM: ui_go(u, u->procedure ? SCREEN_PROCEDURE : SCREEN_CATEGORY); break;
	case SCREEN_REVIEW: focus_field(u, u->focus); ui_go(u, SCREEN_FORM); break;
	case SCREEN_STATUS: ui_go(u, SCREEN_LOOKUP); break;
	case SCREEN_GUIDE: ui_go(u, u->guide_filing ? SCREEN_PROCEDURE : SCREEN_GUIDE_LIST); break;
	case SCREEN_PIN: case SCREEN_STAFF: ui_reset_visit(u); break;
	case SCREEN_RATING_ENTRY: case SCREEN_RATING_ASK: case SCREEN_RATING_COMMENT: ui_rating_back(u); break;
	default:
		/* Back to home is starting over: nothing typed stays. */
		if (screen_back(u->screen) == SCREEN_HOME) ui_reset_visit(u);
		else ui_go(u, screen_back(u->screen));
	}
}

static void act_lang(ui *u, const char *arg)
{
	(void)arg;
	u->language = u->language == LANG_VI ? LANG_EN : LANG_VI;
	u->dirty = 1;
}

static void act_home_file(ui *u, const char *arg)
{
	(void)arg;
	/* Say so before the citizen types anything, not after. */
	ui_store_retry(u);
	if (!u->store || !u->server_key) { ui_go(u, SCREEN_ERROR); return; }
	u->category_page = 0;
	ui_go(u, SCREEN_CATEGORY);
}

static void act_home_lookup(ui *u, const char *arg) { (void)arg; u->lookup_msg = -1; ui_go(u, SCREEN_LOOKUP); }

static void act_category(ui *u, const char *id)
{
	const catalog_category *c = catalog_category_by_id(u->cat, id);
	if (strcmp(id, "page_prev") == 0 || strcmp(id, "page_next") == 0) {
		u->category_page += id[5] == 'n' ? 1 : -1;   /* screen_category keeps it within its pages */
		u->dirty = 1;
		return;
	}
	if (!c) return;
	if (c != u->category) u->procedure = NULL;
	u->category = c;
	if (c->deadline == DEADLINE_PROCEDURE) { ui_go(u, SCREEN_PROCEDURE); return; }
	open_form(u);
}

static void act_procedure(ui *u, const char *id)
{
	const catalog_procedure *p;
	int pages = screen_procedure_pages(u, 1, NULL);
	if (strcmp(id, "page_prev") == 0) { if (u->procedure_page > 0) u->procedure_page--; u->dirty = 1; return; }
	if (strcmp(id, "page_next") == 0) { if (u->procedure_page + 1 < pages) u->procedure_page++; u->dirty = 1; return; }
	p = catalog_procedure_by_id(u->cat, id);
	if (!p) return;
	u->procedure = p;
	/* The papers to bring come first (ND 118/2025 Art. 16), when the
	 * catalog has them. */
	if (p->npapers > 0) ui_guide_open(u, p->id, 1);
	else open_form(u);
}

void ui_open_form(ui *u) { open_form(u); }

static void act_field(ui *u, const char *name)
{
	int i = catalog_field_index(name);
	if (i >= 0 && ui_field_visible(u, i)) focus_field(u, i);
}

static void act_form_next(ui *u, const char *arg) { (void)arg; form_next(u); }
static void act_review_edit(ui *u, const char *arg) { act_back(u, arg); }
static void act_submit(ui *u, const char *arg) { (void)arg; submit(u); }
static void act_review_sms(ui *u, const char *arg) { (void)arg; u->plan.sms_consent = !u->plan.sms_consent; }
static void act_home(ui *u, const char *arg) { (void)arg; ui_reset_visit(u); }
static void act_retry(ui *u, const char *arg) { (void)arg; submit(u); }
static void act_lookup_submit(ui *u, const char *arg) { (void)arg; lookup_submit(u); }
static void act_key(ui *u, const char *name) { press_key(u, name); }
static void act_idle_continue(ui *u, const char *arg) { (void)arg; u->idle_warning = 0; u->dirty = 1; }
static void act_staff_exit(ui *u, const char *arg) { (void)arg; u->quit = 1; }

static void act_staff_run(ui *u, const char *command)
{
	if (!u->staff_ops.start) return;
	u->staff_start_failed = u->staff_ops.start(u->staff_ops.ctx, command) != 0;
}

static void act_print_test(ui *u, const char *arg)
{
	char err[200];
	(void)arg;
	if (!u->printer) return;
	u->print_queued = printout_print_test_page(u->printer, u->language, err, sizeof err) == 0 ? 1 : -1;
	if (u->print_queued < 0) log_warn("cannot print the test page: %s", err);
}
static void act_nothing(ui *u, const char *arg) { (void)u; (void)arg; }
static void act_home_ticket(ui *u, const char *arg) { (void)arg; ui_ticket_start(u); }
static void act_ticket_field(ui *u, const char *id) { ui_ticket_field(u, id); }
static void act_ticket_normal(ui *u, const char *arg) { (void)arg; ui_ticket_take(u, 0); }
static void act_ticket_priority(ui *u, const char *arg) { (void)arg; ui_ticket_take(u, 1); }
static void act_home_rating(ui *u, const char *arg) { (void)arg; ui_rating_start(u); }
static void act_rating(ui *u, const char *id) { ui_rating_tap(u, id); }
static void act_home_guide(ui *u, const char *arg) { (void)arg; ui_guide_start(u); }
static void act_home_larger(ui *u, const char *arg) { (void)arg; ui_larger_toggle(u); }
static void act_guide_proc(ui *u, const char *id)
{
	if (strcmp(id, "page_prev") == 0) ui_guide_page(u, -1);
	else if (strcmp(id, "page_next") == 0) ui_guide_page(u, 1);
	else ui_guide_open(u, id, 0);
}
static void act_guide_print(ui *u, const char *arg) { (void)arg; ui_guide_print(u); }
static void act_guide_continue(ui *u, const char *arg) { (void)arg; open_form(u); }

static void act_staff_run_now(ui *u, const char *arg) { (void)arg; act_staff_run(u, "now"); }
static void act_staff_run_export(ui *u, const char *arg) { (void)arg; act_staff_run(u, "export"); }
static void act_staff_run_import(ui *u, const char *arg) { (void)arg; act_staff_run(u, "import"); }

static void act_pin(ui *u, const char *key)
{
	if (strcmp(key, "ok") == 0) ui_pin_ok(u);
	else if (strcmp(key, "clear") == 0) backspace(u);
	else if (key[0] >= '0' && key[0] <= '9' && !key[1]) { u->pin_msg = -1; ui_type(u, (uint32_t)key[0]); }
}

typedef struct {
	const char *id;          /* exact id, or prefix ending in '.' */
	ui_screen screen;        /* where it applies; SCREEN_HOME..: see any_screen */
	int any_screen;
	action_fn fn;
} action;

static const action actions[] = {
	{ "back", 0, 1, act_back },
	{ "lang", 0, 1, act_lang },
	{ "aid.", 0, 1, ui_aid_tap },
	{ "home.lang", SCREEN_HOME, 0, act_lang },
	{ "home.file", SCREEN_HOME, 0, act_home_file },
	{ "home.lookup", SCREEN_HOME, 0, act_home_lookup },
	{ "home.title", SCREEN_HOME, 0, act_nothing },
	{ "home.ticket", SCREEN_HOME, 0, act_home_ticket },
	{ "ticket.field.", SCREEN_TICKET, 0, act_ticket_field },
	{ "ticket.normal", SCREEN_TICKET_KIND, 0, act_ticket_normal },
	{ "ticket.priority", SCREEN_TICKET_KIND, 0, act_ticket_priority },
	{ "ticket.done", SCREEN_TICKET_DONE, 0, act_home },
	{ "home.guide", SCREEN_HOME, 0, act_home_guide },
	{ "home.rating", SCREEN_HOME, 0, act_home_rating },
	{ "home.larger", SCREEN_HOME, 0, act_home_larger },
	{ "rating.", 0, 1, act_rating },
	{ "guide.proc.", SCREEN_GUIDE_LIST, 0, act_guide_proc },
	{ "guide.print", SCREEN_GUIDE, 0, act_guide_print },
	{ "guide.page.", SCREEN_GUIDE, 0, ui_guide_part_page },
	{ "guide.continue", SCREEN_GUIDE, 0, act_guide_continue },
	{ "guide.done", SCREEN_GUIDE, 0, act_home },
	{ "category.", SCREEN_CATEGORY, 0, act_category },
	{ "procedure.", SCREEN_PROCEDURE, 0, act_procedure },
	{ "form.field.", SCREEN_FORM, 0, act_field },
	{ "form.input", SCREEN_FORM, 0, act_nothing },
	{ "form.next", SCREEN_FORM, 0, act_form_next },
	{ "review.edit", SCREEN_REVIEW, 0, act_review_edit },
	{ "review.page.", SCREEN_REVIEW, 0, ui_review_page },
	{ "review.submit", SCREEN_REVIEW, 0, act_submit },
	{ "review.sms", SCREEN_REVIEW, 0, act_review_sms },
	{ "receipt.done", SCREEN_RECEIPT, 0, act_home },
	{ "lookup.input", SCREEN_LOOKUP, 0, act_nothing },
	{ "lookup.submit", SCREEN_LOOKUP, 0, act_lookup_submit },
	{ "status.done", SCREEN_STATUS, 0, act_home },
	{ "status.history.", SCREEN_STATUS, 0, ui_history_page },
	{ "error.home", SCREEN_ERROR, 0, act_home },
	{ "error.retry", SCREEN_ERROR, 0, act_retry },
	{ "pin.", SCREEN_PIN, 0, act_pin },
	{ "staff.exit", SCREEN_STAFF, 0, act_staff_exit },
	{ "staff.sync", SCREEN_STAFF, 0, act_staff_run_now },
	{ "staff.export", SCREEN_STAFF, 0, act_staff_run_export },
	{ "staff.import", SCREEN_STAFF, 0, act_staff_run_import },
	{ "staff.print_test", SCREEN_STAFF, 0, act_print_test },
	{ "kb.", 0, 1, act_key },
	{ "idle.continue", 0, 1, act_idle_continue },
};

int ui_tap(ui *u, const char *id)
{
	const widget *w = ui_find(u, id);
	size_t i;
	if (!w || !w->enabled) return -1;
	u->last_input = u->now;
	/* A finger after typed digits: they are the person's, not a scan. */
	ui_scan_flush(u);
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		const action *a = &actions[i];
		size_t n = strlen(a->id);
		int prefix = a->id[n - 1] == '.';
		if (!a->any_screen && a->screen != u->screen) continue;
		if (prefix ? strncmp(id, a->id, n) != 0 : strcmp(id, a->id) != 0) continue;
		a->fn(u, prefix ? id + n : "");
		u->dirty = 1;
		return 0;
	}
	return -1;
}

int ui_press(ui *u, int x, int y, uint32_t now)
{
	const widget *w = ui_hit(u, x, y);
	u->now = now;
	u->last_input = now;
	if (!w) { u->pressed[0] = '\0'; return -1; }
	snprintf(u->pressed, sizeof u->pressed, "%s", w->id);
	u->pressed_at = now;
	return 0;
}

int ui_release(ui *u, int x, int y, uint32_t now)
{
	const widget *w = ui_hit(u, x, y);
	char id[48];
	u->now = now;
	u->last_input = now;
	/* A tap is a press and a release on the same widget: sliding off
	 * cancels, as people expect from phones. */
	if (!w || !u->pressed[0] || strcmp(w->id, u->pressed) != 0) { u->pressed[0] = '\0'; return -1; }
	snprintf(id, sizeof id, "%s", w->id);
	u->pressed[0] = '\0';
	return ui_tap(u, id);
}

void ui_text(ui *u, const char *text, uint32_t now)
{
	size_t pos = 0, len = strlen(text);
	u->now = now;
	u->last_input = now;
	if (u->idle_warning) { u->idle_warning = 0; u->dirty = 1; }
	/* A USB scanner types at home: that is a lookup. */
	if (u->screen == SCREEN_HOME) { u->lookup[0] = '\0'; ui_go(u, SCREEN_LOOKUP); }
	ui_scan_line(u, text, now);
	while (pos < len) {
		uint32_t cp = utf8_decode(text, len, &pos);
		if (cp != UTF8_INVALID && !ui_scan_char(u, cp)) ui_type(u, cp);
	}
	if (u->screen == SCREEN_FORM) ime_nfc(u->fields[u->focus]);
	if (u->screen == SCREEN_RATING_COMMENT) ime_nfc(u->rating.comment);
	u->shift = 0;
}

int ui_key(ui *u, const char *name, uint32_t now)
{
	u->now = now;
	u->last_input = now;
	if (u->idle_warning) { u->idle_warning = 0; u->dirty = 1; }
	if (strcmp(name, "Return") == 0) { if (!ui_scan_return(u)) enter(u); }
	else if (strcmp(name, "BackSpace") == 0) { if (!ui_scan_backspace(u)) backspace(u); }
	else if (strcmp(name, "Tab") == 0) { if (u->screen == SCREEN_FORM) next_field(u); }
	else if (strcmp(name, "Escape") == 0) { if (u->screen != SCREEN_HOME && u->screen != SCREEN_RECEIPT && u->screen != SCREEN_ERROR && u->screen != SCREEN_TICKET_DONE && u->screen != SCREEN_RATING_DONE) act_back(u, ""); }
	else return -1;
	u->dirty = 1;
	return 0;
}

int ui_tick(ui *u, uint32_t now)
{
	uint32_t idle_ms = ui_idle_ms(u), since;
	int next;
	u->now = now;
	next = ui_aid_tick(u);
	since = now - u->last_input;
	if (u->pressed[0] && strcmp(u->pressed, "home.title") == 0 && u->screen == SCREEN_HOME) {
		if (now - u->pressed_at >= UI_LONG_PRESS_MS) {
			u->pressed[0] = '\0';
			u->last_input = now;
			ui_pin_open(u);
			return 0;
		}
		next = (int)(UI_LONG_PRESS_MS - (now - u->pressed_at));
	}
	if (u->printer) {
		printout_state st;
		printout_state_get(u->printer, &st);
		if (st.generation != u->print_seen) { u->print_seen = st.generation; u->dirty = 1; }
		/* Look again soon while a page is out, to say when it is printed. */
		if (st.busy && (next < 0 || next > 100)) next = 100;
	}
	if (!u->store && u->store_ops.open) {
		uint32_t left;
		if (now - u->store_tried >= UI_STORE_RETRY_MS) ui_store_retry(u);
		left = UI_STORE_RETRY_MS - (now - u->store_tried);
		if (!u->store && (next < 0 || (uint32_t)next > left)) next = (int)left;
	}
	if (u->screen == SCREEN_HOME) return next;
	if (u->screen == SCREEN_PIN && u->pin_lock.locked_until) {
		/* The pad counts down its lock each second, and opens when it is over. */
		u->dirty = 1;
		if (!ui_pin_locked_for(u)) u->pin_lock.locked_until = 0;
		else if (next < 0 || next > 1000) next = 1000;
	}
	if (since >= idle_ms + UI_IDLE_COUNTDOWN_MS) {
		ui_reset_visit(u);
		return next;
	}
	if (since >= idle_ms) {
		/* Redraw each second for the countdown. */
		u->idle_warning = 1;
		u->dirty = 1;
		int ms = (int)(1000 - (since - idle_ms) % 1000);
		return next < 0 || ms < next ? ms : next;
	}
	int ms = (int)(idle_ms - since);
	return next < 0 || ms < next ? ms : next;
}
