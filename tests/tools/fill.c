/* motcua-fill: queues N requests in a kiosk's store, as if citizens had
 * filed them, for tests and benchmarks that need thousands (the control
 * interface files one at a time, at a person's pace). Each request goes
 * through the same path as the kiosk's: a made-up identity sealed to the
 * configured server key, a deadline from the catalog, db_submit's durable
 * transaction. Each request's id and receipt code go to stdout, one line
 * each ("ID CODE"), as the receipt would show them: the store keeps the
 * code only hashed, so this is the tests' copy.
 * Usage: motcua-fill --config FILE N [--name NAME] [--sms]
 * (--sms: every filer agreed to text messages, as the kiosk's tick records
 * it: "sms_consent":"1"). */
#include "cal.h"
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "seal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const categories[] = { "procedure", "petition", "reflection", "complaint", "denunciation", "dialogue" };

int main(int argc, char **argv)
{
	config cfg;
	static catalog cat;
	seal_server_key key;
	db *d;
	char err[512], path[600], text[512], deadline[11];
	const char *name = "Nguyễn Thị Thử";
	int sms = 0;
	unsigned char sealed[512 + SEAL_OVERHEAD];
	long n, i;
	if (argc < 4 || strcmp(argv[1], "--config") != 0) {
		fprintf(stderr, "usage: motcua-fill --config FILE N [--name NAME]\n");
		return 2;
	}
	n = atol(argv[3]);
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) name = argv[++i];
		else if (strcmp(argv[i], "--sms") == 0) sms = 1;
	}
	if (config_load(argv[2], &cfg, err, sizeof err) != 0 ||
	    seal_parse_server_key(cfg.server_key, &key, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fill: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/catalog.json", cfg.assets_dir);
	if (catalog_load(path, &cat, err, sizeof err) != 0 || db_open(&d, cfg.data_dir, &key, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-fill: %s\n", err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const catalog_category *c = catalog_category_by_id(&cat, categories[i % 6]);
		const catalog_procedure *p = i % 6 == 0 ? &cat.procedures[i / 6 % cat.nprocedures] : NULL;
		time_t now = time(NULL);
		db_submission s;
		db_request r;
		size_t len = (size_t)snprintf(text, sizeof text,
			"{\"full_name\":\"%s\",\"phone\":\"0912%06ld\",\"details\":\"Yêu cầu thử số %ld\"%s}", name, i % 1000000, i,
			sms ? ",\"sms_consent\":\"1\"" : "");
		seal_box(&key, text, len, sealed);
		cal_date_format(catalog_deadline(c, p, NULL, now), deadline);
		memset(&s, 0, sizeof s);
		s.commune_code = cfg.commune_code;
		s.kiosk_number = cfg.kiosk_number;
		s.category = c->id;
		s.procedure = p ? p->id : NULL;
		s.received_at = now;
		s.deadline = deadline;
		s.sealed = sealed;
		s.sealed_len = len + SEAL_OVERHEAD;
		if (db_submit(d, &s, &r, err, sizeof err) != 0) {
			fprintf(stderr, "motcua-fill: request %ld: %s\n", i + 1, err);
			db_close(d);
			return 1;
		}
		printf("%s %s\n", r.id, r.token);
	}
	db_close(d);
	return 0;
}
