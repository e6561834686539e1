// Connection::dispatch and the buffers it receives into. A header, not a
// .cpp: the C shim instantiates the loop with its own sink's type (a final
// class), so each notification reaches the C callback through direct,
// inlined calls; connection.cpp instantiates it once more for any
// wire::EventSink (the C++ API, tests, the fuzzer).
#pragma once

#include "connection.hpp"
#include "errors.hpp"

#include <cerrno>
#include <cstddef>
#include <mutex>
#include <span>

namespace vq {

// Replies and notifications are received into buffers of the calling
// thread, not of the connection: a thousand handles cost no more buffer
// memory than one. Each is an anonymous mapping (the reference puts 1 MiB on
// the stack), so the kernel backs only the pages messages reach.
//
// A notification is handed to the sink as a view into its buffer, and the
// sink may dispatch again from inside itself; so there is one buffer per
// nesting depth: a dispatch receives into the buffer of the current depth,
// and the sink runs one depth further down. A request (no sink runs during
// it) uses the buffer of the current depth too.
//
// The state is a plain, trivially destructible thread_local with the
// initial-exec model: reaching it is one load, with no lookup function and
// no guard. The mappings are released at thread exit by a pthread key's
// destructor, registered the first time a thread maps a buffer
// (connection.cpp).
inline constexpr unsigned kDepths = 8;  // deeper nesting maps a buffer per call
struct ThreadBuffers {
	unsigned depth;
	std::byte* data[kDepths];
	std::size_t size[kDepths];
};
extern constinit thread_local ThreadBuffers t_buffers __attribute__((tls_model("initial-exec")));

// An anonymous mapping of `size` bytes; throws std::bad_alloc.
std::byte* map_bytes(std::size_t size);
void unmap_bytes(std::byte* data, std::size_t size) noexcept;
// Maps depth's buffer anew, at least `size` bytes. Throws std::bad_alloc.
[[gnu::cold]] std::byte* grow_buffer(unsigned depth, std::size_t size);

// The receive buffer of the current depth for one call, at least `size`
// bytes; past kDepths, a mapping of its own, unmapped when the call returns.
class Buffer {
public:
	explicit Buffer(std::size_t size) : size_(size)
	{
		const unsigned depth = t_buffers.depth;
		if (depth >= kDepths) [[unlikely]] {
			data_ = map_bytes(size);
			owned_ = true;
		} else if (t_buffers.size[depth] >= size) [[likely]] {
			data_ = t_buffers.data[depth];
		} else {
			data_ = grow_buffer(depth, size);
		}
	}
	~Buffer()
	{
		if (owned_) [[unlikely]] {
			unmap_bytes(data_, size_);
		}
	}
	Buffer(const Buffer&) = delete;
	Buffer& operator=(const Buffer&) = delete;

	std::span<std::byte> bytes() const noexcept { return {data_, size_}; }

private:
	std::byte* data_;
	std::size_t size_;
	bool owned_ = false;
};

// While it lives, dispatches and requests on this thread use the buffers
// one depth further down: a dispatch holds one for its whole call.
class Nested {
public:
	Nested() noexcept { ++t_buffers.depth; }
	~Nested() { --t_buffers.depth; }
	Nested(const Nested&) = delete;
	Nested& operator=(const Nested&) = delete;
};

template <class Sink>
cs_error_t Connection::dispatch(cs_dispatch_flags_t mode)
{
	switch (mode) {
	case CS_DISPATCH_ONE:
		return dispatch_loop<Sink, true, true>(mode);
	case CS_DISPATCH_ALL:
		return dispatch_loop<Sink, false, false>(mode);
	case CS_DISPATCH_BLOCKING:
		return dispatch_loop<Sink, true, false>(mode);
	default:
		return dispatch_loop<Sink, false, true>(mode);
	}
}

// One loop per mode: the tests of the mode leave the per-notification path.
template <class Sink, bool Wait, bool JustOne>
cs_error_t Connection::dispatch_loop(cs_dispatch_flags_t mode)
{
	const Buffer buffer(buffer_size_);
	const std::span<std::byte> bytes = buffer.bytes();
	const Nested nested;  // the sink's own dispatches and requests use the next buffer
	Sink& sink = static_cast<Sink&>(*sink_);

	if (closed()) {
		return CS_ERR_BAD_HANDLE;
	}
	for (;;) {
		ssize_t res;
		{
			std::lock_guard lock(io_lock_);
			res = receiver_.receive(receiver_.arg, bytes.data(), bytes.size(), 0);
		}
		if (res < 0) [[unlikely]] {
			if (res != -EAGAIN && res != -ETIMEDOUT) {
				return closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
			}
			if (!Wait) {
				return mode == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
			}
			wait_readable();
			if (closed()) {
				return CS_ERR_BAD_HANDLE;
			}
			continue;
		}
		const cs_error_t decoded = wire::decode_event(bytes.first(static_cast<std::size_t>(res)), sink);
		if (decoded != CS_OK) [[unlikely]] {
			return decoded;  // the malformed message is consumed
		}
		if (closed()) [[unlikely]] {
			return CS_ERR_BAD_HANDLE;  // finalized from inside the callback, or by another thread
		}
		if (JustOne) {
			return CS_OK;
		}
	}
}

}  // namespace vq
