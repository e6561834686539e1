// "While this call is blocked, do that": runs an action on another thread
// once the constructing thread is seen blocked in a system call that waits
// (blocked.hpp), e.g. a finalize or a daemon's death during a request or a
// BLOCKING dispatch. Construct it right before the call, join() after.
#pragma once

#include "blocked.hpp"

#include <functional>
#include <thread>
#include <unistd.h>

namespace vqtest {

class WhenBlocked {
public:
	explicit WhenBlocked(std::function<void()> action)
	    : caller_(gettid()), thread_([this, action = std::move(action)] {
		      blocked_ = wait_until_blocked(caller_);
		      action();
	      })
	{
	}
	~WhenBlocked()
	{
		if (thread_.joinable()) {
			thread_.join();
		}
	}
	WhenBlocked(const WhenBlocked&) = delete;
	WhenBlocked& operator=(const WhenBlocked&) = delete;

	// Waits for the action to have run; whether the caller was seen blocked
	// first (false: the action ran anyway, after wait_until_blocked's limit).
	bool join()
	{
		thread_.join();
		return blocked_;
	}

private:
	const pid_t caller_;
	bool blocked_ = false;
	std::thread thread_;  // last: starts once the members above are set
};

}  // namespace vqtest
