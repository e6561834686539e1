#!/bin/bash
# Debian's corosync-qdevice (with corosync-qnetd) and corosync-quorumtool -m,
# built for corosync 3.1, on a 2-node main-line cluster while node 1 sets
# qdevice extra info (an ABI 1.1 notification that 3.1's library does not
# know). Run once on the library in LIBDIR (ours, or Debian's with an empty
# LIBDIR). What each program does is printed as "outcome:" lines; the run
# passes when they equal EXPECT (a file of outcome lines), so what
# docs/daemons.md says of both libraries is checked on every run.
#   old_programs_mainline.sh VOTEQUORUM_MONITOR MAINLINE_PREFIX EXPECT_FILE [LIBDIR]
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
prefix=$(cd "$2" && pwd) expect=$(readlink -f "$3") lib=${4:+$(cd "$4" && pwd)}
export VQ_MONITOR VQ_CLUSTER_QNETD=1 VQ_COROSYNC_PREFIX=$prefix
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
tool=$prefix/sbin/corosync-quorumtool
running() { on_node "$1" pgrep -x "$2" > /dev/null; }

step "2 main-line nodes and qnetd; Debian's qdevice on ${lib:-the system library}"
cluster_up 2
wait_for 1 '"quorate":true'
wait_for 2 '"quorate":true'
qdevice_start 1 "$lib"
qdevice_start 2 "$lib"
for i in 1 2; do
	wait_for "$i" '"qdevice_registered","qdevice_alive","qdevice_cast_vote".*"quorate":true.*"total_votes":3'
done
if [ -n "$lib" ]; then  # the running qdevices really have our library mapped
	qdevice_maps 1 "$lib"
	qdevice_maps 2 "$lib"
fi
step "Debian's corosync-quorumtool -m on node 2"
on_node 2 env LD_LIBRARY_PATH="$lib" timeout -s INT 280 stdbuf -oL corosync-quorumtool -m > "$VQ_CLUSTER_DIR/monitor.out" 2>&1 &
monitor=$!
for _ in $(seq 1 250); do
	if grep -q 'Membership information' "$VQ_CLUSTER_DIR/monitor.out"; then break; fi
	sleep 0.02
done

step "node 1 sets extra info (the main line's corosync-quorumtool -X)"
on_node 1 "$tool" -X "set by node 1"
# Ordered by state: node 2's own tool has it once the notifications went out.
for _ in $(seq 1 250); do
	if on_node 2 "$tool" -l | grep '\[set by node 1\]' >/dev/null; then break; fi
	sleep 0.02
done
step "a split: node 1 keeps quorum only if its qdevice still votes"
partition 1 2
outcome=()
if VQ_WAIT_SECONDS=20 wait_for 1 '"quorate":true.*"total_votes":2'; then
	outcome+=("outcome: node 1's qdevice still votes after the notification")
else
	outcome+=("outcome: node 1's qdevice no longer votes after the notification")
fi
# node 2 lost quorum in the split: a working quorumtool -m printed it.
for _ in $(seq 1 250); do
	if grep -q '^Quorate: *No' "$VQ_CLUSTER_DIR/monitor.out"; then break; fi
	sleep 0.02
done
if grep -q '^Quorate: *No' "$VQ_CLUSTER_DIR/monitor.out"; then
	outcome+=("outcome: corosync-quorumtool -m on node 2 printed the split")
else
	outcome+=("outcome: corosync-quorumtool -m on node 2 printed nothing after the notification")
fi
heal 1 2
for i in 1 2; do
	if running "$i" corosync-qdevic; then
		outcome+=("outcome: corosync-qdevice on node $i is running")
	else
		outcome+=("outcome: corosync-qdevice on node $i has exited")
	fi
	if grep -q "Can't dispatch votequorum messages" "$VQ_CLUSTER_DIR/node$i/qdevice.log"; then
		outcome+=("outcome: corosync-qdevice on node $i logged \"Can't dispatch votequorum messages\"")
	fi
done
# quorumtool -m: give it 10 s to exit by itself, then stop it.
for _ in $(seq 1 500); do
	if ! running 2 corosync-quorum; then break; fi
	sleep 0.02
done
on_node 2 pkill -INT -x timeout || true
status=0
wait "$monitor" || status=$?
if [ "$status" = 130 ]; then
	outcome+=("outcome: corosync-quorumtool -m on node 2 ran until stopped")
else
	outcome+=("outcome: corosync-quorumtool -m on node 2 exited by itself with status $status")
fi
grep -v '^$' "$VQ_CLUSTER_DIR/monitor.out" | tail -n 3 | sed 's/^/    quorumtool -m: /'
printf '%s\n' "${outcome[@]}" | tee "$VQ_CLUSTER_DIR/outcome"
if ! diff -u "$expect" "$VQ_CLUSTER_DIR/outcome"; then
	echo "FAIL: the outcome differs from $expect (and from what docs/daemons.md says)" >&2
	exit 1
fi
step "as expected"
