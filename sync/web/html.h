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
#include <string.h>
#include "page.h"

typedef struct {
	page_buf *buf;
	int failed;                  /* out of memory: later appends do nothing */
} html_writer;

/* Room for more bytes and a terminating NUL after buf->len, so a caller can
 * write there directly (as a JSON dump does). 0, or -1 and failed is set. */
int html_reserve(html_writer *w, size_t more);

/* The buffer stays NUL-terminated after each of these. Inline, with the
 * room check first: a phone page is some seventy of them, mostly literals
 * whose length the compiler then knows. */
void html_put_grow(html_writer *w, const char *s, size_t n);   /* the rest of html_put_n */
static inline void html_put_n(html_writer *w, const char *s, size_t n)
{
	page_buf *b = w->buf;
	if (w->failed || b->len + n + 1 > b->cap) {
		html_put_grow(w, s, n);
		return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}
static inline void html_put(html_writer *w, const char *s)
{
	html_put_n(w, s, strlen(s));
}

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
