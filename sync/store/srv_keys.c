/* srv_keys: the server's key file (see srv_keys.h), on libsodium. */
#include "srv_keys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Static_assert(sizeof(srv_keys) == 160, "server.key is the raw struct: its layout must not change");

static void key_path(const char *dir, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/server.key", dir);
}

int srv_keys_create_file(const char *path, srv_keys *out, char *err, size_t errlen)
{
	int fd;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			errno == EEXIST ? " (this server is already set up; its keys are kept)" : "");
		return -1;
	}
	crypto_sign_keypair(out->sign_pk, out->sign_sk);
	crypto_box_keypair(out->box_pk, out->box_sk);
	if (write(fd, out, sizeof *out) != (ssize_t)sizeof *out || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		srv_keys_wipe(out);
		return -1;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		srv_keys_wipe(out);
		return -1;
	}
	return 0;
}

int srv_keys_load_file(const char *path, srv_keys *out, char *err, size_t errlen)
{
	ssize_t n;
	int fd;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			errno == ENOENT ? " (run `motcua-server init` first)" : "");
		return -1;
	}
	n = read(fd, out, sizeof *out);
	close(fd);
	if (n != (ssize_t)sizeof *out) {
		snprintf(err, errlen, "%s: damaged (not a %zu-byte key file)", path, sizeof *out);
		srv_keys_wipe(out);
		return -1;
	}
	return 0;
}

int srv_keys_create(const char *dir, srv_keys *out, char *err, size_t errlen)
{
	char path[600];
	key_path(dir, path, sizeof path);
	return srv_keys_create_file(path, out, err, errlen);
}

int srv_keys_load(const char *dir, srv_keys *out, char *err, size_t errlen)
{
	char path[600];
	key_path(dir, path, sizeof path);
	return srv_keys_load_file(path, out, err, errlen);
}

int srv_keys_path(const char *data_dir, const char *key_file, char *out, size_t outlen)
{
	const char *creds = getenv("CREDENTIALS_DIRECTORY");
	if (key_file && *key_file) {
		snprintf(out, outlen, "%s", key_file);
		return 1;
	}
	if (creds && *creds) {
		snprintf(out, outlen, "%s/server.key", creds);
		if (access(out, R_OK) == 0) return 1;
	}
	key_path(data_dir, out, outlen);
	return 0;
}

void srv_keys_public(const srv_keys *k, seal_server_key *out)
{
	memcpy(out->sign_pk, k->sign_pk, sizeof out->sign_pk);
	memcpy(out->box_pk, k->box_pk, sizeof out->box_pk);
}

void srv_keys_wipe(srv_keys *k)
{
	sodium_memzero(k, sizeof *k);
}
