/* screen_aid: the two aids at the right end of every screen's title bar
 * (see screen.h): "Nghe / Listen", which reads the screen's prompt aloud,
 * and "Gọi cán bộ / Call staff", for a citizen who cannot read or write;
 * after a call, the call button says for a while that staff have been called. One
 * function draws them for every screen, after the screen's own builder, so
 * no screen can forget them; the bar builders leave them screen_aid_room.
 * Both are at least SIZE_TARGET wide and the bar's height less its gaps
 * (48 design pixels, 9.2 mm at 5.2 px/mm on a 7-inch 800x480 panel). */
#include "screen.h"

/* What the speaker reads on each screen: the kiosk's own words only. */
static const i18n_id prompts[] = {
	[SCREEN_HOME] = T_PROMPT_HOME,
	[SCREEN_CATEGORY] = T_PROMPT_CATEGORY,
	[SCREEN_PROCEDURE] = T_PROMPT_PROCEDURE,
	[SCREEN_FORM] = T_PROMPT_FORM,
	[SCREEN_REVIEW] = T_PROMPT_REVIEW,
	[SCREEN_RECEIPT] = T_PROMPT_RECEIPT,
	[SCREEN_LOOKUP] = T_PROMPT_LOOKUP,
	[SCREEN_STATUS] = T_PROMPT_STATUS,
	[SCREEN_ERROR] = T_PROMPT_ERROR,
	[SCREEN_PIN] = T_PROMPT_PIN,
	[SCREEN_STAFF] = T_PROMPT_STAFF,
	[SCREEN_TICKET] = T_PROMPT_TICKET,
	[SCREEN_TICKET_KIND] = T_PROMPT_TICKET_KIND,
	[SCREEN_TICKET_DONE] = T_PROMPT_TICKET_DONE,
	[SCREEN_GUIDE_LIST] = T_PROMPT_GUIDE_LIST,
	[SCREEN_GUIDE] = T_PROMPT_GUIDE,
	[SCREEN_RATING_HOW] = T_PROMPT_RATING_HOW,
	[SCREEN_RATING_ENTRY] = T_PROMPT_RATING_ENTRY,
	[SCREEN_RATING_ASK] = T_PROMPT_RATING_ASK,
	[SCREEN_RATING_COMMENT] = T_PROMPT_RATING_COMMENT,
	[SCREEN_RATING_DONE] = T_PROMPT_RATING_DONE,
};

i18n_id screen_prompt(ui_screen s)
{
	return (size_t)s < sizeof prompts / sizeof prompts[0] ? prompts[s] : T_PROMPT_HOME;
}

/* A call needs the store to be recorded in; the speaker needs the voice. */
static int has_call(const ui *u) { return u->store != NULL; }

/* Each aid is as wide as its words (the longest the call button can say)
 * in the bar's font, and never narrower than a finger needs. */
static int speak_w(ui *u) { return screen_button_w(u, FONT_SMALL, T(u, T_AID_SPEAK), S(u, SIZE_AID_SPEAK_W)); }

static int call_w(ui *u)
{
	static const i18n_id says[] = { T_AID_CALL, T_AID_CALL_FAILED_SHORT, T_AID_CALLED_SHORT };
	int w = S(u, SIZE_AID_CALL_W);
	size_t i;
	for (i = 0; i < sizeof says / sizeof says[0]; i++) w = screen_button_w(u, FONT_SMALL, T(u, says[i]), w);
	return w;
}

int screen_aid_room(ui *u)
{
	int room = 0;
	if (u->voice) room += speak_w(u) + S(u, SIZE_GAP);
	if (has_call(u)) room += call_w(u) + S(u, SIZE_GAP);
	return room;
}

void screen_aid(ui *u)
{
	int gap = S(u, SIZE_GAP), h = S(u, SIZE_BAR_H) - 2 * gap, x = u->width;
	if (has_call(u)) {
		/* After a tap the button itself says what happened, in the
		 * strong colour, for UI_HELP_SHOWN_MS; the voice says it too. */
		int w = call_w(u), failed = u->help_at && u->help_msg == T_AID_CALL_FAILED;
		x -= w + gap;
		ADD(u, .id = "aid.call", .text = T(u, !u->help_at ? T_AID_CALL : failed ? T_AID_CALL_FAILED_SHORT : T_AID_CALLED_SHORT),
			.at = RECT(x, gap, w, h), .kind = W_BUTTON, .font = FONT_SMALL,
			.flags = WF_BAR | WF_CENTER | (!u->help_at ? 0 : failed ? WF_ERROR : WF_PRIMARY));
	}
	if (u->voice) {
		int w = speak_w(u);
		x -= w + gap;
		ADD(u, .id = "aid.speak", .text = T(u, T_AID_SPEAK), .at = RECT(x, gap, w, h),
			.kind = W_BUTTON, .font = FONT_SMALL, .flags = WF_BAR | WF_CENTER);
	}
}
