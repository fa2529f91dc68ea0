/* srv_find: finding requests by what the server keeps sealed.
 *
 * A citizen's phone and ID number, and the words of a request's subject and
 * details, travel and rest sealed to the server's box key. Officials still
 * need to find a request by them, exactly. So the server opens each sealed
 * form once, when it arrives (srv_find_index_pending), and keeps only keyed
 * hashes: BLAKE2b-128 under a key derived from the server's box secret key
 * (crypto_kdf, context "motcfind"), never the values. A copy of the
 * database alone cannot test a guessed phone number against them; whoever
 * holds server.key can, but that file opens the identities themselves.
 *
 * Words are folded before hashing (lower case, Vietnamese marks removed, đ
 * to d), so "Đường", "duong" and "ĐƯỜNG" find the same request. What an
 * official types is turned into the same hashes (srv_find_terms): a number
 * as a phone and as an ID number, the text as an official dossier number,
 * and up to WORK_FIND_WORDS words that must all appear. */
#ifndef MOTCUA_SRV_FIND_H
#define MOTCUA_SRV_FIND_H

#include <stddef.h>
#include "srv_db.h"
#include "srv_keys.h"
#include "srv_work.h"

#define SRV_FIND_KEY_BYTES 32
#define SRV_FIND_WORD_MAX 64         /* bytes of one folded word; longer ones are cut */

/* The hashing key of these server keys. */
void srv_find_key(const srv_keys *k, unsigned char key[SRV_FIND_KEY_BYTES]);

/* The hash of one value of a kind ("phone", "cid", "word") as hex. */
void srv_find_hash(const unsigned char key[SRV_FIND_KEY_BYTES], const char *kind, const char *value,
	char out[WORK_FIND_HASH]);

/* Calls each for every folded word of text (invalid UTF-8 separates
 * words); stops at each's non-zero return. */
void srv_find_words(const char *text, int (*each)(const char *word, void *arg), void *arg);

/* What an official typed, as terms for work_filter.find. 0, or 1 when it
 * holds nothing to look for (empty, only punctuation). */
int srv_find_terms(const unsigned char key[SRV_FIND_KEY_BYTES], const char *typed, work_find *out);

/* Opens the sealed forms of requests not yet indexed (at most limit of
 * them) and stores their hashes; a form that does not open is marked so
 * and skipped. The number indexed, or -1 with err. */
int srv_find_index_pending(srv_db *d, const srv_keys *k, int limit, char *err, size_t errlen);

#endif
