/*
 * A long-lived libquorum client for tests/cluster/chaos.sh, written as a
 * real program would be, against the C ABI only (so it runs on any
 * libquorum.so.5):
 *   - one handle of the V1 model (quorum_model_initialize), with both
 *     callbacks: the quorum notification (quorate, ring id, members) and
 *     the node list notification (ring id, members, joined, left);
 *     trackstart(CS_TRACK_CHANGES | CS_TRACK_CURRENT); dispatched from a
 *     poll loop on its fd;
 *   - T threads (--threads, default 2) calling quorum_getquorate and
 *     quorum_context_get in a loop, checking each answer;
 *   - when the daemon goes away (dispatch fails): finalize, then initialize
 *     again every 200 ms (answering SIGUSR1 meanwhile), and track again.
 * On SIGUSR1 it writes its view to FILE (--out), atomically (a temporary
 * file renamed over it):
 *   answer=K connected=0|1 reconnects=R bad=B ok=O agree=A/1 view=VIEW
 * as chaos_client's answer file: K counts the answers, O the request rounds
 * that succeeded, A is 1 once the handle has had its quorum notification,
 * and VIEW is "quorate=Q members=1,2,3" (members sorted, from the last V1
 * quorum notification), the quorate and members part of the form chaos.sh
 * makes of corosync-quorumtool -s, or "none" while disconnected. When the
 * last node list notification is of the same ring as the last quorum
 * notification but lists other members, VIEW ends with
 * " nodelist=MEMBERS/ring=NODEID.SEQ", so that it differs from the truth.
 *
 * B counts the wrong answers seen so far, each also logged on stderr:
 *   - quorum_getquorate failing with an error other than those a gone or
 *     busy daemon gives (CS_ERR_LIBRARY: the connection is gone;
 *     CS_ERR_BAD_HANDLE: finalized by the main thread while in use;
 *     CS_ERR_TRY_AGAIN: corosync's overload answer);
 *   - quorum_getquorate succeeding on a handle on which it had failed with
 *     CS_ERR_LIBRARY or CS_ERR_BAD_HANDLE (a connection does not come back:
 *     that error was a lie; handle values are not issued twice), or giving
 *     a quorate other than 0 or 1;
 *   - quorum_context_get failing other than with CS_ERR_BAD_HANDLE, or
 *     giving another context than the one set (initialize's, then
 *     quorum_context_set's, a different one on each connection);
 *   - initialization that gives a quorum type other than QUORUM_SET (the
 *     cluster runs votequorum);
 *   - a callback called with another handle than the one dispatched, or a
 *     context there other than the one set, or a quorate other than 0 or
 *     1; a node list notification whose joined list names a node not in
 *     its member list.
 * SIGTERM ends it.
 *   quorum_chaos_client [--threads T] --out FILE
 */
#define _GNU_SOURCE
#include "chaos_common.h"

#include <corosync/quorum.h>

#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NODES 512  /* corosync's PROCESSOR_COUNT_MAX is 384 */

struct list {
	int have;  /* a notification has come on this connection */
	struct quorum_ring_id ring;
	uint32_t n;
	uint32_t nodes[MAX_NODES];  /* sorted */
};

/* The main thread's: the handle, and the views its callbacks keep. */
static quorum_handle_t handle;
static struct list quorum_view;  /* from the quorum notification */
static uint32_t quorum_view_quorate;
static struct list nodelist_view;  /* from the node list notification */
static long reconnects;

/* What the request threads use: 0 while reconnecting. */
static pthread_mutex_t handle_lock = PTHREAD_MUTEX_INITIALIZER;
static quorum_handle_t request_handle;
static const void *request_context;

/* Contexts: initialize's, then one of two set by quorum_context_set,
 * alternating with each connection. */
static const char initial_context = 'i';
static const char set_contexts[2] = {'a', 'b'};
static const void *current_context;  /* main thread's */

static atomic_int stopping;
static atomic_long bad_answers;
static atomic_long requests_ok;

static void wrong(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void wrong(const char *fmt, ...)
{
	atomic_fetch_add(&bad_answers, 1);
	va_list ap;
	va_start(ap, fmt);
	fputs("quorum_chaos_client: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void keep(struct list *l, struct quorum_ring_id ring, uint32_t n, const uint32_t *nodes)
{
	l->have = 1;
	l->ring = ring;
	l->n = n < MAX_NODES ? n : MAX_NODES;
	memcpy(l->nodes, nodes, l->n * sizeof nodes[0]);
	qsort(l->nodes, l->n, sizeof l->nodes[0], cmp_u32);
}

/* The checks every callback makes: its handle and that handle's context. */
static void check_callback(const char *which, quorum_handle_t h)
{
	if (h != handle) {
		wrong("%s callback with handle %" PRIx64 ", dispatching %" PRIx64, which, h, handle);
		return;
	}
	const void *ctx = NULL;
	cs_error_t err = quorum_context_get(h, &ctx);
	if (err != CS_OK || ctx != current_context) {
		wrong("%s callback: context_get gave %d, %p (set: %p)", which, err, ctx, current_context);
	}
}

static void on_quorum(quorum_handle_t h, uint32_t quorate, struct quorum_ring_id ring_id, uint32_t n,
	const uint32_t *members)
{
	check_callback("quorum", h);
	if (quorate > 1) {
		wrong("quorum callback: quorate %u", quorate);
	}
	quorum_view_quorate = quorate;
	keep(&quorum_view, ring_id, n, members);
}

static void on_nodelist(quorum_handle_t h, struct quorum_ring_id ring_id, uint32_t n, const uint32_t *members,
	uint32_t n_joined, const uint32_t *joined, uint32_t n_left, const uint32_t *left)
{
	(void)n_left;
	(void)left;
	check_callback("node list", h);
	for (uint32_t j = 0; j < n_joined; ++j) {
		uint32_t k = 0;
		while (k < n && members[k] != joined[j]) {
			++k;
		}
		if (k == n) {
			wrong("node list callback: node %u joined but is not a member (ring %u.%" PRIu64 ")", joined[j],
				ring_id.nodeid, ring_id.seq);
		}
	}
	keep(&nodelist_view, ring_id, n, members);
}

static quorum_model_v1_data_t model_data = {
	.model = QUORUM_MODEL_V1,
	.quorum_notify_fn = on_quorum,
	.nodelist_notify_fn = on_nodelist,
};

static void disconnect(void)
{
	pthread_mutex_lock(&handle_lock);
	request_handle = 0;
	pthread_mutex_unlock(&handle_lock);
	if (handle) {
		quorum_finalize(handle);
		handle = 0;
	}
	memset(&quorum_view, 0, sizeof quorum_view);
	memset(&nodelist_view, 0, sizeof nodelist_view);
	quorum_view_quorate = 0;
}

/* Initializes and tracks; 0 on success (else disconnected). */
static int connect_once(void)
{
	uint32_t type = 0;
	if (quorum_model_initialize(&handle, QUORUM_MODEL_V1, (quorum_model_data_t *)&model_data, &type,
		    (void *)&initial_context) != CS_OK) {
		handle = 0;
		return -1;
	}
	if (type != QUORUM_SET) {
		wrong("initialize: quorum type %u", type);
	}
	const void *ctx = NULL;
	if (quorum_context_get(handle, &ctx) != CS_OK || ctx != &initial_context) {
		wrong("context_get after initialize gave %p, not %p", ctx, (const void *)&initial_context);
	}
	const void *next = &set_contexts[reconnects % 2];
	if (quorum_context_set(handle, next) != CS_OK) {
		wrong("context_set failed");
	}
	current_context = next;
	if (quorum_trackstart(handle, CS_TRACK_CHANGES | CS_TRACK_CURRENT) != CS_OK) {
		disconnect();
		return -1;
	}
	pthread_mutex_lock(&handle_lock);
	request_handle = handle;
	request_context = next;
	pthread_mutex_unlock(&handle_lock);
	return 0;
}

static void *requester(void *arg)
{
	(void)arg;
	quorum_handle_t dead = 0;  /* the handle getquorate last failed on as gone */
	while (!atomic_load(&stopping)) {
		pthread_mutex_lock(&handle_lock);
		const quorum_handle_t h = request_handle;
		const void *expected = request_context;
		pthread_mutex_unlock(&handle_lock);
		if (h == 0) {
			chaos_sleep_ms(20);
			continue;
		}
		int quorate = -1;
		const cs_error_t err = quorum_getquorate(h, &quorate);
		if (err == CS_OK) {
			if (quorate != 0 && quorate != 1) {
				wrong("getquorate gave quorate %d", quorate);
			}
			if (h == dead) {
				wrong("getquorate succeeded on handle %" PRIx64 " after failing there as gone", h);
				dead = 0;
			}
		} else if (err == CS_ERR_LIBRARY || err == CS_ERR_BAD_HANDLE) {
			dead = h;
		} else if (err != CS_ERR_TRY_AGAIN) {
			wrong("getquorate failed with %d", err);
		}
		const void *ctx = NULL;
		const cs_error_t cerr = quorum_context_get(h, &ctx);
		if (cerr == CS_OK && ctx != expected) {
			wrong("context_get gave %p, not %p", ctx, expected);
		} else if (cerr != CS_OK && cerr != CS_ERR_BAD_HANDLE) {
			wrong("context_get failed with %d", cerr);
		}
		if (err == CS_OK && cerr == CS_OK) {
			atomic_fetch_add(&requests_ok, 1);
		}
		/* Errors while the daemon is away are expected: the main loop reconnects. */
		chaos_sleep_ms(err == CS_OK ? 5 : 50);
	}
	return NULL;
}

static void append_nodes(char *buf, size_t size, size_t *len, const struct list *l)
{
	for (uint32_t k = 0; k < l->n; ++k) {
		chaos_append(buf, size, len, "%s%u", k ? "," : "", l->nodes[k]);
	}
}

/* "quorate=Q members=..." from the callbacks, and the node list's members
 * when they differ for the same ring. */
static void describe(char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	const struct list *q = &quorum_view, *nl = &nodelist_view;
	if (!handle || !q->have) {
		chaos_append(buf, size, &len, "none");
		return;
	}
	chaos_append(buf, size, &len, "quorate=%u members=", quorum_view_quorate);
	append_nodes(buf, size, &len, q);
	if (nl->have && nl->ring.nodeid == q->ring.nodeid && nl->ring.seq == q->ring.seq &&
	    (nl->n != q->n || memcmp(nl->nodes, q->nodes, q->n * sizeof q->nodes[0]) != 0)) {
		chaos_append(buf, size, &len, " nodelist=");
		append_nodes(buf, size, &len, nl);
		chaos_append(buf, size, &len, "/ring=%u.%" PRIu64, nl->ring.nodeid, nl->ring.seq);
	}
}

static const char *out_path;

static void write_answer(long answer)
{
	char view[8192];
	describe(view, sizeof view);
	chaos_write_answer(out_path, "answer=%ld connected=%d reconnects=%ld bad=%ld ok=%ld agree=%d/1 view=%s", answer,
		handle != 0, reconnects, atomic_load(&bad_answers), atomic_load(&requests_ok), handle != 0 && quorum_view.have,
		view);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"threads", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	int n_threads = 2;
	for (int c; (c = getopt_long(argc, argv, "t:o:", options, NULL)) != -1;) {
		switch (c) {
		case 't': n_threads = atoi(optarg); break;
		case 'o': out_path = optarg; break;
		default: return 2;
		}
	}
	if (!out_path || n_threads < 0 || n_threads > 64) {
		fprintf(stderr, "usage: quorum_chaos_client [--threads T] --out FILE\n");
		return 2;
	}
	const int sfd = chaos_signals();  /* before the threads: only the signalfd sees the signals */
	if (sfd < 0) {
		return 2;
	}
	pthread_t threads[64];
	for (int i = 0; i < n_threads; ++i) {
		pthread_create(&threads[i], NULL, requester, NULL);
	}
	long long next_attempt = chaos_now_ms() + 200;
	connect_once();
	long answers = 0;
	while (!atomic_load(&stopping)) {
		struct pollfd p[2] = {{sfd, POLLIN, 0}, {-1, POLLIN, 0}};
		if (handle && quorum_fd_get(handle, &p[1].fd) != CS_OK) {
			/* Not an answer to judge: the connection is taken as lost. */
			fprintf(stderr, "quorum_chaos_client: fd_get failed; reconnecting\n");
			++reconnects;
			disconnect();
			p[1].fd = -1;
		}
		/* Disconnected: a new attempt every 200 ms, answering meanwhile. */
		const long long left_ms = next_attempt - chaos_now_ms();
		const int turn =
			chaos_poll(p, 2, handle ? -1 : left_ms > 0 ? (int)left_ms : 0, write_answer, &answers, &stopping);
		if (turn < 0) {
			return 2;
		}
		if (turn > 0) {
			continue;
		}
		if (!handle) {
			if (chaos_now_ms() >= next_attempt) {
				next_attempt = chaos_now_ms() + 200;
				connect_once();
			}
			continue;
		}
		if (p[1].revents && quorum_dispatch(handle, CS_DISPATCH_ALL) != CS_OK) {
			++reconnects;
			disconnect();
			next_attempt = chaos_now_ms() + 200;
			connect_once();
		}
	}
	for (int i = 0; i < n_threads; ++i) {
		pthread_join(threads[i], NULL);
	}
	disconnect();
	return 0;
}
