/* srv_proxy: addresses: the one the server listens on, which reverse
 * proxies are trusted, and the client address behind one.
 *
 * Behind a proxy every connection comes from the proxy's address, so the
 * rate limiters and the per-address connection limit would put every phone
 * and every official in one bucket. `serve --trusted-proxy LIST` names the
 * proxies (addresses or networks, "127.0.0.1,10.0.0.0/8,::1"). Only when
 * the connection's peer is one of them is X-Forwarded-For believed: the
 * client is its right-most entry that is not itself a trusted proxy, since
 * everything to the left of what our proxy appended was written by the
 * client and can be anything. X-Real-IP is the fallback when there is no
 * X-Forwarded-For. From any other peer both headers are ignored. */
#ifndef MOTCUA_SRV_PROXY_H
#define MOTCUA_SRV_PROXY_H

#include <stddef.h>
#include <sys/socket.h>

struct addrinfo;

#define SRV_PROXY_MAX 16

typedef struct {
	int family;                  /* AF_INET or AF_INET6 */
	unsigned char addr[16];      /* network byte order; 4 bytes used for IPv4 */
	int bits;                    /* prefix length */
} srv_proxy_net;

typedef struct {
	srv_proxy_net nets[SRV_PROXY_MAX];
	int n;
} srv_proxy;

/* A comma-separated list of addresses or ADDRESS/BITS networks into p
 * (which is emptied first; NULL or "" leaves it empty). 0, or -1 with a
 * reason in err. */
int srv_proxy_parse(srv_proxy *p, const char *list, char *err, size_t errlen);

/* 1 if addr (IPv4, IPv6 or IPv4-mapped IPv6) is a trusted proxy. */
int srv_proxy_trusted(const srv_proxy *p, const struct sockaddr *addr);

/* The client's address into out: peer itself unless peer is trusted, then
 * the address the headers give (forwarded: the X-Forwarded-For value, or
 * NULL; real_ip: X-Real-IP, or NULL), or peer again when they give none
 * that parses. Returns 1 when the address came from a header. */
int srv_proxy_client(const srv_proxy *p, const struct sockaddr *peer, const char *forwarded,
	const char *real_ip, struct sockaddr_storage *out);

/* `--listen`: "HOST:PORT", "[v6 address]:PORT" or ":PORT" (every
 * interface) to a socket address; free *out with freeaddrinfo. 0, or -1
 * with a reason in err. */
int srv_proxy_resolve_listen(const char *listen, struct addrinfo **out, char *err, size_t errlen);

#endif
