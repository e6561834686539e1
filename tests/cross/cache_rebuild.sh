#!/bin/bash
# cache_rebuild.sh
#
# Proves that the run needs nothing an earlier run left: with an empty cache
# directory in place of /var/cache/votequorum-tests (VQ_CACHE), roots.sh
# makes the i386 root again from this machine's apt sources and
# tests/mainline/build.sh builds corosync's main line again, each into it;
# what they made must work (the root's corosync runs inside it, the main
# line's daemon prints its version). And binfmt_misc: in a user namespace
# whose binfmt_misc instance starts empty, binfmt.sh registers qemu's i386
# entry from nothing and an i386 program of that root then runs through
# qemu. The scratch cache is removed at the end. Needs root.
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

scratch=$(mktemp -d /var/tmp/votequorum-cache-rebuild.XXXXXX)
cleanup() {
	# Never delete through a mount left inside the scratch root.
	if grep -F " $scratch/" /proc/self/mountinfo >/dev/null; then
		echo "cache_rebuild: mounts are left under $scratch; not removing it" >&2
		return
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT
export VQ_CACHE=$scratch
unset VQ_MAINLINE_CACHE

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

t=$SECONDS
root=$("$here/roots.sh" i386)
case $root in "$scratch"/roots/*) ;; *) fail "roots.sh made its root at $root, not in the empty cache $scratch" ;; esac
[ -f "$root/.complete" ] || fail "roots.sh printed $root but did not finish it"
version=$("$here/in-root.sh" "$root" /usr/sbin/corosync -v | sed -nE 's/.*version .([0-9.]+).*/\1/p')
[ "$version" = 3.1.7 ] || fail "the remade root's corosync says version '$version', not 3.1.7"
echo "cache_rebuild: the i386 root made again from nothing in $((SECONDS - t)) s; its corosync $version runs"

t=$SECONDS
prefix=$("$top/tests/mainline/build.sh")
case $prefix in "$scratch"/corosync-*/prefix) ;; *) fail "the main line was built at $prefix, not in the empty cache $scratch" ;; esac
mlversion=$("$prefix/sbin/corosync" -v | sed -nE 's/.*version .([0-9a-z.-]+).*/\1/p')
[ -n "$mlversion" ] || fail "the rebuilt main line's corosync printed no version"
echo "cache_rebuild: corosync's main line built again from nothing in $((SECONDS - t)) s; its corosync says $mlversion"

"$here/binfmt.sh" private i386 "$here/binfmt.sh" runs-through-qemu i386 "$root"
