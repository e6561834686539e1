/*
 * The transport's limit: the same getinfo round trip as vq_bench, written
 * directly on libqb's client (no votequorum library at all).
 *   qb_getinfo N [LATENCIES_FILE]
 */
#include <qb/qbipcc.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "bench_common.h"

struct req { int32_t id __attribute__((aligned(8))); int32_t size __attribute__((aligned(8))); int32_t nodeid; };


int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, i;
	qb_ipcc_connection_t *c = qb_ipcc_connect("votequorum", 256 * 1024);
	struct req r;
	char reply[512];
	struct iovec iov = { &r, sizeof(r) };
	double *lat = malloc(sizeof(double) * (size_t)n), t0, start;
	if (!c) {
		fprintf(stderr, "qb_getinfo: cannot connect\n");
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.id = 0; /* GETINFO */
	r.size = sizeof(r);
	for (i = 0; i < 1000; i++)
		qb_ipcc_sendv_recv(c, &iov, 1, reply, sizeof(reply), -1);
	start = now_us();
	for (i = 0; i < n; i++) {
		t0 = now_us();
		if (qb_ipcc_sendv_recv(c, &iov, 1, reply, sizeof(reply), -1) < 0)
			return 1;
		lat[i] = now_us() - t0;
	}
	double total = now_us() - start;
	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");
		for (i = 0; i < n; i++)
			fprintf(f, "%.3f\n", lat[i]);
		fclose(f);
	}
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("{\"workload\":\"getinfo_bare_libqb\",\"n\":%d,\"per_s\":%.0f,\"p50_us\":%.2f,\"p99_us\":%.2f}\n", n,
		n / (total / 1e6), lat[n / 2], lat[(int)(0.99 * (n - 1) + 0.5)]);
	qb_ipcc_disconnect(c);
	return 0;
}
