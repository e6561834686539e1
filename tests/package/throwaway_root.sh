#!/bin/bash
# throwaway_root.sh DIR SHARE CMD [ARGS...]
#
# Runs CMD chroot'ed in a throwaway root: this machine's / under an overlay
# whose upper layer is DIR/upper (made anew here), in private mount, network
# and PID namespaces, with /proc, /dev, and private tmpfs on /run, /dev/shm,
# /var/lib/corosync and /var/log/corosync (tests/support/namespace.sh), and
# the directory SHARE bound at /share. dpkg, apt and autopkgtest's null
# runner may install and remove what they like there: nothing reaches this
# machine's packages, and the network is loopback only. Needs root.
set -euo pipefail
shopt -s inherit_errexit
if [ "${VQ_IN_THROWAWAY_NS:-}" != 1 ]; then
	exec unshare --mount --net --pid --fork --mount-proc --kill-child env VQ_IN_THROWAWAY_NS=1 "$0" "$@"
fi
dir=$1 share=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir/upper" "$dir/work" "$dir/root"
mount --make-rprivate /
mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$dir/root"
mount -t proc proc "$dir/root/proc"
mount --rbind /dev "$dir/root/dev"
# shellcheck source=../support/namespace.sh
source "$top/tests/support/namespace.sh"
vq_private_mounts "$dir/root"
mkdir -p "$dir/root/share"
mount --bind "$share" "$dir/root/share"
exec chroot "$dir/root" "$@"
