// libquorum from C++ through the imported target votequorum::quorum alone:
// connects with model V1, tracks the current state and prints it.
#include <corosync/quorum.h>

#include <cstdio>

namespace {
int nodelists, quorums;
uint32_t members;

void on_nodelist(quorum_handle_t, quorum_ring_id, uint32_t entries, const uint32_t *, uint32_t, const uint32_t *,
	uint32_t, const uint32_t *)
{
	nodelists++;
	members = entries;
}

void on_quorum(quorum_handle_t, uint32_t, quorum_ring_id, uint32_t, const uint32_t *)
{
	quorums++;
}
} // namespace

int main()
{
	quorum_model_v1_data_t model{QUORUM_MODEL_V1, on_quorum, on_nodelist};
	quorum_handle_t handle;
	uint32_t type = 99;
	int context = 0;
	cs_error_t err = quorum_model_initialize(&handle, QUORUM_MODEL_V1,
		reinterpret_cast<quorum_model_data_t *>(&model), &type, &context);
	if (err != CS_OK) {
		std::printf("quorum_model_initialize: %d\n", err);
		return 1;
	}
	const void *got = nullptr;
	int quorate = -1;
	if ((err = quorum_context_get(handle, &got)) != CS_OK || got != &context ||
		(err = quorum_getquorate(handle, &quorate)) != CS_OK ||
		(err = quorum_trackstart(handle, CS_TRACK_CURRENT)) != CS_OK ||
		(err = quorum_dispatch(handle, CS_DISPATCH_ALL)) != CS_OK) {
		std::printf("quorum call: %d\n", err);
		return 1;
	}
	std::printf("quorum V1: type %u quorate %d nodelists %d quorums %d members %u\n", type, quorate, nodelists,
		quorums, members);
	return quorum_finalize(handle) == CS_OK ? 0 : 1;
}
