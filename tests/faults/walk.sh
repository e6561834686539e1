#!/bin/bash
# walk.sh [--sample N] [--ours-only] [--library votequorum|quorum|cmap] FAULTS_BUILD_DIR
#
# The faults tier: for each operation of tests/faults/driver.cpp, runs it
# once with no fault to count its failure points (the calls of our library
# and libqb that libvqfault.so counts), then once per point with exactly
# that point failing (and once more with the second errno of the calls that
# have one), each in a fresh process, inside a private corosync
# (tests/support/private-corosync.sh). Every run of OUR library must end
# clean (the driver's checks: a documented result, the handle working or
# cleanly bad, no lost notification, a fresh handle working, nothing
# leaked); no crash, no hang (each run is bounded). Two outcomes are
# libqb's own and accepted at exactly those calls (a failed ring mmap made
# by libqb leaves one fd; a failed socket() makes libqb close fd 0): qb_only
# shows them with libqb alone. Debian's library (fault_driver_ref) goes
# through the same walk and is only reported. Built with ASan (the ASan
# step of tests/run.sh), only our library is walked, with LeakSanitizer.
#
# --sample N: at most N points per operation and errno (spread evenly,
# always the first and the last); default: every point.
# --library L: only the operations of one library: votequorum (C and C++,
# with libqb alone), quorum (q_...) or cmap (c_...); else every one.
# Prints, per operation, the points tried and the results; the table of
# the reference at the end; the whole log in FAULTS_BUILD_DIR/walk.log.
set -euo pipefail
shopt -s inherit_errexit

here=$(dirname "$(readlink -f "$0")")
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	exec "$here/../support/private-corosync.sh" "$0" "$@"
fi

sample=0 ours_only=0 library=""
while [ $# -gt 1 ]; do
	case $1 in
	--sample) sample=$2; shift 2 ;;
	--ours-only) ours_only=1; shift ;;
	--library) library=$2; shift 2 ;;
	*) echo "walk.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# = 1 ] || { echo "usage: walk.sh [--sample N] [--ours-only] [--library votequorum|quorum|cmap] FAULTS_BUILD_DIR" >&2; exit 2; }
# The operations of the library asked for, from the driver's list (stdin).
case $library in
"") of_library() { cat; } ;;
votequorum) of_library() { grep -v -E '^(q|c)_' || true; } ;;
quorum) of_library() { grep -E '^q_' || true; } ;;
cmap) of_library() { grep -E '^c_' || true; } ;;
*) echo "walk.sh: unknown library $library" >&2; exit 2 ;;
esac
dir=$(readlink -f "$1")
preload=$dir/libvqfault.so
for f in "$preload" "$dir/fault_driver" "$dir/fault_driver_ref" "$dir/qb_only"; do
	[ -e "$f" ] || { echo "FAIL: $f is missing (build the faults targets)" >&2; exit 1; }
done
# PROGRAM ARGS... bounded in time, with the injector preloaded into it
# only, not into timeout: in the ASan build the injector needs libasan,
# whose start-up cost about 40 ms of CPU in each of thousands of timeout
# processes.
injected() {
	timeout -s KILL "$bound" env LD_PRELOAD="$preload" "$@"
}
# Built with AddressSanitizer (tests/run.sh's ASan step runs this tier
# too): LeakSanitizer checks memory at each run's exit, through the
# interposer (which must then come before the sanitizer's runtime); only
# our library is walked there.
asan=0
if readelf -d "$dir/fault_driver" | grep -E 'NEEDED.*libasan' > /dev/null; then
	asan=1
	ours_only=1
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=1"
fi
work=$(mktemp -d /run/vqtest/faults.XXXXXX)
log=$dir/walk.log
: > "$log"
bound=20  # seconds a run may take: past that it hangs

# The points to try out of 1..N: all, or a spread of at most $sample.
pick() {  # N
	local n=$1 i
	if [ "$sample" = 0 ] || [ "$n" -le "$sample" ]; then
		seq 1 "$n"
		return
	fi
	for ((i = 0; i < sample; i++)); do
		echo $((1 + i * (n - 1) / (sample - 1)))
	done | sort -nu
}

# The first call the interposer failed, from a fault log ("N CALL ...
# FAILED ...": all but the number), or nothing. Here and in run_one the
# shell reads the files itself: a process costs about 5 ms of CPU on this
# kind of machine, and a walk makes thousands of runs.
failed_call() {  # LOG
	local line
	[ -e "$1" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^[0-9]+\ (.*\ FAILED\ .*)$ ]]; then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done < "$1"
}
lsan_error=$'\n''==[0-9]+==ERROR: LeakSanitizer'
asan_error=$'\n''==[0-9]+==ERROR: AddressSanitizer'
# One run: sets outcome, call (the failed call) and out (the driver's line),
# and logs it. In this shell, not a subshell: the next run must not begin
# while this one still reads its files (the log of the last run was once
# written after the walk had removed them).
run_one() {  # DRIVER OP K ALT
	local driver=$1 op=$2 k=$3 alt=$4 status=0 began errors="" line
	rm -f "$work/log"
	began=${EPOCHREALTIME//[!0-9]/}
	out=$(VQ_FAULT_AT=$k VQ_FAULT_ALT=$alt VQ_FAULT_LOG=$work/log \
		injected "$driver" "$op" 2>"$work/stderr") || status=$?
	out=${out%%$'\n'*}  # its first line
	call=$(failed_call "$work/log")
	call=${call:-"(not reached)"}
	[ ! -e "$work/stderr" ] || IFS= read -r -d '' errors < "$work/stderr" || true
	if [[ $'\n'$errors =~ $lsan_error ]]; then
		outcome="leak(LSan)"
	elif [[ $'\n'$errors =~ $asan_error ]]; then
		outcome="asan-error"
	elif [ "$status" = 0 ]; then
		outcome=clean
	elif [ "$status" = 137 ]; then
		outcome=hang
	elif [ "$status" -gt 128 ]; then
		outcome="crash(signal $((status - 128)))"
	elif [[ $call == "mmap@qb FAILED"* && $out == *" | fds leaked: 1" ]] ||
		[[ $call == "socket@qb FAILED"* && $out == *" | fds leaked: -1" ]]; then
		# libqb's own, shown with libqb alone by qb_only.c (docs/failures.md):
		# a failed ring mmap leaves a ring file's fd open; a failed
		# socket() makes it close fd 0, which it never opened.
		outcome=libqb
	elif [[ $out == *"leaked"* || $out == *" left"* ]]; then
		outcome=leak
	else
		outcome=unclean
	fi
	{
		printf '%s %s k=%s alt=%s -> %s: %s [%s] %d ms\n' "${driver##*/}" "$op" "$k" "$alt" "$outcome" "$call" \
			"$out" $(((${EPOCHREALTIME//[!0-9]/} - began) / 1000))
		[ ! -e "$work/stderr" ] || while IFS= read -r line || [ -n "$line" ]; do
			printf '    stderr: %s\n' "$line"
		done < "$work/stderr"
	} >> "$log"
}
failures=0
walk() {  # DRIVER LABEL
	local driver=$1 label=$2 op n k alt line outcome call out tried results
	local -a ops
	mapfile -t ops < <(LD_PRELOAD=$preload "$driver" list | of_library)
	if [ "${#ops[@]}" = 0 ]; then
		echo "FAIL: $label: the driver lists no operation of ${library:-any library}" >&2
		exit 1
	fi
	echo "== $label: ${#ops[@]} operations${library:+ of lib$library}"
	for op in "${ops[@]}"; do
		rm -f "$work/count"
		line=$(VQ_FAULT_LOG=$work/count injected "$driver" "$op") || {
			echo "FAIL: $label $op: the run with no fault is not clean: $line" >&2
			failures=$((failures + 1))
			continue
		}
		# The points (the count log's non-empty lines) and those with a
		# second errno ("K CALL ... alt").
		n=0
		declare -A has_alt=()
		[ -e "$work/count" ] || : > "$work/count"
		while IFS= read -r line || [ -n "$line" ]; do
			[ -n "$line" ] || continue
			n=$((n + 1))
			if [[ $line =~ ^([0-9]+)\ .*\ alt$ ]]; then has_alt[${BASH_REMATCH[1]}]=1; fi
		done < "$work/count"
		tried=0
		declare -A seen=()
		for alt in 0 1; do
			for k in $(pick "$n"); do
				if [ "$alt" = 1 ] && [ -z "${has_alt[$k]:-}" ]; then
					continue
				fi
				tried=$((tried + 1))
				run_one "$driver" "$op" "$k" "$alt"
				# The driver's result (its line is "OP result=NAME ..."), else
				# the line itself.
				result=$out
				if [[ $out =~ ^[^\ ]+\ result=([A-Z_0-9]+) ]]; then result=${BASH_REMATCH[1]}; fi
				[ -n "$result" ] || result="-"
				if [ "$outcome" = clean ] || [ "$outcome" = libqb ]; then
					[ "$outcome" = clean ] || result="$result+libqb-fd"
					seen["$result"]=$(( ${seen["$result"]:-0} + 1 ))
				else
					seen["$outcome"]=$(( ${seen["$outcome"]:-0} + 1 ))
					echo "   $label $op point $k (${call}): $outcome: $out"
					if [ "$label" = ours ]; then
						failures=$((failures + 1))
					fi
				fi
			done
		done
		unset has_alt
		results=""
		for r in "${!seen[@]}"; do
			results+=" $r x${seen[$r]}"
		done
		printf '%-26s %3d points, %3d runs:%s\n' "$op" "$n" "$tried" "$results"
		unset seen
	done
}

# libqb's client alone: the points where it leaves an fd open (or closes
# one it never opened) by itself, the evidence for the libqb exemptions.
qb_alone() {
	local n k out call
	rm -f "$work/count"
	VQ_FAULT_LOG=$work/count LD_PRELOAD=$preload "$dir/qb_only" > /dev/null
	n=$(grep -c . "$work/count" || true)
	echo "== libqb alone (qb_only): $n points of qb_ipcc_connect"
	for ((k = 1; k <= n; k++)); do
		rm -f "$work/log"
		out=$(VQ_FAULT_AT=$k VQ_FAULT_LOG=$work/log injected "$dir/qb_only")
		call=$(failed_call "$work/log")
		if [[ $out != *"fd_delta=0" ]]; then
			echo "   point $k ($call): $out"
		fi
	done
}

start=$SECONDS
walk "$dir/fault_driver" ours
[ "$asan" = 1 ] || [ "${library:-votequorum}" != votequorum ] || qb_alone
if [ "$ours_only" = 0 ]; then
	walk "$dir/fault_driver_ref" reference
fi
echo "walk: $((SECONDS - start)) s$([ "$asan" = 0 ] || echo ", under ASan+LSan"); log: $log"
rm -rf "$work"
if [ "$failures" != 0 ]; then
	echo "FAIL: $failures runs of our library did not end clean (above)" >&2
	exit 1
fi
echo "faults: every point of our library ended clean"
