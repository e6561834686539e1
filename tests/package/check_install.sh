#!/bin/bash
# cmake --install into a temporary prefix; then, for each library
# (libvotequorum.so.8 and libquorum.so.5), build a C program with only
# pkg-config's flags and a C++ program with only find_package(votequorum),
# plus one of the quorum service's C++ API (votequorum::cpp), and run all
# five against a private corosync, on the installed libraries.
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
quorum_file=$(readlink "$build/libquorum.so.5")  # libquorum.so.5.x.y, as the build names it
expect "lib/$quorum_file"
expect lib/libquorum.so.5
expect lib/libquorum.so
expect lib/libcmap.so.4.2.0
expect lib/libcmap.so.4
expect lib/libcmap.so
expect lib/libcorosync_common.so.4.1.0
expect lib/libcorosync_common.so.4
expect include/corosync/votequorum.h
expect include/corosync/cmap.h
expect include/corosync/corotypes.h
expect include/corosync/quorum.h
expect include/votequorum/client.hpp
expect include/quorum/client.hpp
expect lib/libvotequorum-cpp.so.1
expect bin/votequorum-monitor
expect share/man/man8/votequorum-monitor.8.gz
expect lib/pkgconfig/libvotequorum.pc
expect lib/pkgconfig/libquorum.pc
expect lib/pkgconfig/libcmap.pc
expect lib/pkgconfig/libcorosync_common.pc
expect lib/cmake/votequorum/votequorumConfig.cmake
expect lib/cmake/votequorum/votequorumConfigVersion.cmake
expect lib/cmake/votequorum/votequorumTargets.cmake
for page in "$top"/man/*.3; do expect "share/man/man3/$(basename "$page").gz"; done
[ "$(readlink "$prefix/lib/libvotequorum.so.8")" = libvotequorum.so.8.1.0 ] || { echo "FAIL: .so.8 link"; fail=1; }
[ "$(readlink "$prefix/lib/libvotequorum.so")" = libvotequorum.so.8 ] || { echo "FAIL: .so link"; fail=1; }
[ "$(readlink "$prefix/lib/libquorum.so.5")" = "$quorum_file" ] || { echo "FAIL: libquorum .so.5 link"; fail=1; }
[ "$(readlink "$prefix/lib/libquorum.so")" = libquorum.so.5 ] || { echo "FAIL: libquorum .so link"; fail=1; }
for page in votequorum_dispatch quorum_dispatch; do
	zcat "$prefix/share/man/man3/$page.3.gz" | groff -man -ww -z
done
[ "$fail" = 0 ] || exit 1

# C, with pkg-config only.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
for program in vq_status:libvotequorum:examples/vq_status.c quorum_status:libquorum:tests/package/quorum_status.c; do
	IFS=: read -r name module source <<<"$program"
	flags=$(pkg-config --cflags --libs "$module")
	echo "pkg-config --cflags --libs $module: $flags"
	# shellcheck disable=SC2086
	cc -Wall -Werror -o "$work/$name" "$top/$source" $flags
done
# C++, with find_package only.
cmake -S "$top/tests/package/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
echo "find_package(votequorum): built consumer (votequorum::votequorum), quorum_consumer (votequorum::quorum), quorum_cpp_consumer (votequorum::cpp)"

# All five against a private corosync, each on the installed library.
"$top/tests/support/private-corosync.sh" bash -c '
	set -euo pipefail
	shopt -s inherit_errexit
	export LD_LIBRARY_PATH='"$prefix"'/lib
	work='"$work"'
	loads() {  # PROGRAM SONAME: the program must load SONAME from the install tree
		ldd "$1" | grep -E "^\s+$2 => '"$prefix"'/lib/$2 " >/dev/null || { echo "FAIL: $1 does not load the installed $2"; exit 1; }
	}
	loads "$work/vq_status" libvotequorum.so.8
	"$work/vq_status"
	loads "$work/quorum_status" libquorum.so.5
	loads "$work/consumer/consumer" libvotequorum.so.8
	loads "$work/consumer/quorum_consumer" libquorum.so.5
	loads "$work/consumer/quorum_cpp_consumer" libvotequorum-cpp.so.1
	for check in \
		"quorum_status|quorum: type 1 getquorate 1 notifications 1 quorate 1 members 1" \
		"consumer/consumer|getinfo: 1 node 1 quorate 1" \
		"consumer/quorum_consumer|quorum V1: type 1 quorate 1 nodelists 1 quorums 1 members 1" \
		"consumer/quorum_cpp_consumer|quorum::Client: provider 1 quorate 1 nodelists 1 quorums 1 members 1"; do
		out=$("$work/${check%%|*}")
		echo "$out"
		[ "$out" = "${check#*|}" ] || { echo "FAIL: ${check%%|*} printed something else than: ${check#*|}"; exit 1; }
	done
'
echo "install tree: both libraries consumed by pkg-config (C) and find_package (C++), all ran against corosync"
