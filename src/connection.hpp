// One client connection to the votequorum service: the request path, the
// notification path and dispatch. Thread-safe: every transport operation is
// serialized by one mutex, callbacks run with no lock held, and close()
// (finalize) may race with anything.
#pragma once

#include "transport.hpp"
#include "wire.hpp"

#include <corosync/votequorum.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace vq {

// The user's callbacks; fixed for the life of the connection. Any may be null.
struct Callbacks {
	votequorum_quorum_notification_fn_t quorum = nullptr;
	votequorum_expectedvotes_notification_fn_t expected_votes = nullptr;
	votequorum_nodelist_notification_fn_t nodelist = nullptr;
	votequorum_qdevice_extra_info_fn_t extra_info = nullptr;
};

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
	static cs_error_t open(const Callbacks& callbacks, std::shared_ptr<Connection>& out, int connect_timeout_ms = -1);

	// C++ API: receives every decoded notification instead of the C
	// callbacks. Set before the connection is shared.
	using EventSink = std::function<void(const wire::Event&)>;
	void set_event_sink(EventSink sink) { sink_ = std::move(sink); }
	// Requests give up after this long (-1: never) with CS_ERR_TIMEOUT, and
	// the connection is closed: a reply that comes later could otherwise be
	// taken for the next request's.
	void set_request_timeout(int ms) noexcept { request_timeout_ms_.store(ms, std::memory_order_relaxed); }
	// Wraps an already connected transport (tests use this).
	static cs_error_t create(std::unique_ptr<Transport> transport, const Callbacks& callbacks,
		std::shared_ptr<Connection>& out);

	~Connection();
	Connection(const Connection&) = delete;
	Connection& operator=(const Connection&) = delete;

	// The handle the callbacks report; set once, right after the handle table
	// has issued it, before any other thread can know the handle.
	void set_handle(votequorum_handle_t handle) noexcept { handle_.store(handle, std::memory_order_release); }

	// A request whose reply is a bare STATUS: the reply's header.error.
	cs_error_t status_request(const wire::Request& request);
	cs_error_t getinfo(uint32_t nodeid, votequorum_info& out);
	cs_error_t get_extra_info(uint32_t nodeid, uint32_t& size, void* out);

	// The four dispatch modes of votequorum_dispatch(3). `mode` is valid.
	cs_error_t dispatch(cs_dispatch_flags_t mode);

	int fd() const noexcept { return transport_->fd(); }
	void* context() const noexcept { return context_.load(std::memory_order_acquire); }
	void set_context(void* context) noexcept { context_.store(context, std::memory_order_release); }

	// Finalize: every call in progress or to come returns CS_ERR_BAD_HANDLE
	// promptly; the connection itself closes when the last call holding it
	// returns.
	void close() noexcept;
	bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

private:
	Connection(std::unique_ptr<Transport> transport, const Callbacks& callbacks, int wake_fd);

	// Sends `request`, then runs `decode` on the reply while the buffer is
	// still ours. Returns the transport's error, or decode's result.
	template <class Decode>
	cs_error_t transact(const wire::Request& request, Decode&& decode);

	// Blocks until a notification may be pending, the peer is gone, or
	// close() is called.
	void wait_readable() const noexcept;
	void deliver(const wire::Event& event) const;

	std::unique_ptr<Transport> transport_;
	const Callbacks callbacks_;
	EventSink sink_;
	std::atomic<int> request_timeout_ms_{-1};
	std::atomic<votequorum_handle_t> handle_{0};
	std::atomic<void*> context_{nullptr};
	std::atomic<bool> closed_{false};
	const int wake_fd_;  // eventfd, readable once close() has run

	std::mutex io_mutex_;  // serializes transport_ calls
	const std::size_t buffer_size_;  // the largest message the connection may carry
};

}  // namespace vq
