// Every call of the C ABI against a scripted server: arguments on the wire,
// results, error pass-through, malformed replies, bad handles and pointers.
#include "canned_daemon.hpp"

#include "when_blocked.hpp"
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

using namespace vqtest;

extern "C" int vqtest_dispatch_raw(votequorum_handle_t handle, int flags);
extern "C" int vqtest_model_initialize_raw(votequorum_handle_t* handle, int model);

namespace {

votequorum_handle_t connect_ok()
{
	votequorum_handle_t h = 0;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
	REQUIRE(h != 0);
	return h;
}

std::set<int> open_fds()
{
	std::set<int> fds;
	DIR* d = opendir("/proc/self/fd");
	while (dirent* e = readdir(d)) {
		if (e->d_name[0] != '.') {
			fds.insert(std::stoi(e->d_name));
		}
	}
	closedir(d);
	return fds;
}

}  // namespace

TEST_CASE("initialize with no daemon is CS_ERR_LIBRARY", "[init]")
{
	votequorum_handle_t h = 0;
	CHECK(votequorum_initialize(&h, nullptr) == CS_ERR_LIBRARY);
	votequorum_model_v1_data_t model{};
	model.model = VOTEQUORUM_MODEL_V1;
	CHECK(votequorum_model_initialize(&h, &model) == CS_ERR_LIBRARY);
}

TEST_CASE("initialize checks its pointers and the model", "[init]")
{
	FakeServer server(CannedDaemon{});
	CHECK(votequorum_initialize(nullptr, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(votequorum_model_initialize(nullptr, nullptr) == CS_ERR_INVALID_PARAM);
	votequorum_handle_t h = 0;
	for (int model : {0, 2, -1, 1000}) {
		CHECK(vqtest_model_initialize_raw(&h, model) == CS_ERR_INVALID_PARAM);
	}
	REQUIRE(vqtest_model_initialize_raw(&h, VOTEQUORUM_MODEL_V1) == CS_OK);
	CHECK(votequorum_finalize(h) == CS_OK);
	CHECK(votequorum_model_initialize(&h, nullptr) == CS_OK);  // no callbacks at all
	CHECK(votequorum_finalize(h) == CS_OK);
	votequorum_callbacks_t none{};
	CHECK(votequorum_initialize(&h, &none) == CS_OK);
	CHECK(votequorum_finalize(h) == CS_OK);
}

TEST_CASE("getinfo sends the node id and copies every field", "[getinfo]")
{
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply_status(CS_ERR_LIBRARY);
			return;
		}
		auto r = request_as<req_lib_votequorum_getinfo>(req);
		auto res = getinfo_reply(CS_OK, static_cast<uint32_t>(r.nodeid), "Qdevice-net");
		res.qdevice_votes = 1;
		res.flags = VOTEQUORUM_INFO_QUORATE | VOTEQUORUM_INFO_QDEVICE_REGISTERED;
		peer.reply(res);
	});
	auto h = connect_ok();
	votequorum_info info;
	std::memset(&info, 0x5a, sizeof info);
	REQUIRE(votequorum_getinfo(h, 42, &info) == CS_OK);
	CHECK(info.node_id == 42);
	CHECK(info.node_state == VOTEQUORUM_NODESTATE_MEMBER);
	CHECK((info.node_votes == 1 && info.node_expected_votes == 3 && info.highest_expected == 3));
	CHECK((info.total_votes == 2 && info.quorum == 2 && info.qdevice_votes == 1));
	CHECK(info.flags == (VOTEQUORUM_INFO_QUORATE | VOTEQUORUM_INFO_QDEVICE_REGISTERED));
	CHECK(std::string(info.qdevice_name) == "Qdevice-net");
	CHECK(info.qdevice_name[254] == 0);
	REQUIRE(votequorum_getinfo(h, 0xffffffffu, &info) == CS_OK);
	CHECK(info.node_id == 0xffffffffu);
	votequorum_finalize(h);
}

TEST_CASE("header.error comes back unchanged", "[errors]")
{
	// The server answers setexpected(n) with error n.
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_SETEXPECTED) {
			peer.reply_status(static_cast<int32_t>(request_as<req_lib_votequorum_setexpected>(req).expected_votes));
		} else if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply(getinfo_reply(request_as<req_lib_votequorum_getinfo>(req).nodeid, 1));
		} else {
			peer.reply_status(CS_OK);
		}
	});
	auto h = connect_ok();
	for (int e = 1; e <= 30; ++e) {
		INFO("error " << e);
		const int expected = e == 29 ? CS_ERR_MESSAGE_ERROR : e;  // 29 names no cs_error_t
		CHECK(static_cast<int>(votequorum_setexpected(h, static_cast<unsigned>(e))) == expected);
	}
	CHECK(votequorum_setexpected(h, 100) == CS_ERR_SECURITY);
	CHECK(votequorum_setexpected(h, 4242) == CS_ERR_MESSAGE_ERROR);

	SECTION("getinfo with an error reply hands out zeros, not the reply's bytes") {
		votequorum_info info;
		std::memset(&info, 0x5a, sizeof info);
		CHECK(votequorum_getinfo(h, CS_ERR_NOT_EXIST, &info) == CS_ERR_NOT_EXIST);
		const auto* bytes = reinterpret_cast<const unsigned char*>(&info);
		CHECK(std::all_of(bytes, bytes + sizeof info, [](unsigned char b) { return b == 0; }));
	}
	votequorum_finalize(h);
}

TEST_CASE("malformed replies are CS_ERR_MESSAGE_ERROR", "[errors]")
{
	// getinfo(n): the server answers with malformation n.
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply_status(CS_OK);
			return;
		}
		auto res = getinfo_reply(CS_OK, 1, "q");
		switch (request_as<req_lib_votequorum_getinfo>(req).nodeid) {
		case 1:  // shorter than its type
			res.header.size = 100;
			peer.reply(&res, 100);
			break;
		case 2:  // wrong id
			res.header.id = MESSAGE_RES_VOTEQUORUM_STATUS;
			peer.reply(res);
			break;
		case 3:  // header.size lying
			res.header.size = 4000;
			peer.reply(res);
			break;
		case 4:  // name without a terminating NUL
			std::memset(res.qdevice_name, 'x', sizeof res.qdevice_name);
			peer.reply(res);
			break;
		case 5:  // shorter than a header
			peer.reply(&res, 12);
			break;
		default:
			peer.reply(res);
		}
	});
	auto h = connect_ok();
	votequorum_info info;
	for (unsigned n = 1; n <= 5; ++n) {
		INFO("malformation " << n);
		CHECK(votequorum_getinfo(h, n, &info) == CS_ERR_MESSAGE_ERROR);
	}
	CHECK(votequorum_getinfo(h, 6, &info) == CS_OK);  // and the connection is still usable
	votequorum_finalize(h);
}

TEST_CASE("requests carry their arguments", "[requests]")
{
	// The server checks each request's fields and answers CS_OK only when
	// they are what the client sent.
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		bool ok = false;
		switch (id) {
		case MESSAGE_REQ_VOTEQUORUM_SETVOTES: {
			auto r = request_as<req_lib_votequorum_setvotes>(req);
			ok = req.size() == 24 && r.nodeid == 3 && r.votes == 2;
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_TRACKSTART: {
			auto r = request_as<req_lib_votequorum_trackstart>(req);
			ok = req.size() == 32 && r.context == 0xfeedULL && r.track_flags == CS_TRACK_CHANGES_ONLY;
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_TRACKSTOP: ok = req.size() == 16; break;
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_REGISTER:
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_UNREGISTER: {  // the two have one layout
			auto r = request_as<req_lib_votequorum_qdevice_register>(req);
			ok = req.size() == 272 && std::string(r.name) == "Qdevice";
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_UPDATE: {
			auto r = request_as<req_lib_votequorum_qdevice_update>(req);
			ok = req.size() == 528 && std::string(r.oldname) == "Qdevice" && std::string(r.newname) == "Other";
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_POLL: {
			auto r = request_as<req_lib_votequorum_qdevice_poll>(req);
			ok = req.size() == 296 && std::string(r.name) == "Qdevice" && r.cast_vote == 1 &&
			     r.ring_id.nodeid == 7 && r.ring_id.seq == 0x1234;
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_MASTER_WINS: {
			auto r = request_as<req_lib_votequorum_qdevice_master_wins>(req);
			ok = req.size() == 280 && std::string(r.name) == "Qdevice" && r.allow == 1;
			break;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_SET_EXTRA_INFO: {
			auto r = request_as<req_lib_votequorum_set_qdevice_extra_info>(req);
			ok = (r.ei_size == 5 && req.size() == 29 && std::memcmp(req.data() + 20, "hello", 5) == 0) ||
			     (r.ei_size == 0 && req.size() == 24);
			break;
		}
		}
		peer.reply_status(ok ? CS_OK : CS_ERR_MESSAGE_ERROR);
	});
	auto h = connect_ok();
	CHECK(votequorum_setvotes(h, 3, 2) == CS_OK);
	CHECK(votequorum_trackstart(h, 0xfeed, CS_TRACK_CHANGES_ONLY) == CS_OK);
	CHECK(votequorum_trackstop(h) == CS_OK);
	CHECK(votequorum_qdevice_register(h, "Qdevice") == CS_OK);
	CHECK(votequorum_qdevice_unregister(h, "Qdevice") == CS_OK);
	CHECK(votequorum_qdevice_update(h, "Qdevice", "Other") == CS_OK);
	CHECK(votequorum_qdevice_poll(h, "Qdevice", 1, {7, 0x1234}) == CS_OK);
	CHECK(votequorum_qdevice_master_wins(h, "Qdevice", 1) == CS_OK);
	CHECK(votequorum_set_qdevice_extra_info(h, 5, "hello") == CS_OK);
	CHECK(votequorum_set_qdevice_extra_info(h, 0, "") == CS_OK);
	CHECK(votequorum_set_qdevice_extra_info(h, 5, nullptr) == CS_OK);  // NULL data means size 0
	CHECK(votequorum_set_qdevice_extra_info(h, 4097, "x") == CS_ERR_INVALID_PARAM);
	votequorum_finalize(h);
}

TEST_CASE("qdevice names: 1 to 254 characters, checked before the handle", "[requests]")
{
	FakeServer server([](Peer& peer, int32_t, std::span<const std::byte> req) {
		auto r = request_as<req_lib_votequorum_qdevice_register>(req);  // every qdevice request starts with the name
		peer.reply_status(strnlen(r.name, sizeof r.name) == 254 || std::string(r.name) == "x" ? CS_OK : CS_ERR_EXIST);
	});
	auto h = connect_ok();
	const std::string n254(254, 'a'), n255(255, 'a');
	CHECK(votequorum_qdevice_register(h, n254.c_str()) == CS_OK);
	CHECK(votequorum_qdevice_register(h, "x") == CS_OK);
	for (votequorum_handle_t handle : {h, votequorum_handle_t{0}, votequorum_handle_t{12345}}) {
		for (const char* bad : {static_cast<const char*>(nullptr), "", n255.c_str()}) {
			CHECK(votequorum_qdevice_register(handle, bad) == CS_ERR_INVALID_PARAM);
			CHECK(votequorum_qdevice_unregister(handle, bad) == CS_ERR_INVALID_PARAM);
			CHECK(votequorum_qdevice_poll(handle, bad, 1, {1, 1}) == CS_ERR_INVALID_PARAM);
			CHECK(votequorum_qdevice_master_wins(handle, bad, 1) == CS_ERR_INVALID_PARAM);
			CHECK(votequorum_qdevice_update(handle, bad, "x") == CS_ERR_INVALID_PARAM);
			CHECK(votequorum_qdevice_update(handle, "x", bad) == CS_ERR_INVALID_PARAM);
		}
	}
	votequorum_finalize(h);
}

TEST_CASE("bad handles and NULL pointers, for every call", "[handles]")
{
	FakeServer server(CannedDaemon{});
	auto finalized = connect_ok();
	REQUIRE(votequorum_finalize(finalized) == CS_OK);
	auto live = connect_ok();

	for (votequorum_handle_t h : {votequorum_handle_t{0}, votequorum_handle_t{0xdeadbeef}, finalized,
		     votequorum_handle_t{0xffffffff00000000ull | (live & 0xffffffffu)}}) {
		INFO("handle " << std::hex << h);
		votequorum_info info;
		int fd;
		void* ctx;
		uint32_t size;
		char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
		CHECK(votequorum_finalize(h) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_fd_get(h, &fd) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_getinfo(h, 0, &info) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_setexpected(h, 1) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_setvotes(h, 1, 1) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_trackstart(h, 0, CS_TRACK_CHANGES) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_trackstop(h) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_context_get(h, &ctx) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_context_set(h, nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_qdevice_register(h, "q") == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_qdevice_unregister(h, "q") == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_qdevice_update(h, "q", "r") == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_qdevice_poll(h, "q", 1, {1, 1}) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_qdevice_master_wins(h, "q", 1) == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_set_qdevice_extra_info(h, 1, "x") == CS_ERR_BAD_HANDLE);
		CHECK(votequorum_get_qdevice_extra_info(h, 1, &size, buf) == CS_ERR_BAD_HANDLE);
	}
	// The forged value above did not finalize the live handle.
	votequorum_info info;
	CHECK(votequorum_getinfo(live, 0, &info) == CS_OK);

	// NULL out-pointers: getinfo, fd_get and context_get look at the handle
	// first (the reference's order), the others at their arguments first.
	CHECK(votequorum_getinfo(live, 0, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(votequorum_fd_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(votequorum_context_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(votequorum_getinfo(0, 0, nullptr) == CS_ERR_BAD_HANDLE);
	CHECK(votequorum_fd_get(0, nullptr) == CS_ERR_BAD_HANDLE);
	CHECK(votequorum_context_get(0, nullptr) == CS_ERR_BAD_HANDLE);
	for (votequorum_handle_t h : {live, votequorum_handle_t{0}}) {
		uint32_t size;
		char buf[16];
		CHECK(votequorum_get_qdevice_extra_info(h, 1, nullptr, buf) == CS_ERR_INVALID_PARAM);
		CHECK(votequorum_get_qdevice_extra_info(h, 1, &size, nullptr) == CS_ERR_INVALID_PARAM);
		for (int flag : {0, 5, -1, 1000}) {
			CHECK(vqtest_dispatch_raw(h, flag) == CS_ERR_INVALID_PARAM);
		}
	}
	CHECK(votequorum_finalize(live) == CS_OK);
	CHECK(votequorum_finalize(live) == CS_ERR_BAD_HANDLE);
}

TEST_CASE("handles are distinct and not reused after finalize", "[handles]")
{
	FakeServer server(CannedDaemon{});
	std::set<votequorum_handle_t> seen;
	for (int i = 0; i < 20; ++i) {
		auto h = connect_ok();
		CHECK(seen.insert(h).second);
		CHECK(votequorum_finalize(h) == CS_OK);
	}
}

TEST_CASE("the caller's random() sequence is not touched", "[handles]")
{
	FakeServer server(CannedDaemon{});
	srandom(7);
	const long expected[3] = {random(), random(), random()};
	srandom(7);
	votequorum_handle_t h;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
	votequorum_info info;
	CHECK(votequorum_getinfo(h, 0, &info) == CS_OK);
	CHECK(votequorum_finalize(h) == CS_OK);
	for (long e : expected) {
		CHECK(random() == e);
	}
}

TEST_CASE("context is per handle", "[context]")
{
	FakeServer server(CannedDaemon{});
	auto a = connect_ok(), b = connect_ok();
	int x, y;
	void* got = &x;
	CHECK(votequorum_context_get(a, &got) == CS_OK);
	CHECK(got == nullptr);
	CHECK(votequorum_context_set(a, &x) == CS_OK);
	CHECK(votequorum_context_set(b, &y) == CS_OK);
	CHECK((votequorum_context_get(a, &got) == CS_OK && got == &x));
	CHECK((votequorum_context_get(b, &got) == CS_OK && got == &y));
	votequorum_finalize(a);
	votequorum_finalize(b);
}

TEST_CASE("get_qdevice_extra_info returns the daemon's bytes, bounded", "[extra-info]")
{
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_VOTEQUORUM_QDEVICE_GET_EXTRA_INFO) {
			peer.reply_status(CS_OK);
			return;
		}
		switch (request_as<req_lib_votequorum_get_qdevice_extra_info>(req).nodeid) {
		case 1: {
			auto r = extra_info_reply(CS_OK, "Qdsk 00ff");
			peer.reply(r.data(), r.size());
			break;
		}
		case 2: {  // 5000 bytes: over the 4096 limit
			auto r = extra_info_reply(CS_OK, std::string(5000, 'z'));
			peer.reply(r.data(), r.size());
			break;
		}
		case 3: {  // ei_size claims more than was sent
			auto r = extra_info_reply(CS_OK, "abc", 100);
			peer.reply(r.data(), r.size());
			break;
		}
		case 4: {
			auto r = extra_info_reply(CS_ERR_NOT_EXIST, "");
			peer.reply(r.data(), r.size());
			break;
		}
		default: {
			auto r = extra_info_reply(CS_OK, "");
			peer.reply(r.data(), r.size());
		}
		}
	});
	auto h = connect_ok();
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 99;
	REQUIRE(votequorum_get_qdevice_extra_info(h, 1, &size, buf) == CS_OK);
	CHECK(size == 9);
	CHECK(std::string(buf, size) == "Qdsk 00ff");
	CHECK(votequorum_get_qdevice_extra_info(h, 2, &size, buf) == CS_ERR_MESSAGE_ERROR);
	CHECK(votequorum_get_qdevice_extra_info(h, 3, &size, buf) == CS_ERR_MESSAGE_ERROR);
	CHECK(votequorum_get_qdevice_extra_info(h, 4, &size, buf) == CS_ERR_NOT_EXIST);
	REQUIRE(votequorum_get_qdevice_extra_info(h, 5, &size, buf) == CS_OK);
	CHECK(size == 0);
	votequorum_finalize(h);
}

TEST_CASE("fds: fd_get is the connected socket, every new fd is close-on-exec", "[fd]")
{
	FakeServer server(CannedDaemon{});
	auto before = open_fds();
	auto h = connect_ok();
	auto after = open_fds();
	int fd = -1;
	REQUIRE(votequorum_fd_get(h, &fd) == CS_OK);
	CHECK(after.count(fd) == 1);
	for (int f : after) {
		if (!before.count(f)) {
			INFO("fd " << f);
			CHECK((fcntl(f, F_GETFD) & FD_CLOEXEC) != 0);
		}
	}
	ucred cred{};
	socklen_t len = sizeof cred;
	REQUIRE(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0);
	CHECK(cred.pid == server.pid());
	votequorum_finalize(h);
	CHECK(open_fds() == before);  // nothing leaked once finalized
}

TEST_CASE("a request the server never answers: finalize from another thread ends it", "[silence]")
{
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte>) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply_status(CS_OK);
		}  // getinfo: silence
	});
	auto h = connect_ok();
	cs_error_t finalized = CS_ERR_LIBRARY;  // Catch's assertions are not thread-safe
	WhenBlocked finalizer([&] { finalized = votequorum_finalize(h); });  // getinfo waits for its reply
	votequorum_info info;
	CHECK(votequorum_getinfo(h, 0, &info) == CS_ERR_BAD_HANDLE);
	CHECK(finalizer.join());
	CHECK(finalized == CS_OK);
}

TEST_CASE("the daemon dies during a request: CS_ERR_LIBRARY", "[death]")
{
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte>) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply_status(CS_OK);
		}
	});
	auto h = connect_ok();
	WhenBlocked killer([&] { server.kill(); });
	votequorum_info info;
	CHECK(votequorum_getinfo(h, 0, &info) == CS_ERR_LIBRARY);
	CHECK(killer.join());
	CHECK(votequorum_setexpected(h, 1) == CS_ERR_LIBRARY);
	CHECK(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_LIBRARY);
	CHECK(votequorum_finalize(h) == CS_OK);
}

TEST_CASE("the daemon disconnects mid-request: CS_ERR_LIBRARY", "[death]")
{
	FakeServer server([](Peer& peer, int32_t id, std::span<const std::byte>) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.disconnect_later();
		} else {
			peer.reply_status(CS_OK);
		}
	});
	auto h = connect_ok();
	votequorum_info info;
	CHECK(votequorum_getinfo(h, 0, &info) == CS_ERR_LIBRARY);
	CHECK(votequorum_finalize(h) == CS_OK);
}
