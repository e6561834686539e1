#!/bin/bash
# A 3-node cluster; votequorum-monitor --follow --json on node 1 (on our C++
# API) must print a valid JSON line for each membership and quorum change
# as nodes 3 and 2 die and come back.
#   three_nodes.sh VOTEQUORUM_MONITOR JSON_LINES_CHECKER
set -euo pipefail
export VQ_MONITOR=$1
checker=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
log=$VQ_CLUSTER_DIR/follow.jsonl

step() { printf '%s  %s\n' "$(date +%T)" "$*"; }
step "3 nodes up"
cluster_up 3
wait_for 1 '"quorate":true.*"total_votes":3'
on_node 1 "$VQ_MONITOR" --follow --json > "$log" &
follow=$!
for _ in $(seq 1 100); do [ -s "$log" ] && break; sleep 0.05; done

step "node 3 dies: still quorate with 2 votes"
node_stop 3
wait_for 1 '"quorate":true.*"total_votes":2'
step "node 2 dies: quorum lost"
node_stop 2
wait_for 1 '"quorate":false'
step "nodes 2 and 3 return: quorate with 3 votes"
node_start 2
node_start 3
wait_for 1 '"quorate":true.*"total_votes":3'
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
