/*
 * Helpers shared by the benchmark programs.
 *
 * A program that measures one of the C libraries (vq_bench, q_bench)
 * defines BENCH_CLIENT before including this header: it then also gets the
 * counted allocator, the drain loop and its report, which need the
 * corosync types.
 */
#ifndef VQ_BENCH_COMMON_H
#define VQ_BENCH_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Monotonic time in microseconds. */
static inline double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* qsort comparison of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Prints "PROGRAM: what: err" and exits with 1. */
static inline void die(const char *what, long err)
{
	fprintf(stderr, "%s: %s: %ld\n", program_invocation_short_name, what, err);
	exit(1);
}

/* How many times a drain workload repeats in one process (queue or burst,
 * then drain), from VQ_BENCH_ROUNDS (default 1): only the drains are timed,
 * and their rate is reported over all rounds, so that a short drain is not
 * one measurement of a few milliseconds. */
static inline int bench_rounds(void)
{
	const char *r = getenv("VQ_BENCH_ROUNDS");
	int n = r ? atoi(r) : 1;
	return n > 0 ? n : 1;
}

/* The value at fraction p of a sorted array. */
static inline double percentile(const double *sorted, int n, double p)
{
	return sorted[(int)(p * (n - 1) + 0.5)];
}

/* Round-trip latencies (microseconds, n of them, taking total_us in all),
 * printed as one JSON line for `workload`: calls per second, p50 and p99.
 * With a file name, the raw latencies are written there first (for the
 * plot). Sorts lat. */
static inline void report_latencies(const char *workload, double *lat, int n, double total_us, const char *file)
{
	int i;
	if (file) {
		FILE *f = fopen(file, "w");
		if (!f)
			die(file, errno);
		for (i = 0; i < n; i++)
			fprintf(f, "%.3f\n", lat[i]);
		fclose(f);
	}
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("{\"workload\":\"%s\",\"n\":%d,\"per_s\":%.0f,\"p50_us\":%.2f,\"p99_us\":%.2f}\n", workload, n,
		n / (total_us / 1e6), percentile(lat, n, 0.50), percentile(lat, n, 0.99));
}

/* A round-trip workload: `warmup` untimed calls of call(arg, i), then n
 * timed ones, reported by report_latencies as `workload`. The call stops the
 * program itself if it fails. */
static inline void time_calls(const char *workload, int n, int warmup, void (*call)(void *arg, int i), void *arg,
	const char *file)
{
	double *lat = malloc(sizeof(double) * (size_t)n), t0, start;
	int i;
	if (!lat)
		die("malloc", n);
	for (i = 0; i < warmup; i++)
		call(arg, i);
	start = now_us();
	for (i = 0; i < n; i++) {
		t0 = now_us();
		call(arg, i);
		lat[i] = now_us() - t0;
	}
	report_latencies(workload, lat, n, now_us() - start, file);
	free(lat);
}

#ifdef BENCH_CLIENT
#include <corosync/corotypes.h>

#include <poll.h>
#include <stdint.h>

/* Heap allocations, counted: the program's malloc, calloc and realloc
 * stand in for glibc's (and so for operator new, which calls malloc). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static long allocations;
void *malloc(size_t n)
{
	__atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_malloc(n);
}
void *calloc(size_t n, size_t size)
{
	__atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n)
{
	__atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_realloc(p, n);
}

/* Notifications that reached a callback: the program's callbacks count
 * here. */
static int drained;

/* A library's dispatch call: votequorum_dispatch and quorum_dispatch both
 * have this type (their handles are both uint64_t). */
typedef cs_error_t (*dispatch_fn)(uint64_t handle, cs_dispatch_flags_t flags);

/* Runs the caller's poll loop on `handle` (whose fd is `fd`) until `target`
 * notifications have reached the callbacks; adds the time it took and the
 * allocations made inside `dispatch`. */
static inline void drain_loop(dispatch_fn dispatch, uint64_t handle, int fd, int target, int one, double *seconds,
	long *allocs)
{
	struct pollfd p;
	double start;
	long before;
	p.fd = fd;
	p.events = POLLIN;
	drained = 0;
	start = now_us();
	while (drained < target) {
		if (poll(&p, 1, 5000) != 1)
			die("notifications stopped coming", drained);
		before = __atomic_load_n(&allocations, __ATOMIC_RELAXED);
		dispatch(handle, one ? CS_DISPATCH_ONE_NONBLOCKING : CS_DISPATCH_ALL);
		*allocs += __atomic_load_n(&allocations, __ATOMIC_RELAXED) - before;
	}
	*seconds += (now_us() - start) / 1e6;
}

/* The rate over all rounds of n, as workload "<name>_all|one". */
static inline void report_drain(const char *name, int one, int n, int rounds, double seconds, long allocs)
{
	double total = (double)n * rounds;
	printf("{\"workload\":\"%s_%s\",\"n\":%d,\"rounds\":%d,\"per_s\":%.0f,\"allocs_per_notification\":%.4f}\n",
		name, one ? "one" : "all", n, rounds, total / seconds, allocs / total);
}
#endif

#endif
