#!/bin/bash
# The manual pages, of both libraries (libvotequorum: votequorum_*.3 and
# votequorum-monitor.8; libquorum: quorum_*.3): every page renders with
# groff without a warning; every call of each library (its header's
# declarations and its version script's names) has a page with every
# section, whose SYNOPSIS prototype is the header's declaration (compared
# with all white space removed); each library's overview names every call
# page; and every reference to a page of ours (votequorum*, quorum_*) in any
# page names a page that exists in man/ (votequorum(5) is corosync's).
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/../.." && pwd)
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

# LIBRARY PREFIX HEADER MAP MINIMUM: the calls are the header's cs_error_t
# declarations and the names in the version script (libquorum's leaves six
# calls unversioned, so its script names only four); fewer than MINIMUM
# means the parsing broke.
call_pages=0
check_library() {
	local library=$1 prefix=$2 header=$top/include/corosync/$3 map=$top/cmake/$4 minimum=$5
	local calls fn page section synopsis declared overview
	calls=$( { grep -oE "^cs_error_t ${prefix}_[a-z0-9_]+ \\(" "$header" | sed -E 's/^cs_error_t | \($//g'
		grep -oE "^\\s+${prefix}_[a-z0-9_]+;" "$map" | tr -d ' \t;'; } | sort -u)
	if [ "$(wc -l <<<"$calls")" -lt "$minimum" ]; then
		echo "FAIL: $library: only $(wc -l <<<"$calls") calls read from $3 and $4"
		fail=1
	fi
	overview=$top/man/${prefix}_overview.3
	[ -f "$overview" ] || { echo "FAIL: $library: no overview page man/${prefix}_overview.3"; fail=1; }
	for fn in $calls; do
		call_pages=$((call_pages + 1))
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
		if ! grep -qx ".B #include <corosync/$3>" "$page"; then
			echo "FAIL: $fn: the SYNOPSIS does not include <corosync/$3>"
			fail=1
		fi
		# The .BI line of the SYNOPSIS, its alternating fonts joined.
		synopsis=$(awk '/^\.SH SYNOPSIS/ { s = 1; next } /^\.SH/ { s = 0 } s && /^\.BI / { sub(/^\.BI /, ""); print }' "$page" | tr -d '"[:space:]')
		declared=$(awk -v fn="$fn" '$0 ~ "^cs_error_t " fn " \\(" { s = 1 } s { print } s && /\);/ { exit }' "$header" | tr -d '[:space:]')
		if [ -z "$declared" ] || [ "$synopsis" != "$declared" ]; then
			echo "FAIL: $fn: SYNOPSIS differs from the header"
			echo "    page:   $synopsis"
			echo "    header: $declared"
			fail=1
		fi
		if [ -f "$overview" ] && ! grep -qx "\.BR $fn (3)," "$overview"; then
			echo "FAIL: $library: ${prefix}_overview.3 does not list $fn (3) in its SEE ALSO"
			fail=1
		fi
	done
}
check_library libvotequorum votequorum votequorum.h libvotequorum.map 19
check_library libquorum quorum quorum.h libquorum.map 10

# References to our own pages (votequorum_*, votequorum-*, quorum_*), as
# .BR name (N) or \fBname\fR(N), resolve.
links=0
for page in "$top"/man/*.3 "$top"/man/*.8; do
	while read -r name section; do
		links=$((links + 1))
		if [ ! -f "$top/man/$name.$section" ]; then
			echo "FAIL: $(basename "$page") refers to $name($section), which is not in man/"
			fail=1
		fi
	done < <(grep -oE '^\.BR (votequorum[_-]|quorum_)[a-z0-9_-]+ \([0-9]\)|\\fB(votequorum[_-]|quorum_)[a-z0-9_-]+\\fR\([0-9]\)' "$page" |
		sed -E 's/^\.BR ([^ ]+) \(([0-9])\)$/\1 \2/; s/^\\fB(.+)\\fR\(([0-9])\)$/\1 \2/')
done
if [ "$links" -lt 100 ]; then
	echo "FAIL: only $links references to our pages found; the parsing broke"
	fail=1
fi
[ "$fail" = 0 ] && echo "man: $pages pages render cleanly; $call_pages call pages have every section and a SYNOPSIS matching the header; both overviews list their calls; $links references to our pages resolve"
exit $fail
