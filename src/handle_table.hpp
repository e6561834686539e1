// Handles -> shared connections. A handle is (check << 32) | slot. A slot's
// check is a keyed permutation of how many times the slot has been issued,
// under a key drawn once per table from getrandom(2): so a slot never
// issues the same value twice (until its count wraps after 2^32 - 1
// reuses), a check is never 0 (handle 0 is never valid), and no fixed value
// (such as 1 << 32) is a live handle with more than chance probability. The
// caller's random() state is never touched.
#pragma once

#include "connection.hpp"
#include "futex_lock.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace vq {

class HandleTable {
public:
	HandleTable();

	votequorum_handle_t insert(std::shared_ptr<Connection> connection);
	// The connection, or null for a handle never issued or already removed.
	std::shared_ptr<Connection> find(votequorum_handle_t handle) const;
	// Removes and returns the connection, or null as for find().
	std::shared_ptr<Connection> remove(votequorum_handle_t handle);

	// The process-wide table of the C ABI. Never destroyed: nothing is torn
	// down at exit (a forked child that exits must not disconnect its
	// parent's connections).
	static HandleTable& global();

private:
	static constexpr uint32_t kNone = UINT32_MAX;
	struct Slot {
		uint32_t issued = 0;  // how many times this slot has been issued
		uint32_t check = 0;   // the check of its current handle
		uint32_t next_free = kNone;  // the next slot of the free list
		std::shared_ptr<Connection> connection;
	};
	const Slot* lookup(votequorum_handle_t handle) const noexcept;
	uint32_t permute(uint32_t count) const noexcept;

	std::array<uint32_t, 4> key_;  // one round key per round of permute()
	mutable FutexLock lock_;
	std::vector<Slot> slots_;
	// The free slots, a FIFO list threaded through them (the least recently
	// freed is reused first). It never allocates: remove() (finalize)
	// cannot fail for want of memory.
	uint32_t free_head_ = kNone;
	uint32_t free_tail_ = kNone;
};

}  // namespace vq
