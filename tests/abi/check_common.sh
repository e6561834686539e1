#!/bin/bash
# libcorosync_common.so.4 against Debian's: the probe (linked to Debian's
# library) runs on each; it must load the library each side names, and
# every answer of the three functions must be the same.
#   check_common.sh PROBE OUR_LIBDIR
set -euo pipefail
shopt -s inherit_errexit
probe=$1 ours=$(cd "$2" && pwd)
theirs=$(LD_LIBRARY_PATH='' "$probe")
mine=$(LD_LIBRARY_PATH=$ours "$probe")
from_theirs=$(head -n 1 <<<"$theirs") from_mine=$(head -n 1 <<<"$mine")
if [[ $from_theirs == "from $ours/"* ]]; then
	echo "FAIL: the reference side loaded ours ($from_theirs)" >&2
	exit 1
fi
if [[ $from_mine != "from $ours/libcorosync_common.so.4" ]]; then
	echo "FAIL: our side did not load our library ($from_mine)" >&2
	exit 1
fi
answers=$(tail -n +2 <<<"$mine" | wc -l)
if [ "$answers" -lt 500 ]; then
	echo "FAIL: only $answers answers from the probe" >&2
	exit 1
fi
if ! diff -u <(tail -n +2 <<<"$theirs") <(tail -n +2 <<<"$mine"); then
	echo "FAIL: our libcorosync_common answers differently from Debian's (- Debian's, + ours)" >&2
	exit 1
fi
echo "ok: $answers answers of cs_strerror, qb_to_cs_error and hdb_error_to_cs are Debian's"
