/*
 * cmap.h - the client API of corosync's configuration and statistics map.
 *
 * Written for this project. It declares every name, type, value and
 * prototype of corosync's own cmap.h the same way (corosync 3.1's and its
 * main line's are the same), so a program written against either compiles
 * unchanged. The one difference: corosync's header also pulls in
 * <corosync/hdb.h> (libqb's handle database), which no cmap call needs; a
 * program that uses hdb itself includes it itself.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef COROSYNC_CMAP_H_DEFINED
#define COROSYNC_CMAP_H_DEFINED

#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque connection handle; 0 is never a valid handle. */
typedef uint64_t cmap_handle_t;
/* An iteration over the keys of a prefix (cmap_iter_init). */
typedef uint64_t cmap_iter_handle_t;
/* A track of a key or a prefix (cmap_track_add). */
typedef uint64_t cmap_track_handle_t;

/* The longest key name, without its terminating NUL: cmap_iter_next's
 * key_name needs CMAP_KEYNAME_MAXLEN + 1 bytes. */
#define CMAP_KEYNAME_MAXLEN            255
/* The shortest key name the daemon accepts. */
#define CMAP_KEYNAME_MINLEN            3

/* What a track reports (cmap_track_add's track_type is an OR of the
 * first three), and CMAP_TRACK_PREFIX to track every key under a prefix
 * instead of one key. */
#define CMAP_TRACK_ADD		4
#define CMAP_TRACK_DELETE	1
#define CMAP_TRACK_MODIFY	2
#define CMAP_TRACK_PREFIX	8

/* The type of a value. */
typedef enum {
    CMAP_VALUETYPE_INT8 	=  1,
    CMAP_VALUETYPE_UINT8	=  2,
    CMAP_VALUETYPE_INT16	=  3,
    CMAP_VALUETYPE_UINT16	=  4,
    CMAP_VALUETYPE_INT32	=  5,
    CMAP_VALUETYPE_UINT32	=  6,
    CMAP_VALUETYPE_INT64	=  7,
    CMAP_VALUETYPE_UINT64	=  8,
    CMAP_VALUETYPE_FLOAT	=  9,
    CMAP_VALUETYPE_DOUBLE	= 10,
    CMAP_VALUETYPE_STRING	= 11,
    CMAP_VALUETYPE_BINARY	= 12,
} cmap_value_types_t;

/* The maps a handle may read (cmap_initialize_map): the configuration
 * map (two names for it) or the statistics map. */
typedef enum {
	CMAP_MAP_DEFAULT        = 0,
	CMAP_MAP_ICMAP          = 0,
	CMAP_MAP_STATS          = 1,
} cmap_map_t;

/* A value as a track's callback sees it: `data` is valid only during the
 * callback. */
struct cmap_notify_value {
	cmap_value_types_t type;
	size_t len;
	const void *data;
};

/* A track's callback, run from cmap_dispatch with the user_data given to
 * cmap_track_add. `event` is CMAP_TRACK_ADD, _DELETE or _MODIFY. */
typedef void (*cmap_notify_fn_t) (
	cmap_handle_t cmap_handle,
	cmap_track_handle_t cmap_track_handle,
	int32_t event,
	const char *key_name,
	struct cmap_notify_value new_value,
	struct cmap_notify_value old_value,
	void *user_data);

/* Connecting, and what every corosync client library has. */
extern cs_error_t cmap_initialize (
	cmap_handle_t *handle);

extern cs_error_t cmap_initialize_map (
	cmap_handle_t *handle,
	cmap_map_t map);

extern cs_error_t cmap_finalize (
	cmap_handle_t handle);

extern cs_error_t cmap_fd_get (
	cmap_handle_t handle,
	int *fd);

extern cs_error_t cmap_dispatch (
	cmap_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

extern cs_error_t cmap_context_get (
	cmap_handle_t handle,
	const void **context);

extern cs_error_t cmap_context_set (
	cmap_handle_t handle,
	const void *context);

/* Setting a value of any type, and one setter per type. */
extern cs_error_t cmap_set(
	cmap_handle_t handle,
	const char *key_name,
	const void *value,
	size_t value_len,
	cmap_value_types_t type);

extern cs_error_t cmap_set_int8(cmap_handle_t handle, const char *key_name, int8_t value);
extern cs_error_t cmap_set_uint8(cmap_handle_t handle, const char *key_name, uint8_t value);
extern cs_error_t cmap_set_int16(cmap_handle_t handle, const char *key_name, int16_t value);
extern cs_error_t cmap_set_uint16(cmap_handle_t handle, const char *key_name, uint16_t value);
extern cs_error_t cmap_set_int32(cmap_handle_t handle, const char *key_name, int32_t value);
extern cs_error_t cmap_set_uint32(cmap_handle_t handle, const char *key_name, uint32_t value);
extern cs_error_t cmap_set_int64(cmap_handle_t handle, const char *key_name, int64_t value);
extern cs_error_t cmap_set_uint64(cmap_handle_t handle, const char *key_name, uint64_t value);
extern cs_error_t cmap_set_float(cmap_handle_t handle, const char *key_name, float value);
extern cs_error_t cmap_set_double(cmap_handle_t handle, const char *key_name, double value);
extern cs_error_t cmap_set_string(cmap_handle_t handle, const char *key_name, const char *value);

extern cs_error_t cmap_delete(cmap_handle_t handle, const char *key_name);

/* Reading a value: with value NULL only its length and type; else at most
 * *value_len bytes into value. One getter per type; cmap_get_string
 * allocates the string, which the caller frees. */
extern cs_error_t cmap_get(
	cmap_handle_t handle,
	const char *key_name,
	void *value,
	size_t *value_len,
	cmap_value_types_t *type);

extern cs_error_t cmap_get_int8(cmap_handle_t handle, const char *key_name, int8_t *i8);
extern cs_error_t cmap_get_uint8(cmap_handle_t handle, const char *key_name, uint8_t *u8);
extern cs_error_t cmap_get_int16(cmap_handle_t handle, const char *key_name, int16_t *i16);
extern cs_error_t cmap_get_uint16(cmap_handle_t handle, const char *key_name, uint16_t *u16);
extern cs_error_t cmap_get_int32(cmap_handle_t handle, const char *key_name, int32_t *i32);
extern cs_error_t cmap_get_uint32(cmap_handle_t handle, const char *key_name, uint32_t *u32);
extern cs_error_t cmap_get_int64(cmap_handle_t handle, const char *key_name, int64_t *i64);
extern cs_error_t cmap_get_uint64(cmap_handle_t handle, const char *key_name, uint64_t *u64);
extern cs_error_t cmap_get_float(cmap_handle_t handle, const char *key_name, float *flt);
extern cs_error_t cmap_get_double(cmap_handle_t handle, const char *key_name, double *dbl);
extern cs_error_t cmap_get_string(cmap_handle_t handle, const char *key_name, char **str);

/* Adding 1 to, or taking 1 from, an integer value. */
extern cs_error_t cmap_inc(cmap_handle_t handle, const char *key_name);
extern cs_error_t cmap_dec(cmap_handle_t handle, const char *key_name);

/* Iterating over the keys under a prefix (NULL: every key): next gives
 * CS_ERR_NO_SECTIONS after the last one. */
extern cs_error_t cmap_iter_init(cmap_handle_t handle, const char *prefix, cmap_iter_handle_t *cmap_iter_handle);

extern cs_error_t cmap_iter_next(
		cmap_handle_t handle,
		cmap_iter_handle_t iter_handle,
		char key_name[],
		size_t *value_len,
		cmap_value_types_t *type);

extern cs_error_t cmap_iter_finalize(cmap_handle_t handle, cmap_iter_handle_t iter_handle);

/* Tracking changes of a key, or of every key under a prefix. */
extern cs_error_t cmap_track_add(
	cmap_handle_t handle,
	const char *key_name,
        int32_t track_type,
	cmap_notify_fn_t notify_fn,
        void *user_data,
        cmap_track_handle_t *cmap_track_handle);

extern cs_error_t cmap_track_delete(cmap_handle_t handle, cmap_track_handle_t track_handle);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_CMAP_H_DEFINED */
