#!/bin/bash
# How long a votequorum change takes to reach votequorum-monitor's /metrics,
# on a quiet cluster and while corosync holds a sync open; two monitors side
# by side on the same node, seeing the same changes (this build's, and
# another, e.g. an older commit's build).
#
#   bench/monitor_delay.sh MONITOR [OTHER_MONITOR] [SAMPLES]
#
# A 3-node cluster (tests/cluster/cluster.sh) with qnetd and a qdevice on
# each node; the monitors run --listen on node 1 (ports 9669 and 9670).
# Each sample sets node 1's expected votes (corosync-quorumtool -e, through
# votequorum: 5, then 4 again) and, from just before the command, polls
# both monitors' /metrics until each serves the new value: the delay. A
# monitor that has not served it after 20 s (quiet) or 3 s (held) counts as
# that cap ("> 20000", "> 3000").
# The held phase holds the sync as tests/cluster/monitor_during_sync.sh does
# (node 2's qdevice stopped, node 3's corosync killed: up to the qdevice's
# 30 s sync_timeout), makes the samples inside that window, then releases
# it. Prints p50, p99 and the largest delay per monitor and phase. Needs
# root; under a minute (20 samples).
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
other=${2:+$(readlink -f "$2")}
samples=${3:-20}
export VQ_MONITOR VQ_CLUSTER_QNETD=1
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/cluster/cluster.sh
source "$top/tests/cluster/cluster.sh"
trap cluster_down EXIT
dir=$VQ_CLUSTER_DIR
ports=(9669)
[ -z "$other" ] || ports+=(9670)

step "3 nodes, qnetd, a qdevice on each"
cluster_up 3
for i in 1 2 3; do wait_for "$i" '"quorate":true'; done
for i in 1 2 3; do qdevice_start "$i"; done
wait_for 1 '"qdevice_cast_vote"\].*"total_votes":4'
on_node 1 sh -c "setsid '$VQ_MONITOR' --listen 127.0.0.1:9669 --corosync-conf $dir/node1/corosync.conf > $dir/m0.log 2>&1 < /dev/null &"
[ -z "$other" ] || on_node 1 sh -c "setsid '$other' --listen 127.0.0.1:9670 --corosync-conf $dir/node1/corosync.conf > $dir/m1.log 2>&1 < /dev/null &"

# One sample inside node 1: sets expected votes to V and prints, for each
# port, the milliseconds until its /metrics served it (CAP: not within CAP
# ms). A port given as "-PORT" is not polled and counts as CAP.
sample() {  # V CAP PORT...
	# shellcheck disable=SC2016  # expanded by the inner shell
	on_node 1 bash -c '
		v=$1 cap=$2; shift 2
		declare -A got=()
		for p in "$@"; do [[ $p != -* ]] || got[$p]=$cap; done
		t0=$(date +%s%N)
		corosync-quorumtool -e "$v" >/dev/null
		while [ ${#got[@]} -lt $# ] && [ $(($(date +%s%N) - t0)) -lt $((cap * 1000000)) ]; do
			for p in "$@"; do
				[ -z "${got[$p]:-}" ] || continue
				if curl -s --max-time 1 "http://127.0.0.1:$p/metrics" | grep -E "^votequorum_expected_votes $v\$" >/dev/null; then
					got[$p]=$((($(date +%s%N) - t0) / 1000000))
				fi
			done
			sleep 0.01
		done
		for p in "$@"; do printf "%s " "${got[$p]:-$cap}"; done
		echo' _ "$@"
}
# p50, p99 and max of the numbers on stdin (nearest rank); CAP shows as
# "> CAP".
stats() {  # CAP
	sort -n | awk -v cap="$1" 'function show(x) { return x >= cap ? "> " cap : x }
		{ a[NR] = $1 } END {
		printf "%d samples: p50 %s ms, p99 %s ms, max %s ms\n", NR,
			show(a[int((NR * 50 + 99) / 100)]), show(a[int((NR * 99 + 99) / 100)]), show(a[NR]) }'
}

# COUNT samples (fewer if WINDOW seconds run out), each capped at CAP ms. A
# monitor that misses the cap in a held sync is not polled again until it
# ends: it is waiting behind the sync, and a later value it serves could
# be an old one that happens to equal the new.
run_phase() {  # NAME COUNT CAP [WINDOW]
	local name=$1 count=$2 cap=$3 window=${4:-0} k v start=$SECONDS line col
	local -a polled=("${ports[@]}") got
	for k in $(seq 1 "$count"); do
		v=$((k % 2 ? 5 : 4))
		line=$(sample "$v" "$cap" "${polled[@]}")
		echo "$line" >> "$dir/$name.samples"
		if [ "$window" != 0 ]; then
			read -r -a got <<<"$line"
			for col in "${!got[@]}"; do
				[ "${got[$col]}" -lt "$cap" ] || polled[col]=-${ports[$col]#-}
			done
			[ $((SECONDS - start)) -lt "$window" ] || break
		fi
	done
}

step "quiet: $samples changes"
run_phase quiet "$samples" 20000

hold() {
	on_node 2 sh -c 'kill -STOP "$(cat /run/qdevice.pid)"'
	node_stop 3
	for _ in $(seq 1 50); do
		on_node 1 corosync-quorumtool -s 2>/dev/null | grep -E '^Total votes: +3$' >/dev/null && break
		sleep 0.1
	done
}
release() {
	on_node 2 sh -c 'kill -CONT "$(cat /run/qdevice.pid)"'
	node_start 3
	wait_for 1 '"quorate":true.*"total_votes":4' >/dev/null
	on_node 3 pgrep -x corosync-qdevic >/dev/null || qdevice_start 3
	wait_for 1 '"qdevice_cast_vote"\].*"total_votes":4' >/dev/null
}
holds=$(((samples + 9) / 10))
for h in $(seq 1 "$holds"); do
	step "held sync $h of $holds: up to 10 changes, in its first 20 s"
	hold
	run_phase held 10 3000 20
	release
done

echo
echo "monitor delay, change to /metrics (node 1, 3 nodes with qdevices):"
for col in $(seq 1 ${#ports[@]}); do
	who=$VQ_MONITOR
	[ "$col" = 1 ] || who=$other
	for phase in quiet held; do
		printf '  %-5s %s: ' "$phase" "$who"
		cap=20000
		[ "$phase" = quiet ] || cap=3000
		cut -d' ' -f"$col" "$dir/$phase.samples" | stats "$cap"
	done
done
