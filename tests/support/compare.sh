#!/bin/bash
# Shell helpers for the tests that run one program on two libraries and
# compare its output (source it):
#   vq_mask FILE          corosync-quorumtool's output with dates masked
#   vq_compare NAME REF OURS
#                         prints "same: NAME (N lines)" and returns 0 when
#                         the files are equal, else "DIFFERENT: NAME" and
#                         the diff, and returns 1; with VQ_SHOW set it also
#                         prints OURS.
#   vq_compare_scenarios WHAT REFLIB OURLIB WORKDIR SCENARIO...
#                         runs each SCENARIO ("NAME|FRESH|SNIPPET") with
#                         the caller's
#                         run_with LIBDIR FRESH SNIPPET OUTFILE, on REFLIB
#                         then OURLIB, and compares the two (vq_compare);
#                         prints "WHAT: N of M scenarios print the same"
#                         and returns 1 unless all do.
#   vq_wait_lines FILE N  waits (up to 10 s) until FILE, which a program in
#                         the background writes, has N lines; if it never
#                         does, appends a line saying so (so the output
#                         being compared shows it). Exported, for bash -c.

vq_mask() {  # FILE
	sed -E -e 's/^(Date: +).*/\1<date>/' \
		-e 's/[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4}/<date>/g' "$1"
}

vq_compare() {  # NAME REF OURS
	local status=0
	if cmp -s "$2" "$3"; then
		echo "same: $1 ($(wc -l < "$3") lines)"
	else
		echo "DIFFERENT: $1"
		diff "$2" "$3" | sed 's/^/    /' || true
		status=1
	fi
	if [ -n "${VQ_SHOW:-}" ]; then sed 's/^/    | /' "$3"; fi
	return "$status"
}

vq_compare_scenarios() {  # WHAT REFLIB OURLIB WORKDIR SCENARIO...
	local what=$1 reflib=$2 ourlib=$3 work=$4 s name rest fresh snippet fail=0 n=0
	shift 4
	for s in "$@"; do
		name=${s%%|*}
		rest=${s#*|}
		fresh=${rest%%|*}
		snippet=${rest#*|}
		n=$((n + 1))
		run_with "$reflib" "$fresh" "$snippet" "$work/ref"
		run_with "$ourlib" "$fresh" "$snippet" "$work/ours"
		vq_compare "$name" "$work/ref" "$work/ours" || fail=$((fail + 1))
	done
	echo "$what: $((n - fail)) of $n scenarios print the same"
	[ "$fail" -eq 0 ]
}

vq_wait_lines() {  # FILE N
	for _ in $(seq 1 500); do
		if [ "$(wc -l < "$1")" -ge "$2" ]; then return 0; fi
		sleep 0.02
	done
	echo "(fewer than $2 lines)" >> "$1"
}
export -f vq_wait_lines
