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
#include <deque>
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
	struct Slot {
		uint32_t issued = 0;  // how many times this slot has been issued
		uint32_t check = 0;   // the check of its current handle
		std::shared_ptr<Connection> connection;
	};
	const Slot* lookup(votequorum_handle_t handle) const noexcept;
	uint32_t permute(uint32_t count) const noexcept;

	std::array<uint32_t, 4> key_;  // one round key per round of permute()
	mutable FutexLock lock_;
	std::vector<Slot> slots_;
	std::deque<uint32_t> free_;  // FIFO: the least recently freed slot is reused first
};

}  // namespace vq
