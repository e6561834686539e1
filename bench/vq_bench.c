/*
 * vq_bench: one workload through the votequorum C API, printed as one JSON
 * line. Linked to Debian's libvotequorum8 as Debian's binaries are, so the
 * same binary measures the reference and (with LD_LIBRARY_PATH) ours.
 *
 *   vq_bench getinfo N [LATENCIES_FILE]   N getinfo round trips
 *   vq_bench notify N                     change through one handle -> callback on another
 *   vq_bench initfin N                    N initialize + finalize pairs
 *   vq_bench drain N all|one [NAME]       drain N notifications (the fake server's
 *                                         "burst2k", "burst100k" or "members4k"),
 *                                         reported as workload NAME_all|one (default drain)
 *   vq_bench backlog N all|one            drain N notifications corosync queued for a handle
 *                                         that was not dispatching (real daemon)
 *                                         (drain and backlog: VQ_BENCH_ROUNDS times, see bench_common.h)
 *   vq_bench memory H [churn]             memory per handle with H handles open; "churn"
 *                                         opens and closes one handle first
 *   vq_bench stack                        peak stack used by one dispatch
 *   vq_bench threads T N                  T threads sharing one handle, N getinfo in all
 */
#define _GNU_SOURCE
#include <corosync/votequorum.h>

#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define BENCH_CLIENT /* the counted allocator and the drain loop */
#include "bench_common.h"

static votequorum_handle_t open_or_die(votequorum_callbacks_t *cb)
{
	votequorum_handle_t h;
	int err = votequorum_initialize(&h, cb);
	if (err != CS_OK)
		die("votequorum_initialize", err);
	return h;
}

static void getinfo_call(void *handle, int i)
{
	struct votequorum_info info;
	if (votequorum_getinfo(*(votequorum_handle_t *)handle, 0, &info) != CS_OK)
		die("getinfo", i);
}

static void bench_getinfo(int n, const char *file)
{
	votequorum_handle_t h = open_or_die(NULL);
	time_calls("getinfo", n, 1000, getinfo_call, &h, file);
	votequorum_finalize(h);
}

static double notified_at;
static void on_expected(votequorum_handle_t h, uint64_t c, uint32_t e)
{
	(void)h; (void)c; (void)e;
	notified_at = now_us();
}

static void bench_notify(int n)
{
	votequorum_callbacks_t cb = { NULL, on_expected, NULL };
	votequorum_handle_t tracker = open_or_die(&cb), changer = open_or_die(NULL);
	double *lat = malloc(sizeof(double) * (size_t)n), t0, start;
	struct pollfd p;
	int i, fd;
	votequorum_trackstart(tracker, 1, CS_TRACK_CHANGES);
	votequorum_fd_get(tracker, &fd);
	p.fd = fd;
	p.events = POLLIN;
	start = now_us();
	for (i = 0; i < n; i++) {
		/* On one node these two values alternate and are both accepted. */
		t0 = now_us();
		if (votequorum_setexpected(changer, i % 2 ? 1 : 0xffffffffu) != CS_OK)
			die("setexpected", i);
		notified_at = 0;
		while (notified_at == 0) {
			if (poll(&p, 1, 2000) != 1)
				die("no notification", i);
			votequorum_dispatch(tracker, CS_DISPATCH_ONE_NONBLOCKING);
		}
		lat[i] = notified_at - t0;
	}
	report_latencies("notify", lat, n, now_us() - start, NULL);
	votequorum_setexpected(changer, 1);
	votequorum_finalize(tracker);
	votequorum_finalize(changer);
}

static void initfin_call(void *unused, int i)
{
	votequorum_handle_t h;
	(void)unused;
	if (votequorum_initialize(&h, NULL) != CS_OK)
		die("initialize", i);
	votequorum_finalize(h);
}

static void bench_initfin(int n)
{
	time_calls("initfin", n, 0, initfin_call, NULL, NULL);
}

static void count(votequorum_handle_t h, uint64_t c, uint32_t e)
{
	(void)h; (void)c; (void)e;
	drained++;
}
static void count_quorum(votequorum_handle_t h, uint64_t c, uint32_t q, uint32_t n, votequorum_node_t *l)
{
	(void)h; (void)c; (void)q; (void)n; (void)l;
	drained++;
}
static void count_nodelist(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r, uint32_t n, uint32_t *l)
{
	(void)h; (void)c; (void)r; (void)n; (void)l;
	drained++;
}

/* Drains `target` notifications from `h` (see drain_loop). */
static void drain(votequorum_handle_t h, int target, int one, double *seconds, long *allocs)
{
	int fd;
	if (votequorum_fd_get(h, &fd) != CS_OK)
		die("votequorum_fd_get", 0);
	drain_loop(votequorum_dispatch, h, fd, target, one, seconds, allocs);
}

static void bench_drain(int n, int one, const char *name)
{
	votequorum_callbacks_t cb = { count_quorum, count, count_nodelist };
	votequorum_handle_t h = open_or_die(&cb);
	double seconds = 0;
	long allocs = 0;
	int r, rounds = bench_rounds();
	for (r = 0; r < rounds; r++) {
		if (votequorum_trackstart(h, 1, CS_TRACK_CHANGES) != CS_OK) /* the server starts a burst */
			die("trackstart", r);
		drain(h, n, one, &seconds, &allocs);
	}
	report_drain(name, one, n, rounds, seconds, allocs);
	votequorum_finalize(h);
}

/* A backlog from the real daemon: one handle tracks changes but does not
 * dispatch while another makes N changes; corosync fills the tracker's ring
 * and queues the rest on its side. Then the tracker drains them all. */
static void bench_backlog(int n, int one)
{
	votequorum_callbacks_t cb = { NULL, count, NULL };
	votequorum_handle_t tracker = open_or_die(&cb), changer = open_or_die(NULL);
	double seconds = 0;
	long allocs = 0;
	int i, r, rounds = bench_rounds();
	votequorum_trackstart(tracker, 1, CS_TRACK_CHANGES);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) /* on one node both values are accepted */
			if (votequorum_setexpected(changer, i % 2 ? 1 : 0xffffffffu) != CS_OK)
				die("setexpected", i);
		if (votequorum_setexpected(changer, 1) != CS_OK) /* leave it as it was */
			die("setexpected", n);
		drain(tracker, n + 1, one, &seconds, &allocs);
	}
	report_drain("backlog", one, n + 1, rounds, seconds, allocs);
	votequorum_finalize(tracker);
	votequorum_finalize(changer);
}

/* Memory of this process: resident set and its anonymous (private) part,
 * in KiB, from /proc/self/smaps_rollup. */
struct mem {
	long rss, anon;
};
static struct mem mem_now(void)
{
	char line[256];
	struct mem m = { -1, -1 };
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Rss:", 4) == 0)
			m.rss = atol(line + 4);
		else if (strncmp(line, "Anonymous:", 10) == 0)
			m.anon = atol(line + 10);
	}
	if (f)
		fclose(f);
	return m;
}

static double shm_used_kib(void)
{
	struct statvfs s;
	statvfs("/dev/shm", &s);
	return (double)(s.f_blocks - s.f_bfree) * s.f_frsize / 1024.0;
}

/* RSS counts the pages of the /dev/shm rings this process touched; the rings
 * themselves are tmpfs memory whether touched or not. So the memory a handle
 * really costs is its anonymous memory plus its /dev/shm files ("ram"). */
static void bench_memory(int count_handles, int churn)
{
	votequorum_handle_t *h = malloc(sizeof(*h) * (size_t)count_handles);
	struct votequorum_info info;
	struct mem m0, m1;
	double shm0, shm, anon;
	int i;
	/* A process that has closed a handle before: glibc then raises its mmap
	 * threshold past the freed receive buffer, and later ones come from the
	 * heap (the state of any long-running client). */
	if (churn)
		votequorum_finalize(open_or_die(NULL));
	/* One handle first, so one-time costs (libraries, the first arenas)
	 * do not count as per-handle memory. */
	votequorum_handle_t warm = open_or_die(NULL);
	votequorum_getinfo(warm, 0, &info);
	m0 = mem_now();
	shm0 = shm_used_kib();
	for (i = 0; i < count_handles; i++) {
		h[i] = open_or_die(NULL);
		votequorum_getinfo(h[i], 0, &info);
	}
	m1 = mem_now();
	shm = (shm_used_kib() - shm0) / count_handles;
	anon = (double)(m1.anon - m0.anon) / count_handles;
	printf("{\"workload\":\"memory\",\"handles\":%d,\"churn\":%d,\"rss_kib_per_handle\":%.1f,"
	       "\"anon_kib_per_handle\":%.1f,\"shm_kib_per_handle\":%.1f,\"ram_kib_per_handle\":%.1f}\n",
		count_handles, churn, (double)(m1.rss - m0.rss) / count_handles, anon, shm, anon + shm);
	for (i = 0; i < count_handles; i++)
		votequorum_finalize(h[i]);
	votequorum_finalize(warm);
}

/* Peak stack of one dispatch: run it on a painted stack and see how deep the
 * paint was overwritten. */
#define STACK_SIZE (4 << 20)
static votequorum_handle_t stack_handle;
static void *dispatch_once(void *arg)
{
	(void)arg;
	votequorum_dispatch(stack_handle, CS_DISPATCH_ALL);
	return NULL;
}
static void quorum_cb(votequorum_handle_t h, uint64_t c, uint32_t q, uint32_t n, votequorum_node_t l[])
{
	(void)h; (void)c; (void)q; (void)n; (void)l;
}

static void bench_stack(void)
{
	votequorum_callbacks_t cb = { quorum_cb, NULL, NULL };
	unsigned char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t attr;
	pthread_t t;
	size_t used = 0, i;
	stack_handle = open_or_die(&cb);
	votequorum_trackstart(stack_handle, 1, CS_TRACK_CURRENT);
	memset(stack, 0xa5, STACK_SIZE);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, STACK_SIZE);
	pthread_create(&t, &attr, dispatch_once, NULL);
	pthread_join(t, NULL);
	for (i = 0; i < STACK_SIZE; i++) { /* the stack grows down: find the lowest written byte */
		if (stack[i] != 0xa5) {
			used = STACK_SIZE - i;
			break;
		}
	}
	printf("{\"workload\":\"stack\",\"dispatch_stack_bytes\":%zu}\n", used);
	votequorum_finalize(stack_handle);
}

static votequorum_handle_t shared;
static int per_thread;
static void *getinfo_loop(void *arg)
{
	struct votequorum_info info;
	int i;
	(void)arg;
	for (i = 0; i < per_thread; i++)
		if (votequorum_getinfo(shared, 0, &info) != CS_OK)
			die("getinfo in thread", i);
	return NULL;
}

static void bench_threads(int threads, int n)
{
	pthread_t t[64];
	double start;
	int i;
	shared = open_or_die(NULL);
	per_thread = n / threads;
	start = now_us();
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, getinfo_loop, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("{\"workload\":\"threads\",\"threads\":%d,\"n\":%d,\"per_s\":%.0f}\n", threads, per_thread * threads,
		per_thread * threads / ((now_us() - start) / 1e6));
	votequorum_finalize(shared);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(w, "getinfo"))
		bench_getinfo(n, argc > 3 ? argv[3] : NULL);
	else if (!strcmp(w, "notify"))
		bench_notify(n);
	else if (!strcmp(w, "initfin"))
		bench_initfin(n);
	else if (!strcmp(w, "drain"))
		bench_drain(n, argc > 3 && !strcmp(argv[3], "one"), argc > 4 ? argv[4] : "drain");
	else if (!strcmp(w, "backlog"))
		bench_backlog(n, argc > 3 && !strcmp(argv[3], "one"));
	else if (!strcmp(w, "memory"))
		bench_memory(n, argc > 3 && !strcmp(argv[3], "churn"));
	else if (!strcmp(w, "stack"))
		bench_stack();
	else if (!strcmp(w, "threads"))
		bench_threads(n, argc > 3 ? atoi(argv[3]) : 100000);
	else {
		fprintf(stderr, "usage: see the comment at the top of vq_bench.c\n");
		return 2;
	}
	return 0;
}
