/*
 * vq_status: prints the quorum state of the local corosync node and its
 * membership, through libvotequorum's public C API only.
 *
 *   vq_status            print once
 *   vq_status --follow   print every change until interrupted
 *
 * Build: cc vq_status.c -lvotequorum
 */
#include <corosync/votequorum.h>

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

static const char *error_text(cs_error_t err)
{
	switch (err) {
	case CS_OK: return "ok";
	case CS_ERR_LIBRARY: return "cannot talk to corosync (is it running?)";
	case CS_ERR_BAD_HANDLE: return "bad handle";
	case CS_ERR_TRY_AGAIN: return "try again";
	case CS_ERR_ACCESS: return "access denied";
	default: return "error";
	}
}

static void on_nodelist(votequorum_handle_t handle, uint64_t context, votequorum_ring_id_t ring_id,
	uint32_t entries, uint32_t nodes[])
{
	uint32_t i;

	(void)handle;
	(void)context;
	printf("membership: ring " CS_PRI_RING_ID ", %" PRIu32 " node(s):", ring_id.nodeid, ring_id.seq, entries);
	for (i = 0; i < entries; i++) {
		printf(" " CS_PRI_NODE_ID, nodes[i]);
	}
	printf("\n");
}

static void on_quorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate, uint32_t entries,
	votequorum_node_t nodes[])
{
	uint32_t i;

	(void)handle;
	(void)context;
	printf("quorum: %s;", quorate ? "quorate" : "NOT quorate");
	for (i = 0; i < entries; i++) {
		printf(" node " CS_PRI_NODE_ID " %s", nodes[i].nodeid,
			nodes[i].state == VOTEQUORUM_NODESTATE_MEMBER ? "member" :
			nodes[i].state == VOTEQUORUM_NODESTATE_DEAD ? "dead" : "leaving");
	}
	printf("\n");
}

static void on_expected(votequorum_handle_t handle, uint64_t context, uint32_t expected)
{
	(void)handle;
	(void)context;
	printf("expected votes: %" PRIu32 "\n", expected);
}

int main(int argc, char **argv)
{
	votequorum_callbacks_t callbacks = { on_quorum, on_expected, on_nodelist };
	votequorum_handle_t handle;
	struct votequorum_info info;
	int follow = argc > 1 && strcmp(argv[1], "--follow") == 0;
	cs_error_t err;
	int fd;

	err = votequorum_initialize(&handle, &callbacks);
	if (err != CS_OK) {
		fprintf(stderr, "vq_status: votequorum_initialize: %s (%d)\n", error_text(err), err);
		return 2;
	}
	err = votequorum_getinfo(handle, 0, &info);
	if (err != CS_OK) {
		fprintf(stderr, "vq_status: votequorum_getinfo: %s (%d)\n", error_text(err), err);
		votequorum_finalize(handle);
		return 2;
	}
	printf("node " CS_PRI_NODE_ID ": %u vote(s); expected %u, highest expected %u, total %u, quorum %u; %s%s%s\n",
		info.node_id, info.node_votes, info.node_expected_votes, info.highest_expected,
		info.total_votes, info.quorum,
		(info.flags & VOTEQUORUM_INFO_QUORATE) ? "quorate" : "not quorate",
		(info.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) ? ", qdevice " : "",
		(info.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) ? info.qdevice_name : "");

	err = votequorum_trackstart(handle, 0, CS_TRACK_CURRENT | (follow ? CS_TRACK_CHANGES : 0));
	if (err == CS_OK) {
		err = votequorum_fd_get(handle, &fd);
	}
	/* The current state arrives as notifications: wait for them with the
	 * caller's own poll(), as an event loop would. */
	while (err == CS_OK) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, follow ? -1 : 1000) <= 0) {
			break;
		}
		err = votequorum_dispatch(handle, CS_DISPATCH_ALL);
		fflush(stdout);
		if (!follow) {
			break;
		}
	}
	if (err != CS_OK) {
		fprintf(stderr, "vq_status: %s (%d)\n", error_text(err), err);
	}
	votequorum_finalize(handle);
	return err == CS_OK ? ((info.flags & VOTEQUORUM_INFO_QUORATE) ? 0 : 1) : 2;
}
