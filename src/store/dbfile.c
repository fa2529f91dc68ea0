/* dbfile: the store's file checked against what was opened (see dbfile.h).
 *
 * The header is read from the file itself (through the caller's reader on
 * SQLite's own descriptor), not through SQL, whose page cache and WAL would
 * show the store's own view rather than the file on the disk; the path is
 * only ever stat'ed (see dbfile.h on why it is never opened here). */
#include "dbfile.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The store's identity number in its header as it is on the disk: 0, or
 * -1 when it is not a SQLite header at all. */
static int read_header(dbfile_reader read, void *ctx, uint32_t *store_id)
{
	unsigned char h[DBFILE_HEADER];
	if (read(ctx, h) != 0 || memcmp(h, "SQLite format 3", 16) != 0) return -1;
	*store_id = be32(h + 68);
	return 0;
}

static void wal_path(const char *path, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s-wal", path);
}

int dbfile_record(dbfile_identity *id, const char *path, uint32_t store_id, dbfile_reader read, void *ctx,
	char *err, size_t errlen)
{
	struct stat st, wal;
	char wpath[700];
	memset(id, 0, sizeof *id);
	wal_path(path, wpath, sizeof wpath);
	if (stat(path, &st) != 0 || stat(wpath, &wal) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->wal_dev = wal.st_dev;
	id->wal_ino = wal.st_ino;
	id->size_seen = (long long)st.st_size;
	/* A file still empty (a new store not yet checkpointed) has no header. */
	if (st.st_size < DBFILE_HEADER || read_header(read, ctx, &id->store_id) != 0) id->store_id = 0;
	if (id->store_id != store_id && id->store_id != 0) {
		snprintf(err, errlen, "%s: its header is not the store's", path);
		return -1;
	}
	return 0;
}

int dbfile_verify(dbfile_identity *id, const char *path, uint32_t store_id, dbfile_reader read, void *ctx,
	char *err, size_t errlen)
{
	struct stat st, wal;
	char wpath[700];
	uint32_t on_disk = 0;
	wal_path(path, wpath, sizeof wpath);
	if (stat(path, &st) != 0) {
		id->changed = DBFILE_MOVED;
		snprintf(err, errlen, "%s is gone (%s)", path, strerror(errno));
		return -1;
	}
	if (st.st_dev != id->dev || st.st_ino != id->ino) {
		id->changed = DBFILE_MOVED;
		snprintf(err, errlen, "%s was replaced by another file", path);
		return -1;
	}
	if (stat(wpath, &wal) != 0 || wal.st_dev != id->wal_dev || wal.st_ino != id->wal_ino) {
		id->changed = DBFILE_WAL_GONE;
		snprintf(err, errlen, "%s was deleted or replaced", wpath);
		return -1;
	}
	if ((long long)st.st_size < id->size_seen) {
		id->changed = DBFILE_SHRUNK;
		snprintf(err, errlen, "%s was truncated (%lld bytes, it had %lld)", path, (long long)st.st_size, id->size_seen);
		return -1;
	}
	id->size_seen = (long long)st.st_size;
	if (st.st_size == 0 && id->store_id == 0) {   /* nothing checkpointed into it yet */
		id->changed = DBFILE_SAME;
		return 0;
	}
	/* The header's page count is not held against the file's size: a
	 * checkpoint cut short by a full disk leaves the file shorter than its
	 * new header says, and the WAL still answers for the difference. */
	id->changed = DBFILE_FOREIGN;
	if (read_header(read, ctx, &on_disk) != 0) {
		snprintf(err, errlen, "%s was overwritten: it is no longer a SQLite database", path);
		return -1;
	}
	if (on_disk != store_id && on_disk != id->store_id) {
		snprintf(err, errlen, "%s was overwritten by another database", path);
		return -1;
	}
	id->store_id = on_disk;
	id->changed = DBFILE_SAME;
	return 0;
}
