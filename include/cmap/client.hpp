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
#include <iterator>
#include <memory>
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

// The keys under a prefix, read from the daemon one at a time as the range
// is walked (Client::iterate): an input range, for a range-for loop or the
// std::ranges algorithms and views; walk it once. The daemon holds the
// iteration until the walk ends or the range goes (its destructor then
// releases it, a request to the daemon). The range may outlive its Client:
// once the client is closed or gone, the walk ends with CS_ERR_BAD_HANDLE.
// A failure ends the walk early; error() says which, and is empty after a
// walk to the last key. One thread walks a range at a time (the Client's
// other members stay safe from any thread meanwhile).
class COROSYNC_CPP_API KeyRange {
	struct State;

public:
	class iterator {
	public:
		using value_type = Entry;
		using difference_type = std::ptrdiff_t;

		iterator() = default;
		// The key found; valid until the next step of the walk.
		const Entry& operator*() const noexcept { return *entry_; }
		const Entry* operator->() const noexcept { return entry_; }
		iterator& operator++()
		{
			entry_ = KeyRange::advance(state_);
			return *this;
		}
		void operator++(int) { ++*this; }
		friend bool operator==(const iterator& i, std::default_sentinel_t) noexcept { return i.entry_ == nullptr; }

	private:
		friend class KeyRange;
		iterator(State* state, const Entry* entry) noexcept : state_(state), entry_(entry) {}
		State* state_ = nullptr;
		const Entry* entry_ = nullptr;
	};

	// The walk's current key: the first on the first call.
	iterator begin();
	std::default_sentinel_t end() const noexcept { return {}; }
	// Why the walk ended early; empty while it goes on or once it reached
	// the last key.
	std::error_code error() const noexcept;

	KeyRange(KeyRange&&) noexcept;
	KeyRange& operator=(KeyRange&&) noexcept;
	~KeyRange();

private:
	friend class Client;
	explicit KeyRange(std::unique_ptr<State> state) noexcept;
	// The next key, or null when the walk has ended.
	static const Entry* advance(State* state) noexcept;

	std::unique_ptr<State> state_;
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

	// The keys under `prefix` (empty: every key), in the daemon's order,
	// read as the range is walked: for (const cmap::Entry& e : *range).
	Result<KeyRange> iterate(std::string_view prefix = {}) const;
	// The same, read at once: the iteration is opened and released inside.
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
