// Connection::dispatch: the loop of the four CS_DISPATCH_* modes. A header,
// not a .cpp: each service's shim instantiates it with its own decoder and
// sink (final classes), so each notification reaches the callback through
// direct, inlined calls.
#pragma once

#include "connection.hpp"
#include "errors.hpp"
#include "thread_buffers.hpp"

#include <cerrno>
#include <cstddef>
#include <mutex>
#include <span>

namespace vq {

template <class Decode>
cs_error_t Connection::dispatch(cs_dispatch_flags_t mode, Decode&& decode)
{
	switch (mode) {
	case CS_DISPATCH_ONE:
		return dispatch_loop<true, true>(mode, decode);
	case CS_DISPATCH_ALL:
		return dispatch_loop<false, false>(mode, decode);
	case CS_DISPATCH_BLOCKING:
		return dispatch_loop<true, false>(mode, decode);
	default:
		return dispatch_loop<false, true>(mode, decode);
	}
}

// One loop per mode: the tests of the mode leave the per-notification path.
template <bool Wait, bool JustOne, class Decode>
cs_error_t Connection::dispatch_loop(cs_dispatch_flags_t mode, Decode& decode)
{
	const Buffer buffer(buffer_size_);
	const std::span<std::byte> bytes = buffer.bytes();
	const Nested nested;  // the sink's own dispatches and requests use the next buffer

	// A copy the loop owns: no call it makes can change it, so it is not
	// read again through the caller's frame for every notification.
	Decode decode_one = decode;
	if (closed()) {
		return CS_ERR_BAD_HANDLE;
	}
	if (transport_->broken()) [[unlikely]] {
		return from_qb_result(-ENOTCONN);
	}
	for (;;) {
		ssize_t res;
		{
			std::lock_guard lock(io_lock_);
			res = receiver_.receive(receiver_.conn, bytes.data(), bytes.size(), 0);
		}
		if (res < 0) [[unlikely]] {
			if (res != -EAGAIN && res != -ETIMEDOUT) {
				// It may have taken a notification from the ring without
				// delivering it: the connection is not used again.
				transport_->mark_broken();
				return closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
			}
			if (!Wait) {
				return mode == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
			}
			wait_readable();
			if (closed()) {
				return CS_ERR_BAD_HANDLE;
			}
			if (transport_->broken()) {
				return from_qb_result(-ENOTCONN);
			}
			continue;
		}
		const cs_error_t decoded = decode_one(std::span<const std::byte>(bytes.first(static_cast<std::size_t>(res))));
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
