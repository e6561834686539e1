#!/bin/bash
# The guard for new calls: the exported calls are those of the version
# script (cmake/libvotequorum.map), and each must appear in every place a
# call belongs (HACKING.md lists them): the header, a manual page, the
# header check that links every call, the bad-handle test of every call
# (all but the two initializers, which take no handle), the conformance
# driver's every_call_on() (the 1.0 calls that take a handle; the driver
# looks the 1.1 calls up at run time), and a row of tests/abi/calls.tsv
# naming its C++ API member (or why there is none), which client.hpp must
# declare. Fails, naming each gap, when a call is missing anywhere.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
mapfile -t calls < <(grep -oE '^\s+votequorum_[a-z_]+;' "$top/cmake/libvotequorum.map" | tr -d ' \t;')
mapfile -t v10 < <(sed -n '/COROSYNC_VOTEQUORUM_1.0/,/}/p' "$top/cmake/libvotequorum.map" | grep -oE 'votequorum_[a-z_]+')
if [ "${#calls[@]}" -lt 19 ]; then
	echo "FAIL: only ${#calls[@]} calls read from the version script" >&2
	exit 1
fi
# The text of one test case of a Catch2 file, or of one C function.
section() {  # FILE START_PATTERN
	awk -v start="$2" 'index($0, start) { s = 1 } s && /^}/ { print; exit } s { print }' "$1"
}
every_call=$(section "$top/tests/fake/api_test.cpp" 'TEST_CASE("bad handles and NULL pointers, for every call"')
driver_every=$(section "$top/tests/conformance/vq_helpers.c" 'void every_call_on(')
cpp_header=$top/include/votequorum/client.hpp
gaps=()
for call in "${calls[@]}"; do
	grep -qE "^cs_error_t $call \(" "$top/include/corosync/votequorum.h" || gaps+=("$call: not declared in include/corosync/votequorum.h")
	[ -f "$top/man/$call.3" ] || gaps+=("$call: no manual page man/$call.3")
	grep -qE "\b$call\(" "$top/tests/abi/header_check.c" || gaps+=("$call: not called in tests/abi/header_check.c")
	case $call in
	votequorum_initialize | votequorum_model_initialize) ;;
	*) grep -qE "\b$call\(h\b" <<<"$every_call" || gaps+=("$call: not in the fake test \"bad handles and NULL pointers, for every call\"") ;;
	esac
	if grep -qx "$call" < <(printf '%s\n' "${v10[@]}") && [ "$call" != votequorum_initialize ]; then
		grep -qE "\b$call\(h\b" <<<"$driver_every" || gaps+=("$call: not in the conformance driver's every_call_on()")
	fi
	row=$(awk -F'\t' -v c="$call" '$1 == c' "$top/tests/abi/calls.tsv")
	if [ -z "$row" ]; then
		gaps+=("$call: no row in tests/abi/calls.tsv (its C++ API member)")
	else
		member=$(cut -f2 <<<"$row")
		why=$(cut -f3 <<<"$row")
		if [ "$member" = - ]; then
			[ -n "$why" ] || gaps+=("$call: calls.tsv gives no C++ member and no reason")
		elif ! grep -qE "[ *&]$member\(" "$cpp_header"; then
			gaps+=("$call: client.hpp declares no member $member()")
		fi
	fi
done
rows=$(grep -cvE '^#' "$top/tests/abi/calls.tsv")
[ "$rows" = "${#calls[@]}" ] || gaps+=("tests/abi/calls.tsv has $rows rows for ${#calls[@]} calls")
if [ "${#gaps[@]}" -gt 0 ]; then
	printf 'FAIL: %s\n' "${gaps[@]}" >&2
	exit 1
fi
echo "calls: all ${#calls[@]} exported calls are in the header, the man pages, the header check, the every-call tests and the C++ API table"
