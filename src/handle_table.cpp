#include "handle_table.hpp"

namespace vq {

votequorum_handle_t HandleTable::insert(std::shared_ptr<Connection> connection)
{
	std::lock_guard lock(mutex_);
	uint32_t index;
	if (!free_.empty()) {
		index = free_.front();
		free_.pop_front();
	} else {
		slots_.emplace_back();
		index = static_cast<uint32_t>(slots_.size() - 1);
	}
	Slot& slot = slots_[index];
	if (++slot.generation == 0) {
		slot.generation = 1;
	}
	slot.connection = std::move(connection);
	return (static_cast<uint64_t>(slot.generation) << 32) | index;
}

const HandleTable::Slot* HandleTable::lookup(votequorum_handle_t handle) const noexcept
{
	const auto index = static_cast<uint32_t>(handle & 0xffffffffu);
	const auto generation = static_cast<uint32_t>(handle >> 32);
	if (generation == 0 || index >= slots_.size()) {
		return nullptr;
	}
	const Slot& slot = slots_[index];
	if (slot.generation != generation || !slot.connection) {
		return nullptr;
	}
	return &slot;
}

std::shared_ptr<Connection> HandleTable::find(votequorum_handle_t handle) const
{
	std::lock_guard lock(mutex_);
	const Slot* slot = lookup(handle);
	return slot ? slot->connection : nullptr;
}

std::shared_ptr<Connection> HandleTable::remove(votequorum_handle_t handle)
{
	std::lock_guard lock(mutex_);
	const Slot* slot = lookup(handle);
	if (slot == nullptr) {
		return nullptr;
	}
	const auto index = static_cast<uint32_t>(handle & 0xffffffffu);
	free_.push_back(index);  // may throw; nothing has changed yet if it does
	return std::move(slots_[index].connection);
}

HandleTable& HandleTable::global()
{
	static HandleTable* table = new HandleTable;
	return *table;
}

}  // namespace vq
