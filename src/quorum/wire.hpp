// The quorum service's IPC messages: layouts, encoders and size-checked
// decoders. The headers and the checks every decoder makes are the core's
// (core/message.hpp); docs/wire.md documents the layouts. Every field the daemon
// aligns to 8 is aligned here too, so each offset below holds on every
// architecture (the static_asserts pin them). The member lists start right
// after their count, at an offset 4 short of the struct's padded size: the
// daemon sizes a message as sizeof(struct) + 4 bytes per entry, so its
// last 4 bytes are padding.
#pragma once

#include "core/layout.hpp"
#include "core/message.hpp"

#include <corosync/quorum.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace vq::quorum::wire {

using ipc::Request;
using ipc::RequestHeader;
using ipc::ResponseHeader;

enum RequestId : int32_t {
	REQ_GETQUORATE = 0,
	REQ_TRACKSTART = 1,
	REQ_TRACKSTOP = 2,
	REQ_GETTYPE = 3,
	REQ_MODEL_GETTYPE = 4,
};

enum ResponseId : int32_t {
	RES_GETQUORATE = 0,
	RES_TRACKSTART = 1,
	RES_TRACKSTOP = 2,
	RES_NOTIFICATION = 3,  // V0's quorum notification
	RES_GETTYPE = 4,
	RES_MODEL_GETTYPE = 5,
	RES_V1_QUORUM_NOTIFICATION = 6,
	RES_V1_NODELIST_NOTIFICATION = 7,
};

using RingId = ipc::AlignedRingId;

struct ReqGeneral { RequestHeader header; };
struct ReqTrackstart { RequestHeader header; uint32_t track_flags; };
struct ReqModelGettype { RequestHeader header; alignas(8) uint32_t model; };

struct ResGeneral { ResponseHeader header; };  // trackstart's and trackstop's reply
struct ResGetquorate { ResponseHeader header; uint32_t quorate; };
struct ResGettype { ResponseHeader header; uint32_t quorum_type; };  // both GETTYPE replies
struct ResNotification {
	ResponseHeader header;
	alignas(8) int32_t quorate;
	alignas(8) uint64_t ring_seq;
	alignas(8) uint32_t view_list_entries;
};
struct ResV1QuorumNotification {
	ResponseHeader header;
	alignas(8) int32_t quorate;
	alignas(8) RingId ring_id;
	alignas(8) uint32_t view_list_entries;
};
struct ResV1NodelistNotification {
	ResponseHeader header;
	alignas(8) RingId ring_id;
	alignas(8) uint32_t member_list_entries;
	alignas(8) uint32_t joined_list_entries;
	alignas(8) uint32_t left_list_entries;
};

// Where each list starts: right after its count.
inline constexpr std::size_t kNotificationList = offsetof(ResNotification, view_list_entries) + 4;
inline constexpr std::size_t kV1QuorumList = offsetof(ResV1QuorumNotification, view_list_entries) + 4;
inline constexpr std::size_t kV1NodelistLists = offsetof(ResV1NodelistNotification, left_list_entries) + 4;

static_assert(sizeof(ReqGeneral) == 16);
static_assert(sizeof(ReqTrackstart) == 24);
VQ_LAYOUT(ReqTrackstart, track_flags, 16);
static_assert(sizeof(ReqModelGettype) == 24);
VQ_LAYOUT(ReqModelGettype, model, 16);
static_assert(sizeof(ResGeneral) == 24);
static_assert(sizeof(ResGetquorate) == 32);
VQ_LAYOUT(ResGetquorate, quorate, 24);
static_assert(sizeof(ResGettype) == 32);
VQ_LAYOUT(ResGettype, quorum_type, 24);
static_assert(sizeof(ResNotification) == 48);
VQ_LAYOUT(ResNotification, quorate, 24);
VQ_LAYOUT(ResNotification, ring_seq, 32);
VQ_LAYOUT(ResNotification, view_list_entries, 40);
static_assert(kNotificationList == 44);
static_assert(sizeof(ResV1QuorumNotification) == 56);
VQ_LAYOUT(ResV1QuorumNotification, ring_id, 32);
VQ_LAYOUT(ResV1QuorumNotification, view_list_entries, 48);
static_assert(kV1QuorumList == 52);
static_assert(sizeof(ResV1NodelistNotification) == 64);
VQ_LAYOUT(ResV1NodelistNotification, ring_id, 24);
VQ_LAYOUT(ResV1NodelistNotification, member_list_entries, 40);
VQ_LAYOUT(ResV1NodelistNotification, joined_list_entries, 48);
VQ_LAYOUT(ResV1NodelistNotification, left_list_entries, 56);
static_assert(kV1NodelistLists == 60);
static_assert(sizeof(quorum_callbacks_t) == sizeof(void*));
static_assert(sizeof(quorum_model_v0_data_t) == 2 * sizeof(void*));  // the enum padded to a pointer
static_assert(sizeof(quorum_model_v1_data_t) == 3 * sizeof(void*));

Request getquorate();
Request trackstart(uint32_t flags);
Request trackstop();
// V0 asks for the quorum type with GETTYPE, V1 with MODEL_GETTYPE (which
// also sets the connection's model in the daemon).
Request gettype();
Request model_gettype(uint32_t model);

// Reply checks, as votequorum's (core/message.hpp's check_reply first):
// the reply's own error, CS_ERR_MESSAGE_ERROR for a malformed reply, or
// CS_OK and the out-parameter filled.
cs_error_t decode_getquorate(std::span<const std::byte> reply, int& quorate);
cs_error_t decode_gettype(std::span<const std::byte> reply, int32_t id, uint32_t& quorum_type);
cs_error_t decode_track(std::span<const std::byte> reply, int32_t id);

// Notifications, decoded as views over the bytes received (valid only while
// the sink's call runs).
struct QuorumEvent {  // V0
	uint32_t quorate;
	uint64_t ring_seq;
	std::span<const uint32_t> members;
};
struct V1QuorumEvent {
	uint32_t quorate;
	quorum_ring_id ring_id;
	std::span<const uint32_t> members;
};
struct NodelistEvent {  // V1
	quorum_ring_id ring_id;
	std::span<const uint32_t> members;
	std::span<const uint32_t> joined;
	std::span<const uint32_t> left;
};

// Where decode_event delivers: one call per well-formed notification.
class EventSink : public ipc::EventSinkBase {
public:
	virtual void on(const QuorumEvent& event) = 0;
	virtual void on(const V1QuorumEvent& event) = 0;
	virtual void on(const NodelistEvent& event) = 0;
};

// Checks `msg` and hands the sink its view: CS_OK, or CS_ERR_MESSAGE_ERROR
// (the sink not called) for a message shorter than its type, whose
// header.size differs from its length, or whose lists do not fit the bytes
// received. `msg` must start 8-byte aligned (lists are viewed in place).
template <class Sink>  // an EventSink, or a final class derived from it (calls then inline)
inline cs_error_t decode_event(std::span<const std::byte> msg, Sink& sink)
{
	return ipc::decode_notification(msg, sink, [&](int32_t id) -> cs_error_t {
		switch (id) {
		case RES_NOTIFICATION:
			return ipc::with_list<ResNotification, uint32_t>(msg, offsetof(ResNotification, view_list_entries),
				kNotificationList, [&](auto members) {
					sink.on(QuorumEvent{static_cast<uint32_t>(ipc::field<int32_t>(msg, offsetof(ResNotification, quorate))),
						ipc::field<uint64_t>(msg, offsetof(ResNotification, ring_seq)), members});
				});
		case RES_V1_QUORUM_NOTIFICATION:
			return ipc::with_list<ResV1QuorumNotification, uint32_t>(msg,
				offsetof(ResV1QuorumNotification, view_list_entries), kV1QuorumList, [&](auto members) {
					const auto ring = ipc::field<RingId>(msg, offsetof(ResV1QuorumNotification, ring_id));
					sink.on(V1QuorumEvent{
						static_cast<uint32_t>(ipc::field<int32_t>(msg, offsetof(ResV1QuorumNotification, quorate))),
						{ring.nodeid, ring.seq}, members});
				});
		case RES_V1_NODELIST_NOTIFICATION: {
			// Three lists, one after the other: their counts, summed in 64
			// bits (no wrap), must fit the bytes.
			if (msg.size() < sizeof(ResV1NodelistNotification)) [[unlikely]] {
				return CS_ERR_MESSAGE_ERROR;
			}
			const auto members = ipc::field<uint32_t>(msg, offsetof(ResV1NodelistNotification, member_list_entries));
			const auto joined = ipc::field<uint32_t>(msg, offsetof(ResV1NodelistNotification, joined_list_entries));
			const auto left = ipc::field<uint32_t>(msg, offsetof(ResV1NodelistNotification, left_list_entries));
			const uint64_t all = uint64_t{members} + joined + left;
			if (!ipc::entries_fit(msg.size(), kV1NodelistLists, all, sizeof(uint32_t))) [[unlikely]] {
				return CS_ERR_MESSAGE_ERROR;
			}
			const uint32_t* lists = ipc::view<uint32_t>(msg, kV1NodelistLists);
			const auto ring = ipc::field<RingId>(msg, offsetof(ResV1NodelistNotification, ring_id));
			sink.on(NodelistEvent{{ring.nodeid, ring.seq}, {lists, members}, {lists + members, joined},
				{lists + members + joined, left}});
			return CS_OK;
		}
		default:
			return ipc::kUnknownNotification;
		}
	});
}

}  // namespace vq::quorum::wire
