#include "connection.hpp"

#include "dispatch_loop.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <new>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

namespace vq {

// The receive buffers (dispatch_loop.hpp): the thread's state, and the
// rarely taken paths that map and unmap.
constinit thread_local ThreadBuffers t_buffers __attribute__((tls_model("initial-exec"))) = {};

namespace {

void release_buffers(void* state) noexcept
{
	auto* b = static_cast<ThreadBuffers*>(state);
	for (unsigned i = 0; i < kDepths; ++i) {
		if (b->data[i] != nullptr) {
			munmap(b->data[i], b->size[i]);
			b->data[i] = nullptr;
			b->size[i] = 0;
		}
	}
}

pthread_key_t buffers_key()
{
	static const pthread_key_t key = [] {
		pthread_key_t k;
		if (pthread_key_create(&k, release_buffers) != 0) {
			throw std::bad_alloc();
		}
		return k;
	}();
	return key;
}

}  // namespace

std::byte* map_bytes(std::size_t size)
{
	void* mem = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		throw std::bad_alloc();
	}
	return static_cast<std::byte*>(mem);
}

void unmap_bytes(std::byte* data, std::size_t size) noexcept
{
	munmap(data, size);
}

std::byte* grow_buffer(unsigned depth, std::size_t size)
{
	ThreadBuffers& b = t_buffers;
	// release_buffers at thread exit: registered before anything is mapped
	// (a mapping nobody would release is never made).
	if (pthread_getspecific(buffers_key()) == nullptr && pthread_setspecific(buffers_key(), &b) != 0) {
		throw std::bad_alloc();
	}
	std::byte* mem = map_bytes(size);
	if (b.data[depth] != nullptr) {
		munmap(b.data[depth], b.size[depth]);
	}
	b.data[depth] = mem;
	b.size[depth] = size;
	return mem;
}

bool dispatch_mode(const cs_dispatch_flags_t& given, cs_dispatch_flags_t& out) noexcept
{
	const int raw = raw_int(given);
	if (raw < CS_DISPATCH_ONE || raw > CS_DISPATCH_ONE_NONBLOCKING) {
		return false;
	}
	out = static_cast<cs_dispatch_flags_t>(raw);
	return true;
}

cs_error_t Connection::open(std::shared_ptr<wire::EventSink> sink, std::shared_ptr<Connection>& out,
	int connect_timeout_ms)
{
	std::unique_ptr<Transport> transport;
	if (int res = connect_qb("votequorum", kMaxMessageSize, transport, connect_timeout_ms); res < 0) {
		return from_qb_result(res);
	}
	if (!trusted_server(*transport)) {
		return CS_ERR_ACCESS;  // `transport` disconnects on the way out
	}
	return create(std::move(transport), std::move(sink), out);
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

cs_error_t Connection::create(std::unique_ptr<Transport> transport, std::shared_ptr<wire::EventSink> sink,
	std::shared_ptr<Connection>& out)
{
	if (!sink) {
		sink = wire::drop_sink();  // may throw: only the transport is open yet, and it disconnects
	}
	int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0) {
		return errno == ENOMEM ? CS_ERR_NO_MEMORY : CS_ERR_NO_RESOURCES;
	}
	// When the Connection or its control block cannot be allocated, wake_fd
	// and the transport are closed all the same.
	auto* connection = new (std::nothrow) Connection(std::move(transport), std::move(sink), wake_fd);
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

Connection::Connection(std::unique_ptr<Transport> transport, std::shared_ptr<wire::EventSink> sink, int wake_fd)
    : transport_(std::move(transport)), receiver_(transport_->event_receiver()), sink_(std::move(sink)),
      wake_fd_(wake_fd),
      buffer_size_(std::max<std::size_t>(transport_->max_message_size(), sizeof(wire::ResGetinfo)))
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

template <class Decode>
cs_error_t Connection::transact(const wire::Request& request, Decode&& decode)
{
	std::lock_guard lock(io_lock_);
	if (closed()) {
		return CS_ERR_BAD_HANDLE;
	}
	const Buffer buffer(buffer_size_);
	ssize_t res = transport_->call(request.bytes(), buffer.bytes(), closed_,
		request_timeout_ms_.load(std::memory_order_relaxed));
	if (res == -ETIME) {
		close();  // the reply may still come: this connection cannot be trusted any more
		return CS_ERR_TIMEOUT;
	}
	if (res < 0) {
		return closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
	}
	return decode(std::span<const std::byte>(buffer.bytes().first(static_cast<std::size_t>(res))));
}

cs_error_t Connection::status_request(const wire::Request& request)
{
	return transact(request, [](std::span<const std::byte> reply) { return wire::decode_status(reply); });
}

cs_error_t Connection::getinfo(uint32_t nodeid, votequorum_info& out)
{
	cs_error_t err = transact(wire::getinfo(nodeid),
		[&out](std::span<const std::byte> reply) { return wire::decode_getinfo(reply, out); });
	if (err != CS_OK) {
		// Unlike the reference, never hand out what an error reply (or a
		// half-filled struct) held.
		std::memset(&out, 0, sizeof out);
	}
	return err;
}

cs_error_t Connection::get_extra_info(uint32_t nodeid, uint32_t& size, void* out)
{
	return transact(wire::get_extra_info(nodeid), [&size, out](std::span<const std::byte> reply) {
		return wire::decode_get_extra_info(reply, size, out);
	});
}

cs_error_t Connection::set_extra_info(const void* data, uint32_t size)
{
	if (data == nullptr) {
		size = 0;  // NULL data clears, whatever the size says
	}
	if (size > wire::kExtraInfoMax) {
		return CS_ERR_INVALID_PARAM;
	}
	return status_request(wire::set_extra_info(data, size));
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

// The C++ API, the tests and the fuzzer dispatch to the sink through its
// virtual calls; the C shim instantiates its own (dispatch_loop.hpp).
template cs_error_t Connection::dispatch<wire::EventSink>(cs_dispatch_flags_t mode);

}  // namespace vq
