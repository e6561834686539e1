#!/bin/bash
# One node with corosync-qdevice and corosync-qnetd, run once with qdevice on
# Debian's library and once on ours:
#   - stopping qnetd loses quorum, starting it again brings it back;
#   - corosync killed under a running qdevice: what qdevice does (exits, or
#     keeps running and registers again when corosync is back) must be the
#     same on both libraries;
#   - qdevice runs on the library it was given (libvotequorum, libcmap and
#     libcorosync_common, all Debian's or all ours: cluster.sh's
#     qdevice_maps), and `corosync-qdevice-tool -s` and `-sv` print the
#     same on both (much of it read through libcmap: the node lists, the
#     intervals, the heuristics), ring id and times normalised;
#   - corosync-notifyd (Debian's) runs beside it on the same library
#     (libcmap, libquorum and libcorosync_common; libcfg is always the
#     system's, we do not provide it) and reports the same events on both:
#     the quorum changes (libquorum's notifications) and qdevice's
#     connections (libcmap's tracking of runtime.connections.), and exits
#     or not alike when corosync dies.
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
notifyd_running() { on_node 1 pgrep -x corosync-notify >/dev/null; }  # the name cut to 15 characters

# corosync-notifyd on node 1, on the library in LIBDIR (empty: the
# system's), printing its events; waits (up to 10 s) until corosync has
# told it of its own connection (its cmap tracking works), then checks
# what it maps.
notifyd_start() {  # LIBDIR
	local log=$VQ_CLUSTER_DIR/node1/notifyd.log pid=""
	on_node 1 sh -c "LD_LIBRARY_PATH=$1 setsid corosync-notifyd -f -o -n >> $log 2>&1 < /dev/null &"
	for _ in $(seq 1 100); do
		if grep -E '\.corosync-notify is now connected to corosync$' "$log" >/dev/null; then break; fi
		sleep 0.1
	done
	if ! grep -E '\.corosync-notify is now connected to corosync$' "$log" >/dev/null; then
		echo "FAIL: corosync-notifyd never reported its own connection:" >&2
		sed 's/^/    | /' "$log" >&2
		return 1
	fi
	pid=$(on_node 1 pgrep -o -x corosync-notify)
	VQ_SYSTEM_OK=cfg check_maps 1 "$pid" corosync-notifyd "$1" libcmap.so.4 libquorum.so.5 libcorosync_common.so.4
}

# notifyd's events once it is gone: the quorum changes in their order, and
# how often qdevice connected and disconnected, prefixed "notifyd | ".
notifyd_events() {
	local log=$VQ_CLUSTER_DIR/node1/notifyd.log connected disconnected
	sed -n -E 's/^\[notice\] [^ ]+\[1\] (is now quorate|has lost quorum)$/notifyd | node 1 \1/p' "$log"
	connected=$(grep -c -E '\.corosync-qdevic is now connected to corosync$' "$log" || true)
	disconnected=$(grep -c -E '\.corosync-qdevic is now disconnected from corosync$' "$log" || true)
	echo "notifyd | qdevice's connections: $connected connected, $disconnected disconnected"
	# What it says on corosync's death (which of its connections it finds
	# closed first) is printed, not compared.
	sed -n -E 's/^\[error\] (.*)$/    notifyd: \1/p' "$log"
}

# corosync-qdevice-tool OPTION on node 1, ring id and times normalised,
# each line prefixed "tool OPTION | ".
qdevice_tool() {  # OPTION
	local out
	out=$(on_node 1 corosync-qdevice-tool "$1" -p /run/qdevice.sock)
	sed -E -e 's/^(Ring ID:[[:space:]]+).*/\1<ring id>/' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}/<time>/g' -e "s/^/tool $1 | /" <<<"$out"
}

scenario() {  # LIBDIR (empty: Debian's) -> prints "outcome: ..." lines
	local lib=$1
	cluster_up 1
	wait_for 1 '"node_id":1'
	notifyd_start "$lib"
	qdevice_start 1 "$lib"
	qdevice_maps 1 "$lib"
	wait_for 1 '"qdevice_cast_vote".*"quorate":true.*"total_votes":2'
	step "quorate with the qdevice vote (2 of 2)"
	# -sv once qnetd has answered a heartbeat (its "Echo reply received"
	# line is there from then on), so that both runs show the same lines.
	local sv=""
	for _ in $(seq 1 100); do
		sv=$(qdevice_tool -sv)
		if grep -E '^tool -sv \| Echo reply received:' <<<"$sv" >/dev/null; then break; fi
		sleep 0.2
	done
	qdevice_tool -s
	printf '%s\n' "$sv"
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
	for _ in $(seq 1 100); do
		notifyd_running || break
		sleep 0.1
	done
	if notifyd_running; then
		echo "outcome: notifyd keeps running when corosync dies"
	else
		echo "outcome: notifyd exits when corosync dies"
		notifyd_events
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
	grep '^tool ' "$out/$side" > "$out/$side.tool"
	grep '^notifyd | ' "$out/$side" > "$out/$side.notifyd" || true
done
if [ ! -s "$out/ours.outcome" ]; then
	echo "FAIL: no outcome line" >&2
	exit 1
fi
if ! diff -u "$out/ref.outcome" "$out/ours.outcome"; then
	echo "FAIL: qdevice behaves differently on the two libraries" >&2
	exit 1
fi
for option in -s -sv; do
	if ! grep -E "^tool $option \\| State:[[:space:]]+Connected\$" "$out/ours.tool" >/dev/null; then
		echo "FAIL: corosync-qdevice-tool $option on our library shows no connected qdevice" >&2
		exit 1
	fi
done
if ! grep -E '^tool -sv \| Echo reply received:' "$out/ours.tool" >/dev/null; then
	echo "FAIL: corosync-qdevice-tool -sv never showed an echo reply from qnetd within 20 s" >&2
	exit 1
fi
if ! diff -u --label "Debian's library" --label "our library" "$out/ref.tool" "$out/ours.tool"; then
	echo "FAIL: corosync-qdevice-tool -s or -sv prints differently on the two libraries" >&2
	exit 1
fi
if ! grep -E '^notifyd \| node 1 is now quorate$' "$out/ours.notifyd" >/dev/null; then
	echo "FAIL: corosync-notifyd on our library never reported the node quorate" >&2
	exit 1
fi
if ! diff -u --label "Debian's library" --label "our library" "$out/ref.notifyd" "$out/ours.notifyd"; then
	echo "FAIL: corosync-notifyd reports different events on the two libraries" >&2
	exit 1
fi
lines=$(wc -l < "$out/ours.tool")
rm -rf "$out"
step "ok: the same outcomes, the same corosync-qdevice-tool -s and -sv ($lines lines) and the same corosync-notifyd events, on both libraries"
