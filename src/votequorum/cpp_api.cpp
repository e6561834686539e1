// votequorum::Client over the same core as the C shim (not over the shim).
#include "requests.hpp"
#include "wire.hpp"

#include "core/errors.hpp"
#include "core/client_core.hpp"

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
	return vq::votequorum::wire::name_length_fits(name.size()) && name.find('\0') == std::string_view::npos;
}

// The C++ API's end of the event path: each view becomes the public Event
// (spans over the same bytes) and goes to the handler.
class HandlerSink final : public vq::votequorum::wire::EventSink, vq::Delivers<Client::Handler> {
public:
	explicit HandlerSink(Client::Handler handler) : Delivers(std::move(handler)) {}

	void on(const vq::votequorum::wire::QuorumEvent& e) override { deliver(QuorumEvent{e.context, e.quorate != 0, e.nodes}); }
	void on(const vq::votequorum::wire::ExpectedVotesEvent& e) override { deliver(ExpectedVotesEvent{e.context, e.expected_votes}); }
	void on(const vq::votequorum::wire::NodelistEvent& e) override
	{
		deliver(NodelistEvent{e.context, {e.ring_id.nodeid, e.ring_id.seq}, e.nodes});
	}
	void on(const vq::votequorum::wire::ExtraInfoEvent& e) override { deliver(ExtraInfoEvent{e.context, e.nodeid, e.data}); }
};

}  // namespace

const std::error_category& error_category() noexcept
{
	static const Category category;
	return category;
}

using Session = vq::Session<HandlerSink>;

// The session owns the sink, and the sink the handler: a dispatch still
// running elsewhere keeps both alive.
struct Client::Impl {
	vq::ClientCore<HandlerSink> core;
};

#include "core/client_members.inc"

Result<Client> Client::connect(Handler handler, Options options)
{
	// Memory running out is an error code like the others (the C API's
	// CS_ERR_NO_MEMORY), never an exception; what was opened is closed.
	auto impl = std::unique_ptr<Impl>(new (std::nothrow) Impl);
	if (cs_error_t err = open_impl(impl, vq::votequorum::wire::kService, options, std::move(handler)); err != CS_OK) {
		return ::make_error_code(err);
	}
	return Client(std::move(impl));
}

Result<NodeInfo> Client::info(uint32_t nodeid) const
{
	votequorum_info raw{};
	std::error_code ec = on_session(impl_, [&](Session& s) { return vq::votequorum::wire::getinfo(*s.connection, nodeid, raw); });
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

#define VQ_REQUEST(expr) on_session(impl_, [&](Session& s) { return vq::votequorum::wire::status_request(*s.connection, expr); })

std::error_code Client::set_expected_votes(uint32_t expected_votes) const
{
	return VQ_REQUEST(vq::votequorum::wire::setexpected(expected_votes));
}

std::error_code Client::set_votes(uint32_t nodeid, uint32_t votes) const
{
	return VQ_REQUEST(vq::votequorum::wire::setvotes(nodeid, votes));
}

std::error_code Client::track(uint64_t context, unsigned flags) const
{
	return VQ_REQUEST(vq::votequorum::wire::trackstart(context, flags));
}

std::error_code Client::untrack() const
{
	return VQ_REQUEST(vq::votequorum::wire::trackstop());
}

std::error_code Client::qdevice_register(std::string_view name) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::votequorum::wire::qdevice_register(n.c_str()));
}

std::error_code Client::qdevice_unregister(std::string_view name) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::votequorum::wire::qdevice_unregister(n.c_str()));
}

std::error_code Client::qdevice_update(std::string_view old_name, std::string_view new_name) const
{
	if (!valid_name(old_name) || !valid_name(new_name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string o(old_name), n(new_name);
	return VQ_REQUEST(vq::votequorum::wire::qdevice_update(o.c_str(), n.c_str()));
}

std::error_code Client::qdevice_poll(std::string_view name, bool cast_vote, RingId ring) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::votequorum::wire::qdevice_poll(n.c_str(), cast_vote ? 1 : 0, {ring.nodeid, ring.seq}));
}

std::error_code Client::qdevice_master_wins(std::string_view name, bool allow) const
{
	if (!valid_name(name)) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	const std::string n(name);
	return VQ_REQUEST(vq::votequorum::wire::qdevice_master_wins(n.c_str(), allow ? 1 : 0));
}

std::error_code Client::set_extra_info(std::span<const std::byte> data) const
{
	// A size past 32 bits is too big whatever its low bits say.
	const auto size = static_cast<uint32_t>(std::min<std::size_t>(data.size(), UINT32_MAX));
	return on_session(impl_, [&](Session& s) { return vq::votequorum::wire::set_extra_info(*s.connection, data.data(), size); });
}

#undef VQ_REQUEST

Result<std::vector<std::byte>> Client::extra_info(uint32_t nodeid) const
{
	std::vector<std::byte> data(VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
	uint32_t size = 0;
	std::error_code ec = on_session(impl_,
		[&](Session& s) { return vq::votequorum::wire::get_extra_info(*s.connection, nodeid, size, data.data()); });
	if (ec) {
		return ec;
	}
	data.resize(size);
	return data;
}

}  // namespace votequorum

std::error_code make_error_code(cs_error_t e) noexcept
{
	return e == CS_OK ? std::error_code{} : std::error_code(static_cast<int>(e), votequorum::error_category());
}
