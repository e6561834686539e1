#!/bin/bash
# votequorum-monitor --listen on node 1 of a 3-node cluster, scraped every
# second by a real Prometheus server (Debian's) in node 1's namespaces; the
# checks query Prometheus' HTTP API, as a dashboard would:
#   - votequorum_quorate and ha_cluster_corosync_quorate go 1 -> 0 when
#     nodes 2 and 3 die (and node 3's member_votes series goes), and back
#     to 1 when they return;
#   - votequorum_up goes 1 -> 0 when node 1's corosync is killed (and the
#     quorum series go stale), and back to 1 after it restarts;
#   - promtool accepts the exposition in each of those states.
# (exporter_vs_ha_cluster_exporter.sh compares it with ha_cluster_exporter.)
#   exporter_prometheus.sh VOTEQUORUM_MONITOR
set -euo pipefail
shopt -s inherit_errexit
VQ_MONITOR=$(readlink -f "$1")
export VQ_MONITOR
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
trap cluster_down EXIT
dir=$VQ_CLUSTER_DIR
exporter_url=http://127.0.0.1:9669/metrics
prom_url=http://127.0.0.1:9090

step "3 nodes up"
cluster_up 3
for i in 1 2 3; do wait_for "$i" '"quorate":true.*"total_votes":3'; done

step "exporter and Prometheus (scrape interval 1 s) on node 1"
on_node 1 sh -c "setsid '$VQ_MONITOR' --listen 127.0.0.1:9669 --corosync-conf $dir/node1/corosync.conf \
	> $dir/exporter.log 2>&1 < /dev/null &"
cat > "$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: votequorum
    static_configs:
      - targets: ['127.0.0.1:9669']
YAML
on_node 1 sh -c "setsid prometheus --config.file=$dir/prometheus.yml --storage.tsdb.path=$dir/tsdb \
	--web.listen-address=127.0.0.1:9090 --query.lookback-delta=5s > $dir/prometheus.log 2>&1 < /dev/null &"

# The value Prometheus has now for QUERY ("none" when the series is absent
# or stale).
query() {  # QUERY
	on_node 1 curl -s --get --data-urlencode "query=$1" "$prom_url/api/v1/query" |
		jq -r 'if .status != "success" then "error" elif (.data.result | length) == 0 then "none" else .data.result[0].value[1] end'
}
# Waits (60 s) until Prometheus has VALUE for QUERY.
expect_prom() {  # QUERY VALUE
	local got=""
	for _ in $(seq 1 300); do
		got=$(query "$1" || true)
		if [ "$got" = "$2" ]; then
			echo "    Prometheus: $1 = $2"
			return 0
		fi
		sleep 0.2
	done
	echo "FAIL: Prometheus never had $1 = $2 (last: $got)" >&2
	tail -n 20 "$dir/prometheus.log" "$dir/exporter.log" >&2
	return 1
}
# promtool on what the exporter serves now, and anchored patterns in it.
check_served() {  # WHAT PATTERN...
	local what=$1 out pattern
	shift
	out=$(on_node 1 curl -s "$exporter_url")
	promtool check metrics <<<"$out" || { echo "FAIL: promtool rejects the exposition ($what)" >&2; return 1; }
	for pattern in "$@"; do
		grep -E -- "^$pattern\$" <<<"$out" >/dev/null || { echo "FAIL: ($what) no line ^$pattern\$" >&2; return 1; }
	done
	echo "    served ($what): promtool accepts it"
}

expect_prom votequorum_up 1
expect_prom votequorum_quorate 1
expect_prom ha_cluster_corosync_quorate 1
expect_prom 'ha_cluster_corosync_member_votes{node="node3"}' 1
check_served "quorate" 'votequorum_quorate 1' 'ha_cluster_corosync_quorum_votes\{type="total_votes"\} 3'

step "nodes 2 and 3 die: not quorate"
node_stop 2
node_stop 3
expect_prom votequorum_quorate 0
expect_prom 'ha_cluster_corosync_member_votes{node="node3"}' none  # dead: not a member
expect_prom ha_cluster_corosync_quorate 0
check_served "not quorate" 'votequorum_quorate 0' 'ha_cluster_corosync_quorate 0'

step "nodes 2 and 3 return: quorate"
node_start 2
node_start 3
expect_prom votequorum_quorate 1
expect_prom ha_cluster_corosync_quorate 1

step "node 1's corosync killed: up 0"
node_stop 1
expect_prom votequorum_up 0
expect_prom votequorum_quorate none
check_served "disconnected" 'votequorum_up 0'

step "node 1's corosync restarted: up 1, quorate, one reconnect"
node_start 1
expect_prom votequorum_up 1
expect_prom votequorum_quorate 1
expect_prom votequorum_reconnects_total 1
step "ok"
