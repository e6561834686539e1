/*
 * votequorum from other threads, against the real corosync: a handle
 * finalized while another thread is blocked in its dispatch, and dispatch
 * on a thread with a small stack.
 */
#include "votequorum_driver.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

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
static void small_stack_dispatch(void *arg)
{
	(void)arg;
	CALL(votequorum_dispatch(small_stack_handle, CS_DISPATCH_ALL));
}

static void s_dispatch_on_small_stack(void)
{
	small_stack_handle = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(small_stack_handle, 1, CS_TRACK_CURRENT));
	run_on_small_stack(small_stack_dispatch, NULL);
	CALL(votequorum_finalize(small_stack_handle));
}

const struct scenario vq_thread_scenarios[] = {
	{ "finalize_from_other_thread", "real", BOTH_DAEMONS, s_finalize_from_other_thread, 3 },
	{ "dispatch_on_small_stack", "real", BOTH_DAEMONS, s_dispatch_on_small_stack, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
