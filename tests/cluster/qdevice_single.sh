#!/bin/bash
# One node with corosync-qdevice and corosync-qnetd, run once with qdevice on
# Debian's library and once on ours:
#   - stopping qnetd loses quorum, starting it again brings it back;
#   - corosync killed under a running qdevice: what qdevice does (exits, or
#     keeps running and registers again when corosync is back) must be the
#     same on both libraries.
#   qdevice_single.sh VOTEQUORUM_MONITOR OUR_LIBDIR
set -euo pipefail
shopt -s inherit_errexit
export VQ_MONITOR=$1 VQ_CLUSTER_QNETD=1
ourlib=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT  # the directory made when cluster.sh was sourced

qdevice_running() { on_node 1 pgrep -x corosync-qdevic >/dev/null; }

scenario() {  # LIBDIR (empty: Debian's) -> prints "outcome: ..." lines
	local lib=$1
	cluster_up 1
	wait_for 1 '"node_id":1'
	qdevice_start 1 "$lib"
	if [ -n "$lib" ]; then qdevice_maps 1 "$lib"; fi
	wait_for 1 '"qdevice_cast_vote".*"quorate":true.*"total_votes":2'
	step "quorate with the qdevice vote (2 of 2)"
	on_node 100 sh -c 'kill $(cat /run/qnetd.pid)'
	wait_for 1 '"quorate":false'
	step "qnetd stopped: quorum lost"
	on_node 100 sh -c "setsid corosync-qnetd -f -s off -l 10.99.0.100 -S local_socket_file=/run/qnetd.sock,lock_file=/run/qnetd.pid >> $VQ_CLUSTER_DIR/node100/qnetd.log 2>&1 < /dev/null &"
	wait_for 1 '"quorate":true.*"total_votes":2'
	step "qnetd started again: quorum back"
	node_stop 1
	# qdevice's own poll loop sees its votequorum and cmap connections
	# close at once; it is given 10 s to exit (it exits within a second
	# wherever it does) before it counts as running on.
	for _ in $(seq 1 100); do
		qdevice_running || break
		sleep 0.1
	done
	if qdevice_running; then
		echo "outcome: qdevice keeps running when corosync dies"
		node_start 1
		if VQ_WAIT_SECONDS=10 wait_for 1 '"qdevice_registered".*"quorate":true.*"total_votes":2' 2>/dev/null; then
			echo "outcome: after corosync is back, qdevice registers and votes again"
		else
			echo "outcome: after corosync is back, qdevice does not register again"
		fi
	else
		echo "outcome: qdevice exits when corosync dies"
	fi
	cluster_down
}

# Each scenario runs as a plain command (not inside a substitution), so
# any failed step stops the test; its lines go to a file.
out=$(mktemp -d)
step "qdevice on Debian's library"
VQ_CLUSTER_DIR=$(mktemp -d /tmp/vq-cluster.XXXXXX) scenario "" > "$out/ref"
sed 's/^/    /' "$out/ref"
step "qdevice on our library"
VQ_CLUSTER_DIR=$(mktemp -d /tmp/vq-cluster.XXXXXX) scenario "$ourlib" > "$out/ours"
sed 's/^/    /' "$out/ours"
for side in ref ours; do
	if ! grep -q 'qnetd started again: quorum back$' "$out/$side"; then
		echo "FAIL: the qnetd steps did not complete on $side" >&2
		exit 1
	fi
	grep '^outcome:' "$out/$side" > "$out/$side.outcome"
done
if [ ! -s "$out/ours.outcome" ]; then
	echo "FAIL: no outcome line" >&2
	exit 1
fi
if ! diff -u "$out/ref.outcome" "$out/ours.outcome"; then
	echo "FAIL: qdevice behaves differently on the two libraries" >&2
	exit 1
fi
rm -rf "$out"
step "ok: the same outcome on both libraries"
