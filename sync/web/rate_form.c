/* rate_form: the phone page's satisfaction rating (see rate_form.h).
 *
 * The criteria and the three answers are the kiosk's words (kiosk.rating.*
 * in the translation files), in the kiosk's order, so a rating means the
 * same wherever it was given. Each criterion is a fieldset of three radio
 * buttons, large enough for a thumb; the form posts back to the page's own
 * address, which stores it and shows the page again with a thank-you. */
#include "rate_form.h"
#include "log.h"
#include "proto.h"
#include "srv_rating.h"
#include "status.h"
#include "words.h"
#include <stdio.h>
#include <string.h>

#define T(l, w) words_text((lang)(l), (w))

static const char *const fields[PROTO_RATING_CRITERIA] = { "reception", "time", "attitude", "result", "overall" };

rate_state rate_form_take(srv_db *db, const char *token, const srv_db_facts *f, const char *method,
	const console_form *form, long long now)
{
	srv_db_request r;
	int faces[PROTO_RATING_CRITERIA], k, rc;
	char err[256], commune[6];
	rate_state state;
	if (!f || !status_is_final(f->status) || strcmp(f->status, "withdrawn") == 0 ||
	    strcmp(f->category, "denunciation") == 0)
		return RATE_HIDDEN;
	memset(&r, 0, sizeof r);
	if (srv_db_request_find(db, token, &r) != 1) { srv_db_request_free(&r); return RATE_HIDDEN; }
	rc = srv_rating_given(db, r.id);
	state = rc < 0 ? RATE_HIDDEN : rc == 1 ? RATE_DONE : RATE_FORM;
	if (state == RATE_FORM && method && strcmp(method, "POST") == 0) {
		for (k = 0; k < PROTO_RATING_CRITERIA; k++) {
			const char *v = console_form_get(form, fields[k]);
			faces[k] = v && v[0] >= '1' && v[0] <= '3' && !v[1] ? v[0] - '0' : 0;
			if (!faces[k]) state = RATE_INCOMPLETE;
		}
		if (state == RATE_FORM) {
			snprintf(commune, sizeof commune, "%.5s", r.kiosk);
			rc = srv_rating_put_phone(db, r.id, commune, r.category, faces, now, err, sizeof err);
			if (rc < 0) log_error("rating from the phone page: %s", err);
			state = rc < 0 ? RATE_FORM : rc == 1 ? RATE_DONE : RATE_THANKS;
		}
	}
	srv_db_request_free(&r);
	return state;
}

void rate_form_put(html_writer *w, rate_state state, const char *token, int l)
{
	static const word q[PROTO_RATING_CRITERIA] = { W_RATE_Q_RECEPTION, W_RATE_Q_TIME, W_RATE_Q_ATTITUDE,
		W_RATE_Q_RESULT, W_RATE_Q_OVERALL };
	static const word faces[3] = { W_RATE_FACE1, W_RATE_FACE2, W_RATE_FACE3 };
	int k, f;
	if (state == RATE_HIDDEN) return;
	html_put(w, "<section class=rate><h2>");
	html_put(w, T(l, W_RATE_TITLE));
	html_put(w, "</h2>");
	if (state == RATE_THANKS || state == RATE_DONE) {
		html_put(w, "<p class=rated>");
		html_put(w, T(l, state == RATE_THANKS ? W_RATE_THANKS : W_RATE_DONE));
		html_put(w, "</p></section>");
		return;
	}
	html_put(w, "<p>");
	html_put(w, T(l, state == RATE_INCOMPLETE ? W_RATE_INCOMPLETE : W_RATE_INTRO));
	html_put(w, "</p><form method=post action=\"/r/");
	html_escape(w, token);
	html_put(w, l ? "?lang=en\">" : "\">");
	for (k = 0; k < PROTO_RATING_CRITERIA; k++) {
		html_put(w, "<fieldset><legend>");
		html_put(w, T(l, q[k]));
		html_put(w, "</legend>");
		for (f = 0; f < 3; f++)
			html_putf(w, "<label><input type=radio name=%s value=%d required> %s</label>", fields[k], f + 1,
				T(l, faces[f]));
		html_put(w, "</fieldset>");
	}
	html_put(w, "<button type=submit>");
	html_put(w, T(l, W_RATE_SEND));
	html_put(w, "</button></form></section>");
}
