/* srv_body: a console answer's body as a libmicrohttpd response: the page
 * in the thread's buffer (copied, then wiped when it held an identity), an
 * open file sent whole (a workbook), or pieces the console writes when
 * libmicrohttpd asks for them (a CSV export), whose state the response then
 * owns and frees. */
#ifndef MOTCUA_SRV_BODY_H
#define MOTCUA_SRV_BODY_H

#include <stddef.h>
#include <microhttpd.h>
#include "console.h"

/* The response for out (NULL when it cannot be made: anything out handed
 * over is closed or freed); *len is the bytes for the request log. */
struct MHD_Response *srv_body_response(const console_response *out, page_buf *buf, size_t *len);

#endif
