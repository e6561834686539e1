// Node names for the ha_cluster_corosync_member_votes "node" label when
// corosync's cmap service cannot be reached (corosync_services.hpp reads
// them from cmap otherwise): the nodelist of corosync's configuration file
// (each node's `name`, else its `ring0_addr`).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace monitor {

// The nodelist of the corosync.conf at `path`: node id -> name. Empty when
// the file cannot be read or has no nodelist (callers fall back to ids).
std::map<uint32_t, std::string> read_node_names(const std::string& path);

}  // namespace monitor
