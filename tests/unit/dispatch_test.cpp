// Dispatch semantics over an in-memory transport: the core's event path
// without libqb.
#include "connection.hpp"
#include "wire.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <sys/eventfd.h>
#include <unistd.h>

using namespace vq::wire;

namespace {

// Events queued by the test; the fd is an eventfd whose counter mirrors the
// queue length, so it is readable exactly while an event is queued.
class QueueTransport final : public vq::Transport {
public:
	QueueTransport() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE)) {}
	~QueueTransport() override { close(fd_); }

	void push(std::vector<std::byte> msg)
	{
		queue_->push_back(std::move(msg));
		const uint64_t one = 1;
		REQUIRE(write(fd_, &one, sizeof one) == sizeof one);
	}
	void hang_up() { *gone_ = true; }

	ssize_t call(std::span<const std::byte>, std::span<std::byte>, const std::atomic<bool>&, int) override { return -ENOTCONN; }
	ssize_t receive_event(std::span<std::byte> buf) override
	{
		if (queue_->empty()) {
			return *gone_ ? -ENOTCONN : -EAGAIN;
		}
		auto msg = std::move(queue_->front());
		queue_->pop_front();
		uint64_t n;
		REQUIRE(read(fd_, &n, sizeof n) == sizeof n);
		std::memcpy(buf.data(), msg.data(), msg.size());
		return static_cast<ssize_t>(msg.size());
	}
	int fd() const override { return fd_; }
	std::size_t max_message_size() const override { return 65536; }
	bool peer_credentials(pid_t&, uid_t&, gid_t&) const override { return false; }

	std::shared_ptr<std::deque<std::vector<std::byte>>> queue_ = std::make_shared<std::deque<std::vector<std::byte>>>();
	std::shared_ptr<bool> gone_ = std::make_shared<bool>(false);

private:
	int fd_;
};

std::vector<std::byte> expected_votes(uint32_t v, int32_t id = RES_EXPECTEDVOTES_NOTIFICATION)
{
	ResExpectedVotesNotification res{};
	res.header = {id, sizeof res, CS_OK};
	res.context = 1;
	res.expected_votes = v;
	auto* p = reinterpret_cast<const std::byte*>(&res);
	return {p, p + sizeof res};
}

std::vector<uint32_t> g_seen;
void on_expected(votequorum_handle_t, uint64_t, uint32_t v) { g_seen.push_back(v); }

struct Fixture {
	Fixture(bool with_callback = true)
	{
		auto t = std::make_unique<QueueTransport>();
		transport = t.get();
		vq::Callbacks cb;
		if (with_callback) {
			cb.expected_votes = on_expected;
		}
		REQUIRE(vq::Connection::create(std::move(t), cb, conn) == CS_OK);
		g_seen.clear();
	}
	QueueTransport* transport;
	std::shared_ptr<vq::Connection> conn;
};

}  // namespace

TEST_CASE("dispatch: ALL drains, ONE takes one, ONE_NONBLOCKING says TRY_AGAIN when empty", "[dispatch]")
{
	Fixture f;
	CHECK(f.conn->dispatch(CS_DISPATCH_ALL) == CS_OK);
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
	for (uint32_t i = 1; i <= 3; ++i) {
		f.transport->push(expected_votes(i));
	}
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE) == CS_OK);
	CHECK(g_seen == std::vector<uint32_t>{1});
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE_NONBLOCKING) == CS_OK);
	CHECK(g_seen == std::vector<uint32_t>{1, 2});
	CHECK(f.conn->dispatch(CS_DISPATCH_ALL) == CS_OK);
	CHECK(g_seen == std::vector<uint32_t>{1, 2, 3});
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
}

TEST_CASE("dispatch: a message without a callback is consumed and counts", "[dispatch]")
{
	Fixture f(false);
	f.transport->push(expected_votes(1));
	f.transport->push(expected_votes(2));
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE) == CS_OK);
	CHECK(f.transport->queue_->size() == 1);
}

TEST_CASE("dispatch: unknown ids are skipped, malformed messages are errors", "[dispatch]")
{
	Fixture f;
	f.transport->push(expected_votes(1, 42));
	f.transport->push(expected_votes(2));
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE) == CS_OK);  // the unknown one
	CHECK(g_seen.empty());
	CHECK(f.conn->dispatch(CS_DISPATCH_ONE) == CS_OK);
	CHECK(g_seen == std::vector<uint32_t>{2});

	auto bad = expected_votes(3);
	bad.resize(30);
	f.transport->push(bad);
	f.transport->push(expected_votes(4));
	CHECK(f.conn->dispatch(CS_DISPATCH_ALL) == CS_ERR_MESSAGE_ERROR);
	CHECK(f.conn->dispatch(CS_DISPATCH_ALL) == CS_OK);  // the bad one was consumed
	CHECK(g_seen == std::vector<uint32_t>{2, 4});
}

TEST_CASE("dispatch: a peer gone is CS_ERR_LIBRARY in every mode", "[dispatch]")
{
	Fixture f;
	f.transport->hang_up();
	for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE_NONBLOCKING}) {
		CHECK(f.conn->dispatch(mode) == CS_ERR_LIBRARY);
	}
}

TEST_CASE("dispatch: close() ends a blocking dispatch", "[dispatch]")
{
	Fixture f;
	f.conn->close();
	CHECK(f.conn->dispatch(CS_DISPATCH_BLOCKING) == CS_ERR_BAD_HANDLE);
	CHECK(f.conn->status_request(trackstop()) == CS_ERR_BAD_HANDLE);
}

namespace {

class CredentialTransport final : public vq::Transport {
public:
	CredentialTransport(bool known, uid_t uid) : known_(known), uid_(uid) {}
	ssize_t call(std::span<const std::byte>, std::span<std::byte>, const std::atomic<bool>&, int) override { return -ENOTCONN; }
	ssize_t receive_event(std::span<std::byte>) override { return -EAGAIN; }
	int fd() const override { return -1; }
	std::size_t max_message_size() const override { return 4096; }
	bool peer_credentials(pid_t& pid, uid_t& uid, gid_t& gid) const override
	{
		pid = 1;
		uid = uid_;
		gid = 0;
		return known_;
	}

private:
	bool known_;
	uid_t uid_;
};

}  // namespace

TEST_CASE("trusted servers: root or the caller's effective uid, and known credentials", "[credentials]")
{
	CHECK(vq::trusted_server(CredentialTransport(true, 0)));
	CHECK(vq::trusted_server(CredentialTransport(true, geteuid())));
	CHECK(vq::trusted_server(CredentialTransport(true, geteuid() + 1)) == (geteuid() + 1 == 0));
	CHECK_FALSE(vq::trusted_server(CredentialTransport(true, 65534 == geteuid() ? 65533 : 65534)));
	CHECK_FALSE(vq::trusted_server(CredentialTransport(false, 0)));  // unknown: refused
}
