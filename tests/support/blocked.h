/* Ordering threads by observed state, not by sleeping: a test that wants
 * "finalize (or a daemon's death) while a call is blocked" first waits until
 * the calling thread really sleeps in a system call that waits for input,
 * and asserts that it did. One check for the C tests (the conformance
 * driver) and the C++ ones (blocked.hpp wraps it). C99, header-only.
 *
 * The calls are named by this architecture's SYS_* numbers, each where the
 * architecture has it (i386 also has the 64-bit-time variants and
 * socketcall). Under qemu-user the kernel shows the calls the emulator
 * makes for the program, in the host's numbering: the cross tiers
 * (tests/cross) list those in the environment, VQ_HOST_WAITING_SYSCALLS. */
#ifndef VQTEST_BLOCKED_H
#define VQTEST_BLOCKED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* Is NR a call that waits for input (read, poll, select, epoll_wait,
 * recvfrom, recvmsg and their variants), or with WITH_FUTEX a futex wait (a
 * lock another call holds), or one of VQ_HOST_WAITING_SYSCALLS? */
static inline int vq_waiting_syscall(long nr, int with_futex)
{
	static const long input[] = {
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
	};
	static const long futex[] = {
#ifdef SYS_futex
		SYS_futex,
#endif
#ifdef SYS_futex_time64
		SYS_futex_time64,
#endif
		-2, /* never a call: keeps the array non-empty */
	};
	const char *host = getenv("VQ_HOST_WAITING_SYSCALLS");
	size_t i;
	for (i = 0; i < sizeof(input) / sizeof(input[0]); i++)
		if (nr == input[i])
			return 1;
	for (i = 0; with_futex && i < sizeof(futex) / sizeof(futex[0]); i++)
		if (nr == futex[i])
			return 1;
	while (host != NULL && *host != '\0') {
		char *end;
		long v = strtol(host, &end, 10);
		if (end == host)
			break;
		if (v == nr)
			return 1;
		host = end;
	}
	return 0;
}

/* 1 once thread TID of this process has been seen twice, 10 ms apart, in
 * state S inside such a call; 0 after LIMIT_MS. */
static inline int vq_wait_blocked(pid_t tid, long limit_ms, int with_futex)
{
	int seen = 0;
	long waited;
	for (waited = 0; waited < limit_ms && seen < 2; waited += 10) {
		char path[64], line[512], state = 0;
		const char *paren;
		long nr = -1;
		FILE *f;
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
		if ((f = fopen(path, "r")) != NULL) {
			if (fgets(line, sizeof(line), f) != NULL && (paren = strrchr(line, ')')) != NULL && paren[1] != '\0')
				state = paren[2];
			fclose(f);
		}
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
		if ((f = fopen(path, "r")) != NULL) {
			if (fscanf(f, "%ld", &nr) != 1)
				nr = -1;
			fclose(f);
		}
		seen = state == 'S' && vq_waiting_syscall(nr, with_futex) ? seen + 1 : 0;
		if (seen < 2)
			usleep(10 * 1000);
	}
	return seen >= 2;
}

#endif
