#!/bin/bash
# demo_test.sh BUILD
#
# The README's first command, examples/demo.sh, on the suite's build (its
# set-up and build skipped: VQ_DEMO_PREBUILT=1): the demo itself never
# fails on a program's error (it shows them), so this checks what it
# printed: Debian's corosync-quorumtool loads our four libraries from BUILD
# and says quorate; Debian's corosync-cmapctl on our libcmap dumps totem.
# and reads back the key it set; the monitor's scrape says up, and says
# down once corosync is killed.
set -euo pipefail
shopt -s inherit_errexit
build=$(readlink -e "${1:?usage: demo_test.sh BUILD}")
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() {
	echo "FAIL: $*" >&2
	printf '%s\n' "$out" | sed 's/^/    | /' >&2
	exit 1
}
out=$(VQ_DEMO_PREBUILT=1 VQ_BUILD_DIR=$build "$top/examples/demo.sh" 2>&1 | sed 's/\x1b\[[0-9;]*m//g')

# Each of the four libraries: one line of ldd, resolved into BUILD.
for so in libvotequorum.so.8 libquorum.so.5 libcmap.so.4 libcorosync_common.so.4; do
	line=$(grep -E "^[[:space:]]+${so//./\\.} => " <<<"$out") || fail "corosync-quorumtool's ldd shows no $so"
	[ "$(wc -l <<<"$line")" = 1 ] || fail "corosync-quorumtool's ldd shows $so more than once"
	[[ $line == *"=> $build/$so "* ]] || fail "corosync-quorumtool loads $so from elsewhere: $line"
done
grep -E '^Quorate: +Yes$' <<<"$out" >/dev/null || fail "corosync-quorumtool -s did not say quorate"
grep -E '^totem\.cluster_name \(str\) = [^ ]+$' <<<"$out" >/dev/null || fail "corosync-cmapctl totem. printed no cluster name"
grep -E '^demo\.greeting \(str\) = hello$' <<<"$out" >/dev/null || fail "corosync-cmapctl -g did not read back the key set"
grep -E '^votequorum_up 1$' <<<"$out" >/dev/null || fail "the scrape did not say votequorum_up 1"
grep -E '^GET /metrics now: votequorum_up 0 ' <<<"$out" >/dev/null || fail "after corosync was killed, the scrape did not say votequorum_up 0"
echo "demo: corosync-quorumtool on our four libraries (quorate), corosync-cmapctl on our libcmap (dump, set, get), the monitor's scrape up then down"
