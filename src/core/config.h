/* config: the kiosk's INI configuration (libinih), its defaults and checks.
 *
 * One table lists every key with its default and its parser, so the README,
 * the defaults and the error messages cannot drift apart. A bad file stops
 * start-up with a message naming the file, the line and the key. The same
 * file serves the kiosk and the sync command. */
#ifndef MOTCUA_CONFIG_H
#define MOTCUA_CONFIG_H

#include <stddef.h>

typedef struct config {
	char commune_code[6];    /* 5 digits, required */
	char commune_name[128];  /* required */
	int kiosk_number;        /* 1..999 */
	char data_dir[512];
	char assets_dir[512];    /* catalog, holidays, translations */
	char fonts_dir[512];
	char language[3];        /* "vi" or "en" */
	char input_method[8];    /* "telex" or "vni" */
	char tone_style[4];      /* "old" (hòa) or "new" (hoà) */
	int idle_timeout;        /* seconds without input before going home */
	char staff_pin[256];     /* argon2id string from `motcua-kiosk hash-pin`; empty: no exit */
	char office_level[64];   /* what citizens call the upstream office */
	char time_zone[64];        /* TZ for every time shown or counted; default Vietnam, UTC+7 */
	char usb_dir[512];       /* where USB sticks are mounted (/media): staff export and import */
	char panel_mm[16];       /* the screen's active area, "154x86" mm; empty: 5.2 px/mm at 800x480 */
	int pin_lock_seconds;    /* how long five wrong staff PINs lock the pad */
	char public_url[256];    /* base of the receipt QR URL */
	char server_url[256];    /* where motcua-sync talks to */
	char server_key[128];    /* the line printed by `motcua-server init` */
	int sync_interval;       /* seconds between background syncs; 0: none */
	char printer_device[256]; /* /dev/usb/lp0, tcp:HOST[:PORT], a file; empty: no printer */
	char printer_width[3];   /* paper width in mm: "58" or "80" */
	char printer_kind[8];    /* "escpos": the receipt printer at device; "cups": an office
	                            printer, the CUPS queue below (src/print/printcups.h) */
	char printer_queue[128]; /* [printer] queue: the CUPS queue's name */
	char printer_server[256]; /* [printer] server: CUPS at HOST[:PORT] or a socket; "": libcups' own */
	char printer_private[4]; /* [printer] private = yes: the queue is this office's alone and keeps
	                            no copies (docs/papers.md): only then a denunciation goes to it */
	char log_level[8];       /* [log] level: error|warn|info|debug (log.h) */
	char office_listen[64];  /* [office] listen: motcua-office's HOST:PORT on the office network */
	char office_voice[32];   /* [office] voice: espeak-ng's voice for the hall's calls */
} config;

/* Fills cfg with defaults, then reads path. Returns 0, or -1 with a message
 * in err naming the file, line and key. */
int config_load(const char *path, config *cfg, char *err, size_t errlen);

/* Reads a panel_mm value "WxH" (millimetres, 40 to 2000 each); 0 and the
 * sizes (either pointer may be NULL), or -1. */
int config_panel_parse(const char *v, int *w_mm, int *h_mm);

/* Defaults only (commune fields empty). */
void config_defaults(config *cfg);

/* The path of a data file (catalog.json, holidays.json): the copy a sync
 * saved in data_dir when there is one, else the one installed in assets_dir. */
void config_data_file(const config *cfg, const char *name, char *out, size_t outlen);

/* A staff PIN is 6 to 12 digits. Its hash can only be guessed at offline
 * by someone who read kiosk.ini (installed 0640), and a million guesses
 * at argon2id's cost take days; four digits took minutes. The length is
 * kept at hashing time: a hash does not tell how long its PIN was. */
#define CONFIG_PIN_MIN 6
#define CONFIG_PIN_MAX 12

/* Makes the staff_pin value for a PIN (argon2id); a PIN that is not
 * CONFIG_PIN_MIN to CONFIG_PIN_MAX digits is refused. 0 or -1. */
int config_hash_pin(const char *pin, char *out, size_t outlen);

/* 1 if pin matches the configured hash; 0 otherwise (also when none set). */
int config_check_pin(const config *cfg, const char *pin);

/* A printer's address as [printer] device gives it: a path starting with
 * '/' (tcp 0), or tcp:HOST[:PORT] (tcp 1, port 9100 by default). */
#define CONFIG_PRINTER_TCP_PORT 9100
typedef struct {
	char host[256];
	char port[8];
	int tcp;
} config_device;

/* 0 with d filled, or -1 with why in msg (a sentence without the key's name). */
int config_device_parse(const char *device, config_device *d, char *msg, size_t msglen);

#endif
