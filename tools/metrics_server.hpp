// The HTTP side of `votequorum-monitor --listen`: serves the last published
// exposition at GET (or HEAD) /metrics, from a pool of cpp-httplib threads.
// A scrape copies a pointer under a mutex and never talks to corosync, so a
// slow or stuck client delays neither publish() nor other scrapes (until
// the pool's threads are all held by clients; each is let go after the read
// timeout).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace monitor {

class MetricsServer {
public:
	MetricsServer();
	~MetricsServer();  // stops the server
	MetricsServer(const MetricsServer&) = delete;
	MetricsServer& operator=(const MetricsServer&) = delete;

	// Binds ADDR:PORT (or PORT, on 127.0.0.1; [ADDR]:PORT for IPv6) and
	// starts serving. False with a message when the address is bad or taken.
	bool start(const std::string& listen, std::string& error);
	// What the next scrapes get.
	void publish(std::string exposition);
	void stop();

private:
	std::unique_ptr<httplib::Server> server_;
	std::thread thread_;
	std::mutex mutex_;
	std::shared_ptr<const std::string> current_;
};

// Splits "[ADDR:]PORT" ("[ADDR]:PORT" for IPv6). False when malformed.
bool parse_listen(const std::string& listen, std::string& host, int& port);

}  // namespace monitor
