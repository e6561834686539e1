/*
 * The transport's limit: the same round trip as vq_bench's getinfo (or
 * q_bench's getquorate), written directly on libqb's client (no corosync
 * client library at all).
 *   qb_getinfo N [LATENCIES_FILE]              votequorum getinfo
 *   qb_getinfo --quorum N [LATENCIES_FILE]     quorum getquorate
 */
#define _GNU_SOURCE
#include <qb/qbipcc.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "bench_common.h"

/* Both requests have id 0: votequorum's getinfo carries a node id after the
 * header, quorum's getquorate is the header alone. */
struct req { int32_t id __attribute__((aligned(8))); int32_t size __attribute__((aligned(8))); int32_t nodeid; };

struct round_trip {
	qb_ipcc_connection_t *c;
	struct iovec iov;
};

static void round_trip(void *arg, int i)
{
	struct round_trip *rt = arg;
	char reply[512];
	if (qb_ipcc_sendv_recv(rt->c, &rt->iov, 1, reply, sizeof(reply), -1) < 0)
		die("round trip", i);
}

int main(int argc, char **argv)
{
	int quorum = argc > 1 && !strcmp(argv[1], "--quorum");
	int n = argc > 1 + quorum ? atoi(argv[1 + quorum]) : 10000;
	const char *file = argc > 2 + quorum ? argv[2 + quorum] : NULL;
	struct req r;
	struct round_trip rt = { qb_ipcc_connect(quorum ? "quorum" : "votequorum", 256 * 1024),
		{ &r, quorum ? offsetof(struct req, nodeid) : sizeof(r) } };
	if (!rt.c)
		die("cannot connect", 0);
	memset(&r, 0, sizeof(r));
	r.id = 0; /* GETINFO, GETQUORATE */
	r.size = (int32_t)rt.iov.iov_len;
	time_calls(quorum ? "getquorate_bare_libqb" : "getinfo_bare_libqb", n, 1000, round_trip, &rt, file);
	qb_ipcc_disconnect(rt.c);
	return 0;
}
