/* ui_rating: a satisfaction rating from the kiosk (see ui.h): home's
 * "rate" asks whether the citizen holds a queue ticket or a receipt code;
 * with one, it is typed and checked (rating_may_give) before any question,
 * so a ticket already rated or unknown is said at once; then the five
 * criteria, one decision a screen, then an optional comment through the
 * input method, and the rating is stored (rating_give decides again, so
 * two kiosks racing store one). What was typed is wiped with the visit. */
#include "ui.h"
#include "screen.h"
#include "log.h"
#include "token.h"
#include "utf8.h"
#include "vntime.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void go(ui *u, ui_screen s)
{
	u->screen = s;
	u->dirty = 1;
}

void ui_rating_wipe(ui *u)
{
	sodium_memzero(u->rating_entry, sizeof u->rating_entry);
	sodium_memzero(&u->rating, sizeof u->rating);
	u->rating_msg = -1;
	u->rating_step = 0;
	u->rating_result = 0;
}

void ui_rating_start(ui *u)
{
	ui_rating_wipe(u);
	go(u, SCREEN_RATING_HOW);
}

/* A ticket's label as printed ("A015": a field's prefix, then digits,
 * spaces and hyphens allowed) into in, for today: 1, or 0 when entry is not
 * one (then it is taken as a receipt code). */
static int parse_ticket(ui *u, const char *entry, rating_input *in)
{
	char s[sizeof u->rating_entry];
	size_t n = 0, plen;
	int i;
	for (const char *p = entry; *p && n + 1 < sizeof s; p++)
		if (*p != ' ' && *p != '-') s[n++] = (char)toupper((unsigned char)*p);
	s[n] = '\0';
	for (i = 0; i < u->cat->nqueue_fields; i++) {
		const catalog_queue_field *f = &u->cat->queue_fields[i];
		char *end;
		long number;
		plen = strlen(f->prefix);
		if (strncmp(s, f->prefix, plen) != 0 || !isdigit((unsigned char)s[plen]) || n - plen > 4) continue;
		number = strtol(s + plen, &end, 10);
		if (*end || number <= 0) continue;
		in->kind = RATING_TICKET;
		snprintf(in->field, sizeof in->field, "%s", f->id);
		in->number = (int)number;
		cal_date_format(vntime_date((long long)time(NULL)), in->day);
		return 1;
	}
	return 0;
}

static const i18n_id refusals[] = {
	[RATING_DUPLICATE] = T_RATING_DUPLICATE, [RATING_UNKNOWN] = T_RATING_UNKNOWN, [RATING_LIMITED] = T_RATING_LIMITED
};

/* Whether the rating can go on: the questions, or the reason why not. */
static void may_begin(ui *u)
{
	char err[300];
	int rc = u->store ? rating_may_give(u->store, &u->rating, (long long)time(NULL), err, sizeof err) : -1;
	if (rc < 0) {
		if (u->store) log_error("cannot check a rating: %s", err);
		u->rating_result = -1;
		go(u, SCREEN_RATING_DONE);
		return;
	}
	if (rc != RATING_STORED) {
		u->rating_msg = (int)refusals[rc];
		/* Without a number there is nothing to correct: said on the first screen. */
		go(u, u->rating.kind == RATING_NONE ? SCREEN_RATING_HOW : SCREEN_RATING_ENTRY);
		return;
	}
	u->rating_msg = -1;
	u->rating_step = 0;
	go(u, SCREEN_RATING_ASK);
}

static void entry_submit(ui *u)
{
	char token[TOKEN_LEN + 1];
	rating_input *in = &u->rating;
	in->kind = RATING_NONE;
	in->code[0] = '\0';
	if (!parse_ticket(u, u->rating_entry, in)) {
		int rc = token_parse(u->rating_entry, token);
		if (rc != TOKEN_OK) {
			u->rating_msg = rc == TOKEN_BADCHECK ? T_LOOKUP_BADCHECK : T_RATING_UNKNOWN;
			u->dirty = 1;
			return;
		}
		in->kind = RATING_REQUEST;
		snprintf(in->code, sizeof in->code, "%s", token);
		sodium_memzero(token, sizeof token);
	}
	may_begin(u);
}

static void send(ui *u)
{
	char err[300];
	int rc;
	ime_nfc(u->rating.comment);
	rc = u->store ? rating_give(u->store, &u->rating, (long long)time(NULL), err, sizeof err) : -1;
	if (rc < 0 && u->store) log_error("cannot store a rating: %s", err);
	if (rc == RATING_STORED) log_info("rating stored (%s)", u->rating.kind == RATING_TICKET ? "ticket"
		: u->rating.kind == RATING_REQUEST ? "receipt code" : "neither");
	u->rating_result = rc;
	/* Stored or not, nothing typed stays for the next person's screens. */
	sodium_memzero(u->rating.comment, sizeof u->rating.comment);
	sodium_memzero(u->rating_entry, sizeof u->rating_entry);
	sodium_memzero(u->rating.code, sizeof u->rating.code);
	go(u, SCREEN_RATING_DONE);
}

void ui_rating_tap(ui *u, const char *id)
{
	if (u->screen == SCREEN_RATING_HOW && strcmp(id, "with") == 0) {
		u->rating_msg = -1;
		u->kb_layer = 0;
		go(u, SCREEN_RATING_ENTRY);
	} else if (u->screen == SCREEN_RATING_HOW && strcmp(id, "without") == 0) {
		u->rating.kind = RATING_NONE;
		may_begin(u);
	} else if (u->screen == SCREEN_RATING_ENTRY && strcmp(id, "next") == 0) {
		entry_submit(u);
	} else if (u->screen == SCREEN_RATING_ASK && strncmp(id, "face.", 5) == 0) {
		int face = atoi(id + 5);
		if (face < RATING_FACE_MIN || face > RATING_FACE_MAX) return;
		u->rating.faces[u->rating_step] = face;
		if (++u->rating_step >= RATING_N_CRITERIA) {
			u->rating_step = RATING_N_CRITERIA - 1;
			u->kb_layer = 0;
			u->shift = 0;
			ime_reset(&u->input);
			go(u, SCREEN_RATING_COMMENT);
		} else u->dirty = 1;
	} else if (u->screen == SCREEN_RATING_COMMENT && strcmp(id, "send") == 0) {
		send(u);
	} else if (u->screen == SCREEN_RATING_DONE && strcmp(id, "done") == 0) {
		ui_reset_visit(u);
	}
}

void ui_rating_back(ui *u)
{
	if (u->screen == SCREEN_RATING_ASK && u->rating_step > 0) { u->rating_step--; u->dirty = 1; }
	else if (u->screen == SCREEN_RATING_COMMENT) go(u, SCREEN_RATING_ASK);
	else if (u->screen == SCREEN_RATING_ASK && u->rating.kind != RATING_NONE) go(u, SCREEN_RATING_ENTRY);
	else { u->rating_msg = -1; go(u, SCREEN_RATING_HOW); }
}

int ui_rating_type(ui *u, uint32_t cp)
{
	if (u->screen == SCREEN_RATING_ENTRY) {
		char enc[4];
		size_t n = utf8_encode(cp >= 'a' && cp <= 'z' ? cp - 32 : cp, enc), len = strlen(u->rating_entry);
		if (cp >= 0x20 && n > 0 && len + n < sizeof u->rating_entry) {
			memcpy(u->rating_entry + len, enc, n);
			u->rating_entry[len + n] = '\0';
		}
		u->rating_msg = -1;
		u->dirty = 1;
		return 1;
	}
	if (u->screen == SCREEN_RATING_COMMENT) {
		/* Past the limit the key is refused (ime_key leaves the text), as in the form. */
		if (cp >= 0x20) ime_key(&u->input, u->rating.comment, sizeof u->rating.comment, cp);
		u->dirty = 1;
		return 1;
	}
	return 0;
}

int ui_rating_backspace(ui *u)
{
	if (u->screen == SCREEN_RATING_ENTRY) {
		u->rating_entry[utf8_last_start(u->rating_entry, strlen(u->rating_entry))] = '\0';
		u->rating_msg = -1;
	} else if (u->screen == SCREEN_RATING_COMMENT) ime_backspace(&u->input, u->rating.comment);
	else return 0;
	u->dirty = 1;
	return 1;
}

int ui_rating_enter(ui *u)
{
	if (u->screen == SCREEN_RATING_ENTRY) entry_submit(u);
	else if (u->screen == SCREEN_RATING_COMMENT) send(u);
	else return 0;
	return 1;
}
