/*
 * votequorum's qdevice calls against the real corosync: registration,
 * polls with current and stale ring ids, renames, name lengths, and what
 * getinfo shows of each.
 */
#include "votequorum_driver.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

const struct scenario vq_qdevice_scenarios[] = {
	{ "qdevice_unregistered", "real", BOTH_DAEMONS, s_qdevice_unregistered, 10 },
	{ "qdevice_register", "real", BOTH_DAEMONS, s_qdevice_register, 10 },
	{ "qdevice_poll", "real", BOTH_DAEMONS, s_qdevice_poll, 10 },
	{ "qdevice_update", "real", BOTH_DAEMONS, s_qdevice_update, 10 },
	{ "qdevice_names", "real", BOTH_DAEMONS, s_qdevice_names, 10 },
	{ "qdevice_belongs_to_daemon", "real", BOTH_DAEMONS, s_qdevice_belongs_to_daemon, 10 },
	{ "qdevice_getinfo_flags", "real", BOTH_DAEMONS, s_qdevice_getinfo_flags, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
