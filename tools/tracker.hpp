// The monitor's votequorum connection: it tracks the local node's quorum
// state from corosync's notifications and re-reads it every second (corosync
// does not notify every change: a quorum device starting or stopping to cast
// its vote moves total_votes silently). It talks to votequorum only, which
// corosync serves even while it synchronises after a membership change;
// names and rings come from TopologyReader, on a thread of its own, so that
// a request corosync holds there never delays this state.
#pragma once

#include "monitor_state.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <system_error>
#include <variant>

namespace monitor {

// What went wrong, for a message: the step and the error.
struct Failure {
	const char* what;
	std::error_code ec;
};
std::string describe(const Failure& f);

// What a wait ended with.
namespace woke {
struct Idle {};            // nothing moved (a refresh found the same state)
struct Changed {           // the quorum state moved
	const char* cause;     // "quorum", "membership", "expected votes", "extra info" or "refresh"
};
struct Stop {};            // the stop descriptor became readable
struct Other {};           // the other descriptor became readable (the caller reads it)
}  // namespace woke
using Woke = std::variant<woke::Idle, woke::Changed, woke::Stop, woke::Other, Failure>;

class QuorumTracker {
public:
	explicit QuorumTracker(std::chrono::milliseconds timeout) : timeout_(timeout) {}
	QuorumTracker(const QuorumTracker&) = delete;  // the client's handler points here
	QuorumTracker& operator=(const QuorumTracker&) = delete;

	// Connects, tracks (changes too when `changes`), and reads the current
	// state. `stop_fd` (or -1) ends the wait for it early: that is
	// CS_ERR_INTERRUPT.
	std::optional<Failure> open(bool changes, int stop_fd = -1);
	// Waits for a notification, the next refresh, `stop_fd` or `other_fd`
	// (each -1: none), and takes what came.
	Woke wait(int stop_fd, int other_fd);

	const Quorum& quorum() const { return quorum_; }

private:
	std::optional<Failure> read();

	std::chrono::milliseconds timeout_;
	std::optional<votequorum::Client> client_;
	Quorum quorum_;
	const char* cause_ = nullptr;  // the last notification dispatched, if any
	std::chrono::steady_clock::time_point last_read_;
};

}  // namespace monitor
