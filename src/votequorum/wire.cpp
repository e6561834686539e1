#include "wire.hpp"


#include <algorithm>
#include <cstddef>
#include <cstring>

namespace vq::votequorum::wire {

using ipc::check_reply;
using ipc::make;

void put_name(char (&field)[kNameLen], const char* name) noexcept
{
	std::memset(field, 0, kNameLen);
	std::memcpy(field, name, strnlen(name, kNameLen - 1));
}

Request getinfo(uint32_t nodeid)
{
	auto body = make<ReqGetinfo>(REQ_GETINFO);
	body.nodeid = static_cast<int32_t>(nodeid);
	return Request(body);
}

Request setexpected(uint32_t expected_votes)
{
	auto body = make<ReqSetexpected>(REQ_SETEXPECTED);
	body.expected_votes = expected_votes;
	return Request(body);
}

Request setvotes(uint32_t nodeid, uint32_t votes)
{
	auto body = make<ReqSetvotes>(REQ_SETVOTES);
	body.votes = votes;
	body.nodeid = static_cast<int32_t>(nodeid);
	return Request(body);
}

Request trackstart(uint64_t context, uint32_t flags)
{
	auto body = make<ReqTrackstart>(REQ_TRACKSTART);
	body.context = context;
	body.track_flags = flags;
	return Request(body);
}

Request trackstop()
{
	return Request(make<ReqGeneral>(REQ_TRACKSTOP));
}

Request qdevice_register(const char* name)
{
	auto body = make<ReqQdeviceName>(REQ_QDEVICE_REGISTER);
	put_name(body.name, name);
	return Request(body);
}

Request qdevice_unregister(const char* name)
{
	auto body = make<ReqQdeviceName>(REQ_QDEVICE_UNREGISTER);
	put_name(body.name, name);
	return Request(body);
}

Request qdevice_update(const char* oldname, const char* newname)
{
	auto body = make<ReqQdeviceUpdate>(REQ_QDEVICE_UPDATE);
	put_name(body.oldname, oldname);
	put_name(body.newname, newname);
	return Request(body);
}

Request qdevice_poll(const char* name, uint32_t cast_vote, votequorum_ring_id_t ring_id)
{
	auto body = make<ReqQdevicePoll>(REQ_QDEVICE_POLL);
	put_name(body.name, name);
	body.cast_vote = static_cast<int32_t>(cast_vote);
	body.ring_id.nodeid = ring_id.nodeid;
	body.ring_id.seq = ring_id.seq;
	return Request(body);
}

Request qdevice_master_wins(const char* name, uint32_t allow)
{
	auto body = make<ReqQdeviceMasterWins>(REQ_QDEVICE_MASTER_WINS);
	put_name(body.name, name);
	body.allow = allow;
	return Request(body);
}

Request set_extra_info(const void* data, uint32_t size)
{
	auto body = make<ReqSetExtraInfo>(REQ_QDEVICE_SET_EXTRA_INFO);
	body.ei_size = size;
	return Request(body, kSetExtraInfoData, data, size);
}

Request get_extra_info(uint32_t nodeid)
{
	auto body = make<ReqGetExtraInfo>(REQ_QDEVICE_GET_EXTRA_INFO);
	body.nodeid = static_cast<int32_t>(nodeid);
	return Request(body);
}

cs_error_t decode_status(std::span<const std::byte> reply)
{
	return check_reply(reply, RES_STATUS, sizeof(ResStatus));
}

cs_error_t decode_getinfo(std::span<const std::byte> reply, votequorum_info& out)
{
	if (cs_error_t err = check_reply(reply, RES_GETINFO, sizeof(ResGetinfo)); err != CS_OK) {
		return err;
	}
	const auto res = ipc::field<ResGetinfo>(reply, 0);
	const std::size_t name_len = strnlen(res.qdevice_name, kNameLen);
	if (name_len == kNameLen) {
		return CS_ERR_MESSAGE_ERROR;  // no terminating NUL
	}
	std::memset(&out, 0, sizeof out);
	out.node_id = res.nodeid;
	out.node_state = res.state;
	out.node_votes = res.votes;
	out.node_expected_votes = res.expected_votes;
	out.highest_expected = res.highest_expected;
	out.total_votes = res.total_votes;
	out.quorum = res.quorum;
	out.flags = res.flags;
	out.qdevice_votes = res.qdevice_votes;
	std::memcpy(out.qdevice_name, res.qdevice_name, name_len);
	return CS_OK;
}

cs_error_t decode_get_extra_info(std::span<const std::byte> reply, uint32_t& size, void* out)
{
	if (cs_error_t err = check_reply(reply, RES_GET_EXTRA_INFO, kGetExtraInfoData); err != CS_OK) {
		return err;
	}
	uint32_t ei_size;
	std::memcpy(&ei_size, reply.data() + offsetof(ResGetExtraInfo, ei_size), sizeof ei_size);
	if (ei_size > kExtraInfoMax || !ipc::entries_fit(reply.size(), kGetExtraInfoData, ei_size, 1)) {
		return CS_ERR_MESSAGE_ERROR;
	}
	if (ei_size != 0) {
		std::memcpy(out, reply.data() + kGetExtraInfoData, ei_size);
	}
	size = ei_size;
	return CS_OK;
}

}  // namespace vq::votequorum::wire
