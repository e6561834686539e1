// votequorum-monitor: the local node's quorum state, once or as it changes,
// as text, JSON lines or Prometheus text exposition; with --listen, a
// Prometheus exporter that keeps its state current from corosync's
// notifications and outlives corosync restarts. Built on the votequorum C++
// API. Exit status: 0 quorate, 1 not quorate, 2 cannot talk to corosync,
// 3 bad usage (with --listen: 0 after SIGTERM or SIGINT).
#include "metrics_server.hpp"
#include "monitor_state.hpp"
#include "node_names.hpp"

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

namespace {

using monitor::State;

enum class Format { text, json, prometheus };

int usage(int status)
{
	(status ? std::cerr : std::cout)
		<< "usage: votequorum-monitor [--once | --follow] [--json | --prometheus] [--timeout MS]\n"
		   "                          [--listen [ADDR:]PORT] [--corosync-conf FILE]\n"
		   "  --once        print the current state and exit (default)\n"
		   "  --follow      print the state again after every change, until killed\n"
		   "  --json        one JSON object per line\n"
		   "  --prometheus  Prometheus text exposition (for a textfile collector)\n"
		   "  --timeout MS  give up on corosync after MS milliseconds (default 5000)\n"
		   "  --listen [ADDR:]PORT\n"
		   "                serve GET /metrics over HTTP (ADDR defaults to 127.0.0.1) and run\n"
		   "                until SIGTERM, reconnecting to corosync whenever it is lost; prints\n"
		   "                nothing unless --follow is given too\n"
		   "  --corosync-conf FILE\n"
		   "                node names from this file when corosync's cmap service cannot be\n"
		   "                reached (default /etc/corosync/corosync.conf)\n"
		   "exit status: 0 quorate, 1 not quorate, 2 cannot talk to corosync, 3 usage\n";
	return status;
}

struct Options {
	bool follow = false;
	Format format = Format::text;
	int timeout_ms = 5000;
	std::optional<std::string> listen;
	std::string corosync_conf = "/etc/corosync/corosync.conf";
};

// The options, or the exit status to end with (0 for --help, 3 for bad
// usage) after the usage text.
std::variant<Options, int> parse_options(int argc, char** argv)
{
	Options o;
	if (const char* env = std::getenv("COROSYNC_MAIN_CONFIG_FILE")) {
		o.corosync_conf = env;  // as corosync itself reads it
	}
	static const option long_options[] = {{"once", no_argument, nullptr, 'o'}, {"follow", no_argument, nullptr, 'f'},
		{"json", no_argument, nullptr, 'j'}, {"prometheus", no_argument, nullptr, 'p'},
		{"timeout", required_argument, nullptr, 't'}, {"listen", required_argument, nullptr, 'l'},
		{"corosync-conf", required_argument, nullptr, 'c'}, {"help", no_argument, nullptr, 'h'},
		{nullptr, 0, nullptr, 0}};
	for (int c; (c = getopt_long(argc, argv, "ofjpt:l:c:h", long_options, nullptr)) != -1;) {
		switch (c) {
		case 'o': o.follow = false; break;
		case 'f': o.follow = true; break;
		case 'j': o.format = Format::json; break;
		case 'p': o.format = Format::prometheus; break;
		case 't': o.timeout_ms = std::atoi(optarg); break;
		case 'l': o.listen = optarg; break;
		case 'c': o.corosync_conf = optarg; break;
		case 'h': return usage(0);
		default: return usage(3);
		}
	}
	std::string host;
	int port;
	if (optind != argc || o.timeout_ms <= 0 || (o.listen && !monitor::parse_listen(*o.listen, host, port))) {
		return usage(3);
	}
	return o;
}

// How often the whole state is read anew, notification or not: corosync
// does not notify every change (a quorum device starting or stopping to
// cast its vote moves total_votes silently, and cfg has no notification
// for a link's state). A dozen local IPC requests a second on 3 nodes.
constexpr int kRefreshMs = 1000;

double now_seconds()
{
	using namespace std::chrono;
	return duration<double>(system_clock::now().time_since_epoch()).count();
}

// What went wrong, for a message: the step and the error.
struct Failure {
	const char* what;
	std::error_code ec;
};

std::string describe(const Failure& f)
{
	return std::string(f.what) + ": " + f.ec.message() + (f.ec == CS_ERR_LIBRARY ? " (is corosync running?)" : "");
}

std::error_code cs_error(cs_error_t err)
{
	return make_error_code(err);
}

// One connection to corosync's votequorum, cmap and cfg services that tracks
// the state. Not movable: the clients' handlers point into it.
class Tracker {
public:
	Tracker(const Options& o) : options_(o) {}
	Tracker(const Tracker&) = delete;
	Tracker& operator=(const Tracker&) = delete;

	// Connects, tracks (changes too when `changes`), and reads the current
	// state. `stop_fd` (or -1) ends a wait early: that is CS_ERR_INTERRUPT.
	std::optional<Failure> open(bool changes, int stop_fd = -1)
	{
		const std::chrono::milliseconds timeout(options_.timeout_ms);
		auto connected = votequorum::Client::connect(
			[this](const votequorum::Event& event) {
				monitor::apply(state_, event);
				changed_ = true;
			},
			{timeout, timeout});
		if (!connected) {
			return Failure{"cannot connect to corosync's votequorum service", connected.error()};
		}
		client_.emplace(std::move(connected.value()));
		if (auto ec = client_->track(1, CS_TRACK_CURRENT | (changes ? CS_TRACK_CHANGES : 0))) {
			return Failure{"trackstart", ec};
		}
		// The current state comes as a nodelist and a quorum notification.
		while (!(state_.have_members && state_.have_ring)) {
			pollfd p[2] = {{client_->fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
			const int n = poll(p, 2, options_.timeout_ms);
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
		// Names and links: without cmap, names from --corosync-conf; without
		// cfg, no ring series (both said once per connection).
		if (cs_error_t err = cmap_.open(); err != CS_OK) {
			std::cerr << "votequorum-monitor: cmap: " << describe(Failure{"connect", cs_error(err)})
				  << "; node names from " << options_.corosync_conf << "\n";
			have_cmap_ = false;
		}
		if (cs_error_t err = cfg_.open(); err != CS_OK) {
			std::cerr << "votequorum-monitor: cfg: " << describe(Failure{"connect", cs_error(err)}) << "; no ring series\n";
		} else {
			state_.have_rings = true;
		}
		if (auto f = read_names()) {
			return f;
		}
		state_.cause = "current state";
		return update();
	}

	// Waits for a notification, the next refresh, or `stop_fd` (-1: none),
	// and takes what came. `changed` says whether the state moved (then it
	// has been read anew); `stop` whether stop_fd became readable.
	std::optional<Failure> wait(int stop_fd, bool& changed, bool& stop)
	{
		changed = stop = false;
		const auto next = last_full_ + std::chrono::milliseconds(kRefreshMs);
		const int ms = static_cast<int>(std::max<long long>(0,
			std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now()).count() + 1));
		pollfd p[3] = {{client_->fd(), POLLIN, 0}, {have_cmap_ ? cmap_.fd() : -1, POLLIN, 0}, {stop_fd, POLLIN, 0}};
		const int n = poll(p, 3, ms);
		if (n < 0) {
			if (errno == EINTR) {
				return std::nullopt;
			}
			return Failure{"poll", std::error_code(errno, std::generic_category())};
		}
		if (p[2].revents) {
			stop = true;
			return std::nullopt;
		}
		const std::string before = monitor::prometheus(&state_, {});
		if (p[1].revents) {
			bool nodelist_changed = false;
			if (cs_error_t err = cmap_.dispatch(nodelist_changed); err != CS_OK) {
				return Failure{"cmap dispatch (corosync gone?)", cs_error(err)};
			}
			if (nodelist_changed) {
				if (auto f = read_names()) {
					return f;
				}
				state_.cause = "nodelist";
			}
		}
		if (p[0].revents) {
			changed_ = false;
			if (auto ec = client_->dispatch(CS_DISPATCH_ALL)) {
				return Failure{"dispatch (corosync gone?)", ec};
			}
			if (changed_) {
				if (auto f = update()) {
					return f;
				}
			}
		}
		if (std::chrono::steady_clock::now() >= next) {
			if (auto f = update()) {
				return f;
			}
		}
		changed = monitor::prometheus(&state_, {}) != before;
		if (changed && n == 0) {
			state_.cause = "refresh";
		}
		return std::nullopt;
	}

	const State& state() const { return state_; }

private:
	std::optional<Failure> update()
	{
		last_full_ = std::chrono::steady_clock::now();
		if (auto ec = monitor::refresh(*client_, state_)) {
			return Failure{"getinfo", ec};
		}
		if (!have_cmap_) {
			for (const auto& m : state_.members) {
				if (m.nodeid != VOTEQUORUM_QDEVICE_NODEID && !state_.names.count(m.nodeid)) {
					state_.names = monitor::read_node_names(options_.corosync_conf);  // a member not seen before
					break;
				}
			}
		}
		return read_links();
	}

	std::optional<Failure> read_names()
	{
		if (!have_cmap_) {
			state_.names = monitor::read_node_names(options_.corosync_conf);
			return std::nullopt;
		}
		if (cs_error_t err = cmap_.read(state_.names); err != CS_OK) {
			return Failure{"cmap nodelist (corosync gone?)", cs_error(err)};
		}
		return std::nullopt;
	}

	std::optional<Failure> read_links()
	{
		if (!state_.have_rings) {
			return std::nullopt;
		}
		std::vector<uint32_t> nodelist, members;
		for (const auto& [id, name] : state_.names) {
			nodelist.push_back(id);
		}
		for (const auto& m : state_.members) {
			if (m.state == VOTEQUORUM_NODESTATE_MEMBER) {
				members.push_back(m.nodeid);
				if (!state_.names.count(m.nodeid) && m.nodeid != VOTEQUORUM_QDEVICE_NODEID) {
					nodelist.push_back(m.nodeid);
				}
			}
		}
		if (cs_error_t err = cfg_.read(state_.local.node_id, nodelist, members, state_.rings); err != CS_OK) {
			return Failure{"cfg node status (corosync gone?)", cs_error(err)};
		}
		return std::nullopt;
	}

	const Options& options_;
	std::optional<votequorum::Client> client_;
	monitor::CmapNodelist cmap_;
	monitor::CfgLinks cfg_;
	bool have_cmap_ = true;
	State state_;
	bool changed_ = false;
	std::chrono::steady_clock::time_point last_full_;
};

void print(const State& s, Format format)
{
	switch (format) {
	case Format::text: std::cout << monitor::text(s); break;
	case Format::json: std::cout << monitor::json_line(s); break;
	case Format::prometheus: {
		monitor::Health health;
		health.up = true;
		health.last_change_seconds = now_seconds();
		std::cout << monitor::prometheus(&s, health);
		break;
	}
	}
	std::cout << std::flush;
}

// Without --listen: prints the current state, and with --follow every
// change, until corosync goes away (exit 2).
int run_once_or_follow(const Options& o)
{
	Tracker tracker(o);
	if (auto f = tracker.open(o.follow)) {
		std::cerr << "votequorum-monitor: " << describe(*f) << "\n";
		return 2;
	}
	print(tracker.state(), o.format);
	while (o.follow) {
		bool changed = false, stop = false;
		if (auto f = tracker.wait(-1, changed, stop)) {
			std::cerr << "votequorum-monitor: " << describe(*f) << "\n";
			return 2;
		}
		if (changed) {
			print(tracker.state(), o.format);
		}
	}
	return tracker.state().quorate ? 0 : 1;
}

// With --listen: serves /metrics and keeps it current, through corosync's
// deaths and restarts, until SIGTERM or SIGINT.
int serve(const Options& o)
{
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	// Blocked before the server's threads exist, so that they inherit it
	// and only the signalfd sees the signals.
	pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
	const int stop_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
	if (stop_fd < 0) {
		std::cerr << "votequorum-monitor: signalfd: " << std::generic_category().message(errno) << "\n";
		return 2;
	}
	monitor::MetricsServer server;
	monitor::Health health;
	server.publish(monitor::prometheus(nullptr, health));
	std::string error;
	if (!server.start(*o.listen, error)) {
		std::cerr << "votequorum-monitor: " << error << "\n";
		close(stop_fd);
		return 3;
	}
	std::string host;
	int port = 0;
	monitor::parse_listen(*o.listen, host, port);
	const bool v6 = host.find(':') != std::string::npos;
	std::cerr << "votequorum-monitor: serving http://" << (v6 ? "[" + host + "]" : host) << ":" << port << "/metrics\n";
	const Format format = o.format;
	bool connected_once = false;
	bool stopping = false;
	auto wait_for_stop = [&](int ms) {
		pollfd p{stop_fd, POLLIN, 0};
		stopping = poll(&p, 1, ms) > 0;
	};
	while (!stopping) {
		Tracker tracker(o);
		if (auto f = tracker.open(true, stop_fd)) {
			if (f->ec == CS_ERR_INTERRUPT) {
				break;
			}
			if (health.up || !connected_once) {
				std::cerr << "votequorum-monitor: " << describe(*f) << "; retrying every second\n";
			}
			if (health.up) {
				health.up = false;
				health.last_change_seconds = now_seconds();
			}
			server.publish(monitor::prometheus(nullptr, health));
			wait_for_stop(1000);
			continue;
		}
		if (connected_once) {
			++health.reconnects;
			std::cerr << "votequorum-monitor: connected to corosync again\n";
		}
		connected_once = true;
		health.up = true;
		health.last_change_seconds = now_seconds();
		server.publish(monitor::prometheus(&tracker.state(), health));
		if (o.follow) {
			print(tracker.state(), format);
		}
		for (;;) {
			bool changed = false;
			if (auto f = tracker.wait(stop_fd, changed, stopping)) {
				std::cerr << "votequorum-monitor: " << describe(*f) << "; reconnecting\n";
				health.up = false;
				health.last_change_seconds = now_seconds();
				server.publish(monitor::prometheus(nullptr, health));
				break;
			}
			if (stopping) {
				break;
			}
			if (changed) {
				health.last_change_seconds = now_seconds();
				server.publish(monitor::prometheus(&tracker.state(), health));
				if (o.follow) {
					print(tracker.state(), format);
				}
			}
		}
	}
	server.stop();
	close(stop_fd);
	return 0;
}

}  // namespace

int main(int argc, char** argv)
{
	auto parsed = parse_options(argc, argv);
	if (const int* status = std::get_if<int>(&parsed)) {
		return *status;
	}
	const Options& o = std::get<Options>(parsed);
	return o.listen ? serve(o) : run_once_or_follow(o);
}
