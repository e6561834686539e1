#!/bin/bash
# The shell side of "private namespaces and a corosync", sourced by every
# script that runs daemons: tests/support/private-corosync.sh (one node),
# tests/cluster/cluster.sh (a node per namespace set) and
# tests/package/throwaway_root.sh (an overlay root). Call these inside fresh
# mount and network namespaces (unshare --net --mount ...).

# Loopback up, and private tmpfs on /run, /dev/shm, /var/lib/corosync and
# /var/log/corosync under ROOT (default /): corosync's lock file, libqb's
# shared memory and the daemon's state then belong to this namespace only.
vq_private_mounts() {  # [ROOT]
	local root=${1:-} d
	mount --make-rprivate /
	for d in /run /var/lib/corosync /var/log/corosync; do
		mkdir -p "$root$d"
		mount -t tmpfs -o mode=0755 tmpfs "$root$d"
	done
	mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
	ip link set lo up
}

# Starts corosync in the background, in its own session, with CONF, its
# output appended to LOG; $! is its pid. With VQ_COROSYNC_PREFIX set it is
# PREFIX/sbin/corosync (the main line, tests/mainline/build.sh).
vq_corosync_start() {  # CONF LOG
	rm -f /run/corosync.pid
	setsid "${VQ_COROSYNC_PREFIX:+$VQ_COROSYNC_PREFIX/sbin/}corosync" -f -c "$1" >>"$2" 2>&1 </dev/null &
}
