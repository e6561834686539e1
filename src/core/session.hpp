// A connection and the sink its notifications go to: what a handle of a C
// ABI (core/c_shim.hpp) and a C++ client each hold. Shared, so that a call
// still running in another thread keeps both alive after a close.
//
// A Sink is a final class derived from its service's wire::EventSink, so
// that the service's decoder, decode_event(message, sink), is found by
// argument-dependent lookup; dispatch inlines it into the loop.
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
		return connection->dispatch(mode, [this](std::span<const std::byte> message) {
			return decode_event(message, sink);  // the service's, by argument-dependent lookup
		});
	}

	const std::shared_ptr<Connection> connection;  // never null
	Sink sink;
};

}  // namespace vq
