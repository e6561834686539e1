// Dispatch semantics over an in-memory transport: the core's event path
// without libqb.
#include "connection.hpp"
#include "stub_transport.hpp"
#include "wire.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>

using namespace vq::wire;

namespace {

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
		auto t = std::make_unique<vqtest::StubTransport>();
		transport = t.get();
		vq::Callbacks cb;
		if (with_callback) {
			cb.expected_votes = on_expected;
		}
		REQUIRE(vq::Connection::create(std::move(t), cb, conn) == CS_OK);
		g_seen.clear();
	}
	vqtest::StubTransport* transport;  // owned by conn
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
	CHECK(f.transport->state()->queue.size() == 1);
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

// Whether the core trusts a server with these credentials.
bool trusted(bool known, uid_t uid)
{
	vqtest::StubTransport t;
	t.state()->credentials_known = known;
	t.state()->uid = uid;
	return vq::trusted_server(t);
}

}  // namespace

TEST_CASE("trusted servers: root or the caller's effective uid, and known credentials", "[credentials]")
{
	CHECK(trusted(true, 0));
	CHECK(trusted(true, geteuid()));
	CHECK(trusted(true, geteuid() + 1) == (geteuid() + 1 == 0));
	CHECK_FALSE(trusted(true, 65534 == geteuid() ? 65533 : 65534));
	CHECK_FALSE(trusted(false, 0));  // unknown: refused
}
