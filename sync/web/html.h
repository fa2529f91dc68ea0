/* html: appending fixed text, formatted text and escaped data to a page_buf.
 *
 * The server's pages (the phone page, the public figures, the officials'
 * console) are all written straight into a caller's buffer, without a
 * template engine, so they share this one writer. A failed allocation
 * sticks in the writer: a page is written straight through and its caller
 * checks `failed` once at the end instead of after every append. */
#ifndef MOTCUA_HTML_H
#define MOTCUA_HTML_H

#include <stddef.h>
#include "page.h"

typedef struct {
	page_buf *buf;
	int failed;                  /* out of memory: later appends do nothing */
} html_writer;

/* Room for more bytes and a terminating NUL after buf->len, so a caller can
 * write there directly (as a JSON dump does). 0, or -1 and failed is set. */
int html_reserve(html_writer *w, size_t more);

/* The buffer stays NUL-terminated after each of these. */
void html_put_n(html_writer *w, const char *s, size_t n);
void html_put(html_writer *w, const char *s);

/* At most 1023 bytes of formatted text; longer text is cut. */
__attribute__((format(printf, 2, 3)))
void html_putf(html_writer *w, const char *fmt, ...);

/* Text from data, safe in element content and in quoted attributes
 * (& < > " ' become entities). NULL writes nothing. */
void html_escape(html_writer *w, const char *s);

/* The same for at most max bytes of s: data fields are fixed arrays that a
 * careless caller might fill to the brim, without a NUL. */
void html_escape_n(html_writer *w, const char *s, size_t max);

/* A text from the translation files (words.h) with its conversions (%s,
 * %d, %lld ...) replaced in order by args, which the caller has already
 * formatted, escaped when escape is set; %% is a percent sign. The files'
 * loader checked the conversions against the code's, so no printf reads
 * a translator's format; an argument short writes nothing. */
void html_fill(html_writer *w, const char *text, const char *const *args, size_t nargs, int escape);

#endif
