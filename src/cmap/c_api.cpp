// The C ABI of libcmap.so.4: every exported entry point, and nothing else.
// What every service's shim does alike is core/c_shim.hpp's; this file adds
// the cmap service's initialization, requests and tracks. Each call checks
// its arguments in the reference's order (the key, then the handle, then
// what the reference would dereference), and refuses a NULL the reference
// would crash on. No exception leaves it.
#include "callback_sink.hpp"
#include "requests.hpp"

#include "core/c_shim.hpp"

#include <corosync/cmap.h>

#include <cstring>
#include <string_view>

namespace {

using Shim = vq::CShim<vq::cmap::CallbackSink>;
using Handle = Shim::Handle;
namespace calls = vq::cmap::calls;

// A key or prefix the caller passed: CS_ERR_INVALID_PARAM for NULL,
// CS_ERR_NAME_TOO_LONG above CMAP_KEYNAME_MAXLEN bytes, else CS_OK and
// `out` viewing it.
cs_error_t checked_key(const char* key, std::string_view& out) noexcept
{
	if (key == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	const std::size_t length = strnlen(key, CMAP_KEYNAME_MAXLEN + 1);
	if (!vq::cmap::wire::key_fits(length)) {
		return CS_ERR_NAME_TOO_LONG;
	}
	out = std::string_view(key, length);
	return CS_OK;
}

// Connects, and with `map` set asks for that map first: the handle is
// issued only once the daemon has granted it.
cs_error_t open_handle(cmap_handle_t* handle, const int* map)
{
	if (handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::open(vq::cmap::kService, handle, nullptr, [&](Handle& h) {
		return map == nullptr ? CS_OK : calls::set_current_map(*h.connection, *map);
	});
}

cs_error_t set_value(cmap_handle_t handle, const char* key_name, const void* value, std::size_t value_len, int type)
{
	std::string_view key;
	if (key_name == nullptr || value == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	return Shim::with(handle, [&](Handle& h) {
		// After the handle, as the reference (whose daemon refuses the type).
		if (type < CMAP_VALUETYPE_INT8 || type > CMAP_VALUETYPE_BINARY) {
			return CS_ERR_INVALID_PARAM;  // the wire carries a byte: 257 must not become INT8
		}
		return calls::set(*h.connection, key, value, value_len, static_cast<uint8_t>(type));
	});
}

template <class T, cmap_value_types_t Type>
cs_error_t set_typed(cmap_handle_t handle, const char* key_name, T value)
{
	return set_value(handle, key_name, &value, sizeof value, Type);
}

// The typed getters: the value must be of type Type (else
// CS_ERR_INVALID_PARAM, as the reference says).
template <class T, cmap_value_types_t Type>
cs_error_t get_typed(cmap_handle_t handle, const char* key_name, T* out)
{
	std::string_view key;
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	return Shim::with(handle, [&](Handle& h) {
		if (out == nullptr) {
			return CS_ERR_INVALID_PARAM;
		}
		std::byte value[16];  // the reference's room: a longer value of another type is refused by the daemon
		std::size_t len = 0;
		uint8_t type = 0;
		if (cs_error_t err = calls::get(*h.connection, key, value, sizeof value, len, type); err != CS_OK) {
			return err;
		}
		if (type != Type) {
			return CS_ERR_INVALID_PARAM;
		}
		if (len != sizeof(T)) {
			return CS_ERR_MESSAGE_ERROR;  // a daemon's value of the type is always its size
		}
		std::memcpy(out, value, sizeof(T));
		return CS_OK;
	});
}

cs_error_t adjust(cmap_handle_t handle, const char* key_name, int32_t step)
{
	std::string_view key;
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	return Shim::with(handle, [&](Handle& h) { return calls::adjust_int(*h.connection, key, step); });
}

}  // namespace

VQ_EXPORT cs_error_t cmap_initialize(cmap_handle_t* handle)
{
	return open_handle(handle, nullptr);
}

VQ_EXPORT cs_error_t cmap_initialize_map(cmap_handle_t* handle, cmap_map_t map)
{
	const int raw_map = vq::raw_int(map);  // any int: the daemon answers CS_ERR_NOT_EXIST for another map
	return open_handle(handle, &raw_map);
}

VQ_EXPORT cs_error_t cmap_finalize(cmap_handle_t handle)
{
	return Shim::finalize(handle);
}

VQ_EXPORT cs_error_t cmap_fd_get(cmap_handle_t handle, int* fd)
{
	return Shim::fd_get(handle, fd);
}

VQ_EXPORT cs_error_t cmap_dispatch(cmap_handle_t handle, cs_dispatch_flags_t dispatch_types)
{
	return Shim::dispatch(handle, dispatch_types);
}

VQ_EXPORT cs_error_t cmap_context_get(cmap_handle_t handle, const void** context)
{
	return Shim::context_get(handle, context);
}

VQ_EXPORT cs_error_t cmap_context_set(cmap_handle_t handle, const void* context)
{
	return Shim::context_set(handle, context);
}

VQ_EXPORT cs_error_t cmap_set(cmap_handle_t handle, const char* key_name, const void* value, size_t value_len,
	cmap_value_types_t type)
{
	return set_value(handle, key_name, value, value_len, vq::raw_int(type));
}

VQ_EXPORT cs_error_t cmap_set_int8(cmap_handle_t handle, const char* key_name, int8_t value)
{
	return set_typed<int8_t, CMAP_VALUETYPE_INT8>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_uint8(cmap_handle_t handle, const char* key_name, uint8_t value)
{
	return set_typed<uint8_t, CMAP_VALUETYPE_UINT8>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_int16(cmap_handle_t handle, const char* key_name, int16_t value)
{
	return set_typed<int16_t, CMAP_VALUETYPE_INT16>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_uint16(cmap_handle_t handle, const char* key_name, uint16_t value)
{
	return set_typed<uint16_t, CMAP_VALUETYPE_UINT16>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_int32(cmap_handle_t handle, const char* key_name, int32_t value)
{
	return set_typed<int32_t, CMAP_VALUETYPE_INT32>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_uint32(cmap_handle_t handle, const char* key_name, uint32_t value)
{
	return set_typed<uint32_t, CMAP_VALUETYPE_UINT32>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_int64(cmap_handle_t handle, const char* key_name, int64_t value)
{
	return set_typed<int64_t, CMAP_VALUETYPE_INT64>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_uint64(cmap_handle_t handle, const char* key_name, uint64_t value)
{
	return set_typed<uint64_t, CMAP_VALUETYPE_UINT64>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_float(cmap_handle_t handle, const char* key_name, float value)
{
	return set_typed<float, CMAP_VALUETYPE_FLOAT>(handle, key_name, value);
}

VQ_EXPORT cs_error_t cmap_set_double(cmap_handle_t handle, const char* key_name, double value)
{
	return set_typed<double, CMAP_VALUETYPE_DOUBLE>(handle, key_name, value);
}

// The string's length without its NUL, as the reference sends it (so a
// string of the daemon's largest value length, 16384, is taken); the daemon
// stores it with a NUL, and the request carries one (wire::set).
VQ_EXPORT cs_error_t cmap_set_string(cmap_handle_t handle, const char* key_name, const char* value)
{
	if (value == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return set_value(handle, key_name, value, std::strlen(value), CMAP_VALUETYPE_STRING);
}

VQ_EXPORT cs_error_t cmap_delete(cmap_handle_t handle, const char* key_name)
{
	std::string_view key;
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	return Shim::with(handle, [&](Handle& h) { return calls::delete_key(*h.connection, key); });
}

VQ_EXPORT cs_error_t cmap_get(cmap_handle_t handle, const char* key_name, void* value, size_t* value_len,
	cmap_value_types_t* type)
{
	std::string_view key;
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	if (value != nullptr && value_len == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::with(handle, [&](Handle& h) {
		std::size_t len = 0;
		uint8_t got_type = 0;
		const std::size_t room = value == nullptr ? 0 : *value_len;
		if (cs_error_t err = calls::get(*h.connection, key, value, room, len, got_type); err != CS_OK) {
			return err;
		}
		if (type != nullptr) {
			vq::cmap::put_value_type(type, got_type);
		}
		if (value_len != nullptr) {
			*value_len = len;
		}
		return CS_OK;
	});
}

VQ_EXPORT cs_error_t cmap_get_int8(cmap_handle_t handle, const char* key_name, int8_t* i8)
{
	return get_typed<int8_t, CMAP_VALUETYPE_INT8>(handle, key_name, i8);
}

VQ_EXPORT cs_error_t cmap_get_uint8(cmap_handle_t handle, const char* key_name, uint8_t* u8)
{
	return get_typed<uint8_t, CMAP_VALUETYPE_UINT8>(handle, key_name, u8);
}

VQ_EXPORT cs_error_t cmap_get_int16(cmap_handle_t handle, const char* key_name, int16_t* i16)
{
	return get_typed<int16_t, CMAP_VALUETYPE_INT16>(handle, key_name, i16);
}

VQ_EXPORT cs_error_t cmap_get_uint16(cmap_handle_t handle, const char* key_name, uint16_t* u16)
{
	return get_typed<uint16_t, CMAP_VALUETYPE_UINT16>(handle, key_name, u16);
}

VQ_EXPORT cs_error_t cmap_get_int32(cmap_handle_t handle, const char* key_name, int32_t* i32)
{
	return get_typed<int32_t, CMAP_VALUETYPE_INT32>(handle, key_name, i32);
}

VQ_EXPORT cs_error_t cmap_get_uint32(cmap_handle_t handle, const char* key_name, uint32_t* u32)
{
	return get_typed<uint32_t, CMAP_VALUETYPE_UINT32>(handle, key_name, u32);
}

VQ_EXPORT cs_error_t cmap_get_int64(cmap_handle_t handle, const char* key_name, int64_t* i64)
{
	return get_typed<int64_t, CMAP_VALUETYPE_INT64>(handle, key_name, i64);
}

VQ_EXPORT cs_error_t cmap_get_uint64(cmap_handle_t handle, const char* key_name, uint64_t* u64)
{
	return get_typed<uint64_t, CMAP_VALUETYPE_UINT64>(handle, key_name, u64);
}

VQ_EXPORT cs_error_t cmap_get_float(cmap_handle_t handle, const char* key_name, float* flt)
{
	return get_typed<float, CMAP_VALUETYPE_FLOAT>(handle, key_name, flt);
}

VQ_EXPORT cs_error_t cmap_get_double(cmap_handle_t handle, const char* key_name, double* dbl)
{
	return get_typed<double, CMAP_VALUETYPE_DOUBLE>(handle, key_name, dbl);
}

VQ_EXPORT cs_error_t cmap_get_string(cmap_handle_t handle, const char* key_name, char** str)
{
	std::string_view key;
	if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
		return err;
	}
	return Shim::with(handle, [&](Handle& h) {
		return str == nullptr ? CS_ERR_INVALID_PARAM : calls::get_string(*h.connection, key, *str);
	});
}

VQ_EXPORT cs_error_t cmap_inc(cmap_handle_t handle, const char* key_name)
{
	return adjust(handle, key_name, 1);
}

VQ_EXPORT cs_error_t cmap_dec(cmap_handle_t handle, const char* key_name)
{
	return adjust(handle, key_name, -1);
}

VQ_EXPORT cs_error_t cmap_iter_init(cmap_handle_t handle, const char* prefix, cmap_iter_handle_t* cmap_iter_handle)
{
	if (cmap_iter_handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::with(handle, [&](Handle& h) {
		std::string_view key;  // NULL: every key
		if (prefix != nullptr) {
			if (cs_error_t err = checked_key(prefix, key); err != CS_OK) {
				return err;
			}
		}
		return calls::iter_init(*h.connection, key, *cmap_iter_handle);
	});
}

VQ_EXPORT cs_error_t cmap_iter_next(cmap_handle_t handle, cmap_iter_handle_t iter_handle, char key_name[],
	size_t* value_len, cmap_value_types_t* type)
{
	if (key_name == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::with(handle, [&](Handle& h) {
		std::size_t len = 0;
		uint8_t got_type = 0;
		if (cs_error_t err = calls::iter_next(*h.connection, iter_handle, key_name, len, got_type); err != CS_OK) {
			return err;
		}
		if (value_len != nullptr) {
			*value_len = len;
		}
		if (type != nullptr) {
			vq::cmap::put_value_type(type, got_type);
		}
		return CS_OK;
	});
}

VQ_EXPORT cs_error_t cmap_iter_finalize(cmap_handle_t handle, cmap_iter_handle_t iter_handle)
{
	return Shim::with(handle, [&](Handle& h) { return calls::iter_finalize(*h.connection, iter_handle); });
}

VQ_EXPORT cs_error_t cmap_track_add(cmap_handle_t handle, const char* key_name, int32_t track_type,
	cmap_notify_fn_t notify_fn, void* user_data, cmap_track_handle_t* cmap_track_handle)
{
	if (cmap_track_handle == nullptr || notify_fn == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::with(handle, [&](Handle& h) {
		std::string_view key;  // NULL: every key
		if (key_name != nullptr) {
			if (cs_error_t err = checked_key(key_name, key); err != CS_OK) {
				return err;
			}
		}
		// Entered first: the track's first notification may come before
		// the reply does (to another thread's dispatch).
		vq::cmap::Tracks& tracks = h.sink.tracks;
		const uint64_t inst = tracks.enter(notify_fn, user_data);
		uint64_t track = 0;
		if (cs_error_t err = calls::track_add(*h.connection, key, track_type, inst, track); err != CS_OK) {
			tracks.leave(inst);
			return err;
		}
		tracks.set_handle(inst, track);
		*cmap_track_handle = track;
		return CS_OK;
	});
}

VQ_EXPORT cs_error_t cmap_track_delete(cmap_handle_t handle, cmap_track_handle_t track_handle)
{
	return Shim::with(handle, [&](Handle& h) {
		uint64_t inst = 0;
		if (cs_error_t err = calls::track_delete(*h.connection, track_handle, inst); err != CS_OK) {
			return err;
		}
		h.sink.tracks.leave(inst);
		return CS_OK;
	});
}
