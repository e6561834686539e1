// quorum::Client over the same core as the C shim (not over the shim).
#include "requests.hpp"
#include "wire.hpp"

#include "core/client_core.hpp"

#include <quorum/client.hpp>

namespace quorum {

namespace {

namespace calls = vq::quorum::calls;

// The C++ API's end of the event path: each view becomes the public Event
// (spans over the same bytes) and goes to the handler. The client asks for
// the V1 model, so V0's notification never comes; if a server sent one, it
// would be checked and dropped.
class HandlerSink final : public vq::quorum::wire::EventSink, vq::Delivers<Client::Handler> {
public:
	explicit HandlerSink(Client::Handler handler) : Delivers(std::move(handler)) {}

	void on(const vq::quorum::wire::QuorumEvent&) override {}
	void on(const vq::quorum::wire::V1QuorumEvent& e) override
	{
		deliver(QuorumEvent{e.quorate != 0, {e.ring_id.nodeid, e.ring_id.seq}, e.members});
	}
	void on(const vq::quorum::wire::NodelistEvent& e) override
	{
		deliver(NodelistEvent{{e.ring_id.nodeid, e.ring_id.seq}, e.members, e.joined, e.left});
	}
};

// The client's core, and what it learnt when connecting.
struct Core : vq::ClientCore<HandlerSink> {
	uint32_t quorum_type = QUORUM_FREE;
};

}  // namespace

Result<Client> Client::connect(Handler handler, Options options)
{
	std::unique_ptr<Core> core;
	if (cs_error_t err = vq::open_core(core, vq::quorum::kService, options, std::move(handler)); err != CS_OK) {
		return ::make_error_code(err);
	}
	// The V1 model's first request: the daemon learns the model, we learn
	// whether a quorum provider runs.
	if (std::error_code ec = vq::on_connection(core.get(), calls::quorum_type, QUORUM_MODEL_V1, core->quorum_type)) {
		return ec;
	}
	return Client(std::move(core));
}

bool Client::has_provider() const noexcept
{
	const Core* core = vq::core_of<Core>(impl());
	return core && core->quorum_type == QUORUM_SET;
}

Result<bool> Client::quorate() const
{
	int quorate = 0;
	if (std::error_code ec = vq::on_connection(vq::core_of<Core>(impl()), calls::getquorate, quorate)) {
		return ec;
	}
	return quorate != 0;
}

std::error_code Client::track(unsigned flags) const
{
	return vq::on_connection(vq::core_of<Core>(impl()), calls::trackstart, flags);
}

std::error_code Client::untrack() const
{
	return vq::on_connection(vq::core_of<Core>(impl()), calls::trackstop);
}

}  // namespace quorum
