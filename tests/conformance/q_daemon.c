/*
 * quorum scenarios against the real corosync (a private one per run,
 * Debian's or the main line's): initialize and the two models, getquorate,
 * tracking and its notifications as quorum is lost and regained, trackstop,
 * the dispatch modes, the fd, contexts, calls from inside callbacks, two
 * handles.
 */
#include "quorum_driver.h"

#include <stdio.h>

static void s_initialize(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	show_quorate(h);
	CALL(quorum_finalize(h));
	CALL(quorum_finalize(h));
}

static void s_initialize_null_callbacks(void)
{
	quorum_handle_t h = open_quorum(NULL);
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	show_quorum_fd(h);
	printf("-- the notification has no callback: ONE consumes it and returns\n");
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	show_quorum_fd(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_model_v0(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V0, &v0_model, &ctx_a, "QUORUM_MODEL_V0, &v0");
	const void *got = NULL;
	CALL(quorum_context_get(h, &got));
	printf("  context of h1 is %s\n", got == &ctx_a ? "&ctx_a" : "something else");
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_finalize(h));
}

static void s_model_v1(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, &ctx_b, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	printf("-- a V1 handle gets the nodelist, then the quorum\n");
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_model_v1_callbacks_partly_null(void)
{
	quorum_model_v1_data_t only_quorum = { QUORUM_MODEL_V1, on_quorum_v1, NULL };
	quorum_model_v1_data_t only_nodelist = { QUORUM_MODEL_V1, NULL, on_nodelist_v1 };
	quorum_handle_t q = open_model(QUORUM_MODEL_V1, &only_quorum, NULL, "QUORUM_MODEL_V1, quorum callback only");
	quorum_handle_t n = open_model(QUORUM_MODEL_V1, &only_nodelist, NULL, "QUORUM_MODEL_V1, nodelist callback only");
	CALL(quorum_trackstart(q, CS_TRACK_CURRENT));
	CALL(quorum_trackstart(n, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(q, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(q, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(n, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(n, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(q, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_dispatch(n, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(q));
	CALL(quorum_finalize(n));
}

static void s_model_bad_value(void)
{
	static const int values[] = { 2, -1, 0x7fffffff };
	quorum_model_v1_data_t model = v1_model;
	unsigned i;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "model %d, &v1", values[i]);
		quorum_handle_t h = open_model((quorum_model_t)values[i], &model, &ctx_a, what);
		if (h)
			CALL(quorum_finalize(h));
	}
}

static void s_model_null_data(void)
{
	quorum_handle_t v0 = open_model(QUORUM_MODEL_V0, NULL, NULL, "QUORUM_MODEL_V0, NULL");
	quorum_handle_t v1 = open_model(QUORUM_MODEL_V1, NULL, &ctx_a, "QUORUM_MODEL_V1, NULL");
	CALL(quorum_trackstart(v0, CS_TRACK_CURRENT));
	CALL(quorum_trackstart(v1, CS_TRACK_CURRENT));
	printf("-- no callbacks: the notifications are consumed unseen\n");
	CALL(quorum_dispatch(v0, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(v1, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(v0, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_dispatch(v1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(v0));
	CALL(quorum_finalize(v1));
}

static void s_getquorate(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	show_quorate(h);
	set_expected_votes(2);
	show_quorate(h);
	set_expected_votes(1);
	show_quorate(h);
	CALL(quorum_finalize(h));
}

/* Loses quorum, then regains it, each time waiting for the tracker's
 * notification and dispatching exactly it. */
static void lose_and_regain(quorum_handle_t tracker)
{
	set_expected_votes(2);
	wait_quorum_fd(tracker);
	CALL(quorum_dispatch(tracker, CS_DISPATCH_ONE));
	set_expected_votes(1);
	wait_quorum_fd(tracker);
	CALL(quorum_dispatch(tracker, CS_DISPATCH_ONE));
}

static void s_track_current(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_track_changes(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	printf("-- CHANGES sends the current state first\n");
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	lose_and_regain(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_track_changes_only(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES_ONLY));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	lose_and_regain(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_track_changes_v1(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, &ctx_a, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	printf("-- a change of quorum alone sends no nodelist\n");
	lose_and_regain(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_track_twice(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, NULL, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES_ONLY));
	printf("-- the refused CURRENT still sent the current state (CHANGES_ONLY sends none)\n");
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_finalize(h));
}

static void s_trackstop(void)
{
	quorum_handle_t h1 = open_quorum(&v0_callbacks);
	quorum_handle_t h2 = open_quorum(&v0_callbacks);
	CALL(quorum_trackstop(h1));
	CALL(quorum_trackstart(h1, CS_TRACK_CHANGES));
	CALL(quorum_trackstop(h1));
	CALL(quorum_trackstop(h1));
	printf("-- notifications queued before trackstop are still delivered\n");
	CALL(quorum_dispatch(h1, CS_DISPATCH_ALL));
	CALL(quorum_trackstart(h2, CS_TRACK_CHANGES_ONLY));
	set_expected_votes(2);
	wait_quorum_fd(h2);
	CALL(quorum_dispatch(h2, CS_DISPATCH_ONE));
	printf("-- h2 has seen the change; a tracking h1 would have it too\n");
	CALL(quorum_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_trackstart(h1, CS_TRACK_CHANGES_ONLY));
	set_expected_votes(1);
	wait_quorum_fd(h1);
	CALL(quorum_dispatch(h1, CS_DISPATCH_ONE));
	CALL(quorum_finalize(h1));
	CALL(quorum_finalize(h2));
}

static void s_dispatch_modes(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, NULL, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	wait_quorum_fd(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(quorum_finalize(h));
}

static void s_dispatch_bad_flags(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	CALL(quorum_dispatch(h, (cs_dispatch_flags_t)0));
	CALL(quorum_dispatch(h, (cs_dispatch_flags_t)5));
	CALL(quorum_dispatch(h, (cs_dispatch_flags_t)100));
	CALL(quorum_dispatch(h, (cs_dispatch_flags_t)-1));
	CALL(quorum_dispatch(0, (cs_dispatch_flags_t)0));
	CALL(quorum_finalize(h));
	CALL(quorum_dispatch(h, (cs_dispatch_flags_t)0));
}

static void s_fd_readiness(void)
{
	quorum_handle_t h = open_model(QUORUM_MODEL_V1, &v1_model, NULL, "QUORUM_MODEL_V1, &v1");
	show_quorum_fd(h);
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	show_quorum_fd(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	show_quorum_fd(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	show_quorum_fd(h);
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_finalize(h));
}

static void s_context(void)
{
	const void *got = &got;
	quorum_handle_t h1 = open_quorum(&v0_callbacks);
	quorum_handle_t h2 = open_model(QUORUM_MODEL_V0, &v0_model, &ctx_b, "QUORUM_MODEL_V0, &v0");
	CALL(quorum_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == NULL ? "NULL" : "set");
	CALL(quorum_context_set(h1, &ctx_a));
	CALL(quorum_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == &ctx_a ? "&ctx_a" : "something else");
	CALL(quorum_context_get(h2, &got));
	printf("  context of h2 is %s\n", got == &ctx_b ? "&ctx_b" : "something else");
	CALL(quorum_context_set(h2, NULL));
	CALL(quorum_context_get(h2, &got));
	printf("  context of h2 is %s\n", got == NULL ? "NULL" : "set");
	CALL(quorum_context_set(h2, &ctx_a));
	CALL(quorum_trackstart(h1, CS_TRACK_CURRENT));
	CALL(quorum_trackstart(h2, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h1, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h2, CS_DISPATCH_ALL));
	CALL(quorum_finalize(h1));
	CALL(quorum_finalize(h2));
}

static void s_two_handles(void)
{
	quorum_handle_t h1 = open_quorum(&v0_callbacks);
	quorum_handle_t h2 = open_model(QUORUM_MODEL_V1, &v1_model, &ctx_b, "QUORUM_MODEL_V1, &v1");
	CALL(quorum_trackstart(h1, CS_TRACK_CHANGES_ONLY));
	CALL(quorum_trackstart(h2, CS_TRACK_CHANGES_ONLY));
	set_expected_votes(2);
	wait_quorum_fd(h1);
	wait_quorum_fd(h2);
	CALL(quorum_dispatch(h2, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(h1, CS_DISPATCH_ONE));
	CALL(quorum_finalize(h1));
	set_expected_votes(1);
	wait_quorum_fd(h2);
	CALL(quorum_dispatch(h2, CS_DISPATCH_ONE));
	show_quorate(h2);
	CALL(quorum_finalize(h2));
}

static void cb_requests(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq, uint32_t n, uint32_t *view)
{
	on_quorum_v0(h, quorate, ring_seq, n, view);
	printf("  (inside the callback) ");
	show_quorate(h);
	printf("  (inside the callback) ");
	CALL(quorum_context_set(h, &ctx_b));
	printf("  (inside the callback) ");
	CALL(quorum_trackstop(h));
}

static void s_callback_requests(void)
{
	quorum_callbacks_t cb = { cb_requests };
	quorum_handle_t h = open_quorum(&cb);
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	printf("  context of h1 is now %s\n", context_of(h));
	CALL(quorum_finalize(h));
}

static void cb_finalize(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq, uint32_t n, uint32_t *view)
{
	on_quorum_v0(h, quorate, ring_seq, n, view);
	printf("  (inside the callback) ");
	CALL(quorum_finalize(h));
}

static void s_callback_finalize(void)
{
	quorum_callbacks_t cb = { cb_finalize };
	quorum_handle_t h = open_quorum(&cb);
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_trackstart(h, CS_TRACK_CURRENT));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_finalize(h));
}

static void s_callback_finalize_blocking(void)
{
	quorum_callbacks_t cb = { cb_finalize };
	quorum_handle_t h = open_quorum(&cb);
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_dispatch(h, CS_DISPATCH_BLOCKING));
}

const struct scenario q_daemon_scenarios[] = {
	{ "initialize", "real", QUORUM_PAIRS, s_initialize, 10 },
	{ "initialize_null_callbacks", "real", QUORUM_PAIRS, s_initialize_null_callbacks, 10 },
	{ "model_v0", "real", QUORUM_PAIRS, s_model_v0, 10 },
	{ "model_v1", "real", QUORUM_PAIRS, s_model_v1, 10 },
	{ "model_v1_callbacks_partly_null", "real", QUORUM_PAIRS, s_model_v1_callbacks_partly_null, 10 },
	{ "model_bad_value", "real", QUORUM_PAIRS, s_model_bad_value, 10 },
	{ "model_null_data", "real", QUORUM_PAIRS, s_model_null_data, 10 },
	{ "getquorate", "real", QUORUM_PAIRS, s_getquorate, 10 },
	{ "track_current", "real", QUORUM_PAIRS, s_track_current, 10 },
	{ "track_changes", "real", QUORUM_PAIRS, s_track_changes, 10 },
	{ "track_changes_only", "real", QUORUM_PAIRS, s_track_changes_only, 10 },
	{ "track_changes_v1", "real", QUORUM_PAIRS, s_track_changes_v1, 10 },
	{ "track_twice", "real", QUORUM_PAIRS, s_track_twice, 10 },
	{ "trackstop", "real", QUORUM_PAIRS, s_trackstop, 10 },
	{ "dispatch_modes", "real", QUORUM_PAIRS, s_dispatch_modes, 10 },
	{ "dispatch_bad_flags", "real", QUORUM_PAIRS, s_dispatch_bad_flags, 10 },
	{ "fd_readiness", "real", QUORUM_PAIRS, s_fd_readiness, 10 },
	{ "context", "real", QUORUM_PAIRS, s_context, 10 },
	{ "two_handles", "real", QUORUM_PAIRS, s_two_handles, 10 },
	{ "callback_requests", "real", QUORUM_PAIRS, s_callback_requests, 10 },
	{ "callback_finalize", "real", QUORUM_PAIRS, s_callback_finalize, 10 },
	{ "callback_finalize_blocking", "real", QUORUM_PAIRS, s_callback_finalize_blocking, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
