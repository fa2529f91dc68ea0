/* dbfile: is the file at the store's path still the one the store opened?
 *
 * SQLite keeps writing to the files it opened, whatever has happened at
 * their path since: a request.db replaced (moved, copied from a backup over
 * a new inode), overwritten in place, truncated, or its -wal deleted, and
 * the kiosk would go on committing into a file nobody will ever read, and
 * showing receipts for it. The store records what it opened (the device
 * and inode of request.db and of its -wal, the size it has grown to, and
 * the store's identity number in the file's header) and checks them before
 * each commit a receipt depends on. The header is read through the store's
 * own open file (the caller's reader), never by opening the path: closing
 * any descriptor of the file drops every POSIX lock the process holds on
 * it, SQLite's included, and another connection would then take the WAL
 * for its own and delete it. Errors: int result, caller-owned message. */
#ifndef MOTCUA_DBFILE_H
#define MOTCUA_DBFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DBFILE_HEADER 100

/* Reads the first DBFILE_HEADER bytes of the open file: 0, or -1 when it
 * is shorter or cannot be read. */
typedef int (*dbfile_reader)(void *ctx, unsigned char out[DBFILE_HEADER]);

/* What changed, for the store to know how to let go of its files: */
typedef enum {
	DBFILE_SAME = 0,
	DBFILE_MOVED,       /* another file (or none) at the path: ours lives on elsewhere, its WAL at the path is ours */
	DBFILE_WAL_GONE,    /* our file is at the path but its -wal was deleted or replaced */
	DBFILE_SHRUNK,      /* our file, shorter than it was: truncated (the WAL may repair some of it) */
	DBFILE_FOREIGN,     /* our file, overwritten with another database or none: our WAL does not belong to it */
} dbfile_change;

typedef struct {
	dbfile_change changed;   /* set by dbfile_verify */
	dev_t dev, wal_dev;
	ino_t ino, wal_ino;
	long long size_seen;     /* the largest size seen: a store never shrinks */
	uint32_t store_id;       /* the header's application_id as last read from the file */
} dbfile_identity;

/* Records what is at path (and path-wal) now; store_id is the store's own
 * identity number (PRAGMA application_id). 0, or -1 with err. */
int dbfile_record(dbfile_identity *id, const char *path, uint32_t store_id, dbfile_reader read, void *ctx,
	char *err, size_t errlen);

/* 0 if path and path-wal are still the files recorded, the file is no
 * shorter than it was, and its header is a SQLite header bearing store_id (or the one recorded, before a checkpoint has
 * carried store_id into the file); -1 with err saying what changed, and
 * id->changed how. */
int dbfile_verify(dbfile_identity *id, const char *path, uint32_t store_id, dbfile_reader read, void *ctx,
	char *err, size_t errlen);

#endif
