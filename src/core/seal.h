/* seal: the server's public keys, and sealing what a citizen typed to them.
 *
 * `motcua-server init` prints one line, the server key, that every kiosk's
 * configuration carries: "mc1." followed by base64url of the server's
 * Ed25519 signing key and X25519 sealing key (64 bytes). What a citizen types
 * is sealed (libsodium sealed box) the moment it is saved, so the kiosk's
 * disk, its WAL and any USB bundle hold nothing that names anyone; only the
 * server's secret key opens it. */
#ifndef MOTCUA_SEAL_H
#define MOTCUA_SEAL_H

#include <stddef.h>

#define SEAL_KEY_BYTES 32
#define SEAL_OVERHEAD 48         /* crypto_box_SEALBYTES */
#define SEAL_LINE_MAX 100
#define SEAL_CODE_HASH_BYTES 32
#define SEAL_CODE_SEALED_BYTES (13 + SEAL_OVERHEAD)  /* a receipt code (TOKEN_LEN) sealed */

typedef struct {
	unsigned char sign_pk[SEAL_KEY_BYTES];  /* Ed25519: checks the server's signatures */
	unsigned char box_pk[SEAL_KEY_BYTES];   /* X25519: seals identities */
} seal_server_key;

/* Parses a server key line. 0, or -1 with a reason in err. */
int seal_parse_server_key(const char *line, seal_server_key *out, char *err, size_t errlen);

/* Writes the line for a key pair's public halves (out: SEAL_LINE_MAX bytes). */
void seal_format_server_key(const seal_server_key *k, char *out, size_t outlen);

/* Seals len bytes of msg; out must hold len + SEAL_OVERHEAD bytes. 0 or -1. */
int seal_box(const seal_server_key *k, const void *msg, size_t len, unsigned char *out);

/* Opens a sealed box with the server's X25519 key pair; out holds
 * len - SEAL_OVERHEAD bytes. 0, or -1 if it was not sealed to this key or
 * was altered. */
int seal_open(const unsigned char box_pk[SEAL_KEY_BYTES], const unsigned char box_sk[SEAL_KEY_BYTES],
	const unsigned char *sealed, size_t len, void *out);

/* ---- receipt codes at rest ----
 * The kiosk keeps a receipt code only as a keyed hash, to match what a
 * citizen types, and sealed to the server (seal_box), to carry it upstream;
 * never in clear (docs/security.md, "Receipt codes at rest").
 *
 * The hash key is derived from the server's X25519 public key, so every
 * kiosk of one server and the server itself agree on it, and a hash means
 * nothing under another server. It is on the kiosk's disk (in kiosk.ini):
 * what protects a code is its 60 random bits and the request id mixed into
 * each hash, which makes every code a search of its own through 2^60
 * candidates, not one search for all the codes of a stolen disk. */

/* The hash key of a server's kiosks. */
void seal_code_key(const seal_server_key *k, unsigned char out[SEAL_CODE_HASH_BYTES]);

/* The keyed hash (BLAKE2b-256) of the code `token` (canonical) of request
 * `request_id`. */
void seal_code_hash(const unsigned char key[SEAL_CODE_HASH_BYTES], const char *request_id, const char *token,
	unsigned char out[SEAL_CODE_HASH_BYTES]);

#endif
