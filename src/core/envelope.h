/* envelope: signed envelopes, the one thing that travels between a kiosk and
 * the server, over HTTP or as a file on a USB stick.
 *
 * An envelope is a small JSON object: the signer's name ("27280-1" for a
 * kiosk, "server" for the server), the payload as a JSON text inside a
 * string, and an Ed25519 signature over a fixed prefix, the signer and the
 * payload bytes exactly as sent. Signing the bytes rather than a re-encoded
 * object means no canonical JSON is needed: what was signed is what is read.
 * Kiosk keys live in data_dir/kiosk.key; their public half travels as one
 * line, "mk1." and base64url, that `motcua-server kiosk add` takes. See
 * docs/protocol.md. */
#ifndef MOTCUA_ENVELOPE_H
#define MOTCUA_ENVELOPE_H

#include <stddef.h>

#define ENV_PK_BYTES 32
#define ENV_SK_BYTES 64
#define ENV_SIG_BYTES 64
#define ENV_SIGNER_MAX 16        /* "server" or "<5 digits>-<1..999>" */
#define ENV_KEY_LINE_MAX 64
#define ENV_MAX_BYTES (16u << 20) /* no envelope is bigger; larger input is refused unread */

typedef struct {
	char signer[ENV_SIGNER_MAX];
	char *payload;               /* NUL-terminated JSON text, malloc'd */
	size_t payload_len;
	unsigned char sig[ENV_SIG_BYTES];
} envelope;

/* Signs payload as signer; returns the envelope's JSON text (malloc'd), or
 * NULL when out of memory. */
char *env_sign(const char *signer, const char *payload, size_t payload_len,
	const unsigned char sk[ENV_SK_BYTES]);

/* Reads an envelope's outer shape without checking the signature. 0, or -1
 * with a reason in err ("not JSON at byte 17", "no signature", ...). On
 * success the caller frees with env_free. */
int env_parse(const char *text, size_t len, envelope *out, char *err, size_t errlen);

/* 0 if the signature is the signer's under pk, -1 otherwise. */
int env_verify(const envelope *e, const unsigned char pk[ENV_PK_BYTES]);

void env_free(envelope *e);

/* The kiosk's key pair in dir/kiosk.key, made on first use (0600). 0, or -1
 * with a reason. */
int env_kiosk_key(const char *dir, unsigned char pk[ENV_PK_BYTES], unsigned char sk[ENV_SK_BYTES],
	char *err, size_t errlen);

/* "mk1.<base64url>" for a kiosk's public key; out holds ENV_KEY_LINE_MAX. */
void env_format_kiosk_key(const unsigned char pk[ENV_PK_BYTES], char *out, size_t outlen);
int env_parse_kiosk_key(const char *line, unsigned char pk[ENV_PK_BYTES], char *err, size_t errlen);

/* 1 if s is a kiosk id: a 5-digit commune code, '-', a number 1..999. */
int env_is_kiosk_id(const char *s);

#endif
