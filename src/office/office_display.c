/* office_display: the hall display (see office_display.h).
 *
 * The page is one HTML file with a small script: it opens
 * /display/events (server-sent events) and draws each state it receives;
 * the newest call is shown very large, the ones before it below, each
 * counter's latest number along the side. The service sends the state when
 * it changes (a counter's call wakes the stream at once; a ticket taken at
 * the kiosk, another process, is seen within a second because the stream
 * looks at the store every second) and at least every 2 seconds, so the
 * page knows it is stale when nothing came for 5. A new call plays the
 * chime, then /display/voice.wav?call=ID. */
#include "office_display.h"
#include "office.h"
#include "office_voice.h"
#include "office_words.h"
#include "log.h"
#include "queue.h"
#include "vntime.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECENT 8
#define HEARTBEAT_S 2

#define T(r, w) office_words_text(office_req_lang(r), OW_##w)

static const char *field_name(const catalog *c, const char *id, lang l, const char **prefix)
{
	const catalog_queue_field *q = catalog_queue_field_by_id(c, id);
	*prefix = q ? q->prefix : "";
	return q ? q->name[l] : id;
}

/* The state the page draws, as JSON: the day's newest calls and how many
 * wait. 0, or -1 when the store cannot be read. */
static int state_json(office *o, lang l, office_buf *b)
{
	queue_call calls[RECENT];
	char day[11], label[16], clock[8];
	const char *prefix, *name;
	int n, waiting, i;
	db *d;
	office_today(day);
	vntime_format((long long)time(NULL), "%H:%M", clock, sizeof clock);   /* the TV's own clock may be any zone */
	d = office_db_hold(o);
	n = queue_calls(d, day, 0, calls, RECENT);
	waiting = queue_waiting(d, day, NULL);
	office_db_release(o);
	if (n < 0 || waiting < 0) return -1;
	office_buf_printf(b, "{\"day\":\"%s\",\"time\":\"%s\",\"waiting\":%d,\"calls\":[", day, clock, waiting);
	for (i = 0; i < n; i++) {
		name = field_name(office_catalog(o), calls[i].ticket.field, l, &prefix);
		queue_label(prefix, calls[i].ticket.number, label, sizeof label);
		office_buf_printf(b, "%s{\"id\":%lld,\"label\":\"", i ? "," : "", calls[i].id);
		office_buf_json(b, label);
		office_buf_printf(b, "\",\"counter\":%d,\"recall\":%d,\"priority\":%d,\"field\":\"", calls[i].counter,
			calls[i].recall, calls[i].ticket.priority);
		office_buf_json(b, name);
		office_buf_puts(b, "\"}");
	}
	office_buf_puts(b, "]}");
	return b->failed ? -1 : 0;
}

/* ---- the stream ---- */

typedef struct {
	office *o;
	lang l;
	unsigned long generation;
	int started;
	time_t last_sent;
	office_buf last;
	office_buf now;
} stream;

static long stream_read(void *ctx, char *buf, size_t max)
{
	stream *s = ctx;
	size_t n;
	if (!s->started) {
		s->started = 1;
		n = (size_t)snprintf(buf, max, "retry: 1000\n\n");
		return (long)n;
	}
	s->generation = office_wait_change(s->o, s->generation, 1000);
	if (office_stopped(s->o)) return -1;
	s->now.len = 0;
	if (state_json(s->o, s->l, &s->now) != 0) {
		/* The page's heartbeat stops: it shows stale, which is true. */
		log_warn("the hall display cannot read the store");
		return (long)snprintf(buf, max, ": store\n\n");   /* a comment: written, so a gone page is noticed */
	}
	if (s->last.len == s->now.len && memcmp(s->last.data, s->now.data, s->now.len) == 0 &&
	    time(NULL) - s->last_sent < HEARTBEAT_S)
		return 0;
	if (s->now.len + 16 > max) return -1;    /* cannot happen: RECENT calls are small */
	n = (size_t)snprintf(buf, max, "data: %s\n\n", s->now.data);
	s->last.len = 0;
	office_buf_add(&s->last, s->now.data, s->now.len);
	s->last_sent = time(NULL);
	return (long)n;
}

static void stream_done(void *ctx)
{
	stream *s = ctx;
	free(s->last.data);
	free(s->now.data);
	free(s);
}

static void get_events(office_req *r)
{
	stream *s = calloc(1, sizeof *s);
	if (!s) {
		office_buf_puts(office_req_body(r), "out of memory\n");
		office_req_reply(r, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8");
		return;
	}
	s->o = office_req_office(r);
	s->l = office_req_lang(r);
	s->generation = (unsigned long)-1;      /* the first wait returns at once */
	office_req_stream(r, stream_read, stream_done, s);
}

static void get_state(office_req *r)
{
	if (state_json(office_req_office(r), office_req_lang(r), office_req_body(r)) != 0) {
		office_req_body(r)->len = 0;
		office_buf_puts(office_req_body(r), "{\"error\":\"store\"}");
		office_req_reply(r, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json");
		return;
	}
	office_req_reply(r, MHD_HTTP_OK, "application/json");
}

/* ---- sounds ---- */

static void get_chime(office_req *r)
{
	const unsigned char *wav;
	size_t len;
	office_voice_chime(&wav, &len);
	office_req_bytes(r, MHD_HTTP_OK, "audio/wav", wav, len);
}

static void get_voice(office_req *r)
{
	office *o = office_req_office(r);
	const char *id = office_req_param(r, "call"), *prefix;
	char label[16], spelt[40], text[256], err[256];
	unsigned char *wav;
	size_t len;
	queue_call c;
	int rc;
	lang l = office_req_lang(r);
	rc = id ? queue_call_get(office_db_hold(o), strtoll(id, NULL, 10), &c) : 0;
	if (id) office_db_release(o);
	if (rc != 1) {
		office_buf_puts(office_req_body(r), "no such call\n");
		office_req_reply(r, rc < 0 ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8");
		return;
	}
	field_name(office_catalog(o), c.ticket.field, l, &prefix);
	queue_label("", c.ticket.number, label, sizeof label);
	office_voice_spell(label, spelt, sizeof spelt);
	office_words_format(text, sizeof text, l, OW_VOICE_CALL, prefix, spelt, c.counter);
	if (office_voice_speak(l == LANG_EN ? "en" : office_config(o)->office_voice, text, &wav, &len, err, sizeof err) != 0) {
		log_error("the call cannot be spoken: %s", err);
		office_buf_puts(office_req_body(r), "the call cannot be spoken\n");
		office_req_reply(r, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8");
		return;
	}
	office_req_bytes(r, MHD_HTTP_OK, "audio/wav", wav, len);
	free(wav);
}

/* ---- the page ---- */

static const char display_style[] =
	"html,body{height:100%;margin:0;background:#0d1b2a;color:#fff;font-family:'Noto Sans',DejaVu Sans,sans-serif;overflow:hidden}"
	"#top{display:flex;justify-content:space-between;align-items:center;padding:1vh 3vw;background:#1b263b;font-size:4vh}"
	"#stale{display:none;background:#b00020;color:#fff;font-size:5vh;text-align:center;padding:1vh}"
	"body.stale #stale{display:block}body.stale #latest{opacity:.45}"
	"#latest{text-align:center;padding:3vh 0}#latest .label{font-size:26vh;font-weight:bold;line-height:1;color:#ffd166}"
	"#latest .to{font-size:11vh;font-weight:bold}#latest .field{font-size:5vh;color:#cfd8e3}"
	"#recent{display:flex;flex-wrap:wrap;justify-content:center;gap:2vw;padding:0 3vw}"
	"#recent div{background:#1b263b;border-radius:1vh;padding:1.5vh 2.5vw;font-size:7vh;font-weight:bold}"
	"#recent span{color:#ffd166}#sound{position:fixed;bottom:2vh;right:2vw;font-size:3vh;padding:1vh 2vw}";

static const char display_script[] =
	"var W=JSON.parse(document.getElementById('words').textContent),last=null,heard=0,queue=[],busy=false;"
	"function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e}"
	"function draw(s){var L=document.getElementById('latest'),R=document.getElementById('recent');"
	"L.textContent='';R.textContent='';document.getElementById('waiting').textContent=s.waiting;"
	"document.getElementById('clock').textContent=s.time;"
	"if(s.calls.length){var c=s.calls[0];L.appendChild(el('div','label',c.label));"
	"L.appendChild(el('div','to',W.to+' '+c.counter));L.appendChild(el('div','field',c.field));}"
	"var seen={};s.calls.forEach(function(c,i){if(i==0||seen[c.label+'/'+c.counter])return;seen[c.label+'/'+c.counter]=1;"
	"var d=el('div','call');d.appendChild(el('span','',c.label));d.appendChild(document.createTextNode(' \\u2192 '+W.to+' '+c.counter));R.appendChild(d)});"
	"document.body.dataset.calls=s.calls.map(function(c){return c.label+'@'+c.counter}).join(',');"
	"if(last!==null){s.calls.slice().reverse().forEach(function(c){if(c.id>heard)queue.push(c.id)})}"
	"if(s.calls.length&&s.calls[0].id>heard)heard=s.calls[0].id;last=s;play()}"
	"function play(){if(busy||!queue.length)return;busy=true;var id=queue.shift(),a=new Audio('/display/chime.wav');"
	"a.onended=function(){var v=new Audio('/display/voice.wav?lang='+W.lang+'&call='+id);v.onended=v.onerror=function(){busy=false;play()};"
	"v.play().catch(function(){busy=false;sound(true)})};a.onerror=function(){busy=false;play()};"
	"a.play().then(function(){document.body.dataset.played=(+(document.body.dataset.played||0)+1)}).catch(function(){busy=false;sound(true)})}"
	"function sound(on){document.getElementById('sound').style.display=on?'block':'none'}"
	"var beat=Date.now();function stale(v){document.body.classList.toggle('stale',v)}"
	"setInterval(function(){if(Date.now()-beat>5000)stale(true)},1000);"
	"var es=new EventSource('/display/events?lang='+W.lang);"
	"es.onmessage=function(e){beat=Date.now();stale(false);draw(JSON.parse(e.data))};"
	"es.onerror=function(){stale(true)};"
	"document.getElementById('sound').onclick=function(){sound(false);play()};";

static void get_display(office_req *r)
{
	office_buf *b = office_req_body(r);
	lang l = office_req_lang(r);
	office_buf_printf(b, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>%s</style></head><body>",
		l == LANG_EN ? "en" : "vi", T(r, DISPLAY_TITLE), display_style);
	office_buf_puts(b, "<div id=\"top\"><span>");
	office_buf_esc(b, office_config(office_req_office(r))->commune_name);
	office_buf_printf(b, "</span><span>%s: <b id=\"waiting\">0</b></span><span id=\"clock\"></span></div>"
		"<div id=\"stale\">%s</div><div id=\"latest\"></div><div id=\"recent\"></div>"
		"<button id=\"sound\" style=\"display:none\">%s</button>", T(r, DISPLAY_WAITING), T(r, DISPLAY_STALE),
		T(r, DISPLAY_SOUND));
	office_buf_printf(b, "<script type=\"application/json\" id=\"words\">{\"to\":\"");
	office_buf_json(b, T(r, DISPLAY_TO));
	office_buf_printf(b, "\",\"lang\":\"%s\"}</script><script>%s</script></body></html>", l == LANG_EN ? "en" : "vi",
		display_script);
	office_req_reply(r, MHD_HTTP_OK, "text/html; charset=utf-8");
}

static void get_root(office_req *r)
{
	office_buf *b = office_req_body(r);
	office_http_page_start(b, office_req_lang(r), T(r, SITE), 0);
	office_buf_printf(b, "<header>%s</header><main><p><a href=\"/counter\">%s</a></p><p><a href=\"/display\">%s</a></p>"
		"</main>", T(r, SITE), T(r, SIGN_IN), T(r, DISPLAY_TITLE));
	office_http_page_end(b);
	office_req_reply(r, MHD_HTTP_OK, "text/html; charset=utf-8");
}

const office_route office_display_routes[] = {
	{ "GET", "/", 0, get_root },
	{ "GET", "/display", 0, get_display },
	{ "GET", "/display/events", 0, get_events },
	{ "GET", "/display/state", 0, get_state },
	{ "GET", "/display/chime.wav", 0, get_chime },
	{ "GET", "/display/voice.wav", 0, get_voice },
	{ NULL, NULL, 0, NULL },
};
