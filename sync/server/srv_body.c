/* srv_body: console bodies as libmicrohttpd responses (see srv_body.h). */
#include "srv_body.h"

#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
	long (*read)(void *cls, char *buf, size_t max);
	void (*done)(void *cls);
	void *cls;
} pieces;

static ssize_t piece(void *cls, uint64_t pos, char *buf, size_t max)
{
	pieces *b = cls;
	long n = b->read(b->cls, buf, max);
	(void)pos;
	return n > 0 ? (ssize_t)n : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void pieces_done(void *cls)
{
	pieces *b = cls;
	b->done(b->cls);
	free(b);
}

struct MHD_Response *srv_body_response(const console_response *out, page_buf *buf, size_t *len)
{
	struct MHD_Response *resp;
	if (out->body_fd >= 0) {
		resp = MHD_create_response_from_fd((uint64_t)out->body_size, out->body_fd);
		if (!resp) close(out->body_fd);
		*len = (size_t)out->body_size;
		return resp;
	}
	if (out->read) {
		pieces *b = malloc(sizeof *b);
		resp = NULL;
		if (b) {
			b->read = out->read;
			b->done = out->done;
			b->cls = out->cls;
			resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, piece, b, pieces_done);
		}
		/* Without a response the callbacks never run: free now. */
		if (!resp) {
			out->done(out->cls);
			free(b);
		}
		*len = 0;
		return resp;
	}
	*len = buf->len;
	resp = MHD_create_response_from_buffer(buf->len, buf->data, MHD_RESPMEM_MUST_COPY);
	if (out->personal && buf->data) sodium_memzero(buf->data, buf->len);
	return resp;
}
