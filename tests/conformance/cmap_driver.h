/*
 * The cmap driver's own helpers (cmap_driver.c), used by its scenario
 * files: c_daemon.c (the real daemon: values of every type, get, set,
 * inc/dec, delete, iterators, the stats map, contexts, the fd, tracks and
 * dispatch), c_handles.c (bad handles and NULL pointers) and c_gone.c (the
 * daemon killed or absent, other threads).
 *
 * Nothing printed changes from run to run: values are printed only for
 * keys the scenario set itself or the configuration fixes (tests/support/
 * corosync.conf); for the stats map and runtime.* keys only names, types
 * and lengths of stable keys.
 */
#ifndef CONFORMANCE_CMAP_DRIVER_H
#define CONFORMANCE_CMAP_DRIVER_H

#include <corosync/cmap.h>

#include "driver.h"

/* The pairs of run.sh that run a cmap scenario: on the daemon of Debian's
 * corosync 3.1.7 (Debian's libcmap4) and on the main line's. */
#define CMAP_PAIRS "cmap-debian,cmap-mainline"

/* Contexts and user data by name. */
extern int ctx_a, ctx_b;
extern char udata_key[], udata_prefix[], udata_other[];

/* A value type by name ("UINT32", ...), or "type(N)". */
const char *type_name(int type);

/* Prints " TYPE len=N value" for a value: numbers as numbers, strings
 * with every byte shown (a NUL as \0), binary values in hex. */
void print_value(int type, size_t len, const void *data);

/* cmap_initialize / cmap_initialize_map, the handle remembered and the
 * call printed. */
cmap_handle_t open_cmap(void);
cmap_handle_t open_cmap_map(int map, const char *map_text);

/* cmap_get(h, KEY, buf, &len, &type) with ROOM bytes of buffer (0: no
 * buffer, value NULL), printed with what it returned. */
void show_get(cmap_handle_t h, const char *key, size_t room);
/* cmap_get with NULL value, NULL length and NULL type: existence only. */
void show_exists(cmap_handle_t h, const char *key);
/* Only the type and the length of KEY (for values that change run to run). */
void show_type_len(cmap_handle_t h, const char *key);
/* cmap_get_string, printed with the string. */
void show_get_string(cmap_handle_t h, const char *key);
/* Every typed getter on KEY: the one of its type prints the value, the
 * others their error. */
void show_typed_getters(cmap_handle_t h, const char *key);

/* An iterator over PREFIX: every key with its length and type (values are
 * printed for keys under "test." only), then iter_finalize. */
void show_iter(cmap_handle_t h, const char *prefix);

/* The handle's fd now, and waiting (bounded) until it is readable. */
void show_cmap_fd(cmap_handle_t h);
void wait_cmap_fd(cmap_handle_t h);

/* Tracks by name (t1, t2, ... in the order added). */
cmap_track_handle_t add_track(cmap_handle_t h, const char *key, int32_t type, const char *type_text,
	void *user_data, cmap_notify_fn_t fn);
const char *tname(cmap_track_handle_t t);
const char *track_type_text(int32_t type);

/* A notify callback that prints every argument. */
void on_notify(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value new_value, struct cmap_notify_value old_value, void *user_data);

/* Another process (a child, on the same library) sets KEY to the uint32
 * VALUE, or deletes it (VALUE < 0), on a handle of its own; prints what it
 * did and the result. */
void other_process_set(const char *key, long value);

/* Every call that takes a handle, on a handle that is not (or no longer)
 * valid. */
void every_cmap_call_on(cmap_handle_t h);

/* The scenario tables (cmap_driver.c lists them). */
extern const struct scenario c_daemon_scenarios[];
extern const struct scenario c_handle_scenarios[];
extern const struct scenario c_gone_scenarios[];

#endif
