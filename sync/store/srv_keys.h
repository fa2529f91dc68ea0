/* srv_keys: the server's two key pairs, kept in a file of their own.
 *
 * Ed25519 signs every reply the server sends; X25519 opens the identities
 * kiosks seal to it. The file is the raw struct below, written once by
 * `motcua-server init` (0600, never rewritten), so the same bytes serve every
 * later command. The public halves travel to kiosks as the `mc1.` line.
 *
 * The file opens every sealed identity, so it is best kept apart from the
 * database: a backup or a copied data folder then holds nothing that opens
 * them. `init --key-file` writes it elsewhere (root's /etc/motcua, say),
 * and under systemd the service reads it as a credential (LoadCredential=,
 * or LoadCredentialEncrypted= for a file sealed by systemd-creds to the
 * machine), which only the service can read while it runs. An old install
 * keeps DATA/server.key, still read. */
#ifndef MOTCUA_SRV_KEYS_H
#define MOTCUA_SRV_KEYS_H

#include <stddef.h>
#include "seal.h"

typedef struct {
	unsigned char sign_pk[32], sign_sk[64];   /* Ed25519 */
	unsigned char box_pk[32], box_sk[32];     /* X25519 */
} srv_keys;

/* Where the key file is: key_file when given; else, under systemd with a
 * credential named server.key, $CREDENTIALS_DIRECTORY/server.key; else
 * DATA/server.key. 1 when that is apart from the data folder, 0 when it
 * lies beside the database. */
int srv_keys_path(const char *data_dir, const char *key_file, char *out, size_t outlen);

/* The same as below for a file at path. */
int srv_keys_create_file(const char *path, srv_keys *out, char *err, size_t errlen);
int srv_keys_load_file(const char *path, srv_keys *out, char *err, size_t errlen);

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
