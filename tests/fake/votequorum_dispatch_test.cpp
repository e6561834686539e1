// Dispatch against a scripted server: the four modes, the fd, bursts,
// node lists of every size, callbacks that call back in, finalize inside a
// callback and from another thread, a dying daemon, a small stack.
#include "canned_daemon.hpp"

#include "when_blocked.hpp"
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <poll.h>
#include <pthread.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vqtest;

namespace {

// Poke codes understood by `scripted`.
enum Poke {
	SEND_EXPECTED = 1,     // one expected-votes notification
	SEND_BURST = 2,        // 10000 expected-votes notifications
	SEND_BIG_LIST = 3,     // a quorum notification listing 1000 nodes
	SEND_EMPTY_LISTS = 4,  // quorum and nodelist notifications listing no node
	SEND_UNKNOWN = 5,      // an id this library does not know, then one it does
	SEND_MALFORMED = 6,    // a quorum notification whose count does not fit
	SEND_EXTRA_INFO = 7,   // an extra-info notification
};

void scripted_poke(Peer& peer, int code)
{
	switch (code) {
	case SEND_EXPECTED:
		peer.event(expectedvotes_event(7, 3));
		break;
	case SEND_BURST:
		for (uint32_t i = 0; i < 10000; ++i) {
			if (peer.event(expectedvotes_event(7, i)) <= 0) {
				_exit(4);  // in the server child: the test sees the server gone
			}
		}
		break;
	case SEND_BIG_LIST: {
		std::vector<votequorum_node_t> nodes;
		for (uint32_t i = 1; i <= 1000; ++i) {
			nodes.push_back({i, VOTEQUORUM_NODESTATE_MEMBER});
		}
		send_bytes_event(peer, quorum_event(7, 1, nodes));
		break;
	}
	case SEND_EMPTY_LISTS:
		send_bytes_event(peer, quorum_event(7, 0, {}));
		send_bytes_event(peer, nodelist_event(7, {2, 9}, {}));
		break;
	case SEND_UNKNOWN: {
		auto msg = expectedvotes_event(7, 1);
		msg.header.id = 99;
		peer.event(msg);
		peer.event(expectedvotes_event(7, 2));
		break;
	}
	case SEND_MALFORMED: {
		send_bytes_event(peer, quorum_event(7, 1, {{1, 1}}, 5));  // five entries claimed, one sent
		peer.event(expectedvotes_event(7, 5));
		break;
	}
	case SEND_EXTRA_INFO:
		send_bytes_event(peer, extra_info_event(7, 2, "Qdsk 1234"));
		break;
	}
}

struct Seen {
	std::vector<uint32_t> expected;
	std::vector<std::vector<votequorum_node_t>> quorum;
	std::vector<std::vector<uint32_t>> nodelists;
	std::vector<votequorum_ring_id_t> rings;
	std::vector<std::string> extra;
	std::vector<uint64_t> contexts;
} g;

void on_quorum(votequorum_handle_t, uint64_t ctx, uint32_t, uint32_t n, votequorum_node_t nodes[])
{
	g.contexts.push_back(ctx);
	g.quorum.emplace_back(nodes, nodes + n);
}
void on_nodelist(votequorum_handle_t, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	g.contexts.push_back(ctx);
	g.rings.push_back(ring);
	g.nodelists.emplace_back(ids, ids + n);
}
void on_expected(votequorum_handle_t, uint64_t ctx, uint32_t v)
{
	g.contexts.push_back(ctx);
	g.expected.push_back(v);
}
void on_extra(votequorum_handle_t, uint64_t, uint32_t nodeid, uint32_t size, void* data)
{
	g.extra.push_back(std::to_string(nodeid) + ":" + std::string(static_cast<char*>(data), size));
}

votequorum_handle_t connect(bool callbacks = true)
{
	g = Seen{};
	votequorum_model_v1_data_t model{VOTEQUORUM_MODEL_V1, on_quorum, on_expected, on_nodelist, on_extra};
	votequorum_handle_t h = 0;
	REQUIRE(votequorum_model_initialize(&h, callbacks ? &model : nullptr) == CS_OK);
	return h;
}

bool readable(votequorum_handle_t h)
{
	int fd;
	REQUIRE(votequorum_fd_get(h, &fd) == CS_OK);
	pollfd p{fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1;
}

}  // namespace

TEST_CASE("trackstart's notifications come before its reply, in order", "[dispatch]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	CHECK(!readable(h));
	REQUIRE(votequorum_trackstart(h, 55, CS_TRACK_CURRENT) == CS_OK);
	CHECK(readable(h));
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	REQUIRE(g.nodelists.size() == 1);
	CHECK((g.nodelists[0] == std::vector<uint32_t>{1, 2}));
	CHECK((g.rings[0].nodeid == 1 && g.rings[0].seq == 4));
	REQUIRE(g.quorum.size() == 1);
	CHECK((g.quorum[0].size() == 2 && g.quorum[0][1].nodeid == 2));
	CHECK((g.contexts == std::vector<uint64_t>{55, 55}));
	CHECK(!readable(h));
	votequorum_finalize(h);
}

TEST_CASE("the fd is readable if and only if dispatch has work", "[dispatch][fd]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	CHECK(!readable(h));
	server.poke(SEND_EXPECTED);
	server.poke(SEND_EXPECTED);
	CHECK(readable(h));
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK(readable(h));
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_OK);
	CHECK(!readable(h));
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g.expected.size() == 2);
	votequorum_finalize(h);
}

TEST_CASE("a plain poll() loop drives dispatch", "[dispatch][fd]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	int fd;
	REQUIRE(votequorum_fd_get(h, &fd) == CS_OK);
	for (int i = 0; i < 5; ++i) {
		server.poke(SEND_EXPECTED);
	}
	int rounds = 0;
	pollfd p{fd, POLLIN, 0};
	while (poll(&p, 1, 0) == 1 && rounds < 100) {
		REQUIRE(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_OK);
		++rounds;
	}
	CHECK(rounds == 5);
	CHECK(g.expected.size() == 5);
	votequorum_finalize(h);
}

TEST_CASE("ONE counts a message whose callback is NULL", "[dispatch]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect(false);
	server.poke(SEND_EXPECTED);
	server.poke(SEND_EXPECTED);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK(readable(h));  // one was consumed, one is left
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK(!readable(h));
	votequorum_finalize(h);
}

TEST_CASE("a burst of 10000 notifications is drained by a poll loop with ALL", "[dispatch]")
{
	// libqb's server signals each notification with one byte on a socket;
	// when that socket is full it sends the rest as the client reads, so one
	// ALL may end before the burst is over. The fd tells when there is more.
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	server.poke(SEND_BURST);
	int fd;
	REQUIRE(votequorum_fd_get(h, &fd) == CS_OK);
	int calls = 0;
	pollfd p{fd, POLLIN, 0};
	while (g.expected.size() < 10000 && poll(&p, 1, 2000) == 1 && calls < 20000) {
		REQUIRE(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
		++calls;
	}
	REQUIRE(g.expected.size() == 10000);
	for (uint32_t i = 0; i < 10000; ++i) {
		REQUIRE(g.expected[i] == i);  // all of them, in order
	}
	CHECK(!readable(h));
	votequorum_finalize(h);
}

TEST_CASE("node lists of 0 and 1000 entries", "[dispatch]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	server.poke(SEND_BIG_LIST);
	server.poke(SEND_EMPTY_LISTS);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	REQUIRE(g.quorum.size() == 2);
	CHECK(g.quorum[0].size() == 1000);
	CHECK(g.quorum[0][999].nodeid == 1000);
	CHECK(g.quorum[1].empty());
	REQUIRE(g.nodelists.size() == 1);
	CHECK(g.nodelists[0].empty());
	CHECK((g.rings[0].nodeid == 2 && g.rings[0].seq == 9));
	votequorum_finalize(h);
}

TEST_CASE("unknown notification ids are skipped, malformed ones are an error", "[dispatch]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	server.poke(SEND_UNKNOWN);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	CHECK((g.expected == std::vector<uint32_t>{2}));
	server.poke(SEND_MALFORMED);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_MESSAGE_ERROR);
	CHECK(g.quorum.empty());
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);  // the rest is still there
	CHECK((g.expected == std::vector<uint32_t>{2, 5}));
	votequorum_finalize(h);
}

TEST_CASE("the extra-info notification reaches the model V1 callback", "[dispatch][extra-info]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	server.poke(SEND_EXTRA_INFO);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK((g.extra == std::vector<std::string>{"2:Qdsk 1234"}));
	votequorum_finalize(h);
}

namespace {

votequorum_handle_t g_handle;
cs_error_t g_inner;
int g_calls;

void getinfo_from_callback(votequorum_handle_t h, uint64_t, uint32_t)
{
	votequorum_info info;
	g_inner = votequorum_getinfo(h, 0, &info);
	++g_calls;
}

std::vector<uint32_t> g_order;
cs_error_t g_nested = CS_ERR_LIBRARY;

void dispatch_from_callback(votequorum_handle_t h, uint64_t, uint32_t votes)
{
	g_order.push_back(votes);
	if (g_order.size() == 1) {
		g_nested = votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);  // takes the next message
	}
}

void finalize_from_callback(votequorum_handle_t h, uint64_t, uint32_t)
{
	g_inner = votequorum_finalize(h);
	++g_calls;
}

}  // namespace

TEST_CASE("a callback may make synchronous requests on its own handle", "[dispatch][reentry]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	votequorum_callbacks_t cb{nullptr, getinfo_from_callback, nullptr};
	REQUIRE(votequorum_initialize(&g_handle, &cb) == CS_OK);
	g_calls = 0;
	server.poke(SEND_EXPECTED);
	server.poke(SEND_EXPECTED);
	CHECK(votequorum_dispatch(g_handle, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g_calls == 2);
	CHECK(g_inner == CS_OK);
	votequorum_finalize(g_handle);
}

TEST_CASE("dispatch re-entered from a callback takes the next message", "[dispatch][reentry]")
{
	FakeServer server(CannedDaemon{}, [](Peer& peer, int) {
		for (uint32_t v = 1; v <= 3; ++v) {
			peer.event(expectedvotes_event(7, v));
		}
	});
	votequorum_callbacks_t cb{nullptr, dispatch_from_callback, nullptr};
	REQUIRE(votequorum_initialize(&g_handle, &cb) == CS_OK);
	g_order.clear();
	server.poke(0);
	CHECK(votequorum_dispatch(g_handle, CS_DISPATCH_ONE) == CS_OK);
	CHECK(g_nested == CS_OK);
	CHECK((g_order == std::vector<uint32_t>{1, 2}));  // the outer ONE took one, the inner one the next
	CHECK(votequorum_dispatch(g_handle, CS_DISPATCH_ALL) == CS_OK);
	CHECK((g_order == std::vector<uint32_t>{1, 2, 3}));
	votequorum_finalize(g_handle);
}

TEST_CASE("finalize inside a callback: dispatch returns CS_ERR_BAD_HANDLE", "[dispatch][reentry]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE_NONBLOCKING}) {
		votequorum_callbacks_t cb{nullptr, finalize_from_callback, nullptr};
		REQUIRE(votequorum_initialize(&g_handle, &cb) == CS_OK);
		g_calls = 0;
		server.poke(SEND_EXPECTED);
		server.poke(SEND_EXPECTED);
		CHECK(votequorum_dispatch(g_handle, mode) == CS_ERR_BAD_HANDLE);
		CHECK(g_calls == 1);  // the second message is not delivered
		CHECK(g_inner == CS_OK);
		CHECK(votequorum_finalize(g_handle) == CS_ERR_BAD_HANDLE);
	}
}

TEST_CASE("finalize from another thread ends a blocking dispatch", "[dispatch][threads]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	for (auto mode : {CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE}) {
		auto h = connect();
		cs_error_t finalized = CS_ERR_LIBRARY;  // Catch's assertions are not thread-safe
		WhenBlocked finalizer([h, &finalized] { finalized = votequorum_finalize(h); });
		CHECK(votequorum_dispatch(h, mode) == CS_ERR_BAD_HANDLE);
		CHECK(finalizer.join());
		CHECK(finalized == CS_OK);
	}
}

TEST_CASE("BLOCKING delivers until the daemon dies, then CS_ERR_LIBRARY", "[dispatch][death]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	auto h = connect();
	std::thread feeder([&] {
		for (int i = 0; i < 3; ++i) {
			server.poke(SEND_EXPECTED);
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		}
		server.kill();
	});
	CHECK(votequorum_dispatch(h, CS_DISPATCH_BLOCKING) == CS_ERR_LIBRARY);
	feeder.join();
	CHECK(g.expected.size() == 3);
	for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_ONE_NONBLOCKING}) {
		CHECK(votequorum_dispatch(h, mode) == CS_ERR_LIBRARY);
	}
	CHECK(readable(h));  // a dead daemon makes the fd readable
	CHECK(votequorum_finalize(h) == CS_OK);
}

namespace {

struct SmallStackRun {
	votequorum_handle_t handle;
	cs_error_t result;
	std::size_t delivered;
};

void* dispatch_thread(void* arg)
{
	auto* run = static_cast<SmallStackRun*>(arg);
	run->result = votequorum_dispatch(run->handle, CS_DISPATCH_ALL);
	run->delivered = g.quorum.size();
	return nullptr;
}

}  // namespace

TEST_CASE("dispatch works on a thread with a 64 KiB stack", "[dispatch][stack]")
{
	FakeServer server(CannedDaemon{}, scripted_poke);
	SmallStackRun run{connect(), CS_ERR_LIBRARY, 0};
	server.poke(SEND_BIG_LIST);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	REQUIRE(pthread_attr_setstacksize(&attr, 64 * 1024) == 0);
	pthread_t thread;
	REQUIRE(pthread_create(&thread, &attr, dispatch_thread, &run) == 0);
	pthread_join(thread, nullptr);
	pthread_attr_destroy(&attr);
	CHECK(run.result == CS_OK);
	CHECK(run.delivered == 1);
	votequorum_finalize(run.handle);
}
