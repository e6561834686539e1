// The one well-behaved votequorum daemon for fake-server tests: it answers
// as corosync does on a healthy cluster, and a test changes only the fields
// it cares about. Pass it to FakeServer as the request handler, or call it
// from a handler for the requests that handler does not script.
#pragma once

#include "fake_server.hpp"

#include <corosync/votequorum.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vqtest {

struct CannedDaemon {
	// getinfo: `info`, for the node asked about (node 0: info.nodeid) unless
	// `answer_for_asked_node` is false; nodes in `unknown_nodes` get
	// CS_ERR_NOT_EXIST.
	res_lib_votequorum_getinfo info = getinfo_reply(CS_OK, 1);
	bool answer_for_asked_node = true;
	std::vector<uint32_t> unknown_nodes;
	// trackstart: a nodelist notification, a quorum notification, the
	// extra-info notification if set, then the reply (corosync's order).
	votequorum_ring_id_t ring{1, 4};
	std::vector<uint32_t> members{1, 2};
	uint32_t quorate = 1;
	std::vector<votequorum_node_t> nodes{{1, VOTEQUORUM_NODESTATE_MEMBER}, {2, VOTEQUORUM_NODESTATE_MEMBER}};
	std::optional<std::pair<uint32_t, std::string>> extra_info;
	// qdevice_get_extra_info: this data, or a STATUS reply when unset.
	std::optional<std::string> extra_info_reply_data;
	// Any other request: a STATUS reply with the error listed for its id
	// here, CS_OK otherwise.
	std::map<int32_t, int32_t> status;

	void operator()(Peer& peer, int32_t id, std::span<const std::byte> request) const
	{
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			auto res = info;
			if (answer_for_asked_node) {
				const auto asked = static_cast<uint32_t>(request_as<req_lib_votequorum_getinfo>(request).nodeid);
				res.nodeid = asked == 0 ? info.nodeid : asked;
				if (std::find(unknown_nodes.begin(), unknown_nodes.end(), asked) != unknown_nodes.end()) {
					res.header.error = CS_ERR_NOT_EXIST;
				}
			}
			peer.reply(res);
		} else if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			const auto context = request_as<req_lib_votequorum_trackstart>(request).context;
			send_bytes_event(peer, nodelist_event(context, ring, members));
			send_bytes_event(peer, quorum_event(context, quorate, nodes));
			if (extra_info) {
				send_bytes_event(peer, extra_info_event(context, extra_info->first, extra_info->second));
			}
			peer.reply_status(CS_OK);
		} else if (id == MESSAGE_REQ_VOTEQUORUM_QDEVICE_GET_EXTRA_INFO && extra_info_reply_data) {
			const auto bytes = extra_info_reply(CS_OK, *extra_info_reply_data);
			peer.reply(bytes.data(), bytes.size());
		} else {
			const auto it = status.find(id);
			peer.reply_status(it == status.end() ? CS_OK : it->second);
		}
	}
};

}  // namespace vqtest
