// A corosync that tests script: a libqb IPC server (qb_ipcs, shm transport)
// running in a forked child inside the test's private network namespace,
// serving corosync's "votequorum" service, its "quorum" service, or both.
// The test gives each service a request handler and a poke handler; they run
// in the child, on libqb's loop.
//
// Every message is built from corosync's own layouts (corosync_ipc.hpp:
// corosync's ipc_votequorum.h and ipc_quorum.h), never from our library's.
#pragma once

#include "corosync_ipc.hpp"

#include <qb/qbipcs.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>
#include <type_traits>
#include <utility>
#include <vector>

namespace vqtest {

// The server's side of one client connection, given to the handlers.
class Peer {
public:
	explicit Peer(qb_ipcs_connection_t* c) : c_(c) {}

	// Raw bytes as the reply to the current request / as a notification.
	// Return libqb's result (bytes sent or negative errno).
	ssize_t reply(const void* data, std::size_t len);
	ssize_t event(const void* data, std::size_t len);
	template <class T> ssize_t reply(const T& msg) { return reply(&msg, sizeof msg); }
	template <class T> ssize_t event(const T& msg) { return event(&msg, sizeof msg); }

	// votequorum's STATUS reply carrying `error`.
	ssize_t reply_status(int32_t error);
	// Drops the connection once the current handler has returned.
	void disconnect_later();

	qb_ipcs_connection_t* connection() const { return c_; }

private:
	qb_ipcs_connection_t* c_;
};

// A request's fixed part, read from the bytes received (zero-filled where
// the request was shorter). T is one of corosync's req_lib_* structs.
template <class T>
T request_as(std::span<const std::byte> request)
{
	T value{};
	std::memcpy(&value, request.data(), std::min(sizeof value, request.size()));
	return value;
}

// A response of type T (one of corosync's res_lib_* structs, or a bare
// qb_ipc_response_header) with every byte zero, padding included, and its
// header set, header.size saying sizeof(T): the bytes sent are the same on
// every run. (Assigning a braced header instead would copy a temporary's
// indeterminate padding.) The builders below all start from one.
template <class T>
T response(int32_t id, int32_t error)
{
	T msg;
	std::memset(&msg, 0, sizeof msg);
	qb_ipc_response_header* header;
	if constexpr (std::is_same_v<T, qb_ipc_response_header>) {
		header = &msg;
	} else {
		header = &msg.header;
	}
	header->id = id;
	header->size = static_cast<int32_t>(sizeof msg);
	header->error = error;
	return msg;
}

// --- votequorum's messages ---------------------------------------------------
// A `claimed_*` argument makes a malformed message: the count or size field
// says that, whatever was really appended.
res_lib_votequorum_getinfo getinfo_reply(int32_t error, uint32_t nodeid, const char* qdevice_name = "");
std::vector<std::byte> quorum_event(uint64_t context, uint32_t quorate, const std::vector<votequorum_node_t>& nodes,
	std::optional<uint32_t> claimed_entries = std::nullopt);
std::vector<std::byte> nodelist_event(uint64_t context, votequorum_ring_id_t ring, const std::vector<uint32_t>& nodes);
res_lib_votequorum_expectedvotes_notification expectedvotes_event(uint64_t context, uint32_t expected);
std::vector<std::byte> extra_info_event(uint64_t context, uint32_t nodeid, const std::string& data);
std::vector<std::byte> extra_info_reply(int32_t error, const std::string& data,
	std::optional<uint32_t> claimed_size = std::nullopt);

// --- the quorum service's messages ------------------------------------------
res_lib_quorum_getquorate quorum_getquorate_reply(int32_t error, uint32_t quorate);
res_lib_quorum_gettype quorum_gettype_reply(int32_t error, uint32_t quorum_type);
res_lib_quorum_model_gettype quorum_model_gettype_reply(int32_t error, uint32_t quorum_type);
// trackstart and trackstop are answered with a bare response header.
qb_ipc_response_header quorum_trackstart_reply(int32_t error);
qb_ipc_response_header quorum_trackstop_reply(int32_t error);
// The model V0 notification (ring sequence only) and the model V1 one
// (whole ring id), each listing the members.
std::vector<std::byte> quorum_v0_notification(int32_t quorate, uint64_t ring_seq, const std::vector<uint32_t>& members,
	std::optional<uint32_t> claimed_entries = std::nullopt);
std::vector<std::byte> quorum_v1_notification(int32_t quorate, quorum_ring_id ring,
	const std::vector<uint32_t>& members, std::optional<uint32_t> claimed_entries = std::nullopt);
// The model V1 node list notification: the three lists one after another.
struct NodelistClaims {
	std::optional<uint32_t> members = std::nullopt, joined = std::nullopt, left = std::nullopt;
};
std::vector<std::byte> quorum_v1_nodelist_notification(quorum_ring_id ring, const std::vector<uint32_t>& members,
	const std::vector<uint32_t>& joined = {}, const std::vector<uint32_t>& left = {}, NodelistClaims claimed = {});

// The next server started refuses its first `n` connections with -EAGAIN,
// as a daemon that is still starting does.
void refuse_first_connections(int n);

// Runs in the server when a client connection closes, before libqb frees
// it: scripts that keep per-connection state (trackers) forget it here.
void on_connection_closed(std::function<void(qb_ipcs_connection_t*)> hook);

using RequestHandler = std::function<void(Peer&, int32_t id, std::span<const std::byte> request)>;
using PokeHandler = std::function<void(Peer&, int code)>;

// One IPC service of the server: the name clients connect to and its
// handlers.
struct Service {
	std::string name;
	RequestHandler on_request;
	PokeHandler on_poke = {};
};
inline Service votequorum_service(RequestHandler on_request, PokeHandler on_poke = {})
{
	return {"votequorum", std::move(on_request), std::move(on_poke)};
}
inline Service quorum_service(RequestHandler on_request, PokeHandler on_poke = {})
{
	return {"quorum", std::move(on_request), std::move(on_poke)};
}

class FakeServer {
public:
	using RequestHandler = vqtest::RequestHandler;
	using PokeHandler = vqtest::PokeHandler;

	// Starts the server with these services and returns once they accept
	// connections. With `run_as` other than 0 the server drops to that uid
	// (and gid) first.
	explicit FakeServer(std::vector<Service> services, uid_t run_as = 0, gid_t run_as_group = 0);
	// A votequorum-only server.
	explicit FakeServer(RequestHandler on_request, PokeHandler on_poke = {}, uid_t run_as = 0, gid_t run_as_group = 0)
		: FakeServer({votequorum_service(std::move(on_request), std::move(on_poke))}, run_as, run_as_group)
	{
	}
	~FakeServer();
	FakeServer(const FakeServer&) = delete;
	FakeServer& operator=(const FakeServer&) = delete;

	// Runs on_poke(code) in the server for the most recent client of each
	// service that has one (or of the service named) and waits until it has
	// run.
	void poke(int code);
	void poke(const std::string& service, int code);
	// SIGKILLs the server, as a dying daemon.
	void kill();
	pid_t pid() const { return pid_; }

private:
	void poke_service(int service, int code);

	std::vector<std::string> names_;
	pid_t pid_ = -1;
	int poke_fd_ = -1;
	int ack_fd_ = -1;
};

// Sends a bare message through libqb's event API: used by handlers that want
// to push any bytes, e.g. a burst.
template <class Bytes>
ssize_t send_bytes_event(Peer& peer, const Bytes& bytes)
{
	return peer.event(bytes.data(), bytes.size());
}

}  // namespace vqtest
