#include "handle_table.hpp"

#include <ctime>
#include <sys/random.h>
#include <unistd.h>

namespace vq {

namespace {

// A 64-bit mixer (splitmix64's finalizer): only for the fallback below.
uint64_t mix(uint64_t x) noexcept
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

// The table's key, from the kernel's random source. getrandom() only fails
// where it does not exist or the pool is not yet ready at early boot; the
// fallback then still differs between processes and runs.
std::array<uint32_t, 4> draw_key(const void* self) noexcept
{
	std::array<uint32_t, 4> key{};
	if (getrandom(key.data(), sizeof key, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof key)) {
		return key;
	}
	timespec now{};
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t seed = mix(static_cast<uint64_t>(now.tv_nsec) ^ (static_cast<uint64_t>(now.tv_sec) << 32));
	seed = mix(seed ^ static_cast<uint64_t>(getpid()) ^ reinterpret_cast<uintptr_t>(self));
	for (auto& k : key) {
		seed = mix(seed + 0x9e3779b97f4a7c15ull);
		k = static_cast<uint32_t>(seed);
	}
	return key;
}

}  // namespace

HandleTable::HandleTable() : key_(draw_key(this)) {}

// A four-round Feistel network on two 16-bit halves: a bijection of 32-bit
// values, so distinct counts give distinct checks, and without the key the
// check of any count is unpredictable.
uint32_t HandleTable::permute(uint32_t count) const noexcept
{
	uint32_t left = count >> 16, right = count & 0xffffu;
	for (uint32_t k : key_) {
		uint32_t f = (right ^ k) * 0x9e3779b1u;
		f ^= f >> 15;
		const uint32_t next = left ^ ((f ^ (k >> 16)) & 0xffffu);
		left = right;
		right = next;
	}
	return (left << 16) | right;
}

uint64_t HandleTable::insert(std::shared_ptr<void> object)
{
	std::lock_guard lock(lock_);
	uint32_t index;
	if (free_head_ != kNone) {
		index = free_head_;
		free_head_ = slots_[index].next_free;
		if (free_head_ == kNone) {
			free_tail_ = kNone;
		}
		slots_[index].next_free = kNone;
	} else {
		slots_.emplace_back();  // may throw; nothing has changed yet if it does
		index = static_cast<uint32_t>(slots_.size() - 1);
	}
	Slot& slot = slots_[index];
	do {
		slot.check = permute(++slot.issued);
	} while (slot.check == 0);  // one count in 2^32 maps to 0: skip it
	slot.object = std::move(object);
	return (static_cast<uint64_t>(slot.check) << 32) | index;
}

const HandleTable::Slot* HandleTable::lookup(uint64_t handle) const noexcept
{
	const auto index = static_cast<uint32_t>(handle & 0xffffffffu);
	const auto check = static_cast<uint32_t>(handle >> 32);
	if (check == 0 || index >= slots_.size()) {
		return nullptr;
	}
	const Slot& slot = slots_[index];
	if (slot.check != check || !slot.object) {
		return nullptr;
	}
	return &slot;
}

std::shared_ptr<void> HandleTable::find(uint64_t handle) const
{
	std::lock_guard lock(lock_);
	const Slot* slot = lookup(handle);
	return slot ? slot->object : nullptr;
}

std::shared_ptr<void> HandleTable::remove(uint64_t handle)
{
	std::lock_guard lock(lock_);
	const Slot* slot = lookup(handle);
	if (slot == nullptr) {
		return nullptr;
	}
	const auto index = static_cast<uint32_t>(handle & 0xffffffffu);
	if (free_tail_ == kNone) {
		free_head_ = index;
	} else {
		slots_[free_tail_].next_free = index;
	}
	free_tail_ = index;
	return std::move(slots_[index].object);
}


}  // namespace vq
