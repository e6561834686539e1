// The monitor's clients of two more corosync services, through the libraries
// Debian ships (libcmap, libcfg; linked into the monitor only):
//   - cmap: the nodelist (node id -> name), tracked so that a config reload
//     that renames, adds or removes a node is seen at once;
//   - cfg: each node's knet link status, from which the rings are made.
// Both are called from the monitor's own loop, never from a scrape.
#pragma once

#include <corosync/cfg.h>
#include <corosync/cmap.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace monitor {

// One ring as ha_cluster_exporter names it. On knet a ring is one of the
// local node's links (its link number): `address` is the local address on
// that link, and it is healthy while the link is connected to every other
// current member (a link down to a member is what a FAULTY ring was under
// the old redundant ring protocol; a dead node is not a member, so the
// links to it do not count).
struct Ring {
	unsigned number = 0;
	std::string address;
	bool healthy = true;

	bool operator==(const Ring&) const = default;
};

// The rings of node `local` from the link status of the nodes of its
// nodelist (`status`, any order; the local node's own entry, if present, is
// used only when it is the only node) and the current `members`: one ring per
// link number enabled towards some node, its address the local end of that
// link.
std::vector<Ring> make_rings(
	uint32_t local, const std::vector<corosync_cfg_node_status_v1>& status, const std::vector<uint32_t>& members);

// The cmap connection: the nodelist, and a notification when it changes.
class CmapNodelist {
public:
	CmapNodelist() = default;
	~CmapNodelist();
	CmapNodelist(const CmapNodelist&) = delete;
	CmapNodelist& operator=(const CmapNodelist&) = delete;

	// Connects and tracks the nodelist.node. prefix.
	cs_error_t open();
	int fd() const { return fd_; }
	// Takes the notifications; `changed` says whether the nodelist moved.
	cs_error_t dispatch(bool& changed);
	// The nodelist now: node id -> name (the node's `name`, else its
	// ring0_addr).
	cs_error_t read(std::map<uint32_t, std::string>& names) const;

private:
	static void notify(cmap_handle_t, cmap_track_handle_t, int32_t, const char*, cmap_notify_value, cmap_notify_value,
		void* self);
	cmap_handle_t handle_ = 0;
	cmap_track_handle_t track_ = 0;
	int fd_ = -1;
	bool changed_ = false;
};

// The cfg connection: the local node's links.
class CfgLinks {
public:
	CfgLinks() = default;
	~CfgLinks();
	CfgLinks(const CfgLinks&) = delete;
	CfgLinks& operator=(const CfgLinks&) = delete;

	cs_error_t open();
	// The rings (see Ring) of node `local`, from the link status of each
	// node in `nodelist`; `members` are the current members. Nodes whose
	// status corosync does not give are skipped; a transport without link
	// status (not knet) gives no rings.
	cs_error_t read(uint32_t local, const std::vector<uint32_t>& nodelist, const std::vector<uint32_t>& members,
		std::vector<Ring>& rings) const;

private:
	corosync_cfg_handle_t handle_ = 0;
	bool open_ = false;
};

}  // namespace monitor
