/* The part of the conformance drivers that knows no service (driver.h). */
#define _GNU_SOURCE
#include "driver.h"

#include "blocked.h"

#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- tracing ------------------------------------------------------------ */

const char *err_name(int e)
{
	static const char *names[] = {
		"0", "CS_OK", "CS_ERR_LIBRARY", "CS_ERR_VERSION", "CS_ERR_INIT", "CS_ERR_TIMEOUT",
		"CS_ERR_TRY_AGAIN", "CS_ERR_INVALID_PARAM", "CS_ERR_NO_MEMORY", "CS_ERR_BAD_HANDLE",
		"CS_ERR_BUSY", "CS_ERR_ACCESS", "CS_ERR_NOT_EXIST", "CS_ERR_NAME_TOO_LONG", "CS_ERR_EXIST",
		"CS_ERR_NO_SPACE", "CS_ERR_INTERRUPT", "CS_ERR_NAME_NOT_FOUND", "CS_ERR_NO_RESOURCES",
		"CS_ERR_NOT_SUPPORTED", "CS_ERR_BAD_OPERATION", "CS_ERR_FAILED_OPERATION",
		"CS_ERR_MESSAGE_ERROR", "CS_ERR_QUEUE_FULL", "CS_ERR_QUEUE_NOT_AVAILABLE", "CS_ERR_BAD_FLAGS",
		"CS_ERR_TOO_BIG", "CS_ERR_NO_SECTIONS", "CS_ERR_CONTEXT_NOT_FOUND"};
	static char other[32];
	if (e >= 0 && e < (int)(sizeof(names) / sizeof(names[0])))
		return names[e];
	if (e == 30)
		return "CS_ERR_TOO_MANY_GROUPS";
	if (e == 100)
		return "CS_ERR_SECURITY";
	snprintf(other, sizeof(other), "cs_error(%d)", e);
	return other;
}

int trace_call(const char *text, int result)
{
	printf("%s = %s\n", text, err_name(result));
	fflush(stdout);
	return result;
}

void guarded_call(const char *text, int (*fn)(uint64_t), uint64_t h)
{
	pid_t child;
	int status = 0;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		int r = fn(h);
		printf("%s = %s\n", text, err_name(r));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s: crashed (%s)\n", text, strsignal(WTERMSIG(status)));
	fflush(stdout);
}

/* ---- handles by name ---------------------------------------------------- */

static uint64_t handles[8];
static int nhandles;

void remember(uint64_t h)
{
	if (nhandles < 8)
		handles[nhandles++] = h;
}

const char *hname(uint64_t h)
{
	static char buf[4][32];
	static int next;
	char *out = buf[next++ % 4];
	int i;
	for (i = 0; i < nhandles; i++) {
		if (handles[i] == h) {
			snprintf(out, 32, "h%d", i + 1);
			return out;
		}
	}
	snprintf(out, 32, h == 0 ? "0" : "<unknown handle>");
	return out;
}

/* ---- waiting by state ----------------------------------------------------- */

int fd_poll(int fd, int timeout_ms)
{
	struct pollfd p;
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, timeout_ms) == 1;
}

void show_fd_state(uint64_t h, int have_fd, int fd)
{
	if (!have_fd) {
		printf("fd of %s: none\n", hname(h));
		return;
	}
	/* A hang-up shows as readable: the traces have never told the two
	 * apart (the pinned ones included). */
	printf("fd of %s readable: %s\n", hname(h), fd_poll(fd, 0) ? "yes" : "no");
	fflush(stdout);
}

void wait_fd(uint64_t h, int fd)
{
	printf("wait for %s: %s\n", hname(h), fd_poll(fd, 3000) ? "readable" : "nothing within 3 s");
	fflush(stdout);
}

void wait_hangup(int fd)
{
	/* Ordered by state: the fd reports the hang-up once the daemon is gone. */
	if (!fd_poll(fd, 3000))
		printf("-- no hang-up within 3 s\n");
}

int wait_blocked(pid_t tid)
{
	/* seen sleeping twice, 10 ms apart */
	return vq_wait_blocked(tid, 3000, 0);
}

struct thread_start {
	void (*fn)(void *);
	void *arg;
	volatile pid_t tid;
};

static void *thread_main(void *p)
{
	struct thread_start *start = p;
	void (*fn)(void *) = start->fn;
	void *arg = start->arg;
	start->tid = (pid_t)syscall(SYS_gettid); /* the starter's frame may go after this */
	fn(arg);
	return NULL;
}

pid_t start_thread(pthread_t *t, void (*fn)(void *), void *arg)
{
	struct thread_start start = { fn, arg, 0 };
	pid_t tid;
	if (pthread_create(t, NULL, thread_main, &start) != 0)
		return 0;
	while ((tid = start.tid) == 0)
		usleep(1000);
	return tid;
}

void run_on_small_stack(void (*fn)(void *), void *arg)
{
	pthread_t t;
	pthread_attr_t attr;
	struct thread_start start = { fn, arg, 0 };
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	printf("-- dispatch on a thread with a 64 KiB stack\n");
	fflush(stdout);
	if (pthread_create(&t, &attr, thread_main, &start) == 0)
		pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
}

static void signal_daemon(int sig)
{
	const char *pid = getenv("VQ_DAEMON_PID");
	if (pid)
		kill((pid_t)atoi(pid), sig);
}

void kill_daemon(void)
{
	printf("-- the daemon is killed\n");
	fflush(stdout);
	signal_daemon(SIGKILL);
}

void stop_daemon(void)
{
	signal_daemon(SIGSTOP);
}

void *kill_when_blocked(void *unused)
{
	(void)unused;
	if (!wait_blocked(getpid()))
		printf("-- the dispatch did not block\n");
	kill_daemon(); /* prints before it kills: the dispatch returns after */
	return NULL;
}

/* ---- handles no process can guess ------------------------------------------ */

uint64_t forged_from(uint64_t h)
{
	printf("forged = the slot of %s with all-ones upper bits\n", hname(h));
	return 0xffffffff00000000ULL | (h & 0xffffffffULL);
}

/* The first handle of a fresh process, as a number, from a child. */
static uint64_t first_handle_of_a_child(int (*init)(uint64_t *h))
{
	int p[2];
	uint64_t h = 0;
	pid_t child;
	if (pipe(p) != 0)
		return 0;
	child = fork();
	if (child == 0) {
		uint64_t mine = 0;
		init(&mine);
		if (write(p[1], &mine, sizeof(mine)) != (ssize_t)sizeof(mine))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &h, sizeof(h)) != (ssize_t)sizeof(h))
		h = 0;
	close(p[0]);
	waitpid(child, NULL, 0);
	return h;
}

void compare_first_handles(int (*init)(uint64_t *h))
{
	uint64_t a = first_handle_of_a_child(init);
	uint64_t b = first_handle_of_a_child(init);
	printf("two processes got a first handle: %s\n", a && b ? "yes" : "no");
	printf("  and they differ: %s\n", a != b ? "yes" : "no");
}

/* ---- the runner ------------------------------------------------------------ */

static int run_scenario(const struct scenario *s)
{
	pid_t child;
	int status = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== %s\n", s->name);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		alarm(s->timeout);
		s->run();
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("!! hung: still waiting after %u s\n", s->timeout);
	else if (WIFSIGNALED(status))
		printf("!! crashed: %s\n", strsignal(WTERMSIG(status)));
	return 0;
}

int driver_main(int argc, char **argv, const struct scenario *const groups[], const void *symbol)
{
	const struct scenario *const *g;
	const struct scenario *s;
	if (argc == 2 && strcmp(argv[1], "--which") == 0) {
		Dl_info where;
		if (!dladdr(symbol, &where) || !where.dli_fname)
			return 1;
		printf("%s\n", where.dli_fname);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (g = groups; *g; g++)
			for (s = *g; s->name; s++)
				printf("%s %s %s\n", s->name, s->server, s->pairs);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s SCENARIO | --list | --which\n", argv[0]);
		return 2;
	}
	for (g = groups; *g; g++)
		for (s = *g; s->name; s++)
			if (strcmp(argv[1], s->name) == 0)
				return run_scenario(s);
	fprintf(stderr, "%s: no scenario %s\n", argv[0], argv[1]);
	return 2;
}
