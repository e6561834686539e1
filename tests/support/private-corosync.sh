#!/bin/bash
# private-corosync.sh [--no-start] CMD [ARGS...]
#
# Runs CMD inside fresh network, mount and PID namespaces (with their own
# /proc, so pgrep and pkill see only this namespace's processes and can never
# touch another test's daemon or one the machine runs), with loopback up and
# private tmpfs on /run, /dev/shm, /var/lib/corosync and /var/log/corosync,
# with a single-node corosync (127.0.0.1, knet, crypto none) started and
# quorate first (unless --no-start). Inside, `vq_restart_corosync` (a script
# on PATH) kills the daemon and starts a fresh one; the daemon's log is
# $VQ_COROSYNC_LOG. Everything goes away with the namespace. Needs root.
# With VQ_COROSYNC_PREFIX set (corosync's main line, tests/mainline/build.sh)
# the daemon is PREFIX/sbin/corosync instead of Debian's.
set -euo pipefail
shopt -s inherit_errexit

if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	exec unshare --net --mount --pid --mount-proc --fork --kill-child env VQ_IN_PRIVATE_NS=1 "$0" "$@"
fi

support=$(dirname "$(readlink -f "$0")")
# shellcheck source=namespace.sh
source "$support/namespace.sh"
vq_private_mounts
# This mount namespace, named for tests/cross/in-root.sh, which binds a
# foreign root into it once instead of at every call.
VQ_PRIVATE_MNT_NS=$(readlink /proc/self/ns/mnt)
export VQ_PRIVATE_MNT_NS
mkdir -p /run/vqtest/bin
export VQ_COROSYNC_CONF=/run/vqtest/corosync.conf VQ_COROSYNC_LOG=/run/vqtest/corosync.log
cp "$support/corosync.conf" "$VQ_COROSYNC_CONF"
export VQ_SUPPORT=$support

ln -s "$support/stop-corosync.sh" /run/vqtest/bin/vq_stop_corosync
cat > /run/vqtest/bin/vq_restart_corosync <<'SCRIPT'
#!/bin/bash
# Kills the private corosync (if any) and starts a fresh one, waiting until
# it is quorate. The quorum check uses the daemon's own library, not ours.
source "$VQ_SUPPORT/namespace.sh"
vq_stop_corosync
rm -rf /var/lib/corosync/* /dev/shm/qb-*
logged=$(stat -c %s "$VQ_COROSYNC_LOG" 2>/dev/null || echo 0)
vq_corosync_start "$VQ_COROSYNC_CONF" "$VQ_COROSYNC_LOG"
bin=${VQ_COROSYNC_PREFIX:+$VQ_COROSYNC_PREFIX/sbin/}
# First the daemon's own word that it is done (its log, read from where this
# start began), then the tool's: each corosync-quorumtool run costs a
# quarter of a CPU second under qemu (tests/cross), a read of the log
# nothing. The log is followed, not polled: tail -F wakes on each write
# (inotify) and grep stops at the line, where a loop of tail, grep and sleep
# every 20 ms spent about 25 ms of CPU a round here (a process costs about
# 5 ms on this kind of machine), more than the daemon itself takes to
# start. Without the line within 10 s, the tool alone decides, as before.
# (The follower is opened with exec, where $! names it; after a plain
# redirection from <(...) $! still names the daemon.)
exec 3< <(exec tail -s 0.05 -c +$((logged + 1)) -F "$VQ_COROSYNC_LOG" 2>/dev/null)
follower=$!
timeout 10 grep -m 1 -F 'Completed service synchronization, ready to provide service.' <&3 >/dev/null || true
exec 3<&-
kill "$follower" 2>/dev/null || true
for _ in $(seq 1 500); do
	if LD_LIBRARY_PATH= "${bin}corosync-quorumtool" -s >/dev/null 2>&1; then
		exit 0
	fi
	sleep 0.02
done
echo "corosync did not become quorate; log:" >&2
cat "$VQ_COROSYNC_LOG" >&2
exit 1
SCRIPT
chmod +x /run/vqtest/bin/vq_restart_corosync
export PATH=/run/vqtest/bin:$PATH

cleanup() { pkill -KILL -x corosync 2>/dev/null || true; }
trap cleanup EXIT

if [ "${1:-}" = --no-start ]; then
	shift
else
	vq_restart_corosync
fi
"$@"
