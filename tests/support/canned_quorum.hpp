// The one well-behaved quorum service for fake-server tests: it answers as
// corosync's does on a healthy cluster, and a test changes only the fields it
// cares about. Pass it to quorum_service() as the request handler, or call
// it from a handler for the requests that handler does not script.
#pragma once

#include "fake_server.hpp"

#include <map>
#include <vector>

namespace vqtest {

struct CannedQuorum {
	// getquorate: `quorate`; gettype and model_gettype: `quorum_type`.
	uint32_t quorate = 1;
	uint32_t quorum_type = QUORUM_SET;
	// trackstart with CS_TRACK_CURRENT or CS_TRACK_CHANGES, before its reply
	// (corosync's order): on a model V1 connection a node list notification
	// (no joined or left lists, as corosync sends the current state) and a V1
	// quorum notification, on a model V0 one a V0 quorum notification.
	quorum_ring_id ring{1, 4};
	std::vector<uint32_t> members{1, 2};
	// The error each request's reply carries, by request id (CS_OK when not
	// listed).
	std::map<int32_t, int32_t> errors;

	void operator()(Peer& peer, int32_t id, std::span<const std::byte> request) const
	{
		const auto listed = errors.find(id);
		const int32_t error = listed == errors.end() ? CS_OK : listed->second;
		switch (id) {
		case MESSAGE_REQ_QUORUM_GETQUORATE:
			peer.reply(quorum_getquorate_reply(error, quorate));
			break;
		case MESSAGE_REQ_QUORUM_GETTYPE:
			models_[peer.connection()] = LIB_QUORUM_MODEL_V0;
			peer.reply(quorum_gettype_reply(error, quorum_type));
			break;
		case MESSAGE_REQ_QUORUM_MODEL_GETTYPE: {
			// corosync refuses a model it does not know, and remembers it.
			const auto model = request_as<req_lib_quorum_model_gettype>(request).model;
			const bool known = model == LIB_QUORUM_MODEL_V0 || model == LIB_QUORUM_MODEL_V1;
			models_[peer.connection()] = model;
			peer.reply(quorum_model_gettype_reply(known ? error : CS_ERR_INVALID_PARAM, quorum_type));
			break;
		}
		case MESSAGE_REQ_QUORUM_TRACKSTART:
			if (request_as<req_lib_quorum_trackstart>(request).track_flags & (CS_TRACK_CURRENT | CS_TRACK_CHANGES)) {
				send_current(peer);
			}
			peer.reply(quorum_trackstart_reply(error));
			break;
		case MESSAGE_REQ_QUORUM_TRACKSTOP:
			peer.reply(quorum_trackstop_reply(error));
			break;
		default:  // corosync's IPC layer answers an id out of range so
			peer.reply(response<qb_ipc_response_header>(0, CS_ERR_INVALID_PARAM));
		}
	}

	// The current state, as the connection's model has it.
	void send_current(Peer& peer) const
	{
		if (models_[peer.connection()] == LIB_QUORUM_MODEL_V1) {
			send_bytes_event(peer, quorum_v1_nodelist_notification(ring, members));
			send_bytes_event(peer, quorum_v1_notification(static_cast<int32_t>(quorate), ring, members));
		} else {
			send_bytes_event(peer, quorum_v0_notification(static_cast<int32_t>(quorate), ring.seq, members));
		}
	}

private:
	// The model each connection declared (in the server child; a connection
	// always declares one first, so a freed connection's entry is replaced
	// before a new connection at the same address reads it).
	mutable std::map<qb_ipcs_connection_t*, uint32_t> models_;
};

}  // namespace vqtest
