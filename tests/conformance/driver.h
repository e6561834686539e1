/*
 * What the conformance drivers share (driver.c for votequorum,
 * quorum_driver.c for quorum): tracing, handle naming, waiting by state, and
 * the scenario table with the runner that runs one scenario in a child
 * process under an alarm. Both services' handles are uint64_t.
 */
#ifndef CONFORMANCE_DRIVER_H
#define CONFORMANCE_DRIVER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- tracing ------------------------------------------------------------ */

/* A cs_error_t by name ("CS_OK", ...), or "cs_error(N)" for another value. */
const char *err_name(int e);

/* Prints the call's text and its result by name; returns the result. */
#define CALL(expr) trace_call(#expr, (int)(expr))
int trace_call(const char *text, int result);

/* Runs FN(H) in a child process of its own and prints "TEXT = RESULT", or
 * "TEXT: crashed (SIGNAL)": a crash is a result too. */
void guarded_call(const char *text, int (*fn)(uint64_t), uint64_t h);

/* ---- handles by name ---------------------------------------------------- */

/* Handles are printed by name (h1, h2, ... in the order remembered), never
 * by value: "0" for 0, "<unknown handle>" for any other. */
void remember(uint64_t h);
const char *hname(uint64_t h);

/* ---- waiting by state, never by sleeping --------------------------------- */

/* poll(2) FD for input, up to TIMEOUT_MS: 1 if readable (or hung up), else
 * 0. */
int fd_poll(int fd, int timeout_ms);

/* Prints "fd of H: none" when HAVE_FD is 0, else whether FD is readable now
 * ("fd of H readable: yes|no"). */
void show_fd_state(uint64_t h, int have_fd, int fd);

/* Waits (up to 3 s) until FD is readable, and prints
 * "wait for H: readable|nothing within 3 s". */
void wait_fd(uint64_t h, int fd);

/* Waits (up to 3 s) until the daemon hung up on FD; silent unless it never
 * did ("-- no hang-up within 3 s"). */
void wait_hangup(int fd);

/* Waits (up to 3 s) until thread TID of this process sleeps in a system call
 * that waits for input (tests/support/blocked.h). Returns 1 if it did. */
int wait_blocked(pid_t tid);

/* Starts FN(ARG) in a new thread (*T) and returns the thread's id once it
 * runs, for wait_blocked. */
pid_t start_thread(pthread_t *t, void (*fn)(void *), void *arg);

/* Runs FN(ARG) on a new thread with a 64 KiB stack, and waits for it;
 * prints "-- dispatch on a thread with a 64 KiB stack" first. */
void run_on_small_stack(void (*fn)(void *), void *arg);

/* Kills (SIGKILL) or stops (SIGSTOP) the scenario's private corosync, whose
 * pid run.sh puts in VQ_DAEMON_PID. kill_daemon prints
 * "-- the daemon is killed" first. */
void kill_daemon(void);
void stop_daemon(void);

/* A thread's body: kills the daemon once the process's main thread is
 * blocked (in a dispatch). */
void *kill_when_blocked(void *unused);

/* ---- handles no process can guess ------------------------------------------ */

/* H's slot (its low 32 bits) with all-ones upper bits, which a check
 * value can be bypassed with; prints "forged = the slot of H ...". */
uint64_t forged_from(uint64_t h);

/* Two fresh processes each open a first handle with INIT: prints whether
 * both got one, and whether the two differ. */
void compare_first_handles(int (*init)(uint64_t *h));

/* ---- the scenario table -------------------------------------------------- */

/* SERVER is what run.sh starts for the scenario: "real" (a private
 * corosync, Debian's or the main line's), "debian" or "mainline" (that
 * daemon only), "none", or "fake:SCRIPT[:nobody]" (fake_votequorum). PAIRS
 * names, comma-separated, the pairs of run.sh that run it: the one source
 * of what each pair runs (run.sh checks that a pair ran every scenario
 * listed for it). */
struct scenario {
	const char *name;
	const char *server;
	const char *pairs;
	void (*run)(void);
	unsigned timeout; /* seconds before the scenario counts as hung */
};

/* The drivers' command line:
 *   driver SCENARIO   runs one scenario: "== NAME", its trace, and
 *                     "!! hung: ..." or "!! crashed: ..." if it did
 *   driver --list     lists the scenarios as "NAME SERVER PAIRS" lines
 *   driver --which    prints the file of the library that defines SYMBOL
 * GROUPS is a NULL-terminated list of tables, each ending with a row whose
 * name is NULL. */
int driver_main(int argc, char **argv, const struct scenario *const groups[], const void *symbol);

#endif
