#!/bin/bash
# package.sh ARCH ROOT BUILD
#
# The Debian packages of a cross build (BUILD, configured by run.sh with
# prefix /usr), made by debian/ as dpkg-buildpackage makes them, minus the
# build itself: the cross build's install tree is debian/tmp of a copy of
# debian/, and dh's binary-arch sequence after dh_auto_install runs on it
# for ARCH (dpkg-architecture -a ARCH: the cross strip, the symbols files
# checked against the libraries, the Architecture field). dpkg-shlibdeps
# computes the Depends against the root (its libraries, and its dpkg
# database's symbols and shlibs files, as a package build tree given with
# -S). Then, in a throwaway overlay of the root (private mount, network and
# PID namespaces, a private corosync of ARCH), dpkg installs them: Debian's
# corosync-quorumtool of ARCH must load our four libraries and work,
# corosync-cmapctl must load our libcmap and libcorosync_common and print
# what it printed on Debian's, votequorum-monitor must report quorum, and
# dpkg -r must give the references back.
set -euo pipefail
shopt -s inherit_errexit
arch=$1 root=$2 build=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$build/cross-package
rm -rf "$work"
mkdir -p "$work/src" "$work/debs" "$work/tree/DEBIAN"
cp -r "$top/debian" "$work/src/"
DESTDIR="$work/src/debian/tmp" cmake --install "$build" >/dev/null
eval "$(dpkg-architecture -a "$arch" -s 2>/dev/null)"
export DEB_HOST_ARCH DEB_HOST_GNU_TYPE DEB_HOST_MULTIARCH DEB_HOST_ARCH_BITS DEB_HOST_ARCH_ENDIAN
export DEB_HOST_ARCH_CPU DEB_HOST_ARCH_OS DEB_HOST_GNU_CPU DEB_HOST_GNU_SYSTEM
export DPKG_GENSYMBOLS_CHECK_LEVEL=4  # as debian/rules sets it

# The root as a package build tree: its files, and the symbols and shlibs
# of every package installed in it.
ln -s "$root/usr" "$work/tree/usr"
cat "$root"/var/lib/dpkg/info/*.symbols > "$work/tree/DEBIAN/symbols"
cat "$root"/var/lib/dpkg/info/*.shlibs > "$work/tree/DEBIAN/shlibs"

# dh's own list of the binary-arch steps, those after dh_auto_install.
mapfile -t steps < <(cd "$work/src" && DEB_BUILD_OPTIONS=nocheck dh binary-arch --no-act | sed -n '/^ *dh_auto_install/,$p' | tail -n +2 | sed 's/^ *//')
[ "${#steps[@]}" -gt 10 ] || { echo "FAIL: dh binary-arch --no-act lists only: ${steps[*]}" >&2; exit 1; }
for step in "${steps[@]}"; do
	read -r -a cmd <<<"$step"
	case ${cmd[0]} in
	dh_shlibdeps) cmd+=(-- -S"$work/tree" --ignore-missing-info) ;;
	esac
	(cd "$work/src" && "${cmd[@]}") > "$work/${cmd[0]}.log" 2>&1 || {
		cat "$work/${cmd[0]}.log" >&2; echo "FAIL: ${cmd[*]}" >&2; exit 1; }
done
mv "$work"/*_"$arch".deb "$work/debs/"
runtime=$(ls "$work"/debs/libvotequorum8-cpp_*_"$arch".deb)
for deb in "$work"/debs/*.deb; do
	printf '%s: Architecture %s; Depends %s\n' "$(basename "$deb")" "$(dpkg-deb -f "$deb" Architecture)" "$(dpkg-deb -f "$deb" Depends)"
	[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || { echo "FAIL: $deb is not for $arch" >&2; exit 1; }
done
d=$(dpkg-deb -f "$runtime" Depends)
if [[ $d != *libqb100* || $d != *libc6* || $d != *libstdc++6* ]]; then
	echo "FAIL: the runtime package's Depends lack libqb100, libc6 or libstdc++6: $d" >&2
	cat "$work"/dh_shlibdeps.log >&2
	exit 1
fi
so=$(dpkg-deb -c "$runtime" | awk '$6 ~ /libvotequorum\.so\.8\.1\.0$/ { print $6 }')
[[ $so == ./usr/lib/$DEB_HOST_MULTIARCH/* ]] || { echo "FAIL: the runtime package puts the library at '$so'" >&2; exit 1; }

cat > "$work/debs/in-root.sh" <<'SCRIPT'
set -euo pipefail
shopt -s inherit_errexit
L=/usr/lib/$1
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '>>> %s\n' "$*"; }
quorate() { corosync-quorumtool -s 2>/dev/null | grep -E '^Quorate: +Yes' >/dev/null; }
corosync -f -c /debs/corosync.conf > /run/corosync.log 2>&1 &
for _ in $(seq 1 300); do quorate && break; sleep 0.05; done
quorate || { cat /run/corosync.log; fail "corosync did not become quorate"; }
[[ $(readlink -f "$L/libvotequorum.so.8") == *libvotequorum.so.8.0.0 ]] || fail "the root does not start on the reference"
[[ $(readlink -f "$L/libquorum.so.5") == *libquorum.so.5.1.0 ]] || fail "the root does not start on the reference libquorum"
# SONAME REFERENCE_FILE OURS_FILE, for the four libraries.
libs=(
	"libvotequorum.so.8 libvotequorum.so.8.0.0 libvotequorum.so.8.1.0"
	"libquorum.so.5 libquorum.so.5.1.0 libquorum.so.5.2.0"
	"libcmap.so.4 libcmap.so.4.1.0 libcmap.so.4.2.0"
	"libcorosync_common.so.4 libcorosync_common.so.4.0.0 libcorosync_common.so.4.1.0"
)
links_are() {  # reference|ours
	local l so ref ours want
	for l in "${libs[@]}"; do
		read -r so ref ours <<<"$l"
		want=$ref
		[ "$1" = reference ] || want=$ours
		[[ $(readlink -f "$L/$so") == */"$want" ]] || fail "$so is $(readlink -f "$L/$so"), not the $1 ($want)"
	done
}
loads_ours() {  # PROGRAM SONAME...
	local program=$1 so l name ref ours loaded
	shift
	for so in "$@"; do
		loaded=$(ldd "$program" | awk -v so="$so" '$1 == so { print $3 }')
		for l in "${libs[@]}"; do
			read -r name ref ours <<<"$l"
			[ "$name" != "$so" ] || [[ $(readlink -f "$loaded") == */"$ours" ]] || fail "$program loads $loaded for $so"
		done
	done
}
links_are reference
cmapctl_reference=$(corosync-cmapctl totem.)
[ -n "$cmapctl_reference" ] || fail "corosync-cmapctl totem. printed nothing on the reference"
step "dpkg -i"
DEBIAN_FRONTEND=noninteractive dpkg -i /debs/libvotequorum8-cpp_*.deb /debs/libquorum5-cpp_*.deb /debs/libcmap4-cpp_*.deb \
	/debs/libcorosync-common4-cpp_*.deb /debs/libvotequorum-cpp1_*.deb /debs/votequorum-monitor_*.deb >/dev/null
step "installed: libvotequorum.so.8 -> $(readlink -f "$L/libvotequorum.so.8"), libcmap.so.4 -> $(readlink -f "$L/libcmap.so.4")"
links_are ours
loads_ours /usr/sbin/corosync-quorumtool libvotequorum.so.8 libquorum.so.5 libcmap.so.4 libcorosync_common.so.4
loads_ours /usr/sbin/corosync-cmapctl libcmap.so.4 libcorosync_common.so.4
quorate || fail "corosync-quorumtool on the installed package does not report quorum"
[ "$(corosync-cmapctl totem.)" = "$cmapctl_reference" ] || fail "corosync-cmapctl totem. prints otherwise on ours"
step "corosync-cmapctl totem. on the installed package: as on the reference"
step "corosync-quorumtool -s on the installed package: quorate"
json=$(votequorum-monitor --once --json)
[[ $json == *'"quorate":true'* ]] || fail "votequorum-monitor --once --json: $json"
step "votequorum-monitor --once --json: quorate"
step "dpkg -r"
dpkg -r votequorum-monitor libvotequorum-cpp1 libvotequorum8-cpp libquorum5-cpp libcmap4-cpp libcorosync-common4-cpp >/dev/null
links_are reference
quorate || fail "corosync-quorumtool does not work on the reference after dpkg -r"
step "removed: the reference is back and corosync-quorumtool works on it"
SCRIPT
cp "$top/tests/support/corosync.conf" "$work/debs/"
mkdir -p "$work/ov/upper" "$work/ov/work" "$work/ov/root"
# shellcheck disable=SC2016  # expanded by the inner shell
unshare --mount --net --pid --fork --mount-proc bash -c '
	set -euo pipefail
	ov=$1 root=$2 debs=$3 top=$4 multiarch=$5
	mount --make-rprivate /
	mount -t overlay overlay -o "lowerdir=$root,upperdir=$ov/upper,workdir=$ov/work" "$ov/root"
	mount -t proc proc "$ov/root/proc"
	mount --rbind /dev "$ov/root/dev"
	source "$top/tests/support/namespace.sh"
	vq_private_mounts "$ov/root"
	mkdir -p "$ov/root/debs"
	cp "$debs"/* "$ov/root/debs/"
	chroot "$ov/root" /bin/bash /debs/in-root.sh "$multiarch"
' package "$work/ov" "$root" "$work/debs" "$top" "$DEB_HOST_MULTIARCH"
echo "deb ($arch): $(find "$work/debs" -name '*.deb' | wc -l) packages for $arch installed in the root in place of libvotequorum8, libquorum5, libcmap4 and libcorosync-common4 (its corosync-quorumtool and corosync-cmapctl ran on ours), removed, references restored"
