/* srv_show: printing one request for staff (see srv_show.h).
 *
 * What a kiosk sent and what an official wrote are printed through
 * srv_show_escape: a note holding an escape sequence could otherwise move
 * the cursor, rewrite the lines above or retitle the staff's terminal. */
#include "srv_show.h"
#include "seal.h"
#include "token.h"
#include "vntime.h"
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The length of the UTF-8 sequence at s (1..4) when it is a well-formed
 * printable one, else 0. */
static size_t utf8_printable(const unsigned char *s)
{
	size_t n, i;
	if (s[0] < 0x80) return s[0] >= 0x20 && s[0] != 0x7f ? 1 : 0;
	n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (n == 0 || (n == 3 && s[0] >= 0xf0)) return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80) return 0;
	if (s[0] == 0xc2 && s[1] < 0xa0) return 0;       /* C1 controls U+0080..U+009F */
	if (s[0] == 0xe0 && s[1] < 0xa0) return 0;       /* overlong */
	if (s[0] == 0xed && s[1] >= 0xa0) return 0;      /* surrogates */
	if (s[0] == 0xf0 && s[1] < 0x90) return 0;
	if (s[0] == 0xf4 && s[1] >= 0x90) return 0;
	return n;
}

void srv_show_escape(const char *s, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0, n;
	if (!outlen) return;
	while (*p) {
		char piece[8];
		n = *p == '\\' ? 0 : utf8_printable(p);
		if (*p == '\\') snprintf(piece, sizeof piece, "\\\\");
		else if (n == 0) snprintf(piece, sizeof piece, "\\x%02x", *p);
		else {
			memcpy(piece, p, n);
			piece[n] = '\0';
		}
		if (len + strlen(piece) + 1 > outlen) break;
		memcpy(out + len, piece, strlen(piece));
		len += strlen(piece);
		p += n ? n : 1;
	}
	out[len] = '\0';
}

/* Escaped into a buffer of its own for one printf argument. */
#define ESC(buf, s) (srv_show_escape((s), (buf), sizeof (buf)), (buf))

/* "YYYY-MM-DD HH:MM" in Vietnam time, "never" for 0. */
static void when(long long t, char out[24])
{
	if (t == 0 || vntime_format(t, "%Y-%m-%d %H:%M", out, 24) == 0) snprintf(out, 24, "never");
}

static int print_event(const proto_event *e, void *arg)
{
	FILE *out = arg;
	char at[24], status[80], note[PROTO_NOTE_MAX * 4], date[48];
	when(e->at, at);
	fprintf(out, "  %-6lld %s  %-12s %s%s%s%s\n", e->id, at, ESC(status, e->status), ESC(note, e->note),
		e->deadline[0] ? " [date " : "", ESC(date, e->deadline), e->deadline[0] ? "]" : "");
	return 0;
}

/* The sealed identity, opened and printed field by field. */
static void print_identity(FILE *out, const srv_keys *keys, const srv_db_request *r)
{
	unsigned char *clear;
	size_t len = r->sealed_len > SEAL_OVERHEAD ? r->sealed_len - SEAL_OVERHEAD : 0;
	json_t *o, *v;
	const char *field;
	char *text, name[256], value[4096];
	fprintf(out, "identity:\n");
	if (!len || !(clear = malloc(len + 1))) {
		fprintf(out, "  (nothing sealed)\n");
		return;
	}
	if (seal_open(keys->box_pk, keys->box_sk, r->sealed, r->sealed_len, clear) != 0) {
		fprintf(out, "  (cannot be opened with this server's key: sealed to another server, or damaged)\n");
		free(clear);
		return;
	}
	clear[len] = '\0';
	if (!(o = json_loadb((const char *)clear, len, 0, NULL)) || !json_is_object(o)) {
		fprintf(out, "  (not a JSON object) %s\n", ESC(value, (const char *)clear));
	} else {
		json_object_foreach(o, field, v) {
			if (json_is_string(v)) {
				fprintf(out, "  %-12s %s\n", ESC(name, field), ESC(value, json_string_value(v)));
			} else if ((text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT))) {
				fprintf(out, "  %-12s %s\n", ESC(name, field), ESC(value, text));
				free(text);
			}
		}
	}
	json_decref(o);
	sodium_memzero(value, sizeof value);
	sodium_memzero(clear, len);
	free(clear);
}

int srv_show_request(FILE *out, srv_db *db, const srv_keys *keys, const srv_db_request *r)
{
	char grouped[TOKEN_GROUPED_LEN + 1], received[24], kiosk_clock[24], stored[24], updated[24];
	char a[64], b[64], c[200];
	token_group(r->token, grouped);
	when(r->received_at, received);
	when(r->kiosk_received_at, kiosk_clock);
	when(r->received_server_at, stored);
	when(r->updated_at, updated);
	fprintf(out, "# DỮ LIỆU CÁ NHÂN / PERSONAL DATA: for staff handling this request only; do not copy or share.\n");
	fprintf(out, "request      %s\n", ESC(a, r->id));
	fprintf(out, "kiosk        %s (seq %lld)\n", ESC(a, r->kiosk), r->seq);
	fprintf(out, "receipt code %s\n", ESC(a, grouped));
	fprintf(out, "category     %s\n", ESC(a, r->category));
	fprintf(out, "procedure    %s\n", r->procedure[0] ? ESC(a, r->procedure) : "-");
	fprintf(out, "received     %s (UTC+7; kiosk clock %s)\n", received, kiosk_clock);
	fprintf(out, "stored       %s (server clock, UTC+7)\n", stored);
	fprintf(out, "deadline     %s (kiosk's %s)\n", ESC(a, r->due), ESC(b, r->deadline));
	fprintf(out, "status       %s (since %s)\n", ESC(a, r->status), updated);
	if (r->trust) fprintf(out, "flagged      %s\n", ESC(c, r->trust_note));
	print_identity(out, keys, r);
	fprintf(out, "events:\n");
	return srv_db_request_events(db, r->id, print_event, out) == 0 ? 0 : -1;
}
