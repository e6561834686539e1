#include "connection.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <new>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace vq {

bool dispatch_mode(const cs_dispatch_flags_t& given, cs_dispatch_flags_t& out) noexcept
{
	const int raw = raw_int(given);
	if (raw < CS_DISPATCH_ONE || raw > CS_DISPATCH_ONE_NONBLOCKING) {
		return false;
	}
	out = static_cast<cs_dispatch_flags_t>(raw);
	return true;
}

cs_error_t Connection::open(const Service& service, std::shared_ptr<Connection>& out, int connect_timeout_ms)
{
	std::unique_ptr<Transport> transport;
	if (int res = connect_qb(service.ipc_name, service.max_message_size, transport, connect_timeout_ms); res < 0) {
		return from_qb_result(res);
	}
	if (!trusted_server(*transport)) {
		return CS_ERR_ACCESS;  // `transport` disconnects on the way out
	}
	return create(std::move(transport), service.largest_message, out);
}

bool trusted_server(const Transport& transport) noexcept
{
	pid_t pid;
	uid_t uid;
	gid_t gid;
	if (!transport.peer_credentials(pid, uid, gid)) {
		return false;
	}
	return uid == 0 || uid == geteuid();
}

cs_error_t Connection::create(std::unique_ptr<Transport> transport, std::size_t largest_message,
	std::shared_ptr<Connection>& out)
{
	int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0) {
		return errno == ENOMEM ? CS_ERR_NO_MEMORY : CS_ERR_NO_RESOURCES;
	}
	const std::size_t buffer_size = std::max(transport->max_message_size(), largest_message);
	// When the Connection or its control block cannot be allocated, wake_fd
	// and the transport are closed all the same.
	auto* connection = new (std::nothrow) Connection(std::move(transport), buffer_size, wake_fd);
	if (connection == nullptr) {
		::close(wake_fd);
		return CS_ERR_NO_MEMORY;  // `transport` disconnects on the way out
	}
	try {
		out.reset(connection);  // on failure shared_ptr deletes the Connection
	} catch (const std::bad_alloc&) {
		return CS_ERR_NO_MEMORY;
	}
	return CS_OK;
}

Connection::Connection(std::unique_ptr<Transport> transport, std::size_t buffer_size, int wake_fd)
    : transport_(std::move(transport)), receiver_(transport_->event_receiver()), wake_fd_(wake_fd),
      buffer_size_(buffer_size)
{
}

Connection::~Connection()
{
	transport_.reset();
	::close(wake_fd_);
}

void Connection::close() noexcept
{
	if (!closed_.exchange(true, std::memory_order_acq_rel)) {
		const uint64_t one = 1;
		// Wakes every dispatch blocked in wait_readable(); the counter stays
		// non-zero, so later waits return at once too.
		[[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
	}
}

ssize_t Connection::call(const ipc::Request& request, std::span<std::byte> reply, cs_error_t& error)
{
	if (closed()) {
		error = CS_ERR_BAD_HANDLE;
		return -1;
	}
	const ssize_t res = transport_->call(request.bytes(), reply, closed_,
		request_timeout_ms_.load(std::memory_order_relaxed));
	if (res == -ETIME) {
		close();  // the reply may still come: this connection cannot be trusted any more
		error = CS_ERR_TIMEOUT;
	} else if (res < 0) {
		error = closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
	}
	return res;
}

void Connection::wait_readable() const noexcept
{
	pollfd fds[2] = {{transport_->fd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
	while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
		if (closed()) {
			return;
		}
	}
}

}  // namespace vq
