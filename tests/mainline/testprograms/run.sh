#!/bin/bash
# corosync's own votequorum test programs, test/testvotequorum1.c and
# test/testvotequorum2.c of the main-line tarball, compiled here at test
# time (in a temporary directory: they are never part of this repository)
# and run, scenario by scenario (scenarios.txt), on
#   five builds   header:library = debian:debian and mainline:mainline (the
#                 references, each program built as its own project builds
#                 it), then debian:ours, mainline:ours and ours:ours (a
#                 program built elsewhere finding our library, and one
#                 built against our header);
#   two daemons   Debian 12's corosync 3.1.7 and the main line's, each in
#                 private namespaces (tests/support/private-corosync.sh).
# Every output, normalized (normalize.awk), must equal the debian:debian
# one on the same daemon and pass the scenario's checks; each combination
# that cannot build or run is printed as such and fails the test. Both
# programs hand votequorum_initialize a callbacks structure (the second
# with two of its three pointers NULL), so the main line's library, which
# reads that structure unchecked, runs them too.
#
#   run.sh OUR_LIBDIR DEBIAN_LIB MAINLINE_PREFIX [REFDEV]
# DEBIAN_LIB is Debian's libvotequorum.so.8, MAINLINE_PREFIX is what
# tests/mainline/build.sh prints, REFDEV the unpacked libvotequorum-dev of
# tests/setup.sh (default .cache/refdev). The tarball is
# VQ_MAINLINE_TARBALL, with tests/mainline/build.sh's default; CC the
# compiler (default cc). VQ_SHOW=1 prints every reference output.
set -euo pipefail
shopt -s inherit_errexit
ourlib=$(cd "$1" && pwd) deblib=$(readlink -f "$2") prefix=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
refdev=$(cd "${4:-$top/.cache/refdev}" && pwd)
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	exec "$top/tests/support/private-corosync.sh" --no-start "$0" "$@"
fi
tarball=${VQ_MAINLINE_TARBALL:-$top/../shared/upstream/corosync-65235a81.tar.gz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- the sources, from the tarball the main-line prefix was built from ----
[ -f "$tarball" ] || { echo "FAIL: no main-line tarball at $tarball (VQ_MAINLINE_TARBALL)"; exit 1; }
built_from=$(basename "$(dirname "$prefix")")
if [[ $built_from =~ ^corosync-([0-9a-f]{64})$ ]]; then
	sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$sha" != "${BASH_REMATCH[1]}" ]; then
		echo "FAIL: $tarball is not the tarball $prefix was built from"
		exit 1
	fi
fi
mkdir -p "$work/src" "$work/cfg" "$work/bin" "$work/out" "$work/lib-debian"
tar -xzf "$tarball" -C "$work/src" --wildcards --no-wildcards-match-slash \
	'*/test/testvotequorum1.c' '*/test/testvotequorum2.c'
src=$(dirname "$(find "$work/src" -name testvotequorum1.c)")
# The programs include corosync's generated config.h, but use nothing from it.
: >"$work/cfg/config.h"

# --- the three builds of each program --------------------------------------
declare -A include=([debian]=$refdev/usr/include [mainline]=$prefix/include [ours]=$top/include)
declare -A linkto=([debian]=$deblib [mainline]=$prefix/lib/libvotequorum.so [ours]=$ourlib/libvotequorum.so)
declare -A libdir=([debian]=$work/lib-debian [mainline]=$prefix/lib [ours]=$ourlib)
ln -s "$deblib" "$work/lib-debian/libvotequorum.so.8"
for h in debian mainline ours; do
	# The value the stale-ring-id mode must see (the program's test compares with it).
	if ! grep -E '^\s*CS_ERR_MESSAGE_ERROR = 22,$' "${include[$h]}/corosync/corotypes.h" >/dev/null; then
		fail "$h's corotypes.h does not define CS_ERR_MESSAGE_ERROR as 22"
	fi
	for p in 1 2; do
		if ! "${CC:-cc}" -O2 -Wall -I"$work/cfg" -I"${include[$h]}" -o "$work/bin/tvq$p-$h" \
			"$src/testvotequorum$p.c" "${linkto[$h]}" >"$work/cc.log" 2>&1; then
			fail "cannot build: testvotequorum$p against $h's header:"
			sed 's/^/    /' "$work/cc.log"
		elif [ -s "$work/cc.log" ]; then
			echo "warnings building testvotequorum$p against $h's header:"
			sed 's/^/    /' "$work/cc.log"
		fi
	done
done
[ "$failures" -eq 0 ] || exit 1
if cmp -s "$deblib" "$ourlib/libvotequorum.so.8" || cmp -s "$prefix/lib/libvotequorum.so.8" "$ourlib/libvotequorum.so.8"; then
	echo "FAIL: a reference library is ours"
	exit 1
fi
combos=(debian:debian mainline:mainline debian:ours mainline:ours ours:ours)
# Each build loads the library it is meant to (ldd, with the run's path).
for c in "${combos[@]}"; do
	h=${c%:*} l=${c#*:}
	for p in 1 2; do
		got=$(LD_LIBRARY_PATH=${libdir[$l]} ldd "$work/bin/tvq$p-$h" | awk '$1 == "libvotequorum.so.8" { print $3 }')
		if [ "$(readlink -f "$got")" != "$(readlink -f "${libdir[$l]}/libvotequorum.so.8")" ]; then
			fail "testvotequorum$p ($c) loads $got, not $l's library"
		fi
	done
done
[ "$failures" -eq 0 ] || exit 1

# --- the daemons -------------------------------------------------------------
declare -A daemon_bin=([debian]=/usr/sbin/corosync [mainline]=$prefix/sbin/corosync)
start_daemon() {  # debian|mainline: a fresh one, quorate, and the right binary
	local want=${daemon_bin[$1]} pid
	if [ "$1" = mainline ]; then
		VQ_COROSYNC_PREFIX=$prefix vq_restart_corosync
	else
		VQ_COROSYNC_PREFIX='' vq_restart_corosync
	fi
	pid=$(pgrep -x corosync)
	if [ "$(readlink -f "/proc/$pid/exe")" != "$(readlink -f "$want")" ]; then
		echo "FAIL: the daemon running is $(readlink -f "/proc/$pid/exe"), not $want"
		exit 1
	fi
}

alive() {  # PID: running (a zombie is not)
	[ -r "/proc/$1/stat" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

run_one() {  # BIN LIBDIR WAIT RULES OUT ARGS...
	local bin=$1 lib=$2 wait=$3 rules=$4 out=$5 status=0 pid
	shift 5
	if [ "$wait" = - ]; then
		LD_LIBRARY_PATH=$lib timeout 20 stdbuf -o0 -e0 "$bin" "$@" >"$out.raw" 2>&1 </dev/null || status=$?
	else
		# It never returns by itself: stopped by SIGTERM once it printed
		# WAIT lines, or died, or printed nothing new for 2 s (the lines
		# come within milliseconds when all is well; this bounds a broken
		# library's run).
		: >"$out.raw"  # before the child opens it, for the count below
		LD_LIBRARY_PATH=$lib stdbuf -o0 -e0 "$bin" "$@" >>"$out.raw" 2>&1 </dev/null &
		pid=$!
		local count=0 last=0 changed=${EPOCHREALTIME//[!0-9]/}
		while [ "$count" -lt "$wait" ] && alive "$pid" && ((${EPOCHREALTIME//[!0-9]/} - changed < 2000000)); do
			sleep 0.02
			count=$(wc -l <"$out.raw")
			if [ "$count" != "$last" ]; then last=$count changed=${EPOCHREALTIME//[!0-9]/}; fi
		done
		if [ "$count" -lt "$wait" ] && alive "$pid"; then
			echo "(stopped after $count of $wait lines: nothing new for 2 s)" >>"$out.raw"
		fi
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" || status=$?
	fi
	echo "exit=$status" >>"$out.raw"
	awk -v rules="$rules" -f "$here/normalize.awk" "$out.raw" >"$out"
}

check() {  # OUT CHECK... (COUNT~ERE): prints what fails
	local out=$1 c want got status=0
	shift
	for c in "$@"; do
		want=${c%%~*}
		got=$(grep -cE -- "${c#*~}" "$out" || true)
		if [ "$got" != "$want" ]; then
			echo "    check ${c#*~}: $got lines, expected $want"
			status=1
		fi
	done
	return "$status"
}

declare -A result  # program,combo,daemon -> number of scenarios that differed
for d in debian mainline; do
	for c in "${combos[@]}"; do result[1,$c,$d]=0 result[2,$c,$d]=0; done
done
echo "daemons: $(/usr/sbin/corosync -v | head -n 1) / $("$prefix/sbin/corosync" -v | head -n 1)"
n=0 runs=0 lines=0
for d in debian mainline; do
	dirty=1 i=0
	while IFS='|' read -r -u 3 name prog args wait mode rules checkstr; do
		case $name in '#'* | '') continue ;; esac
		n=$((n + 1)) i=$((i + 1))
		argv=()
		if [ "$args" != - ]; then read -r -a argv <<<"$args"; fi
		[ "$rules" != - ] || rules=''
		IFS='|' read -r -a checks <<<"$checkstr"
		if [ "$mode" = shared ] && [ "$dirty" = 1 ]; then start_daemon "$d"; dirty=0; fi
		for c in "${combos[@]}"; do
			h=${c%:*} l=${c#*:}
			if [ "$mode" = fresh ]; then start_daemon "$d"; dirty=1; fi
			out=$work/out/$d-$i-${c/:/-}
			run_one "$work/bin/tvq$prog-$h" "${libdir[$l]}" "$wait" "$rules" "$out" "${argv[@]}"
			runs=$((runs + 1))
			bad=0
			if ! check "$out" "${checks[@]}" >"$work/check.log"; then
				echo "FAIL: $name, $d daemon, $c: the checks of scenarios.txt:"
				cat "$work/check.log"
				bad=1
			fi
			ref=$work/out/$d-$i-debian-debian
			if [ "$c" != debian:debian ] && ! cmp -s "$ref" "$out"; then
				echo "DIFFERENT: $name, $d daemon, $c against debian:debian:"
				diff "$ref" "$out" | sed 's/^/    /' || true
				bad=1
			fi
			if [ "$bad" = 1 ]; then
				key=$prog,$c,$d
				result[$key]=$((${result[$key]} + 1))
				failures=$((failures + 1))
			fi
		done
		lines=$((lines + $(wc -l <"$ref")))
		if [ -n "${VQ_SHOW:-}" ]; then echo "$name, $d daemon:"; sed 's/^/    | /' "$ref"; fi
		# The two daemons, for the record (a difference there is not the library's).
		if [ "$d" = mainline ]; then
			if cmp -s "$work/out/debian-$i-debian-debian" "$ref"; then
				echo "same on both daemons: $name"
			else
				echo "the daemons differ (not a library difference): $name"
				diff "$work/out/debian-$i-debian-debian" "$ref" | sed 's/^/    /' || true
			fi
		fi
	done 3<"$here/scenarios.txt"
done

echo
echo "program          header:library     Debian 3.1.7 daemon   main-line daemon"
for p in 1 2; do
	for c in "${combos[@]}"; do
		row=""
		for d in debian mainline; do
			if [ "${result[$p,$c,$d]}" != 0 ]; then
				cell="ran, ${result[$p,$c,$d]} FAILED"
			elif [ "$c" = debian:debian ]; then
				cell="ran (reference)"
			else
				cell="ran, same"
			fi
			row+=$(printf '  %-20s' "$cell")
		done
		printf '%-16s %-17s%s\n' "testvotequorum$p" "$c" "$row"
	done
done
echo "corosync's testvotequorum1/2: $runs runs of $((n / 2)) scenarios on 2 daemons x 5 builds," \
	"$failures failed ($lines reference lines), ${SECONDS} s"
[ "$failures" -eq 0 ]
