/* srv_show: one request opened for staff on the command line (`motcua-server
 * show`): its facts, the flags the server put on its dates or code, its
 * opened identity and its events, every text from a kiosk or an official
 * escaped so that no control character reaches the terminal.
 *
 * Opening is the caller's decision and audit (main.c asks for a reason and
 * writes the audit row first); this prints. */
#ifndef MOTCUA_SRV_SHOW_H
#define MOTCUA_SRV_SHOW_H

#include <stddef.h>
#include <stdio.h>
#include "srv_db.h"
#include "srv_keys.h"

/* s with every control character (C0, DEL, C1) and every byte that is not
 * UTF-8 written as \xNN, and a backslash as \\, into out (cut to fit). */
void srv_show_escape(const char *s, char *out, size_t outlen);

/* Prints r (its identity opened with keys) and its events to out. 0, or -1
 * when the events could not be read. */
int srv_show_request(FILE *out, srv_db *db, const srv_keys *keys, const srv_db_request *r);

#endif
