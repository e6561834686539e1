#!/bin/bash
# corosync's own main-line corosync-quorumtool (the ABI 1.1 tool), run on
# the main line's libvotequorum and on ours against the same private
# main-line corosync, must print the same (dates masked) and exit the same,
# scenario by scenario: -s, -l, -X, -C and -W x, with a qdevice registered.
#   mainline_quorumtool.sh OUR_LIBDIR QDEVICE_HELPER MAINLINE_PREFIX
set -euo pipefail
shopt -s inherit_errexit
ourlib=$(cd "$1" && pwd) helper=$(readlink -f "$2") prefix=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	VQ_COROSYNC_PREFIX=$prefix exec "$here/../support/private-corosync.sh" --no-start "$0" "$@"
fi
export VQ_QUORUMTOOL=$prefix/sbin/corosync-quorumtool VQ_HELPER=$helper VQ_OURLIB=$ourlib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


# name | shell snippet (a fresh daemon before each). The qdevice helper
# always runs on our library: it only prepares state.
qd='LD_LIBRARY_PATH=$VQ_OURLIB $VQ_HELPER Qdevice-test'
q='$VQ_QUORUMTOOL'
watch="export VQ_WATCH_OUT=\$(mktemp); timeout -s INT 20 stdbuf -oL $q -W x > \$VQ_WATCH_OUT 2>&1 & watcher=\$!"
unwatch="kill -INT \$watcher; wait \$watcher && echo 'watch exit=0' || echo \"watch exit=\$?\"; cat \$VQ_WATCH_OUT"
scenarios=(
	"status|$q -s"
	"list|$q -l"
	"set extra info with no qdevice (error)|$q -X hello; echo rc=\$?; $q -l"
	"clear extra info with no qdevice (error)|$q -C; echo rc=\$?"
	"status and list with a qdevice and extra info|$qd; $q -X 'hello world'; echo rc=\$?; $q -s; $q -l"
	"extra info set, then cleared|$qd; $q -X first; $q -X second; $q -l; $q -C; echo rc=\$?; $q -l"
	"list with extra info, machine-parsable and hex ids|$qd; $q -X abc; $q -l -p; $q -l -H"
	"watch extra info: replay, set, set, clear|$qd; $q -X initial; $watch; vq_wait_lines \$VQ_WATCH_OUT 2; $q -X two; vq_wait_lines \$VQ_WATCH_OUT 3; $q -X three; vq_wait_lines \$VQ_WATCH_OUT 4; $q -C; vq_wait_lines \$VQ_WATCH_OUT 5; $unwatch"
	"watch with nothing set, then set|$qd; $watch; vq_wait_lines \$VQ_WATCH_OUT 1; $q -X late; vq_wait_lines \$VQ_WATCH_OUT 2; $unwatch"
)

# shellcheck source=../support/compare.sh
source "$here/../support/compare.sh"

run_with() {  # LIBDIR SNIPPET OUTFILE
	vq_restart_corosync
	local status=0
	LD_LIBRARY_PATH=$1 bash -c "$2" > "$3.raw" 2>&1 || status=$?
	echo "exit=$status" >> "$3.raw"
	vq_mask "$3.raw" > "$3"
}

fail=0 n=0 lines=0
for s in "${scenarios[@]}"; do
	name=${s%%|*}
	snippet=${s#*|}
	n=$((n + 1))
	run_with "$prefix/lib" "$snippet" "$work/ref"
	run_with "$ourlib" "$snippet" "$work/ours"
	if vq_compare "$name" "$work/ref" "$work/ours"; then
		lines=$((lines + $(wc -l < "$work/ours")))
	else
		fail=$((fail + 1))
	fi
done
# A positive control: the tool really ran on our library and saw extra info.
LD_LIBRARY_PATH=$ourlib bash -c "$qd; $q -X control" 
if ! LD_LIBRARY_PATH=$ourlib "$VQ_QUORUMTOOL" -l | grep -E '^ +1 +1 .* node1 \[control\] \(local\)$' >/dev/null; then
	echo "FAIL: on our library, -l does not show node 1's extra info" >&2
	fail=$((fail + 1))
fi
if ! grep -q "^$ourlib/libvotequorum.so" < <(LD_LIBRARY_PATH=$ourlib ldd "$VQ_QUORUMTOOL" | awk '/libvotequorum/ { print $3 }' | xargs readlink -f); then
	echo "FAIL: the tool does not load $ourlib's libvotequorum" >&2
	fail=$((fail + 1))
fi
echo "main-line corosync-quorumtool: $((n - fail)) of $n scenarios print the same ($lines lines)"
[ "$fail" -eq 0 ]
