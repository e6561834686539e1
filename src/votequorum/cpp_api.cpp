// votequorum::Client over the same core as the C shim (not over the shim).
#include "requests.hpp"
#include "wire.hpp"

#include "core/client_core.hpp"

#include <votequorum/client.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

namespace votequorum {

namespace {

namespace calls = vq::votequorum::calls;

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

// The session owns the sink, and the sink the handler: a dispatch still
// running elsewhere keeps both alive.
using Core = vq::ClientCore<HandlerSink>;
using Session = Core::Session;

// Runs `call` (a function of the calls layer) with `args` on the client's
// connection.
template <class Call, class... Args>
std::error_code on_connection(const corosync::ClientBase::Impl* impl, Call&& call, Args&&... args)
{
	return vq::on_connection(vq::core_of<Core>(impl), call, std::forward<Args>(args)...);
}

// A name the caller gave, checked, as the C string the calls layer takes;
// nullopt for a name the C API would refuse too.
std::optional<std::string> checked_name(std::string_view name)
{
	if (!valid_name(name)) {
		return std::nullopt;
	}
	return std::string(name);
}

}  // namespace

Result<Client> Client::connect(Handler handler, Options options)
{
	// Memory running out is an error code like the others (the C API's
	// CS_ERR_NO_MEMORY), never an exception; what was opened is closed.
	std::unique_ptr<Core> core;
	if (cs_error_t err = vq::open_core(core, vq::votequorum::kService, options, std::move(handler)); err != CS_OK) {
		return ::make_error_code(err);
	}
	return Client(std::move(core));
}

Result<NodeInfo> Client::info(uint32_t nodeid) const
{
	votequorum_info raw{};
	if (std::error_code ec = on_connection(impl(), calls::getinfo, nodeid, raw)) {
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

std::error_code Client::set_expected_votes(uint32_t expected_votes) const
{
	return on_connection(impl(), calls::setexpected, expected_votes);
}

std::error_code Client::set_votes(uint32_t nodeid, uint32_t votes) const
{
	return on_connection(impl(), calls::setvotes, nodeid, votes);
}

std::error_code Client::track(uint64_t context, unsigned flags) const
{
	return on_connection(impl(), calls::trackstart, context, flags);
}

std::error_code Client::untrack() const
{
	return on_connection(impl(), calls::trackstop);
}

std::error_code Client::qdevice_register(std::string_view name) const
{
	const auto n = checked_name(name);
	return n ? on_connection(impl(), calls::qdevice_register, n->c_str()) : ::make_error_code(CS_ERR_INVALID_PARAM);
}

std::error_code Client::qdevice_unregister(std::string_view name) const
{
	const auto n = checked_name(name);
	return n ? on_connection(impl(), calls::qdevice_unregister, n->c_str()) : ::make_error_code(CS_ERR_INVALID_PARAM);
}

std::error_code Client::qdevice_update(std::string_view old_name, std::string_view new_name) const
{
	const auto o = checked_name(old_name);
	const auto n = checked_name(new_name);
	return o && n ? on_connection(impl(), calls::qdevice_update, o->c_str(), n->c_str())
		      : ::make_error_code(CS_ERR_INVALID_PARAM);
}

std::error_code Client::qdevice_poll(std::string_view name, bool cast_vote, RingId ring) const
{
	const auto n = checked_name(name);
	const votequorum_ring_id_t ring_id{ring.nodeid, ring.seq};
	return n ? on_connection(impl(), calls::qdevice_poll, n->c_str(), cast_vote ? 1u : 0u, ring_id)
		 : ::make_error_code(CS_ERR_INVALID_PARAM);
}

std::error_code Client::qdevice_master_wins(std::string_view name, bool allow) const
{
	const auto n = checked_name(name);
	return n ? on_connection(impl(), calls::qdevice_master_wins, n->c_str(), allow ? 1u : 0u)
		 : ::make_error_code(CS_ERR_INVALID_PARAM);
}

std::error_code Client::set_extra_info(std::span<const std::byte> data) const
{
	// A size past 32 bits is too big whatever its low bits say.
	const auto size = static_cast<uint32_t>(std::min<std::size_t>(data.size(), UINT32_MAX));
	return on_connection(impl(), calls::set_extra_info, static_cast<const void*>(data.data()), size);
}

Result<std::vector<std::byte>> Client::extra_info(uint32_t nodeid) const
{
	std::vector<std::byte> data(VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
	uint32_t size = 0;
	if (std::error_code ec = vq::on_session(vq::core_of<Core>(impl()),
		    [&](Session& s) { return calls::get_extra_info(*s.connection, nodeid, size, data.data()); })) {
		return ec;
	}
	data.resize(size);
	return data;
}

}  // namespace votequorum
