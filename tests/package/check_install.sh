#!/bin/bash
# cmake --install into a temporary prefix; then build a C program with only
# pkg-config's flags and a C++ program with only find_package(votequorum),
# and run both against a private corosync.
#   check_install.sh BUILD_DIR WORK_DIR
set -euo pipefail
shopt -s inherit_errexit
build=$(cd "$1" && pwd)
work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

fail=0
expect() {  # PATH: must exist in the install tree
	if [ -e "$prefix/$1" ] || [ -L "$prefix/$1" ]; then echo "installed: $1"; else echo "FAIL: missing $1"; fail=1; fi
}
expect lib/libvotequorum.so.8.1.0
expect lib/libvotequorum.so.8
expect lib/libvotequorum.so
expect include/corosync/votequorum.h
expect include/corosync/corotypes.h
expect include/votequorum/client.hpp
expect lib/libvotequorum-cpp.so.1
expect bin/votequorum-monitor
expect share/man/man8/votequorum-monitor.8.gz
expect lib/pkgconfig/libvotequorum.pc
expect lib/cmake/votequorum/votequorumConfig.cmake
expect lib/cmake/votequorum/votequorumConfigVersion.cmake
expect lib/cmake/votequorum/votequorumTargets.cmake
for page in "$top"/man/*.3; do expect "share/man/man3/$(basename "$page").gz"; done
[ "$(readlink "$prefix/lib/libvotequorum.so.8")" = libvotequorum.so.8.1.0 ] || { echo "FAIL: .so.8 link"; fail=1; }
[ "$(readlink "$prefix/lib/libvotequorum.so")" = libvotequorum.so.8 ] || { echo "FAIL: .so link"; fail=1; }
zcat "$prefix/share/man/man3/votequorum_dispatch.3.gz" | groff -man -ww -z
[ "$fail" = 0 ] || exit 1

# C, with pkg-config only.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
flags=$(pkg-config --cflags --libs libvotequorum)
echo "pkg-config --cflags --libs libvotequorum: $flags"
# shellcheck disable=SC2086
cc -Wall -Werror -o "$work/vq_status" "$top/examples/vq_status.c" $flags
# C++, with find_package only.
cmake -S "$top/tests/package/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
echo "find_package(votequorum): built $(basename "$work/consumer/consumer")"

# Both against a private corosync, on the installed library.
"$top/tests/support/private-corosync.sh" bash -c '
	set -e
	export LD_LIBRARY_PATH='"$prefix"'/lib
	ldd '"$work"'/vq_status | grep "libvotequorum.so.8 => '"$prefix"'/lib/libvotequorum.so.8" >/dev/null
	'"$work"'/vq_status
	out=$('"$work"'/consumer/consumer)
	echo "$out"
	[ "$out" = "getinfo: 1 node 1 quorate 1" ]
'
echo "install tree: consumed by pkg-config (C) and find_package (C++), both ran against corosync"
