/*
 * quorum with the daemon gone (killed before requests or during a blocking
 * dispatch, or never started), and from other threads: a handle finalized
 * while another thread is blocked in its dispatch, dispatch on a small
 * stack.
 */
#include "quorum_driver.h"

#include <pthread.h>
#include <stdio.h>

static void s_daemon_killed_before_requests(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	int fd = -1;
	kill_daemon();
	quorum_fd_get(h, &fd);
	wait_hangup(fd);
	show_quorum_fd(h);
	every_quorum_call_on(h);
	open_quorum(&v0_callbacks);
}

static void s_daemon_killed_during_dispatch(void)
{
	pthread_t t;
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, NULL, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES_ONLY));
	pthread_create(&t, NULL, kill_when_blocked, NULL);
	CALL(quorum_dispatch(h, CS_DISPATCH_BLOCKING));
	pthread_join(t, NULL);
	show_quorum_fd(h);
	show_quorate(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_no_daemon(void)
{
	open_quorum(&v0_callbacks);
	open_quorum(NULL);
	open_model(QUORUM_MODEL_V1, &v1_model, &ctx_a, "QUORUM_MODEL_V1, &v1");
}

static quorum_handle_t blocked_handle;
static int blocked_result;
static void dispatch_blocking(void *arg)
{
	(void)arg;
	blocked_result = quorum_dispatch(blocked_handle, CS_DISPATCH_BLOCKING);
}

static void s_finalize_while_dispatch_blocks(void)
{
	pthread_t t;
	pid_t tid;
	blocked_handle = open_quorum(&v0_callbacks);
	CALL(quorum_trackstart(blocked_handle, CS_TRACK_CHANGES_ONLY));
	printf("-- another thread calls quorum_dispatch(h1, CS_DISPATCH_BLOCKING)\n");
	tid = start_thread(&t, dispatch_blocking, NULL);
	if (!wait_blocked(tid))
		printf("-- the dispatch did not block\n");
	CALL(quorum_finalize(blocked_handle));
	pthread_join(t, NULL);
	printf("-- the other thread's quorum_dispatch(h1, CS_DISPATCH_BLOCKING) = %s\n", err_name(blocked_result));
}

static quorum_handle_t small_stack_handle;
static void small_stack_dispatch(void *arg)
{
	(void)arg;
	CALL(quorum_dispatch(small_stack_handle, CS_DISPATCH_ALL));
}

static void s_dispatch_on_small_stack(void)
{
	small_stack_handle = open_model(QUORUM_MODEL_V1, &v1_model, NULL, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(small_stack_handle, CS_TRACK_CURRENT));
	wait_quorum_fd(small_stack_handle);
	run_on_small_stack(small_stack_dispatch, NULL);
	CALL(quorum_finalize(small_stack_handle));
}

const struct scenario q_gone_scenarios[] = {
	{ "daemon_killed_before_requests", "real", QUORUM_PAIRS, s_daemon_killed_before_requests, 10 },
	{ "daemon_killed_during_dispatch", "real", QUORUM_PAIRS, s_daemon_killed_during_dispatch, 10 },
	{ "no_daemon", "none", QUORUM_PAIRS, s_no_daemon, 10 },
	{ "finalize_while_dispatch_blocks", "real", QUORUM_PAIRS, s_finalize_while_dispatch_blocks, 3 },
	{ "dispatch_on_small_stack", "real", QUORUM_PAIRS, s_dispatch_on_small_stack, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
