#!/bin/bash
# The conformance suite: every scenario of a driver, run on two libraries,
# each run against a fresh server of its kind (a private corosync, none, or
# the scripted fake server), traces compared line by line. A PAIR names the
# two sides, and the driver (driver.c: votequorum; quorum_driver.c: quorum):
#   debian           Debian's corosync 3.1.7: Debian's libvotequorum8
#                    against ours
#   mainline         corosync's main line (tests/mainline/build.sh): its
#                    libvotequorum against ours
#   fake             ours on both sides, the ABI 1.1 ("mainline") scenarios
#                    run against the main-line daemon and against the fake
#                    server's "faithful" script: the fake must behave as the
#                    daemon does
#   quorum-debian    Debian's corosync 3.1.7: Debian's libquorum5 against ours
#   quorum-mainline  the main line: its libquorum against ours
#   cmap-debian      Debian's corosync 3.1.7: Debian's libcmap4 against ours
#                    (cmap_driver.c)
#   cmap-mainline    the main line: its libcmap against ours
# The driver's table says which pairs run each scenario (`driver --list`:
# "NAME SERVER PAIRS"); it is the one list, and a full run fails unless the
# pair ran, on both sides, every scenario the table lists for it.
# Scenarios listed for the pair in DIFFERENCES.md are declared differences:
# they must differ, and our side's trace must be the one committed in
# pinned/PAIR/NAME (ring ids masked), so a declared scenario still checks
# what ours does. Any other difference fails the run, and so do a declared
# scenario that shows none, a row naming no scenario of the pair, a pinned
# trace of no declared scenario, and a run that did not load the libraries
# it names. VQ_PIN=1 rewrites the pinned traces from this run.
#
#   run.sh PAIR DRIVER FAKE_SERVER OUR_LIBDIR OUT_DIR [MAINLINE_PREFIX] [SCENARIO...]
#       runs the named scenarios, or all of them (then every scenario the
#       table lists for the pair must have run)
#   run.sh --list PAIR DRIVER
#       prints the scenarios PAIR runs, one name per line (ctest defines a
#       test per scenario from it: tests/conformance/discover.cmake)
#   run.sh --check PAIR DRIVER FAKE_SERVER OUR_LIBDIR OUT_DIR [MAINLINE_PREFIX]
#       runs nothing: checks the libraries each side loads, the driver's
#       table (known pairs, unique names) and that every declared
#       difference and pinned trace names a scenario of the pair
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
mode=run
case ${1:-} in
--list | --check) mode=${1#--}; shift ;;
esac

pairs="debian mainline fake quorum-debian quorum-mainline cmap-debian cmap-mainline"

# The scenarios the driver's table lists for PAIR, as "NAME SERVER" lines,
# into the array `selected`.
select_scenarios() {  # PAIR DRIVER
	local name server in_pairs
	selected=()
	while read -r name server in_pairs; do
		if [[ ,$in_pairs, == *,"$1",* ]]; then selected+=("$name $server"); fi
	done < <("$2" --list)
	if [ "${#selected[@]}" -eq 0 ]; then
		echo "FAIL: the table of $2 lists no scenario for the $1 pair" >&2
		return 1
	fi
}

if [ "$mode" = list ]; then
	select_scenarios "$1" "$2"
	printf '%s\n' "${selected[@]%% *}"
	exit 0
fi

pair=$1 driver=$(readlink -f "$2") fake=$(readlink -f "$3") ourlib=$(cd "$4" && pwd) out=$5
mainline=${6:-}
harness=$here/../support/private-corosync.sh
mkdir -p "$out"

case $pair in
debian | quorum-debian | cmap-debian) reflib="" daemon_prefix=${VQ_COROSYNC_PREFIX:-} ;;  # set: another Debian daemon (tests/cross)
mainline | fake | quorum-mainline | cmap-mainline)
	[ -n "$mainline" ] || { echo "FAIL: pair $pair needs the main-line prefix" >&2; exit 1; }
	daemon_prefix=$mainline reflib=$mainline/lib
	[ "$pair" != fake ] || reflib=$ourlib ;;
*) echo "usage: run.sh ${pairs// /|} DRIVER FAKE OUR_LIBDIR OUT [MAINLINE_PREFIX]" >&2; exit 2 ;;
esac

# Positive control: each side loads the library it names, and it is the
# library of the pair's service (the driver's --which names the file that
# defines its first call): libcmap.so.4 for a cmap pair, libquorum.so.5
# for a quorum pair, libvotequorum.so.8 for the others.
case $pair in
cmap-*) libname=libcmap.so.4 ;;
quorum-*) libname=libquorum.so.5 ;;
*) libname=libvotequorum.so.8 ;;
esac
which_lib() {  # LIBDIR
	local file
	file=$(LD_LIBRARY_PATH=$1 "$driver" --which)
	if [[ $(basename "$file") != "$libname"* ]] && [[ $(basename "$(readlink -m "$file")") != "$libname"* ]]; then
		echo "FAIL: the driver's calls come from $file, not from $libname" >&2
		return 1
	fi
	echo "$file"
}
ours_file=$(which_lib "$ourlib") || exit 1
ours_loaded=$(readlink -f "$ours_file")
if [[ $ours_loaded != "$ourlib"/* ]]; then
	echo "FAIL: with LD_LIBRARY_PATH=$ourlib the driver loads $ours_loaded" >&2
	exit 1
fi
ref_file=$(which_lib "$reflib") || exit 1
ref_loaded=$(readlink -m "$ref_file")  # -m: the file may be a foreign root's (tests/cross)
if [[ $pair == *mainline ]] && [[ $ref_loaded != "$(readlink -f "$reflib")"/* ]]; then
	echo "FAIL: the main-line side loads $ref_loaded, not the main line's library" >&2
	exit 1
fi
if [ "$pair" = fake ] && [ "$ref_loaded" != "$ours_loaded" ]; then
	echo "FAIL: the fake pair must run ours on both sides, not $ref_loaded" >&2
	exit 1
fi
if [[ $pair == *debian ]] && [[ $ref_loaded != /usr/lib/* ]]; then
	echo "FAIL: the Debian side loads $ref_loaded" >&2
	exit 1
fi

# The declared differences of this pair: the table under "## Pair: PAIR".
declared=$(awk -v pair="$pair" '
	/^## / { in_pair = ($0 == "## Pair: " pair) }
	in_pair && /^\| `[a-z0-9_]+`/ { name = $2; gsub(/`/, "", name); print name }' "$here/DIFFERENCES.md")

run_one() {  # NAME SERVER LIBDIR DAEMON_PREFIX OUTFILE
	local name=$1 server=$2 lib=$3 prefix=$4 file=$5
	case $server in
	real | debian | mainline)
		VQ_COROSYNC_PREFIX=$prefix "$harness" bash -c \
			'VQ_DAEMON_PID=$(pgrep -x corosync) LD_LIBRARY_PATH='"$lib"' '"$driver"' '"$name" > "$file" 2>&1 ;;
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

# Which scenarios this pair runs, and on what server each side runs them.
select_scenarios "$pair" "$driver"
selected_names=$(printf '%s\n' "${selected[@]%% *}")
for name in $declared; do
	if ! grep -qx -- "$name" <<<"$selected_names"; then
		echo "FAIL: DIFFERENCES.md declares $name for the $pair pair, which runs no such scenario" >&2
		exit 1
	fi
done
pinned=$here/pinned/$pair
if [ "$mode" = check ]; then
	# The table: every row names known pairs only (a misspelt pair would
	# drop the scenario from every run), and no name twice.
	table=$("$driver" --list)
	while read -r name _ in_pairs; do
		for p in ${in_pairs//,/ }; do
			if [[ " $pairs " != *" $p "* ]]; then
				echo "FAIL: the table of $driver runs $name in an unknown pair \"$p\"" >&2
				exit 1
			fi
		done
	done <<<"$table"
	twice=$(cut -d' ' -f1 <<<"$table" | sort | uniq -d)
	if [ -n "$twice" ]; then
		echo "FAIL: the table of $driver names these scenarios twice: $twice" >&2
		exit 1
	fi
	# A pinned trace belongs to a declared difference of the pair.
	for file in "$pinned"/*; do
		[ -e "$file" ] || continue
		if ! grep -qx -- "$(basename "$file")" <<<"$declared"; then
			echo "FAIL: $file pins a scenario DIFFERENCES.md does not declare for the $pair pair" >&2
			exit 1
		fi
	done
	echo "conformance ($pair): ${#selected[@]} scenarios in the table, $(wc -w <<<"$declared") declared differences, each named"
	echo "  reference side: $ref_loaded; ours: $ours_loaded"
	exit 0
fi
mask() { sed -E 's/ring=[0-9a-f]+\.[0-9a-f]+/ring=<ring>/g; s/ring_seq=[0-9a-f]+/ring_seq=<seq>/g' "$1"; }

total=0 same=0 differ_declared=0 fail=0 ran=""
for entry in "${selected[@]}"; do
	read -r name server <<<"$entry"
	if [ $# -gt 6 ] && [[ " ${*:7} " != *" $name "* ]]; then continue; fi
	total=$((total + 1))
	if [ "$pair" = fake ]; then
		run_one "$name" real "$ourlib" "$daemon_prefix" "$out/$name.reference"
		run_one "$name" fake:faithful "$ourlib" "" "$out/$name.ours"
	else
		run_one "$name" "$server" "$reflib" "$daemon_prefix" "$out/$name.reference"
		run_one "$name" "$server" "$ourlib" "$daemon_prefix" "$out/$name.ours"
	fi
	# Ran: the driver started the scenario on both sides (a harness that
	# failed the same way twice must not pass as "same").
	if [ "$(head -n 1 "$out/$name.reference")" != "== $name" ] || [ "$(head -n 1 "$out/$name.ours")" != "== $name" ]; then
		fail=$((fail + 1))
		echo "FAIL: $name did not run on both sides:"
		head -n 5 "$out/$name.reference" "$out/$name.ours" | sed 's/^/    /'
		continue
	fi
	ran+="$name"$'\n'
	is_declared=0
	if grep -qx "$name" <<<"$declared"; then is_declared=1; fi
	if cmp -s "$out/$name.reference" "$out/$name.ours"; then
		if [ $is_declared = 1 ]; then
			fail=$((fail + 1))
			echo "SAME BUT DECLARED AS A DIFFERENCE: $name (update DIFFERENCES.md)"
		else
			same=$((same + 1))
			echo "same: $name"
		fi
	elif [ $is_declared = 1 ]; then
		if [ "${VQ_PIN:-}" = 1 ]; then
			mkdir -p "$pinned"
			mask "$out/$name.ours" > "$pinned/$name"
		fi
		if [ ! -f "$pinned/$name" ]; then
			fail=$((fail + 1))
			echo "FAIL: $name: no pinned trace of ours in $pinned (VQ_PIN=1 writes it)"
		elif ! cmp -s "$pinned/$name" <(mask "$out/$name.ours"); then
			fail=$((fail + 1))
			echo "PINNED TRACE CHANGED: $name (a declared difference, but ours no longer does what was pinned)"
			diff --label pinned --label ours -u "$pinned/$name" <(mask "$out/$name.ours") | tail -n +3 | sed 's/^/    /' || true
		else
			differ_declared=$((differ_declared + 1))
			echo "declared difference, ours as pinned: $name"
			diff --label reference --label ours -u "$out/$name.reference" "$out/$name.ours" | tail -n +3 | sed 's/^/    /' || true
		fi
	else
		fail=$((fail + 1))
		echo "UNDECLARED DIFFERENCE: $name"
		diff --label reference --label ours -u "$out/$name.reference" "$out/$name.ours" | tail -n +3 | sed 's/^/    /' || true
	fi
done
echo
echo "conformance ($pair): $total scenarios, $same identical, $differ_declared declared differences, $fail failures"
echo "  reference side: $ref_loaded; ours: $ours_loaded"
if [ $# -gt 6 ] && [ "$total" -ne $(($# - 6)) ]; then
	echo "FAIL: $(($# - 6)) scenarios named, $total of them run by the $pair pair" >&2
	exit 1
fi
if [ $# -le 6 ]; then
	# The one list: the driver's table, read again, against what ran.
	missing=$("$driver" --list | awk -v pair="$pair" 'index("," $3 ",", "," pair ",") { print $1 }' \
		| grep -vxF -f <(printf '%s' "$ran") || true)
	if [ -n "$missing" ]; then
		echo "FAIL: the $pair pair did not run these scenarios of the table: $(tr '\n' ' ' <<<"$missing")" >&2
		exit 1
	fi
fi
if [ $# -le 6 ] && [ "$differ_declared" -ne "$(wc -w <<<"$declared")" ]; then
	echo "FAIL: $differ_declared declared differences seen, $(wc -w <<<"$declared") declared" >&2
	exit 1
fi
[ "$fail" -eq 0 ]
