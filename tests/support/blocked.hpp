// The C++ side of blocked.h: ordering threads by observed state, not by
// sleeping. A test that wants "finalize (or a daemon's death) while a call is
// blocked" first waits until the calling thread really sleeps in a system
// call that waits for input, and asserts that it did.
#pragma once

#include "blocked.h"

#include <chrono>

namespace vqtest {

// True once thread `tid` of this process has been seen twice, 10 ms apart,
// in state S inside poll, ppoll, select, pselect, epoll_wait, recvfrom,
// recvmsg, read or futex (a lock another call holds); false after `limit`.
inline bool wait_until_blocked(pid_t tid, std::chrono::milliseconds limit = std::chrono::seconds(5))
{
	return vq_wait_blocked(tid, static_cast<long>(limit.count()), 1) != 0;
}

}  // namespace vqtest
