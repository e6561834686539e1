// votequorum::Client over the same core as the C shim (not over the shim).
#include "connection.hpp"
#include "errors.hpp"
#include "wire.hpp"

#include <votequorum/client.hpp>

#include <algorithm>
#include <cstdint>

namespace votequorum {

namespace {

class Category final : public std::error_category {
public:
	const char* name() const noexcept override { return "votequorum"; }
	std::string message(int value) const override
	{
		const char* name = vq::cs_error_name(value);
		return name ? std::string(name) : "unknown votequorum error " + std::to_string(value);
	}
};

bool valid_name(std::string_view name) noexcept
{
	return vq::wire::name_length_fits(name.size()) && name.find('\0') == std::string_view::npos;
}

// The C++ API's end of the event path: each view becomes the public Event
// (spans over the same bytes) and goes to the handler.
class HandlerSink final : public vq::wire::EventSink {
public:
	explicit HandlerSink(Client::Handler handler) : handler_(std::move(handler)) {}

	void on(const vq::wire::QuorumEvent& e) override { deliver(QuorumEvent{e.context, e.quorate != 0, e.nodes}); }
	void on(const vq::wire::ExpectedVotesEvent& e) override { deliver(ExpectedVotesEvent{e.context, e.expected_votes}); }
	void on(const vq::wire::NodelistEvent& e) override
	{
		deliver(NodelistEvent{e.context, {e.ring_id.nodeid, e.ring_id.seq}, e.nodes});
	}
	void on(const vq::wire::ExtraInfoEvent& e) override { deliver(ExtraInfoEvent{e.context, e.nodeid, e.data}); }

private:
	void deliver(const Event& event) const
	{
		if (handler_) {
			handler_(event);
		}
	}
	const Client::Handler handler_;
};

}  // namespace

const std::error_category& error_category() noexcept
{
	static const Category category;
	return category;
}

struct Client::Impl {
	std::shared_ptr<vq::Connection> connection;
};

namespace {
// Runs a request on the connection, turning exceptions into error codes.
template <class F>
std::error_code on_connection(const std::shared_ptr<vq::Connection>& c, F&& body) noexcept
{
	if (!c || c->closed()) {
		return ::make_error_code(CS_ERR_BAD_HANDLE);
	}
	return ::make_error_code(vq::guarded([&] { return body(*c); }));
}
}  // namespace

Result<Client> Client::connect(Handler handler, Options options)
{
	// Memory running out is an error code like the others (the C API's
	// CS_ERR_NO_MEMORY), never an exception; what was opened is closed.
	try {
		std::shared_ptr<vq::Connection> connection;
		const int connect_ms = options.connect_timeout ? static_cast<int>(options.connect_timeout->count()) : -1;
		// The connection owns the sink, and the sink the handler: a dispatch
		// still running elsewhere keeps both alive.
		auto sink = std::make_shared<HandlerSink>(std::move(handler));
		if (cs_error_t err = vq::Connection::open(std::move(sink), connection, connect_ms); err != CS_OK) {
			return ::make_error_code(err);
		}
		if (options.request_timeout) {
			connection->set_request_timeout(static_cast<int>(options.request_timeout->count()));
		}
		auto impl = std::make_unique<Impl>();  // on failure `connection` closes on the way out
		impl->connection = std::move(connection);
		return Client(std::move(impl));
	} catch (const std::bad_alloc&) {
		return ::make_error_code(CS_ERR_NO_MEMORY);
	}
}

Client::Client(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&& other) noexcept
{
	if (this != &other) {
		close();
		impl_ = std::move(other.impl_);
	}
	return *this;
}
Client::~Client()
{
	close();
}

void Client::close() noexcept
{
	if (impl_ && impl_->connection) {
		impl_->connection->close();
	}
}

bool Client::is_open() const noexcept
{
	return impl_ && impl_->connection && !impl_->connection->closed();
}

Result<NodeInfo> Client::info(uint32_t nodeid) const
{
	votequorum_info raw{};
	std::error_code ec = on_connection(impl_ ? impl_->connection : nullptr,
		[&](vq::Connection& c) { return c.getinfo(nodeid, raw); });
	if (ec) {
		return ec;
	}
	NodeInfo info;
	info.node_id = raw.node_id;
	info.state = raw.node_state;
	info.votes = raw.node_votes;
	info.expected_votes = raw.node_expected_votes;
	info.highest_expected = raw.highest_expected;
	info.total_votes = raw.total_votes;
	info.quorum = raw.quorum;
	info.flags = raw.flags;
	info.qdevice_votes = raw.qdevice_votes;
	info.qdevice_name = raw.qdevice_name;  // NUL-terminated: the decoder checked
	return info;
}

#define VQ_REQUEST(expr) on_connection(impl_ ? impl_->connection : nullptr, [&](vq::Connection& c) { return c.status_request(expr); })

std::error_code Client::set_expected_votes(uint32_t expected_votes) const
{
	return VQ_REQUEST(vq::wire::setexpected(expected_votes));
}

std::error_code Client::set_votes(uint32_t nodeid, uint32_t votes) const
{
	return VQ_REQUEST(vq::wire::setvotes(nodeid, votes));
}

std::error_code Client::track(uint64_t context, unsigned flags) const
{
	return VQ_REQUEST(vq::wire::trackstart(context, flags));
}

std::error_code Client::untrack() const
{
	return VQ_REQUEST(vq::wire::trackstop());
}

std::error_code Client::qdevice_register(std::string_view name) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::wire::qdevice_register(n.c_str()));
}

std::error_code Client::qdevice_unregister(std::string_view name) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::wire::qdevice_unregister(n.c_str()));
}

std::error_code Client::qdevice_update(std::string_view old_name, std::string_view new_name) const
{
	if (!valid_name(old_name) || !valid_name(new_name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string o(old_name), n(new_name);
	return VQ_REQUEST(vq::wire::qdevice_update(o.c_str(), n.c_str()));
}

std::error_code Client::qdevice_poll(std::string_view name, bool cast_vote, RingId ring) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::wire::qdevice_poll(n.c_str(), cast_vote ? 1 : 0, {ring.nodeid, ring.seq}));
}

std::error_code Client::qdevice_master_wins(std::string_view name, bool allow) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::wire::qdevice_master_wins(n.c_str(), allow ? 1 : 0));
}

std::error_code Client::set_extra_info(std::span<const std::byte> data) const
{
	// A size past 32 bits is too big whatever its low bits say.
	const auto size = static_cast<uint32_t>(std::min<std::size_t>(data.size(), UINT32_MAX));
	return on_connection(impl_ ? impl_->connection : nullptr,
		[&](vq::Connection& c) { return c.set_extra_info(data.data(), size); });
}

#undef VQ_REQUEST

Result<std::vector<std::byte>> Client::extra_info(uint32_t nodeid) const
{
	std::vector<std::byte> data(VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
	uint32_t size = 0;
	std::error_code ec = on_connection(impl_ ? impl_->connection : nullptr,
		[&](vq::Connection& c) { return c.get_extra_info(nodeid, size, data.data()); });
	if (ec) {
		return ec;
	}
	data.resize(size);
	return data;
}

int Client::fd() const noexcept
{
	return impl_ && impl_->connection ? impl_->connection->fd() : -1;
}

std::error_code Client::dispatch(cs_dispatch_flags_t mode) const
{
	cs_dispatch_flags_t valid;
	if (!vq::dispatch_mode(mode, valid)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	return on_connection(impl_ ? impl_->connection : nullptr, [&](vq::Connection& c) { return c.dispatch(valid); });
}

}  // namespace votequorum

std::error_code make_error_code(cs_error_t e) noexcept
{
	return e == CS_OK ? std::error_code{} : std::error_code(static_cast<int>(e), votequorum::error_category());
}
