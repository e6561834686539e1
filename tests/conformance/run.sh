#!/bin/bash
# The conformance suite: every scenario of the driver, run once on Debian's
# libvotequorum8 and once on ours, each against a fresh server of its kind
# (a private corosync, none, or the scripted fake server), traces compared.
# Scenarios named in DIFFERENCES.md are declared differences: their traces
# may (and should) differ, and both are shown. Any other difference fails.
#   run.sh DRIVER FAKE_SERVER OUR_LIBDIR OUT_DIR [SCENARIO...]
set -euo pipefail
driver=$(readlink -f "$1") fake=$(readlink -f "$2") ourlib=$(cd "$3" && pwd) out=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
harness=$here/../support/private-corosync.sh
mkdir -p "$out"
declared=$( (grep -oE '^\| `[a-z0-9_]+`' "$here/DIFFERENCES.md" || true) | tr -d '|` ')

run_one() {  # NAME SERVER LIBDIR OUTFILE
	local name=$1 server=$2 lib=$3 file=$4
	case $server in
	real)
		"$harness" bash -c 'VQ_DAEMON_PID=$(pgrep -x corosync) LD_LIBRARY_PATH='"$lib"' '"$driver"' '"$name" > "$file" 2>&1 ;;
	none)
		"$harness" --no-start bash -c 'LD_LIBRARY_PATH='"$lib"' '"$driver"' '"$name" > "$file" 2>&1 ;;
	fake:*)
		local spec=${server#fake:}
		"$harness" --no-start bash -c '
			coproc server { exec '"$fake"' '"${spec%%:*}"' '"$( [[ $spec == *:nobody ]] && echo nobody )"'; }
			read -r ready <&"${server[0]}"
			[ "$ready" = ready ] || { echo "fake server did not start"; exit 1; }
			LD_LIBRARY_PATH='"$lib"' '"$driver"' '"$name"'
			kill $server_PID' > "$file" 2>&1 ;;
	esac
}

total=0 same=0 differ_declared=0 fail=0
while read -r name server; do
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
	total=$((total + 1))
	run_one "$name" "$server" "" "$out/$name.reference"
	run_one "$name" "$server" "$ourlib" "$out/$name.ours"
	is_declared=0
	grep -qx "$name" <<<"$declared" && is_declared=1
	if cmp -s "$out/$name.reference" "$out/$name.ours"; then
		same=$((same + 1))
		if [ $is_declared = 1 ]; then
			echo "same (declared as a difference, but none showed): $name"
		else
			echo "same: $name"
		fi
	elif [ $is_declared = 1 ]; then
		differ_declared=$((differ_declared + 1))
		echo "declared difference: $name"
		diff --label reference --label ours -u "$out/$name.reference" "$out/$name.ours" | tail -n +3 | sed 's/^/    /' || true
	else
		fail=$((fail + 1))
		echo "UNDECLARED DIFFERENCE: $name"
		diff --label reference --label ours -u "$out/$name.reference" "$out/$name.ours" | tail -n +3 | sed 's/^/    /' || true
	fi
done < <("$driver" --list)
echo
echo "conformance: $total scenarios, $same identical, $differ_declared declared differences, $fail undeclared differences"
[ "$fail" -eq 0 ]
