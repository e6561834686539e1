#include "fake_server.hpp"

#include <qb/qbloop.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <deque>
#include <map>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vqtest {

ssize_t Peer::reply(const void* data, std::size_t len)
{
	return qb_ipcs_response_send(c_, data, len);
}

namespace {
qb_loop_t* g_loop;  // the server child's loop (defined here for the out-queue)

// Notifications that did not fit the client's ring yet, per connection.
// As corosync does with its own out-queue, a high-priority loop job retries
// them on every pass of the loop until they are all sent. (A timer would
// not do: libqb's loop waits in whole milliseconds, so a "20 us" timer
// fires about once a millisecond, and a client that drains its ring faster
// than that would be measuring the server.)
std::map<qb_ipcs_connection_t*, std::deque<std::vector<std::byte>>> g_outq;
bool g_flush_scheduled = false;

void flush_outq(void*);
void schedule_flush()
{
	if (!g_flush_scheduled) {
		g_flush_scheduled = true;
		qb_loop_job_add(g_loop, QB_LOOP_HIGH, nullptr, flush_outq);
	}
}

void flush_outq(void*)
{
	g_flush_scheduled = false;
	bool pending = false;
	for (auto& [c, queue] : g_outq) {
		while (!queue.empty()) {
			if (qb_ipcs_event_send(c, queue.front().data(), queue.front().size()) == -EAGAIN) {
				break;
			}
			queue.pop_front();
		}
		pending = pending || !queue.empty();
	}
	if (pending) {
		schedule_flush();
	}
}
}  // namespace

ssize_t Peer::event(const void* data, std::size_t len)
{
	auto& queue = g_outq[c_];
	if (queue.empty()) {
		ssize_t res = qb_ipcs_event_send(c_, data, len);
		if (res != -EAGAIN) {
			return res;
		}
	}
	auto* bytes = static_cast<const std::byte*>(data);
	queue.emplace_back(bytes, bytes + len);
	schedule_flush();
	return static_cast<ssize_t>(len);
}

ssize_t Peer::reply_status(int32_t error)
{
	auto res = response<res_lib_votequorum_status>(MESSAGE_RES_VOTEQUORUM_STATUS, error);
	return reply(res);
}

namespace {

// State of the server child; one server per child process.
struct ServiceState {
	Service service;
	qb_ipcs_connection_t* last = nullptr;  // its most recent client, referenced while held here
};
std::vector<ServiceState>* g_services;

ServiceState& state_of(qb_ipcs_connection_t* c)
{
	return *static_cast<ServiceState*>(qb_ipcs_connection_service_context_get(c));
}

void drop_connection(void* data)
{
	auto* c = static_cast<qb_ipcs_connection_t*>(data);
	qb_ipcs_disconnect(c);
	qb_ipcs_connection_unref(c);
}

int g_refuse_connections = 0;

int32_t on_accept(qb_ipcs_connection_t*, uid_t, gid_t)
{
	if (g_refuse_connections > 0) {
		--g_refuse_connections;
		return -EAGAIN;
	}
	return 0;
}

void on_created(qb_ipcs_connection_t* c)
{
	auto& last = state_of(c).last;
	if (last) {
		qb_ipcs_connection_unref(last);
	}
	qb_ipcs_connection_ref(c);
	last = c;
}

std::function<void(qb_ipcs_connection_t*)> g_closed_hook;

int32_t on_closed(qb_ipcs_connection_t* c)
{
	if (g_closed_hook) {
		g_closed_hook(c);
	}
	g_outq.erase(c);
	auto& last = state_of(c).last;
	if (c == last) {
		qb_ipcs_connection_unref(c);
		last = nullptr;
	}
	return 0;
}

void on_destroyed(qb_ipcs_connection_t*) {}

int32_t on_message(qb_ipcs_connection_t* c, void* data, size_t size)
{
	Peer peer(c);
	int32_t id = -1;
	if (size >= sizeof(int32_t)) {
		std::memcpy(&id, data, sizeof id);
	}
	state_of(c).service.on_request(peer, id, {static_cast<const std::byte*>(data), size});
	return 0;
}

int32_t job_add(qb_loop_priority p, void* data, qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(g_loop, p, data, fn);
}
int32_t poll_add(qb_loop_priority p, int32_t fd, int32_t events, void* data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(g_loop, p, fd, events, data, fn);
}
int32_t poll_mod(qb_loop_priority p, int32_t fd, int32_t events, void* data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(g_loop, p, fd, events, data, fn);
}
int32_t poll_del(int32_t fd) { return qb_loop_poll_del(g_loop, fd); }

struct PokeChannel {
	int in;
	int ack;
};

// What the test writes on the poke pipe: a code for one service (its index)
// or for all of them (-1).
struct PokeMessage {
	int service;
	int code;
};

int32_t on_poke(int32_t fd, int32_t revents, void* data)
{
	auto* channel = static_cast<PokeChannel*>(data);
	PokeMessage poke;
	if (!(revents & POLLIN) || read(fd, &poke, sizeof poke) != sizeof poke) {
		_exit(0);  // the test is gone
	}
	for (std::size_t i = 0; i < g_services->size(); ++i) {
		auto& state = (*g_services)[i];
		if ((poke.service < 0 || static_cast<std::size_t>(poke.service) == i) && state.last && state.service.on_poke) {
			Peer peer(state.last);
			state.service.on_poke(peer, poke.code);
		}
	}
	char ok = 1;
	if (write(channel->ack, &ok, 1) != 1) {
		_exit(0);
	}
	return 0;
}

[[noreturn]] void run_server(int poke_in, int ack_out)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	g_loop = qb_loop_create();
	static qb_ipcs_service_handlers handlers{on_accept, on_created, on_message, on_closed, on_destroyed};
	static qb_ipcs_poll_handlers poll_handlers{job_add, poll_add, poll_mod, poll_del};
	for (auto& state : *g_services) {
		qb_ipcs_service_t* service = qb_ipcs_create(state.service.name.c_str(), 0, QB_IPC_SHM, &handlers);
		if (service == nullptr) {
			_exit(3);
		}
		qb_ipcs_service_context_set(service, &state);
		qb_ipcs_poll_handlers_set(service, &poll_handlers);
		if (qb_ipcs_run(service) != 0) {
			std::fprintf(stderr, "fake server: qb_ipcs_run failed for %s\n", state.service.name.c_str());
			_exit(3);
		}
	}
	static PokeChannel channel{poke_in, ack_out};
	qb_loop_poll_add(g_loop, QB_LOOP_HIGH, poke_in, POLLIN, &channel, on_poke);
	char ready = 1;
	if (write(ack_out, &ready, 1) != 1) {
		_exit(3);
	}
	qb_loop_run(g_loop);
	_exit(0);
}

}  // namespace

void refuse_first_connections(int n)
{
	g_refuse_connections = n;
}

void on_connection_closed(std::function<void(qb_ipcs_connection_t*)> hook)
{
	g_closed_hook = std::move(hook);
}

void Peer::disconnect_later()
{
	qb_ipcs_connection_ref(c_);
	qb_loop_job_add(g_loop, QB_LOOP_LOW, c_, drop_connection);
}

FakeServer::FakeServer(std::vector<Service> services, uid_t run_as, gid_t run_as_group)
{
	for (const auto& service : services) {
		names_.push_back(service.name);
	}
	int poke[2], ack[2];
	if (pipe2(poke, O_CLOEXEC) < 0 || pipe2(ack, O_CLOEXEC) < 0) {
		throw std::runtime_error("fake server: pipe");
	}
	std::fflush(nullptr);
	pid_ = fork();
	if (pid_ < 0) {
		throw std::runtime_error("fake server: fork");
	}
	if (pid_ == 0) {
		close(poke[1]);
		close(ack[0]);
		if (run_as != 0 && (setgroups(0, nullptr) < 0 || setgid(run_as_group) < 0 || setuid(run_as) < 0)) {
			_exit(5);
		}
		g_services = new std::vector<ServiceState>;
		for (auto& service : services) {
			g_services->push_back({std::move(service)});
		}
		run_server(poke[0], ack[1]);
	}
	close(poke[0]);
	close(ack[1]);
	poke_fd_ = poke[1];
	ack_fd_ = ack[0];
	char ready;
	if (read(ack_fd_, &ready, 1) != 1) {
		throw std::runtime_error("fake server did not start");
	}
}

FakeServer::~FakeServer()
{
	kill();
	close(poke_fd_);
	close(ack_fd_);
}

void FakeServer::poke(int code)
{
	poke_service(-1, code);
}

void FakeServer::poke(const std::string& service, int code)
{
	const auto it = std::find(names_.begin(), names_.end(), service);
	if (it == names_.end()) {
		throw std::invalid_argument("fake server: no service " + service);
	}
	poke_service(static_cast<int>(it - names_.begin()), code);
}

void FakeServer::poke_service(int service, int code)
{
	const PokeMessage poke{service, code};
	char ok;
	if (write(poke_fd_, &poke, sizeof poke) != sizeof poke || read(ack_fd_, &ok, 1) != 1) {
		throw std::runtime_error("fake server: poke failed (server gone?)");
	}
}

void FakeServer::kill()
{
	if (pid_ > 0) {
		::kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, 0);
		pid_ = -1;
	}
}

namespace {

// A message as corosync's daemon sends one with variable data: the whole
// fixed struct, then the data, which starts at its flexible member's offset
// (inside the struct's tail padding, if any); header.size counts it all.
template <class Head>
std::vector<std::byte> with_tail(Head head, std::size_t tail_at, const void* tail, std::size_t tail_len)
{
	std::vector<std::byte> bytes(sizeof head + tail_len);
	head.header.size = static_cast<int32_t>(bytes.size());
	std::memcpy(bytes.data(), &head, sizeof head);
	if (tail_len) {
		std::memcpy(bytes.data() + tail_at, tail, tail_len);
	}
	return bytes;
}

template <class Head>
std::vector<std::byte> with_ids(Head head, std::size_t ids_at, const std::vector<uint32_t>& ids)
{
	return with_tail(head, ids_at, ids.data(), ids.size() * sizeof(uint32_t));
}

uint32_t count(const std::vector<uint32_t>& list, std::optional<uint32_t> claimed)
{
	return claimed.value_or(static_cast<uint32_t>(list.size()));
}

}  // namespace

// --- votequorum --------------------------------------------------------------

res_lib_votequorum_getinfo getinfo_reply(int32_t error, uint32_t nodeid, const char* qdevice_name)
{
	auto res = response<res_lib_votequorum_getinfo>(MESSAGE_RES_VOTEQUORUM_GETINFO, error);
	res.nodeid = nodeid;
	res.state = VOTEQUORUM_NODESTATE_MEMBER;
	res.votes = 1;
	res.expected_votes = 3;
	res.highest_expected = 3;
	res.total_votes = 2;
	res.quorum = 2;
	res.flags = VOTEQUORUM_INFO_QUORATE;
	res.qdevice_votes = 0;
	std::strncpy(res.qdevice_name, qdevice_name, sizeof res.qdevice_name - 1);
	return res;
}

std::vector<std::byte> quorum_event(uint64_t context, uint32_t quorate, const std::vector<votequorum_node_t>& nodes,
	std::optional<uint32_t> claimed_entries)
{
	auto head = response<res_lib_votequorum_quorum_notification>(
		MESSAGE_RES_VOTEQUORUM_QUORUM_NOTIFICATION, CS_OK);
	head.quorate = quorate;
	head.context = context;
	head.node_list_entries = claimed_entries.value_or(static_cast<uint32_t>(nodes.size()));
	std::vector<votequorum_node> entries;
	for (const auto& node : nodes) {
		entries.push_back({node.nodeid, node.state});
	}
	return with_tail(head, offsetof(res_lib_votequorum_quorum_notification, node_list), entries.data(),
		entries.size() * sizeof(votequorum_node));
}

std::vector<std::byte> nodelist_event(uint64_t context, votequorum_ring_id_t ring, const std::vector<uint32_t>& nodes)
{
	auto head = response<res_lib_votequorum_nodelist_notification>(
		MESSAGE_RES_VOTEQUORUM_NODELIST_NOTIFICATION, CS_OK);
	head.context = context;
	head.ring_id.nodeid = ring.nodeid;
	head.ring_id.seq = ring.seq;
	head.node_list_entries = static_cast<uint32_t>(nodes.size());
	return with_ids(head, offsetof(res_lib_votequorum_nodelist_notification, node_list), nodes);
}

res_lib_votequorum_expectedvotes_notification expectedvotes_event(uint64_t context, uint32_t expected)
{
	auto res = response<res_lib_votequorum_expectedvotes_notification>(
		MESSAGE_RES_VOTEQUORUM_EXPECTEDVOTES_NOTIFICATION, CS_OK);
	res.context = context;
	res.expected_votes = expected;
	return res;
}

std::vector<std::byte> extra_info_event(uint64_t context, uint32_t nodeid, const std::string& data)
{
	auto head = response<res_lib_votequorum_qdevice_extra_info_notification>(
		MESSAGE_RES_VOTEQUORUM_QDEVICE_EXTRA_INFO_NOTIFICATION, CS_OK);
	head.context = context;
	head.nodeid = nodeid;
	head.ei_size = static_cast<uint32_t>(data.size());
	return with_tail(head, offsetof(res_lib_votequorum_qdevice_extra_info_notification, extra_info), data.data(),
		data.size());
}

std::vector<std::byte> extra_info_reply(int32_t error, const std::string& data, std::optional<uint32_t> claimed_size)
{
	auto head = response<res_lib_votequorum_get_qdevice_extra_info>(MESSAGE_RES_VOTEQUORUM_QDEVICE_GET_EXTRA_INFO, error);
	head.ei_size = claimed_size.value_or(static_cast<uint32_t>(data.size()));
	return with_tail(head, offsetof(res_lib_votequorum_get_qdevice_extra_info, extra_info), data.data(), data.size());
}

// --- quorum ------------------------------------------------------------------

res_lib_quorum_getquorate quorum_getquorate_reply(int32_t error, uint32_t quorate)
{
	auto res = response<res_lib_quorum_getquorate>(MESSAGE_RES_QUORUM_GETQUORATE, error);
	res.quorate = quorate;
	return res;
}

res_lib_quorum_gettype quorum_gettype_reply(int32_t error, uint32_t quorum_type)
{
	auto res = response<res_lib_quorum_gettype>(MESSAGE_RES_QUORUM_GETTYPE, error);
	res.quorum_type = quorum_type;
	return res;
}

res_lib_quorum_model_gettype quorum_model_gettype_reply(int32_t error, uint32_t quorum_type)
{
	auto res = response<res_lib_quorum_model_gettype>(MESSAGE_RES_QUORUM_MODEL_GETTYPE, error);
	res.quorum_type = quorum_type;
	return res;
}

qb_ipc_response_header quorum_trackstart_reply(int32_t error)
{
	return response<qb_ipc_response_header>(MESSAGE_RES_QUORUM_TRACKSTART, error);
}

qb_ipc_response_header quorum_trackstop_reply(int32_t error)
{
	return response<qb_ipc_response_header>(MESSAGE_RES_QUORUM_TRACKSTOP, error);
}

std::vector<std::byte> quorum_v0_notification(int32_t quorate, uint64_t ring_seq, const std::vector<uint32_t>& members,
	std::optional<uint32_t> claimed_entries)
{
	auto head = response<res_lib_quorum_notification>(MESSAGE_RES_QUORUM_NOTIFICATION, CS_OK);
	head.quorate = quorate;
	head.ring_seq = ring_seq;
	head.view_list_entries = count(members, claimed_entries);
	return with_ids(head, offsetof(res_lib_quorum_notification, view_list), members);
}

std::vector<std::byte> quorum_v1_notification(int32_t quorate, quorum_ring_id ring,
	const std::vector<uint32_t>& members, std::optional<uint32_t> claimed_entries)
{
	auto head = response<res_lib_quorum_v1_quorum_notification>(MESSAGE_RES_QUORUM_V1_QUORUM_NOTIFICATION, CS_OK);
	head.quorate = quorate;
	head.ring_id.nodeid = ring.nodeid;
	head.ring_id.seq = ring.seq;
	head.view_list_entries = count(members, claimed_entries);
	return with_ids(head, offsetof(res_lib_quorum_v1_quorum_notification, view_list), members);
}

std::vector<std::byte> quorum_v1_nodelist_notification(quorum_ring_id ring, const std::vector<uint32_t>& members,
	const std::vector<uint32_t>& joined, const std::vector<uint32_t>& left, NodelistClaims claimed)
{
	auto head = response<res_lib_quorum_v1_nodelist_notification>(MESSAGE_RES_QUORUM_V1_NODELIST_NOTIFICATION, CS_OK);
	head.ring_id.nodeid = ring.nodeid;
	head.ring_id.seq = ring.seq;
	head.member_list_entries = count(members, claimed.members);
	head.joined_list_entries = count(joined, claimed.joined);
	head.left_list_entries = count(left, claimed.left);
	std::vector<uint32_t> lists(members);  // the three lists, one after another
	lists.insert(lists.end(), joined.begin(), joined.end());
	lists.insert(lists.end(), left.begin(), left.end());
	return with_ids(head, offsetof(res_lib_quorum_v1_nodelist_notification, member_list), lists);
}

}  // namespace vqtest
