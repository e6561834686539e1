#!/bin/bash
# pacemaker alone (no sbd, no watchdog) on three nodes, on a given
# libquorum.so.5: node 1 is cut off from nodes 2 and 3, loses quorum and
# stops its resource; reconnected, it regains quorum and starts it again.
#
#   pacemaker_quorum.sh MONITOR BIN LIBDIR LABEL
#
# (as hastack.sh; LIBDIR's libquorum.so.5, libcmap.so.4 and
# libcorosync_common.so.4 are what pacemaker loads, checked on each node
# by lib.sh's check_pacemaker_libs). pacemaker-controld learns the quorum
# from libquorum:
# quorum_getquorate when it connects, then the notifications that
# quorum_trackstart asks for. So crm_mon's with_quorum is the library's
# answer, and no-quorum-policy=stop turns a wrong answer into a resource
# that runs, or stops, when it should not.
#
# The cluster: stonith-enabled=false, no-quorum-policy=stop, one
# ocf:pacemaker:Dummy that may run on node 1 only, so that nodes 2 and 3
# (quorate together) cannot take it over while node 1 is cut off.
# Variables go both ways between this script and lib.sh, which shellcheck
# does not follow from every directory:
# shellcheck disable=SC2034,SC2154
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh" "$@"
with_sbd=""
pcmk_log=$(node_dir 1)/pacemaker-log/pacemaker.log

# Waits (up to 30 s) for the first line of node 1's pacemaker log after
# line FROM in which controld's function FUNC says "Quorum WORD" (WORD: a
# grep -E pattern); prints it, writes down WHAT and the word it said, and
# leaves that word in $said.
# pacemaker's functions: pcmk__corosync_quorum_connect logs what
# quorum_getquorate answered when controld connected, and
# quorum_notification_cb what each quorum notification said.
controld_logged() {  # FUNC WORD FROM WHAT
	local line
	for _ in $(seq 1 60); do
		line=$(tail -n +$(($3 + 1)) "$pcmk_log" 2>/dev/null |
			grep -m1 -E -- "pacemaker-controld +\[[0-9]+\] \($1\)[[:space:]]+[a-z]+: Quorum ($2)( |\$)" || true)
		[ -z "$line" ] || break
		sleep 0.5
	done
	[ -n "$line" ] || fail "node 1's controld never logged 'Quorum $2' from $1 ($4)"
	said=$(sed -E 's/.*: Quorum ([a-z]+).*/\1/' <<<"$line")
	echo "    node 1's controld, $4: $(sed -E "s/.*\\($1\\)[[:space:]]+//" <<<"$line")"
	outcome+=("node 1's controld, $4: quorum $said")
}

outcome=()
start=$(now)
libname="the system's libquorum.so.5"
[ -z "$libdir" ] || libname=$libdir/libquorum.so.5
step "$label: 3 nodes, corosync, then pacemaker (no sbd) on each; pacemaker loads $libname"
stack_up 3
# Node 1's corosync was quorate before pacemaker started there (stack_up).
controld_logged pcmk__corosync_quorum_connect '[a-z]+' 0 "quorum_getquorate when it connected"
[ "$said" = acquired ] || fail "node 1's controld: quorum_getquorate made it log 'Quorum $said' although corosync is quorate"
controld_logged quorum_notification_cb '[a-z]+' 0 "its first quorum notification"
[ "$said" = retained ] || fail "node 1's controld: its first quorum notification made it log 'Quorum $said' although corosync is quorate"
wait_mon 1 90 "$(online 1)" "$(online 2)" "$(online 3)" "$quorate" || fail "node 1's crm_mon never showed all three nodes online and quorate"
on_node 1 crm_attribute -t crm_config -n stonith-enabled -v false
on_node 1 crm_attribute -t crm_config -n no-quorum-policy -v stop
dummy_create
on_node 1 cibadmin -C -o constraints -X '<rsc_location id="dummy-on-node1-only" rsc="dummy"><rule id="dummy-on-node1-only-rule" score="-INFINITY"><expression id="dummy-on-node1-only-expr" attribute="#uname" operation="ne" value="node1"/></rule></rsc_location>'
wait_mon 1 60 "$(dummy_on)" "$(dummy_node 1)" || fail "dummy never started on node 1"
took "start: all three online and quorate in crm_mon, dummy started on node 1 (from the start)" "$start"
for i in 1 2 3; do
	check_pacemaker_libs "$i"
done
outcome+=("all online, quorate, dummy on node 1")

step "$label: node 1 cut off from nodes 2 and 3"
lines=$(wc -l < "$pcmk_log")
t=$(now)
partition 1 2
partition 1 3
wait_mon 1 60 "$inquorate" "$(offline 2)" "$(offline 3)" || fail "node 1 did not see its quorum lost"
took "node 1 cut off: its crm_mon shows quorum lost" "$t"
wait_mon 1 60 "$dummy_off" || fail "node 1 kept dummy running without quorum"
took "node 1 cut off: dummy stopped (no-quorum-policy=stop)" "$t"
controld_logged quorum_notification_cb lost "$lines" "a quorum notification"
outcome+=("node 1 cut off: without quorum, dummy stopped")
wait_mon 2 60 "$quorate" "$(offline 1)" "$(online 2)" "$(online 3)" "$dummy_off" || fail "node 2 did not keep quorum with node 3"
took "node 1 cut off: node 2's crm_mon shows nodes 2 and 3 quorate, dummy stopped" "$t"
outcome+=("nodes 2 and 3 kept quorum; dummy did not start there")

step "$label: node 1 reconnected"
lines=$(wc -l < "$pcmk_log")
t=$(now)
heal 1 2
heal 1 3
wait_mon 1 60 "$quorate" "$(online 1)" "$(online 2)" "$(online 3)" || fail "node 1 did not regain quorum"
took "node 1 reconnected: its crm_mon shows quorum again, all online" "$t"
wait_mon 1 60 "$(dummy_on)" "$(dummy_node 1)" || fail "dummy did not start again on node 1"
took "node 1 reconnected: dummy started on node 1 again" "$t"
controld_logged quorum_notification_cb acquired "$lines" "a quorum notification"
outcome+=("node 1 reconnected: quorate, dummy started on node 1")

step "$label: outcome: $(IFS=';'; echo "${outcome[*]}") ($(elapsed "$start" "$(now)") s)"
printf '%s\n' "${outcome[@]}" > "${VQ_HASTACK_OUTCOME:-/dev/null}"
