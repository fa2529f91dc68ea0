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
static tr_set *loaded;

int i18n_load(const char *assets_dir, char *err, size_t errlen)
{
	const char *resolved[T_COUNT * TR_LANGS];
	char dir[1024];
	tr_set *s;
	size_t i;
	snprintf(dir, sizeof dir, "%s/lang", assets_dir);
	if (!(s = tr_load(dir, err, errlen))) return -1;
	if (tr_resolve(s, keys, T_COUNT, resolved, err, errlen) != 0) {
		tr_free(s);
		return -1;
	}
	for (i = 0; i < T_COUNT * TR_LANGS; i++) texts[i] = resolved[i];
	tr_free(loaded);
	loaded = s;
	return 0;
}

const char *i18n(lang l, i18n_id id)
{
	const char *t;
	if ((unsigned)id >= T_COUNT) return "";
	t = texts[(size_t)id * TR_LANGS + (l == LANG_EN ? LANG_EN : LANG_VI)];
	return t ? t : keys[id].key;
}

const tr_key *i18n_keys(void)
{
	return keys;
}
