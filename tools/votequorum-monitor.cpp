// votequorum-monitor: the local node's quorum state, once or as it changes,
// as text, JSON lines or Prometheus text exposition; with --listen, a
// Prometheus exporter that keeps its state current from corosync's
// notifications and outlives corosync restarts. Built on the votequorum C++
// API. Exit status: 0 quorate, 1 not quorate, 2 cannot talk to corosync,
// 3 bad usage (with --listen: 0 after SIGTERM or SIGINT).
#include "metrics_server.hpp"
#include "monitor_state.hpp"
#include "node_names.hpp"
#include "topology_reader.hpp"
#include "tracker.hpp"

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
	std::chrono::milliseconds timeout{5000};
	std::optional<monitor::Listen> listen;
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
		case 't': o.timeout = std::chrono::milliseconds(std::atoi(optarg)); break;
		case 'l':
			o.listen = monitor::Listen::parse(optarg);
			if (!o.listen) {
				std::cerr << "votequorum-monitor: bad --listen address '" << optarg << "' (want [ADDR:]PORT)\n";
				return usage(3);
			}
			break;
		case 'c': o.corosync_conf = optarg; break;
		case 'h': return usage(0);
		default: return usage(3);
		}
	}
	if (optind != argc || o.timeout.count() <= 0) {
		return usage(3);
	}
	return o;
}

double now_seconds()
{
	using namespace std::chrono;
	return duration<double>(system_clock::now().time_since_epoch()).count();
}

// Prints the state in FORMAT; `cause` says what changed it (text and JSON).
void print(const State& s, const std::string& cause, Format format)
{
	switch (format) {
	case Format::text: std::cout << monitor::text(s.quorum, cause); break;
	case Format::json: std::cout << monitor::json_line(s.quorum, cause); break;
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

// The part of the state FORMAT shows changed: text and JSON show
// votequorum's state only, the exposition names and rings too.
bool shown_changed(const State& before, const State& after, Format format)
{
	return format == Format::prometheus ? before != after : before.quorum != after.quorum;
}

// Folds what a wait brought into the state: the tracker's quorum state, and
// the topology when the reader had one ready (`topology`: null when names
// and rings are not read); tells the reader what the rings are read for.
// Returns what changed the state, for --follow's output.
std::string absorb(const monitor::Woke& woke, const monitor::QuorumTracker& tracker, monitor::TopologyReader* topology,
	State& state)
{
	std::string cause = "refresh";
	state.quorum = tracker.quorum();
	if (auto* c = std::get_if<monitor::woke::Changed>(&woke)) {
		cause = c->cause;
	} else if (std::holds_alternative<monitor::woke::Other>(woke) && topology) {
		state.topology = topology->take();
		cause = "nodelist";
	}
	if (topology) {
		topology->want(state.quorum.local.node_id, state.quorum.members);
	}
	return cause;
}

// Without --listen: prints the current state, and with --follow every
// change of what the format shows, until corosync goes away (exit 2).
int run_once_or_follow(const Options& o)
{
	monitor::QuorumTracker tracker(o.timeout);
	if (auto f = tracker.open(o.follow)) {
		std::cerr << "votequorum-monitor: " << monitor::describe(*f) << "\n";
		return 2;
	}
	State state{tracker.quorum(), {}};
	// Names and rings only where the format shows them: the exposition.
	std::optional<monitor::TopologyReader> topology;
	if (o.format == Format::prometheus) {
		topology.emplace(o.corosync_conf);
		topology->want(state.quorum.local.node_id, state.quorum.members);
		pollfd p{topology->fd(), POLLIN, 0};
		if (poll(&p, 1, static_cast<int>(o.timeout.count())) > 0) {
			state.topology = topology->take();
		} else {
			std::cerr << "votequorum-monitor: cmap and cfg did not answer within " << o.timeout.count()
				  << " ms (corosync synchronising?): node names from " << o.corosync_conf << ", no ring series\n";
			state.topology.names = monitor::read_node_names(o.corosync_conf);
		}
	}
	print(state, "current state", o.format);
	while (o.follow) {
		const State before = state;
		const monitor::Woke woke = tracker.wait(-1, topology ? topology->fd() : -1);
		if (auto* f = std::get_if<monitor::Failure>(&woke)) {
			std::cerr << "votequorum-monitor: " << monitor::describe(*f) << "\n";
			return 2;
		}
		const std::string cause = absorb(woke, tracker, topology ? &*topology : nullptr, state);
		if (shown_changed(before, state, o.format)) {
			print(state, cause, o.format);
		}
	}
	return tracker.quorum().quorate ? 0 : 1;
}

// With --listen: serves /metrics and keeps it current, through corosync's
// deaths and restarts, until SIGTERM or SIGINT. The votequorum state is
// published once per change, within a second of it; names and rings come
// from their own thread and never hold it up.
int serve(const Options& o)
{
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	// Blocked before any other thread exists, so that they inherit it and
	// only the signalfd sees the signals.
	pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
	const int stop_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
	if (stop_fd < 0) {
		std::cerr << "votequorum-monitor: signalfd: " << std::generic_category().message(errno) << "\n";
		return 2;
	}
	monitor::TopologyReader topology(o.corosync_conf);
	monitor::MetricsServer server;
	monitor::Health health;
	server.set_live([&topology] { return topology.freshness(); });
	// The one place the exposition is published: the state when connected
	// (with the freshness series), the health series alone when not.
	auto publish = [&](const State* state) { server.publish(monitor::prometheus(state, health), state != nullptr); };
	publish(nullptr);
	std::string error;
	if (!server.start(*o.listen, error)) {
		std::cerr << "votequorum-monitor: " << error << "\n";
		close(stop_fd);
		return 3;
	}
	std::cerr << "votequorum-monitor: serving " << o.listen->url() << "\n";
	// Down: said (once, on the way down), published, and a second's wait.
	auto down = [&](const monitor::Failure& f, const char* then) {
		std::cerr << "votequorum-monitor: " << monitor::describe(f) << "; " << then << "\n";
		if (health.up) {
			health.up = false;
			health.last_change_seconds = now_seconds();
		}
		publish(nullptr);
	};
	bool connected_once = false;
	bool said_down = false;
	State state;
	for (bool stopping = false; !stopping;) {
		monitor::QuorumTracker tracker(o.timeout);
		if (auto f = tracker.open(true, stop_fd)) {
			if (f->ec == CS_ERR_INTERRUPT) {
				break;
			}
			if (!said_down) {
				down(*f, "retrying every second");
				said_down = true;
			} else {
				publish(nullptr);
			}
			pollfd p{stop_fd, POLLIN, 0};
			stopping = poll(&p, 1, 1000) > 0;
			continue;
		}
		if (connected_once) {
			++health.reconnects;
			std::cerr << "votequorum-monitor: connected to corosync again\n";
		}
		connected_once = true;
		said_down = false;
		health.up = true;
		health.last_change_seconds = now_seconds();
		state.quorum = tracker.quorum();
		topology.want(state.quorum.local.node_id, state.quorum.members);
		publish(&state);
		if (o.follow) {
			print(state, "current state", o.format);
		}
		for (;;) {
			const State before = state;
			const monitor::Woke woke = tracker.wait(stop_fd, topology.fd());
			if (auto* f = std::get_if<monitor::Failure>(&woke)) {
				down(*f, "reconnecting");
				said_down = true;
				break;
			}
			if (std::holds_alternative<monitor::woke::Stop>(woke)) {
				stopping = true;
				break;
			}
			const std::string cause = absorb(woke, tracker, &topology, state);
			if (state != before) {
				health.last_change_seconds = now_seconds();
				publish(&state);
			}
			if (o.follow && shown_changed(before, state, o.format)) {
				print(state, cause, o.format);
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
