/* words: the server's words, read from the translation files (see
 * words.h).
 *
 * The resolved table is this file's own and is written only by
 * words_load, which the server calls once before its threads start; the
 * pages, rendered tens of thousands of times a second, then only index
 * it. */
#include "words.h"

#include <stdio.h>
#include <string.h>

#include "status.h"

static const tr_key keys[W_COUNT] = {
#define WORDS_KEY(id, key, format) { key, format },
	WORDS(WORDS_KEY)
#undef WORDS_KEY
};

/* The statuses' words are indexed by status_id. */
_Static_assert(W_CITIZEN_WITHDRAWN - W_CITIZEN_RECEIVED == STATUS_WITHDRAWN - STATUS_RECEIVED &&
	W_CITIZEN_SUPPLEMENT - W_CITIZEN_RECEIVED == STATUS_SUPPLEMENT &&
	W_STAFF_WITHDRAWN - W_STAFF_RECEIVED == STATUS_WITHDRAWN - STATUS_RECEIVED &&
	W_STAFF_SUPPLEMENT - W_STAFF_RECEIVED == STATUS_SUPPLEMENT && STATUS_RECEIVED == 0 &&
	STATUS_WITHDRAWN == STATUS_COUNT - 1, "the statuses' words follow status.h's order");

/* Which statuses have a hint on the phone page. */
static const struct { status_id status; word hint; } hints[] = {
	{ STATUS_SYNCED, W_HINT_SYNCED },
	{ STATUS_SUPPLEMENT, W_HINT_SUPPLEMENT },
	{ STATUS_RESOLVED, W_HINT_RESOLVED },
	{ STATUS_REJECTED, W_HINT_REJECTED },
};

static const char *texts[W_COUNT * TR_LANGS];
static tr_table table = { keys, W_COUNT, texts, NULL };

/* The pages write a word either as it is or escaped, as the place needs;
 * so that both come out the same, no word holds what escaping changes
 * (an apostrophe reads the same either way). */
static int markup_free(const tr_set *s, const char *const *resolved, char *err, size_t errlen)
{
	size_t i, l;
	for (i = 0; i < W_COUNT; i++) {
		for (l = 0; l < TR_LANGS; l++) {
			if (!strpbrk(resolved[i * TR_LANGS + l], "<>&\"")) continue;
			snprintf(err, errlen, "%s:%d: msgid \"%s\": the web pages' texts may not hold < > & or \" (they are"
				" written as plain text)", tr_file(s, (lang)l), tr_line(s, (lang)l, keys[i].key), keys[i].key);
			return -1;
		}
	}
	return 0;
}
int words_load(const char *assets_dir, char *err, size_t errlen)
{
	return tr_table_load(&table, assets_dir, markup_free, err, errlen);
}

const char *words_text(lang l, word w)
{
	return tr_table_text(&table, l, (size_t)w);
}

const char *words_status(lang l, const char *status)
{
	int s = status_parse(status);
	return s < 0 ? NULL : words_text(l, (word)(W_CITIZEN_RECEIVED + s));
}

const char *words_status_hint(lang l, const char *status)
{
	int s = status_parse(status);
	size_t i;
	for (i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if ((int)hints[i].status == s) return words_text(l, hints[i].hint);
	return NULL;
}

const char *words_status_staff(lang l, const char *status)
{
	int s = status_parse(status);
	return s < 0 ? NULL : words_text(l, (word)(W_STAFF_RECEIVED + s));
}

const tr_key *words_keys(void)
{
	return keys;
}
