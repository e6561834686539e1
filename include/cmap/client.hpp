// cmap::Client — a C++20 interface to corosync's configuration and
// statistics map, with the conventions of votequorum::Client and
// quorum::Client: a move-only, RAII connection; results as std::error_code
// in the cs_error_t category; changes of tracked keys as typed events whose
// key and values are views; fd() and dispatch() for the caller's event loop;
// optional connect and request timeouts; every member is safe to call from
// several threads.
// Link: -lvotequorum-cpp, or the CMake target votequorum::cpp.
#pragma once

#include <corosync/cmap.h>
#include <corosync/client.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cmap {

using corosync::Options;
using corosync::Result;

// The map a client reads and writes: the configuration (and runtime) map,
// or the statistics map.
enum class Map { config = CMAP_MAP_DEFAULT, stats = CMAP_MAP_STATS };

// A value as the daemon holds it: its type (a CMAP_VALUETYPE_*, as the
// daemon's byte; 0 in a notification for no value) and its bytes (a
// string's with its NUL).
struct Value {
	uint8_t type = 0;
	std::vector<std::byte> bytes;

	bool operator==(const Value&) const = default;
};

// A key an iteration found, with its value's length and type.
struct Entry {
	std::string key;
	std::size_t length = 0;
	uint8_t type = 0;

	bool operator==(const Entry&) const = default;
};

// A value in a notification: a view into the library's receive buffer,
// valid while the handler runs.
struct ValueView {
	uint8_t type;
	std::span<const std::byte> bytes;
};

// A change of a tracked key: `event` is CMAP_TRACK_ADD, CMAP_TRACK_DELETE or
// CMAP_TRACK_MODIFY; `track` is what track() returned.
struct ChangeEvent {
	cmap_track_handle_t track;
	int32_t event;
	std::string_view key;
	ValueView new_value;
	ValueView old_value;
};

// The CMAP_VALUETYPE_* of each number type the typed members take.
template <class T>
inline constexpr uint8_t kTypeOf = std::is_same_v<T, int8_t> ? CMAP_VALUETYPE_INT8
	: std::is_same_v<T, uint8_t>                              ? CMAP_VALUETYPE_UINT8
	: std::is_same_v<T, int16_t>                              ? CMAP_VALUETYPE_INT16
	: std::is_same_v<T, uint16_t>                             ? CMAP_VALUETYPE_UINT16
	: std::is_same_v<T, int32_t>                              ? CMAP_VALUETYPE_INT32
	: std::is_same_v<T, uint32_t>                             ? CMAP_VALUETYPE_UINT32
	: std::is_same_v<T, int64_t>                              ? CMAP_VALUETYPE_INT64
	: std::is_same_v<T, uint64_t>                             ? CMAP_VALUETYPE_UINT64
	: std::is_same_v<T, float>                                ? CMAP_VALUETYPE_FLOAT
	: std::is_same_v<T, double>                               ? CMAP_VALUETYPE_DOUBLE
	                                                          : 0;

class COROSYNC_CPP_API Client : public corosync::ClientBase {
public:
	using Handler = std::function<void(const ChangeEvent&)>;

	// Connects to the local corosync's cmap service and selects `map`.
	// `handler` receives the changes of tracked keys that dispatch() takes,
	// in the thread that calls dispatch(), with no lock of the library
	// held; it may call any member of this Client (untrack() of its own
	// track included). The server must run as root or as this process's
	// effective uid (else CS_ERR_ACCESS).
	static Result<Client> connect(Handler handler = {}, Options options = {}, Map map = Map::config);

	// A key has 1 to CMAP_KEYNAME_MAXLEN bytes (else CS_ERR_NAME_TOO_LONG)
	// and no NUL (else CS_ERR_INVALID_PARAM).
	Result<Value> get(std::string_view key) const;
	// A string value, without its NUL; CS_ERR_INVALID_PARAM for another type.
	Result<std::string> get_string(std::string_view key) const;
	// A number of T's type; CS_ERR_INVALID_PARAM for another type.
	template <class T>
	Result<T> get_number(std::string_view key) const
	{
		static_assert(kTypeOf<T> != 0, "a number type of cmap");
		Result<Value> v = get(key);
		if (!v) {
			return v.error();
		}
		if (v->type != kTypeOf<T> || v->bytes.size() != sizeof(T)) {
			return ::make_error_code(CS_ERR_INVALID_PARAM);
		}
		T out;
		std::memcpy(&out, v->bytes.data(), sizeof out);
		return out;
	}

	std::error_code set(std::string_view key, const Value& value) const;
	std::error_code set_string(std::string_view key, std::string_view value) const;
	template <class T>
	std::error_code set_number(std::string_view key, T number) const
	{
		static_assert(kTypeOf<T> != 0, "a number type of cmap");
		Value v{kTypeOf<T>, std::vector<std::byte>(sizeof number)};
		std::memcpy(v.bytes.data(), &number, sizeof number);
		return set(key, v);
	}
	std::error_code remove(std::string_view key) const;
	// Add 1 to, or take 1 from, an integer value.
	std::error_code inc(std::string_view key) const;
	std::error_code dec(std::string_view key) const;

	// The keys under `prefix` (empty: every key), in the daemon's order.
	Result<std::vector<Entry>> keys(std::string_view prefix = {}) const;

	// Tracks `key` (with CMAP_TRACK_PREFIX in `flags`, every key under it):
	// `flags` is an OR of CMAP_TRACK_ADD, _DELETE and _MODIFY, and maybe
	// CMAP_TRACK_PREFIX. Its changes go to the handler.
	Result<cmap_track_handle_t> track(std::string_view key, int32_t flags) const;
	std::error_code untrack(cmap_track_handle_t track) const;

	// fd(), dispatch() (as cmap_dispatch(3)), close() and is_open() are
	// corosync::ClientBase's; the destructor closes the connection.

private:
	using ClientBase::ClientBase;
};

}  // namespace cmap
