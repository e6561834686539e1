#!/bin/bash
# tests/cross/run.sh ARCH [--no-conformance | --build-only]
#
# Every tier that runs on a foreign architecture, for ARCH (s390x:
# big-endian, run through qemu-user-static; i386: 32-bit, run natively
# where this machine can, else through qemu-user: tests/cross/binfmt.sh),
# each timed and counted:
#   root         the Debian 12 ARCH root, made once per machine (roots.sh)
#   build        the cross build in build-ARCH (cmake/toolchain-ARCH.cmake)
#   unit, fake, cpp   the Catch tests that need no daemon (labelled tsan:
#                unit, the C ABI on the scripted libqb server, the C++ API
#                on it), each program run inside the root; on i386 the unit
#                tier once more through qemu, registered from nothing in a
#                private binfmt_misc instance (binfmt.sh private)
#   abi          the header compiled as C99 and C++ and linked to every call;
#                the exported table and versions, every size, offset and
#                constant against the root's Debian header, and Debian's
#                tool binding to ours (abi.sh)
#   replay       the fuzz target over tests/fuzz/corpus, every prefix of
#                every file three ways, with UBSan (and ASan where i386
#                runs natively)
#                (replay_main.cpp)
#   package      the .debs for ARCH, installed and removed in an overlay of
#                the root (package.sh)
#   conformance  the root's corosync 3.1.7: the debian and quorum-debian
#                pairs scenario by scenario, cmap-debian on the scenarios
#                where byte order counts, and corosync-quorumtool on both
#                libraries
#                (conformance.sh); VQ_CROSS_SCENARIOS="A B ..." runs only
#                those scenarios (a sample), --no-conformance none
# --build-only stops after the build (tests/run.sh builds while other tiers
# run, then runs the tiers). Any failure exits non-zero. Needs root.
set -euo pipefail
shopt -s inherit_errexit
arch=${1:?usage: tests/cross/run.sh s390x|i386 [--no-conformance | --build-only]}
mode=${2:-all}
case $mode in
all | --no-conformance | --build-only) ;;
*) echo "tests/cross/run.sh: unknown option $mode" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build-$arch
case $arch in
s390x) triplet=s390x-linux-gnu ;;
i386) triplet=i686-linux-gnu ;;
*) echo "tests/cross/run.sh: unsupported architecture $arch" >&2; exit 2 ;;
esac
jobs=$(nproc)
declare -a times=()
t0=$SECONDS
lap() {  # NAME: the time since the last lap
	times+=("$(printf '%4d s  %s %s' $((SECONDS - t0)) "$arch" "$1")")
	t0=$SECONDS
}

root=$("$here/roots.sh" "$arch")
echo "cross ($arch): root $root (made in $(cat "$root/.seconds") s, once per machine)"
how=$("$here/binfmt.sh" how "$arch")
echo "cross ($arch): its programs run $(case $how in native) echo natively ;; *) echo "through qemu-user" ;; esac) on this machine"
lap root

# Under qemu-user the kernel shows, for a thread blocked in the program,
# the system call qemu makes for it in the host's numbering: the "blocked
# in a call that waits for input" checks (blocked.h, the conformance
# driver) accept those too where ARCH runs through qemu. From the host's
# header.
calls="SYS_read SYS_poll SYS_ppoll SYS_select SYS_pselect6 SYS_epoll_wait SYS_epoll_pwait SYS_recvfrom SYS_recvmsg"
qemu_calls=$(printf '#include <sys/syscall.h>\n%s\n' "$calls" | cpp -P | tail -n 1)
if grep -E '[A-Za-z_]' <<<"$qemu_calls" >/dev/null; then
	echo "FAIL: the host's <sys/syscall.h> lacks one of: $qemu_calls" >&2
	exit 1
fi
qemu_futex=$(printf '#include <sys/syscall.h>\nSYS_futex\n' | cpp -P | tail -n 1)
host_calls="" host_futex=""
if [ "$how" = qemu ]; then
	host_calls=$qemu_calls host_futex=$qemu_futex
fi

cmake -S "$top" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-$arch.cmake" -DVQ_CROSS_ROOT="$root" \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVQ_REQUIRE_ALL=ON -DCMAKE_INSTALL_PREFIX=/usr \
	-DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON -DVQ_SYSTEMD_UNIT_DIR=/lib/systemd/system >/dev/null
cmake --build "$build" -j"$jobs" --target votequorum votequorum-cpp corosync_common unit_tests fake_tests cpp_tests \
	header_check_c header_check_cxx abi11_usage_c abi11_usage_cxx conformance_driver fake_votequorum qdevice_helper \
	quorum quorum_driver cmap cmap_driver votequorum-monitor man_pages >/dev/null
lap build
if [ "$mode" = --build-only ]; then
	printf '%s\n' "${times[@]}"
	exit 0
fi

summary() {  # LOG: ctest's count line
	grep -E '^[0-9]+% tests passed' "$1"
}
(cd "$build" && VQ_HOST_WAITING_SYSCALLS="$host_calls $host_futex" \
	ctest -j"$jobs" --output-on-failure --no-tests=error -L tsan) > "$build/cross-catch.log" 2>&1 || {
	cat "$build/cross-catch.log"; exit 1; }
echo "cross ($arch) unit, fake, cpp (no daemon): $(summary "$build/cross-catch.log")"
lap "unit, fake, cpp (fake server)"

if [ "$arch" = i386 ]; then
	# The other way i386 runs, on every machine: through qemu, registered
	# from nothing in a binfmt_misc instance of its own (binfmt.sh
	# private), the unit tier again. Where i386 runs natively this is the
	# only qemu run; where it does not, the only fresh registration.
	"$here/binfmt.sh" private i386 "$here/binfmt.sh" runs-through-qemu i386 "$root"
	VQ_HOST_WAITING_SYSCALLS="$qemu_calls $qemu_futex" \
		"$here/binfmt.sh" private i386 "$here/in-root.sh" "$root" "$build/tests/unit_tests" --reporter compact \
		> "$build/cross-unit-qemu.log" 2>&1 || { cat "$build/cross-unit-qemu.log"; exit 1; }
	echo "cross (i386) unit through qemu, registered from nothing: $(grep -E '^(Passed|All tests passed)' "$build/cross-unit-qemu.log")"
	lap "unit through qemu (binfmt.sh private)"
fi

(cd "$build" && ctest --output-on-failure --no-tests=error -L abi \
	-R '^abi: (header compiles as|ABI 1\.1 as the main line spells it compiles as)') > "$build/cross-abi.log" 2>&1 || {
	cat "$build/cross-abi.log"; exit 1; }
echo "cross ($arch) abi, header programs: $(summary "$build/cross-abi.log")"
"$here/abi.sh" "$arch" "$root" "$build"
lap abi

# The core's and every service's shared sources (the OBJECT libraries
# vq_core, vq_votequorum, vq_quorum, vq_cmap) compiled here with UBSan too,
# so the decoders are checked.
replay=$build/tests/cross-replay
mkdir -p "$replay"
mapfile -t core < <(sed -n '/^add_library(vq_core OBJECT/,/^add_library(vq_cmap OBJECT/p' "$top/CMakeLists.txt" |
	grep -oE 'src/[a-z_]+/[a-z_]+\.cpp' | sed "s|^|$top/|")
[ "${#core[@]}" -ge 12 ] || { echo "FAIL: only ${#core[@]} sources of vq_core, vq_votequorum, vq_quorum and vq_cmap found in CMakeLists.txt" >&2; exit 1; }
# UBSan everywhere; ASan too where i386 runs natively (under qemu-user
# ASan's shadow memory is not dependable).
sanitize=(-fsanitize=undefined -static-libubsan)
if [ "$how" = native ]; then sanitize=("-fsanitize=address,undefined" -static-libasan -static-libubsan); fi
"$triplet-g++" --sysroot="$root" -std=c++20 -O1 -g "${sanitize[@]}" -fno-sanitize-recover=all \
	-I"$top/src" -I"$top/include" -I"$top/tests/support" -o "$replay/decode_replay" \
	"$top/tests/fuzz/decode_fuzz.cpp" "$here/replay_main.cpp" "${core[@]}" -lqb -lpthread
"$here/in-root.sh" "$root" "$replay/decode_replay" "$top"/tests/fuzz/corpus/*
lap "fuzz corpus replay"

"$here/package.sh" "$arch" "$root" "$build" > "$build/cross-package.log" 2>&1 || {
	cat "$build/cross-package.log"; exit 1; }
grep -E '^deb ' "$build/cross-package.log"
lap "packages"

if [ "$mode" = all ]; then
	# shellcheck disable=SC2086  # one word per scenario
	if ! VQ_HOST_WAITING_SYSCALLS=$host_calls "$here/conformance.sh" "$arch" "$root" "$build" \
		"$build/cross-conformance" ${VQ_CROSS_SCENARIOS:-} > "$build/cross-conformance.log" 2>&1; then
		cat "$build/cross-conformance.log"
		exit 1
	fi
	grep -E "^(conformance \(${arch}[,)]|declared for|corosync-quorumtool|  reference)" "$build/cross-conformance.log"
	lap "conformance (the root's corosync)"
fi
echo
echo "cross ($arch): time per tier:"
printf '  %s\n' "${times[@]}"
