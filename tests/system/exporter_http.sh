#!/bin/bash
# votequorum-monitor --listen as an HTTP server, beside a private corosync:
#   - GET /metrics: 200, Prometheus' Content-Type, an exposition promtool
#     accepts; HEAD: the same headers, no body;
#   - an unknown path: 404; POST, PUT, DELETE: 405 with "Allow: GET, HEAD";
#   - clients that connect and send nothing do not hold up a scrape or an
#     update (a vote change made during their wait shows in a scrape);
#   - 1,000 scrapes, each on its own connection: fd count and RSS after
#     them equal to after a warm-up of 100 (RSS within 256 KiB);
#   - the ring series of the one node: link 0, healthy, no ring errors;
#   - names and rings read within the last 2.5 s (their age series), and
#     the last change's time unmoved over 2.5 idle seconds;
#   - corosync killed: votequorum_up 0, no quorum series, promtool accepts
#     it; corosync back: up 1 and votequorum_reconnects_total 1, by itself;
#   - SIGTERM: exit status 0.
#   exporter_http.sh VOTEQUORUM_MONITOR
set -euo pipefail
shopt -s inherit_errexit
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	here=$(dirname "$(readlink -f "$0")")
	exec "$here/../support/private-corosync.sh" "$(readlink -f "$0")" "$(readlink -f "$1")"
fi
monitor=$1
work=$(mktemp -d)
port=9669
url=http://127.0.0.1:$port/metrics
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

"$monitor" --listen "127.0.0.1:$port" 2> "$work/exporter.log" &
exporter=$!
cleanup() { kill "$exporter" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

scrape() {  # OUT: the body; the status code and content type on stdout
	curl -s -o "$1" -w '%{http_code} %{content_type}' "$url"
}
# Waits until a scrape's body matches the anchored line PATTERN (10 s).
wait_metric() {  # PATTERN
	for _ in $(seq 1 200); do
		if curl -s "$url" 2>/dev/null | grep -E "^$1\$" >/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	curl -s "$url" >&2 || true
	fail "no line matching ^$1\$ in the exposition"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$exporter/status"; }
fds() { find "/proc/$exporter/fd" -mindepth 1 | wc -l; }

wait_metric 'votequorum_up 1'
head=$(scrape "$work/m")
[ "$head" = "200 text/plain; version=0.0.4; charset=utf-8" ] || fail "GET /metrics answered '$head'"
promtool check metrics < "$work/m" || fail "promtool rejects the quorate exposition"
grep -E '^votequorum_quorate 1$' "$work/m" >/dev/null || fail "not quorate"
grep -E '^ha_cluster_corosync_quorate 1$' "$work/m" >/dev/null || fail "no ha_cluster_corosync_quorate 1"
grep -E '^ha_cluster_corosync_quorum_votes\{type="expected_votes"\} 1$' "$work/m" >/dev/null || fail "no expected_votes"
grep -E '^ha_cluster_corosync_member_votes\{local="true",node="node1",node_id="1"\} 1$' "$work/m" >/dev/null ||
	fail "no member votes for node1 (names from $VQ_COROSYNC_CONF?)"
ok "GET /metrics: 200, text/plain; version=0.0.4, promtool accepts it"
# How old the names and rings are: both read within the last second or two.
for series in votequorum_names_age_seconds votequorum_rings_age_seconds; do
	age=$(sed -nE "s/^$series ([0-9.e+-]+)\$/\1/p" "$work/m")
	[ -n "$age" ] || fail "no $series in the exposition"
	if ! awk -v a="$age" 'BEGIN { exit !(a >= 0 && a < 2.5) }'; then
		fail "$series is $age: names and rings are read every second"
	fi
done
# Nothing moves on an idle cluster: the state is rendered once per change,
# so the time of the last change stays put over idle seconds.
last=$(grep -E '^votequorum_last_change_timestamp_seconds ' "$work/m")
for _ in $(seq 1 25); do
	sleep 0.1
	now=$(curl -s "$url" | grep -E '^votequorum_last_change_timestamp_seconds ' || true)
	[ "$now" = "$last" ] || fail "an idle second moved the state: '$last' became '$now'"
done
ok "idle: names and rings under 2.5 s old, the last change's time unmoved over 2.5 s"
head=$(curl -s -I -o "$work/head" -w '%{http_code} %{size_download}' "$url")
[ "$head" = "200 0" ] || fail "HEAD /metrics answered '$head'"
ok "HEAD /metrics: 200, no body"

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$code" = 404 ] || fail "GET / answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics/x")
[ "$code" = 404 ] || fail "GET /metrics/x answered $code"
for method in POST PUT DELETE; do
	out=$(curl -s -D - -o /dev/null -X "$method" "$url" | tr -d '\r')
	grep -E '^HTTP/1.1 405 ' <<<"$out" >/dev/null || fail "$method answered: $out"
	grep -E '^Allow: GET, HEAD$' <<<"$out" >/dev/null || fail "$method: no Allow header: $out"
done
ok "unknown paths: 404; POST, PUT, DELETE: 405 with Allow: GET, HEAD"

# Four clients connect and send nothing; meanwhile a scrape is answered and
# a change shows.
for i in 1 2 3 4; do
	exec {idle}<>"/dev/tcp/127.0.0.1/$port"
	eval "idle$i=$idle"
done
head=$(scrape "$work/m")
[ "${head%% *}" = 200 ] || fail "a scrape beside idle clients answered '$head'"
corosync-quorumtool -v 2 -n 1 >/dev/null  # Debian's tool and library: node 1 gets 2 votes
wait_metric 'ha_cluster_corosync_quorum_votes\{type="expected_votes"\} 2'
for i in 1 2 3 4; do
	eval "exec {idle$i}>&-"
done
ok "4 idle connections: scrapes answered and a change (2 votes, so expected votes 2) published meanwhile"

# One curl, a new connection per URL (the query string is ignored).
scrapes() {  # N: prints how many were not 200
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Connection: close' "$url?[1-$1]" | grep -cvx 200 || true
}
scrapes 100 >/dev/null
fd0=$(fds) rss0=$(rss_kib)
pid0=$(cat /proc/sys/kernel/ns_last_pid)  # this PID namespace's last pid
bad=$(scrapes 1000)
pids=$(($(cat /proc/sys/kernel/ns_last_pid) - pid0))
fd1=$(fds) rss1=$(rss_kib)
echo "1000 scrapes: $bad not 200; fds $fd0 -> $fd1; RSS $rss0 -> $rss1 KiB; $pids processes made meanwhile"
[ "$bad" = 0 ] || fail "$bad scrapes failed"
[ "$fd1" = "$fd0" ] || fail "fd count grew from $fd0 to $fd1"
[ $((rss1 - rss0)) -le 256 ] || fail "RSS grew by $((rss1 - rss0)) KiB"
# curl, grep and the subshells of this script: a handful, not one per scrape.
[ "$pids" -le 10 ] || fail "$pids processes made during 1000 scrapes"
ok "1000 scrapes on fresh connections: all 200, no fd or RSS growth, no process made per scrape"

# Names from cmap and the ring of a one-node knet cluster: link 0, healthy.
scrape "$work/m" >/dev/null
grep -E '^ha_cluster_corosync_ring_errors 0$' "$work/m" >/dev/null || fail "no ha_cluster_corosync_ring_errors 0"
grep -E '^ha_cluster_corosync_rings\{address="[^"]+",node_id="1",number="0",ring_id="1\.[0-9a-f]+"\} 1$' "$work/m" >/dev/null ||
	fail "no healthy ring 0"
ok "ring 0 (knet link 0) served, healthy; ring errors 0"

vq_stop_corosync
wait_metric 'votequorum_up 0'
scrape "$work/down" >/dev/null
promtool check metrics < "$work/down" || fail "promtool rejects the disconnected exposition"
if grep -E '^(votequorum_quorate|ha_cluster_corosync_quorate|votequorum_member_votes)' "$work/down"; then
	fail "quorum series left while corosync is down"
fi
ok "corosync killed: votequorum_up 0, no quorum series, promtool accepts it"
vq_restart_corosync
wait_metric 'votequorum_up 1'
wait_metric 'votequorum_reconnects_total 1'
wait_metric 'votequorum_quorate 1'
ok "corosync restarted: reconnected by itself (up 1, reconnects 1)"

kill -TERM "$exporter"
status=0
wait "$exporter" || status=$?
[ "$status" = 0 ] || fail "SIGTERM: exit status $status"
ok "SIGTERM: exit status 0"
cat "$work/exporter.log"
