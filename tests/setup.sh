#!/bin/bash
# Installs what the tests need on Debian 12 (root) and unpacks the reference
# headers for the ABI comparison. Idempotent; a no-op when all is present.
# tests/setup.sh --list prints the packages.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/.." && pwd)
packages=(build-essential cmake ninja-build pkg-config libqb-dev catch2 corosync corosync-qdevice corosync-qnetd
	corosync-notifyd  # tests/cluster/qdevice_single.sh: a libcmap, libquorum and libcorosync_common program
	libvotequorum8 libquorum5 iproute2 util-linux procps valgrind binutils groff-base
	dpkg-dev file pkgconf gzip clang libclang-rt-14-dev gnuplot-nox nlohmann-json3-dev
	shellcheck autoconf automake libtool libknet-dev  # the last four build corosync's main line
	libcpp-httplib-dev prometheus curl jq  # the exporter, and its tests (promtool, a real server)
	libcfg-dev libcmap-dev prometheus-hacluster-exporter  # the exporter's rings and names; the real one beside it
	qemu-user-static mmdebstrap arch-test g++-s390x-linux-gnu g++-i686-linux-gnu  # tests/cross: s390x, i386
	pacemaker pacemaker-cli-utils pacemaker-resource-agents sbd  # tests/hastack: the HA stack on our library
	debhelper lintian blhc autopkgtest apt-utils  # tests/package: dpkg-buildpackage, its checks, debian/tests
	libcorosync-common-dev)  # debian/tests: the C -dev packages depend on it (corotypes.h)
# --list: the packages, one a line, nothing installed.
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit 0
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	echo "setup: all ${#packages[@]} packages are installed"
fi
# The Debian packages' build dependencies, as debian/control names them
# (what `apt-get build-dep ./` installs on a clean Debian 12).
if ! (cd "$top" && dpkg-checkbuilddeps) >/dev/null 2>&1; then
	echo "setup: installing the build dependencies of debian/control"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get build-dep -y -qq "$top/" >/dev/null
fi
# Debian's package starts corosync on install where it can; our tests run
# their own private daemons, so a system one is neither needed nor touched.

refdir=$top/.cache/refdev
if [ ! -f "$refdir/usr/include/corosync/votequorum.h" ] || [ ! -f "$refdir/usr/include/corosync/quorum.h" ] ||
	[ ! -f "$refdir/usr/include/corosync/cmap.h" ]; then
	echo "setup: fetching Debian's libvotequorum-dev, libquorum-dev and libcmap-dev headers for the ABI comparison (not installed)"
	tmp=$(mktemp -d)
	( cd "$tmp" && apt-get download libvotequorum-dev libquorum-dev libcmap-dev libcorosync-common-dev >/dev/null 2>&1 ) || {
		apt-get update -qq
		( cd "$tmp" && apt-get download libvotequorum-dev libquorum-dev libcmap-dev libcorosync-common-dev >/dev/null )
	}
	mkdir -p "$refdir"
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$refdir"; done
	rm -rf "$tmp"
fi
