/*
 * cmap with the daemon gone (killed while connected, or during a blocking
 * dispatch, or never started), and from other threads: a handle finalized
 * while another thread is blocked in its dispatch, dispatch on a small
 * stack, dispatch with flags that name no mode.
 */
#include "cmap_driver.h"

#include <pthread.h>
#include <stdio.h>

static void s_daemon_killed(void)
{
	cmap_handle_t h = open_cmap();
	int fd = -1;
	add_track(h, "test.a", CMAP_TRACK_ADD, NULL, udata_key, on_notify);
	cmap_fd_get(h, &fd);
	kill_daemon();
	wait_hangup(fd);
	show_cmap_fd(h);
	every_cmap_call_on(h);
	open_cmap();
}

static void s_daemon_killed_during_dispatch(void)
{
	pthread_t t;
	cmap_handle_t h = open_cmap();
	add_track(h, "test.a", CMAP_TRACK_ADD, NULL, udata_key, on_notify);
	pthread_create(&t, NULL, kill_when_blocked, NULL);
	CALL(cmap_dispatch(h, CS_DISPATCH_BLOCKING));
	pthread_join(t, NULL);
	show_cmap_fd(h);
	show_get(h, "totem.cluster_name", 64);
	CALL(cmap_dispatch(h, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h));
}

static void s_no_daemon(void)
{
	open_cmap();
	open_cmap_map(CMAP_MAP_STATS, "CMAP_MAP_STATS");
	open_cmap_map(CMAP_MAP_DEFAULT, "CMAP_MAP_DEFAULT");
}

static cmap_handle_t blocked_handle;
static int blocked_result;
static void dispatch_blocking(void *arg)
{
	(void)arg;
	blocked_result = cmap_dispatch(blocked_handle, CS_DISPATCH_BLOCKING);
}

static void s_finalize_while_dispatch_blocks(void)
{
	pthread_t t;
	pid_t tid;
	blocked_handle = open_cmap();
	add_track(blocked_handle, "test.a", CMAP_TRACK_ADD, NULL, udata_key, on_notify);
	printf("-- another thread calls cmap_dispatch(h1, CS_DISPATCH_BLOCKING)\n");
	tid = start_thread(&t, dispatch_blocking, NULL);
	if (!wait_blocked(tid))
		printf("-- the dispatch did not block\n");
	CALL(cmap_finalize(blocked_handle));
	pthread_join(t, NULL);
	printf("-- the other thread's cmap_dispatch(h1, CS_DISPATCH_BLOCKING) = %s\n", err_name(blocked_result));
}

static cmap_handle_t small_stack_handle;
static void small_stack_dispatch(void *arg)
{
	(void)arg;
	CALL(cmap_dispatch(small_stack_handle, CS_DISPATCH_ALL));
}

static void s_dispatch_on_small_stack(void)
{
	small_stack_handle = open_cmap();
	add_track(small_stack_handle, "test.a", CMAP_TRACK_ADD, NULL, udata_key, on_notify);
	CALL(cmap_set_uint32(small_stack_handle, "test.a", 1));
	wait_cmap_fd(small_stack_handle);
	run_on_small_stack(small_stack_dispatch, NULL);
	CALL(cmap_finalize(small_stack_handle));
}

static void s_dispatch_bad_flags(void)
{
	cmap_handle_t h = open_cmap();
	printf("-- flags that name no dispatch mode\n");
	CALL(cmap_dispatch(h, (cs_dispatch_flags_t)0));
	CALL(cmap_dispatch(h, (cs_dispatch_flags_t)5));
	CALL(cmap_dispatch(h, (cs_dispatch_flags_t)-1));
	CALL(cmap_finalize(h));
}

const struct scenario c_gone_scenarios[] = {
	{ "daemon_killed", "real", CMAP_PAIRS, s_daemon_killed, 10 },
	{ "daemon_killed_during_dispatch", "real", CMAP_PAIRS, s_daemon_killed_during_dispatch, 10 },
	{ "no_daemon", "none", CMAP_PAIRS, s_no_daemon, 10 },
	{ "finalize_while_dispatch_blocks", "real", CMAP_PAIRS, s_finalize_while_dispatch_blocks, 3 },
	{ "dispatch_on_small_stack", "real", CMAP_PAIRS, s_dispatch_on_small_stack, 10 },
	{ "dispatch_bad_flags", "real", CMAP_PAIRS, s_dispatch_bad_flags, 3 },
	{ NULL, NULL, NULL, NULL, 0 },
};
