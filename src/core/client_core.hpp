// What each C++ client (votequorum::Client, quorum::Client) holds and does
// alike: one session (session.hpp), opened with the client's Options, closed
// when the client goes, and every call run on it with the checks and the
// exception guard the C shims have too. A client adds only its service's
// requests and the conversion to its public types.
#pragma once

#include "errors.hpp"
#include "session.hpp"

#include <memory>
#include <new>
#include <utility>

namespace vq {

// The base of a C++ client's sink: hands each public event to the client's
// handler, if it has one.
template <class Handler>
class Delivers {
protected:
	explicit Delivers(Handler handler) : handler_(std::move(handler)) {}

	template <class Event>
	void deliver(const Event& event) const
	{
		if (handler_) {
			handler_(event);
		}
	}

private:
	const Handler handler_;
};

template <class Sink>
class ClientCore {
public:
	// -1 for a timeout: none (as the C ABI).
	template <class... SinkArgs>
	cs_error_t open(const Service& service, int connect_timeout_ms, int request_timeout_ms, SinkArgs&&... sink_args) noexcept
	{
		return guarded([&]() -> cs_error_t {
			std::shared_ptr<Connection> connection;
			if (cs_error_t err = Connection::open(service, connection, connect_timeout_ms); err != CS_OK) {
				return err;
			}
			if (request_timeout_ms >= 0) {
				connection->set_request_timeout(request_timeout_ms);
			}
			// On failure `connection` closes on the way out.
			session_ = std::make_shared<Session<Sink>>(std::move(connection), std::forward<SinkArgs>(sink_args)...);
			return CS_OK;
		});
	}

	ClientCore() = default;
	ClientCore(const ClientCore&) = delete;
	ClientCore& operator=(const ClientCore&) = delete;
	~ClientCore() { close(); }

	// Runs `body` (cs_error_t(Session<Sink>&)) on the session, which stays
	// alive for the call even if another thread closes the client.
	template <class F>
	cs_error_t call(F&& body) const noexcept
	{
		const std::shared_ptr<Session<Sink>> s = session_;
		if (!s || s->connection->closed()) {
			return CS_ERR_BAD_HANDLE;
		}
		return guarded([&] { return body(*s); });
	}

	cs_error_t dispatch(const cs_dispatch_flags_t& given) const noexcept
	{
		cs_dispatch_flags_t mode;
		if (!dispatch_mode(given, mode)) {
			return CS_ERR_INVALID_PARAM;
		}
		return call([&](Session<Sink>& s) { return s.dispatch(mode); });
	}

	int fd() const noexcept { return session_ ? session_->connection->fd() : -1; }
	bool is_open() const noexcept { return session_ && !session_->connection->closed(); }
	void close() noexcept
	{
		if (session_) {
			session_->connection->close();
		}
	}

private:
	std::shared_ptr<Session<Sink>> session_;
};

}  // namespace vq
