/* office_papers: the procedure's papers as tick boxes at the counter and
 * the list of what is missing (see office_papers.h). The list is in
 * Vietnamese whatever the page's language: it is the paper the citizen
 * takes home and the note the phone page shows. */
#include "office_papers.h"
#include "office_words.h"
#include <stdio.h>
#include <string.h>

void office_papers_boxes(office_req *r, office_buf *b, const catalog_procedure *proc)
{
	lang l = office_req_lang(r);
	int i;
	if (!proc || proc->npapers <= 0) return;
	office_buf_printf(b, "<fieldset id=\"checklist\"><legend>%s</legend><input type=\"hidden\" name=\"checklist\""
		" value=\"1\">", office_words_text(l, OW_ACCEPT_CHECKLIST));
	for (i = 0; i < proc->npapers; i++) {
		office_buf_printf(b, "<p><label><input type=\"checkbox\" name=\"have%d\" value=\"1\" id=\"have-%d\"> ", i, i);
		office_buf_esc(b, proc->papers[i][l][0] ? proc->papers[i][l] : proc->papers[i][0]);
		office_buf_puts(b, "</label></p>");
	}
	office_buf_puts(b, "</fieldset>");
}

int office_papers_missing(office_req *r, const catalog_procedure *proc, const char *typed, char *out, size_t outlen)
{
	const char *shown = office_req_param(r, "checklist");
	size_t len = 0;
	int i, n = 0, w;
	out[0] = '\0';
	if (proc && shown && strcmp(shown, "1") == 0) {
		for (i = 0; i < proc->npapers; i++) {
			char name[16];
			const char *have;
			snprintf(name, sizeof name, "have%d", i);
			have = office_req_param(r, name);
			if (have && strcmp(have, "1") == 0) continue;
			w = snprintf(out + len, outlen - len, "%s%d. %s", n ? "\n" : "", n + 1, proc->papers[i][0]);
			if (w < 0 || (size_t)w >= outlen - len) return -1;
			len += (size_t)w;
			n++;
		}
	}
	if (typed && typed[strspn(typed, " \t\r\n")]) {
		w = snprintf(out + len, outlen - len, "%s%s", n ? "\n" : "", typed);
		if (w < 0 || (size_t)w >= outlen - len) return -1;
	}
	return 0;
}
