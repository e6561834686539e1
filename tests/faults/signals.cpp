// signals: a thread blocked in votequorum_dispatch (CS_DISPATCH_BLOCKING,
// or CS_DISPATCH_ONE in a loop) and a thread making requests, while a third
// thread sends both SIGUSR1 at random moments (every 20 to 400 us), once
// with a handler installed with SA_RESTART and once without; and once with
// no signal at all, the baseline. Against the running corosync.
//
// The requesting thread (the node's votes set to 3) alternates
// setexpected(4) and setexpected(3) on its own handle, STEPS times, and after each waits (bounded) until the
// dispatching handle has seen that value in an expected-votes
// notification. Asserts, in every run: every request returns CS_OK (a
// signal is no error); every notification arrives, in order (the sequence
// seen equals the sequence set, as in the baseline); dispatch returns
// nothing but CS_OK until the handle is finalized at the end (then
// CS_ERR_BAD_HANDLE, the documented end of a blocking dispatch); signals
// were in fact delivered to both threads. Exit 0 when all hold.
#include <corosync/votequorum.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kSteps = 1000;

std::atomic<long> g_signals{0};
void on_signal(int)
{
	g_signals.fetch_add(1, std::memory_order_relaxed);
}

std::mutex g_lock;
std::vector<uint32_t> g_seen;  // expected votes, in the order notified
std::atomic<uint32_t> g_last{0};

void on_expected(votequorum_handle_t, uint64_t, uint32_t expected)
{
	std::lock_guard lock(g_lock);
	g_seen.push_back(expected);
	g_last.store(expected);
}

const char* mode_name(cs_dispatch_flags_t m)
{
	return m == CS_DISPATCH_BLOCKING ? "BLOCKING" : "ONE";
}

// One run; `signals`: 0 none, 1 with SA_RESTART, 2 without. Returns the
// failures found (empty: passed) and the sequence in `seen`.
std::vector<std::string> run(cs_dispatch_flags_t mode, int signals, std::vector<uint32_t>& seen, long& delivered)
{
	std::vector<std::string> failures;
	struct sigaction sa{};
	sa.sa_handler = on_signal;
	sa.sa_flags = signals == 1 ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, nullptr);
	{
		std::lock_guard lock(g_lock);
		g_seen.clear();
	}
	g_last = 0;
	g_signals = 0;

	votequorum_callbacks_t cb{};
	cb.votequorum_expectedvotes_notify_fn = on_expected;
	votequorum_handle_t listener = 0, setter = 0;
	if (votequorum_initialize(&listener, &cb) != CS_OK || votequorum_initialize(&setter, nullptr) != CS_OK ||
		votequorum_setvotes(setter, 1, 3) != CS_OK || votequorum_setexpected(setter, 3) != CS_OK ||
		votequorum_trackstart(listener, 0, CS_TRACK_CHANGES) != CS_OK) {
		failures.emplace_back("set-up failed");
		return failures;
	}

	std::vector<std::string> dispatch_errors;
	std::atomic<bool> stop{false};
	std::thread dispatcher([&] {
		for (;;) {
			const cs_error_t e = votequorum_dispatch(listener, mode);
			if (e == CS_ERR_BAD_HANDLE && stop.load()) {
				return;  // finalized at the end
			}
			if (e != CS_OK) {
				dispatch_errors.push_back("dispatch " + std::string(mode_name(mode)) + " returned " + std::to_string(e));
				return;
			}
			if (mode == CS_DISPATCH_BLOCKING) {
				dispatch_errors.emplace_back("dispatch BLOCKING returned CS_OK while the handle was open");
				return;
			}
		}
	});
	const pthread_t targets[2] = {dispatcher.native_handle(), pthread_self()};
	std::atomic<bool> stop_signals{false};
	std::thread signaller([&] {
		if (signals == 0) {
			return;
		}
		std::mt19937 rng(12345u + static_cast<unsigned>(signals * 10 + mode));
		std::uniform_int_distribution<int> pause(20, 400), which(0, 1);
		while (!stop_signals.load()) {
			std::this_thread::sleep_for(std::chrono::microseconds(pause(rng)));
			pthread_kill(targets[which(rng)], SIGUSR1);
		}
	});

	for (int i = 0; i < kSteps && failures.empty(); ++i) {
		const uint32_t value = i % 2 == 0 ? 4 : 3;
		const cs_error_t e = votequorum_setexpected(setter, value);
		if (e != CS_OK) {
			failures.push_back("setexpected returned " + std::to_string(e) + " at step " + std::to_string(i));
			break;
		}
		votequorum_info info{};
		if (const cs_error_t g = votequorum_getinfo(setter, 1, &info); g != CS_OK) {
			failures.push_back("getinfo returned " + std::to_string(g) + " at step " + std::to_string(i));
			break;
		}
		const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
		while (g_last.load() != value && std::chrono::steady_clock::now() < deadline) {
			std::this_thread::sleep_for(std::chrono::microseconds(200));
		}
		if (g_last.load() != value) {
			failures.push_back("the notification of step " + std::to_string(i) + " never came");
		}
	}
	stop_signals = true;
	signaller.join();
	stop = true;
	votequorum_finalize(listener);
	dispatcher.join();
	votequorum_setvotes(setter, 1, 1);
	votequorum_setexpected(setter, 1);
	votequorum_finalize(setter);
	failures.insert(failures.end(), dispatch_errors.begin(), dispatch_errors.end());
	{
		// What the set-up itself caused may come after trackstart: the
		// sequence starts at the first step's value.
		std::lock_guard lock(g_lock);
		auto first = std::find(g_seen.begin(), g_seen.end(), 4u);
		seen.assign(first, g_seen.end());
	}
	delivered = g_signals.load();
	if (signals != 0 && delivered < 100) {
		failures.push_back("only " + std::to_string(delivered) + " signals delivered");
	}
	return failures;
}

}  // namespace

int main()
{
	int failed = 0;
	for (cs_dispatch_flags_t mode : {CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE}) {
		std::vector<uint32_t> baseline;
		for (int signals : {0, 1, 2}) {
			std::vector<uint32_t> seen;
			long delivered = 0;
			std::vector<std::string> failures = run(mode, signals, seen, delivered);
			if (signals == 0) {
				baseline = seen;
				std::vector<uint32_t> set;
				for (int i = 0; i < kSteps; ++i) {
					set.push_back(i % 2 == 0 ? 4 : 3);
				}
				if (seen != set) {
					failures.push_back("the baseline saw " + std::to_string(seen.size()) +
						" notifications, not the " + std::to_string(kSteps) + " values set, in order");
				}
			} else if (seen != baseline) {
				failures.push_back("the notifications differ from the run without signals (" +
					std::to_string(seen.size()) + " against " + std::to_string(baseline.size()) + ")");
			}
			const char* label = signals == 0 ? "no signals" : signals == 1 ? "SA_RESTART" : "no SA_RESTART";
			std::printf("signals: %-8s %-13s %3zu notifications, %5ld signals: %s\n", mode_name(mode), label,
				seen.size(), delivered, failures.empty() ? "ok" : "FAIL");
			for (const std::string& f : failures) {
				std::printf("    %s\n", f.c_str());
			}
			failed += !failures.empty();
		}
	}
	return failed == 0 ? 0 : 1;
}
