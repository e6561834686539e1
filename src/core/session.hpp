// A connection and the sink its notifications go to: what a handle of a C
// ABI (core/c_shim.hpp) and a C++ client each hold. Shared, so that a call
// still running in another thread keeps both alive after a close.
//
// A Sink is a final class with
//   cs_error_t decode(std::span<const std::byte> message)
// which checks one notification with its service's decoder and delivers it
// to itself; dispatch inlines it into the loop.
#pragma once

#include "connection.hpp"
#include "dispatch_loop.hpp"

#include <memory>
#include <span>
#include <utility>

namespace vq {

template <class Sink>
struct Session {
	template <class... SinkArgs>
	explicit Session(std::shared_ptr<Connection> c, SinkArgs&&... args)
	    : connection(std::move(c)), sink(std::forward<SinkArgs>(args)...)
	{
	}

	// `mode` is valid (dispatch_mode).
	cs_error_t dispatch(cs_dispatch_flags_t mode)
	{
		return connection->dispatch(mode, [this](std::span<const std::byte> message) { return sink.decode(message); });
	}

	const std::shared_ptr<Connection> connection;  // never null
	Sink sink;
};

}  // namespace vq
