#!/bin/bash
# votequorum-monitor --listen beside ClusterLabs' ha_cluster_exporter
# (Debian's prometheus-hacluster-exporter, which forks corosync-quorumtool
# -p and corosync-cfgtool -s per scrape), both on node 1 of a 3-node cluster
# with qnetd and a qdevice on each node. In each state every
# ha_cluster_corosync_* sample and TYPE line of the two must be the same,
# except for the differences declared in DIFFERENCES (and each declared
# one must show): all up; qnetd stopped (the qdevice votes 0); node 3 dead;
# the qdevices of nodes 1 and 2 stopped (quorum lost); node 2 dead too
# (quorum lost, one member); nodes back and node 3 renamed by a config reload;
# a second knet link added by a reload; that link cut between nodes 1 and 2
# (ours: ring 1 at 0 and ring_errors 1; theirs has no rings on knet);
# node 1's corosync dead (neither serves a corosync series then; ours says
# votequorum_up 0, theirs ha_cluster_scrape_success{collector="corosync"} 0).
# promtool must accept every exposition of both. It prints, measured in
# this run for both: per-scrape latency (median, p99), processes made per
# scrape, CPU per 1,000 scrapes (the exporter with the children it reaped,
# and corosync's own), and freshness (fault to changed series) for qnetd's
# death, a node's death, the rename and the cut link.
#   exporter_vs_ha_cluster_exporter.sh VOTEQUORUM_MONITOR DIFFERENCES
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
declared=$(readlink -f "$2")
export VQ_MONITOR VQ_CLUSTER_QNETD=1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
dir=$VQ_CLUSTER_DIR
ours=http://127.0.0.1:9669/metrics
theirs=http://127.0.0.1:9664/metrics
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in ha_cluster_exporter promtool curl; do
	command -v "$tool" >/dev/null || fail "$tool is missing (tests/setup.sh installs it)"
done

# In node 1's network namespace only: a client there makes no process in
# node 1's PID namespace (the process count below is of that namespace).
in_net1() { nsenter --target "$(cat "$dir/node1/agent.pid")" --net -- "$@"; }
scrape() { in_net1 curl -s --max-time 5 "$1"; }  # URL
# The ha_cluster_corosync_* samples and TYPE lines of an exposition, sorted.
corosync_lines() { grep -E '^(# TYPE )?ha_cluster_corosync_' | LC_ALL=C sort || true; }

step "3 nodes, qnetd, a qdevice on each node"
cluster_up 3
for i in 1 2 3; do wait_for "$i" '"quorate":true'; done
for i in 1 2 3; do qdevice_start "$i"; done
wait_for 1 '"qdevice_cast_vote".*"quorate":true.*"total_votes":4'

step "both exporters on node 1"
on_node 1 sh -c "setsid '$VQ_MONITOR' --listen 127.0.0.1:9669 > $dir/ours.log 2>&1 < /dev/null & echo \$! > /run/ours.pid"
# Only its corosync collector: the other collectors' programs do not exist.
on_node 1 sh -c "setsid ha_cluster_exporter --web.listen-address=127.0.0.1:9664 --crm-mon-path=/nonexistent \
	--cibadmin-path=/nonexistent --sbd-path=/nonexistent --drbdsetup-path=/nonexistent \
	> $dir/theirs.log 2>&1 < /dev/null & echo \$! > /run/theirs.pid"
for _ in $(seq 1 100); do
	if grep -E '^ha_cluster_corosync_quorate 1$' <<<"$(scrape "$theirs" || true)" >/dev/null &&
		grep -E '^ha_cluster_corosync_quorate 1$' <<<"$(scrape "$ours" || true)" >/dev/null; then
		break
	fi
	sleep 0.1
done

# Waits (30 s) until the two expositions differ in exactly the differences
# declared for STATE, each of which shows; checks both with promtool and
# each anchored PATTERN against ours ("!PATTERN": no line matches).
compare() {  # STATE PATTERN...
	local state=$1 a b only_ours only_theirs problems="" line side pattern states hit pat deadline=$((SECONDS + 30))
	shift
	while :; do
		a=$(scrape "$ours" || true)
		b=$(scrape "$theirs" || true)
		only_ours=$(LC_ALL=C comm -23 <(corosync_lines <<<"$a") <(corosync_lines <<<"$b"))
		only_theirs=$(LC_ALL=C comm -13 <(corosync_lines <<<"$a") <(corosync_lines <<<"$b"))
		problems=""
		# Each difference must be declared for this state...
		for side in ours theirs; do
			if [ $side = ours ]; then lines=$only_ours; else lines=$only_theirs; fi
			while IFS= read -r line; do
				[ -n "$line" ] || continue
				hit=""
				while read -r states dside pattern; do
					if [ "$dside" != "$side" ] || [[ ,$states, != *",$state,"* ]]; then continue; fi
					if grep -E -- "^$pattern\$" <<<"$line" >/dev/null; then hit=1; break; fi
				done < <(grep -E -v '^(#|$)' "$declared")
				[ -n "$hit" ] || problems+="    undeclared, only in $side: $line"$'\n'
			done <<<"$lines"
		done
		# ...and each difference declared for it must show.
		while read -r states dside pattern; do
			[[ ,$states, == *",$state,"* ]] || continue
			if [ "$dside" = ours ]; then lines=$only_ours; else lines=$only_theirs; fi
			grep -E -- "^$pattern\$" <<<"$lines" >/dev/null || problems+="    declared but not shown, only in $dside: $pattern"$'\n'
		done < <(grep -E -v '^(#|$)' "$declared")
		for pat in "$@"; do
			if [[ $pat == !* ]]; then
				if grep -E -- "^${pat#!}\$" <<<"$a" >/dev/null; then problems+="    ours has a line matching ^${pat#!}\$"$'\n'; fi
			elif ! grep -E -- "^$pat\$" <<<"$a" >/dev/null; then
				problems+="    ours has no line matching ^$pat\$"$'\n'
			fi
		done
		if [ -z "$problems" ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
		sleep 0.2
	done
	if [ -n "$problems" ]; then
		echo "FAIL ($state): the exporters still differ after 30 s:" >&2
		printf '%s' "$problems" >&2
		echo "  ours:" >&2
		corosync_lines <<<"$a" | sed 's/^/    | /' >&2
		echo "  theirs:" >&2
		corosync_lines <<<"$b" | sed 's/^/    | /' >&2
		exit 1
	fi
	promtool check metrics <<<"$a" || fail "promtool rejects ours ($state)"
	promtool check metrics <<<"$b" || fail "promtool rejects theirs ($state)"
	echo "    $state: $(grep -c -E '^ha_cluster_corosync_' <<<"$a" || true) corosync samples in ours," \
		"$(grep -c -E '^ha_cluster_corosync_' <<<"$b" || true) in theirs; only the declared differences; promtool accepts both"
	grep -E '^ha_cluster_corosync_' <<<"$a" | sed 's/^/        /' || true
}

compare all-up 'ha_cluster_corosync_quorate 1' 'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 4' \
	'ha_cluster_corosync_member_votes\{local="true",node="node1",node_id="1"\} 1' \
	'ha_cluster_corosync_member_votes\{local="false",node="node3",node_id="3"\} 1' \
	'ha_cluster_corosync_member_votes\{local="false",node="Qdevice",node_id="0"\} 1' 'ha_cluster_corosync_ring_errors 0'

# --- The cost of a scrape, each exporter alone ------------------------------
# The last pid given out in node 1's PID namespace (the reading itself is
# one process there).
pidns_last() { on_node 1 cat /proc/sys/kernel/ns_last_pid; }
# The host's pid of the process whose pid in node 1 is in FILE there.
host_pid() {  # FILE
	local ns_pid ns f
	ns_pid=$(on_node 1 cat "$1")
	ns=$(readlink "/proc/$(cat "$dir/node1/agent.pid")/ns/pid")
	for f in /proc/[0-9]*; do
		if [ "$(readlink "$f/ns/pid" 2>/dev/null || true)" = "$ns" ] &&
			grep -E "^NSpid:.*[[:space:]]$ns_pid\$" "$f/status" >/dev/null 2>&1; then
			echo "${f#/proc/}"
			return 0
		fi
	done
	fail "no process for pid $ns_pid of node 1"
}
# utime+stime+cutime+cstime of host pid PID, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
measure() {  # NAME URL PIDFILE SCRAPES
	local name=$1 url=$2 n=$4 pid corosync p0 p1 c0 c1 k0 k1 times args=()
	pid=$(host_pid "$3")
	corosync=$(host_pid /run/corosync.agentpid)
	for _ in $(seq 1 "$n"); do args+=(-o /dev/null "$url"); done
	scrape "$url" >/dev/null
	c0=$(cpu_ticks "$pid")
	k0=$(cpu_ticks "$corosync")
	p0=$(pidns_last)
	# One curl, one connection, N scrapes: the time of each.
	times=$(in_net1 curl -s -w '%{time_total}\n' "${args[@]}")
	p1=$(pidns_last)
	k1=$(cpu_ticks "$corosync")
	c1=$(cpu_ticks "$pid")
	[ "$(grep -c -E '^[0-9.]+$' <<<"$times")" -eq "$n" ] || fail "$name: $n scrapes did not all answer"
	LC_ALL=C sort -g <<<"$times" | awk -v name="$name" -v n="$n" -v procs=$((p1 - p0 - 1)) -v cpu=$((c1 - c0)) \
		-v cor=$((k1 - k0)) -v hz="$hz" '
		{ t[NR] = $1 }
		END {
			p99 = int(n * 0.99 + 0.999)
			printf "    %-20s %4d scrapes: latency median %7.2f ms, p99 %7.2f ms; %.2f processes per scrape;", name, n,
				t[int((n + 1) / 2)] * 1000, t[p99] * 1000, procs / n
			printf " CPU per 1,000 scrapes: exporter %.2f s, corosync %.2f s\n", cpu / hz * 1000 / n, cor / hz * 1000 / n
		}'
}
step "scrape cost, one exporter at a time (processes: made in node 1's PID namespace)"
measure votequorum-monitor "$ours" /run/ours.pid 1000
measure ha_cluster_exporter "$theirs" /run/theirs.pid 100

# --- Freshness: from a fault to the changed series, both polled at once -----
# Writes, per exporter, the seconds from START until PATTERN first (or, with
# "!PATTERN", no longer) matches a line of its exposition.
watch_for() {  # URL START PATTERN OUT
	local url=$1 start=$2 pattern=$3 out=$4 body deadline=$((SECONDS + 30))
	while [ "$SECONDS" -lt "$deadline" ]; do
		body=$(scrape "$url" || true)
		if [[ $pattern == !* ]]; then
			# (gone from an exposition that has the corosync series, not from a failed scrape)
			if grep -E '^ha_cluster_corosync_quorate ' <<<"$body" >/dev/null &&
				! grep -E -- "^${pattern#!}\$" <<<"$body" >/dev/null; then
				break
			fi
		elif grep -E -- "^$pattern\$" <<<"$body" >/dev/null; then
			break
		fi
		sleep 0.01
	done
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "no change within 30" > "$out"  # (compare then fails)
	else
		awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }' > "$out"
	fi
}
freshness() {  # WHAT PATTERN (after the fault was made at $start)
	watch_for "$ours" "$start" "$2" "$dir/fresh.ours" &
	local w1=$!
	watch_for "$theirs" "$start" "$2" "$dir/fresh.theirs" &
	wait "$w1" $!
	echo "    freshness ($1): votequorum-monitor $(cat "$dir/fresh.ours") s, ha_cluster_exporter $(cat "$dir/fresh.theirs") s"
}

step "qnetd stops: the qdevices stay registered but cast no vote"
start=$(date +%s.%N)
on_node 100 sh -c "kill \$(cat /run/qnetd.pid)"
freshness "qnetd killed -> the qdevice's votes 0" 'ha_cluster_corosync_member_votes\{local="false",node="Qdevice",node_id="0"\} 0'
compare qnetd-stopped 'ha_cluster_corosync_member_votes\{local="false",node="Qdevice",node_id="0"\} 0' \
	'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 3' 'ha_cluster_corosync_quorate 1'
qnetd_start
wait_for 1 '"qdevice_cast_vote".*"quorate":true.*"total_votes":4'

step "node 3 dies"
start=$(date +%s.%N)
node_stop 3
freshness "node 3 killed -> its member_votes series gone" '!ha_cluster_corosync_member_votes\{.*node_id="3"\} .*'
compare node-dead '!ha_cluster_corosync_member_votes\{.*node_id="3"\} .*' 'ha_cluster_corosync_quorate 1' \
	'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 3'

step "the qdevices on nodes 1 and 2 stop"
for i in 1 2; do on_node "$i" sh -c "kill \$(cat /run/qdevice.pid)"; done
compare qdevice-stopped '!ha_cluster_corosync_member_votes\{local="false",node="Qdevice",node_id="0"\} 1' \
	'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 2'

step "node 2 dies too: quorum lost"
node_stop 2
compare quorum-lost 'ha_cluster_corosync_quorate 0' '!ha_cluster_corosync_member_votes\{.*node_id="2"\} .*'

step "nodes 2 and 3 back; node 3 renamed by a config reload"
node_start 2
node_start 3
wait_for 1 '"quorate":true.*"total_votes":3'
compare renamed 'ha_cluster_corosync_member_votes\{local="false",node="node3",node_id="3"\} 1'
start=$(date +%s.%N)
rename_node 3 node3-renamed
freshness "config reload -> node 3's new name" 'ha_cluster_corosync_member_votes\{local="false",node="node3-renamed",node_id="3"\} 1'
compare renamed 'ha_cluster_corosync_member_votes\{local="false",node="node3-renamed",node_id="3"\} 1' \
	'!ha_cluster_corosync_member_votes\{.*node="node3",.*'

step "a second knet link (10.99.1.0/24), added by a config reload"
for i in 1 2 3; do
	on_node "$i" ip addr add "10.99.1.$i/24" dev "vq$i-n"
	awk '{ print } /^\t\tring0_addr: 10\.99\.0\./ { a = $2; sub(/^10\.99\.0\./, "10.99.1.", a); print "\t\tring1_addr: " a }' \
		"$dir/node$i/corosync.conf" > "$dir/node$i/corosync.conf.new"
	mv "$dir/node$i/corosync.conf.new" "$dir/node$i/corosync.conf"
done
on_node 1 corosync-cfgtool -R >/dev/null
compare two-links 'ha_cluster_corosync_rings\{address="10\.99\.1\.1",node_id="1",number="1",ring_id="[^"]+"\} 1' \
	'ha_cluster_corosync_ring_errors 0'

step "link 1 cut between nodes 1 and 2 (link 0 still up: all three stay members)"
start=$(date +%s.%N)
on_node 1 ip route add blackhole 10.99.1.2/32
on_node 2 ip route add blackhole 10.99.1.1/32
watch_for "$ours" "$start" 'ha_cluster_corosync_ring_errors 1' "$dir/fresh.ours"
echo "    freshness (link 1 cut -> ring 1 at 0, ring_errors 1): votequorum-monitor $(cat "$dir/fresh.ours") s," \
	"ha_cluster_exporter never (no ring series on knet; its ring_errors stays 0)"
compare link-down 'ha_cluster_corosync_ring_errors 1' \
	'ha_cluster_corosync_rings\{address="10\.99\.1\.1",node_id="1",number="1",ring_id="[^"]+"\} 0' \
	'ha_cluster_corosync_rings\{address="10\.99\.0\.1",node_id="1",number="0",ring_id="[^"]+"\} 1' \
	'ha_cluster_corosync_member_votes\{local="false",node="node2",node_id="2"\} 1'

step "node 1's corosync dies"
node_stop 1
compare corosync-dead '!ha_cluster_corosync_.*'
a=$(scrape "$ours")
b=$(scrape "$theirs")
grep -E '^votequorum_up 0$' <<<"$a" >/dev/null || fail "ours does not say votequorum_up 0"
grep -E '^ha_cluster_scrape_success\{collector="corosync"\} 0$' <<<"$b" >/dev/null ||
	fail "theirs does not say ha_cluster_scrape_success{collector=\"corosync\"} 0"
echo "    corosync-dead: ours serves votequorum_up 0, theirs ha_cluster_scrape_success{collector=\"corosync\"} 0; no corosync series in either"
step "ok"
