// The monitor's state and its renderings (see monitor_state.hpp).
#include "monitor_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <sstream>

namespace monitor {

namespace {

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

nlohmann::json to_json(const Quorum& s, const std::string& cause)
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
		{"cause", cause},
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

}  // namespace

std::string text(const Quorum& s, const std::string& cause)
{
	const auto& i = s.local;
	std::ostringstream out;
	out << now_iso8601() << " " << cause << "\n"
	    << "  quorate:          " << (s.quorate ? "yes" : "no") << "\n"
	    << "  node id:          " << i.node_id << "\n"
	    << "  ring id:          " << ring_text(s.ring) << "\n"
	    << "  expected votes:   " << i.expected_votes << " (highest " << i.highest_expected << ")\n"
	    << "  total votes:      " << i.total_votes << "\n"
	    << "  quorum:           " << i.quorum << "\n"
	    << "  flags:           ";
	for (const auto& f : flag_names(i.flags)) {
		out << " " << f;
	}
	out << "\n  qdevice:          ";
	if (i.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED) {
		out << i.qdevice_name << ", " << i.qdevice_votes << " vote(s)"
		    << ((i.flags & VOTEQUORUM_INFO_QDEVICE_ALIVE) ? ", alive" : ", not alive") << "\n";
	} else {
		out << "none\n";
	}
	out << "  members:\n";
	for (const auto& m : s.members) {
		out << "    node " << m.nodeid << ": " << state_name(m.state);
		if (auto v = s.votes.find(m.nodeid); v != s.votes.end()) {
			out << ", " << v->second << " vote(s)";
		}
		if (auto e = s.extra_info.find(m.nodeid); e != s.extra_info.end()) {
			const ExtraInfoText t = describe(e->second);
			out << ", extra info " << (t.printable ? "\"" + t.value + "\"" : "0x" + t.value) << " ("
			    << e->second.size() << " bytes)";
		}
		out << "\n";
	}
	return out.str();
}

std::string json_line(const Quorum& s, const std::string& cause)
{
	return to_json(s, cause).dump() + "\n";
}

namespace {

// Writes one metric family: HELP and TYPE lines, then the samples.
class Exposition {
public:
	void family(const char* name, const char* type, const char* help)
	{
		out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
	}
	template <class V>
	void sample(const char* name, V value, const std::string& labels = "")
	{
		out_ << name;
		if (!labels.empty()) {
			out_ << "{" << labels << "}";
		}
		out_ << " " << value << "\n";
	}
	template <class V>
	void gauge(const char* name, const char* help, V value)
	{
		family(name, "gauge", help);
		sample(name, value);
	}
	std::string str() const { return out_.str(); }

private:
	std::ostringstream out_;
};

std::string label(const char* name, const std::string& value)
{
	return std::string(name) + "=\"" + label_value(value) + "\"";
}

}  // namespace

std::string prometheus(const State* s, const Health& health)
{
	Exposition x;
	x.gauge("votequorum_up", "1 while the exporter is connected to corosync and its state is current.", health.up ? 1 : 0);
	x.family("votequorum_reconnects_total", "counter", "Connections to corosync made after one was lost.");
	x.sample("votequorum_reconnects_total", health.reconnects);
	x.gauge("votequorum_last_change_timestamp_seconds", "Unix time of the last change seen (a notification, a connection made or lost).",
		static_cast<uint64_t>(health.last_change_seconds));
	if (s == nullptr) {
		return x.str();  // no quorum series while disconnected: they would be stale
	}
	const Quorum& q = s->quorum;
	const Topology& t = s->topology;
	const auto& i = q.local;
	const bool qdevice = i.flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED;
	x.gauge("votequorum_quorate", "1 if the local node's partition is quorate.", q.quorate ? 1 : 0);
	x.gauge("votequorum_node_id", "The local node id.", i.node_id);
	x.gauge("votequorum_expected_votes", "Expected votes.", i.expected_votes);
	x.gauge("votequorum_highest_expected_votes", "Highest expected votes in the cluster.", i.highest_expected);
	x.gauge("votequorum_total_votes", "Votes present.", i.total_votes);
	x.gauge("votequorum_quorum", "Votes needed for quorum.", i.quorum);
	x.gauge("votequorum_ring_seq", "Sequence number of the current ring id.", q.ring.seq);
	x.gauge("votequorum_qdevice_registered", "1 if a quorum device is registered.", qdevice ? 1 : 0);
	x.gauge("votequorum_qdevice_alive", "1 if the registered quorum device is alive.", (i.flags & VOTEQUORUM_INFO_QDEVICE_ALIVE) ? 1 : 0);
	x.gauge("votequorum_qdevice_cast_vote", "1 if the quorum device casts its vote.", (i.flags & VOTEQUORUM_INFO_QDEVICE_CAST_VOTE) ? 1 : 0);
	x.gauge("votequorum_qdevice_votes", "Votes of the quorum device.", i.qdevice_votes);
	x.family("votequorum_flag", "gauge", "1 for each votequorum flag that is set.");
	for (const auto& f : flag_names(i.flags)) {
		x.sample("votequorum_flag", 1, label("flag", f));
	}
	x.family("votequorum_member_votes", "gauge", "Votes of each member, by node id and state.");
	for (const auto& m : q.members) {
		auto v = q.votes.find(m.nodeid);
		x.sample("votequorum_member_votes", v != q.votes.end() ? v->second : 0,
			label("nodeid", std::to_string(m.nodeid)) + "," + label("state", state_name(m.state)));
	}
	x.family("votequorum_member_extra_info_bytes", "gauge", "Size of each member's qdevice extra info (0: none).");
	for (const auto& m : q.members) {
		auto e = q.extra_info.find(m.nodeid);
		x.sample("votequorum_member_extra_info_bytes", e != q.extra_info.end() ? e->second.size() : 0,
			label("nodeid", std::to_string(m.nodeid)));
	}
	x.family("votequorum_member_extra_info", "gauge", "A member's qdevice extra info, as text or hex, in a label.");
	for (const auto& [nodeid, data] : q.extra_info) {
		const ExtraInfoText e = describe(data);
		x.sample("votequorum_member_extra_info", 1, label("nodeid", std::to_string(nodeid)) + "," + label(e.printable ? "text" : "hex", e.value));
	}

	// The same facts under ha_cluster_exporter's names and labels, so that
	// its dashboards and alerts work unchanged (the help texts are ours).
	x.gauge("ha_cluster_corosync_quorate", "1 if this node's partition has quorum, else 0 (ha_cluster_exporter's name).", q.quorate ? 1 : 0);
	x.family("ha_cluster_corosync_quorum_votes", "gauge", "The vote counts of votequorum, by kind in the type label (ha_cluster_exporter's name).");
	x.sample("ha_cluster_corosync_quorum_votes", i.expected_votes, label("type", "expected_votes"));
	x.sample("ha_cluster_corosync_quorum_votes", i.highest_expected, label("type", "highest_expected"));
	x.sample("ha_cluster_corosync_quorum_votes", i.quorum, label("type", "quorum"));
	x.sample("ha_cluster_corosync_quorum_votes", i.total_votes, label("type", "total_votes"));
	// The members as corosync-quorumtool lists them (what ha_cluster_exporter
	// parses): the current members only, then the qdevice's row when any
	// member has one registered, with its votes only while it casts them.
	x.family("ha_cluster_corosync_member_votes", "gauge", "Votes each member gives to the current quorum (ha_cluster_exporter's name and labels).");
	for (const auto& m : q.members) {
		if (m.state != VOTEQUORUM_NODESTATE_MEMBER || m.nodeid == VOTEQUORUM_QDEVICE_NODEID) {
			continue;
		}
		auto v = q.votes.find(m.nodeid);
		auto n = t.names.find(m.nodeid);
		const std::string name = n != t.names.end() ? n->second : std::to_string(m.nodeid);
		x.sample("ha_cluster_corosync_member_votes", v != q.votes.end() ? v->second : 0,
			label("local", m.nodeid == i.node_id ? "true" : "false") + "," + label("node", name) + "," +
				label("node_id", std::to_string(m.nodeid)));
	}
	if (q.qdevice_listed) {
		x.sample("ha_cluster_corosync_member_votes", (i.flags & VOTEQUORUM_INFO_QDEVICE_CAST_VOTE) ? i.qdevice_votes : 0,
			label("local", "false") + "," + label("node", i.qdevice_name) + "," +
				label("node_id", std::to_string(VOTEQUORUM_QDEVICE_NODEID)));
	}
	if (t.have_rings) {
		// One ring per knet link of this node (see Ring); the ring id as
		// corosync-quorumtool prints it.
		std::size_t errors = 0;
		for (const auto& r : t.rings) {
			errors += r.healthy ? 0 : 1;
		}
		x.gauge("ha_cluster_corosync_ring_errors", "Rings (knet links of this node) down to a current member (ha_cluster_exporter's name).", errors);
		x.family("ha_cluster_corosync_rings", "gauge", "1 while this knet link is connected to every current member, else 0 (ha_cluster_exporter's name and labels).");
		for (const auto& r : t.rings) {
			x.sample("ha_cluster_corosync_rings", r.healthy ? 1 : 0,
				label("address", r.address) + "," + label("node_id", std::to_string(i.node_id)) + "," +
					label("number", std::to_string(r.number)) + "," + label("ring_id", ring_text(q.ring)));
		}
	}
	return x.str();
}

const char* apply(Quorum& quorum, const votequorum::Event& event)
{
	if (auto* q = std::get_if<votequorum::QuorumEvent>(&event)) {
		quorum.quorate = q->quorate;
		quorum.members.clear();
		for (const auto& n : q->nodes) {
			quorum.members.push_back({n.nodeid, n.state});
		}
		quorum.have_members = true;
		return "quorum";
	}
	if (auto* n = std::get_if<votequorum::NodelistEvent>(&event)) {
		quorum.ring = n->ring;
		quorum.have_ring = true;
		return "membership";
	}
	if (std::holds_alternative<votequorum::ExpectedVotesEvent>(event)) {
		return "expected votes";
	}
	return "extra info";  // refresh() reads every member's anew
}

std::error_code refresh(const votequorum::Client& client, Quorum& quorum)
{
	auto info = client.info(0);
	if (!info) {
		return info.error();
	}
	quorum.local = *info;
	quorum.votes.clear();
	quorum.extra_info.clear();
	quorum.qdevice_listed = false;
	for (const auto& m : quorum.members) {
		if (m.nodeid == VOTEQUORUM_QDEVICE_NODEID) {
			// The qdevice's entry; getinfo of node 0 would be this node's.
			quorum.votes[m.nodeid] = quorum.local.qdevice_votes;
			continue;
		}
		if (auto mi = client.info(m.nodeid)) {
			quorum.votes[m.nodeid] = mi->votes;
			if (m.state == VOTEQUORUM_NODESTATE_MEMBER && (mi->flags & VOTEQUORUM_INFO_QDEVICE_REGISTERED)) {
				quorum.qdevice_listed = true;
			}
		}
		// ABI 1.1; corosync 3.1 refuses the request, and has none.
		if (auto ei = client.extra_info(m.nodeid); ei && !ei->empty()) {
			quorum.extra_info[m.nodeid] = std::move(ei.value());
		}
	}
	return {};
}

std::string freshness(double names_age, std::optional<double> rings_age)
{
	Exposition x;
	x.gauge("votequorum_names_age_seconds",
		"Seconds since the node names (the node label of ha_cluster_corosync_member_votes) were last read, from cmap "
		"or else corosync.conf; it grows while corosync holds cmap's requests.",
		names_age);
	if (rings_age) {
		x.gauge("votequorum_rings_age_seconds",
			"Seconds since the ring series were last read from cfg; it grows while corosync holds cfg's requests.",
			*rings_age);
	}
	return x.str();
}

}  // namespace monitor
