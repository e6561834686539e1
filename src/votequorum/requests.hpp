// votequorum's calls layer: every request of the service, encoded, sent
// over a core Connection and its reply decoded, here and nowhere else. The
// C shim and the C++ API call these; neither encodes a request itself.
#pragma once

#include "core/connection.hpp"
#include "wire.hpp"

#include <corosync/votequorum.h>

namespace vq::votequorum {

// The IPC endpoint and message sizes of the votequorum service. The largest
// votequorum message is an extra-info notification (48 + 4096 bytes), so any
// size from 16 KiB up works. The size trades connecting (faster with small
// rings) against draining a backlog (fast only while it fits the event
// ring); docs/benchmarks.md measures both, and why 256 KiB.
inline constexpr Service kService{"votequorum", 256 * 1024, sizeof(wire::ResGetinfo)};

}  // namespace vq::votequorum

// One round trip per function; each returns the transport's error, the
// daemon's, or CS_ERR_MESSAGE_ERROR for a reply that is not what it should
// be. Names are checked by the callers (wire::name_length_fits).
namespace vq::votequorum::calls {

// On any error `out` is zeroed: unlike the reference, never hand out what an
// error reply (or a half-filled struct) held.
cs_error_t getinfo(Connection& c, uint32_t nodeid, votequorum_info& out);
cs_error_t setexpected(Connection& c, uint32_t expected_votes);
cs_error_t setvotes(Connection& c, uint32_t nodeid, uint32_t votes);
cs_error_t trackstart(Connection& c, uint64_t context, uint32_t flags);
cs_error_t trackstop(Connection& c);
cs_error_t qdevice_register(Connection& c, const char* name);
cs_error_t qdevice_unregister(Connection& c, const char* name);
cs_error_t qdevice_update(Connection& c, const char* oldname, const char* newname);
cs_error_t qdevice_poll(Connection& c, const char* name, uint32_t cast_vote, votequorum_ring_id_t ring_id);
cs_error_t qdevice_master_wins(Connection& c, const char* name, uint32_t allow);
// Null `data` clears the extra info whatever `size` says; more than
// VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE bytes is CS_ERR_INVALID_PARAM.
cs_error_t set_extra_info(Connection& c, const void* data, uint32_t size);
// `out` has room for VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE bytes.
cs_error_t get_extra_info(Connection& c, uint32_t nodeid, uint32_t& size, void* out);

}  // namespace vq::votequorum::calls
