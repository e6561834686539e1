// Ordering threads by observed state, not by sleeping: a test that wants
// "finalize (or a daemon's death) while a call is blocked" first waits
// until the calling thread really sleeps in a system call that waits for
// input, and asserts that it did.
#pragma once

#include <sys/syscall.h>
#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vqtest {

// The system calls that wait for input, by this architecture's numbers
// (each where the architecture has it; i386 also has the 64-bit-time
// variants and socketcall). Under qemu-user the kernel shows the calls the
// emulator makes for the program, in the host's numbering: the cross tiers
// (tests/cross) then list those in VQ_HOST_WAITING_SYSCALLS.
inline std::vector<long> waiting_syscalls()
{
	std::vector<long> nrs{
#ifdef SYS_read
		SYS_read,
#endif
#ifdef SYS_poll
		SYS_poll,
#endif
#ifdef SYS_ppoll
		SYS_ppoll,
#endif
#ifdef SYS_ppoll_time64
		SYS_ppoll_time64,
#endif
#ifdef SYS_select
		SYS_select,
#endif
#ifdef SYS__newselect
		SYS__newselect,
#endif
#ifdef SYS_pselect6
		SYS_pselect6,
#endif
#ifdef SYS_pselect6_time64
		SYS_pselect6_time64,
#endif
#ifdef SYS_epoll_wait
		SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait
		SYS_epoll_pwait,
#endif
#ifdef SYS_epoll_pwait2
		SYS_epoll_pwait2,
#endif
#ifdef SYS_recvfrom
		SYS_recvfrom,
#endif
#ifdef SYS_recvmsg
		SYS_recvmsg,
#endif
#ifdef SYS_socketcall
		SYS_socketcall,
#endif
#ifdef SYS_futex
		SYS_futex,
#endif
#ifdef SYS_futex_time64
		SYS_futex_time64,
#endif
	};
	if (const char* host = std::getenv("VQ_HOST_WAITING_SYSCALLS")) {
		std::istringstream in(host);
		for (long nr; in >> nr;) {
			nrs.push_back(nr);
		}
	}
	return nrs;
}

// True once thread `tid` of this process has been seen twice, 10 ms apart,
// in state S inside poll, ppoll, select, pselect, epoll_wait, recvfrom,
// recvmsg, read or futex (a lock another call holds); false after `limit`.
inline bool wait_until_blocked(pid_t tid, std::chrono::milliseconds limit = std::chrono::seconds(5))
{
	const std::vector<long> waiting = waiting_syscalls();
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
