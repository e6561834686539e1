#!/bin/bash
# Builds the Debian packages (own build, prefix /usr), checks their control
# fields and file lists, then installs them with dpkg in a throwaway root
# (an overlay of this machine's /, discarded afterwards) that has Debian's
# libvotequorum8 and libquorum5 installed: each runtime package must divert
# Debian's SONAME link to itself, Debian's corosync-quorumtool (both
# libraries) and corosync-qdevice must then load ours and work against a
# private corosync; removing the packages, and purging them, must give the
# references back (links, diversions, dpkg -S, what the tools load).
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
dev=$(ls "$work"/build/libvotequorum-cpp-dev_*.deb)
tools=$(ls "$work"/build/votequorum-monitor_*.deb)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)  # where the packages put the libraries
lib=/usr/lib/$multiarch
# Each runtime package: our package, the SONAME link it diverts, Debian's
# package that owns the link, and Debian's programs that load it.
runtimes=("libvotequorum8-cpp libvotequorum.so.8 libvotequorum8 corosync-quorumtool,corosync-qdevice"
	"libquorum5-cpp libquorum.so.5 libquorum5 corosync-quorumtool")
man_pages=$(find "$top/man" -name '*.3' | wc -l)

fail=0
check() {  # DESCRIPTION COMMAND...
	if "${@:2}" >/dev/null 2>&1; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
depends_from_binary() {  # DEB
	local d
	d=$(dpkg-deb -f "$1" Depends)
	[[ $d == *libqb100* && $d == *libc6* && $d == *libstdc++6* ]]
}
field_starts() {  # DEB FIELD PREFIX
	[[ $(dpkg-deb -f "$1" "$2") == "$3"* ]]
}
# (check runs these in an if: errexit is off there, so each step returns.)
diverts() {  # DEB PACKAGE LINK: preinst adds, postrm removes, the diversion of LINK for PACKAGE
	local script
	for script in preinst:--add postrm:--remove; do
		dpkg-deb -I "$1" "${script%%:*}" > "$work/script" || return 1
		grep -Fx "MULTIARCH=$multiarch" "$work/script" || return 1
		grep -Fx "LINK=/usr/lib/\$MULTIARCH/$3" "$work/script" || return 1
		grep -E -- "^\s+dpkg-divert --package $2 ${script#*:} --rename " "$work/script" || return 1
	done
}
sorts_after() {  # OURS DEBIANS: ldconfig (postinst, libc-bin's trigger) points a SONAME link at the highest version
	[ "$1" != "$2" ] && [ "$(printf '%s\n' "$2" "$1" | sort -V | tail -n 1)" = "$1" ]
}
stripped() {  # DEB FILE
	rm -rf "$work/x"
	dpkg-deb -x "$1" "$work/x" && [ -f "$work/x/$2" ] && ! file -L "$work/x/$2" | grep 'not stripped'
}
ships() {  # DEB FILE...: each FILE (a path under ./usr) is in DEB
	local contents f
	contents=$(dpkg-deb -c "$1" | awk '{print $6}')
	for f in "${@:2}"; do
		grep -Fx "./usr/$f" <<<"$contents" || return 1
	done
}
man3_count() {  # DEB COUNT
	[ "$(dpkg-deb -c "$1" | grep -cE '/man3/[^/]+\.3\.gz$')" = "$2" ]
}

for spec in "${runtimes[@]}"; do
	read -r package link reference _ <<<"$spec"
	deb=$(ls "$work/build/${package}"_*.deb)
	echo "--- $(basename "$deb")"; dpkg-deb -f "$deb"
	echo "---"
	dpkg-query -W -f='${Status}' "$reference" | grep 'install ok installed' >/dev/null ||
		{ echo "FAIL: $reference must be installed on this machine (tests/setup.sh)"; exit 1; }
	# The files it ships: the library (LINK.x.y) and the SONAME link, nothing else.
	files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort)
	so=$(grep -E "^\\./usr/lib/$multiarch/${link//./\\.}\\.[0-9]+\\.[0-9]+\$" <<<"$files") || so=./none
	so=${so#./}
	debian_so=$(basename "$(readlink -f "$lib/$link")")
	check "$package: Depends computed from the binary (libqb100, libc6, libstdc++6)" depends_from_binary "$deb"
	check "$package: Provides $reference" field_starts "$deb" Provides "$reference (= "
	check "$package: preinst/postrm divert $link for $package" diverts "$deb" "$package" "$link"
	check "$package: ships $so and its $link link only" [ "$(tr '\n' ' ' <<<"$files")" = "./usr/lib/$multiarch/$link ./$so " ]
	check "$package: $(basename "$so") sorts after Debian's $debian_so (else ldconfig gives the link back)" \
		sorts_after "$(basename "$so")" "$debian_so"
	check "$package: the library in the package is stripped" stripped "$deb" "$so"
done
echo "--- $(basename "$dev")"; dpkg-deb -f "$dev"
echo "---"
check "dev Conflicts libvotequorum-dev, libquorum-dev" field_starts "$dev" Conflicts "libvotequorum-dev, libquorum-dev"
check "dev Replaces libvotequorum-dev, libquorum-dev" field_starts "$dev" Replaces "libvotequorum-dev, libquorum-dev, "
check "dev Provides libvotequorum-dev" field_starts "$dev" Provides "libvotequorum-dev (= "
check "dev Provides libquorum-dev" bash -c "[[ \$(dpkg-deb -f '$dev' Provides) == *', libquorum-dev (= '* ]]"
check "dev Depends on both runtime packages" bash -c "[[ \$(dpkg-deb -f '$dev' Depends) == *'libvotequorum8-cpp (= '*'libquorum5-cpp (= '* ]]"
check "dev ships the headers, .so links, .pc files and CMake package of both libraries" ships "$dev" \
	include/corosync/votequorum.h include/corosync/quorum.h include/corosync/corotypes.h \
	include/votequorum/client.hpp include/quorum/client.hpp \
	"lib/$multiarch/libvotequorum.so" "lib/$multiarch/libquorum.so" \
	"lib/$multiarch/pkgconfig/libvotequorum.pc" "lib/$multiarch/pkgconfig/libquorum.pc" \
	"lib/$multiarch/cmake/votequorum/votequorumConfig.cmake" \
	share/man/man3/votequorum_overview.3.gz share/man/man3/quorum_overview.3.gz
check "dev ships all $man_pages section 3 man pages of man/" man3_count "$dev" "$man_pages"
check "votequorum-monitor ships its systemd unit" ships "$tools" lib/systemd/system/votequorum-monitor.service
[ "$fail" = 0 ] || exit 1

# The throwaway root: this machine's / under an overlay, in private mount,
# network and PID namespaces, with a private corosync.
mkdir -p "$work/ov/upper" "$work/ov/work" "$work/ov/root"
cp "$work"/build/*.deb "$work/"
cat > "$work/in-root.sh" <<'SCRIPT'
set -euo pipefail
shopt -s inherit_errexit
L=/usr/lib/$1  # the multiarch directory, from the caller
runtimes=("${@:2}")  # as in check_deb.sh
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '>>> %s\n' "$*"; }
start_corosync() {
	corosync -f > /run/corosync.log 2>&1 &
	for _ in $(seq 1 300); do corosync-quorumtool -s >/dev/null 2>&1 && return 0; sleep 0.05; done
	cat /run/corosync.log; return 1
}
so_of() {  # PACKAGE LINK: the library file PACKAGE has installed for LINK
	dpkg -L "$1" | grep -E "^$L/${2//./\\.}\\.[0-9]+\\.[0-9]+\$"
}
declare -A debian ours
for spec in "${runtimes[@]}"; do
	read -r package link reference _ <<<"$spec"
	debian[$package]=$(so_of "$reference" "$link")
done
# Whose library every SONAME link, and every program of Debian's that loads
# it, leads to (ours or debian), with the diversions and what dpkg -S says.
expect() {  # ours|debian
	local package link reference bins want bin loaded owners
	for spec in "${runtimes[@]}"; do
		read -r package link reference bins <<<"$spec"
		if [ "$1" = ours ]; then want=${ours[$package]}; else want=${debian[$package]}; fi
		[ "$(readlink -f "$L/$link")" = "$want" ] || fail "$link -> $(readlink -f "$L/$link"), not $want ($1)"
		for bin in ${bins//,/ }; do
			loaded=$(ldd "$(command -v "$bin")" | awk -v l="$link" '$1 == l { print $3 }')
			[ "$(readlink -f "$loaded")" = "$want" ] || fail "$bin loads $loaded -> $(readlink -f "$loaded"), not $want ($1)"
			if [ "$1" = ours ] && ldd -r "$(command -v "$bin")" 2>&1 | grep -E 'undefined symbol|not found'; then
				fail "$bin does not bind to the installed libraries"
			fi
		done
		owners=$(dpkg -S "$L/$link")
		if [ "$1" = ours ]; then
			dpkg-divert --list | grep -Fx "diversion of $L/$link to $L/$link.corosync by $package" >/dev/null ||
				fail "no diversion of $link by $package"
			[ "$(readlink -f "$L/$link.corosync")" = "${debian[$package]}" ] || fail "Debian's link is not at $link.corosync"
			grep -Fx "diversion by $package from: $L/$link" <<<"$owners" >/dev/null &&
				grep -Fx "diversion by $package to: $L/$link.corosync" <<<"$owners" >/dev/null &&
				grep -E "^(.+, )?$package(:[a-z0-9]+)?(, .+)?: $L/$link\$" <<<"$owners" >/dev/null ||
				fail "dpkg -S $L/$link does not name $package and its diversion: $owners"
		else
			if dpkg-divert --list | grep -E "by $package\$" >/dev/null || [ -e "$L/$link.corosync" ]; then
				fail "a diversion by $package is left"
			fi
			[ "$owners" = "$reference:$(dpkg --print-architecture): $L/$link" ] || fail "dpkg -S $L/$link: $owners"
		fi
		step "$1: $link -> $want, loaded by ${bins//,/ }; dpkg -S: $(tr '\n' ';' <<<"$owners")"
	done
}
# Each of PACKAGE... is unknown to dpkg (purged), or in STATE.
packages_are() {  # STATE|purged PACKAGE...
	local package status
	for package in "${@:2}"; do
		status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) || status=purged
		[ "$status" = "$1" ] || fail "$package: '$status', not '$1'"
	done
}
all=(votequorum-monitor libvotequorum-cpp-dev libvotequorum-cpp1 libquorum5-cpp libvotequorum8-cpp)
cp /debs/corosync.conf /etc/corosync/corosync.conf
expect debian
step "dpkg -i"
DEBIAN_FRONTEND=noninteractive dpkg -i /debs/libvotequorum8-cpp_*.deb /debs/libquorum5-cpp_*.deb /debs/libvotequorum-cpp1_*.deb \
	/debs/libvotequorum-cpp-dev_*.deb /debs/votequorum-monitor_*.deb
dpkg-query -W -f='${Package} ${Status}\n' libvotequorum8 libquorum5 libvotequorum8-cpp libquorum5-cpp libvotequorum-cpp-dev
packages_are "install ok installed" "${all[@]}"
for spec in "${runtimes[@]}"; do
	read -r package link _ <<<"$spec"
	ours[$package]=$(so_of "$package" "$link")
done
expect ours
start_corosync
step "corosync-quorumtool -s on the installed packages (libquorum: type, getquorate, trackstart, dispatch)"
corosync-quorumtool -s | grep -v Date
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
for module in libvotequorum libquorum; do
	libs=$(pkg-config --libs "$module" | xargs)  # without its trailing space
	step "pkg-config --libs $module: $libs"
	[ "$libs" = "-l${module#lib}" ] || fail "pkg-config gives '$libs'"
done
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
[[ $(readlink -f "$(grep -o '/[^ ]*libvotequorum.so[^ ]*' "/proc/$qdevice/maps" | head -n 1)") == "${ours[libvotequorum8-cpp]}" ]] ||
	fail "the running corosync-qdevice does not have the installed library mapped"
# qdevice keeps running (and voting) to the end: without it the cluster,
# now configured with a quorum device, is not quorate.
step "dpkg -r"
dpkg -r "${all[@]}"
# Removed packages with maintainer scripts stay known until purged.
packages_are "deinstall ok config-files" libquorum5-cpp libvotequorum8-cpp
expect debian
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
step "the references are back and corosync-quorumtool works on them"
step "dpkg -P (the removed packages)"
dpkg -P "${all[@]}"
packages_are purged "${all[@]}"
expect debian
step "dpkg -i, then dpkg -P of the installed runtime packages"
DEBIAN_FRONTEND=noninteractive dpkg -i /debs/libvotequorum8-cpp_*.deb /debs/libquorum5-cpp_*.deb
expect ours
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
dpkg -P libquorum5-cpp libvotequorum8-cpp
packages_are purged libquorum5-cpp libvotequorum8-cpp
expect debian
corosync-quorumtool -s | grep 'Quorate: *Yes' >/dev/null
step "purged: the references are back and corosync-quorumtool works on them"
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
	chroot $ov/root bash /debs/in-root.sh "$@"
' in-root "$multiarch" "${runtimes[@]}"
echo "deb: installed in place of libvotequorum8 and libquorum5 (Debian's tools ran on them), removed, purged, references restored"
