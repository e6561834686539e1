#include "wire.hpp"

#include <cassert>

namespace vq::cmap::wire {

using ipc::check_reply;
using ipc::make;

namespace {

void put_key(Name& field, std::string_view key) noexcept
{
	assert(key_fits(key.size()));
	field.length = static_cast<uint16_t>(key.size());
	if (!key.empty()) {
		std::memcpy(field.value, key.data(), key.size());
	}
}

template <class T>
Request with_key(int32_t id, std::string_view key)
{
	auto body = make<T>(id);
	put_key(body.key, key);
	return Request(body);
}

Request with_handle(int32_t id, uint64_t handle)
{
	auto body = make<ReqHandle>(id);
	body.handle = handle;
	return Request(body);
}

}  // namespace

Request set(std::string_view key, const void* value, std::size_t value_len, uint8_t type)
{
	auto body = make<ReqSet>(REQ_SET);
	put_key(body.key, key);
	body.value_len = value_len;
	body.type = type;
	// The daemon measures a string with strlen from its first byte, however
	// long value_len says it is: a NUL after the value, uncounted, keeps that
	// inside this message (the value stored is the same: the string up to
	// value_len bytes, then a NUL).
	return Request(body, kSetValue, value, value_len, type == CMAP_VALUETYPE_STRING ? 1 : 0);
}

Request delete_key(std::string_view key)
{
	return with_key<ReqKey>(REQ_DELETE, key);
}

Request get(std::string_view key, uint64_t room)
{
	auto body = make<ReqGet>(REQ_GET);
	put_key(body.key, key);
	body.value_len = room;
	return Request(body);
}

Request adjust_int(std::string_view key, int32_t step)
{
	auto body = make<ReqAdjustInt>(REQ_ADJUST_INT);
	put_key(body.key, key);
	body.step = step;
	return Request(body);
}

Request iter_init(std::string_view prefix)
{
	auto body = make<ReqIterInit>(REQ_ITER_INIT);
	put_key(body.prefix, prefix);
	return Request(body);
}

Request iter_next(uint64_t iter)
{
	return with_handle(REQ_ITER_NEXT, iter);
}

Request iter_finalize(uint64_t iter)
{
	return with_handle(REQ_ITER_FINALIZE, iter);
}

Request track_add(std::string_view key, int32_t track_type, uint64_t track_inst)
{
	auto body = make<ReqTrackAdd>(REQ_TRACK_ADD);
	put_key(body.key, key);
	body.track_type = track_type;
	body.track_inst = track_inst;
	return Request(body);
}

Request track_delete(uint64_t track)
{
	return with_handle(REQ_TRACK_DELETE, track);
}

Request set_current_map(int32_t map)
{
	auto body = make<ReqSetCurrentMap>(REQ_SET_CURRENT_MAP);
	body.map = map;
	return Request(body);
}

cs_error_t decode_general(std::span<const std::byte> reply, int32_t id)
{
	return check_reply(reply, id, sizeof(ResGeneral));
}

cs_error_t decode_get(std::span<const std::byte> reply, uint64_t room, GetReply& out)
{
	if (cs_error_t err = check_reply(reply, RES_GET, sizeof(ResGet)); err != CS_OK) {
		return err;
	}
	const auto value_len = ipc::field<uint64_t>(reply, offsetof(ResGet, value_len));
	const std::size_t held = reply.size() - kGetValue;
	if (room != 0 && (value_len > room || value_len > held)) {
		return CS_ERR_MESSAGE_ERROR;
	}
	out.type = ipc::field<uint8_t>(reply, offsetof(ResGet, type));
	out.value_len = value_len;
	out.value = room == 0 ? std::span<const std::byte>() : reply.subspan(kGetValue, static_cast<std::size_t>(value_len));
	return CS_OK;
}

cs_error_t decode_handle(std::span<const std::byte> reply, int32_t id, uint64_t& handle)
{
	if (cs_error_t err = check_reply(reply, id, sizeof(ResHandle)); err != CS_OK) {
		return err;
	}
	handle = ipc::field<uint64_t>(reply, offsetof(ResHandle, handle));
	return CS_OK;
}

cs_error_t decode_iter_next(std::span<const std::byte> reply, IterEntry& out)
{
	if (cs_error_t err = check_reply(reply, RES_ITER_NEXT, sizeof(ResIterNext)); err != CS_OK) {
		return err;
	}
	if (!key_in_place(reply, offsetof(ResIterNext, key), out.key)) {
		return CS_ERR_MESSAGE_ERROR;
	}
	out.value_len = ipc::field<uint64_t>(reply, offsetof(ResIterNext, value_len));
	out.type = ipc::field<uint8_t>(reply, offsetof(ResIterNext, type));
	return CS_OK;
}

}  // namespace vq::cmap::wire
