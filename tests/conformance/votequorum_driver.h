/*
 * The votequorum driver's own helpers (vq_helpers.c), used by its scenario
 * files: vq_daemon.c, vq_qdevice.c, vq_handles.c (against the real daemon),
 * vq_killed.c (the daemon killed, stopped or absent), vq_threads.c, vq_abi11.c
 * (ABI 1.1: corosync 3.1, the main line, the fake) and vq_fake.c (the
 * scripted fake server). Each file's scenarios are static and listed in the
 * file's own table, which driver.c gathers.
 */
#ifndef CONFORMANCE_VOTEQUORUM_DRIVER_H
#define CONFORMANCE_VOTEQUORUM_DRIVER_H

#include <corosync/votequorum.h>

#include "driver.h"

/* The pairs of run.sh: a scenario both libraries run on the daemon of
 * Debian's corosync 3.1.7 and on the main line's; ABI 1.1 ones run on the
 * main line's daemon and the fake server's "faithful" script. */
#define BOTH_DAEMONS "debian,mainline"
#define MAINLINE_AND_FAKE "mainline,fake"

/* Callbacks that print every argument; last_ring keeps the ring id of the
 * last nodelist seen by on_nodelist_keep_ring. */
void on_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n, votequorum_node_t nodes[]);
void on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[]);
void on_expected(votequorum_handle_t h, uint64_t ctx, uint32_t expected);
void on_nodelist_keep_ring(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[]);
extern votequorum_callbacks_t all_callbacks;
extern votequorum_ring_id_t last_ring;

/* votequorum_initialize, the handle remembered and the call printed. */
votequorum_handle_t open_handle(votequorum_callbacks_t *cb);

/* Is the handle's fd readable now? */
void show_fd(votequorum_handle_t h);

/* Waits (bounded) until the fd is readable: how scenarios order themselves
 * after what the daemon must send. */
void wait_readable(votequorum_handle_t h);

void show_info(const char *what, const struct votequorum_info *i);
int getinfo_show(votequorum_handle_t h, unsigned nodeid);

/* Every call on a handle that is not (or no longer) valid. */
void every_call_on(votequorum_handle_t h);

/* The scenario tables (driver.c lists them). */
extern const struct scenario vq_daemon_scenarios[];
extern const struct scenario vq_qdevice_scenarios[];
extern const struct scenario vq_handle_scenarios[];
extern const struct scenario vq_killed_scenarios[];
extern const struct scenario vq_thread_scenarios[];
extern const struct scenario vq_abi11_scenarios[];
extern const struct scenario vq_fake_scenarios[];

#endif
