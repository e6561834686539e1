// votequorum-monitor: the local node's quorum state, once or as it changes,
// as text, JSON lines or Prometheus text exposition. Built on the
// votequorum C++ API. Exit status: 0 quorate, 1 not quorate, 2 cannot talk
// to corosync, 3 bad usage.
#include <votequorum/client.hpp>

#include <nlohmann/json.hpp>

#include <getopt.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace {

enum class Format { text, json, prometheus };

struct State {
	votequorum::NodeInfo local;
	std::vector<votequorum::Node> members;  // from the last quorum notification
	std::map<uint32_t, uint32_t> votes;     // per member, from getinfo
	std::map<uint32_t, std::vector<std::byte>> extra_info;  // per member that has some (ABI 1.1)
	votequorum::RingId ring;
	bool quorate = false;
	bool have_members = false, have_ring = false;
	std::string cause = "current state";
};

const char* state_name(uint32_t state)
{
	switch (state) {
	case VOTEQUORUM_NODESTATE_MEMBER: return "member";
	case VOTEQUORUM_NODESTATE_DEAD: return "dead";
	case VOTEQUORUM_NODESTATE_LEAVING: return "leaving";
	default: return "unknown";
	}
}

std::vector<std::string> flag_names(uint32_t flags)
{
	static const std::pair<uint32_t, const char*> names[] = {
		{VOTEQUORUM_INFO_TWONODE, "two_node"}, {VOTEQUORUM_INFO_QUORATE, "quorate"},
		{VOTEQUORUM_INFO_WAIT_FOR_ALL, "wait_for_all"}, {VOTEQUORUM_INFO_LAST_MAN_STANDING, "last_man_standing"},
		{VOTEQUORUM_INFO_AUTO_TIE_BREAKER, "auto_tie_breaker"}, {VOTEQUORUM_INFO_ALLOW_DOWNSCALE, "allow_downscale"},
		{VOTEQUORUM_INFO_QDEVICE_REGISTERED, "qdevice_registered"}, {VOTEQUORUM_INFO_QDEVICE_ALIVE, "qdevice_alive"},
		{VOTEQUORUM_INFO_QDEVICE_CAST_VOTE, "qdevice_cast_vote"}, {VOTEQUORUM_INFO_QDEVICE_MASTER_WINS, "qdevice_master_wins"},
		{VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO, "qdevice_has_extra_info"}};
	std::vector<std::string> out;
	for (const auto& [bit, name] : names) {
		if (flags & bit) {
			out.emplace_back(name);
		}
	}
	return out;
}

std::string ring_text(const votequorum::RingId& ring)
{
	char buf[48];
	std::snprintf(buf, sizeof buf, "%x.%llx", ring.nodeid, static_cast<unsigned long long>(ring.seq));
	return buf;
}

std::string now_iso8601()
{
	char buf[32];
	std::time_t t = std::time(nullptr);
	std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
	return buf;
}

// A qdevice's extra info as people read it: text when every byte is
// printable (one trailing NUL, as corosync-quorumtool -X sets, is allowed
// and not shown), else hex.
struct ExtraInfoText {
	bool printable;
	std::string value;  // the text, or lower-case hex digits
};

ExtraInfoText describe(const std::vector<std::byte>& data)
{
	std::size_t n = data.size();
	if (n > 0 && data[n - 1] == std::byte{0}) {
		--n;
	}
	bool printable = n > 0;
	for (std::size_t k = 0; k < n && printable; ++k) {
		const auto c = std::to_integer<unsigned char>(data[k]);
		printable = c >= 0x20 && c < 0x7f;
	}
	if (printable) {
		return {true, std::string(reinterpret_cast<const char*>(data.data()), n)};
	}
	static const char digits[] = "0123456789abcdef";
	std::string hex;
	for (std::byte b : data) {
		const auto c = std::to_integer<unsigned char>(b);
		hex += digits[c >> 4];
		hex += digits[c & 15];
	}
	return {false, hex};
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string label_value(const std::string& raw)
{
	std::string out;
	for (char c : raw) {
		if (c == '\\' || c == '"') {
			out += '\\';
			out += c;
		} else if (c == '\n') {
			out += "\\n";
		} else {
			out += c;
		}
	}
	return out;
}

nlohmann::json to_json(const State& s)
{
	nlohmann::json members = nlohmann::json::array();
	for (const auto& m : s.members) {
		nlohmann::json member = {{"nodeid", m.nodeid}, {"state", state_name(m.state)}};
		if (auto v = s.votes.find(m.nodeid); v != s.votes.end()) {
			member["votes"] = v->second;
		}
		if (auto e = s.extra_info.find(m.nodeid); e != s.extra_info.end()) {
			const ExtraInfoText t = describe(e->second);
			member["extra_info"] = {{"size", e->second.size()}, {t.printable ? "text" : "hex", t.value}};
		}
		members.push_back(member);
	}
	const auto& i = s.local;
	return {
		{"time", now_iso8601()},
		{"cause", s.cause},
		{"quorate", s.quorate},
		{"node_id", i.node_id},
		{"expected_votes", i.expected_votes},
		{"highest_expected", i.highest_expected},
		{"total_votes", i.total_votes},
		{"quorum", i.quorum},
		{"flags", flag_names(i.flags)},
		{"ring_id", ring_text(s.ring)},
		{"members", members},
		{"qdevice",
			{{"registered", (i.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) != 0},
				{"name", i.qdevice_name},
				{"votes", i.qdevice_votes},
				{"alive", (i.flags & VOTEQUORUM_INFO_QDEVICE_ALIVE) != 0},
				{"cast_vote", (i.flags & VOTEQUORUM_INFO_QDEVICE_CAST_VOTE) != 0}}},
	};
}

void print_text(const State& s)
{
	const auto& i = s.local;
	std::cout << now_iso8601() << " " << s.cause << "\n"
	          << "  quorate:          " << (s.quorate ? "yes" : "no") << "\n"
	          << "  node id:          " << i.node_id << "\n"
	          << "  ring id:          " << ring_text(s.ring) << "\n"
	          << "  expected votes:   " << i.expected_votes << " (highest " << i.highest_expected << ")\n"
	          << "  total votes:      " << i.total_votes << "\n"
	          << "  quorum:           " << i.quorum << "\n"
	          << "  flags:           ";
	for (const auto& f : flag_names(i.flags)) {
		std::cout << " " << f;
	}
	std::cout << "\n  qdevice:          ";
	if (i.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) {
		std::cout << i.qdevice_name << ", " << i.qdevice_votes << " vote(s)"
		          << ((i.flags & VOTEQUORUM_INFO_QDEVICE_ALIVE) ? ", alive" : ", not alive") << "\n";
	} else {
		std::cout << "none\n";
	}
	std::cout << "  members:\n";
	for (const auto& m : s.members) {
		auto v = s.votes.find(m.nodeid);
		std::cout << "    node " << m.nodeid << ": " << state_name(m.state);
		if (v != s.votes.end()) {
			std::cout << ", " << v->second << " vote(s)";
		}
		if (auto e = s.extra_info.find(m.nodeid); e != s.extra_info.end()) {
			const ExtraInfoText t = describe(e->second);
			std::cout << ", extra info " << (t.printable ? "\"" + t.value + "\"" : "0x" + t.value) << " ("
			          << e->second.size() << " bytes)";
		}
		std::cout << "\n";
	}
	std::cout << std::flush;
}

void print_prometheus(const State& s)
{
	const auto& i = s.local;
	auto gauge = [](const char* name, const char* help, auto value) {
		std::cout << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n" << name << " " << value << "\n";
	};
	gauge("votequorum_quorate", "1 if the local node's partition is quorate.", s.quorate ? 1 : 0);
	gauge("votequorum_node_id", "The local node id.", i.node_id);
	gauge("votequorum_expected_votes", "Expected votes.", i.expected_votes);
	gauge("votequorum_highest_expected_votes", "Highest expected votes in the cluster.", i.highest_expected);
	gauge("votequorum_total_votes", "Votes present.", i.total_votes);
	gauge("votequorum_quorum", "Votes needed for quorum.", i.quorum);
	gauge("votequorum_ring_seq", "Sequence number of the current ring id.", s.ring.seq);
	gauge("votequorum_qdevice_registered", "1 if a quorum device is registered.", (i.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) ? 1 : 0);
	gauge("votequorum_qdevice_votes", "Votes of the quorum device.", i.qdevice_votes);
	std::cout << "# HELP votequorum_flag 1 for each votequorum flag that is set.\n# TYPE votequorum_flag gauge\n";
	for (const auto& f : flag_names(i.flags)) {
		std::cout << "votequorum_flag{flag=\"" << f << "\"} 1\n";
	}
	std::cout << "# HELP votequorum_member_votes Votes of each member, by node id and state.\n# TYPE votequorum_member_votes gauge\n";
	for (const auto& m : s.members) {
		auto v = s.votes.find(m.nodeid);
		std::cout << "votequorum_member_votes{nodeid=\"" << m.nodeid << "\",state=\"" << state_name(m.state) << "\"} "
		          << (v != s.votes.end() ? v->second : 0) << "\n";
	}
	std::cout << "# HELP votequorum_member_extra_info_bytes Size of each member's qdevice extra info (0: none).\n"
	             "# TYPE votequorum_member_extra_info_bytes gauge\n";
	for (const auto& m : s.members) {
		auto e = s.extra_info.find(m.nodeid);
		std::cout << "votequorum_member_extra_info_bytes{nodeid=\"" << m.nodeid << "\"} "
		          << (e != s.extra_info.end() ? e->second.size() : 0) << "\n";
	}
	std::cout << "# HELP votequorum_member_extra_info A member's qdevice extra info, as text or hex, in a label.\n"
	             "# TYPE votequorum_member_extra_info gauge\n";
	for (const auto& [nodeid, data] : s.extra_info) {
		const ExtraInfoText t = describe(data);
		std::cout << "votequorum_member_extra_info{nodeid=\"" << nodeid << "\"," << (t.printable ? "text" : "hex")
		          << "=\"" << label_value(t.value) << "\"} 1\n";
	}
	std::cout << std::flush;
}

void print(const State& s, Format format)
{
	switch (format) {
	case Format::text: print_text(s); break;
	case Format::json: std::cout << to_json(s).dump() << std::endl; break;
	case Format::prometheus: print_prometheus(s); break;
	}
}

int usage(int status)
{
	(status ? std::cerr : std::cout)
		<< "usage: votequorum-monitor [--once | --follow] [--json | --prometheus] [--timeout MS]\n"
		   "  --once        print the current state and exit (default)\n"
		   "  --follow      print the state again after every change, until killed\n"
		   "  --json        one JSON object per line\n"
		   "  --prometheus  Prometheus text exposition (for a textfile collector)\n"
		   "  --timeout MS  give up on corosync after MS milliseconds (default 5000)\n"
		   "exit status: 0 quorate, 1 not quorate, 2 cannot talk to corosync, 3 usage\n";
	return status;
}

// The command line: the options, or the exit status to end with (0 for
// --help, 3 for bad usage) after the usage text.
struct Options {
	bool follow = false;
	Format format = Format::text;
	int timeout_ms = 5000;
};

std::variant<Options, int> parse_options(int argc, char** argv)
{
	Options o;
	static const option long_options[] = {{"once", no_argument, nullptr, 'o'}, {"follow", no_argument, nullptr, 'f'},
		{"json", no_argument, nullptr, 'j'}, {"prometheus", no_argument, nullptr, 'p'},
		{"timeout", required_argument, nullptr, 't'}, {"help", no_argument, nullptr, 'h'}, {nullptr, 0, nullptr, 0}};
	for (int c; (c = getopt_long(argc, argv, "ofjpt:h", long_options, nullptr)) != -1;) {
		switch (c) {
		case 'o': o.follow = false; break;
		case 'f': o.follow = true; break;
		case 'j': o.format = Format::json; break;
		case 'p': o.format = Format::prometheus; break;
		case 't': o.timeout_ms = std::atoi(optarg); break;
		case 'h': return usage(0);
		default: return usage(3);
		}
	}
	if (optind != argc || o.timeout_ms <= 0) {
		return usage(3);
	}
	return o;
}

// Exit status 2, with what failed and why.
int fail(const char* what, std::error_code ec)
{
	std::cerr << "votequorum-monitor: " << what << ": " << ec.message()
	          << (ec == CS_ERR_LIBRARY ? " (is corosync running?)" : "") << "\n";
	return 2;
}

// Folds an event into the state; returns true (something changed).
bool apply(State& state, const votequorum::Event& event)
{
	if (auto* q = std::get_if<votequorum::QuorumEvent>(&event)) {
		state.quorate = q->quorate;
		state.members.assign(q->nodes.begin(), q->nodes.end());
		state.have_members = true;
		state.cause = "quorum";
	} else if (auto* n = std::get_if<votequorum::NodelistEvent>(&event)) {
		state.ring = n->ring;
		state.have_ring = true;
		state.cause = "membership";
	} else if (std::holds_alternative<votequorum::ExpectedVotesEvent>(event)) {
		state.cause = "expected votes";
	} else if (std::holds_alternative<votequorum::ExtraInfoEvent>(event)) {
		state.cause = "extra info";  // refresh() reads every member's anew
	}
	return true;
}

// Reads this node's getinfo, and each member's votes and extra info.
std::error_code refresh(const votequorum::Client& client, State& state)
{
	auto info = client.info(0);
	if (!info) {
		return info.error();
	}
	state.local = *info;
	state.votes.clear();
	state.extra_info.clear();
	for (const auto& m : state.members) {
		if (auto mi = client.info(m.nodeid)) {
			state.votes[m.nodeid] = mi->votes;
		}
		if (m.nodeid == VOTEQUORUM_QDEVICE_NODEID) {
			continue;  // the qdevice's own entry
		}
		// ABI 1.1; corosync 3.1 refuses the request, and has none.
		if (auto ei = client.extra_info(m.nodeid); ei && !ei->empty()) {
			state.extra_info[m.nodeid] = std::move(ei.value());
		}
	}
	return {};
}

// Connects, prints the current state, and with --follow every change.
int run(const Options& o)
{
	State state;
	bool changed = false;
	const std::chrono::milliseconds timeout(o.timeout_ms);
	auto connected = votequorum::Client::connect(
		[&](const votequorum::Event& event) { changed = apply(state, event); }, {timeout, timeout});
	if (!connected) {
		return fail("cannot connect to corosync's votequorum service", connected.error());
	}
	votequorum::Client& client = connected.value();
	if (auto ec = client.track(1, CS_TRACK_CURRENT | (o.follow ? CS_TRACK_CHANGES : 0))) {
		return fail("trackstart", ec);
	}
	pollfd p{client.fd(), POLLIN, 0};
	// The current state comes as a nodelist and a quorum notification.
	while (!(state.have_members && state.have_ring)) {
		if (poll(&p, 1, o.timeout_ms) != 1) {
			return fail("waiting for the current state", make_error_code(CS_ERR_TIMEOUT));
		}
		if (auto ec = client.dispatch(CS_DISPATCH_ALL)) {
			return fail("dispatch", ec);
		}
	}
	state.cause = "current state";
	if (auto ec = refresh(client, state)) {
		return fail("getinfo", ec);
	}
	print(state, o.format);
	while (o.follow) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			return fail("poll", std::error_code(errno, std::generic_category()));
		}
		changed = false;
		if (auto ec = client.dispatch(CS_DISPATCH_ALL)) {
			return fail("dispatch (corosync gone?)", ec);
		}
		if (changed) {
			if (auto ec = refresh(client, state)) {
				return fail("getinfo", ec);
			}
			print(state, o.format);
		}
	}
	return state.quorate ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
	auto parsed = parse_options(argc, argv);
	if (const int* status = std::get_if<int>(&parsed)) {
		return *status;
	}
	return run(std::get<Options>(parsed));
}
