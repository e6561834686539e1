#!/bin/bash
# A 3-node cluster; votequorum-monitor --follow --json on node 1 (on our C++
# API) must print a valid JSON line for each membership and quorum change
# as nodes 3 and 2 die and come back.
# At each step, Debian's corosync-quorumtool on node 1 must print the same
# on Debian's library and on ours.
#   three_nodes.sh VOTEQUORUM_MONITOR JSON_LINES_CHECKER OUR_LIBDIR
set -euo pipefail
export VQ_MONITOR=$1
checker=$2
ourlib=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
log=$VQ_CLUSTER_DIR/follow.jsonl

step() { printf '%s  %s\n' "$(date +%T)" "$*"; }
same_quorumtool() {  # ARGS...: corosync-quorumtool on node 1, both libraries, dates masked
	local ref ours
	ref=$(on_node 1 env LD_LIBRARY_PATH= corosync-quorumtool "$@" 2>&1 | sed -E 's/^(Date: +).*/\1<date>/' || true)
	ours=$(on_node 1 env LD_LIBRARY_PATH="$ourlib" corosync-quorumtool "$@" 2>&1 | sed -E 's/^(Date: +).*/\1<date>/' || true)
	if [ "$ref" != "$ours" ]; then
		echo "FAIL: corosync-quorumtool $* differs between the libraries:" >&2
		diff <(printf '%s\n' "$ref") <(printf '%s\n' "$ours") >&2 || true
		exit 1
	fi
	echo "    corosync-quorumtool $*: same on both libraries ($(printf '%s\n' "$ours" | grep -E '^Quorate:|^Total votes:' | tr -s ' ' | paste -sd' ' -))"
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
for _ in $(seq 1 100); do [ -s "$log" ] && break; sleep 0.05; done

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
sleep 1  # let the follower print the last change
kill "$follow" 2>/dev/null || true
on_node 1 pkill -INT -f votequorum-monitor || true
wait "$follow" 2>/dev/null || true

step "what --follow printed on node 1"
summary=$("$checker" < "$log")  # fails unless every line is a JSON object with the fields
printf '%s\n' "$summary" | sed 's/^/    /'
# The states must appear in this order: 3 votes, 2 votes quorate, inquorate, 3 votes again.

if ! grep -Pzq "(?s)quorate votes=3.*quorate votes=2.*inquorate.*\nquorate votes=3" <<<"$summary"; then
	echo "FAIL: the sequence 3 votes -> 2 votes -> inquorate -> 3 votes is not in the output" >&2
	exit 1
fi
rings=$(grep -o 'ring=[0-9a-f.]*' <<<"$summary" | sort -u | wc -l)
[ "$rings" -ge 3 ] || { echo "FAIL: only $rings distinct ring ids" >&2; exit 1; }
step "ok: $(wc -l < "$log") JSON lines, $rings ring ids"
