#!/bin/bash
# Two main-line corosync nodes: node 1 registers a qdevice and sets extra
# info with the main line's corosync-quorumtool; on node 2, the same tool
# on the main line's library and on ours must print the same for -l and
# for -W x while node 1 sets, changes and clears it. votequorum-monitor on
# node 2 must show node 1's extra info in every output format.
#   mainline_extra_info.sh VOTEQUORUM_MONITOR OUR_LIBDIR QDEVICE_HELPER MAINLINE_PREFIX
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
export VQ_MONITOR
ourlib=$(cd "$2" && pwd) helper=$(readlink -f "$3") prefix=$(cd "$4" && pwd)
export VQ_COROSYNC_PREFIX=$prefix
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
tool=$prefix/sbin/corosync-quorumtool

# The main-line tool on node I, on the library in LIBDIR.
qt() {  # I LIBDIR ARGS...
	local i=$1 lib=$2
	shift 2
	on_node "$i" env LD_LIBRARY_PATH="$lib" "$tool" "$@"
}

step "2 main-line nodes up"
cluster_up 2
wait_for 1 '"quorate":true.*"total_votes":2'
wait_for 2 '"quorate":true.*"total_votes":2'
step "node 1: a qdevice registered, extra info set"
on_node 1 env LD_LIBRARY_PATH="$ourlib" "$helper" Qdev
qt 1 "$prefix/lib" -X "from node 1"

fail=0
# shellcheck source=../support/compare.sh
source "$here/../support/compare.sh"
compare() { vq_compare "$@" || fail=$((fail + 1)); }
work=$VQ_CLUSTER_DIR/compare
mkdir -p "$work"
# node 2 sees node 1's value once it has gone round by totem.
for _ in $(seq 1 250); do
	if qt 2 "$prefix/lib" -l | grep '\[from node 1\]' >/dev/null; then break; fi
	sleep 0.02
done
for side in ref ours; do
	lib=$prefix/lib
	[ "$side" = ours ] && lib=$ourlib
	# A fresh poll keeps the qdevice alive (it times out 10 s after the
	# last one), so both sides see the same qdevice state.
	on_node 1 env LD_LIBRARY_PATH="$ourlib" "$helper" Qdev
	{ qt 2 "$lib" -l; echo "exit=$?"; qt 2 "$lib" -s; echo "exit=$?"; } > "$work/list.$side.raw" 2>&1
	vq_mask "$work/list.$side.raw" > "$work/list.$side"
done
for side in ref ours; do
	lib=$prefix/lib
	[ "$side" = ours ] && lib=$ourlib
	: > "$work/watch.$side"
	on_node 2 env LD_LIBRARY_PATH="$lib" timeout -s INT 30 stdbuf -oL "$tool" -W x > "$work/watch.$side" 2>&1 &
	watcher=$!
	vq_wait_lines "$work/watch.$side" 2
	qt 1 "$prefix/lib" -X "changed on node 1"
	vq_wait_lines "$work/watch.$side" 3
	qt 1 "$prefix/lib" -C
	vq_wait_lines "$work/watch.$side" 4
	qt 1 "$prefix/lib" -X "from node 1"
	vq_wait_lines "$work/watch.$side" 5
	# nsenter does not pass signals on: stop the tool's timeout inside node 2.
	on_node 2 pkill -INT -x timeout
	status=0
	wait "$watcher" || status=$?
	echo "watch exit=$status" >> "$work/watch.$side"
done
compare "node 2: -l and -s with node 1's extra info" "$work/list.ref" "$work/list.ours"
compare "node 2: -W x while node 1 changes its extra info" "$work/watch.ref" "$work/watch.ours"
sed 's/^/    | /' "$work/watch.ours"
# Positive controls: node 2 on our library really saw node 1's values.
if ! grep -qE '^ +1 +1 .*node1 \[from node 1\]$' "$work/list.ours"; then
	echo "FAIL: node 2's -l on our library does not show node 1's extra info" >&2
	fail=$((fail + 1))
fi
if ! grep -qx '         1 changed on node 1' "$work/watch.ours"; then
	echo "FAIL: node 2's -W x on our library missed a change" >&2
	fail=$((fail + 1))
fi

step "votequorum-monitor on node 2 shows node 1's extra info"
on_node 2 "$VQ_MONITOR" --once > "$work/monitor.text"
on_node 2 "$VQ_MONITOR" --once --json > "$work/monitor.json"
on_node 2 "$VQ_MONITOR" --once --prometheus > "$work/monitor.prom"
expect() {  # FILE PATTERN
	if ! grep -qE -- "$2" "$1"; then
		echo "FAIL: $(basename "$1") has no line matching $2:" >&2
		sed 's/^/    | /' "$1" >&2
		fail=$((fail + 1))
	fi
}
expect "$work/monitor.text" '^    node 1: member, 1 vote\(s\), extra info "from node 1" \(12 bytes\)$'
expect "$work/monitor.json" '\{"extra_info":\{"size":12,"text":"from node 1"\},"nodeid":1,'
expect "$work/monitor.prom" '^votequorum_member_extra_info_bytes\{nodeid="1"\} 12$'
expect "$work/monitor.prom" '^votequorum_member_extra_info\{nodeid="1",text="from node 1"\} 1$'
expect "$work/monitor.prom" '^votequorum_member_extra_info_bytes\{nodeid="2"\} 0$'
check_exposition 2 'votequorum_member_extra_info\{nodeid="1",text="from node 1"\} 1' || fail=$((fail + 1))
step "votequorum-monitor --follow on node 2 reports node 1's changes"
: > "$work/follow.json"
on_node 2 timeout -s INT 30 "$VQ_MONITOR" --follow --json > "$work/follow.json" &
follower=$!
vq_wait_lines "$work/follow.json" 1
qt 1 "$prefix/lib" -X $'bin\001'
vq_wait_lines "$work/follow.json" 2
qt 1 "$prefix/lib" -C
vq_wait_lines "$work/follow.json" 3
on_node 2 pkill -INT -x timeout
status=0
wait "$follower" || status=$?
sed 's/^/    | /' "$work/follow.json"
expect "$work/follow.json" '^\{"cause":"extra info",.*\{"extra_info":\{"hex":"62696e0100","size":5\},"nodeid":1,'
if [ "$(grep -c '"cause":"extra info"' "$work/follow.json")" != 2 ] || grep -q '"extra_info"' <(tail -n 1 "$work/follow.json"); then
	echo "FAIL: --follow should report two extra-info changes, the last with none" >&2
	fail=$((fail + 1))
fi
step "main-line cluster: $fail failures"
[ "$fail" -eq 0 ]
