// Handles -> the objects a C ABI keeps per handle. A handle is
// (check << 32) | slot. A slot's check is a keyed permutation of how many
// times the slot has been issued, under a key drawn once per table from
// getrandom(2): so a slot never issues the same value twice (until its count
// wraps after 2^32 - 1 reuses), a check is never 0 (handle 0 is never
// valid), and no fixed value (such as 1 << 32) is a live handle with more
// than chance probability. The caller's random() state is never touched.
//
// HandleTable is the untyped table; Handles<T> is the typed front a service's
// C shim uses, one per service: only T goes in, so only T comes out.
#pragma once

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

	uint64_t insert(std::shared_ptr<void> object);
	// The object, or null for a handle never issued or already removed.
	std::shared_ptr<void> find(uint64_t handle) const;
	// Removes and returns the object, or null as for find().
	std::shared_ptr<void> remove(uint64_t handle);

private:
	static constexpr uint32_t kNone = UINT32_MAX;
	struct Slot {
		uint32_t issued = 0;  // how many times this slot has been issued
		uint32_t check = 0;   // the check of its current handle
		uint32_t next_free = kNone;  // the next slot of the free list
		std::shared_ptr<void> object;
	};
	const Slot* lookup(uint64_t handle) const noexcept;
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

// A table that holds only T: what find() and remove() return was inserted
// as a T, so the conversion back is exact.
template <class T>
class Handles {
public:
	uint64_t insert(std::shared_ptr<T> object) { return table_.insert(std::move(object)); }
	std::shared_ptr<T> find(uint64_t handle) const { return std::static_pointer_cast<T>(table_.find(handle)); }
	std::shared_ptr<T> remove(uint64_t handle) { return std::static_pointer_cast<T>(table_.remove(handle)); }

	// The process-wide table of a C ABI. Never destroyed: nothing is torn
	// down at exit (a forked child that exits must not disconnect its
	// parent's connections).
	static Handles& global()
	{
		static Handles* table = new Handles;
		return *table;
	}

private:
	HandleTable table_;
};

}  // namespace vq
