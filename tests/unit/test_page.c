/* Tests for page and ratelimit: what a citizen's phone is shown for a
 * receipt, and how often one address may ask.
 *
 * The page tests read the HTML and JSON as a browser or a client would:
 * everything from data escaped, the right language, the size cap held with
 * the longest notes the protocol allows, no field beyond the documented ones,
 * Vietnamese bytes exactly as given (NFC, nothing decomposed), Vietnam time
 * whatever the process's time zone. The limiter tests drive a fake clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "page.h"
#include "ratelimit.h"
#include "utf8.h"

#if defined(__SANITIZE_ADDRESS__)
/* From ASan's allocator interface (not every compiler ships its header). */
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_BYTES() __sanitizer_get_current_allocated_bytes()
#endif

/* NFC UTF-8 spelled out in bytes, so the test does not depend on how an
 * editor normalises this file. */
#define VI_TITLE "T\xc3\xacnh tr\xe1\xba\xa1ng h\xe1\xbb\x93 s\xc6\xa1"      /* Tình trạng hồ sơ */
#define VI_BIRTH "\xc4\x90\xc4\x83ng k\xc3\xbd khai sinh"                    /* Đăng ký khai sinh */
#define VI_NOTE "\xc3\x94ng/b\xc3\xa0 vui l\xc3\xb2ng b\xe1\xbb\x95 sung b\xe1\xba\xa3n sao gi\xe1\xba\xa5y " \
	"khai sinh c\xc3\xb3 ch\xe1\xbb\xa9ng th\xe1\xbb\xb1" "c"          /* Ông/bà vui lòng bổ sung ... */
#define VI_OVERDUE "H\xe1\xbb\x93 s\xc6\xa1 \xc4\x91\xc3\xa3 qu\xc3\xa1 h\xe1\xba\xa1n"   /* Hồ sơ đã quá hạn */
#define VI_UNKNOWN "Ch\xc6\xb0" "a c\xc3\xb3 th\xc3\xb4ng tin v\xe1\xbb\x81 h\xe1\xbb\x93 s\xc6\xa1 n\xc3\xa0y"
#define VI_NOT_FOUND "Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y m\xc3\xa3 n\xc3\xa0y"
#define VI_DUE "H\xe1\xba\xa1n gi\xe1\xba\xa3i quy\xe1\xba\xbft"                /* Hạn giải quyết */
#define VI_DUE_ACCEPT "H\xe1\xba\xa1n th\xe1\xbb\xa5 l\xc3\xbd"                 /* Hạn thụ lý */
#define OFFICE "UBND t\xe1\xbb\x89nh Qu\xe1\xba\xa3ng Tr\xe1\xbb\x8b"          /* UBND tỉnh Quảng Trị */

#define RECEIVED 1763778000LL   /* 2025-11-22 09:20 in Vietnam, 02:20 UTC */
#define NEW_YEAR 1767200400LL   /* 2025-12-31 17:00 UTC: 2026-01-01 00:00 in Vietnam */

static catalog cat;
static page_request req;

static page_context context(void)
{
	page_context ctx = { &cat, OFFICE, "Quang Tri Provincial People's Committee", "https://motcua.example.vn" };
	return ctx;
}

static void sample_request(page_request *r)
{
	memset(r, 0, sizeof *r);
	r->known = 1;
	strcpy(r->token, "7K3M9QX2C4PDU");
	strcpy(r->category, "procedure");
	strcpy(r->procedure, "birth_registration");
	r->received_at = RECEIVED;
	strcpy(r->deadline, "2025-11-24");
	strcpy(r->status, "supplement");
	r->nevents = 3;
	r->events[0].at = RECEIVED + 60;
	strcpy(r->events[0].status, "synced");
	r->events[1].at = RECEIVED + 86400;
	strcpy(r->events[1].status, "accepted");
	r->events[2].at = NEW_YEAR;
	strcpy(r->events[2].status, "supplement");
	strcpy(r->events[2].note, VI_NOTE);
	r->updated_at = NEW_YEAR;
}

static int setup(void **st)
{
	char err[256];
	(void)st;
	if (catalog_load("assets/catalog.json", &cat, err, sizeof err) != 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	sample_request(&req);
	return 0;
}

static char *render(const page_request *r, const char *language, page_buf *b)
{
	page_context ctx = context();
	b->len = 0;
	assert_int_equal(page_html(&ctx, r, language, b), 0);
	assert_true(b->len < PAGE_SIZE_MAX);
	assert_int_equal(strlen(b->data), b->len);
	assert_true(utf8_valid(b->data, b->len));
	return b->data;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
	return n;
}

/* ---- the page ---- */

static void test_escaping(void **st)
{
	page_request r;
	page_buf b = { 0 };
	const char *html;
	(void)st;
	sample_request(&r);
	strcpy(r.events[1].note, "<script>alert(\"x\")</script> & 'quoted' <b>");
	strcpy(r.category, "odd<i>\"cat\"");
	strcpy(r.procedure, "<proc>&");
	html = render(&r, NULL, &b);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<i>"));
	assert_null(strstr(html, "<proc>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &lt;b&gt;"));
	assert_non_null(strstr(html, "odd&lt;i&gt;&quot;cat&quot;"));
	assert_non_null(strstr(html, "&lt;proc&gt;&amp;"));
	/* No script and no external resource of any kind. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	page_buf_free(&b);
}

static void test_languages(void **st)
{
	page_buf b = { 0 };
	const char *html;
	(void)st;
	/* Vietnamese by default, and for anything that is not "en". */
	for (int i = 0; i < 3; i++) {
		html = render(&req, (const char *[]){ NULL, "vi", "fr" }[i], &b);
		assert_non_null(strstr(html, "<html lang=\"vi\">"));
		assert_non_null(strstr(html, "<meta name=\"viewport\""));
		assert_non_null(strstr(html, VI_TITLE));
		assert_non_null(strstr(html, VI_BIRTH));
		assert_non_null(strstr(html, VI_DUE));
		assert_non_null(strstr(html, "href=\"7K3M9QX2C4PDU?lang=en\""));
		assert_non_null(strstr(html, ">English</a>"));
		assert_non_null(strstr(html, "7K3M-9QX2-C4PDU"));
		assert_non_null(strstr(html, "22/11/2025 09:20"));
		assert_non_null(strstr(html, "24/11/2025"));
		/* The office's name in the status texts that mention it. */
		assert_non_null(strstr(html, "\xc4\x90\xc3\xa3 g\xe1\xbb\xad" "i l\xc3\xaan " OFFICE));
	}
	html = render(&req, "en", &b);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "Request status"));
	assert_non_null(strstr(html, "Birth registration"));
	assert_non_null(strstr(html, "More documents needed"));
	assert_non_null(strstr(html, "Sent to the Quang Tri Provincial People&#39;s Committee"));
	assert_non_null(strstr(html, "href=\"7K3M9QX2C4PDU\""));
	assert_non_null(strstr(html, ">Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t</a>"));
	assert_null(strstr(html, VI_TITLE));
	/* The note is the office's own words: shown as written. */
	assert_non_null(strstr(html, VI_NOTE));

	/* Complaints count an acceptance deadline. */
	page_request r = req;
	strcpy(r.category, "complaint");
	r.procedure[0] = '\0';
	html = render(&r, "vi", &b);
	assert_non_null(strstr(html, VI_DUE_ACCEPT));
	assert_null(strstr(html, VI_DUE));
	assert_non_null(strstr(render(&r, "en", &b), "Acceptance due by"));

	/* No English office name: a generic one, never the Vietnamese name. */
	page_context ctx = context();
	ctx.office_level_en = NULL;
	b.len = 0;
	assert_int_equal(page_html(&ctx, &req, "en", &b), 0);
	assert_non_null(strstr(b.data, "Sent to the provincial office"));
	/* No catalog: the ids stand in for the names. */
	ctx.cat = NULL;
	b.len = 0;
	assert_int_equal(page_html(&ctx, &req, "vi", &b), 0);
	assert_non_null(strstr(b.data, "birth_registration"));
	page_buf_free(&b);
}

static void test_statuses(void **st)
{
	static const char *const ids[] = { "received", "synced", "accepted", "in_progress", "supplement",
		"resolved", "rejected", "withdrawn" };
	page_buf b = { 0 };
	page_request r = req;
	(void)st;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		for (int l = 0; l < 2; l++) {
			strcpy(r.status, ids[i]);
			const char *html = render(&r, l ? "en" : "vi", &b);
			const char *line = strstr(html, "<strong>");
			assert_non_null(line);
			/* Said in words, never by the raw id or by colour alone. */
			assert_true(strncmp(line + 8, ids[i], strlen(ids[i])) != 0);
			assert_true(strncmp(line + 8, "</strong>", 9) != 0);
		}
	}
	strcpy(r.status, "<odd>");
	assert_non_null(strstr(render(&r, "vi", &b), "&lt;odd&gt;"));
	page_buf_free(&b);
}

static void test_overdue(void **st)
{
	page_buf b = { 0 };
	page_request r = req;
	const char *html;
	(void)st;
	html = render(&r, "vi", &b);
	assert_null(strstr(html, VI_OVERDUE));
	assert_null(strstr(html, "class=\"ov\""));
	r.overdue = 1;
	html = render(&r, "vi", &b);
	assert_non_null(strstr(html, VI_OVERDUE));
	assert_non_null(strstr(html, "xin l\xe1\xbb\x97i"));   /* the apology */
	assert_non_null(strstr(html, "(\xc4\x91\xc3\xa3 qu\xc3\xa1 h\xe1\xba\xa1n)"));
	html = render(&r, "en", &b);
	assert_non_null(strstr(html, "This request is overdue"));
	assert_non_null(strstr(html, "apologise"));
	assert_non_null(strstr(html, "(overdue)"));
	page_buf_free(&b);
}

/* A late request given a new date: the office's apology and "new
 * appointment" in both languages, overdue again only once that date has
 * passed (the caller decides); the date label after acceptance. */
static void test_appointment(void **st)
{
	page_buf b = { 0 };
	page_context ctx = context();
	page_request r = req;
	const char *html;
	json_t *root;
	(void)st;
	strcpy(r.deadline, "2025-11-24");
	strcpy(r.appointment, "2025-12-01");
	strcpy(r.apology, "Xin lỗi ông/bà <vì> hồ sơ bị chậm.");
	html = render(&r, "vi", &b);
	assert_non_null(strstr(html, "Hồ sơ bị chậm so với hạn"));
	assert_non_null(strstr(html, "Xin lỗi ông/bà &lt;vì&gt; hồ sơ bị chậm."));
	assert_non_null(strstr(html, "Ngày hẹn mới: <b>01/12/2025</b>"));
	assert_non_null(strstr(html, "24/11/2025"));
	assert_null(strstr(html, VI_OVERDUE));
	html = render(&r, "en", &b);
	assert_non_null(strstr(html, "This request is late"));
	assert_non_null(strstr(html, "New appointment: <b>01/12/2025</b>"));
	r.overdue = 1;
	html = render(&r, "en", &b);
	assert_non_null(strstr(html, "This request is overdue"));
	assert_non_null(strstr(html, "New appointment"));
	b.len = 0;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	root = json_loads(b.data, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "appointment")), "2025-12-01");
	assert_string_equal(json_string_value(json_object_get(root, "apology")), "Xin lỗi ông/bà <vì> hồ sơ bị chậm.");
	json_decref(root);
	/* None given: null. */
	r = req;
	b.len = 0;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	root = json_loads(b.data, 0, NULL);
	assert_true(json_is_null(json_object_get(root, "appointment")));
	assert_true(json_is_null(json_object_get(root, "apology")));
	json_decref(root);

	/* A complaint's date is the limit to accept until it is accepted. */
	strcpy(r.category, "complaint");
	r.procedure[0] = '\0';
	assert_non_null(strstr(render(&r, "vi", &b), VI_DUE_ACCEPT));
	r.accepted = 1;
	html = render(&r, "vi", &b);
	assert_non_null(strstr(html, VI_DUE));
	assert_null(strstr(html, VI_DUE_ACCEPT));
	/* Long apologies still fit the page's budget. */
	memset(r.apology, 'x', sizeof r.apology - 1);
	r.apology[sizeof r.apology - 1] = '\0';
	strcpy(r.appointment, "2025-12-01");
	b.len = 0;
	assert_int_equal(page_html(&ctx, &r, "vi", &b), 0);
	assert_true(b.len <= PAGE_SIZE_MAX);
	page_buf_free(&b);
}

static void test_unknown_token(void **st)
{
	page_request r;
	page_buf b = { 0 };
	const char *html;
	(void)st;
	memset(&r, 0, sizeof r);
	strcpy(r.token, "7K3M9QX2C4PDU");
	html = render(&r, NULL, &b);
	assert_non_null(strstr(html, "<html lang=\"vi\">"));
	assert_non_null(strstr(html, VI_UNKNOWN));
	assert_non_null(strstr(html, "qua \xc4\x91\xc3\xaam"));          /* overnight */
	assert_non_null(strstr(html, "gi\xe1\xbb\xaf gi\xe1\xba\xa5y h\xe1\xba\xb9n")); /* keep the receipt */
	assert_non_null(strstr(html, "7K3M-9QX2-C4PDU"));
	assert_non_null(strstr(html, "?lang=en"));
	assert_null(strstr(html, "<ol>"));
	html = render(&r, "en", &b);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "filed at a commune kiosk"));
	assert_non_null(strstr(html, "next sync, usually overnight"));
	assert_non_null(strstr(html, "keep your receipt"));
	page_buf_free(&b);
}

static void test_not_found(void **st)
{
	page_buf b = { 0 };
	(void)st;
	assert_int_equal(page_not_found(&b), 0);
	assert_true(b.len < PAGE_SIZE_MAX);
	assert_non_null(strstr(b.data, "<html lang=\"vi\">"));
	assert_non_null(strstr(b.data, VI_NOT_FOUND));
	assert_non_null(strstr(b.data, "lang=\"en\""));
	assert_non_null(strstr(b.data, "Code not found"));
	assert_non_null(strstr(b.data, "check the code printed on your receipt"));
	assert_non_null(strstr(b.data, "<meta name=\"viewport\""));
	assert_true(utf8_valid(b.data, b.len));
	page_buf_free(&b);
}

/* The longest notes the protocol lets through, made of the characters that
 * grow most when escaped, or of three-byte Vietnamese letters. */
static void test_size_cap(void **st)
{
	static const char *const fillers[] = { "\"", "&", "<", "a", "\xe1\xbb\x87", "'" };
	page_request *r = malloc(sizeof *r);
	page_buf b = { 0 };
	(void)st;
	assert_non_null(r);
	for (size_t f = 0; f < sizeof fillers / sizeof fillers[0]; f++) {
		size_t unit = strlen(fillers[f]);
		sample_request(r);
		r->overdue = 1;
		r->nevents = PAGE_MAX_EVENTS;
		for (int i = 0; i < PAGE_MAX_EVENTS; i++) {
			page_event *e = &r->events[i];
			size_t n = 0;
			e->at = RECEIVED + i * 3600;
			strcpy(e->status, "in_progress");
			while (n + unit <= sizeof e->note - 1) {
				memcpy(e->note + n, fillers[f], unit);
				n += unit;
			}
			e->note[n] = '\0';
			assert_true(n >= 2046);
			/* Mark the newest event so we can see it made it in. */
			if (i == PAGE_MAX_EVENTS - 1) memcpy(e->note, "NEWEST", 6);
		}
		for (int l = 0; l < 2; l++) {
			const char *html = render(r, l ? "en" : "vi", &b);
			int shown = count(html, "<li ");
			const char *omitted = strstr(html, "<p class=\"om\">");
			char expect[96];
			assert_true(b.len < PAGE_SIZE_MAX);
			assert_true(shown >= 1);
			assert_non_null(strstr(html, "NEWEST"));
			assert_non_null(omitted);
			snprintf(expect, sizeof expect, "<p class=\"om\">%s%d", l ? "" : "C\xc3\xb2n ", PAGE_MAX_EVENTS - shown);
			assert_non_null(strstr(html, expect));
			assert_true(strcmp(html + b.len - 7, "</html>") == 0);
		}
	}
	/* A field filled to the brim without its NUL is cut, not overrun. */
	sample_request(r);
	memset(r->events[2].note, 'x', sizeof r->events[2].note);
	memset(r->category, 'c', sizeof r->category);
	render(r, "vi", &b);
	free(r);
	page_buf_free(&b);
}

static void test_buffer_reuse(void **st)
{
	page_buf b = { 0 };
	page_context ctx = context();
	char *first;
	size_t len;
	(void)st;
	render(&req, "vi", &b);
	first = b.data;
	len = b.len;
	/* Appends after what is there; resetting len reuses the memory. */
	assert_int_equal(page_html(&ctx, &req, "vi", &b), 0);
	assert_int_equal(b.len, 2 * len);
	assert_memory_equal(b.data, b.data + len, len);
	b.len = 0;
	for (int i = 0; i < 100; i++) {
		b.len = 0;
		assert_int_equal(page_html(&ctx, &req, i % 2 ? "en" : "vi", &b), 0);
	}
	assert_ptr_equal(b.data, first);
	page_buf_free(&b);
	assert_null(b.data);
}

/* Every letter precomposed: no combining mark anywhere on the page, and the
 * citizen-facing texts as NFC bytes. */
static void test_nfc(void **st)
{
	page_buf b = { 0 };
	page_request r = req;
	(void)st;
	r.overdue = 1;
	for (int k = 0; k < 4; k++) {
		const char *html;
		size_t pos = 0;
		r.known = k < 2;
		html = render(&r, k % 2 ? "en" : "vi", &b);
		while (pos < b.len) {
			uint32_t cp = utf8_decode(html, b.len, &pos);
			assert_true(cp != UTF8_INVALID);
			assert_false(cp >= 0x300 && cp <= 0x36f);
		}
	}
	b.len = 0;
	assert_int_equal(page_not_found(&b), 0);
	for (size_t pos = 0; pos < b.len;) {
		uint32_t cp = utf8_decode(b.data, b.len, &pos);
		assert_false(cp >= 0x300 && cp <= 0x36f);
	}
	page_buf_free(&b);
}

/* Vietnam time is UTC+7 all year, whatever zone the server runs in. */
static void test_vietnam_time(void **st)
{
	page_buf b = { 0 };
	page_context ctx = context();
	(void)st;
	setenv("TZ", "EST5EDT", 1);
	tzset();
	const char *html = render(&req, "vi", &b);
	assert_non_null(strstr(html, "22/11/2025 09:20"));
	assert_non_null(strstr(html, "01/01/2026 00:00"));
	b.len = 0;
	assert_int_equal(page_json(&ctx, &req, &b), 0);
	assert_non_null(strstr(b.data, "\"2025-11-22T09:20:00+07:00\""));
	assert_non_null(strstr(b.data, "\"2026-01-01T00:00:00+07:00\""));
	setenv("TZ", "UTC", 1);
	tzset();
	page_buf_free(&b);
}

static void assert_only_keys(json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *value;
	assert_true(json_is_object(obj));
	json_object_foreach(obj, key, value) {
		int found = 0;
		(void)value;
		for (const char *const *k = keys; *k; k++) found |= strcmp(*k, key) == 0;
		if (!found) fprintf(stderr, "# unexpected field %s\n", key);
		assert_true(found);
	}
	for (const char *const *k = keys; *k; k++) assert_non_null(json_object_get(obj, *k));
}

static json_t *parse(const page_buf *b)
{
	json_error_t je;
	json_t *root = json_loadb(b->data, b->len, 0, &je);
	if (!root) fprintf(stderr, "# %s\n", je.text);
	assert_non_null(root);
	return root;
}

static void test_json(void **st)
{
	static const char *const top[] = { "token", "known", "category", "procedure", "received_at",
		"deadline", "status", "overdue", "updated_at", "events", "appointment", "apology", NULL };
	static const char *const named[] = { "id", "name", NULL };
	static const char *const event[] = { "at", "status", "note", NULL };
	page_context ctx = context();
	page_buf b = { 0 };
	page_request r = req;
	json_t *root, *events;
	(void)st;
	strcpy(r.events[1].note, "<b>\"q\"</b>\n&");
	r.overdue = 1;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	assert_int_equal(strlen(b.data), b.len);
	root = parse(&b);
	assert_only_keys(root, top);
	assert_only_keys(json_object_get(root, "category"), named);
	assert_only_keys(json_object_get(root, "procedure"), named);
	assert_string_equal(json_string_value(json_object_get(root, "token")), "7K3M9QX2C4PDU");
	assert_true(json_is_true(json_object_get(root, "known")));
	assert_true(json_is_true(json_object_get(root, "overdue")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "category"), "id")), "procedure");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "procedure"), "id")),
		"birth_registration");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "procedure"), "name")), VI_BIRTH);
	assert_string_equal(json_string_value(json_object_get(root, "received_at")), "2025-11-22T09:20:00+07:00");
	assert_string_equal(json_string_value(json_object_get(root, "deadline")), "2025-11-24");
	assert_string_equal(json_string_value(json_object_get(root, "status")), "supplement");
	assert_string_equal(json_string_value(json_object_get(root, "updated_at")), "2026-01-01T00:00:00+07:00");
	events = json_object_get(root, "events");
	assert_int_equal(json_array_size(events), 3);
	for (size_t i = 0; i < 3; i++) assert_only_keys(json_array_get(events, i), event);
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "status")), "synced");
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 1), "note")), "<b>\"q\"</b>\n&");
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 2), "note")), VI_NOTE);
	json_decref(root);

	/* No procedure: null. */
	strcpy(r.category, "petition");
	r.procedure[0] = '\0';
	b.len = 0;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	root = parse(&b);
	assert_true(json_is_null(json_object_get(root, "procedure")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "category"), "name")),
		"Ki\xe1\xba\xbfn ngh\xe1\xbb\x8b");
	json_decref(root);

	/* Unknown token: the same fields, empty. */
	memset(&r, 0, sizeof r);
	strcpy(r.token, "7K3M9QX2C4PDU");
	b.len = 0;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	root = parse(&b);
	assert_only_keys(root, top);
	assert_true(json_is_false(json_object_get(root, "known")));
	assert_true(json_is_false(json_object_get(root, "overdue")));
	assert_true(json_is_null(json_object_get(root, "category")));
	assert_true(json_is_null(json_object_get(root, "status")));
	assert_int_equal(json_array_size(json_object_get(root, "events")), 0);
	json_decref(root);

	/* Text that is not UTF-8 cannot be sent as JSON: null, not a failure. */
	r = req;
	strcpy(r.events[0].note, "bad \xff byte");
	b.len = 0;
	assert_int_equal(page_json(&ctx, &r, &b), 0);
	root = parse(&b);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(root, "events"), 0), "note")));
	json_decref(root);
	page_buf_free(&b);
}

/* ---- the rate limiter ---- */

static struct sockaddr_in v4(const char *text)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &a.sin_addr), 1);
	return a;
}

static struct sockaddr_in6 v6(const char *text)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
	return a;
}

#define SA(a) ((const struct sockaddr *)(const void *)&(a))

static void test_rate_burst_refill(void **st)
{
	ratelimit *rl = ratelimit_new(60, 10);   /* one a second, ten at once */
	struct sockaddr_in a = v4("192.0.2.1");
	int retry = -1;
	(void)st;
	assert_non_null(rl);
	for (int i = 0; i < 10; i++) assert_int_equal(ratelimit_allow(rl, SA(a), 1, 1000, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 1000, &retry), 0);
	assert_int_equal(retry, 1);
	/* Refused requests spend nothing: still one second to wait. */
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 1500, &retry), 0);
	assert_int_equal(retry, 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 1999, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 2000, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 2000, &retry), 0);
	/* A costly lookup waits longer. */
	assert_int_equal(ratelimit_allow(rl, SA(a), 5, 2000, &retry), 0);
	assert_int_equal(retry, 5);
	assert_int_equal(ratelimit_allow(rl, SA(a), 5, 6999, &retry), 0);
	assert_int_equal(retry, 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 5, 7000, &retry), 1);
	/* Refill stops at the burst. */
	for (int i = 0; i < 10; i++) assert_int_equal(ratelimit_allow(rl, SA(a), 1, 3600000, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 3600000, &retry), 0);
	/* A clock that steps back refills nothing. */
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 1000, &retry), 0);
	/* A cost above the burst counts as the whole burst, so it can pass. */
	assert_int_equal(ratelimit_allow(rl, SA(a), 100, 3610000, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 100, 3610000, &retry), 0);
	assert_int_equal(retry, 10);
	ratelimit_free(rl);

	/* A slow rate: retry_after counts whole seconds, rounded up. */
	rl = ratelimit_new(7, 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 0, &retry), 0);
	assert_int_equal(retry, 9);   /* 60/7 = 8.57 s */
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 8571, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 8572, &retry), 1);
	ratelimit_free(rl);
}

static void test_rate_addresses(void **st)
{
	ratelimit *rl = ratelimit_new(60, 2);
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in6 c = v6("2001:db8:1:2::1"), c2 = v6("2001:db8:1:2:ffff:ffff:ffff:5"),
		d = v6("2001:db8:1:3::1"), mapped = v6("::ffff:192.0.2.1"), mapped2 = v6("::ffff:192.0.2.9");
	struct sockaddr other = { .sa_family = AF_UNIX };
	int retry;
	(void)st;
	/* Addresses are independent. */
	for (int i = 0; i < 2; i++) assert_int_equal(ratelimit_allow(rl, SA(a), 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(a), 1, 0, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(b), 1, 0, &retry), 1);
	/* An IPv4 client seen through a dual-stack socket is the same client,
	 * and other IPv4 clients are not in its /64. */
	assert_int_equal(ratelimit_allow(rl, SA(mapped), 1, 0, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(mapped2), 1, 0, &retry), 1);
	/* One IPv6 /64 is one bucket; the next /64 is another. */
	assert_int_equal(ratelimit_allow(rl, SA(c), 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(c2), 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, SA(c), 1, 0, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(c2), 1, 0, &retry), 0);
	assert_int_equal(ratelimit_allow(rl, SA(d), 1, 0, &retry), 1);
	/* Other families share one bucket; a NULL address too. */
	assert_int_equal(ratelimit_allow(rl, &other, 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, NULL, 1, 0, &retry), 1);
	assert_int_equal(ratelimit_allow(rl, &other, 1, 0, &retry), 0);
	ratelimit_free(rl);
}

static void test_rate_off(void **st)
{
	ratelimit *rl = ratelimit_new(0, 0);
	struct sockaddr_in a = v4("192.0.2.1");
	int retry = 0;
	(void)st;
	assert_non_null(rl);
	for (int i = 0; i < 100000; i++) assert_int_equal(ratelimit_allow(rl, SA(a), 5, 0, &retry), 1);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

/* A flood of fresh addresses neither grows the table nor frees a repeat
 * offender from its limit. */
static void test_rate_flood(void **st)
{
	ratelimit *rl = ratelimit_new(60, 10);
	struct sockaddr_in offender = v4("198.51.100.7");
	struct sockaddr_in6 fresh = v6("2001:db8::");
	long long allowed = 0;
	uint32_t next = 0;
	int retry;
#ifdef HEAP_BYTES
	size_t heap_before = HEAP_BYTES();
#endif
	(void)st;
	/* 30 s: 20 new /64s every millisecond (600,000 in all), the offender
	 * asking every 50 ms at twenty times its rate. */
	for (long long now = 0; now < 30000; now++) {
		for (int k = 0; k < 20; k++, next++) {
			memcpy(&fresh.sin6_addr.s6_addr[4], &next, sizeof next);
			ratelimit_allow(rl, SA(fresh), 1, now, &retry);
		}
		if (now % 50 == 0) allowed += ratelimit_allow(rl, SA(offender), 1, now, &retry);
	}
	/* The burst, then one a second. */
	assert_true(allowed >= 10 + 29);
	printf("# offender allowed %lld of 600 asks in 30 s\n", allowed);
	assert_true(allowed <= 10 + 31);
#ifdef HEAP_BYTES
	assert_true(HEAP_BYTES() <= heap_before + 4096);
#endif
	ratelimit_free(rl);
}

typedef struct {
	ratelimit *rl;
	int allowed;
} rate_thread;

static void *hammer(void *arg)
{
	rate_thread *t = arg;
	struct sockaddr_in a = v4("192.0.2.1"), mine = v4("198.18.0.0");
	int retry;
	for (int i = 0; i < 20000; i++) {
		t->allowed += ratelimit_allow(t->rl, SA(a), 1, 0, &retry);
		mine.sin_addr.s_addr = htonl(0xc6120000u + (uint32_t)(i % 250));   /* 198.18.0.x */
		ratelimit_allow(t->rl, SA(mine), 1, 0, &retry);
	}
	return NULL;
}

/* Threads sharing one address get exactly the burst between them. */
static void test_rate_threads(void **st)
{
	rate_thread t[4];
	pthread_t th[4];
	int total = 0;
	ratelimit *rl = ratelimit_new(60, 5000);
	(void)st;
	for (int i = 0; i < 4; i++) {
		t[i].rl = rl;
		t[i].allowed = 0;
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &t[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		total += t[i].allowed;
	}
	assert_int_equal(total, 5000);
	ratelimit_free(rl);
}

/* The store gives facts; the page decides what they mean today: overdue
 * once the deadline in force has passed in Vietnam time, not when closed,
 * not before a later appointment; an unknown token leaves nothing behind. */
static void test_view_from_facts(void **st)
{
	static srv_db_facts facts;
	static page_request view;
	page_context ctx = context();
	page_buf b = { 0 };
	long long morning = fx_vn_time(2025, 12, 6, 0, 30);   /* still the 5th in UTC */
	(void)st;
	memset(&facts, 0, sizeof facts);
	strcpy(facts.token, "ABCDEFGHJKMNP");
	strcpy(facts.category, "land");
	strcpy(facts.due, "2025-12-05");
	strcpy(facts.status, "accepted");
	facts.accepted = 1;
	facts.nevents = 1;
	strcpy(facts.events[0].status, "accepted");
	strcpy(facts.events[0].note, "Đã thụ lý.");
	page_view(&view, facts.token, &facts, fx_vn_time(2025, 12, 5, 23, 59));
	assert_true(view.known);
	assert_false(view.overdue);
	assert_string_equal(view.deadline, "2025-12-05");
	assert_int_equal(view.nevents, 1);
	assert_string_equal(view.events[0].note, "Đã thụ lý.");
	page_view(&view, facts.token, &facts, morning);
	assert_true(view.overdue);
	assert_int_equal(page_html(&ctx, &view, "en", &b), 0);
	assert_non_null(strstr(b.data, "This request is overdue"));
	facts.closed = 1;
	strcpy(facts.status, "resolved");
	page_view(&view, facts.token, &facts, morning);
	assert_false(view.overdue);
	facts.closed = 0;
	strcpy(facts.status, "accepted");
	strcpy(facts.appointment, "2025-12-10");
	page_view(&view, facts.token, &facts, morning);
	assert_false(view.overdue);
	assert_string_equal(view.appointment, "2025-12-10");
	page_view(&view, "0000000000000", NULL, morning);
	assert_false(view.known);
	assert_false(view.overdue);
	assert_int_equal(view.nevents, 0);
	assert_string_equal(view.category, "");
	assert_string_equal(view.token, "0000000000000");
	page_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_appointment),
		cmocka_unit_test(test_unknown_token),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_buffer_reuse),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_vietnam_time),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_view_from_facts),
		cmocka_unit_test(test_rate_burst_refill),
		cmocka_unit_test(test_rate_addresses),
		cmocka_unit_test(test_rate_off),
		cmocka_unit_test(test_rate_flood),
		cmocka_unit_test(test_rate_threads),
	};
	setenv("TZ", "UTC", 1);
	if (fx_words() != 0) return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
