// The quorum service's calls layer: every request of the service, encoded,
// sent over a core Connection and its reply decoded, here and nowhere else.
// The C shim and the C++ API call these.
#pragma once

#include "core/connection.hpp"
#include "wire.hpp"

namespace vq::quorum {

// The IPC endpoint and message sizes of the quorum service. Its largest
// message is a V1 node list: 60 bytes and three lists of at most as many
// node ids as the cluster has members (corosync allows 384: 4,668 bytes).
// The ring size is votequorum's (src/votequorum/requests.hpp says why).
inline constexpr Service kService{"quorum", 256 * 1024, 64 * 1024};

}  // namespace vq::quorum

namespace vq::quorum::calls {

// The first request of every handle: the quorum type (QUORUM_FREE or
// QUORUM_SET), asked the way `model` asks it.
cs_error_t quorum_type(Connection& c, quorum_model_t model, uint32_t& type);
cs_error_t getquorate(Connection& c, int& quorate);
cs_error_t trackstart(Connection& c, uint32_t flags);
cs_error_t trackstop(Connection& c);

}  // namespace vq::quorum::calls
