// Node names (cmap) and this node's rings (cfg), read on a thread of their
// own. corosync holds the requests of every service but votequorum while it
// synchronises after a membership change, for as long as the sync lasts (with
// a quorum device, until the qdevices poll again: up to
// quorum.device.sync_timeout, 30 s by default), and libcmap and libcfg wait
// for a reply with no time limit. Here such a wait delays only the names and
// the ring series, and the freshness series say how old those are; the
// votequorum state (QuorumTracker) never waits behind them.
#pragma once

#include "monitor_state.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace monitor {

class TopologyReader {
public:
	// Starts the thread. Names come from cmap, else from the nodelist of
	// `corosync_conf`; rings from cfg, else there are none. Each
	// connection is made again, a second apart, while it cannot be made.
	explicit TopologyReader(std::string corosync_conf);
	// Stops the thread: joined when it ends within a second, else left to
	// end with the process (it is inside a request corosync holds; it owns
	// everything it touches).
	~TopologyReader();
	TopologyReader(const TopologyReader&) = delete;
	TopologyReader& operator=(const TopologyReader&) = delete;

	// Readable when a topology not taken yet is ready (level-triggered).
	int fd() const;
	// The latest topology; fd() is not readable after this until the next.
	Topology take();
	// What the rings are read for: this node's id and the current members.
	// The thread reads them anew at once when these changed.
	void want(uint32_t local, const std::vector<Member>& members);
	// The freshness series now (monitor::freshness): for a scrape.
	std::string freshness() const;

private:
	struct Shared;
	std::shared_ptr<Shared> shared_;
	std::thread thread_;
};

}  // namespace monitor
