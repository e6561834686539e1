#!/bin/bash
# Compiles corosync's own main-line tools/corosync-quorumtool.c (from the
# tree tests/mainline/build.sh built) twice, with the main line's compiler
# flags: against its own headers, and with our include/ first, so that
# <corosync/votequorum.h> and <corosync/corotypes.h> are ours. Passes when
# our headers give no diagnostic that the main line's do not also give,
# and when the second build really read our header.
#   compile_quorumtool.sh MAINLINE_PREFIX OUR_INCLUDE WORK_DIR
set -euo pipefail
shopt -s inherit_errexit
prefix=$1 ours=$(cd "$2" && pwd) work=$3
src=$(cd "$prefix/../src" && pwd)
tool=$src/tools/corosync-quorumtool.c
[ -f "$tool" ] || { echo "FAIL: $tool is missing (tests/mainline/build.sh keeps the tree)" >&2; exit 1; }
mkdir -p "$work"

# The flags automake used for the tool, read from its generated Makefile.
make_var() { sed -n "s/^$1 = //p" "$src/tools/Makefile" | head -n 1; }
read -r -a cflags <<<"$(make_var CFLAGS)"
includes=(-I"$src/tools" -I"$src/include" -I"$src/include/corosync")

compile() {  # NAME [EXTRA -I...]
	local name=$1; shift
	local status=0
	cc -DHAVE_CONFIG_H "$@" "${includes[@]}" "${cflags[@]}" -MD -MF "$work/$name.d" \
		-c "$tool" -o "$work/$name.o" 2> "$work/$name.log" || status=$?
	if [ "$status" != 0 ]; then
		echo "FAIL: corosync-quorumtool.c does not compile against $name headers:" >&2
		cat "$work/$name.log" >&2
		exit 1
	fi
	# Diagnostics as FILE:LINE:COL: KIND: TEXT, paths cut to their last part.
	(grep -E ':[0-9]+:[0-9]+: (warning|error)' "$work/$name.log" || true) |
		sed -E 's|^[^:]*/([^/:]+):|\1:|' | sort -u > "$work/$name.diag"
}
compile theirs
compile ours -I"$ours"

if ! grep -q "$ours/corosync/votequorum.h" "$work/ours.d"; then
	echo "FAIL: the second build did not read $ours/corosync/votequorum.h" >&2
	exit 1
fi
if ! grep -q "$ours/corosync/corotypes.h" "$work/ours.d"; then
	echo "FAIL: the second build did not read $ours/corosync/corotypes.h" >&2
	exit 1
fi
extra=$(comm -13 "$work/theirs.diag" "$work/ours.diag")
if [ -n "$extra" ]; then
	echo "FAIL: diagnostics that only our headers cause:" >&2
	echo "$extra" >&2
	exit 1
fi
echo "quorumtool: compiles against our headers with $(wc -l < "$work/ours.diag") diagnostics, all of which its own headers give too ($(wc -l < "$work/theirs.diag"))"
