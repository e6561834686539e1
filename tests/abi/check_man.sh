#!/bin/bash
# The manual pages: every one renders with groff without a warning, every
# exported call has a page, and each page's SYNOPSIS prototype is the
# header's declaration (compared with all white space removed).
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
header=$top/include/corosync/votequorum.h
command -v groff >/dev/null || { echo "FAIL: groff is missing (tests/setup.sh installs it)" >&2; exit 1; }
fail=0
pages=0
for page in "$top"/man/*.3 "$top"/man/*.8; do
	pages=$((pages + 1))
	warnings=$(groff -man -ww -z "$page" 2>&1 || true)
	if [ -n "$warnings" ]; then
		echo "FAIL: $(basename "$page"): groff warns: $warnings"
		fail=1
	fi
done
for fn in $(grep -E '^\s+votequorum_[a-z_]+;' "$top/cmake/libvotequorum.map" | tr -d ' \t;'); do
	page=$top/man/$fn.3
	if [ ! -f "$page" ]; then
		echo "FAIL: no manual page for $fn"
		fail=1
		continue
	fi
	for section in NAME SYNOPSIS DESCRIPTION "RETURN VALUE" ERRORS "THREAD SAFETY" "SEE ALSO"; do
		if ! grep -q "^\.SH $section\$" "$page"; then
			echo "FAIL: $fn: no $section section"
			fail=1
		fi
	done
	# The .BI line of the SYNOPSIS, its alternating fonts joined.
	synopsis=$(awk '/^\.SH SYNOPSIS/ { s = 1; next } /^\.SH/ { s = 0 } s && /^\.BI / { sub(/^\.BI /, ""); print }' "$page" | tr -d '"[:space:]')
	declared=$(awk -v fn="$fn" '$0 ~ "^cs_error_t " fn " \\(" { s = 1 } s { print } s && /\);/ { exit }' "$header" | tr -d '[:space:]')
	if [ -z "$declared" ] || [ "$synopsis" != "$declared" ]; then
		echo "FAIL: $fn: SYNOPSIS differs from the header"
		echo "    page:   $synopsis"
		echo "    header: $declared"
		fail=1
	fi
done
[ "$fail" = 0 ] && echo "man: $pages pages render cleanly; 19 call pages have every section and a SYNOPSIS matching the header"
exit $fail
