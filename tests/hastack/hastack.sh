#!/bin/bash
# pacemaker and diskless sbd on three nodes, with sbd on a given
# libvotequorum.so.8 (docs/hastack.md says what each step shows):
#
#   hastack.sh MONITOR BIN LIBDIR LABEL
#
# MONITOR  votequorum-monitor (cluster.sh's quorum checks)
# BIN      the directory holding watchdogd, node_syslog, watchdog_preload.so
#          and vq_trace.so (built from this folder)
# LIBDIR   the directory whose libvotequorum.so.8, libquorum.so.5,
#          libcmap.so.4 and libcorosync_common.so.4 sbd loads, and whose
#          libquorum.so.5, libcmap.so.4 and libcorosync_common.so.4 (and
#          libvotequorum.so.8) pacemaker loads; empty: the system's
#          (Debian's). libcpg and libcfg are always the system's: each
#          node checks by device and inode what sbd and pacemaker's
#          daemons map (lib.sh's check_sbd_libs, check_pacemaker_libs)
# LABEL    a name for the library in the output ("ours", "Debian's")
#
# Each node runs in its own network, mount, PID and UTS namespaces
# (tests/cluster/cluster.sh, node_setup.sh): corosync, sbd with the test
# watchdog (watchdogd.c behind watchdog_preload.c) and every pacemaker
# daemon. A reset ends the node's PID namespace; the test sees the node's
# init gone and reads why from the node's records.
# Variables go both ways between this script and lib.sh, which shellcheck
# does not follow from every directory:
# shellcheck disable=SC2034,SC2154
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$@"
libname="Debian's libvotequorum.so.8"
[ -z "$libdir" ] || libname=$libdir/libvotequorum.so.8

# --- the run ---------------------------------------------------------------

outcome=()
start=$(now)
step "$label: 3 nodes, corosync, then sbd (watchdog only) and pacemaker on each; sbd and pacemaker load $libname"
stack_up 3
for i in 1 2 3; do
	check_sbd_libs "$i"
done
wait_mon 1 90 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate"
on_node 1 crm_attribute -t crm_config -n stonith-enabled -v true
on_node 1 crm_attribute -t crm_config -n stonith-watchdog-timeout -v "$watchdog_fencing"
dummy_create
# The resource prefers node 3, so cutting node 3 off gives it somewhere to move.
on_node 1 cibadmin -C -o constraints -X '<rsc_location id="dummy-prefers-node3" rsc="dummy" node="node3" score="50"/>'
wait_mon 1 60 "$(dummy_on)" "$(dummy_node 3)"
took "start: all three online and quorate in crm_mon, dummy started on node 3" "$start"
for i in 1 2 3; do
	check_pacemaker_libs "$i"
	check_fed "$i"
	trace_shows "$i" 'initialize callbacks=NULL -> 1$' "votequorum_initialize(&h, NULL) = CS_OK"
	trace_shows "$i" 'getinfo nodeid=0 -> 1 quorate=1$' "votequorum_getinfo = CS_OK, quorate"
done
outcome+=("all online, quorate, dummy on node 3")

step "$label: node 3 cut off from nodes 1 and 2"
t=$(now)
expect_down[3]=1
partition 1 3
partition 2 3
wait_reset 3 "$t"
trace_shows 3 'getinfo nodeid=0 -> 1 quorate=0$' "votequorum_getinfo showed quorum lost before the reset"
wait_fenced 1 3 "$t"
wait_mon 1 60 "$(offline 3)" "$quorate" "$(dummy_on)"
dummy_node=$(mon_xml 1 | grep -A1 '<resource id="dummy"' | grep -oE 'node name="node[12]"' || true)
[ -n "$dummy_node" ] || fail "dummy is not running on node 1 or 2"
echo "    dummy moved: ${dummy_node#node name=}"
check_fed 1
check_fed 2
check_alive 1 2
outcome+=("dummy moved to the survivors")

step "$label: node 3 back"
t=$(now)
on_node 1 ip route del blackhole 10.99.0.3/32
on_node 2 ip route del blackhole 10.99.0.3/32
node_boot 3
wait_mon 1 90 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" "$(dummy_node 3)"
took "node 3 back: whole again, dummy back on node 3 (from the boot)" "$t"
check_fed 3
outcome+=("node 3 rejoined")

step "$label: corosync on node 2 killed and started again at once (as a service manager would)"
# sbd's cluster watcher notices the dead connection (its CPG source first,
# then, once it is connected again, its timer's getinfo on the old handle,
# which fails); it finalizes, initializes again with NULL callbacks and
# carries on. The trace is read by its time stamps, not by its order around
# the kill: a getinfo that returned CS_OK before corosync was gone (sbd's
# timer, once a second, can fire while the kill is under way) says nothing
# about the dead connection and is passed over.
t=$(now)
expect_down[2]=1
node_stop 2
dead=$(now)  # corosync is gone, every thread of it
node_start 2
trace=$(node_dir 2)/votequorum.trace
seq_re='^getinfo nodeid=0 -> ([02-9]|[1-9][0-9])\n(finalize -> [0-9]+\n)?initialize callbacks=NULL -> 1\ngetinfo nodeid=0 -> 1 '
# The calls since the kill: those stamped before corosync was gone drop
# out when they succeeded (made before its death).
calls_since_kill() {
	awk -v t="$t" -v dead="$dead" '$1 >= t {
		if (!seen && $1 < dead && $4 == "getinfo" && $7 == "1") next
		seen = 1; $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' "$trace"
}
after=""
for _ in $(seq 1 300); do
	after=$(calls_since_kill)
	grep -Pzo -- "$seq_re" <<<"$after" >/dev/null && break
	# A reset before sbd was connected again would end the step unseen.
	node_alive 2 || fail "node 2 was reset $(elapsed "$t" "$(now)") s after the kill, before its sbd showed getinfo failing; its calls since the kill: $after"
	sleep 0.1
done
if ! grep -Pzo -- "$seq_re" <<<"$after" >/dev/null; then
	fail "node 2's sbd did not see getinfo fail, then initialize with NULL callbacks and get the state again within 30 s; its calls since the kill: $after"
fi
s=$(elapsed "$t" "$(now)")
echo "    node 2's sbd, $s s after the kill: $(grep -Pzo -- "$seq_re" <<<"$after" | tr '\0\n' ' ;')"
record_time "node 2's corosync killed and restarted: sbd's getinfo failed, then initialize(NULL) and getinfo worked" "$s"
outcome+=("node 2's sbd: getinfo failed after corosync's death; initialize(NULL) and getinfo worked once it was back")
# Whether node 2 stays up now depends on how fast pacemaker recovers on it
# (here it usually does); either way the cluster must be whole again
# before the next step.
if wait_for 2 '"quorate":true' 2>/dev/null &&
	wait_mon 2 40 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" 2>/dev/null &&
	wait_mon 1 40 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" "$(dummy_on)" 2>/dev/null && node_alive 2; then
	echo "    node 2 recovered without a reset; the cluster is whole"
else
	echo "    node 2 did not recover (reset: $(node_alive 2 && echo no || echo yes)); booting it again"
	node_alive 2 || node_boot 2
	wait_mon 1 90 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" "$(dummy_on)"
fi
check_alive 1 3

step "$label: corosync killed on node 2"
t=$(now)
expect_down[2]=1
node_stop 2
wait_reset 2 "$t"
wait_fenced 1 2 "$t"
wait_mon 1 60 "$(offline 2)" "$(online 1)" "$(online 3)" "$quorate" "$(dummy_on)"
check_fed 1
check_fed 3
check_alive 1 3
outcome+=("nodes 1 and 3 carried on")

step "$label: node 2 back"
t=$(now)
node_boot 2
wait_mon 1 90 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" "$(dummy_on)"
took "node 2 back: whole again (from the boot)" "$t"
check_alive 1 3
outcome+=("node 2 rejoined")

step "$label: outcome: $(IFS=';'; echo "${outcome[*]}") ($(elapsed "$start" "$(now)") s)"
printf '%s\n' "${outcome[@]}" > "${VQ_HASTACK_OUTCOME:-/dev/null}"
