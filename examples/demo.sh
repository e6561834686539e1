#!/bin/bash
# The main job: on a fresh Debian 12 machine (root), install what is needed,
# build the library, start a private single-node corosync (in its own
# network and mount namespace: it never meets a corosync you run), and show
# real programs working through our libraries (libvotequorum.so.8,
# libquorum.so.5, libcmap.so.4, libcorosync_common.so.4):
#   - Debian's own corosync-quorumtool binary, unchanged, with our
#     libraries put first by LD_LIBRARY_PATH (it loads all four; its
#     libcfg is still the system's);
#   - Debian's corosync-cmapctl on our libcmap: a dump, a key set and read;
#   - vq_status, the small example program of examples/;
#   - votequorum-monitor, once and as a Prometheus exporter (one scrape).
# VQ_DEMO_PREBUILT=1 skips the set-up and the build (the test of this
# script, tests/system/demo_test.sh, runs it on the suite's build).
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VQ_BUILD_DIR:-$top/build}

if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	if [ "${VQ_DEMO_PREBUILT:-}" != 1 ]; then
		"$top/tests/setup.sh"
		cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
		cmake --build "$build" -j"$(nproc)" --target votequorum quorum cmap corosync_common vq_status cpp_status \
			votequorum-monitor >/dev/null
	fi
	exec "$top/tests/support/private-corosync.sh" "$0" "$@"
fi

lib=$build
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "which corosync libraries Debian's corosync-quorumtool loads (all four ours)"
LD_LIBRARY_PATH=$lib ldd /usr/sbin/corosync-quorumtool | grep -E 'lib(votequorum|quorum|cmap|corosync_common)\.so'

say "corosync-quorumtool -s (Debian's binary on our two libraries: 'Quorate:' comes from libquorum, the rest from libvotequorum)"
LD_LIBRARY_PATH=$lib corosync-quorumtool -s || true

say "corosync-quorumtool -l -H"
LD_LIBRARY_PATH=$lib corosync-quorumtool -l -H || true

say "corosync-cmapctl totem. (Debian's binary on our libcmap)"
LD_LIBRARY_PATH=$lib corosync-cmapctl totem. || true

say "corosync-cmapctl -s demo.greeting str hello, then -g demo.greeting"
LD_LIBRARY_PATH=$lib corosync-cmapctl -s demo.greeting str hello || true
LD_LIBRARY_PATH=$lib corosync-cmapctl -g demo.greeting || true

say "vq_status (examples/vq_status.c on our library)"
LD_LIBRARY_PATH=$lib "$build/examples/vq_status" || true

say "vq_status --follow while the node's votes and the expected votes change"
LD_LIBRARY_PATH=$lib timeout -s INT 3 "$build/examples/vq_status" --follow &
sleep 1
LD_LIBRARY_PATH=$lib corosync-quorumtool -v 2 >/dev/null
LD_LIBRARY_PATH=$lib corosync-quorumtool -e 3 >/dev/null
wait || true

say "votequorum-monitor --once (tools/, on the C++ API)"
"$build/tools/votequorum-monitor" --once || true

say "votequorum-monitor --once --json"
"$build/tools/votequorum-monitor" --once --json || true

say "votequorum-monitor --once --prometheus (some of its lines)"
"$build/tools/votequorum-monitor" --once --prometheus | grep -E "^votequorum_(up|quorate|expected_votes|total_votes|quorum) " || true

say "votequorum-monitor --listen 127.0.0.1:9669: a Prometheus scrape (GET /metrics, ha_cluster_exporter's names)"
"$build/tools/votequorum-monitor" --listen 127.0.0.1:9669 2>/dev/null &
exporter=$!
for _ in $(seq 1 100); do
	if curl -sf -o /dev/null http://127.0.0.1:9669/metrics; then break; fi
	sleep 0.05
done
curl -s -D - http://127.0.0.1:9669/metrics | tr -d '\r' | grep -E '^(HTTP|Content-Type|votequorum_up|votequorum_quorate|ha_cluster_corosync)' || true

say "cpp_status (examples/cpp_status.cpp, the C++ API)"
"$build/examples/cpp_status" || true

say "after the private corosync is killed"
pkill -KILL -x corosync; sleep 0.3
echo "GET /metrics now: $(curl -s http://127.0.0.1:9669/metrics | grep -E '^votequorum_(up|quorate) ' | tr '\n' ' ')"
kill "$exporter"; wait "$exporter" || true
LD_LIBRARY_PATH=$lib "$build/examples/vq_status" || echo "(exit status $?)"
"$build/tools/votequorum-monitor" --once || echo "(votequorum-monitor exit status $?)"
