// quorum::Client against the fake server's well-behaved quorum service
// (canned_quorum.hpp): what the C tests check of libquorum, through the C++
// API's conventions (error codes, typed events, close from any thread).
#include "blocked.hpp"
#include "canned_quorum.hpp"

#include <quorum/client.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <variant>
#include <vector>

using namespace vqtest;

namespace {

FakeServer quorum_server(CannedQuorum canned = {})
{
	return FakeServer({quorum_service(std::move(canned))});
}

std::string list(std::span<const uint32_t> ids)
{
	std::string s = "[";
	for (uint32_t id : ids) {
		s += (s.size() > 1 ? "," : "") + std::to_string(id);
	}
	return s + "]";
}

// Each event as one line.
std::string describe(const quorum::Event& event)
{
	if (const auto* q = std::get_if<quorum::QuorumEvent>(&event)) {
		return "quorum quorate=" + std::to_string(q->quorate) + " ring=" + std::to_string(q->ring.nodeid) + "." +
			std::to_string(q->ring.seq) + " members=" + list(q->members);
	}
	const auto& n = std::get<quorum::NodelistEvent>(event);
	return "nodelist ring=" + std::to_string(n.ring.nodeid) + "." + std::to_string(n.ring.seq) + " members=" +
		list(n.members) + " joined=" + list(n.joined) + " left=" + list(n.left);
}

}  // namespace

TEST_CASE("C++ quorum: connect learns the provider, and quorate reads the daemon's answer", "[cpp][quorum]")
{
	{
		FakeServer server = quorum_server();
		auto client = quorum::Client::connect();
		REQUIRE(client);
		CHECK(client->has_provider());
		auto quorate = client->quorate();
		REQUIRE(quorate);
		CHECK(*quorate);
	}
	{
		CannedQuorum free_cluster;
		free_cluster.quorum_type = QUORUM_FREE;
		free_cluster.quorate = 0;
		FakeServer server = quorum_server(free_cluster);
		auto client = quorum::Client::connect();
		REQUIRE(client);
		CHECK_FALSE(client->has_provider());
		auto quorate = client->quorate();
		REQUIRE(quorate);
		CHECK_FALSE(*quorate);
	}
}

TEST_CASE("C++ quorum: errors are error codes in the cs_error_t category", "[cpp][quorum]")
{
	CHECK(quorum::Client::connect().error() == CS_ERR_LIBRARY);  // no server at all

	CannedQuorum failing;
	failing.errors[MESSAGE_REQ_QUORUM_TRACKSTART] = CS_ERR_EXIST;
	failing.errors[MESSAGE_REQ_QUORUM_GETQUORATE] = CS_ERR_TRY_AGAIN;
	FakeServer server = quorum_server(failing);
	auto client = quorum::Client::connect();
	REQUIRE(client);
	CHECK(client->track() == CS_ERR_EXIST);
	CHECK(client->quorate().error() == CS_ERR_TRY_AGAIN);
	// A quorum error prints as what it is, with no other service's name.
	CHECK(client->quorate().error().message() == "CS_ERR_TRY_AGAIN");
	CHECK(client->quorate().error().category().name() == std::string("cs_error_t"));
	CHECK(client->untrack() == std::error_code{});
	CHECK(client->dispatch(static_cast<cs_dispatch_flags_t>(7)) == CS_ERR_INVALID_PARAM);
	client->close();
	CHECK_FALSE(client->is_open());
	CHECK(client->quorate().error() == CS_ERR_BAD_HANDLE);
	CHECK(client->dispatch() == CS_ERR_BAD_HANDLE);
}

TEST_CASE("C++ quorum: track delivers the node list, then quorum, as typed events", "[cpp][quorum]")
{
	CannedQuorum canned;
	canned.ring = {3, 17};
	canned.members = {1, 3, 5};
	FakeServer server = quorum_server(canned);
	std::vector<std::string> seen;
	auto client = quorum::Client::connect([&seen](const quorum::Event& e) { seen.push_back(describe(e)); });
	REQUIRE(client);
	REQUIRE(client->track() == std::error_code{});
	CHECK(client->dispatch(CS_DISPATCH_ALL) == std::error_code{});
	CHECK(seen == std::vector<std::string>{"nodelist ring=3.17 members=[1,3,5] joined=[] left=[]",
		"quorum quorate=1 ring=3.17 members=[1,3,5]"});
	CHECK(client->dispatch(CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
}

TEST_CASE("C++ quorum: close from another thread ends a blocking dispatch", "[cpp][quorum][threads]")
{
	FakeServer server = quorum_server();
	auto client = quorum::Client::connect();
	REQUIRE(client);
	std::promise<pid_t> tid;
	auto blocked = std::async(std::launch::async, [&] {
		tid.set_value(static_cast<pid_t>(syscall(SYS_gettid)));
		return client->dispatch(CS_DISPATCH_BLOCKING);
	});
	REQUIRE(wait_until_blocked(tid.get_future().get()));
	client->close();
	CHECK(blocked.get() == CS_ERR_BAD_HANDLE);
}
