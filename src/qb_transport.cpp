// Transport over libqb's IPC client.
#include "transport.hpp"

#include <qb/qbipcc.h>

#include <cerrno>
#include <sys/uio.h>

namespace vq {

namespace {

// How long one wait for a reply lasts before the cancel flag and the
// connection state are looked at again. Replies normally take microseconds;
// this only bounds how late a finalize from another thread is noticed.
constexpr int32_t kReplySliceMs = 100;

class QbTransport final : public Transport {
public:
	explicit QbTransport(qb_ipcc_connection_t* conn) : conn_(conn) {}
	~QbTransport() override { qb_ipcc_disconnect(conn_); }
	QbTransport(const QbTransport&) = delete;
	QbTransport& operator=(const QbTransport&) = delete;

	ssize_t call(std::span<const std::byte> request, std::span<std::byte> reply,
		const std::atomic<bool>& cancel) override
	{
		iovec iov{const_cast<std::byte*>(request.data()), request.size()};
		ssize_t res = qb_ipcc_sendv(conn_, &iov, 1);
		if (res < 0) {
			return res;
		}
		for (;;) {
			res = qb_ipcc_recv(conn_, reply.data(), reply.size(), kReplySliceMs);
			if (res != -ETIMEDOUT && res != -EAGAIN) {
				return res;
			}
			if (cancel.load(std::memory_order_acquire)) {
				return -EBADF;
			}
			if (!qb_ipcc_is_connected(conn_)) {
				return -ENOTCONN;
			}
		}
	}

	ssize_t receive_event(std::span<std::byte> buffer) override
	{
		ssize_t res = qb_ipcc_event_recv(conn_, buffer.data(), buffer.size(), 0);
		return res == -ETIMEDOUT ? -EAGAIN : res;
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
		return qb_ipcc_auth_get(conn_, &pid, &uid, &gid) == 0;
	}

private:
	qb_ipcc_connection_t* conn_;
};

}  // namespace

int connect_qb(const char* service, std::size_t max_message_size, std::unique_ptr<Transport>& out)
{
	errno = 0;
	qb_ipcc_connection_t* conn = qb_ipcc_connect(service, max_message_size);
	if (conn == nullptr) {
		return errno != 0 ? -errno : -ENOTCONN;
	}
	out = std::make_unique<QbTransport>(conn);
	return 0;
}

}  // namespace vq
