#!/bin/bash
# Runs shellcheck (Debian's package) over every shell script of the tree
# (debian/'s maintainer scripts and executable tests included), at
# warning level and above, following sourced files. Fails on any finding,
# and when it finds no script at all. One more rule of ours: no pipe into
# `grep -q`, which exits at the first match; under pipefail the writer then
# dies of SIGPIPE and the pipeline fails although the line was found (give
# grep a here-string, or send its output to /dev/null).
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v shellcheck > /dev/null || { echo "FAIL: shellcheck is missing (tests/setup.sh installs it)" >&2; exit 1; }
mapfile -t scripts < <(cd "$top" && find . -path ./.git -prune -o -path './build*' -prune -o \
	\( -name '*.sh' -o -path ./.ci/run -o \( -path './debian/tests/*' -perm -u=x \) \
	-o -path './debian/*.preinst' -o -path './debian/*.postrm' \) -type f -print | sort)
if [ "${#scripts[@]}" -lt 20 ]; then
	echo "FAIL: only ${#scripts[@]} scripts found under $top" >&2
	exit 1
fi
(cd "$top" && shellcheck -x -S warning "${scripts[@]}")
if piped=$(cd "$top" && grep -nE '(^|[^|])\|[[:space:]]*grep[[:space:]]+-[a-zA-Z]*q' "${scripts[@]}"); then
	echo "FAIL: a pipe into grep -q (see above):" >&2
	printf '%s\n' "$piped" >&2
	exit 1
fi
echo "shellcheck: ${#scripts[@]} scripts, no finding"
