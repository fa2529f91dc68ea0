/* office_display: the hall display (see office_display.h). */
#include "office_display.h"
#include <microhttpd.h>

static void get_display(office_req *r)
{
	office_buf *b = office_req_body(r);
	office_http_page_start(b, office_req_lang(r), "display", 0);
	office_http_page_end(b);
	office_req_reply(r, MHD_HTTP_OK, "text/html; charset=utf-8");
}

const office_route office_display_routes[] = {
	{ "GET", "/display", 0, get_display },
	{ NULL, NULL, 0, NULL },
};
