/* html: the one writer behind the server's pages (see html.h).
 *
 * A buffer starts at the size of a whole page and doubles, so a page grows
 * it once at most and a reused buffer never again: the phone page is
 * rendered tens of thousands of times a second. */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 32768              /* above PAGE_SIZE_MAX: one page, one allocation */
#define PUTF_MAX 1024                /* formatted pieces are short: numbers, dates, codes */

int html_reserve(html_writer *w, size_t more)
{
	page_buf *b = w->buf;
	size_t cap;
	char *grown;
	if (w->failed) return -1;
	if (b->len + more + 1 <= b->cap) return 0;
	cap = b->cap ? b->cap : FIRST_CAP;
	while (cap < b->len + more + 1) cap *= 2;
	if (!(grown = realloc(b->data, cap))) {
		w->failed = 1;
		return -1;
	}
	b->data = grown;
	b->cap = cap;
	return 0;
}

void html_put_grow(html_writer *w, const char *s, size_t n)
{
	page_buf *b = w->buf;
	if (html_reserve(w, n) < 0) return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void html_putf(html_writer *w, const char *fmt, ...)
{
	char text[PUTF_MAX];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n > 0) html_put_n(w, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

void html_escape_n(html_writer *w, const char *s, size_t max)
{
	size_t n, run = 0, i;
	if (!s) return;
	n = strnlen(s, max);
	for (i = 0; i < n; i++) {
		const char *entity;
		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		/* Copy the plain run in one piece, not byte by byte. */
		html_put_n(w, s + run, i - run);
		html_put(w, entity);
		run = i + 1;
	}
	html_put_n(w, s + run, n - run);
}

void html_escape(html_writer *w, const char *s)
{
	html_escape_n(w, s, (size_t)-1);
}

void html_fill(html_writer *w, const char *text, const char *const *args, size_t nargs, int escape)
{
	size_t next = 0;
	const char *p = text, *pct;
	while ((pct = strchr(p, '%'))) {
		html_put_n(w, p, (size_t)(pct - p));
		if (pct[1] == '%') {
			html_put_n(w, "%", 1);
			p = pct + 2;
			continue;
		}
		/* Flags, width, precision and length, then the conversion. */
		p = pct + 1 + strspn(pct + 1, "-+ #0'123456789.hlzjtL");
		if (*p) p++;
		if (next < nargs) {
			if (escape) html_escape(w, args[next]);
			else html_put(w, args[next]);
		}
		next++;
	}
	html_put(w, p);
}
