// The votequorum IPC messages: layouts, encoders and size-checked decoders.
//
// docs/wire.md documents the layouts (x86_64, libqb 2.0: every header field
// 8-byte aligned; the headers are core/message.hpp's); the static_asserts below pin every size and every offset
// it gives, on every architecture (the ring id's seq is the one field whose
// place follows the ABI: kU64InStruct below). Nothing outside this file
// knows a message's layout.
#pragma once

#include "core/layout.hpp"
#include "core/message.hpp"

#include <corosync/votequorum.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace vq::votequorum::wire {

enum RequestId : int32_t {
	REQ_GETINFO = 0,
	REQ_SETEXPECTED = 1,
	REQ_SETVOTES = 2,
	REQ_TRACKSTART = 3,
	REQ_TRACKSTOP = 4,
	REQ_QDEVICE_REGISTER = 5,
	REQ_QDEVICE_UNREGISTER = 6,
	REQ_QDEVICE_UPDATE = 7,
	REQ_QDEVICE_POLL = 8,
	REQ_QDEVICE_MASTER_WINS = 9,
	REQ_QDEVICE_SET_EXTRA_INFO = 10,
	REQ_QDEVICE_GET_EXTRA_INFO = 11,
};

enum ResponseId : int32_t {
	RES_STATUS = 0,
	RES_GETINFO = 1,
	RES_TRACKSTART = 2,
	RES_QUORUM_NOTIFICATION = 3,
	RES_EXPECTEDVOTES_NOTIFICATION = 4,
	RES_NODELIST_NOTIFICATION = 5,
	RES_GET_EXTRA_INFO = 6,
	RES_EXTRA_INFO_NOTIFICATION = 7,
};

inline constexpr std::size_t kNameLen = VOTEQUORUM_QDEVICE_MAX_NAME_LEN;
inline constexpr std::size_t kExtraInfoMax = VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE;

// A qdevice name fits its field: 1 to kNameLen - 1 characters (the field
// keeps a byte for the terminating NUL). Both APIs check names with this.
constexpr bool name_length_fits(std::size_t length) noexcept
{
	return length > 0 && length < kNameLen;
}

using ipc::RequestHeader;
using ipc::ResponseHeader;
using ipc::Request;

using RingId = ipc::PlainRingId;

struct ReqGeneral { RequestHeader header; };
struct ReqGetinfo { RequestHeader header; int32_t nodeid; };
struct ReqSetexpected { RequestHeader header; uint32_t expected_votes; };
struct ReqSetvotes { RequestHeader header; uint32_t votes; int32_t nodeid; };
struct ReqTrackstart { RequestHeader header; uint64_t context; uint32_t track_flags; };
struct ReqQdeviceName { RequestHeader header; char name[kNameLen]; };
struct ReqQdeviceUpdate { RequestHeader header; char oldname[kNameLen]; char newname[kNameLen]; };
struct ReqQdevicePoll { RequestHeader header; char name[kNameLen]; int32_t cast_vote; alignas(8) RingId ring_id; };
struct ReqQdeviceMasterWins { RequestHeader header; char name[kNameLen]; uint32_t allow; };
// Followed by ei_size bytes at offsetof(extra_info); sizeof is the bare size.
struct ReqSetExtraInfo { RequestHeader header; uint32_t ei_size; char extra_info[4]; };
struct ReqGetExtraInfo { RequestHeader header; int32_t nodeid; };

struct ResStatus { ResponseHeader header; };
struct ResGetinfo {
	ResponseHeader header;
	uint32_t nodeid, state, votes, expected_votes, highest_expected, total_votes, quorum, flags,
		qdevice_votes;
	char qdevice_name[kNameLen];
};
struct ResGetExtraInfo { ResponseHeader header; uint32_t ei_size; char extra_info[4]; };
struct ResQuorumNotification {
	ResponseHeader header;
	alignas(8) uint32_t quorate;
	alignas(8) uint64_t context;
	alignas(8) uint32_t node_list_entries;
};
struct ResExpectedVotesNotification {
	ResponseHeader header;
	alignas(8) uint64_t context;
	alignas(8) uint32_t expected_votes;
};
struct ResNodelistNotification {
	ResponseHeader header;
	alignas(8) uint64_t context;
	alignas(8) RingId ring_id;
	alignas(8) uint32_t node_list_entries;
};
struct ResExtraInfoNotification {
	ResponseHeader header;
	alignas(8) uint64_t context;
	alignas(8) uint32_t nodeid;
	alignas(8) uint32_t ei_size;
};

// Where each flexible part starts: the daemon's offsets, not our padding.
inline constexpr std::size_t kSetExtraInfoData = 20;
inline constexpr std::size_t kGetExtraInfoData = 28;
inline constexpr std::size_t kQuorumNodes = 48;
inline constexpr std::size_t kNodelistNodes = 56;
inline constexpr std::size_t kExtraInfoNotificationData = 48;

// The ring id (nodeid, seq) is a plain struct on both sides, so its seq and
// size follow the ABI (core/layout.hpp); every other field the daemon aligns
// to 8 explicitly, as the alignas above do, and lands where it does on
// x86_64.
using ipc::kU64InStruct;
static_assert(sizeof(ReqGeneral) == 16);
static_assert(sizeof(ReqGetinfo) == 24);
VQ_LAYOUT(ReqGetinfo, nodeid, 16);
static_assert(sizeof(ReqSetexpected) == 24);
static_assert(sizeof(ReqSetvotes) == 24);
VQ_LAYOUT(ReqSetvotes, votes, 16);
VQ_LAYOUT(ReqSetvotes, nodeid, 20);
static_assert(sizeof(ReqTrackstart) == 32);
VQ_LAYOUT(ReqTrackstart, context, 16);
VQ_LAYOUT(ReqTrackstart, track_flags, 24);
static_assert(sizeof(ReqQdeviceName) == 272);
VQ_LAYOUT(ReqQdeviceName, name, 16);
static_assert(sizeof(ReqQdeviceUpdate) == 528);
VQ_LAYOUT(ReqQdeviceUpdate, newname, 271);
static_assert(sizeof(ReqQdevicePoll) == 296);
VQ_LAYOUT(ReqQdevicePoll, cast_vote, 272);
VQ_LAYOUT(ReqQdevicePoll, ring_id, 280);
static_assert(sizeof(ReqQdeviceMasterWins) == 280);
VQ_LAYOUT(ReqQdeviceMasterWins, allow, 272);
static_assert(sizeof(ReqSetExtraInfo) == 24);
VQ_LAYOUT(ReqSetExtraInfo, ei_size, 16);
VQ_LAYOUT(ReqSetExtraInfo, extra_info, kSetExtraInfoData);
static_assert(sizeof(ReqGetExtraInfo) == 24);
static_assert(sizeof(ResStatus) == 24);
static_assert(sizeof(ResGetinfo) == 320);
VQ_LAYOUT(ResGetinfo, nodeid, 24);
VQ_LAYOUT(ResGetinfo, flags, 52);
VQ_LAYOUT(ResGetinfo, qdevice_votes, 56);
VQ_LAYOUT(ResGetinfo, qdevice_name, 60);
static_assert(sizeof(ResGetExtraInfo) == 32);
VQ_LAYOUT(ResGetExtraInfo, ei_size, 24);
VQ_LAYOUT(ResGetExtraInfo, extra_info, kGetExtraInfoData);
static_assert(sizeof(ResQuorumNotification) == kQuorumNodes);
VQ_LAYOUT(ResQuorumNotification, quorate, 24);
VQ_LAYOUT(ResQuorumNotification, context, 32);
VQ_LAYOUT(ResQuorumNotification, node_list_entries, 40);
static_assert(sizeof(ResExpectedVotesNotification) == 40);
VQ_LAYOUT(ResExpectedVotesNotification, context, 24);
VQ_LAYOUT(ResExpectedVotesNotification, expected_votes, 32);
static_assert(sizeof(ResNodelistNotification) == kNodelistNodes);
VQ_LAYOUT(ResNodelistNotification, context, 24);
VQ_LAYOUT(ResNodelistNotification, ring_id, 32);
VQ_LAYOUT(ResNodelistNotification, node_list_entries, 48);
static_assert(sizeof(ResExtraInfoNotification) == kExtraInfoNotificationData);
VQ_LAYOUT(ResExtraInfoNotification, context, 24);
VQ_LAYOUT(ResExtraInfoNotification, nodeid, 32);
VQ_LAYOUT(ResExtraInfoNotification, ei_size, 40);
static_assert(sizeof(votequorum_node_t) == 8);
static_assert(sizeof(votequorum_ring_id_t) == kU64InStruct + 8);
static_assert(sizeof(struct votequorum_info) == 292);
static_assert(sizeof(votequorum_callbacks_t) == 3 * sizeof(void*));
static_assert(sizeof(votequorum_model_v1_data_t) == 5 * sizeof(void*));  // the enum padded to a pointer

// Copies a C string into a fixed name field, zero-padded. The caller has
// checked that it fits (1 to kNameLen - 1 characters).
void put_name(char (&field)[kNameLen], const char* name) noexcept;

Request getinfo(uint32_t nodeid);
Request setexpected(uint32_t expected_votes);
Request setvotes(uint32_t nodeid, uint32_t votes);
Request trackstart(uint64_t context, uint32_t flags);
Request trackstop();
Request qdevice_register(const char* name);
Request qdevice_unregister(const char* name);
Request qdevice_update(const char* oldname, const char* newname);
Request qdevice_poll(const char* name, uint32_t cast_vote, votequorum_ring_id_t ring_id);
Request qdevice_master_wins(const char* name, uint32_t allow);
Request set_extra_info(const void* data, uint32_t size);
Request get_extra_info(uint32_t nodeid);


// Reply checks. Each returns the reply's header.error when the daemon
// reported an error that is a cs_error_t (whatever the rest of the reply
// looks like; CS_ERR_MESSAGE_ERROR for a value that names none), else
// CS_ERR_MESSAGE_ERROR if the reply is not a well-formed message of the
// expected type, else CS_OK and fills the out-parameter.
cs_error_t decode_status(std::span<const std::byte> reply);
cs_error_t decode_getinfo(std::span<const std::byte> reply, votequorum_info& out);
cs_error_t decode_get_extra_info(std::span<const std::byte> reply, uint32_t& size, void* out);

// Notifications, decoded as views over the bytes received: no copy, no
// allocation. A view is valid only while the sink's call runs (the bytes
// are the receive buffer's, which the next receive overwrites).
struct QuorumEvent {
	uint64_t context;
	uint32_t quorate;
	std::span<const votequorum_node_t> nodes;
};
struct ExpectedVotesEvent {
	uint64_t context;
	uint32_t expected_votes;
};
struct NodelistEvent {
	uint64_t context;
	votequorum_ring_id_t ring_id;
	std::span<const uint32_t> nodes;
};
struct ExtraInfoEvent {
	uint64_t context;
	uint32_t nodeid;
	std::span<const std::byte> data;
};

// Where decode_event delivers: one call per well-formed notification. The
// C shim adapts it to the C callbacks, the C++ API to its Event variant.
class EventSink : public ipc::EventSinkBase {
public:
	virtual void on(const QuorumEvent& event) = 0;
	virtual void on(const ExpectedVotesEvent& event) = 0;
	virtual void on(const NodelistEvent& event) = 0;
	virtual void on(const ExtraInfoEvent& event) = 0;
};

// Checks `msg` and hands the sink its view: CS_OK, or CS_ERR_MESSAGE_ERROR
// (the sink not called) for a message that is shorter than its type, whose
// header.size differs from its length, or whose entry count or data size
// does not fit the bytes received. `msg` must start 8-byte aligned (node
// lists are viewed in place).
//
// Inline: it runs once per notification dispatched, each field read where
// the layout puts it (a single load each).
template <class Sink>  // an EventSink, or a final class derived from it (calls then inline)
inline cs_error_t decode_event(std::span<const std::byte> msg, Sink& sink)
{
	return ipc::decode_notification(msg, sink, [&](int32_t id) -> cs_error_t {
		switch (id) {
		case RES_EXPECTEDVOTES_NOTIFICATION:
			if (msg.size() < sizeof(ResExpectedVotesNotification)) [[unlikely]] {
				return CS_ERR_MESSAGE_ERROR;
			}
			sink.on(ExpectedVotesEvent{ipc::field<uint64_t>(msg, offsetof(ResExpectedVotesNotification, context)),
				ipc::field<uint32_t>(msg, offsetof(ResExpectedVotesNotification, expected_votes))});
			return CS_OK;
		case RES_QUORUM_NOTIFICATION:
			return ipc::with_list<ResQuorumNotification, votequorum_node_t>(msg,
				offsetof(ResQuorumNotification, node_list_entries), kQuorumNodes, [&](auto nodes) {
					sink.on(QuorumEvent{ipc::field<uint64_t>(msg, offsetof(ResQuorumNotification, context)),
						ipc::field<uint32_t>(msg, offsetof(ResQuorumNotification, quorate)), nodes});
				});
		case RES_NODELIST_NOTIFICATION:
			return ipc::with_list<ResNodelistNotification, uint32_t>(msg,
				offsetof(ResNodelistNotification, node_list_entries), kNodelistNodes, [&](auto nodes) {
					const auto ring = ipc::field<RingId>(msg, offsetof(ResNodelistNotification, ring_id));
					sink.on(NodelistEvent{ipc::field<uint64_t>(msg, offsetof(ResNodelistNotification, context)),
						{ring.nodeid, ring.seq}, nodes});
				});
		case RES_EXTRA_INFO_NOTIFICATION:
			if (msg.size() >= sizeof(ResExtraInfoNotification) &&
				ipc::field<uint32_t>(msg, offsetof(ResExtraInfoNotification, ei_size)) > kExtraInfoMax) [[unlikely]] {
				return CS_ERR_MESSAGE_ERROR;
			}
			return ipc::with_list<ResExtraInfoNotification, std::byte>(msg,
				offsetof(ResExtraInfoNotification, ei_size), kExtraInfoNotificationData, [&](auto data) {
					sink.on(ExtraInfoEvent{ipc::field<uint64_t>(msg, offsetof(ResExtraInfoNotification, context)),
						ipc::field<uint32_t>(msg, offsetof(ResExtraInfoNotification, nodeid)), data});
				});
		default:
			return ipc::kUnknownNotification;
		}
	});
}

}  // namespace vq::votequorum::wire
