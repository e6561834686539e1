#!/bin/bash
# Two nodes with corosync-qdevice (model net, ffsplit, TLS off) and
# corosync-qnetd: qdevice runs on the library in LIBDIR (ours or, with an
# empty LIBDIR, Debian's), registers and casts its vote; through a network
# split node 1 keeps quorum and node 2 loses it; after the heal both are
# quorate again.
#   qdevice_split.sh VOTEQUORUM_MONITOR LIBDIR
set -euo pipefail
shopt -s inherit_errexit
export VQ_MONITOR=$1 VQ_CLUSTER_QNETD=1
lib=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT

step "2 nodes and qnetd up; qdevice on ${lib:-the system library}"
cluster_up 2
wait_for 1 '"quorate":true'
wait_for 2 '"quorate":true'
qdevice_start 1 "$lib"
qdevice_start 2 "$lib"
# Each qdevice runs on LIBDIR's libvotequorum, libcmap and
# libcorosync_common, and maps no corosync library of the system (with an
# empty LIBDIR: on the system's).
qdevice_maps 1 "$lib"
qdevice_maps 2 "$lib"
step "qdevice registers and votes on both nodes"
for i in 1 2; do
	wait_for "$i" '"qdevice_registered","qdevice_alive","qdevice_cast_vote".*"quorate":true.*"total_votes":3'
done
on_node 1 corosync-quorumtool -s | grep -E 'Total votes|Flags|Qdevice' | sed 's/^/    /'
check_exposition 1 'votequorum_qdevice_registered 1' 'votequorum_qdevice_alive 1' 'votequorum_qdevice_cast_vote 1' \
	'votequorum_qdevice_votes 1' 'ha_cluster_corosync_member_votes\{local="false",node="Qdevice",node_id="0"\} 1' \
	'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 3'
step "split: node 1 keeps quorum, node 2 loses it"
partition 1 2
wait_for 1 '"quorate":true.*"total_votes":2'
wait_for 2 '"quorate":false'
step "heal: both quorate again, with the qdevice vote"
heal 1 2
wait_for 1 '"quorate":true.*"total_votes":3'
wait_for 2 '"quorate":true.*"total_votes":3'
step "ok"
