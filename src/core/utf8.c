/* utf8: decoding and encoding UTF-8 (see utf8.h). Strict: overlong forms,
 * surrogates and code points past U+10FFFF are rejected, because text that
 * reaches the database or the server must be clean. */
#include "utf8.h"
#include <string.h>

uint32_t utf8_decode(const char *str, size_t len, size_t *pos)
{
	const unsigned char *s = (const unsigned char *)str + *pos;
	size_t left = len - *pos;
	uint32_t cp, min;
	size_t n, i;

	if (left == 0) return UTF8_INVALID;
	if (s[0] < 0x80) { *pos += 1; return s[0]; }
	if ((s[0] & 0xE0) == 0xC0) { n = 2; cp = s[0] & 0x1F; min = 0x80; }
	else if ((s[0] & 0xF0) == 0xE0) { n = 3; cp = s[0] & 0x0F; min = 0x800; }
	else if ((s[0] & 0xF8) == 0xF0) { n = 4; cp = s[0] & 0x07; min = 0x10000; }
	else { *pos += 1; return UTF8_INVALID; }
	if (left < n) { *pos += 1; return UTF8_INVALID; }
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) { *pos += 1; return UTF8_INVALID; }
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*pos += 1;
		return UTF8_INVALID;
	}
	*pos += n;
	return cp;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) { out[0] = (char)cp; return 1; }
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF) return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len)
		if (utf8_decode(s, len, &pos) == UTF8_INVALID) return 0;
	return 1;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80) n++;
	return n;
}

size_t utf8_last_start(const char *s, size_t len)
{
	while (len > 0) {
		len--;
		if (((unsigned char)s[len] & 0xC0) != 0x80) return len;
	}
	return 0;
}
