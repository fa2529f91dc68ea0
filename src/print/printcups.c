/* printcups: the kiosk's pages through CUPS (see printcups.h). libcups
 * does the raster encoding and the IPP; this file places the picture on
 * the sheet and follows the job.
 *
 * libcups is opened with dlopen when a page first goes to CUPS, not
 * linked: linked, it and what it brings (GnuTLS, Kerberos, Avahi: 17
 * libraries) were loaded and relocated at every start of a kiosk that
 * prints to a receipt printer, a fifth of a cold start's time. The
 * headers still give every call's type, so a call through the table is
 * checked as a direct one would be. */
#include "printcups.h"
#include <cups/cups.h>
#include <cups/raster.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define A4_MEDIA "iso_a4_210x297mm"
#define TOP_MARGIN 300                /* pixels: half an inch */

#define CUPS_LIBRARY "libcups.so.2"

/* Every libcups function this file calls. */
#define CUPS_CALLS(X) \
	X(pwgMediaForPWG) \
	X(cupsRasterInitPWGHeader) \
	X(cupsRasterOpenIO) \
	X(cupsRasterWriteHeader2) \
	X(cupsRasterWritePixels) \
	X(cupsRasterClose) \
	X(cupsSetServer) \
	X(httpConnect2) \
	X(cupsServer) \
	X(ippPort) \
	X(cupsLastErrorString) \
	X(ippNewRequest) \
	X(httpAssembleURIf) \
	X(ippAddString) \
	X(cupsUser) \
	X(cupsDoRequest) \
	X(ippFindAttribute) \
	X(ippGetInteger) \
	X(ippDelete) \
	X(cupsAddOption) \
	X(cupsCreateJob) \
	X(cupsStartDocument) \
	X(cupsWriteRequestData) \
	X(cupsFinishDocument) \
	X(cupsCancelJob2) \
	X(cupsLastError) \
	X(cupsFreeOptions) \
	X(httpClose) \
	X(cupsGetNamedDest) \
	X(cupsGetOption) \
	X(cupsFreeDests)

static struct {
#define CUPS_POINTER(name) __typeof__(name) *name;
	CUPS_CALLS(CUPS_POINTER)
#undef CUPS_POINTER
} cups;

static pthread_once_t cups_once = PTHREAD_ONCE_INIT;
static char cups_missing[200];   /* why libcups could not be used; "" once loaded */

static void cups_open(void)
{
	void *lib = dlopen(CUPS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(cups_missing, sizeof cups_missing, "CUPS: %s (install libcups2)", dlerror());
		return;
	}
#define CUPS_RESOLVE(name) \
	if (!cups_missing[0] && !(*(void **)&cups.name = dlsym(lib, #name))) \
		snprintf(cups_missing, sizeof cups_missing, "CUPS: %s has no %s (too old a libcups)", CUPS_LIBRARY, #name);
	CUPS_CALLS(CUPS_RESOLVE)
#undef CUPS_RESOLVE
}

/* 0 once libcups is loaded, or -1 with why in detail. */
static int cups_ready(char *detail, size_t detaillen)
{
	pthread_once(&cups_once, cups_open);
	if (!cups_missing[0]) return 0;
	snprintf(detail, detaillen, "%s", cups_missing);
	return -1;
}


static ssize_t append(void *ctx, unsigned char *buf, size_t len)
{
	escpos_stream *s = ctx;
	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		unsigned char *d;
		while (cap < s->len + len) cap *= 2;
		if (!(d = realloc(s->data, cap))) {
			s->failed = 1;
			return -1;
		}
		s->data = d;
		s->cap = cap;
	}
	memcpy(s->data + s->len, buf, len);
	s->len += len;
	return (ssize_t)len;
}

/* One source row, each dot PRINTCUPS_SCALE pixels wide, at pixel x0. */
static void widen(const escpos_image *img, int row, int x0, unsigned char *line, size_t bpl)
{
	size_t src_bpl = (size_t)(img->width + 7) / 8;
	const unsigned char *src = img->bits + (size_t)row * src_bpl;
	int x, k;
	memset(line, 0, bpl);
	for (x = 0; x < img->width; x++) {
		if (!(src[x / 8] & (0x80 >> (x % 8)))) continue;
		for (k = 0; k < PRINTCUPS_SCALE; k++) {
			int px = x0 + x * PRINTCUPS_SCALE + k;
			line[px / 8] |= (unsigned char)(0x80 >> (px % 8));
		}
	}
}

int printcups_raster(const escpos_image *img, escpos_stream *out, char *err, size_t errlen)
{
	cups_page_header2_t h;
	cups_raster_t *r;
	pwg_media_t *media;
	unsigned char *line, *blank;
	int row = 0, rows_per_page, y, x0, rc = -1;
	if (cups_ready(err, errlen) != 0) return -1;
	media = cups.pwgMediaForPWG(A4_MEDIA);
	if (!media || !cups.cupsRasterInitPWGHeader(&h, media, "black_1", PRINTCUPS_DPI, PRINTCUPS_DPI, "one-sided", NULL)) {
		snprintf(err, errlen, "CUPS: no PWG header for A4 at %d dpi", PRINTCUPS_DPI);
		return -1;
	}
	if (img->width * PRINTCUPS_SCALE > (int)h.cupsWidth) {
		snprintf(err, errlen, "the page is %d dots wide, wider than A4", img->width);
		return -1;
	}
	if (!(r = cups.cupsRasterOpenIO(append, out, CUPS_RASTER_WRITE_PWG))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	line = calloc(2, h.cupsBytesPerLine);
	if (!line) {
		cups.cupsRasterClose(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	blank = line + h.cupsBytesPerLine;
	x0 = ((int)h.cupsWidth - img->width * PRINTCUPS_SCALE) / 2;
	rows_per_page = ((int)h.cupsHeight - 2 * TOP_MARGIN) / PRINTCUPS_SCALE;
	do {
		if (!cups.cupsRasterWriteHeader2(r, &h)) goto out;
		for (y = 0; y < (int)h.cupsHeight; y++) {
			int src = row + (y - TOP_MARGIN) / PRINTCUPS_SCALE;
			int inside = y >= TOP_MARGIN && (y - TOP_MARGIN) / PRINTCUPS_SCALE < rows_per_page && src < img->height;
			if (inside && (y - TOP_MARGIN) % PRINTCUPS_SCALE == 0) widen(img, src, x0, line, h.cupsBytesPerLine);
			if (cups.cupsRasterWritePixels(r, inside ? line : blank, h.cupsBytesPerLine) != h.cupsBytesPerLine) goto out;
		}
		row += rows_per_page;
	} while (row < img->height);
	rc = out->failed ? -1 : 0;
out:
	if (rc != 0) snprintf(err, errlen, "out of memory");
	/* The picture may hold a citizen's name. */
	memset(line, 0, 2 * (size_t)h.cupsBytesPerLine);
	free(line);
	cups.cupsRasterClose(r);
	return rc;
}

/* A connection to server as printcups.h says, or NULL with why. The
 * server is libcups' setting for this thread (its globals are per thread),
 * so that its own look-ups of the queue ask the same scheduler. */
static http_t *connect_to(const char *server, char *detail, size_t detaillen)
{
	http_t *http;
	if (cups_ready(detail, detaillen) != 0) return NULL;
	if (server && server[0]) cups.cupsSetServer(server);
	http = cups.httpConnect2(cups.cupsServer(), cups.ippPort(), NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 10000, NULL);
	if (!http)
		snprintf(detail, detaillen, "CUPS at %s:%d: cannot connect (%s)", cups.cupsServer(), cups.ippPort(), cups.cupsLastErrorString());
	return http;
}

/* The job's state, 0 when it cannot be read. */
static int job_state(http_t *http, const char *queue, int job_id)
{
	char uri[HTTP_MAX_URI];
	ipp_t *rq = cups.ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES), *rs;
	ipp_attribute_t *a;
	int state = 0;
	(void)queue;
	cups.httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", 0, "/jobs/%d", job_id);
	cups.ippAddString(rq, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	cups.ippAddString(rq, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cups.cupsUser());
	cups.ippAddString(rq, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "job-state");
	rs = cups.cupsDoRequest(http, rq, "/");
	if (rs && (a = cups.ippFindAttribute(rs, "job-state", IPP_TAG_ENUM))) state = cups.ippGetInteger(a, 0);
	cups.ippDelete(rs);
	return state;
}

int printcups_send(const char *server, const char *queue, const char *title, int secret, int wait_ms,
	const unsigned char *data, size_t len, char *detail, size_t detaillen)
{
	cups_option_t *opts = NULL;
	int nopts = 0, job_id, rc = -1;
	char name[64];
	size_t i;
	http_t *http;
	/* A job name with a space made the scheduler the tests run (CUPS 2.4.2)
	 * crash when it started the job: names are one word. */
	snprintf(name, sizeof name, "%s", secret ? "motcua" : title);
	for (i = 0; name[i]; i++)
		if (name[i] == ' ') name[i] = '-';
	title = name;
	http = connect_to(server, detail, detaillen);
	if (!http) return -1;
	nopts = cups.cupsAddOption("job-sheets", "none,none", nopts, &opts);
	job_id = cups.cupsCreateJob(http, queue, title, nopts, opts);
	if (job_id <= 0) {
		snprintf(detail, detaillen, "CUPS queue %s: %s", queue, cups.cupsLastErrorString());
		goto out;
	}
	if (cups.cupsStartDocument(http, queue, job_id, title, "image/pwg-raster", 1) != HTTP_STATUS_CONTINUE ||
	    cups.cupsWriteRequestData(http, (const char *)data, len) != HTTP_STATUS_CONTINUE ||
	    cups.cupsFinishDocument(http, queue) != IPP_STATUS_OK) {
		snprintf(detail, detaillen, "CUPS queue %s, job %d: %s", queue, job_id, cups.cupsLastErrorString());
		cups.cupsCancelJob2(http, queue, job_id, 1);
		goto out;
	}
	if (secret) {
		/* Purged once printed: its files and its entry in the history. */
		struct timespec nap = { 0, 100 * 1000000L };
		int waited = 0, state;
		while ((state = job_state(http, queue, job_id)) != 0 && state < IPP_JSTATE_CANCELED && waited < wait_ms) {
			nanosleep(&nap, NULL);
			waited += 100;
		}
		if (state != 0 && state < IPP_JSTATE_CANCELED) {
			snprintf(detail, detaillen, "CUPS queue %s, job %d: not printed after %d ms; cancelled and purged",
				queue, job_id, wait_ms);
			cups.cupsCancelJob2(http, queue, job_id, 1);
			goto out;
		}
		if (cups.cupsCancelJob2(http, queue, job_id, 1) != IPP_STATUS_OK && cups.cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND) {
			snprintf(detail, detaillen, "CUPS queue %s, job %d: printed, but not purged: %s", queue, job_id,
				cups.cupsLastErrorString());
			goto out;
		}
	}
	snprintf(detail, detaillen, "CUPS queue %s, job %d%s", queue, job_id, secret ? ", purged" : "");
	rc = 0;
out:
	cups.cupsFreeOptions(nopts, opts);
	cups.httpClose(http);
	return rc;
}

int printcups_probe(const char *server, const char *queue, char *detail, size_t detaillen)
{
	http_t *http = connect_to(server, detail, detaillen);
	cups_dest_t *dest;
	const char *accepting;
	int rc = -1;
	if (!http) return -1;
	dest = cups.cupsGetNamedDest(http, queue, NULL);
	if (!dest) {
		snprintf(detail, detaillen, "CUPS has no queue %s (%s)", queue, cups.cupsLastErrorString());
	} else {
		accepting = cups.cupsGetOption("printer-is-accepting-jobs", dest->num_options, dest->options);
		if (accepting && strcmp(accepting, "false") == 0) {
			snprintf(detail, detaillen, "CUPS queue %s does not accept jobs", queue);
		} else {
			snprintf(detail, detaillen, "CUPS queue %s", queue);
			rc = 0;
		}
		cups.cupsFreeDests(1, dest);
	}
	cups.httpClose(http);
	return rc;
}
