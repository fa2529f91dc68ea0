/* console_sealed: a request's sealed form opened in the server's memory
 * (see console_int.h), for the pages that must read it: the request's
 * content and identity, the papers, an export with identities, and the
 * inbox's subjects. The clear text is wiped as soon as it is parsed, and
 * every text of the parsed form when it is freed: a memory dump of the
 * server holds what a page is writing, not what it read before. */
#include "console_int.h"

#include <sodium.h>
#include <stdlib.h>

#include "seal.h"

json_t *console_sealed_open(const console_ctx *c, const unsigned char *sealed, size_t len)
{
	size_t n = len > SEAL_OVERHEAD ? len - SEAL_OVERHEAD : 0;
	unsigned char *clear;
	json_t *o = NULL;
	if (!n || !c->keys || !(clear = malloc(n))) return NULL;
	if (seal_open(c->keys->box_pk, c->keys->box_sk, sealed, len, clear) == 0) {
		o = json_loadb((const char *)clear, n, 0, NULL);
		if (o && !json_is_object(o)) {
			json_decref(o);
			o = NULL;
		}
	}
	sodium_memzero(clear, n);
	free(clear);
	return o;
}

void console_sealed_free(json_t *o)
{
	const char *key;
	json_t *v;
	if (!o) return;
	json_object_foreach(o, key, v)
		if (json_is_string(v)) sodium_memzero((void *)json_string_value(v), json_string_length(v));
	json_decref(o);
}
