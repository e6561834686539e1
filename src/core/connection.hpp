// One client connection to a corosync service: the request path, the
// notification path and dispatch. It knows no service: a service names its
// IPC endpoint (Service), encodes its requests, decodes its replies, and
// hands dispatch the decoder that turns each notification into its sink's
// calls. Thread-safe: every transport operation is serialized by one lock
// (futex_lock.hpp), callbacks run with no lock held, and close() (finalize)
// may race with anything.
#pragma once

#include "futex_lock.hpp"
#include "message.hpp"
#include "thread_buffers.hpp"
#include "transport.hpp"

#include <corosync/corotypes.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>

namespace vq {

// The int a C caller passed for an enum parameter, read as the int it is:
// C lets any int through, and C++ may not load a value outside the
// enumerators' range through the enum type.
template <class Enum>
int raw_int(const Enum& value) noexcept
{
	static_assert(sizeof(Enum) == sizeof(int));
	int raw;
	std::memcpy(&raw, &value, sizeof raw);
	return raw;
}

// The dispatch mode a caller passed (raw_int): true, and `out` set, for the
// four CS_DISPATCH_* modes.
bool dispatch_mode(const cs_dispatch_flags_t& given, cs_dispatch_flags_t& out) noexcept;

// Whether a server with these credentials may be trusted: root (corosync)
// or the caller's own effective uid (a corosync the same user started, as
// tests do). libqb names a service by an abstract unix socket, which has no
// permissions: without this check any local user could bind the service's
// name while corosync is down and feed forged state to a root client.
// Nothing in the environment can change this policy.
bool trusted_server(const Transport& transport) noexcept;

// A corosync service as the core sees it.
struct Service {
	const char* ipc_name;  // libqb's name for it: "votequorum", "quorum"
	// The message size asked of libqb, which sizes the three shared ring
	// buffers of a connection by it (corosync grants what the client asks).
	std::size_t max_message_size;
	// The largest message the service sends: receive buffers are never
	// smaller, whatever libqb reports.
	std::size_t largest_message;
};

class Connection {
public:
	// Connects to `service` over libqb, and keeps the connection only if
	// the server runs as root or as the caller's effective uid (see
	// trusted_server); else CS_ERR_ACCESS. With connect_timeout_ms >= 0,
	// CS_ERR_TIMEOUT when the daemon does not complete the connection in
	// time.
	static cs_error_t open(const Service& service, std::shared_ptr<Connection>& out, int connect_timeout_ms = -1);
	// Wraps an already connected transport (tests use this).
	static cs_error_t create(std::unique_ptr<Transport> transport, std::size_t largest_message,
		std::shared_ptr<Connection>& out);

	~Connection();
	Connection(const Connection&) = delete;
	Connection& operator=(const Connection&) = delete;

	// Requests give up after this long (-1: never) with CS_ERR_TIMEOUT, and
	// the connection is closed: a reply that comes later could otherwise be
	// taken for the next request's.
	void set_request_timeout(int ms) noexcept { request_timeout_ms_.store(ms, std::memory_order_relaxed); }

	// Sends `request`, then runs `decode` (cs_error_t(std::span<const
	// std::byte> reply)) on the reply while the buffer is still ours.
	// Returns the transport's error, or decode's result.
	template <class Decode>
	cs_error_t transact(const ipc::Request& request, Decode&& decode);

	// The four CS_DISPATCH_* modes; `mode` is one of them (dispatch_mode).
	// Each notification is received into a buffer of the calling thread,
	// one per nesting depth (thread_buffers.hpp), and handed to `decode`
	// (cs_error_t(std::span<const std::byte> message)), which checks it and
	// calls the service's sink with views into it: a sink may dispatch
	// again (this connection or another) and its own view stays intact. A
	// decode error ends the dispatch with that error (the message is
	// consumed). The loop is a template (dispatch_loop.hpp): each service's
	// decoder and sink are inlined into it.
	template <class Decode>
	cs_error_t dispatch(cs_dispatch_flags_t mode, Decode&& decode);

	int fd() const noexcept { return transport_->fd(); }

	// Finalize: every call in progress or to come returns CS_ERR_BAD_HANDLE
	// promptly; the connection itself closes when the last call holding it
	// returns.
	void close() noexcept;
	bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

private:
	Connection(std::unique_ptr<Transport> transport, std::size_t buffer_size, int wake_fd);

	// Blocks until a notification may be pending, the peer is gone, or
	// close() is called.
	void wait_readable() const noexcept;
	template <bool Wait, bool JustOne, class Decode>
	cs_error_t dispatch_loop(cs_dispatch_flags_t mode, Decode& decode);
	// The call() of transact(): the reply's length, or the error to return.
	ssize_t call(const ipc::Request& request, std::span<std::byte> reply, cs_error_t& error);

	std::unique_ptr<Transport> transport_;
	const Transport::EventReceiver receiver_;  // transport_'s
	std::atomic<int> request_timeout_ms_{-1};
	std::atomic<bool> closed_{false};
	const int wake_fd_;  // eventfd, readable once close() has run

	FutexLock io_lock_;  // serializes transport_ calls
	const std::size_t buffer_size_;  // the largest message the connection may carry
};

// The one shape of a service's round trip: sends `request`, then
// `decode(reply, args...)` checks the reply and fills the caller's outputs
// (args are passed by reference).
template <class Decode, class... Args>
cs_error_t round_trip(Connection& c, const ipc::Request& request, Decode&& decode, Args&&... args)
{
	return c.transact(request, [&](std::span<const std::byte> reply) { return decode(reply, args...); });
}

template <class Decode>
cs_error_t Connection::transact(const ipc::Request& request, Decode&& decode)
{
	std::lock_guard lock(io_lock_);
	const Buffer buffer(buffer_size_);
	cs_error_t error = CS_OK;
	const ssize_t res = call(request, buffer.bytes(), error);
	if (res < 0) {
		return error;
	}
	return decode(std::span<const std::byte>(buffer.bytes().first(static_cast<std::size_t>(res))));
}

}  // namespace vq
