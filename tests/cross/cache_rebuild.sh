#!/bin/bash
# cache_rebuild.sh
#
# Proves that the run needs nothing an earlier run left: the i386 root
# (roots.sh) and corosync's main line (tests/mainline/build.sh) are made
# from an empty cache, and what they made works (the root's corosync runs
# inside it, the main line's daemon prints its version). And binfmt_misc: in
# a user namespace whose binfmt_misc instance starts empty, binfmt.sh
# registers qemu's i386 entry from nothing and an i386 program of that root
# then runs through qemu.
#
# Each of the two is proved one of two ways, and the output says which:
#   - this run made it: tests/run.sh found it missing (a new machine, or a
#     cache deleted) and made it in its first step; the item records the
#     run that made it (VQ_RUN_ID, set by tests/run.sh), and the test checks
#     that record and the item, and does not make it a second time;
#   - otherwise (the item was cached by an earlier run, or the test runs
#     alone) it is made again here, into an empty scratch cache (VQ_CACHE),
#     removed at the end.
# Needs root.
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${VQ_CACHE:-/var/cache/votequorum-tests}
mainline_cache=${VQ_MAINLINE_CACHE:-$cache}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# The entry under DIR that this run made (its RECORD file holds VQ_RUN_ID),
# or nothing.
made_by_this_run() {  # GLOB RECORD
	local d
	[ -n "${VQ_RUN_ID:-}" ] || return 0
	for d in $1; do
		if [ -f "$d/$2" ] && [ "$(cat "$d/$2")" = "$VQ_RUN_ID" ]; then
			echo "$d"
			return 0
		fi
	done
}

scratch=""
cleanup() {
	[ -n "$scratch" ] || return 0
	# Never delete through a mount left inside the scratch root.
	if grep -F " $scratch/" /proc/self/mountinfo >/dev/null; then
		echo "cache_rebuild: mounts are left under $scratch; not removing it" >&2
		return
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT
# Makes the scratch cache once, in this shell (not in a command
# substitution's subshell, which would keep `scratch` from cleanup and make
# a second one for the main line).
scratch_cache() {
	[ -n "$scratch" ] || scratch=$(mktemp -d /var/tmp/votequorum-cache-rebuild.XXXXXX)
}

t=$SECONDS
root=$(made_by_this_run "$cache/roots/bookworm-i386-*" .made-by)
if [ -n "$root" ]; then
	[ -f "$root/.complete" ] || fail "this run's i386 root $root is not complete"
	how="made from nothing by this run's first step, in $(cat "$root/.seconds") s"
else
	scratch_cache
	root=$(VQ_CACHE=$scratch "$here/roots.sh" i386)
	case $root in "$scratch"/roots/*) ;; *) fail "roots.sh made its root at $root, not in the empty cache $scratch" ;; esac
	[ -f "$root/.complete" ] || fail "roots.sh printed $root but did not finish it"
	how="made again here from nothing, in $((SECONDS - t)) s"
fi
version=$("$here/in-root.sh" "$root" /usr/sbin/corosync -v | sed -nE 's/.*version .([0-9.]+).*/\1/p')
[ "$version" = 3.1.7 ] || fail "the i386 root $root: its corosync says version '$version', not 3.1.7"
echo "cache_rebuild: the i386 root $how; its corosync $version runs"

t=$SECONDS
dir=$(made_by_this_run "$mainline_cache/corosync-*" made-by)
if [ -n "$dir" ]; then
	[ -f "$dir/complete" ] || fail "this run's main-line build $dir is not complete"
	prefix=$dir/prefix
	how="built from nothing by this run's first step"
else
	scratch_cache
	prefix=$(VQ_CACHE=$scratch VQ_MAINLINE_CACHE=$scratch "$top/tests/mainline/build.sh")
	case $prefix in "$scratch"/corosync-*/prefix) ;; *) fail "the main line was built at $prefix, not in the empty cache $scratch" ;; esac
	how="built again here from nothing, in $((SECONDS - t)) s"
fi
mlversion=$("$prefix/sbin/corosync" -v | sed -nE 's/.*version .([0-9a-z.-]+).*/\1/p')
[ -n "$mlversion" ] || fail "the main line's corosync in $prefix printed no version"
echo "cache_rebuild: corosync's main line $how; its corosync says $mlversion"

"$here/binfmt.sh" private i386 "$here/binfmt.sh" runs-through-qemu i386 "$root"
