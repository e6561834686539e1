// The C++ API (votequorum::Client) against the fake server and the real
// daemon, and the votequorum-monitor tool built on it.
#include "corosync.hpp"
#include "canned_daemon.hpp"

#include <votequorum/client.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <pwd.h>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <memory>
#include <optional>
#include <poll.h>
#include <unistd.h>

using namespace vqtest;
using votequorum::Client;

namespace {

// Three members (node 3 with two votes), a quorum device named "Qdev",
// node 2 publishing extra info; node 77 unknown; setvotes refused.
CannedDaemon three_members()
{
	CannedDaemon d;
	d.info = getinfo_reply(CS_OK, 1, "Qdev");
	d.unknown_nodes = {77};
	d.ring = {1, 9};
	d.members = {1, 2, 3};
	d.nodes = {{1, 1}, {2, 1}, {3, 2}};
	d.extra_info = {{2, "Qdsk 42"}};
	d.extra_info_reply_data = "abc";
	d.status[MESSAGE_REQ_VOTEQUORUM_SETVOTES] = CS_ERR_NAME_NOT_FOUND;
	return d;
}

const CannedDaemon daemon_like = three_members();

std::pair<int, std::string> run(const std::string& command)
{
	std::string out;
	FILE* p = popen(command.c_str(), "r");
	char buf[4096];
	while (std::fgets(buf, sizeof buf, p)) {
		out += buf;
	}
	int status = pclose(p);
	return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

TEST_CASE("C++: error codes in the cs_error_t category", "[cpp]")
{
	std::error_code ok = CS_OK;
	CHECK_FALSE(ok);
	std::error_code e = CS_ERR_TRY_AGAIN;
	CHECK(e);
	CHECK(e == CS_ERR_TRY_AGAIN);
	// One category for every service, named for the type, not a service.
	CHECK(e.category().name() == std::string("cs_error_t"));
	CHECK(&e.category() == &corosync::error_category());
	CHECK(&e.category() == &votequorum::error_category());  // the older spelling
	CHECK(e.message() == "CS_ERR_TRY_AGAIN");
	CHECK(std::error_code(99, corosync::error_category()).message() == "unknown cs_error_t value 99");
}

TEST_CASE("C++: connect without a daemon, and to an impostor", "[cpp]")
{
	auto none = Client::connect();
	REQUIRE_FALSE(none);
	CHECK(none.error() == CS_ERR_LIBRARY);
	const passwd* nobody = getpwnam("nobody");
	REQUIRE(nobody);
	FakeServer impostor(daemon_like, {}, nobody->pw_uid, nobody->pw_gid);
	auto refused = Client::connect();
	REQUIRE_FALSE(refused);
	CHECK(refused.error() == CS_ERR_ACCESS);
}

TEST_CASE("C++: info, errors, extra info", "[cpp]")
{
	FakeServer server(daemon_like);
	auto client = Client::connect();
	REQUIRE(client);
	auto info = client->info(5);
	REQUIRE(info);
	CHECK(info->node_id == 5);
	CHECK(info->quorate());
	CHECK(info->qdevice_name == "Qdev");
	auto missing = client->info(77);
	REQUIRE_FALSE(missing);
	CHECK(missing.error() == CS_ERR_NOT_EXIST);
	CHECK(client->set_votes(9, 1) == CS_ERR_NAME_NOT_FOUND);
	CHECK_FALSE(client->set_expected_votes(3));
	CHECK(client->qdevice_register("") == CS_ERR_INVALID_PARAM);
	CHECK(client->qdevice_register(std::string(255, 'x')) == CS_ERR_INVALID_PARAM);
	CHECK_FALSE(client->qdevice_register(std::string(254, 'x')));
	auto extra = client->extra_info(2);
	REQUIRE(extra);
	CHECK(std::string(reinterpret_cast<const char*>(extra->data()), extra->size()) == "abc");
	std::vector<std::byte> big(4097);
	CHECK(client->set_extra_info(big) == CS_ERR_INVALID_PARAM);
	CHECK(client->dispatch(static_cast<cs_dispatch_flags_t>(CS_DISPATCH_ALL)) == std::error_code{});
}

TEST_CASE("C++: typed events through the handler, node lists as spans", "[cpp]")
{
	FakeServer server(daemon_like);
	std::vector<std::string> seen;
	auto client = Client::connect([&](const votequorum::Event& ev) {
		if (auto* n = std::get_if<votequorum::NodelistEvent>(&ev)) {
			seen.push_back("nodelist " + std::to_string(n->ring.seq) + " " + std::to_string(n->nodes.size()) +
				" last=" + std::to_string(n->nodes.back()));
		} else if (auto* q = std::get_if<votequorum::QuorumEvent>(&ev)) {
			seen.push_back(std::string("quorum ") + (q->quorate ? "yes " : "no ") + std::to_string(q->nodes.size()) +
				" third-state=" + std::to_string(q->nodes[2].state));
		} else if (auto* x = std::get_if<votequorum::ExtraInfoEvent>(&ev)) {
			seen.push_back("extra " + std::to_string(x->nodeid) + " " +
				std::string(reinterpret_cast<const char*>(x->data.data()), x->data.size()));
		}
	});
	REQUIRE(client);
	REQUIRE_FALSE(client->track(5));
	pollfd p{client->fd(), POLLIN, 0};
	REQUIRE(poll(&p, 1, 2000) == 1);
	CHECK_FALSE(client->dispatch(CS_DISPATCH_ALL));
	CHECK((seen == std::vector<std::string>{"nodelist 9 3 last=3", "quorum yes 3 third-state=2", "extra 2 Qdsk 42"}));
	CHECK(client->dispatch(CS_DISPATCH_ONE_NONBLOCKING) == CS_ERR_TRY_AGAIN);
	CHECK(client->dispatch(static_cast<cs_dispatch_flags_t>(9)) == CS_ERR_INVALID_PARAM);
}

TEST_CASE("C++: a request timeout ends the wait and closes the client", "[cpp][timeout]")
{
	FakeServer silent([](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			daemon_like(peer, id, req);
		}
	});
	auto client = Client::connect({}, {std::nullopt, std::chrono::milliseconds(300)});
	REQUIRE(client);
	auto info = client->info();
	REQUIRE_FALSE(info);
	CHECK(info.error() == CS_ERR_TIMEOUT);
	CHECK_FALSE(client->is_open());
	CHECK(client->set_expected_votes(1) == CS_ERR_BAD_HANDLE);
}

TEST_CASE("C++: a connect timeout against a stopped server", "[cpp][timeout]")
{
	FakeServer server(daemon_like);
	REQUIRE(::kill(server.pid(), SIGSTOP) == 0);
	auto client = Client::connect({}, {std::chrono::milliseconds(300), std::nullopt});
	::kill(server.pid(), SIGCONT);
	REQUIRE_FALSE(client);
	CHECK(client.error() == CS_ERR_TIMEOUT);
	auto again = Client::connect({}, {std::chrono::milliseconds(2000), std::nullopt});
	CHECK(again);
}

TEST_CASE("C++: move, close, and threads sharing one client", "[cpp]")
{
	FakeServer server(daemon_like);
	auto connected = Client::connect();
	REQUIRE(connected);
	Client a = std::move(connected.value());
	CHECK(a.is_open());
	Client b = std::move(a);
	CHECK_FALSE(a.is_open());
	CHECK(a.set_expected_votes(1) == CS_ERR_BAD_HANDLE);
	std::atomic<int> wrong{0};
	std::vector<std::thread> threads;
	for (uint32_t t = 1; t <= 4; ++t) {
		threads.emplace_back([&, t] {
			for (uint32_t i = 0; i < 200; ++i) {
				auto info = b.info(t * 1000 + i);
				if (!info || info->node_id != t * 1000 + i) {
					++wrong;
				}
			}
		});
	}
	for (auto& t : threads) {
		t.join();
	}
	CHECK(wrong == 0);
	b.close();
	CHECK(b.info().error() == CS_ERR_BAD_HANDLE);
}

TEST_CASE("C++: the real daemon", "[cpp][daemon]")
{
	PrivateCorosync corosync;
	uint32_t expected = 0;
	auto client = Client::connect([&](const votequorum::Event& ev) {
		if (auto* e = std::get_if<votequorum::ExpectedVotesEvent>(&ev)) {
			expected = e->expected_votes;
		}
	});
	REQUIRE(client);
	auto info = client->info();
	REQUIRE(info);
	CHECK(info->quorate());
	CHECK(info->node_id == 1);
	REQUIRE_FALSE(client->track(1, CS_TRACK_CHANGES));
	REQUIRE_FALSE(client->set_expected_votes(0xffffffffu));
	pollfd p{client->fd(), POLLIN, 0};
	for (int i = 0; i < 20 && expected == 0 && poll(&p, 1, 1000) == 1; ++i) {
		CHECK_FALSE(client->dispatch(CS_DISPATCH_ONE_NONBLOCKING));
	}
	CHECK(expected == 0xffffffffu);
	CHECK(client->set_expected_votes(0) == CS_ERR_INVALID_PARAM);
}

TEST_CASE("votequorum-monitor: --once in each format, and its exit status", "[tool][daemon]")
{
	const std::string tool = VQ_MONITOR;
	SECTION("no daemon: exit 2 and a clear message") {
		auto [status, out] = run(tool + " --once 2>&1");
		CHECK(status == 2);
		CHECK(out.find("is corosync running?") != std::string::npos);
	}
	SECTION("with a daemon") {
		PrivateCorosync corosync;
		auto [status, text] = run(tool + " --once");
		CHECK(status == 0);
		CHECK(text.find("quorate:          yes") != std::string::npos);
		CHECK(text.find("node 1: member, 1 vote(s)") != std::string::npos);

		auto [jstatus, json_text] = run(tool + " --once --json");
		CHECK(jstatus == 0);
		auto j = nlohmann::json::parse(json_text);
		CHECK(j["quorate"] == true);
		CHECK(j["node_id"] == 1);
		CHECK(j["total_votes"] == 1);
		CHECK(j["members"][0]["nodeid"] == 1);
		CHECK(j["members"][0]["state"] == "member");
		CHECK(j["ring_id"].get<std::string>().rfind("1.", 0) == 0);

		auto [pstatus, prom] = run(tool + " --once --prometheus");
		CHECK(pstatus == 0);
		CHECK(prom.find("\nvotequorum_quorate 1\n") != std::string::npos);
		CHECK(prom.find("votequorum_member_votes{nodeid=\"1\",state=\"member\"} 1") != std::string::npos);
		// Every line is a comment or "name{labels} value".
		std::istringstream lines(prom);
		std::regex sample(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9]+$)");
		for (std::string line; std::getline(lines, line);) {
			INFO(line);
			CHECK((line.rfind("# ", 0) == 0 || std::regex_match(line, sample)));
		}

		auto [nstatus, ntext] = run("sh -c 'corosync-quorumtool -e 3 >/dev/null 2>&1; " + tool + " --once --json'");
		CHECK(nlohmann::json::parse(ntext)["quorate"] == true);  // -e 3 is refused on one node
		CHECK(nstatus == 0);
	}
}

TEST_CASE("votequorum-monitor: --follow --json prints a line per change", "[tool][daemon]")
{
	PrivateCorosync corosync;
	const std::string tool = VQ_MONITOR;
	// Ordered by what the monitor prints: the change is made once its first
	// line (the current state) is out, so it is certainly tracking.
	FILE* out = popen(("sh -c 'echo $$; exec timeout -s INT 20 " + tool + " --follow --json'").c_str(), "r");
	REQUIRE(out != nullptr);
	auto next_line = [out]() -> std::string {
		char buf[8192];
		return std::fgets(buf, sizeof buf, out) ? std::string(buf) : std::string();
	};
	const pid_t monitor = std::stoi(next_line());
	std::vector<nlohmann::json> records;
	records.push_back(nlohmann::json::parse(next_line()));  // each line is valid JSON
	votequorum_handle_t h;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
	CHECK(votequorum_setexpected(h, 0xffffffffu) == CS_OK);
	votequorum_finalize(h);
	records.push_back(nlohmann::json::parse(next_line()));
	::kill(monitor, SIGINT);
	const int status = pclose(out);
	CHECK(records[0]["cause"] == "current state");
	CHECK(records[1]["cause"] == "expected votes");
	CHECK(records[1]["expected_votes"] == 0xffffffffu);
	// Stopped by the SIGINT (timeout passes it on, then dies of it or
	// exits 130), not dead before it.
	CHECK(((WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) || (WIFEXITED(status) && WEXITSTATUS(status) == 130)));
}

namespace {

// votequorum-monitor --follow --json, run beside a test: its lines one by
// one, each awaited for at most a few seconds.
class FollowedMonitor {
public:
	explicit FollowedMonitor(const std::string& args)
	{
		out_ = popen(("sh -c 'echo $$; exec timeout -s INT 30 " + std::string(VQ_MONITOR) + " " + args + "'").c_str(), "r");
		REQUIRE(out_ != nullptr);
		const auto pid = next_line(5000);
		REQUIRE(pid.has_value());
		pid_ = std::stoi(*pid);
	}
	~FollowedMonitor()
	{
		::kill(pid_, SIGINT);
		pclose(out_);
	}
	FollowedMonitor(const FollowedMonitor&) = delete;
	FollowedMonitor& operator=(const FollowedMonitor&) = delete;

	// The next line, or nothing when none came within `ms`.
	std::optional<std::string> next_line(int ms)
	{
		const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
		for (;;) {
			if (auto nl = pending_.find('\n'); nl != std::string::npos) {
				std::string line = pending_.substr(0, nl);
				pending_.erase(0, nl + 1);
				return line;
			}
			const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
			pollfd p{fileno(out_), POLLIN, 0};
			if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
				return std::nullopt;
			}
			char buf[4096];
			const ssize_t n = ::read(fileno(out_), buf, sizeof buf);
			if (n <= 0) {
				return std::nullopt;
			}
			pending_.append(buf, static_cast<std::size_t>(n));
		}
	}

private:
	FILE* out_ = nullptr;
	pid_t pid_ = -1;
	std::string pending_;
};

}  // namespace

TEST_CASE("votequorum-monitor: --follow --json prints a change of any field it shows, and nothing on an idle second",
	"[tool]")
{
	// The fake daemon's getinfo names the quorum device "qa" until poke 1
	// renames it "qb" (corosync sends no notification for that: only the
	// monitor's once-a-second getinfo sees it); poke 2 sends a nodelist
	// notification whose ring id differs from the first in its node id
	// alone. Neither shows in the Prometheus text, which the monitor once
	// compared instead of its state.
	auto renamed = std::make_shared<bool>(false);
	CannedDaemon daemon = three_members();
	daemon.info = getinfo_reply(CS_OK, 1, "qa");
	FakeServer server(
		[daemon, renamed](Peer& peer, int32_t id, std::span<const std::byte> request) {
			if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO && *renamed) {
				CannedDaemon d = daemon;
				d.info = getinfo_reply(CS_OK, 1, "qb");
				d(peer, id, request);
				return;
			}
			daemon(peer, id, request);
		},
		[daemon, renamed](Peer& peer, int code) {
			if (code == 1) {
				*renamed = true;
			} else {
				send_bytes_event(peer, nodelist_event(1, {2, daemon.ring.seq}, daemon.members));
			}
		});
	FollowedMonitor monitor("--follow --json --timeout 2000");
	const auto first = monitor.next_line(5000);
	REQUIRE(first.has_value());
	const auto j0 = nlohmann::json::parse(*first);
	CHECK(j0["ring_id"] == "1.9");
	CHECK(j0["qdevice"]["name"] == "qa");

	server.poke(2);
	const auto ring_line = monitor.next_line(3000);
	REQUIRE(ring_line.has_value());  // a ring id whose node id alone changed is a change
	const auto j1 = nlohmann::json::parse(*ring_line);
	CHECK(j1["cause"] == "membership");
	CHECK(j1["ring_id"] == "2.9");

	server.poke(1);
	const auto name_line = monitor.next_line(3000);  // the next refresh, within a second
	REQUIRE(name_line.has_value());
	const auto j2 = nlohmann::json::parse(*name_line);
	CHECK(j2["cause"] == "refresh");
	CHECK(j2["qdevice"]["name"] == "qb");

	// Nothing moves now: refreshes find the same state and print nothing.
	CHECK_FALSE(monitor.next_line(2500).has_value());
}
