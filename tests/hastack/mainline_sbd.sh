#!/bin/bash
# Debian's sbd on a node running corosync's main line, first on the main
# line's own libvotequorum, then on ours (a declared difference):
#
#   mainline_sbd.sh MONITOR BIN OURS MAINLINE_PREFIX
#
# sbd's cluster watcher calls votequorum_initialize(&h, NULL). The main
# line's library reads the callbacks without checking for NULL, so the
# watcher dies of SIGSEGV inside that call, again each time sbd restarts
# it; the trace preload (vq_trace.c) writes the signal down. On ours the
# same call returns CS_OK and getinfo reports the node quorate.
# One node, no pacemaker: the cluster watcher is the only part of sbd that
# uses votequorum, and it needs only corosync.
# Variables go both ways between this script and lib.sh, which shellcheck
# does not follow from every directory:
# shellcheck disable=SC2034,SC2154
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ours=$3
export VQ_COROSYNC_PREFIX=$4
# shellcheck source=lib.sh
source "$here/lib.sh" "$1" "$2" "" "main line"

mainline_lib=$VQ_COROSYNC_PREFIX/lib
[ -e "$mainline_lib/libvotequorum.so.8" ] || fail "no libvotequorum.so.8 in $mainline_lib"
trace=$(node_dir 1)/votequorum.trace

step "one main-line node ($("$VQ_COROSYNC_PREFIX/sbin/corosync" -v | head -1)); sbd on the main line's $mainline_lib/libvotequorum.so.8"
cluster_up 1
disown -a
check_safe 1
wait_for 1 '"quorate":true'
watchdog_start 1
sbd_start 1 "$mainline_lib"
crash=$(wait_trace 1 'signal [0-9]+ inside votequorum_initialize$')
[ -n "$crash" ] || fail "sbd's cluster watcher did not crash in votequorum_initialize on the main line's library: $(tail -5 "$trace")"
crashes=$(grep -cE 'signal [0-9]+ inside votequorum_initialize$' "$trace")
if grep -E 'initialize callbacks=NULL -> ' "$trace" >/dev/null; then
	fail "votequorum_initialize(&h, NULL) returned on the main line's library: $(grep -m1 initialize "$trace")"
fi
echo "    main line's library: sbd's cluster watcher, pid ${crash#* pid }: SIGSEGV is 11; $crashes crash(es) so far; the call never returned"

step "the same node, sbd on ours ($ours/libvotequorum.so.8)"
on_node 1 sh -c 'kill -TERM $(cat /run/sbd.pid); for _ in $(seq 1 100); do pgrep -x sbd >/dev/null || exit 0; sleep 0.1; done; pkill -KILL -x sbd; exit 0'
: > "$trace"
sbd_start 1 "$ours"
ok=$(wait_trace 1 'getinfo nodeid=0 -> 1 quorate=1$')
[ -n "$ok" ] || fail "sbd on our library never got the state: $(tail -5 "$trace")"
if grep -E 'signal [0-9]+ inside' "$trace" >/dev/null; then
	fail "a crash on our library: $(grep -m1 signal "$trace")"
fi
echo "    ours: $(grep -m1 -E 'initialize callbacks=NULL' "$trace" | cut -d' ' -f4-); then $(cut -d' ' -f4- <<<"$ok")"
check_fed 1
step "main line: sbd's watcher crashes in votequorum_initialize(&h, NULL); ours: CS_OK and a quorate node"
