// votequorum-monitor's model of the local node's quorum state, kept current
// from the daemon's notifications, and its renderings: text, JSON lines and
// the Prometheus text exposition format (version 0.0.4). The state compares
// with ==: the monitor renders once per change, never on an idle second.
#pragma once

#include "corosync_services.hpp"

#include <votequorum/client.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace monitor {

// A member as the last quorum notification lists it.
struct Member {
	uint32_t nodeid = 0;
	uint32_t state = 0;  // VOTEQUORUM_NODESTATE_*

	bool operator==(const Member&) const = default;
};

// What votequorum says: its notifications, and getinfo of this node and of
// each member. Read on the monitor's main thread only (votequorum answers
// while corosync synchronises; no other service does).
struct Quorum {
	votequorum::NodeInfo local;
	std::vector<Member> members;
	std::map<uint32_t, uint32_t> votes;                     // per member, from getinfo
	std::map<uint32_t, std::vector<std::byte>> extra_info;  // per member that has some (ABI 1.1)
	bool qdevice_listed = false;                            // a member's getinfo says a qdevice is registered
	votequorum::RingId ring;
	bool quorate = false;
	bool have_members = false, have_ring = false;

	bool operator==(const Quorum&) const = default;
};

// What cmap and cfg say, read on a thread of their own (TopologyReader):
// node names and this node's rings.
struct Topology {
	std::map<uint32_t, std::string> names;  // corosync's nodelist (cmap, else corosync.conf): node id -> name
	std::vector<Ring> rings;                // the local node's knet links (cfg)
	bool have_rings = false;                // false: no cfg connection, no ring series

	bool operator==(const Topology&) const = default;
};

struct State {
	Quorum quorum;
	Topology topology;

	bool operator==(const State&) const = default;
};

// The exporter's own health, shown beside (or, disconnected, instead of)
// the quorum series.
struct Health {
	bool up = false;                 // connected to corosync, state current
	uint64_t reconnects = 0;         // connections made after a lost one
	double last_change_seconds = 0;  // Unix time of the last change seen (0: none yet)
};

// Folds a notification into the state (refresh() then reads what the
// notification does not carry), and says what it was.
const char* apply(Quorum& quorum, const votequorum::Event& event);

// Reads this node's getinfo, and each member's votes and extra info.
std::error_code refresh(const votequorum::Client& client, Quorum& quorum);

// The text and JSON renderings show votequorum's state only; `cause` says
// what changed it.
std::string text(const Quorum& q, const std::string& cause);
std::string json_line(const Quorum& q, const std::string& cause);
// The Prometheus exposition: the health series always; with a state, the
// quorum series too, under our names (votequorum_*) and the names
// ClusterLabs' ha_cluster_exporter uses (ha_cluster_corosync_*).
std::string prometheus(const State* s, const Health& health);
// How old the node names and the ring series are (seconds since each was
// last read; `rings_age` only while there are ring series): rendered when a
// scrape comes, after the rest, since the rest is rendered only when it
// changes.
std::string freshness(double names_age, std::optional<double> rings_age);

}  // namespace monitor
