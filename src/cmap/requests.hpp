// The cmap service's calls layer: every request of the service, encoded,
// sent over a core Connection and its reply decoded, here and nowhere else.
// The C shim calls these; it encodes no request itself.
#pragma once

#include "core/connection.hpp"
#include "wire.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vq::cmap {

// The largest value the calls carry. The daemon refuses values above 16 KiB
// (a string's may be one byte more, for its NUL); this leaves room for a
// daemon that allows more, and bounds the room a GET asks the daemon to
// send, whatever buffer the caller passed.
inline constexpr std::size_t kMaxValue = 64 * 1024;

// The IPC endpoint and message sizes of the cmap service. Its largest
// message is a notification carrying two values (336 bytes and at most
// twice kMaxValue). The ring is 768 KiB, not votequorum's 256 KiB: a track
// notification is several times a votequorum one, so 256 KiB holds a few
// hundred, and past that corosync refills the ring one loop pass at a
// time. Draining 10,000 track changes against the reference (bench/c_bench.c,
// 2026-12-06, medians of 4 runs): 256 KiB 0.35 to 0.41 of its rate (and
// initialize+finalize 3.3 times its rate), 512 KiB 0.85 in ONE mode, 768 KiB
// 1.07 (ALL) and 1.10 (ONE) with initialize+finalize 1.29 times, 1 MiB
// (the reference's) about 1.0 but initialize+finalize 0.86 to 0.99.
inline constexpr Service kService{"cmap", 768 * 1024, wire::kNotifyValues + 2 * kMaxValue};

}  // namespace vq::cmap

// One round trip per function; each returns the transport's error, the
// daemon's, or CS_ERR_MESSAGE_ERROR for a reply that is not what it should
// be. Keys have been checked by the callers (wire::key_fits).
namespace vq::cmap::calls {

// Which map the connection reads and writes (wire::kMapDefault or
// kMapStats); the daemon refuses it (CS_ERR_BUSY) while the connection has
// iterators or tracks.
cs_error_t set_current_map(Connection& c, int32_t map);
// More than kMaxValue bytes is CS_ERR_INVALID_PARAM, unsent.
cs_error_t set(Connection& c, std::string_view key, const void* value, std::size_t value_len, uint8_t type);
cs_error_t delete_key(Connection& c, std::string_view key);
// The value's type and length; with `room` other than 0, also its bytes,
// copied into `value` (which has room for that many). A value longer than
// the room is the daemon's CS_ERR_INVALID_PARAM. A room above kMaxValue is
// asked as kMaxValue.
cs_error_t get(Connection& c, std::string_view key, void* value, std::size_t room, std::size_t& value_len,
	uint8_t& type);
// A string value, NUL-terminated, in memory from malloc (the caller frees
// it); CS_ERR_INVALID_PARAM when the value is not a string.
cs_error_t get_string(Connection& c, std::string_view key, char*& out);
// The whole value, whatever its length (up to kMaxValue), and its type.
cs_error_t get_value(Connection& c, std::string_view key, std::vector<std::byte>& out, uint8_t& type);
cs_error_t adjust_int(Connection& c, std::string_view key, int32_t step);
cs_error_t iter_init(Connection& c, std::string_view prefix, uint64_t& iter);
// `key` has room for CMAP_KEYNAME_MAXLEN + 1 bytes; it is NUL-terminated.
cs_error_t iter_next(Connection& c, uint64_t iter, char* key, std::size_t& value_len, uint8_t& type);
cs_error_t iter_finalize(Connection& c, uint64_t iter);
// `track_inst` is ours: every notification of the track carries it.
cs_error_t track_add(Connection& c, std::string_view key, int32_t track_type, uint64_t track_inst, uint64_t& track);
// The track's inst, as the daemon held it.
cs_error_t track_delete(Connection& c, uint64_t track, uint64_t& track_inst);

}  // namespace vq::cmap::calls
