// corosync's own IPC message layouts, as its daemon and its client
// libraries compile them: <corosync/ipc_votequorum.h>,
// <corosync/ipc_quorum.h> and <corosync/ipc_cmap.h>, taken from corosync's source tarball at configure
// time (corosync_ipc.cmake). The fake server and every test that builds or
// reads a message itself take the layouts, the request and response ids
// from here, never from our src/*/wire.hpp, so that a layout our library
// gets wrong cannot agree with itself.
#pragma once

// What corosync's headers expect to be declared before them: libqb's IPC
// headers, cs_error_t, and votequorum_ring_id_t (which ipc_votequorum.h's
// helpers name).
#include <qb/qbipc_common.h>
#include <corosync/corotypes.h>
#include <corosync/votequorum.h>
#include <corosync/quorum.h>
#include <corosync/cmap.h>

#include <corosync/ipc_votequorum.h>
#include <corosync/ipc_quorum.h>
#include <corosync/ipc_cmap.h>
