/* motcua-server: the upstream ("district") server.
 *
 * `init` makes the server's data folder and key pairs (Ed25519 to sign what
 * it sends, X25519 to open what kiosks seal) and prints the one line of
 * public key that each kiosk's configuration needs. The secret keys stay in
 * server.key, readable by the server's user only. */
#include "seal.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
} server_keys;

static int usage(void)
{
	fprintf(stderr, "usage: motcua-server init --data DIR [--public-url URL]\n");
	return 2;
}

static int cmd_init(const char *dir)
{
	server_keys k;
	seal_server_key pub;
	char path[600], line[SEAL_LINE_MAX + 8];
	int fd;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "motcua-server: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof path, "%s/server.key", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "motcua-server: %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? " (this server is already set up; its keys are kept)" : "");
		return 1;
	}
	crypto_sign_keypair(k.sign_pk, k.sign_sk);
	crypto_box_keypair(k.box_pk, k.box_sk);
	if (write(fd, &k, sizeof k) != (ssize_t)sizeof k || fsync(fd) != 0) {
		fprintf(stderr, "motcua-server: %s: %s\n", path, strerror(errno));
		close(fd);
		unlink(path);
		return 1;
	}
	close(fd);
	memcpy(pub.sign_pk, k.sign_pk, sizeof pub.sign_pk);
	memcpy(pub.box_pk, k.box_pk, sizeof pub.box_pk);
	sodium_memzero(&k, sizeof k);
	seal_format_server_key(&pub, line, sizeof line);
	printf("%s\n", line);
	fprintf(stderr, "motcua-server: put this line in each kiosk's configuration as [server] key\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *data = NULL;
	int i;
	if (argc < 2 || sodium_init() < 0) return usage();
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) data = argv[++i];
		else if (strcmp(argv[i], "--public-url") == 0 && i + 1 < argc) i++;
		else return usage();
	}
	if (strcmp(argv[1], "init") == 0 && data) return cmd_init(data);
	return usage();
}
