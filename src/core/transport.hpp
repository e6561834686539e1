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

// libqb's client connection (qb/qbipcc.h's qb_ipcc_connection_t), named
// here so that the event path calls qb_ipcc_event_recv itself, with no
// wrapper in between; the core never looks inside it.
struct qb_ipcc_connection;

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
	// reads once and then calls for every notification, with no virtual
	// call and no wrapper on the hot path. libqb's transport gives
	// qb_ipcc_event_recv and its connection; a test's gives its own
	// function, and itself as the argument. The function returns the
	// message's length, -EAGAIN or -ETIMEDOUT when none is pending, or
	// another negative errno (the peer is gone: -ENOTCONN and friends). It
	// is valid as long as the transport is.
	struct EventReceiver {
		ssize_t (*receive)(qb_ipcc_connection* conn, void* buffer, std::size_t size, int32_t timeout_ms);
		qb_ipcc_connection* conn;
	};
	virtual EventReceiver event_receiver() = 0;

	// A failure left the connection out of step with the server (a request
	// whose reply may still come, a notification that may have been taken
	// from the ring but not delivered): every later use fails with
	// -ENOTCONN, so no caller goes on with a reply misattributed or a
	// notification silently missing. call() checks and sets it itself; the
	// dispatch loop checks it when it starts and after each wait, and sets
	// it when a receive fails.
	bool broken() const noexcept { return broken_.load(std::memory_order_acquire); }
	void mark_broken() noexcept { broken_.store(true, std::memory_order_release); }

	// The fd to poll for POLLIN: readable while a notification is pending
	// or once the peer has gone away.
	virtual int fd() const = 0;

	// The largest message either side may send on this connection.
	virtual std::size_t max_message_size() const = 0;

	// The server's credentials as the kernel reported them at connect time.
	// False when they are unknown.
	virtual bool peer_credentials(pid_t& pid, uid_t& uid, gid_t& gid) const = 0;

private:
	std::atomic<bool> broken_{false};
};

// Connects to a libqb IPC service. Returns 0 and sets `out`, or a negative
// errno as libqb reports it (-ETIME when the server has not completed the
// connection within `timeout_ms`; -1 waits as long as it takes).
int connect_qb(const char* service, std::size_t max_message_size, std::unique_ptr<Transport>& out,
	int timeout_ms = -1);

}  // namespace vq
