#!/bin/bash
# abi.sh ARCH ROOT BUILD
#
# The ABI tier on a foreign architecture, with that architecture's tools:
#   - the exported table and its symbol versions, read from the foreign
#     libvotequorum.so.8, libquorum.so.5, libcmap.so.4 and
#     libcorosync_common.so.4 with the cross binutils
#     (tests/abi/check_exports.sh, its objdump being ARCH's);
#   - every size, offset and constant of the public header against the
#     root's own Debian libvotequorum-dev header, both dumps compiled by
#     ARCH's compiler and run as ARCH code (tests/abi/compare_layout.sh;
#     static, so they run without the root's loader);
#   - the root's Debian corosync-quorumtool binds every votequorum symbol it
#     uses to our library (ldd -r inside the root).
set -euo pipefail
shopt -s inherit_errexit
arch=$1 root=$2 build=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $arch in
s390x) triplet=s390x-linux-gnu ;;
i386) triplet=i686-linux-gnu ;;
*) echo "abi.sh: unsupported architecture $arch" >&2; exit 2 ;;
esac
lib=$build/libvotequorum.so.8
[ -f "$lib" ] || { echo "FAIL: $lib is not built" >&2; exit 1; }
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT

# The library is ARCH's: the ELF header says so (the other checks would
# also pass on a host build by mistake).
machine=$(readelf -h "$lib" | sed -nE 's/^ *Machine: +//p')
case $arch:$machine in
s390x:'IBM S/390' | i386:'Intel 80386') echo "abi ($arch): $lib is an ELF for $machine" ;;
*) echo "FAIL: $lib is an ELF for '$machine', not $arch" >&2; exit 1 ;;
esac

ln -s "$(command -v "$triplet-objdump")" "$shim/objdump"
PATH=$shim:$PATH "$top/tests/abi/check_exports.sh" "$lib" "$top/tests/abi/exports-votequorum.expected" \
	COROSYNC_VOTEQUORUM_1.1 COROSYNC_VOTEQUORUM_1.0
PATH=$shim:$PATH "$top/tests/abi/check_exports.sh" "$(dirname "$lib")/libquorum.so.5" "$top/tests/abi/exports-quorum.expected"
PATH=$shim:$PATH "$top/tests/abi/check_exports.sh" "$(dirname "$lib")/libcmap.so.4" "$top/tests/abi/exports-cmap.expected"
PATH=$shim:$PATH "$top/tests/abi/check_exports.sh" "$(dirname "$lib")/libcorosync_common.so.4" \
	"$top/tests/abi/exports-corosync_common.expected"

cat > "$shim/cc" <<SHIM
#!/bin/sh
exec $triplet-gcc --sysroot=$root -static "\$@"
SHIM
chmod +x "$shim/cc"
PATH=$shim:$PATH "$top/tests/abi/compare_layout.sh" "$top/tests/abi/layout_dump.c" "$top/include" "$root" \
	"$build/tests/abi/cross-layout"
# The dumps ran as ARCH code: the pointer size and the ring id's size say
# which ABI they describe.
case $arch in
s390x) want='sizeof votequorum_ring_id_t = 16' ;;
i386) want='sizeof votequorum_ring_id_t = 12' ;;
esac
if ! grep -Fx "$want" "$build/tests/abi/cross-layout/layout_ours.txt" >/dev/null; then
	echo "FAIL: the layout dump does not describe $arch (no '$want')" >&2
	exit 1
fi

out=$("$here/in-root.sh" "$root" env LD_LIBRARY_PATH="$build" ldd -r /usr/sbin/corosync-quorumtool 2>&1)
if ! grep -E "^[[:space:]]+libvotequorum\.so\.8 => $build/libvotequorum\.so\.8 " <<<"$out" >/dev/null; then
	echo "FAIL: the root's corosync-quorumtool does not load our library:" >&2
	printf '%s\n' "$out" >&2
	exit 1
fi
if grep -E 'undefined symbol|version .* not found' <<<"$out"; then
	echo "FAIL: the root's corosync-quorumtool has unresolved symbols against our library" >&2
	exit 1
fi
echo "abi ($arch): the root's corosync-quorumtool binds to $build/libvotequorum.so.8"
