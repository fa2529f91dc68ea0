/* office_print: the counter's papers on the office's printer (see
 * office_print.h). The layout follows the kiosk's slip: the office at the
 * top, the title, the code large, then the lines, the QR code of the
 * phone page. */
#include "office_print.h"
#include "log.h"
#include "sheet.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct office_print {
	const config *cfg;
	sheet_fonts *fonts;
	pthread_mutex_t lock;    /* one paper at a time */
};

office_print *office_print_new(const config *cfg, char *err, size_t errlen)
{
	office_print *p;
	err[0] = '\0';
	if (!sheet_configured(cfg)) return NULL;
	p = calloc(1, sizeof *p);
	if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
	p->cfg = cfg;
	p->fonts = sheet_fonts_open(cfg, err, errlen);
	if (!p->fonts) { free(p); return NULL; }
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void office_print_free(office_print *p)
{
	if (!p) return;
	sheet_fonts_free(p->fonts);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static void draw(sheet *s, const office_paper *pp)
{
	sheet_gap(s, sheet_scaled(s, 8));
	sheet_paragraph(s, SHEET_TITLE, pp->commune, 1);
	sheet_paragraph(s, SHEET_SMALL, pp->office, 1);
	sheet_rule(s, 2, sheet_scaled(s, 8));
	sheet_paragraph(s, SHEET_TITLE, pp->title, 1);
	sheet_gap(s, sheet_scaled(s, 10));
	sheet_paragraph(s, SHEET_SMALL, pp->code_label, 1);
	sheet_paragraph(s, SHEET_CODE, pp->code, 1);
	if (pp->dossier && pp->dossier[0]) sheet_field(s, SHEET_BOLD, pp->dossier_label, pp->dossier);
	sheet_gap(s, sheet_scaled(s, 8));
	sheet_paragraph(s, SHEET_BODY, pp->what, 0);
	if (pp->name && pp->name[0]) sheet_field(s, SHEET_BODY, pp->name_label, pp->name);
	if (pp->list && pp->list[0]) {
		sheet_gap(s, sheet_scaled(s, 6));
		sheet_paragraph(s, SHEET_BODY, pp->list, 0);
		sheet_gap(s, sheet_scaled(s, 6));
	}
	sheet_field(s, SHEET_BODY, pp->at_label, pp->at);
	sheet_field(s, SHEET_BOLD, pp->due_label, pp->due);
	if (pp->secret_note) {
		sheet_gap(s, sheet_scaled(s, 6));
		sheet_paragraph(s, SHEET_SMALL, pp->secret_note, 0);
	}
	if (pp->check_url && pp->check_url[0]) {
		sheet_gap(s, sheet_scaled(s, 8));
		sheet_qr(s, pp->check_url);
		sheet_gap(s, sheet_scaled(s, 4));
		sheet_field(s, SHEET_SMALL, pp->check_label, pp->check_url);
	}
	sheet_gap(s, sheet_scaled(s, 16));
}

int office_print_paper(office_print *p, const office_paper *pp, char *detail, size_t detaillen)
{
	int secret = pp->secret_note != NULL, rc;
	escpos_stream out = { 0 };
	escpos_result r;
	sheet s;
	if (sheet_refuse_shared(p->cfg, secret, "paper", detail, detaillen)) return 1;
	pthread_mutex_lock(&p->lock);
	sheet_start(&s, p->fonts);
	draw(&s, pp);
	rc = sheet_encode(&s, p->cfg, &out, detail, detaillen);
	sheet_free(&s);
	if (rc == 0) {
		r = sheet_send(p->cfg, "counter paper", secret, &out, detail, detaillen);
		if (r != ESCPOS_OK) {
			char why[400];
			snprintf(why, sizeof why, "%s: %s", escpos_result_text(r), detail);
			snprintf(detail, detaillen, "%s", why);
			rc = -1;
		}
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}
