// One client connection to the votequorum service: the request path, the
// notification path and dispatch. Thread-safe: every transport operation is
// serialized by one lock (futex_lock.hpp), callbacks run with no lock held,
// and close() (finalize) may race with anything.
#pragma once

#include "futex_lock.hpp"
#include "transport.hpp"
#include "wire.hpp"

#include <corosync/votequorum.h>

#include <atomic>
#include <cstring>
#include <memory>

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
// four modes of votequorum_dispatch(3).
bool dispatch_mode(const cs_dispatch_flags_t& given, cs_dispatch_flags_t& out) noexcept;

// Whether a votequorum server with these credentials may be trusted: root
// (corosync) or the caller's own effective uid (a corosync the same user
// started, as tests do). libqb names the service by an abstract unix socket,
// which has no permissions: without this check any local user could bind
// "votequorum" while corosync is down and feed forged quorum state to a
// root client. Nothing in the environment can change this policy.
bool trusted_server(const Transport& transport) noexcept;

// The message size asked of libqb, which sizes the three shared ring
// buffers of a connection by it (corosync grants what the client asks).
// The largest votequorum message is an extra-info notification (48 + 4096
// bytes), so any size from 16 KiB up works. The size trades connecting
// (faster with small rings) against draining a backlog (fast only while it
// fits the event ring); BENCHMARKS.md measures both, and why 256 KiB.
inline constexpr std::size_t kMaxMessageSize = 256 * 1024;

class Connection {
public:
	// Connects to the votequorum service over libqb, and keeps the
	// connection only if the server runs as root or as the caller's
	// effective uid (see trusted_server); else CS_ERR_ACCESS. With
	// connect_timeout_ms >= 0, CS_ERR_TIMEOUT when the daemon does not
	// complete the connection in time.
	// Every notification dispatched goes to `sink` (null: checked, then
	// dropped), which the connection keeps alive.
	static cs_error_t open(std::shared_ptr<wire::EventSink> sink, std::shared_ptr<Connection>& out,
		int connect_timeout_ms = -1);

	// Requests give up after this long (-1: never) with CS_ERR_TIMEOUT, and
	// the connection is closed: a reply that comes later could otherwise be
	// taken for the next request's.
	void set_request_timeout(int ms) noexcept { request_timeout_ms_.store(ms, std::memory_order_relaxed); }
	// Wraps an already connected transport (tests use this).
	static cs_error_t create(std::unique_ptr<Transport> transport, std::shared_ptr<wire::EventSink> sink,
		std::shared_ptr<Connection>& out);

	~Connection();
	Connection(const Connection&) = delete;
	Connection& operator=(const Connection&) = delete;

	// The sink given to open() or create().
	wire::EventSink& sink() const noexcept { return *sink_; }

	// A request whose reply is a bare STATUS: the reply's header.error.
	cs_error_t status_request(const wire::Request& request);
	cs_error_t getinfo(uint32_t nodeid, votequorum_info& out);
	cs_error_t get_extra_info(uint32_t nodeid, uint32_t& size, void* out);
	// Null `data` clears the extra info whatever `size` says; more than
	// VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE bytes is CS_ERR_INVALID_PARAM.
	cs_error_t set_extra_info(const void* data, uint32_t size);

	// The four dispatch modes of votequorum_dispatch(3); `mode` is one of
	// them (dispatch_mode). Each notification is received into a buffer of
	// the calling thread, one per nesting depth, and handed to the sink as a
	// view into it: a sink may dispatch again (this connection or another)
	// and its own view stays intact.
	// `Sink` is the sink's type, or a base of it: the C shim names its own
	// final class, whose calls the compiler then inlines (dispatch_loop.hpp).
	template <class Sink = wire::EventSink>
	cs_error_t dispatch(cs_dispatch_flags_t mode);

	int fd() const noexcept { return transport_->fd(); }

	// Finalize: every call in progress or to come returns CS_ERR_BAD_HANDLE
	// promptly; the connection itself closes when the last call holding it
	// returns.
	void close() noexcept;
	bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

private:
	Connection(std::unique_ptr<Transport> transport, std::shared_ptr<wire::EventSink> sink, int wake_fd);

	// Sends `request`, then runs `decode` on the reply while the buffer is
	// still ours. Returns the transport's error, or decode's result.
	template <class Decode>
	cs_error_t transact(const wire::Request& request, Decode&& decode);

	// Blocks until a notification may be pending, the peer is gone, or
	// close() is called.
	void wait_readable() const noexcept;
	template <class Sink, bool Wait, bool JustOne>
	cs_error_t dispatch_loop(cs_dispatch_flags_t mode);

	std::unique_ptr<Transport> transport_;
	const Transport::EventReceiver receiver_;  // transport_'s
	const std::shared_ptr<wire::EventSink> sink_;  // never null
	std::atomic<int> request_timeout_ms_{-1};
	std::atomic<bool> closed_{false};
	const int wake_fd_;  // eventfd, readable once close() has run

	FutexLock io_lock_;  // serializes transport_ calls
	const std::size_t buffer_size_;  // the largest message the connection may carry
};

extern template cs_error_t Connection::dispatch<wire::EventSink>(cs_dispatch_flags_t mode);

}  // namespace vq
