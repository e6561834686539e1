#!/bin/sh
# Debian's own binaries resolve every symbol they take from libvotequorum.so.8
# and libquorum.so.5 in our build (Debian's binaries reference some calls
# unversioned and the rest at the libraries' versions), and load both
# libraries from it.
#   check_binding.sh LIBDIR
set -eu
libdir=$1
status=0
# BINARY LIBRARIES...: the libraries of ours it must load.
check() {
	bin=$1
	shift
	if [ ! -x "$bin" ]; then
		echo "FAIL: $bin is missing (tests/setup.sh installs corosync, corosync-qdevice, pacemaker and sbd)" >&2
		exit 1
	fi
	out=$(LD_LIBRARY_PATH=$libdir ldd -r "$bin" 2>&1)
	for lib in "$@"; do
		if ! printf '%s\n' "$out" | grep "$lib => $libdir/$lib" >/dev/null; then
			echo "FAIL: $bin does not load our $lib:" >&2
			printf '%s\n' "$out" >&2
			status=1
		fi
	done
	if printf '%s\n' "$out" | grep -E 'undefined symbol|version .* not found'; then
		echo "FAIL: $bin has unresolved symbols against our libraries" >&2
		status=1
	fi
	echo "$bin: binds to $libdir/{$(echo "$@" | tr ' ' ',')}"
}
check /usr/sbin/corosync-quorumtool libvotequorum.so.8 libquorum.so.5
check /usr/sbin/corosync-qdevice libvotequorum.so.8
check /usr/sbin/sbd libvotequorum.so.8 libquorum.so.5
check /usr/sbin/pacemakerd libquorum.so.5
check /usr/lib/pacemaker/pacemaker-controld libquorum.so.5
exit $status
