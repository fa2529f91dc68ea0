/* office_words: the office service's words from the translation files (see
 * office_words.h). The table is written once by office_words_load, before
 * the service's threads start, and only read afterwards. */
#include "office_words.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const tr_key keys[OW_COUNT] = {
#define OFFICE_WORDS_KEY(id, key, format) { key, format },
	OFFICE_WORDS(OFFICE_WORDS_KEY)
#undef OFFICE_WORDS_KEY
};

static const char *texts[OW_COUNT * TR_LANGS];
static tr_table table = { keys, OW_COUNT, texts, NULL };

static int markup_free(const tr_set *s, const char *const *resolved, char *err, size_t errlen)
{
	size_t i, l;
	for (i = 0; i < OW_COUNT; i++)
		for (l = 0; l < TR_LANGS; l++) {
			if (!strpbrk(resolved[i * TR_LANGS + l], "<>&\"")) continue;
			snprintf(err, errlen, "%s:%d: msgid \"%s\": the office pages' texts may not hold < > & or \"",
				tr_file(s, (lang)l), tr_line(s, (lang)l, keys[i].key), keys[i].key);
			return -1;
		}
	return 0;
}

int office_words_load(const char *assets_dir, char *err, size_t errlen)
{
	return tr_table_load(&table, assets_dir, markup_free, err, errlen);
}

const char *office_words_text(lang l, office_word w)
{
	return tr_table_text(&table, l, (size_t)w);
}

const tr_key *office_words_keys(void)
{
	return keys;
}

/* Texts from the translation files hold the table's conversions:
 * office_words_load refused any whose conversions differ. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void office_words_format(char *out, size_t outlen, lang l, office_word w, ...)
{
	va_list ap;
	va_start(ap, w);
	vsnprintf(out, outlen, office_words_text(l, w), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop
