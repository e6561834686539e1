#!/bin/sh
# Debian's own binaries (which reference four calls unversioned and the rest
# at COROSYNC_VOTEQUORUM_1.0) resolve every votequorum symbol in our build.
set -eu
libdir=$1
status=0
for bin in /usr/sbin/corosync-quorumtool /usr/sbin/corosync-qdevice; do
	if [ ! -x "$bin" ]; then
		echo "FAIL: $bin is missing (the test set-up installs corosync and corosync-qdevice)" >&2
		exit 1
	fi
	out=$(LD_LIBRARY_PATH=$libdir ldd -r "$bin" 2>&1)
	if ! printf '%s\n' "$out" | grep "libvotequorum.so.8 => $libdir/libvotequorum.so.8" >/dev/null; then
		echo "FAIL: $bin does not load our library:" >&2
		printf '%s\n' "$out" >&2
		status=1
	fi
	if printf '%s\n' "$out" | grep -E 'undefined symbol|version .* not found'; then
		echo "FAIL: $bin has unresolved symbols against our library" >&2
		status=1
	fi
	echo "$bin: binds to $libdir/libvotequorum.so.8"
done
exit $status
