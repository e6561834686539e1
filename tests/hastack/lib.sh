# shellcheck shell=bash
# What the hastack tests share, sourced as
#   source lib.sh MONITOR BIN LIBDIR LABEL
# (hastack.sh's arguments: the scenarios take the same four): the cluster
# of tests/cluster/cluster.sh with a UTS namespace and node_setup.sh for
# each node, torn down at exit; the safety checks that come before sbd, the
# node's environment, starting the test watchdog, sbd and pacemaker on a
# node, and the observations (crm_mon, fencing history, the watchdog's
# feeds, sbd's votequorum calls, the corosync libraries that sbd and
# pacemaker map).
# Variables set here are read by the sourcing scripts:
# shellcheck disable=SC2034

export VQ_MONITOR=$1
export VQ_HASTACK_BIN=$2
libdir=$3                # whose libvotequorum, libquorum, libcmap and libcorosync_common the stack loads; empty: the system's
label=$4                 # the library's name in the output ("ours", "Debian's")
with_sbd=1               # empty: each node's stack is pacemaker alone (no watchdog, no sbd)
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
# them to both units), with the test watchdog and the trace preloaded;
# without sbd (with_sbd empty), pacemaker's part only.
node_env() {  # I
	local dir
	dir=$(node_dir "$1")
	printf '%s\n' env PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none
	[ -z "$with_sbd" ] || printf '%s\n' SBD_PACEMAKER=yes SBD_STARTMODE=always SBD_DELAY_START=no \
		SBD_WATCHDOG_DEV=/dev/watchdog SBD_WATCHDOG_TIMEOUT=$sbd_timeout \
		SBD_TIMEOUT_ACTION=flush,reboot SBD_MOVE_TO_ROOT_CGROUP=no SBD_SYNC_RESOURCE_STARTUP=yes \
		VQ_WATCHDOG_DEV=/dev/watchdog VQ_WATCHDOG_SOCKET=/run/watchdog.sock \
		"VQ_RESET_RECORD=$dir/reset.record" "VQ_HOST_PIDNS=$host_pidns" "VQ_TRACE_FILE=$dir/votequorum.trace"
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

# pacemaker's daemons (all but pacemakerd, fenced and execd) run as
# hacluster, which may not reach LIBDIR (a build tree under a private
# directory such as /root or a mktemp -d), and then the loader quietly
# takes the system's library. So the node gets LIBDIR's libquorum.so.5,
# libvotequorum.so.8, libcmap.so.4 and libcorosync_common.so.4 (and nothing
# else of LIBDIR) bound into a directory of its own private /run;
# check_pacemaker_libs checks what they mapped.
node_lib=/run/vq-lib
node_libs() {  # I LIBDIR
	local i=$1 f real
	on_node "$i" mkdir -p "$node_lib"
	for f in libquorum.so.5 libvotequorum.so.8 libcmap.so.4 libcorosync_common.so.4; do
		real=$(readlink -e "$2/$f") || fail "no $f in $2"
		# shellcheck disable=SC2016  # expanded by the node's shell
		on_node "$i" sh -c 'mountpoint -q "$1" || { touch "$1" && mount --bind "$2" "$1"; }' sh "$node_lib/$f" "$real"
	done
}

pacemaker_start() {  # I [LIBDIR]: pacemakerd, and so each of its daemons, on LIBDIR's libquorum, libvotequorum, libcmap and libcorosync_common (default: $libdir)
	local i=$1 lib=${2-$libdir} dir path=""
	dir=$(node_dir "$i")
	if [ -n "$lib" ]; then
		node_libs "$i" "$lib"
		path=$node_lib
	fi
	mapfile -t envs < <(node_env "$i")
	on_node "$i" "${envs[@]}" "LD_LIBRARY_PATH=$path" "LD_PRELOAD=$VQ_HASTACK_BIN/watchdog_preload.so" \
		sh -c "setsid /usr/sbin/pacemakerd </dev/null >>'$dir/pacemakerd.out' 2>&1 &"
}

stack_start() {  # I: watchdog and sbd (unless with_sbd is empty), then pacemaker, on a node whose corosync runs
	if [ -n "$with_sbd" ]; then
		watchdog_start "$1"
		sbd_start "$1"
		wait_armed "$1"
	fi
	pacemaker_start "$1"
}

# The cluster of N nodes; each node, once checked safe and quorate, gets
# its stack.
stack_up() {  # N
	local i
	cluster_up "$1"
	disown -a
	for i in $(seq 1 "$1"); do
		check_safe "$i"
	done
	for i in $(seq 1 "$1"); do
		first_agent[$i]=$(_node_pid "$i")
		wait_for "$i" '"quorate":true'
		stack_start "$i"
	done
}

# The resource dummy (ocf:pacemaker:Dummy, monitored every 5 s), created
# through node 1; where it may run is the scenario's choice.
dummy_create() {
	on_node 1 cibadmin -C -o resources -X '<primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="dummy-monitor" name="monitor" interval="5s"/></operations></primitive>'
}

# --- observations -----------------------------------------------------------

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }  # FROM TO

# Writes down how long WHAT took (for both.sh's table of both libraries'
# times, through VQ_HASTACK_TIMES).
record_time() {  # WHAT SECONDS
	printf '%s\t%s\n' "$1" "$2" >> "${VQ_HASTACK_TIMES:-/dev/null}"
}
# Prints and writes down the seconds since FROM that WHAT took.
took() {  # WHAT FROM
	local s
	s=$(elapsed "$2" "$(now)")
	echo "    $1: $s s"
	record_time "$1" "$s"
}

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
inquorate='<current_dc present="true" [^>]*with_quorum="false"'
dummy_on() { echo "<resource id=\"dummy\" [^>]*role=\"Started\" active=\"true\"[^>]*>\$"; }
dummy_off='<resource id="dummy" [^>]*role="Stopped" active="false"'
# Where dummy runs (the only resource, so the only resource's node line).
dummy_node() { echo "<node name=\"node$1\" id=\"$1\" cached=\"true\"/>"; }

# Each pacemaker daemon that loads corosync's libraries (pacemakerd, based,
# fenced, attrd and controld: ldd lists libquorum, libcmap and
# libcorosync_common for each, libcpg too, and libcfg for pacemakerd) maps
# the cluster's: the files that are LIBDIR's libquorum.so.5, libcmap.so.4
# and libcorosync_common.so.4 (same device and inode: tests/cluster/
# cluster.sh's check_maps), the system's when LIBDIR is empty or the
# system's directory. On ours, no file of the system's other corosync
# libraries but libcpg and libcfg (we do not provide them) is mapped.
check_pacemaker_libs() {  # I [LIBDIR] (default: $libdir)
	local i=$1 lib=${2-$libdir} d pid
	for d in pacemakerd pacemaker-based pacemaker-fenced pacemaker-attrd pacemaker-controld; do
		# shellcheck disable=SC2016  # expanded by the node's shell
		pid=$(on_node "$i" sh -c 'pgrep -o -f "^(/usr/sbin|/usr/lib/pacemaker)/$1( |\$)"' sh "$d" || true)
		[ -n "$pid" ] || fail "node $i's $d does not run"
		VQ_SYSTEM_OK="cpg cfg" check_maps "$i" "$pid" "$d" "$lib" libquorum.so.5 libcmap.so.4 libcorosync_common.so.4 ||
			fail "node $i's $d does not run on the cluster's libquorum, libcmap and libcorosync_common"
	done
	outcome+=("node $i: pacemakerd, based, fenced, attrd and controld map the cluster's libquorum, libcmap and libcorosync_common")
}

# sbd's processes (its inquisitor, /run/sbd.pid, and its cluster watcher,
# which calls votequorum and cmap) map the cluster's libvotequorum,
# libquorum, libcmap and libcorosync_common (ldd lists these and libcpg),
# as check_pacemaker_libs checks pacemaker's.
check_sbd_libs() {  # I [LIBDIR] (default: $libdir)
	local i=$1 lib=${2-$libdir} pid watcher
	pid=$(on_node "$i" cat /run/sbd.pid)
	watcher=$(on_node "$i" pgrep -o -f '^sbd: watcher: Cluster' || true)
	[ -n "$watcher" ] || fail "node $i's sbd has no cluster watcher"
	VQ_SYSTEM_OK="cpg" check_maps "$i" "$((pid))" "sbd" "$lib" libvotequorum.so.8 libquorum.so.5 libcmap.so.4 libcorosync_common.so.4 ||
		fail "node $i's sbd does not run on the cluster's libraries"
	VQ_SYSTEM_OK="cpg" check_maps "$i" "$watcher" "sbd's cluster watcher" "$lib" libvotequorum.so.8 libquorum.so.5 libcmap.so.4 libcorosync_common.so.4 ||
		fail "node $i's sbd cluster watcher does not run on the cluster's libraries"
	outcome+=("node $i: sbd and its cluster watcher map the cluster's libvotequorum, libquorum, libcmap and libcorosync_common")
}

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
	local i=$1 from=$2 agent how s
	agent=$(_node_pid "$i")
	for _ in $(seq 1 600); do
		kill -0 "$agent" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$agent" 2>/dev/null; then
		fail "node $i was not reset within 60 s"
	fi
	how=$(grep -E 'RESET by the watchdog|reboot\(2\)' "$(node_dir "$i")/reset.record" | tail -1 | cut -d' ' -f2-)
	s=$(elapsed "$from" "$(now)")
	echo "    node $i reset $s s after the fault (${how:-no record})"
	record_time "node $i reset" "$s"
	outcome+=("node $i reset")
}

# pacemaker on node I has fenced node J (its fencing history says so).
wait_fenced() {  # I J FROM
	local i=$1 j=$2 from=$3 history="" s
	for _ in $(seq 1 120); do
		no_unexpected_reset
		history=$(on_node "$i" stonith_admin --history "node$j" 2>/dev/null || true)
		grep -E "^reboot of node$j successful" <<<"$history" >/dev/null && break
		sleep 0.5
	done
	if ! grep -E "^reboot of node$j successful" <<<"$history" >/dev/null; then
		fail "node $i's fencing history has no successful reboot of node $j: $history"
	fi
	s=$(elapsed "$from" "$(now)")
	echo "    node $i: node $j fenced $s s after the fault: $(head -1 <<<"$history")"
	record_time "node $j fenced" "$s"
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

