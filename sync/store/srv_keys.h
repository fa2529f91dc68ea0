/* srv_keys: the server's two key pairs, kept in DATA/server.key.
 *
 * Ed25519 signs every reply the server sends; X25519 opens the identities
 * kiosks seal to it. The file is the raw struct below, written once by
 * `motcua-server init` (0600, never rewritten), so the same bytes serve every
 * later command. The public halves travel to kiosks as the `mc1.` line. */
#ifndef MOTCUA_SRV_KEYS_H
#define MOTCUA_SRV_KEYS_H

#include <stddef.h>
#include "seal.h"

typedef struct {
	unsigned char sign_pk[32], sign_sk[64];   /* Ed25519 */
	unsigned char box_pk[32], box_sk[32];     /* X25519 */
} srv_keys;

/* Makes new key pairs in dir/server.key; refuses to replace an existing file
 * (its keys are what every kiosk trusts). 0, or -1 with a reason. */
int srv_keys_create(const char *dir, srv_keys *out, char *err, size_t errlen);

/* Reads dir/server.key. 0, or -1 with a reason. */
int srv_keys_load(const char *dir, srv_keys *out, char *err, size_t errlen);

/* The public halves, as kiosks hold them. */
void srv_keys_public(const srv_keys *k, seal_server_key *out);

/* Wipes the secret halves from memory. */
void srv_keys_wipe(srv_keys *k);

#endif
