/*
 * Calls made the way a C program may make them: with ints outside the
 * enumerators of cs_dispatch_flags_t, votequorum_model_t, quorum_model_t,
 * cmap_value_types_t and cmap_map_t. Defined in C; the same from C++ test
 * code would itself be undefined behaviour.
 */
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>

#include <string.h>

int vqtest_dispatch_raw(votequorum_handle_t handle, int flags)
{
	return (int)votequorum_dispatch(handle, (cs_dispatch_flags_t)flags);
}

int vqtest_model_initialize_raw(votequorum_handle_t *handle, int model)
{
	votequorum_model_v1_data_t data;

	memset(&data, 0, sizeof(data));
	data.model = (votequorum_model_t)model;
	return (int)votequorum_model_initialize(handle, &data);
}

int vqtest_quorum_dispatch_raw(quorum_handle_t handle, int flags)
{
	return (int)quorum_dispatch(handle, (cs_dispatch_flags_t)flags);
}

/* The model argument is `model`; model_data's own first member says V1. */
int vqtest_quorum_model_initialize_raw(quorum_handle_t *handle, int model)
{
	quorum_model_v1_data_t data;
	uint32_t type;

	memset(&data, 0, sizeof(data));
	data.model = QUORUM_MODEL_V1;
	return (int)quorum_model_initialize(handle, (quorum_model_t)model, (quorum_model_data_t *)&data, &type, NULL);
}

int vqtest_cmap_dispatch_raw(cmap_handle_t handle, int flags)
{
	return (int)cmap_dispatch(handle, (cs_dispatch_flags_t)flags);
}

int vqtest_cmap_set_raw(cmap_handle_t handle, const char *key, const void *value, size_t len, int type)
{
	return (int)cmap_set(handle, key, value, len, (cmap_value_types_t)type);
}

int vqtest_cmap_initialize_map_raw(cmap_handle_t *handle, int map)
{
	return (int)cmap_initialize_map(handle, (cmap_map_t)map);
}
