// quorum::Client — a C++20 interface to corosync's quorum service, with the
// conventions of votequorum::Client: a move-only, RAII connection; results
// as std::error_code in the cs_error_t category; typed events (node lists as
// spans); fd() and dispatch() for the caller's event loop; optional connect
// and request timeouts; every member is safe to call from several threads.
// It always uses the V1 model (the whole ring id, and node lists with who
// joined and left).
// Link: -lvotequorum-cpp, or the CMake target votequorum::cpp.
#pragma once

#include <corosync/quorum.h>
#include <corosync/client.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <variant>

namespace quorum {

using corosync::Options;
using corosync::Result;
using corosync::RingId;

// The cluster's quorate state and members: after track(), on each change.
struct QuorumEvent {
	bool quorate;
	RingId ring;
	std::span<const uint32_t> members;
};
// Each membership change, with the nodes that joined and left.
struct NodelistEvent {
	RingId ring;
	std::span<const uint32_t> members;
	std::span<const uint32_t> joined;
	std::span<const uint32_t> left;
};
// The spans point into the library's receive buffer: valid while the
// handler runs.
using Event = std::variant<QuorumEvent, NodelistEvent>;

class COROSYNC_CPP_API Client : public corosync::ClientBase {
public:
	using Handler = std::function<void(const Event&)>;

	// Connects to the local corosync's quorum service. `handler` receives
	// the events that dispatch() takes, in the thread that calls dispatch(),
	// with no lock of the library held; it may call any member of this
	// Client. The server must run as root or as this process's effective
	// uid (else CS_ERR_ACCESS).
	static Result<Client> connect(Handler handler = {}, Options options = {});

	// Whether corosync runs a quorum provider (QUORUM_SET) or not
	// (QUORUM_FREE: then the cluster is always quorate), as learnt when
	// connecting.
	bool has_provider() const noexcept;
	Result<bool> quorate() const;
	// flags: CS_TRACK_CURRENT | CS_TRACK_CHANGES (or CS_TRACK_CHANGES_ONLY)
	std::error_code track(unsigned flags = CS_TRACK_CURRENT | CS_TRACK_CHANGES) const;
	std::error_code untrack() const;

	// fd(), dispatch() (as quorum_dispatch(3)), close() and is_open() are
	// corosync::ClientBase's; the destructor closes the connection.

private:
	using ClientBase::ClientBase;
};

}  // namespace quorum
