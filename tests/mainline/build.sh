#!/bin/bash
# Builds corosync's main line (the only ABI 1.1 daemon, library and
# corosync-quorumtool there is) from a source tarball, once per tarball:
# the result is cached outside the clone, keyed by the tarball's sha256, so
# a second run on the same machine costs nothing.
#
#   tests/mainline/build.sh        prints the installed prefix on stdout
#
# Settings (environment):
#   VQ_MAINLINE_TARBALL  the tarball, a `git archive` of corosync's main line
#                        (default: ../shared/upstream/corosync-65235a81.tar.gz
#                        beside this repository)
#   VQ_MAINLINE_CACHE    where built trees are kept
#                        (default: $VQ_CACHE, or /var/cache/votequorum-tests)
# Exit status: 0 built (or cached); 3 no tarball outside CI (one line on
# stderr says so); anything else is a failure. In CI (CI=true) a missing
# tarball is a failure too.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
tarball=${VQ_MAINLINE_TARBALL:-$top/../shared/upstream/corosync-65235a81.tar.gz}
cache=${VQ_MAINLINE_CACHE:-${VQ_CACHE:-/var/cache/votequorum-tests}}

if [ ! -f "$tarball" ]; then
	if [ "${CI:-}" = true ]; then
		echo "mainline: FAIL: no tarball at $tarball (set VQ_MAINLINE_TARBALL)" >&2
		exit 1
	fi
	echo "mainline: not run: no tarball at $tarball (set VQ_MAINLINE_TARBALL to corosync's main line as a git archive)" >&2
	exit 3
fi
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
dir=$cache/corosync-$sha
prefix=$dir/prefix
if [ -f "$dir/complete" ]; then
	echo "$prefix"
	exit 0
fi

echo "mainline: building $(basename "$tarball") (sha256 ${sha:0:12}...) into $dir" >&2
rm -rf "$dir"
mkdir -p "$dir/src"
log=$dir/build.log
tar -xzf "$tarball" -C "$dir/src" --strip-components=1
src=$dir/src
# The archive carries no tag; corosync's build takes its version from this file.
echo 3.1.10.24-65235 > "$src/.tarball-version"
jobs=$(nproc)
folders=(include common_lib lib exec tools)
if ! {
	(cd "$src" && ./autogen.sh) &&
	# /var keeps the lock at /run/corosync.pid and the state in
	# /var/lib/corosync (the tests' private mounts); no crypto is needed
	# on loopback.
	(cd "$src" && ./configure --prefix="$prefix" --localstatedir=/var --enable-unencrypted) &&
	for f in "${folders[@]}"; do make -C "$src/$f" -j"$jobs" || exit 1; done &&
	for f in "${folders[@]}"; do make -C "$src/$f" install || exit 1; done
} >"$log" 2>&1; then
	echo "mainline: FAIL: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
for f in sbin/corosync sbin/corosync-quorumtool lib/libvotequorum.so.8 include/corosync/votequorum.h; do
	[ -e "$prefix/$f" ] || { echo "mainline: FAIL: $prefix/$f was not installed" >&2; exit 1; }
done
# Which run made it (tests/run.sh sets VQ_RUN_ID): the cache test takes a
# build this run made from nothing as its proof (tests/cross/cache_rebuild.sh).
echo "${VQ_RUN_ID:-}" > "$dir/made-by"
touch "$dir/complete"
echo "mainline: built in $dir" >&2
echo "$prefix"
