/* i18n: the kiosk's texts, read from the translation files (see i18n.h).
 *
 * The resolved table is this file's own and is written only by i18n_load,
 * which the kiosk calls once at start-up before its threads start; after
 * that every lookup is an array index. */
#include "i18n.h"

#include <stdio.h>

static const tr_key keys[T_COUNT] = {
#define I18N_KEY(id, key, format) { key, format },
	I18N_TEXTS(I18N_KEY)
#undef I18N_KEY
};

static const char *texts[T_COUNT * TR_LANGS];
static tr_table table = { keys, T_COUNT, texts, NULL };

int i18n_load(const char *assets_dir, char *err, size_t errlen)
{
	return tr_table_load(&table, assets_dir, NULL, err, errlen);
}

const char *i18n(lang l, i18n_id id)
{
	return tr_table_text(&table, l, (size_t)id);
}

const tr_key *i18n_keys(void)
{
	return keys;
}
