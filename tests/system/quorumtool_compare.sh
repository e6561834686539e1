#!/bin/bash
# Debian's corosync-quorumtool, run on Debian's libvotequorum8 and on our
# build, each against a fresh private corosync, must print the same (dates
# masked) and exit the same, scenario by scenario.
#   quorumtool_compare.sh OUR_LIBDIR
set -euo pipefail
ourlib=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	exec "$here/../support/private-corosync.sh" --no-start "$0" "$@"
fi
[ -e /usr/lib/x86_64-linux-gnu/libvotequorum.so.8 ] || { echo "FAIL: Debian's libvotequorum8 is missing" >&2; exit 1; }

# Each scenario: a name and a shell snippet run against a fresh daemon.
scenarios=(
	"status|corosync-quorumtool -s"
	"status, machine-parsable|corosync-quorumtool -s -p"
	"list|corosync-quorumtool -l"
	"list, machine-parsable|corosync-quorumtool -l -p"
	"list, hex ids|corosync-quorumtool -l -H"
	"status, hex ids|corosync-quorumtool -s -H"
	"list, addresses|corosync-quorumtool -l -i"
	"list, all names|corosync-quorumtool -l -a"
	"change votes|corosync-quorumtool -v 2; echo rc=\$?; corosync-quorumtool -s"
	"change votes of a node|corosync-quorumtool -n 1 -v 3; echo rc=\$?; corosync-quorumtool -l"
	"change votes of an unknown node (error)|corosync-quorumtool -n 77 -v 3"
	"expected votes up|corosync-quorumtool -e 3; echo rc=\$?; corosync-quorumtool -s"
	"expected votes 0 (error)|corosync-quorumtool -e 0"
	"forced qdevice unregister without a qdevice (error)|corosync-quorumtool -f"
	"monitor mode|timeout -s INT 2.5 corosync-quorumtool -m & sleep 1; corosync-quorumtool -e 2 >/dev/null; wait"
	"no daemon (error)|pkill -KILL -x corosync; sleep 0.3; corosync-quorumtool -s"
)

mask() { sed -E 's/^(Date: +).*/\1<date>/; s/[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4}/<date>/g; s/^(Ring ID: +).*/\1<ring>/; s/(Ring ID: +)[0-9a-f.]+/\1<ring>/'; }

run_with() {  # LIBDIR SNIPPET
	vq_restart_corosync
	( export LD_LIBRARY_PATH=$1; bash -c "$2"; echo "exit=$?" ) 2>&1 | mask
}

fail=0
n=0
for s in "${scenarios[@]}"; do
	name=${s%%|*}
	snippet=${s#*|}
	n=$((n + 1))
	ref=$(run_with "" "$snippet")
	ours=$(run_with "$ourlib" "$snippet")
	if [ "$ref" == "$ours" ]; then
		echo "same: $name ($(printf '%s\n' "$ours" | wc -l) lines)"
	else
		echo "DIFFERENT: $name"
		diff <(printf '%s\n' "$ref") <(printf '%s\n' "$ours") | sed 's/^/    /' || true
		fail=$((fail + 1))
	fi
done
echo "corosync-quorumtool: $((n - fail)) of $n scenarios print the same"
[ "$fail" -eq 0 ]
