/* srv_password: reading a new password for an official's account from the
 * terminal, for motcua-server's user commands. */
#ifndef MOTCUA_SRV_PASSWORD_H
#define MOTCUA_SRV_PASSWORD_H

#include <stddef.h>

/* A new password into out: typed twice without echo on a terminal, else
 * one line of stdin (for scripts and tests). 0, or -1 said on stderr. */
int srv_password_read(char *out, size_t outlen);

#endif
