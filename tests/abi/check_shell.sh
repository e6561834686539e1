#!/bin/bash
# Runs shellcheck (Debian's package) over every shell script of the tree, at
# warning level and above, following sourced files. Fails on any finding,
# and when it finds no script at all.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v shellcheck > /dev/null || { echo "FAIL: shellcheck is missing (tests/setup.sh installs it)" >&2; exit 1; }
mapfile -t scripts < <(cd "$top" && find . -path ./.git -prune -o -path './build*' -prune -o \
	\( -name '*.sh' -o -path ./.ci/run \) -type f -print | sort)
if [ "${#scripts[@]}" -lt 20 ]; then
	echo "FAIL: only ${#scripts[@]} scripts found under $top" >&2
	exit 1
fi
(cd "$top" && shellcheck -x -S warning "${scripts[@]}")
echo "shellcheck: ${#scripts[@]} scripts, no finding"
