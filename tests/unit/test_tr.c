/* Tests for tr, the translation files' loader: a good pair of files reads
 * back exactly (escapes, strings continued on the next lines, comments,
 * the header); every way a file can be wrong is refused with the file,
 * the line and the key (a bad escape, an unterminated string, an empty or
 * missing msgstr, a key twice, a key in one language only, conversions
 * that differ from Vietnamese, plural forms); tr_resolve refuses keys the
 * code needs and the files lack, or texts whose conversions are not the
 * code's. Then the project's own files: the kiosk's and the server's
 * every id resolves in both languages, and no key in the files is one no
 * program asks for. Last, html_fill, which writes a text's conversions
 * from data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "html.h"
#include "office_words.h"
#include "i18n.h"
#include "tr.h"
#include "words.h"

static const char *const names[TR_LANGS] = { "vi.po", "en.po" };

#define HEADER "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"

static const char good_vi[] =
	"# a comment\n"
	HEADER
	"#. for the translator\n"
	"msgid \"a.plain\"\n"
	"msgstr \"Xin ch\xc3\xa0o\"\n"
	"\n"
	"msgid \"a.escapes\"\n"
	"msgstr \"line\\none \\\"quoted\\\" \\\\ tab\\tend\"\n"
	"\n"
	"msgid \"a.format\"\n"
	"msgstr \"%d ng\xc3\xa0y, %s: %lld%%\"\n"
	"\n"
	"msgid \"a.long\"\n"
	"msgstr \"\"\n"
	"\"first part, \"\n"
	"   \"second part\"\n";

static const char good_en[] =
	HEADER
	"msgid \"a.long\"\n"
	"msgstr \"one \" \n"
	"\"two\"\r\n"
	"msgid \"a.format\"\n"
	"msgstr \"%02d days, %s: %lld%%\"\n"
	"msgid \"a.plain\"\n"
	"msgstr \"Hello\"\n"
	"msgid \"a.escapes\"\n"
	"msgstr \"x\"\n";

static tr_set *load(const char *vi, const char *en, char *err, size_t errlen)
{
	const char *texts[TR_LANGS] = { vi, en };
	err[0] = '\0';
	return tr_load_texts(texts, names, err, errlen);
}

/* The load fails and its message holds want. */
static void refused(const char *vi, const char *en, const char *want)
{
	char err[600];
	tr_set *s = load(vi, en, err, sizeof err);
	if (s) tr_free(s);
	assert_null(s);
	if (!strstr(err, want)) fail_msg("expected \"%s\" in: %s", want, err);
}

static void test_good(void **state)
{
	char err[600];
	tr_set *s = load(good_vi, good_en, err, sizeof err);
	(void)state;
	if (!s) fail_msg("%s", err);
	assert_int_equal(tr_count(s), 4);
	assert_string_equal(tr_key_at(s, 0), "a.escapes");
	assert_string_equal(tr_get(s, LANG_VI, "a.plain"), "Xin ch\xc3\xa0o");
	assert_string_equal(tr_get(s, LANG_EN, "a.plain"), "Hello");
	assert_string_equal(tr_get(s, LANG_VI, "a.escapes"), "line\none \"quoted\" \\ tab\tend");
	assert_string_equal(tr_get(s, LANG_VI, "a.long"), "first part, second part");
	assert_string_equal(tr_get(s, LANG_EN, "a.long"), "one two");
	assert_string_equal(tr_get(s, LANG_EN, "a.format"), "%02d days, %s: %lld%%");
	assert_null(tr_get(s, LANG_EN, "a.none"));
	assert_null(tr_get(s, LANG_EN, ""));
	assert_string_equal(tr_file(s, LANG_EN), "en.po");
	assert_int_equal(tr_line(s, LANG_VI, "a.long"), 16);
	assert_int_equal(tr_line(s, LANG_EN, "a.long"), 5);
	assert_int_equal(tr_line(s, LANG_EN, "a.none"), 0);
	tr_free(s);
}

static void test_malformed(void **state)
{
	(void)state;
	refused("msgid \"k\"\nmsgstr \"bad \\q escape\"\n", good_en, "vi.po:2: bad escape \\q");
	refused("msgid \"k\"\nmsgstr \"\\x41\"\n", good_en, "vi.po:2: bad escape \\x");
	refused("\n\nmsgid \"k\"\nmsgstr \"no end\n", good_en, "vi.po:4: the string has no closing quote");
	refused("msgid \"k\"\nmsgstr \"x\" y\n", good_en, "vi.po:2: text after the closing quote");
	refused("msgid \"k\"\n\n# nothing\n", good_en, "vi.po:1: msgid \"k\": no msgstr follows");
	refused("msgid \"k\"\nmsgid \"j\"\nmsgstr \"x\"\n", good_en, "vi.po:1: msgid \"k\": no msgstr follows");
	refused("msgstr \"x\"\n", good_en, "vi.po:1: msgstr without its msgid");
	refused("msgid \"k\"\nmsgstr \"x\"\nmsgstr \"y\"\n", good_en, "vi.po:3: msgstr without its msgid");
	refused("\"x\"\n", good_en, "vi.po:1: a string that belongs to no msgid");
	refused("msgid \"k\"\nmsgstr \"\"\n", good_en, "vi.po:1: msgid \"k\": the msgstr is empty");
	refused("msgid \"k\"\nmsgstr \"x\"\n\nmsgid \"k\"\nmsgstr \"y\"\n", good_en,
		"vi.po:4: msgid \"k\": a second time (first on line 1)");
	refused("msgctxt \"c\"\nmsgid \"k\"\nmsgstr \"x\"\n", good_en, "vi.po:1: contexts and plural forms");
	refused("msgid \"k\"\nmsgid_plural \"ks\"\nmsgstr[0] \"x\"\n", good_en, "vi.po:2: contexts and plural forms");
	refused("msgid \"k\"\nmsgstr \"x\"\nwhat\n", good_en, "vi.po:3: expected msgid, msgstr");
	refused("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n", good_en,
		"vi.po:1: the header names a charset other than UTF-8");
	refused("msgid \"k\"\nmsgstr \"\xc3\x28\"\n", good_en, "vi.po:1: msgid \"k\": not UTF-8 text");
	refused("# only a comment\n", good_en, "vi.po: no msgid in the file");
	refused(good_vi, "msgid \"a.plain\"\nmsgstr \"50%!\"\n", "en.po:1: msgid \"a.plain\": a % that starts no conversion");
	refused(good_vi, "msgid \"a.plain\"\nmsgstr \"%n\"\n", "en.po:1: msgid \"a.plain\": %n is not allowed");
	refused(good_vi, "msgid \"a.plain\"\nmsgstr \"%1$s\"\n", "en.po:1: msgid \"a.plain\": numbered or starred");
	refused(good_vi, "msgid \"a.plain\"\nmsgstr \"%*d\"\n", "numbered or starred");
}

static void test_languages_agree(void **state)
{
	char en[sizeof good_en + 100];
	(void)state;
	/* A key missing in one language, named with where the other has it. */
	refused(good_vi, "msgid \"a.plain\"\nmsgstr \"Hello\"\n", "en.po: msgid \"a.escapes\" is missing (vi.po:10 has it)");
	/* A key only English has. */
	snprintf(en, sizeof en, "%smsgid \"a.extra\"\nmsgstr \"x\"\n", good_en);
	refused(good_vi, en, "en.po:14: msgid \"a.extra\" is not in vi.po");
	/* Conversions that differ in type, in number or in order. */
	snprintf(en, sizeof en, "%s", good_en);
	memcpy(strstr(en, "%02d days, %s"), "%02s days, %d", 13);
	refused(good_vi, en, "en.po:8: msgid \"a.format\": its conversions (%d, %s ...) differ from those of vi.po:13");
	snprintf(en, sizeof en, "%s", good_en);
	memcpy(strstr(en, "%lld%%"), "%d%%  ", 6);
	refused(good_vi, en, "en.po:8: msgid \"a.format\"");
	snprintf(en, sizeof en, "%s", good_en);
	memcpy(strstr(en, "%lld%%"), "%%lld%", 6);
	refused(good_vi, en, "en.po:8: msgid \"a.format\"");
}

static void test_conversions(void **state)
{
	(void)state;
	assert_int_equal(tr_same_conversions("%d ngày", "%3d days"), 1);
	assert_int_equal(tr_same_conversions("%lld h %02lld min", "%lld giờ %02lld phút"), 1);
	assert_int_equal(tr_same_conversions("%s %d", "%d %s"), 0);
	assert_int_equal(tr_same_conversions("%ld", "%lld"), 0);
	assert_int_equal(tr_same_conversions("100%%", "no percent"), 1);
	assert_int_equal(tr_same_conversions("%s", ""), 0);
	assert_int_equal(tr_same_conversions("%", "%"), -1);
	assert_int_equal(tr_same_conversions("%n", "%n"), -1);
	assert_int_equal(tr_same_conversions("%.*s", "%.*s"), -1);
}

static void test_resolve(void **state)
{
	char err[600];
	const char *texts[3 * TR_LANGS];
	tr_set *s = load(good_vi, good_en, err, sizeof err);
	const tr_key ok[] = { { "a.plain", NULL }, { "a.format", "%d %s %lld" }, { "a.long", NULL } };
	const tr_key missing[] = { { "a.plain", NULL }, { "a.gone", NULL } };
	const tr_key wrong_format[] = { { "a.format", "%d %d %lld" } };
	const tr_key not_plain[] = { { "a.format", NULL } };
	const tr_key not_format[] = { { "a.plain", "%s" } };
	(void)state;
	if (!s) fail_msg("%s", err);
	assert_int_equal(tr_resolve(s, ok, 3, texts, err, sizeof err), 0);
	assert_string_equal(texts[0 * TR_LANGS + LANG_EN], "Hello");
	assert_string_equal(texts[1 * TR_LANGS + LANG_VI], "%d ng\xc3\xa0y, %s: %lld%%");
	assert_string_equal(texts[2 * TR_LANGS + LANG_VI], "first part, second part");
	assert_int_equal(tr_resolve(s, missing, 2, texts, err, sizeof err), -1);
	assert_string_equal(err, "vi.po: msgid \"a.gone\" is missing: the program needs it");
	assert_int_equal(tr_resolve(s, wrong_format, 1, texts, err, sizeof err), -1);
	assert_string_equal(err, "vi.po:13: msgid \"a.format\": the program passes it %d %d %lld");
	assert_int_equal(tr_resolve(s, not_plain, 1, texts, err, sizeof err), -1);
	assert_non_null(strstr(err, "vi.po:13: msgid \"a.format\": this text is shown as it is and may hold no %"));
	assert_int_equal(tr_resolve(s, not_format, 1, texts, err, sizeof err), -1);
	assert_non_null(strstr(err, "vi.po:7: msgid \"a.plain\": the program passes it %s"));
	tr_free(s);
}

static void test_files(void **state)
{
	char dir[128], path[256], err[600];
	FILE *f;
	tr_set *s;
	(void)state;
	fx_tempdir(dir, sizeof dir, "tr");
	assert_null(tr_load(dir, err, sizeof err));
	snprintf(path, sizeof path, "%s/vi.po: cannot be read", dir);
	assert_non_null(strstr(err, path));
	snprintf(path, sizeof path, "%s/vi.po", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(good_vi, f);
	fclose(f);
	assert_null(tr_load(dir, err, sizeof err));
	assert_non_null(strstr(err, "/en.po: cannot be read"));
	snprintf(path, sizeof path, "%s/en.po", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(good_en, f);
	fclose(f);
	s = tr_load(dir, err, sizeof err);
	if (!s) fail_msg("%s", err);
	assert_string_equal(tr_get(s, LANG_EN, "a.plain"), "Hello");
	tr_free(s);
	/* A file with a NUL byte is not text. */
	assert_non_null(f = fopen(path, "w"));
	fwrite("msgid \"a\"\0", 1, 10, f);
	fclose(f);
	assert_null(tr_load(dir, err, sizeof err));
	assert_non_null(strstr(err, "en.po: holds a NUL byte"));
	assert_int_equal(fx_rmtree(dir), 0);
}

/* The project's files: every id the kiosk and the server use resolves in
 * both languages with the code's conversions, and every key in the files
 * is one of them. */
static void test_project_files(void **state)
{
	char err[700];
	const tr_key *kiosk = i18n_keys(), *server = words_keys(), *office = office_words_keys();
	tr_set *s = tr_load("assets/lang", err, sizeof err);
	size_t i, j;
	(void)state;
	if (!s) fail_msg("%s", err);
	if (i18n_load("assets", err, sizeof err) != 0) fail_msg("the kiosk: %s", err);
	if (words_load("assets", err, sizeof err) != 0) fail_msg("the server: %s", err);
	if (office_words_load("assets", err, sizeof err) != 0) fail_msg("the office service: %s", err);
	for (i = 0; i < T_COUNT; i++)
		assert_non_null(tr_get(s, LANG_EN, kiosk[i].key));
	for (i = 0; i < W_COUNT; i++)
		assert_non_null(tr_get(s, LANG_EN, server[i].key));
	for (i = 0; i < OW_COUNT; i++)
		assert_non_null(tr_get(s, LANG_EN, office[i].key));
	for (i = 0; i < tr_count(s); i++) {
		const char *key = tr_key_at(s, i);
		int used = 0;
		for (j = 0; j < T_COUNT && !used; j++) used = strcmp(kiosk[j].key, key) == 0;
		for (j = 0; j < W_COUNT && !used; j++) used = strcmp(server[j].key, key) == 0;
		for (j = 0; j < OW_COUNT && !used; j++) used = strcmp(office[j].key, key) == 0;
		if (!used) fail_msg("assets/lang: msgid \"%s\" is used by no program", key);
	}
	/* The statuses' words follow status.h. */
	assert_string_equal(words_status_staff(LANG_EN, "in_progress"), "In progress");
	assert_string_equal(words_status(LANG_EN, "synced"), "Sent to the %s");
	assert_null(words_status(LANG_EN, "lost"));
	assert_null(words_status_hint(LANG_VI, "received"));
	assert_non_null(words_status_hint(LANG_VI, "rejected"));
	assert_string_equal(i18n(LANG_EN, T_BACK), "Back");
	assert_string_equal(words_text(LANG_VI, W_LOGIN), "\xc4\x90\xc4\x83ng nh\xe1\xba\xadp");
	tr_free(s);
}

static void test_fill(void **state)
{
	page_buf b = { NULL, 0, 0 };
	html_writer w = { &b, 0 };
	const char *args[2] = { "<A&B>", "7" };
	(void)state;
	html_fill(&w, "Sent to the %s, %d times, 100%%", args, 2, 1);
	assert_string_equal(b.data, "Sent to the &lt;A&amp;B&gt;, 7 times, 100%");
	b.len = 0;
	html_fill(&w, "%s|%02lld|%s", args, 2, 0);
	assert_string_equal(b.data, "<A&B>|7|");
	b.len = 0;
	html_fill(&w, "no conversion", NULL, 0, 1);
	assert_string_equal(b.data, "no conversion");
	assert_false(w.failed);
	page_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_languages_agree),
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_project_files),
		cmocka_unit_test(test_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
