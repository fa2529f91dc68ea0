/* srv_sms: text messages to citizens, sent by a worker thread of their own.
 *
 * An official's action that the law says the citizen must hear of (a
 * supplement asked, an apology with its new date, a result ready) queues a
 * message in the same transaction (srv_work.c, sms_outbox), when the filer
 * gave a phone and agreed at the kiosk. This worker takes the messages that
 * are due, opens the request's sealed form for the phone number alone (in
 * memory, wiped after), writes the text (the receipt code's last characters
 * and what happened: never a name or a note, docs/sms.md) and hands it to
 * the gateway: an HTTP SMS gateway (libcurl, a JSON POST) or gammu-smsd's
 * files backend (a file in its outbox folder). A gateway that hangs or
 * refuses delays only this thread: officials' actions never wait for it.
 * Failures are tried again after 1, 2, 4, 8 times the retry interval, then
 * the message is marked failed; every try is in the delivery log the
 * console shows (srv_work_sms_list). */
#ifndef MOTCUA_SRV_SMS_H
#define MOTCUA_SRV_SMS_H

#include <stddef.h>
#include "srv_keys.h"

typedef struct {
	const char *data_dir;        /* the store: the data folder or a PostgreSQL URL (a connection of the worker's own) */
	const srv_keys *keys;        /* opens the sealed forms for their phone */
	const char *url;             /* an HTTP gateway: POST {"to","text","ref"} as JSON; NULL: none */
	const char *gammu_outbox;    /* gammu-smsd's OutboxPath (files backend); NULL: none */
	const char *office;          /* who the message is from, "" : none */
	int timeout_s;               /* one HTTP try; 0: 10 */
	int retry_s;                 /* the first retry's wait; 0: 60 */
	int max_tries;               /* then failed; 0: 5 */
} srv_sms_config;

typedef struct srv_sms srv_sms;

/* Starts the worker (nothing when neither url nor gammu_outbox is set:
 * *out NULL, 0). -1 with err when it cannot start. */
int srv_sms_start(const srv_sms_config *cfg, srv_sms **out, char *err, size_t errlen);
/* The same from the serve command's settings. */
int srv_sms_start_with(const char *data_dir, const srv_keys *keys, const char *url, const char *gammu_outbox,
	int timeout_s, int retry_s, srv_sms **out, char *err, size_t errlen);
/* Stops it (after a try under way, at most timeout_s) and frees it. */
void srv_sms_stop(srv_sms *s);

/* The text for a message (for the tests and the worker): kind is
 * "supplement", "apology" or "result", token the receipt code, date the
 * new date (YYYY-MM-DD) or "". 0, or -1 for an unknown kind. */
int srv_sms_text(const char *kind, const char *token, const char *date, const char *office, char *out, size_t len);

#endif
