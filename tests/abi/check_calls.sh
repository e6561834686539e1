#!/bin/bash
# The guard for new calls, per library: the exported calls are those of the
# library's export table (tests/abi/exports-SERVICE.expected, which the
# export test holds equal to the built library), and each must appear in
# every place a call belongs (docs/hacking.md lists them): the header (as
# `cs_error_t name (`, or as cmap.h declares them, `extern cs_error_t
# name (` or `name(`), a manual page, the header check that links every
# call, the fake test of every call with bad handles (all but the
# initializers, which take no handle), the conformance driver's every-call
# function (the calls that take a handle; for votequorum the 1.0 ones, the
# driver looks the 1.1 calls up at run time), and a row of tests/abi/calls.tsv naming its C++ API
# member (or why there is none), which the client's header must declare.
# libcorosync_common is not checked here: its three calls take no handle
# and have no C++ member (check_man.sh checks their pages). Fails, naming
# each gap, when a call is missing anywhere.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)

# The text of one test case of a Catch2 file, or of one C function.
section() {  # FILE START_PATTERN
	awk -v start="$2" 'index($0, start) { s = 1 } s && /^}/ { print; exit } s { print }' "$1"
}

gaps=()
total=0
# SERVICE FAKE_TEST_FILE DRIVER_FILE DRIVER_FUNCTION CPP_HEADER MIN_CALLS INITIALIZERS...
check_service() {
	local service=$1 fake=$2 driver=$3 driver_fn=$4 cpp_header=$5 min=$6
	shift 6
	local initializers=" $* " call row member why in_driver
	local -a calls
	mapfile -t calls < <(awk '$1 != $2 { print $2 }' "$top/tests/abi/exports-$service.expected")
	if [ "${#calls[@]}" -lt "$min" ]; then
		gaps+=("$service: only ${#calls[@]} calls read from tests/abi/exports-$service.expected")
		return
	fi
	local every_call driver_every
	every_call=$(section "$top/tests/fake/$fake" "bad handles and NULL pointers, for every call\"")
	[ -n "$every_call" ] || gaps+=("$service: tests/fake/$fake has no test \"... bad handles and NULL pointers, for every call\"")
	driver_every=$(section "$top/tests/conformance/$driver" "void $driver_fn(")
	[ -n "$driver_every" ] || gaps+=("$service: tests/conformance/$driver has no $driver_fn()")
	for call in "${calls[@]}"; do
		grep -qE "^(extern )?cs_error_t $call ?\(" "$top/include/corosync/$service.h" || gaps+=("$call: not declared in include/corosync/$service.h")
		[ -f "$top/man/$call.3" ] || gaps+=("$call: no manual page man/$call.3")
		grep -qE "\b$call\(" "$top/tests/abi/header_check.c" || gaps+=("$call: not called in tests/abi/header_check.c")
		if [[ $initializers != *" $call "* ]]; then
			grep -qE "\b$call\(h\b" <<<"$every_call" || gaps+=("$call: not in the fake test \"bad handles and NULL pointers, for every call\" of tests/fake/$fake")
			in_driver=1
			# votequorum's 1.1 calls are looked up at run time by the driver.
			[ "$service" != votequorum ] || grep -qE "^COROSYNC_VOTEQUORUM_1.0 $call\$" "$top/tests/abi/exports-$service.expected" || in_driver=0
			if [ "$in_driver" = 1 ]; then
				grep -qE "\b$call\(h\b" <<<"$driver_every" || gaps+=("$call: not in the conformance driver's $driver_fn()")
			fi
		fi
		row=$(awk -F'\t' -v c="$call" '$1 == c' "$top/tests/abi/calls.tsv")
		if [ -z "$row" ]; then
			gaps+=("$call: no row in tests/abi/calls.tsv (its C++ API member)")
		else
			member=$(cut -f2 <<<"$row")
			why=$(cut -f3 <<<"$row")
			if [ "$member" = - ]; then
				[ -n "$why" ] || gaps+=("$call: calls.tsv gives no C++ member and no reason")
			elif ! grep -qE "[ *&]$member\(" "$top/include/$cpp_header" "$top/include/corosync/client.hpp"; then
				gaps+=("$call: neither include/$cpp_header nor the clients' base (include/corosync/client.hpp) declares a member $member()")
			fi
		fi
	done
	total=$((total + ${#calls[@]}))
	echo "calls: all ${#calls[@]} calls of lib$service are in the header, the man pages, the header check, the every-call tests and the C++ API table"
}

check_service votequorum votequorum_test.cpp vq_helpers.c every_call_on votequorum/client.hpp 19 \
	votequorum_initialize votequorum_model_initialize
check_service quorum quorum_test.cpp quorum_driver.c every_quorum_call_on quorum/client.hpp 10 \
	quorum_initialize quorum_model_initialize
check_service cmap cmap_test.cpp cmap_driver.c every_cmap_call_on cmap/client.hpp 39 \
	cmap_initialize cmap_initialize_map
rows=$(grep -cvE '^#' "$top/tests/abi/calls.tsv")
[ "$rows" = "$total" ] || gaps+=("tests/abi/calls.tsv has $rows rows for $total calls")
if [ "${#gaps[@]}" -gt 0 ]; then
	printf 'FAIL: %s\n' "${gaps[@]}" >&2
	exit 1
fi
