/* utf8: decoding and encoding UTF-8, one code point at a time.
 *
 * Every text in motcua is UTF-8 in NFC. These helpers are the single place
 * where bytes become code points and back, so that the input method, the
 * validator and the renderer agree on what a character is. */
#ifndef MOTCUA_UTF8_H
#define MOTCUA_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_INVALID 0xFFFFFFFFu

/* Decodes the code point at s[*pos] (len bytes in all) and advances *pos.
 * Returns UTF8_INVALID for malformed, overlong or surrogate sequences (and
 * advances by one byte so that scanning can go on). */
uint32_t utf8_decode(const char *s, size_t len, size_t *pos);

/* Writes cp into out (room for 4 bytes); returns the byte count, 0 if cp is
 * not a Unicode scalar value. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* 1 if the whole of s is well-formed UTF-8. */
int utf8_valid(const char *s, size_t len);

/* Number of code points in a well-formed NUL-terminated string. */
size_t utf8_length(const char *s);

/* Byte offset of the start of the last code point of s[0..len), or 0. */
size_t utf8_last_start(const char *s, size_t len);

#endif
