#include "requests.hpp"

namespace vq::quorum::calls {

cs_error_t quorum_type(Connection& c, quorum_model_t model, uint32_t& type)
{
	if (model == QUORUM_MODEL_V0) {
		return round_trip(c, wire::gettype(), wire::decode_gettype, wire::RES_GETTYPE, type);
	}
	return round_trip(c, wire::model_gettype(static_cast<uint32_t>(model)), wire::decode_gettype,
		wire::RES_MODEL_GETTYPE, type);
}

cs_error_t getquorate(Connection& c, int& quorate)
{
	return round_trip(c, wire::getquorate(), wire::decode_getquorate, quorate);
}

cs_error_t trackstart(Connection& c, uint32_t flags)
{
	return round_trip(c, wire::trackstart(flags), wire::decode_track, wire::RES_TRACKSTART);
}

cs_error_t trackstop(Connection& c)
{
	return round_trip(c, wire::trackstop(), wire::decode_track, wire::RES_TRACKSTOP);
}

}  // namespace vq::quorum::calls
