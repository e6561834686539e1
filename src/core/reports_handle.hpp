// The base of every C ABI's callback sink (src/SERVICE/callback_sink.hpp).
#pragma once

#include <atomic>
#include <cstdint>

namespace vq {

// The handle a C sink's callbacks report: set once, right after the handle
// table has issued it, before any other thread can know the handle.
class ReportsHandle {
public:
	void set_handle(uint64_t handle) noexcept { handle_.store(handle, std::memory_order_release); }

protected:
	uint64_t handle() const noexcept { return handle_.load(std::memory_order_acquire); }

private:
	std::atomic<uint64_t> handle_{0};
};

}  // namespace vq
