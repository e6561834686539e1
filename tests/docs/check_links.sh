#!/bin/bash
# The documentation's links: every relative Markdown link of README.md,
# tests/README.md and docs/*.md, [text](path) or [text](path#anchor) (and
# images and [label]: path definitions alike), must name a file or directory
# of this repository that exists; when it names an anchor of a Markdown
# file, a heading of that file must have that anchor under GitHub's rule
# (lower case; every character but letters, digits, spaces, hyphens and
# underscores dropped; spaces become hyphens; a repeated anchor gets -1,
# -2, ...). Links with a scheme (http:, https:, mailto:) are not followed.
# Code (fenced blocks and `spans`) is skipped. Every page of docs/ must
# also be linked from README.md, so that none is out of a reader's reach.
# Names every broken link as FILE:LINE and fails; fails too when it finds
# fewer links than a whole documentation has.
#   check_links.sh [TOP]     (TOP: the repository, by default this script's)
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C.UTF-8
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)

declare -A anchors=()   # Markdown file -> its anchors, one per line
declare -a failures=()
links=0

# The anchor GitHub gives a heading's text, into $anchor_of (no subshell:
# it runs for every heading).
anchor_of=""
slug() {
	local s=$1
	local re_link='\[([^]]*)\]\([^)]*\)' re_closing='^(.*[^[:space:]])[[:space:]]+#+[[:space:]]*$'
	[[ ! $s =~ $re_closing ]] || s=${BASH_REMATCH[1]}  # an optional closing sequence of #s
	while [[ $s =~ $re_link ]]; do  # a link in a heading counts by its text
		s=${s/"${BASH_REMATCH[0]}"/"${BASH_REMATCH[1]}"}
	done
	s=${s,,}
	s=${s//[^[:alnum:] _-]/}
	anchor_of=${s// /-}
}

# Fenced code blocks, line by line: `fence` (the caller's local) holds the
# open block's marker. True (skip the line) for a fence line and for a line
# inside a block.
fenced() {  # LINE
	# shellcheck disable=SC2016  # backquotes, not an expansion
	local re_fence='^ {0,3}(```|~~~)'
	if [[ $1 =~ $re_fence ]]; then
		if [ -z "$fence" ]; then
			fence=${BASH_REMATCH[1]}
		elif [ "${BASH_REMATCH[1]}" = "$fence" ]; then
			fence=""
		fi
		return 0
	fi
	[ -n "$fence" ]
}

# The anchors of FILE's headings (ATX headings outside code blocks), one
# per line, into anchors[FILE].
read_anchors() {
	local file=$1 line text a key n fence="" list=""
	local -A seen=()
	local re_heading='^ {0,3}#{1,6}[[:space:]]+(.*)$'
	while IFS= read -r line || [ -n "$line" ]; do
		fenced "$line" && continue
		[[ $line =~ $re_heading ]] || continue
		text=${BASH_REMATCH[1]}
		text=${text%"${text##*[![:space:]]}"}  # trailing blanks
		slug "$text"
		a=$anchor_of
		key="_$a"  # never empty, as an array key must not be
		n=${seen[$key]:-}
		if [ -n "$n" ]; then
			n=$((n + 1))
			seen[$key]=$n
			a="$a-$n"
		else
			seen[$key]=0
		fi
		list+="$a"$'\n'
	done < "$file"
	anchors[$file]=$list
}

# Checks one link TARGET written on line LINENO of FILE.
check_target() {
	local file=$1 lineno=$2 target=$3 path anchor resolved where
	where="${file#"$top"/}:$lineno: ($target)"
	links=$((links + 1))
	if [ -z "$target" ]; then
		failures+=("$where: an empty link")
		return 0
	fi
	if [[ $target =~ ^[A-Za-z][A-Za-z0-9+.-]*: ]]; then
		return 0  # http:, https:, mailto:: not ours to check
	fi
	path=${target%%#*}
	anchor=""
	[[ $target != *"#"* ]] || anchor=${target#*#}
	path=${path//%20/ }
	if [ -z "$path" ]; then
		resolved=$file
	elif [[ $path == /* ]]; then
		resolved=$(realpath -m -- "$top$path")
	else
		resolved=$(realpath -m -- "$(dirname "$file")/$path")
	fi
	if [[ $resolved != "$top" && $resolved != "$top"/* ]]; then
		failures+=("$where: points outside the repository")
		return 0
	fi
	if [ ! -e "$resolved" ]; then
		failures+=("$where: no such file or directory: ${resolved#"$top"/}")
		return 0
	fi
	if [ -n "$anchor" ] && [[ $resolved == *.md ]]; then
		[ -n "${anchors[$resolved]+set}" ] || read_anchors "$resolved"
		if ! grep -Fxe "$anchor" <<< "${anchors[$resolved]}" >/dev/null; then
			failures+=("$where: no heading of ${resolved#"$top"/} has the anchor #$anchor")
		fi
	fi
	return 0
}

# Every link of FILE, outside code (check_target only reads FILE).
# shellcheck disable=SC2094
check_file() {
	local file=$1 line lineno=0 fence="" rest match
	# shellcheck disable=SC2016  # backquotes, not an expansion
	local re_code='`[^`]*`'
	local re_link='\]\(([^()[:space:]]*)([[:space:]]+"[^"]*")?\)'
	local re_def='^ {0,3}\[[^]]+\]:[[:space:]]+<?([^[:space:]>]+)'
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		fenced "$line" && continue
		while [[ $line =~ $re_code ]]; do
			line=${line/"${BASH_REMATCH[0]}"/}
		done
		if [[ $line =~ $re_def ]]; then
			check_target "$file" "$lineno" "${BASH_REMATCH[1]}"
		fi
		rest=$line
		while [[ $rest =~ $re_link ]]; do
			match=${BASH_REMATCH[0]}
			check_target "$file" "$lineno" "${BASH_REMATCH[1]}"  # its own matches replace BASH_REMATCH
			rest=${rest#*"$match"}
		done
	done < "$file"
	return 0
}

files=("$top/README.md" "$top/tests/README.md")
for page in "$top"/docs/*.md; do
	[ -e "$page" ] && files+=("$page")
done
for f in "${files[@]}"; do
	if [ ! -f "$f" ]; then
		failures+=("${f#"$top"/}: missing")
		continue
	fi
	check_file "$f"
done

# Every page of docs/ is linked from README.md (by its path, with or
# without an anchor).
for page in "$top"/docs/*.md; do
	[ -e "$page" ] || continue
	name=${page#"$top"/}
	if ! grep -Fe "]($name)" -e "]($name#" "$top/README.md" >/dev/null; then
		failures+=("$name: not linked from README.md")
	fi
done

if [ "${#failures[@]}" -gt 0 ]; then
	printf 'FAIL: %s\n' "${failures[@]}" >&2
	echo "FAIL: ${#failures[@]} problem(s) in the links of ${#files[@]} files" >&2
	exit 1
fi
if [ "$links" -lt 50 ]; then
	echo "FAIL: only $links links found in ${#files[@]} files; is the documentation there?" >&2
	exit 1
fi
echo "docs: $links links in ${#files[@]} files, each pointing at something that exists"
