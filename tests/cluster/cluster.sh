#!/bin/bash
# A corosync cluster of N nodes on this machine, for tests. Source it, then:
#   cluster_up N          N nodes (ids 1..N, 10.99.0.<id>/24) joined by a
#                         bridge, each in its own network, mount and PID
#                         namespaces with private /run, /dev/shm and
#                         /var/lib/corosync; corosync started on each. With
#                         VQ_CLUSTER_QNETD=1 also corosync-qnetd (TLS off)
#                         at 10.99.0.100 and a quorum.device section
#   qdevice_start I [LIB] corosync-qdevice on node I (on LIB if given)
#   qdevice_maps I [LIB]  fails unless node I's corosync-qdevice maps LIB's
#                         libvotequorum, libcmap and libcorosync_common
#                         and no corosync library of the system (empty
#                         LIB: the system's)
#   check_maps I PID WHAT LIB SONAME...
#                         the same for any process of node I: each SONAME
#                         is LIB's file (by device and inode); none of the
#                         system's corosync client libraries is mapped but
#                         the families in VQ_SYSTEM_OK (e.g. "cpg cfg")
#   qnetd_start           corosync-qnetd again (after it was killed)
#   partition I J / heal I J   blackhole routes between nodes I and J
#   on_node I CMD...      run CMD inside node I's namespaces
#   node_stop I           SIGKILL node I's corosync (a crash)
#   node_start I          start node I's corosync again
#   wait_for I EXPR       wait (up to VQ_WAIT_SECONDS, 30 s) until `votequorum-monitor --once
#                         --json` on node I satisfies the jq-free test EXPR
#                         (a grep -E pattern on its JSON line)
#   check_exposition I PATTERN...
#                         `votequorum-monitor --once --prometheus` on node I:
#                         promtool (Debian's prometheus package) must accept
#                         it, and each anchored grep -E PATTERN must match a line
#   step TEXT...          a progress line with the time
#   cluster_down          kill everything by recorded pid (the namespaces go
#                         with their processes); remove the directory unless
#                         VQ_KEEP_CLUSTER is set
# Needs root. Everything lives under $VQ_CLUSTER_DIR (default: a temp dir).
# With VQ_COROSYNC_PREFIX set, every node runs PREFIX/sbin/corosync (the
# main line, tests/mainline/build.sh) instead of Debian's.
set -euo pipefail
shopt -s inherit_errexit
VQ_CLUSTER_DIR=${VQ_CLUSTER_DIR:-$(mktemp -d /tmp/vq-cluster.XXXXXX)}
_VQ_SUPPORT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)
: "${VQ_MONITOR:?set VQ_MONITOR to the votequorum-monitor binary}"

# A progress line with the time.
step() { printf '%s  %s\n' "$(date +%T)" "$*"; }

_node_pid() { cat "$VQ_CLUSTER_DIR/node$1/agent.pid"; }

on_node() {  # I CMD...
	local pid
	pid=$(_node_pid "$1")
	shift
	nsenter --target "$pid" --net --mount --pid ${VQ_CLUSTER_UTS:+--uts} -- "$@"
}

_write_conf() {  # I N
	local i=$1 n=$2 j
	mkdir -p "$VQ_CLUSTER_DIR/node$i"
	{
		printf 'totem {\n\tversion: 2\n\tcluster_name: vqcluster\n\ttransport: knet\n\tcrypto_cipher: none\n\tcrypto_hash: none\n\ttoken: 1000\n}\n'
		printf 'logging {\n\tto_stderr: yes\n\tto_syslog: no\n\ttimestamp: off\n}\n'
		if [ -n "${VQ_CLUSTER_QNETD:-}" ]; then
			printf 'quorum {\n\tprovider: corosync_votequorum\n\tdevice {\n\t\tmodel: net\n\t\tvotes: 1\n\t\tnet {\n\t\t\ttls: off\n\t\t\thost: 10.99.0.100\n\t\t\talgorithm: ffsplit\n\t\t}\n\t}\n}\n'
		else
			printf 'quorum {\n\tprovider: corosync_votequorum\n}\n'
		fi
		printf 'nodelist {\n'
		for j in $(seq 1 "$n"); do
			printf '\tnode {\n\t\tring0_addr: 10.99.0.%d\n\t\tnodeid: %d\n\t\tname: node%d\n\t}\n' "$j" "$j" "$j"
		done
		printf '}\n'
	} > "$VQ_CLUSTER_DIR/node$i/corosync.conf"
}

node_start() {  # I
	local i=$1
	on_node "$i" bash -c "source $_VQ_SUPPORT/namespace.sh; vq_corosync_start $VQ_CLUSTER_DIR/node$i/corosync.conf $VQ_CLUSTER_DIR/node$i/corosync.log; echo \$! > /run/corosync.agentpid"
}

node_stop() {  # I
	on_node "$1" "$_VQ_SUPPORT/stop-corosync.sh"
}

_make_agent() {  # I: a namespace set with address 10.99.0.I on the bridge
	local i=$1 bridge agent child
	bridge=$(cat "$VQ_CLUSTER_DIR/bridge.pid")
	mkdir -p "$VQ_CLUSTER_DIR/node$i"
	# The node's agent holds its namespaces; private /run, /dev/shm,
	# /var/lib/corosync. As the PID namespace's init it reaps what it
	# inherits, as a real init does: a killed corosync must not stay a
	# zombie (libqb's clients take a zombie server for a live one).
	# With VQ_CLUSTER_UTS set the node also has its own UTS namespace and
	# the host name nodeI; VQ_CLUSTER_AGENT_SETUP names a script that the
	# agent sources (with I and the node's directory as arguments) before
	# it says it is ready.
	rm -f "$VQ_CLUSTER_DIR/node$i/agent.ready"
	unshare --net --mount --pid --fork --mount-proc ${VQ_CLUSTER_UTS:+--uts} bash -c "
		source $_VQ_SUPPORT/namespace.sh
		vq_private_mounts
		${VQ_CLUSTER_UTS:+hostname node$i}
		${VQ_CLUSTER_AGENT_SETUP:+source $VQ_CLUSTER_AGENT_SETUP $i $VQ_CLUSTER_DIR/node$i}
		touch $VQ_CLUSTER_DIR/node$i/agent.ready
		while :; do sleep 3600 & wait; done" &
	echo $! > "$VQ_CLUSTER_DIR/node$i/agent.unshare"
	for _ in $(seq 1 100); do
		# The agent is the unshare child in the new PID namespace.
		child=$(pgrep -P "$(cat "$VQ_CLUSTER_DIR/node$i/agent.unshare")" | head -1 || true)
		if [ -n "$child" ] && [ -e "$VQ_CLUSTER_DIR/node$i/agent.ready" ]; then
			echo "$child" > "$VQ_CLUSTER_DIR/node$i/agent.pid"
			break
		fi
		sleep 0.02
	done
	[ -s "$VQ_CLUSTER_DIR/node$i/agent.pid" ] || { echo "cluster: node $i agent did not start" >&2; return 1; }
	agent=$(_node_pid "$i")
	ip link add "vq$i-n" netns "$agent" type veth peer name "vq$i-b" netns "$bridge"
	nsenter --target "$agent" --net sh -c "ip addr add 10.99.0.$i/24 dev vq$i-n && ip link set vq$i-n up"
	nsenter --target "$bridge" --net sh -c "ip link set vq$i-b master br0 && ip link set vq$i-b up"
}

# qdevice (model net, ffsplit, TLS off) on node I, on the library in LIBDIR
# (empty: the system's), with its own lock and socket files.
qdevice_start() {  # I [LIBDIR]
	on_node "$1" sh -c "LD_LIBRARY_PATH=${2:-} setsid corosync-qdevice -f -S lock_file=/run/qdevice.pid,local_socket_file=/run/qdevice.sock >> $VQ_CLUSTER_DIR/node$1/qdevice.log 2>&1 < /dev/null &"
}

# The corosync client libraries, by family (libNAME.so*): what the system
# has of each is found by name under /usr/lib, /lib and through ldconfig;
# what a process maps is found by device and inode (stat through
# /proc/PID/map_files, the mapped file itself whatever its path says).
corosync_client_libs="votequorum quorum cmap cpg cfg sam corosync_common"

# The device:inode of every file of the system's FAMILY... (libNAME.so*),
# one a line.
system_lib_ids() {  # FAMILY...
	local fam f found
	for fam in "$@"; do
		found=$(ldconfig -p | awk -v re="^lib${fam}[.]so" '$1 ~ re { print $NF }')
		for f in /usr/lib/lib"$fam".so* /usr/lib/*/lib"$fam".so* /lib/lib"$fam".so* /lib/*/lib"$fam".so* $found; do
			[ ! -e "$f" ] || stat -L -c '%d:%i' "$f"
		done
	done | sort -u
}

# The files that process PID of node I maps: "DEVICE:INODE PATH", one a
# line (PATH as the kernel names it in the node). One mapping of each file
# (by the device and inode that /proc/PID/maps gives) is stat'ed through
# /proc/PID/map_files, all in one stat: a daemon maps hundreds of ranges.
mapped_files() {  # I PID
	# shellcheck disable=SC2016  # expanded by the node's shell
	on_node "$1" bash -c 'set -euo pipefail
		cd "/proc/$1/map_files"
		mapfile -t ranges < <(awk "\$5 != 0 && !seen[\$4 \" \" \$5]++ { print \$1 }" "/proc/$1/maps")
		[ "${#ranges[@]}" != 0 ]
		ids=$(stat -L -c "%d:%i" -- "${ranges[@]}")
		paths=$(readlink -- "${ranges[@]}")
		paste -d " " <(printf "%s\n" "$ids") <(printf "%s\n" "$paths")' bash "$2" | sort -u
}

# Fails unless process PID of node I (WHAT, for the messages) runs on
# LIBDIR's corosync client libraries: for each SONAME (libcmap.so.4 ...) it
# maps the file that is LIBDIR/SONAME (readlink -e; same device and inode)
# and no other file named like that family (libcmap.so*). When LIBDIR's
# files are ours (none of them is a file of the system's), it also maps no
# file of the system's corosync client libraries (any family of
# $corosync_client_libs) but those of the families in $VQ_SYSTEM_OK (ones
# we do not provide, such as cpg and cfg). An empty LIBDIR stands for the
# system's (ldconfig's); a LIBDIR whose files are some the system's and
# some not fails.
check_maps() {  # I PID WHAT LIBDIR SONAME...
	local i=$1 pid=$2 what=$3 lib=$4 so want id path fam forbidden="" forbidden_ids sys_ids mapped
	local wanted=() names=() ours=0 system=0
	shift 4
	mapped=$(mapped_files "$i" "$pid") || { echo "FAIL: node $i's $what (pid $pid) has no readable mappings" >&2; return 1; }
	# shellcheck disable=SC2086  # one family per word
	sys_ids=$(system_lib_ids $corosync_client_libs)
	for so in "$@"; do
		if [ -n "$lib" ]; then
			want=$(readlink -e "$lib/$so") || { echo "FAIL: no $so in $lib" >&2; return 1; }
		else
			# awk reads to the end: leaving early could kill ldconfig with
			# SIGPIPE mid-output, which pipefail makes this line's failure.
			want=$(ldconfig -p | awk -v so="$so" '$1 == so && !found { print $NF; found = 1 }' | xargs -r readlink -e)
			[ -n "$want" ] || { echo "FAIL: the system has no $so" >&2; return 1; }
		fi
		id=$(stat -L -c '%d:%i' "$want")
		if grep -x -F -- "$id" <<<"$sys_ids" >/dev/null; then system=$((system + 1)); else ours=$((ours + 1)); fi
		if ! awk -v id="$id" '$1 == id { found = 1 } END { exit !found }' <<<"$mapped"; then
			echo "FAIL: node $i's $what does not map $want ($id); its corosync libraries:" >&2
			grep -E "/lib(${corosync_client_libs// /|})\.so[^/]*\$" <<<"$mapped" | sed 's/^/    | /' >&2 || true
			return 1
		fi
		wanted+=("$id")
		fam=${so#lib}
		names+=("${fam%%.so*}")
	done
	if [ "$ours" != 0 ] && [ "$system" != 0 ]; then
		echo "FAIL: $lib's $* are $system of the system's files and $ours others: neither ours nor the system's" >&2
		return 1
	fi
	# Every mapped file of a checked family is one of the wanted files.
	while read -r id path; do
		fam=${path##*/}
		[[ $fam =~ ^lib([a-z_]+)\.so(\.[0-9]+)*$ ]] || continue
		fam=${BASH_REMATCH[1]}
		if [[ " ${names[*]} " == *" $fam "* ]] && [[ " ${wanted[*]} " != *" $id "* ]]; then
			echo "FAIL: node $i's $what maps $path ($id) beside the wanted lib$fam" >&2
			return 1
		fi
	done <<<"$mapped"
	if [ "$ours" = 0 ]; then
		echo "    node $i's $what maps the system's $*"
		return 0
	fi
	for fam in $corosync_client_libs; do
		[[ " ${VQ_SYSTEM_OK:-} " == *" $fam "* ]] || forbidden+=" $fam"
	done
	# shellcheck disable=SC2086  # one family per word
	forbidden_ids=$(system_lib_ids $forbidden)
	while read -r id; do
		[ -n "$id" ] || continue
		path=$(awk -v id="$id" '$1 == id { print $2; exit }' <<<"$mapped")
		if [ -n "$path" ]; then
			echo "FAIL: node $i's $what maps $path ($id), a file of the system's corosync libraries (one of:$forbidden)" >&2
			return 1
		fi
	done <<<"$forbidden_ids"
	echo "    node $i's $what maps $* from $lib, and no file of the system's lib{${forbidden# }}"
}

# Fails unless the corosync-qdevice running on node I runs on LIBDIR's
# libvotequorum, libcmap and libcorosync_common and maps no corosync
# library of the system (with an empty LIBDIR: on the system's); waits up
# to 5 s for it to start.
qdevice_maps() {  # I LIBDIR
	local pid=""
	for _ in $(seq 1 50); do
		# shellcheck disable=SC2016  # expanded by the node's shell
		pid=$(on_node "$1" sh -c 'pid=$(pgrep -o -x corosync-qdevic) && grep -l -E "/libvotequorum\.so" /proc/$pid/maps >/dev/null && echo "$pid"' || true)
		if [ -n "$pid" ]; then break; fi
		sleep 0.1
	done
	if [ -z "$pid" ]; then
		echo "FAIL: no corosync-qdevice with libvotequorum mapped on node $1" >&2
		return 1
	fi
	VQ_SYSTEM_OK="" check_maps "$1" "$pid" corosync-qdevice "$2" libvotequorum.so.8 libcmap.so.4 libcorosync_common.so.4
}

# Cut, and restore, the network between nodes I and J (blackhole routes).
partition() {  # I J
	on_node "$1" ip route add blackhole "10.99.0.$2/32"
	on_node "$2" ip route add blackhole "10.99.0.$1/32"
}
heal() {  # I J
	on_node "$1" ip route del blackhole "10.99.0.$2/32"
	on_node "$2" ip route del blackhole "10.99.0.$1/32"
}

# corosync-qnetd (TLS off) at 10.99.0.100.
qnetd_start() {
	on_node 100 sh -c "rm -f /run/qnetd.pid; setsid corosync-qnetd -f -s off -l 10.99.0.100 -S local_socket_file=/run/qnetd.sock,lock_file=/run/qnetd.pid >> $VQ_CLUSTER_DIR/node100/qnetd.log 2>&1 < /dev/null &"
}

cluster_up() {  # N
	local n=$1 i
	# The bridge, in a namespace of its own (no fork: unshare becomes the
	# shell, then sleep, so killing that pid leaves nothing behind).
	unshare --net sh -c 'echo $$ > '"$VQ_CLUSTER_DIR"'/bridge.pid; exec sleep infinity' &
	for _ in $(seq 1 100); do [ -s "$VQ_CLUSTER_DIR/bridge.pid" ] && break; sleep 0.02; done
	local bridge
	bridge=$(cat "$VQ_CLUSTER_DIR/bridge.pid")
	nsenter --target "$bridge" --net sh -c 'ip link add br0 type bridge && ip link set br0 up && ip link set lo up'
	[ -z "${VQ_CLUSTER_QNETD:-}" ] || _make_agent 100
	for i in $(seq 1 "$n"); do
		_write_conf "$i" "$n"
		_make_agent "$i"
	done
	[ -z "${VQ_CLUSTER_QNETD:-}" ] || qnetd_start
	for i in $(seq 1 "$n"); do
		node_start "$i"
	done
}

wait_for() {  # I PATTERN (gives up after VQ_WAIT_SECONDS, default 30)
	local i=$1 pattern=$2 line=""
	for _ in $(seq 1 $((${VQ_WAIT_SECONDS:-30} * 5))); do
		line=$(on_node "$i" "$VQ_MONITOR" --once --json --timeout 1000 2>/dev/null || true)
		if grep -qE -- "$pattern" <<<"$line"; then
			return 0
		fi
		sleep 0.2
	done
	echo "cluster: node $i never matched $pattern; last: $line" >&2
	return 1
}

check_exposition() {  # I PATTERN...
	local i=$1 out pattern
	shift
	out=$(on_node "$i" "$VQ_MONITOR" --once --prometheus --corosync-conf "$VQ_CLUSTER_DIR/node$i/corosync.conf" || true)
	if ! promtool check metrics <<<"$out"; then
		echo "FAIL: promtool rejects node $i's exposition:" >&2
		printf '%s\n' "$out" | sed 's/^/    | /' >&2
		return 1
	fi
	for pattern in "$@"; do
		if ! grep -E -- "^$pattern\$" <<<"$out" >/dev/null; then
			echo "FAIL: node $i's exposition has no line matching ^$pattern\$:" >&2
			printf '%s\n' "$out" | sed 's/^/    | /' >&2
			return 1
		fi
	done
	echo "    node $i: promtool accepts the exposition; $# lines as expected"
}

cluster_down() {
	local f children
	# stderr closed for the whole block: bash reports each killed background
	# job ("line N: PID Killed unshare ...") while the next command runs.
	{
		for f in "$VQ_CLUSTER_DIR"/node*/agent.unshare "$VQ_CLUSTER_DIR"/bridge.pid; do
			[ -e "$f" ] || continue
			# unshare first: it would report its child's SIGKILL ("sigprocmask
			# unblock failed"); its child, the namespace's init, takes the rest.
			children=$(pgrep -P "$(cat "$f")" || true)
			kill -KILL "$(cat "$f")" || true
			# shellcheck disable=SC2086  # one pid per word
			[ -z "$children" ] || kill -KILL $children || true
		done
		wait || true
	} 2>/dev/null
	[ -n "${VQ_KEEP_CLUSTER:-}" ] || rm -rf "$VQ_CLUSTER_DIR"
}

# A config reload that renames node I to NAME: corosync.conf edited on
# every node, then `corosync-cfgtool -R` run on node 1 (corosync reloads
# the file on all nodes).
rename_node() {  # I NAME
	local f
	for f in "$VQ_CLUSTER_DIR"/node*/corosync.conf; do
		awk -v id="$1" -v name="$2" '
			/^\tnode \{/ { n = ""; buf = ""; innode = 1 }
			innode { buf = buf $0 "\n"; if ($0 ~ "^\t\tnodeid: " id "$") n = 1
				if ($0 ~ /^\t\}/) { if (n) gsub(/\t\tname: [^\n]*/, "\t\tname: " name, buf); printf "%s", buf; innode = 0 }
				next }
			{ print }' "$f" > "$f.new"
		mv "$f.new" "$f"
	done
	on_node 1 corosync-cfgtool -R >/dev/null
}
