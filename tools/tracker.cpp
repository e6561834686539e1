// The monitor's votequorum connection (see tracker.hpp).
#include "tracker.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace monitor {

namespace {

// How often the whole state is read anew, notification or not. A dozen
// local IPC requests a second on 3 nodes.
constexpr std::chrono::milliseconds kRefresh{1000};

}  // namespace

std::string describe(const Failure& f)
{
	return std::string(f.what) + ": " + f.ec.message() + (f.ec == CS_ERR_LIBRARY ? " (is corosync running?)" : "");
}

std::optional<Failure> QuorumTracker::open(bool changes, int stop_fd)
{
	auto connected = votequorum::Client::connect(
		[this](const votequorum::Event& event) { cause_ = apply(quorum_, event); }, {timeout_, timeout_});
	if (!connected) {
		return Failure{"cannot connect to corosync's votequorum service", connected.error()};
	}
	client_.emplace(std::move(connected.value()));
	if (auto ec = client_->track(1, CS_TRACK_CURRENT | (changes ? CS_TRACK_CHANGES : 0))) {
		return Failure{"trackstart", ec};
	}
	// The current state comes as a nodelist and a quorum notification.
	while (!(quorum_.have_members && quorum_.have_ring)) {
		pollfd p[2] = {{client_->fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
		const int n = poll(p, 2, static_cast<int>(timeout_.count()));
		if (n == 0) {
			return Failure{"waiting for the current state", make_error_code(CS_ERR_TIMEOUT)};
		}
		if (n < 0 || p[1].revents) {
			return Failure{"waiting for the current state", make_error_code(CS_ERR_INTERRUPT)};
		}
		if (auto ec = client_->dispatch(CS_DISPATCH_ALL)) {
			return Failure{"dispatch", ec};
		}
	}
	return read();
}

std::optional<Failure> QuorumTracker::read()
{
	last_read_ = std::chrono::steady_clock::now();
	if (auto ec = refresh(*client_, quorum_)) {
		return Failure{"getinfo", ec};
	}
	return std::nullopt;
}

Woke QuorumTracker::wait(int stop_fd, int other_fd)
{
	const auto next = last_read_ + kRefresh;
	const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now());
	pollfd p[3] = {{client_->fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}, {other_fd, POLLIN, 0}};
	const int n = poll(p, 3, static_cast<int>(std::max<long long>(0, left.count() + 1)));
	if (n < 0) {
		if (errno == EINTR) {
			return woke::Idle{};
		}
		return Failure{"poll", std::error_code(errno, std::generic_category())};
	}
	if (p[1].revents) {
		return woke::Stop{};
	}
	const Quorum before = quorum_;
	const char* cause = "refresh";
	if (p[0].revents) {
		cause_ = nullptr;
		if (auto ec = client_->dispatch(CS_DISPATCH_ALL)) {
			return Failure{"dispatch (corosync gone?)", ec};
		}
		if (cause_ != nullptr) {
			cause = cause_;
			if (auto f = read()) {
				return *f;
			}
		}
	}
	if (std::chrono::steady_clock::now() >= next) {
		if (auto f = read()) {
			return *f;
		}
	}
	if (quorum_ != before) {
		return woke::Changed{cause};
	}
	if (p[2].revents) {
		return woke::Other{};
	}
	return woke::Idle{};
}

}  // namespace monitor
