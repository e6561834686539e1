// The buffers replies and notifications are received into: per thread,
// not per connection, for every service's connections alike.
#pragma once

#include <cstddef>
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
// (thread_buffers.cpp).
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

}  // namespace vq
