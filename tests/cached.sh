#!/bin/bash
# cached.sh CACHE
#
# Says, at the start of a run, what earlier runs or sessions left on this
# machine that the run would reuse: the packages of tests/setup.sh, the main
# line's build and the foreign roots under CACHE, the binfmt_misc entries,
# the reference headers and the build trees of this clone. The run depends
# on none of it: each is made again where it is missing
# (tests/cross/cache_rebuild.sh proves it for the caches). Only reads.
set -euo pipefail
shopt -s inherit_errexit
cache=${1:?usage: cached.sh CACHE}
top=$(cd "$(dirname "$0")/.." && pwd)

when() { date -u -d "@$(stat -c %Y "$1")" '+%Y-%m-%d %H:%M UTC'; }

mapfile -t wanted < <("$top/tests/setup.sh" --list)
have=0
for p in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null && have=$((have + 1))
done
echo "cached: packages: $have of the ${#wanted[@]} that tests/setup.sh installs are installed"

found=""
for d in "$cache"/corosync-*/; do
	[ -d "$d" ] || continue
	if [ -f "$d/complete" ]; then
		echo "cached: corosync's main line built in $d (made $(when "$d/complete"))"
	else
		echo "cached: an unfinished main-line build in $d (it is made again)"
	fi
	found=1
done
for d in "$cache"/roots/*/; do
	[ -d "$d" ] || continue
	if [ -f "$d/.complete" ]; then
		echo "cached: a Debian root in $d (made $(when "$d/.complete") in $(cat "$d/.seconds" 2>/dev/null || echo ?) s)"
	else
		echo "cached: an unfinished root in $d (it is made again)"
	fi
	found=1
done
[ -n "$found" ] || echo "cached: nothing under $cache (the main line and the roots are made now)"

binfmt=/proc/sys/fs/binfmt_misc
if [ -e "$binfmt/register" ]; then
	entries=$(find "$binfmt" -maxdepth 1 -name 'qemu-*' -printf '%f ' | sed 's/ $//')
	echo "cached: binfmt_misc entries: ${entries:-none of qemu}"
else
	echo "cached: binfmt_misc is not mounted (no entry left)"
fi

if [ -d "$top/.cache/refdev/usr/include" ]; then
	echo "cached: the reference headers in $top/.cache/refdev"
fi
builds=$(find "$top" -maxdepth 1 -name 'build*' -type d -printf '%f ' | sed 's/ $//')
[ -z "$builds" ] || echo "cached: build trees in this clone (reused by cmake): $builds"
