#!/bin/bash
# install_in_root.sh MULTIARCH: run by check_deb.sh inside a throwaway root
# (throwaway_root.sh) that has Debian's corosync, libvotequorum8,
# libquorum5, libcmap4, libcorosync-common4 and libcmap-dev installed, with
# the packages under /share/debs. Installs them with dpkg: each runtime
# package must divert Debian's SONAME link to itself, and Debian's
# corosync-quorumtool (all four libraries), corosync-cmapctl, corosync
# itself (libcorosync_common) and corosync-qdevice must load ours and work
# against a private corosync;
# removing the packages, and purging them, must give Debian's libraries
# back (links, diversions, dpkg -S, what the tools load), and they work.
set -euo pipefail
shopt -s inherit_errexit
L=/usr/lib/$1
# Each runtime package: our package, the SONAME link it diverts, Debian's
# package that owns the link, and Debian's programs that load it.
runtimes=("libvotequorum8-cpp libvotequorum.so.8 libvotequorum8 corosync-quorumtool,corosync-qdevice"
	"libquorum5-cpp libquorum.so.5 libquorum5 corosync-quorumtool"
	"libcmap4-cpp libcmap.so.4 libcmap4 corosync-cmapctl,corosync-quorumtool"
	"libcorosync-common4-cpp libcorosync_common.so.4 libcorosync-common4 corosync,corosync-cmapctl,corosync-quorumtool")
runtime_packages=(libcorosync-common4-cpp libcmap4-cpp libquorum5-cpp libvotequorum8-cpp)
all=(votequorum-monitor libvotequorum-cpp-api-dev libvotequorum-cpp-dev libquorum-cpp-dev libcmap-cpp-dev
	libvotequorum-cpp1 "${runtime_packages[@]}")
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '>>> %s\n' "$*"; }
quorate() { corosync-quorumtool -s | grep -E '^Quorate: +Yes$' >/dev/null; }
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
# Debian's corosync-cmapctl: the keys under PREFIX and their values, on
# whichever libcmap and libcorosync_common the SONAME links lead to. (The
# reload of the configuration for qdevice changes totem's keys: what is
# compared is read after it.)
cmap_keys() {  # PREFIX
	corosync-cmapctl "$1"
}
cp /share/corosync.conf /etc/corosync/corosync.conf
expect debian
packages_are "install ok installed" libcmap-dev
step "dpkg -i"
DEBIAN_FRONTEND=noninteractive dpkg -i /share/debs/*.deb
dpkg-query -W -f='${Package} ${Version} ${Status}\n' libvotequorum8 libquorum5 libcmap4 libcorosync-common4 "${all[@]}"
packages_are "install ok installed" "${all[@]}"
# libcmap-cpp-dev Conflicts with and Replaces libcmap-dev: dpkg removed it.
if dpkg-query -W -f='${Status}' libcmap-dev 2>/dev/null | grep -Fx 'install ok installed' >/dev/null; then
	fail "libcmap-dev is still installed beside libcmap-cpp-dev"
fi
for spec in "${runtimes[@]}"; do
	read -r package link _ <<<"$spec"
	ours[$package]=$(so_of "$package" "$link")
done
expect ours
corosync -f > /run/corosync.log 2>&1 &
for _ in $(seq 1 300); do quorate 2>/dev/null && break; sleep 0.05; done
quorate || { cat /run/corosync.log; fail "corosync did not become quorate"; }
step "corosync-quorumtool -s on the installed packages (libquorum: type, getquorate, trackstart, dispatch)"
corosync-quorumtool -s | grep -v Date
for module in libvotequorum libquorum libcmap; do
	libs=$(pkg-config --libs "$module" | xargs)  # without its trailing space
	step "pkg-config --libs $module: $libs"
	[ "$libs" = "-l${module#lib}" ] || fail "pkg-config gives '$libs'"
done
step "corosync-cmapctl on the installed packages"
cmap_keys totem. > /run/cmap-first
cat /run/cmap-first
grep -Fx 'totem.cluster_name (str) = vqtest' /run/cmap-first >/dev/null || fail "corosync-cmapctl on ours does not read totem.cluster_name"
json=$(votequorum-monitor --once --json)
step "votequorum-monitor --once --json: $json"
[[ $json == *'"quorate":true'* ]] || fail "the installed votequorum-monitor does not report quorum"
unit=/lib/systemd/system/votequorum-monitor.service
out=$(systemd-analyze verify --man=no "$unit" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
step "systemd-analyze verify accepts $unit"
# What the unit starts (systemd does not run here), scraped once.
opts=$(sed -n 's/^Environment=VQ_MONITOR_OPTS=//p' "$unit")
# shellcheck disable=SC2086  # the options, split as systemd splits $VQ_MONITOR_OPTS
votequorum-monitor $opts 2>/dev/null &
exporter=$!
metrics=""
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
cp /share/corosync-qdevice.conf /etc/corosync/corosync.conf
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
cmap_keys totem. > /run/cmap-ours
step "dpkg -r"
dpkg -r "${all[@]}"
# Removed packages with maintainer scripts (the diversions; votequorum-monitor's
# systemd unit) stay known until purged.
packages_are "deinstall ok config-files" "${runtime_packages[@]}"
expect debian
quorate || fail "corosync-quorumtool does not work on Debian's libraries after dpkg -r"
cmap_keys totem. | diff /run/cmap-ours - || fail "corosync-cmapctl on Debian's libraries after dpkg -r reads otherwise than on ours (above)"
step "the references are back and corosync-quorumtool works on them"
step "dpkg -P (the removed packages)"
dpkg -P "${all[@]}"
packages_are purged "${all[@]}"
expect debian
step "dpkg -i, then dpkg -P of the installed runtime packages"
runtime_debs=()
for package in "${runtime_packages[@]}"; do runtime_debs+=(/share/debs/"$package"_*.deb); done
DEBIAN_FRONTEND=noninteractive dpkg -i "${runtime_debs[@]}"
expect ours
quorate || fail "corosync-quorumtool does not work on ours"
cmap_keys totem. | diff /run/cmap-ours - || fail "corosync-cmapctl on the runtime packages alone reads otherwise (above)"
dpkg -P "${runtime_packages[@]}"
packages_are purged "${runtime_packages[@]}"
expect debian
quorate || fail "corosync-quorumtool does not work on Debian's libraries after dpkg -P"
step "purged: the references are back and corosync-quorumtool works on them"
kill "$qdevice"
wait "$qdevice" || true
echo "deb: installed in place of libvotequorum8, libquorum5, libcmap4 and libcorosync-common4 (Debian's tools ran on them), removed, purged, Debian's libraries back and working"
