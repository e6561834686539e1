#!/bin/bash
# The whole test suite, from a fresh Debian 12 machine (root):
#   1. says what earlier runs left cached (tests/cached.sh), installs the
#      Debian packages the tests need (tests/setup.sh), builds corosync's
#      main line from its tarball, once per tarball (tests/mainline/build.sh:
#      the ABI 1.1 daemon, library and tool), and builds ours, while the
#      s390x and i386 roots are made beside (tests/cross/roots.sh, once per
#      machine; first binfmt_misc, so that their programs run);
#   2. runs every test: unit, abi, fake (scripted libqb server),
#      system (the real corosync, private to each test), conformance on
#      both daemon generations, cluster, hastack (pacemaker and sbd), package,
#      faults (every failure point of each call, tests/faults), docs (the
#      documentation's links, tests/docs);
#   3. runs the chaos test: random faults on a live 3-node cluster, from a
#      fresh seed (its output says how to replay it);
#   4. rebuilds with AddressSanitizer + UndefinedBehaviorSanitizer and runs
#      the unit, fake, system and C++ API tiers (votequorum-monitor too,
#      as a program) and the faults walk again (CTest label asan);
#   5. rebuilds with ThreadSanitizer and runs the unit, fake and C++ API
#      (fake server) tiers again (label tsan);
#      (these builds, the fuzzer's, the benchmark's and the foreign ones run
#      at nice 19 during step 2, on the CPU its tests leave idle)
#   6. fuzzes the decoding path with libFuzzer (2 million executions);
#   7. runs the benchmark once in its short mode;
#   8. runs the four Catch test programs under valgrind memcheck;
#   9. runs the tiers on s390x (big-endian, through qemu) and i386 (32-bit,
#      natively where this machine runs it, else through qemu; one tier
#      runs through qemu on every machine):
#      unit, fake, C++ API, abi, fuzz corpus replay, packages and
#      conformance on that architecture's corosync (tests/cross/run.sh),
#      begun at nice 10 when step 3 begins, so beside steps 3 to 8; step 9
#      waits for what is left.
# Every prerequisite of the later steps (packages, cross compilers, binfmt_misc,
# the foreign roots, the main line's build) is made or checked in step 1,
# beside the build: a missing one fails the run in its first minutes.
# Any failure fails the run; nothing is skipped. Outside CI, with no
# main-line tarball, step 1 says in one line that its tier did not run (in
# CI that fails the run). Set VQ_QUICK=1 to stop after step 2 (chaos excluded).
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
# Every build tree this run makes (ours, the sanitizers', the fuzzer's, the
# benchmark's, the foreign ones, the package test's consumer) is a Ninja
# one: CMake's Makefiles start a cmake process for each step they echo, and
# a build of ours took 182 CPU s with them, 167 with Ninja. A tree made
# before keeps the generator it was made with.
export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
if [ "$(id -u)" != 0 ]; then
	echo "tests/run.sh needs root (it installs packages and makes namespaces)" >&2
	exit 1
fi

run_start=$SECONDS
step_name=""
step_start=$SECONDS
# The machine's CPU time so far, busy and all, in clock ticks (/proc/stat:
# idle and iowait are the 4th and 5th fields).
cpu_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }
read -r step_busy step_all < <(cpu_ticks)
# Each step prints how long the previous one took, and the end prints the
# table, with how busy the CPUs were during each step (of all of them: a
# step that leaves them idle waits on something else): the run times of
# docs/testing.md come from these lines.
declare -a step_times=()
step_done() {
	local busy all
	read -r busy all < <(cpu_ticks)
	[ -n "$step_name" ] && step_times+=("$(printf '%4d s  %3d%% busy  %s' $((SECONDS - step_start)) \
		$(((busy - step_busy) * 100 / (all - step_all > 0 ? all - step_all : 1))) "$step_name")")
	step_busy=$busy step_all=$all
	return 0
}
step() {
	step_done
	step_name=$*
	step_start=$SECONDS
	printf '\n===== %s =====\n' "$*"
}
report_times() {
	step_done
	step_name=""
	echo
	echo "time per step:"
	printf '  %s\n' "${step_times[@]}"
	printf '%4d s             whole run\n' $((SECONDS - run_start))
}
configure_build() {  # DIR TARGETS [CMAKE ARGS...]  (TARGETS: space-separated, or "all")
	local dir=$1 targets=$2
	shift 2
	# VQ_REQUIRE_ALL: a missing package fails the configure (not left out).
	cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVQ_REQUIRE_ALL=ON "$@" >/dev/null
	# shellcheck disable=SC2086  # one word per target
	cmake --build "$dir" -j"$jobs" --target $targets >/dev/null
}
# The sanitizer tiers build only the programs their tests run (labels asan
# and tsan: the Catch test programs, and what those start).
sanitized_targets="unit_tests fake_tests system_tests cpp_tests faults_programs"
# The foreign architectures of step 10 (tests/cross).
cross_archs="s390x i386"

cache=${VQ_CACHE:-/var/cache/votequorum-tests}
export VQ_CACHE=$cache
# What this run makes in the cache records this id: the cache test takes
# what the run made from nothing as its proof (tests/cross/cache_rebuild.sh).
VQ_RUN_ID=$(cat /proc/sys/kernel/random/uuid)
export VQ_RUN_ID
mkdir -p "$top/.cache"
step "prerequisites: packages, the main line, the foreign roots and how their programs run, the build"
# What earlier runs or sessions left here, said before anything is made: the
# run needs none of it (tests/cross/cache_rebuild.sh proves the caches are
# made from nothing: by this run, where it found them missing, else again).
"$top/tests/cached.sh" "$cache"
"$top/tests/setup.sh"
for c in s390x-linux-gnu-g++ i686-linux-gnu-g++ mmdebstrap qemu-s390x-static qemu-i386-static arch-test; do
	command -v "$c" >/dev/null || { echo "FAIL: $c is missing after the set-up (tests/setup.sh)" >&2; exit 1; }
done
# The foreign roots (and, first, binfmt_misc for their programs) are made
# beside the main line's build and ours: they wait on the network and dpkg
# more than on the CPU. A failure of any stops the run here, in its first
# minutes, with its own last lines.
declare -A prereq_pids=()
for arch in $cross_archs; do
	"$top/tests/cross/roots.sh" "$arch" > "$top/.cache/root-$arch.log" 2>&1 &
	prereq_pids[$arch]=$!
done
prereq_wait() {  # NAME...: each root job; fails the run with its log's last lines
	local name
	for name in "$@"; do
		if ! wait "${prereq_pids[$name]}"; then
			tail -n 15 "$top/.cache/root-$name.log" >&2
			echo "FAIL: a prerequisite failed: the $name root (tests/cross/roots.sh $name; the lines above)" >&2
			exit 1
		fi
		grep -E '^(i386|s390x): runs ' "$top/.cache/root-$name.log"
		echo "the $name root: $(tail -n 1 "$top/.cache/root-$name.log")"
	done
}
mainline=""
status=0
mainline=$("$top/tests/mainline/build.sh") || status=$?
if [ "$status" = 3 ]; then
	echo "main-line tier: not run (no tarball; see above)"
elif [ "$status" != 0 ]; then
	echo "FAIL: a prerequisite failed: corosync's main line (tests/mainline/build.sh)" >&2
	exit "$status"
else
	echo "main-line prefix: $mainline"
fi
configure_build "$top/build" all -DVQ_MAINLINE_PREFIX="$mainline"
# shellcheck disable=SC2086  # one word per architecture
prereq_wait $cross_archs

step "build and run every test"
# The later tiers' builds run meanwhile at the lowest priority: the tests
# here wait on daemons much of the time, and the builds take only that idle
# CPU (nice 19 against 0 is a share of about 1.5% when both want it).
later_builds() {
	configure_build "$top/build-asan" "$sanitized_targets" -DVQ_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
	configure_build "$top/build-tsan" "$sanitized_targets" -DVQ_SANITIZE=thread -DCMAKE_BUILD_TYPE=Debug
	CC=clang CXX=clang++ configure_build "$top/build-fuzz" decode_fuzz -DVQ_FUZZ=ON
	VQ_BENCH_BUILD="$top/build-bench" "$top/bench/run.sh" --build
	for arch in $cross_archs; do
		"$top/tests/cross/run.sh" "$arch" --build-only
	done
}
builds_pid=""
if [ "${VQ_QUICK:-}" != 1 ]; then
	(renice -n 19 "$BASHPID" >/dev/null; later_builds) > "$top/build/later-builds.log" 2>&1 &
	builds_pid=$!
fi
# One test more than the cores: most tests wait on daemons (a conformance
# scenario keeps about half a core busy, a cluster test less), and the
# cluster tests hold a resource lock, so that only one of them runs at a
# time, in a chain that starts first (tests/CMakeLists.txt). (Two more kept
# the CPUs as busy and made every test slower: the step took as long.)
(cd "$top/build" && ctest -j"$((jobs + 1))" --output-on-failure --no-tests=error -LE chaos)
if [ "${VQ_QUICK:-}" = 1 ]; then
	report_times
	exit 0
fi
step "the sanitizer, fuzzer, benchmark and foreign builds (begun during the tests above)"
if ! wait "$builds_pid"; then
	cat "$top/build/later-builds.log" >&2
	echo "FAIL: a build of the later tiers failed" >&2
	exit 1
fi
# The foreign architectures' tiers (qemu-user, CPU-bound) run from here on,
# beside the chaos run (which mostly waits out its faults) and the sanitizer
# steps, at a lower priority than they; the last step waits for them.
# Side by side with each other too: each conformance run waits on its
# daemons much of the time, and every daemon and test has namespaces of its
# own.
# Each in a process group of its own (setsid): a failing step ends the run,
# and the foreign runs go with it, every process they started (killing the
# script alone left its conformance runs, qemu and daemons running on).
declare -A cross_pids=()
stop_cross() {
	local pid
	for pid in "${cross_pids[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
}
trap stop_cross EXIT
for arch in $cross_archs; do
	setsid nice -n 10 "$top/tests/cross/run.sh" "$arch" > "$top/build/cross-$arch.log" 2>&1 &
	cross_pids[$arch]=$!
done

step "chaos: seeded random faults on a 3-node cluster (tests/cluster/chaos.sh, a fresh seed)"
(cd "$top/build" && ctest --verbose --no-tests=error -L chaos)  # the seed, the faults and the counts in the log

step "AddressSanitizer + UndefinedBehaviorSanitizer"
(cd "$top/build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest -j"$jobs" --output-on-failure --no-tests=error -L asan)

step "ThreadSanitizer"
(cd "$top/build-tsan" && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	ctest -j"$jobs" --output-on-failure --no-tests=error -L tsan)

step "libFuzzer: the decoding path, 2 million executions from tests/fuzz/corpus"
mkdir -p "$top/build-fuzz/corpus"
"$top/build-fuzz/tests/fuzz/decode_fuzz" -runs=2000000 -max_len=8192 -max_total_time=600 \
	-artifact_prefix="$top/build-fuzz/" "$top/build-fuzz/corpus" "$top/tests/fuzz/corpus" > "$top/build-fuzz/fuzz.log" 2>&1
grep -E '^Done|ERROR|SUMMARY|^#[0-9]+ +DONE' "$top/build-fuzz/fuzz.log"
# libFuzzer exits 0 when its time limit stops it early: the count must be whole.
if ! grep -qE '^Done 2000000 runs ' "$top/build-fuzz/fuzz.log"; then
	echo "FAIL: the fuzzer did not complete 2,000,000 executions" >&2
	exit 1
fi

step "benchmark, short mode (keeps bench/ building and running; no timing is asserted, but an allocation of ours per notification fails it)"
VQ_BENCH_BUILD="$top/build-bench" "$top/bench/run.sh" --short

step "valgrind memcheck"
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full '--errors-for-leak-kinds=definite,indirect'
	'--show-leak-kinds=definite,indirect' --child-silent-after-fork=yes --track-fds=no
	--suppressions="$top/tests/valgrind.supp")
for t in unit_tests fake_tests system_tests cpp_tests; do
	echo "valgrind: $t"
	# [timing] tests bound how fast calls fail; valgrind's slowdown would
	# make those bounds meaningless (they run in the plain and ASan tiers).
	"${vg[@]}" "$top/build/tests/$t" -w NoTests --reporter compact '~[timing]'
done

step "foreign architectures: s390x (big-endian, qemu-user) and i386 (32-bit), both at once (tests/cross/run.sh, begun before the chaos step: this is what was left)"
cross_failed=""
for arch in $cross_archs; do
	wait "${cross_pids[$arch]}" || cross_failed="$cross_failed $arch"
	cat "$top/build/cross-$arch.log"
done
if [ -n "$cross_failed" ]; then
	echo "FAIL: the tiers of$cross_failed failed (the log above)" >&2
	exit 1
fi
report_times
echo
echo "all tiers passed: plain, ASan+UBSan, TSan, libFuzzer, valgrind, s390x and i386"
