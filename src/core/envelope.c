/* envelope: signed envelopes and kiosk keys (see envelope.h), on libsodium
 * and jansson. */
#include "envelope.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIG_PREFIX "motcua-envelope-1\n"
#define KEY_PREFIX "mk1."
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* The signed message: prefix, signer, newline, payload. Built in one buffer
 * because libsodium's detached signature takes one. */
static unsigned char *signed_bytes(const char *signer, const char *payload, size_t payload_len, size_t *len)
{
	size_t plen = strlen(SIG_PREFIX), slen = strlen(signer);
	unsigned char *m = malloc(plen + slen + 1 + payload_len + 1);
	if (!m) return NULL;
	memcpy(m, SIG_PREFIX, plen);
	memcpy(m + plen, signer, slen);
	m[plen + slen] = '\n';
	memcpy(m + plen + slen + 1, payload, payload_len);
	*len = plen + slen + 1 + payload_len;
	return m;
}

char *env_sign(const char *signer, const char *payload, size_t payload_len,
	const unsigned char sk[ENV_SK_BYTES])
{
	unsigned char sig[ENV_SIG_BYTES], *m;
	char sig64[sodium_base64_ENCODED_LEN(ENV_SIG_BYTES, B64)];
	size_t mlen;
	json_t *o;
	char *text;
	if (sodium_init() < 0 || !(m = signed_bytes(signer, payload, payload_len, &mlen))) return NULL;
	crypto_sign_detached(sig, NULL, m, mlen, sk);
	free(m);
	sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig, B64);
	o = json_pack("{s:i, s:s, s:s%, s:s}", "motcua", 1, "signer", signer,
		"payload", payload, payload_len, "sig", sig64);
	if (!o) return NULL;
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

int env_parse(const char *text, size_t len, envelope *out, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *o, *version, *signer, *payload, *sig;
	size_t siglen = 0;
	const char *end;
	memset(out, 0, sizeof *out);
	if (len > ENV_MAX_BYTES) {
		snprintf(err, errlen, "the envelope is larger than %u bytes", ENV_MAX_BYTES);
		return -1;
	}
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		snprintf(err, errlen, "not an envelope: %s at byte %d", jerr.text, jerr.position);
		return -1;
	}
	version = json_object_get(o, "motcua");
	signer = json_object_get(o, "signer");
	payload = json_object_get(o, "payload");
	sig = json_object_get(o, "sig");
	if (!json_is_object(o) || !json_is_integer(version) || json_integer_value(version) != 1) {
		snprintf(err, errlen, "not an envelope of version 1 (\"motcua\": 1 is missing)");
	} else if (!json_is_string(signer) || json_string_length(signer) == 0 ||
			json_string_length(signer) >= ENV_SIGNER_MAX) {
		snprintf(err, errlen, "envelope: \"signer\" must be a kiosk id or \"server\"");
	} else if (!json_is_string(payload)) {
		snprintf(err, errlen, "envelope: \"payload\" must be a string");
	} else if (!json_is_string(sig) || sodium_base642bin(out->sig, sizeof out->sig, json_string_value(sig),
			json_string_length(sig), NULL, &siglen, &end, B64) != 0 || *end || siglen != ENV_SIG_BYTES) {
		snprintf(err, errlen, "envelope: \"sig\" must be %d bytes of base64url", ENV_SIG_BYTES);
	} else {
		snprintf(out->signer, sizeof out->signer, "%s", json_string_value(signer));
		out->payload_len = json_string_length(payload);
		out->payload = malloc(out->payload_len + 1);
		if (!out->payload) {
			snprintf(err, errlen, "out of memory");
		} else {
			memcpy(out->payload, json_string_value(payload), out->payload_len + 1);
			json_decref(o);
			return 0;
		}
	}
	json_decref(o);
	memset(out, 0, sizeof *out);
	return -1;
}

int env_verify(const envelope *e, const unsigned char pk[ENV_PK_BYTES])
{
	size_t mlen;
	unsigned char *m;
	int rc;
	if (!e->payload || sodium_init() < 0 || !(m = signed_bytes(e->signer, e->payload, e->payload_len, &mlen)))
		return -1;
	rc = crypto_sign_verify_detached(e->sig, m, mlen, pk) == 0 ? 0 : -1;
	free(m);
	return rc;
}

void env_free(envelope *e)
{
	free(e->payload);
	memset(e, 0, sizeof *e);
}

int env_kiosk_key(const char *dir, unsigned char pk[ENV_PK_BYTES], unsigned char sk[ENV_SK_BYTES],
	char *err, size_t errlen)
{
	char path[600];
	int fd;
	ssize_t n;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	snprintf(path, sizeof path, "%s/kiosk.key", dir);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, sk, ENV_SK_BYTES);
		close(fd);
		if (n != ENV_SK_BYTES) {
			snprintf(err, errlen, "%s: damaged (not a %d-byte key)", path, ENV_SK_BYTES);
			return -1;
		}
		crypto_sign_ed25519_sk_to_pk(pk, sk);
		return 0;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* First use: write to a temporary name and rename, so a power cut never
	 * leaves a half-written key that the server would not recognise. */
	{
		char tmp[620];
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		crypto_sign_keypair(pk, sk);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, sk, ENV_SK_BYTES) != ENV_SK_BYTES || fsync(fd) != 0 ||
		    close(fd) != 0 || rename(tmp, path) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			if (fd >= 0) close(fd);
			unlink(tmp);
			return -1;
		}
	}
	return 0;
}

void env_format_kiosk_key(const unsigned char pk[ENV_PK_BYTES], char *out, size_t outlen)
{
	char b64[sodium_base64_ENCODED_LEN(ENV_PK_BYTES, B64)];
	sodium_bin2base64(b64, sizeof b64, pk, ENV_PK_BYTES, B64);
	snprintf(out, outlen, KEY_PREFIX "%s", b64);
}

int env_parse_kiosk_key(const char *line, unsigned char pk[ENV_PK_BYTES], char *err, size_t errlen)
{
	size_t len = 0;
	const char *end;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	if (strncmp(line, KEY_PREFIX, strlen(KEY_PREFIX)) != 0) {
		snprintf(err, errlen, "a kiosk key starts with \"%s\" (copy the line `motcua-sync key` printed)", KEY_PREFIX);
		return -1;
	}
	line += strlen(KEY_PREFIX);
	if (sodium_base642bin(pk, ENV_PK_BYTES, line, strlen(line), NULL, &len, &end, B64) != 0 || *end ||
	    len != ENV_PK_BYTES) {
		snprintf(err, errlen, "the kiosk key is damaged (not %d bytes of base64url)", ENV_PK_BYTES);
		return -1;
	}
	return 0;
}

int env_is_kiosk_id(const char *s)
{
	int i, n = 0;
	for (i = 0; i < 5; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	if (s[5] != '-' || s[6] < '1' || s[6] > '9') return 0;
	for (i = 6; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i > 8) return 0;
		n = n * 10 + (s[i] - '0');
	}
	return n >= 1 && n <= 999;
}
