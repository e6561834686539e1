#!/bin/sh
# Builds layout_dump.c against our headers and against Debian's reference
# headers (libvotequorum-dev, unpacked by the test set-up into REFDIR, never
# installed) and demands identical output.
set -eu
src=$1; ours=$2; refdir=$3; work=$4
if [ ! -f "$refdir/usr/include/corosync/votequorum.h" ]; then
	echo "FAIL: reference headers missing in $refdir (run tests/setup.sh)" >&2
	exit 1
fi
mkdir -p "$work"
cc -std=c99 -Wall -Werror -I"$ours" -o "$work/layout_ours" "$src"
cc -std=c99 -Wall -Werror -I"$refdir/usr/include" -o "$work/layout_ref" "$src"
"$work/layout_ours" > "$work/layout_ours.txt"
"$work/layout_ref" > "$work/layout_ref.txt"
diff -u "$work/layout_ref.txt" "$work/layout_ours.txt"
echo "layout: $(wc -l < "$work/layout_ours.txt") sizes, offsets and values identical to the reference headers"
