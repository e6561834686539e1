/* The votequorum driver's helpers (votequorum_driver.h). */
#include "votequorum_driver.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void on_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n, votequorum_node_t nodes[])
{
	uint32_t i;
	printf("  callback quorum(%s, context=%" PRIu64 ", quorate=%u, nodes=[", hname(h), ctx, quorate);
	for (i = 0; i < n; i++)
		printf("%s%u/%u", i ? " " : "", nodes[i].nodeid, nodes[i].state);
	printf("])\n");
	fflush(stdout);
}

void on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	uint32_t i;
	printf("  callback nodelist(%s, context=%" PRIu64 ", ring=%u.%" PRIx64 ", nodes=[", hname(h), ctx, ring.nodeid, ring.seq);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", ids[i]);
	printf("])\n");
	fflush(stdout);
}

void on_expected(votequorum_handle_t h, uint64_t ctx, uint32_t expected)
{
	printf("  callback expectedvotes(%s, context=%" PRIu64 ", expected=%u)\n", hname(h), ctx, expected);
	fflush(stdout);
}

votequorum_callbacks_t all_callbacks = { on_quorum, on_expected, on_nodelist };
votequorum_ring_id_t last_ring;

void on_nodelist_keep_ring(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	last_ring = ring;
	on_nodelist(h, ctx, ring, n, ids);
}

votequorum_handle_t open_handle(votequorum_callbacks_t *cb)
{
	votequorum_handle_t h = 0;
	int err = votequorum_initialize(&h, cb);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_initialize(&%s, ...) = %s\n", err == CS_OK ? hname(h) : "h", err_name(err));
	fflush(stdout);
	return h;
}

void show_fd(votequorum_handle_t h)
{
	int fd = -1;
	int have = votequorum_fd_get(h, &fd) == CS_OK;
	show_fd_state(h, have, fd);
}

void wait_readable(votequorum_handle_t h)
{
	int fd = -1;
	votequorum_fd_get(h, &fd);
	wait_fd(h, fd);
}

void show_info(const char *what, const struct votequorum_info *i)
{
	printf("  %s: node_id=%u state=%u votes=%u expected=%u highest=%u total=%u quorum=%u flags=0x%x qdevice_votes=%u qdevice_name=\"%.*s\"\n",
		what, i->node_id, i->node_state, i->node_votes, i->node_expected_votes, i->highest_expected,
		i->total_votes, i->quorum, i->flags, i->qdevice_votes, (int)sizeof(i->qdevice_name), i->qdevice_name);
	fflush(stdout);
}

int getinfo_show(votequorum_handle_t h, unsigned nodeid)
{
	struct votequorum_info info;
	int err;
	memset(&info, 0, sizeof(info));
	err = votequorum_getinfo(h, nodeid, &info);
	printf("votequorum_getinfo(%s, %u, &info) = %s\n", hname(h), nodeid, err_name(err));
	if (err == CS_OK)
		show_info("info", &info);
	fflush(stdout);
	return err;
}

/* The 1.0 calls that take a handle, each once (tests/abi/check_calls.sh
 * checks that none is missing). */
void every_call_on(votequorum_handle_t h)
{
	struct votequorum_info info;
	votequorum_ring_id_t ring = { 1, 1 };
	void *ctx;
	int fd;
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_BLOCKING));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_fd_get(h, &fd));
	CALL(votequorum_getinfo(h, 0, &info));
	CALL(votequorum_setexpected(h, 1));
	CALL(votequorum_setvotes(h, 1, 1));
	CALL(votequorum_trackstart(h, 0, CS_TRACK_CHANGES));
	CALL(votequorum_trackstop(h));
	CALL(votequorum_context_get(h, &ctx));
	CALL(votequorum_context_set(h, NULL));
	CALL(votequorum_qdevice_register(h, "Q"));
	CALL(votequorum_qdevice_unregister(h, "Q"));
	CALL(votequorum_qdevice_update(h, "Q", "R"));
	CALL(votequorum_qdevice_poll(h, "Q", 1, ring));
	CALL(votequorum_qdevice_master_wins(h, "Q", 1));
	CALL(votequorum_finalize(h));
}
