// quorum::Client over the same core as the C shim (not over the shim).
#include "requests.hpp"
#include "wire.hpp"

#include "core/client_core.hpp"

#include <quorum/client.hpp>

#include <new>

namespace quorum {

namespace {

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

}  // namespace

using Session = vq::Session<HandlerSink>;

struct Client::Impl {
	vq::ClientCore<HandlerSink> core;
	uint32_t quorum_type = QUORUM_FREE;
};

#include "core/client_members.inc"

Result<Client> Client::connect(Handler handler, Options options)
{
	auto impl = std::unique_ptr<Impl>(new (std::nothrow) Impl);
	if (cs_error_t err = open_impl(impl, vq::quorum::wire::kService, options, std::move(handler)); err != CS_OK) {
		return ::make_error_code(err);
	}
	// The V1 model's first request: the daemon learns the model, we learn
	// whether a quorum provider runs.
	uint32_t& type = impl->quorum_type;
	if (std::error_code ec = on_session(impl, [&type](Session& s) {
		    return vq::quorum::wire::quorum_type(*s.connection, QUORUM_MODEL_V1, type);
	    })) {
		return ec;
	}
	return Client(std::move(impl));
}

bool Client::has_provider() const noexcept
{
	return impl_ && impl_->quorum_type == QUORUM_SET;
}

Result<bool> Client::quorate() const
{
	int quorate = 0;
	const std::error_code ec =
		on_session(impl_, [&](Session& s) { return vq::quorum::wire::getquorate(*s.connection, quorate); });
	if (ec) {
		return ec;
	}
	return quorate != 0;
}

std::error_code Client::track(unsigned flags) const
{
	return on_session(impl_, [&](Session& s) { return vq::quorum::wire::trackstart(*s.connection, flags); });
}

std::error_code Client::untrack() const
{
	return on_session(impl_, [&](Session& s) { return vq::quorum::wire::trackstop(*s.connection); });
}

}  // namespace quorum
