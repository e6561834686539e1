#!/bin/bash
# in-root.sh ROOT CMD [ARGS...]
#
# Runs CMD inside the Debian root ROOT (tests/cross/roots.sh): chroot, in a
# fresh mount namespace (private, so nothing here reaches the host's mounts)
# in which ROOT gets the caller's /dev (with its /dev/shm), /proc, /sys,
# /run, /tmp, /var/lib/corosync and /var/log/corosync, and the source tree
# at its own path (so a build's compiled-in paths hold inside). Called
# inside private-corosync.sh's namespaces, the root so sees that test's
# private /run and /dev/shm: a daemon and a client started through this
# script each meet there. The environment passes through. It is the
# CMAKE_CROSSCOMPILING_EMULATOR of cmake/toolchain-ARCH.cmake. Needs root.
set -euo pipefail
shopt -s inherit_errexit
root=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$root/.complete" ] || { echo "in-root.sh: $root is not a finished root (tests/cross/roots.sh)" >&2; exit 1; }
# shellcheck disable=SC2016  # expanded by the inner shell
exec unshare --mount -- /bin/bash -c '
	set -eu
	root=$1 top=$2
	shift 2
	mount --make-rprivate /
	# The root a mount of its own: a test that makes / private inside it
	# (mount --make-rprivate /) needs / to be a mount point.
	mount --bind "$root" "$root"
	for d in /dev /proc /sys /run /tmp /var/lib/corosync /var/log/corosync; do
		[ -d "$d" ] || continue
		mkdir -p "$root$d"
		mount --rbind "$d" "$root$d"
	done
	mkdir -p "$root$top"
	mount --rbind "$top" "$root$top"
	cd "$root$PWD" 2>/dev/null || cd "$root"
	exec chroot "$root" /usr/bin/env --chdir="${PWD#"$root"}" "$@"
' in-root "$root" "$top" "$@"
