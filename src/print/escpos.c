/* escpos: ESC/POS commands and printer devices (see escpos.h).
 *
 * Descriptors are non-blocking and every wait is a poll(2) against a
 * deadline, because a USB printer with a full buffer or a network printer
 * that was unplugged would otherwise hold a write or a connect for minutes.
 * Status bytes of DLE EOT always have bit 1 and bit 4 set and bits 0 and 7
 * clear; anything else is not an answer and is ignored. */
#include "escpos.h"
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STATUS_WAIT_MS 500       /* a printer that answers does so at once */

/* ---- the byte stream ---- */

static void put(escpos_stream *s, const void *bytes, size_t n)
{
	if (s->failed) return;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		unsigned char *p;
		while (cap < s->len + n) cap *= 2;
		p = realloc(s->data, cap);
		if (!p) { s->failed = 1; return; }
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, bytes, n);
	s->len += n;
}

void escpos_reset(escpos_stream *s)
{
	static const unsigned char esc_at[] = { 0x1B, 0x40 };
	put(s, esc_at, sizeof esc_at);
}

void escpos_image_bands(escpos_stream *s, const escpos_image *img)
{
	size_t row_bytes = (size_t)(img->width + 7) / 8;
	int y;
	for (y = 0; y < img->height; y += ESCPOS_BAND_ROWS) {
		int rows = img->height - y < ESCPOS_BAND_ROWS ? img->height - y : ESCPOS_BAND_ROWS;
		/* GS v 0 m xL xH yL yH: m = 0 is normal size; x counts bytes. */
		unsigned char head[8] = { 0x1D, 0x76, 0x30, 0x00,
			(unsigned char)(row_bytes & 0xFF), (unsigned char)(row_bytes >> 8),
			(unsigned char)(rows & 0xFF), (unsigned char)(rows >> 8) };
		put(s, head, sizeof head);
		put(s, img->bits + (size_t)y * row_bytes, (size_t)rows * row_bytes);
	}
}

void escpos_feed(escpos_stream *s, int lines)
{
	unsigned char esc_d[3] = { 0x1B, 0x64, (unsigned char)(lines < 0 ? 0 : lines > 255 ? 255 : lines) };
	put(s, esc_d, sizeof esc_d);
}

void escpos_cut(escpos_stream *s)
{
	static const unsigned char gs_v[] = { 0x1D, 0x56, 0x01 };
	put(s, gs_v, sizeof gs_v);
}

void escpos_free(escpos_stream *s)
{
	free(s->data);
	memset(s, 0, sizeof *s);
}

int escpos_page(escpos_stream *s, const escpos_image *img)
{
	escpos_reset(s);
	escpos_image_bands(s, img);
	/* The cutter sits a few lines above the print head. */
	escpos_feed(s, 4);
	escpos_cut(s);
	return s->failed ? -1 : 0;
}

/* ---- devices ---- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int left_ms(long long deadline)
{
	long long left = deadline - now_ms();
	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

/* Waits until fd is ready for events or the deadline passes: 1, 0 on
 * timeout, -1 on error. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		int rc = poll(&p, 1, left_ms(deadline));
		if (rc < 0 && errno == EINTR) continue;
		if (rc <= 0) return rc;
		return 1;
	}
}

typedef struct {
	int fd;
	int socket;
	int plain_file;          /* a file, not a printer: nothing to ask */
	int readable;
} printer_conn;

static escpos_result connect_tcp(const config_device *d, const char *device, printer_conn *c,
	long long deadline, char *msg, size_t msglen)
{
	struct addrinfo hints, *list = NULL, *ai;
	int rc, err = 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(d->host, d->port, &hints, &list);
	if (rc != 0) {
		snprintf(msg, msglen, "no printer at %s: %s", device, gai_strerror(rc));
		return ESCPOS_NO_PRINTER;
	}
	for (ai = list; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		socklen_t len = sizeof err;
		if (fd < 0) { err = errno; continue; }
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) err = 0;
		else if (errno != EINPROGRESS) err = errno;
		else if (wait_fd(fd, POLLOUT, deadline) <= 0) err = ETIMEDOUT;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
		if (err == 0) {
			freeaddrinfo(list);
			c->fd = fd;
			c->socket = 1;
			c->readable = 1;
			return ESCPOS_OK;
		}
		close(fd);
	}
	freeaddrinfo(list);
	snprintf(msg, msglen, "no printer at %s: %s", device, strerror(err ? err : ECONNREFUSED));
	return ESCPOS_NO_PRINTER;
}

static escpos_result open_device(const char *device, printer_conn *c, long long deadline, char *msg, size_t msglen)
{
	config_device d;
	struct stat st;
	memset(c, 0, sizeof *c);
	c->fd = -1;
	if (config_device_parse(device, &d, msg, msglen) != 0) return ESCPOS_NO_PRINTER;
	if (d.tcp) return connect_tcp(&d, device, c, deadline, msg, msglen);
	/* Never created: a missing /dev/usb/lp0 is an unplugged printer, and a
	 * plain file standing in its place would swallow every receipt. */
	c->fd = open(device, O_RDWR | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	c->readable = c->fd >= 0;
	if (c->fd < 0 && (errno == EACCES || errno == EROFS))
		c->fd = open(device, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (c->fd < 0) {
		snprintf(msg, msglen, "no printer at %s: %s%s", device, strerror(errno),
			errno == EACCES ? " (is the kiosk's user in the lp group?)" : "");
		return ESCPOS_NO_PRINTER;
	}
	if (fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode)) c->plain_file = 1;
	return ESCPOS_OK;
}

/* Writes all of data by the deadline. */
static int write_all(printer_conn *c, const unsigned char *data, size_t len, long long deadline, int *err)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = c->socket ? send(c->fd, data + done, len - done, MSG_NOSIGNAL)
			: write(c->fd, data + done, len - done);
		if (n > 0) { done += (size_t)n; continue; }
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { *err = errno; return -1; }
		if (wait_fd(c->fd, POLLOUT, deadline) <= 0) { *err = ETIMEDOUT; return -1; }
	}
	return 0;
}

/* One DLE EOT n query: the status byte, or -1 when the printer did not
 * answer in time. */
static int ask(printer_conn *c, unsigned char n, long long deadline)
{
	unsigned char q[3] = { 0x10, 0x04, n }, b;
	long long until = now_ms() + STATUS_WAIT_MS;
	int err;
	if (until > deadline) until = deadline;
	if (write_all(c, q, sizeof q, until, &err) != 0) return -1;
	for (;;) {
		ssize_t got;
		if (wait_fd(c->fd, POLLIN, until) <= 0) return -1;
		got = read(c->fd, &b, 1);
		if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
		if (got != 1) return -1;
		if ((b & 0x93) == 0x12) return b;
	}
}

/* Asks the printer's state: ESCPOS_OK also when it does not answer (many
 * do not over USB), with msg saying which. */
static escpos_result ask_status(printer_conn *c, const char *device, long long deadline, char *msg, size_t msglen)
{
	unsigned char junk[64];
	int printer, cause, paper;
	if (c->plain_file) { snprintf(msg, msglen, "%s is a plain file, not a printer: no status to ask", device); return ESCPOS_OK; }
	if (!c->readable) { snprintf(msg, msglen, "%s cannot be read back: no status", device); return ESCPOS_OK; }
	/* Left-over answers to an earlier query would be read as this one's. */
	while (read(c->fd, junk, sizeof junk) > 0) {}
	printer = ask(c, 1, deadline);
	if (printer < 0) {
		snprintf(msg, msglen, "%s did not answer the status query (many USB printers do not)", device);
		return ESCPOS_OK;
	}
	cause = ask(c, 2, deadline);
	paper = ask(c, 4, deadline);
	if (paper >= 0 && (paper & 0x60)) { snprintf(msg, msglen, "%s reports: out of paper", device); return ESCPOS_PAPER_OUT; }
	if (cause >= 0 && (cause & 0x20)) { snprintf(msg, msglen, "%s reports: out of paper", device); return ESCPOS_PAPER_OUT; }
	if (cause >= 0 && (cause & 0x04)) { snprintf(msg, msglen, "%s reports: cover open", device); return ESCPOS_COVER_OPEN; }
	if (printer & 0x08) { snprintf(msg, msglen, "%s reports: offline", device); return ESCPOS_OFFLINE; }
	snprintf(msg, msglen, "%s answers: ready", device);
	return ESCPOS_OK;
}

/* Why a USB printer stopped taking data, from the printer class's port
 * status (paper out, not selected): only to explain a stalled write, since
 * some printers report nonsense there while printing fine. */
static escpos_result stalled_usb(printer_conn *c, int err)
{
	int st = 0;
	if (c->socket || c->plain_file) return ESCPOS_WRITE_FAILED;
	if (err == ENOSPC) return ESCPOS_PAPER_OUT;
	if (ioctl(c->fd, LPGETSTATUS, &st) == 0) {
		if (st & LP_POUTPA) return ESCPOS_PAPER_OUT;
		if (!(st & LP_PSELECD)) return ESCPOS_OFFLINE;
	}
	return err == EIO ? ESCPOS_OFFLINE : ESCPOS_WRITE_FAILED;
}

static void close_conn(printer_conn *c)
{
	if (c->fd < 0) return;
	if (c->socket) shutdown(c->fd, SHUT_WR);
	close(c->fd);
	c->fd = -1;
}

escpos_result escpos_send(const char *device, const unsigned char *data, size_t len, char *msg, size_t msglen)
{
	printer_conn c;
	long long deadline = now_ms() + ESCPOS_CONNECT_MS;
	escpos_result r = open_device(device, &c, deadline, msg, msglen);
	int err = 0;
	if (r != ESCPOS_OK) return r;
	r = ask_status(&c, device, deadline, msg, msglen);
	if (r != ESCPOS_OK) { close_conn(&c); return r; }
	if (write_all(&c, data, len, now_ms() + ESCPOS_WRITE_MS, &err) != 0) {
		r = stalled_usb(&c, err);
		snprintf(msg, msglen, "writing to %s failed: %s", device,
			err == ETIMEDOUT ? "the printer took no data for too long" : strerror(err));
	}
	close_conn(&c);
	return r;
}

escpos_result escpos_probe(const char *device, char *msg, size_t msglen)
{
	printer_conn c;
	long long deadline = now_ms() + ESCPOS_CONNECT_MS;
	escpos_result r = open_device(device, &c, deadline, msg, msglen);
	if (r != ESCPOS_OK) return r;
	r = ask_status(&c, device, deadline, msg, msglen);
	close_conn(&c);
	return r;
}

const char *escpos_result_text(escpos_result r)
{
	static const char *const texts[] = {
		[ESCPOS_OK] = "printed",
		[ESCPOS_NO_PRINTER] = "no printer at the configured device",
		[ESCPOS_OFFLINE] = "printer offline",
		[ESCPOS_PAPER_OUT] = "out of paper",
		[ESCPOS_COVER_OPEN] = "cover open",
		[ESCPOS_WRITE_FAILED] = "write failed",
	};
	return (unsigned)r < sizeof texts / sizeof texts[0] ? texts[r] : "unknown";
}
