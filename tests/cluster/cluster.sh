#!/bin/bash
# A corosync cluster of N nodes on this machine, for tests. Source it, then:
#   cluster_up N          N nodes (ids 1..N, 10.99.0.<id>/24) joined by a
#                         bridge, each in its own network, mount and PID
#                         namespaces with private /run, /dev/shm and
#                         /var/lib/corosync; corosync started on each. With
#                         VQ_CLUSTER_QNETD=1 also corosync-qnetd (TLS off)
#                         at 10.99.0.100 and a quorum.device section
#   qdevice_start I [LIB] corosync-qdevice on node I (on LIB if given)
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

# Fails unless the corosync-qdevice running on node I has LIBDIR's
# libvotequorum mapped (waits up to 5 s for it to start).
qdevice_maps() {  # I LIBDIR
	local mapped=""
	for _ in $(seq 1 50); do
		mapped=$(on_node "$1" sh -c 'pid=$(pgrep -o -x corosync-qdevic) && grep -h -o "/[^ ]*libvotequorum.so[^ ]*" /proc/$pid/maps | sort -u' || true)
		if [ -n "$mapped" ]; then break; fi
		sleep 0.1
	done
	if [[ $mapped != "$2"/libvotequorum.so* ]]; then
		echo "FAIL: qdevice on node $1 maps '$mapped', not $2's library" >&2
		return 1
	fi
	echo "    qdevice on node $1 runs on $mapped"
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
