// votequorum's requests that take more than a STATUS reply, over a core
// Connection: the C shim and the C++ API both call these.
#pragma once

#include "core/connection.hpp"
#include "wire.hpp"

#include <corosync/votequorum.h>

namespace vq::votequorum::wire {

// The IPC endpoint and message sizes of the votequorum service. The largest
// votequorum message is an extra-info notification (48 + 4096 bytes), so any
// size from 16 KiB up works. The size trades connecting (faster with small
// rings) against draining a backlog (fast only while it fits the event
// ring); docs/benchmarks.md measures both, and why 256 KiB.
inline constexpr Service kService{"votequorum", 256 * 1024, sizeof(ResGetinfo)};

// A request whose reply is a bare STATUS: the reply's header.error.
cs_error_t status_request(Connection& c, const Request& request);
// On any error `out` is zeroed: unlike the reference, never hand out what an
// error reply (or a half-filled struct) held.
cs_error_t getinfo(Connection& c, uint32_t nodeid, votequorum_info& out);
cs_error_t get_extra_info(Connection& c, uint32_t nodeid, uint32_t& size, void* out);
// Null `data` clears the extra info whatever `size` says; more than
// VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE bytes is CS_ERR_INVALID_PARAM.
cs_error_t set_extra_info(Connection& c, const void* data, uint32_t size);

}  // namespace vq::votequorum::wire
