// The library's lock: a connection's transport calls, and the handle table.
// Uncontended it is one atomic exchange each way, inline: std::mutex goes
// through pthread_mutex_lock/unlock, about 50 instructions a pair, paid for
// every notification dispatched (the connection's) and every call (the
// handle table's). Contended it sleeps in the kernel (a futex, through
// std::atomic's wait and notify), as std::mutex does: a dispatch may wait
// behind a request that waits for the daemon's reply.
#pragma once

#include <atomic>

namespace vq {

class FutexLock {
public:
	void lock() noexcept
	{
		int expected = kFree;
		if (!state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire, std::memory_order_relaxed))
			[[unlikely]] {
			lock_contended(expected);
		}
	}
	void unlock() noexcept
	{
		if (state_.exchange(kFree, std::memory_order_release) == kContended) [[unlikely]] {
			state_.notify_one();
		}
	}

private:
	enum : int { kFree = 0, kLocked = 1, kContended = 2 };

	// Marks the lock contended, then sleeps until it is free and takes it
	// (still marked contended: the unlock that follows wakes the next one).
	[[gnu::noinline]] void lock_contended(int seen) noexcept
	{
		if (seen != kContended) {
			seen = state_.exchange(kContended, std::memory_order_acquire);
		}
		while (seen != kFree) {
			state_.wait(kContended, std::memory_order_relaxed);
			seen = state_.exchange(kContended, std::memory_order_acquire);
		}
	}

	std::atomic<int> state_{kFree};
};

}  // namespace vq
