# shellcheck shell=bash
# What the hastack tests share (sourced with VQ_MONITOR, VQ_HASTACK_BIN,
# libdir and label set): the cluster of tests/cluster/cluster.sh with a UTS
# namespace and node_setup.sh for each node, torn down at exit; the safety
# checks that come before sbd, the node's environment, starting the test
# watchdog, sbd and pacemaker on a node, and the observations (crm_mon,
# fencing history, the watchdog's feeds, sbd's votequorum calls).
# Variables set here are read by the sourcing scripts, and label comes
# from them:
# shellcheck disable=SC2034,SC2154

_hastack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export VQ_CLUSTER_UTS=1
export VQ_CLUSTER_AGENT_SETUP=$_hastack_dir/node_setup.sh
# shellcheck source=../cluster/cluster.sh
source "$_hastack_dir/../cluster/cluster.sh"
trap on_exit EXIT

host_pidns=$(readlink /proc/self/ns/pid)
declare -A first_agent   # node -> its init's pid when it (last) booted
declare -A expect_down   # node -> 1 from a fault done to it until it boots again
sbd_timeout=5            # SBD_WATCHDOG_TIMEOUT: the armed watchdog's timeout
watchdog_fencing=10      # stonith-watchdog-timeout (twice sbd's, as advised)
# A failed check ends the run (the scripts' EXIT trap keeps the logs).
fail() {
	echo "FAIL ($label): $*" >&2
	exit 1
}

node_dir() { echo "$VQ_CLUSTER_DIR/node$1"; }
node_alive() { kill -0 "$(_node_pid "$1")" 2>/dev/null; }

# Safety, before sbd starts anywhere: the node's PID namespace is not the
# machine's, and neither sysrq file of the node is the machine's.
check_safe() {  # I
	local i=$1 dir ns f proc mask seen masked="" absent=""
	dir=$(node_dir "$i")
	ns=$(on_node "$i" readlink /proc/self/ns/pid)
	if [ -z "$ns" ] || [ "$ns" = "$host_pidns" ]; then
		echo "SAFETY: node $i shares the machine's PID namespace ($ns); not starting sbd" >&2
		exit 1
	fi
	# Each sysrq file is either absent (a kernel without magic SysRq) or,
	# inside the node, the node's own file.
	for f in /proc/sysrq-trigger:sysrq-trigger /proc/sys/kernel/sysrq:kernel-sysrq; do
		proc=${f%%:*} mask=$dir/${f#*:}
		if [ -e "$proc" ] || on_node "$i" test -e "$proc"; then
			seen=$(on_node "$i" stat -L -c '%d:%i' "$proc")
			if [ ! -e "$mask" ] || [ "$seen" != "$(stat -c '%d:%i' "$mask")" ]; then
				echo "SAFETY: node $i's $proc is not masked; not starting sbd" >&2
				exit 1
			fi
			masked+=" $proc"
		else
			absent+=" $proc"
		fi
	done
	# shellcheck disable=SC2016  # expanded by the node's shell
	if on_node "$i" sh -c 'for f in /dev/watchdog*; do [ -e "$f" ] && exit 0; done; exit 1'; then
		echo "SAFETY: node $i sees a watchdog device; not starting sbd" >&2
		exit 1
	fi
	echo "    node $i: own PID namespace ($ns, the machine's is $host_pidns); masked:${masked:- none}; absent from the kernel:${absent:- none}; no watchdog device"
}

# The node's environment for sbd and pacemaker (as /etc/default/sbd gives
# them to both units), with the test watchdog and the trace preloaded.
node_env() {  # I
	local dir
	dir=$(node_dir "$1")
	printf '%s\n' env SBD_PACEMAKER=yes SBD_STARTMODE=always SBD_DELAY_START=no \
		SBD_WATCHDOG_DEV=/dev/watchdog SBD_WATCHDOG_TIMEOUT=$sbd_timeout \
		SBD_TIMEOUT_ACTION=flush,reboot SBD_MOVE_TO_ROOT_CGROUP=no SBD_SYNC_RESOURCE_STARTUP=yes \
		VQ_WATCHDOG_DEV=/dev/watchdog VQ_WATCHDOG_SOCKET=/run/watchdog.sock \
		"VQ_RESET_RECORD=$dir/reset.record" "VQ_HOST_PIDNS=$host_pidns" "VQ_TRACE_FILE=$dir/votequorum.trace" \
		PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none
}

watchdog_start() {  # I: the node's test watchdog (watchdogd.c)
	local i=$1 dir
	dir=$(node_dir "$i")
	on_node "$i" sh -c "setsid '$VQ_HASTACK_BIN/watchdogd' /run/watchdog.sock '$dir/reset.record' '$host_pidns' </dev/null >>'$dir/watchdogd.log' 2>&1 &"
	for _ in $(seq 1 100); do on_node "$i" test -S /run/watchdog.sock && break; sleep 0.05; done
	on_node "$i" test -S /run/watchdog.sock || fail "node $i's watchdog did not start"
}

sbd_start() {  # I [LIBDIR]: sbd on LIBDIR's libvotequorum (default: $libdir)
	local i=$1 lib=${2-$libdir} dir
	dir=$(node_dir "$i")
	mapfile -t envs < <(node_env "$i")
	on_node "$i" "${envs[@]}" "LD_LIBRARY_PATH=$lib" \
		"LD_PRELOAD=$VQ_HASTACK_BIN/watchdog_preload.so $VQ_HASTACK_BIN/vq_trace.so" \
		sh -c "setsid /usr/sbin/sbd -p /run/sbd.pid watch </dev/null >>'$dir/sbd.out' 2>&1 &"
}

# Waits (up to 60 s) until sbd has opened the node's watchdog and armed it
# with its timeout: sbd is up (it opens the device once its cluster watcher
# is healthy).
wait_armed() {  # I
	local feeds timeout=0 armed=0
	feeds=$(node_dir "$1")/reset.record.feeds
	for _ in $(seq 1 300); do
		[ ! -e "$feeds" ] || read -r _ timeout armed < "$feeds"
		[ "$armed" != 1 ] || [ "$timeout" != "$sbd_timeout" ] || return 0
		sleep 0.2
	done
	fail "sbd on node $1 never armed its watchdog with $sbd_timeout s"
}

pacemaker_start() {  # I
	local i=$1 dir
	dir=$(node_dir "$i")
	mapfile -t envs < <(node_env "$i")
	on_node "$i" "${envs[@]}" "LD_PRELOAD=$VQ_HASTACK_BIN/watchdog_preload.so" \
		sh -c "setsid /usr/sbin/pacemakerd </dev/null >>'$dir/pacemakerd.out' 2>&1 &"
}

stack_start() {  # I: watchdog, sbd, pacemaker on a node whose corosync runs
	watchdog_start "$1"
	sbd_start "$1"
	wait_armed "$1"
	pacemaker_start "$1"
}

# --- observations -----------------------------------------------------------

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }  # FROM TO

# crm_mon's XML on node I (empty when pacemaker does not answer).
mon_xml() { on_node "$1" crm_mon -1 --output-as=xml 2>/dev/null || true; }

# The scripts' EXIT trap: the cluster goes, its directory stays after a
# failure, for the nodes' logs.
on_exit() {
	local status=$?
	[ "$status" = 0 ] || VQ_KEEP_CLUSTER=1
	cluster_down
	[ "$status" = 0 ] || echo "the nodes' logs: $VQ_CLUSTER_DIR" >&2
}

# Fails when a node that nothing was done to has been reset.
no_unexpected_reset() {
	local i
	for i in "${!first_agent[@]}"; do
		[ -z "${expect_down[$i]:-}" ] || continue
		if ! kill -0 "${first_agent[$i]}" 2>/dev/null; then
			fail "node $i was reset although nothing was done to it ($(grep -E 'RESET|reboot' "$(node_dir "$i")/reset.record" | tail -1 | cut -d' ' -f2-))"
		fi
	done
}

# Waits (up to SECONDS) until node I's crm_mon shows every pattern.
wait_mon() {  # I SECONDS PATTERN...
	local i=$1 limit=$2 xml="" p ok
	shift 2
	for _ in $(seq 1 $((limit * 2))); do
		no_unexpected_reset
		xml=$(mon_xml "$i")
		ok=1
		for p in "$@"; do
			grep -E -- "$p" <<<"$xml" >/dev/null || { ok=0; break; }
		done
		[ "$ok" = 0 ] || return 0
		sleep 0.5
	done
	echo "    node $i's crm_mon never showed: $p" >&2
	printf '%s\n' "$xml" | sed 's/^/      | /' >&2
	return 1
}
online() { echo "<node name=\"node$1\" id=\"$1\" online=\"true\" standby=\"false\"[^>]* unclean=\"false\""; }
offline() { echo "<node name=\"node$1\" id=\"$1\" online=\"false\""; }
quorate='<current_dc present="true" [^>]*with_quorum="true"'
dummy_on() { echo "<resource id=\"dummy\" [^>]*role=\"Started\" active=\"true\"[^>]*>\$"; }

# The node's watchdog is armed with sbd's timeout and fed: its count of
# keep-alives grows by at least 2 over 3 seconds.
check_fed() {  # I
	local i=$1 before after timeout armed
	read -r before timeout armed < "$(node_dir "$i")/reset.record.feeds"
	sleep 3
	read -r after timeout armed < "$(node_dir "$i")/reset.record.feeds"
	if [ "$armed" != 1 ] || [ "$timeout" != "$sbd_timeout" ] || [ $((after - before)) -lt 2 ]; then
		fail "node $i's watchdog: armed=$armed timeout=$timeout, fed $((after - before)) times in 3 s"
	fi
	echo "    node $i: watchdog armed ($timeout s), fed $((after - before)) times in 3 s"
}

# Waits (up to 60 s) for node I's reset: its PID namespace's init is gone.
# Prints the time since FROM and what the node's record says ended it.
wait_reset() {  # I FROM
	local i=$1 from=$2 agent how
	agent=$(_node_pid "$i")
	for _ in $(seq 1 600); do
		kill -0 "$agent" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$agent" 2>/dev/null; then
		fail "node $i was not reset within 60 s"
	fi
	how=$(grep -E 'RESET by the watchdog|reboot\(2\)' "$(node_dir "$i")/reset.record" | tail -1 | cut -d' ' -f2-)
	echo "    node $i reset $(elapsed "$from" "$(now)") s after the fault (${how:-no record})"
	outcome+=("node $i reset")
}

# pacemaker on node I has fenced node J (its fencing history says so).
wait_fenced() {  # I J FROM
	local i=$1 j=$2 from=$3 history=""
	for _ in $(seq 1 120); do
		no_unexpected_reset
		history=$(on_node "$i" stonith_admin --history "node$j" 2>/dev/null || true)
		grep -E "^reboot of node$j successful" <<<"$history" >/dev/null && break
		sleep 0.5
	done
	if ! grep -E "^reboot of node$j successful" <<<"$history" >/dev/null; then
		fail "node $i's fencing history has no successful reboot of node $j: $history"
	fi
	echo "    node $i: node $j fenced $(elapsed "$from" "$(now)") s after the fault: $(head -1 <<<"$history")"
	outcome+=("node $j fenced by the others")
}

check_alive() {  # I...: these nodes were not reset since they (last) booted
	local i
	no_unexpected_reset
	for i in "$@"; do
		if ! node_alive "$i" || [ "$(_node_pid "$i")" != "${first_agent[$i]}" ]; then
			fail "node $i was reset, but it kept quorum"
		fi
	done
	echo "    nodes $* not reset"
}

# Waits (up to 30 s) for a line of node I's votequorum trace that matches
# PATTERN, and prints it (nothing if none came).
wait_trace() {  # I PATTERN
	local line=""
	for _ in $(seq 1 150); do
		line=$(grep -s -m1 -E -- "$2" "$(node_dir "$1")/votequorum.trace" || true)
		[ -z "$line" ] || break
		sleep 0.2
	done
	printf '%s' "$line"
}

# The node's sbd, seen through the trace of its votequorum calls.
trace_shows() {  # I PATTERN WHAT
	if ! grep -E -- "$2" "$(node_dir "$1")/votequorum.trace" >/dev/null; then
		fail "node $1's sbd never made the call: $3"
	fi
	echo "    node $1's sbd: $3"
}

# A reset shows as the node's unshare dying of SIGHUP (the kernel's way of
# telling the parent of a PID namespace's init that the namespace rebooted);
# the nodes are disowned so that bash does not print a notice for each.
node_boot() {  # I: a node (again): namespaces, corosync, then its stack
	local i=$1
	_make_agent "$i"
	disown -a
	first_agent[$i]=$(_node_pid "$i")
	expect_down[$i]=""
	node_start "$i"
	wait_for "$i" '"quorate":true'
	stack_start "$i"
}

