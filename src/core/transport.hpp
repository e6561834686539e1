// The seam between the core and the IPC library: one connection to the
// votequorum service. The production implementation is libqb's client
// (qb_transport.cpp); unit tests substitute their own.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <sys/types.h>

namespace vq {

class Transport {
public:
	virtual ~Transport() = default;

	// Sends one request and waits for its reply, written to `reply`.
	// Returns the reply's length or a negative errno. Gives up with -EBADF
	// once `cancel` becomes true (the handle was finalized meanwhile), and
	// with -ETIME after `timeout_ms` (-1: never).
	// Not thread-safe: the caller serializes every call on one transport.
	virtual ssize_t call(std::span<const std::byte> request, std::span<std::byte> reply,
		const std::atomic<bool>& cancel, int timeout_ms = -1) = 0;

	// Takes one pending notification, waiting up to timeout_ms (the core
	// passes 0): a plain function and its argument, which the connection
	// reads once and then calls for every notification (no virtual call on
	// the hot path; libqb's has this signature but for the argument's type).
	// The function returns the message's length, -EAGAIN or -ETIMEDOUT when
	// none is pending, or another negative errno (the peer is gone: -ENOTCONN
	// and friends). It is valid as long as the transport is.
	struct EventReceiver {
		ssize_t (*receive)(void* arg, void* buffer, std::size_t size, int32_t timeout_ms);
		void* arg;
	};
	virtual EventReceiver event_receiver() = 0;

	// The fd to poll for POLLIN: readable while a notification is pending
	// or once the peer has gone away.
	virtual int fd() const = 0;

	// The largest message either side may send on this connection.
	virtual std::size_t max_message_size() const = 0;

	// The server's credentials as the kernel reported them at connect time.
	// False when they are unknown.
	virtual bool peer_credentials(pid_t& pid, uid_t& uid, gid_t& gid) const = 0;
};

// Connects to a libqb IPC service. Returns 0 and sets `out`, or a negative
// errno as libqb reports it (-ETIME when the server has not completed the
// connection within `timeout_ms`; -1 waits as long as it takes).
int connect_qb(const char* service, std::size_t max_message_size, std::unique_ptr<Transport>& out,
	int timeout_ms = -1);

}  // namespace vq
