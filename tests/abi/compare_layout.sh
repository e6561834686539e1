#!/bin/bash
# Builds layout_dump.c against our headers and against Debian's reference
# headers (libvotequorum-dev, libquorum-dev and libcmap-dev, unpacked by the test set-up
# into REFDIR, never installed) and demands identical output. With MAINLINE_INCLUDE, does the
# same against corosync's main-line headers, ABI 1.1 included.
#   compare_layout.sh LAYOUT_DUMP.C OUR_INCLUDE REFDIR WORK [MAINLINE_INCLUDE]
set -euo pipefail
shopt -s inherit_errexit
src=$1 ours=$2 refdir=$3 work=$4 mainline=${5:-}
if [ ! -f "$refdir/usr/include/corosync/votequorum.h" ] || [ ! -f "$refdir/usr/include/corosync/quorum.h" ] ||
	[ ! -f "$refdir/usr/include/corosync/cmap.h" ]; then
	echo "FAIL: reference headers missing in $refdir (run tests/setup.sh)" >&2
	exit 1
fi
mkdir -p "$work"
dump() {  # NAME INCLUDE [CFLAGS...]
	local name=$1 inc=$2; shift 2
	cc -std=c99 -Wall -Werror "$@" -I"$inc" -o "$work/layout_$name" "$src"
	"$work/layout_$name" > "$work/layout_$name.txt"
}
dump ours "$ours"
dump debian "$refdir/usr/include"
diff -u "$work/layout_debian.txt" "$work/layout_ours.txt"
echo "layout: $(wc -l < "$work/layout_ours.txt") sizes, offsets and values identical to Debian's headers"
if [ -n "$mainline" ]; then
	dump ours11 "$ours" -DVQ_LAYOUT_ABI11
	dump mainline "$mainline" -DVQ_LAYOUT_ABI11
	diff -u "$work/layout_mainline.txt" "$work/layout_ours11.txt"
	echo "layout: $(wc -l < "$work/layout_ours11.txt") sizes, offsets and values identical to the main line's headers"
fi
