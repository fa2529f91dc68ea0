/* seal: server key lines and sealed boxes (see seal.h), on libsodium. */
#include "seal.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "mc1."

int seal_parse_server_key(const char *line, seal_server_key *out, char *err, size_t errlen)
{
	unsigned char raw[2 * SEAL_KEY_BYTES];
	size_t rawlen = 0;
	const char *end;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	if (strncmp(line, PREFIX, strlen(PREFIX)) != 0) {
		snprintf(err, errlen, "a server key starts with \"%s\" (copy the line `motcua-server init` printed)", PREFIX);
		return -1;
	}
	line += strlen(PREFIX);
	if (sodium_base642bin(raw, sizeof raw, line, strlen(line), NULL, &rawlen, &end,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || *end || rawlen != sizeof raw) {
		snprintf(err, errlen, "the server key is damaged (not %zu bytes of base64url)", sizeof raw);
		return -1;
	}
	memcpy(out->sign_pk, raw, SEAL_KEY_BYTES);
	memcpy(out->box_pk, raw + SEAL_KEY_BYTES, SEAL_KEY_BYTES);
	return 0;
}

void seal_format_server_key(const seal_server_key *k, char *out, size_t outlen)
{
	unsigned char raw[2 * SEAL_KEY_BYTES];
	char b64[sodium_base64_ENCODED_LEN(2 * SEAL_KEY_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	memcpy(raw, k->sign_pk, SEAL_KEY_BYTES);
	memcpy(raw + SEAL_KEY_BYTES, k->box_pk, SEAL_KEY_BYTES);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, outlen, PREFIX "%s", b64);
}

int seal_box(const seal_server_key *k, const void *msg, size_t len, unsigned char *out)
{
	if (sodium_init() < 0) return -1;
	return crypto_box_seal(out, msg, len, k->box_pk) == 0 ? 0 : -1;
}

int seal_open(const unsigned char box_pk[SEAL_KEY_BYTES], const unsigned char box_sk[SEAL_KEY_BYTES],
	const unsigned char *sealed, size_t len, void *out)
{
	if (len < SEAL_OVERHEAD || sodium_init() < 0) return -1;
	return crypto_box_seal_open(out, sealed, len, box_pk, box_sk) == 0 ? 0 : -1;
}

/* The key's own domain, so a hash under it is never the same as any other
 * use of the server's public key. */
#define CODE_KEY_CONTEXT "motcua receipt code key 1"

void seal_code_key(const seal_server_key *k, unsigned char out[SEAL_CODE_HASH_BYTES])
{
	if (sodium_init() < 0) abort();
	crypto_generichash(out, SEAL_CODE_HASH_BYTES, k->box_pk, SEAL_KEY_BYTES,
		(const unsigned char *)CODE_KEY_CONTEXT, strlen(CODE_KEY_CONTEXT));
}

void seal_code_hash(const unsigned char key[SEAL_CODE_HASH_BYTES], const char *request_id, const char *token,
	unsigned char out[SEAL_CODE_HASH_BYTES])
{
	crypto_generichash_state st;
	if (sodium_init() < 0) abort();
	crypto_generichash_init(&st, key, SEAL_CODE_HASH_BYTES, SEAL_CODE_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)request_id, strlen(request_id));
	crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
	crypto_generichash_update(&st, (const unsigned char *)token, strlen(token));
	crypto_generichash_final(&st, out, SEAL_CODE_HASH_BYTES);
	sodium_memzero(&st, sizeof st);
}
