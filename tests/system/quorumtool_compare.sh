#!/bin/bash
# Debian's corosync-quorumtool, run on Debian's libvotequorum8 and libquorum5
# and on both our libraries at once (it loads the two), against the same
# private corosync state, must print the same (dates and ring ids masked)
# and exit the same, scenario by scenario. Each side must have loaded the
# libraries it names.
#   quorumtool_compare.sh OUR_LIBDIR QDEVICE_HELPER REFERENCE_LIB
# (REFERENCE_LIB: Debian's libvotequorum.so.8 as CMake found it, which
# corosync-quorumtool loads when LD_LIBRARY_PATH does not point at ours.)
set -euo pipefail
shopt -s inherit_errexit
ourlib=$(cd "$1" && pwd)
helper=$2
reflib=$3
here=$(cd "$(dirname "$0")" && pwd)
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	exec "$here/../support/private-corosync.sh" --no-start "$0" "$@"
fi
[ -e "$reflib" ] || { echo "FAIL: Debian's libvotequorum8 is missing ($reflib)" >&2; exit 1; }
export VQ_HELPER=$helper VQ_OURLIB=$ourlib

# name | changes state (1: fresh daemon before each run) | shell snippet.
# The qdevice helper always runs on our library: it only prepares state.
qd='LD_LIBRARY_PATH=$VQ_OURLIB $VQ_HELPER Qdevice-test'
scenarios=(
	"status|0|corosync-quorumtool -s"
	"status, machine-parsable|0|corosync-quorumtool -s -p"
	"status, hex ids|0|corosync-quorumtool -s -H"
	"list|0|corosync-quorumtool -l"
	"list, machine-parsable|0|corosync-quorumtool -l -p"
	"list, hex ids|0|corosync-quorumtool -l -H"
	"list, addresses|0|corosync-quorumtool -l -i"
	"list, all names|0|corosync-quorumtool -l -a"
	"list, ordered by node id|0|corosync-quorumtool -l -o i"
	"change votes of an unknown node (error)|0|corosync-quorumtool -n 77 -v 3"
	"expected votes 0 (error)|0|corosync-quorumtool -e 0"
	"expected votes above the total (error)|0|corosync-quorumtool -e 3"
	"forced qdevice unregister with no qdevice (error)|0|corosync-quorumtool -f"
	"change votes|1|corosync-quorumtool -v 2; echo rc=\$?; corosync-quorumtool -s"
	"change votes of a node, then expected votes|1|corosync-quorumtool -n 1 -v 3; echo rc=\$?; corosync-quorumtool -e 4; echo rc=\$?; corosync-quorumtool -s; corosync-quorumtool -l"
	"status with a qdevice registered and voting|1|$qd; corosync-quorumtool -s; corosync-quorumtool -s -p"
	"forced qdevice unregister|1|$qd; corosync-quorumtool -f; echo rc=\$?; corosync-quorumtool -s"
	"monitor mode (votes and expected votes changed meanwhile)|1|timeout -s INT 3 stdbuf -oL corosync-quorumtool -m & sleep 1; corosync-quorumtool -v 2 >/dev/null; corosync-quorumtool -e 3 >/dev/null; wait"
	"no daemon (error)|1|pkill -KILL -x corosync; sleep 0.2; corosync-quorumtool -s; corosync-quorumtool -l"
)

# shellcheck source=../support/compare.sh
source "$here/../support/compare.sh"
mask() { vq_mask "$1" | sed -E 's/(Ring ID: +)[0-9a-fx.]+/\1<ring>/'; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Runs in this shell (not in a substitution), so a failed restart stops the
# test and `dirty` is kept.
dirty=1
run_with() {  # LIBDIR FRESH SNIPPET OUTFILE
	if [ "$dirty" = 1 ] || [ "$2" = 1 ]; then
		vq_restart_corosync
		dirty=$2
	fi
	local status=0
	LD_LIBRARY_PATH=$1 bash -c "$3" > "$4.raw" 2>&1 || status=$?
	echo "exit=$status" >> "$4.raw"
	mask "$4.raw" > "$4"
}

# Which libvotequorum and libquorum a run of corosync-quorumtool loaded, as
# the dynamic loader reports them.
loaded() {  # LIBDIR
	LD_DEBUG=libs LD_LIBRARY_PATH=$1 corosync-quorumtool -s 2>&1 >/dev/null |
		sed -nE 's/.*calling init: (.*\/lib(vote)?quorum\.so\.[0-9.]+)$/\1/p' | sort -u
}
vq_restart_corosync
dirty=0
expected_ours=$(printf '%s\n' "$ourlib/libquorum.so.5" "$ourlib/libvotequorum.so.8")
if [ "$(loaded "$ourlib")" != "$expected_ours" ]; then
	printf 'FAIL: on our side corosync-quorumtool loaded:\n%s\n' "$(loaded "$ourlib")" >&2
	exit 1
fi
if loaded "" | grep -F "$ourlib" >/dev/null || [ "$(loaded "" | wc -l)" != 2 ]; then
	printf "FAIL: on Debian's side corosync-quorumtool loaded:\n%s\n" "$(loaded "")" >&2
	exit 1
fi
echo "ours: corosync-quorumtool loads $(loaded "$ourlib" | tr '\n' ' ')"
echo "Debian's: corosync-quorumtool loads $(loaded "" | tr '\n' ' ')"

vq_compare_scenarios corosync-quorumtool "" "$ourlib" "$work" "${scenarios[@]}"
