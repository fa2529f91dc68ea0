/* srv_bundle: reading a USB bundle and writing the server's answer to it
 * (`motcua-server import`). */
#ifndef MOTCUA_SRV_BUNDLE_H
#define MOTCUA_SRV_BUNDLE_H

#include <stddef.h>
#include "srv_db.h"
#include "srv_keys.h"

/* The bundle's text (malloc'd, NUL-ended) and its length; NULL, logged,
 * when it is not a regular file, larger than an envelope, or unreadable. */
char *srv_bundle_read(const char *path, size_t *len);

/* Writes the signed reply (len bytes) to out, then while it says more
 * events wait, the replies after it to out-2, out-3, ... (before out's
 * extension), each atomic. The number of files written; 0 when out itself
 * could not be (errno says why). */
int srv_bundle_write_answer(srv_db *db, const srv_keys *keys, const char *out, const char *reply, size_t len);

#endif
