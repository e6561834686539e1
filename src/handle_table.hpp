// Handles -> shared connections. A handle is (generation << 32) | slot with
// a generation that is never 0, so handle 0 is never valid and a finalized
// handle's value is not issued again until its slot's generation wraps
// (2^32 - 1 reuses of that one slot).
#pragma once

#include "connection.hpp"

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace vq {

class HandleTable {
public:
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
		uint32_t generation = 0;
		std::shared_ptr<Connection> connection;
	};
	const Slot* lookup(votequorum_handle_t handle) const noexcept;

	mutable std::mutex mutex_;
	std::vector<Slot> slots_;
	std::deque<uint32_t> free_;  // FIFO: the least recently freed slot is reused first
};

}  // namespace vq
