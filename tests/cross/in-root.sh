#!/bin/bash
# in-root.sh ROOT CMD [ARGS...]
#
# Runs CMD inside the Debian root ROOT (tests/cross/roots.sh): chroot, in a
# private mount namespace (nothing here reaches the host's mounts) in which
# ROOT gets the caller's /dev (with its /dev/shm), /proc, /sys, /run, /tmp,
# /var/lib/corosync and /var/log/corosync, and the source tree at its own
# path (so a build's compiled-in paths hold inside). Called inside
# private-corosync.sh's namespaces, the root so sees that test's private
# /run and /dev/shm: a daemon and a client started through this script each
# meet there. The environment passes through. It is the
# CMAKE_CROSSCOMPILING_EMULATOR of cmake/toolchain-ARCH.cmake. Needs root.
#
# Where the caller is in private-corosync.sh's own mount namespace (it names
# it in VQ_PRIVATE_MNT_NS), the root's binds are made there by the first
# call and kept for the namespace's life: a conformance scenario runs the
# daemon, the tool and the driver through here several times, and the nine
# binds cost more CPU than the chroot. Anywhere else each call makes them in
# a mount namespace of its own, gone with the call.
set -euo pipefail
shopt -s inherit_errexit
root=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$root/.complete" ] || { echo "in-root.sh: $root is not a finished root (tests/cross/roots.sh)" >&2; exit 1; }

bind_root() {
	local d
	mount --make-rprivate /
	mount --bind "$root" "$root"
	for d in /dev /proc /sys /run /tmp /var/lib/corosync /var/log/corosync; do
		[ -d "$d" ] || continue
		mkdir -p "$root$d"
		mount --rbind "$d" "$root$d"
	done
	mkdir -p "$root$top"
	mount --rbind "$top" "$root$top"
}
# CMD, run from the caller's directory where the root has it, else from /
# (unshare's --root and --wd: no program of the root's architecture is
# started to change directory).
run_in_root() {
	local wd=$PWD
	[ -d "$root$wd" ] || wd=/
	exec unshare --root="$root" --wd="$wd" "$@"
}

if [ "${VQ_IN_ROOT_NS:-}" = "$root" ]; then  # this call's own namespace
	unset VQ_IN_ROOT_NS
	bind_root
	run_in_root "$@"
fi
if [ -n "${VQ_PRIVATE_MNT_NS:-}" ] && [ "$(readlink /proc/self/ns/mnt)" = "$VQ_PRIVATE_MNT_NS" ]; then
	# The test's namespace: bind once (the lock on its private /run keeps
	# two first calls from binding twice).
	exec 8>>/run/.in-root.lock
	flock 8
	if ! grep -F " $root/proc " /proc/self/mountinfo >/dev/null; then
		bind_root
	fi
	exec 8>&-
	run_in_root "$@"
fi
VQ_IN_ROOT_NS=$root exec unshare --mount -- "$0" "$root" "$@"
