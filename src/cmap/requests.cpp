#include "requests.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace vq::cmap::calls {

cs_error_t set_current_map(Connection& c, int32_t map)
{
	return round_trip(c, wire::set_current_map(map), wire::decode_general, wire::RES_SET_CURRENT_MAP);
}

cs_error_t set(Connection& c, std::string_view key, const void* value, std::size_t value_len, uint8_t type)
{
	if (value_len > kMaxValue) {
		return CS_ERR_INVALID_PARAM;  // what the daemon answers for a value above its own limit
	}
	return round_trip(c, wire::set(key, value, value_len, type), wire::decode_general, wire::RES_SET);
}

cs_error_t delete_key(Connection& c, std::string_view key)
{
	return round_trip(c, wire::delete_key(key), wire::decode_general, wire::RES_DELETE);
}

cs_error_t get(Connection& c, std::string_view key, void* value, std::size_t room, std::size_t& value_len,
	uint8_t& type)
{
	const std::size_t asked = std::min(room, kMaxValue);
	return c.transact(wire::get(key, asked), [&](std::span<const std::byte> reply) {
		wire::GetReply got{};
		if (cs_error_t err = wire::decode_get(reply, asked, got); err != CS_OK) {
			return err;
		}
		if (!got.value.empty()) {
			std::memcpy(value, got.value.data(), got.value.size());
		}
		value_len = static_cast<std::size_t>(got.value_len);
		type = got.type;
		return CS_OK;
	});
}

cs_error_t get_string(Connection& c, std::string_view key, char*& out)
{
	// Its length first, then the string; if it grew in between (the
	// daemon then refuses the room as too small), once more.
	constexpr int kAttempts = 4;
	for (int attempt = 1;; ++attempt) {
		std::size_t len = 0;
		uint8_t type = 0;
		if (cs_error_t err = get(c, key, nullptr, 0, len, type); err != CS_OK) {
			return err;
		}
		if (type != CMAP_VALUETYPE_STRING || len > kMaxValue) {
			return CS_ERR_INVALID_PARAM;
		}
		auto* text = static_cast<char*>(std::malloc(len + 1));
		if (text == nullptr) {
			return CS_ERR_NO_MEMORY;
		}
		std::size_t got = 0;
		const cs_error_t err = get(c, key, text, len, got, type);
		if (err == CS_OK && type == CMAP_VALUETYPE_STRING) {
			text[std::min(got, len)] = '\0';
			out = text;
			return CS_OK;
		}
		std::free(text);
		if (err == CS_OK) {
			return CS_ERR_INVALID_PARAM;  // no longer a string
		}
		if (err != CS_ERR_INVALID_PARAM || attempt == kAttempts) {
			return err;
		}
	}
}

cs_error_t get_value(Connection& c, std::string_view key, std::vector<std::byte>& out, uint8_t& type)
{
	// As get_string: its length first, then the value, again if it grew.
	constexpr int kAttempts = 4;
	for (int attempt = 1;; ++attempt) {
		std::size_t len = 0;
		if (cs_error_t err = get(c, key, nullptr, 0, len, type); err != CS_OK) {
			return err;
		}
		if (len > kMaxValue) {
			return CS_ERR_TOO_BIG;
		}
		out.resize(len);
		if (len == 0) {
			return CS_OK;
		}
		std::size_t got = 0;
		const cs_error_t err = get(c, key, out.data(), len, got, type);
		if (err == CS_OK) {
			out.resize(std::min(got, len));
			return CS_OK;
		}
		if (err != CS_ERR_INVALID_PARAM || attempt == kAttempts) {
			return err;
		}
	}
}

cs_error_t adjust_int(Connection& c, std::string_view key, int32_t step)
{
	return round_trip(c, wire::adjust_int(key, step), wire::decode_general, wire::RES_ADJUST_INT);
}

cs_error_t iter_init(Connection& c, std::string_view prefix, uint64_t& iter)
{
	return round_trip(c, wire::iter_init(prefix), wire::decode_handle, wire::RES_ITER_INIT, iter);
}

cs_error_t iter_next(Connection& c, uint64_t iter, char* key, std::size_t& value_len, uint8_t& type)
{
	return c.transact(wire::iter_next(iter), [&](std::span<const std::byte> reply) {
		wire::IterEntry entry{};
		if (cs_error_t err = wire::decode_iter_next(reply, entry); err != CS_OK) {
			return err;
		}
		std::memcpy(key, entry.key.data(), entry.key.size());
		key[entry.key.size()] = '\0';
		value_len = static_cast<std::size_t>(entry.value_len);
		type = entry.type;
		return CS_OK;
	});
}

cs_error_t iter_finalize(Connection& c, uint64_t iter)
{
	return round_trip(c, wire::iter_finalize(iter), wire::decode_general, wire::RES_ITER_FINALIZE);
}

cs_error_t track_add(Connection& c, std::string_view key, int32_t track_type, uint64_t track_inst, uint64_t& track)
{
	return round_trip(c, wire::track_add(key, track_type, track_inst), wire::decode_handle, wire::RES_TRACK_ADD, track);
}

cs_error_t track_delete(Connection& c, uint64_t track, uint64_t& track_inst)
{
	return round_trip(c, wire::track_delete(track), wire::decode_handle, wire::RES_TRACK_DELETE, track_inst);
}

}  // namespace vq::cmap::calls
