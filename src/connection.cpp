#include "connection.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cerrno>
#include <new>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <type_traits>
#include <unistd.h>

namespace vq {

cs_error_t Connection::open(const Callbacks& callbacks, std::shared_ptr<Connection>& out, int connect_timeout_ms)
{
	std::unique_ptr<Transport> transport;
	if (int res = connect_qb("votequorum", kMaxMessageSize, transport, connect_timeout_ms); res < 0) {
		return from_qb_result(res);
	}
	if (!trusted_server(*transport)) {
		return CS_ERR_ACCESS;  // `transport` disconnects on the way out
	}
	return create(std::move(transport), callbacks, out);
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

cs_error_t Connection::create(std::unique_ptr<Transport> transport, const Callbacks& callbacks,
	std::shared_ptr<Connection>& out)
{
	int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0) {
		return errno == ENOMEM ? CS_ERR_NO_MEMORY : CS_ERR_NO_RESOURCES;
	}
	// From here the Connection owns wake_fd and the transport.
	out.reset(new Connection(std::move(transport), callbacks, wake_fd));
	return CS_OK;
}

namespace {

// Replies and notifications are received into a scratch buffer of the
// calling thread, not one per connection: the bytes are decoded (and copied
// out) before the call returns or runs a callback, so a buffer is never in
// use across calls, and a thousand handles cost no more buffer memory than
// one. It is an anonymous mapping (the reference puts 1 MiB on the stack),
// so the kernel backs only the pages messages reach.
class ScratchBuffer {
public:
	ScratchBuffer() = default;
	ScratchBuffer(const ScratchBuffer&) = delete;
	ScratchBuffer& operator=(const ScratchBuffer&) = delete;
	~ScratchBuffer()
	{
		if (data_ != nullptr) {
			munmap(data_, size_);
		}
	}

	// At least `size` bytes; throws std::bad_alloc if they cannot be mapped.
	std::span<std::byte> get(std::size_t size)
	{
		if (size_ < size) {
			void* mem = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (mem == MAP_FAILED) {
				throw std::bad_alloc();
			}
			if (data_ != nullptr) {
				munmap(data_, size_);
			}
			data_ = static_cast<std::byte*>(mem);
			size_ = size;
		}
		return {data_, size};
	}

private:
	std::byte* data_ = nullptr;
	std::size_t size_ = 0;
};

std::span<std::byte> scratch(std::size_t size)
{
	thread_local ScratchBuffer buffer;
	return buffer.get(size);
}

}  // namespace

Connection::Connection(std::unique_ptr<Transport> transport, const Callbacks& callbacks, int wake_fd)
    : transport_(std::move(transport)), callbacks_(callbacks), wake_fd_(wake_fd),
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
	std::lock_guard lock(io_mutex_);
	if (closed()) {
		return CS_ERR_BAD_HANDLE;
	}
	const std::span<std::byte> buffer = scratch(buffer_size_);
	ssize_t res = transport_->call(request.bytes(), buffer, closed_, request_timeout_ms_.load(std::memory_order_relaxed));
	if (res == -ETIME) {
		close();  // the reply may still come: this connection cannot be trusted any more
		return CS_ERR_TIMEOUT;
	}
	if (res < 0) {
		return closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
	}
	return decode(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(res)));
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

void Connection::wait_readable() const noexcept
{
	pollfd fds[2] = {{transport_->fd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
	while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
		if (closed()) {
			return;
		}
	}
}

cs_error_t Connection::dispatch(cs_dispatch_flags_t mode)
{
	const bool wait = mode == CS_DISPATCH_ONE || mode == CS_DISPATCH_BLOCKING;
	const bool just_one = mode == CS_DISPATCH_ONE || mode == CS_DISPATCH_ONE_NONBLOCKING;

	for (;;) {
		if (closed()) {
			return CS_ERR_BAD_HANDLE;
		}
		wire::Event event;
		ssize_t res;
		cs_error_t decoded = CS_OK;
		{
			std::lock_guard lock(io_mutex_);
			const std::span<std::byte> buffer = scratch(buffer_size_);
			res = transport_->receive_event(buffer);
			if (res >= 0) {
				decoded = wire::decode_event({buffer.data(), static_cast<std::size_t>(res)}, event);
			}
		}
		if (res == -EAGAIN) {
			if (!wait) {
				return mode == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
			}
			wait_readable();
			continue;
		}
		if (res < 0) {
			return closed() ? CS_ERR_BAD_HANDLE : from_qb_result(res);
		}
		if (decoded != CS_OK) {
			return decoded;  // the malformed message is consumed
		}
		deliver(event);
		if (closed()) {
			return CS_ERR_BAD_HANDLE;  // finalized from inside the callback
		}
		if (just_one) {
			return CS_OK;
		}
	}
}

void Connection::deliver(const wire::Event& event) const
{
	// Callbacks get a valid pointer even for an empty list.
	static votequorum_node_t no_nodes[1];
	static uint32_t no_ids[1];
	static std::byte no_bytes[1];

	if (sink_) {
		sink_(event);
		return;
	}
	const votequorum_handle_t handle = handle_.load(std::memory_order_acquire);
	std::visit(
		[this, handle](const auto& ev) {
			using T = std::decay_t<decltype(ev)>;
			if constexpr (std::is_same_v<T, wire::QuorumEvent>) {
				if (callbacks_.quorum) {
					auto* nodes = ev.nodes.empty() ? no_nodes : const_cast<votequorum_node_t*>(ev.nodes.data());
					callbacks_.quorum(handle, ev.context, ev.quorate, static_cast<uint32_t>(ev.nodes.size()), nodes);
				}
			} else if constexpr (std::is_same_v<T, wire::ExpectedVotesEvent>) {
				if (callbacks_.expected_votes) {
					callbacks_.expected_votes(handle, ev.context, ev.expected_votes);
				}
			} else if constexpr (std::is_same_v<T, wire::NodelistEvent>) {
				if (callbacks_.nodelist) {
					auto* ids = ev.nodes.empty() ? no_ids : const_cast<uint32_t*>(ev.nodes.data());
					callbacks_.nodelist(handle, ev.context, ev.ring_id, static_cast<uint32_t>(ev.nodes.size()), ids);
				}
			} else if constexpr (std::is_same_v<T, wire::ExtraInfoEvent>) {
				if (callbacks_.extra_info) {
					auto* data = ev.data.empty() ? no_bytes : const_cast<std::byte*>(ev.data.data());
					callbacks_.extra_info(handle, ev.context, ev.nodeid, static_cast<uint32_t>(ev.data.size()), data);
				}
			}
			// UnknownEvent: a newer daemon's notification, consumed and skipped.
		},
		event);
}

}  // namespace vq
