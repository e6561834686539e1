// The `faults` tier's program: runs ONE operation of the votequorum, the
// quorum (the `q_` operations) or the cmap API (the `c_` operations)
// against the running corosync with libvqfault.so (interposer.cpp)
// preloaded and armed around that operation only, then checks what it left:
//
//   fault_driver OP     (OP: see ops() below; `list` prints them)
//
// Before the operation, a warm-up session (disarmed) creates what a process
// keeps for its life (the handle table, this thread's receive buffers,
// libqb's own statics); then the open fds, the mappings and this process's
// /dev/shm entries are counted. The operation's set-up (a handle, tracking,
// notifications pending) runs disarmed too. After it:
//   - its result must be one this operation documents (Op::allowed);
//   - the handle it used must either work (a correct getinfo, twice: no
//     stray reply in the way) or be cleanly bad (CS_ERR_BAD_HANDLE or
//     CS_ERR_LIBRARY, every time);
//   - no notification may be lost while the handle still works;
//   - a fresh handle must work;
//   - once every handle is finalized: no fd, mapping, /dev/shm entry or
//     allocation of the libraries (vqfault_live) is left over.
// One line on stdout: "OP result=... fired=0|1 points=N" and, on failure,
// the reasons; exit 0 when clean, 1 when not. fault_driver_ref is the same
// program linked against Debian's libraries (the C calls only).
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>
#ifdef VQ_FAULT_CPP
#include <votequorum/client.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <functional>
#include <poll.h>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "fds.h"

namespace {

void (*arm)() = nullptr;
void (*disarm)() = nullptr;
long (*points)() = nullptr;
long (*live)() = nullptr;
int (*fired)() = nullptr;

std::vector<std::string> problems;
void problem(const std::string& what)
{
	problems.push_back(what);
}

const char* name(int e)
{
	static const char* const names[] = {"CS_OK", "CS_ERR_LIBRARY", "CS_ERR_VERSION", "CS_ERR_INIT",
		"CS_ERR_TIMEOUT", "CS_ERR_TRY_AGAIN", "CS_ERR_INVALID_PARAM", "CS_ERR_NO_MEMORY", "CS_ERR_BAD_HANDLE",
		"CS_ERR_BUSY", "CS_ERR_ACCESS", "CS_ERR_NOT_EXIST", "CS_ERR_NAME_TOO_LONG", "CS_ERR_EXIST",
		"CS_ERR_NO_SPACE", "CS_ERR_INTERRUPT", "CS_ERR_NAME_NOT_FOUND", "CS_ERR_NO_RESOURCES",
		"CS_ERR_NOT_SUPPORTED", "CS_ERR_BAD_OPERATION", "CS_ERR_FAILED_OPERATION", "CS_ERR_MESSAGE_ERROR",
		"CS_ERR_QUEUE_FULL", "CS_ERR_QUEUE_NOT_AVAILABLE", "CS_ERR_BAD_FLAGS", "CS_ERR_TOO_BIG",
		"CS_ERR_NO_SECTIONS"};
	static char other[32];
	if (e >= 1 && e <= 27) {
		return names[e - 1];
	}
	std::snprintf(other, sizeof other, "CS_ERR_%d", e);
	return other;
}

// --- what a process holds ------------------------------------------------------
// Mappings other than the heap and the stack, and those of /dev/shm files.
std::pair<int, int> count_maps()
{
	int all = 0, shm = 0;
	if (FILE* f = std::fopen("/proc/self/maps", "re")) {
		char line[512];
		while (std::fgets(line, sizeof line, f)) {
			if (std::strstr(line, "[heap]") || std::strstr(line, "[stack]")) {
				continue;
			}
			++all;
			shm += std::strstr(line, "/dev/shm/") != nullptr;
		}
		std::fclose(f);
	}
	return {all, shm};
}

// libqb's ring files of this process: /dev/shm/qb-<server>-<client>-...
int count_shm()
{
	int n = 0;
	const std::string mine = "-" + std::to_string(getpid()) + "-";
	if (DIR* d = opendir("/dev/shm")) {
		while (dirent* e = readdir(d)) {
			n += std::strstr(e->d_name, mine.c_str()) != nullptr;
		}
		closedir(d);
	}
	return n;
}

// --- the C API ------------------------------------------------------------------
int notifications = 0;  // callbacks run
constexpr int kTrackCurrent = 2;  // notifications of CS_TRACK_CURRENT, one node
votequorum_ring_id_t last_ring{};
votequorum_handle_t finalize_after_handle = 0;
int finalize_after = -1;  // BLOCKING: finalize from the callback after this many

void count_one(votequorum_handle_t h)
{
	++notifications;
	if (finalize_after >= 0 && notifications >= finalize_after && h == finalize_after_handle) {
		votequorum_finalize(h);
	}
}
void on_quorum(votequorum_handle_t h, uint64_t, uint32_t, uint32_t, votequorum_node_t*)
{
	count_one(h);
}
void on_nodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t ring, uint32_t, uint32_t*)
{
	last_ring = ring;
	count_one(h);
}
void on_expected(votequorum_handle_t h, uint64_t, uint32_t)
{
	count_one(h);
}
votequorum_callbacks_t callbacks = {on_quorum, on_expected, on_nodelist};

cs_error_t init(votequorum_handle_t& h)
{
	return votequorum_initialize(&h, &callbacks);
}

// Whether a handle answers a getinfo correctly.
cs_error_t probe(votequorum_handle_t h)
{
	votequorum_info info{};
	cs_error_t err = votequorum_getinfo(h, 1, &info);
	if (err == CS_OK && (info.node_id != 1 || info.highest_expected == 0 || info.total_votes == 0)) {
		problem("getinfo after the fault answered wrong data (a stray reply?)");
	}
	return err;
}

// Waits (bounded) until `h`'s fd has something, then a little more so that
// every notification the daemon sends at once is queued. Any library's fd.
void wait_readable(int fd)
{
	pollfd p{fd, POLLIN, 0};
	poll(&p, 1, 2000);
	std::this_thread::sleep_for(std::chrono::milliseconds(30));
}

void wait_pending(votequorum_handle_t h)
{
	int fd = -1;
	votequorum_fd_get(h, &fd);
	wait_readable(fd);
}

// Whether a probe's answer is that of a working or a cleanly bad handle.
bool working_or_cleanly_bad(cs_error_t after)
{
	return after == CS_OK || after == CS_ERR_BAD_HANDLE || after == CS_ERR_LIBRARY;
}

// The handle an operation used, by two probes: working (two correct
// answers) or cleanly bad (the same error twice). `which` names it in the
// problem ("handle", "quorum handle", ...).
void check_after(const char* which, const std::function<cs_error_t()>& probe_once)
{
	const cs_error_t after1 = probe_once();
	const cs_error_t after2 = probe_once();
	if (after1 != after2 || !working_or_cleanly_bad(after1)) {
		problem(std::string("the ") + which + " is neither working nor cleanly bad: " + name(after1) + " then " +
			name(after2));
	}
}

// Dispatches (ALL, disarmed, through `dispatch_all`) while fd is readable
// until `want` notifications have been counted (bounded: 3 s); the first
// error ends it.
cs_error_t drain_to(int fd, int want, const std::function<cs_error_t()>& dispatch_all)
{
	cs_error_t err = CS_OK;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
	while (notifications < want && std::chrono::steady_clock::now() < deadline) {
		pollfd p{fd, POLLIN, 0};
		if (poll(&p, 1, 100) == 1 && (err = dispatch_all()) != CS_OK) {
			break;
		}
	}
	return err;
}

// Dispatches (ALL, disarmed) until `want` notifications have been counted
// (bounded: 3 s), then whatever more comes within `tail_ms` (a repeated
// notification would show there).
cs_error_t drain(votequorum_handle_t h, int want, int tail_ms = 50)
{
	int fd = -1;
	if (votequorum_fd_get(h, &fd) != CS_OK) {
		return CS_ERR_BAD_HANDLE;
	}
	cs_error_t err = CS_OK;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
	while (std::chrono::steady_clock::now() < deadline) {  // a socket that stays readable with nothing to take
		const bool more = notifications < want;
		pollfd p{fd, POLLIN, 0};
		if (poll(&p, 1, more ? 100 : tail_ms) != 1) {
			if (more) {
				continue;
			}
			break;
		}
		const int before = notifications;
		err = votequorum_dispatch(h, CS_DISPATCH_ALL);
		if (err != CS_OK || notifications == before) {
			break;  // readable, and nothing to take: what was announced is gone
		}
	}
	return err;
}

void qdevice_cleanup(votequorum_handle_t h)
{
	votequorum_qdevice_unregister(h, "FaultQ");
	votequorum_qdevice_unregister(h, "FaultQ2");
}

struct Op {
	const char* name;
	std::vector<cs_error_t> allowed;  // besides CS_OK
	std::function<cs_error_t()> run;  // set-up, armed part, and its own checks
};

// Runs `body` armed.
template <class F>
auto armed(F&& body)
{
	arm();
	auto r = body();
	disarm();
	return r;
}

// The errors the man pages document for a call made when resources fail.
const std::vector<cs_error_t> kRequestErrors = {CS_ERR_NO_MEMORY, CS_ERR_LIBRARY, CS_ERR_TRY_AGAIN,
	CS_ERR_NO_RESOURCES, CS_ERR_BAD_HANDLE};
const std::vector<cs_error_t> kInitErrors = {CS_ERR_NO_MEMORY, CS_ERR_LIBRARY, CS_ERR_TRY_AGAIN,
	CS_ERR_NO_RESOURCES, CS_ERR_NO_SPACE};

// A handle with tracking on and notifications pending. CS_TRACK_CURRENT on
// the one-node cluster brings two: the quorum and the node list.
int expected_notifications = 0;
votequorum_handle_t tracked()
{
	votequorum_handle_t h = 0;
	if (init(h) != CS_OK || votequorum_trackstart(h, 7, CS_TRACK_CURRENT | CS_TRACK_CHANGES) != CS_OK) {
		problem("set-up: a tracking handle failed");
		return h;
	}
	wait_pending(h);
	return h;
}

// A request on a fresh handle: the armed call, then the handle's state.
std::function<cs_error_t()> request(std::function<cs_error_t(votequorum_handle_t)> call,
	std::function<void(votequorum_handle_t)> setup = {}, std::function<void(votequorum_handle_t)> cleanup = {})
{
	return [=]() {
		votequorum_handle_t h = 0;
		if (init(h) != CS_OK) {
			problem("set-up: initialize failed");
			return CS_ERR_LIBRARY;
		}
		if (setup) {
			setup(h);
		}
		const cs_error_t err = armed([&] { return call(h); });
		check_after("handle", [h] { return probe(h); });
		if (cleanup) {
			votequorum_handle_t c = 0;
			if (init(c) == CS_OK) {
				cleanup(c);
				votequorum_finalize(c);
			}
		}
		if (votequorum_finalize(h) != CS_OK) {
			problem("finalize of the used handle failed");
		}
		return err;
	};
}

std::function<cs_error_t()> dispatch_op(cs_dispatch_flags_t mode)
{
	return [=]() {
		expected_notifications = kTrackCurrent;
		votequorum_handle_t h = tracked();
		notifications = 0;
		if (mode == CS_DISPATCH_BLOCKING) {
			finalize_after_handle = h;
			finalize_after = expected_notifications;
		}
		// A blocking dispatch that lost a notification would wait for it
		// for ever: after 3 s a watchdog finalizes the handle (which ends a
		// blocking dispatch) and the loss is reported.
		std::atomic<bool> returned{false}, watchdog_fired{false};
		std::thread watchdog;
		if (mode == CS_DISPATCH_BLOCKING) {
			watchdog = std::thread([&] {
				const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
				while (!returned.load() && std::chrono::steady_clock::now() < deadline) {
					std::this_thread::sleep_for(std::chrono::milliseconds(5));
				}
				if (!returned.load()) {
					watchdog_fired = true;
					votequorum_finalize(h);
				}
			});
		}
		const cs_error_t err = armed([&] { return votequorum_dispatch(h, mode); });
		returned = true;
		if (watchdog.joinable()) {
			watchdog.join();
		}
		if (watchdog_fired) {
			problem("notifications lost: CS_DISPATCH_BLOCKING still waited 3 s later, with " +
				std::to_string(notifications) + " of " + std::to_string(expected_notifications));
			finalize_after = -1;
			return err;
		}
		const bool finalized = mode == CS_DISPATCH_BLOCKING && notifications >= expected_notifications;
		finalize_after = -1;
		if (!finalized) {
			const cs_error_t rest = drain(h, expected_notifications);
			const cs_error_t after = probe(h);
			if (after == CS_OK && rest == CS_OK && notifications != expected_notifications) {
				problem("notifications lost or repeated: " + std::to_string(notifications) + " of " +
					std::to_string(expected_notifications));
			}
			if (!working_or_cleanly_bad(after)) {
				problem(std::string("the handle is neither working nor cleanly bad: ") + name(after));
			}
			votequorum_finalize(h);
		} else if (votequorum_finalize(h) != CS_ERR_BAD_HANDLE) {
			problem("the handle finalized in the callback is still valid");
		}
		// BLOCKING returns only when the handle is finalized (or fails).
		if (mode == CS_DISPATCH_BLOCKING && err == CS_OK) {
			problem("CS_DISPATCH_BLOCKING returned CS_OK");
		}
		return err == CS_ERR_BAD_HANDLE && finalized ? CS_OK : err;
	};
}

// --- libquorum -------------------------------------------------------------------
// A model V1 handle's CS_TRACK_CURRENT on the one-node cluster brings two
// notifications too: the node list and the quorum.
void on_q_quorum(quorum_handle_t, uint32_t, quorum_ring_id, uint32_t, const uint32_t*)
{
	++notifications;
}
void on_q_nodelist(quorum_handle_t, quorum_ring_id, uint32_t, const uint32_t*, uint32_t, const uint32_t*, uint32_t,
	const uint32_t*)
{
	++notifications;
}
quorum_model_v1_data_t q_model = {QUORUM_MODEL_V1, on_q_quorum, on_q_nodelist};

cs_error_t q_init(quorum_handle_t& h)
{
	uint32_t type = 0;
	const cs_error_t err =
		quorum_model_initialize(&h, QUORUM_MODEL_V1, reinterpret_cast<quorum_model_data_t*>(&q_model), &type, nullptr);
	if (err == CS_OK && type != QUORUM_SET) {
		problem("quorum_model_initialize reported no quorum provider");
	}
	return err;
}

// Whether a quorum handle answers getquorate correctly (the private
// one-node corosync is always quorate).
cs_error_t q_probe(quorum_handle_t h)
{
	int quorate = -1;
	const cs_error_t err = quorum_getquorate(h, &quorate);
	if (err == CS_OK && quorate != 1) {
		problem("getquorate after the fault answered " + std::to_string(quorate) + " (a stray reply?)");
	}
	return err;
}

// Dispatches a quorum handle (ALL, disarmed) until `want` notifications
// have been counted, bounded as drain().
cs_error_t q_drain(quorum_handle_t h, int want)
{
	int fd = -1;
	if (quorum_fd_get(h, &fd) != CS_OK) {
		return CS_ERR_BAD_HANDLE;
	}
	return drain_to(fd, want, [h] { return quorum_dispatch(h, CS_DISPATCH_ALL); });
}

// A quorum request on a fresh handle, armed, then the handle's state.
std::function<cs_error_t()> q_request(std::function<cs_error_t(quorum_handle_t)> call,
	std::function<void(quorum_handle_t)> setup = {})
{
	return [=]() {
		quorum_handle_t h = 0;
		if (q_init(h) != CS_OK) {
			problem("set-up: quorum_model_initialize failed");
			return CS_ERR_LIBRARY;
		}
		if (setup) {
			setup(h);
		}
		const cs_error_t err = armed([&] { return call(h); });
		check_after("quorum handle", [h] { return q_probe(h); });
		quorum_trackstop(h);
		quorum_finalize(h);
		return err;
	};
}

// quorum_dispatch in `mode` on a handle with CS_TRACK_CURRENT's two
// notifications pending: none may be lost while the handle works.
std::function<cs_error_t()> q_dispatch_op(cs_dispatch_flags_t mode)
{
	return [=]() {
		quorum_handle_t h = 0;
		if (q_init(h) != CS_OK || quorum_trackstart(h, CS_TRACK_CURRENT) != CS_OK) {
			problem("set-up: a tracking quorum handle failed");
			return CS_ERR_LIBRARY;
		}
		int fd = -1;
		quorum_fd_get(h, &fd);
		wait_readable(fd);
		notifications = 0;
		const cs_error_t err = armed([&] { return quorum_dispatch(h, mode); });
		const cs_error_t rest = q_drain(h, kTrackCurrent);
		const cs_error_t after = q_probe(h);
		if (after == CS_OK && rest == CS_OK && notifications != kTrackCurrent) {
			problem("quorum notifications lost or repeated: " + std::to_string(notifications) + " of " +
				std::to_string(kTrackCurrent));
		}
		if (!working_or_cleanly_bad(after)) {
			problem(std::string("the quorum handle is neither working nor cleanly bad: ") + name(after));
		}
		quorum_finalize(h);
		return err;
	};
}

// --- libcmap ---------------------------------------------------------------------
void on_c_change(cmap_handle_t, cmap_track_handle_t, int32_t, const char*, cmap_notify_value, cmap_notify_value, void*)
{
	++notifications;
}

// Whether a cmap handle reads a known key correctly (totem.version is 2 in
// the private corosync's configuration).
cs_error_t c_probe(cmap_handle_t h)
{
	uint32_t version = 0;
	const cs_error_t err = cmap_get_uint32(h, "totem.version", &version);
	if (err == CS_OK && version != 2) {
		problem("cmap_get_uint32 after the fault answered " + std::to_string(version) + " (a stray reply?)");
	}
	return err;
}

// A cmap request on a fresh handle, armed, then the handle's state.
std::function<cs_error_t()> c_request(std::function<cs_error_t(cmap_handle_t)> call,
	std::function<void(cmap_handle_t)> setup = {})
{
	return [=]() {
		cmap_handle_t h = 0;
		if (cmap_initialize(&h) != CS_OK) {
			problem("set-up: cmap_initialize failed");
			return CS_ERR_LIBRARY;
		}
		if (setup) {
			setup(h);
		}
		const cs_error_t err = armed([&] { return call(h); });
		check_after("cmap handle", [h] { return c_probe(h); });
		cmap_delete(h, "faults.k");
		cmap_finalize(h);
		return err;
	};
}

// cmap_dispatch in `mode` on a handle whose track of faults.k has two
// changes pending (made by another handle): none may be lost while the
// handle works.
std::function<cs_error_t()> c_dispatch_op(cs_dispatch_flags_t mode)
{
	return [=]() {
		cmap_handle_t h = 0, setter = 0;
		cmap_track_handle_t t = 0;
		if (cmap_initialize(&h) != CS_OK || cmap_initialize(&setter) != CS_OK ||
			cmap_track_add(h, "faults.k", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, on_c_change, nullptr, &t) != CS_OK ||
			cmap_set_uint32(setter, "faults.k", 1) != CS_OK || cmap_set_uint32(setter, "faults.k", 2) != CS_OK) {
			problem("set-up: a tracking cmap handle failed");
			return CS_ERR_LIBRARY;
		}
		int fd = -1;
		cmap_fd_get(h, &fd);
		wait_readable(fd);
		notifications = 0;
		const cs_error_t err = armed([&] { return cmap_dispatch(h, mode); });
		const cs_error_t rest = drain_to(fd, 2, [h] { return cmap_dispatch(h, CS_DISPATCH_ALL); });
		const cs_error_t after = c_probe(h);
		if (after == CS_OK && rest == CS_OK && notifications != 2) {
			problem("cmap notifications lost or repeated: " + std::to_string(notifications) + " of 2");
		}
		if (!working_or_cleanly_bad(after)) {
			problem(std::string("the cmap handle is neither working nor cleanly bad: ") + name(after));
		}
		cmap_delete(setter, "faults.k");
		cmap_finalize(setter);
		cmap_finalize(h);
		return err;
	};
}

std::vector<Op> ops()
{
	std::vector<Op> list;
	list.push_back({"initialize", kInitErrors, [] {
		votequorum_handle_t h = 0;
		const cs_error_t err = armed([&] { return init(h); });
		if (err == CS_OK) {
			if (probe(h) != CS_OK) {
				problem("initialize succeeded but the handle does not work");
			}
			if (votequorum_finalize(h) != CS_OK) {
				problem("finalize failed");
			}
		}
		return err;
	}});
	list.push_back({"finalize", {CS_ERR_NO_MEMORY}, [] {
		votequorum_handle_t h = 0;
		if (init(h) != CS_OK) {
			problem("set-up: initialize failed");
		}
		const cs_error_t err = armed([&] { return votequorum_finalize(h); });
		const cs_error_t again = votequorum_finalize(h);
		if (err == CS_OK && again != CS_ERR_BAD_HANDLE) {
			problem("finalized twice");
		}
		if (err != CS_OK && again != CS_OK) {
			problem(std::string("finalize failed and the retry too: ") + name(again));
		}
		return err;
	}});
	list.push_back({"getinfo", kRequestErrors, request([](votequorum_handle_t h) {
		votequorum_info info{};
		cs_error_t err = votequorum_getinfo(h, 1, &info);
		if (err == CS_OK && info.node_id != 1) {
			problem("getinfo: wrong node");
		}
		return err;
	})});
	list.push_back({"setexpected", kRequestErrors, request([](votequorum_handle_t h) { return votequorum_setexpected(h, 1); })});
	list.push_back({"setvotes", kRequestErrors, request([](votequorum_handle_t h) { return votequorum_setvotes(h, 1, 1); })});
	list.push_back({"trackstart", kRequestErrors, request([](votequorum_handle_t h) {
		return votequorum_trackstart(h, 3, CS_TRACK_CHANGES);
	})});
	list.push_back({"trackstop", kRequestErrors, request([](votequorum_handle_t h) { return votequorum_trackstop(h); },
		[](votequorum_handle_t h) { votequorum_trackstart(h, 3, CS_TRACK_CHANGES); })});
	const auto reg = [](votequorum_handle_t h) {
		qdevice_cleanup(h);
		if (votequorum_qdevice_register(h, "FaultQ") != CS_OK) {
			problem("set-up: qdevice_register failed");
		}
	};
	list.push_back({"qdevice_register", kRequestErrors,
		request([](votequorum_handle_t h) { return votequorum_qdevice_register(h, "FaultQ"); }, qdevice_cleanup,
			qdevice_cleanup)});
	list.push_back({"qdevice_unregister", kRequestErrors,
		request([](votequorum_handle_t h) { return votequorum_qdevice_unregister(h, "FaultQ"); }, reg, qdevice_cleanup)});
	list.push_back({"qdevice_update", kRequestErrors,
		request([](votequorum_handle_t h) { return votequorum_qdevice_update(h, "FaultQ", "FaultQ2"); }, reg,
			qdevice_cleanup)});
	list.push_back({"qdevice_poll", kRequestErrors,
		request([](votequorum_handle_t h) { return votequorum_qdevice_poll(h, "FaultQ", 1, last_ring); },
			[reg](votequorum_handle_t h) {
				reg(h);
				votequorum_trackstart(h, 1, CS_TRACK_CURRENT);
				notifications = 0;
				drain(h, kTrackCurrent, 0);
			},
			qdevice_cleanup)});
	list.push_back({"qdevice_master_wins", kRequestErrors,
		request([](votequorum_handle_t h) { return votequorum_qdevice_master_wins(h, "FaultQ", 1); }, reg,
			qdevice_cleanup)});
	// A thread's first request maps its receive buffer (and registers the
	// key that unmaps it at thread exit): those points too.
	list.push_back({"getinfo_new_thread", kRequestErrors, request([](votequorum_handle_t h) {
		cs_error_t err = CS_ERR_LIBRARY;
		std::thread t([&] {
			votequorum_info info{};
			err = votequorum_getinfo(h, 1, &info);
			if (err == CS_OK && info.node_id != 1) {
				problem("getinfo: wrong node");
			}
		});
		t.join();
		return err;
	})});
	list.push_back({"context", {}, request([](votequorum_handle_t h) {
		int mark = 0;
		void* got = nullptr;
		cs_error_t err = votequorum_context_set(h, &mark);
		if (err == CS_OK) {
			err = votequorum_context_get(h, &got);
			if (err == CS_OK && got != &mark) {
				problem("context_get returned another pointer");
			}
		}
		return err;
	})});
	list.push_back({"fd_get", {}, request([](votequorum_handle_t h) {
		int fd = -1;
		cs_error_t err = votequorum_fd_get(h, &fd);
		if (err == CS_OK && fd < 0) {
			problem("fd_get: no fd");
		}
		return err;
	})});
	const std::vector<cs_error_t> dispatch_errors = {CS_ERR_NO_MEMORY, CS_ERR_LIBRARY, CS_ERR_TRY_AGAIN,
		CS_ERR_BAD_HANDLE, CS_ERR_NO_RESOURCES};
	list.push_back({"dispatch_one", dispatch_errors, dispatch_op(CS_DISPATCH_ONE)});
	list.push_back({"dispatch_all", dispatch_errors, dispatch_op(CS_DISPATCH_ALL)});
	list.push_back({"dispatch_blocking", dispatch_errors, dispatch_op(CS_DISPATCH_BLOCKING)});
	list.push_back({"dispatch_one_nonblocking", dispatch_errors, dispatch_op(CS_DISPATCH_ONE_NONBLOCKING)});

	// --- libquorum: initialize, its requests, finalize and dispatch ---
	list.push_back({"q_initialize", kInitErrors, [] {
		quorum_handle_t h = 0;
		const cs_error_t err = armed([&] { return q_init(h); });
		if (err == CS_OK) {
			if (q_probe(h) != CS_OK) {
				problem("quorum_model_initialize succeeded but the handle does not work");
			}
			if (quorum_finalize(h) != CS_OK) {
				problem("quorum_finalize failed");
			}
		}
		return err;
	}});
	list.push_back({"q_finalize", {CS_ERR_NO_MEMORY}, [] {
		quorum_handle_t h = 0;
		if (q_init(h) != CS_OK) {
			problem("set-up: quorum_model_initialize failed");
			return CS_ERR_LIBRARY;
		}
		const cs_error_t err = armed([&] { return quorum_finalize(h); });
		if (err == CS_OK && quorum_finalize(h) != CS_ERR_BAD_HANDLE) {
			problem("the finalized quorum handle is still valid");
		}
		return err;
	}});
	list.push_back({"q_getquorate", kRequestErrors, q_request([](quorum_handle_t h) {
		int quorate = -1;
		const cs_error_t err = quorum_getquorate(h, &quorate);
		if (err == CS_OK && quorate != 1) {
			problem("getquorate answered " + std::to_string(quorate));
		}
		return err;
	})});
	list.push_back({"q_trackstart", kRequestErrors, q_request([](quorum_handle_t h) { return quorum_trackstart(h, CS_TRACK_CHANGES); })});
	list.push_back({"q_trackstop", kRequestErrors, q_request([](quorum_handle_t h) { return quorum_trackstop(h); },
		[](quorum_handle_t h) { quorum_trackstart(h, CS_TRACK_CHANGES); })});
	list.push_back({"q_dispatch_all", dispatch_errors, q_dispatch_op(CS_DISPATCH_ALL)});
	list.push_back({"q_dispatch_one_nonblocking", dispatch_errors, q_dispatch_op(CS_DISPATCH_ONE_NONBLOCKING)});

	// --- libcmap: initialize, its requests, iterators, tracks, finalize and dispatch ---
	list.push_back({"c_initialize", kInitErrors, [] {
		cmap_handle_t h = 0;
		const cs_error_t err = armed([&] { return cmap_initialize(&h); });
		if (err == CS_OK) {
			if (c_probe(h) != CS_OK) {
				problem("cmap_initialize succeeded but the handle does not work");
			}
			if (cmap_finalize(h) != CS_OK) {
				problem("cmap_finalize failed");
			}
		}
		return err;
	}});
	list.push_back({"c_initialize_map", kInitErrors, [] {
		cmap_handle_t h = 0;
		const cs_error_t err = armed([&] { return cmap_initialize_map(&h, CMAP_MAP_STATS); });
		if (err == CS_OK && cmap_finalize(h) != CS_OK) {
			problem("cmap_finalize of the stats map's handle failed");
		}
		return err;
	}});
	list.push_back({"c_finalize", {CS_ERR_NO_MEMORY}, [] {
		cmap_handle_t h = 0;
		if (cmap_initialize(&h) != CS_OK) {
			problem("set-up: cmap_initialize failed");
			return CS_ERR_LIBRARY;
		}
		const cs_error_t err = armed([&] { return cmap_finalize(h); });
		if (err == CS_OK && cmap_finalize(h) != CS_ERR_BAD_HANDLE) {
			problem("the finalized cmap handle is still valid");
		}
		return err;
	}});
	list.push_back({"c_get", kRequestErrors, c_request([](cmap_handle_t h) {
		char name[64] = {0};
		size_t len = sizeof name;
		cmap_value_types_t type;
		const cs_error_t err = cmap_get(h, "totem.cluster_name", name, &len, &type);
		if (err == CS_OK && (type != CMAP_VALUETYPE_STRING || len == 0)) {
			problem("cmap_get answered another value");
		}
		return err;
	})});
	list.push_back({"c_get_string", kRequestErrors, c_request([](cmap_handle_t h) {
		char* s = nullptr;
		const cs_error_t err = cmap_get_string(h, "totem.cluster_name", &s);
		std::free(s);
		return err;
	})});
	list.push_back({"c_set", kRequestErrors, c_request([](cmap_handle_t h) { return cmap_set_uint32(h, "faults.k", 7); })});
	list.push_back({"c_inc", kRequestErrors, c_request([](cmap_handle_t h) { return cmap_inc(h, "faults.k"); },
		[](cmap_handle_t h) {
			if (cmap_set_uint32(h, "faults.k", 7) != CS_OK) {
				problem("set-up: cmap_set_uint32 failed");
			}
		})});
	list.push_back({"c_iter", kRequestErrors, c_request([](cmap_handle_t h) {
		cmap_iter_handle_t it = 0;
		cs_error_t err = cmap_iter_init(h, "totem.", &it);
		if (err != CS_OK) {
			return err;
		}
		char key[CMAP_KEYNAME_MAXLEN + 1];
		size_t len = 0;
		cmap_value_types_t type;
		while ((err = cmap_iter_next(h, it, key, &len, &type)) == CS_OK) {
		}
		const cs_error_t fin = cmap_iter_finalize(h, it);
		return err == CS_ERR_NO_SECTIONS ? fin : err;
	})});
	list.push_back({"c_track", kRequestErrors, c_request([](cmap_handle_t h) {
		cmap_track_handle_t t = 0;
		cs_error_t err = cmap_track_add(h, "faults.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, on_c_change, nullptr, &t);
		return err == CS_OK ? cmap_track_delete(h, t) : err;
	})});
	// Every other call of the 39: the generic and each typed setter, each
	// typed getter, dec and delete, the context and the fd (the last three
	// make no request).
	list.push_back({"c_set_each_type", kRequestErrors, c_request([](cmap_handle_t h) {
		const uint8_t bin[3] = {0, 1, 2};
		for (cs_error_t err : {cmap_set(h, "faults.k", bin, sizeof bin, CMAP_VALUETYPE_BINARY),
				 cmap_set_int8(h, "faults.k", -8), cmap_set_uint8(h, "faults.k", 8),
				 cmap_set_int16(h, "faults.k", -16), cmap_set_uint16(h, "faults.k", 16),
				 cmap_set_int32(h, "faults.k", -32), cmap_set_uint32(h, "faults.k", 32),
				 cmap_set_int64(h, "faults.k", -64), cmap_set_uint64(h, "faults.k", 64),
				 cmap_set_float(h, "faults.k", 0.5f), cmap_set_double(h, "faults.k", 0.25),
				 cmap_set_string(h, "faults.k", "s")}) {
			if (err != CS_OK) {
				return err;  // the handle is checked after (check_after)
			}
		}
		return CS_OK;
	})});
	list.push_back({"c_get_each_type", kRequestErrors, c_request(
		[](cmap_handle_t h) {
			int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32; uint32_t u32;
			int64_t i64; uint64_t u64; float f; double d;
			for (cs_error_t err : {cmap_get_int8(h, "faults.t.i8", &i8), cmap_get_uint8(h, "faults.t.u8", &u8),
					 cmap_get_int16(h, "faults.t.i16", &i16), cmap_get_uint16(h, "faults.t.u16", &u16),
					 cmap_get_int32(h, "faults.t.i32", &i32), cmap_get_uint32(h, "faults.t.u32", &u32),
					 cmap_get_int64(h, "faults.t.i64", &i64), cmap_get_uint64(h, "faults.t.u64", &u64),
					 cmap_get_float(h, "faults.t.f", &f), cmap_get_double(h, "faults.t.d", &d)}) {
				if (err != CS_OK) {
					return err;
				}
			}
			if (i8 != -8 || u8 != 8 || i16 != -16 || u16 != 16 || i32 != -32 || u32 != 32 || i64 != -64 || u64 != 64 ||
				f != 0.5f || d != 0.25) {
				problem("a typed getter answered another value");
			}
			return CS_OK;
		},
		[](cmap_handle_t h) {
			if (cmap_set_int8(h, "faults.t.i8", -8) != CS_OK || cmap_set_uint8(h, "faults.t.u8", 8) != CS_OK ||
				cmap_set_int16(h, "faults.t.i16", -16) != CS_OK || cmap_set_uint16(h, "faults.t.u16", 16) != CS_OK ||
				cmap_set_int32(h, "faults.t.i32", -32) != CS_OK || cmap_set_uint32(h, "faults.t.u32", 32) != CS_OK ||
				cmap_set_int64(h, "faults.t.i64", -64) != CS_OK || cmap_set_uint64(h, "faults.t.u64", 64) != CS_OK ||
				cmap_set_float(h, "faults.t.f", 0.5f) != CS_OK || cmap_set_double(h, "faults.t.d", 0.25) != CS_OK) {
				problem("set-up: a typed setter failed");
			}
		})});
	list.push_back({"c_dec_delete", kRequestErrors, c_request(
		[](cmap_handle_t h) {
			const cs_error_t err = cmap_dec(h, "faults.k");
			return err == CS_OK ? cmap_delete(h, "faults.k") : err;
		},
		[](cmap_handle_t h) {
			if (cmap_set_uint32(h, "faults.k", 7) != CS_OK) {
				problem("set-up: cmap_set_uint32 failed");
			}
		})});
	list.push_back({"c_context_fd", {}, c_request([](cmap_handle_t h) {
		int marker = 0, fd = -1;
		const void* back = nullptr;
		cs_error_t err = cmap_context_set(h, &marker);
		if (err == CS_OK) {
			err = cmap_context_get(h, &back);
		}
		if (err == CS_OK) {
			err = cmap_fd_get(h, &fd);
		}
		if (err == CS_OK && (back != &marker || fd < 0)) {
			problem("cmap_context_get or cmap_fd_get answered another value");
		}
		return err;
	})});
	list.push_back({"c_dispatch_all", dispatch_errors, c_dispatch_op(CS_DISPATCH_ALL)});
	list.push_back({"c_dispatch_one_nonblocking", dispatch_errors, c_dispatch_op(CS_DISPATCH_ONE_NONBLOCKING)});

#ifdef VQ_FAULT_CPP
	// --- the C++ API: a Client's connect, requests and dispatch ---
	using votequorum::Client;
	const auto cpp_errors = kRequestErrors;
	const auto code = [](std::error_code ec) { return ec ? static_cast<cs_error_t>(ec.value()) : CS_OK; };
	list.push_back({"cpp_connect", kInitErrors, [code] {
		auto r = armed([] { return Client::connect(); });
		if (!r) {
			return code(r.error());
		}
		if (!r->info(1)) {
			problem("connect succeeded but info() fails");
		}
		return CS_OK;
	}});
	const auto cpp_request = [code](std::function<std::error_code(const Client&)> call) {
		return [code, call]() {
			auto c = Client::connect();
			if (!c) {
				problem("set-up: connect failed");
				return CS_ERR_LIBRARY;
			}
			const std::error_code ec = armed([&] { return call(*c); });
			for (int i = 0; i < 2; ++i) {
				auto info = c->info(1);
				if (info && info->node_id != 1) {
					problem("info after the fault answered wrong data");
				}
				if (!info && info.error() != CS_ERR_BAD_HANDLE && info.error() != CS_ERR_LIBRARY) {
					problem("the client is neither working nor cleanly bad: " + info.error().message());
				}
			}
			return code(ec);
		};
	};
	list.push_back({"cpp_info", cpp_errors, cpp_request([](const Client& c) {
		auto r = c.info(1);
		return r ? std::error_code{} : r.error();
	})});
	list.push_back({"cpp_set_expected_votes", cpp_errors, cpp_request([](const Client& c) { return c.set_expected_votes(1); })});
	list.push_back({"cpp_track", cpp_errors, cpp_request([](const Client& c) { return c.track(5, CS_TRACK_CHANGES); })});
	list.push_back({"cpp_dispatch", cpp_errors, [code] {
		int seen = 0;
		auto c = Client::connect([&seen](const votequorum::Event&) { ++seen; });
		if (!c || c->track(5, CS_TRACK_CURRENT)) {
			problem("set-up: connect or track failed");
			return CS_ERR_LIBRARY;
		}
		pollfd p{c->fd(), POLLIN, 0};
		poll(&p, 1, 2000);
		std::this_thread::sleep_for(std::chrono::milliseconds(30));
		const std::error_code ec = armed([&] { return c->dispatch(CS_DISPATCH_ALL); });
		bool ok = !ec;
		const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
		while (ok && std::chrono::steady_clock::now() < deadline) {
			const bool more = seen < kTrackCurrent;
			pollfd q{c->fd(), POLLIN, 0};
			if (poll(&q, 1, more ? 100 : 50) != 1) {
				if (more) {
					continue;
				}
				break;
			}
			ok = !c->dispatch(CS_DISPATCH_ALL);
		}
		auto info = c->info(1);
		if (info && ok && seen != kTrackCurrent) {
			problem("notifications lost or repeated: " + std::to_string(seen) + " of " + std::to_string(kTrackCurrent));
		}
		return code(ec);
	}});
#endif
	return list;
}

}  // namespace

int main(int argc, char** argv)
{
	arm = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "vqfault_arm"));
	disarm = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "vqfault_disarm"));
	points = reinterpret_cast<long (*)()>(dlsym(RTLD_DEFAULT, "vqfault_count"));
	live = reinterpret_cast<long (*)()>(dlsym(RTLD_DEFAULT, "vqfault_live"));
	fired = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "vqfault_fired"));
	if (!arm || !disarm || !points || !live || !fired) {
		std::fprintf(stderr, "fault_driver: run it with LD_PRELOAD=libvqfault.so\n");
		return 2;
	}
	std::vector<Op> list = ops();
	if (argc != 2) {
		std::fprintf(stderr, "usage: fault_driver OP|list\n");
		return 2;
	}
	if (std::strcmp(argv[1], "list") == 0) {
		for (const Op& op : list) {
			std::printf("%s\n", op.name);
		}
		return 0;
	}
	const auto found = std::find_if(list.begin(), list.end(), [&](const Op& op) { return std::strcmp(op.name, argv[1]) == 0; });
	if (found == list.end()) {
		std::fprintf(stderr, "fault_driver: no operation %s\n", argv[1]);
		return 2;
	}

	// The warm-up: what the process keeps for its life.
	{
		votequorum_handle_t h = 0;
		if (init(h) != CS_OK) {
			std::printf("%s set-up failed: no corosync?\n", found->name);
			return 1;
		}
		qdevice_cleanup(h);
		probe(h);
		votequorum_trackstart(h, 1, CS_TRACK_CURRENT);
		drain(h, kTrackCurrent, 0);
		votequorum_trackstop(h);
		// A thread that allocates and makes a request: libc's arena and
		// stack cache for later threads, made outside the count.
		std::thread([h] {
			votequorum_info info{};
			free(malloc(64));
			votequorum_getinfo(h, 1, &info);
		}).join();
		votequorum_finalize(h);
	}
	{
		quorum_handle_t q = 0;
		if (q_init(q) == CS_OK) {  // libquorum's handle table, its first connection
			q_probe(q);
			quorum_trackstart(q, CS_TRACK_CURRENT);
			q_drain(q, kTrackCurrent);
			quorum_trackstop(q);
			quorum_finalize(q);
		}
	}
	{
		// libcmap's handle tables (connections, tracks), and a dispatch's
		// receive buffer, which this thread keeps.
		cmap_handle_t c = 0;
		cmap_track_handle_t t = 0;
		if (cmap_initialize(&c) == CS_OK) {
			c_probe(c);
			if (cmap_track_add(c, "faults.warm", CMAP_TRACK_ADD, on_c_change, nullptr, &t) == CS_OK) {
				cmap_set_uint8(c, "faults.warm", 1);
				cmap_dispatch(c, CS_DISPATCH_ALL);
				cmap_track_delete(c, t);
			}
			cmap_delete(c, "faults.warm");
			cmap_finalize(c);
		}
	}
#ifdef VQ_FAULT_CPP
	{
		auto c = votequorum::Client::connect();
		if (c) {
			c->info(1);
			c->dispatch(CS_DISPATCH_ALL);
		}
	}
#endif
	notifications = 0;
	const int fds0 = vqf_count_fds();
	const auto maps0 = count_maps();

	const cs_error_t err = found->run();

	const bool allowed = err == CS_OK || std::find(found->allowed.begin(), found->allowed.end(), err) != found->allowed.end();
	if (!allowed) {
		problem(std::string("undocumented result ") + name(err));
	}
	// The next call on a fresh handle works.
	{
		votequorum_handle_t h = 0;
		const cs_error_t e = init(h);
		if (e != CS_OK || probe(h) != CS_OK) {
			problem(std::string("a fresh handle does not work afterwards: ") + name(e));
		}
		votequorum_finalize(h);
	}
	// What is left once every handle is gone. The daemon removes a closed
	// connection's ring files on its own time: wait for that (bounded).
	int shm = count_shm();
	for (int i = 0; i < 200 && shm != 0; ++i) {
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
		shm = count_shm();
	}
	const int fds = vqf_count_fds();
	const auto maps = count_maps();
	if (fds != fds0) {
		problem("fds leaked: " + std::to_string(fds - fds0));
	}
	if (maps.second != 0) {
		problem("ring mappings left: " + std::to_string(maps.second));
	}
#ifndef __SANITIZE_ADDRESS__  // ASan's allocator maps as it goes; LeakSanitizer checks there
	if (maps.first != maps0.first) {
		problem("mappings leaked: " + std::to_string(maps.first - maps0.first));
	}
#endif
	if (shm != 0) {
		problem("/dev/shm entries left: " + std::to_string(shm));
	}
	if (live() != 0) {
		problem("allocations leaked: " + std::to_string(live()));
	}
	std::printf("%s result=%s fired=%d points=%ld", found->name, name(err), fired(), points());
	for (const std::string& p : problems) {
		std::printf(" | %s", p.c_str());
	}
	std::printf("\n");
	std::fflush(stdout);  // before LeakSanitizer's exit, under ASan
	return problems.empty() ? 0 : 1;
}
