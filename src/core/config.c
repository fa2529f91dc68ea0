/* config: reading the INI file (see config.h). Each key is a row of
 * config_keys: section, name, where it goes, how it is parsed. Unknown keys
 * are errors, because a misspelt key silently ignored is a kiosk that does
 * not do what its installer thinks. */
#include "config.h"
#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef enum { KEY_STRING, KEY_INT, KEY_CHOICE, KEY_DIGITS5, KEY_URL, KEY_PIN, KEY_DEVICE } key_type;

typedef struct {
	const char *section, *name;
	key_type type;
	size_t offset, size;     /* into config */
	const char *def;         /* default, NULL when required */
	const char *choices;     /* "a|b" for KEY_CHOICE */
	int min, max;            /* for KEY_INT */
} config_key;

#define STR(f) offsetof(config, f), sizeof(((config *)0)->f)
static const config_key config_keys[] = {
	{ "kiosk", "commune_code", KEY_DIGITS5, STR(commune_code), NULL, NULL, 0, 0 },
	{ "kiosk", "commune_name", KEY_STRING, STR(commune_name), NULL, NULL, 0, 0 },
	{ "kiosk", "kiosk_number", KEY_INT, STR(kiosk_number), "1", NULL, 1, 999 },
	{ "kiosk", "data_dir", KEY_STRING, STR(data_dir), "/var/lib/motcua", NULL, 0, 0 },
	{ "kiosk", "assets_dir", KEY_STRING, STR(assets_dir), "assets", NULL, 0, 0 },
	{ "kiosk", "fonts_dir", KEY_STRING, STR(fonts_dir), "fonts", NULL, 0, 0 },
	{ "kiosk", "language", KEY_CHOICE, STR(language), "vi", "vi|en", 0, 0 },
	{ "kiosk", "input_method", KEY_CHOICE, STR(input_method), "telex", "telex|vni", 0, 0 },
	{ "kiosk", "tone_style", KEY_CHOICE, STR(tone_style), "old", "old|new", 0, 0 },
	{ "kiosk", "idle_timeout", KEY_INT, STR(idle_timeout), "90", NULL, 15, 3600 },
	{ "kiosk", "staff_pin", KEY_PIN, STR(staff_pin), "", NULL, 0, 0 },
	{ "kiosk", "office_level", KEY_STRING, STR(office_level), "", NULL, 0, 0 },
	{ "kiosk", "timezone", KEY_STRING, STR(time_zone), "ICT-7", NULL, 0, 0 },
	{ "kiosk", "usb_dir", KEY_STRING, STR(usb_dir), "/media", NULL, 0, 0 },
	{ "kiosk", "pin_lock_seconds", KEY_INT, STR(pin_lock_seconds), "60", NULL, 1, 3600 },
	{ "server", "public_url", KEY_URL, STR(public_url), "http://127.0.0.1:8080", NULL, 0, 0 },
	{ "server", "url", KEY_URL, STR(server_url), "", NULL, 0, 0 },
	{ "server", "key", KEY_STRING, STR(server_key), "", NULL, 0, 0 },
	{ "server", "sync_interval", KEY_INT, STR(sync_interval), "300", NULL, 0, 86400 },
	{ "printer", "device", KEY_DEVICE, STR(printer_device), "", NULL, 0, 0 },
	{ "printer", "width", KEY_CHOICE, STR(printer_width), "58", "58|80", 0, 0 },
	{ "printer", "kind", KEY_CHOICE, STR(printer_kind), "escpos", "escpos|cups", 0, 0 },
	{ "printer", "queue", KEY_STRING, STR(printer_queue), "", NULL, 0, 0 },
	{ "printer", "server", KEY_STRING, STR(printer_server), "", NULL, 0, 0 },
	{ "printer", "private", KEY_CHOICE, STR(printer_private), "no", "yes|no", 0, 0 },
	{ "office", "listen", KEY_STRING, STR(office_listen), "0.0.0.0:8090", NULL, 0, 0 },
	{ "office", "voice", KEY_STRING, STR(office_voice), "vi", NULL, 0, 0 },
	{ "log", "level", KEY_CHOICE, STR(log_level), "info", "error|warn|info|debug", 0, 0 },
};
#define NKEYS (sizeof config_keys / sizeof config_keys[0])

typedef struct {
	config *cfg;
	int seen[NKEYS];
	char msg[256];           /* first error, without file and line */
} load_state;

static int choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0) return 1;
		if (!bar) break;
		p = bar + 1;
	}
	return 0;
}

/* Parses v for key k into cfg; 0, or -1 with a reason in msg. */
static int set_value(config *cfg, const config_key *k, const char *v, char *msg, size_t msglen)
{
	char *field = (char *)cfg + k->offset;
	size_t i;
	switch (k->type) {
	case KEY_INT: {
		char *end;
		long n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < k->min || n > k->max) {
			snprintf(msg, msglen, "must be a whole number from %d to %d, not \"%s\"", k->min, k->max, v);
			return -1;
		}
		*(int *)(void *)field = (int)n;
		return 0;
	}
	case KEY_CHOICE:
		if (!choice_ok(k->choices, v)) {
			snprintf(msg, msglen, "must be one of %s, not \"%s\"", k->choices, v);
			return -1;
		}
		break;
	case KEY_DIGITS5:
		for (i = 0; v[i]; i++)
			if (v[i] < '0' || v[i] > '9') break;
		if (i != 5 || v[i]) {
			snprintf(msg, msglen, "must be the commune's 5-digit code, not \"%s\"", v);
			return -1;
		}
		break;
	case KEY_URL:
		if (*v && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
			snprintf(msg, msglen, "must start with http:// or https://, not \"%s\"", v);
			return -1;
		}
		break;
	case KEY_PIN:
		if (*v && strncmp(v, "$argon2id$", 10) != 0) {
			snprintf(msg, msglen, "must be a hash made by `motcua-kiosk hash-pin`, not a PIN");
			return -1;
		}
		break;
	case KEY_DEVICE:
		if (*v && config_device_parse(v, &(config_device){0}, msg, msglen) != 0) return -1;
		break;
	case KEY_STRING:
		break;
	}
	if (strlen(v) >= k->size) {
		snprintf(msg, msglen, "is too long (at most %zu bytes)", k->size - 1);
		return -1;
	}
	memcpy(field, v, strlen(v) + 1);
	/* A URL base never ends in '/', so that base + "/r/..." has one slash. */
	if (k->type == KEY_URL) {
		size_t n = strlen(field);
		while (n > 0 && field[n - 1] == '/') field[--n] = '\0';
	}
	return 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	load_state *st = user;
	size_t i;
	char why[200];
	if (st->msg[0]) return 1;        /* report only the first error */
	for (i = 0; i < NKEYS; i++) {
		const config_key *k = &config_keys[i];
		if (strcmp(k->section, section) || strcmp(k->name, name)) continue;
		if (set_value(st->cfg, k, value, why, sizeof why) < 0) {
			snprintf(st->msg, sizeof st->msg, "[%s] %s %s", section, name, why);
			return 0;
		}
		st->seen[i] = 1;
		return 1;
	}
	snprintf(st->msg, sizeof st->msg, "unknown key \"%s\" in section [%s]", name, section);
	return 0;
}

void config_defaults(config *cfg)
{
	size_t i;
	char why[200];
	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < NKEYS; i++)
		if (config_keys[i].def)
			set_value(cfg, &config_keys[i], config_keys[i].def, why, sizeof why);
}

int config_load(const char *path, config *cfg, char *err, size_t errlen)
{
	load_state st;
	size_t i;
	int line;
	FILE *f;

	config_defaults(cfg);
	memset(&st, 0, sizeof st);
	st.cfg = cfg;
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot read the configuration file", path);
		return -1;
	}
	line = ini_parse_file(f, on_key, &st);
	fclose(f);
	if (line != 0) {
		snprintf(err, errlen, "%s:%d: %s", path, line,
			st.msg[0] ? st.msg : "not a key = value line or [section]");
		return -1;
	}
	for (i = 0; i < NKEYS; i++) {
		if (!config_keys[i].def && !st.seen[i]) {
			snprintf(err, errlen, "%s: [%s] %s is required", path,
				config_keys[i].section, config_keys[i].name);
			return -1;
		}
	}
	if (strcmp(cfg->printer_kind, "cups") == 0 && !cfg->printer_queue[0]) {
		snprintf(err, errlen, "%s: [printer] kind = cups needs queue = the CUPS queue's name (lpstat -p)", path);
		return -1;
	}
	/* Receipts, deadlines and the 15:00 cut-off are in the commune's time,
	 * whatever zone the machine was imaged with (Raspberry Pi OS ships set
	 * to London), and the phone page shows the same clock. */
	if (setenv("TZ", cfg->time_zone, 1) != 0) {
		snprintf(err, errlen, "%s: [kiosk] timezone: cannot be set", path);
		return -1;
	}
	tzset();
	return 0;
}

void config_data_file(const config *cfg, const char *name, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", cfg->data_dir, name);
	if (access(out, R_OK) != 0) snprintf(out, outlen, "%s/%s", cfg->assets_dir, name);
}

/* 16 MiB and three passes: slow enough against guessing from a copied file,
 * light enough for a Raspberry Pi with a 40 MiB memory budget. */
#define PIN_OPS 3
#define PIN_MEM (16u * 1024 * 1024)

int config_hash_pin(const char *pin, char *out, size_t outlen)
{
	char hash[crypto_pwhash_STRBYTES];
	size_t n = strlen(pin), i;
	if (n < CONFIG_PIN_MIN || n > CONFIG_PIN_MAX) return -1;
	for (i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9') return -1;
	if (sodium_init() < 0 || outlen < sizeof hash) return -1;
	if (crypto_pwhash_str(hash, pin, strlen(pin), PIN_OPS, PIN_MEM) != 0) return -1;
	memcpy(out, hash, sizeof hash);
	return 0;
}

int config_check_pin(const config *cfg, const char *pin)
{
	if (!cfg->staff_pin[0] || sodium_init() < 0) return 0;
	return crypto_pwhash_str_verify(cfg->staff_pin, pin, strlen(pin)) == 0;
}

/* ---- printer addresses ---- */

int config_device_parse(const char *device, config_device *d, char *msg, size_t msglen)
{
	const char *rest, *colon;
	size_t hostlen;
	memset(d, 0, sizeof *d);
	if (device[0] == '/') return 0;
	if (strncmp(device, "tcp:", 4) != 0) {
		snprintf(msg, msglen, "must be a device path like /dev/usb/lp0 or tcp:HOST:PORT, not \"%s\"", device);
		return -1;
	}
	d->tcp = 1;
	rest = device + 4;
	if (rest[0] == '[') {               /* tcp:[2001:db8::5]:9100 */
		const char *close = strchr(rest, ']');
		if (!close) { snprintf(msg, msglen, "has an IPv6 address without its closing ']'"); return -1; }
		hostlen = (size_t)(close - rest - 1);
		rest++;
		colon = close[1] == ':' ? close + 1 : close[1] ? close : NULL;
		if (colon && *colon != ':') { snprintf(msg, msglen, "has text after the IPv6 address's ']'"); return -1; }
	} else {
		colon = strchr(rest, ':');
		hostlen = colon ? (size_t)(colon - rest) : strlen(rest);
	}
	if (hostlen == 0 || hostlen >= sizeof d->host) {
		snprintf(msg, msglen, "needs a host name or address after tcp:, like tcp:192.168.1.50:9100");
		return -1;
	}
	memcpy(d->host, rest, hostlen);
	snprintf(d->port, sizeof d->port, "%d", CONFIG_PRINTER_TCP_PORT);
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (!colon[1] || *end || port < 1 || port > 65535) {
			snprintf(msg, msglen, "has a port that is not a number from 1 to 65535: \"%s\"", colon + 1);
			return -1;
		}
		snprintf(d->port, sizeof d->port, "%ld", port);
	}
	return 0;
}
