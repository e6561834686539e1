#!/bin/bash
# The manual pages, of the four libraries (libvotequorum: votequorum_*.3 and
# votequorum-monitor.8; libquorum: quorum_*.3; libcmap: cmap_*.3;
# libcorosync_common: cs_strerror.3, qb_to_cs_error.3, hdb_error_to_cs.3):
# every page renders with groff without a warning; every call of each
# library (its header's declarations, its version script's names and its
# export table, tests/abi/exports-*.expected) has a page with every
# section, whose SYNOPSIS prototype is the header's declaration (compared
# with all white space and a leading `extern` removed); each library's
# overview names every call page; and every reference to a page of ours
# (votequorum*, quorum_*, cmap_*, corosync_common_overview and the three
# common calls) in any page names a page that exists in man/ (votequorum(5)
# and cmap_keys(7) are corosync's).
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

# LIBRARY OVERVIEW HEADER MAP EXPORTS MINIMUM NAMES: the calls are the
# header's declarations of a name matching the extended regular expression
# NAMES that return cs_error_t (or, for cs_strerror, const char *), the
# names of the version script and those of the export table (any version).
# The scripts name few: libquorum's leaves six calls unversioned, so it
# names only four; libcmap's names only cmap_initialize (the other 38 are
# unversioned, as in Debian's libcmap4); libcorosync_common's names its
# three in an anonymous node. Fewer than MINIMUM calls means the parsing
# broke.
call_pages=0
overviews=0
check_library() {
	local library=$1 overview=$top/man/$2.3 header=$top/include/corosync/$3 map=$top/cmake/$4 exports=$top/tests/abi/$5 minimum=$6 names=$7
	local declaration="^(extern )?(cs_error_t|const char \\*) ?"
	local calls fn page section synopsis declared
	calls=$( { grep -oE "${declaration}${names} ?\\(" "$header" | sed -E "s/${declaration}//; s/ ?\\(\$//"
		grep -oE "^\\s+${names};" "$map" | tr -d ' \t;'
		awk '$1 != $2 { print $2 }' "$exports" | grep -xE "$names" || true; } | sort -u)
	if [ "$(wc -l <<<"$calls")" -lt "$minimum" ]; then
		echo "FAIL: $library: only $(wc -l <<<"$calls") calls read from $3, $4 and $5"
		fail=1
	fi
	overviews=$((overviews + 1))
	[ -f "$overview" ] || { echo "FAIL: $library: no overview page man/$2.3"; fail=1; }
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
		# The header's declaration, from its first line to its `);`.
		declared=$(awk -v fn="$fn" '$0 ~ "^(extern )?(cs_error_t|const char \\*) ?" fn " ?\\(" { s = 1 } s { print } s && /\);/ { exit }' "$header" |
			sed -E '1s/^extern //' | tr -d '[:space:]')
		if [ -z "$declared" ] || [ "$synopsis" != "$declared" ]; then
			echo "FAIL: $fn: SYNOPSIS differs from the header"
			echo "    page:   $synopsis"
			echo "    header: $declared"
			fail=1
		fi
		if [ -f "$overview" ] && ! grep -qx "\.BR $fn (3)," "$overview"; then
			echo "FAIL: $library: $2.3 does not list $fn (3) in its SEE ALSO"
			fail=1
		fi
	done
}
check_library libvotequorum votequorum_overview votequorum.h libvotequorum.map exports-votequorum.expected 19 'votequorum_[a-z0-9_]+'
check_library libquorum quorum_overview quorum.h libquorum.map exports-quorum.expected 10 'quorum_[a-z0-9_]+'
check_library libcmap cmap_overview cmap.h libcmap.map exports-cmap.expected 39 'cmap_[a-z0-9_]+'
check_library libcorosync_common corosync_common_overview corotypes.h libcorosync_common.map exports-corosync_common.expected 3 \
	'(cs_strerror|qb_to_cs_error|hdb_error_to_cs)'

# References to our own pages (votequorum_*, votequorum-*, quorum_*,
# cmap_*, corosync_common_overview and the three common calls), as
# .BR name (N) or \fBname\fR(N), resolve; cmap_keys(7) is corosync's.
ours='(votequorum[_-][a-z0-9_-]+|quorum_[a-z0-9_-]+|cmap_[a-z0-9_]+|corosync_common_overview|cs_strerror|qb_to_cs_error|hdb_error_to_cs)'
links=0
for page in "$top"/man/*.3 "$top"/man/*.8; do
	while read -r name section; do
		links=$((links + 1))
		if [ ! -f "$top/man/$name.$section" ]; then
			echo "FAIL: $(basename "$page") refers to $name($section), which is not in man/"
			fail=1
		fi
	done < <(grep -oE "^\.BR ${ours} \([0-9]\)|\\\\fB${ours}\\\\fR\([0-9]\)" "$page" | grep -vE '^(\.BR |\\fB)cmap_keys( |\\fR)\(7\)$' |
		sed -E 's/^\.BR ([^ ]+) \(([0-9])\)$/\1 \2/; s/^\\fB(.+)\\fR\(([0-9])\)$/\1 \2/')
done
if [ "$links" -lt 100 ]; then
	echo "FAIL: only $links references to our pages found; the parsing broke"
	fail=1
fi
[ "$fail" = 0 ] && echo "man: $pages pages render cleanly; $call_pages call pages have every section and a SYNOPSIS matching the header; all $overviews overviews list their calls; $links references to our pages resolve"
exit $fail
