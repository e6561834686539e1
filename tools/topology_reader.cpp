// Names and rings on a thread of their own (see topology_reader.hpp).
#include "topology_reader.hpp"

#include "corosync_services.hpp"
#include "node_names.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

namespace monitor {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPeriod{1000};  // each source read anew, and a lost one tried again

double seconds(Clock::time_point t)
{
	return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void say(const std::string& line)
{
	const std::string text = "votequorum-monitor: " + line + "\n";
	std::fwrite(text.data(), 1, text.size(), stderr);  // one write: whole lines beside the main thread's
}

std::string error_text(cs_error_t err)
{
	return make_error_code(err).message() + (err == CS_ERR_LIBRARY ? " (is corosync running?)" : "");
}

void signal_fd(int fd)
{
	const uint64_t one = 1;
	[[maybe_unused]] const ssize_t n = write(fd, &one, sizeof one);  // an eventfd write fails only on overflow
}

void drain_fd(int fd)
{
	uint64_t count;
	[[maybe_unused]] const ssize_t n = read(fd, &count, sizeof count);  // nonblocking: EAGAIN when not signalled
}

}  // namespace

// What the thread and the owner share; the thread holds a reference of its
// own, so that a thread left inside a held request finds it intact.
struct TopologyReader::Shared {
	explicit Shared(std::string conf)
		: corosync_conf(std::move(conf)),
		  ready_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
		  wake_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
		  names_at(seconds(Clock::now())),
		  rings_at(seconds(Clock::now()))
	{
		if (ready_fd < 0 || wake_fd < 0) {
			throw std::system_error(errno, std::generic_category(), "eventfd");
		}
	}
	~Shared()
	{
		close(ready_fd);
		close(wake_fd);
	}
	Shared(const Shared&) = delete;
	Shared& operator=(const Shared&) = delete;

	const std::string corosync_conf;
	const int ready_fd;  // a topology not taken yet is ready
	const int wake_fd;   // want() changed something, or stop

	std::mutex mutex;
	std::condition_variable exited_cv;
	bool stop = false, exited = false;
	uint32_t local = 0;            // from want()
	std::vector<Member> members;   // from want()
	Topology latest;               // the last published

	std::atomic<double> names_at, rings_at;  // steady-clock seconds of the last completed reads
	std::atomic<bool> have_rings{false};

	void run();
};

void TopologyReader::Shared::run()
{
	std::optional<CmapNodelist> cmap;
	std::optional<CfgLinks> cfg;
	Clock::time_point next_cmap, next_cfg;  // when a lost connection is tried again
	bool names_from_file = false, need_names = true, published_once = false;
	bool said_cmap = false, said_cfg = false;  // each failure said once until the source is back
	Topology topology, published;
	for (;;) {
		uint32_t want_local;
		std::vector<Member> want_members;
		{
			std::lock_guard lock(mutex);
			if (stop) {
				break;
			}
			want_local = local;
			want_members = members;
		}
		const auto now = Clock::now();
		if (!cmap && now >= next_cmap) {
			cmap.emplace();
			if (cs_error_t err = cmap->open(); err != CS_OK) {
				cmap.reset();
				next_cmap = now + kPeriod;
				if (!said_cmap) {
					say("cmap: connect: " + error_text(err) + "; node names from " + corosync_conf);
					said_cmap = true;
				}
				need_names |= !names_from_file;
				names_from_file = true;
			} else {
				need_names = true;
				names_from_file = false;
				said_cmap = false;
			}
		}
		if (!cfg && now >= next_cfg) {
			cfg.emplace();
			if (cs_error_t err = cfg->open(); err != CS_OK) {
				cfg.reset();
				next_cfg = now + kPeriod;
				if (!said_cfg) {
					say("cfg: connect: " + error_text(err) + "; no ring series");
					said_cfg = true;
				}
			} else {
				said_cfg = false;
			}
		}

		// Names: from cmap, read anew each period (its replies are what the
		// freshness series measures) and at once when the nodelist changes;
		// else from the file, read again when a member it lacks appears.
		if (names_from_file) {
			const bool unknown = std::any_of(want_members.begin(), want_members.end(), [&](const Member& m) {
				return m.nodeid != VOTEQUORUM_QDEVICE_NODEID && !topology.names.count(m.nodeid);
			});
			if (need_names || unknown) {
				topology.names = read_node_names(corosync_conf);
				need_names = false;
			}
			names_at = seconds(Clock::now());
		} else if (cmap) {
			if (cs_error_t err = cmap->read(topology.names); err != CS_OK) {
				say("cmap: nodelist: " + error_text(err) + "; connecting again");
				cmap.reset();
			} else {
				need_names = false;
				names_at = seconds(Clock::now());
			}
		}

		// Rings: each node of the nodelist and each current member.
		if (cfg && want_local != 0) {
			std::vector<uint32_t> nodelist, member_ids;
			for (const auto& [id, name] : topology.names) {
				nodelist.push_back(id);
			}
			for (const auto& m : want_members) {
				if (m.state == VOTEQUORUM_NODESTATE_MEMBER) {
					member_ids.push_back(m.nodeid);
					if (!topology.names.count(m.nodeid) && m.nodeid != VOTEQUORUM_QDEVICE_NODEID) {
						nodelist.push_back(m.nodeid);
					}
				}
			}
			if (cs_error_t err = cfg->read(want_local, nodelist, member_ids, topology.rings); err != CS_OK) {
				say("cfg: node status: " + error_text(err) + "; connecting again");
				cfg.reset();
				next_cfg = Clock::now() + kPeriod;
			} else {
				topology.have_rings = true;
				rings_at = seconds(Clock::now());
			}
		}
		if (!cfg) {
			topology.have_rings = false;
			topology.rings.clear();
		}
		have_rings = topology.have_rings;

		if (!published_once || topology != published) {
			published = topology;
			published_once = true;
			{
				std::lock_guard lock(mutex);
				latest = topology;
			}
			signal_fd(ready_fd);
		}

		pollfd p[2] = {{cmap ? cmap->fd() : -1, POLLIN, 0}, {wake_fd, POLLIN, 0}};
		if (poll(p, 2, static_cast<int>(kPeriod.count())) > 0) {
			if (p[0].revents) {
				bool changed = false;
				if (cs_error_t err = cmap->dispatch(changed); err != CS_OK) {
					say("cmap: dispatch: " + error_text(err) + "; connecting again");
					cmap.reset();
				}
				need_names |= changed;
			}
			if (p[1].revents) {
				drain_fd(wake_fd);
			}
		}
	}
	std::lock_guard lock(mutex);
	exited = true;
	exited_cv.notify_all();
}

TopologyReader::TopologyReader(std::string corosync_conf) : shared_(std::make_shared<Shared>(std::move(corosync_conf)))
{
	thread_ = std::thread([shared = shared_] { shared->run(); });
}

TopologyReader::~TopologyReader()
{
	std::unique_lock lock(shared_->mutex);
	shared_->stop = true;
	signal_fd(shared_->wake_fd);
	if (shared_->exited_cv.wait_for(lock, std::chrono::seconds(1), [&] { return shared_->exited; })) {
		lock.unlock();
		thread_.join();
	} else {
		lock.unlock();
		thread_.detach();  // held inside cmap or cfg: it keeps `shared` alive and ends with the process
	}
}

int TopologyReader::fd() const
{
	return shared_->ready_fd;
}

Topology TopologyReader::take()
{
	drain_fd(shared_->ready_fd);
	std::lock_guard lock(shared_->mutex);
	return shared_->latest;
}

void TopologyReader::want(uint32_t local, const std::vector<Member>& members)
{
	std::lock_guard lock(shared_->mutex);
	if (shared_->local == local && shared_->members == members) {
		return;
	}
	shared_->local = local;
	shared_->members = members;
	signal_fd(shared_->wake_fd);
}

std::string TopologyReader::freshness() const
{
	const double now = seconds(Clock::now());
	std::optional<double> rings_age;
	if (shared_->have_rings) {
		rings_age = now - shared_->rings_at;
	}
	return monitor::freshness(now - shared_->names_at, rings_age);
}

}  // namespace monitor
