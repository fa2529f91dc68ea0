/* tr: the programs' words, read from translation files a translator edits
 * without touching C.
 *
 * Every text the kiosk, the phone page, the public figures and the
 * officials' console show is looked up by a key ("kiosk.home.file",
 * "page.status.title", "status.resolved.staff") in one gettext .po file a
 * language under assets/lang/ (vi.po, en.po): msgid is the key, msgstr the
 * text. Vietnamese is the source language: every other file must have
 * exactly its keys, and each text the same printf conversions (%d, %s, %lld
 * in the same order) as the Vietnamese one. Anything wrong is refused when
 * the files are loaded, at start-up, with the file, the line and the key,
 * so that a missing or broken translation stops the program with a clear
 * message rather than showing a blank button or passing a number where a
 * string is read. docs/translation.md says how to edit and add a language.
 *
 * A program then resolves the keys it uses, once, into a table of
 * pointers (tr_resolve), checking that each exists and carries the
 * conversions the code passes; after that a lookup is an array index. */
#ifndef MOTCUA_TR_H
#define MOTCUA_TR_H

#include <stddef.h>
#include "catalog.h"

#define TR_LANGS 2                   /* LANG_VI, LANG_EN (catalog.h) */

typedef struct tr_set tr_set;

/* The file name's stem of a language: "vi", "en". */
const char *tr_lang_code(lang l);

/* Reads dir/vi.po and dir/en.po and checks them against each other. NULL
 * with a message in err ("assets/lang/en.po:12: msgid "kiosk.back": bad
 * escape \q") when a file is missing or malformed, a key is in one file
 * and not the other, or the conversions of a text differ from Vietnamese. */
tr_set *tr_load(const char *dir, char *err, size_t errlen);

/* The same from the files' text in memory; names[l] is what messages call
 * each file. */
tr_set *tr_load_texts(const char *const texts[TR_LANGS], const char *const names[TR_LANGS],
	char *err, size_t errlen);

void tr_free(tr_set *s);

/* The text of key in language l, or NULL when there is none. */
const char *tr_get(const tr_set *s, lang l, const char *key);

/* Where a text is, for a message: its file's name ("assets/lang/en.po")
 * and the line of its msgid (0 when the key is not there). */
const char *tr_file(const tr_set *s, lang l);
int tr_line(const tr_set *s, lang l, const char *key);

/* The keys, in sorted order: i from 0 to tr_count() - 1. */
size_t tr_count(const tr_set *s);
const char *tr_key_at(const tr_set *s, size_t i);

/* A key a program uses and how: format is NULL for a text shown as it is
 * (it may hold no %), else the conversions the code passes it, e.g. "%d"
 * or "%s %lld" (flags and widths do not matter, order and types do). */
typedef struct {
	const char *key;
	const char *format;
} tr_key;

/* Fills texts[i * TR_LANGS + l] with key i's text in language l, pointing
 * into s (which must outlive the table). -1 with err naming the file and
 * key when a key is missing or its conversions are not the code's. */
int tr_resolve(const tr_set *s, const tr_key *keys, size_t n, const char **texts, char *err, size_t errlen);

/* A program's table of texts: its keys, and the texts resolved for them
 * from the files it loaded (which the table keeps). Each program keeps one
 * per surface as a file-scope value, filled once at start-up before its
 * threads start and only read afterwards. */
typedef struct {
	const tr_key *keys;
	size_t n;
	const char **texts;          /* n * TR_LANGS slots, the caller's */
	tr_set *loaded;
} tr_table;

/* Loads assets_dir/lang and resolves t's keys; check, when not NULL, may
 * refuse the resolved texts (-1 with err). On failure t is unchanged. */
int tr_table_load(tr_table *t, const char *assets_dir,
	int (*check)(const tr_set *s, const char *const *texts, char *err, size_t errlen), char *err, size_t errlen);

/* Text id in language l; the key itself before a load, "" for an id out of
 * range. */
const char *tr_table_text(const tr_table *t, lang l, size_t id);

/* 1 when the printf conversions of a and b are the same in type and order;
 * -1 when either is not a well-formed format (a lone %, %n, %*d, %1$s). */
int tr_same_conversions(const char *a, const char *b);

#endif
