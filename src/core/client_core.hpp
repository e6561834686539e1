// What each C++ client (votequorum::Client, quorum::Client, ...) holds and
// does alike: one session (session.hpp), opened with the client's Options,
// closed when the client goes, and every call run on it with the checks and
// the exception guard the C shims have too. The public side is
// corosync::ClientBase (<corosync/client.hpp>, cpp_client.cpp); a service's
// Client adds only its requests and the conversion to its public types.
#pragma once

#include "errors.hpp"
#include "session.hpp"

#include <corosync/client.hpp>

#include <memory>
#include <new>
#include <utility>

// What corosync::ClientBase's members reach, whatever the service.
class corosync::ClientBase::Impl {
public:
	virtual ~Impl() = default;
	virtual int fd() const noexcept = 0;
	virtual cs_error_t dispatch(const cs_dispatch_flags_t& given) const noexcept = 0;
	virtual bool is_open() const noexcept = 0;
	virtual void close() noexcept = 0;
};

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
class ClientCore : public corosync::ClientBase::Impl {
public:
	using Session = vq::Session<Sink>;

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
			session_ = std::make_shared<Session>(std::move(connection), std::forward<SinkArgs>(sink_args)...);
			return CS_OK;
		});
	}

	ClientCore() = default;
	ClientCore(const ClientCore&) = delete;
	ClientCore& operator=(const ClientCore&) = delete;
	~ClientCore() override { close(); }

	// Runs `body` (cs_error_t(Session&)) on the session, which stays
	// alive for the call even if another thread closes the client.
	template <class F>
	cs_error_t call(F&& body) const noexcept
	{
		const std::shared_ptr<Session> s = session_;
		if (!s || s->connection->closed()) {
			return CS_ERR_BAD_HANDLE;
		}
		return guarded([&] { return body(*s); });
	}

	// The session itself, for what outlives a call (a cmap::KeyRange): it
	// stays alive while held, its connection closed with the client.
	std::shared_ptr<Session> session() const noexcept { return session_; }

	cs_error_t dispatch(const cs_dispatch_flags_t& given) const noexcept override
	{
		cs_dispatch_flags_t mode;
		if (!dispatch_mode(given, mode)) {
			return CS_ERR_INVALID_PARAM;
		}
		return call([&](Session& s) { return s.dispatch(mode); });
	}

	int fd() const noexcept override { return session_ ? session_->connection->fd() : -1; }
	bool is_open() const noexcept override { return session_ && !session_->connection->closed(); }
	void close() noexcept override
	{
		if (session_) {
			session_->connection->close();
		}
	}

private:
	std::shared_ptr<Session> session_;
};

// A client's own core (its ClientCore<Sink>, or a struct derived from it),
// from ClientBase::impl(); null when the client was moved from.
template <class Core>
const Core* core_of(const corosync::ClientBase::Impl* impl) noexcept
{
	return static_cast<const Core*>(impl);
}

// Runs a client's call on its session (`body`: cs_error_t(Session&)):
// error codes, never exceptions; CS_ERR_BAD_HANDLE for a moved-from client.
template <class Core, class F>
std::error_code on_session(const Core* core, F&& body) noexcept
{
	return ::make_error_code(core ? core->call(std::forward<F>(body)) : CS_ERR_BAD_HANDLE);
}

// Runs `call` (a function of a service's calls layer: cs_error_t(Connection&,
// args...)) with `args` on a client's connection.
template <class Core, class Call, class... Args>
std::error_code on_connection(const Core* core, Call&& call, Args&&... args) noexcept
{
	return on_session(core, [&](typename Core::Session& s) { return call(*s.connection, args...); });
}

// A new client's core, opened on `service` with `options`; its error
// otherwise (memory running out is one too, never an exception).
template <class Core, class... SinkArgs>
cs_error_t open_core(std::unique_ptr<Core>& out, const Service& service, const corosync::Options& options,
	SinkArgs&&... sink_args) noexcept
{
	out.reset(new (std::nothrow) Core);
	if (!out) {
		return CS_ERR_NO_MEMORY;
	}
	const cs_error_t err = out->open(service, options.connect_ms(), options.request_ms(),
		std::forward<SinkArgs>(sink_args)...);
	if (err != CS_OK) {
		out.reset();
	}
	return err;
}

}  // namespace vq
