/*
 * quorum.h - the client API of corosync's quorum service.
 *
 * Written for this project. It declares every name, type and prototype of
 * corosync's own quorum.h the same way (corosync 3.1's and its main line's
 * are the same), so a program written against either compiles unchanged.
 * The manual pages quorum_overview(3) and the page of each call describe
 * the behaviour.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef COROSYNC_QUORUM_H_DEFINED
#define COROSYNC_QUORUM_H_DEFINED

#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which callbacks a handle delivers: V0, one quorum callback with the ring
 * sequence; V1, a quorum callback with the whole ring id and a node list
 * callback with the members that joined and left. */
typedef enum {
	QUORUM_MODEL_V0 = 0,
	QUORUM_MODEL_V1 = 1,
} quorum_model_t;

/* An opaque connection handle; 0 is never a valid handle. */
typedef uint64_t quorum_handle_t;

/* A membership's ring: the node that formed it and its sequence number. */
struct quorum_ring_id {
	uint32_t nodeid;
	uint64_t seq;
};

/* V0: the cluster's quorate state and its members, after trackstart. */
typedef void (*quorum_notification_fn_t) (
	quorum_handle_t handle,
	uint32_t quorate,
	uint64_t ring_seq,
	uint32_t view_list_entries,
	uint32_t *view_list);

/* V1: as V0, with the whole ring id. */
typedef void (*quorum_v1_quorum_notification_fn_t) (
	quorum_handle_t handle,
	uint32_t quorate,
	struct quorum_ring_id ring_id,
	uint32_t member_list_entries, const uint32_t *member_list);

/* V1: each membership change, with the nodes that joined and left. */
typedef void (*quorum_v1_nodelist_notification_fn_t) (
	quorum_handle_t handle,
	struct quorum_ring_id ring_id,
	uint32_t member_list_entries, const uint32_t *member_list,
	uint32_t joined_list_entries, const uint32_t *joined_list,
	uint32_t left_list_entries, const uint32_t *left_list);

/* The callbacks of quorum_initialize(); the pointer may be NULL. */
typedef struct {
	quorum_notification_fn_t quorum_notify_fn;
} quorum_callbacks_t;

/* quorum_model_initialize() takes a pointer to one of the two structs
 * below, seen through this common first member. */
typedef struct {
	quorum_model_t model;
} quorum_model_data_t;

typedef struct {
	quorum_model_t model;
	quorum_notification_fn_t quorum_notify_fn;
} quorum_model_v0_data_t;

typedef struct {
	quorum_model_t model;
	quorum_v1_quorum_notification_fn_t quorum_notify_fn;
	quorum_v1_nodelist_notification_fn_t nodelist_notify_fn;
} quorum_model_v1_data_t;

/* *quorum_type after initialization: whether a quorum provider (such as
 * votequorum) is configured. */
#define QUORUM_FREE	0
#define QUORUM_SET	1

cs_error_t quorum_initialize (
	quorum_handle_t *handle,
	quorum_callbacks_t *callbacks,
	uint32_t *quorum_type);

cs_error_t quorum_model_initialize (
	quorum_handle_t *handle,
	quorum_model_t model,
	quorum_model_data_t *model_data,
	uint32_t *quorum_type,
	void *context);

cs_error_t quorum_finalize (
	quorum_handle_t handle);

cs_error_t quorum_fd_get (
	quorum_handle_t handle,
	int *fd);

cs_error_t quorum_dispatch (
	quorum_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

cs_error_t quorum_getquorate (
	quorum_handle_t handle,
	int *quorate);

/* flags: CS_TRACK_CURRENT, CS_TRACK_CHANGES, CS_TRACK_CHANGES_ONLY. */
cs_error_t quorum_trackstart (
	quorum_handle_t handle,
	unsigned int flags);

cs_error_t quorum_trackstop (
	quorum_handle_t handle);

cs_error_t quorum_context_set (
	quorum_handle_t handle,
	const void *context);

cs_error_t quorum_context_get (
	quorum_handle_t handle,
	const void **context);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_QUORUM_H_DEFINED */
