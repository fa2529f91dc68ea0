/* libFuzzer target: whatever arrives over HTTP or on a USB stick goes
 * through env_parse and then, whoever signed it, the push or reply decoder.
 * Both must refuse anything malformed without a crash, a leak or undefined
 * behaviour. The signature check is skipped on purpose: a fuzzer cannot
 * forge one, and the decoders must be safe even behind a stolen key. */
#include <stddef.h>
#include <stdint.h>
#include "envelope.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	envelope e;
	proto_push push;
	proto_reply reply;
	char err[256];
	if (env_parse((const char *)data, size, &e, err, sizeof err) == 0) {
		proto_decode_push(e.payload, e.payload_len, &push, err, sizeof err);
		proto_free_push(&push);
		proto_decode_reply(e.payload, e.payload_len, &reply, err, sizeof err);
		proto_free_reply(&reply);
		env_free(&e);
	}
	/* The payload decoders also see raw bytes, as a bundle cut short would. */
	proto_decode_push((const char *)data, size, &push, err, sizeof err);
	proto_free_push(&push);
	proto_decode_reply((const char *)data, size, &reply, err, sizeof err);
	proto_free_reply(&reply);
	return 0;
}
