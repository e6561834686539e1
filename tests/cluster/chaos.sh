#!/bin/bash
# Chaos: seeded random faults on a live 3-node cluster, with real clients on
# our library, checking after every fault that each client converged to the
# daemon's truth and that nothing crashed, hung or leaked.
#
# The cluster (tests/cluster/cluster.sh): 3 corosync nodes, corosync-qnetd
# on a fourth namespace, Debian's corosync-qdevice on every node (on the
# clients' library). The clients, on each node:
#   - votequorum-monitor --listen --follow --json (it reconnects by itself);
#   - chaos_client (clientI, on libvotequorum): tracks changes and keeps its
#     view from its callbacks, two threads making requests (getinfo,
#     context_get) in a loop;
#   - quorum_chaos_client (quorumI, on libquorum, V1 model): tracks changes
#     and keeps its view (quorate, members) from its quorum callback, checked
#     against its node list callback; two threads making requests
#     (getquorate, context_get) in a loop;
#   - on node 1 also chaos_client with 200 handles, all tracking (many1).
# Every client that loses its daemon reconnects: finalize, then initialize
# again with retries (chaos_client.c, quorum_chaos_client.c), or the
# monitor's own loop.
#
# Faults, drawn from the seed, one at a time with random pauses: SIGKILL a
# node's corosync and restart it (and its qdevice, as systemd would);
# SIGSTOP a node's corosync for less (0.5 s) or more (3 s) than the token
# timeout (1 s), then SIGCONT; cut a node off the bridge for 2 to 5 s and
# heal it; kill and restart qnetd; kill and restart one client.
#
# After each fault, within VQ_CHAOS_SETTLE seconds (default 60), on every
# node the monitor's last line, the client's view and the 200 handles must
# all equal what Debian's corosync-quorumtool -s (on Debian's library) says
# on that node: quorate, members, each member's votes, expected and total
# votes, and the qdevice's registered/alive/cast-vote state; the libquorum
# client's view must equal its quorate and members (all libquorum gives).
# Every client must answer within 2 s (chaos_client, quorum_chaos_client:
# SIGUSR1, an answer file; monitor: a scrape of /metrics), none may have
# counted a wrong answer to a request, and no process may have died that the
# fault did not kill. At the end, each long-lived client's fd count,
# /dev/shm mappings and anonymous RSS are compared with their values after
# warm-up (bounds: 0 fds, 0 mappings, 2048 KiB), and the nodes' /dev/shm
# must hold no file of a client that has exited. (Anonymous: the shared
# rings' pages count in RSS as the ring cursors first reach them, up to the
# rings' size, which the mapping count bounds; a leak of ours would be
# anonymous.)
#
# Run from the repository root, as root:
#   VQ_BUILD=build VQ_CHAOS_SEED=S VQ_CHAOS_FAULTS=F tests/cluster/chaos.sh
# VQ_BUILD: the build directory (default build); VQ_CHAOS_SEED: default
# random (printed); VQ_CHAOS_FAULTS: default 24 (about 4 minutes);
# VQ_CHAOS_LIB=debian runs chaos_client, quorum_chaos_client and qdevice on
# Debian's libraries instead (the monitor is C++ and always ours): a
# comparison, not a gate. VQ_CHAOS_THREADS: the request threads of each
# chaos_client and quorum_chaos_client (default 2). Debian's libraries do
# not serialize requests on one handle, so there threads sharing a handle
# get each other's replies (docs/differences.md, "Threads, handles and
# finalize"), counted as wrong answers;
# VQ_CHAOS_THREADS=1 compares without that for quorum_chaos_client
# (chaos_client also makes requests from its main thread when asked).
# The last line:
#   chaos: seed S, F faults, C checks, D divergences, X crashes, H hangs, growth fd=N shm=N rss=NKiB,
#   slow convergences N (a monitor among the last views: M), settles behind a moving truth K
# A slow convergence (5 s or more) is blamed on the views that still
# disagreed in the round before the one that settled, but only on those
# whose node's truth had then been the same for 2 s or more in that settle
# (every view re-reads within a second); where every view behind disagreed
# with a truth younger than that, the cluster itself was still changing (a
# node joining, a qdevice registering): that settle is counted in K, not N.
# and the exit status is 0 only when D, X and H are 0 and growth is within
# the bounds. A failure names the seed and the fault before it.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${VQ_BUILD:-build}")
VQ_MONITOR=$build/tools/votequorum-monitor
client=$build/tests/cluster/chaos_client
quorum_client=$build/tests/cluster/quorum_chaos_client
for f in "$VQ_MONITOR" "$client" "$quorum_client"; do
	[ -x "$f" ] || { echo "chaos: $f is missing (VQ_BUILD=$build)" >&2; exit 2; }
done
case ${VQ_CHAOS_LIB:-ours} in
ours) clientlib=$build ;;
debian) clientlib="" ;;
*) echo "chaos: VQ_CHAOS_LIB is ours or debian" >&2; exit 2 ;;
esac
seed=${VQ_CHAOS_SEED:-$((SRANDOM % 1000000))}
faults=${VQ_CHAOS_FAULTS:-24}
settle=${VQ_CHAOS_SETTLE:-60}
threads=${VQ_CHAOS_THREADS:-2}
RANDOM=$seed
export VQ_MONITOR VQ_CLUSTER_QNETD=1
# shellcheck source-path=SCRIPTDIR source=cluster.sh
source "$top/tests/cluster/cluster.sh"
trap cluster_down EXIT
dir=$VQ_CLUSTER_DIR
echo "chaos: seed $seed, $faults faults, clients on ${VQ_CHAOS_LIB:-ours} library (replay: VQ_CHAOS_SEED=$seed VQ_CHAOS_FAULTS=$faults)"

checks=0 divergences=0 crashes=0 hangs=0 slow=0 slow_monitor=0 moving=0
# Each node's truth when last read, and when it was first read so (ms),
# within one settle: each settle begins after a fault, and the truth may
# have changed and come back meanwhile unread (a corosync restarted). Kept
# across settles, a truth seen the same before and after the warm-up's
# restart of all three daemons was once taken as held for 14.9 s in a
# settle of 12 s, and a monitor was blamed as behind it that long
# (47c904a's run).
declare -A truth_was=() truth_since=()
fault_text="(none yet)"
problem() {  # TEXT: one line, with what preceded it
	echo "chaos: PROBLEM after fault \"$fault_text\" (seed $seed): $*"
}

# --- processes -------------------------------------------------------------
# Each client has a name (monitor1, client2, quorum3, many1); its pid (in
# its node's PID namespace) is in $dir/NAME.pid, its output in
# $dir/NAME.log.
node_of() { echo "${1//[!0-9]/}"; }
start_client() {  # NAME
	local name=$1 i pid
	i=$(node_of "$name")
	# glibc's mmap threshold fixed: otherwise a process's first
	# reconnections move libqb's receive buffers onto the heap (glibc raises
	# the threshold once a mapped block is freed), the same on Debian's
	# library, and the 200-handle process's anonymous memory jumps from 2
	# to 25 or 43 MiB, once: a step of glibc's, which would hide a leak of ours.
	case $name in
	monitor*) set -- env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 "$VQ_MONITOR" --listen 127.0.0.1:9669 --follow --json --corosync-conf "$dir/node$i/corosync.conf" ;;
	client*) set -- env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 LD_LIBRARY_PATH="$clientlib" "$client" --handles 1 --threads "$threads" --out "$dir/$name.view" ;;
	many*) set -- env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 LD_LIBRARY_PATH="$clientlib" "$client" --handles 200 --threads 0 --out "$dir/$name.view" ;;
	quorum*) set -- env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 LD_LIBRARY_PATH="$clientlib" "$quorum_client" --threads "$threads" --out "$dir/$name.view" ;;
	esac
	pid=$(on_node "$i" bash -c 'setsid "$@" > "'"$dir/$name.log"'" 2>&1 < /dev/null & echo $!' _ "$@")
	echo "$pid" > "$dir/$name.pid"
	echo "$i:$pid" >> "$dir/started"  # for the leftover check at the end
	rm -f "$dir/$name.base"  # its warm-up figures are taken anew
}
clients=(monitor1 client1 many1 quorum1 monitor2 client2 quorum2 monitor3 client3 quorum3)
alive() {  # NAME
	on_node "$(node_of "$1")" kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null
}
stop_client() {  # NAME (SIGKILL, as a crash would)
	on_node "$(node_of "$1")" kill -KILL "$(cat "$dir/$1.pid")" 2>/dev/null || true
}
# Live processes named COMM on node I. Zombies do not count: a node's PID 1
# (cluster.sh's agent) does not reap what it inherits.
live() {  # I COMM
	on_node "$1" ps -C "$2" -o pid=,stat= | awk '$2 !~ /^Z/ { print $1 }'
}
qdevice_running() { [ -n "$(live "$1" corosync-qdevic)" ]; }  # comm: 15 characters
ensure_qdevice() {  # I: a qdevice on node I, as its service manager would restart it
	qdevice_running "$1" || qdevice_start "$1" "$clientlib"
}
corosync_pid() { live "$1" corosync; }
# A corosync restart waits on states, not on time: the old qdevice gone
# (it exits when its corosync does), then the new corosync's first
# synchronisation in its log. Each wait is bounded; a bound passed is said,
# with the end of the log, and the run goes on (the checks that follow then
# fail with that context).
corosync_report() {  # I: whether node I's corosync runs, and the end of its log
	local pid
	pid=$(corosync_pid "$1" | tr '\n' ' ' || true)
	echo "    corosync on node $1: ${pid:-not running}; the end of its log:"
	tail -n 8 "$dir/node$1/corosync.log" | sed 's/^/      | /' || true
}
syncs_logged() { grep -c 'Completed service synchronization' "$dir/node$1/corosync.log" || true; }
wait_qdevice_gone() {  # I
	local end=$((SECONDS + 10))
	while qdevice_running "$1"; do
		if [ $SECONDS -ge "$end" ]; then
			echo "    node $1: its qdevice still runs 10 s after its corosync was stopped"
			return 0
		fi
		sleep 0.05
	done
}
wait_synced() {  # I SYNCS_BEFORE
	local end=$((SECONDS + 30))
	while [ "$(syncs_logged "$1")" -le "$2" ]; do
		if [ $SECONDS -ge "$end" ]; then
			echo "    node $1: its corosync logged no synchronisation 30 s after it started"
			corosync_report "$1"
			return 0
		fi
		sleep 0.05
	done
}
# Node I's corosync, stopped, started again: its old qdevice gone first,
# then the new daemon's first synchronisation, then a qdevice.
restart_stopped() {  # I
	local syncs
	wait_qdevice_gone "$1"
	syncs=$(syncs_logged "$1")
	node_start "$1"
	wait_synced "$1" "$syncs"
	ensure_qdevice "$1"
}
# corosync 3.1.7 can abort by itself when nodes join: "votequorum.c:2123:
# message_handler_req_exec_votequorum_nodeinfo: Assertion `sender_node !=
# NULL' failed." (a node's information from a node it does not know yet;
# seen once at the warm-up's restart of all three, and most likely the
# cause of one earlier failed run). That is the daemon's defect, not the
# clients', and no client call reaches that handler (it takes messages
# from the other nodes). A node whose corosync is gone with that line last
# in its log is started again, as its service manager would, said and
# counted; the clients must then converge as after any restart. Any other
# death of a daemon is left as it is, and the checks fail on it.
daemon_aborts=0
revive_if_aborted() {  # I
	[ -z "$(corosync_pid "$1")" ] || return 0
	tail -n 3 "$dir/node$1/corosync.log" 2>/dev/null |
		grep -F "message_handler_req_exec_votequorum_nodeinfo: Assertion \`sender_node != NULL' failed." >/dev/null || return 0
	daemon_aborts=$((daemon_aborts + 1))
	echo "    node $1: corosync aborted by itself (its assertion on a node's information from a node it did not know yet: a corosync defect); started again"
	restart_stopped "$1"
}
# The library a C client runs on: the libvotequorum or libquorum it maps
# (waits up to 5 s for it to start).
client_lib() {  # NAME
	local lib=libvotequorum mapped=""
	[[ $1 != quorum* ]] || lib=libquorum
	for _ in $(seq 1 50); do
		mapped=$(on_node "$(node_of "$1")" cat "/proc/$(cat "$dir/$1.pid")/maps" 2>/dev/null |
			grep -oE "/[^ ]*/$lib\.so[^ ]*" | sort -u || true)
		if [ -n "$mapped" ]; then break; fi
		sleep 0.1
	done
	echo "${mapped:-none}"
}

# --- views -----------------------------------------------------------------
# All views have one form:
#   quorate=Q members=1,2,3 votes=1:1,2:1,3:1 expected=E total=T qdevice=R/A/C
truth() {  # I: what Debian's corosync-quorumtool -s says on node I
	local out
	out=$(on_node "$1" env LD_LIBRARY_PATH='' corosync-quorumtool -s 2>"$dir/truth$1.err" || true)
	awk '
		/^Quorate:/ { q = ($2 == "Yes") }
		/^Expected votes:/ { e = $3 }
		/^Total votes:/ { t = $3 }
		/Nodeid +Votes/ { table = 1; next }
		table && $1 ~ /^[0-9]+$/ && $1 != 0 {
			m = m (m == "" ? "" : ",") $1; v = v (v == "" ? "" : ",") $1 ":" $2
			if ($0 ~ /\(local\)/) {
				d = $3
				if (d == "NR") dev = "0/0/0"
				else dev = "1/" (d ~ /(^|,)A(,|$)/ ? 1 : 0) "/" (d ~ /(^|,)V(,|$)/ ? 1 : 0)
			}
		}
		END {
			if (e == "") { print "none"; exit }
			printf "quorate=%d members=%s votes=%s expected=%s total=%s qdevice=%s\n", q, m, v, e, t, dev
		}' <<<"$out"
}
# Why node I gave no truth: what corosync-quorumtool said, whether the
# node's corosync runs, and the end of its log.
no_truth_why() {  # I
	echo "    corosync-quorumtool -s on node $1 said: $(head -n 2 "$dir/truth$1.err" | tr '\n' ' ')"
	corosync_report "$1"
}
monitor_view() {  # I: the monitor's last JSON line, in the same form
	tail -n 1 "$dir/monitor$1.log" 2>/dev/null | jq -r '
		def b: if . then 1 else 0 end;
		([.members[] | select(.nodeid != 0 and .state == "member")] | sort_by(.nodeid)) as $m
		| "quorate=\(.quorate | b) members=\([$m[].nodeid | tostring] | join(",")) votes=\([$m[] | "\(.nodeid):\(.votes)"] | join(",")) expected=\(.expected_votes) total=\(.total_votes) qdevice=\(.qdevice.registered | b)/\(.qdevice.alive | b)/\(.qdevice.cast_vote | b)"' 2>/dev/null || echo none
}
# Asks a chaos_client or quorum_chaos_client for its answer file; fails (a
# hang) after 2 s.
ask() {  # NAME
	local name=$1 before="" after=""
	[ -f "$dir/$name.view" ] && before=$(sed -E 's/^answer=([0-9]+).*/\1/' "$dir/$name.view")
	on_node "$(node_of "$name")" kill -USR1 "$(cat "$dir/$name.pid")" 2>/dev/null || return 1
	for _ in $(seq 1 40); do
		[ -f "$dir/$name.view" ] && after=$(sed -E 's/^answer=([0-9]+).*/\1/' "$dir/$name.view")
		if [ -n "$after" ] && [ "$after" != "$before" ]; then return 0; fi
		sleep 0.05
	done
	return 1
}
client_view() {  # NAME: its view, after asking
	sed -E 's/.* view=//' "$dir/$1.view"
}
field() {  # NAME KEY: a key=value of its answer file
	sed -E "s/.* $2=([^ ]*).*/\\1/" "$dir/$1.view"
}

# Waits until, at one moment, every client's view equals its node's truth.
# Counts one check per client; divergences are what never converged.
settle_and_check() {
	local deadline=$((SECONDS + settle)) start=$SECONDS i name t tq v last="" now age held
	local -a bad=() behind=() last_behind=()
	truth_was=() truth_since=()
	while :; do
		# Every view that still disagreed in the last round that did not
		# settle (the first view checked is not more to blame than the rest),
		# and those of them that disagreed with a truth held for 2 s.
		if [ ${#bad[@]} != 0 ]; then
			last=$(printf '%s; ' "${bad[@]}")
			last=${last%; }
			last_behind=("${behind[@]}")
		fi
		bad=() behind=()
		for i in 1 2 3; do
			t=$(truth "$i")
			now=$((${EPOCHREALTIME/./} / 1000))
			if [ "${truth_was[$i]-}" != "$t" ]; then
				truth_was[$i]=$t
				truth_since[$i]=$now
			fi
			age=$((now - truth_since[$i]))
			held=""
			[ "$age" -lt 2000 ] || held=1
			if [ "$t" = none ]; then
				bad+=("node $i: no truth (corosync not answering)")
				revive_if_aborted "$i"
				continue
			fi
			# libquorum's part of the truth: quorate and members.
			tq=${t%% votes=*}
			v=$(monitor_view "$i")
			if [ "$v" != "$t" ]; then
				bad+=("monitor$i: $v | truth ($age ms unchanged): $t")
				[ -z "$held" ] || behind+=("monitor$i")
			fi
			for name in "client$i" "many$i" "quorum$i"; do
				[ -f "$dir/$name.pid" ] || continue
				if ! ask "$name"; then
					bad+=("$name: no answer within 2 s")
					behind+=("$name")
					continue
				fi
				v=$(client_view "$name")
				if [[ $name == quorum* ]]; then
					[ "$v" = "$tq" ] || { bad+=("$name: $v | truth ($age ms unchanged): $tq"); [ -z "$held" ] || behind+=("$name"); }
				else
					[ "$v" = "$t" ] || { bad+=("$name: $v | truth ($age ms unchanged): $t"); [ -z "$held" ] || behind+=("$name"); }
				fi
				if [ "$name" = many1 ] && [ "$(field many1 agree)" != 200/200 ]; then
					bad+=("many1: handles agreeing $(field many1 agree)")
					behind+=(many1)
				fi
			done
		done
		if [ ${#bad[@]} = 0 ] || [ $SECONDS -ge $deadline ]; then break; fi
		sleep 0.5
	done
	# A slow convergence is named (not a failure): who was last to agree.
	# A first round that agreed but took 5 s or more is a slow round (a busy
	# machine), not a slow view; a last round whose every view behind
	# disagreed with a truth under 2 s old was the cluster still changing.
	if [ ${#bad[@]} = 0 ] && [ $((SECONDS - start)) -ge 5 ]; then
		if [ -z "$last" ]; then
			echo "    settled in the first round, which took $((SECONDS - start)) s (asking every view)"
		elif [ ${#last_behind[@]} = 0 ]; then
			moving=$((moving + 1))
			echo "    settled after $((SECONDS - start)) s behind a moving truth (no view was behind a truth held for 2 s); the last round: $last"
		else
			slow=$((slow + 1))
			[[ " ${last_behind[*]} " != *" monitor"* ]] || slow_monitor=$((slow_monitor + 1))
			echo "    settled after $((SECONDS - start)) s; the last views to agree (${#last_behind[@]} behind a truth held for 2 s): $last"
			# What a monitor behind said besides its JSON lines (its
			# connection's ups and downs), and when its last lines came.
			for name in "${last_behind[@]}"; do
				[[ $name == monitor* ]] || continue
				echo "    $name's last lines other than its state:"
				grep -v '^{' "$dir/$name.log" | tail -n 5 | sed 's/^/      | /' || true
				echo "    $name's log: $(grep -c '^{' "$dir/$name.log" || true) JSON lines, last written $(( $(date +%s) - $(stat -c %Y "$dir/$name.log") )) s ago"
			done
		fi
	fi
	checks=$((checks + ${#clients[@]}))
	for v in "${bad[@]}"; do
		if [[ $v == *"no answer within 2 s"* ]]; then hangs=$((hangs + 1)); else divergences=$((divergences + 1)); fi
		problem "$v"
		if [[ $v =~ ^node\ ([0-9]+):\ no\ truth ]]; then no_truth_why "${BASH_REMATCH[1]}"; fi
	done
	# Every client answers a request within 2 s (the monitor: a scrape).
	for i in 1 2 3; do
		if ! on_node "$i" curl -s --max-time 2 -o /dev/null http://127.0.0.1:9669/metrics; then
			hangs=$((hangs + 1))
			problem "monitor$i: /metrics not answered within 2 s"
		fi
	done
	# No wrong answer to a request, ever.
	for name in "${clients[@]}"; do
		[[ $name == monitor* ]] && continue
		if [ -f "$dir/$name.view" ] && [ "$(field "$name" bad)" != 0 ]; then
			divergences=$((divergences + 1))
			problem "$name: $(field "$name" bad) wrong answers to requests"
		fi
	done
}

# No process died that the fault did not kill (EXPECTED: names it killed).
check_alive() {  # [EXPECTED...]
	local name
	for name in "${clients[@]}"; do
		if [[ " $* " == *" $name "* ]]; then continue; fi
		if ! alive "$name"; then
			crashes=$((crashes + 1))
			problem "$name died; its last lines:"
			tail -n 5 "$dir/$name.log" | sed 's/^/    | /'
			start_client "$name"
		fi
	done
}

# --- resources ---------------------------------------------------------------
usage_of() {  # NAME: "FDS SHM RSS_KIB" of a client now
	# shellcheck disable=SC2016  # the inner bash expands them
	on_node "$(node_of "$1")" bash -c '
		p=$1
		fds=$(find /proc/$p/fd -mindepth 1 | wc -l)
		shm=$(grep -o " /dev/shm/.*" /proc/$p/maps | sort -u | wc -l)
		rss=$(awk "/^RssAnon:/ {print \$2}" /proc/$p/status)
		echo "$fds $shm $rss"' _ "$(cat "$dir/$1.pid")"
}
take_baselines() {  # for clients without one (new, or restarted)
	local name
	for name in "${clients[@]}"; do
		[ -f "$dir/$name.base" ] || usage_of "$name" > "$dir/$name.base"
	done
}

# --- faults ------------------------------------------------------------------
one_fault() {
	local kind=$((RANDOM % 7)) i=$((RANDOM % 3 + 1)) pid name killed=()
	case $kind in
	0 | 1)
		fault_text="SIGKILL corosync on node $i, restart it"
		node_stop "$i"
		sleep "0.$((RANDOM % 10))"  # down for a random while: part of the fault
		restart_stopped "$i" ;;
	2)
		fault_text="SIGSTOP corosync on node $i for 0.5 s (under the token timeout)"
		pid=$(corosync_pid "$i")
		on_node "$i" kill -STOP "$pid"
		sleep 0.5
		on_node "$i" kill -CONT "$pid" ;;
	3)
		fault_text="SIGSTOP corosync on node $i for 3 s (over the token timeout)"
		pid=$(corosync_pid "$i")
		on_node "$i" kill -STOP "$pid"
		sleep 3
		on_node "$i" kill -CONT "$pid" ;;
	4)
		local cut=$((RANDOM % 4 + 2))
		fault_text="node $i cut off the bridge for $cut s, then healed"
		nsenter --target "$(cat "$dir/bridge.pid")" --net ip link set "vq$i-b" down
		sleep "$cut"
		nsenter --target "$(cat "$dir/bridge.pid")" --net ip link set "vq$i-b" up ;;
	5)
		fault_text="qnetd killed and restarted"
		on_node 100 pkill -KILL -x corosync-qnetd || true
		sleep "0.$((RANDOM % 10))"
		qnetd_start ;;
	6)
		name=${clients[$((RANDOM % ${#clients[@]}))]}
		fault_text="client $name killed (SIGKILL) and restarted"
		stop_client "$name"
		killed+=("$name")
		start_client "$name" ;;
	esac
	for i in 1 2 3; do
		# corosync-qdevice exits when its corosync is gone: restarted as
		# systemd's Restart= would.
		if [ -n "$(corosync_pid "$i" || true)" ]; then ensure_qdevice "$i"; fi
	done
	check_alive "${killed[@]}"
}

# --- the run -----------------------------------------------------------------
step "3 nodes, qnetd, qdevice on each node"
cluster_up 3
for i in 1 2 3; do wait_for "$i" '"quorate":true'; done
for i in 1 2 3; do ensure_qdevice "$i"; done
for i in 1 2 3; do wait_for "$i" '"qdevice_registered","qdevice_alive","qdevice_cast_vote".*"total_votes":4'; done
step "clients: ${clients[*]}"
for name in "${clients[@]}"; do start_client "$name"; done
# Each C client runs on the library chosen (LD_LIBRARY_PATH, no RPATH).
for name in client1 quorum1; do
	lib=$(client_lib "$name")
	echo "    $name runs on $lib"
	if [[ ($clientlib != "" && $lib != "$build"/*) || ($clientlib = "" && $lib == "$build"/*) || $lib = none ]]; then
		echo "chaos: $name is not on the ${VQ_CHAOS_LIB:-ours} library" >&2
		exit 2
	fi
done
settle_and_check
# Warm-up: every corosync killed and restarted once, so that every client
# has reconnected before its baseline is taken.
declare -a syncs_before=()
for i in 1 2 3; do node_stop "$i"; done
for i in 1 2 3; do
	wait_qdevice_gone "$i"
	syncs_before[i]=$(syncs_logged "$i")
done
for i in 1 2 3; do node_start "$i"; done
for i in 1 2 3; do wait_synced "$i" "${syncs_before[i]}"; done
for i in 1 2 3; do ensure_qdevice "$i"; done
fault_text="warm-up: every corosync killed and restarted"
settle_and_check
take_baselines
step "warm-up done: ${checks} checks, $divergences divergences"
for n in $(seq 1 "$faults"); do
	sleep "$((RANDOM % 3)).$((RANDOM % 10))"
	one_fault
	step "fault $n/$faults: $fault_text"
	settle_and_check
	take_baselines
done

# Growth of each client's fds, /dev/shm mappings and RSS since its warm-up.
g_fd=0 g_shm=0 g_rss=0
for name in "${clients[@]}"; do
	read -r fd0 shm0 rss0 < "$dir/$name.base"
	read -r fd1 shm1 rss1 < <(usage_of "$name")
	echo "    $name: fds $fd0 -> $fd1, /dev/shm mappings $shm0 -> $shm1, anonymous RSS $rss0 -> $rss1 KiB"
	[ $((fd1 - fd0)) -le "$g_fd" ] || g_fd=$((fd1 - fd0))
	[ $((shm1 - shm0)) -le "$g_shm" ] || g_shm=$((shm1 - shm0))
	[ $((rss1 - rss0)) -le "$g_rss" ] || g_rss=$((rss1 - rss0))
done
# No file of an exited client left in any node's /dev/shm: libqb names a
# connection's directory qb-SERVERPID-CLIENTPID-FD-RANDOM. Every client
# ever started is checked, those the faults killed too.
left=0
for name in "${clients[@]}"; do stop_client "$name"; done
# corosync frees a dead client's connection when it notices: give it time.
for _ in $(seq 1 50); do
	n=0
	for i in 1 2 3; do n=$((n + $(on_node "$i" sh -c "ls /dev/shm | grep -c '^qb-[0-9]*-[0-9]*-' || true"))); done
	[ "$n" -gt 3 ] || break  # each node's qdevice keeps one connection
	sleep 0.2
done
while IFS=: read -r i pid; do
	entries=$(on_node "$i" sh -c "ls /dev/shm | grep -E '^qb-[0-9]+-$pid-' || true")
	n=$(grep -c . <<<"$entries" || true)
	if [ "$n" != 0 ]; then
		echo "    node $i: $n /dev/shm entries of exited client $pid: $(head -n 3 <<<"$entries" | tr '\n' ' ')"
		on_node "$i" ps -eo pid,stat,comm,args | sed 's/^/      | /' 
		left=$((left + n))
	fi
done < "$dir/started"
[ "$left" = 0 ] || problem "$left /dev/shm files of exited clients left"

status=0
if [ "$divergences" != 0 ] || [ "$crashes" != 0 ] || [ "$hangs" != 0 ] || [ "$left" != 0 ] ||
	[ "$g_fd" -gt 0 ] || [ "$g_shm" -gt 0 ] || [ "$g_rss" -gt 2048 ]; then
	status=1
fi
echo "chaos: seed $seed, $faults faults, $checks checks, $divergences divergences, $crashes crashes, $hangs hangs, growth fd=$g_fd shm=$g_shm rss=${g_rss}KiB, slow convergences $slow (a monitor among the last views: $slow_monitor), settles behind a moving truth $moving, corosync's own aborts (restarted) $daemon_aborts"
exit "$status"
