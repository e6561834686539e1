// The library's lock: a connection's transport calls, and the handle table.
// Uncontended it is one locked instruction each way, inline: std::mutex goes
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
	// One locked decrement: from kLocked it frees the lock, and nobody
	// waits; from kContended it leaves kLocked, and the slow path frees the
	// lock and wakes a waiter (Drepper's "Futexes Are Tricky", mutex 3).
	void unlock() noexcept
	{
		if (state_.fetch_sub(1, std::memory_order_release) != kLocked) [[unlikely]] {
			unlock_contended();
		}
	}

private:
	enum : int { kFree = 0, kLocked = 1, kContended = 2 };

	[[gnu::noinline]] void unlock_contended() noexcept
	{
		state_.store(kFree, std::memory_order_release);
		state_.notify_one();
	}

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
