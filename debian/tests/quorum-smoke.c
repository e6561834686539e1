/*
 * libquorum's smoke test (debian/tests/quorum-c): initialize, getquorate,
 * the context, trackstart and dispatch of the current state, trackstop and
 * finalize on the local corosync, through the installed header and
 * library. Prints one line,
 *   type T quorate Q members M
 * and exits 0 only if every call answered as documented.
 */
#include <corosync/quorum.h>

#include "smoke.h"

#include <stdio.h>

static int notifications;
static uint32_t notified_quorate, notified_members;

static void on_quorum(quorum_handle_t handle, uint32_t quorate, uint64_t ring_seq, uint32_t entries,
	uint32_t *members)
{
	(void)handle;
	(void)ring_seq;
	(void)members;
	notifications++;
	notified_quorate = quorate;
	notified_members = entries;
}

int main(void)
{
	quorum_callbacks_t callbacks = { on_quorum };
	quorum_handle_t handle;
	uint32_t type = 99;
	int quorate = -1, fd = -1, marker = 0;
	const void *context = NULL;

	CHECK(quorum_initialize(&handle, &callbacks, &type), CS_OK);
	CHECK(quorum_fd_get(handle, &fd), CS_OK);
	if (fd < 0) {
		fprintf(stderr, "quorum_fd_get: fd %d\n", fd);
		return 1;
	}
	CHECK(quorum_context_set(handle, &marker), CS_OK);
	CHECK(quorum_context_get(handle, &context), CS_OK);
	if (context != &marker) {
		fprintf(stderr, "quorum_context_get: not the context set\n");
		return 1;
	}
	CHECK(quorum_getquorate(handle, &quorate), CS_OK);
	CHECK(quorum_trackstart(handle, CS_TRACK_CURRENT), CS_OK);
	CHECK(quorum_dispatch(handle, CS_DISPATCH_ONE), CS_OK);
	if (notifications != 1 || (int)notified_quorate != quorate) {
		fprintf(stderr, "quorum_dispatch: %d notifications, quorate %u (getquorate said %d)\n", notifications,
			notified_quorate, quorate);
		return 1;
	}
	CHECK(quorum_trackstop(handle), CS_OK);
	CHECK(quorum_finalize(handle), CS_OK);
	CHECK(quorum_getquorate(handle, &quorate), CS_ERR_BAD_HANDLE);
	printf("type %u quorate %d members %u\n", type, quorate, notified_members);
	return 0;
}
