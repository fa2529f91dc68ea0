/* office_help: the open calls for staff on the counter page (see
 * office_help.h). */
#include "office_help.h"
#include "office.h"
#include "office_counter.h"
#include "office_words.h"
#include "helpcall.h"
#include "log.h"
#include "vntime.h"
#include <microhttpd.h>
#include <stdlib.h>
#include <time.h>

#define T(r, w) office_words_text(office_req_lang(r), OW_##w)
#define HELP_SHOWN 8     /* open calls listed; more is a crowd the counter sees anyway */

void office_help_section(office_req *r, office_buf *b)
{
	office *o = office_req_office(r);
	helpcall calls[HELP_SHOWN];
	char err[256], at[8], line[128];
	int n, i;
	n = helpcall_open(office_db_hold(o), calls, HELP_SHOWN, err, sizeof err);
	office_db_release(o);
	office_buf_printf(b, "<section id=\"help\"><h2>%s</h2>", T(r, HELP_TITLE));
	if (n < 0) {
		log_error("counter page: %s", err);
		office_buf_printf(b, "<p class=\"err\">%s</p></section>", T(r, STORE_ERROR));
		return;
	}
	if (n == 0) office_buf_printf(b, "<p id=\"help-none\">%s</p>", T(r, HELP_NONE));
	for (i = 0; i < n; i++) {
		vntime_format(calls[i].at, "%H:%M", at, sizeof at);
		office_words_format(line, sizeof line, office_req_lang(r), OW_HELP_CALL, at);
		office_buf_printf(b, "<p class=\"err help-call\" id=\"help-%lld\">", calls[i].id);
		office_buf_esc(b, line);
		office_buf_puts(b, " ");
		office_counter_form(r, b, "/counter/help/answer", "inline");
		office_buf_printf(b, "<input type=\"hidden\" name=\"call\" value=\"%lld\"><button id=\"help-answer-%lld\">%s</button>"
			"</form></p>", calls[i].id, calls[i].id, T(r, HELP_ANSWER));
	}
	office_buf_puts(b, "</section>");
}

static void post_answer(office_req *r)
{
	office *o = office_req_office(r);
	const char *id = office_req_param(r, "call");
	char err[256], *end = NULL;
	long long call = id ? strtoll(id, &end, 10) : 0;
	int rc = 0;
	if (call > 0 && end && !*end) {
		rc = helpcall_answer(office_db_hold(o), call, office_req_who(r)->counter, (long long)time(NULL), err, sizeof err);
		office_db_release(o);
		if (rc < 0) log_error("counter %d: %s", office_req_who(r)->counter, err);
	}
	office_req_redirect(r, rc < 0 ? "/counter?msg=error" : "/counter");
}

const office_route office_help_routes[] = {
	{ "POST", "/counter/help/answer", 1, post_answer },
	{ NULL, NULL, 0, NULL },
};
