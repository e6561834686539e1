/*
 * The installed libquorum from C, built with nothing but pkg-config's flags
 * (tests/package/check_install.sh): asks the local corosync whether it is
 * quorate, then tracks the current state (model V0) and prints what the
 * notification said. Exits 0 only if every call succeeded.
 */
#include <corosync/quorum.h>

#include <stdio.h>

static int notified;
static uint32_t notified_quorate, notified_members;

static void on_quorum(quorum_handle_t handle, uint32_t quorate, uint64_t ring_seq, uint32_t entries, uint32_t *members)
{
	(void)handle;
	(void)ring_seq;
	(void)members;
	notified++;
	notified_quorate = quorate;
	notified_members = entries;
}

int main(void)
{
	quorum_handle_t handle;
	quorum_callbacks_t callbacks = { on_quorum };
	uint32_t type = 99;
	int quorate = -1;
	cs_error_t err = quorum_initialize(&handle, &callbacks, &type);

	if (err != CS_OK) {
		printf("quorum_initialize: %d\n", err);
		return 1;
	}
	if ((err = quorum_getquorate(handle, &quorate)) != CS_OK ||
	    (err = quorum_trackstart(handle, CS_TRACK_CURRENT)) != CS_OK ||
	    (err = quorum_dispatch(handle, CS_DISPATCH_ONE)) != CS_OK) {
		printf("quorum call: %d\n", err);
		return 1;
	}
	printf("quorum: type %u getquorate %d notifications %d quorate %u members %u\n", type, quorate, notified,
		notified_quorate, notified_members);
	return quorum_finalize(handle) == CS_OK ? 0 : 1;
}
