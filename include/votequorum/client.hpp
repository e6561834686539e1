// votequorum::Client — a C++20 interface to corosync's votequorum service.
//
// A move-only, RAII connection; typed results (std::error_code in the
// cs_error_t category); typed events (std::variant, node lists as spans);
// fd() and dispatch() for the caller's event loop; optional connect and
// request timeouts; every member is safe to call from several threads.
// Link: -lvotequorum-cpp, or the CMake target votequorum::cpp of find_package(votequorum).
// The guide is docs/cpp-api.md; examples/cpp_status.cpp.
#pragma once

#include <corosync/votequorum.h>
#include <corosync/client.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace votequorum {

// Shared by every client (<corosync/client.hpp>), under their first names.
using corosync::error_category;
using corosync::Options;
using corosync::Result;
using corosync::RingId;

// A member and its state (VOTEQUORUM_NODESTATE_*), as the C API has it.
using Node = votequorum_node_t;

// What votequorum_getinfo reports, with the name as a string.
struct NodeInfo {
	uint32_t node_id = 0;
	uint32_t state = 0;
	uint32_t votes = 0;
	uint32_t expected_votes = 0;
	uint32_t highest_expected = 0;
	uint32_t total_votes = 0;
	uint32_t quorum = 0;
	uint32_t flags = 0;  // VOTEQUORUM_INFO_*
	uint32_t qdevice_votes = 0;
	std::string qdevice_name;

	bool quorate() const noexcept { return flags & VOTEQUORUM_INFO_QUORATE; }
	bool operator==(const NodeInfo&) const = default;
};

// Events: the spans are valid only while the handler runs.
struct QuorumEvent {
	uint64_t context;
	bool quorate;
	std::span<const Node> nodes;
};
struct NodelistEvent {
	uint64_t context;
	RingId ring;
	std::span<const uint32_t> nodes;
};
struct ExpectedVotesEvent {
	uint64_t context;
	uint32_t expected_votes;
};
struct ExtraInfoEvent {
	uint64_t context;
	uint32_t nodeid;
	std::span<const std::byte> data;
};
using Event = std::variant<QuorumEvent, NodelistEvent, ExpectedVotesEvent, ExtraInfoEvent>;

class COROSYNC_CPP_API Client : public corosync::ClientBase {
public:
	using Handler = std::function<void(const Event&)>;

	// Connects to the local corosync. `handler` receives the events that
	// dispatch() takes; it runs in the thread that calls dispatch(), with no
	// lock of the library held, and may call any member of this Client.
	// The server must run as root or as this process's effective uid
	// (else CS_ERR_ACCESS), as in the C ABI.
	static Result<Client> connect(Handler handler = {}, Options options = {});

	Result<NodeInfo> info(uint32_t nodeid = VOTEQUORUM_QDEVICE_NODEID) const;
	std::error_code set_expected_votes(uint32_t expected_votes) const;
	std::error_code set_votes(uint32_t nodeid, uint32_t votes) const;
	// flags: CS_TRACK_CURRENT | CS_TRACK_CHANGES (or CS_TRACK_CHANGES_ONLY)
	std::error_code track(uint64_t context, unsigned flags = CS_TRACK_CURRENT | CS_TRACK_CHANGES) const;
	std::error_code untrack() const;

	std::error_code qdevice_register(std::string_view name) const;
	std::error_code qdevice_unregister(std::string_view name) const;
	std::error_code qdevice_update(std::string_view old_name, std::string_view new_name) const;
	std::error_code qdevice_poll(std::string_view name, bool cast_vote, RingId ring) const;
	std::error_code qdevice_master_wins(std::string_view name, bool allow) const;
	std::error_code set_extra_info(std::span<const std::byte> data) const;
	Result<std::vector<std::byte>> extra_info(uint32_t nodeid) const;

	// fd(), dispatch() (as votequorum_dispatch(3)), close() and is_open()
	// are corosync::ClientBase's; the destructor closes the connection.

private:
	using ClientBase::ClientBase;
};

}  // namespace votequorum
