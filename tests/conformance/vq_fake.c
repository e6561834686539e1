/*
 * votequorum against the scripted fake server (fake_votequorum.cpp, one
 * script per scenario): every error status, error replies with fields,
 * undefined error values, bursts, empty and long lists, silence,
 * disconnects, malformed and unknown messages, an impostor run as nobody,
 * and a daemon still starting.
 */
#include "votequorum_driver.h"

#include <stdio.h>
#include <string.h>

static void s_initialize_while_starting(void)
{
	printf("-- the server refuses its first two connections, as a daemon still starting does\n");
	open_handle(&all_callbacks);
	open_handle(&all_callbacks);
	getinfo_show(open_handle(&all_callbacks), 0);
}

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
	CALL(votequorum_trackstart(h, 1, CS_TRACK_CHANGES));
	votequorum_fd_get(h, &fd);
	while (expected_seen < 5000 && fd_poll(fd, 3000) && err == CS_OK) {
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

const struct scenario vq_fake_scenarios[] = {
	{ "fake_initialize_while_starting", "fake:starting", BOTH_DAEMONS, s_initialize_while_starting, 10 },
	{ "fake_getinfo_fields", "fake:fields", BOTH_DAEMONS, s_fake_getinfo_fields, 10 },
	{ "fake_every_status_error", "fake:busy", BOTH_DAEMONS, s_fake_every_status_error, 10 },
	{ "fake_getinfo_error_reply_contents", "fake:error_fields", BOTH_DAEMONS, s_fake_getinfo_error_reply_contents, 10 },
	{ "fake_error_passthrough", "fake:errors", BOTH_DAEMONS, s_fake_error_passthrough, 10 },
	{ "fake_error_undefined", "fake:errors", BOTH_DAEMONS, s_fake_error_undefined, 10 },
	{ "fake_burst", "fake:burst", BOTH_DAEMONS, s_fake_burst, 20 },
	{ "fake_zero_and_many_entries", "fake:entries", BOTH_DAEMONS, s_fake_zero_and_many_entries, 10 },
	{ "fake_never_answers", "fake:silent", BOTH_DAEMONS, s_fake_never_answers, 2 },
	{ "fake_disconnect_mid_request", "fake:disconnect", BOTH_DAEMONS, s_fake_disconnect_mid_request, 10 },
	{ "fake_unknown_notification", "fake:unknown", BOTH_DAEMONS, s_fake_track_then_dispatch, 10 },
	{ "fake_malformed_notification", "fake:malformed", BOTH_DAEMONS, s_fake_track_then_dispatch, 10 },
	{ "fake_unterminated_name", "fake:unterminated", BOTH_DAEMONS, s_fake_getinfo_once, 10 },
	{ "fake_short_reply", "fake:short", BOTH_DAEMONS, s_fake_getinfo_once, 10 },
	{ "fake_status_error_to_getinfo", "fake:status_error", BOTH_DAEMONS, s_fake_getinfo_once, 10 },
	{ "fake_impostor", "fake:fields:nobody", BOTH_DAEMONS, s_fake_impostor, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
