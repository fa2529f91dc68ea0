/* dbcode: receipt codes as hashes and sealed boxes in the kiosk's store
 * (see dbcode.h). */
#include "dbcode.h"
#include "dbmeta.h"
#include "sqlx.h"
#include "token.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void dbcode_init(dbcode_keys *k, const seal_server_key *server)
{
	memset(k, 0, sizeof *k);
	if (!server) return;
	k->keyed = 1;
	k->server = *server;
	seal_code_key(server, k->key);
}

int dbcode_make(const dbcode_keys *k, const char *id, const char *token,
	unsigned char hash[SEAL_CODE_HASH_BYTES], unsigned char box[SEAL_CODE_SEALED_BYTES])
{
	if (!k->keyed || strlen(token) != TOKEN_LEN) return -1;
	seal_code_hash(k->key, id, token, hash);
	return seal_box(&k->server, token, TOKEN_LEN, box);
}

#define NO_KEY "receipt codes in clear cannot be converted: no server key configured ([server] key)"

static void sql_code_hash(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const dbcode_keys *k = sqlite3_user_data(cx);
	unsigned char h[SEAL_CODE_HASH_BYTES];
	const char *id = (const char *)sqlite3_value_text(argv[0]), *token = (const char *)sqlite3_value_text(argv[1]);
	(void)argc;
	if (!k->keyed) { sqlite3_result_error(cx, NO_KEY, -1); return; }
	if (!id || !token) { sqlite3_result_error(cx, "a request without an id or a receipt code", -1); return; }
	seal_code_hash(k->key, id, token, h);
	sqlite3_result_blob(cx, h, sizeof h, SQLITE_TRANSIENT);
}

static void sql_code_seal(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const dbcode_keys *k = sqlite3_user_data(cx);
	unsigned char box[SEAL_CODE_SEALED_BYTES];
	const char *token = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (!k->keyed) { sqlite3_result_error(cx, NO_KEY, -1); return; }
	if (!token || strlen(token) != TOKEN_LEN || seal_box(&k->server, token, TOKEN_LEN, box) != 0) {
		sqlite3_result_error(cx, "a stored receipt code is not 13 characters", -1);
		return;
	}
	sqlite3_result_blob(cx, box, sizeof box, SQLITE_TRANSIENT);
}

int dbcode_register(sqlite3 *sql, const dbcode_keys *k)
{
	int rc = sqlite3_create_function(sql, "motcua_code_hash", 2, SQLITE_UTF8, (void *)k, sql_code_hash, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(sql, "motcua_code_seal", 1, SQLITE_UTF8, (void *)k, sql_code_seal, NULL, NULL);
	return rc;
}

/* Each hash is salted by its request's id, so a typed code is hashed once
 * per stored request: a BLAKE2b of about 30 bytes each, newest first (the
 * likeliest to be asked about). */
int dbcode_find(sqlite3 *sql, const dbcode_keys *k, const char *token, char *id, size_t idlen)
{
	sqlite3_stmt *st;
	unsigned char want[SEAL_CODE_HASH_BYTES];
	int rc, found = 0;
	id[0] = '\0';
	if (!k->keyed) return -1;
	if (sqlite3_prepare_v2(sql, "SELECT id, code_hash FROM request ORDER BY seq DESC", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rid = (const char *)sqlite3_column_text(st, 0);
		if (!rid || sqlite3_column_bytes(st, 1) != SEAL_CODE_HASH_BYTES) continue;
		seal_code_hash(k->key, rid, token, want);
		if (sodium_memcmp(want, sqlite3_column_blob(st, 1), sizeof want) == 0)
			found = sqlx_copy_col(st, 0, id, idlen) == 0 ? 1 : -1;
	}
	sqlite3_finalize(st);
	sodium_memzero(want, sizeof want);
	if (found) return found;
	return rc == SQLITE_DONE ? 0 : -1;
}

int dbcode_scrub(sqlite3 *sql)
{
	char pending[16];
	int found = dbmeta_get(sql, "codes.scrub", pending, sizeof pending);
	if (found < 0) return -1;
	if (!found) return 0;
	if (sqlite3_exec(sql, "VACUUM", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(sql, "DELETE FROM meta WHERE key = 'codes.scrub'", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	sqlite3_wal_checkpoint_v2(sql, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return 0;
}
