/* printcups: pages to an office printer through CUPS (libcups), when the
 * configuration says [printer] kind = cups.
 *
 * The page the kiosk draws for its receipt printer (a 1-bit picture as
 * wide as the roll, printout.h) goes on A4 as PWG raster (image/pwg-raster,
 * what IPP Everywhere printers and CUPS's own filters take), at 600 dpi
 * with each dot three pixels wide and tall, so it keeps its size on paper;
 * a long page continues on the next sheet. The job asks for no banner
 * pages (job-sheets none). A secret job (a denunciation's letter) carries
 * no name but "motcua", and once printed is purged from the server's
 * history with its files (Cancel-Job with purge-job), so the queue keeps
 * no copy even when the server is set to keep them; printout.c sends one
 * only to a queue the configuration marks private (docs/papers.md). */
#ifndef MOTCUA_PRINTCUPS_H
#define MOTCUA_PRINTCUPS_H

#include <stddef.h>
#include "escpos.h"

#define PRINTCUPS_DPI 600
#define PRINTCUPS_SCALE 3            /* 203 dpi dots to 600 dpi pixels */

/* The picture as PWG raster pages in out (appended to). 0, or -1 with err
 * saying why: out of memory, a picture too wide for A4, or no libcups
 * (it is opened on first use: see printcups.c). */
int printcups_raster(const escpos_image *img, escpos_stream *out, char *err, size_t errlen);

/* Sends the document (image/pwg-raster) to queue on server ("" libcups'
 * default: CUPS_SERVER or client.conf; else HOST[:PORT] or a socket path).
 * title names the job (a secret job is named "motcua" whatever title is,
 * and purged once done, waiting at most wait_ms for that). 0 printed
 * (detail: the job's id and queue), -1 refused or failed (detail: why, for
 * the log and staff). */
int printcups_send(const char *server, const char *queue, const char *title, int secret, int wait_ms,
	const unsigned char *data, size_t len, char *detail, size_t detaillen);

/* Whether queue on server exists and accepts jobs: 0, or -1 with why. */
int printcups_probe(const char *server, const char *queue, char *detail, size_t detaillen);

#endif
