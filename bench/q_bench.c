/*
 * q_bench: one workload through the quorum C API (libquorum.so.5), printed
 * as one JSON line. Linked to Debian's libquorum5 as Debian's binaries are,
 * so the same binary measures the reference and (with LD_LIBRARY_PATH) ours.
 * Needs a running corosync.
 *
 *   q_bench getquorate N [LATENCIES_FILE]   N getquorate round trips
 *   q_bench initfin N                       N initialize + finalize pairs
 *   q_bench backlog N all|one v0|v1         N trackstart(CS_TRACK_CURRENT) calls on a handle
 *                                           that does not dispatch meanwhile, then the
 *                                           notifications they queued drained: N in model V0
 *                                           (quorum), 2N in model V1 (node list and quorum)
 *                                           (VQ_BENCH_ROUNDS times, see bench_common.h)
 */
#define _GNU_SOURCE
#include <corosync/quorum.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_CLIENT /* the counted allocator and the drain loop */
#include "bench_common.h"

static void count_v0(quorum_handle_t h, uint32_t q, uint64_t seq, uint32_t n, uint32_t *l)
{
	(void)h; (void)q; (void)seq; (void)n; (void)l;
	drained++;
}
static void count_v1_quorum(quorum_handle_t h, uint32_t q, struct quorum_ring_id r, uint32_t n, const uint32_t *l)
{
	(void)h; (void)q; (void)r; (void)n; (void)l;
	drained++;
}
static void count_v1_nodelist(quorum_handle_t h, struct quorum_ring_id r, uint32_t n, const uint32_t *l,
	uint32_t nj, const uint32_t *j, uint32_t nl, const uint32_t *left)
{
	(void)h; (void)r; (void)n; (void)l; (void)nj; (void)j; (void)nl; (void)left;
	drained++;
}

/* A handle in model V0 (quorum_initialize) or V1 (quorum_model_initialize),
 * its callbacks counting into `drained`. */
static quorum_handle_t open_or_die(int v1)
{
	quorum_handle_t h;
	uint32_t type;
	cs_error_t err;
	if (v1) {
		quorum_model_v1_data_t data = { QUORUM_MODEL_V1, count_v1_quorum, count_v1_nodelist };
		err = quorum_model_initialize(&h, QUORUM_MODEL_V1, (quorum_model_data_t *)&data, &type, NULL);
	} else {
		quorum_callbacks_t cb = { count_v0 };
		err = quorum_initialize(&h, &cb, &type);
	}
	if (err != CS_OK)
		die("quorum_initialize", err);
	return h;
}

static void getquorate_call(void *handle, int i)
{
	int quorate = 0;
	if (quorum_getquorate(*(quorum_handle_t *)handle, &quorate) != CS_OK)
		die("getquorate", i);
	if (quorate != 1) /* the private corosync is quorate: a wrong answer is no measurement */
		die("getquorate said not quorate", quorate);
}

static void bench_getquorate(int n, const char *file)
{
	quorum_handle_t h = open_or_die(0);
	time_calls("quorum_getquorate", n, 1000, getquorate_call, &h, file);
	quorum_finalize(h);
}

static void initfin_call(void *unused, int i)
{
	quorum_callbacks_t cb = { count_v0 };
	quorum_handle_t h;
	uint32_t type;
	(void)unused;
	if (quorum_initialize(&h, &cb, &type) != CS_OK)
		die("initialize", i);
	quorum_finalize(h);
}

static void bench_initfin(int n)
{
	time_calls("quorum_initfin", n, 0, initfin_call, NULL, NULL);
}

/* The backlog: every trackstart with CS_TRACK_CURRENT makes corosync send
 * the current state at once (and, as the handle does not track changes,
 * never CS_ERR_EXIST). The handle does not dispatch until all n calls are
 * answered; corosync fills its event ring and queues the rest on its side. */
static void bench_backlog(int n, int one, int v1)
{
	quorum_handle_t h = open_or_die(v1);
	int fd, i, r, rounds = bench_rounds(), per_round = v1 ? 2 * n : n;
	double seconds = 0;
	long allocs = 0;
	if (quorum_fd_get(h, &fd) != CS_OK)
		die("quorum_fd_get", 0);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++)
			if (quorum_trackstart(h, CS_TRACK_CURRENT) != CS_OK)
				die("trackstart", i);
		drain_loop(quorum_dispatch, h, fd, per_round, one, &seconds, &allocs);
		if (drained != per_round) /* a notification more than asked for */
			die("notifications drained", drained);
	}
	report_drain(v1 ? "quorum_backlog_v1" : "quorum_backlog_v0", one, per_round, rounds, seconds, allocs);
	quorum_finalize(h);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(w, "getquorate") && n > 0)
		bench_getquorate(n, argc > 3 ? argv[3] : NULL);
	else if (!strcmp(w, "initfin") && n > 0)
		bench_initfin(n);
	else if (!strcmp(w, "backlog") && n > 0)
		bench_backlog(n, argc > 3 && !strcmp(argv[3], "one"), argc > 4 && !strcmp(argv[4], "v1"));
	else {
		fprintf(stderr, "usage: see the comment at the top of q_bench.c\n");
		return 2;
	}
	return 0;
}
