/*
 * quorum handles and arguments against the real corosync: every call on a
 * finalized, zero, made-up or forged handle, handles no process can guess,
 * and NULL pointers (each call in a child, so a crash is a result).
 */
#include "quorum_driver.h"

#include <stdio.h>

static void s_calls_after_finalize(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	CALL(quorum_finalize(h));
	every_quorum_call_on(h);
}

static void s_calls_on_handle_zero(void)
{
	every_quorum_call_on(0);
}

static void s_calls_on_made_up_handle(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	every_quorum_call_on(0xdeadbeefULL);
	every_quorum_call_on(h + 1);
	every_quorum_call_on(1ULL << 32);
	show_quorate(h);
	CALL(quorum_finalize(h));
}

static void s_forged_handle(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	quorum_handle_t forged = forged_from(h);
	CALL(quorum_finalize(forged));
	show_quorate(h);
	CALL(quorum_finalize(h));
}

static int init_v0(uint64_t *h)
{
	uint32_t type;
	return quorum_initialize(h, &v0_callbacks, &type);
}

static void s_first_handles_of_two_processes(void)
{
	compare_first_handles(init_v0);
}

static int n_type(uint64_t h)
{
	quorum_handle_t mine = 0;
	int err = quorum_initialize(&mine, &v0_callbacks, NULL);
	(void)h;
	if (err == CS_OK)
		quorum_finalize(mine);
	return err;
}
static int n_model_type(uint64_t h)
{
	quorum_handle_t mine = 0;
	int err = quorum_model_initialize(&mine, QUORUM_MODEL_V1, (quorum_model_data_t *)&v1_model, NULL, NULL);
	(void)h;
	if (err == CS_OK)
		quorum_finalize(mine);
	return err;
}
static int n_init(uint64_t h) { uint32_t t; (void)h; return quorum_initialize(NULL, &v0_callbacks, &t); }
static int n_model_init(uint64_t h) { uint32_t t; (void)h; return quorum_model_initialize(NULL, QUORUM_MODEL_V0, (quorum_model_data_t *)&v0_model, &t, NULL); }
static int n_getquorate(uint64_t h) { return quorum_getquorate(h, NULL); }
static int n_fd_get(uint64_t h) { return quorum_fd_get(h, NULL); }
static int n_context_get(uint64_t h) { return quorum_context_get(h, NULL); }

static void s_initialize_null_type(void)
{
	guarded_call("quorum_initialize(&h, &callbacks, NULL)", n_type, 0);
	guarded_call("quorum_model_initialize(&h, QUORUM_MODEL_V1, &v1, NULL, NULL)", n_model_type, 0);
}

static void s_null_pointers(void)
{
	quorum_handle_t h = open_quorum(&v0_callbacks);
	guarded_call("quorum_initialize(NULL, &callbacks, &type)", n_init, h);
	guarded_call("quorum_model_initialize(NULL, QUORUM_MODEL_V0, &v0, &type, NULL)", n_model_init, h);
	guarded_call("quorum_getquorate(h1, NULL)", n_getquorate, h);
	guarded_call("quorum_fd_get(h1, NULL)", n_fd_get, h);
	guarded_call("quorum_context_get(h1, NULL)", n_context_get, h);
	CALL(quorum_finalize(h));
}

const struct scenario q_handle_scenarios[] = {
	{ "calls_after_finalize", "real", QUORUM_PAIRS, s_calls_after_finalize, 10 },
	{ "calls_on_handle_zero", "real", QUORUM_PAIRS, s_calls_on_handle_zero, 10 },
	{ "calls_on_made_up_handle", "real", QUORUM_PAIRS, s_calls_on_made_up_handle, 10 },
	{ "forged_handle", "real", QUORUM_PAIRS, s_forged_handle, 10 },
	{ "first_handles_of_two_processes", "real", QUORUM_PAIRS, s_first_handles_of_two_processes, 10 },
	{ "initialize_null_type", "real", QUORUM_PAIRS, s_initialize_null_type, 10 },
	{ "null_pointers", "real", QUORUM_PAIRS, s_null_pointers, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
