/*
 * votequorum handles and arguments against the real corosync: every call on
 * a finalized, zero, made-up or forged handle, handles no process can
 * guess, and NULL pointers (each call in a child, so a crash is a result).
 */
#include "votequorum_driver.h"

#include <stdio.h>

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
	votequorum_handle_t forged = forged_from(h);
	CALL(votequorum_finalize(forged));
	getinfo_show(h, 0);
	CALL(votequorum_finalize(h));
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

static int init_with_callbacks(uint64_t *h)
{
	return votequorum_initialize(h, &all_callbacks);
}

static void s_first_handles_of_two_processes(void)
{
	compare_first_handles(init_with_callbacks);
}

const struct scenario vq_handle_scenarios[] = {
	{ "calls_after_finalize", "real", BOTH_DAEMONS, s_calls_after_finalize, 10 },
	{ "calls_on_handle_zero", "real", BOTH_DAEMONS, s_calls_on_handle_zero, 10 },
	{ "calls_on_made_up_handle", "real", BOTH_DAEMONS, s_calls_on_made_up_handle, 10 },
	{ "forged_handle", "real", BOTH_DAEMONS, s_forged_handle, 10 },
	{ "null_pointers", "real", BOTH_DAEMONS, s_null_pointers, 10 },
	{ "made_up_first_handle", "real", BOTH_DAEMONS, s_made_up_first_handle, 10 },
	{ "first_handles_of_two_processes", "real", BOTH_DAEMONS, s_first_handles_of_two_processes, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
