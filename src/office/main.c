/* motcua-office: the office's local service: the counter page where staff
 * call queue numbers, and the hall display that shows and speaks them.
 *
 * It runs in the office, on the kiosk's machine (or another office PC
 * sharing its data folder), with no upstream network at all, and reads and
 * writes the kiosk's own store (request.db): the kiosk takes the tickets,
 * this service calls them, and the kiosk's sync carries the day's figures
 * upstream. It reads the kiosk's configuration (kiosk.ini: the commune,
 * the data folder, the staff PIN, [office] listen and voice).
 *
 *   motcua-office --config kiosk.ini [--listen HOST:PORT]
 *
 * Exit: 0 stopped by a signal, 1 bad configuration or data, 2 bad usage,
 * 3 cannot listen. */
#include "catalog.h"
#include "config.h"
#include "db.h"
#include "fontfile.h"
#include "log.h"
#include "nodump.h"
#include "office.h"
#include "office_accept.h"
#include "office_counter.h"
#include "office_display.h"
#include "office_help.h"
#include "office_http.h"
#include "office_words.h"
#include "seal.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: motcua-office --config kiosk.ini [--listen HOST:PORT]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cfg_path = NULL, *listen = NULL;
	static config cfg;
	static catalog cat;
	char err[700], path[600];
	db *store = NULL;
	office *o;
	office_print *printer;
	seal_server_key key;
	int i, rc, keyed;
	/* The page groups the service answers: add one line for a new group. */
	const office_route *const groups[] = { office_counter_routes, office_display_routes, office_accept_routes,
		office_help_routes };

	log_setup("motcua-office", NULL);
	if (nodump_process(err, sizeof err) != 0) log_warn("%s", err);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) cfg_path = argv[++i];
		else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen = argv[++i];
		else return usage();
	}
	if (!cfg_path) return usage();
	if (sodium_init() < 0) { log_error("libsodium cannot start"); return 1; }
	if (config_load(cfg_path, &cfg, err, sizeof err) != 0) { log_error("%s", err); return 1; }
	log_setup(NULL, cfg.log_level);
	config_data_file(&cfg, "catalog.json", path, sizeof path);
	if (catalog_load(path, &cat, err, sizeof err) != 0) { log_error("%s", err); return 1; }
	if (cat.nqueue_fields == 0) log_warn("%s lists no queue_fields: no counter serves any field", path);
	if (office_words_load(cfg.assets_dir, err, sizeof err) != 0) { log_error("%s", err); return 1; }
	if (!cfg.staff_pin[0]) log_warn("%s has no staff_pin: nobody can sign in at a counter", cfg_path);
	/* The kiosk's store, with the server key when one is set: a store from
	 * before receipt codes were hashed is converted by whichever program
	 * opens it first, and that needs the key (db.h). */
	keyed = cfg.server_key[0] && seal_parse_server_key(cfg.server_key, &key, err, sizeof err) == 0;
	if (db_open(&store, cfg.data_dir, keyed ? &key : NULL, err, sizeof err) != 0) { log_error("%s", err); return 1; }
	if (!(o = office_new(&cfg, &cat, store))) { log_error("out of memory"); db_close(store); return 1; }
	/* The counters' papers go to [printer] as the kiosk's do; without one
	 * they are printed from the counter's browser. */
	printer = office_print_new(office_config(o), err, sizeof err);
	if (printer) log_info("the counters' papers print on %s %s", strcmp(cfg.printer_kind, "cups") == 0
		? "the CUPS queue" : "the receipt printer", strcmp(cfg.printer_kind, "cups") == 0 ? cfg.printer_queue
		: cfg.printer_device);
	else if (err[0]) log_warn("printer: %s: the counters' papers are printed from the browser", err);
	else log_info("no printer configured: the counters' papers are printed from the browser");
	office_set_printer(o, printer);
	rc = office_http_serve(o, listen ? listen : cfg.office_listen, groups, (int)(sizeof groups / sizeof groups[0]),
		err, sizeof err);
	if (rc != 0) log_error("%s", err);
	office_free(o);
	office_print_free(printer);
	fontfile_unmap_all();
	db_close(store);
	return rc != 0 ? 3 : 0;
}
