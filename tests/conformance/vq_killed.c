/*
 * votequorum with the daemon gone: killed before requests, during a
 * blocking dispatch, stopped then killed during a request, or never
 * started.
 */
#include "votequorum_driver.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void s_daemon_killed_during_dispatch(void)
{
	pthread_t t;
	struct votequorum_info info;
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	pthread_create(&t, NULL, kill_when_blocked, NULL);
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
	kill_daemon();
	votequorum_fd_get(h, &fd);
	wait_hangup(fd);
	show_fd(h);
	every_call_on(h);
}

static votequorum_handle_t request_handle;
static int request_result;
static void request_in_thread(void *arg)
{
	struct votequorum_info info;
	(void)arg;
	request_result = votequorum_getinfo(request_handle, 0, &info);
}

static void s_daemon_killed_during_request(void)
{
	pthread_t t;
	pid_t tid;
	request_handle = open_handle(&all_callbacks);
	printf("-- the daemon is stopped (SIGSTOP); getinfo waits for it in another thread\n");
	fflush(stdout);
	stop_daemon();
	tid = start_thread(&t, request_in_thread, NULL);
	if (!wait_blocked(tid))
		printf("-- the request did not block\n");
	kill_daemon();
	pthread_join(t, NULL);
	printf("-- the waiting votequorum_getinfo(h1, 0, &info) = %s\n", err_name(request_result));
	show_fd(request_handle);
	CALL(votequorum_finalize(request_handle));
}

static void s_no_daemon(void)
{
	open_handle(&all_callbacks);
	open_handle(NULL);
}

const struct scenario vq_killed_scenarios[] = {
	{ "daemon_killed_during_dispatch", "real", BOTH_DAEMONS, s_daemon_killed_during_dispatch, 10 },
	{ "daemon_killed_before_requests", "real", BOTH_DAEMONS, s_daemon_killed_before_requests, 10 },
	{ "no_daemon", "none", BOTH_DAEMONS, s_no_daemon, 10 },
	{ "daemon_killed_during_request", "real", BOTH_DAEMONS, s_daemon_killed_during_request, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
