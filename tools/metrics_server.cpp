#include "metrics_server.hpp"

#include <httplib.h>

#include <cstdlib>

namespace monitor {

namespace {

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr int kThreads = 8;
constexpr int kTimeoutSeconds = 2;  // reading a request, writing a response, idle keep-alive

}  // namespace

std::optional<Listen> Listen::parse(const std::string& text)
{
	Listen l;
	std::string port_text = text;
	l.host = "127.0.0.1";
	if (!text.empty() && text[0] == '[') {
		const auto close = text.find("]:");
		if (close == std::string::npos) {
			return std::nullopt;
		}
		l.host = text.substr(1, close - 1);
		port_text = text.substr(close + 2);
	} else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
		l.host = text.substr(0, colon);
		port_text = text.substr(colon + 1);
	}
	char* end = nullptr;
	const long p = std::strtol(port_text.c_str(), &end, 10);
	if (port_text.empty() || *end != '\0' || p < 1 || p > 65535 || l.host.empty()) {
		return std::nullopt;
	}
	l.port = static_cast<int>(p);
	return l;
}

std::string Listen::url() const
{
	const bool v6 = host.find(':') != std::string::npos;
	return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/metrics";
}

MetricsServer::MetricsServer() : server_(std::make_unique<httplib::Server>()) {}

MetricsServer::~MetricsServer()
{
	stop();
}

bool MetricsServer::start(const Listen& listen, std::string& error)
{
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
		bool live = false;
		{
			std::lock_guard lock(mutex_);
			now = current_;
			live = current_live_ && live_;
		}
		std::string body = now ? *now : std::string();
		if (live) {
			body += live_();
		}
		res.set_content(std::move(body), kContentType);
	});
	// Any other path: cpp-httplib's 404.
	if (!s.bind_to_port(listen.host.c_str(), listen.port)) {
		error = "cannot listen on " + listen.url();
		return false;
	}
	thread_ = std::thread([&s] { s.listen_after_bind(); });
	return true;
}

void MetricsServer::publish(std::string exposition, bool with_live)
{
	auto next = std::make_shared<const std::string>(std::move(exposition));
	std::lock_guard lock(mutex_);
	current_.swap(next);
	current_live_ = with_live;
}  // the old text is freed here, or by the last scrape still sending it

void MetricsServer::stop()
{
	if (thread_.joinable()) {
		server_->stop();
		thread_.join();
	}
}

}  // namespace monitor
