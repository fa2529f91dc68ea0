/* escpos: the byte stream of an ESC/POS receipt printer and the device it
 * goes to.
 *
 * Receipt printers sold in Vietnam have no Vietnamese code page, so the
 * kiosk sends pictures, not text: a whole receipt is one 1-bit image sent as
 * GS v 0 raster bands short enough for the small input buffers of cheap
 * printers, then a feed and a partial cut. A device is a path (a USB printer
 * at /dev/usb/lp0, or a plain file that tests read back) or tcp:HOST[:PORT]
 * (a network printer, port 9100 by default), in the syntax config_device_parse
 * reads. Before printing, the printer is
 * asked for its state (DLE EOT: offline, cover open, paper out) where it
 * answers; one that does not answer is simply printed to. Every wait has a
 * deadline, so a dead printer costs seconds at most, and the caller runs
 * escpos_send away from the screen's thread. */
#ifndef MOTCUA_ESCPOS_H
#define MOTCUA_ESCPOS_H

#include <stddef.h>

#define ESCPOS_BAND_ROWS 96        /* rows per GS v 0 band: 6.75 KiB at 80 mm */
#define ESCPOS_CONNECT_MS 3000     /* open, connect and status, together */
#define ESCPOS_WRITE_MS 20000      /* a long receipt on a slow printer */

/* What became of a print; each has a plain sentence (escpos_result_text). */
typedef enum {
	ESCPOS_OK,
	ESCPOS_NO_PRINTER,      /* nothing at the path, connection refused or timed out */
	ESCPOS_OFFLINE,
	ESCPOS_PAPER_OUT,
	ESCPOS_COVER_OPEN,
	ESCPOS_WRITE_FAILED,
} escpos_result;

/* A growing byte stream. Start from {0}; free with escpos_free. */
typedef struct {
	unsigned char *data;
	size_t len, cap;
	int failed;              /* out of memory: the stream is incomplete */
} escpos_stream;

/* A 1-bit image: rows of (width + 7) / 8 bytes, the leftmost dot in the
 * high bit, 1 = black. */
typedef struct {
	int width, height;
	const unsigned char *bits;
} escpos_image;

void escpos_reset(escpos_stream *s);                        /* ESC @ */
void escpos_image_bands(escpos_stream *s, const escpos_image *img); /* GS v 0, in bands */
void escpos_feed(escpos_stream *s, int lines);              /* ESC d n */
void escpos_cut(escpos_stream *s);                          /* GS V 1: partial cut */
void escpos_free(escpos_stream *s);

/* A whole page: reset, the image, a feed past the cutter, the cut. 0, or -1
 * when out of memory. */
int escpos_page(escpos_stream *s, const escpos_image *img);

/* Sends data to device: opens it, asks its state where it answers, refuses
 * to print on a printer that says it is offline, out of paper or open, and
 * writes. A plain file is appended to (tests). ESCPOS_OK, or the result with
 * the details (device, system error) in msg for the log. */
escpos_result escpos_send(const char *device, const unsigned char *data, size_t len,
	char *msg, size_t msglen);

/* Opens device and asks its state, printing nothing: for the self-check and
 * the staff menu. ESCPOS_OK when it is there and did not report a problem;
 * msg says what was found ("answers: ready", "did not answer the status
 * query", ...). */
escpos_result escpos_probe(const char *device, char *msg, size_t msglen);

/* The result in plain English, for logs: "out of paper". */
const char *escpos_result_text(escpos_result r);

#endif
