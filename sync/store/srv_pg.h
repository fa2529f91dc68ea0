/* srv_pg: the PostgreSQL backend of the server's store, as the rest of
 * sync/store sees it (built with WITH_PG, when pkg-config finds libpq).
 *
 * srv_db_open hands a postgresql:// URL to srv_pg_open; every operation of
 * the SQLite files then routes itself here (SRV_PG_ROUTE, srv_sqlite.h) to
 * its twin below, which has the same contract as the public function it
 * stands for (srv_db.h, srv_work.h, srv_backend.h). The backend's own
 * header, with libpq's types, is srv_pg_int.h; nothing else includes it. */
#ifndef MOTCUA_SRV_PG_H
#define MOTCUA_SRV_PG_H

#include <stddef.h>
#include "srv_backend.h"
#include "srv_rating.h"
#include "srv_trend.h"

struct srv_pg;

/* Connects to url (a libpq URI or key=value string) and migrates the
 * schema under an advisory lock: 0, or -1 with err. */
int srv_pg_open(srv_db *d, const char *url, char *err, size_t errlen);
/* Connects to url to read only (srv_read.h): no migration, the session
 * read-only, the schema this program's: 0, or -1 with err. */
int srv_pg_open_read(srv_db *d, const char *url, char *err, size_t errlen);
void srv_pg_close(srv_db *d);
srv_be_figures *srv_pg_figures_of(srv_db *d);
int srv_pg_figures_load(srv_db *d, long long *at, char **value);
int srv_pg_figures_claim(srv_db *d, long long now, int lease);
int srv_pg_figures_store(srv_db *d, long long at, const char *value);
long long srv_pg_data_version(srv_db *d);
/* The schema version the database is at, -1 when it cannot be read. */
int srv_pg_schema_version(srv_db *d);

/* The schema's steps, for the tests of each upgrade: how many, and step k
 * (1..count). */
int srv_pg_migration_count(void);
const char *srv_pg_migration_text(int k);

/* Copies the SQLite store from into the empty PostgreSQL store to
 * (srv_copy_pg.c), telling told each table's rows: 0, or -1 with err and
 * nothing written. */
int srv_pg_copy_from(srv_db *from, srv_db *to, int (*told)(const char *table, long long rows, void *arg), void *arg,
	char *err, size_t errlen);

/* The twins, one per operation of the SQLite backend (srv_sqlite.h's files). */
int srv_pg_be_user_insert(srv_db *d, const char *name, const char *role, const char *hash, long long now, char *err,
	size_t errlen);
int srv_pg_be_user_set_hash(srv_db *d, const char *name, const char *hash, char *err, size_t errlen);
int srv_pg_be_user_disable(srv_db *d, const char *name, char *err, size_t errlen);
int srv_pg_be_users(srv_db *d, int (*each)(const srv_auth_user *u, void *arg), void *arg, char *err, size_t errlen);
int srv_pg_be_user_get(srv_db *d, const char *name, char *hash, size_t hashlen, char role[16], int *disabled);
int srv_pg_be_failures(srv_db *d, const char *name, const char *origin, long long *count, long long *last_at);
int srv_pg_be_failure_add(srv_db *d, const char *name, const char *origin, long long now);
int srv_pg_be_session_open(srv_db *d, const unsigned char key[32], const char *name, const char *origin, const char
	*csrf, long long now, long long sweep_before, char *err, size_t errlen);
int srv_pg_be_session_get(srv_db *d, const unsigned char key[32], srv_auth_session *out, int *disabled);
int srv_pg_be_session_touch(srv_db *d, const unsigned char key[32], long long now);
int srv_pg_be_session_delete(srv_db *d, const unsigned char key[32]);
int srv_pg_db_meta_set(srv_db *d, const char *key, const char *value, char *err, size_t errlen);
int srv_pg_db_meta_get(srv_db *d, const char *key, char *out, size_t outlen);
int srv_pg_db_kiosk_add(srv_db *d, const char *id, const unsigned char key[ENV_PK_BYTES], long long now, char *err,
	size_t errlen);
int srv_pg_db_kiosk_revoke(srv_db *d, const char *id, char *err, size_t errlen);
int srv_pg_db_kiosk_get(srv_db *d, const char *id, srv_db_kiosk *out);
int srv_pg_db_kiosk_list(srv_db *d, int (*each)(const srv_db_kiosk *k, void *arg), void *arg, char *err, size_t
	errlen);
int srv_pg_db_store_push(srv_db *d, const proto_push *p, const srv_db_trust *trust, long long now, srv_db_push_result
	*res, char *err, size_t errlen);
int srv_pg_db_kiosk_events(srv_db *d, const char *kiosk, long long cursor, int limit, int (*each)(const proto_event
	*e, void *arg), void *arg, char *err, size_t errlen);
int srv_pg_db_lookup(srv_db *d, const char *token, srv_db_facts *r);
int srv_pg_db_request_find(srv_db *d, const char *token_or_id, srv_db_request *out);
int srv_pg_db_sealed_each(srv_db *d, const char *const *ids, int n,
	int (*each)(int i, const unsigned char *sealed, size_t len, void *arg), void *arg);
int srv_pg_db_request_events(srv_db *d, const char *request_id, int (*each)(const proto_event *e, void *arg), void
	*arg);
long long srv_pg_db_count(srv_db *d);
int srv_pg_db_flagged(srv_db *d, int mask, const char *commune, int offset, int limit, int (*each)(const srv_db_flag
	*f, void *arg), void *arg, char *err, size_t errlen);
int srv_pg_be_queue(srv_db *d, const char *from_day, int (*each)(const srv_be_queue_row *r, void *arg), void *arg,
	char *err, size_t errlen);
int srv_pg_store_queue(srv_db *d, const proto_push *p, long long now);
int srv_pg_rating_put_push(srv_db *d, const proto_push *p, long long now, srv_rating_push_result *res);
int srv_pg_rating_put_phone(srv_db *d, const char *request_id, const char *commune, const char *field,
	const int faces[PROTO_RATING_CRITERIA], long long now, char *err, size_t errlen);
int srv_pg_rating_given(srv_db *d, const char *request_id);
int srv_pg_trend_rows(srv_db *d, long long since, int (*each)(const srv_trend_row *r, void *arg), void *arg,
	char *err, size_t errlen);
int srv_pg_rating_rows(srv_db *d, const char *from_day, int single, int (*each)(const srv_rating_row *r, void *arg),
	void *arg, char *err, size_t errlen);
int srv_pg_be_scan(srv_db *d, long long month_start, long long year_start, const char *today, int closed_only, const
	srv_be_sink *sink, void *arg, char *err, size_t errlen);
int srv_pg_work_get(srv_db *d, const char *id_or_token, long long now, work_item *out);
int srv_pg_work_inbox(srv_db *d, const work_filter *f, long long now, int (*each)(const work_item *it, void *arg),
	void *arg, work_counts *counts, char *err, size_t errlen);
int srv_pg_be_act(srv_db *d, const char *request_id, long long now, const char *today, const char *actor, const char
	*action, const char *note, srv_be_decide decide, void *arg, char *err, size_t errlen);
int srv_pg_be_last_event(srv_db *d, const char *request_id, long long *event_id);
int srv_pg_be_record_status(srv_db *d, const char *request_id, const char *status, const char *note, long long now,
	const char *actor, const char *detail, long long *event_id, char *err, size_t errlen);
int srv_pg_work_identity(srv_db *d, const char *request_id, const char *actor, const char *role, const char *reason,
long long now, unsigned char **sealed, size_t *sealed_len, char *err, size_t errlen);
int srv_pg_work_audit_add(srv_db *d, long long now, const char *actor, const char *action, const char *request_id,
	const char *detail, char *err, size_t errlen);
int srv_pg_work_audit_page(srv_db *d, const work_audit_query *q, int (*each)(const work_audit *a, void *arg), void
	*arg, long long *next, char *err, size_t errlen);
int srv_pg_work_scope_set(srv_db *d, const char *name, const char *const *communes, int n, const char *actor, long
	long now, char *err, size_t errlen);
int srv_pg_work_scope_list(srv_db *d, const char *name, int (*each)(const char *commune, void *arg), void *arg, char
	*err, size_t errlen);
int srv_pg_work_may_see(srv_db *d, const char *name, const char *role, const char *commune);
int srv_pg_work_commune_set(srv_db *d, const work_commune *c, char *err, size_t errlen);
int srv_pg_work_communes(srv_db *d, int (*each)(const work_commune *c, void *arg), void *arg, char *err, size_t
	errlen);
int srv_pg_work_commune_get(srv_db *d, const char *code, work_commune *out);
int srv_pg_work_conference_save(srv_db *d, work_conference *c, const char *actor, long long now, char *err, size_t
	errlen);
int srv_pg_work_conferences(srv_db *d, const char *commune, long long from, int (*each)(const work_conference *c,
	void *arg), void *arg, char *err, size_t errlen);
int srv_pg_work_conference_get(srv_db *d, long long id, work_conference *out);
int srv_pg_be_conference_cancel(srv_db *d, long long id, const char *reason, const char *actor, long long now,
	const char *detail, long long *moved, long long *next, char *err, size_t errlen);

int srv_pg_work_release_code(srv_db *d, const char *request_id, const char *actor, const char *role,
	const char *reason, long long now, char *err, size_t errlen);

/* The desk's twins (srv_desk_pg.c). A cursor on PostgreSQL is a
 * struct srv_pg_cursor inside the SQLite file's work_cursor
 * (srv_sqlite_cursor_of_pg), read and closed through these. */
struct srv_pg_cursor;
int srv_pg_be_state_get(srv_db *d, const char *request_id, const char *today, srv_be_state *s);
int srv_pg_be_find_pending(srv_db *d, int limit,
	int (*each)(const char *id, const unsigned char *sealed, size_t len, void *arg), void *arg,
	char *err, size_t errlen);
int srv_pg_be_find_store(srv_db *d, const srv_be_find_row *rows, int n, char *err, size_t errlen);
work_cursor *srv_pg_work_cursor_open(srv_db *d, const work_filter *f, long long now, char *err, size_t errlen);
int srv_pg_cursor_next(struct srv_pg_cursor *c, work_item *out);
void srv_pg_cursor_close(struct srv_pg_cursor *c);
int srv_pg_be_assign(srv_db *d, const char *request_id, const char *officer, long long now, const char *actor,
	const char *detail, char *err, size_t errlen);
int srv_pg_be_reply_save(srv_db *d, work_reply *r, const char *actor, long long now, char *err, size_t errlen);
int srv_pg_work_replies(srv_db *d, const char *category, int (*each)(const work_reply *r, void *arg), void *arg,
	char *err, size_t errlen);
int srv_pg_work_reply_get(srv_db *d, long long id, work_reply *out);
int srv_pg_work_sms_due(srv_db *d, long long now, int limit, int (*each)(const work_sms *m, void *arg), void *arg,
	char *err, size_t errlen);
int srv_pg_work_sms_list(srv_db *d, const char *request_id, int limit, int (*each)(const work_sms *m, void *arg),
	void *arg, char *err, size_t errlen);
int srv_pg_work_sms_result(srv_db *d, long long id, const char *state, long long next_at, long long now,
	const char *via, const char *error, char *err, size_t errlen);
#endif
