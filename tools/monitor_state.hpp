// votequorum-monitor's model of the local node's quorum state, kept current
// from the daemon's notifications, and its renderings: text, JSON lines and
// the Prometheus text exposition format (version 0.0.4).
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

struct State {
	votequorum::NodeInfo local;
	std::vector<votequorum::Node> members;  // from the last quorum notification
	std::map<uint32_t, uint32_t> votes;     // per member, from getinfo
	std::map<uint32_t, std::vector<std::byte>> extra_info;  // per member that has some (ABI 1.1)
	std::map<uint32_t, std::string> names;  // corosync's nodelist (cmap): node id -> name
	std::vector<Ring> rings;                // the local node's knet links (cfg)
	bool have_rings = false;                // false: no cfg connection, no ring series
	bool qdevice_listed = false;            // a member's getinfo says a qdevice is registered
	votequorum::RingId ring;
	bool quorate = false;
	bool have_members = false, have_ring = false;
	std::string cause = "current state";
};

// The exporter's own health, shown beside (or, disconnected, instead of)
// the quorum series.
struct Health {
	bool up = false;                 // connected to corosync, state current
	uint64_t reconnects = 0;         // connections made after a lost one
	double last_change_seconds = 0;  // Unix time of the last change seen (0: none yet)
};

// Folds a notification into the state (refresh() then reads what the
// notification does not carry).
void apply(State& state, const votequorum::Event& event);

// Reads this node's getinfo, and each member's votes and extra info.
std::error_code refresh(const votequorum::Client& client, State& state);

std::string text(const State& s);
std::string json_line(const State& s);
// The Prometheus exposition: the health series always; with a state, the
// quorum series too, under our names (votequorum_*) and the names
// ClusterLabs' ha_cluster_exporter uses (ha_cluster_corosync_*).
std::string prometheus(const State* s, const Health& health);

}  // namespace monitor
