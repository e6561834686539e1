#!/bin/bash
# votequorum-monitor --listen on node 1 of a 3-node cluster with qnetd and a
# qdevice on each node, while corosync's service synchronisation is held
# open: node 2's qdevice is stopped (SIGSTOP) and node 3's corosync killed,
# so the sync after the membership change waits for node 2's qdevice poll
# until quorum.device.sync_timeout (30 s). All that time corosync processes
# no request of any service but votequorum on the connections that existed
# when the sync began (flow control, exec/ipc_glue.c); connections made
# later are not held, so the hold is watched on a cmap connection made
# before it: corosync-cmapctl -p reading a FIFO, told to set a key; a fresh
# corosync-cmapctl -g shows whether that request has been answered.
# While the sync is held, two votequorum changes on node 1:
#   - expected votes set to 3 (corosync-quorumtool -e, through votequorum);
#   - qnetd killed: node 1's qdevice stops casting its vote, total_votes
#     goes 3 -> 2 (corosync sends no notification for that);
# each must be served on /metrics within 2 s of the change, while the sync
# is still held (otherwise the run proves nothing); the names' and rings'
# age series, which wait behind the hold, must say they are over 2 s old.
# Then the hold is
# released (SIGCONT, qnetd and node 3 back) and the served series must
# converge to all quorate with the qdevice vote.
#   monitor_during_sync.sh VOTEQUORUM_MONITOR
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
export VQ_MONITOR VQ_CLUSTER_QNETD=1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
dir=$VQ_CLUSTER_DIR
url=http://127.0.0.1:9669/metrics
probe_key=vqtest.sync_probe
failures=0

# What the monitor serves now (empty if it does not answer).
served() { on_node 1 curl -s --max-time 1 "$url" || true; }
now_ns() { date +%s%N; }
# Sends SIG to the process whose pid is in node I's PIDFILE.
signal() {  # I SIG PIDFILE
	on_node "$1" sh -c "kill -$2 \"\$(cat $3)\""
}
# Seconds since T0 (nanoseconds), as 1.23.
since() {  # T0
	local d=$(($(now_ns) - $1))
	printf '%d.%02d' $((d / 1000000000)) $((d / 10000000 % 100))
}
# Node 1's corosync-quorumtool -s (corosync's own view; votequorum is
# never held).
quorumtool() { on_node 1 timeout 5 corosync-quorumtool -s || true; }
# The probe key's value by a fresh cmap connection: "blocked" when even
# that is held, "none" when unreadable otherwise.
probe_value() {
	local out rc=0
	out=$(on_node 1 timeout 2 corosync-cmapctl -g "$probe_key" 2>/dev/null) || rc=$?
	if [ "$rc" = 124 ]; then
		echo blocked
	elif [[ $out =~ ^${probe_key//./\\.}\ \(u32\)\ =\ ([0-9]+)$ ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo none
	fi
}
# Whether the sync is held now: the pinned connection's request (set the
# key to 2) is still unanswered.
held() {
	local v
	v=$(probe_value)
	[ "$v" = 1 ] || [ "$v" = blocked ]
}

# Polls /metrics every 0.1 s until each SERIES=VALUE is served, for at most
# 2 s from T0 (taken just before the change); prints each delay. Then, with
# the sync confirmed still held, fails (counted) for each one not served.
published_within_2s() {  # WHAT T0 SERIES=VALUE...
	local what=$1 t0=$2 out="" pair series value last
	shift 2
	local -A seen=()
	while :; do
		out=$(served)
		for pair in "$@"; do
			series=${pair%%=*} value=${pair#*=}
			if [ -z "${seen[$pair]:-}" ] && grep -qE -- "^$series $value\$" <<<"$out"; then
				seen[$pair]=$(since "$t0")
				echo "    $what: $series $value served after ${seen[$pair]} s"
			fi
		done
		if [ "${#seen[@]}" -eq $# ] || [ $(($(now_ns) - t0)) -ge 2000000000 ]; then
			break
		fi
		sleep 0.1
	done
	local at
	at=$(since "$t0")
	if ! held; then
		echo "FAIL: ($what) the sync was no longer held $at s after the change: this run proves nothing" >&2
		exit 1
	fi
	echo "    $what: the sync is still held $(since "$t0") s after the change"
	for pair in "$@"; do
		series=${pair%%=*} value=${pair#*=}
		if [ -z "${seen[$pair]:-}" ]; then
			last=$(grep -E -- "^$series " <<<"$out" | cut -d' ' -f2 || true)
			echo "FAIL: ($what) $series: expected $value on /metrics within 2 s; last seen ${last:-nothing} after $at s (the sync held)" >&2
			failures=$((failures + 1))
		fi
	done
}
# Waits (SECONDS) until every anchored PATTERN is a line of /metrics.
wait_served() {  # SECONDS PATTERN...
	local limit=$1 out="" pattern missing=""
	shift
	for _ in $(seq 1 $((limit * 5))); do
		out=$(served)
		missing=""
		for pattern in "$@"; do
			if ! grep -qE -- "^$pattern\$" <<<"$out"; then missing+=" ^$pattern\$"; fi
		done
		if [ -z "$missing" ]; then
			echo "    served: $*"
			return 0
		fi
		sleep 0.2
	done
	echo "FAIL: after $limit s /metrics has no line matching$missing; it serves:" >&2
	grep -E '^votequorum_' <<<"$out" | sed 's/^/    | /' >&2 || true
	exit 1
}
# Waits (5 s) until node 1's corosync-quorumtool -s has a line matching
# the anchored PATTERN.
expect_corosync() {  # PATTERN
	local out=""
	for _ in $(seq 1 50); do
		out=$(quorumtool)
		if grep -qE -- "^$1\$" <<<"$out"; then return 0; fi
		sleep 0.1
	done
	echo "FAIL: corosync on node 1 never showed ^$1\$ (corosync-quorumtool -s):" >&2
	printf '%s\n' "$out" | sed 's/^/    | /' >&2
	exit 1
}

step "3 nodes, qnetd, a qdevice on each node"
cluster_up 3
for i in 1 2 3; do wait_for "$i" '"quorate":true'; done
for i in 1 2 3; do qdevice_start "$i"; done
wait_for 1 '"expected_votes":4,"flags":\["quorate","qdevice_registered","qdevice_alive","qdevice_cast_vote"\].*"total_votes":4'

step "votequorum-monitor --listen on node 1"
on_node 1 sh -c "setsid '$VQ_MONITOR' --listen 127.0.0.1:9669 --corosync-conf $dir/node1/corosync.conf \
	> $dir/monitor.log 2>&1 < /dev/null &"
wait_served 30 'votequorum_up 1' 'votequorum_quorate 1' 'votequorum_expected_votes 4' 'votequorum_total_votes 4' \
	'votequorum_qdevice_cast_vote 1'

step "a cmap connection on node 1 made before the sync (corosync-cmapctl -p on a FIFO)"
mkfifo "$dir/probe.fifo"
exec 3<>"$dir/probe.fifo"  # read-write: opening never blocks, and the reader never sees EOF
on_node 1 sh -c "setsid corosync-cmapctl -p $dir/probe.fifo > $dir/probe.log 2>&1 < /dev/null &"
echo "$probe_key u32 1" >&3
for _ in $(seq 1 50); do
	if [ "$(probe_value)" = 1 ]; then break; fi
	sleep 0.1
done
if [ "$(probe_value)" != 1 ]; then
	echo "FAIL: the probe connection's request was not answered before any sync" >&2
	cat "$dir/probe.log" >&2
	exit 1
fi
echo "    its request answered"

step "hold a sync open: node 2's qdevice stopped (SIGSTOP), node 3's corosync killed"
signal 2 STOP /run/qdevice.pid
node_stop 3
expect_corosync 'Total votes: +3'  # votequorum's sync has begun: node 3 is out
sync_began=$(now_ns)
echo "$probe_key u32 2" >&3
while [ $(($(now_ns) - sync_began)) -lt 2000000000 ]; do
	if ! held; then
		echo "FAIL: the probe connection's request was answered: no sync is held ($(probe_value))" >&2
		exit 1
	fi
	sleep 0.1
done
echo "    the probe connection's request is unanswered after $(since "$sync_began") s; a fresh cmap connection answers"
on_node 1 timeout 5 corosync-quorumtool -s | grep -E '^(Expected|Total) votes|^Flags' | sed 's/^/    /'

step "expected votes set to 3 on node 1 while the sync is held"
t0=$(now_ns)
on_node 1 corosync-quorumtool -e 3
published_within_2s "expected votes" "$t0" votequorum_expected_votes=3
expect_corosync 'Expected votes: +3'

step "qnetd killed while the sync is held: node 1's qdevice stops casting its vote"
t0=$(now_ns)
signal 100 KILL /run/qnetd.pid
published_within_2s "qdevice vote" "$t0" votequorum_qdevice_cast_vote=0 votequorum_total_votes=2
expect_corosync 'Total votes: +2'

step "the series that wait behind the held sync say how old they are"
# Names (cmap) and rings (cfg) are read on the monitor's connections made
# before the sync: held since it began, more than 2 s ago.
ages=$(served | grep -E '^votequorum_(names|rings)_age_seconds ' || true)
if ! held; then
	echo "FAIL: the sync was no longer held when the ages were read: this run proves nothing" >&2
	exit 1
fi
for series in votequorum_names_age_seconds votequorum_rings_age_seconds; do
	age=$(sed -nE "s/^$series ([0-9.e+-]+)\$/\1/p" <<<"$ages")
	if [ -z "$age" ] || ! awk -v a="$age" 'BEGIN { exit !(a > 2) }'; then
		echo "FAIL: $series is '${age:-absent}' while its reads have been held for over 2 s" >&2
		failures=$((failures + 1))
	else
		echo "    $series $age while held"
	fi
done

step "release: node 2's qdevice continued, qnetd and node 3 started"
signal 2 CONT /run/qdevice.pid
qnetd_start
node_start 3
released=$(now_ns)
while held && [ $(($(now_ns) - released)) -lt 60000000000 ]; do
	sleep 0.2
done
if held; then
	echo "FAIL: the probe connection's request is still unanswered 60 s after the release" >&2
	exit 1
fi
echo "    the held request answered $(since "$sync_began") s after the sync began"
if ! on_node 3 pgrep -x corosync-qdevic >/dev/null; then
	qdevice_start 3
fi
wait_served 60 'votequorum_up 1' 'votequorum_quorate 1' 'votequorum_expected_votes 4' 'votequorum_total_votes 4' \
	'votequorum_qdevice_cast_vote 1'
# Released, names and rings are read every second again.
wait_served 10 'votequorum_names_age_seconds (0|[01]\.[0-9e-]+)' 'votequorum_rings_age_seconds (0|[01]\.[0-9e-]+)'

if [ "$failures" -gt 0 ]; then
	echo "FAIL: $failures series not published within 2 s while the sync was held" >&2
	exit 1
fi
step "ok"
