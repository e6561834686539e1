// Ordering threads by observed state, not by sleeping: a test that wants
// "finalize (or a daemon's death) while a call is blocked" first waits
// until the calling thread really sleeps in a system call that waits for
// input, and asserts that it did.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

namespace vqtest {

// True once thread `tid` of this process has been seen twice, 10 ms apart,
// in state S inside poll, ppoll, select, pselect, epoll_wait, recvfrom,
// recvmsg, read or futex (a lock another call holds); false after `limit`.
inline bool wait_until_blocked(pid_t tid, std::chrono::milliseconds limit = std::chrono::seconds(5))
{
	static constexpr std::array<long, 10> waiting{0, 7, 23, 45, 47, 202, 232, 270, 271, 281};
	const std::string task = "/proc/self/task/" + std::to_string(tid);
	int seen = 0;
	for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
		std::ifstream stat(task + "/stat"), syscall(task + "/syscall");
		std::string line;
		std::getline(stat, line);
		const auto paren = line.rfind(')');
		const char state = paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : '?';
		long nr = -1;
		syscall >> nr;
		bool blocked = false;
		for (long w : waiting) {
			blocked = blocked || (state == 'S' && nr == w);
		}
		seen = blocked ? seen + 1 : 0;
		if (seen >= 2) {
			return true;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return false;
}

}  // namespace vqtest
