/*
 * libcmap's smoke test (debian/tests/cmap-c): through the installed header
 * and library.
 *   cmap-smoke none   with no corosync to connect to: cmap_initialize
 *                     fails with CS_ERR_LIBRARY, as Debian's does; prints
 *                     "initialize: no daemon"
 *   cmap-smoke        on the local corosync: initialize, fd_get, the
 *                     context, get_string and get_uint32 of the
 *                     configuration, set_uint32, inc and get, delete, an
 *                     iteration over nodelist.node.0., finalize, and
 *                     CS_ERR_BAD_HANDLE after. Prints one line,
 *                       cluster_name C nodeid N nodelist_keys K
 * Exits 0 only if every call answered as documented.
 */
#include <corosync/cmap.h>

#include "smoke.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMOKE_KEY "autopkgtest.cmap_smoke"

int main(int argc, char **argv)
{
	cmap_handle_t handle;
	cmap_iter_handle_t iter;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t value_len;
	cmap_value_types_t type;
	char *cluster_name = NULL;
	uint32_t nodeid = 0, value = 0;
	unsigned keys = 0;
	int fd = -1, marker = 0;
	const void *context = NULL;
	cs_error_t err;

	if (argc > 1 && strcmp(argv[1], "none") == 0) {
		CHECK(cmap_initialize(&handle), CS_ERR_LIBRARY);
		printf("initialize: no daemon\n");
		return 0;
	}
	CHECK(cmap_initialize(&handle), CS_OK);
	CHECK(cmap_fd_get(handle, &fd), CS_OK);
	if (fd < 0) {
		fprintf(stderr, "cmap_fd_get: fd %d\n", fd);
		return 1;
	}
	CHECK(cmap_context_set(handle, &marker), CS_OK);
	CHECK(cmap_context_get(handle, &context), CS_OK);
	if (context != &marker) {
		fprintf(stderr, "cmap_context_get: not the context set\n");
		return 1;
	}
	CHECK(cmap_get_string(handle, "totem.cluster_name", &cluster_name), CS_OK);
	CHECK(cmap_get_uint32(handle, "nodelist.node.0.nodeid", &nodeid), CS_OK);
	CHECK(cmap_set_uint32(handle, SMOKE_KEY, 41), CS_OK);
	CHECK(cmap_inc(handle, SMOKE_KEY), CS_OK);
	CHECK(cmap_get_uint32(handle, SMOKE_KEY, &value), CS_OK);
	if (value != 42) {
		fprintf(stderr, "cmap_inc: %u, not 42\n", value);
		return 1;
	}
	CHECK(cmap_delete(handle, SMOKE_KEY), CS_OK);
	CHECK(cmap_get_uint32(handle, SMOKE_KEY, &value), CS_ERR_NOT_EXIST);
	CHECK(cmap_iter_init(handle, "nodelist.node.0.", &iter), CS_OK);
	while ((err = cmap_iter_next(handle, iter, key, &value_len, &type)) == CS_OK)
		keys++;
	if (err != CS_ERR_NO_SECTIONS) {
		fprintf(stderr, "cmap_iter_next: %d at the end, not CS_ERR_NO_SECTIONS\n", err);
		return 1;
	}
	CHECK(cmap_iter_finalize(handle, iter), CS_OK);
	CHECK(cmap_finalize(handle), CS_OK);
	CHECK(cmap_get_uint32(handle, "nodelist.node.0.nodeid", &value), CS_ERR_BAD_HANDLE);
	printf("cluster_name %s nodeid %u nodelist_keys %u\n", cluster_name, nodeid, keys);
	free(cluster_name);
	return 0;
}
