/*
 * A long-lived votequorum client for tests/cluster/chaos.sh, written as a
 * real program would be, against the C ABI only (so it runs on any
 * libvotequorum.so.8):
 *   - N handles (--handles), each tracking changes, each keeping its own
 *     view of quorum from its callbacks;
 *   - T threads (--threads) making requests on the first handle in a loop
 *     (getinfo of the local node, context_get), checking each answer;
 *   - when the daemon goes away: finalize every handle, then initialize
 *     again, retrying every 200 ms, and track again.
 * On SIGUSR1 it writes its view to FILE (--out), atomically:
 *   answer=K connected=0|1 reconnects=R bad=B agree=A/N view=VIEW
 * where VIEW is "quorate=Q members=1,2,3 votes=1:1,2:1,3:1 expected=E
 * total=T qdevice=REG/ALIVE/CAST", the same form chaos.sh makes of
 * corosync-quorumtool's output; A counts the handles whose callback view
 * equals the first's, and B the wrong answers seen so far. SIGTERM ends it.
 *   chaos_client --handles N --threads T --out FILE
 */
#define _GNU_SOURCE
#include "chaos_common.h"

#include <corosync/votequorum.h>

#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_HANDLES 1024
#define MAX_NODES 64
#define CONTEXT_BASE 0x5eed0000u

struct view {
	int have;  /* a quorum notification has come */
	uint32_t quorate;
	uint32_t n;
	uint32_t nodes[MAX_NODES];  /* members (state MEMBER), qdevice left out, sorted */
};

static votequorum_handle_t handles[MAX_HANDLES];
static struct view views[MAX_HANDLES];
static int n_handles = 1;
static int n_threads = 2;
static const char *out_path;

/* The handle the request threads use: 0 while reconnecting. */
static pthread_mutex_t handle_lock = PTHREAD_MUTEX_INITIALIZER;
static votequorum_handle_t request_handle;
static atomic_int stopping;
static atomic_long bad_answers;
static atomic_long requests_ok;
static uint32_t local_nodeid;
static long reconnects;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void on_quorum(votequorum_handle_t h, uint64_t context, uint32_t quorate, uint32_t n, votequorum_node_t *nodes)
{
	(void)h;
	uint64_t i = context - CONTEXT_BASE;
	if (i >= (uint64_t)n_handles) {
		atomic_fetch_add(&bad_answers, 1);
		fprintf(stderr, "chaos_client: a notification with context %llx\n", (unsigned long long)context);
		return;
	}
	struct view *v = &views[i];
	v->have = 1;
	v->quorate = quorate;
	v->n = 0;
	for (uint32_t k = 0; k < n && v->n < MAX_NODES; ++k) {
		if (nodes[k].nodeid != VOTEQUORUM_QDEVICE_NODEID && nodes[k].state == VOTEQUORUM_NODESTATE_MEMBER) {
			v->nodes[v->n++] = nodes[k].nodeid;
		}
	}
	qsort(v->nodes, v->n, sizeof v->nodes[0], cmp_u32);
}

static votequorum_callbacks_t callbacks = {.votequorum_quorum_notify_fn = on_quorum};

static void finalize_all(void)
{
	pthread_mutex_lock(&handle_lock);
	request_handle = 0;
	pthread_mutex_unlock(&handle_lock);
	for (int i = 0; i < n_handles; ++i) {
		if (handles[i]) {
			votequorum_finalize(handles[i]);
			handles[i] = 0;
		}
		memset(&views[i], 0, sizeof views[i]);
	}
}

/* Initializes and tracks every handle; 0 on success. */
static int connect_all(void)
{
	for (int i = 0; i < n_handles; ++i) {
		if (votequorum_initialize(&handles[i], &callbacks) != CS_OK) {
			handles[i] = 0;
			return -1;
		}
		if (votequorum_context_set(handles[i], (void *)(uintptr_t)(CONTEXT_BASE + (unsigned)i)) != CS_OK ||
		    votequorum_trackstart(handles[i], CONTEXT_BASE + (unsigned)i, CS_TRACK_CURRENT | CS_TRACK_CHANGES) != CS_OK) {
			return -1;
		}
	}
	struct votequorum_info info;
	if (votequorum_getinfo(handles[0], 0, &info) != CS_OK) {
		return -1;
	}
	local_nodeid = info.node_id;
	pthread_mutex_lock(&handle_lock);
	request_handle = handles[0];
	pthread_mutex_unlock(&handle_lock);
	return 0;
}

static void reconnect(void)
{
	finalize_all();
	while (!atomic_load(&stopping)) {
		if (connect_all() == 0) {
			return;
		}
		finalize_all();
		chaos_sleep_ms(200);
	}
}

static void *requester(void *arg)
{
	(void)arg;
	while (!atomic_load(&stopping)) {
		pthread_mutex_lock(&handle_lock);
		votequorum_handle_t h = request_handle;
		uint32_t me = local_nodeid;
		pthread_mutex_unlock(&handle_lock);
		if (h == 0) {
			chaos_sleep_ms(20);
			continue;
		}
		struct votequorum_info info;
		cs_error_t err = votequorum_getinfo(h, 0, &info);
		if (err == CS_OK && info.node_id != me) {
			atomic_fetch_add(&bad_answers, 1);
			fprintf(stderr, "chaos_client: getinfo(0) says node %u, not %u\n", info.node_id, me);
		}
		void *ctx = NULL;
		cs_error_t cerr = votequorum_context_get(h, &ctx);
		if (cerr == CS_OK && ctx != (void *)(uintptr_t)CONTEXT_BASE) {
			atomic_fetch_add(&bad_answers, 1);
			fprintf(stderr, "chaos_client: context_get gave %p\n", ctx);
		}
		if (err == CS_OK && cerr == CS_OK) {
			atomic_fetch_add(&requests_ok, 1);
		}
		/* Errors while the daemon is away are expected: the main loop reconnects. */
		chaos_sleep_ms(err == CS_OK ? 5 : 50);
	}
	return NULL;
}

/* "quorate=... qdevice=..." from handle 0's callbacks and a fresh getinfo. */
static int describe(char *buf, size_t size)
{
	size_t len = 0;
	const struct view *v = &views[0];
	struct votequorum_info info;
	if (!handles[0] || !v->have || votequorum_getinfo(handles[0], 0, &info) != CS_OK) {
		return chaos_append(buf, size, &len, "none");
	}
	chaos_append(buf, size, &len, "quorate=%u members=", v->quorate);
	for (uint32_t k = 0; k < v->n; ++k) {
		chaos_append(buf, size, &len, "%s%u", k ? "," : "", v->nodes[k]);
	}
	chaos_append(buf, size, &len, " votes=");
	for (uint32_t k = 0; k < v->n; ++k) {
		struct votequorum_info m;
		uint32_t votes = votequorum_getinfo(handles[0], v->nodes[k], &m) == CS_OK ? m.node_votes : 0;
		chaos_append(buf, size, &len, "%s%u:%u", k ? "," : "", v->nodes[k], votes);
	}
	return chaos_append(buf, size, &len, " expected=%u total=%u qdevice=%d/%d/%d", info.node_expected_votes, info.total_votes,
		!!(info.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED), !!(info.flags & VOTEQUORUM_INFO_QDEVICE_ALIVE),
		!!(info.flags & VOTEQUORUM_INFO_QDEVICE_CAST_VOTE));
}

static void write_answer(long answer)
{
	char view[4096];
	describe(view, sizeof view);
	int agree = 0;
	for (int i = 0; i < n_handles; ++i) {
		if (handles[i] && views[i].have && views[i].quorate == views[0].quorate && views[i].n == views[0].n &&
		    memcmp(views[i].nodes, views[0].nodes, views[0].n * sizeof views[0].nodes[0]) == 0) {
			++agree;
		}
	}
	pthread_mutex_lock(&handle_lock);
	const int connected = request_handle != 0;
	pthread_mutex_unlock(&handle_lock);
	chaos_write_answer(out_path, "answer=%ld connected=%d reconnects=%ld bad=%ld ok=%ld agree=%d/%d view=%s", answer,
		connected, reconnects, atomic_load(&bad_answers), atomic_load(&requests_ok), agree, n_handles, view);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {{"handles", required_argument, NULL, 'n'},
		{"threads", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	for (int c; (c = getopt_long(argc, argv, "n:t:o:", options, NULL)) != -1;) {
		switch (c) {
		case 'n': n_handles = atoi(optarg); break;
		case 't': n_threads = atoi(optarg); break;
		case 'o': out_path = optarg; break;
		default: return 2;
		}
	}
	if (!out_path || n_handles < 1 || n_handles > MAX_HANDLES || n_threads < 0 || n_threads > 64) {
		fprintf(stderr, "usage: chaos_client --handles N --threads T --out FILE\n");
		return 2;
	}
	const int sfd = chaos_signals();  /* before the threads: only the signalfd sees the signals */
	if (sfd < 0) {
		return 2;
	}
	reconnect();
	pthread_t threads[64];
	for (int i = 0; i < n_threads; ++i) {
		pthread_create(&threads[i], NULL, requester, NULL);
	}
	long answers = 0;
	struct pollfd *p = calloc((size_t)n_handles + 1, sizeof *p);
	while (!atomic_load(&stopping)) {
		p[0] = (struct pollfd){sfd, POLLIN, 0};
		for (int i = 0; i < n_handles; ++i) {
			int fd = -1;
			votequorum_fd_get(handles[i], &fd);
			p[i + 1] = (struct pollfd){fd, POLLIN, 0};
		}
		const int turn = chaos_poll(p, (nfds_t)n_handles + 1, -1, write_answer, &answers, &stopping);
		if (turn < 0) {
			return 2;
		}
		if (turn > 0) {
			continue;
		}
		int lost = 0;
		for (int i = 0; i < n_handles && !lost; ++i) {
			if (p[i + 1].revents && votequorum_dispatch(handles[i], CS_DISPATCH_ALL) != CS_OK) {
				lost = 1;
			}
		}
		if (lost) {
			++reconnects;
			reconnect();
		}
	}
	for (int i = 0; i < n_threads; ++i) {
		pthread_join(threads[i], NULL);
	}
	finalize_all();
	free(p);
	return 0;
}
