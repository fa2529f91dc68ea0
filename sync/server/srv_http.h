/* srv_http: the upstream server's HTTP front, on libmicrohttpd.
 *
 * Routes: POST /api/v1/sync (a kiosk's push, see srv_sync.h), GET /r/<token>
 * (the phone page), GET /api/v1/requests/<token> (the same as JSON) and
 * GET /healthz, and the officials' console under /staff (console.h). An
 * internal pool of threads, one per CPU, polls with epoll; each thread keeps
 * its own database connection and page buffer, so a lookup allocates little and locks nothing but the rate limiter's shard.
 * Lookups are rate-limited per client address, the address behind a trusted
 * proxy (srv_proxy.h); connections are limited per address and requests
 * held to a deadline (srv_guard.h); pushes are checked and stored by
 * workers of their own (srv_pushq.h). One info-level log line per
 * request (log.h): time, method, path with any token cut short, status, bytes and
 * milliseconds; never a client address, a whole token or anything sealed. */
#ifndef MOTCUA_SRV_HTTP_H
#define MOTCUA_SRV_HTTP_H

#include <stddef.h>

typedef struct {
	const char *data_dir;        /* server.db, files for kiosks, and server.key unless apart */
	const char *store;           /* a postgresql:// URL for the store; NULL: data_dir's server.db */
	const char *read_store;      /* a replica's URL for the phone page's lookups (srv_read.h); NULL: the store */
	const char *key_file;        /* the key file kept apart (srv_keys_path); NULL: look for it */
	const char *listen;          /* "HOST:PORT", "[v6 address]:PORT" or ":PORT" */
	const char *assets_dir;      /* catalog.json, for category and procedure names */
	unsigned lookup_rate;        /* lookups per minute per address; 0: unlimited */
	const char *office_level;    /* what citizens call the upstream office */
	long long session_idle;      /* console sessions: seconds idle, 0: 30 minutes */
	long long session_absolute;  /* seconds from login, 0: 12 hours */
	int secure_cookies;          /* behind a TLS proxy: cookies only over HTTPS */
	unsigned login_rate;         /* console login attempts per minute per address; 0: unlimited */
	const char *trusted_proxies; /* "ADDR[/BITS],...": believed about X-Forwarded-For; NULL: none */
	unsigned max_connections;    /* open connections, all clients; 0: SRV_HTTP_MAX_CONNECTIONS */
	unsigned per_address;        /* open connections per client address; 0: no limit */
	unsigned request_deadline;   /* seconds for a whole request to arrive; 0: SRV_HTTP_DEADLINE_S */
	const char *sms_url;         /* text messages through an HTTP gateway (srv_sms.h); NULL: none */
	const char *sms_gammu;       /* or through gammu-smsd's outbox folder; NULL: none */
	int sms_timeout;             /* seconds of one HTTP try; 0: 10 */
	int sms_retry;               /* seconds before the first retry; 0: 60 */
} srv_http_config;

#define SRV_HTTP_MAX_CONNECTIONS 4000u  /* lowered to fit the open-file limit */
#define SRV_HTTP_PER_ADDRESS 32u
#define SRV_HTTP_DEADLINE_S 60u
#define SRV_HTTP_LISTEN "127.0.0.1:8080"  /* loopback: the proxy in front is what the Internet reaches */

/* Serves until SIGTERM or SIGINT, then stops cleanly. 0 after a clean stop,
 * -1 with a reason in err when it could not start. */
int srv_http_run(const srv_http_config *cfg, char *err, size_t errlen);

#endif
