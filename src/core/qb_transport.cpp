// Transport over libqb's IPC client.
#include "transport.hpp"

#include "futex_lock.hpp"

#include <qb/qbipcc.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <type_traits>
#include <poll.h>
#include <glob.h>
#include <sys/uio.h>
#include <unistd.h>

namespace vq {

namespace {

// How long one wait for a reply lasts before the cancel flag and the
// connection state are looked at again. Replies normally take microseconds;
// this only bounds how late a finalize from another thread is noticed.
constexpr int32_t kReplySliceMs = 100;

// libqb keeps a connection's ring buffers in /dev/shm/qb-<server pid>-
// <client pid>-<n>-<random>/. When the server died, disconnecting unlinks
// the files but leaves the directory; remove such empty directories of ours
// (rmdir never removes one that still holds a live connection's files).
// With `files`, the files in them go too: only once the server has exited,
// when every connection of ours to it is dead.
void remove_ring_dirs(pid_t server, bool files)
{
	char pattern[96];
	std::snprintf(pattern, sizeof pattern, "/dev/shm/qb-%d-%d-*", static_cast<int>(server), static_cast<int>(getpid()));
	glob_t found{};
	if (glob(pattern, GLOB_NOSORT | GLOB_ONLYDIR, nullptr, &found) == 0) {
		for (std::size_t i = 0; i < found.gl_pathc; ++i) {
			if (files) {
				const std::string inside = std::string(found.gl_pathv[i]) + "/*";
				glob_t f{};
				if (glob(inside.c_str(), GLOB_NOSORT, nullptr, &f) == 0) {
					for (std::size_t k = 0; k < f.gl_pathc; ++k) {
						unlink(f.gl_pathv[k]);
					}
				}
				globfree(&f);
			}
			rmdir(found.gl_pathv[i]);
		}
	}
	globfree(&found);
}

// Whether process `pid` has exited (no such process, or a zombie).
bool exited(pid_t pid)
{
	char path[32];
	std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
	FILE* f = std::fopen(path, "re");
	if (f == nullptr) {
		return true;
	}
	char line[512];
	const bool read = std::fgets(line, sizeof line, f) != nullptr;
	std::fclose(f);
	const char* paren = read ? std::strrchr(line, ')') : nullptr;  // the state follows the name
	return paren != nullptr && (paren[1] == ' ') && (paren[2] == 'Z' || paren[2] == 'X');
}

// libqb unlinks a dead server's rings on disconnect only when it has seen
// the server go and the server's pid no longer answers; a client that
// finalizes within moments of a SIGKILL (the server still dying, or not yet
// reaped) would leave them in /dev/shm, a few MiB of RAM per connection.
// Finalize never waits for the server to exit: when it has not yet, the
// empty directories go at once and the server's pid is remembered here;
// the next connect or disconnect of the process removes the rest once that
// server has exited. A fixed table, so remembering never allocates; when it
// is full the oldest entry is swept now, as far as it can be.
class DeadServers {
public:
	void remember(pid_t server) noexcept
	{
		std::lock_guard lock(lock_);
		for (pid_t& p : pids_) {
			if (p == 0 || p == server) {
				p = server;
				return;
			}
		}
		remove_ring_dirs(pids_[next_], exited(pids_[next_]));
		pids_[next_] = server;
		next_ = (next_ + 1) % kSlots;
	}

	// Removes what is left of our connections to each remembered server
	// that has exited since.
	void sweep() noexcept
	{
		std::lock_guard lock(lock_);
		for (pid_t& p : pids_) {
			if (p != 0 && exited(p)) {
				remove_ring_dirs(p, true);
				p = 0;
			}
		}
	}

	// Trivially destructible: nothing of it runs at exit.
	static DeadServers& global() noexcept
	{
		static constinit DeadServers table;
		return table;
	}

private:
	static constexpr std::size_t kSlots = 16;
	FutexLock lock_;
	pid_t pids_[kSlots] = {};
	std::size_t next_ = 0;
};
static_assert(std::is_trivially_destructible_v<DeadServers>);

class QbTransport final : public Transport {
public:
	// The server's credentials are those of the socket's peer when it
	// connected, so they are read once, here.
	explicit QbTransport(qb_ipcc_connection_t* conn) noexcept : conn_(conn) { read_credentials(); }
	void read_credentials() noexcept
	{
		have_credentials_ = conn_ != nullptr && qb_ipcc_auth_get(conn_, &server_pid_, &server_uid_, &server_gid_) == 0;
	}
	~QbTransport() override
	{
		if (conn_ == nullptr) {
			return;  // never connected
		}
		const bool server_gone = !qb_ipcc_is_connected(conn_) || peer_hung_up();
		qb_ipcc_disconnect(conn_);
		if (server_gone && have_credentials_ && server_pid_ > 0) {
			const bool gone = exited(server_pid_);
			remove_ring_dirs(server_pid_, gone);
			if (!gone) {
				DeadServers::global().remember(server_pid_);
			}
		}
		DeadServers::global().sweep();
	}
	QbTransport(const QbTransport&) = delete;
	QbTransport& operator=(const QbTransport&) = delete;

	// The server closed its end of the socket (it died, or dropped us).
	bool peer_hung_up() const
	{
		int fd = -1;
		if (qb_ipcc_fd_get(conn_, &fd) != 0) {
			return false;
		}
		pollfd p{fd, POLLRDHUP, 0};
		return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0;
	}

	ssize_t call(std::span<const std::byte> request, std::span<std::byte> reply,
		const std::atomic<bool>& cancel, int timeout_ms) override
	{
		if (broken()) {
			return -ENOTCONN;
		}
		iovec iov{const_cast<std::byte*>(request.data()), request.size()};
		ssize_t res = qb_ipcc_sendv(conn_, &iov, 1);
		if (res < 0) {
			// -EAGAIN: the request ring is full, nothing was queued. Any
			// other failure may come after libqb queued the request (its
			// wake-up byte on the socket failed): its reply would answer the
			// next request, so the connection is not used again.
			if (res != -EAGAIN) {
				mark_broken();
			}
			return res;
		}
		const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
		for (;;) {
			res = qb_ipcc_recv(conn_, reply.data(), reply.size(), kReplySliceMs);
			if (res != -ETIMEDOUT && res != -EAGAIN) {
				if (res < 0) {
					mark_broken();  // the reply is still to come
				}
				return res;
			}
			if (cancel.load(std::memory_order_acquire)) {
				return -EBADF;
			}
			if (!qb_ipcc_is_connected(conn_)) {
				return -ENOTCONN;
			}
			if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) {
				return -ETIME;
			}
		}
	}

	EventReceiver event_receiver() override
	{
		// qb_ipcc_connection_t is qb_ipcc_connection: libqb's own function
		// and connection, called directly by the dispatch loop.
		return {qb_ipcc_event_recv, conn_};
	}

	int fd() const override
	{
		int32_t fd = -1;
		qb_ipcc_fd_get(conn_, &fd);
		return fd;
	}

	std::size_t max_message_size() const override
	{
		int32_t size = qb_ipcc_get_buffer_size(conn_);
		return size > 0 ? static_cast<std::size_t>(size) : 0;
	}

	bool peer_credentials(pid_t& pid, uid_t& uid, gid_t& gid) const override
	{
		pid = server_pid_;
		uid = server_uid_;
		gid = server_gid_;
		return have_credentials_;
	}

	qb_ipcc_connection_t* conn_;  // null until connected (connect_qb)

private:
	pid_t server_pid_ = 0;
	uid_t server_uid_ = 0;
	gid_t server_gid_ = 0;
	bool have_credentials_ = false;
};

// One connection attempt: 0 and `conn` set, or a negative errno. With a
// timeout, the asynchronous form, so that a server that accepted the socket
// but never answers (a stopped daemon) cannot hold us forever.
int connect_once(const char* service, std::size_t max_message_size, int timeout_ms, qb_ipcc_connection_t*& conn)
{
	errno = 0;
	int fd = -1;
	conn = timeout_ms < 0 ? qb_ipcc_connect(service, max_message_size)
	                      : qb_ipcc_connect_async(service, max_message_size, &fd);
	if (conn == nullptr) {
		return errno != 0 ? -errno : -ENOTCONN;
	}
	if (timeout_ms >= 0) {
		pollfd p{fd, POLLIN, 0};
		int ready;
		while ((ready = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
		}
		const int poll_errno = errno;
		if (ready != 1) {
			qb_ipcc_disconnect(conn);
			conn = nullptr;
			return ready < 0 ? -poll_errno : -ETIME;
		}
		if (int res = qb_ipcc_connect_continue(conn); res < 0) {
			conn = nullptr;  // connect_continue has released the connection on failure
			return res;
		}
	}
	return 0;
}

}  // namespace

int connect_qb(const char* service, std::size_t max_message_size, std::unique_ptr<Transport>& out,
	int timeout_ms)
{
	DeadServers::global().sweep();
	// Allocated first: once libqb has connected, nothing may fail before
	// the transport owns the connection.
	auto transport = std::unique_ptr<QbTransport>(new (std::nothrow) QbTransport(nullptr));
	if (!transport) {
		return -ENOMEM;
	}
	// A signal interrupting libqb's connect (-EINTR) is retried, a few times.
	int res = -EINTR;
	for (int attempt = 0; attempt < 3 && res == -EINTR; ++attempt) {
		res = connect_once(service, max_message_size, timeout_ms, transport->conn_);
	}
	if (res < 0) {
		return res;
	}
	transport->read_credentials();
	out = std::move(transport);
	return 0;
}

}  // namespace vq
