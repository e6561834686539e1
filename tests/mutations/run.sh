#!/bin/bash
# The mutation check: each line of mutations.tsv is a one-line bug of a kind
# a reviewer fears (NAME, FILE, the exact text, what it becomes). For each,
# this script puts the bug into a scratch copy of the tree, rebuilds, and
# runs the test tiers from the fastest until one fails: the bug is caught by
# that tier. Every bug must be caught. Slow (a rebuild and up to every tier
# per bug), so it runs outside CI:
#   tests/mutations/run.sh [NAME...]      (as root, after tests/setup.sh)
# Settings: VQ_MUTATION_TIERS (ctest label regexes tried in order), and the
# main-line prefix from tests/mainline/build.sh when it can build one.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
list=$top/tests/mutations/mutations.tsv
read -r -a tiers <<<"${VQ_MUTATION_TIERS:-unit fake abi cpp system faults conformance cluster}"
scratch=$(mktemp -d /tmp/vq-mutations.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

mainline=""
status=0
mainline=$("$top/tests/mainline/build.sh") || status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || exit "$status"

# The scratch tree has no ../shared beside it: the fake server's corosync
# headers (tests/support/corosync_ipc.cmake) come from the same tarball.
export VQ_MAINLINE_TARBALL=${VQ_MAINLINE_TARBALL:-$top/../shared/upstream/corosync-65235a81.tar.gz}
echo "mutations: copying the tree to $scratch and building it once"
tar -C "$top" --exclude='./build*' --exclude=./.git --exclude=./.cache -cf - . | tar -C "$scratch" -xf -
cp -r "$top/.cache" "$scratch/.cache"
cmake -S "$scratch" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVQ_MAINLINE_PREFIX="$mainline" > /dev/null
cmake --build "$scratch/build" -j"$(nproc)" > /dev/null

caught=0 total=0 missed=()
while IFS=$'\t' read -r name file from to; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
	total=$((total + 1))
	target=$scratch/$file
	cp "$target" "$scratch/original"
	# Literal replacement; the text must occur exactly once.
	count=$(grep -cF -- "$from" "$target" || true)
	if [ "$count" != 1 ]; then
		echo "FAIL: $name: the text occurs $count times in $file, not once (update mutations.tsv)" >&2
		exit 1
	fi
	FROM=$from TO=$to perl -pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$target"
	result="NOT CAUGHT"
	if ! cmake --build "$scratch/build" -j"$(nproc)" > "$scratch/build.log" 2>&1; then
		result="caught by the build"
	else
		for tier in "${tiers[@]}"; do
			if ! (cd "$scratch/build" && ctest -L "^$tier\$" -j"$(nproc)" --stop-on-failure --no-tests=error > "$scratch/$name.$tier.log" 2>&1); then
				failed=$(grep -m 1 -E '\(Failed|\(Timeout|\(SEGFAULT|\(Subprocess aborted|\(Child aborted' "$scratch/$name.$tier.log" | sed -E 's/^[[:space:]]*[0-9]+ - //' || true)
				result="caught by $tier: $failed"
				break
			fi
		done
	fi
	cp "$scratch/original" "$target"
	printf '%-30s %s\n' "$name" "$result"
	if [[ $result == "NOT CAUGHT" ]]; then
		missed+=("$name")
	else
		caught=$((caught + 1))
	fi
done < "$list"
cmake --build "$scratch/build" -j"$(nproc)" > /dev/null
echo "mutations: $caught of $total caught${missed[*]:+; missed: ${missed[*]}}"
[ "$total" -gt 0 ] && [ "$caught" -eq "$total" ]
