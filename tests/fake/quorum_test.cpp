// libquorum.so.5's C ABI against a scripted quorum service: misuse, a hostile
// server, a dying daemon, and the V0 and V1 callbacks delivering exactly
// what the server sent.
#include "canned_daemon.hpp"
#include "canned_quorum.hpp"
#include "users.hpp"
#include "when_blocked.hpp"

#include <catch2/catch.hpp>

#include <corosync/quorum.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace vqtest;

extern "C" int vqtest_quorum_dispatch_raw(quorum_handle_t handle, int flags);
extern "C" int vqtest_quorum_model_initialize_raw(quorum_handle_t* handle, int model);

// At global scope, where Catch's comparisons find it (by argument-dependent
// lookup).
static bool operator==(const quorum_ring_id& a, const quorum_ring_id& b)
{
	return a.nodeid == b.nodeid && a.seq == b.seq;
}

namespace {

using Bytes = std::vector<std::byte>;

// --- what the callbacks saw ---------------------------------------------------

struct V0Call {
	quorum_handle_t handle;
	uint32_t quorate;
	uint64_t ring_seq;
	std::vector<uint32_t> members;
};
struct V1QuorumCall {
	quorum_handle_t handle;
	uint32_t quorate;
	quorum_ring_id ring;
	std::vector<uint32_t> members;
};
struct NodelistCall {
	quorum_handle_t handle;
	quorum_ring_id ring;
	std::vector<uint32_t> members, joined, left;
};

struct Seen {
	std::vector<V0Call> v0;
	std::vector<V1QuorumCall> v1;
	std::vector<NodelistCall> nodelists;
	std::string order;  // 'q' per quorum callback, 'n' per node list callback
} g;

std::vector<uint32_t> list(const uint32_t* ids, uint32_t n)
{
	return n == 0 ? std::vector<uint32_t>{} : std::vector<uint32_t>(ids, ids + n);
}

void on_v0(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq, uint32_t n, uint32_t* ids)
{
	g.v0.push_back({h, quorate, ring_seq, list(ids, n)});
	g.order += 'q';
}
void on_v1_quorum(quorum_handle_t h, uint32_t quorate, quorum_ring_id ring, uint32_t n, const uint32_t* ids)
{
	g.v1.push_back({h, quorate, ring, list(ids, n)});
	g.order += 'q';
}
void on_v1_nodelist(quorum_handle_t h, quorum_ring_id ring, uint32_t n, const uint32_t* members, uint32_t nj,
	const uint32_t* joined, uint32_t nl, const uint32_t* left)
{
	g.nodelists.push_back({h, ring, list(members, n), list(joined, nj), list(left, nl)});
	g.order += 'n';
}

quorum_handle_t connect_v0(bool callbacks = true)
{
	g = Seen{};
	quorum_callbacks_t cb{on_v0};
	quorum_handle_t h = 0;
	uint32_t type = 99;
	REQUIRE(quorum_initialize(&h, callbacks ? &cb : nullptr, &type) == CS_OK);
	REQUIRE(h != 0);
	CHECK(type == QUORUM_SET);
	return h;
}

quorum_handle_t connect_v1(quorum_v1_nodelist_notification_fn_t nodelist = on_v1_nodelist)
{
	g = Seen{};
	quorum_model_v1_data_t model{QUORUM_MODEL_V1, on_v1_quorum, nodelist};
	quorum_handle_t h = 0;
	uint32_t type = 99;
	REQUIRE(quorum_model_initialize(&h, QUORUM_MODEL_V1, reinterpret_cast<quorum_model_data_t*>(&model), &type,
			nullptr) == CS_OK);
	REQUIRE(h != 0);
	CHECK(type == QUORUM_SET);
	return h;
}

bool readable(quorum_handle_t h)
{
	int fd = -1;
	REQUIRE(quorum_fd_get(h, &fd) == CS_OK);
	pollfd p{fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1;
}

// --- messages the server sends when poked -------------------------------------

const quorum_ring_id kRing{7, 0x1122334455667788ull};

// `msg` with the int32 at `offset` replaced: a header field made to lie.
Bytes with_field(Bytes msg, std::size_t offset, int32_t value)
{
	std::memcpy(msg.data() + offset, &value, sizeof value);
	return msg;
}
constexpr std::size_t kId = offsetof(qb_ipc_response_header, id);
constexpr std::size_t kSize = offsetof(qb_ipc_response_header, size);

// The first `n` bytes of `msg`, header.size saying n.
Bytes cut(const Bytes& msg, std::size_t n)
{
	return with_field(Bytes(msg.begin(), msg.begin() + static_cast<std::ptrdiff_t>(n)), kSize, static_cast<int32_t>(n));
}

// The server sends g_scripts[code] on poke(code): the scripts the test
// process had made when it started the server (the child's copy).
using Script = std::vector<Bytes>;
std::vector<Script> g_scripts;

// Adds a script; returns its poke code.
int script(Script messages)
{
	g_scripts.push_back(std::move(messages));
	return static_cast<int>(g_scripts.size() - 1);
}

void send_script(Peer& peer, int code)
{
	for (const auto& msg : g_scripts[static_cast<std::size_t>(code)]) {
		if (send_bytes_event(peer, msg) <= 0) {
			_exit(4);  // in the server child: the test sees the server gone
		}
	}
}

// A quorum server answering as corosync does; pokes send a script.
FakeServer canned(CannedQuorum daemon = {})
{
	return FakeServer({quorum_service(std::move(daemon), send_script)});
}

}  // namespace

// --- misuse -------------------------------------------------------------------

TEST_CASE("quorum: initialize with no daemon is CS_ERR_LIBRARY", "[quorum][init]")
{
	quorum_handle_t h = 0;
	uint32_t type;
	CHECK(quorum_initialize(&h, nullptr, &type) == CS_ERR_LIBRARY);
	quorum_model_v1_data_t model{QUORUM_MODEL_V1, nullptr, nullptr};
	CHECK(quorum_model_initialize(&h, QUORUM_MODEL_V1, reinterpret_cast<quorum_model_data_t*>(&model), &type,
		      nullptr) == CS_ERR_LIBRARY);
	CHECK(h == 0);
	// A bad model is refused before anything is asked of a daemon (there
	// is none here): CS_ERR_INVALID_PARAM, not the failed connection's error.
	CHECK(vqtest_quorum_model_initialize_raw(&h, 2) == CS_ERR_INVALID_PARAM);
	CHECK(h == 0);
}

TEST_CASE("quorum: a votequorum-only server is no quorum service", "[quorum][init]")
{
	FakeServer server(CannedDaemon{});
	quorum_handle_t h = 0;
	CHECK(quorum_initialize(&h, nullptr, nullptr) == CS_ERR_LIBRARY);
	CHECK(h == 0);
}

TEST_CASE("quorum: initialize checks the handle pointer and the model, not the others", "[quorum][init]")
{
	FakeServer server = canned();
	quorum_callbacks_t cb{on_v0};
	uint32_t type;
	CHECK(quorum_initialize(nullptr, &cb, &type) == CS_ERR_INVALID_PARAM);
	CHECK(quorum_model_initialize(nullptr, QUORUM_MODEL_V1, nullptr, &type, nullptr) == CS_ERR_INVALID_PARAM);
	quorum_handle_t h = 0;
	for (int model : {2, -1, 1000}) {
		INFO("model " << model);
		CHECK(vqtest_quorum_model_initialize_raw(&h, model) == CS_ERR_INVALID_PARAM);
		CHECK(h == 0);
	}
	REQUIRE(vqtest_quorum_model_initialize_raw(&h, QUORUM_MODEL_V1) == CS_OK);
	CHECK(quorum_finalize(h) == CS_OK);
	// No callbacks, no model data, no quorum_type: all accepted.
	REQUIRE(quorum_initialize(&h, nullptr, nullptr) == CS_OK);
	CHECK(quorum_finalize(h) == CS_OK);
	for (auto model : {QUORUM_MODEL_V0, QUORUM_MODEL_V1}) {
		REQUIRE(quorum_model_initialize(&h, model, nullptr, nullptr, nullptr) == CS_OK);
		CHECK(quorum_finalize(h) == CS_OK);
	}
}

TEST_CASE("quorum: bad handles and NULL pointers, for every call", "[quorum][handles]")
{
	FakeServer server = canned();
	auto finalized = connect_v0();
	REQUIRE(quorum_finalize(finalized) == CS_OK);
	auto live = connect_v1();

	for (quorum_handle_t h : {quorum_handle_t{0}, quorum_handle_t{0xdeadbeef}, finalized,
		     quorum_handle_t{0xffffffff00000000ull | (live & 0xffffffffu)}}) {
		INFO("handle " << std::hex << h);
		int fd, quorate;
		const void* ctx;
		CHECK(quorum_finalize(h) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_fd_get(h, &fd) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_getquorate(h, &quorate) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_trackstop(h) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_context_get(h, &ctx) == CS_ERR_BAD_HANDLE);
		CHECK(quorum_context_set(h, nullptr) == CS_ERR_BAD_HANDLE);
	}
	// The forged value above did not finalize the live handle.
	int quorate = -1;
	CHECK(quorum_getquorate(live, &quorate) == CS_OK);
	CHECK(quorate == 1);

	// NULL out-pointers: the handle is looked at first.
	CHECK(quorum_getquorate(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(quorum_fd_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(quorum_context_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(quorum_getquorate(0, nullptr) == CS_ERR_BAD_HANDLE);
	CHECK(quorum_fd_get(0, nullptr) == CS_ERR_BAD_HANDLE);
	CHECK(quorum_context_get(0, nullptr) == CS_ERR_BAD_HANDLE);
	// Dispatch flags: checked before the handle.
	for (quorum_handle_t h : {live, quorum_handle_t{0}}) {
		for (int flag : {0, 5, -1, 1000}) {
			INFO("flag " << flag);
			CHECK(vqtest_quorum_dispatch_raw(h, flag) == CS_ERR_INVALID_PARAM);
		}
	}
	CHECK(quorum_finalize(live) == CS_OK);
	CHECK(quorum_finalize(live) == CS_ERR_BAD_HANDLE);
}

// --- requests and replies -------------------------------------------------------

TEST_CASE("quorum: requests carry corosync's ids, sizes and arguments", "[quorum][requests]")
{
	// The server answers each request with its reply, carrying an error when
	// a field is not what the client was asked to send.
	FakeServer server({quorum_service([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		const auto header = request_as<qb_ipc_request_header>(req);
		const bool sized = header.size >= 0 && static_cast<std::size_t>(header.size) == req.size();
		auto verdict = [&](bool ok) { return ok && sized ? CS_OK : CS_ERR_MESSAGE_ERROR; };
		switch (id) {
		case MESSAGE_REQ_QUORUM_GETTYPE:
			peer.reply(quorum_gettype_reply(verdict(req.size() == sizeof(qb_ipc_request_header)), QUORUM_FREE));
			break;
		case MESSAGE_REQ_QUORUM_MODEL_GETTYPE: {
			const auto r = request_as<req_lib_quorum_model_gettype>(req);
			const bool ok = req.size() == sizeof r && r.model == LIB_QUORUM_MODEL_V1;
			peer.reply(quorum_model_gettype_reply(verdict(ok), QUORUM_SET));
			break;
		}
		case MESSAGE_REQ_QUORUM_GETQUORATE:
			peer.reply(quorum_getquorate_reply(verdict(req.size() == sizeof(qb_ipc_request_header)), 1));
			break;
		case MESSAGE_REQ_QUORUM_TRACKSTART: {
			const auto r = request_as<req_lib_quorum_trackstart>(req);
			const bool ok = req.size() == sizeof r && r.track_flags == (CS_TRACK_CURRENT | CS_TRACK_CHANGES_ONLY);
			peer.reply(quorum_trackstart_reply(verdict(ok)));
			break;
		}
		case MESSAGE_REQ_QUORUM_TRACKSTOP:
			peer.reply(quorum_trackstop_reply(verdict(req.size() == sizeof(qb_ipc_request_header))));
			break;
		default:
			peer.reply(quorum_trackstop_reply(CS_ERR_LIBRARY));
		}
	})});
	quorum_handle_t v0 = 0, v1 = 0;
	uint32_t type = 99;
	REQUIRE(quorum_initialize(&v0, nullptr, &type) == CS_OK);  // V0 asks with GETTYPE
	CHECK(type == QUORUM_FREE);
	REQUIRE(quorum_model_initialize(&v1, QUORUM_MODEL_V1, nullptr, &type, nullptr) == CS_OK);  // V1 with MODEL_GETTYPE
	CHECK(type == QUORUM_SET);
	for (auto h : {v0, v1}) {
		int quorate = -1;
		CHECK(quorum_getquorate(h, &quorate) == CS_OK);
		CHECK(quorate == 1);
		CHECK(quorum_trackstart(h, CS_TRACK_CURRENT | CS_TRACK_CHANGES_ONLY) == CS_OK);
		CHECK(quorum_trackstop(h) == CS_OK);
		CHECK(quorum_finalize(h) == CS_OK);
	}
}

TEST_CASE("quorum: the daemon's answers and errors come back unchanged", "[quorum][requests][errors]")
{
	CannedQuorum daemon;
	daemon.quorate = 0;
	daemon.quorum_type = QUORUM_FREE;
	daemon.errors[MESSAGE_REQ_QUORUM_TRACKSTART] = CS_ERR_EXIST;
	daemon.errors[MESSAGE_REQ_QUORUM_TRACKSTOP] = CS_ERR_NOT_EXIST;
	FakeServer server = canned(daemon);
	quorum_handle_t h = 0;
	uint32_t type = 99;
	REQUIRE(quorum_initialize(&h, nullptr, &type) == CS_OK);
	CHECK(type == QUORUM_FREE);
	int quorate = -1;
	CHECK(quorum_getquorate(h, &quorate) == CS_OK);
	CHECK(quorate == 0);
	CHECK(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_ERR_EXIST);
	CHECK(quorum_trackstop(h) == CS_ERR_NOT_EXIST);
	CHECK(quorum_finalize(h) == CS_OK);
}

TEST_CASE("quorum: header.error of every reply is the call's result", "[quorum][requests][errors]")
{
	// Each request's reply carries error n, n counting up from 1.
	FakeServer server({quorum_service([n = 0](Peer& peer, int32_t id, std::span<const std::byte>) mutable {
		++n;
		switch (id) {
		case MESSAGE_REQ_QUORUM_GETTYPE: peer.reply(quorum_gettype_reply(n, QUORUM_SET)); break;
		case MESSAGE_REQ_QUORUM_MODEL_GETTYPE: peer.reply(quorum_model_gettype_reply(n, QUORUM_SET)); break;
		case MESSAGE_REQ_QUORUM_GETQUORATE: peer.reply(quorum_getquorate_reply(n, 1)); break;
		case MESSAGE_REQ_QUORUM_TRACKSTART: peer.reply(quorum_trackstart_reply(n)); break;
		case MESSAGE_REQ_QUORUM_TRACKSTOP: peer.reply(quorum_trackstop_reply(n)); break;
		}
	})});
	// An error in the quorum type's reply fails initialize, issuing no handle.
	quorum_handle_t h = 0;
	uint32_t type = 99;
	CHECK(quorum_initialize(&h, nullptr, &type) == CS_OK);  // 1
	REQUIRE(h != 0);
	quorum_handle_t none = 0;
	CHECK(quorum_initialize(&none, nullptr, &type) == CS_ERR_LIBRARY);  // 2
	CHECK(quorum_model_initialize(&none, QUORUM_MODEL_V1, nullptr, &type, nullptr) == CS_ERR_VERSION);  // 3
	CHECK(none == 0);
	int quorate;
	CHECK(quorum_getquorate(h, &quorate) == CS_ERR_INIT);  // 4
	CHECK(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_ERR_TIMEOUT);  // 5
	CHECK(quorum_trackstop(h) == CS_ERR_TRY_AGAIN);  // 6
	CHECK(quorum_getquorate(h, &quorate) == CS_ERR_INVALID_PARAM);  // 7
	CHECK(quorum_finalize(h) == CS_OK);
}

TEST_CASE("quorum: malformed replies are CS_ERR_MESSAGE_ERROR, and the handle stays usable", "[quorum][errors]")
{
	// The server answers getquorate number n with malformation n.
	FakeServer server({quorum_service(
		[n = 0](Peer& peer, int32_t id, std::span<const std::byte> req) mutable {
			if (id != MESSAGE_REQ_QUORUM_GETQUORATE) {
				CannedQuorum{}(peer, id, req);
				return;
			}
			auto res = quorum_getquorate_reply(CS_OK, 1);
			switch (++n) {
			case 1:  // shorter than its type, header.size saying so
				res.header.size = static_cast<int32_t>(sizeof res - 6);
				peer.reply(&res, sizeof res - 6);
				break;
			case 2: {  // another request's reply, of the same size
				peer.reply(quorum_gettype_reply(CS_OK, 1));
				break;
			}
			case 3:  // header.size lying
				res.header.size = 4000;
				peer.reply(res);
				break;
			case 4:  // shorter than a header
				peer.reply(&res, 12);
				break;
			case 5:  // header.size negative
				res.header.size = -1;
				peer.reply(res);
				break;
			default:
				peer.reply(res);
			}
		})});
	auto h = connect_v1();
	for (int n = 1; n <= 5; ++n) {
		INFO("malformation " << n);
		int quorate = -1;
		CHECK(quorum_getquorate(h, &quorate) == CS_ERR_MESSAGE_ERROR);
	}
	int quorate = -1;
	CHECK(quorum_getquorate(h, &quorate) == CS_OK);
	CHECK(quorate == 1);
	CHECK(quorum_finalize(h) == CS_OK);
}

TEST_CASE("quorum: a malformed quorum type reply fails initialize", "[quorum][errors]")
{
	FakeServer server({quorum_service([](Peer& peer, int32_t id, std::span<const std::byte>) {
		if (id == MESSAGE_REQ_QUORUM_GETTYPE) {
			peer.reply(quorum_model_gettype_reply(CS_OK, QUORUM_SET));  // the other GETTYPE's reply
		} else {
			auto res = quorum_model_gettype_reply(CS_OK, QUORUM_SET);
			res.header.size = 8;  // header.size too short
			peer.reply(res);
		}
	})});
	quorum_handle_t h = 0;
	uint32_t type = 99;
	CHECK(quorum_initialize(&h, nullptr, &type) == CS_ERR_MESSAGE_ERROR);
	CHECK(quorum_model_initialize(&h, QUORUM_MODEL_V1, nullptr, &type, nullptr) == CS_ERR_MESSAGE_ERROR);
	CHECK(h == 0);
	CHECK(type == 99);
}

// --- notifications --------------------------------------------------------------

TEST_CASE("quorum: trackstart's current state comes before its reply, as the model has it", "[quorum][dispatch]")
{
	CannedQuorum daemon;
	daemon.ring = kRing;
	daemon.members = {1, 2, 3};
	FakeServer server = canned(daemon);

	SECTION("V0: one quorum notification with the ring's sequence") {
		auto h = connect_v0();
		CHECK(!readable(h));
		REQUIRE(quorum_trackstart(h, CS_TRACK_CURRENT) == CS_OK);
		CHECK(readable(h));
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
		REQUIRE(g.v0.size() == 1);
		CHECK(g.v0[0].handle == h);
		CHECK(g.v0[0].quorate == 1);
		CHECK(g.v0[0].ring_seq == kRing.seq);
		CHECK((g.v0[0].members == std::vector<uint32_t>{1, 2, 3}));
		CHECK(g.order == "q");
		CHECK(!readable(h));
		quorum_finalize(h);
	}
	SECTION("V1: the node list, then the quorum, with the whole ring id") {
		auto h = connect_v1();
		REQUIRE(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_OK);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
		CHECK(g.order == "nq");
		REQUIRE(g.nodelists.size() == 1);
		CHECK(g.nodelists[0].handle == h);
		CHECK(g.nodelists[0].ring == kRing);
		CHECK((g.nodelists[0].members == std::vector<uint32_t>{1, 2, 3}));
		CHECK((g.nodelists[0].joined.empty() && g.nodelists[0].left.empty()));
		REQUIRE(g.v1.size() == 1);
		CHECK(g.v1[0].handle == h);
		CHECK(g.v1[0].quorate == 1);
		CHECK(g.v1[0].ring == kRing);
		CHECK((g.v1[0].members == std::vector<uint32_t>{1, 2, 3}));
		CHECK(!readable(h));
		quorum_finalize(h);
	}
}

TEST_CASE("quorum: V1 callbacks get exactly the lists and ring ids sent", "[quorum][dispatch]")
{
	std::vector<uint32_t> many;
	for (uint32_t i = 1; i <= 1000; ++i) {
		many.push_back(i);
	}
	const int lists = script({quorum_v1_nodelist_notification({4, 0xffffffffffff0001ull}, {1, 2, 3, 4}, {4}, {5, 6}),
		quorum_v1_notification(0, {4, 0xffffffffffff0001ull}, {1, 2, 3, 4}),
		quorum_v1_nodelist_notification({9, 3}, many, {many.begin(), many.begin() + 500}, {2000, 2001}),
		quorum_v1_nodelist_notification({9, 4}, {}, {}, {}), quorum_v1_notification(1, {9, 4}, {})});
	FakeServer server = canned();
	auto h = connect_v1();
	server.poke(lists);
	CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g.order == "nqnnq");
	REQUIRE(g.nodelists.size() == 3);
	REQUIRE(g.v1.size() == 2);
	const auto& first = g.nodelists[0];
	CHECK(first.ring == quorum_ring_id{4, 0xffffffffffff0001ull});
	CHECK((first.members == std::vector<uint32_t>{1, 2, 3, 4}));
	CHECK((first.joined == std::vector<uint32_t>{4}));
	CHECK((first.left == std::vector<uint32_t>{5, 6}));
	CHECK((g.v1[0].quorate == 0 && g.v1[0].ring == quorum_ring_id{4, 0xffffffffffff0001ull}));
	CHECK((g.v1[0].members == std::vector<uint32_t>{1, 2, 3, 4}));
	CHECK(g.nodelists[1].ring == quorum_ring_id{9, 3});
	CHECK(g.nodelists[1].members == many);
	CHECK((g.nodelists[1].joined == std::vector<uint32_t>(many.begin(), many.begin() + 500)));
	CHECK((g.nodelists[1].left == std::vector<uint32_t>{2000, 2001}));
	CHECK((g.nodelists[2].members.empty() && g.nodelists[2].joined.empty() && g.nodelists[2].left.empty()));
	CHECK((g.v1[1].quorate == 1 && g.v1[1].ring == quorum_ring_id{9, 4} && g.v1[1].members.empty()));
	for (const auto& call : g.nodelists) {
		CHECK(call.handle == h);
	}
	quorum_finalize(h);
}

TEST_CASE("quorum: the V0 callback gets exactly the list and sequence sent", "[quorum][dispatch]")
{
	std::vector<uint32_t> many;
	for (uint32_t i = 1; i <= 1000; ++i) {
		many.push_back(i * 3);
	}
	const int v0 = script({quorum_v0_notification(0, 0xfedcba9876543210ull, {2}), quorum_v0_notification(1, 5, many),
		quorum_v0_notification(1, 6, {})});
	FakeServer server = canned();
	auto h = connect_v0();
	server.poke(v0);
	CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	REQUIRE(g.v0.size() == 3);
	CHECK((g.v0[0].handle == h && g.v0[0].quorate == 0 && g.v0[0].ring_seq == 0xfedcba9876543210ull));
	CHECK((g.v0[0].members == std::vector<uint32_t>{2}));
	CHECK((g.v0[1].quorate == 1 && g.v0[1].ring_seq == 5 && g.v0[1].members == many));
	CHECK((g.v0[2].ring_seq == 6 && g.v0[2].members.empty()));
	quorum_finalize(h);
}

TEST_CASE("quorum: NULL callbacks are accepted, and their notifications consumed", "[quorum][dispatch]")
{
	const int two = script({quorum_v1_nodelist_notification(kRing, {1}), quorum_v1_notification(1, kRing, {1})});
	const int v0 = script({quorum_v0_notification(1, 3, {1}), quorum_v0_notification(1, 4, {1})});
	FakeServer server = canned();

	SECTION("V0 without callbacks; ONE counts a message whose callback is NULL") {
		auto h = connect_v0(false);
		server.poke(v0);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
		CHECK(readable(h));  // one was consumed, one is left
		CHECK(quorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
		CHECK(!readable(h));
		quorum_finalize(h);
	}
	SECTION("V1 without a node list callback: the quorum callback alone is called") {
		auto h = connect_v1(nullptr);
		server.poke(two);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
		CHECK(g.order == "q");
		CHECK(!readable(h));
		quorum_finalize(h);
	}
	SECTION("V1 without model data") {
		quorum_handle_t h = 0;
		REQUIRE(quorum_model_initialize(&h, QUORUM_MODEL_V1, nullptr, nullptr, nullptr) == CS_OK);
		server.poke(two);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
		CHECK(!readable(h));
		quorum_finalize(h);
	}
}

TEST_CASE("quorum: the fd is readable if and only if dispatch has work", "[quorum][dispatch][fd]")
{
	const int one = script({quorum_v1_notification(1, kRing, {1})});
	FakeServer server = canned();
	auto h = connect_v1();
	CHECK(!readable(h));
	CHECK(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
	CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	server.poke(one);
	server.poke(one);
	CHECK(readable(h));
	CHECK(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_OK);
	CHECK(readable(h));
	CHECK(quorum_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK(!readable(h));
	CHECK(g.v1.size() == 2);
	quorum_finalize(h);
}

TEST_CASE("quorum: hostile notifications are CS_ERR_MESSAGE_ERROR, undelivered, the rest still there",
	"[quorum][dispatch][errors]")
{
	const auto v1 = quorum_v1_notification(1, kRing, {1, 2});
	const auto nodelist = quorum_v1_nodelist_notification(kRing, {1, 2}, {2}, {3});
	const auto v0 = quorum_v0_notification(1, 8, {1, 2});
	struct Case {
		const char* what;
		bool v0_handle;
		Bytes msg;
	};
	const std::vector<Case> cases{
		{"shorter than a header", false, cut(v1, 12)},
		{"shorter than a header, header.size claiming more", false, Bytes(v1.begin(), v1.begin() + 12)},
		{"header.size larger than the message", false, with_field(v1, kSize, static_cast<int32_t>(v1.size() + 4))},
		{"header.size smaller than the message", false, with_field(v1, kSize, static_cast<int32_t>(v1.size() - 4))},
		{"header.size negative", false, with_field(v1, kSize, -1)},
		{"V1 quorum: shorter than its type", false,
			cut(v1, offsetof(res_lib_quorum_v1_quorum_notification, view_list_entries))},
		{"V1 quorum: 5 members claimed, 2 sent", false, quorum_v1_notification(1, kRing, {1, 2}, 5)},
		{"V1 quorum: 2^32 - 1 members claimed", false, quorum_v1_notification(1, kRing, {1, 2}, 0xffffffffu)},
		{"V1 quorum: 2^30 members claimed (4 bytes each: 2^32)", false,
			quorum_v1_notification(1, kRing, {}, 0x40000000u)},
		{"node list: shorter than its type", false,
			cut(nodelist, offsetof(res_lib_quorum_v1_nodelist_notification, left_list_entries))},
		{"node list: 5 members claimed, 2 sent", false,
			quorum_v1_nodelist_notification(kRing, {1, 2}, {}, {}, {.members = 5})},
		{"node list: two joined nodes claimed, none sent (the 4 padding bytes hold one)", false,
			quorum_v1_nodelist_notification(kRing, {1, 2}, {}, {}, {.joined = 2})},
		{"node list: 2^32 - 1 left claimed", false,
			quorum_v1_nodelist_notification(kRing, {1, 2}, {}, {}, {.left = 0xffffffffu})},
		{"node list: counts whose 32-bit sum wraps to the one sent", false,
			quorum_v1_nodelist_notification(kRing, {1}, {}, {}, {0x80000000u, 0x80000000u, 1})},
		{"V0: shorter than its type", true, cut(v0, offsetof(res_lib_quorum_notification, view_list_entries))},
		{"V0: 5 members claimed, 2 sent", true, quorum_v0_notification(1, 8, {1, 2}, 5)},
		{"V0: 2^30 members claimed (4 bytes each: 2^32)", true, quorum_v0_notification(1, 8, {}, 0x40000000u)},
		{"V0: header.size larger than the message", true, with_field(v0, kSize, static_cast<int32_t>(v0.size() + 8))},
	};
	std::vector<int> codes;
	for (const auto& c : cases) {
		codes.push_back(script({c.msg, c.v0_handle ? v0 : v1}));
	}
	FakeServer server = canned();
	for (std::size_t i = 0; i < cases.size(); ++i) {
		INFO(cases[i].what);
		auto h = cases[i].v0_handle ? connect_v0() : connect_v1();
		server.poke(codes[i]);
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_MESSAGE_ERROR);
		CHECK(g.order.empty());
		CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);  // the good one after it
		CHECK(g.order == "q");
		CHECK(!readable(h));
		quorum_finalize(h);
	}
}

TEST_CASE("quorum: unknown notification ids are passed over", "[quorum][dispatch]")
{
	const auto v1 = quorum_v1_notification(1, kRing, {1});
	const int unknown = script({with_field(v1, kId, 99), with_field(v1, kId, -1), v1});
	FakeServer server = canned();
	auto h = connect_v1();
	server.poke(unknown);
	CHECK(quorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g.order == "q");
	CHECK(!readable(h));
	quorum_finalize(h);
}

// --- context ----------------------------------------------------------------------

namespace {
const void* g_context_in_callback;
void context_from_callback(quorum_handle_t h, uint32_t, quorum_ring_id, uint32_t, const uint32_t*)
{
	quorum_context_get(h, &g_context_in_callback);
}
}  // namespace

TEST_CASE("quorum: the context of model_initialize, context_set and context_get, per handle", "[quorum][context]")
{
	FakeServer server = canned();
	int x, y, z;
	quorum_model_v1_data_t model{QUORUM_MODEL_V1, context_from_callback, nullptr};
	quorum_handle_t v1 = 0, v0 = 0, plain = 0;
	REQUIRE(quorum_model_initialize(&v1, QUORUM_MODEL_V1, reinterpret_cast<quorum_model_data_t*>(&model), nullptr, &x) ==
		CS_OK);
	REQUIRE(quorum_model_initialize(&v0, QUORUM_MODEL_V0, nullptr, nullptr, &y) == CS_OK);
	REQUIRE(quorum_initialize(&plain, nullptr, nullptr) == CS_OK);
	const void* got = &z;
	CHECK((quorum_context_get(v1, &got) == CS_OK && got == &x));
	CHECK((quorum_context_get(v0, &got) == CS_OK && got == &y));
	CHECK((quorum_context_get(plain, &got) == CS_OK && got == nullptr));
	CHECK(quorum_context_set(v1, &z) == CS_OK);
	CHECK((quorum_context_get(v1, &got) == CS_OK && got == &z));
	CHECK((quorum_context_get(v0, &got) == CS_OK && got == &y));
	quorum_finalize(plain);
	quorum_finalize(v0);
	// A callback reads the handle's context.
	CHECK(quorum_trackstart(v1, CS_TRACK_CURRENT) == CS_OK);
	CHECK(quorum_dispatch(v1, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g_context_in_callback == &z);
	quorum_finalize(v1);
}

// --- finalize and a dying daemon ----------------------------------------------------

namespace {
quorum_handle_t g_handle;
cs_error_t g_inner;
int g_calls;
void finalize_from_callback(quorum_handle_t h, uint32_t, quorum_ring_id, uint32_t, const uint32_t*)
{
	g_inner = quorum_finalize(h);
	++g_calls;
}
}  // namespace

TEST_CASE("quorum: finalize inside a callback: dispatch returns CS_ERR_BAD_HANDLE", "[quorum][dispatch][reentry]")
{
	const int two = script({quorum_v1_notification(1, kRing, {1}), quorum_v1_notification(1, kRing, {1})});
	FakeServer server = canned();
	for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE_NONBLOCKING}) {
		INFO("mode " << mode);
		quorum_model_v1_data_t model{QUORUM_MODEL_V1, finalize_from_callback, nullptr};
		REQUIRE(quorum_model_initialize(&g_handle, QUORUM_MODEL_V1, reinterpret_cast<quorum_model_data_t*>(&model),
				nullptr, nullptr) == CS_OK);
		g_calls = 0;
		g_inner = CS_ERR_LIBRARY;
		server.poke(two);
		CHECK(quorum_dispatch(g_handle, mode) == CS_ERR_BAD_HANDLE);
		CHECK(g_calls == 1);  // the second message is not delivered
		CHECK(g_inner == CS_OK);
		CHECK(quorum_finalize(g_handle) == CS_ERR_BAD_HANDLE);
	}
}

TEST_CASE("quorum: finalize from another thread ends a blocking dispatch or a request", "[quorum][dispatch][threads]")
{
	FakeServer server({quorum_service([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_QUORUM_GETQUORATE) {
			CannedQuorum{}(peer, id, req);
		}  // getquorate: silence
	})});
	for (int call = 0; call < 3; ++call) {
		INFO("call " << call);
		auto h = connect_v1();
		cs_error_t finalized = CS_ERR_LIBRARY;  // Catch's assertions are not thread-safe
		WhenBlocked finalizer([h, &finalized] { finalized = quorum_finalize(h); });
		int quorate;
		const cs_error_t result = call == 0 ? quorum_dispatch(h, CS_DISPATCH_BLOCKING)
		                          : call == 1 ? quorum_dispatch(h, CS_DISPATCH_ONE)
		                                      : quorum_getquorate(h, &quorate);
		CHECK(result == CS_ERR_BAD_HANDLE);
		CHECK(finalizer.join());
		CHECK(finalized == CS_OK);
	}
}

TEST_CASE("quorum: a daemon killed before a request: CS_ERR_LIBRARY from every call", "[quorum][death]")
{
	FakeServer server = canned();
	auto h = connect_v1();
	server.kill();
	int quorate;
	CHECK(quorum_getquorate(h, &quorate) == CS_ERR_LIBRARY);
	CHECK(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_ERR_LIBRARY);
	CHECK(quorum_trackstop(h) == CS_ERR_LIBRARY);
	for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE_NONBLOCKING}) {
		CHECK(quorum_dispatch(h, mode) == CS_ERR_LIBRARY);
	}
	CHECK(readable(h));  // a dead daemon makes the fd readable
	CHECK(quorum_finalize(h) == CS_OK);
}

TEST_CASE("quorum: a daemon dying during BLOCKING dispatch or a request ends it promptly with CS_ERR_LIBRARY",
	"[quorum][death]")
{
	const int one = script({quorum_v1_notification(1, kRing, {1})});
	for (int call = 0; call < 2; ++call) {
		INFO((call == 0 ? "BLOCKING dispatch" : "getquorate"));
		FakeServer server({quorum_service(
			[](Peer& peer, int32_t id, std::span<const std::byte> req) {
				if (id != MESSAGE_REQ_QUORUM_GETQUORATE) {
					CannedQuorum{}(peer, id, req);
				}  // getquorate: silence
			},
			send_script)});
		auto h = connect_v1();
		server.poke(one);  // delivered before the death
		std::chrono::steady_clock::time_point killed;
		WhenBlocked killer([&] {
			killed = std::chrono::steady_clock::now();
			server.kill();
		});
		int quorate;
		const cs_error_t result =
			call == 0 ? quorum_dispatch(h, CS_DISPATCH_BLOCKING) : quorum_getquorate(h, &quorate);
		const auto returned = std::chrono::steady_clock::now();
		CHECK(killer.join());
		CHECK(result == CS_ERR_LIBRARY);
		CHECK(returned - killed < std::chrono::seconds(2));
		if (call == 0) {
			CHECK(g.v1.size() == 1);
		}
		CHECK(quorum_finalize(h) == CS_OK);
	}
}

TEST_CASE("quorum: the daemon disconnects mid-request: CS_ERR_LIBRARY", "[quorum][death]")
{
	FakeServer server({quorum_service([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_QUORUM_TRACKSTART) {
			peer.disconnect_later();
		} else {
			CannedQuorum{}(peer, id, req);
		}
	})});
	auto h = connect_v0();
	CHECK(quorum_trackstart(h, CS_TRACK_CHANGES) == CS_ERR_LIBRARY);
	CHECK(quorum_finalize(h) == CS_OK);
}

// --- who is trusted ---------------------------------------------------------------

namespace {
int quorum_connect_result()
{
	quorum_handle_t h;
	cs_error_t err = quorum_initialize(&h, nullptr, nullptr);
	if (err == CS_OK) {
		int quorate;
		err = quorum_getquorate(h, &quorate);
		quorum_finalize(h);
	}
	return err;
}
}  // namespace

TEST_CASE("quorum: a quorum server of another user is refused with CS_ERR_ACCESS, leaving nothing behind",
	"[quorum][credentials]")
{
	const User nobody = user("nobody");
	{
		FakeServer impostor({quorum_service(CannedQuorum{})}, nobody.uid, nobody.gid);
		REQUIRE(as_user(nobody, quorum_connect_result) == CS_OK);  // it does serve (its own user)
		const auto fds_before = entries("/proc/self/fd");
		quorum_handle_t h = 0;
		CHECK(quorum_initialize(&h, nullptr, nullptr) == CS_ERR_ACCESS);
		CHECK(quorum_model_initialize(&h, QUORUM_MODEL_V1, nullptr, nullptr, nullptr) == CS_ERR_ACCESS);
		CHECK(h == 0);
		CHECK(entries("/proc/self/fd") == fds_before);
		CHECK(rings_left_by(impostor.pid()) == 0);
	}
	FakeServer root_server({quorum_service(CannedQuorum{})});
	CHECK(quorum_connect_result() == CS_OK);
	CHECK(as_user(nobody, quorum_connect_result) == CS_OK);  // root is trusted by everyone
}

// --- one server, both services -------------------------------------------------------

TEST_CASE("quorum: one server serves votequorum and quorum, each poked on its own", "[quorum][fake-server]")
{
	const int one = script({quorum_v1_notification(1, kRing, {1})});
	FakeServer server({votequorum_service(CannedDaemon{}, [](Peer& peer, int) { peer.event(expectedvotes_event(7, 3)); }),
		quorum_service(CannedQuorum{}, send_script)});
	votequorum_handle_t vq = 0;
	REQUIRE(votequorum_initialize(&vq, nullptr) == CS_OK);
	auto q = connect_v1();
	int vq_fd = -1;
	REQUIRE(votequorum_fd_get(vq, &vq_fd) == CS_OK);
	pollfd p{vq_fd, POLLIN, 0};
	server.poke("quorum", one);
	CHECK(readable(q));
	CHECK(poll(&p, 1, 0) == 0);
	server.poke("votequorum", 0);
	CHECK(poll(&p, 1, 0) == 1);
	CHECK(quorum_dispatch(q, CS_DISPATCH_ALL) == CS_OK);
	CHECK(g.v1.size() == 1);
	CHECK(votequorum_dispatch(vq, CS_DISPATCH_ALL) == CS_OK);
	votequorum_info info;
	CHECK(votequorum_getinfo(vq, 0, &info) == CS_OK);
	int quorate;
	CHECK(quorum_getquorate(q, &quorate) == CS_OK);
	votequorum_finalize(vq);
	quorum_finalize(q);
}
