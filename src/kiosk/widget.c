/* widget: the widget list and its text arena (see widget.h).
 *
 * Overflow is never silent: it is counted for the life of the list and
 * logged the first time, with what overflowed; later ones are only counted,
 * because a screen is rebuilt on every tap and the log would fill up. */
#include "widget.h"
#include "log.h"
#include <stdio.h>
#include <string.h>

void widget_clear(widget_list *l)
{
	l->n = 0;
	l->used = 0;
}

void widget_overflow(widget_list *l, const char *what)
{
	if (l->overflows++ == 0) {
		snprintf(l->first_overflow, sizeof l->first_overflow, "%s", what);
		log_error("screen layout overflow: %s (later ones are counted, not logged)", what);
	}
}

widget *widget_add(widget_list *l, const widget_spec *s)
{
	widget *w;
	if (l->n < WIDGET_MAX) {
		w = &l->items[l->n++];
	} else {
		w = &l->spare;
		widget_overflow(l, "widget list full");
	}
	memset(w, 0, sizeof *w);
	if (snprintf(w->id, sizeof w->id, "%s", s->id ? s->id : "") >= (int)sizeof w->id)
		widget_overflow(l, "widget id too long");
	w->text = s->text ? s->text : "";
	w->x = s->at.x;
	w->y = s->at.y;
	w->w = s->at.w;
	w->h = s->at.h;
	w->kind = s->kind;
	w->font = s->font;
	w->flags = s->flags;
	w->enabled = 1;
	return w;
}

void widget_drop_last(widget_list *l)
{
	if (l->n > 0) l->n--;
}

/* Texts from the translation table may hold one %d or %s; they are trusted,
 * compiled-in strings, which is why a non-literal format is acceptable in
 * this file alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
const char *widget_vstr(widget_list *l, const char *fmt, va_list ap)
{
	size_t room = WIDGET_ARENA - l->used;
	char *p;
	int n;
	if (room < 2) {
		widget_overflow(l, "text arena full");
		return "";
	}
	p = l->arena + l->used;
	n = vsnprintf(p, room, fmt, ap);
	if (n < 0) { p[0] = '\0'; n = 0; }
	if ((size_t)n >= room) {
		widget_overflow(l, "text arena full");
		n = (int)room - 1;
	}
	l->used += (size_t)n + 1;
	return p;
}

int widget_fmt(widget_list *l, const char *what, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		widget_overflow(l, what);
		return -1;
	}
	return 0;
}
#pragma GCC diagnostic pop

const char *widget_str(widget_list *l, const char *fmt, ...)
{
	va_list ap;
	const char *p;
	va_start(ap, fmt);
	p = widget_vstr(l, fmt, ap);
	va_end(ap);
	return p;
}

size_t widget_mark(const widget_list *l) { return l->used; }

void widget_release(widget_list *l, size_t mark)
{
	if (mark <= l->used) l->used = mark;
}

widget *widget_find(widget_list *l, const char *id)
{
	int i;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].id, id) == 0) return &l->items[i];
	return NULL;
}
