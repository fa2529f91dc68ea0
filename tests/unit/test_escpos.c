/* Tests for escpos: the exact bytes of a page (reset, raster bands no
 * taller than ESCPOS_BAND_ROWS holding the image's rows in order, feed,
 * cut), which device names the configuration accepts, and what a missing
 * device, a plain file and a refused connection give. The picture side and
 * real status answers are tested end to end in t_printer.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "escpos.h"

static void test_page_bytes(void **state)
{
	enum { W = 20, H = ESCPOS_BAND_ROWS * 2 + 5, ROW = (W + 7) / 8 };
	static unsigned char bits[H * ROW];
	escpos_image img = { W, H, bits };
	escpos_stream s = { 0 };
	size_t at = 0;
	int y, band_rows[] = { ESCPOS_BAND_ROWS, ESCPOS_BAND_ROWS, 5 }, b;
	(void)state;
	for (y = 0; y < H; y++) memset(bits + y * ROW, y & 0xFF, ROW);
	assert_int_equal(escpos_page(&s, &img), 0);
	assert_memory_equal(s.data, "\x1b\x40", 2);
	at = 2;
	y = 0;
	for (b = 0; b < 3; b++) {
		unsigned char head[8] = { 0x1D, 0x76, 0x30, 0, ROW, 0, (unsigned char)band_rows[b], 0 };
		assert_memory_equal(s.data + at, head, 8);
		at += 8;
		/* The rows follow in order, whole. */
		assert_memory_equal(s.data + at, bits + (size_t)y * ROW, (size_t)band_rows[b] * ROW);
		at += (size_t)band_rows[b] * ROW;
		y += band_rows[b];
	}
	assert_memory_equal(s.data + at, "\x1b\x64\x04\x1d\x56\x01", 6);
	assert_int_equal(s.len, at + 6);
	escpos_free(&s);
	assert_null(s.data);
}

static void test_device_names(void **state)
{
	static const char *const good[] = { "/dev/usb/lp0", "/tmp/x", "tcp:192.168.1.50", "tcp:printer.local:9100",
		"tcp:[2001:db8::5]:9100", "tcp:[::1]" };
	static const char *const bad[] = { "lp0", "usb:lp0", "tcp:", "tcp::9100", "tcp:host:0", "tcp:host:65536",
		"tcp:host:91a", "tcp:host:", "tcp:[::1", "tcp:[::1]x" };
	char msg[200];
	config_device dev;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(config_device_parse(good[i], &dev, msg, sizeof msg), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		msg[0] = '\0';
		assert_int_equal(config_device_parse(bad[i], &dev, msg, sizeof msg), -1);
		assert_true(msg[0] != '\0');
	}
}

static void test_devices(void **state)
{
	char msg[300], path[] = "/tmp/motcua-escpos-XXXXXX";
	unsigned char page[] = { 0x1B, 0x40 }, back[8];
	int fd;
	FILE *f;
	(void)state;
	/* Missing: not created, named in the message. */
	assert_int_equal(escpos_send("/nonexistent/usb/lp0", page, sizeof page, msg, sizeof msg), ESCPOS_NO_PRINTER);
	assert_non_null(strstr(msg, "no printer at /nonexistent/usb/lp0"));
	assert_int_equal(access("/nonexistent/usb/lp0", F_OK), -1);
	/* A plain file is appended to, twice. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(escpos_send(path, page, sizeof page, msg, sizeof msg), ESCPOS_OK);
	assert_int_equal(escpos_send(path, page, sizeof page, msg, sizeof msg), ESCPOS_OK);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, sizeof back, f), 4);
	fclose(f);
	assert_memory_equal(back, "\x1b\x40\x1b\x40", 4);
	assert_int_equal(escpos_probe(path, msg, sizeof msg), ESCPOS_OK);
	unlink(path);
	/* Port 1 on this machine: refused at once. */
	assert_int_equal(escpos_probe("tcp:127.0.0.1:1", msg, sizeof msg), ESCPOS_NO_PRINTER);
	assert_string_equal(escpos_result_text(ESCPOS_PAPER_OUT), "out of paper");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_bytes),
		cmocka_unit_test(test_device_names),
		cmocka_unit_test(test_devices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
