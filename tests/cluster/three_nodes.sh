#!/bin/bash
# A 3-node cluster; votequorum-monitor --follow --json on node 1 (on our C++
# API) must print a valid JSON line for each membership and quorum change
# as nodes 3 and 2 die and come back.
# At each step, Debian's corosync-quorumtool on node 1 must print the same
# on Debian's library and on ours.
#   three_nodes.sh VOTEQUORUM_MONITOR JSON_LINES_CHECKER OUR_LIBDIR
set -euo pipefail
shopt -s inherit_errexit
export VQ_MONITOR=$1
checker=$2
ourlib=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
log=$VQ_CLUSTER_DIR/follow.jsonl

work=$VQ_CLUSTER_DIR/compare
mkdir -p "$work"
# corosync-quorumtool ARGS on node 1 on LIBDIR, dates masked, with its exit
# status as the last line (the tool exits non-zero when not quorate).
quorumtool_on() {  # LIBDIR OUTFILE ARGS...
	local lib=$1 file=$2 status=0
	shift 2
	on_node 1 env LD_LIBRARY_PATH="$lib" corosync-quorumtool "$@" > "$file.raw" 2>&1 || status=$?
	sed -E 's/^(Date: +).*/\1<date>/' "$file.raw" > "$file"
	echo "exit=$status" >> "$file"
}
same_quorumtool() {  # ARGS...: corosync-quorumtool on node 1, both libraries
	quorumtool_on "" "$work/ref" "$@"
	quorumtool_on "$ourlib" "$work/ours" "$@"
	if ! diff "$work/ref" "$work/ours" >&2; then
		echo "FAIL: corosync-quorumtool $* differs between the libraries" >&2
		exit 1
	fi
	echo "    corosync-quorumtool $*: same on both libraries ($(grep -E '^Quorate:|^Total votes:|^exit=' "$work/ours" | tr -s ' ' | paste -sd' ' -))"
}
step "3 nodes up"
cluster_up 3
wait_for 1 '"quorate":true.*"total_votes":3'
for args in "-s" "-l" "-l -p" "-s -H" "-l -i"; do
	# shellcheck disable=SC2086
	same_quorumtool $args
done
on_node 1 "$VQ_MONITOR" --follow --json > "$log" &
follow=$!
for _ in $(seq 1 100); do
	if [ -s "$log" ]; then break; fi
	sleep 0.05
done

step "node 3 dies: still quorate with 2 votes"
node_stop 3
wait_for 1 '"quorate":true.*"total_votes":2'
same_quorumtool -s
step "node 2 dies: quorum lost"
node_stop 2
wait_for 1 '"quorate":false'
same_quorumtool -s
step "nodes 2 and 3 return: quorate with 3 votes"
node_start 2
node_start 3
wait_for 1 '"quorate":true.*"total_votes":3'
same_quorumtool -s
# The follower has printed the last change once its last line has 3 votes.
for _ in $(seq 1 250); do
	if tail -n 1 "$log" | grep '"quorate":true.*"total_votes":3' >/dev/null; then break; fi
	sleep 0.02
done
# The monitor runs until killed; it must still be running (not have died)
# when it is stopped here.
if ! on_node 1 pkill -INT -x votequorum-moni; then
	echo "FAIL: votequorum-monitor --follow is no longer running" >&2
	exit 1
fi
status=0
wait "$follow" || status=$?
if [ "$status" != 130 ] && [ "$status" != 0 ]; then
	echo "FAIL: votequorum-monitor --follow exited with $status" >&2
	exit 1
fi

step "what --follow printed on node 1"
"$checker" < "$log" > "$work/summary"  # fails unless every line is a JSON object with the fields
summary=$(cat "$work/summary")
printf '%s\n' "$summary" | sed 's/^/    /'
# The states must appear in this order: 3 votes, 2 votes quorate, inquorate, 3 votes again.

if ! grep -Pzq "(?s)(^|\n)quorate votes=3 .*\nquorate votes=2 .*\ninquorate .*\nquorate votes=3 " <<<"$summary"; then
	echo "FAIL: the sequence 3 votes -> 2 votes -> inquorate -> 3 votes is not in the output" >&2
	exit 1
fi
rings=$(grep -o 'ring=[0-9a-f.]*' <<<"$summary" | sort -u | wc -l)
[ "$rings" -ge 3 ] || { echo "FAIL: only $rings distinct ring ids" >&2; exit 1; }
step "ok: $(wc -l < "$log") JSON lines, $rings ring ids"
