/*
 * libvotequorum's smoke test (debian/tests/votequorum-c): the calls that
 * need no quorum device, on the local corosync, through the installed
 * header and library. Prints one line,
 *   quorate Q node N expected E highest H total T quorum Q members M
 * and exits 0 only if every call answered as documented.
 */
#include <corosync/votequorum.h>

#include "smoke.h"

#include <poll.h>
#include <stdio.h>

static int quorum_events, expected_events, nodelist_events;
static unsigned int members;

static void on_quorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate, uint32_t entries,
	votequorum_node_t nodes[])
{
	(void)handle;
	(void)quorate;
	(void)nodes;
	if (context == 42) {
		quorum_events++;
		members = entries;
	}
}

static void on_expected(votequorum_handle_t handle, uint64_t context, uint32_t expected)
{
	(void)handle;
	(void)context;
	(void)expected;
	expected_events++;
}

static void on_nodelist(votequorum_handle_t handle, uint64_t context, votequorum_ring_id_t ring_id,
	uint32_t entries, uint32_t nodes[])
{
	(void)handle;
	(void)context;
	(void)ring_id;
	(void)entries;
	(void)nodes;
	nodelist_events++;
}

int main(void)
{
	votequorum_callbacks_t callbacks = { on_quorum, on_expected, on_nodelist };
	votequorum_handle_t handle;
	struct votequorum_info info, by_id;
	int fd = -1, marker = 0, waits;
	void *context = NULL;

	CHECK(votequorum_initialize(&handle, &callbacks), CS_OK);
	CHECK(votequorum_fd_get(handle, &fd), CS_OK);
	if (fd < 0) {
		fprintf(stderr, "votequorum_fd_get: fd %d\n", fd);
		return 1;
	}
	CHECK(votequorum_context_set(handle, &marker), CS_OK);
	CHECK(votequorum_context_get(handle, &context), CS_OK);
	if (context != &marker) {
		fprintf(stderr, "votequorum_context_get: not the context set\n");
		return 1;
	}
	/* Node 0 is the local node; asking for it by its id gives the same. */
	CHECK(votequorum_getinfo(handle, 0, &info), CS_OK);
	CHECK(votequorum_getinfo(handle, info.node_id, &by_id), CS_OK);
	if (by_id.node_id != info.node_id || by_id.node_expected_votes != info.node_expected_votes ||
	    by_id.total_votes != info.total_votes || by_id.quorum != info.quorum) {
		fprintf(stderr, "votequorum_getinfo: node 0 and node %u differ\n", info.node_id);
		return 1;
	}
	/* Setting what is already set changes nothing and succeeds. */
	CHECK(votequorum_setexpected(handle, info.node_expected_votes), CS_OK);
	CHECK(votequorum_setvotes(handle, info.node_id, info.node_votes), CS_OK);
	/* The current state, as a notification with the tracking context; the
	 * changes too, so that there is a tracking to stop. */
	CHECK(votequorum_trackstart(handle, 42, CS_TRACK_CURRENT | CS_TRACK_CHANGES), CS_OK);
	for (waits = 0; quorum_events == 0 && waits < 50; waits++) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 100) == 1) {
			CHECK(votequorum_dispatch(handle, CS_DISPATCH_ALL), CS_OK);
		}
	}
	if (quorum_events == 0) {
		fprintf(stderr, "votequorum_trackstart: no quorum notification in 5 s\n");
		return 1;
	}
	CHECK(votequorum_trackstop(handle), CS_OK);
	CHECK(votequorum_finalize(handle), CS_OK);
	/* The handle is gone. */
	CHECK(votequorum_getinfo(handle, 0, &by_id), CS_ERR_BAD_HANDLE);
	CHECK(votequorum_finalize(handle), CS_ERR_BAD_HANDLE);
	printf("quorate %d node %u expected %u highest %u total %u quorum %u members %u\n",
		(info.flags & VOTEQUORUM_INFO_QUORATE) ? 1 : 0, info.node_id, info.node_expected_votes,
		info.highest_expected, info.total_votes, info.quorum, members);
	return 0;
}
