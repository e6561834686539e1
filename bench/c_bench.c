/*
 * c_bench: one workload through the cmap C API (libcmap.so.4), printed as
 * one JSON line. Linked to Debian's libcmap4 as Debian's binaries are, so
 * the same binary measures the reference and (with LD_LIBRARY_PATH) ours.
 * Needs a running corosync; the keys it makes are under "vqbench." and are
 * deleted before it exits.
 *
 *   c_bench get N [LATENCIES_FILE]   N cmap_get round trips (a uint32 key, into a buffer)
 *   c_bench initfin N                N cmap_initialize + cmap_finalize pairs
 *   c_bench dump N [KEYS]            N full dumps as corosync-cmapctl makes one (iterate
 *                                    every key, then cmap_get each into a buffer of the
 *                                    length iter_next gave), with KEYS more keys made first
 *                                    (default 0: the daemon's own)
 *   c_bench track N all|one          a prefix track on a handle that does not dispatch while
 *                                    a second handle sets a key under it N times, then the
 *                                    N notifications drained (VQ_BENCH_ROUNDS times)
 *   c_bench stack                    peak stack used by one dispatch of one notification
 */
#define _GNU_SOURCE
#include <corosync/cmap.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BENCH_CLIENT /* the counted allocator and the drain loop */
#include "bench_common.h"

#define TRACK_PREFIX "vqbench.track."
#define TRACK_KEY TRACK_PREFIX "k"
#define DUMP_FORMAT "vqbench.dump.%05d"

static cmap_handle_t open_or_die(void)
{
	cmap_handle_t h;
	cs_error_t err = cmap_initialize(&h);
	if (err != CS_OK)
		die("cmap_initialize", err);
	return h;
}

static void get_call(void *handle, int i)
{
	uint32_t value = 0;
	size_t len = sizeof(value);
	cmap_value_types_t type;
	if (cmap_get(*(cmap_handle_t *)handle, "vqbench.get", &value, &len, &type) != CS_OK)
		die("cmap_get", i);
	if (value != 4242 || type != CMAP_VALUETYPE_UINT32 || len != sizeof(value)) /* a wrong answer is no measurement */
		die("cmap_get gave another value", (long)value);
}

static void bench_get(int n, const char *file)
{
	cmap_handle_t h = open_or_die();
	if (cmap_set_uint32(h, "vqbench.get", 4242) != CS_OK)
		die("cmap_set_uint32", 0);
	time_calls("cmap_get", n, 1000, get_call, &h, file);
	cmap_delete(h, "vqbench.get");
	cmap_finalize(h);
}

static void initfin_call(void *unused, int i)
{
	cmap_handle_t h;
	(void)unused;
	if (cmap_initialize(&h) != CS_OK)
		die("initialize", i);
	cmap_finalize(h);
}

static void bench_initfin(int n)
{
	time_calls("cmap_initfin", n, 0, initfin_call, NULL, NULL);
}

/* One dump: every key's name, length and type from the iterator, then its
 * value; the keys seen are counted into `keys`. */
struct dump {
	cmap_handle_t h;
	int keys;
	char *buf;
	size_t room;
};

static void dump_call(void *arg, int i)
{
	struct dump *d = arg;
	cmap_iter_handle_t it;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t len;
	cmap_value_types_t type;
	cs_error_t err;
	int keys = 0;
	if (cmap_iter_init(d->h, NULL, &it) != CS_OK)
		die("cmap_iter_init", i);
	while ((err = cmap_iter_next(d->h, it, key, &len, &type)) == CS_OK) {
		if (len > d->room) {
			d->buf = realloc(d->buf, len);
			if (!d->buf)
				die("realloc", (long)len);
			d->room = len;
		}
		/* A key can go between the two calls (a runtime key): not an error. */
		err = cmap_get(d->h, key, d->buf, &len, &type);
		if (err != CS_OK && err != CS_ERR_NOT_EXIST)
			die("cmap_get in the dump", err);
		keys++;
	}
	if (err != CS_ERR_NO_SECTIONS)
		die("cmap_iter_next", err);
	cmap_iter_finalize(d->h, it);
	d->keys = keys;
}

static void bench_dump(int n, int extra)
{
	struct dump d = { open_or_die(), 0, NULL, 0 };
	char key[64];
	double *lat, t0, start, total_us;
	int i;
	for (i = 0; i < extra; i++) {
		snprintf(key, sizeof(key), DUMP_FORMAT, i);
		if (cmap_set_uint32(d.h, key, (uint32_t)i) != CS_OK)
			die("cmap_set_uint32", i);
	}
	dump_call(&d, 0); /* untimed: the first fills the value buffer */
	if (d.keys < extra)
		die("keys in a dump", d.keys);
	lat = malloc(sizeof(double) * (size_t)n);
	if (!lat)
		die("malloc", n);
	start = now_us();
	for (i = 0; i < n; i++) {
		t0 = now_us();
		dump_call(&d, i);
		lat[i] = now_us() - t0;
	}
	total_us = now_us() - start;
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("{\"workload\":\"cmap_dump\",\"extra\":%d,\"keys\":%d,\"n\":%d,\"per_s\":%.1f,\"p50_us\":%.1f,"
	       "\"keys_per_s\":%.0f}\n",
		extra, d.keys, n, n / (total_us / 1e6), percentile(lat, n, 0.50), (double)d.keys * n / (total_us / 1e6));
	free(lat);
	for (i = 0; i < extra; i++) {
		snprintf(key, sizeof(key), DUMP_FORMAT, i);
		cmap_delete(d.h, key);
	}
	free(d.buf);
	cmap_finalize(d.h);
}

static void count_change(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value new_value, struct cmap_notify_value old_value, void *user_data)
{
	(void)h; (void)t; (void)event; (void)key; (void)new_value; (void)old_value; (void)user_data;
	drained++;
}

/* The dispatch function's type in bench_common.h: cmap_handle_t is a
 * uint64_t as the others' handles are. */
static cs_error_t dispatch_cmap(uint64_t h, cs_dispatch_flags_t flags)
{
	return cmap_dispatch(h, flags);
}

static void bench_track(int n, int one)
{
	cmap_handle_t tracker = open_or_die(), setter = open_or_die();
	cmap_track_handle_t track;
	int fd, i, r, rounds = bench_rounds();
	double seconds = 0;
	long allocs = 0;
	/* The key exists first, so that every set is a MODIFY. */
	if (cmap_set_uint32(setter, TRACK_KEY, 0) != CS_OK)
		die("cmap_set_uint32", 0);
	if (cmap_track_add(tracker, TRACK_PREFIX, CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE | CMAP_TRACK_PREFIX,
		    count_change, NULL, &track) != CS_OK)
		die("cmap_track_add", 0);
	if (cmap_fd_get(tracker, &fd) != CS_OK)
		die("cmap_fd_get", 0);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++)
			if (cmap_set_uint32(setter, TRACK_KEY, (uint32_t)(r * n + i + 1)) != CS_OK)
				die("cmap_set_uint32", i);
		drain_loop(dispatch_cmap, tracker, fd, n, one, &seconds, &allocs);
		if (drained != n) /* a notification more than the sets made */
			die("notifications drained", drained);
	}
	report_drain("cmap_track", one, n, rounds, seconds, allocs);
	cmap_track_delete(tracker, track);
	cmap_delete(setter, TRACK_KEY);
	cmap_finalize(setter);
	cmap_finalize(tracker);
}

/* Peak stack of one dispatch: run it on a painted stack and see how deep the
 * paint was overwritten. */
#define STACK_SIZE (4 << 20)
static cmap_handle_t stack_handle;
static void *dispatch_once(void *arg)
{
	(void)arg;
	cmap_dispatch(stack_handle, CS_DISPATCH_ALL);
	return NULL;
}

static void bench_stack(void)
{
	cmap_handle_t setter = open_or_die();
	cmap_track_handle_t track;
	unsigned char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t attr;
	pthread_t t;
	size_t used = 0, i;
	int fd;
	struct pollfd p;
	if (stack == MAP_FAILED)
		die("mmap", 0);
	stack_handle = open_or_die();
	if (cmap_track_add(stack_handle, TRACK_KEY, CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, count_change, NULL, &track) != CS_OK)
		die("cmap_track_add", 0);
	if (cmap_set_uint32(setter, TRACK_KEY, 1) != CS_OK)
		die("cmap_set_uint32", 0);
	if (cmap_fd_get(stack_handle, &fd) != CS_OK)
		die("cmap_fd_get", 0);
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 5000) != 1) /* the notification is there before the dispatch */
		die("no notification", 0);
	drained = 0;
	memset(stack, 0xa5, STACK_SIZE);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, STACK_SIZE);
	pthread_create(&t, &attr, dispatch_once, NULL);
	pthread_join(t, NULL);
	if (drained != 1)
		die("the dispatch delivered", drained);
	for (i = 0; i < STACK_SIZE; i++) { /* the stack grows down: find the lowest written byte */
		if (stack[i] != 0xa5) {
			used = STACK_SIZE - i;
			break;
		}
	}
	printf("{\"workload\":\"cmap_stack\",\"dispatch_stack_bytes\":%zu}\n", used);
	cmap_track_delete(stack_handle, track);
	cmap_delete(setter, TRACK_KEY);
	cmap_finalize(stack_handle);
	cmap_finalize(setter);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(w, "get") && n > 0)
		bench_get(n, argc > 3 ? argv[3] : NULL);
	else if (!strcmp(w, "initfin") && n > 0)
		bench_initfin(n);
	else if (!strcmp(w, "dump") && n > 0)
		bench_dump(n, argc > 3 ? atoi(argv[3]) : 0);
	else if (!strcmp(w, "track") && n > 0)
		bench_track(n, argc > 3 && !strcmp(argv[3], "one"));
	else if (!strcmp(w, "stack"))
		bench_stack();
	else {
		fprintf(stderr, "usage: see the comment at the top of c_bench.c\n");
		return 2;
	}
	return 0;
}
