/*
 * The conformance driver: runs one named scenario through the votequorum C
 * API and prints a deterministic trace, every call with its result by name
 * and every callback with all its arguments. It is linked to Debian's
 * libvotequorum8 the way Debian's own binaries are, so the same binary runs
 * on the reference and, with LD_LIBRARY_PATH, on ours; run.sh diffs the two
 * traces. The ABI 1.1 calls are looked up at run time (the reference has
 * none).
 *
 * Each scenario runs in a child process with an alarm, so a crash or a hang
 * becomes a line of the trace instead of the end of the run. Handles are
 * printed by name (h1, h2, ...), never by value. Ordering, never sleeping,
 * makes traces deterministic: a scenario waits on the fd (poll with a
 * bound) for what the daemon must send.
 *
 *   driver SCENARIO      run one scenario
 *   driver --list        list scenarios as "NAME SERVER" lines
 *   driver --which       print the file of the libvotequorum actually loaded
 *
 * SERVER is where a scenario runs: "real" (a private corosync, Debian's or
 * the main line's), "debian" or "mainline" (only that daemon), "none", or
 * "fake:SCRIPT[:nobody]" (fake_votequorum). The ABI 1.1 scenarios ("m11_")
 * print only what the fake server's "faithful" script reproduces too (no
 * ring ids), so that run.sh can compare the fake with the main-line daemon.
 */
#define _GNU_SOURCE
#include <corosync/votequorum.h>

#include "blocked.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- tracing ------------------------------------------------------------ */

static const char *err_name(int e)
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

static votequorum_handle_t handles[8];
static int nhandles;

static const char *hname(votequorum_handle_t h)
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

static void remember(votequorum_handle_t h)
{
	if (nhandles < 8)
		handles[nhandles++] = h;
}

/* Prints the call's text and its result by name. */
#define CALL(expr) trace_call(#expr, (int)(expr))
static int trace_call(const char *text, int result)
{
	printf("%s = %s\n", text, err_name(result));
	fflush(stdout);
	return result;
}

static void on_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n, votequorum_node_t nodes[])
{
	uint32_t i;
	printf("  callback quorum(%s, context=%" PRIu64 ", quorate=%u, nodes=[", hname(h), ctx, quorate);
	for (i = 0; i < n; i++)
		printf("%s%u/%u", i ? " " : "", nodes[i].nodeid, nodes[i].state);
	printf("])\n");
	fflush(stdout);
}

static void on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	uint32_t i;
	printf("  callback nodelist(%s, context=%" PRIu64 ", ring=%u.%" PRIx64 ", nodes=[", hname(h), ctx, ring.nodeid, ring.seq);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", ids[i]);
	printf("])\n");
	fflush(stdout);
}

static void on_expected(votequorum_handle_t h, uint64_t ctx, uint32_t expected)
{
	printf("  callback expectedvotes(%s, context=%" PRIu64 ", expected=%u)\n", hname(h), ctx, expected);
	fflush(stdout);
}

static votequorum_callbacks_t all_callbacks = { on_quorum, on_expected, on_nodelist };
static votequorum_ring_id_t last_ring;

static void on_nodelist_keep_ring(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	last_ring = ring;
	on_nodelist(h, ctx, ring, n, ids);
}

static votequorum_handle_t open_handle(votequorum_callbacks_t *cb)
{
	votequorum_handle_t h = 0;
	int err = votequorum_initialize(&h, cb);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_initialize(&%s, ...) = %s\n", err == CS_OK ? hname(h) : "h", err_name(err));
	fflush(stdout);
	return h;
}

/* Is the handle's fd readable now? */
static void show_fd(votequorum_handle_t h)
{
	int fd = -1;
	struct pollfd p;
	if (votequorum_fd_get(h, &fd) != CS_OK) {
		printf("fd of %s: none\n", hname(h));
		return;
	}
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	printf("fd of %s readable: %s%s\n", hname(h), poll(&p, 1, 0) == 1 ? "yes" : "no",
		(p.revents & POLLHUP) ? " (hangup)" : "");
	fflush(stdout);
}

/* Waits (bounded) until the fd is readable: how scenarios order themselves
 * after what the daemon must send. */
static void wait_readable(votequorum_handle_t h)
{
	int fd = -1;
	struct pollfd p;
	votequorum_fd_get(h, &fd);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	printf("wait for %s: %s\n", hname(h), poll(&p, 1, 3000) == 1 ? "readable" : "nothing within 3 s");
	fflush(stdout);
}

static void show_info(const char *what, const struct votequorum_info *i)
{
	printf("  %s: node_id=%u state=%u votes=%u expected=%u highest=%u total=%u quorum=%u flags=0x%x qdevice_votes=%u qdevice_name=\"%.*s\"\n",
		what, i->node_id, i->node_state, i->node_votes, i->node_expected_votes, i->highest_expected,
		i->total_votes, i->quorum, i->flags, i->qdevice_votes, (int)sizeof(i->qdevice_name), i->qdevice_name);
	fflush(stdout);
}

static int getinfo_show(votequorum_handle_t h, unsigned nodeid)
{
	struct votequorum_info info;
	int err;
	memset(&info, 0, sizeof(info));
	err = votequorum_getinfo(h, nodeid, &info);
	printf("votequorum_getinfo(%s, %u, &info) = %s\n", hname(h), nodeid, err_name(err));
	if (err == CS_OK)
		show_info("info", &info);
	fflush(stdout);
	return err;
}

/* Kills the private corosync of this scenario (run.sh made it; its pid is in
 * the environment). */
static void kill_daemon(void)
{
	const char *pid = getenv("VQ_DAEMON_PID");
	printf("-- the daemon is killed\n");
	fflush(stdout);
	if (pid)
		kill((pid_t)atoi(pid), SIGKILL);
}

/* Ordering by state, not by sleeping (tests/support/blocked.h): waits (up
 * to 3 s) until thread TID of this process sleeps in a system call that
 * waits for input, seen so twice, 10 ms apart. Returns 1 if it did. */
static int wait_blocked(pid_t tid)
{
	return vq_wait_blocked(tid, 3000, 0);
}

/* ABI 1.1, looked up at run time. */
typedef cs_error_t (*model_init_fn)(votequorum_handle_t *, const votequorum_model_v1_data_t *);
typedef cs_error_t (*set_ei_fn)(votequorum_handle_t, uint32_t, const void *);
typedef cs_error_t (*get_ei_fn)(votequorum_handle_t, unsigned int, uint32_t *, void *);
static void *abi11(const char *name)
{
	void *fn = dlsym(RTLD_DEFAULT, name);
	if (!fn) {
		printf("%s: not in this library\n", name);
		fflush(stdout);
	}
	return fn;
}

/* ---- scenarios against the real corosync --------------------------------- */

static void s_init_finalize(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_finalize(h));
	CALL(votequorum_finalize(h));
}

/* Every call on a handle that is not (or no longer) valid. */
static void every_call_on(votequorum_handle_t h)
{
	struct votequorum_info info;
	votequorum_ring_id_t ring = { 1, 1 };
	void *ctx;
	int fd;
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_BLOCKING));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_fd_get(h, &fd));
	CALL(votequorum_getinfo(h, 0, &info));
	CALL(votequorum_setexpected(h, 1));
	CALL(votequorum_setvotes(h, 1, 1));
	CALL(votequorum_trackstart(h, 0, CS_TRACK_CHANGES));
	CALL(votequorum_trackstop(h));
	CALL(votequorum_context_get(h, &ctx));
	CALL(votequorum_context_set(h, NULL));
	CALL(votequorum_qdevice_register(h, "Q"));
	CALL(votequorum_qdevice_unregister(h, "Q"));
	CALL(votequorum_qdevice_update(h, "Q", "R"));
	CALL(votequorum_qdevice_poll(h, "Q", 1, ring));
	CALL(votequorum_qdevice_master_wins(h, "Q", 1));
	CALL(votequorum_finalize(h));
}

static void s_calls_after_finalize(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_finalize(h));
	every_call_on(h);
}

static void s_calls_on_handle_zero(void)
{
	every_call_on(0);
}

static void s_calls_on_made_up_handle(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	every_call_on(0xdeadbeefULL);
	every_call_on(h + 1);
	CALL(votequorum_finalize(h));
}

static void s_forged_handle(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	votequorum_handle_t forged = 0xffffffff00000000ULL | (h & 0xffffffffULL);
	printf("forged = the slot of h1 with all-ones upper bits\n");
	CALL(votequorum_finalize(forged));
	getinfo_show(h, 0);
	CALL(votequorum_finalize(h));
}

static void s_dispatch_empty(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	show_fd(h);
	CALL(votequorum_finalize(h));
}

static void s_dispatch_bad_flags(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_dispatch(h, (cs_dispatch_flags_t)0));
	CALL(votequorum_dispatch(h, (cs_dispatch_flags_t)5));
	CALL(votequorum_dispatch(h, (cs_dispatch_flags_t)100));
	CALL(votequorum_dispatch(0, (cs_dispatch_flags_t)0));
	CALL(votequorum_finalize(h));
}

static void s_fd_readiness(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	show_fd(h);
	CALL(votequorum_trackstart(h, 42, CS_TRACK_CURRENT));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h));
}

static void s_track_current(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 42, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h));
}

static void s_track_twice(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 42, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_trackstart(h, 43, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

/* A votes change, seen by h (tracking changes): two notifications. */
static void raise_votes_and_see(votequorum_handle_t changer, votequorum_handle_t tracker)
{
	CALL(votequorum_setvotes(changer, 1, 2));
	CALL(votequorum_dispatch(tracker, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(tracker, CS_DISPATCH_ONE));
}

static void s_track_changes(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 7, CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_setexpected(h, 0xffffffffu));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_finalize(h));
}

static void s_track_changes_only(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 8, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	raise_votes_and_see(h, h);
	CALL(votequorum_finalize(h));
}

static void s_track_current_alone_does_not_track(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2 = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h1, 1, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h1, CS_DISPATCH_ALL));
	CALL(votequorum_trackstart(h2, 2, CS_TRACK_CHANGES));
	raise_votes_and_see(h2, h2);
	printf("-- h2 has seen the change; a tracking h1 would have it too\n");
	CALL(votequorum_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h1));
	CALL(votequorum_finalize(h2));
}

static void s_trackstop(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstop(h));
	CALL(votequorum_trackstart(h, 5, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_trackstop(h));
	printf("-- notifications queued before trackstop are still delivered\n");
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_trackstop(h));
	CALL(votequorum_finalize(h));
}

static void s_getinfo(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	getinfo_show(h, 0);
	getinfo_show(h, 1);
	getinfo_show(h, 77);
	getinfo_show(h, 0xffffffffu);
	CALL(votequorum_finalize(h));
}

static void s_getinfo_error_contents(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	struct votequorum_info info;
	const unsigned char *b = (const unsigned char *)&info;
	size_t i, zero = 0;
	memset(&info, 0xaa, sizeof(info));
	CALL(votequorum_getinfo(h, 77, &info));
	for (i = 0; i < sizeof(info); i++)
		zero += b[i] == 0;
	printf("  info after the error reply: %s\n", zero == sizeof(info) ? "all zero" : "holds the reply's bytes");
	CALL(votequorum_finalize(h));
}

static void s_setexpected(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_setexpected(h, 0));
	CALL(votequorum_setexpected(h, 3));
	CALL(votequorum_setexpected(h, 1));
	CALL(votequorum_finalize(h));
}

static void s_setexpected_wraps(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	CALL(votequorum_setexpected(h, 0xffffffffu));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	getinfo_show(h, 0);
	CALL(votequorum_finalize(h));
}

static void s_setvotes(void)
{
	/* Only what the daemon answers at once: what follows a raise of votes
	 * depends on when totem delivers it. */
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_setvotes(h, 77, 1));
	CALL(votequorum_setvotes(h, 2, 1));
	CALL(votequorum_setvotes(h, 1, 2));
	CALL(votequorum_finalize(h));
}

static votequorum_callbacks_t ring_callbacks = { on_quorum, on_expected, on_nodelist_keep_ring };

/* A handle with the current ring id in last_ring. */
static votequorum_handle_t open_with_ring(void)
{
	votequorum_handle_t h = open_handle(&ring_callbacks);
	CALL(votequorum_trackstart(h, 9, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	return h;
}

static void s_qdevice_unregistered(void)
{
	votequorum_handle_t h = open_with_ring();
	CALL(votequorum_qdevice_poll(h, "Q", 1, last_ring));
	CALL(votequorum_qdevice_unregister(h, "Q"));
	CALL(votequorum_qdevice_master_wins(h, "Q", 1));
	CALL(votequorum_qdevice_update(h, "Q", "R"));
	CALL(votequorum_finalize(h));
}

static void s_qdevice_register(void)
{
	votequorum_handle_t h = open_with_ring();
	CALL(votequorum_qdevice_register(h, "Qdev"));
	CALL(votequorum_qdevice_register(h, "Qdev"));
	CALL(votequorum_qdevice_register(h, "Other"));
	CALL(votequorum_qdevice_unregister(h, "Other"));
	CALL(votequorum_qdevice_unregister(h, "Qdev"));
	CALL(votequorum_qdevice_unregister(h, "Qdev"));
	CALL(votequorum_finalize(h));
}

static void s_qdevice_poll(void)
{
	votequorum_handle_t h = open_with_ring();
	votequorum_ring_id_t stale = last_ring;
	stale.seq += 100;
	CALL(votequorum_qdevice_register(h, "Qdev"));
	CALL(votequorum_qdevice_poll(h, "Qdev", 1, last_ring));
	CALL(votequorum_qdevice_poll(h, "Qdev", 0, last_ring));
	CALL(votequorum_qdevice_poll(h, "Qdev", 1, stale));
	CALL(votequorum_qdevice_poll(h, "Nope", 1, last_ring));
	CALL(votequorum_qdevice_master_wins(h, "Qdev", 1));
	CALL(votequorum_qdevice_master_wins(h, "Qdev", 0));
	CALL(votequorum_qdevice_master_wins(h, "Nope", 1));
	CALL(votequorum_qdevice_unregister(h, "Qdev"));
	CALL(votequorum_finalize(h));
}

static void wait_qdevice_name(votequorum_handle_t h, const char *name);

static void s_qdevice_update(void)
{
	votequorum_handle_t h = open_with_ring();
	CALL(votequorum_qdevice_register(h, "Qdev"));
	CALL(votequorum_qdevice_update(h, "Qdev", "Qdev2"));
	/* The main-line daemon may apply a rename late under load (a poll of
	 * the new name then fails): wait for it, silently. */
	wait_qdevice_name(h, "Qdev2");
	CALL(votequorum_qdevice_update(h, "Wrong", "Qdev3"));
	CALL(votequorum_qdevice_poll(h, "Qdev2", 1, last_ring));
	CALL(votequorum_qdevice_unregister(h, "Qdev2"));
	CALL(votequorum_finalize(h));
}

static void s_qdevice_names(void)
{
	char n254[255], n255[256];
	votequorum_handle_t h = open_with_ring();
	memset(n254, 'a', 254);
	n254[254] = 0;
	memset(n255, 'b', 255);
	n255[255] = 0;
	CALL(votequorum_qdevice_register(h, ""));
	CALL(votequorum_qdevice_register(0, ""));
	CALL(votequorum_qdevice_register(h, n255));
	CALL(votequorum_qdevice_register(0, n255));
	CALL(votequorum_qdevice_update(h, "", "x"));
	CALL(votequorum_qdevice_poll(h, n255, 1, last_ring));
	CALL(votequorum_qdevice_master_wins(h, "", 1));
	CALL(votequorum_qdevice_unregister(h, n255));
	CALL(votequorum_qdevice_register(h, "q"));
	CALL(votequorum_qdevice_unregister(h, "q"));
	CALL(votequorum_qdevice_register(h, n254));
	CALL(votequorum_qdevice_poll(h, n254, 1, last_ring));
	CALL(votequorum_qdevice_unregister(h, n254));
	CALL(votequorum_finalize(h));
}

/* Orders after everything sent before: a setexpected travels through totem
 * behind earlier changes, so once its notification arrives they have been
 * applied too. The two values alternate (both are accepted on one node). */
static void barrier(votequorum_handle_t changer, votequorum_handle_t tracker)
{
	static int toggle;
	votequorum_setexpected(changer, (toggle++ % 2) ? 1 : 0xffffffffu);
	votequorum_dispatch(tracker, CS_DISPATCH_ONE);
}

static void quiet_expected(votequorum_handle_t h, uint64_t c, uint32_t e)
{
	(void)h; (void)c; (void)e;
}

/* Waits (up to 3 s) until getinfo shows the qdevice name NAME. */
static void wait_qdevice_name(votequorum_handle_t h, const char *name)
{
	int i;
	for (i = 0; i < 300; i++) {
		struct votequorum_info info;
		memset(&info, 0, sizeof(info));
		if (votequorum_getinfo(h, 0, &info) == CS_OK && strncmp(info.qdevice_name, name, sizeof(info.qdevice_name)) == 0)
			return;
		usleep(10 * 1000);
	}
	printf("-- getinfo never showed the qdevice name %s\n", name);
}

static void s_qdevice_getinfo_flags(void)
{
	votequorum_callbacks_t quiet = { NULL, quiet_expected, NULL };
	votequorum_handle_t h = open_with_ring();
	votequorum_handle_t t = open_handle(&quiet);
	CALL(votequorum_trackstart(t, 1, CS_TRACK_CHANGES));
	CALL(votequorum_qdevice_register(h, "Qdev"));
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_qdevice_poll(h, "Qdev", 1, last_ring));
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_qdevice_master_wins(h, "Qdev", 1));
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_qdevice_update(h, "Qdev", "Qdev2"));
	/* The main-line daemon may apply a rename after later changes (seen
	 * under load): wait for the new name itself. */
	wait_qdevice_name(h, "Qdev2");
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_qdevice_poll(h, "Qdev2", 0, last_ring));
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_qdevice_unregister(h, "Qdev2"));
	barrier(h, t);
	barrier(h, t);
	getinfo_show(h, 0);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(h));
}

static void s_qdevice_belongs_to_daemon(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2;
	CALL(votequorum_qdevice_register(h1, "Qdev"));
	CALL(votequorum_finalize(h1));
	h2 = open_handle(&all_callbacks);
	CALL(votequorum_qdevice_register(h2, "Other"));
	CALL(votequorum_qdevice_unregister(h2, "Qdev"));
	CALL(votequorum_qdevice_register(h2, "Other"));
	CALL(votequorum_qdevice_unregister(h2, "Other"));
	CALL(votequorum_finalize(h2));
}

static void s_context(void)
{
	int x;
	void *got = &got;
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2 = open_handle(&all_callbacks);
	CALL(votequorum_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == NULL ? "NULL" : "set");
	CALL(votequorum_context_set(h1, &x));
	CALL(votequorum_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == &x ? "&x" : "something else");
	CALL(votequorum_context_get(h2, &got));
	printf("  context of h2 is %s\n", got == NULL ? "NULL" : "set");
	CALL(votequorum_finalize(h1));
	CALL(votequorum_finalize(h2));
}

static void s_two_handles(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2 = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h1, 11, CS_TRACK_CHANGES));
	raise_votes_and_see(h2, h1);
	CALL(votequorum_dispatch(h2, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h1));
	CALL(votequorum_finalize(h2));
}

static void cb_getinfo_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	on_nodelist_keep_ring(h, ctx, ring, n, ids);
	printf("  (inside the callback) ");
	getinfo_show(h, 0);
	printf("  (inside the callback) ");
	CALL(votequorum_qdevice_register(h, "Qcb"));
	printf("  (inside the callback) ");
	CALL(votequorum_qdevice_poll(h, "Qcb", 1, ring));
	printf("  (inside the callback) ");
	CALL(votequorum_qdevice_unregister(h, "Qcb"));
}

static void s_callback_requests(void)
{
	votequorum_callbacks_t cb = { on_quorum, on_expected, cb_getinfo_nodelist };
	votequorum_handle_t h = open_handle(&cb);
	CALL(votequorum_trackstart(h, 3, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void cb_finalize(votequorum_handle_t h, uint64_t ctx, uint32_t q, uint32_t n, votequorum_node_t nodes[])
{
	on_quorum(h, ctx, q, n, nodes);
	printf("  (inside the callback) ");
	CALL(votequorum_finalize(h));
}

static void s_callback_finalize(void)
{
	votequorum_callbacks_t cb = { cb_finalize, on_expected, on_nodelist };
	votequorum_handle_t h = open_handle(&cb);
	CALL(votequorum_trackstart(h, 3, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_trackstart(h, 4, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void s_callback_finalize_blocking(void)
{
	votequorum_callbacks_t cb = { cb_finalize, on_expected, on_nodelist };
	votequorum_handle_t h = open_handle(&cb);
	CALL(votequorum_trackstart(h, 3, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(h, CS_DISPATCH_BLOCKING));
}

static void s_null_callbacks(void)
{
	votequorum_handle_t h = open_handle(NULL);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CURRENT));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_finalize(h));
}

static void s_null_callback_counts(void)
{
	votequorum_callbacks_t cb = { on_quorum, NULL, NULL };
	votequorum_handle_t h = open_handle(&cb);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CURRENT));
	printf("-- the nodelist notification has no callback: ONE consumes it and returns\n");
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	show_fd(h);
	CALL(votequorum_finalize(h));
}

/* Kills the daemon once the scenario's main thread is blocked in dispatch. */
static void *kill_later(void *arg)
{
	(void)arg;
	if (!wait_blocked(getpid()))
		printf("-- the dispatch did not block\n");
	kill_daemon(); /* prints before it kills: the dispatch returns after */
	return NULL;
}

static void s_daemon_killed_during_dispatch(void)
{
	pthread_t t;
	struct votequorum_info info;
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	pthread_create(&t, NULL, kill_later, NULL);
	CALL(votequorum_dispatch(h, CS_DISPATCH_BLOCKING));
	pthread_join(t, NULL);
	show_fd(h);
	CALL(votequorum_getinfo(h, 0, &info));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_finalize(h));
	open_handle(&all_callbacks);
}

static void s_daemon_killed_before_requests(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	int fd = -1;
	struct pollfd p;
	kill_daemon();
	/* Ordered by state: the fd reports the hang-up once the daemon is gone. */
	votequorum_fd_get(h, &fd);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 3000) != 1)
		printf("-- no hang-up within 3 s\n");
	show_fd(h);
	every_call_on(h);
}

static votequorum_handle_t request_handle;
static int request_result;
static volatile pid_t request_tid;
static void *request_in_thread(void *arg)
{
	struct votequorum_info info;
	(void)arg;
	request_tid = (pid_t)syscall(SYS_gettid);
	request_result = votequorum_getinfo(request_handle, 0, &info);
	return NULL;
}

static void s_daemon_killed_during_request(void)
{
	const char *pid = getenv("VQ_DAEMON_PID");
	pthread_t t;
	request_handle = open_handle(&all_callbacks);
	printf("-- the daemon is stopped (SIGSTOP); getinfo waits for it in another thread\n");
	fflush(stdout);
	if (pid)
		kill((pid_t)atoi(pid), SIGSTOP);
	pthread_create(&t, NULL, request_in_thread, NULL);
	while (request_tid == 0)
		usleep(1000);
	if (!wait_blocked(request_tid))
		printf("-- the request did not block\n");
	kill_daemon();
	pthread_join(t, NULL);
	printf("-- the waiting votequorum_getinfo(h1, 0, &info) = %s\n", err_name(request_result));
	show_fd(request_handle);
	CALL(votequorum_finalize(request_handle));
}

static void s_initialize_while_starting(void)
{
	printf("-- the server refuses its first two connections, as a daemon still starting does\n");
	open_handle(&all_callbacks);
	open_handle(&all_callbacks);
	getinfo_show(open_handle(&all_callbacks), 0);
}

static void s_no_daemon(void)
{
	open_handle(&all_callbacks);
	open_handle(NULL);
}

/* Runs one call in a child of its own: a crash is a result too. */
static void guarded_call(const char *text, int (*fn)(votequorum_handle_t), votequorum_handle_t h)
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

static int n_init(votequorum_handle_t h) { (void)h; return votequorum_initialize(NULL, &all_callbacks); }
static int n_getinfo(votequorum_handle_t h) { return votequorum_getinfo(h, 0, NULL); }
static int n_fd_get(votequorum_handle_t h) { return votequorum_fd_get(h, NULL); }
static int n_context_get(votequorum_handle_t h) { return votequorum_context_get(h, NULL); }
static int n_register(votequorum_handle_t h) { return votequorum_qdevice_register(h, NULL); }
static int n_unregister(votequorum_handle_t h) { return votequorum_qdevice_unregister(h, NULL); }
static int n_update_old(votequorum_handle_t h) { return votequorum_qdevice_update(h, NULL, "x"); }
static int n_update_new(votequorum_handle_t h) { return votequorum_qdevice_update(h, "x", NULL); }
static int n_poll(votequorum_handle_t h) { votequorum_ring_id_t r = { 1, 1 }; return votequorum_qdevice_poll(h, NULL, 1, r); }
static int n_master_wins(votequorum_handle_t h) { return votequorum_qdevice_master_wins(h, NULL, 1); }

static void s_null_pointers(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	guarded_call("votequorum_initialize(NULL, &callbacks)", n_init, h);
	guarded_call("votequorum_getinfo(h1, 0, NULL)", n_getinfo, h);
	guarded_call("votequorum_fd_get(h1, NULL)", n_fd_get, h);
	guarded_call("votequorum_context_get(h1, NULL)", n_context_get, h);
	guarded_call("votequorum_qdevice_register(h1, NULL)", n_register, h);
	guarded_call("votequorum_qdevice_unregister(h1, NULL)", n_unregister, h);
	guarded_call("votequorum_qdevice_update(h1, NULL, \"x\")", n_update_old, h);
	guarded_call("votequorum_qdevice_update(h1, \"x\", NULL)", n_update_new, h);
	guarded_call("votequorum_qdevice_poll(h1, NULL, 1, ring)", n_poll, h);
	guarded_call("votequorum_qdevice_master_wins(h1, NULL, 1)", n_master_wins, h);
	CALL(votequorum_finalize(h));
}

static votequorum_handle_t finalize_target;
static int finalize_result;
static void *finalize_later(void *arg)
{
	(void)arg;
	if (!wait_blocked(getpid()))
		printf("-- the dispatch did not block\n");
	printf("-- another thread calls votequorum_finalize(h1)\n");
	fflush(stdout);
	finalize_result = votequorum_finalize(finalize_target);
	return NULL;
}

static void s_finalize_from_other_thread(void)
{
	pthread_t t;
	finalize_target = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(finalize_target, 1, CS_TRACK_CHANGES));
	pthread_create(&t, NULL, finalize_later, NULL);
	CALL(votequorum_dispatch(finalize_target, CS_DISPATCH_BLOCKING));
	pthread_join(t, NULL);
	printf("-- the other thread's votequorum_finalize(h1) = %s\n", err_name(finalize_result));
}

static votequorum_handle_t small_stack_handle;
static void *small_stack_dispatch(void *arg)
{
	(void)arg;
	CALL(votequorum_dispatch(small_stack_handle, CS_DISPATCH_ALL));
	return NULL;
}

static void s_dispatch_on_small_stack(void)
{
	pthread_t t;
	pthread_attr_t attr;
	small_stack_handle = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(small_stack_handle, 1, CS_TRACK_CURRENT));
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	printf("-- dispatch on a thread with a 64 KiB stack\n");
	fflush(stdout);
	pthread_create(&t, &attr, small_stack_dispatch, NULL);
	pthread_join(t, NULL);
	CALL(votequorum_finalize(small_stack_handle));
}

static void on_extra(votequorum_handle_t h, uint64_t ctx, uint32_t nodeid, uint32_t n, void *data)
{
	printf("  callback qdevice_extra_info(%s, context=%" PRIu64 ", nodeid=%u, \"%.*s\")\n", hname(h), ctx, nodeid, (int)n, (const char *)data);
	fflush(stdout);
}

static void abi11_calls(void)
{
	model_init_fn model_init = (model_init_fn)abi11("votequorum_model_initialize");
	set_ei_fn set_ei = (set_ei_fn)abi11("votequorum_set_qdevice_extra_info");
	get_ei_fn get_ei = (get_ei_fn)abi11("votequorum_get_qdevice_extra_info");
	votequorum_model_v1_data_t model = { VOTEQUORUM_MODEL_V1, on_quorum, on_expected, on_nodelist, on_extra };
	votequorum_handle_t h = 0;
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	if (!model_init || !set_ei || !get_ei)
		return;
	if (CALL(model_init(&h, &model)) != CS_OK)
		return;
	remember(h);
	CALL(set_ei(h, 9, "Qdsk 00ff"));
	if (CALL(get_ei(h, 1, &size, buf)) == CS_OK)
		printf("  extra info of node 1: \"%.*s\"\n", (int)size, buf);
	CALL(set_ei(h, 4097, "x"));
	CALL(votequorum_trackstart(h, 6, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void s_dispatch_one_counts_messages(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 4, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void s_getinfo_from_two_handles(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2 = open_handle(NULL);
	getinfo_show(h1, 0);
	getinfo_show(h2, 0);
	CALL(votequorum_finalize(h2));
	getinfo_show(h1, 1);
	CALL(votequorum_finalize(h1));
}

static void s_contexts_per_handle(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2 = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h1, 100, CS_TRACK_CHANGES));
	CALL(votequorum_trackstart(h2, 200, CS_TRACK_CHANGES));
	CALL(votequorum_setexpected(h1, 0xffffffffu));
	CALL(votequorum_dispatch(h1, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h2, CS_DISPATCH_ONE));
	CALL(votequorum_finalize(h1));
	CALL(votequorum_finalize(h2));
}

static void s_trackstart_after_trackstop(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	CALL(votequorum_trackstop(h));
	CALL(votequorum_trackstart(h, 2, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_setexpected(h, 0xffffffffu));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_finalize(h));
}

static void s_many_handles(void)
{
	votequorum_handle_t h[5];
	int i;
	for (i = 0; i < 5; i++)
		h[i] = open_handle(i % 2 ? NULL : &all_callbacks);
	for (i = 0; i < 5; i++)
		getinfo_show(h[i], 0);
	for (i = 4; i >= 0; i--)
		CALL(votequorum_finalize(h[i]));
	for (i = 0; i < 5; i++)
		CALL(votequorum_finalize(h[i]));
}

static void s_initialize_again(void)
{
	votequorum_handle_t h1 = open_handle(&all_callbacks);
	votequorum_handle_t h2;
	CALL(votequorum_finalize(h1));
	h2 = open_handle(&all_callbacks);
	getinfo_show(h2, 0);
	CALL(votequorum_getinfo(h1, 0, NULL));
	CALL(votequorum_finalize(h1));
	CALL(votequorum_finalize(h2));
}

/* ---- scenarios against the scripted fake server (fake_votequorum.cpp) ---- */

static void s_fake_every_status_error(void)
{
	votequorum_ring_id_t ring = { 1, 4 };
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_setexpected(h, 2));
	CALL(votequorum_setvotes(h, 1, 2));
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	CALL(votequorum_trackstop(h));
	CALL(votequorum_qdevice_register(h, "Q"));
	CALL(votequorum_qdevice_unregister(h, "Q"));
	CALL(votequorum_qdevice_update(h, "Q", "R"));
	CALL(votequorum_qdevice_poll(h, "Q", 1, ring));
	CALL(votequorum_qdevice_master_wins(h, "Q", 1));
	CALL(votequorum_finalize(h));
}

static void s_fake_getinfo_error_reply_contents(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	struct votequorum_info info;
	memset(&info, 0xaa, sizeof(info));
	CALL(votequorum_getinfo(h, 0, &info));
	show_info("info after the error reply", &info);
	CALL(votequorum_finalize(h));
}


static void s_fake_getinfo_fields(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	getinfo_show(h, 5);
	CALL(votequorum_finalize(h));
}

static void s_fake_error_passthrough(void)
{
	int e;
	votequorum_handle_t h = open_handle(&all_callbacks);
	for (e = 1; e <= 30; e++) {
		if (e == 29)
			continue;
		printf("setexpected(h1, %d) = %s\n", e, err_name(votequorum_setexpected(h, (unsigned)e)));
	}
	printf("setexpected(h1, 100) = %s\n", err_name(votequorum_setexpected(h, 100)));
	CALL(votequorum_finalize(h));
}

static void s_fake_error_undefined(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	printf("setexpected(h1, 29) = %s\n", err_name(votequorum_setexpected(h, 29)));
	printf("setexpected(h1, 4242) = %s\n", err_name(votequorum_setexpected(h, 4242)));
	CALL(votequorum_finalize(h));
}

static int expected_seen;
static uint32_t expected_last;
static void count_expected(votequorum_handle_t h, uint64_t ctx, uint32_t e)
{
	(void)h;
	(void)ctx;
	expected_seen++;
	expected_last = e;
}

static void s_fake_burst(void)
{
	votequorum_callbacks_t cb = { on_quorum, count_expected, on_nodelist };
	votequorum_handle_t h = open_handle(&cb);
	int fd, calls = 0, err = CS_OK;
	struct pollfd p;
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	votequorum_fd_get(h, &fd);
	p.fd = fd;
	p.events = POLLIN;
	while (expected_seen < 5000 && poll(&p, 1, 3000) == 1 && err == CS_OK) {
		err = votequorum_dispatch(h, CS_DISPATCH_ALL);
		calls++;
	}
	printf("poll + CS_DISPATCH_ALL until quiet: %s, %d callbacks, last expected=%u\n", err_name(err), expected_seen, expected_last);
	CALL(votequorum_finalize(h));
}

static void s_fake_zero_and_many_entries(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void s_fake_never_answers(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	printf("-- the server never answers getinfo\n");
	getinfo_show(h, 0);
}

static void s_fake_disconnect_mid_request(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	getinfo_show(h, 0);
	CALL(votequorum_setexpected(h, 1));
	show_fd(h);
	CALL(votequorum_finalize(h));
}

/* Tracks changes, then one ONE and one ALL: for the notification scripts. */
static void s_fake_track_then_dispatch(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

/* One getinfo of the local node: for the reply scripts. */
static void s_fake_getinfo_once(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	getinfo_show(h, 0);
	CALL(votequorum_finalize(h));
}

static void s_fake_impostor(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	if (h)
		getinfo_show(h, 0);
}

/* ---- handles: nothing is guessable --------------------------------------- */

/* 1 << 32 is slot 0 with the check 1: a library whose checks count from 1
 * would take it for the first handle of every process. */
static void s_made_up_first_handle(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	struct votequorum_info info;
	CALL(votequorum_getinfo(1ULL << 32, 0, &info));
	CALL(votequorum_finalize(1ULL << 32));
	getinfo_show(h, 0);
	CALL(votequorum_finalize(h));
}

/* The first handle of a fresh process, as a number, from a child. */
static votequorum_handle_t first_handle_of_a_child(void)
{
	int p[2];
	votequorum_handle_t h = 0;
	pid_t child;
	if (pipe(p) != 0)
		return 0;
	child = fork();
	if (child == 0) {
		votequorum_handle_t mine = 0;
		votequorum_initialize(&mine, &all_callbacks);
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

static void s_first_handles_of_two_processes(void)
{
	votequorum_handle_t a = first_handle_of_a_child();
	votequorum_handle_t b = first_handle_of_a_child();
	printf("two processes got a first handle: %s\n", a && b ? "yes" : "no");
	printf("  and they differ: %s\n", a != b ? "yes" : "no");
}

/* ---- ABI 1.1 against the main-line daemon (and the faithful fake) --------- */

static model_init_fn m11_init;
static set_ei_fn m11_set;
static get_ei_fn m11_get_ei;

static int load_abi11(void)
{
	m11_init = (model_init_fn)abi11("votequorum_model_initialize");
	m11_set = (set_ei_fn)abi11("votequorum_set_qdevice_extra_info");
	m11_get_ei = (get_ei_fn)abi11("votequorum_get_qdevice_extra_info");
	return m11_init && m11_set && m11_get_ei;
}

/* Extra info as text when it is printable, else as hex; long blocks by
 * their size, first bytes and a sum. */
static void show_bytes(uint32_t n, const void *data)
{
	const unsigned char *b = data;
	uint32_t i, sum = 0, printable = 1;
	for (i = 0; i < n; i++) {
		sum = sum * 31 + b[i];
		if (b[i] < 0x20 || b[i] > 0x7e)
			printable = 0;
	}
	if (n > 64)
		printf("%u bytes starting \"%.8s\", sum %08x", n, (const char *)b, sum);
	else if (printable)
		printf("%u bytes \"%.*s\"", n, (int)n, (const char *)b);
	else {
		printf("%u bytes 0x", n);
		for (i = 0; i < n; i++)
			printf("%02x", b[i]);
	}
}

static void m11_on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	uint32_t i;
	(void)ring;
	printf("  callback nodelist(%s, context=%" PRIu64 ", nodes=[", hname(h), ctx);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", ids[i]);
	printf("])\n");
	fflush(stdout);
}

static void m11_on_extra(votequorum_handle_t h, uint64_t ctx, uint32_t nodeid, uint32_t n, void *data)
{
	printf("  callback qdevice_extra_info(%s, context=%" PRIu64 ", nodeid=%u, ", hname(h), ctx, nodeid);
	show_bytes(n, data);
	printf(")\n");
	fflush(stdout);
}

static const votequorum_model_v1_data_t m11_all = {
	VOTEQUORUM_MODEL_V1, on_quorum, on_expected, m11_on_nodelist, m11_on_extra
};
static const votequorum_model_v1_data_t m11_no_extra = {
	VOTEQUORUM_MODEL_V1, on_quorum, on_expected, m11_on_nodelist, NULL
};
static votequorum_callbacks_t m11_old = { on_quorum, on_expected, m11_on_nodelist };

static votequorum_handle_t m11_open(const votequorum_model_v1_data_t *model, const char *what)
{
	votequorum_handle_t h = 0;
	int err = m11_init(&h, model);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_model_initialize(&%s, %s) = %s\n", err == CS_OK ? hname(h) : "h", what, err_name(err));
	fflush(stdout);
	return h;
}

static votequorum_handle_t m11_open_old(void)
{
	votequorum_handle_t h = 0;
	int err = votequorum_initialize(&h, &m11_old);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_initialize(&%s, old callbacks) = %s\n", err == CS_OK ? hname(h) : "h", err_name(err));
	fflush(stdout);
	return h;
}

static void m11_show_get(votequorum_handle_t h, unsigned nodeid)
{
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	int err = m11_get_ei(h, nodeid, &size, buf);
	printf("votequorum_get_qdevice_extra_info(%s, %u, &size, buf) = %s", hname(h), nodeid, err_name(err));
	if (err == CS_OK) {
		printf(": ");
		show_bytes(size, buf);
	}
	printf("\n");
	fflush(stdout);
}

static void m11_show_flag(votequorum_handle_t h)
{
	struct votequorum_info info;
	int err;
	memset(&info, 0, sizeof(info));
	err = votequorum_getinfo(h, 0, &info);
	printf("votequorum_getinfo(%s, 0, &info) = %s, HAS_EXTRA_INFO %s\n", hname(h), err_name(err),
		(info.flags & VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO) ? "set" : "clear");
	fflush(stdout);
}

/* Waits (bounded) for the tracker's next notification, and dispatches
 * exactly it, never blocking. */
static void m11_next(votequorum_handle_t t)
{
	wait_readable(t);
	CALL(votequorum_dispatch(t, CS_DISPATCH_ONE_NONBLOCKING));
}

static void m11_model_initialize(void)
{
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	h = m11_open(&m11_all, "V1, every callback");
	CALL(votequorum_trackstart(h, 10, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void m11_model_other_value(void)
{
	votequorum_model_v1_data_t model = m11_all;
	votequorum_handle_t h;
	int values[] = { 0, 2, -1 };
	unsigned i;
	if (!load_abi11())
		return;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char what[32];
		int raw = values[i];
		memcpy(&model.model, &raw, sizeof(raw));
		snprintf(what, sizeof(what), "model %d", raw);
		h = m11_open(&model, what);
		if (h)
			CALL(votequorum_finalize(h));
	}
}

static void m11_model_null_callbacks(void)
{
	votequorum_model_v1_data_t none;
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	memset(&none, 0, sizeof(none));
	none.model = VOTEQUORUM_MODEL_V1;
	h = m11_open(&none, "V1, no callbacks");
	CALL(votequorum_trackstart(h, 11, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h));
	h = m11_open(NULL, "NULL");
	CALL(votequorum_trackstart(h, 12, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void m11_set_without_qdevice(void)
{
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	h = m11_open(&m11_all, "V1");
	CALL(m11_set(h, 5, "hello"));
	CALL(m11_set(h, 0, NULL));
	CALL(m11_set(h, 4097, "x"));
	CALL(m11_set(0, 5, "hello"));
	m11_show_get(h, 1);
	CALL(votequorum_finalize(h));
}

static void m11_set_sizes(void)
{
	static char big[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE + 1];
	votequorum_handle_t q, t;
	unsigned i;
	if (!load_abi11())
		return;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('A' + i % 26);
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 20, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 0, "ignored"));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 4096, big));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 4097, big));
	CALL(m11_set(q, 5, NULL));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 3, "\001\002\377"));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(votequorum_dispatch(t, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_get(void)
{
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 30, CS_TRACK_CHANGES_ONLY));
	printf("-- before any extra info\n");
	m11_show_get(q, 1);
	m11_show_get(q, 77);
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 3, "abc"));
	m11_next(t);
	printf("-- node 1 has extra info\n");
	m11_show_get(q, 1);
	m11_show_get(q, 77);
	m11_show_get(q, 0xffffffffu);
	CALL(m11_get_ei(q, 1, NULL, buf));
	CALL(m11_get_ei(q, 1, &size, NULL));
	CALL(m11_get_ei(0, 1, &size, buf));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_notify_trackers(void)
{
	votequorum_handle_t q, a, b, c;
	if (!load_abi11())
		return;
	a = m11_open(&m11_all, "V1, with an extra-info callback");
	b = m11_open_old();
	c = m11_open(&m11_no_extra, "V1, no extra-info callback");
	q = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(a, 1, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_trackstart(b, 2, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_trackstart(c, 3, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 5, "hello"));
	printf("-- each tracker gets one notification; only h1 has a callback for it\n");
	m11_next(a);
	m11_next(b);
	m11_next(c);
	CALL(votequorum_dispatch(a, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(b, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(c, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(m11_set(q, 0, NULL));
	m11_next(a);
	m11_next(b);
	m11_next(c);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(a);
	CALL(votequorum_finalize(q));
	CALL(votequorum_finalize(c));
	CALL(votequorum_finalize(b));
	CALL(votequorum_finalize(a));
}

static void m11_trackstart_replay(void)
{
	votequorum_handle_t q, t, n, o, m;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 40, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 8, "replayed"));
	m11_next(t);
	printf("-- a new tracker gets nodelist, quorum, then the extra info\n");
	n = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(n, 41, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(n, CS_DISPATCH_ALL));
	printf("-- and again with a second trackstart (refused, but replayed)\n");
	CALL(votequorum_trackstart(n, 42, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(n, CS_DISPATCH_ALL));
	printf("-- an old initialize tracker: the extra info is consumed unseen\n");
	o = m11_open_old();
	CALL(votequorum_trackstart(o, 43, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE_NONBLOCKING));
	printf("-- CHANGES_ONLY replays nothing\n");
	m = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(m, 44, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_dispatch(m, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(m));
	CALL(votequorum_finalize(o));
	CALL(votequorum_finalize(n));
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_unregister_clears(void)
{
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 50, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 3, "bye"));
	m11_next(t);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	m11_show_get(q, 1);
	printf("-- unregistering with nothing set\n");
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	CALL(m11_set(q, 2, "no"));
	/* the daemon announces the cleared (empty) extra info even so; it may
	 * come after the replies under load, so wait for it (bounded) */
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_getinfo_flag(void)
{
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 60, CS_TRACK_CHANGES_ONLY));
	m11_show_flag(q);
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 4, "flag"));
	m11_next(t);
	m11_show_flag(q);
	CALL(m11_set(q, 0, NULL));
	m11_next(t);
	m11_show_flag(q);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

/* ---- the table ------------------------------------------------------------ */

struct scenario {
	const char *name;
	const char *server; /* real, none, or fake:SCRIPT[:nobody] */
	void (*run)(void);
	unsigned timeout; /* seconds before the scenario counts as hung */
};

static const struct scenario scenarios[] = {
	{ "init_finalize", "real", s_init_finalize, 10 },
	{ "calls_after_finalize", "real", s_calls_after_finalize, 10 },
	{ "calls_on_handle_zero", "real", s_calls_on_handle_zero, 10 },
	{ "calls_on_made_up_handle", "real", s_calls_on_made_up_handle, 10 },
	{ "forged_handle", "real", s_forged_handle, 10 },
	{ "dispatch_empty", "real", s_dispatch_empty, 10 },
	{ "dispatch_bad_flags", "real", s_dispatch_bad_flags, 10 },
	{ "fd_readiness", "real", s_fd_readiness, 10 },
	{ "track_current", "real", s_track_current, 10 },
	{ "track_twice", "real", s_track_twice, 10 },
	{ "track_changes", "real", s_track_changes, 10 },
	{ "track_changes_only", "real", s_track_changes_only, 3 },  /* ends hung: nothing more comes */
	{ "track_current_alone_does_not_track", "real", s_track_current_alone_does_not_track, 10 },
	{ "trackstop", "real", s_trackstop, 10 },
	{ "getinfo", "real", s_getinfo, 10 },
	{ "getinfo_error_contents", "real", s_getinfo_error_contents, 10 },
	{ "setexpected", "real", s_setexpected, 10 },
	{ "setexpected_wraps", "real", s_setexpected_wraps, 10 },
	{ "setvotes", "real", s_setvotes, 10 },
	{ "qdevice_unregistered", "real", s_qdevice_unregistered, 10 },
	{ "qdevice_register", "real", s_qdevice_register, 10 },
	{ "qdevice_poll", "real", s_qdevice_poll, 10 },
	{ "qdevice_update", "real", s_qdevice_update, 10 },
	{ "qdevice_names", "real", s_qdevice_names, 10 },
	{ "qdevice_belongs_to_daemon", "real", s_qdevice_belongs_to_daemon, 10 },
	{ "qdevice_getinfo_flags", "real", s_qdevice_getinfo_flags, 10 },
	{ "context", "real", s_context, 10 },
	{ "two_handles", "real", s_two_handles, 10 },
	{ "callback_requests", "real", s_callback_requests, 10 },
	{ "callback_finalize", "real", s_callback_finalize, 10 },
	{ "callback_finalize_blocking", "real", s_callback_finalize_blocking, 10 },
	{ "null_callbacks", "real", s_null_callbacks, 10 },
	{ "null_callback_counts", "real", s_null_callback_counts, 10 },
	{ "daemon_killed_during_dispatch", "real", s_daemon_killed_during_dispatch, 10 },
	{ "daemon_killed_before_requests", "real", s_daemon_killed_before_requests, 10 },
	{ "no_daemon", "none", s_no_daemon, 10 },
	{ "daemon_killed_during_request", "real", s_daemon_killed_during_request, 10 },
	{ "fake_initialize_while_starting", "fake:starting", s_initialize_while_starting, 10 },
	{ "null_pointers", "real", s_null_pointers, 10 },
	{ "finalize_from_other_thread", "real", s_finalize_from_other_thread, 3 },
	{ "dispatch_on_small_stack", "real", s_dispatch_on_small_stack, 10 },
	{ "abi11_on_corosync_3_1", "debian", abi11_calls, 10 },
	{ "made_up_first_handle", "real", s_made_up_first_handle, 10 },
	{ "first_handles_of_two_processes", "real", s_first_handles_of_two_processes, 10 },
	{ "m11_model_initialize", "mainline", m11_model_initialize, 10 },
	{ "m11_model_other_value", "mainline", m11_model_other_value, 10 },
	{ "m11_model_null_callbacks", "mainline", m11_model_null_callbacks, 10 },
	{ "m11_set_without_qdevice", "mainline", m11_set_without_qdevice, 10 },
	{ "m11_set_sizes", "mainline", m11_set_sizes, 10 },
	{ "m11_get", "mainline", m11_get, 10 },
	{ "m11_notify_trackers", "mainline", m11_notify_trackers, 10 },
	{ "m11_trackstart_replay", "mainline", m11_trackstart_replay, 10 },
	{ "m11_unregister_clears", "mainline", m11_unregister_clears, 10 },
	{ "m11_getinfo_flag", "mainline", m11_getinfo_flag, 10 },
	{ "dispatch_one_counts_messages", "real", s_dispatch_one_counts_messages, 10 },
	{ "getinfo_from_two_handles", "real", s_getinfo_from_two_handles, 10 },
	{ "contexts_per_handle", "real", s_contexts_per_handle, 10 },
	{ "trackstart_after_trackstop", "real", s_trackstart_after_trackstop, 10 },
	{ "many_handles", "real", s_many_handles, 10 },
	{ "initialize_again", "real", s_initialize_again, 10 },
	{ "fake_getinfo_fields", "fake:fields", s_fake_getinfo_fields, 10 },
	{ "fake_every_status_error", "fake:busy", s_fake_every_status_error, 10 },
	{ "fake_getinfo_error_reply_contents", "fake:error_fields", s_fake_getinfo_error_reply_contents, 10 },
	{ "fake_error_passthrough", "fake:errors", s_fake_error_passthrough, 10 },
	{ "fake_error_undefined", "fake:errors", s_fake_error_undefined, 10 },
	{ "fake_burst", "fake:burst", s_fake_burst, 20 },
	{ "fake_zero_and_many_entries", "fake:entries", s_fake_zero_and_many_entries, 10 },
	{ "fake_never_answers", "fake:silent", s_fake_never_answers, 2 },
	{ "fake_disconnect_mid_request", "fake:disconnect", s_fake_disconnect_mid_request, 10 },
	{ "fake_unknown_notification", "fake:unknown", s_fake_track_then_dispatch, 10 },
	{ "fake_malformed_notification", "fake:malformed", s_fake_track_then_dispatch, 10 },
	{ "fake_unterminated_name", "fake:unterminated", s_fake_getinfo_once, 10 },
	{ "fake_short_reply", "fake:short", s_fake_getinfo_once, 10 },
	{ "fake_status_error_to_getinfo", "fake:status_error", s_fake_getinfo_once, 10 },
	{ "fake_abi11", "fake:abi11", abi11_calls, 10 },
	{ "fake_impostor", "fake:fields:nobody", s_fake_impostor, 10 },
};

int main(int argc, char **argv)
{
	size_t i, n = sizeof(scenarios) / sizeof(scenarios[0]);
	if (argc == 2 && strcmp(argv[1], "--which") == 0) {
		Dl_info where;
		if (!dladdr((void *)votequorum_initialize, &where) || !where.dli_fname)
			return 1;
		printf("%s\n", where.dli_fname);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < n; i++)
			printf("%s %s\n", scenarios[i].name, scenarios[i].server);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: driver SCENARIO | --list\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[1], scenarios[i].name) == 0) {
			pid_t child;
			int status = 0;
			setvbuf(stdout, NULL, _IOLBF, 0);
			printf("== %s\n", scenarios[i].name);
			fflush(stdout);
			child = fork();
			if (child == 0) {
				alarm(scenarios[i].timeout);
				scenarios[i].run();
				fflush(stdout);
				_exit(0);
			}
			waitpid(child, &status, 0);
			if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
				printf("!! hung: still waiting after %u s\n", scenarios[i].timeout);
			else if (WIFSIGNALED(status))
				printf("!! crashed: %s\n", strsignal(WTERMSIG(status)));
			return 0;
		}
	}
	fprintf(stderr, "driver: no scenario %s\n", argv[1]);
	return 2;
}
