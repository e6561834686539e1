// Shared pieces of the fake-server tests.
#pragma once

#include "fake_server.hpp"
#include "wire.hpp"

#include <corosync/votequorum.h>

#include <cstring>

namespace vqtest {

// A well-behaved daemon: getinfo answers for the requested node, trackstart
// sends a nodelist and a quorum notification (then the reply, as corosync
// does), everything else gets CS_OK.
inline void normal_daemon(Peer& peer, int32_t id, std::span<const std::byte> request)
{
	using namespace vq::wire;
	switch (id) {
	case REQ_GETINFO: {
		auto req = request_as<ReqGetinfo>(request);
		peer.reply(getinfo_reply(CS_OK, req.nodeid == 0 ? 1 : static_cast<uint32_t>(req.nodeid)));
		break;
	}
	case REQ_TRACKSTART: {
		auto req = request_as<ReqTrackstart>(request);
		send_bytes_event(peer, nodelist_event(req.context, {1, 4}, {1, 2}));
		send_bytes_event(peer, quorum_event(req.context, 1, {{1, 1}, {2, 1}}));
		peer.reply_status(CS_OK);
		break;
	}
	default:
		peer.reply_status(CS_OK);
	}
}

}  // namespace vqtest
