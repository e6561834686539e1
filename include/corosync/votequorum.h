/*
 * votequorum.h - the client API of corosync's votequorum service.
 *
 * Written for this project. It declares every name, type and prototype of
 * corosync's own votequorum.h the same way: corosync 3.1's, and its main
 * line's ABI 1.1 additions (model initialization and qdevice extra
 * information), so a program written against either compiles unchanged.
 * The manual pages votequorum_overview(3) and the page of each call
 * describe the behaviour.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef COROSYNC_VOTEQUORUM_H_DEFINED
#define COROSYNC_VOTEQUORUM_H_DEFINED

#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque connection handle; 0 is never a valid handle. */
typedef uint64_t votequorum_handle_t;

/* Bits of votequorum_info.flags. */
#define VOTEQUORUM_INFO_TWONODE                  1
#define VOTEQUORUM_INFO_QUORATE                  2
#define VOTEQUORUM_INFO_WAIT_FOR_ALL             4
#define VOTEQUORUM_INFO_LAST_MAN_STANDING        8
#define VOTEQUORUM_INFO_AUTO_TIE_BREAKER         16
#define VOTEQUORUM_INFO_ALLOW_DOWNSCALE          32
#define VOTEQUORUM_INFO_QDEVICE_REGISTERED       64
#define VOTEQUORUM_INFO_QDEVICE_ALIVE            128
#define VOTEQUORUM_INFO_QDEVICE_CAST_VOTE        256
#define VOTEQUORUM_INFO_QDEVICE_MASTER_WINS      512
#define VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO   1024

/* The node id under which a quorum device appears in node lists. */
#define VOTEQUORUM_QDEVICE_NODEID                0
/* Size of a qdevice name field: names are 1 to 254 characters. */
#define VOTEQUORUM_QDEVICE_MAX_NAME_LEN          255
#define VOTEQUORUM_QDEVICE_DEFAULT_TIMEOUT       10000
#define VOTEQUORUM_QDEVICE_DEFAULT_SYNC_TIMEOUT  30000
/* Largest block of extra information a quorum device may attach (ABI 1.1). */
#define VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE 4096

/* Values of votequorum_info.node_state and votequorum_node_t.state. */
#define VOTEQUORUM_NODESTATE_MEMBER              1
#define VOTEQUORUM_NODESTATE_DEAD                2
#define VOTEQUORUM_NODESTATE_LEAVING             3

/* What votequorum_getinfo() reports about one node and the cluster. */
struct votequorum_info {
	unsigned int node_id;
	unsigned int node_state;
	unsigned int node_votes;
	unsigned int node_expected_votes;
	unsigned int highest_expected;
	unsigned int total_votes;
	unsigned int quorum;
	unsigned int flags;
	unsigned int qdevice_votes;
	char qdevice_name[VOTEQUORUM_QDEVICE_MAX_NAME_LEN];
};

typedef struct {
	uint32_t nodeid;
	uint32_t state;
} votequorum_node_t;

typedef struct {
	uint32_t nodeid;
	uint64_t seq;
} votequorum_ring_id_t;

typedef void (*votequorum_quorum_notification_fn_t) (
	votequorum_handle_t handle,
	uint64_t context,
	uint32_t quorate,
	uint32_t node_list_entries,
	votequorum_node_t node_list[]);

typedef void (*votequorum_nodelist_notification_fn_t) (
	votequorum_handle_t handle,
	uint64_t context,
	votequorum_ring_id_t ring_id,
	uint32_t node_list_entries,
	uint32_t node_list[]);

typedef void (*votequorum_expectedvotes_notification_fn_t) (
	votequorum_handle_t handle,
	uint64_t context,
	uint32_t expected_votes);

/* ABI 1.1: a node's qdevice extra information changed; ei_size 0 means
 * the node has none any more. extra_info is valid only during the call. */
typedef void (*votequorum_qdevice_extra_info_fn_t) (
	votequorum_handle_t handle,
	uint64_t context,
	uint32_t nodeid,
	uint32_t ei_size,
	void *extra_info);

/* The name this project's first header gave the type above; an alias, kept
 * so that code written against it still compiles. */
typedef votequorum_qdevice_extra_info_fn_t votequorum_qdevice_extra_info_notification_fn_t;

typedef struct {
	votequorum_quorum_notification_fn_t votequorum_quorum_notify_fn;
	votequorum_expectedvotes_notification_fn_t votequorum_expectedvotes_notify_fn;
	votequorum_nodelist_notification_fn_t votequorum_nodelist_notify_fn;
} votequorum_callbacks_t;

/* ABI 1.1: the callback models votequorum_model_initialize() accepts. */
typedef enum {
	VOTEQUORUM_MODEL_V1 = 1
} votequorum_model_t;

/* ABI 1.1: the callbacks of model V1; model must be VOTEQUORUM_MODEL_V1. */
typedef struct {
	votequorum_model_t model;
	votequorum_quorum_notification_fn_t votequorum_quorum_notify_fn;
	votequorum_expectedvotes_notification_fn_t votequorum_expectedvotes_notify_fn;
	votequorum_nodelist_notification_fn_t votequorum_nodelist_notify_fn;
	votequorum_qdevice_extra_info_fn_t votequorum_qdevice_extra_info_fn;
} votequorum_model_v1_data_t;

cs_error_t votequorum_initialize (
	votequorum_handle_t *handle,
	votequorum_callbacks_t *callbacks);

/* ABI 1.1 */
cs_error_t votequorum_model_initialize (
	votequorum_handle_t *handle,
	const votequorum_model_v1_data_t *model);

cs_error_t votequorum_finalize (
	votequorum_handle_t handle);

cs_error_t votequorum_dispatch (
	votequorum_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

cs_error_t votequorum_fd_get (
	votequorum_handle_t handle,
	int *fd);

cs_error_t votequorum_getinfo (
	votequorum_handle_t handle,
	unsigned int nodeid,
	struct votequorum_info *info);

cs_error_t votequorum_setexpected (
	votequorum_handle_t handle,
	unsigned int expected_votes);

cs_error_t votequorum_setvotes (
	votequorum_handle_t handle,
	unsigned int nodeid,
	unsigned int votes);

cs_error_t votequorum_trackstart (
	votequorum_handle_t handle,
	uint64_t context,
	unsigned int flags);

cs_error_t votequorum_trackstop (
	votequorum_handle_t handle);

cs_error_t votequorum_context_get (
	votequorum_handle_t handle,
	void **context);

cs_error_t votequorum_context_set (
	votequorum_handle_t handle,
	void *context);

cs_error_t votequorum_qdevice_register (
	votequorum_handle_t handle,
	const char *name);

cs_error_t votequorum_qdevice_unregister (
	votequorum_handle_t handle,
	const char *name);

cs_error_t votequorum_qdevice_update (
	votequorum_handle_t handle,
	const char *oldname,
	const char *newname);

cs_error_t votequorum_qdevice_poll (
	votequorum_handle_t handle,
	const char *name,
	unsigned int cast_vote,
	votequorum_ring_id_t ring_id);

cs_error_t votequorum_qdevice_master_wins (
	votequorum_handle_t handle,
	const char *name,
	unsigned int allow);

/* ABI 1.1 */
cs_error_t votequorum_set_qdevice_extra_info (
	votequorum_handle_t handle,
	uint32_t ei_size,
	const void *extra_info);

/* ABI 1.1: extra_info must hold VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE bytes. */
cs_error_t votequorum_get_qdevice_extra_info (
	votequorum_handle_t handle,
	unsigned int nodeid,
	uint32_t *ei_size,
	void *extra_info);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_VOTEQUORUM_H_DEFINED */
