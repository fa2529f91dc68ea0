/* srv_read: the phone page's lookups read from a replica, the primary when
 * the replica cannot answer (srv_read.h says what goes where and why). */
#include "srv_read.h"
#include "log.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static int is_pg_url(const char *u)
{
	return strncmp(u, "postgresql://", 13) == 0 || strncmp(u, "postgres://", 11) == 0;
}

int srv_read_check(const char *url, const char *primary, char *err, size_t errlen)
{
	if (!url) return 0;
	if (!is_pg_url(url)) {
		snprintf(err, errlen, "--db-read takes a PostgreSQL URL, e.g. postgresql://motcua@replica.example.vn/motcua"
			"?target_session_attrs=prefer-standby");
		return -1;
	}
	if (!primary || !is_pg_url(primary)) {
		snprintf(err, errlen, "--db-read needs --db postgresql://...: the replica is of a PostgreSQL primary"
			" (a server.db has none)");
		return -1;
	}
	log_info("the phone page's lookups read from the replica given by --db-read; writes and the console from --db");
	return 0;
}

static long long now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* The replica given up for a while; said once until it answers again. The
 * message is libpq's or the schema check's, never the URL (it may hold a
 * password). */
static void fall_back(srv_read *r, const char *why)
{
	srv_db_close(r->db);
	r->db = NULL;
	r->retry_at = now_s() + SRV_READ_RETRY_S;
	if (!r->down) log_warn("the replica cannot be read (%s): lookups go to the primary, tried again every %d s",
		why, SRV_READ_RETRY_S);
	r->down = 1;
}

int srv_read_lookup(srv_read *r, const char *url, srv_db *primary, const char *token, srv_db_facts *out)
{
	char err[300];
	int found;
	if (!url) return srv_db_lookup(primary, token, out);
	if (!r->db && now_s() >= r->retry_at) {
		if (srv_db_open_read(&r->db, url, err, sizeof err) != 0) fall_back(r, err);
		else if (r->down) {
			log_info("the replica answers again: lookups read from it");
			r->down = 0;
		}
	}
	if (r->db) {
		if ((found = srv_db_lookup(r->db, token, out)) >= 0) return found;   /* SRV_DB_HELD too */
		fall_back(r, "a lookup failed");
	}
	return srv_db_lookup(primary, token, out);
}

void srv_read_close(srv_read *r)
{
	srv_db_close(r->db);
	r->db = NULL;
}
