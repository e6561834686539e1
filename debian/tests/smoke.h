/*
 * What the smoke tests (votequorum-smoke.c, quorum-smoke.c) share: CHECK
 * runs a call and, unless it returns `want`, says so on stderr and makes
 * main return 1.
 */
#ifndef SMOKE_H
#define SMOKE_H

#include <corosync/corotypes.h>

#include <stdio.h>

#define CHECK(call, want) \
	do { \
		cs_error_t err_ = (call); \
		if (err_ != (want)) { \
			fprintf(stderr, "%s: %d, not %d\n", #call, err_, (want)); \
			return 1; \
		} \
	} while (0)

#endif
