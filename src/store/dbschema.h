/* dbschema: the SQL scripts that build the kiosk's request store, one a
 * schema version (db.h opens and migrates with them; DB_SCHEMA_VERSION is
 * their count). */
#ifndef MOTCUA_DBSCHEMA_H
#define MOTCUA_DBSCHEMA_H

extern const char *const dbschema_migrations[];
extern const int DBSCHEMA_N;

#endif
