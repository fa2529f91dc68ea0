/* srv_password: a new official's password read for the command line
 * (see srv_password.h): typed twice without echo on a terminal, or one
 * line of stdin for scripts and tests. The copy typed to compare is wiped. */
#include "srv_password.h"
#include "log.h"
#include "srv_auth.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line of f without its line end into out. 0, or -1 at the end of
 * input or when the line does not fit. */
static int read_line(FILE *f, char *out, size_t outlen)
{
	size_t len;
	if (!fgets(out, (int)outlen, f)) return -1;
	len = strlen(out);
	if (len && out[len - 1] == '\n') out[--len] = '\0';
	else if (len + 1 == outlen) return -1;
	if (len && out[len - 1] == '\r') out[--len] = '\0';
	return 0;
}

int srv_password_read(char *out, size_t outlen)
{
	struct termios old, quiet;
	char again[SRV_AUTH_PASSWORD_MAX + 2];
	int rc = 0;
	if (!isatty(STDIN_FILENO)) {
		if (read_line(stdin, out, outlen) == 0) return 0;
		log_error("expected the password as one line on stdin (at most %d bytes)",
			SRV_AUTH_PASSWORD_MAX - 1);
		return -1;
	}
	if (tcgetattr(STDIN_FILENO, &old) != 0) {
		log_error("cannot read the terminal's settings");
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	fprintf(stderr, "Password (at least %d characters): ", SRV_AUTH_PASSWORD_MIN);
	if (read_line(stdin, out, outlen) != 0) rc = -1;
	fprintf(stderr, "\nAgain: ");
	if (rc == 0 && read_line(stdin, again, sizeof again) != 0) rc = -1;
	fputc('\n', stderr);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (rc == 0 && strcmp(out, again) != 0) {
		log_error("the two passwords differ; nothing changed");
		rc = -1;
	} else if (rc != 0) {
		log_error("no password read; nothing changed");
	}
	sodium_memzero(again, sizeof again);
	return rc;
}
