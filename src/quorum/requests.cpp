#include "requests.hpp"

namespace vq::quorum::wire {

cs_error_t quorum_type(Connection& c, quorum_model_t model, uint32_t& type)
{
	if (model == QUORUM_MODEL_V0) {
		return c.transact(gettype(), [&type](std::span<const std::byte> reply) {
			return decode_gettype(reply, RES_GETTYPE, type);
		});
	}
	return c.transact(model_gettype(static_cast<uint32_t>(model)), [&type](std::span<const std::byte> reply) {
		return decode_gettype(reply, RES_MODEL_GETTYPE, type);
	});
}

cs_error_t getquorate(Connection& c, int& quorate)
{
	return c.transact(wire::getquorate(),
		[&quorate](std::span<const std::byte> reply) { return decode_getquorate(reply, quorate); });
}

cs_error_t trackstart(Connection& c, uint32_t flags)
{
	return c.transact(wire::trackstart(flags),
		[](std::span<const std::byte> reply) { return decode_track(reply, RES_TRACKSTART); });
}

cs_error_t trackstop(Connection& c)
{
	return c.transact(wire::trackstop(),
		[](std::span<const std::byte> reply) { return decode_track(reply, RES_TRACKSTOP); });
}

}  // namespace vq::quorum::wire
