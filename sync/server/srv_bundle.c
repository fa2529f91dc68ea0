/* srv_bundle: the USB path's files on the server: a kiosk's bundle read
 * whole (never more than an envelope may be), and the answer written back
 * so that a power cut leaves each file whole or absent, in as many files
 * as the events waiting need (each a reply the kiosk's import reads, of
 * at most PROTO_EVENTS events), up to ENV_MAX_BYTES in all, so that one
 * trip of the stick brings everything. */
#include "srv_bundle.h"
#include "envelope.h"
#include "log.h"
#include "proto.h"
#include "srv_sync.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *srv_bundle_read(const char *path, size_t *len)
{
	struct stat st;
	char *text = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		log_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		log_error("%s: not a regular file", path);
	} else if ((unsigned long long)st.st_size > ENV_MAX_BYTES) {
		log_error("%s: refused (too_large): the envelope is larger than %u bytes",
			path, ENV_MAX_BYTES);
	} else if (!(text = malloc((size_t)st.st_size + 1)) ||
	           fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		log_error("%s: could not be read", path);
		free(text);
		text = NULL;
	} else {
		text[st.st_size] = '\0';
		*len = (size_t)st.st_size;
	}
	fclose(f);
	return text;
}

/* Writes the reply where the staff asked, so that a power cut leaves either
 * the whole file or none: a temporary file, fsync, rename, fsync of the
 * folder. */
static int write_file(const char *path, const char *text, size_t len)
{
	char tmp[4200], dir[4200];
	int fd, dfd;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) return -1;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* OUT, or OUT's name with -2, -3, ... before its extension for the k-th
 * file of one answer. */
static void reply_name(const char *out, int k, char *path, size_t pathlen)
{
	const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
	if (k == 1)
		snprintf(path, pathlen, "%s", out);
	else if (dot && (!slash || dot > slash + 1))
		snprintf(path, pathlen, "%.*s-%d%s", (int)(dot - out), out, k, dot);
	else
		snprintf(path, pathlen, "%s-%d", out, k);
}

/* The answer's further files while events wait, each a reply of at most
 * PROTO_EVENTS events (as a kiosk's import reads them), up to ENV_MAX_BYTES
 * in all: the kiosk takes the folder at once. The number of files. */
static int write_more(srv_db *db, const srv_keys *keys, const char *out, const char *first, size_t total)
{
	proto_reply reply, next;
	envelope env;
	char err[300], path[4200], *payload, *text;
	int files = 1;
	if (env_parse(first, strlen(first), &env, err, sizeof err) != 0) return files;
	if (proto_decode_reply(env.payload, env.payload_len, &reply, err, sizeof err) != 0) {
		proto_free_reply(&reply);
		env_free(&env);
		return files;
	}
	env_free(&env);
	while (reply.more) {
		if (srv_sync_more(db, &reply, &next, err, sizeof err) != 0) {
			log_warn("the answer's further events could not be read: %s (they come with the next bundle)", err);
			break;
		}
		payload = proto_encode_reply(&next);
		text = payload ? env_sign("server", payload, strlen(payload), keys->sign_sk) : NULL;
		free(payload);
		reply_name(out, files + 1, path, sizeof path);
		if (!text || total + strlen(text) > ENV_MAX_BYTES || write_file(path, text, strlen(text)) != 0) {
			if (text && total + strlen(text) <= ENV_MAX_BYTES)
				log_warn("%s: %s (the rest comes with the kiosk's next bundle)", path, strerror(errno));
			free(text);
			proto_free_reply(&next);
			break;
		}
		total += strlen(text);
		free(text);
		files++;
		proto_free_reply(&reply);
		reply = next;
	}
	proto_free_reply(&reply);
	return files;
}

int srv_bundle_write_answer(srv_db *db, const srv_keys *keys, const char *out, const char *reply, size_t len)
{
	if (write_file(out, reply, len) != 0) return 0;
	return write_more(db, keys, out, reply, len);
}
