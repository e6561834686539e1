#!/bin/bash
# roots.sh ARCH
#
# Prints the directory of a Debian 12 root of ARCH (s390x or i386) that holds
# what the cross tiers need: corosync 3.1.7 and Debian's libvotequorum8 of
# that architecture (the reference for conformance and the ABI), the -dev
# packages the cross build uses as its sysroot, and the header-only test
# dependencies. Made once per machine with mmdebstrap and cached under
# /var/cache/votequorum-tests/roots/, keyed by architecture and package list
# (a changed list makes a new root); later calls print the cached directory.
# Registers qemu-user-static's s390x interpreter with binfmt_misc (mounting
# it first if needed) so that the root's programs run under chroot. Any
# failure exits non-zero: the callers fail the run. Needs root.
set -euo pipefail
shopt -s inherit_errexit

arch=${1:?usage: roots.sh s390x|i386}
case $arch in
s390x | i386) ;;
*) echo "roots.sh: unsupported architecture $arch" >&2; exit 2 ;;
esac

# binfmt_misc: the s390x programs of the root run through qemu (flag F: the
# interpreter is opened now, so it need not exist inside the root). i386
# programs run natively on this x86_64 kernel (IA32 emulation).
binfmt=/proc/sys/fs/binfmt_misc
if [ "$arch" = s390x ]; then
	if [ ! -e "$binfmt/register" ]; then
		mount -t binfmt_misc binfmt_misc "$binfmt"
	fi
	if [ ! -e "$binfmt/qemu-s390x" ]; then
		conf=/usr/lib/binfmt.d/qemu-s390x.conf
		[ -f "$conf" ] || { echo "roots.sh: $conf missing (qemu-user-static)" >&2; exit 1; }
		cat "$conf" > "$binfmt/register"
	fi
	if ! grep -x enabled "$binfmt/qemu-s390x" >/dev/null || ! grep -E '^flags: .*F' "$binfmt/qemu-s390x" >/dev/null; then
		echo "roots.sh: qemu-s390x is registered but disabled or without flag F:" >&2
		cat "$binfmt/qemu-s390x" >&2
		exit 1
	fi
fi

# What the root holds. corosync, libvotequorum8 and libquorum5: the daemon,
# Debian's tools and the reference libraries; the -dev packages: the sysroot
# of the cross build and the reference headers of the layout check;
# catch2, nlohmann-json3-dev, libcpp-httplib-dev, libcfg-dev, libcmap-dev:
# the tests' and votequorum-monitor's build dependencies;
# iproute2, procps: what the tests call inside the root.
packages=(corosync libvotequorum8 libvotequorum-dev libquorum5 libquorum-dev libcorosync-common-dev libqb-dev libqb100
	libstdc++6 libc6-dev catch2 nlohmann-json3-dev libcpp-httplib-dev libcfg-dev libcmap-dev iproute2 procps util-linux)
suite=bookworm
mirror=http://deb.debian.org/debian
key=$(printf '%s\n' "$arch" "$suite" "${packages[@]}" | sha256sum | cut -c1-12)
cache=/var/cache/votequorum-tests/roots
root=$cache/$suite-$arch-$key
if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock-$arch"
flock 9
if [ ! -f "$root/.complete" ]; then
	echo "roots.sh: making the Debian 12 $arch root (once per machine) in $root" >&2
	start=$SECONDS
	# A root half made by an interrupted run is removed, unless something
	# is still mounted inside it (never delete through a mount).
	if grep -F " $root.tmp/" /proc/self/mountinfo >/dev/null; then
		echo "roots.sh: mounts are left under $root.tmp; unmount them first" >&2
		exit 1
	fi
	rm -rf "$root.tmp"
	include=$(IFS=,; echo "${packages[*]}")
	if ! mmdebstrap --quiet --variant=apt --architectures="$arch" --include="$include" \
		--aptopt='Acquire::Retries "3"' "$suite" "$root.tmp" \
		"deb $mirror $suite main" "deb $mirror $suite-updates main" \
		"deb http://deb.debian.org/debian-security $suite-security main" >&2; then
		echo "roots.sh: mmdebstrap failed for $arch (what it made is left in $root.tmp)" >&2
		exit 1
	fi
	rm -rf "$root"
	mv "$root.tmp" "$root"
	echo "$((SECONDS - start))" > "$root/.seconds"
	touch "$root/.complete"
	echo "roots.sh: the $arch root took $((SECONDS - start)) s" >&2
fi
echo "$root"
