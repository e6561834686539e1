// The HTTP side of `votequorum-monitor --listen`: serves the last published
// exposition at GET (or HEAD) /metrics, from a pool of cpp-httplib threads.
// A scrape copies a pointer under a mutex and never talks to corosync, so a
// slow or stuck client delays neither publish() nor other scrapes (until
// the pool's threads are all held by clients; each is let go after the read
// timeout).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace monitor {

// Where --listen serves: "[ADDR:]PORT" ("[ADDR]:PORT" for IPv6; ADDR
// defaults to 127.0.0.1), parsed once.
struct Listen {
	std::string host;
	int port = 0;

	static std::optional<Listen> parse(const std::string& text);  // nullopt when malformed
	std::string url() const;  // http://HOST:PORT/metrics
};

class MetricsServer {
public:
	MetricsServer();
	~MetricsServer();  // stops the server
	MetricsServer(const MetricsServer&) = delete;
	MetricsServer& operator=(const MetricsServer&) = delete;

	// Binds and starts serving. False with a message when the address is
	// taken or cannot be bound.
	bool start(const Listen& listen, std::string& error);
	// What the next scrapes get: `exposition`, and after it, when
	// `with_live`, what the live function renders at the scrape.
	void publish(std::string exposition, bool with_live = false);
	// Renders the series that change with time alone (ages): called by
	// scrapes, never talks to corosync. Set before start().
	void set_live(std::function<std::string()> live) { live_ = std::move(live); }
	void stop();

private:
	std::unique_ptr<httplib::Server> server_;
	std::thread thread_;
	std::mutex mutex_;
	std::shared_ptr<const std::string> current_;
	bool current_live_ = false;
	std::function<std::string()> live_;
};

}  // namespace monitor
