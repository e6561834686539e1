/*
 * cmap handles and arguments against the real corosync: every call on a
 * finalized, zero, made-up or forged handle, handles no process can guess,
 * NULL pointers Debian's library refuses, and (each call in a child, so a
 * crash is a result) those it crashes on.
 */
#include "cmap_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_calls_after_finalize(void)
{
	cmap_handle_t h = open_cmap();
	CALL(cmap_finalize(h));
	every_cmap_call_on(h);
}

static void s_calls_on_handle_zero(void)
{
	every_cmap_call_on(0);
}

static void s_calls_on_made_up_handle(void)
{
	cmap_handle_t h = open_cmap();
	every_cmap_call_on(0xdeadbeefULL);
	every_cmap_call_on(h + 1);
	every_cmap_call_on(1ULL << 32);
	show_get(h, "totem.cluster_name", 64);
	CALL(cmap_finalize(h));
}

static void s_forged_handle(void)
{
	cmap_handle_t h = open_cmap();
	cmap_handle_t forged = forged_from(h);
	CALL(cmap_finalize(forged));
	show_get(h, "totem.cluster_name", 64);
	CALL(cmap_finalize(h));
}

static int init_cmap(uint64_t *h)
{
	return cmap_initialize(h);
}

static void s_first_handles_of_two_processes(void)
{
	compare_first_handles(init_cmap);
}

/* Argument errors Debian's library reports (it checks them before the
 * handle, where it checks them at all). */
static void s_argument_errors(void)
{
	cmap_handle_t h = open_cmap();
	char buf[16], *s = NULL;
	size_t len = sizeof buf;
	cmap_value_types_t type;
	cmap_iter_handle_t it;
	cmap_track_handle_t t = 0;
	uint32_t u32 = 1;
	CALL(cmap_set(h, NULL, &u32, sizeof u32, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(h, "test.a", NULL, sizeof u32, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(h, "test.a", NULL, 0, CMAP_VALUETYPE_BINARY));
	CALL(cmap_set_uint32(h, NULL, 1));
	CALL(cmap_set_string(h, "test.s", NULL));
	CALL(cmap_set_string(h, NULL, "x"));
	CALL(cmap_delete(h, NULL));
	CALL(cmap_get(h, NULL, buf, &len, &type));
	CALL(cmap_get(h, "totem.cluster_name", buf, NULL, &type));
	CALL(cmap_get_uint32(h, NULL, &u32));
	CALL(cmap_get_string(h, NULL, &s));
	CALL(cmap_inc(h, NULL));
	CALL(cmap_dec(h, NULL));
	CALL(cmap_iter_init(h, "totem.", NULL));
	CALL(cmap_iter_init(h, NULL, &it));
	CALL(cmap_iter_next(h, it, NULL, &len, &type));
	CALL(cmap_iter_finalize(h, it));
	CALL(cmap_track_add(h, "test.a", CMAP_TRACK_ADD, NULL, NULL, &t));
	CALL(cmap_track_add(h, "test.a", CMAP_TRACK_ADD, on_notify, NULL, NULL));
	printf("-- with a bad handle too: the arguments are checked first\n");
	CALL(cmap_set(0, NULL, &u32, sizeof u32, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(0, "test.a", NULL, sizeof u32, CMAP_VALUETYPE_UINT32));
	CALL(cmap_delete(0, NULL));
	CALL(cmap_get(0, NULL, buf, &len, &type));
	CALL(cmap_get(0, "totem.cluster_name", buf, NULL, &type));
	CALL(cmap_iter_init(0, "totem.", NULL));
	CALL(cmap_iter_next(0, 0, NULL, &len, &type));
	CALL(cmap_track_add(0, "test.a", CMAP_TRACK_ADD, NULL, NULL, &t));
	CALL(cmap_dispatch(0, CS_DISPATCH_ALL));
	CALL(cmap_finalize(h));
}

static void s_too_long_keys(void)
{
	cmap_handle_t h = open_cmap();
	char key[300], buf[16], *s = NULL;
	size_t len = sizeof buf;
	cmap_value_types_t type;
	cmap_iter_handle_t it = 0;
	cmap_track_handle_t t = 0;
	uint32_t u32;
	for (len = 0; len < sizeof key - 1; len++)
		key[len] = 'k';
	key[sizeof key - 1] = 0;
	len = sizeof buf;
	CALL(cmap_set_uint32(h, key, 1));
	CALL(cmap_delete(h, key));
	CALL(cmap_get(h, key, buf, &len, &type));
	CALL(cmap_get_uint32(h, key, &u32));
	CALL(cmap_get_string(h, key, &s));
	CALL(cmap_inc(h, key));
	CALL(cmap_iter_init(h, key, &it));
	CALL(cmap_track_add(h, key, CMAP_TRACK_ADD, on_notify, NULL, &t));
	printf("-- with a bad handle: the key is checked first, but for iter_init and track_add\n");
	CALL(cmap_set_uint32(0, key, 1));
	CALL(cmap_delete(0, key));
	CALL(cmap_get(0, key, buf, &len, &type));
	CALL(cmap_inc(0, key));
	CALL(cmap_iter_init(0, key, &it));
	CALL(cmap_track_add(0, key, CMAP_TRACK_ADD, on_notify, NULL, &t));
	show_get(h, "totem.cluster_name", 64);
	CALL(cmap_finalize(h));
}

static int n_init(uint64_t h) { (void)h; return cmap_initialize(NULL); }
static int n_init_map(uint64_t h) { (void)h; return cmap_initialize_map(NULL, CMAP_MAP_STATS); }
static int n_fd_get(uint64_t h) { return cmap_fd_get(h, NULL); }
static int n_context_get(uint64_t h) { return cmap_context_get(h, NULL); }
static int n_get_uint32(uint64_t h) { return cmap_get_uint32(h, "totem.token", NULL); }
static int n_get_string(uint64_t h) { return cmap_get_string(h, "totem.cluster_name", NULL); }

static void s_null_pointers(void)
{
	cmap_handle_t h = open_cmap();
	CALL(cmap_set_uint32(h, "totem.token", 3000));
	guarded_call("cmap_initialize(NULL)", n_init, h);
	guarded_call("cmap_initialize_map(NULL, CMAP_MAP_STATS)", n_init_map, h);
	guarded_call("cmap_fd_get(h1, NULL)", n_fd_get, h);
	guarded_call("cmap_context_get(h1, NULL)", n_context_get, h);
	guarded_call("cmap_get_uint32(h1, \"totem.token\", NULL)", n_get_uint32, h);
	guarded_call("cmap_get_string(h1, \"totem.cluster_name\", NULL)", n_get_string, h);
	CALL(cmap_finalize(h));
}

static void s_set_bad_type(void)
{
	cmap_handle_t h = open_cmap();
	uint32_t u32 = 1;
	CALL(cmap_set(h, "test.t0", &u32, sizeof u32, (cmap_value_types_t)0));
	CALL(cmap_set(h, "test.t13", &u32, sizeof u32, (cmap_value_types_t)13));
	CALL(cmap_set(h, "test.t257", &u32, sizeof u32, (cmap_value_types_t)257));
	show_iter(h, "test.");
	CALL(cmap_finalize(h));
}

/* A type out of range on a bad handle: which of the two is reported. */
static void s_set_bad_type_bad_handle(void)
{
	cmap_handle_t h = open_cmap();
	uint32_t u32 = 1;
	CALL(cmap_finalize(h));
	CALL(cmap_set(h, "test.t13", &u32, sizeof u32, (cmap_value_types_t)13));
	CALL(cmap_set(0, "test.t13", &u32, sizeof u32, (cmap_value_types_t)13));
	CALL(cmap_set(0, "test.t0", &u32, sizeof u32, (cmap_value_types_t)0));
}

const struct scenario c_handle_scenarios[] = {
	{ "calls_after_finalize", "real", CMAP_PAIRS, s_calls_after_finalize, 10 },
	{ "calls_on_handle_zero", "real", CMAP_PAIRS, s_calls_on_handle_zero, 10 },
	{ "calls_on_made_up_handle", "real", CMAP_PAIRS, s_calls_on_made_up_handle, 10 },
	{ "forged_handle", "real", CMAP_PAIRS, s_forged_handle, 10 },
	{ "first_handles_of_two_processes", "real", CMAP_PAIRS, s_first_handles_of_two_processes, 10 },
	{ "argument_errors", "real", CMAP_PAIRS, s_argument_errors, 10 },
	{ "too_long_keys", "real", CMAP_PAIRS, s_too_long_keys, 10 },
	{ "null_pointers", "real", CMAP_PAIRS, s_null_pointers, 10 },
	{ "set_bad_type", "real", CMAP_PAIRS, s_set_bad_type, 10 },
	{ "set_bad_type_bad_handle", "real", CMAP_PAIRS, s_set_bad_type_bad_handle, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
