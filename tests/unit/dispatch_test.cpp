// Dispatch semantics over an in-memory transport: the core's event path
// without libqb.
#include "stub_transport.hpp"

#include "core/session.hpp"
#include "votequorum/callback_sink.hpp"
#include "votequorum/requests.hpp"
#include "votequorum/wire.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

using namespace vq::votequorum::wire;

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
		vq::votequorum::Callbacks cb;
		if (with_callback) {
			cb.expected_votes = on_expected;
		}
		std::shared_ptr<vq::Connection> c;
		REQUIRE(vq::Connection::create(std::move(t), sizeof(ResGetinfo), c) == CS_OK);
		conn = std::make_shared<vq::Session<vq::votequorum::CallbackSink>>(c, cb);
		g_seen.clear();
	}
	vqtest::StubTransport* transport;  // owned by conn
	std::shared_ptr<vq::Session<vq::votequorum::CallbackSink>> conn;
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
	f.conn->connection->close();
	CHECK(f.conn->dispatch(CS_DISPATCH_BLOCKING) == CS_ERR_BAD_HANDLE);
	CHECK(vq::votequorum::calls::trackstop(*f.conn->connection) == CS_ERR_BAD_HANDLE);
}

namespace {

std::vector<std::byte> nodelist(uint32_t first, uint32_t count)
{
	std::vector<std::byte> bytes(kNodelistNodes + count * sizeof(uint32_t));
	ResNodelistNotification head{};
	head.header = {RES_NODELIST_NOTIFICATION, static_cast<int32_t>(bytes.size()), CS_OK};
	head.context = first;
	head.node_list_entries = count;
	std::memcpy(bytes.data(), &head, sizeof head);
	for (uint32_t i = 0; i < count; ++i) {
		const uint32_t id = first + i;
		std::memcpy(bytes.data() + kNodelistNodes + i * sizeof id, &id, sizeof id);
	}
	return bytes;
}

// A sink that, for each node list, dispatches again (one level deeper)
// before it looks at its own view once more: the view must be intact, and
// must not be where a deeper level's was.
class Nesting final : public vq::votequorum::wire::EventSink {
public:
	explicit Nesting(unsigned levels) : levels_(levels) {}
	vq::Session<Nesting>* conn = nullptr;  // the session this sink is in
	std::vector<std::string> problems;
	unsigned deepest = 0;
	std::vector<const void*> views;

	void on(const vq::votequorum::wire::NodelistEvent& e) override
	{
		const std::vector<uint32_t> before(e.nodes.begin(), e.nodes.end());
		views.push_back(e.nodes.data());
		const unsigned level = depth_++;
		deepest = std::max(deepest, depth_);
		if (depth_ < levels_) {
			if (conn->dispatch(CS_DISPATCH_ONE_NONBLOCKING) != CS_OK) {
				problems.push_back("level " + std::to_string(level) + ": the nested dispatch failed");
			}
		}
		if (!std::equal(before.begin(), before.end(), e.nodes.begin(), e.nodes.end())) {
			problems.push_back("level " + std::to_string(level) + ": the view changed under a nested dispatch");
		}
		for (uint32_t i = 0; i < e.nodes.size(); ++i) {
			if (e.nodes[i] != e.context + i) {
				problems.push_back("level " + std::to_string(level) + ": wrong contents");
				break;
			}
		}
		--depth_;
	}
	void on(const vq::votequorum::wire::QuorumEvent&) override {}
	void on(const vq::votequorum::wire::ExpectedVotesEvent&) override {}
	void on(const vq::votequorum::wire::ExtraInfoEvent&) override {}

private:
	unsigned levels_;
	unsigned depth_ = 0;
};

}  // namespace

TEST_CASE("dispatch: a sink that dispatches again keeps its own view intact", "[dispatch][nested]")
{
	// 3 levels fit the per-depth buffers; 12 go past them (a buffer of its
	// own per call, unmapped as the call returns).
	for (unsigned levels : {3u, 12u}) {
		CAPTURE(levels);
		auto t = std::make_unique<vqtest::StubTransport>();
		auto* transport = t.get();
		std::shared_ptr<vq::Connection> c;
		REQUIRE(vq::Connection::create(std::move(t), sizeof(ResGetinfo), c) == CS_OK);
		auto conn = std::make_shared<vq::Session<Nesting>>(c, levels);
		Nesting* sink = &conn->sink;
		sink->conn = conn.get();
		for (uint32_t level = 0; level < levels; ++level) {
			transport->push(nodelist(1000 * (level + 1), 100 + level));  // each a different length
		}
		CHECK(conn->dispatch(CS_DISPATCH_ONE) == CS_OK);
		CHECK(sink->problems == std::vector<std::string>{});
		CHECK(sink->deepest == levels);
		CHECK(transport->state()->queue.empty());
		std::sort(sink->views.begin(), sink->views.end());
		CHECK(std::adjacent_find(sink->views.begin(), sink->views.end()) == sink->views.end());
	}
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
