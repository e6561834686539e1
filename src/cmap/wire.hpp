// The cmap service's IPC messages: layouts, encoders and size-checked
// decoders. The headers and the checks every decoder makes are the core's
// (core/message.hpp); docs/wire.md documents the layouts. The daemon aligns
// every field of these messages to 8, so each offset below is the same on
// every architecture (the static_asserts pin them; i386 included, as no
// field is a bare uint64_t).
#pragma once

#include "core/layout.hpp"
#include "core/message.hpp"

#include <corosync/cmap.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vq::cmap::wire {

using ipc::Request;
using ipc::RequestHeader;
using ipc::ResponseHeader;

enum RequestId : int32_t {
	REQ_SET = 0,
	REQ_DELETE = 1,
	REQ_GET = 2,
	REQ_ADJUST_INT = 3,
	REQ_ITER_INIT = 4,
	REQ_ITER_NEXT = 5,
	REQ_ITER_FINALIZE = 6,
	REQ_TRACK_ADD = 7,
	REQ_TRACK_DELETE = 8,
	REQ_SET_CURRENT_MAP = 9,
};

enum ResponseId : int32_t {
	RES_SET = 0,
	RES_DELETE = 1,
	RES_GET = 2,
	RES_ADJUST_INT = 3,
	RES_ITER_INIT = 4,
	RES_ITER_NEXT = 5,
	RES_ITER_FINALIZE = 6,
	RES_TRACK_ADD = 7,
	RES_TRACK_DELETE = 8,
	RES_NOTIFY_CALLBACK = 9,
	RES_SET_CURRENT_MAP = 10,
};

// The two maps of SET_CURRENT_MAP (cmap_map_t's values).
inline constexpr int32_t kMapDefault = 0;
inline constexpr int32_t kMapStats = 1;

// A key name field: its length, then room for 256 bytes. A key has at most
// CMAP_KEYNAME_MAXLEN (255) characters, so the bytes after it are zero.
inline constexpr std::size_t kNameField = CS_MAX_NAME_LENGTH;
struct Name {
	alignas(8) uint16_t length;
	alignas(8) uint8_t value[kNameField];
};

// A key or prefix fits a name field: at most CMAP_KEYNAME_MAXLEN bytes.
constexpr bool key_fits(std::size_t length) noexcept
{
	return length <= CMAP_KEYNAME_MAXLEN;
}

struct ReqSet {  // the value follows, at kSetValue
	RequestHeader header;
	alignas(8) Name key;
	alignas(8) uint64_t value_len;
	alignas(8) uint8_t type;
};
struct ReqKey {  // DELETE
	RequestHeader header;
	alignas(8) Name key;
};
struct ReqGet {
	RequestHeader header;
	alignas(8) Name key;
	alignas(8) uint64_t value_len;  // room for the value in the reply (0: only its length and type)
};
struct ReqAdjustInt {
	RequestHeader header;
	alignas(8) Name key;
	alignas(8) int32_t step;
};
struct ReqIterInit {
	RequestHeader header;
	alignas(8) Name prefix;
};
struct ReqHandle {  // ITER_NEXT, ITER_FINALIZE (an iterator), TRACK_DELETE (a track)
	RequestHeader header;
	alignas(8) uint64_t handle;
};
struct ReqTrackAdd {
	RequestHeader header;
	alignas(8) Name key;
	alignas(8) int32_t track_type;
	alignas(8) uint64_t track_inst;  // ours: the daemon sends it back in every notification of the track
};
struct ReqSetCurrentMap {
	RequestHeader header;
	alignas(8) int32_t map;
};

struct ResGeneral { ResponseHeader header; };  // SET, DELETE, ADJUST_INT, ITER_FINALIZE, SET_CURRENT_MAP
struct ResGet {  // the value follows, at kGetValue: as many bytes as the request made room for
	ResponseHeader header;
	alignas(8) uint64_t value_len;
	alignas(8) uint8_t type;
};
struct ResHandle {  // ITER_INIT (the iterator), TRACK_ADD (the track), TRACK_DELETE (the track's inst)
	ResponseHeader header;
	alignas(8) uint64_t handle;
};
struct ResIterNext {
	ResponseHeader header;
	alignas(8) Name key;
	alignas(8) uint64_t value_len;
	alignas(8) uint8_t type;
};
struct ResNotify {  // the new value, then the old one, follow at kNotifyValues
	ResponseHeader header;
	alignas(8) uint64_t track_inst;
	alignas(8) Name key;
	alignas(8) int32_t event;
	alignas(8) uint8_t new_type;
	alignas(8) uint8_t old_type;
	alignas(8) uint64_t new_len;
	alignas(8) uint64_t old_len;
};

inline constexpr std::size_t kSetValue = sizeof(ReqSet);
inline constexpr std::size_t kGetValue = sizeof(ResGet);
inline constexpr std::size_t kNotifyValues = sizeof(ResNotify);

static_assert(sizeof(Name) == 264);
VQ_LAYOUT(Name, value, 8);
static_assert(sizeof(ReqSet) == 296);
VQ_LAYOUT(ReqSet, key, 16);
VQ_LAYOUT(ReqSet, value_len, 280);
VQ_LAYOUT(ReqSet, type, 288);
static_assert(sizeof(ReqKey) == 280);
VQ_LAYOUT(ReqKey, key, 16);
static_assert(sizeof(ReqGet) == 288);
VQ_LAYOUT(ReqGet, value_len, 280);
static_assert(sizeof(ReqAdjustInt) == 288);
VQ_LAYOUT(ReqAdjustInt, step, 280);
static_assert(sizeof(ReqIterInit) == 280);
VQ_LAYOUT(ReqIterInit, prefix, 16);
static_assert(sizeof(ReqHandle) == 24);
VQ_LAYOUT(ReqHandle, handle, 16);
static_assert(sizeof(ReqTrackAdd) == 296);
VQ_LAYOUT(ReqTrackAdd, track_type, 280);
VQ_LAYOUT(ReqTrackAdd, track_inst, 288);
static_assert(sizeof(ReqSetCurrentMap) == 24);
VQ_LAYOUT(ReqSetCurrentMap, map, 16);
static_assert(sizeof(ResGeneral) == 24);
static_assert(sizeof(ResGet) == 40);
VQ_LAYOUT(ResGet, value_len, 24);
VQ_LAYOUT(ResGet, type, 32);
static_assert(sizeof(ResHandle) == 32);
VQ_LAYOUT(ResHandle, handle, 24);
static_assert(sizeof(ResIterNext) == 304);
VQ_LAYOUT(ResIterNext, key, 24);
VQ_LAYOUT(ResIterNext, value_len, 288);
VQ_LAYOUT(ResIterNext, type, 296);
static_assert(sizeof(ResNotify) == 336);
VQ_LAYOUT(ResNotify, track_inst, 24);
VQ_LAYOUT(ResNotify, key, 32);
VQ_LAYOUT(ResNotify, event, 296);
VQ_LAYOUT(ResNotify, new_type, 304);
VQ_LAYOUT(ResNotify, old_type, 312);
VQ_LAYOUT(ResNotify, new_len, 320);
VQ_LAYOUT(ResNotify, old_len, 328);

// Encoders. Keys and prefixes have been checked with key_fits; `type` is
// sent as the daemon's byte.
Request set(std::string_view key, const void* value, std::size_t value_len, uint8_t type);
Request delete_key(std::string_view key);
Request get(std::string_view key, uint64_t room);
Request adjust_int(std::string_view key, int32_t step);
Request iter_init(std::string_view prefix);  // empty: every key
Request iter_next(uint64_t iter);
Request iter_finalize(uint64_t iter);
Request track_add(std::string_view key, int32_t track_type, uint64_t track_inst);  // key empty: every key
Request track_delete(uint64_t track);
Request set_current_map(int32_t map);

// Reply checks (core/message.hpp's check_reply first): the reply's own
// error, CS_ERR_MESSAGE_ERROR for a malformed reply, or CS_OK and the
// outputs filled.

// SET, DELETE, ADJUST_INT, ITER_FINALIZE and SET_CURRENT_MAP: nothing but
// the header, of reply `id`.
cs_error_t decode_general(std::span<const std::byte> reply, int32_t id);
// A GET reply to a request that made `room` bytes of room: the value's type
// and length, and a view of its bytes (empty when room was 0). A reply that
// claims more than the room, or than it holds, is malformed.
struct GetReply {
	uint8_t type;
	uint64_t value_len;
	std::span<const std::byte> value;
};
cs_error_t decode_get(std::span<const std::byte> reply, uint64_t room, GetReply& out);
// ITER_INIT, TRACK_ADD and TRACK_DELETE: the handle the reply `id` carries.
cs_error_t decode_handle(std::span<const std::byte> reply, int32_t id, uint64_t& handle);
// ITER_NEXT: the key (at most CMAP_KEYNAME_MAXLEN bytes, else malformed),
// its value's length and type.
struct IterEntry {
	std::string_view key;  // a view of the reply
	uint64_t value_len;
	uint8_t type;
};
cs_error_t decode_iter_next(std::span<const std::byte> reply, IterEntry& out);

// A track's notification, decoded as a view over the bytes received (valid
// only while the sink's call runs). The key is NUL-terminated in place.
struct NotifyEvent {
	uint64_t track_inst;
	int32_t event;
	const char* key;
	uint8_t new_type;
	uint8_t old_type;
	std::span<const std::byte> new_value;
	std::span<const std::byte> old_value;
};

// Where decode_event delivers: one call per well-formed notification.
class EventSink : public ipc::EventSinkBase {
public:
	virtual void on(const NotifyEvent& event) = 0;
};

// The key field of a message: its length is at most CMAP_KEYNAME_MAXLEN and
// the byte after it is NUL (the daemon zeroes the field), so the key is a C
// string in place. Else false.
inline bool key_in_place(std::span<const std::byte> msg, std::size_t name_at, std::string_view& key) noexcept
{
	const auto length = ipc::field<uint16_t>(msg, name_at + offsetof(Name, length));
	const std::size_t value_at = name_at + offsetof(Name, value);
	if (!key_fits(length) || msg[value_at + length] != std::byte{0}) {
		return false;
	}
	key = std::string_view(reinterpret_cast<const char*>(msg.data() + value_at), length);
	return true;
}

// Checks `msg` and hands the sink its view: CS_OK, or CS_ERR_MESSAGE_ERROR
// (the sink not called) for a message shorter than its type, whose
// header.size differs from its length, whose key is not a C string of at
// most CMAP_KEYNAME_MAXLEN bytes, or whose two values' lengths do not add up
// to the bytes after the fixed part.
template <class Sink>  // an EventSink, or a final class derived from it (calls then inline)
inline cs_error_t decode_event(std::span<const std::byte> msg, Sink& sink)
{
	return ipc::decode_notification(msg, sink, [&](int32_t id) -> cs_error_t {
		if (id != RES_NOTIFY_CALLBACK) {
			return ipc::kUnknownNotification;
		}
		if (msg.size() < sizeof(ResNotify)) [[unlikely]] {
			return CS_ERR_MESSAGE_ERROR;
		}
		std::string_view key;
		if (!key_in_place(msg, offsetof(ResNotify, key), key)) [[unlikely]] {
			return CS_ERR_MESSAGE_ERROR;
		}
		const auto new_len = ipc::field<uint64_t>(msg, offsetof(ResNotify, new_len));
		const auto old_len = ipc::field<uint64_t>(msg, offsetof(ResNotify, old_len));
		const std::size_t values = msg.size() - kNotifyValues;
		if (new_len > values || old_len != values - new_len) [[unlikely]] {
			return CS_ERR_MESSAGE_ERROR;
		}
		const auto new_at = msg.subspan(kNotifyValues, static_cast<std::size_t>(new_len));
		const auto old_at = msg.subspan(kNotifyValues + static_cast<std::size_t>(new_len));
		sink.on(NotifyEvent{ipc::field<uint64_t>(msg, offsetof(ResNotify, track_inst)),
			ipc::field<int32_t>(msg, offsetof(ResNotify, event)), key.data(),
			ipc::field<uint8_t>(msg, offsetof(ResNotify, new_type)),
			ipc::field<uint8_t>(msg, offsetof(ResNotify, old_type)), new_at, old_at});
		return CS_OK;
	});
}

}  // namespace vq::cmap::wire
