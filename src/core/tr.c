/* tr: a small reader for gettext .po files and the checks between
 * languages (see tr.h).
 *
 * Only what the project's files need is accepted, and everything else is
 * refused by name rather than skipped: comments (#...), msgid and msgstr
 * with one or more quoted strings each (continued on the lines below), the
 * escapes \n \t \" \\, and a header entry (msgid "") that must say UTF-8
 * if it names a charset. Contexts and plural forms are not used and are an
 * error. An empty msgstr, which gettext reads as "not translated", is an
 * error too: no text may fall back to a key on screen. */
#include "tr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

#define TR_FILE_MAX (1 << 20)        /* bytes of one .po file */

static const char *const lang_codes[TR_LANGS] = { "vi", "en" };

typedef struct {
	char *key, *text;
	int line;                        /* of its msgid */
} entry;

typedef struct {
	char name[512];
	entry *e;
	size_t n, cap;
} po_file;

struct tr_set {
	po_file f[TR_LANGS];
};

const char *tr_lang_code(lang l)
{
	return (unsigned)l < TR_LANGS ? lang_codes[l] : "";
}

/* ---- printf conversions ---- */

/* The next conversion of a format from *p as "%" + length + type, e.g.
 * "%lld"; 1 found, 0 at the end, -1 malformed with why. */
static int next_conversion(const char **p, char out[8], const char **why)
{
	static const char *const lengths[] = { "hh", "ll", "h", "l", "z", "j", "t", "L" };
	const char *s = *p;
	size_t i, o = 0;
	for (;;) {
		s = strchr(s, '%');
		if (!s) return 0;
		if (s[1] == '%') {
			s += 2;
			continue;
		}
		break;
	}
	s++;
	while (*s && strchr("-+ #0'", *s)) s++;
	while (isdigit((unsigned char)*s)) s++;
	if (*s == '$' || *s == '*') {
		*why = "numbered or starred conversions (%1$s, %*d) are not supported";
		return -1;
	}
	if (*s == '.') {
		s++;
		if (*s == '*') {
			*why = "a starred precision (%.*s) is not supported";
			return -1;
		}
		while (isdigit((unsigned char)*s)) s++;
	}
	out[o++] = '%';
	for (i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		size_t n = strlen(lengths[i]);
		if (strncmp(s, lengths[i], n) == 0) {
			memcpy(out + o, s, n);
			o += n;
			s += n;
			break;
		}
	}
	if (!*s || !strchr("diouxXcsfFeEgGaAp", *s)) {
		*why = *s == 'n' ? "%n is not allowed" : "a % that starts no conversion (write %% for a percent sign)";
		return -1;
	}
	out[o++] = *s++;
	out[o] = '\0';
	*p = s;
	return 1;
}

/* The conversions of s, space-separated, into out; -1 with why. */
static int conversions(const char *s, char *out, size_t outlen, const char **why)
{
	char one[8];
	size_t len = 0;
	int rc;
	out[0] = '\0';
	while ((rc = next_conversion(&s, one, why)) == 1) {
		size_t n = strlen(one);
		if (len + n + 2 > outlen) {
			*why = "too many conversions";
			return -1;
		}
		if (len) out[len++] = ' ';
		memcpy(out + len, one, n + 1);
		len += n;
	}
	return rc;
}

int tr_same_conversions(const char *a, const char *b)
{
	char ca[128], cb[128];
	const char *why;
	if (conversions(a, ca, sizeof ca, &why) != 0 || conversions(b, cb, sizeof cb, &why) != 0) return -1;
	return strcmp(ca, cb) == 0;
}

/* ---- reading one file ---- */

typedef struct {
	char *data;
	size_t len, cap;
	int set;                         /* the keyword was seen */
} field;

static int field_add(field *f, const char *s, size_t n)
{
	char *grown;
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 64;
		while (cap < f->len + n + 1) cap *= 2;
		if (!(grown = realloc(f->data, cap))) return -1;
		f->data = grown;
		f->cap = cap;
	}
	memcpy(f->data + f->len, s, n);
	f->len += n;
	f->data[f->len] = '\0';
	return 0;
}

typedef struct {
	po_file *file;
	char *err;
	size_t errlen;
	field id, str;
	int id_line;
	field *current;                  /* where a continuation string goes */
} reader;

__attribute__((format(printf, 4, 5)))
static int fail_at(reader *r, int line, const char *key, const char *fmt, ...);

static int fail_at(reader *r, int line, const char *key, const char *fmt, ...)
{
	char why[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (key) snprintf(r->err, r->errlen, "%s:%d: msgid \"%s\": %s", r->file->name, line, key, why);
	else snprintf(r->err, r->errlen, "%s:%d: %s", r->file->name, line, why);
	return -1;
}

/* A quoted string at s appended to f, its escapes undone. */
static int read_string(reader *r, int line, const char *s, field *f)
{
	const char *start;
	if (*s != '"') return fail_at(r, line, NULL, "expected a string in double quotes");
	s++;
	if (field_add(f, "", 0) != 0) return fail_at(r, line, NULL, "out of memory");
	for (;;) {
		char c;
		start = s;
		while (*s && *s != '"' && *s != '\\') s++;
		if (field_add(f, start, (size_t)(s - start)) != 0) return fail_at(r, line, NULL, "out of memory");
		if (!*s) return fail_at(r, line, NULL, "the string has no closing quote");
		if (*s == '"') break;
		switch (s[1]) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case '"': c = '"'; break;
		case '\\': c = '\\'; break;
		default:
			if (!s[1]) return fail_at(r, line, NULL, "the string has no closing quote");
			return fail_at(r, line, NULL, "bad escape \\%c (only \\n, \\t, \\\" and \\\\ are known)", s[1]);
		}
		if (field_add(f, &c, 1) != 0) return fail_at(r, line, NULL, "out of memory");
		s += 2;
	}
	s++;
	while (*s == ' ' || *s == '\t') s++;
	if (*s) return fail_at(r, line, NULL, "text after the closing quote");
	return 0;
}

static int add_entry(reader *r)
{
	po_file *p = r->file;
	const char *key = r->id.data, *text = r->str.data, *why, *cs;
	char conv[128];
	entry *grown;
	if (!r->id.set) return 0;
	if (!r->str.set) return fail_at(r, r->id_line, key, "no msgstr follows");
	if (!utf8_valid(key, r->id.len) || !utf8_valid(text, r->str.len))
		return fail_at(r, r->id_line, key[0] && utf8_valid(key, r->id.len) ? key : NULL, "not UTF-8 text");
	if (!key[0]) {
		/* The header: only its charset matters. */
		cs = strstr(text, "charset=");
		if (cs && strncasecmp(cs + 8, "UTF-8", 5) != 0)
			return fail_at(r, r->id_line, NULL, "the header names a charset other than UTF-8");
		goto done;
	}
	if (!text[0]) return fail_at(r, r->id_line, key, "the msgstr is empty: every text must be translated");
	if (conversions(text, conv, sizeof conv, &why) != 0) return fail_at(r, r->id_line, key, "%s", why);
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		if (!(grown = realloc(p->e, cap * sizeof *grown))) return fail_at(r, r->id_line, NULL, "out of memory");
		p->e = grown;
		p->cap = cap;
	}
	p->e[p->n].key = r->id.data;
	p->e[p->n].text = r->str.data;
	p->e[p->n].line = r->id_line;
	p->n++;
	r->id.data = r->str.data = NULL;
	r->id.cap = r->str.cap = 0;
done:
	r->id.len = r->str.len = 0;
	r->id.set = r->str.set = 0;
	r->current = NULL;
	return 0;
}

static int keyword(const char *s, const char *word, const char **rest)
{
	size_t n = strlen(word);
	if (strncmp(s, word, n) != 0 || (s[n] != ' ' && s[n] != '\t')) return 0;
	for (s += n; *s == ' ' || *s == '\t'; s++) {}
	*rest = s;
	return 1;
}

static int read_line(reader *r, int line, char *s)
{
	const char *rest;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
	while (*s == ' ' || *s == '\t') s++;
	if (!*s || *s == '#') return 0;
	if (keyword(s, "msgid", &rest)) {
		if (r->id.set && !r->str.set) return fail_at(r, r->id_line, r->id.data, "no msgstr follows");
		if (add_entry(r) != 0) return -1;
		r->id.set = 1;
		r->id_line = line;
		r->current = &r->id;
		return read_string(r, line, rest, &r->id);
	}
	if (keyword(s, "msgstr", &rest)) {
		if (!r->id.set || r->str.set) return fail_at(r, line, NULL, "msgstr without its msgid");
		r->str.set = 1;
		r->current = &r->str;
		return read_string(r, line, rest, &r->str);
	}
	if (*s == '"') {
		if (!r->current) return fail_at(r, line, NULL, "a string that belongs to no msgid or msgstr");
		return read_string(r, line, s, r->current);
	}
	if (strncmp(s, "msgctxt", 7) == 0 || strncmp(s, "msgid_plural", 12) == 0 || strncmp(s, "msgstr[", 7) == 0)
		return fail_at(r, line, NULL, "contexts and plural forms are not used in these files");
	return fail_at(r, line, NULL, "expected msgid, msgstr, a quoted string or a # comment");
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static int parse(po_file *p, const char *text, char *err, size_t errlen)
{
	reader r;
	char *copy = strdup(text), *s, *nl;
	int line = 1, rc = 0;
	size_t i;
	memset(&r, 0, sizeof r);
	r.file = p;
	r.err = err;
	r.errlen = errlen;
	if (!copy) {
		snprintf(err, errlen, "%s: out of memory", p->name);
		return -1;
	}
	for (s = copy; rc == 0 && *s; line++) {
		nl = strchr(s, '\n');
		if (nl) *nl = '\0';
		rc = read_line(&r, line, s);
		if (!nl) break;
		s = nl + 1;
	}
	if (rc == 0) rc = add_entry(&r);
	free(r.id.data);
	free(r.str.data);
	free(copy);
	if (rc != 0) return -1;
	if (p->n == 0) {
		snprintf(err, errlen, "%s: no msgid in the file", p->name);
		return -1;
	}
	qsort(p->e, p->n, sizeof *p->e, by_key);
	for (i = 1; i < p->n; i++) {
		if (strcmp(p->e[i].key, p->e[i - 1].key) == 0) {
			int first = p->e[i].line < p->e[i - 1].line ? p->e[i].line : p->e[i - 1].line;
			int second = p->e[i].line < p->e[i - 1].line ? p->e[i - 1].line : p->e[i].line;
			snprintf(err, errlen, "%s:%d: msgid \"%s\": a second time (first on line %d)", p->name, second,
				p->e[i].key, first);
			return -1;
		}
	}
	return 0;
}

static const entry *find(const po_file *p, const char *key)
{
	entry k;
	k.key = (char *)key;
	return p->n ? bsearch(&k, p->e, p->n, sizeof *p->e, by_key) : NULL;
}

/* ---- the set ---- */

void tr_free(tr_set *s)
{
	size_t l, i;
	if (!s) return;
	for (l = 0; l < TR_LANGS; l++) {
		for (i = 0; i < s->f[l].n; i++) {
			free(s->f[l].e[i].key);
			free(s->f[l].e[i].text);
		}
		free(s->f[l].e);
	}
	free(s);
}

/* Every language has Vietnamese's keys, no others, and its conversions. */
static int cross_check(const tr_set *s, char *err, size_t errlen)
{
	const po_file *vi = &s->f[LANG_VI];
	size_t l, i;
	for (l = 1; l < TR_LANGS; l++) {
		const po_file *o = &s->f[l];
		for (i = 0; i < vi->n; i++) {
			const entry *e = find(o, vi->e[i].key);
			if (!e) {
				snprintf(err, errlen, "%s: msgid \"%s\" is missing (%s:%d has it)", o->name, vi->e[i].key,
					vi->name, vi->e[i].line);
				return -1;
			}
			if (tr_same_conversions(vi->e[i].text, e->text) != 1) {
				snprintf(err, errlen, "%s:%d: msgid \"%s\": its conversions (%%d, %%s ...) differ from those of"
					" %s:%d", o->name, e->line, e->key, vi->name, vi->e[i].line);
				return -1;
			}
		}
		for (i = 0; i < o->n; i++) {
			if (!find(vi, o->e[i].key)) {
				snprintf(err, errlen, "%s:%d: msgid \"%s\" is not in %s", o->name, o->e[i].line, o->e[i].key,
					vi->name);
				return -1;
			}
		}
	}
	return 0;
}

tr_set *tr_load_texts(const char *const texts[TR_LANGS], const char *const names[TR_LANGS],
	char *err, size_t errlen)
{
	tr_set *s = calloc(1, sizeof *s);
	size_t l;
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (l = 0; l < TR_LANGS; l++) {
		snprintf(s->f[l].name, sizeof s->f[l].name, "%s", names[l]);
		if (parse(&s->f[l], texts[l], err, errlen) != 0) {
			tr_free(s);
			return NULL;
		}
	}
	if (cross_check(s, err, errlen) != 0) {
		tr_free(s);
		return NULL;
	}
	return s;
}

/* The whole of a file, NUL-terminated; NULL with err. */
static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t n;
	if (!f) {
		snprintf(err, errlen, "%s: cannot be read (the translations are in assets/lang)", path);
		return NULL;
	}
	if (!(data = malloc(TR_FILE_MAX + 1))) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	n = fread(data, 1, TR_FILE_MAX + 1, f);
	fclose(f);
	if (n > TR_FILE_MAX) {
		free(data);
		snprintf(err, errlen, "%s: larger than %d bytes", path, TR_FILE_MAX);
		return NULL;
	}
	if (memchr(data, '\0', n)) {
		free(data);
		snprintf(err, errlen, "%s: holds a NUL byte: not a text file", path);
		return NULL;
	}
	data[n] = '\0';
	return data;
}

tr_set *tr_load(const char *dir, char *err, size_t errlen)
{
	char names[TR_LANGS][512];
	const char *texts[TR_LANGS] = { NULL }, *name_ptrs[TR_LANGS];
	char *data[TR_LANGS] = { NULL };
	tr_set *s = NULL;
	size_t l;
	for (l = 0; l < TR_LANGS; l++) {
		snprintf(names[l], sizeof names[l], "%s/%s.po", dir, lang_codes[l]);
		name_ptrs[l] = names[l];
		if (!(data[l] = read_file(names[l], err, errlen))) goto out;
		texts[l] = data[l];
	}
	s = tr_load_texts(texts, name_ptrs, err, errlen);
out:
	for (l = 0; l < TR_LANGS; l++) free(data[l]);
	return s;
}

const char *tr_get(const tr_set *s, lang l, const char *key)
{
	const entry *e;
	if (!s || (unsigned)l >= TR_LANGS) return NULL;
	e = find(&s->f[l], key);
	return e ? e->text : NULL;
}

const char *tr_file(const tr_set *s, lang l)
{
	return s && (unsigned)l < TR_LANGS ? s->f[l].name : "";
}

int tr_line(const tr_set *s, lang l, const char *key)
{
	const entry *e = s && (unsigned)l < TR_LANGS ? find(&s->f[l], key) : NULL;
	return e ? e->line : 0;
}

size_t tr_count(const tr_set *s)
{
	return s ? s->f[LANG_VI].n : 0;
}

const char *tr_key_at(const tr_set *s, size_t i)
{
	return s && i < s->f[LANG_VI].n ? s->f[LANG_VI].e[i].key : NULL;
}

int tr_resolve(const tr_set *s, const tr_key *keys, size_t n, const char **texts, char *err, size_t errlen)
{
	size_t i, l;
	for (i = 0; i < n; i++) {
		for (l = 0; l < TR_LANGS; l++) {
			const po_file *p = &s->f[l];
			const entry *e = find(p, keys[i].key);
			if (!e) {
				snprintf(err, errlen, "%s: msgid \"%s\" is missing: the program needs it", p->name, keys[i].key);
				return -1;
			}
			if (!keys[i].format ? strchr(e->text, '%') != NULL : tr_same_conversions(e->text, keys[i].format) != 1) {
				snprintf(err, errlen, "%s:%d: msgid \"%s\": %s%s", p->name, e->line, keys[i].key,
					keys[i].format ? "the program passes it " : "this text is shown as it is and may hold no %",
					keys[i].format ? keys[i].format : "");
				return -1;
			}
			texts[i * TR_LANGS + l] = e->text;
		}
	}
	return 0;
}

int tr_table_load(tr_table *t, const char *assets_dir,
	int (*check)(const tr_set *s, const char *const *texts, char *err, size_t errlen), char *err, size_t errlen)
{
	const char **resolved = calloc(t->n * TR_LANGS, sizeof *resolved);
	char dir[1024];
	tr_set *s = NULL;
	int rc = -1;
	if (!resolved) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(dir, sizeof dir, "%s/lang", assets_dir);
	if ((s = tr_load(dir, err, errlen)) && tr_resolve(s, t->keys, t->n, resolved, err, errlen) == 0 &&
	    (!check || check(s, resolved, err, errlen) == 0)) {
		memcpy(t->texts, resolved, t->n * TR_LANGS * sizeof *resolved);
		tr_free(t->loaded);
		t->loaded = s;
		s = NULL;
		rc = 0;
	}
	tr_free(s);
	free(resolved);
	return rc;
}

const char *tr_table_text(const tr_table *t, lang l, size_t id)
{
	const char *text;
	if (id >= t->n) return "";
	text = t->texts[id * TR_LANGS + (l == LANG_EN ? LANG_EN : LANG_VI)];
	return text ? text : t->keys[id].key;
}
