// A votequorum service that tests script: a libqb IPC server (qb_ipcs, shm
// transport, service name "votequorum") running in a forked child inside the
// test's private network namespace. The test gives it a request handler and
// a poke handler; both run in the child, on libqb's loop.
#pragma once

#include "votequorum/wire.hpp"

#include <qb/qbipcs.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>
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

	// A STATUS reply carrying `error`.
	ssize_t reply_status(int32_t error);
	// Drops the connection once the current handler has returned.
	void disconnect_later();

	qb_ipcs_connection_t* connection() const { return c_; }

private:
	qb_ipcs_connection_t* c_;
};

// A request's fixed part, read from the bytes received (zero-filled where
// the request was shorter).
template <class T>
T request_as(std::span<const std::byte> request)
{
	T value{};
	std::memcpy(&value, request.data(), std::min(sizeof value, request.size()));
	return value;
}

// Message builders for the handlers (layouts from src/wire.hpp). A
// `claimed_*` argument makes a malformed message: the count or size field
// says that, whatever was really appended.
vq::wire::ResGetinfo getinfo_reply(int32_t error, uint32_t nodeid, const char* qdevice_name = "");
std::vector<std::byte> quorum_event(uint64_t context, uint32_t quorate, const std::vector<votequorum_node_t>& nodes,
	std::optional<uint32_t> claimed_entries = std::nullopt);
std::vector<std::byte> nodelist_event(uint64_t context, votequorum_ring_id_t ring, const std::vector<uint32_t>& nodes);
vq::wire::ResExpectedVotesNotification expectedvotes_event(uint64_t context, uint32_t expected);
std::vector<std::byte> extra_info_event(uint64_t context, uint32_t nodeid, const std::string& data);
std::vector<std::byte> extra_info_reply(int32_t error, const std::string& data,
	std::optional<uint32_t> claimed_size = std::nullopt);

// The next server started refuses its first `n` connections with -EAGAIN,
// as a daemon that is still starting does.
void refuse_first_connections(int n);

// Runs in the server when a client connection closes, before libqb frees
// it: scripts that keep per-connection state (trackers) forget it here.
void on_connection_closed(std::function<void(qb_ipcs_connection_t*)> hook);

class FakeServer {
public:
	using RequestHandler = std::function<void(Peer&, int32_t id, std::span<const std::byte> request)>;
	using PokeHandler = std::function<void(Peer&, int code)>;

	// Starts the server and returns once it accepts connections. With
	// `run_as` other than 0 the server drops to that uid (and gid) first.
	explicit FakeServer(RequestHandler on_request, PokeHandler on_poke = {}, uid_t run_as = 0, gid_t run_as_group = 0);
	~FakeServer();
	FakeServer(const FakeServer&) = delete;
	FakeServer& operator=(const FakeServer&) = delete;

	// Runs on_poke(code) in the server for its most recent client and waits
	// until it has run.
	void poke(int code);
	// SIGKILLs the server, as a dying daemon.
	void kill();
	pid_t pid() const { return pid_; }

private:
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
