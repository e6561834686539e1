#include "metrics_server.hpp"

#include <httplib.h>

#include <cstdlib>

namespace monitor {

namespace {

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr int kThreads = 8;
constexpr int kTimeoutSeconds = 2;  // reading a request, writing a response, idle keep-alive

}  // namespace

bool parse_listen(const std::string& listen, std::string& host, int& port)
{
	std::string port_text = listen;
	host = "127.0.0.1";
	if (!listen.empty() && listen[0] == '[') {
		const auto close = listen.find("]:");
		if (close == std::string::npos) {
			return false;
		}
		host = listen.substr(1, close - 1);
		port_text = listen.substr(close + 2);
	} else if (const auto colon = listen.rfind(':'); colon != std::string::npos) {
		host = listen.substr(0, colon);
		port_text = listen.substr(colon + 1);
	}
	char* end = nullptr;
	const long p = std::strtol(port_text.c_str(), &end, 10);
	if (port_text.empty() || *end != '\0' || p < 1 || p > 65535 || host.empty()) {
		return false;
	}
	port = static_cast<int>(p);
	return true;
}

MetricsServer::MetricsServer() : server_(std::make_unique<httplib::Server>()) {}

MetricsServer::~MetricsServer()
{
	stop();
}

bool MetricsServer::start(const std::string& listen, std::string& error)
{
	std::string host;
	int port = 0;
	if (!parse_listen(listen, host, port)) {
		error = "bad --listen address '" + listen + "' (want [ADDR:]PORT)";
		return false;
	}
	auto& s = *server_;
	s.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
	s.set_read_timeout(kTimeoutSeconds, 0);
	s.set_write_timeout(kTimeoutSeconds, 0);
	s.set_keep_alive_timeout(kTimeoutSeconds);
	s.set_tcp_nodelay(true);  // headers and body are two writes: no 40 ms delayed-ACK stall
	// Only GET and HEAD exist here; anything else is 405 whatever the path.
	s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
		if (req.method == "GET" || req.method == "HEAD") {
			return httplib::Server::HandlerResponse::Unhandled;
		}
		res.status = 405;
		res.set_header("Allow", "GET, HEAD");
		res.set_content("method not allowed\n", "text/plain");
		return httplib::Server::HandlerResponse::Handled;
	});
	s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
		std::shared_ptr<const std::string> now;
		{
			std::lock_guard lock(mutex_);
			now = current_;
		}
		res.set_content(now ? *now : std::string(), kContentType);
	});
	// Any other path: cpp-httplib's 404.
	if (!s.bind_to_port(host.c_str(), port)) {
		error = "cannot listen on " + listen;
		return false;
	}
	thread_ = std::thread([&s] { s.listen_after_bind(); });
	return true;
}

void MetricsServer::publish(std::string exposition)
{
	auto next = std::make_shared<const std::string>(std::move(exposition));
	std::lock_guard lock(mutex_);
	current_.swap(next);
}  // the old text is freed here, or by the last scrape still sending it

void MetricsServer::stop()
{
	if (thread_.joinable()) {
		server_->stop();
		thread_.join();
	}
}

}  // namespace monitor
