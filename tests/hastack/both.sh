#!/bin/bash
# The hastack scenario (hastack.sh) twice at once, in two separate
# clusters: sbd on our library and sbd on Debian's. Each run's log is
# printed whole after both end; the test fails if either fails or if their
# outcomes differ.
#
#   both.sh MONITOR BIN OURS REFERENCE_LIBDIR
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
monitor=$1 bin=$2 ours=$3 reference=$4
work=$(mktemp -d /tmp/vq-hastack.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() {  # NAME LIBDIR LABEL
	VQ_HASTACK_OUTCOME=$work/$1.outcome "$here/hastack.sh" "$monitor" "$bin" "$2" "$3" > "$work/$1.log" 2>&1
}
run ours "$ours" ours & ours_pid=$!
run debian "$reference" "Debian's" & debian_pid=$!
ours_status=0 debian_status=0
wait "$ours_pid" || ours_status=$?
wait "$debian_pid" || debian_status=$?
echo "---------------- sbd on our library"
cat "$work/ours.log"
echo "---------------- sbd on Debian's library"
cat "$work/debian.log"
echo "----------------"
if [ "$ours_status" != 0 ] || [ "$debian_status" != 0 ]; then
	echo "FAIL: the run on our library exited $ours_status, the one on Debian's $debian_status" >&2
	exit 1
fi
if ! diff -u --label "Debian's library" --label "our library" "$work/debian.outcome" "$work/ours.outcome"; then
	echo "FAIL: the outcomes differ (above)" >&2
	exit 1
fi
echo "same outcome on both libraries, $(wc -l < "$work/ours.outcome") observations:"
sed 's/^/    /' "$work/ours.outcome"
