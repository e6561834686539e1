#include "fake_server.hpp"

#include <qb/qbloop.h>

#include <algorithm>
#include <cerrno>
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

using namespace vq::wire;

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
	ResStatus res{};
	res.header = {RES_STATUS, sizeof res, error};
	return reply(res);
}

namespace {

// State of the server child; one server per child process.
FakeServer::RequestHandler* g_on_request;
FakeServer::PokeHandler* g_on_poke;
qb_ipcs_connection_t* g_last;  // referenced while held here

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
	if (g_last) {
		qb_ipcs_connection_unref(g_last);
	}
	qb_ipcs_connection_ref(c);
	g_last = c;
}

std::function<void(qb_ipcs_connection_t*)> g_closed_hook;

int32_t on_closed(qb_ipcs_connection_t* c)
{
	if (g_closed_hook) {
		g_closed_hook(c);
	}
	g_outq.erase(c);
	if (c == g_last) {
		qb_ipcs_connection_unref(c);
		g_last = nullptr;
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
	(*g_on_request)(peer, id, {static_cast<const std::byte*>(data), size});
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

int32_t on_poke(int32_t fd, int32_t revents, void* data)
{
	auto* channel = static_cast<PokeChannel*>(data);
	int code;
	if (!(revents & POLLIN) || read(fd, &code, sizeof code) != sizeof code) {
		_exit(0);  // the test is gone
	}
	if (g_last && g_on_poke && *g_on_poke) {
		Peer peer(g_last);
		(*g_on_poke)(peer, code);
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
	qb_ipcs_service_handlers handlers{on_accept, on_created, on_message, on_closed, on_destroyed};
	qb_ipcs_service_t* service = qb_ipcs_create("votequorum", 0, QB_IPC_SHM, &handlers);
	qb_ipcs_poll_handlers poll_handlers{job_add, poll_add, poll_mod, poll_del};
	if (service == nullptr) {
		_exit(3);
	}
	qb_ipcs_poll_handlers_set(service, &poll_handlers);
	if (qb_ipcs_run(service) != 0) {
		std::fprintf(stderr, "fake server: qb_ipcs_run failed\n");
		_exit(3);
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

FakeServer::FakeServer(RequestHandler on_request, PokeHandler on_poke, uid_t run_as, gid_t run_as_group)
{
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
		g_on_request = new RequestHandler(std::move(on_request));
		g_on_poke = new PokeHandler(std::move(on_poke));
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
	char ok;
	if (write(poke_fd_, &code, sizeof code) != sizeof code || read(ack_fd_, &ok, 1) != 1) {
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

ResGetinfo getinfo_reply(int32_t error, uint32_t nodeid, const char* qdevice_name)
{
	ResGetinfo res{};
	res.header = {RES_GETINFO, sizeof res, error};
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

namespace {

template <class Head>
std::vector<std::byte> with_tail(Head head, std::size_t tail_at, const void* tail, std::size_t tail_len)
{
	// As the daemon sends them: the whole fixed struct plus the data, the
	// data starting at its field's offset.
	std::vector<std::byte> bytes(sizeof head + tail_len);
	head.header.size = static_cast<int32_t>(bytes.size());
	std::memcpy(bytes.data(), &head, sizeof head);
	if (tail_len) {
		std::memcpy(bytes.data() + tail_at, tail, tail_len);
	}
	return bytes;
}

}  // namespace

std::vector<std::byte> quorum_event(uint64_t context, uint32_t quorate, const std::vector<votequorum_node_t>& nodes,
	std::optional<uint32_t> claimed_entries)
{
	ResQuorumNotification head{};
	head.header = {RES_QUORUM_NOTIFICATION, 0, CS_OK};
	head.quorate = quorate;
	head.context = context;
	head.node_list_entries = claimed_entries.value_or(static_cast<uint32_t>(nodes.size()));
	return with_tail(head, kQuorumNodes, nodes.data(), nodes.size() * sizeof(votequorum_node_t));
}

std::vector<std::byte> nodelist_event(uint64_t context, votequorum_ring_id_t ring, const std::vector<uint32_t>& nodes)
{
	ResNodelistNotification head{};
	head.header = {RES_NODELIST_NOTIFICATION, 0, CS_OK};
	head.context = context;
	head.ring_id = {ring.nodeid, ring.seq};
	head.node_list_entries = static_cast<uint32_t>(nodes.size());
	return with_tail(head, kNodelistNodes, nodes.data(), nodes.size() * sizeof(uint32_t));
}

ResExpectedVotesNotification expectedvotes_event(uint64_t context, uint32_t expected)
{
	ResExpectedVotesNotification res{};
	res.header = {RES_EXPECTEDVOTES_NOTIFICATION, sizeof res, CS_OK};
	res.context = context;
	res.expected_votes = expected;
	return res;
}

std::vector<std::byte> extra_info_event(uint64_t context, uint32_t nodeid, const std::string& data)
{
	ResExtraInfoNotification head{};
	head.header = {RES_EXTRA_INFO_NOTIFICATION, 0, CS_OK};
	head.context = context;
	head.nodeid = nodeid;
	head.ei_size = static_cast<uint32_t>(data.size());
	return with_tail(head, kExtraInfoNotificationData, data.data(), data.size());
}

std::vector<std::byte> extra_info_reply(int32_t error, const std::string& data, std::optional<uint32_t> claimed_size)
{
	ResGetExtraInfo head{};
	head.header = {RES_GET_EXTRA_INFO, 0, error};
	head.ei_size = claimed_size.value_or(static_cast<uint32_t>(data.size()));
	return with_tail(head, kGetExtraInfoData, data.data(), data.size());
}

}  // namespace vqtest
