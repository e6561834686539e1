#!/bin/bash
# A hastack scenario twice at once, in two separate clusters: the stack on
# our library and the stack on Debian's. Each run's log is printed whole
# after both end, then the table of both runs' times; the test fails if
# either run fails or if their outcomes differ.
#
#   both.sh SCENARIO MONITOR BIN OURS REFERENCE_LIBDIR
#
# SCENARIO is a script of this folder that takes MONITOR BIN LIBDIR LABEL
# (hastack.sh, pacemaker_quorum.sh) and writes its observations, one a
# line, to $VQ_HASTACK_OUTCOME, and its times (WHAT, a tab, the seconds)
# to $VQ_HASTACK_TIMES.
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
scenario=$1 monitor=$2 bin=$3 ours=$4 reference=$5
work=$(mktemp -d /tmp/vq-hastack.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() {  # NAME LIBDIR LABEL
	: > "$work/$1.times"
	VQ_HASTACK_OUTCOME=$work/$1.outcome VQ_HASTACK_TIMES=$work/$1.times \
		"$here/$scenario" "$monitor" "$bin" "$2" "$3" > "$work/$1.log" 2>&1
}
run ours "$ours" ours & ours_pid=$!
run debian "$reference" "Debian's" & debian_pid=$!
ours_status=0 debian_status=0
wait "$ours_pid" || ours_status=$?
wait "$debian_pid" || debian_status=$?
echo "---------------- $scenario on our library"
cat "$work/ours.log"
echo "---------------- $scenario on Debian's library"
cat "$work/debian.log"
echo "----------------"
# The times, in our run's order (a step only one run reached shows - in
# the other's column).
echo "| step | ours | Debian's |"
echo "|---|---|---|"
awk -F'\t' 'NR == FNR { debian[$1] = $2; order[++n] = $1; next }
	{ printf "| %s | %s s | %s |\n", $1, $2, ($1 in debian) ? debian[$1] " s" : "-"; seen[$1] = 1 }
	END { for (i = 1; i <= n; i++) if (!(order[i] in seen)) printf "| %s | - | %s s |\n", order[i], debian[order[i]] }' \
	"$work/debian.times" "$work/ours.times"
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
