/* Helpers shared by the benchmark programs. */
#ifndef VQ_BENCH_COMMON_H
#define VQ_BENCH_COMMON_H

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

#endif
