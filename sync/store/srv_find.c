/* srv_find: keyed hashes of what the server keeps sealed, for finding
 * requests exactly (see srv_find.h). The folding table, the hashing and
 * the indexing of new requests; the rows are the backend's
 * (srv_be_find_pending, srv_be_find_store). */
#include "srv_find.h"
#include "seal.h"
#include "srv_backend.h"
#include "utf8.h"
#include "valid.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void srv_find_key(const srv_keys *k, unsigned char key[SRV_FIND_KEY_BYTES])
{
	/* A subkey, so the box secret key itself never keys a hash that could
	 * be studied; id 1 of the context "motcfind". */
	crypto_kdf_derive_from_key(key, SRV_FIND_KEY_BYTES, 1, "motcfind", k->box_sk);
}

void srv_find_hash(const unsigned char key[SRV_FIND_KEY_BYTES], const char *kind, const char *value,
	char out[WORK_FIND_HASH])
{
	crypto_generichash_state st;
	unsigned char h[16];
	crypto_generichash_init(&st, key, SRV_FIND_KEY_BYTES, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);   /* with its NUL */
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, WORK_FIND_HASH, h, sizeof h);
}

/* ---- folding ---- */

/* The Vietnamese letters with marks, lower and upper case, by the letter
 * they fold to. */
static const struct { char base; const char *marked; } fold_table[] = {
	{ 'a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ" },
	{ 'd', "đĐ" },
	{ 'e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ" },
	{ 'i', "ìíỉĩịÌÍỈĨỊ" },
	{ 'o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ" },
	{ 'u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ" },
	{ 'y', "ỳýỷỹỵỲÝỶỸỴ" },
};

/* The folded letter of cp: an ASCII letter or digit, or 0 for a separator. */
static char fold_cp(uint32_t cp)
{
	size_t i, pos, len;
	if (cp < 128) {
		if (cp >= 'A' && cp <= 'Z') return (char)(cp - 'A' + 'a');
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return (char)cp;
		return 0;
	}
	for (i = 0; i < sizeof fold_table / sizeof fold_table[0]; i++) {
		const char *m = fold_table[i].marked;
		len = strlen(m);
		for (pos = 0; pos < len;)
			if (utf8_decode(m, len, &pos) == cp) return fold_table[i].base;
	}
	return 0;
}

void srv_find_words(const char *text, int (*each)(const char *word, void *arg), void *arg)
{
	size_t len = text ? strlen(text) : 0, pos = 0, n = 0;
	char word[SRV_FIND_WORD_MAX + 1];
	while (pos <= len) {
		size_t at = pos;
		uint32_t cp = pos < len ? utf8_decode(text, len, &pos) : 0;
		char c;
		if (pos == at) pos++;                          /* the end, or a byte that decodes to nothing */
		c = cp == 0xFFFFFFFFu ? 0 : fold_cp(cp);
		if (c) {
			if (n < SRV_FIND_WORD_MAX) word[n++] = c;
			continue;
		}
		if (n) {
			word[n] = '\0';
			n = 0;
			if (each(word, arg) != 0) return;
		}
		if (at >= len) break;
	}
}

/* ---- a search ---- */

static int add_word(const char *word, void *arg)
{
	struct { const unsigned char *key; work_find *f; } *a = arg;
	work_find *f = a->f;
	char h[WORK_FIND_HASH];
	int i;
	srv_find_hash(a->key, "word", word, h);
	for (i = 0; i < f->nwords; i++)
		if (strcmp(f->words[i], h) == 0) return 0;     /* a word typed twice counts once */
	memcpy(f->words[f->nwords++], h, WORK_FIND_HASH);
	return f->nwords == WORK_FIND_WORDS;
}

int srv_find_terms(const unsigned char key[SRV_FIND_KEY_BYTES], const char *typed, work_find *out)
{
	struct { const unsigned char *key; work_find *f; } a = { key, out };
	char phone[11], cid[13];
	size_t len;
	memset(out, 0, sizeof *out);
	if (!typed) return 1;
	len = strlen(typed);
	if (len > 1000 || !utf8_valid(typed, len)) {
		/* Not something anybody typed to find one request: words only,
		 * from the first thousand bytes. */
		char cut[1001];
		memcpy(cut, typed, len > 1000 ? 1000 : len);
		cut[len > 1000 ? 1000 : len] = '\0';
		srv_find_words(cut, add_word, &a);
		return out->nwords ? 0 : 1;
	}
	if (valid_phone(typed, 1, phone) == VALID_OK) srv_find_hash(key, "phone", phone, out->exact[0]);
	if (valid_citizen_id(typed, 1, cid) == VALID_OK) srv_find_hash(key, "cid", cid, out->exact[1]);
	/* A dossier number read as the counter and the acceptance form read it
	 * (valid_dossier: the province's pattern, any case, spaces around),
	 * so what was stored in its canonical form is what is looked for. */
	{
		char canon[VALID_DOSSIER_MAX];
		if (valid_dossier(typed, canon) == VALID_OK) snprintf(out->dossier, sizeof out->dossier, "%s", canon);
	}
	srv_find_words(typed, add_word, &a);
	return out->exact[0][0] || out->exact[1][0] || out->dossier[0] || out->nwords ? 0 : 1;
}

/* ---- indexing what arrives ---- */

typedef struct {
	char (*h)[WORK_FIND_HASH];
	int n, max;
	const unsigned char *key;
} hashes;

static void push_hash(hashes *hs, const char *kind, const char *value)
{
	int i;
	char h[WORK_FIND_HASH];
	if (hs->n >= hs->max) return;
	srv_find_hash(hs->key, kind, value, h);
	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->h[i], h) == 0) return;
	memcpy(hs->h[hs->n++], h, WORK_FIND_HASH);
}

static int index_word(const char *word, void *arg)
{
	push_hash(arg, "word", word);
	return 0;
}

/* The hashes of one opened form; the form's text is wiped by the caller. */
static void form_hashes(json_t *o, hashes *hs)
{
	const char *phone = json_string_value(json_object_get(o, "phone"));
	const char *cid = json_string_value(json_object_get(o, "citizen_id"));
	char norm_phone[11], norm_cid[13];
	if (phone && valid_phone(phone, 1, norm_phone) == VALID_OK) push_hash(hs, "phone", norm_phone);
	if (cid && valid_citizen_id(cid, 1, norm_cid) == VALID_OK) push_hash(hs, "cid", norm_cid);
	srv_find_words(json_string_value(json_object_get(o, "subject")), index_word, hs);
	srv_find_words(json_string_value(json_object_get(o, "details")), index_word, hs);
	sodium_memzero(norm_phone, sizeof norm_phone);
	sodium_memzero(norm_cid, sizeof norm_cid);
}

/* The filer gave a phone that can take a message and ticked yes to them
 * at the kiosk (the form's "sms_consent", docs/sms.md). */
static int sms_agreed(json_t *o)
{
	const char *phone = json_string_value(json_object_get(o, "phone"));
	const char *yes = json_string_value(json_object_get(o, "sms_consent"));
	char norm[11];
	int ok = phone && yes && strcmp(yes, "1") == 0 && valid_phone(phone, 1, norm) == VALID_OK;
	sodium_memzero(norm, sizeof norm);
	return ok;
}

/* Wipes every string of an opened form before it is freed. */
static void wipe_form(json_t *o)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (json_is_string(v)) sodium_memzero((void *)json_string_value(v), json_string_length(v));
	}
}

#define FIND_MAX_HASHES 512

typedef struct {
	unsigned char key[SRV_FIND_KEY_BYTES];
	const srv_keys *k;
	srv_be_find_row *rows;
	int n, max;
	char (*scratch)[WORK_FIND_HASH];
	char *err;
	size_t errlen;
} index_run;

/* One request's hashes, kept in rows for the one write after all. */
static int index_one(const char *id, const unsigned char *sealed, size_t len, void *arg)
{
	index_run *r = arg;
	size_t n = len > SEAL_OVERHEAD ? len - SEAL_OVERHEAD : 0;
	unsigned char *clear = n ? malloc(n) : NULL;
	hashes hs = { r->scratch, 0, FIND_MAX_HASHES, r->key };
	srv_be_find_row *row;
	json_t *o;
	if (r->n >= r->max) return 0;
	row = &r->rows[r->n];
	memset(row, 0, sizeof *row);
	snprintf(row->id, sizeof row->id, "%s", id);
	if (clear && seal_open(r->k->box_pk, r->k->box_sk, sealed, len, clear) == 0) {
		o = json_loadb((const char *)clear, n, 0, NULL);
		if (json_is_object(o)) {
			form_hashes(o, &hs);
			row->sms_ok = sms_agreed(o);
			wipe_form(o);
			row->opened = 1;
		}
		json_decref(o);
	}
	if (clear) {
		sodium_memzero(clear, n);
		free(clear);
	}
	if (hs.n && !(row->hashes = malloc((size_t)hs.n * WORK_FIND_HASH))) {
		snprintf(r->err, r->errlen, "indexing %s: out of memory", id);
		return -1;
	}
	if (hs.n) memcpy(row->hashes, r->scratch, (size_t)hs.n * WORK_FIND_HASH);
	row->n = hs.n;
	r->n++;
	return 0;
}

int srv_find_index_pending(srv_db *d, const srv_keys *k, int limit, char *err, size_t errlen)
{
	index_run r;
	int i, rc = -1;
	memset(&r, 0, sizeof r);
	r.k = k;
	r.err = err;
	r.errlen = errlen;
	r.max = limit > 0 ? limit : 1000;
	r.rows = calloc((size_t)r.max, sizeof *r.rows);
	r.scratch = malloc(FIND_MAX_HASHES * WORK_FIND_HASH);
	if (!r.rows || !r.scratch) {
		snprintf(err, errlen, "indexing requests: out of memory");
		goto done;
	}
	srv_find_key(k, r.key);
	if (srv_be_find_pending(d, r.max, index_one, &r, err, errlen) != 0) goto done;
	if (r.n && srv_be_find_store(d, r.rows, r.n, err, errlen) != 0) goto done;
	rc = r.n;
done:
	sodium_memzero(r.key, sizeof r.key);
	for (i = 0; r.rows && i < r.n; i++) free(r.rows[i].hashes);
	free(r.rows);
	free(r.scratch);
	return rc;
}
