/*
 * The transport's limit for dispatch: notifications taken straight from
 * libqb's client (qb_ipcc_event_recv in a loop), no corosync client
 * library. The same poll loop as vq_bench's and q_bench's drain and backlog
 * workloads; the messages are counted, not decoded.
 *   qb_dispatch drain N all|one     the fake server's burst (it starts on trackstart)
 *   qb_dispatch backlog N all|one   N changes corosync queued for a connection
 *                                   that was not reading, then drained
 *   qb_dispatch quorum-backlog N all|one v0|v1
 *                                   the quorum service's current state, asked for
 *                                   N times and queued, then drained (q_bench backlog)
 *   (all VQ_BENCH_ROUNDS times, see bench_common.h)
 * The requests are written as votequorum's and quorum's wire layouts have them.
 */
#define _GNU_SOURCE
#include <qb/qbipcc.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "bench_common.h"

#define A8 __attribute__((aligned(8)))
struct header { int32_t id A8; int32_t size A8; };
struct trackstart { struct header h; uint64_t context; uint32_t flags; };   /* id 3 */
struct setexpected { struct header h; uint32_t expected_votes; };          /* id 1 */
struct q_trackstart { struct header h; uint32_t flags; };                  /* quorum, id 1 */
struct q_model { struct header h; uint32_t model; };                       /* quorum, id 4 */

#define CONNECTION_SIZE (256 * 1024) /* as our library asks */

static qb_ipcc_connection_t *connect_or_die(const char *service)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect(service, CONNECTION_SIZE);
	if (!c)
		die("cannot connect", errno);
	return c;
}

/* Sends a request and checks that the status reply says CS_OK (1). */
static void request(qb_ipcc_connection_t *c, void *req, size_t len)
{
	char reply[64];
	struct iovec iov = { req, len };
	ssize_t res = qb_ipcc_sendv_recv(c, &iov, 1, reply, sizeof(reply), -1);
	int32_t error;
	if (res < 24)
		die("request", (long)res);
	memcpy(&error, reply + 16, sizeof(error));
	if (error != 1)
		die("request refused", error);
}

static void trackstart(qb_ipcc_connection_t *c)
{
	struct trackstart t;
	memset(&t, 0, sizeof(t));
	t.h.id = 3;
	t.h.size = sizeof(t);
	t.context = 1;
	t.flags = 2; /* CS_TRACK_CHANGES */
	request(c, &t, sizeof(t));
}

static void setexpected(qb_ipcc_connection_t *c, uint32_t votes)
{
	struct setexpected s;
	memset(&s, 0, sizeof(s));
	s.h.id = 1;
	s.h.size = sizeof(s);
	s.expected_votes = votes;
	request(c, &s, sizeof(s));
}

/* Asks the quorum service for its current state (CS_TRACK_CURRENT): one
 * notification in model V0, a node list and a quorum notification in V1. */
static void q_trackstart_current(qb_ipcc_connection_t *c)
{
	struct q_trackstart t;
	memset(&t, 0, sizeof(t));
	t.h.id = 1;
	t.h.size = sizeof(t);
	t.flags = 1; /* CS_TRACK_CURRENT */
	request(c, &t, sizeof(t));
}

static void q_model(qb_ipcc_connection_t *c, uint32_t model)
{
	struct q_model m;
	memset(&m, 0, sizeof(m));
	m.h.id = 4;
	m.h.size = sizeof(m);
	m.model = model;
	request(c, &m, sizeof(m));
}

/* poll, then take every pending message (all) or one (one), until
 * `target`; adds the time it took. */
static void drain(qb_ipcc_connection_t *c, int target, int one, double *seconds)
{
	static char buf[CONNECTION_SIZE] __attribute__((aligned(8)));
	struct pollfd p;
	int fd, got = 0;
	double start;
	qb_ipcc_fd_get(c, &fd);
	p.fd = fd;
	p.events = POLLIN;
	start = now_us();
	while (got < target) {
		if (poll(&p, 1, 5000) != 1)
			die("notifications stopped coming", got);
		do {
			ssize_t res = qb_ipcc_event_recv(c, buf, sizeof(buf), 0);
			if (res == -EAGAIN || res == -ETIMEDOUT)
				break;
			if (res < 0)
				die("event_recv", (long)res);
			got++;
		} while (!one && got < target);
	}
	*seconds += (now_us() - start) / 1e6;
}

/* The rate over all rounds of n, as workload "<name>_all|one". */
static void report(const char *name, int one, int n, int rounds, double seconds)
{
	printf("{\"workload\":\"%s_%s\",\"n\":%d,\"rounds\":%d,\"per_s\":%.0f}\n", name, one ? "one" : "all", n,
		rounds, (double)n * rounds / seconds);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0, one = argc > 3 && !strcmp(argv[3], "one"), i, r;
	int rounds = bench_rounds();
	double seconds = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(w, "drain") && n > 0) {
		qb_ipcc_connection_t *c = connect_or_die("votequorum");
		for (r = 0; r < rounds; r++) {
			trackstart(c); /* the server starts a burst */
			drain(c, n, one, &seconds);
		}
		report("drain", one, n, rounds, seconds);
		qb_ipcc_disconnect(c);
	} else if (!strcmp(w, "backlog") && n > 0) {
		qb_ipcc_connection_t *tracker = connect_or_die("votequorum"), *changer = connect_or_die("votequorum");
		trackstart(tracker);
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < n; i++) /* on one node both values are accepted */
				setexpected(changer, i % 2 ? 1 : 0xffffffffu);
			setexpected(changer, 1);
			drain(tracker, n + 1, one, &seconds);
		}
		report("backlog", one, n + 1, rounds, seconds);
		qb_ipcc_disconnect(tracker);
		qb_ipcc_disconnect(changer);
	} else if (!strcmp(w, "quorum-backlog") && n > 0) {
		int v1 = argc > 4 && !strcmp(argv[4], "v1");
		qb_ipcc_connection_t *c = connect_or_die("quorum");
		q_model(c, (uint32_t)v1);
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < n; i++)
				q_trackstart_current(c);
			drain(c, v1 ? 2 * n : n, one, &seconds);
		}
		report(v1 ? "quorum_backlog_v1" : "quorum_backlog_v0", one, v1 ? 2 * n : n, rounds, seconds);
		qb_ipcc_disconnect(c);
	} else {
		fprintf(stderr, "usage: see the comment at the top of qb_dispatch.c\n");
		return 2;
	}
	return 0;
}
