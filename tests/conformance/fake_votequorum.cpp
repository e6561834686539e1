// A scripted votequorum server for the conformance runner: the tests'
// FakeServer (a libqb qb_ipcs server) with one behaviour picked by name.
// Prints "ready" once it accepts connections, then serves until killed.
//   fake_votequorum SCRIPT [nobody]
#include "canned_daemon.hpp"

#include <corosync/votequorum.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <pwd.h>
#include <string>
#include <unistd.h>
#include <utility>

using namespace vqtest;

namespace {

// Where set_qdevice_extra_info's data starts.
constexpr std::size_t kSetExtraInfoData = offsetof(req_lib_votequorum_set_qdevice_extra_info, extra_info);

res_lib_votequorum_getinfo fields()
{
	res_lib_votequorum_getinfo res = getinfo_reply(CS_OK, 5, "Qdevice-x");
	res.state = VOTEQUORUM_NODESTATE_MEMBER;
	res.votes = 2;
	res.expected_votes = 7;
	res.highest_expected = 8;
	res.total_votes = 6;
	res.quorum = 4;
	res.flags = VOTEQUORUM_INFO_QUORATE | VOTEQUORUM_INFO_QDEVICE_REGISTERED | VOTEQUORUM_INFO_QDEVICE_ALIVE;
	res.qdevice_votes = 1;
	return res;
}

// The default answers of a well-behaved daemon: getinfo always `fields()`.
CannedDaemon ordinary_daemon()
{
	CannedDaemon d;
	d.info = fields();
	d.answer_for_asked_node = false;
	return d;
}
const CannedDaemon ordinary = ordinary_daemon();

using Script = FakeServer::RequestHandler;

// The main-line daemon's ABI 1.1 behaviour on a one-node cluster (node 1),
// as far as the conformance driver's "m11_" scenarios can see it; run.sh's
// "fake" pair runs those scenarios against this script and against the
// real main-line daemon and demands identical traces.
class Faithful {
public:
	Faithful()
	{
		on_connection_closed([this](qb_ipcs_connection_t* c) { trackers_.erase(c); });
	}

	void operator()(Peer& peer, int32_t id, std::span<const std::byte> req)
	{
		switch (id) {
		case MESSAGE_REQ_VOTEQUORUM_GETINFO: {
			const auto r = request_as<req_lib_votequorum_getinfo>(req);
			if (r.nodeid != 0 && r.nodeid != 1) {
				peer.reply(getinfo_reply(CS_ERR_NOT_EXIST, 0));
				return;
			}
			res_lib_votequorum_getinfo res = getinfo_reply(CS_OK, 1, device_.c_str());
			res.state = VOTEQUORUM_NODESTATE_MEMBER;
			res.votes = res.expected_votes = res.highest_expected = res.total_votes = res.quorum = 1;
			res.flags = VOTEQUORUM_INFO_QUORATE;
			if (!device_.empty()) {
				res.flags |= VOTEQUORUM_INFO_QDEVICE_REGISTERED;
			}
			if (extra_) {
				res.flags |= VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO;
			}
			peer.reply(res);
			return;
		}
		case MESSAGE_REQ_VOTEQUORUM_TRACKSTART: {
			const auto r = request_as<req_lib_votequorum_trackstart>(req);
			// The current state goes out with this request's context, before
			// the reply, whether or not the connection already tracks.
			if (r.track_flags & (CS_TRACK_CURRENT | CS_TRACK_CHANGES)) {
				send_bytes_event(peer, nodelist_event(r.context, {1, 4}, {1}));
				// A registered qdevice is listed as node 0, state 0.
				std::vector<votequorum_node_t> nodes{{1, VOTEQUORUM_NODESTATE_MEMBER}};
				if (!device_.empty()) {
					nodes.push_back({VOTEQUORUM_QDEVICE_NODEID, 0});
				}
				send_bytes_event(peer, quorum_event(r.context, 1, nodes));
				if (extra_) {
					send_bytes_event(peer, extra_info_event(r.context, 1, *extra_));
				}
			}
			if (trackers_.count(peer.connection())) {
				peer.reply_status(CS_ERR_EXIST);
				return;
			}
			if (r.track_flags & (CS_TRACK_CHANGES | CS_TRACK_CHANGES_ONLY)) {
				trackers_[peer.connection()] = r.context;
			}
			peer.reply_status(CS_OK);
			return;
		}
		case MESSAGE_REQ_VOTEQUORUM_TRACKSTOP:
			peer.reply_status(trackers_.erase(peer.connection()) ? CS_OK : CS_ERR_NOT_EXIST);
			return;
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_REGISTER: {
			const std::string name = name_of(request_as<req_lib_votequorum_qdevice_register>(req));
			if (!device_.empty() && device_ != name) {
				peer.reply_status(CS_ERR_EXIST);
				return;
			}
			device_ = name;
			peer.reply_status(CS_OK);
			return;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_UNREGISTER: {
			const std::string name = name_of(request_as<req_lib_votequorum_qdevice_unregister>(req));
			if (device_.empty()) {
				peer.reply_status(CS_ERR_NOT_EXIST);
			} else if (device_ != name) {
				peer.reply_status(CS_ERR_INVALID_PARAM);
			} else {
				device_.clear();
				peer.reply_status(CS_OK);
				extra_.reset();  // cleared, and announced even when it was not set
				publish();
			}
			return;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_SET_EXTRA_INFO: {
			const auto r = request_as<req_lib_votequorum_set_qdevice_extra_info>(req);
			if (r.ei_size > VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE) {
				peer.reply_status(CS_ERR_INVALID_PARAM);
			} else if (device_.empty()) {
				peer.reply_status(CS_ERR_NOT_EXIST);
			} else {
				const std::size_t have = req.size() > kSetExtraInfoData ? req.size() - kSetExtraInfoData : 0;
				const auto* data = reinterpret_cast<const char*>(req.data() + kSetExtraInfoData);
				extra_.reset();
				if (r.ei_size != 0) {
					extra_ = std::string(data, std::min<std::size_t>(r.ei_size, have));
				}
				peer.reply_status(CS_OK);
				publish();  // as totem delivers it: after the reply
			}
			return;
		}
		case MESSAGE_REQ_VOTEQUORUM_QDEVICE_GET_EXTRA_INFO: {
			const auto r = request_as<req_lib_votequorum_get_qdevice_extra_info>(req);
			const bool known = r.nodeid == 1;
			const std::string data = known && extra_ ? *extra_ : std::string();
			auto bytes = extra_info_reply(known ? CS_OK : CS_ERR_NOT_EXIST, data);
			peer.reply(bytes.data(), bytes.size());
			return;
		}
		default:
			peer.reply_status(CS_OK);
		}
	}

private:
	template <class Request>
	static std::string name_of(const Request& r) { return {r.name, strnlen(r.name, sizeof r.name)}; }

	// Node 1's extra info (empty: size 0) to every tracking connection.
	void publish()
	{
		for (const auto& [connection, context] : trackers_) {
			Peer tracker(connection);
			send_bytes_event(tracker, extra_info_event(context, 1, extra_.value_or(std::string())));
		}
	}

	std::string device_;                 // the registered qdevice's name
	std::optional<std::string> extra_;  // node 1's extra info
	std::map<qb_ipcs_connection_t*, uint64_t> trackers_;
};

std::map<std::string, Script> scripts()
{
	std::map<std::string, Script> s;
	s["fields"] = ordinary;
	s["errors"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_SETEXPECTED) {
			peer.reply_status(static_cast<int32_t>(request_as<req_lib_votequorum_setexpected>(req).expected_votes));
		} else {
			ordinary(peer, id, req);
		}
	};
	s["burst"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			for (uint32_t i = 0; i < 5000; ++i) {
				peer.event(expectedvotes_event(1, i));
			}
			peer.reply_status(CS_OK);
		} else {
			ordinary(peer, id, req);
		}
	};
	// The benchmark's bursts, sent on trackstart after the reply: the first
	// fits the client's event ring, the second is queued as the ring fills.
	for (const auto& [name, count] : {std::pair{"burst2k", 2000u}, std::pair{"burst100k", 100000u}}) {
		s[name] = [count = count](Peer& peer, int32_t id, std::span<const std::byte> req) {
			if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
				peer.reply_status(CS_OK);
				for (uint32_t i = 0; i < count; ++i) {
					peer.event(expectedvotes_event(1, i));
				}
			} else {
				ordinary(peer, id, req);
			}
		};
	}
	// Membership notifications: 4,000, quorum and node list in turn, 3 nodes each.
	s["members4k"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			peer.reply_status(CS_OK);
			const auto quorum = quorum_event(1, 1, {{1, 1}, {2, 1}, {3, 1}});
			const auto nodes = nodelist_event(1, {1, 8}, {1, 2, 3});
			for (uint32_t i = 0; i < 2000; ++i) {
				send_bytes_event(peer, quorum);
				send_bytes_event(peer, nodes);
			}
		} else {
			ordinary(peer, id, req);
		}
	};
	s["entries"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			std::vector<votequorum_node_t> many;
			std::vector<uint32_t> ids;
			for (uint32_t n = 1; n <= 1000; ++n) {
				many.push_back({n, n % 3 + 1});
				ids.push_back(n);
			}
			send_bytes_event(peer, quorum_event(1, 0, {}));
			send_bytes_event(peer, nodelist_event(1, {1, 9}, {}));
			send_bytes_event(peer, quorum_event(1, 1, many));
			send_bytes_event(peer, nodelist_event(1, {1, 10}, ids));
			peer.reply_status(CS_OK);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["silent"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id != MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			ordinary(peer, id, req);
		}
	};
	s["disconnect"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.disconnect_later();
		} else {
			ordinary(peer, id, req);
		}
	};
	s["unknown"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			auto odd = expectedvotes_event(1, 4);
			odd.header.id = 99;
			peer.event(odd);
			peer.event(expectedvotes_event(1, 5));
			peer.reply_status(CS_OK);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["malformed"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			send_bytes_event(peer, quorum_event(1, 1, {{1, 1}}, 5));  // five entries claimed, one sent
			peer.event(expectedvotes_event(1, 5));
			peer.reply_status(CS_OK);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["unterminated"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			auto res = fields();
			std::memset(res.qdevice_name, 'x', sizeof res.qdevice_name);
			peer.reply(res);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["short"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			auto res = fields();
			res.header.size = 100;
			peer.reply(&res, 100);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["status_error"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			peer.reply_status(CS_ERR_NOT_EXIST);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["busy"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			ordinary(peer, id, req);
		} else {
			peer.reply_status(CS_ERR_BUSY);
		}
	};
	s["error_fields"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_GETINFO) {
			auto res = fields();  // every field filled in, and an error
			res.header.error = CS_ERR_NOT_EXIST;
			peer.reply(res);
		} else {
			ordinary(peer, id, req);
		}
	};
	s["faithful"] = [state = std::make_shared<Faithful>()](Peer& peer, int32_t id, std::span<const std::byte> req) {
		(*state)(peer, id, req);
	};
	s["abi11"] = [](Peer& peer, int32_t id, std::span<const std::byte> req) {
		if (id == MESSAGE_REQ_VOTEQUORUM_QDEVICE_SET_EXTRA_INFO) {
			auto r = request_as<req_lib_votequorum_set_qdevice_extra_info>(req);
			const bool ok = r.ei_size == 9 && req.size() == sizeof r + 9 &&
			                std::memcmp(req.data() + kSetExtraInfoData, "Qdsk 00ff", 9) == 0;
			peer.reply_status(ok ? CS_OK : CS_ERR_MESSAGE_ERROR);
		} else if (id == MESSAGE_REQ_VOTEQUORUM_QDEVICE_GET_EXTRA_INFO) {
			auto bytes = extra_info_reply(CS_OK, "Qdsk 00ff");
			peer.reply(bytes.data(), bytes.size());
		} else if (id == MESSAGE_REQ_VOTEQUORUM_TRACKSTART) {
			send_bytes_event(peer, extra_info_event(request_as<req_lib_votequorum_trackstart>(req).context, 2, "Qdsk 1234"));
			peer.reply_status(CS_OK);
		} else {
			ordinary(peer, id, req);
		}
	};
	return s;
}

}  // namespace

int main(int argc, char** argv)
{
	auto all = scripts();
	if (argc < 2 || (!all.count(argv[1]) && std::string(argv[1]) != "starting")) {
		std::fprintf(stderr, "usage: fake_votequorum SCRIPT [nobody]\n");
		return 2;
	}
	uid_t uid = 0;
	gid_t gid = 0;
	if (argc > 2 && std::string(argv[2]) == "nobody") {
		const passwd* pw = getpwnam("nobody");
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	std::string script = argv[1];
	if (script == "starting") {  // refuses two connections first, then serves "fields"
		refuse_first_connections(2);
		script = "fields";
	}
	FakeServer server(all[script], {}, uid, gid);
	std::printf("ready\n");
	std::fflush(stdout);
	for (;;) {
		pause();
	}
}
