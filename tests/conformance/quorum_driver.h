/*
 * The quorum driver's own helpers (quorum_driver.c), used by its scenario
 * files: q_daemon.c (the real daemon: initialize, models, tracking,
 * dispatch, contexts, callbacks), q_handles.c (bad handles and NULL
 * pointers) and q_gone.c (the daemon killed or absent, other threads).
 */
#ifndef CONFORMANCE_QUORUM_DRIVER_H
#define CONFORMANCE_QUORUM_DRIVER_H

#include <corosync/quorum.h>

#include "driver.h"

/* The pairs of run.sh that run a quorum scenario: on the daemon of
 * Debian's corosync 3.1.7 and on the main line's. */
#define QUORUM_PAIRS "quorum-debian,quorum-mainline"

/* Contexts by name: a handle's context prints as NULL, &ctx_a, &ctx_b or
 * "other". */
extern int ctx_a, ctx_b;

/* The handle's context by name, or the error of quorum_context_get. */
const char *context_of(quorum_handle_t h);

/* Callbacks that print every argument, and the handle's context (the
 * quorum callbacks have no context argument: they ask quorum_context_get). */
void on_quorum_v0(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq, uint32_t n, uint32_t *view);
void on_quorum_v1(quorum_handle_t h, uint32_t quorate, struct quorum_ring_id ring, uint32_t n, const uint32_t *members);
void on_nodelist_v1(quorum_handle_t h, struct quorum_ring_id ring, uint32_t nm, const uint32_t *members,
	uint32_t nj, const uint32_t *joined, uint32_t nl, const uint32_t *left);
extern quorum_callbacks_t v0_callbacks;
extern quorum_model_v0_data_t v0_model;
extern quorum_model_v1_data_t v1_model;

/* quorum_initialize(&h, CB, &type), the handle remembered and the call
 * printed with the quorum type. */
quorum_handle_t open_quorum(quorum_callbacks_t *cb);

/* quorum_model_initialize(&h, MODEL, DATA, &type, CONTEXT), printed with
 * WHAT for its arguments. */
quorum_handle_t open_model(quorum_model_t model, void *data, void *context, const char *what);

/* The handle's fd now, and waiting (bounded) until it is readable. */
void show_quorum_fd(quorum_handle_t h);
void wait_quorum_fd(quorum_handle_t h);

/* quorum_getquorate, printed with the answer. */
void show_quorate(quorum_handle_t h);

/* The daemon's quorum made lost (expected votes 2 on this one-vote node)
 * or regained (1). The daemon refuses a votequorum_setexpected that would
 * make a quorate cluster inquorate, so this goes through cmap
 * (corosync-cmapctl -s quorum.expected_votes), which votequorum follows. */
void set_expected_votes(unsigned votes);

/* Every call that takes a handle, on a handle that is not (or no longer)
 * valid. */
void every_quorum_call_on(quorum_handle_t h);

/* The scenario tables (quorum_driver.c lists them). */
extern const struct scenario q_daemon_scenarios[];
extern const struct scenario q_handle_scenarios[];
extern const struct scenario q_gone_scenarios[];

#endif
