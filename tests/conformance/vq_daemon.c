/*
 * votequorum scenarios against the real corosync (a private one per run,
 * Debian's or the main line's): initialize and finalize, dispatch, tracking
 * and its notifications, getinfo, setexpected and setvotes, contexts, calls
 * from inside callbacks, several handles.
 */
#include "votequorum_driver.h"

#include <stdio.h>
#include <string.h>

static void s_init_finalize(void)
{
	votequorum_handle_t h = open_handle(&all_callbacks);
	CALL(votequorum_finalize(h));
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

const struct scenario vq_daemon_scenarios[] = {
	{ "init_finalize", "real", BOTH_DAEMONS, s_init_finalize, 10 },
	{ "dispatch_empty", "real", BOTH_DAEMONS, s_dispatch_empty, 10 },
	{ "dispatch_bad_flags", "real", BOTH_DAEMONS, s_dispatch_bad_flags, 10 },
	{ "fd_readiness", "real", BOTH_DAEMONS, s_fd_readiness, 10 },
	{ "track_current", "real", BOTH_DAEMONS, s_track_current, 10 },
	{ "track_twice", "real", BOTH_DAEMONS, s_track_twice, 10 },
	{ "track_changes", "real", BOTH_DAEMONS, s_track_changes, 10 },
	{ "track_changes_only", "real", BOTH_DAEMONS, s_track_changes_only, 3 },  /* ends hung: nothing more comes */
	{ "track_current_alone_does_not_track", "real", BOTH_DAEMONS, s_track_current_alone_does_not_track, 10 },
	{ "trackstop", "real", BOTH_DAEMONS, s_trackstop, 10 },
	{ "getinfo", "real", BOTH_DAEMONS, s_getinfo, 10 },
	{ "getinfo_error_contents", "real", BOTH_DAEMONS, s_getinfo_error_contents, 10 },
	{ "setexpected", "real", BOTH_DAEMONS, s_setexpected, 10 },
	{ "setexpected_wraps", "real", BOTH_DAEMONS, s_setexpected_wraps, 10 },
	{ "setvotes", "real", BOTH_DAEMONS, s_setvotes, 10 },
	{ "context", "real", BOTH_DAEMONS, s_context, 10 },
	{ "two_handles", "real", BOTH_DAEMONS, s_two_handles, 10 },
	{ "callback_requests", "real", BOTH_DAEMONS, s_callback_requests, 10 },
	{ "callback_finalize", "real", BOTH_DAEMONS, s_callback_finalize, 10 },
	{ "callback_finalize_blocking", "real", BOTH_DAEMONS, s_callback_finalize_blocking, 10 },
	{ "null_callbacks", "real", BOTH_DAEMONS, s_null_callbacks, 10 },
	{ "null_callback_counts", "real", BOTH_DAEMONS, s_null_callback_counts, 10 },
	{ "dispatch_one_counts_messages", "real", BOTH_DAEMONS, s_dispatch_one_counts_messages, 10 },
	{ "getinfo_from_two_handles", "real", BOTH_DAEMONS, s_getinfo_from_two_handles, 10 },
	{ "contexts_per_handle", "real", BOTH_DAEMONS, s_contexts_per_handle, 10 },
	{ "trackstart_after_trackstop", "real", BOTH_DAEMONS, s_trackstart_after_trackstop, 10 },
	{ "many_handles", "real", BOTH_DAEMONS, s_many_handles, 10 },
	{ "initialize_again", "real", BOTH_DAEMONS, s_initialize_again, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
