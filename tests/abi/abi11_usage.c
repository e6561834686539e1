/*
 * Uses every ABI 1.1 declaration exactly as corosync's main-line header
 * spells it: the typedef names, the const model, function pointers typed
 * from the prototypes, designated initializers. Compiled as C99 and as
 * C++20 with -Werror against our header (and, as a control, against the
 * main line's own), so a name, a const or a type that differs fails the
 * build. At run time it checks only what needs no daemon.
 */
#include <corosync/votequorum.h>

#include <stdio.h>
#include <string.h>

static unsigned calls;

static void on_quorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate,
	uint32_t node_list_entries, votequorum_node_t node_list[])
{
	(void)handle; (void)context; (void)quorate; (void)node_list_entries; (void)node_list;
	calls++;
}

static void on_expected(votequorum_handle_t handle, uint64_t context, uint32_t expected_votes)
{
	(void)handle; (void)context; (void)expected_votes;
	calls++;
}

static void on_nodelist(votequorum_handle_t handle, uint64_t context, votequorum_ring_id_t ring_id,
	uint32_t node_list_entries, uint32_t node_list[])
{
	(void)handle; (void)context; (void)ring_id; (void)node_list_entries; (void)node_list;
	calls++;
}

static void on_extra_info(votequorum_handle_t handle, uint64_t context, uint32_t nodeid,
	uint32_t ei_size, void *extra_info)
{
	(void)handle; (void)context; (void)nodeid; (void)ei_size; (void)extra_info;
	calls++;
}

/* The callback type by its main-line name, and the model V1 structure with
 * designated initializers in declaration order (as C++20 requires). */
static const votequorum_qdevice_extra_info_fn_t extra_info_fn = on_extra_info;
static const votequorum_model_v1_data_t model = {
	.model = VOTEQUORUM_MODEL_V1,
	.votequorum_quorum_notify_fn = on_quorum,
	.votequorum_expectedvotes_notify_fn = on_expected,
	.votequorum_nodelist_notify_fn = on_nodelist,
	.votequorum_qdevice_extra_info_fn = extra_info_fn,
};

/* Function pointers typed from the main line's prototypes: any other
 * parameter type (a model without const, say) is an incompatible pointer. */
static cs_error_t (*const model_initialize)(votequorum_handle_t *, const votequorum_model_v1_data_t *) =
	votequorum_model_initialize;
static cs_error_t (*const set_extra_info)(votequorum_handle_t, uint32_t, const void *) =
	votequorum_set_qdevice_extra_info;
static cs_error_t (*const get_extra_info)(votequorum_handle_t, unsigned int, uint32_t *, void *) =
	votequorum_get_qdevice_extra_info;

int main(void)
{
	votequorum_handle_t handle = 0;
	const votequorum_model_v1_data_t *const_model = &model;
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = sizeof(buf);
	const unsigned int flag = VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO;
	const votequorum_model_t v1 = VOTEQUORUM_MODEL_V1;
	int failures = 0;

	/* A const model passes straight to the call. */
	cs_error_t err = votequorum_model_initialize(&handle, const_model);
	if (err == CS_OK) /* a corosync happens to run: use it, then let go */
		(void)votequorum_finalize(handle);
	err = model_initialize(NULL, const_model);
	if (err != CS_ERR_INVALID_PARAM) {
		printf("FAIL: model_initialize(NULL, model) = %d\n", (int)err);
		failures++;
	}
	if (set_extra_info(0, 0, NULL) != CS_ERR_BAD_HANDLE || get_extra_info(0, 1, &size, buf) != CS_ERR_BAD_HANDLE) {
		printf("FAIL: the extra-info calls accept handle 0\n");
		failures++;
	}
	if (flag != 1024 || v1 != 1 || sizeof(buf) != 4096 || sizeof(model) != 5 * sizeof(void *)) {  /* the enum padded to a pointer: 40 on 64-bit, 20 on i386 */
		printf("FAIL: a 1.1 value or size is off\n");
		failures++;
	}
	if (failures == 0)
		printf("abi 1.1 usage: every main-line declaration compiles and links as spelled\n");
	return failures != 0;
}
