/* dbcode: receipt codes in the kiosk's store, which never holds one in
 * clear: a keyed hash of each (seal_code_hash, salted by the request's id)
 * to match what a citizen types, and the code sealed to the server to carry
 * upstream. For db.c, on its connection; docs/security.md says why this
 * shape. */
#ifndef MOTCUA_DBCODE_H
#define MOTCUA_DBCODE_H

#include <sqlite3.h>
#include "seal.h"

typedef struct {
	int keyed;               /* a server key was given: codes can be hashed and sealed */
	seal_server_key server;
	unsigned char key[SEAL_CODE_HASH_BYTES];   /* seal_code_key of it */
} dbcode_keys;

/* server may be NULL: then nothing can be hashed or sealed. */
void dbcode_init(dbcode_keys *k, const seal_server_key *server);

/* The hash and the sealed box of request id's code token. 0, or -1 when
 * there is no key or sealing failed. */
int dbcode_make(const dbcode_keys *k, const char *id, const char *token,
	unsigned char hash[SEAL_CODE_HASH_BYTES], unsigned char box[SEAL_CODE_SEALED_BYTES]);

/* Registers motcua_code_hash(id, token) and motcua_code_seal(token) on sql,
 * for the schema step that converts clear codes (dbschema.c); without a key
 * they fail, and the step with them, saying why. k must outlive sql.
 * SQLITE_OK or an error code. */
int dbcode_register(sqlite3 *sql, const dbcode_keys *k);

/* The id of the request whose code is token, into id (idlen bytes): every
 * stored hash compared, newest first. 1 found, 0 none, -1 error. */
int dbcode_find(sqlite3 *sql, const dbcode_keys *k, const char *token, char *id, size_t idlen);

/* After the step that converted clear codes (it leaves the meta key
 * codes.scrub): the file rebuilt without free pages (where the old table's
 * codes lay), the key removed, and the WAL, which held them too, emptied.
 * Nothing to do without the key. Another process reading the file at that
 * moment can keep the WAL from emptying until it lets go. 0, or -1 when
 * VACUUM failed (the key stays: the next open tries again). */
int dbcode_scrub(sqlite3 *sql);

#endif
