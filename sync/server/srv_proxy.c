/* srv_proxy: the listen address, trusted proxies and X-Forwarded-For (see
 * srv_proxy.h).
 *
 * Addresses are compared as 16 bytes: IPv4 ones, and IPv4-mapped IPv6 ones
 * (what a dual-stack listener sees), as IPv4, so "127.0.0.1" also trusts
 * "::ffff:127.0.0.1". A header entry may carry a port ("1.2.3.4:5678",
 * "[::1]:80"), which is dropped. */
#include "srv_proxy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRY_MAX 64

/* One address in text (no port, no brackets) into family and bytes. */
static int parse_address(const char *text, int *family, unsigned char out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, text, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, out) == 1) {
		*family = AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)out)) {
			memmove(out, out + 12, 4);
			memset(out + 4, 0, 12);
			*family = AF_INET;
		}
		return 0;
	}
	return -1;
}

/* A socket address as family and bytes, IPv4-mapped ones as IPv4. */
static int sockaddr_bytes(const struct sockaddr *sa, int *family, unsigned char out[16])
{
	memset(out, 0, 16);
	if (!sa) return -1;
	if (sa->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		*family = AF_INET;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(out, (const unsigned char *)a + 12, 4);
			*family = AF_INET;
		} else {
			memcpy(out, a, 16);
			*family = AF_INET6;
		}
		return 0;
	}
	return -1;
}

static int net_contains(const srv_proxy_net *n, int family, const unsigned char a[16])
{
	int full = n->bits / 8, rest = n->bits % 8;
	if (n->family != family || memcmp(n->addr, a, (size_t)full) != 0) return 0;
	return rest == 0 || ((n->addr[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static int bytes_trusted(const srv_proxy *p, int family, const unsigned char a[16])
{
	int i;
	for (i = 0; p && i < p->n; i++)
		if (net_contains(&p->nets[i], family, a)) return 1;
	return 0;
}

int srv_proxy_parse(srv_proxy *p, const char *list, char *err, size_t errlen)
{
	const char *s = list;
	memset(p, 0, sizeof *p);
	while (s && *s) {
		char entry[ENTRY_MAX], *slash, *end;
		size_t len = strcspn(s, ",");
		srv_proxy_net *n = &p->nets[p->n];
		long bits;
		if (len == 0 || len >= sizeof entry) {
			snprintf(err, errlen, "--trusted-proxy: expected addresses or networks separated by commas");
			return -1;
		}
		if (p->n >= SRV_PROXY_MAX) {
			snprintf(err, errlen, "--trusted-proxy: at most %d entries", SRV_PROXY_MAX);
			return -1;
		}
		memcpy(entry, s, len);
		entry[len] = '\0';
		s += len + (s[len] == ',');
		if ((slash = strchr(entry, '/'))) *slash = '\0';
		if (parse_address(entry, &n->family, n->addr) != 0) {
			snprintf(err, errlen, "--trusted-proxy %s: not an IPv4 or IPv6 address", entry);
			return -1;
		}
		n->bits = n->family == AF_INET ? 32 : 128;
		if (slash) {
			bits = strtol(slash + 1, &end, 10);
			if (!slash[1] || *end || bits < 0 || bits > n->bits) {
				snprintf(err, errlen, "--trusted-proxy %s/%s: not a prefix length", entry, slash + 1);
				return -1;
			}
			n->bits = (int)bits;
		}
		p->n++;
	}
	return 0;
}

int srv_proxy_trusted(const srv_proxy *p, const struct sockaddr *addr)
{
	unsigned char a[16];
	int family;
	return sockaddr_bytes(addr, &family, a) == 0 && bytes_trusted(p, family, a);
}

/* One header entry (spaces around it, maybe a port) as family and bytes. */
static int parse_entry(const char *s, size_t len, int *family, unsigned char out[16])
{
	char text[ENTRY_MAX], *close;
	while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
	if (len == 0 || len >= sizeof text) return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (text[0] == '[') {
		if (!(close = strchr(text, ']'))) return -1;
		*close = '\0';
		return parse_address(text + 1, family, out);
	}
	if ((close = strchr(text, ':')) && !strchr(close + 1, ':')) *close = '\0';
	return parse_address(text, family, out);
}

static void fill(struct sockaddr_storage *out, int family, const unsigned char a[16])
{
	memset(out, 0, sizeof *out);
	if (family == AF_INET) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)out;
		v4->sin_family = AF_INET;
		memcpy(&v4->sin_addr, a, 4);
	} else {
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)out;
		v6->sin6_family = AF_INET6;
		memcpy(&v6->sin6_addr, a, 16);
	}
}

int srv_proxy_client(const srv_proxy *p, const struct sockaddr *peer, const char *forwarded,
	const char *real_ip, struct sockaddr_storage *out)
{
	unsigned char a[16];
	int family;
	size_t end;
	memset(out, 0, sizeof *out);
	if (peer) memcpy(out, peer, peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		peer->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr));
	if (!srv_proxy_trusted(p, peer)) return 0;
	if (forwarded && *forwarded) {
		/* Right to left: the first entry that is not one of our proxies.
		 * Garbage there means our own proxy wrote it: fall back to the peer. */
		end = strlen(forwarded);
		while (end > 0) {
			size_t start = end;
			while (start > 0 && forwarded[start - 1] != ',') start--;
			if (parse_entry(forwarded + start, end - start, &family, a) != 0) return 0;
			if (!bytes_trusted(p, family, a) || start == 0) {
				fill(out, family, a);
				return 1;
			}
			end = start - 1;
		}
		return 0;
	}
	if (real_ip && parse_entry(real_ip, strlen(real_ip), &family, a) == 0) {
		fill(out, family, a);
		return 1;
	}
	return 0;
}

/* ---- the listen address ---- */

int srv_proxy_resolve_listen(const char *listen, struct addrinfo **out, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':'), *port;
	struct addrinfo hints;
	size_t hostlen;
	int rc;
	if (!colon || !colon[1]) {
		snprintf(err, errlen, "--listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080", listen);
		return -1;
	}
	port = colon + 1;
	hostlen = (size_t)(colon - listen);
	if (hostlen >= 2 && listen[0] == '[' && listen[hostlen - 1] == ']') {
		listen++;
		hostlen -= 2;
	}
	if (hostlen >= sizeof host) {
		snprintf(err, errlen, "--listen: host name too long");
		return -1;
	}
	memcpy(host, listen, hostlen);
	host[hostlen] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(hostlen ? host : NULL, port, &hints, out)) != 0) {
		snprintf(err, errlen, "--listen %s: %s", listen, gai_strerror(rc));
		return -1;
	}
	return 0;
}
