// Uses the installed header from C++ and prints what the local corosync says.
#include <corosync/votequorum.h>

#include <cstdio>

int main()
{
	votequorum_handle_t handle;
	if (cs_error_t err = votequorum_initialize(&handle, nullptr); err != CS_OK) {
		std::printf("initialize: %d\n", err);
		return 1;
	}
	votequorum_info info{};
	cs_error_t err = votequorum_getinfo(handle, 0, &info);
	std::printf("getinfo: %d node %u quorate %d\n", err, info.node_id, (info.flags & VOTEQUORUM_INFO_QUORATE) ? 1 : 0);
	votequorum_finalize(handle);
	return err == CS_OK ? 0 : 1;
}
