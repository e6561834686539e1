#!/bin/bash
# Builds the Debian packages (own build, prefix /usr), checks their control
# fields and file lists, then installs them with dpkg in a throwaway root
# (an overlay of this machine's /, discarded afterwards) that has Debian's
# libvotequorum8 installed: Debian's corosync-quorumtool and corosync-qdevice
# must then load our library and work against a private corosync; removing
# the package must give the reference back.
#   check_deb.sh WORK_DIR
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
rm -rf "$work"
mkdir -p "$work"
cmake -S "$top" -B "$work/build" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
(cd "$work/build" && cpack >/dev/null)
runtime=$(ls "$work"/build/libvotequorum8-cpp_*.deb)
dev=$(ls "$work"/build/libvotequorum-cpp-dev_*.deb)
tools=$(ls "$work"/build/votequorum-monitor_*.deb)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)  # where the packages put the library
so=usr/lib/$multiarch/libvotequorum.so.8.1.0

fail=0
field() { dpkg-deb -f "$1" "$2"; }
check() {  # DESCRIPTION COMMAND...
	if "${@:2}" >/dev/null 2>&1; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
echo "--- $(basename "$runtime")"; dpkg-deb -f "$runtime"
echo "--- $(basename "$dev")"; dpkg-deb -f "$dev"
echo "---"
check "runtime Depends computed from the binary (libqb100, libc6, libstdc++6)" \
	bash -c "field() { dpkg-deb -f \"\$1\" \"\$2\"; }; d=\$(field '$runtime' Depends); [[ \$d == *libqb100* && \$d == *libc6* && \$d == *libstdc++6* ]]"
check "runtime Provides libvotequorum8" bash -c "[[ \$(dpkg-deb -f '$runtime' Provides) == libvotequorum8* ]]"
check "runtime has preinst/postrm (the diversion)" bash -c "dpkg-deb --ctrl-tarfile '$runtime' | tar t | grep preinst >/dev/null && dpkg-deb --ctrl-tarfile '$runtime' | tar t | grep postrm >/dev/null"
check "runtime ships the .so.8.1.0 and its .so.8 link only" bash -c "[ \"\$(dpkg-deb -c '$runtime' | awk '\$1 !~ /^d/ {print \$6}' | sort | tr '\n' ' ')\" = './usr/lib/$multiarch/libvotequorum.so.8 ./$so ' ]"
check "dev Conflicts/Replaces/Provides libvotequorum-dev" bash -c "[[ \$(dpkg-deb -f '$dev' Conflicts) == libvotequorum-dev && \$(dpkg-deb -f '$dev' Replaces) == libvotequorum-dev* && \$(dpkg-deb -f '$dev' Provides) == libvotequorum-dev* ]]"
check "dev ships headers, .pc, CMake package, 20 man pages" bash -c "c=\$(dpkg-deb -c '$dev'); grep -q include/corosync/votequorum.h <<<\"\$c\" && grep -q pkgconfig/libvotequorum.pc <<<\"\$c\" && grep -q cmake/votequorum/votequorumConfig.cmake <<<\"\$c\" && [ \$(grep -c 'man3/.*\.3\.gz' <<<\"\$c\") = 20 ]"
check "votequorum-monitor ships its systemd unit" bash -c "dpkg-deb -c '$tools' | grep -E ' ./usr/lib/systemd/system/votequorum-monitor.service$'"
check "the library in the package is stripped" bash -c "dpkg-deb -x '$runtime' '$work/x' && [ -f '$work/x/$so' ] && ! file -L '$work/x/$so' | grep 'not stripped' >/dev/null"
dpkg-query -W -f='${Status}' libvotequorum8 | grep 'install ok installed' >/dev/null || { echo "FAIL: libvotequorum8 must be installed on this machine (tests/setup.sh)"; exit 1; }
[ "$fail" = 0 ] || exit 1

# The throwaway root: this machine's / under an overlay, in private mount,
# network and PID namespaces, with a private corosync.
mkdir -p "$work/ov/upper" "$work/ov/work" "$work/ov/root"
cp "$work"/build/*.deb "$work/"
cat > "$work/in-root.sh" <<'SCRIPT'
set -euo pipefail
shopt -s inherit_errexit
L=/usr/lib/$1  # the multiarch directory, from the caller
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '>>> %s\n' "$*"; }
start_corosync() {
	corosync -f > /run/corosync.log 2>&1 &
	for _ in $(seq 1 300); do corosync-quorumtool -s >/dev/null 2>&1 && return 0; sleep 0.05; done
	cat /run/corosync.log; return 1
}
cp /debs/corosync.conf /etc/corosync/corosync.conf
step "before: libvotequorum.so.8 -> $(readlink -f $L/libvotequorum.so.8)"
[[ $(readlink -f $L/libvotequorum.so.8) == *libvotequorum.so.8.0.0 ]]
step "dpkg -i"
DEBIAN_FRONTEND=noninteractive dpkg -i /debs/libvotequorum8-cpp_*.deb /debs/libvotequorum-cpp1_*.deb /debs/libvotequorum-cpp-dev_*.deb /debs/votequorum-monitor_*.deb
dpkg-divert --list | grep 'libvotequorum.so.8 .*libvotequorum8-cpp'
step "installed: libvotequorum.so.8 -> $(readlink -f $L/libvotequorum.so.8)"
[[ $(readlink -f $L/libvotequorum.so.8) == *libvotequorum.so.8.1.0 ]]
dpkg-query -W -f='${Package} ${Status}\n' libvotequorum8 libvotequorum8-cpp libvotequorum-cpp-dev
for bin in /usr/sbin/corosync-quorumtool /usr/sbin/corosync-qdevice; do
	loaded=$(ldd "$bin" | awk '$1 == "libvotequorum.so.8" { print $3 }')
	step "$bin loads $loaded -> $(readlink -f "$loaded")"
	[[ $(readlink -f "$loaded") == *libvotequorum.so.8.1.0 ]]
	if ldd -r "$bin" 2>&1 | grep -E 'undefined symbol|not found'; then
		fail "$bin does not bind to the installed library"
	fi
done
start_corosync
step "corosync-quorumtool -s on the installed package"
corosync-quorumtool -s | grep -v Date
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
libs=$(pkg-config --libs libvotequorum | xargs)  # without its trailing space
step "pkg-config --libs libvotequorum: $libs"
[ "$libs" = "-lvotequorum" ] || fail "pkg-config gives '$libs'"
json=$(votequorum-monitor --once --json)
step "votequorum-monitor --once --json: $json"
[[ $json == *'"quorate":true'* ]] || fail "the installed votequorum-monitor does not report quorum"
unit=/usr/lib/systemd/system/votequorum-monitor.service
out=$(systemd-analyze verify --man=no "$unit" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
step "systemd-analyze verify accepts $unit"
# What the unit starts (systemd does not run here), scraped once.
opts=$(sed -n 's/^Environment=VQ_MONITOR_OPTS=//p' "$unit")
votequorum-monitor $opts 2>/dev/null &
exporter=$!
for _ in $(seq 1 100); do
	if metrics=$(curl -sf http://127.0.0.1:9669/metrics) && grep -E '^votequorum_up 1$' <<<"$metrics" >/dev/null; then break; fi
	sleep 0.05
done
grep -E '^ha_cluster_corosync_quorate 1$' <<<"$metrics" >/dev/null || fail "the unit's command serves no quorate exposition"
kill "$exporter"
wait "$exporter" || fail "the exporter did not exit 0 on SIGTERM"
step "votequorum-monitor $opts: serves /metrics (ha_cluster_corosync_quorate 1)"
step "corosync-qdevice (with corosync-qnetd on loopback) on the installed library"
corosync-qnetd -f -s off -l 127.0.0.1 > /run/qnetd.log 2>&1 &
cp /debs/corosync-qdevice.conf /etc/corosync/corosync.conf
corosync-cfgtool -R > /dev/null
corosync-qdevice -f -S lock_file=/run/qdevice.pid,local_socket_file=/run/qdevice.sock > /run/qdevice.log 2>&1 &
qdevice=$!
for _ in $(seq 1 300); do
	if corosync-quorumtool -s | grep -E '^Flags: +Quorate Qdevice' >/dev/null; then break; fi
	sleep 0.05
done
corosync-quorumtool -s | grep -E '^(Flags|Total votes):'
corosync-quorumtool -s | grep -E '^Flags: +Quorate Qdevice' >/dev/null || { cat /run/qdevice.log; fail "qdevice did not register"; }
[[ $(readlink -f "$(grep -o '/[^ ]*libvotequorum.so[^ ]*' "/proc/$qdevice/maps" | head -n 1)") == *libvotequorum.so.8.1.0 ]] ||
	fail "the running corosync-qdevice does not have the installed library mapped"
# qdevice keeps running (and voting) to the end: without it the cluster,
# now configured with a quorum device, is not quorate.
step "dpkg -r"
dpkg -r votequorum-monitor libvotequorum-cpp-dev libvotequorum-cpp1 libvotequorum8-cpp
step "removed: libvotequorum.so.8 -> $(readlink -f $L/libvotequorum.so.8)"
[[ $(readlink -f $L/libvotequorum.so.8) == *libvotequorum.so.8.0.0 ]]
if dpkg-divert --list | grep libvotequorum8-cpp >/dev/null; then
	fail "a diversion is left after dpkg -r"
fi
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
step "the reference is back and corosync-quorumtool works on it"
kill "$qdevice"
wait "$qdevice" || true
SCRIPT
unshare --mount --net --pid --fork --mount-proc bash -c '
	set -euo pipefail
	ov='"$work"'/ov
	mount -t overlay overlay -o lowerdir=/,upperdir=$ov/upper,workdir=$ov/work $ov/root
	mount -t proc proc $ov/root/proc
	mount --rbind /dev $ov/root/dev
	source '"$top"'/tests/support/namespace.sh
	vq_private_mounts $ov/root
	mkdir -p $ov/root/debs
	cp '"$work"'/*.deb '"$work"'/in-root.sh '"$top"'/tests/support/corosync.conf $ov/root/debs/
	sed "s/provider: corosync_votequorum/&\n\tdevice {\n\t\tmodel: net\n\t\tvotes: 1\n\t\tnet {\n\t\t\ttls: off\n\t\t\thost: 127.0.0.1\n\t\t\talgorithm: ffsplit\n\t\t}\n\t}/" \
		'"$top"'/tests/support/corosync.conf > $ov/root/debs/corosync-qdevice.conf
	chroot $ov/root bash /debs/in-root.sh '"$multiarch"'
'
echo "deb: installed in place of libvotequorum8 (Debian's tools ran on it), removed, reference restored"
