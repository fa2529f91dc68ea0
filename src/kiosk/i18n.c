/* i18n: the text table (see i18n.h). */
#include "i18n.h"

static const char *const texts[T_COUNT][2] = {
#define I18N_ROW(id, vi, en) { vi, en },
	I18N_TEXTS(I18N_ROW)
#undef I18N_ROW
};

const char *i18n(lang l, i18n_id id)
{
	return texts[id][l == LANG_EN];
}
