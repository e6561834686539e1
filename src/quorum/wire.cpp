#include "wire.hpp"

namespace vq::quorum::wire {

using ipc::check_reply;
using ipc::make;

Request getquorate()
{
	return Request(make<ReqGeneral>(REQ_GETQUORATE));
}

Request trackstart(uint32_t flags)
{
	auto body = make<ReqTrackstart>(REQ_TRACKSTART);
	body.track_flags = flags;
	return Request(body);
}

Request trackstop()
{
	return Request(make<ReqGeneral>(REQ_TRACKSTOP));
}

Request gettype()
{
	return Request(make<ReqGeneral>(REQ_GETTYPE));
}

Request model_gettype(uint32_t model)
{
	auto body = make<ReqModelGettype>(REQ_MODEL_GETTYPE);
	body.model = model;
	return Request(body);
}

cs_error_t decode_getquorate(std::span<const std::byte> reply, int& quorate)
{
	if (cs_error_t err = check_reply(reply, RES_GETQUORATE, sizeof(ResGetquorate)); err != CS_OK) {
		return err;
	}
	quorate = static_cast<int>(ipc::field<uint32_t>(reply, offsetof(ResGetquorate, quorate)));
	return CS_OK;
}

cs_error_t decode_gettype(std::span<const std::byte> reply, int32_t id, uint32_t& quorum_type)
{
	if (cs_error_t err = check_reply(reply, id, sizeof(ResGettype)); err != CS_OK) {
		return err;
	}
	quorum_type = ipc::field<uint32_t>(reply, offsetof(ResGettype, quorum_type));
	return CS_OK;
}

cs_error_t decode_track(std::span<const std::byte> reply, int32_t id)
{
	return check_reply(reply, id, sizeof(ResGeneral));
}

}  // namespace vq::quorum::wire
