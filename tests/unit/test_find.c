/* Tests for srv_find: the folding that makes "ĐƯỜNG", "đường" and "duong"
 * one word, invalid UTF-8 and punctuation as separators, what an official
 * types turned into search terms (a phone, an ID number, a dossier number,
 * words), and the hashes: the same under one key, different under another,
 * and never the value itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "srv_find.h"

typedef struct {
	char words[16][SRV_FIND_WORD_MAX + 1];
	int n;
} word_list;

static int keep(const char *w, void *arg)
{
	word_list *l = arg;
	if (l->n < 16) snprintf(l->words[l->n++], sizeof l->words[0], "%s", w);
	return 0;
}

static word_list words_of(const char *text)
{
	word_list l;
	memset(&l, 0, sizeof l);
	srv_find_words(text, keep, &l);
	return l;
}

static void test_fold(void **state)
{
	word_list l = words_of("ĐƯỜNG liên-thôn  bị HỎNG! Ổ gà, nước 2026");
	const char *want[] = { "duong", "lien", "thon", "bi", "hong", "o", "ga", "nuoc", "2026" };
	size_t i;
	(void)state;
	assert_int_equal(l.n, 9);
	for (i = 0; i < 9; i++) assert_string_equal(l.words[i], want[i]);
	l = words_of("\xff\xfe" "abc\x80" "đ");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.words[0], "abc");
	assert_string_equal(l.words[1], "d");
	assert_int_equal(words_of("").n, 0);
	assert_int_equal(words_of(" .,;!?'\"()").n, 0);
	assert_int_equal(words_of(NULL).n, 0);
}

static void test_terms(void **state)
{
	unsigned char key[SRV_FIND_KEY_BYTES] = { 1, 2, 3 };
	char phone[WORK_FIND_HASH], cid[WORK_FIND_HASH], duong[WORK_FIND_HASH];
	work_find f;
	(void)state;
	srv_find_hash(key, "phone", "0912345678", phone);
	srv_find_hash(key, "cid", "001203004567", cid);
	srv_find_hash(key, "word", "duong", duong);
	assert_int_equal(srv_find_terms(key, "0912 345 678", &f), 0);
	assert_string_equal(f.exact[0], phone);
	assert_string_equal(f.exact[1], "");
	assert_int_equal(srv_find_terms(key, "+84912345678", &f), 0);
	assert_string_equal(f.exact[0], phone);
	assert_int_equal(srv_find_terms(key, "001203004567", &f), 0);
	assert_string_equal(f.exact[1], cid);
	assert_int_equal(srv_find_terms(key, " 000.00.27.H01-261201-0001 ", &f), 0);
	assert_string_equal(f.dossier, "000.00.27.H01-261201-0001");
	/* read as the counter reads it (valid_dossier): any case gives the stored form */
	assert_int_equal(srv_find_terms(key, "000.00.27.h01-261201-0001", &f), 0);
	assert_string_equal(f.dossier, "000.00.27.H01-261201-0001");
	assert_int_equal(srv_find_terms(key, "000.00.27.H01-261301-0001", &f), 0);   /* month 13: words only */
	assert_string_equal(f.dossier, "");
	assert_int_equal(srv_find_terms(key, "ABC-123", &f), 0);
	assert_string_equal(f.dossier, "");            /* not the province's pattern */
	assert_int_equal(srv_find_terms(key, "Đường đường DUONG", &f), 0);
	assert_int_equal(f.nwords, 1);                  /* a word typed three ways counts once */
	assert_string_equal(f.words[0], duong);
	assert_string_equal(f.dossier, "");             /* spaces inside: not a dossier number */
	assert_int_equal(srv_find_terms(key, "a b c d e f", &f), 0);
	assert_int_equal(f.nwords, WORK_FIND_WORDS);
	assert_int_equal(srv_find_terms(key, "!!!", &f), 1);   /* punctuation: nothing to look for */
	assert_int_equal(f.nwords, 0);
	assert_string_equal(f.dossier, "");
	assert_int_equal(srv_find_terms(key, "", &f), 1);
	assert_int_equal(srv_find_terms(key, "   ", &f), 1);
	assert_int_equal(srv_find_terms(key, "\xff\xfe", &f), 1);
	assert_int_equal(srv_find_terms(key, "'; DROP TABLE request; --", &f), 0);
	assert_int_equal(f.nwords, 3);
}

static void test_hash(void **state)
{
	unsigned char a[SRV_FIND_KEY_BYTES] = { 1 }, b[SRV_FIND_KEY_BYTES] = { 2 };
	char h1[WORK_FIND_HASH], h2[WORK_FIND_HASH], h3[WORK_FIND_HASH], h4[WORK_FIND_HASH];
	(void)state;
	srv_find_hash(a, "phone", "0912345678", h1);
	srv_find_hash(a, "phone", "0912345678", h2);
	srv_find_hash(b, "phone", "0912345678", h3);
	srv_find_hash(a, "cid", "0912345678", h4);
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);                /* another server's key: another hash */
	assert_string_not_equal(h1, h4);                /* the kind is part of what is hashed */
	assert_int_equal(strlen(h1), 32);
	assert_null(strstr(h1, "0912"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
